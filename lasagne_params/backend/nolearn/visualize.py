"""nolearn 0.6's ``nolearn.lasagne.visualize``, without nolearn: the plots people used.

``plot_loss``, ``plot_conv_weights``, ``plot_conv_activity``,
``plot_occlusion`` (with ``occlusion_heatmap``) and ``plot_saliency`` (with
``saliency_map``/``saliency_map_net``) draw with matplotlib and return
``matplotlib.pyplot``, as nolearn's did, so ``plot_loss(net).savefig(...)``
works.  matplotlib is imported on first use (it is not a dependency of
lasagne_params: ``pip install 'lasagne-params[nolearn]'``).

``draw_to_file`` and ``draw_to_notebook`` draw the project's own picture
(:mod:`lasagne_params.render.picture`: each box with its derived shape and
parameter formula) instead of nolearn's pydot graph; they need Graphviz
(the ``[draw]`` extra and its ``dot`` program).  ``draw_to_notebook``
returns a :class:`~lasagne_params.render.picture.Picture`, which Jupyter
shows as SVG.
"""
from itertools import product

from ...core.derive import derive_specs
from ...core.optional import require
from ..bridges.compat import import_lasagne
from ..networks.read import incoming_layers, report_from_lasagne, specs_from_lasagne

__all__ = ["plot_loss", "plot_conv_weights", "plot_conv_activity", "occlusion_heatmap",
           "plot_occlusion", "saliency_map", "saliency_map_net", "plot_saliency",
           "draw_to_file", "draw_to_notebook"]


def _pyplot():
    """matplotlib's pyplot, or one DependencyError line naming the extra that brings it."""
    return require("matplotlib.pyplot", "nolearn.lasagne.visualize")


def _bare(axes):
    for ax in axes.flatten():
        ax.set_xticks([])
        ax.set_yticks([])
        ax.axis("off")


def plot_loss(net):
    """Training and validation loss per epoch, from ``net.train_history_``."""
    plt = _pyplot()
    plt.plot([row["train_loss"] for row in net.train_history_], label="train loss")
    plt.plot([row["valid_loss"] for row in net.train_history_], label="valid loss")
    plt.xlabel("epoch")
    plt.ylabel("loss")
    plt.legend(loc="best")
    return plt


def plot_conv_weights(layer, figsize=(6, 6)):
    """The filters of a convolution layer: one figure per input channel, one square per filter."""
    import numpy
    plt = _pyplot()
    W = layer.W.get_value()
    side = int(numpy.ceil(numpy.sqrt(W.shape[0])))
    for channel in range(W.shape[1]):
        _, axes = plt.subplots(side, side, figsize=figsize, squeeze=False)
        _bare(axes)
        for i, (r, c) in enumerate(product(range(side), range(side))):
            if i >= W.shape[0]:
                break
            axes[r, c].imshow(W[i, channel], cmap="gray", interpolation="none")
    return plt


def _layer_function(layer):
    import theano
    import theano.tensor as T
    lasagne = import_lasagne()
    inputs = T.tensor4("xs", dtype=theano.config.floatX)
    return theano.function([inputs], lasagne.layers.get_output(layer, inputs,
                                                                deterministic=True),
                           allow_input_downcast=True)


def plot_conv_activity(layer, x, figsize=(6, 8)):
    """The feature maps ``layer`` computes for one sample ``x`` (shape ``(1, c, h, w)``)."""
    import numpy
    plt = _pyplot()
    if x.shape[0] != 1:
        raise ValueError("Only one sample can be plotted at a time.")
    activity = _layer_function(layer)(x)
    maps = activity.shape[1]
    side = int(numpy.ceil(numpy.sqrt(maps)))
    _, axes = plt.subplots(side + 1, side, figsize=figsize, squeeze=False)
    axes[0, side // 2].imshow(1 - x[0][0], cmap="gray", interpolation="none")
    axes[0, side // 2].set_title("original")
    _bare(axes)
    for i, (r, c) in enumerate(product(range(side), range(side))):
        if i >= maps:
            break
        if activity[0][i].ndim != 2:
            raise ValueError("Wrong number of dimensions, image data should have 2, "
                             "instead got %d" % activity[0][i].ndim)
        axes[r + 1, c].imshow(-activity[0][i], cmap="gray", interpolation="none")
    return plt


def occlusion_heatmap(net, x, target, square_length=7):
    """The probability of class ``target`` with a square centred on each pixel set to 0.

    ``x`` is one image ``(1, c, h, w)``; ``square_length`` must be odd.
    Returns an ``(h, w)`` array (Zeiler & Fergus 2013).
    """
    import numpy
    if x.ndim != 4 or x.shape[0] != 1:
        raise ValueError("This function requires the input data to be of shape (1, c, x, y), "
                         "instead got %r" % (x.shape,))
    if square_length % 2 == 0:
        raise ValueError("Square length has to be an odd number, instead got %d."
                         % square_length)
    classes = net.output_layers()[-1].output_shape[1]
    image = x[0].copy()
    _, channels, height, width = x.shape
    pad = square_length // 2 + 1
    row = numpy.zeros((width, channels, height, width), dtype=image.dtype)
    probabilities = numpy.zeros((height, width, classes))
    for i in range(height):
        for j in range(width):
            padded = numpy.pad(image, ((0, 0), (pad, pad), (pad, pad)), "constant")
            padded[:, i:i + square_length, j:j + square_length] = 0.0
            row[j] = padded[:, pad:-pad, pad:-pad]
        probabilities[i] = net.predict_proba(row).reshape(width, classes)
    return probabilities[:, :, target]


def _plot_heat_map(X, figsize, heat_image):
    plt = _pyplot()
    if X.ndim != 4:
        raise ValueError("This function requires the input data to be of shape (b, c, x, y), "
                         "instead got %r" % (X.shape,))
    count = X.shape[0]
    if figsize[1] is None:
        figsize = (figsize[0], count * figsize[0] / 3)
    _, axes = plt.subplots(count, 3, figsize=figsize, squeeze=False)
    _bare(axes)
    for n in range(count):
        heat = heat_image(X[n:n + 1], n)
        image = X[n].mean(0)
        axes[n, 0].imshow(-image, interpolation="nearest", cmap="gray")
        axes[n, 0].set_title("image")
        axes[n, 1].imshow(-heat, interpolation="nearest", cmap="Reds")
        axes[n, 1].set_title("critical parts")
        axes[n, 2].imshow(-image, interpolation="nearest", cmap="gray")
        axes[n, 2].imshow(-heat, interpolation="nearest", cmap="Reds", alpha=0.6)
        axes[n, 2].set_title("super-imposed")
    return plt


def plot_occlusion(net, X, target, square_length=7, figsize=(9, None)):
    """For each image of ``X``: the image, its occlusion heat map, both super-imposed."""
    return _plot_heat_map(X, figsize, lambda x, n: occlusion_heatmap(net, x, target[n],
                                                                      square_length))


def saliency_map(input, output, pred, X):
    """|d score / d input| for the predicted class ``pred`` (Simonyan et al. 2013)."""
    import numpy
    import theano.tensor as T
    lasagne = import_lasagne()
    score = -lasagne.objectives.binary_crossentropy(output[:, pred], numpy.array([1])).sum()
    return numpy.abs(T.grad(score, input).eval({input: X}))


def saliency_map_net(net, X):
    """The saliency map of one image ``X`` (``(1, c, h, w)``) for the class ``net`` predicts."""
    lasagne = import_lasagne()
    input_var = net.layers_[0].input_var
    output = lasagne.layers.get_output(net.output_layers()[-1], deterministic=True)
    pred = output.eval({input_var: X}).argmax(axis=1)
    return saliency_map(input_var, output, pred, X)[0].transpose(1, 2, 0).squeeze()


def plot_saliency(net, X, figsize=(9, None)):
    """For each image of ``X``: the image, its saliency map, both super-imposed."""
    return _plot_heat_map(X, figsize, lambda x, n: -saliency_map_net(net, x))


def _report(layers):
    """The derived Report of a NeuralNet, a layer, or a list of layers (Lasagne's where needed)."""
    if hasattr(layers, "to_specs"):
        return derive_specs(layers.to_specs())
    items = list(layers) if isinstance(layers, (list, tuple)) else [layers]
    fed = {id(source) for layer in items for source in incoming_layers(layer)}
    outputs = [layer for layer in items if id(layer) not in fed]
    reported = report_from_lasagne(outputs)
    return derive_specs(specs_from_lasagne(outputs),
                        fallback={row.name: row for row in reported.layers})


def draw_to_file(layers, filename, **kwargs):
    """Draw the network (a NeuralNet, or its layers) to ``filename`` (.svg, .png, .pdf).

    nolearn's keywords (``output_shape``, ``verbose``) are accepted; every
    box shows the output shape and the parameter formula anyway.
    """
    from ...render.picture import draw
    return draw(_report(layers), filename)


def draw_to_notebook(layers, **kwargs):
    """The network's picture for Jupyter (a Picture, shown as SVG)."""
    from ...render.picture import picture
    return picture(_report(layers))
