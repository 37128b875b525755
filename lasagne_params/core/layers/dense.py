"""Fully connected layers and lookup tables: DenseLayer, EmbeddingLayer."""
from ..records import shape_size
from .base import Ctx, Result, product_text

__all__ = ["dense", "embedding"]


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
    terms = [ctx.term("W", (num_inputs, num_units))]
    if ctx.has_param("b"):
        terms.append(ctx.term("b", (num_units,), regularizable=False))
        formula = "(%s+1)*%d" % (inputs, num_units)
    else:
        formula = "%s*%d" % (inputs, num_units)
    return Result((shape[0], num_units), "", tuple(terms), formula)


def embedding(ctx: Ctx) -> Result:
    """EmbeddingLayer: ``V*d`` parameters (W: vocabulary x dimension); shape + (d,)."""
    vocabulary = ctx.positive_int("input_size")
    dimension = ctx.positive_int("output_size")
    out = tuple(ctx.input_shape) + (dimension,)
    return Result(out, "", (ctx.term("W", (vocabulary, dimension)),),
                  "%d*%d" % (vocabulary, dimension))
