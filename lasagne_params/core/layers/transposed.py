"""Convolutions Lasagne master adds beside the plain ones: TransposedConv2DLayer
(``Deconv2DLayer``), TransposedConv3DLayer (``Deconv3DLayer``), DilatedConv2DLayer,
LocallyConnected2DLayer.

Their W puts the input channels first (transposed, dilated) or holds one
filter bank per output position (locally connected).  ``num_groups`` is
checked as every master convolution checks it, and then ignored by these
classes (W and the computation are the ungrouped ones), as in Lasagne.
"""
from typing import Any, Dict, Optional, Tuple

from .. import axis, versions
from ..cost_records import OpTerm
from ..records import shape_size
from ..text import axis_text, product_text, with_size
from .base import Cost, CostContext, LayerContext, LayerKind, Result, signature, size_expression
from .conv import LAYOUTS, bias_arrays, conv_pads, groups
from .explain import dilated_convolution, locally_connected, transposed_convolution

__all__ = ["KINDS", "transposed_conv2d", "transposed_conv3d", "dilated_conv2d",
           "locally_connected2d"]


def _transposed(context: LayerContext, n: int) -> Result:
    """A transposed convolution over ``n`` axes: W (channels, filters, *filter_size)."""
    context.require_ndim(n + 2, LAYOUTS[n])
    num_filters = context.positive_int("num_filters")
    fsize = context.int_tuple("filter_size", n)
    stride = context.int_tuple("stride", n, 1)
    crops = conv_pads(context, fsize, name="crop")
    shape = context.input_shape
    channels = shape[1]
    context.require_known([channels], "the number of input channels")
    groups(context, num_filters, channels)
    lengths = [axis.transposed_length(shape[2 + i], fsize[i], stride[i], crops[i])
               for i in range(n)]
    given = context.get("output_size")
    note = ""
    spatial: Tuple[Optional[int], ...]
    if size_expression(given) is not None:          # master: (None, None), as Lasagne says
        note = "output_size is %s: a Theano expression, known when the network runs " \
               "(None, as Lasagne says)" % size_expression(given)
        spatial, formula = (None,) * n, ""
    elif given is None:
        context.check_lengths(lengths, "filter_size")
        spatial = tuple(length.value for length in lengths)
        formula = with_size(axis_text(lengths), (None, num_filters) + spatial)
    else:
        spatial = context.int_tuple("output_size", n)
        for i, (length, size) in enumerate(zip(lengths, spatial)):
            if length.value is not None and not length.value <= size <= \
                    length.value + stride[i] - 1:
                raise context.error("%d on axis %d cannot be made from length %d: Theano's "
                                    "forward pass accepts %d to %d (%s, plus up to stride-1)"
                                    % (size, i, shape[2 + i], length.value,
                                   length.value + stride[i] - 1, length.formula),
                                    "output_size")
        formula = ""
    out = (shape[0], num_filters) + tuple(spatial)
    weights_text = product_text(fsize + (channels,))
    arrays, params = bias_arrays(context, num_filters, spatial, weights_text)
    arrays.insert(0, context.param_array("W", (channels, num_filters) + fsize))
    return Result(out, formula, tuple(arrays), params, note)


def transposed_conv2d(context: LayerContext) -> Result:
    """TransposedConv2DLayer: ``(n*m*c+1)*k``; lengths ``(in-1)*stride+f-2*crop``.

    Or ``output_size``, which Theano accepts up to ``stride-1`` beyond that.
    """
    return _transposed(context, 2)


def transposed_conv3d(context: LayerContext) -> Result:
    """TransposedConv3DLayer: TransposedConv2DLayer over three axes."""
    return _transposed(context, 3)


def dilated_conv2d(context: LayerContext) -> Result:
    """DilatedConv2DLayer: ``(n*m*c+1)*k``; lengths ``in-(f-1)*dilation`` (no pad, stride 1).

    Lasagne only implements ``pad=0`` and ``flip_filters=False``.
    """
    context.require_ndim(4, LAYOUTS[2])
    num_filters = context.positive_int("num_filters")
    fsize = context.int_tuple("filter_size", 2)
    dilation = context.int_tuple("dilation", 2, 1)
    if conv_pads(context, fsize) != (0, 0):
        raise context.error("DilatedConv2DLayer only implements pad=0 ('valid'), got %r"
                            % (context.get("pad"),), "pad")
    if context.flag("flip_filters", False):
        raise context.error("DilatedConv2DLayer only implements flip_filters=False",
                            "flip_filters")
    shape = context.input_shape
    channels = shape[1]
    context.require_known([channels], "the number of input channels")
    groups(context, num_filters, channels)
    lengths = [axis.dilated_length(shape[2 + i], fsize[i], dilation[i]) for i in range(2)]
    context.check_lengths(lengths, "filter_size")
    spatial = tuple(length.value for length in lengths)
    out = (shape[0], num_filters) + spatial
    arrays, params = bias_arrays(context, num_filters, spatial, product_text(fsize + (channels,)))
    arrays.insert(0, context.param_array("W", (channels, num_filters) + fsize))
    return Result(out, with_size(axis_text(lengths), out), tuple(arrays), params)


def locally_connected2d(context: LayerContext) -> Result:
    """LocallyConnected2DLayer: a filter bank per output position, ``n*m*c*(h*w)*k`` weights.

    Lasagne only implements ``pad='same'`` and stride 1, so the output keeps
    the input's rows and columns; ``channelwise`` filters see one channel
    each (``num_filters`` must then equal the channels).
    """
    context.require_ndim(4, LAYOUTS[2])
    num_filters = context.positive_int("num_filters")
    fsize = context.int_tuple("filter_size", 2)
    if context.int_tuple("stride", 2, 1) != (1, 1):
        raise context.error("LocallyConnected2DLayer only implements stride 1, got %r"
                            % (context.get("stride"),), "stride")
    if conv_pads(context, fsize, default="same") != ("same", "same"):
        raise context.error("LocallyConnected2DLayer only implements pad='same', got %r"
                            % (context.get("pad"),), "pad")
    shape = context.input_shape
    context.require_known(shape[1:], "the input size (channels, rows, columns)")
    channels, rows, cols = shape[1:]
    groups(context, num_filters, channels)
    channelwise = context.flag("channelwise", False)
    if channelwise and num_filters != channels:
        raise context.error("channelwise filters need num_filters == the %d input channels, "
                            "got %d" % (channels, num_filters), "num_filters")
    window = fsize if channelwise else fsize + (channels,)
    weights_text = "%s*%s" % (product_text(window), product_text((rows, cols)))
    w_shape = ((num_filters,) + fsize if channelwise else (num_filters, channels) + fsize) \
        + (rows, cols)
    arrays, params = bias_arrays(context, num_filters, (rows, cols), weights_text)
    arrays.insert(0, context.param_array("W", w_shape))
    out = (shape[0], num_filters, rows, cols)
    return Result(out, "", tuple(arrays), params)


def transposed_cost(context: CostContext) -> Cost:
    """Transposed convolution: every input element meets every filter's every weight:
    (input positions x channels) x (filters x filter volume) MACs; receptive field n/a."""
    weights = context.param("W").shape
    inputs = tuple(context.input_shape[2:]) + (weights[0],)
    volume = (weights[1],) + tuple(weights[2:])
    macs = (OpTerm("mac", None, "") if None in inputs else
            OpTerm("mac", shape_size(inputs) * shape_size(volume),
                   "(%s)*(%s)" % (product_text(inputs), product_text(volume))))
    return Cost((macs,) + context.bias() + context.activation(), None)


def dilated_cost(context: CostContext) -> Cost:
    """DilatedConv2DLayer: filter volume MACs per output element; the receptive field
    grows by the dilated window ``(f-1)*d+1``."""
    weights = context.param("W").shape
    volume = tuple(weights[2:]) + (weights[0],)
    ops = (context.per_element("mac", volume),) + context.bias() + context.activation()
    dilation = context.int_tuple("dilation", 2, 1)
    window = tuple(((f - 1) * d + 1, 1, 0) for f, d in zip(weights[2:], dilation))
    return Cost(ops, context.slide(window))


def locally_connected_cost(context: CostContext) -> Cost:
    """LocallyConnected2DLayer: a window's weights per output element, as a convolution."""
    weights = context.param("W").shape
    volume = tuple(weights[-4:-2]) + ((weights[1],) if len(weights) == 6 else ())
    ops = (context.per_element("mac", volume),) + context.bias() + context.activation()
    return Cost(ops, context.slide(context.window("filter_size", pad="same")))


_HYPER = ("num_filters", "filter_size", "untie_biases", "nonlinearity", "flip_filters",
          "num_groups")
_TRANSPOSED: Dict[str, Any] = dict(
    keywords=signature("incoming num_filters filter_size | stride crop untie_biases W b "
                       "nonlinearity flip_filters output_size num_groups name"),
    hyper_params=_HYPER + ("stride", "crop", "output_size"), arrays=("W", "b"),
    since=versions.MASTER, explain=transposed_convolution)

KINDS = (
    LayerKind("TransposedConv2DLayer", transposed_conv2d, transposed_cost, "conv",
              aliases=("Deconv2DLayer",), **_TRANSPOSED),
    LayerKind("TransposedConv3DLayer", transposed_conv3d, transposed_cost, "conv",
              aliases=("Deconv3DLayer",), **_TRANSPOSED),
    LayerKind("DilatedConv2DLayer", dilated_conv2d, dilated_cost, "conv",
              signature("incoming num_filters filter_size | dilation pad untie_biases W b "
                        "nonlinearity flip_filters num_groups name"),
              hyper_params=_HYPER + ("dilation", "pad"), arrays=("W", "b"),
              since=versions.MASTER, explain=dilated_convolution),
    LayerKind("LocallyConnected2DLayer", locally_connected2d, locally_connected_cost, "conv",
              signature("incoming num_filters filter_size | stride pad untie_biases W b "
                        "nonlinearity flip_filters channelwise convolution num_groups name"),
              hyper_params=_HYPER + ("stride", "pad", "channelwise"), arrays=("W", "b"),
              since=versions.MASTER, explain=locally_connected),
)
