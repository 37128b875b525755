"""Fully connected layers and lookup tables: DenseLayer, EmbeddingLayer."""
from .. import axis
from ..cost_records import OpTerm
from ..records import shape_size
from ..text import product_text
from .base import Cost, CostContext, LayerContext, LayerKind, Result, signature
from .basic import free_cost

__all__ = ["KINDS", "dense", "embedding", "dense_cost"]


def dense(context: LayerContext) -> Result:
    """DenseLayer: ``(n+1)*m`` parameters for n inputs (trailing axes flattened), m units.

    ``num_leading_axes`` (master; default 1) axes are kept and the rest
    flattened into n; a negative value counts from the end.
    """
    num_units = context.positive_int("num_units")
    shape = context.input_shape
    ndim = len(shape)
    leading = context.get("num_leading_axes", 1)
    if ndim < 2 and context.is_default("num_leading_axes"):
        raise context.error("expects at least a 2D input (batch, features), got %r" % (shape,),
                            "incoming")
    if not axis.is_int(leading) or not -ndim <= leading < ndim:
        raise context.error("must leave trailing axes of the %dD input to flatten (an int in "
                            "[%d, %d)), got %r" % (ndim, -ndim, ndim, leading), "num_leading_axes")
    leading = int(leading) % ndim
    context.require_known(shape[leading:], "the input size")
    num_inputs = shape_size(shape[leading:])
    inputs = product_text(shape[leading:])
    arrays = [context.param_array("W", (num_inputs, num_units))]
    if context.has_param("b"):
        arrays.append(context.param_array("b", (num_units,), regularizable=False))
        formula = "(%s+1)*%d" % (inputs, num_units)
    else:
        formula = "%s*%d" % (inputs, num_units)
    return Result(tuple(shape[:leading]) + (num_units,), "", tuple(arrays), formula)


def embedding(context: LayerContext) -> Result:
    """EmbeddingLayer: ``V*d`` parameters (W: vocabulary x dimension); shape + (d,)."""
    vocabulary = context.positive_int("input_size")
    dimension = context.positive_int("output_size")
    out = tuple(context.input_shape) + (dimension,)
    return Result(out, "", (context.param_array("W", (vocabulary, dimension)),),
                  "%d*%d" % (vocabulary, dimension))


def dense_cost(context: CostContext) -> Cost:
    """DenseLayer: inputs x units MACs, one bias add and one nonlinearity per unit; n/a."""
    units = context.output_shape[-1]
    positions = tuple(context.output_shape[1:-1])        # master's num_leading_axes > 1
    inputs = context.input_shape[len(context.output_shape) - 1:]
    text = "*".join(str(d) for d in inputs)
    text = "%s*%d" % ("(%s)" % text if len(inputs) > 1 else text, units)
    if None in positions:
        macs = OpTerm("mac", None, "")
    elif positions:
        macs = OpTerm("mac", shape_size(positions) * shape_size(inputs) * units,
                      "(%s)*%s" % (product_text(positions), text))
    else:
        macs = OpTerm("mac", shape_size(inputs) * units, text)
    return Cost((macs,) + context.bias() + context.activation(), None)


KINDS = (
    LayerKind("DenseLayer", dense, dense_cost, "dense",
              signature("incoming num_units | W b nonlinearity num_leading_axes@master name"),
              hyper_params=("num_units", "nonlinearity", "num_leading_axes"),
              arrays=("W", "b")),
    LayerKind("EmbeddingLayer", embedding, free_cost, "embedding",
              signature("incoming input_size output_size | W name"),
              hyper_params=("input_size", "output_size"), arrays=("W",)),
)
