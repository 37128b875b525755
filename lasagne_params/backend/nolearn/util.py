"""nolearn 0.6's ``nolearn.lasagne.util``: which layers are 2D convolutions and max-pools,
and the capacity/coverage table ``PrintLayerInfo`` printed at ``verbose >= 2``.

The table is nolearn's heuristic for convolutional nets (after Xudong Cao's
Kaggle report), computed as nolearn computed it, so that its numbers are
the ones old logs show: for each layer, the *real filter* (its filter
size times the product of the pool sizes before it) and the *receptive
field* (the first convolution's filter, then growing by the pool product
times ``filter - 1`` per convolution), per axis; capacity is real filter
over receptive field, coverage receptive field over the image, both in
percent.  Like nolearn's it ignores strides, padding and dilation, and a
layer that is neither a 2D convolution nor a max-pool ends the
convolutional part: every later layer shows the whole image.  It is a
rule of thumb, not the receptive field :mod:`lasagne_params.core.receptive`
derives.

Importing this module imports neither Lasagne nor numpy.
"""
from ...core.text import clipped, shown
from ...render.table import LONGEST_CELL, simple_table
from ..bridges.compat import import_lasagne

__all__ = ["is_conv2d", "is_maxpool2d", "get_real_filter", "get_receptive_field",
           "get_conv_infos", "ansi"]


class ansi:
    """The terminal colours nolearn's tables used."""

    BLUE = "\033[94m"
    CYAN = "\033[36m"
    GREEN = "\033[32m"
    MAGENTA = "\033[35m"
    RED = "\033[31m"
    ENDC = "\033[0m"


#: (module, class) of the 2D convolutions and max-pools nolearn recognised: the CPU
#: class and the GPU ones (here their CPU stand-ins where no GPU module imports).
CONV2D = (("lasagne.layers", "Conv2DLayer"), ("lasagne.layers.cuda_convnet", "Conv2DCCLayer"),
          ("lasagne.layers.dnn", "Conv2DDNNLayer"), ("lasagne.layers.corrmm", "Conv2DMMLayer"))
MAXPOOL2D = (("lasagne.layers", "MaxPool2DLayer"),
             ("lasagne.layers.cuda_convnet", "MaxPool2DCCLayer"),
             ("lasagne.layers.dnn", "MaxPool2DDNNLayer"))


def _classes(names):
    import importlib
    import_lasagne()
    found = []
    for module, name in names:
        try:
            found.append(getattr(importlib.import_module(module), name))
        except (ImportError, AttributeError):
            pass
    return tuple(found)


def _any_of(layers, names):
    classes = _classes(names)
    if isinstance(layers, import_lasagne().layers.Layer):
        return isinstance(layers, classes)
    return any(isinstance(layer, classes) for layer in layers)


def is_conv2d(layers):
    """True when ``layers`` (a layer, or any of a list of them) is a 2D convolution."""
    return _any_of(layers, CONV2D)


def is_maxpool2d(layers):
    """True when ``layers`` (a layer, or any of a list of them) is a 2D max-pool."""
    return _any_of(layers, MAXPOOL2D)


def _pair(value):
    return tuple(value) if isinstance(value, (list, tuple)) else (value, value)


def _filters_and_fields(layers, image):
    """(real filter, receptive field) per layer, each a (rows, columns) pair."""
    real, field = [image], [image]
    product, first, convolutional = (1, 1), True, True
    for layer in layers[1:]:
        if convolutional and is_conv2d(layer):
            size = _pair(layer.filter_size)
            real.append(tuple(s * p for s, p in zip(size, product)))
            field.append(size if first else tuple(
                f + p * (s - 1) for f, p, s in zip(field[-1], product, size)))
            first = False
        elif convolutional and is_maxpool2d(layer):
            real.append(real[-1])
            field.append(field[-1])
            product = tuple(p * s for p, s in zip(product, _pair(layer.pool_size)))
        else:
            convolutional = False
            real.append(image)
            field.append(image)
    return real, field


def get_real_filter(layers, img_size):
    """Each layer's real filter size, a (rows, columns) pair (the image's for the input)."""
    return _filters_and_fields(list(layers), tuple(img_size))[0]


def get_receptive_field(layers, img_size):
    """Each layer's receptive field, a (rows, columns) pair (the image's for the input)."""
    return _filters_and_fields(list(layers), tuple(img_size))[1]


def _ratio(top, bottom):
    """100 * top / bottom; 1 where that is not a finite number (nolearn's choice)."""
    return 100.0 * top / bottom if bottom else 1.0


def get_conv_infos(net, min_capacity=100. / 6, detailed=False):
    """nolearn's capacity and coverage table of ``net``'s built layers.

    A layer's name is magenta when its capacity is below ``min_capacity``
    percent, cyan when its coverage is above 100 percent, red when both.
    ``detailed`` adds the real filters and receptive fields.
    """
    layers = list(net.layers_.values())
    image = tuple(layers[0].output_shape[2:])
    real, field = _filters_and_fields(layers, image)
    headers = ["name", "size", "total", "cap.Y", "cap.X", "cov.Y", "cov.X"]
    if detailed:
        headers += ["filter Y", "filter X", "field Y", "field X"]
    rows, colours = [], []
    for layer, name, filters, fields in zip(layers, net.layers_.keys(), real, field):
        shape = tuple(layer.output_shape[1:])
        total = 1
        for size in shape:
            total *= size
        capacity = [_ratio(f, r) for f, r in zip(filters, fields)]
        coverage = [_ratio(r, i) for r, i in zip(fields, image)]
        row = [layer.name or name, "x".join(map(str, shape)), total if shape else 0]
        row += ["%.2f" % value for value in capacity + coverage]
        if detailed:
            row += [int(value) for value in filters + fields]
        rows.append(row)
        low, wide = min(capacity) < min_capacity, max(coverage) > 100
        colours.append(ansi.RED if low and wide else ansi.CYAN if wide
                       else ansi.MAGENTA if low else None)
    lines = simple_table(headers, rows)
    for number, (row, colour) in enumerate(zip(rows, colours)):
        if colour is not None:          # coloured after aligning: codes take no width
            cell, line = clipped(shown(row[0]), LONGEST_CELL), lines[2 + number]
            lines[2 + number] = colour + cell + ansi.ENDC + line[len(cell):]
    return "\n".join(lines)
