"""Pooling: MaxPool1DLayer, Pool2DLayer, MaxPool2DLayer, FeaturePoolLayer,
FeatureWTALayer, GlobalPoolLayer.  None has parameters."""
from .. import axis
from ..text import axis_text, with_size
from .base import Cost, CostCtx, Ctx, LayerKind, Result, signature
from .basic import identity
from .explain import generic

__all__ = ["KINDS", "pooling", "max_pool1d", "pool2d", "max_pool2d", "feature_pool",
           "feature_wta", "global_pool", "pool_cost"]


def pooling(ctx: Ctx, n_spatial, mode=None, c01b=False, ignore_border=None,
            theano_pad_limit=True) -> Result:
    """Pool windows over the last ``n_spatial`` axes (rows, columns for c01b).

    Parameters
    ----------
    ctx : Ctx
    n_spatial : int
        1 (MaxPool1DLayer, pooling the last axis of a 3D input) or 2.
    mode : str, optional
        Fixed mode (MaxPool layers); otherwise ``args["mode"]``.
    c01b : bool
        Input in (channels, rows, columns, batch) order.
    ignore_border : bool, optional
        The only value this layer class supports (cuda-convnet: False,
        cuDNN: True); otherwise ``args["ignore_border"]``, default True.
    theano_pad_limit : bool
        Theano's pool op refuses ``pad >= pool_size`` (it raises when the
        layer's output is built), so the derivation does too.
    """
    ndim = n_spatial + 2
    layout = "(channels, rows, columns, batch)" if c01b else (
        "(batch, channels, length)" if n_spatial == 1 else "(batch, channels, rows, columns)")
    ctx.require_ndim(ndim, layout)
    size = ctx.int_tuple("pool_size", n_spatial)
    stride = size if ctx.get("stride") is None else ctx.int_tuple("stride", n_spatial)
    pad = ctx.int_tuple("pad", n_spatial, 0, allow_zero=True)
    border = ctx.flag("ignore_border", True if ignore_border is None else ignore_border)
    if ignore_border is not None and border != ignore_border:
        raise ctx.error("this layer only supports ignore_border=%s" % ignore_border,
                        "ignore_border")
    mode = ctx.get("mode", "max") if mode is None else mode
    if mode not in axis.POOL_MODES:
        raise ctx.error("expected one of %s, got %r" % (", ".join(axis.POOL_MODES), mode),
                        "mode")
    if not border and any(pad):
        raise ctx.error("must be 0 when ignore_border is false, got %r" % (pad,), "pad")
    if theano_pad_limit and any(p >= s for p, s in zip(pad, size)):
        raise ctx.error("must be smaller than pool_size %r (Theano's pooling refuses more), "
                        "got %r" % (size, pad), "pad")
    shape = ctx.input_shape
    first = 1 if c01b else 2
    lengths = [axis.pool_length(shape[first + i], size[i], stride[i], pad[i], border)
               for i in range(n_spatial)]
    ctx.check_lengths(lengths, "pool_size")
    out = list(shape)
    out[first:first + n_spatial] = [length.value for length in lengths]
    out = tuple(out)
    return Result(out, with_size(axis_text(lengths), out))


def max_pool1d(ctx: Ctx) -> Result:
    """MaxPool1DLayer: max windows along the last axis of (batch, channels, length)."""
    return pooling(ctx, 1, mode="max")


def pool2d(ctx: Ctx) -> Result:
    """Pool2DLayer: lengths from :func:`axis.pool_length`, any of Theano's four modes."""
    return pooling(ctx, 2)


def max_pool2d(ctx: Ctx) -> Result:
    """MaxPool2DLayer: Pool2DLayer with ``mode='max'``."""
    return pooling(ctx, 2, mode="max")


def _feature_groups(ctx):
    """(axis, pool_size) of a feature pool; the axis must split into whole groups."""
    size = ctx.positive_int("pool_size")
    index = ctx.axis_index("axis", len(ctx.input_shape), 1, allow_negative=False)
    maps = ctx.input_shape[index]
    if maps is not None and maps % size:
        raise ctx.error("%d feature maps on axis %d do not split into groups of %d"
                        % (maps, index, size), "pool_size")
    return index, size


def feature_pool(ctx: Ctx) -> Result:
    """FeaturePoolLayer (maxout): axis ``axis`` shrinks to ``maps//pool_size``."""
    index, size = _feature_groups(ctx)
    out = list(ctx.input_shape)
    maps = out[index]
    formula = ""
    if maps is not None:
        out[index] = maps // size
        formula = "%d//%d=%d" % (maps, size, out[index])
    out = tuple(out)
    return Result(out, with_size(formula, out))


def feature_wta(ctx: Ctx) -> Result:
    """FeatureWTALayer: zeroes all but each group's maximum; shape unchanged."""
    _feature_groups(ctx)
    return identity(ctx)


def global_pool(ctx: Ctx) -> Result:
    """GlobalPoolLayer: (batch, channels), pooling every trailing axis.

    Lasagne 0.1's static shape also accepts a 2D input, but its forward pass
    (``flatten(3)``) fails on one; the derivation requires 3 axes or more.
    """
    shape = ctx.input_shape
    if len(shape) < 3:
        raise ctx.error("expects at least a 3D input (batch, channels, ...), got %r"
                        % (shape,), "incoming")
    return Result(tuple(shape[:2]))


def pool_cost(ctx: CostCtx) -> Cost:
    """PoolNDLayer: one operation per window element (compare for max, add for sum/average)."""
    window = ctx.window("pool_size", stride_defaults_to_size=True)
    ops = (ctx.per_element("pool", tuple(w[0] for w in window)),)
    return Cost(ops, ctx.slide(window))


def _keeps_channels_receptive_field(ctx):
    return ctx.input_receptive_field if ctx.get("axis", 1) == 1 else None


def feature_pool_cost(ctx: CostCtx) -> Cost:
    """FeaturePoolLayer: ``pool_size`` reads per output element; receptive field kept
    when the pooled axis is the channels'."""
    ops = (ctx.per_element("pool", (ctx.get("pool_size"),)),)
    return Cost(ops, _keeps_channels_receptive_field(ctx))


def feature_wta_cost(ctx: CostCtx) -> Cost:
    """FeatureWTALayer: one comparison-and-mask per element; receptive field as pooling."""
    return Cost((ctx.per_element("elementwise"),), _keeps_channels_receptive_field(ctx))


def global_pool_cost(ctx: CostCtx) -> Cost:
    """GlobalPoolLayer: every input position is read once per channel; n/a after."""
    return Cost((ctx.per_element("pool", tuple(ctx.input_shape[2:])),), None)


_POOL = ("pool_size", "stride", "pad", "ignore_border")
_POOL_KEYWORDS = "incoming pool_size | stride pad ignore_border name"

KINDS = (
    LayerKind("MaxPool1DLayer", max_pool1d, pool_cost, "pool", signature(_POOL_KEYWORDS),
              hyper_params=_POOL),
    LayerKind("Pool2DLayer", pool2d, pool_cost, "pool",
              signature("incoming pool_size | stride pad ignore_border mode name"),
              hyper_params=_POOL + ("mode",)),
    LayerKind("MaxPool2DLayer", max_pool2d, pool_cost, "pool", signature(_POOL_KEYWORDS),
              hyper_params=_POOL),
    LayerKind("FeaturePoolLayer", feature_pool, feature_pool_cost, "pool",
              signature("incoming pool_size | axis pool_function name"),
              hyper_params=("pool_size", "axis", "pool_function"), explain=generic),
    LayerKind("FeatureWTALayer", feature_wta, feature_wta_cost, "pool",
              signature("incoming pool_size | axis name"), hyper_params=("pool_size", "axis"),
              explain=generic),
    LayerKind("GlobalPoolLayer", global_pool, global_pool_cost, "pool",
              signature("incoming | pool_function name"), hyper_params=("pool_function",),
              explain=generic),
)
