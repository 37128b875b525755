"""Inputs, and the layers that keep their input's shape and own no parameters:
InputLayer, DropoutLayer, GaussianNoiseLayer, NonlinearityLayer,
LocalResponseNormalization2DLayer."""
from .. import axis
from .base import Cost, CostContext, LayerContext, LayerKind, Result, signature
from ..receptive import AxisReceptiveField

__all__ = ["KINDS", "identity", "input_layer", "input_dtype", "dropout", "local_response_norm",
           "elementwise_cost", "nonlinearity_cost", "free_cost"]


def identity(context: LayerContext) -> Result:
    """Shape-preserving, parameter-free layers (noise, nonlinearity)."""
    return Result(tuple(context.input_shape))


def input_layer(context: LayerContext) -> Result:
    """InputLayer: the declared ``shape`` (``None`` for a free batch size)."""
    shape = context.get("shape")
    if not isinstance(shape, (list, tuple)) or not shape:
        raise context.error("expected a shape such as [null, 1, 28, 28], got %r" % (shape,),
                            "shape")
    for dim in shape:
        if dim is not None and (not axis.is_int(dim) or dim < 1):
            raise context.error("dimensions must be positive ints or None, got %r" % (shape,),
                                "shape")
    return Result(tuple(None if d is None else int(d) for d in shape))


def input_dtype(layer):
    """A built InputLayer's data type where it is not a float (``input_var``'s, e.g.
    ``int32`` for an embedding's indices), so that a rebuild makes the same variable."""
    dtype = str(layer.input_var.dtype)
    return {} if dtype.startswith("float") else {"dtype": dtype}


def dropout(context: LayerContext) -> Result:
    """DropoutLayer: identity; ``p`` must be a probability; master's ``shared_axes`` a
    list of axes (one mask value shared along each)."""
    p = context.get("p", 0.5)
    if isinstance(p, bool) or not isinstance(p, (int, float)) or not 0 <= p < 1:
        raise context.error("expected a probability in [0, 1), got %r" % (p,), "p")
    shared = context.get("shared_axes", ())
    ndim = len(context.input_shape)
    if not isinstance(shared, (list, tuple)) or not all(
            axis.is_int(a) and -ndim <= a < ndim for a in shared):
        raise context.error("expected a list of axes of the %dD input, got %r" % (ndim, shared),
                            "shared_axes")
    return identity(context)


def local_response_norm(context: LayerContext) -> Result:
    """LocalResponseNormalization2DLayer: identity on (batch, channels, rows, columns).

    Lasagne raises for an even window ``n``; its forward pass unpacks four
    axes, so other inputs fail there (the static shape accepts them).
    """
    context.require_ndim(4, "(batch, channels, rows, columns)")
    n = context.positive_int("n", 5)
    if n % 2 == 0:
        raise context.error("must be odd (Lasagne only implements odd windows), got %d" % n, "n")
    return identity(context)


def input_cost(context: CostContext) -> Cost:
    """InputLayer: no work; each position of each axis after (batch, channels) sees itself."""
    spatial = len(context.output_shape) - 2
    return Cost((), tuple(AxisReceptiveField.origin() for _ in range(spatial))
                if spatial > 0 else None)


def elementwise_cost(context: CostContext) -> Cost:
    """Dropout mask, noise: one operation per element; the receptive field passes through."""
    return Cost((context.per_element("elementwise"),), context.input_receptive_field)


def nonlinearity_cost(context: CostContext) -> Cost:
    """NonlinearityLayer: its nonlinearity on every element; the receptive field passes."""
    return Cost(context.activation(), context.input_receptive_field)


def free_cost(context: CostContext) -> Cost:
    """Flatten, reshape, embedding lookups: no arithmetic, but positions are mixed: n/a."""
    return Cost((), None)


def local_response_norm_cost(context: CostContext) -> Cost:
    """LocalResponseNormalization2DLayer: ``n`` squared neighbours summed per element."""
    return Cost((context.per_element("elementwise", (context.get("n", 5),)),),
                context.input_receptive_field)


KINDS = (
    LayerKind("InputLayer", input_layer, input_cost, "input",
              signature("shape | input_var name"), hyper_params=("shape",),
              reader=input_dtype),
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
