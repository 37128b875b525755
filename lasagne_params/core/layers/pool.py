"""Pooling and upscaling: Pool1D/2D/3DLayer, MaxPool1D/2D/3DLayer, Upscale1D/2D/3DLayer,
SpatialPyramidPoolingLayer, FeaturePoolLayer, FeatureWTALayer, GlobalPoolLayer.
None has parameters."""
from typing import Optional

from .. import axis, versions
from ..text import axes_text, axis_text, with_size
from .base import Cost, CostContext, LayerContext, LayerKind, Result, signature
from .basic import identity
from .conv import LAYOUTS
from .explain import generic, max_pooling

__all__ = ["KINDS", "pooling", "max_pool1d", "pool2d", "max_pool2d", "feature_pool",
           "feature_wta", "global_pool", "pool_cost", "upscale", "spatial_pyramid",
           "pyramid_cells"]


def pooling(context: LayerContext, n_spatial: int, mode: Optional[str] = None,
            c01b: bool = False, ignore_border: Optional[bool] = None,
            theano_pad_limit: bool = True) -> Result:
    """Pool windows over the last ``n_spatial`` axes (rows, columns for c01b).

    Parameters
    ----------
    context : LayerContext
    n_spatial : int
        1 (pooling the last axis of a 3D input), 2 or 3.
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
    layout = "(channels, rows, columns, batch)" if c01b else LAYOUTS[n_spatial]
    context.require_ndim(ndim, layout)
    size = context.int_tuple("pool_size", n_spatial)
    stride = size if context.get("stride") is None else context.int_tuple("stride", n_spatial)
    pad = context.int_tuple("pad", n_spatial, 0, allow_zero=True)
    border = context.flag("ignore_border", True if ignore_border is None else ignore_border)
    if ignore_border is not None and border != ignore_border:
        raise context.error("this layer only supports ignore_border=%s" % ignore_border,
                            "ignore_border")
    mode = context.get("mode", "max") if mode is None else mode
    if mode not in axis.POOL_MODES:
        raise context.error("expected one of %s, got %r" % (", ".join(axis.POOL_MODES), mode),
                            "mode")
    if not border and any(pad):
        raise context.error("must be 0 when ignore_border is false, got %r" % (pad,), "pad")
    if theano_pad_limit and any(p >= s for p, s in zip(pad, size)):
        raise context.error("must be smaller than pool_size %r (Theano's pooling refuses more), "
                            "got %r" % (size, pad), "pad")
    shape = context.input_shape
    first = 1 if c01b else 2
    lengths = [axis.pool_length(shape[first + i], size[i], stride[i], pad[i], border)
               for i in range(n_spatial)]
    context.check_lengths(lengths, "pool_size")
    out = list(shape)
    out[first:first + n_spatial] = [length.value for length in lengths]
    shape = tuple(out)
    return Result(shape, with_size(axis_text(lengths), shape))


def max_pool1d(context: LayerContext) -> Result:
    """MaxPool1DLayer: max windows along the last axis of (batch, channels, length)."""
    return pooling(context, 1, mode="max")


def pool2d(context: LayerContext) -> Result:
    """Pool2DLayer: lengths from :func:`axis.pool_length`, any of Theano's four modes."""
    return pooling(context, 2)


def max_pool2d(context: LayerContext) -> Result:
    """MaxPool2DLayer: Pool2DLayer with ``mode='max'``."""
    return pooling(context, 2, mode="max")


def pool1d(context: LayerContext) -> Result:
    """Pool1DLayer (master): Pool2DLayer's arithmetic on the last axis of a 3D input."""
    return pooling(context, 1)


def pool3d(context: LayerContext) -> Result:
    """Pool3DLayer (master): Pool2DLayer's arithmetic over depth, rows and columns."""
    return pooling(context, 3)


def max_pool3d(context: LayerContext) -> Result:
    """MaxPool3DLayer (master): Pool3DLayer with ``mode='max'``."""
    return pooling(context, 3, mode="max")


def upscale(context: LayerContext, n_spatial: int) -> Result:
    """Upscale1D/2D/3DLayer (master): axes 2.. each ``length*scale_factor``.

    Both modes (``'repeat'``, ``'dilate'``) give the same size.  Lasagne
    accepts a float factor but then reports float lengths no array has; the
    derivation takes whole factors only.
    """
    shape = context.input_shape
    if len(shape) < n_spatial + 2:
        raise context.error("expects at least %d axes (batch, channels, then the %d upscaled), "
                            "got %r" % (n_spatial + 2, n_spatial, shape), "incoming")
    factors = context.int_tuple("scale_factor", n_spatial)
    mode = context.get("mode", "repeat")
    if mode not in ("repeat", "dilate"):
        raise context.error("expected 'repeat' or 'dilate', got %r" % (mode,), "mode")
    out, texts = list(shape), []
    for i, factor in enumerate(factors):
        length = shape[2 + i]
        if length is not None:
            out[2 + i] = length * factor
            texts.append("%d*%d=%d" % (length, factor, out[2 + i]))
    shape = tuple(out)
    return Result(shape, with_size(axes_text(texts), shape))


def upscale1d(context: LayerContext) -> Result:
    """Upscale1DLayer: axis 2 times ``scale_factor``."""
    return upscale(context, 1)


def upscale2d(context: LayerContext) -> Result:
    """Upscale2DLayer: rows and columns times ``scale_factor``."""
    return upscale(context, 2)


def upscale3d(context: LayerContext) -> Result:
    """Upscale3DLayer: depth, rows and columns times ``scale_factor``."""
    return upscale(context, 3)


def pyramid_cells(length, level):
    """(cells, formula) of one axis of one pyramid level as Theano computes it for
    SpatialPyramidPoolingLayer's ``'fast'`` implementation: windows of
    ``ceil(length/level)`` moved by ``length//level``, whole windows only.

    >>> pyramid_cells(8, 4), pyramid_cells(7, 4)
    ((4, '8//2=4'), (3, '((7-2)//1)+1=3'))
    """
    window, stride = -(-length // level), length // level
    cells = axis.pool_length(length, window, stride)
    return cells.value, cells.formula


def spatial_pyramid(context: LayerContext, implementation: Optional[str] = None) -> Result:
    """SpatialPyramidPoolingLayer (master): ``sum(p*p)`` cells per channel for ``pool_dims`` p.

    Lasagne's static shape always says ``sum(p*p)``.  Its default
    ``'fast'`` implementation pools each level with windows of
    ``ceil(size/p)`` moved by ``size//p``; unless every size is a multiple of
    every ``p`` that gives more cells, and the derivation gives the number
    Theano computes (the row says Lasagne's is wrong).  ``'kaiming'`` always
    gives ``p*p``.
    """
    context.require_ndim(4, LAYOUTS[2])
    dims = context.get("pool_dims", [4, 2, 1])
    if not isinstance(dims, (list, tuple)) or not dims or not all(
            axis.is_int(p) and p >= 1 for p in dims):
        raise context.error("expected a list of positive ints, got %r" % (dims,), "pool_dims")
    dims = [int(p) for p in dims]
    kaiming = (implementation or context.get("implementation", "fast")) == "kaiming"
    mode = context.get("mode", "max")
    modes = ("max", "average_inc_pad", "average_exc_pad") if kaiming else axis.POOL_MODES
    if mode not in modes:
        raise context.error("expected one of %s, got %r" % (", ".join(modes), mode), "mode")
    batch, channels, rows, cols = context.input_shape
    static = sum(p * p for p in dims)
    static_text = "%s=%d" % ("+".join("%d*%d" % (p, p) for p in dims), static)
    static_shape = (batch, channels, static)
    if kaiming:
        return Result(static_shape, with_size(static_text, static_shape))
    if rows is None or cols is None:
        return Result(static_shape, with_size(static_text, static_shape), note=(
            "Lasagne's 'fast' pyramid gives sum(p*p) cells only when the rows and columns "
            "are multiples of every pool dim; other sizes give more cells, which layers "
            "sized on %d then cannot take" % static))
    small = [p for p in dims if p > min(rows, cols)]
    if small:
        raise context.error("pool dim %d exceeds the %dx%d input: the 'fast' implementation "
                            "pools with stride %d//%d = 0, and Theano's forward pass crashes "
                            "the process (SIGFPE)" % (small[0], rows, cols, min(rows, cols),
                                                  small[0]), "pool_dims")
    cells = [(pyramid_cells(rows, p), pyramid_cells(cols, p)) for p in dims]
    total = sum(r[0] * c[0] for r, c in cells)
    out = (batch, channels, total)
    text = "%s=%d" % ("+".join("%d*%d" % (r[0], c[0]) for r, c in cells), total)
    if total == static:
        return Result(out, with_size(text, out))
    return Result(out, with_size(text, out), note=(
        "Lasagne's static shape says %d cells (%s), but its 'fast' implementation pools "
        "each level with windows of ceil(size/p) moved by size//p, which on %dx%d gives "
        "%d cells (Lasagne wrong; the runtime check shows Theano's)"
        % (static, static_text, rows, cols, total)), lasagne_shape=static_shape)


def _feature_groups(context):
    """(axis, pool_size) of a feature pool; the axis must split into whole groups."""
    size = context.positive_int("pool_size")
    index = context.axis_index("axis", len(context.input_shape), 1, allow_negative=False)
    maps = context.input_shape[index]
    if maps is not None and maps % size:
        raise context.error("%d feature maps on axis %d do not split into groups of %d"
                            % (maps, index, size), "pool_size")
    return index, size


def feature_pool(context: LayerContext) -> Result:
    """FeaturePoolLayer (maxout): axis ``axis`` shrinks to ``maps//pool_size``."""
    index, size = _feature_groups(context)
    out = list(context.input_shape)
    maps = out[index]
    formula = ""
    if maps is not None:
        out[index] = maps // size
        formula = "%d//%d=%d" % (maps, size, out[index])
    shape = tuple(out)
    return Result(shape, with_size(formula, shape))


def feature_wta(context: LayerContext) -> Result:
    """FeatureWTALayer: zeroes all but each group's maximum; shape unchanged."""
    _feature_groups(context)
    return identity(context)


def global_pool(context: LayerContext) -> Result:
    """GlobalPoolLayer: (batch, channels), pooling every trailing axis.

    Lasagne 0.1's static shape also accepts a 2D input, but its forward pass
    (``flatten(3)``) fails on one; the derivation requires 3 axes or more.
    """
    shape = context.input_shape
    if len(shape) < 3:
        raise context.error("expects at least a 3D input (batch, channels, ...), got %r"
                            % (shape,), "incoming")
    return Result(tuple(shape[:2]))


def pool_cost(context: CostContext) -> Cost:
    """PoolNDLayer: one operation per window element (compare for max, add for sum/average)."""
    window = context.window("pool_size", stride_defaults_to_size=True)
    ops = (context.per_element("pool", tuple(w[0] for w in window)),)
    return Cost(ops, context.slide(window))


def _keeps_channels_receptive_field(context):
    return context.input_receptive_field if context.get("axis", 1) == 1 else None


def feature_pool_cost(context: CostContext) -> Cost:
    """FeaturePoolLayer: ``pool_size`` reads per output element; receptive field kept
    when the pooled axis is the channels'."""
    ops = (context.per_element("pool", (context.get("pool_size"),)),)
    return Cost(ops, _keeps_channels_receptive_field(context))


def feature_wta_cost(context: CostContext) -> Cost:
    """FeatureWTALayer: one comparison-and-mask per element; receptive field as pooling."""
    return Cost((context.per_element("elementwise"),), _keeps_channels_receptive_field(context))


def global_pool_cost(context: CostContext) -> Cost:
    """GlobalPoolLayer: every input position is read once per channel; n/a after."""
    return Cost((context.per_element("pool", tuple(context.input_shape[2:])),), None)


def upscale_cost(context: CostContext) -> Cost:
    """Upscaling: a copy per output element, no arithmetic; receptive field n/a."""
    return Cost((), None)


def spatial_pyramid_cost(context: CostContext) -> Cost:
    """Spatial pyramid: each level reads every input position once per channel; n/a."""
    levels = len(context.get("pool_dims", [4, 2, 1]))
    return Cost((context.per_element("pool", tuple(context.input_shape[2:]) + (levels,),
                                     dims=context.input_shape[1:2]),), None)


_POOL = ("pool_size", "stride", "pad", "ignore_border")
_POOL_KEYWORDS = "incoming pool_size | stride pad ignore_border name"
_MODE_KEYWORDS = "incoming pool_size | stride pad ignore_border mode name"
_UPSCALE = signature("incoming scale_factor | mode name")
_MASTER = versions.MASTER

KINDS = (
    LayerKind("MaxPool1DLayer", max_pool1d, pool_cost, "pool", signature(_POOL_KEYWORDS),
              hyper_params=_POOL, explain=max_pooling),
    LayerKind("Pool2DLayer", pool2d, pool_cost, "pool", signature(_MODE_KEYWORDS),
              hyper_params=_POOL + ("mode",)),
    LayerKind("MaxPool2DLayer", max_pool2d, pool_cost, "pool", signature(_POOL_KEYWORDS),
              hyper_params=_POOL, explain=max_pooling),
    LayerKind("Pool1DLayer", pool1d, pool_cost, "pool", signature(_MODE_KEYWORDS),
              hyper_params=_POOL + ("mode",), since=_MASTER),
    LayerKind("Pool3DLayer", pool3d, pool_cost, "pool", signature(_MODE_KEYWORDS),
              hyper_params=_POOL + ("mode",), since=_MASTER),
    LayerKind("MaxPool3DLayer", max_pool3d, pool_cost, "pool", signature(_POOL_KEYWORDS),
              hyper_params=_POOL, since=_MASTER, explain=max_pooling),
    LayerKind("Upscale1DLayer", upscale1d, upscale_cost, "pool", _UPSCALE,
              hyper_params=("scale_factor", "mode"), since=_MASTER, explain=generic),
    LayerKind("Upscale2DLayer", upscale2d, upscale_cost, "pool", _UPSCALE,
              hyper_params=("scale_factor", "mode"), since=_MASTER, explain=generic),
    LayerKind("Upscale3DLayer", upscale3d, upscale_cost, "pool", _UPSCALE,
              hyper_params=("scale_factor", "mode"), since=_MASTER, explain=generic),
    LayerKind("SpatialPyramidPoolingLayer", spatial_pyramid, spatial_pyramid_cost, "pool",
              signature("incoming | pool_dims mode implementation name"),
              hyper_params=("pool_dims", "mode", "implementation"), since=_MASTER,
              explain=generic),
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
