"""Layers with several incoming layers: ConcatLayer, ElemwiseSumLayer, ElemwiseMergeLayer."""
from numbers import Real

from ..text import with_size
from .base import Cost, CostCtx, Ctx, LayerKind, Result, signature

__all__ = ["KINDS", "concat", "elemwise_merge", "elemwise_sum"]


def _name_shapes(ctx):
    return ", ".join("%s: %r" % (name, shape)
                     for name, shape in zip(ctx.spec.incoming, ctx.input_shapes))


def concat(ctx: Ctx) -> Result:
    """ConcatLayer: lengths along ``axis`` add up; every other axis must agree.

    Lasagne takes the other axes from the first input without checking
    them (Theano's join then fails); the derivation checks them.
    """
    shapes = ctx.input_shapes
    ndim = len(shapes[0])
    if any(len(s) != ndim for s in shapes):
        raise ctx.error("inputs must have the same number of axes, got %s"
                        % _name_shapes(ctx), "incoming")
    index = ctx.axis_index("axis", ndim, 1)
    for i in range(ndim):
        known = {s[i] for s in shapes if s[i] is not None}
        if i != index and len(known) > 1:
            raise ctx.error("inputs differ on axis %d (only axis %d may differ), got %s"
                            % (i, index, _name_shapes(ctx)), "incoming")
    sizes = [s[index] for s in shapes]
    out = list(shapes[0])
    formula = ""
    if None in sizes:
        out[index] = None
    else:
        out[index] = sum(sizes)
        if len(sizes) > 1:
            formula = "%s=%d" % ("+".join(str(s) for s in sizes), out[index])
    out = tuple(out)
    return Result(out, with_size(formula, out))


def elemwise_merge(ctx: Ctx) -> Result:
    """ElemwiseMergeLayer: every input has the same shape, which is the output's.

    As in Lasagne the shapes must be equal as written: ``None`` and a
    number differ.
    """
    shapes = ctx.input_shapes
    if any(s != shapes[0] for s in shapes):
        raise ctx.error("inputs must all have the same shape, got %s" % _name_shapes(ctx),
                        "incoming")
    return Result(shapes[0])


def elemwise_sum(ctx: Ctx) -> Result:
    """ElemwiseSumLayer: an elementwise merge; ``coeffs`` one number or one per input."""
    coeffs = ctx.get("coeffs", 1)
    if isinstance(coeffs, (list, tuple)):
        if len(coeffs) != len(ctx.input_shapes):
            raise ctx.error("got %d coefficients for %d inputs"
                            % (len(coeffs), len(ctx.input_shapes)), "coeffs")
    else:
        coeffs = [coeffs]
    if not all(isinstance(c, Real) and not isinstance(c, bool) for c in coeffs):
        raise ctx.error("expected numbers, got %r" % (ctx.get("coeffs"),), "coeffs")
    return elemwise_merge(ctx)


def concat_cost(ctx: CostCtx) -> Cost:
    """Concatenation: no work; the receptive field passes when channels (axis 1) are joined."""
    return Cost((), ctx.input_receptive_field if ctx.get("axis", 1) == 1 else None)


def _merge_cost(ctx, per):
    """``per`` operations per output element; the receptive field passes if the inputs' agree."""
    return Cost((ctx.per_element("elementwise", (per,)),) if per else (),
                ctx.input_receptive_field)


def merge_cost(ctx: CostCtx) -> Cost:
    """ElemwiseMergeLayer: one operation per element per extra input."""
    return _merge_cost(ctx, len(ctx.input_shapes) - 1)


def sum_cost(ctx: CostCtx) -> Cost:
    """ElemwiseSumLayer: one addition per element per extra input, plus one
    multiplication per coefficient other than 1."""
    coeffs = ctx.get("coeffs", 1)
    coeffs = coeffs if isinstance(coeffs, (list, tuple)) else [coeffs] * len(ctx.input_shapes)
    return _merge_cost(ctx, len(ctx.input_shapes) - 1 + sum(1 for c in coeffs if c != 1))


KINDS = (
    LayerKind("ConcatLayer", concat, concat_cost, "merge", signature("incomings | axis name"),
              hyper_params=("axis",)),
    LayerKind("ElemwiseSumLayer", elemwise_sum, sum_cost, "merge",
              signature("incomings | coeffs name"), hyper_params=("coeffs",)),
    LayerKind("ElemwiseMergeLayer", elemwise_merge, merge_cost, "merge",
              signature("incomings merge_function | name"), hyper_params=("merge_function",)),
)
