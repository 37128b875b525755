"""Fully connected layers and lookup tables: DenseLayer, EmbeddingLayer."""
from ..cost_records import OpTerm
from ..records import shape_size
from ..text import product_text
from .base import Cost, CostCtx, Ctx, LayerKind, Result, signature
from .basic import free_cost

__all__ = ["KINDS", "dense", "embedding", "dense_cost"]


def dense(ctx: Ctx) -> Result:
    """DenseLayer: ``(n+1)*m`` parameters for n inputs (trailing axes flattened), m units."""
    num_units = ctx.positive_int("num_units")
    shape = ctx.input_shape
    if len(shape) < 2:
        raise ctx.error("expects at least a 2D input (batch, features), got %r" % (shape,),
                        "incoming")
    ctx.require_known(shape[1:], "the input size")
    num_inputs = shape_size(shape[1:])
    inputs = product_text(shape[1:])
    arrays = [ctx.param_array("W", (num_inputs, num_units))]
    if ctx.has_param("b"):
        arrays.append(ctx.param_array("b", (num_units,), regularizable=False))
        formula = "(%s+1)*%d" % (inputs, num_units)
    else:
        formula = "%s*%d" % (inputs, num_units)
    return Result((shape[0], num_units), "", tuple(arrays), formula)


def embedding(ctx: Ctx) -> Result:
    """EmbeddingLayer: ``V*d`` parameters (W: vocabulary x dimension); shape + (d,)."""
    vocabulary = ctx.positive_int("input_size")
    dimension = ctx.positive_int("output_size")
    out = tuple(ctx.input_shape) + (dimension,)
    return Result(out, "", (ctx.param_array("W", (vocabulary, dimension)),),
                  "%d*%d" % (vocabulary, dimension))


def dense_cost(ctx: CostCtx) -> Cost:
    """DenseLayer: inputs x units MACs, one bias add and one nonlinearity per unit; n/a."""
    inputs = ctx.input_shape[1:]
    units = ctx.output_shape[1]
    text = "*".join(str(d) for d in inputs)
    macs = OpTerm("mac", shape_size(inputs) * units,
                  "%s*%d" % ("(%s)" % text if len(inputs) > 1 else text, units))
    return Cost((macs,) + ctx.bias() + ctx.activation(), None)


KINDS = (
    LayerKind("DenseLayer", dense, dense_cost, "dense",
              signature("incoming num_units | W b nonlinearity name"),
              hyper_params=("num_units", "nonlinearity"), arrays=("W", "b")),
    LayerKind("EmbeddingLayer", embedding, free_cost, "embedding",
              signature("incoming input_size output_size | W name"),
              hyper_params=("input_size", "output_size"), arrays=("W",)),
)
