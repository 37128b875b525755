"""Layers with several incoming layers: ConcatLayer, ElemwiseSumLayer, ElemwiseMergeLayer."""
from numbers import Real

from ..text import with_size
from .base import Cost, CostContext, LayerContext, LayerKind, Result, signature

__all__ = ["KINDS", "concat", "elemwise_merge", "elemwise_sum"]


def _name_shapes(context):
    return ", ".join("%s: %r" % (name, shape)
                     for name, shape in zip(context.spec.incoming, context.input_shapes))


CROP_MODES = ("lower", "center", "upper")


def _cropped(context, shapes, keep=None):
    """The input shapes after master's ``cropping``: each axis given a mode is cut to the
    shortest input's length (unknown if any is unknown); axis ``keep`` never is."""
    cropping = context.get("cropping")
    if cropping is None:
        return shapes
    ndim = len(shapes[0])
    if not isinstance(cropping, (list, tuple)) or len(cropping) > ndim:
        raise context.error("expected a list of at most %d entries (None or one of %s), got %r"
                            % (ndim, ", ".join(CROP_MODES), cropping), "cropping")
    out = [list(s) for s in shapes]
    for i, mode in enumerate(cropping):
        if mode is None or i == keep:
            continue
        if mode not in CROP_MODES:
            raise context.error("expected None or one of %s, got %r" % (", ".join(CROP_MODES),
                                                                  mode), "cropping")
        lengths = [s[i] for s in shapes]
        for s in out:
            s[i] = None if None in lengths else min(lengths)
    return [tuple(s) for s in out]


def _same_rank(context, shapes):
    ndim = len(shapes[0])
    if any(len(s) != ndim for s in shapes):
        raise context.error("inputs must have the same number of axes, got %s"
                            % _name_shapes(context), "incoming")
    return ndim


def _known(shapes, i):
    """The first known length of axis ``i`` among ``shapes`` (master fills unknowns)."""
    return next((s[i] for s in shapes if s[i] is not None), None)


def concat(context: LayerContext) -> Result:
    """ConcatLayer: lengths along ``axis`` add up; every other axis must agree.

    Lasagne 0.1 takes the other axes from the first input without checking
    them (Theano's join then fails); the derivation checks them.  Master
    checks them too, and fills an axis the first input leaves unknown from
    another input.
    """
    shapes = context.input_shapes
    ndim = _same_rank(context, shapes)
    index = context.axis_index("axis", ndim, 1)
    shapes = _cropped(context, shapes, keep=index)
    for i in range(ndim):
        known = {s[i] for s in shapes if s[i] is not None}
        if i != index and len(known) > 1:
            raise context.error("inputs differ on axis %d (only axis %d may differ), got %s"
                                % (i, index, _name_shapes(context)), "incoming")
    sizes = [s[index] for s in shapes]
    out = ([_known(shapes, i) for i in range(ndim)] if context.behaviour.merge_fills_unknown
           else list(shapes[0]))
    formula = ""
    if None in sizes:
        out[index] = None
    else:
        out[index] = sum(sizes)
        if len(sizes) > 1:
            formula = "%s=%d" % ("+".join(str(s) for s in sizes), out[index])
    shape = tuple(out)
    return Result(shape, with_size(formula, shape))


def elemwise_merge(context: LayerContext) -> Result:
    """ElemwiseMergeLayer: every input has the same shape, which is the output's.

    In Lasagne 0.1 the shapes must be equal as written (``None`` and a
    number differ); master lets ``None`` stand beside a number and takes
    the number, after ``cropping``.
    """
    shapes = context.input_shapes
    if not context.behaviour.merge_fills_unknown:
        if any(s != shapes[0] for s in shapes):
            raise context.error("inputs must all have the same shape, got %s"
                                % _name_shapes(context), "incoming")
        return Result(shapes[0])
    ndim = _same_rank(context, shapes)
    shapes = _cropped(context, shapes)
    for i in range(ndim):
        if len({s[i] for s in shapes if s[i] is not None}) > 1:
            raise context.error("inputs differ on axis %d, got %s" % (i, _name_shapes(context)),
                                "incoming")
    return Result(tuple(_known(shapes, i) for i in range(ndim)))


def elemwise_sum(context: LayerContext) -> Result:
    """ElemwiseSumLayer: an elementwise merge; ``coeffs`` one number or one per input."""
    coeffs = context.get("coeffs", 1)
    if isinstance(coeffs, (list, tuple)):
        if len(coeffs) != len(context.input_shapes):
            raise context.error("got %d coefficients for %d inputs"
                                % (len(coeffs), len(context.input_shapes)), "coeffs")
    else:
        coeffs = [coeffs]
    if not all(isinstance(c, Real) and not isinstance(c, bool) for c in coeffs):
        raise context.error("expected numbers, got %r" % (context.get("coeffs"),), "coeffs")
    return elemwise_merge(context)


def concat_cost(context: CostContext) -> Cost:
    """Concatenation: no work; the receptive field passes when channels (axis 1) are joined."""
    return Cost((), context.input_receptive_field if context.get("axis", 1) == 1 else None)


def _merge_cost(context, per):
    """``per`` operations per output element; the receptive field passes if the inputs' agree."""
    return Cost((context.per_element("elementwise", (per,)),) if per else (),
                context.input_receptive_field)


def merge_cost(context: CostContext) -> Cost:
    """ElemwiseMergeLayer: one operation per element per extra input."""
    return _merge_cost(context, len(context.input_shapes) - 1)


def sum_cost(context: CostContext) -> Cost:
    """ElemwiseSumLayer: one addition per element per extra input, plus one
    multiplication per coefficient other than 1."""
    coeffs = context.get("coeffs", 1)
    coeffs = coeffs if isinstance(coeffs, (list, tuple)) else [coeffs] * len(context.input_shapes)
    return _merge_cost(context, len(context.input_shapes) - 1 + sum(1 for c in coeffs if c != 1))


KINDS = (
    LayerKind("ConcatLayer", concat, concat_cost, "merge",
              signature("incomings | axis cropping@master name"),
              hyper_params=("axis", "cropping")),
    LayerKind("ElemwiseSumLayer", elemwise_sum, sum_cost, "merge",
              signature("incomings | coeffs cropping@master name"),
              hyper_params=("coeffs", "cropping")),
    LayerKind("ElemwiseMergeLayer", elemwise_merge, merge_cost, "merge",
              signature("incomings merge_function | cropping@master name"),
              hyper_params=("merge_function", "cropping")),
)
