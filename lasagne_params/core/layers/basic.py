"""Inputs, and the layers that keep their input's shape and own no parameters:
InputLayer, DropoutLayer, GaussianNoiseLayer, NonlinearityLayer,
LocalResponseNormalization2DLayer."""
from .. import axis
from .base import Cost, CostCtx, Ctx, LayerKind, Result, signature
from ..receptive import AxisReceptiveField

__all__ = ["KINDS", "identity", "input_layer", "dropout", "local_response_norm",
           "elementwise_cost", "nonlinearity_cost", "free_cost"]


def identity(ctx: Ctx) -> Result:
    """Shape-preserving, parameter-free layers (noise, nonlinearity)."""
    return Result(tuple(ctx.input_shape))


def input_layer(ctx: Ctx) -> Result:
    """InputLayer: the declared ``shape`` (``None`` for a free batch size)."""
    shape = ctx.get("shape")
    if not isinstance(shape, (list, tuple)) or not shape:
        raise ctx.error("expected a shape such as [null, 1, 28, 28], got %r" % (shape,),
                        "shape")
    for dim in shape:
        if dim is not None and (not axis.is_int(dim) or dim < 1):
            raise ctx.error("dimensions must be positive ints or None, got %r" % (shape,),
                            "shape")
    return Result(tuple(None if d is None else int(d) for d in shape))


def dropout(ctx: Ctx) -> Result:
    """DropoutLayer: identity; ``p`` must be a probability; master's ``shared_axes`` a
    list of axes (one mask value shared along each)."""
    p = ctx.get("p", 0.5)
    if isinstance(p, bool) or not isinstance(p, (int, float)) or not 0 <= p < 1:
        raise ctx.error("expected a probability in [0, 1), got %r" % (p,), "p")
    shared = ctx.get("shared_axes", ())
    ndim = len(ctx.input_shape)
    if not isinstance(shared, (list, tuple)) or not all(
            axis.is_int(a) and -ndim <= a < ndim for a in shared):
        raise ctx.error("expected a list of axes of the %dD input, got %r" % (ndim, shared),
                        "shared_axes")
    return identity(ctx)


def local_response_norm(ctx: Ctx) -> Result:
    """LocalResponseNormalization2DLayer: identity on (batch, channels, rows, columns).

    Lasagne raises for an even window ``n``; its forward pass unpacks four
    axes, so other inputs fail there (the static shape accepts them).
    """
    ctx.require_ndim(4, "(batch, channels, rows, columns)")
    n = ctx.positive_int("n", 5)
    if n % 2 == 0:
        raise ctx.error("must be odd (Lasagne only implements odd windows), got %d" % n, "n")
    return identity(ctx)


def input_cost(ctx: CostCtx) -> Cost:
    """InputLayer: no work; each position of each axis after (batch, channels) sees itself."""
    spatial = len(ctx.output_shape) - 2
    return Cost((), tuple(AxisReceptiveField.origin() for _ in range(spatial))
                if spatial > 0 else None)


def elementwise_cost(ctx: CostCtx) -> Cost:
    """Dropout mask, noise: one operation per element; the receptive field passes through."""
    return Cost((ctx.per_element("elementwise"),), ctx.input_receptive_field)


def nonlinearity_cost(ctx: CostCtx) -> Cost:
    """NonlinearityLayer: its nonlinearity on every element; the receptive field passes."""
    return Cost(ctx.activation(), ctx.input_receptive_field)


def free_cost(ctx: CostCtx) -> Cost:
    """Flatten, reshape, embedding lookups: no arithmetic, but positions are mixed: n/a."""
    return Cost((), None)


def local_response_norm_cost(ctx: CostCtx) -> Cost:
    """LocalResponseNormalization2DLayer: ``n`` squared neighbours summed per element."""
    return Cost((ctx.per_element("elementwise", (ctx.get("n", 5),)),),
                ctx.input_receptive_field)


KINDS = (
    LayerKind("InputLayer", input_layer, input_cost, "input",
              signature("shape | input_var name"), hyper_params=("shape",)),
    LayerKind("DropoutLayer", dropout, elementwise_cost, "noise",
              signature("incoming | p rescale shared_axes@master name"),
              hyper_params=("p", "rescale", "shared_axes")),
    LayerKind("GaussianNoiseLayer", identity, elementwise_cost, "noise",
              signature("incoming | sigma name"), hyper_params=("sigma",)),
    LayerKind("NonlinearityLayer", identity, nonlinearity_cost, "noise",
              signature("incoming | nonlinearity name"), hyper_params=("nonlinearity",)),
    LayerKind("LocalResponseNormalization2DLayer", local_response_norm,
              local_response_norm_cost, "normalization",
              signature("incoming | alpha k beta n name"),
              hyper_params=("alpha", "k", "beta", "n")),
)
