"""Inputs and the layers that keep their input's shape and own no parameters."""
from .. import axis
from .base import Ctx, Result

__all__ = ["identity", "input_layer", "dropout", "local_response_norm"]


def identity(ctx: Ctx) -> Result:
    """Shape-preserving, parameter-free layers (noise, nonlinearity, feature WTA)."""
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
    """DropoutLayer: identity; ``p`` must be a probability."""
    p = ctx.get("p", 0.5)
    if isinstance(p, bool) or not isinstance(p, (int, float)) or not 0 <= p < 1:
        raise ctx.error("expected a probability in [0, 1), got %r" % (p,), "p")
    return identity(ctx)


def local_response_norm(ctx: Ctx) -> Result:
    """LocalResponseNormalization2DLayer: identity on (batch, channels, rows, columns).

    Lasagne 0.1 raises for an even window ``n``; its forward pass unpacks
    four axes, so other inputs fail there (the static shape accepts them).
    """
    ctx.require_ndim(4, "(batch, channels, rows, columns)")
    n = ctx.positive_int("n", 5)
    if n % 2 == 0:
        raise ctx.error("must be odd (Lasagne 0.1 only implements odd windows), got %d" % n,
                        "n")
    return identity(ctx)
