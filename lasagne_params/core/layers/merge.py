"""Layers with several incoming layers: ConcatLayer, ElemwiseSumLayer, ElemwiseMergeLayer."""
from numbers import Real

from .base import Ctx, Result, with_size

__all__ = ["concat", "elemwise_merge", "elemwise_sum"]


def _name_shapes(ctx):
    return ", ".join("%s: %r" % (name, shape)
                     for name, shape in zip(ctx.spec.incoming, ctx.input_shapes))


def concat(ctx: Ctx) -> Result:
    """ConcatLayer: lengths along ``axis`` add up; every other axis must agree.

    Lasagne 0.1 takes the other axes from the first input without checking
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

    As in Lasagne 0.1 the shapes must be equal as written: ``None`` and a
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
