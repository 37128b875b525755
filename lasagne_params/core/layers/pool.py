"""Pooling: MaxPool1DLayer, Pool2DLayer, MaxPool2DLayer, FeaturePoolLayer,
FeatureWTALayer, GlobalPoolLayer.  None has parameters."""
from .. import axis
from .base import Ctx, Result, axis_text, with_size
from .basic import identity

__all__ = ["pooling", "max_pool1d", "pool2d", "max_pool2d", "feature_pool", "feature_wta",
           "global_pool"]


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
