"""Convolutions and network-in-network layers: Conv1DLayer, Conv2DLayer, Conv3DLayer, NINLayer.

The GPU convolutions (``gpu.py``) and the transposed, dilated and locally
connected ones (``transposed.py``) reuse :func:`convolution` and
:func:`conv_pads` with their own conventions.
"""
from typing import Any

from .. import axis, versions
from ..text import axis_text, product_text, with_size
from .base import Cost, CostContext, LayerContext, LayerKind, Result, signature

__all__ = ["KINDS", "convolution", "conv1d", "conv2d", "conv3d", "nin", "nin_layout",
           "conv_cost", "nin_cost", "conv_pads", "groups", "CONV_HYPER_PARAMS", "LAYOUTS"]

PAD_WORDS = ("valid", "full", "same")
#: The axes of an input with n spatial axes, batch first.
LAYOUTS = {1: "(batch, channels, length)", 2: "(batch, channels, rows, columns)",
           3: "(batch, channels, depth, rows, columns)"}


def conv_pads(context, fsize, same_symmetric=False, name="pad", default=0):
    """Per-axis pad for :func:`axis.conv_length`: ints, or 'full'/'same'.

    An even filter with ``'same'`` follows the target version
    (:class:`versions.Behaviour`): 0.1 pads it (``same_symmetric``: the GPU
    layers' ``(f-1)//2`` on both sides), master raises.
    """
    n = len(fsize)
    pad = context.get(name, default)
    if pad == "valid":
        return (0,) * n
    if pad == "full":
        return ("full",) * n
    if pad == "same":
        if any(f % 2 == 0 for f in fsize) and context.behaviour.even_filter_same == "raises":
            raise context.error("'same' needs an odd filter_size in Lasagne %s (it raises "
                                "NotImplementedError for %r; Lasagne 0.1 padded it)"
                                % (versions.version_label(context.version), fsize), name)
        if same_symmetric:
            return tuple((f - 1) // 2 for f in fsize)
        return ("same",) * n
    return context.int_tuple(name, n, default, allow_zero=True)


def groups(context, num_filters, channels):
    """``num_groups`` (master): it must divide the filters and the input channels."""
    count = context.positive_int("num_groups", 1)
    if num_filters % count or (channels is not None and channels % count):
        raise context.error("must divide num_filters (%d) and the input channels (%s), got %d"
                            % (num_filters, channels, count), "num_groups")
    return count


def convolution(context: LayerContext, n_spatial: int, c01b: bool = False,
                same_symmetric: bool = False) -> Result:
    """A convolution over ``n_spatial`` axes: ``(f*...*c+1)*k`` parameters.

    Parameters
    ----------
    context : LayerContext
    n_spatial : int
        1 for Conv1DLayer, 2 for the 2D layers, 3 for Conv3DLayer.
    c01b : bool
        Input ``(channels, rows, columns, batch)`` and W ``(c, rows, cols, k)``
        (cuda-convnet without dimshuffle); otherwise ``(batch, channels, ...)``
        and W ``(k, c, ...)``.
    same_symmetric : bool
        ``pad='same'`` pads ``(f-1)//2`` on both sides (the GPU layers) rather
        than ``f//2`` before and ``(f-1)//2`` after (Conv1DLayer/Conv2DLayer).
    """
    ndim = n_spatial + 2
    layout = "(channels, rows, columns, batch)" if c01b else LAYOUTS[n_spatial]
    context.require_ndim(ndim, layout)
    num_filters = context.positive_int("num_filters")
    fsize = context.int_tuple("filter_size", n_spatial)
    stride = context.int_tuple("stride", n_spatial, 1)
    pads = conv_pads(context, fsize, same_symmetric)
    shape = context.input_shape
    channels, spatial, batch = ((shape[0], shape[1:-1], shape[-1]) if c01b
                                else (shape[1], shape[2:], shape[0]))
    context.require_known([channels], "the number of input channels")
    count = groups(context, num_filters, channels)
    channels_text = str(channels) if count == 1 else "(%d//%d)" % (channels, count)
    channels //= count
    lengths = [axis.conv_length(spatial[i], fsize[i], stride[i], pads[i])
               for i in range(n_spatial)]
    context.check_lengths(lengths, "filter_size")
    spatial_out = tuple(length.value for length in lengths)
    out = (num_filters,) + spatial_out + (batch,) if c01b else (batch, num_filters) + spatial_out

    weights = product_text(fsize + (channels_text,))
    w_shape = (channels,) + fsize + (num_filters,) if c01b else (num_filters, channels) + fsize
    arrays = [context.param_array("W", w_shape)]
    biases, formula = bias_arrays(context, num_filters, spatial_out, weights)
    arrays += biases
    note = ""
    if same_symmetric and context.get("pad") == "same" and any(f % 2 == 0 for f in fsize):
        note = ("pad='same' with an even filter pads (f-1)//2 on both sides on this layer "
                "(Lasagne 0.1), so the output is one shorter than the input")
    return Result(out, with_size(axis_text(lengths), out), tuple(arrays), formula, note)


def bias_arrays(context, num_filters, positions, weights_text):
    """A convolution's bias array (tied: one per filter; untied: one per filter and output
    position; none with ``b=None``) as a list, and the layer's parameter formula given
    ``weights_text``, the weights per filter."""
    if not context.has_param("b"):
        return [], "%s*%d" % (weights_text, num_filters)
    if context.flag("untie_biases", False):
        context.require_known(positions, "the output size (for untied biases)")
        return ([context.param_array("b", (num_filters,) + tuple(positions),
                                     regularizable=False)],
                "%s*%d + %s" % (weights_text, num_filters,
                                product_text((num_filters,) + tuple(positions))))
    return ([context.param_array("b", (num_filters,), regularizable=False)],
            "(%s+1)*%d" % (weights_text, num_filters))


def conv1d(context: LayerContext) -> Result:
    """Conv1DLayer: ``(f*c+1)*k`` parameters (W: k x c x f, b: k)."""
    return convolution(context, 1)


def conv2d(context: LayerContext) -> Result:
    """Conv2DLayer: ``(n*m*l+1)*k`` parameters (W: k x l x n x m, b: k).

    Output length per axis from :func:`axis.conv_length`; ``untie_biases``
    gives one bias per output position (b: k x rows x cols); ``b=None`` none.
    """
    return convolution(context, 2)


def conv3d(context: LayerContext) -> Result:
    """Conv3DLayer (master): ``(d*n*m*l+1)*k`` parameters (W: k x l x d x n x m, b: k)."""
    return convolution(context, 3)


def nin_layout(context: LayerContext, c01b: bool = False) -> Result:
    """A 1x1 convolution over every trailing axis: ``(c+1)*u`` parameters.

    ``c01b``: channels first and batch last (NINLayer_c01b, W: u x c);
    otherwise batch first (NINLayer, W: c x u).  ``untie_biases`` gives one
    bias per unit and position.
    """
    shape = context.input_shape
    if len(shape) < 2:
        raise context.error("expects at least a 2D input, got %r" % (shape,), "incoming")
    units = context.positive_int("num_units")
    channels = shape[0] if c01b else shape[1]
    context.require_known([channels], "the number of input channels")
    out = (units,) + shape[1:] if c01b else (shape[0], units) + shape[2:]
    positions = out[1:-1] if c01b else out[2:]
    arrays = [context.param_array("W", (units, channels) if c01b else (channels, units))]
    if not context.has_param("b"):
        formula = "%d*%d" % (channels, units)
    elif context.flag("untie_biases", False):
        context.require_known(positions, "the output size (for untied biases)")
        arrays.append(context.param_array("b", (units,) + positions, regularizable=False))
        formula = "%d*%d + %s" % (channels, units, product_text((units,) + positions))
    else:
        arrays.append(context.param_array("b", (units,), regularizable=False))
        formula = "(%d+1)*%d" % (channels, units)
    return Result(out, "", tuple(arrays), formula)


def nin(context: LayerContext) -> Result:
    """NINLayer: ``(c+1)*u`` parameters for c input channels and u units."""
    return nin_layout(context)


def conv_cost(context: CostContext, pad: Any = None) -> Cost:
    """ConvNDLayer: filter volume MACs per output element, a bias add, a nonlinearity.

    MACs = output elements x filter volume = output positions x filters x filter volume;
    W has shape (filters, channels, *filter_size).  ``pad`` overrides the
    spec's padding for the receptive field (the GPU layers' ``'same'``).
    """
    weights = context.param("W").shape
    volume = tuple(weights[2:]) + (weights[1],)          # as the param formula: 5*5*1
    ops = (context.per_element("mac", volume),) + context.bias() + context.activation()
    window = (context.window("filter_size") if pad is None
              else context.window("filter_size", pad=pad))
    return Cost(ops, context.slide(window))


def nin_cost(context: CostContext) -> Cost:
    """NINLayer: a 1x1 convolution: c MACs per output element, bias, nonlinearity."""
    channels = context.param("W").shape[0]
    ops = (context.per_element("mac", (channels,)),) + context.bias() + context.activation()
    return Cost(ops, context.input_receptive_field)


#: What a convolution layer keeps of its constructor's keywords.
CONV_HYPER_PARAMS = ("num_filters", "filter_size", "stride", "pad", "untie_biases",
                     "nonlinearity", "num_groups", "flip_filters")
_CONV_KEYWORDS = ("incoming num_filters filter_size | stride pad untie_biases W b "
                  "nonlinearity convolution flip_filters@master num_groups@master name")

KINDS = (
    LayerKind("Conv1DLayer", conv1d, conv_cost, "conv", signature(_CONV_KEYWORDS),
              hyper_params=CONV_HYPER_PARAMS, arrays=("W", "b")),
    LayerKind("Conv2DLayer", conv2d, conv_cost, "conv", signature(_CONV_KEYWORDS),
              hyper_params=CONV_HYPER_PARAMS, arrays=("W", "b")),
    LayerKind("Conv3DLayer", conv3d, conv_cost, "conv", signature(_CONV_KEYWORDS),
              hyper_params=CONV_HYPER_PARAMS, arrays=("W", "b"), since=versions.MASTER),
    LayerKind("NINLayer", nin, nin_cost, "conv",
              signature("incoming num_units | untie_biases W b nonlinearity name"),
              hyper_params=("num_units", "untie_biases", "nonlinearity"), arrays=("W", "b")),
)
