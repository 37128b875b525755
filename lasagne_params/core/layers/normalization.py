"""Normalization layers of Lasagne master: BatchNormLayer, StandardizationLayer, and
the per-axis arrays they share with BiasLayer, ScaleLayer and ParametricRectifierLayer.

A layer normalising (or sharing) over ``axes`` holds arrays with one entry
per position of every *other* axis: ``[input_shape[a] for a not in axes]``.
BatchNormLayer holds four: ``beta`` (shift) and ``gamma`` (scale) are
learned; ``mean`` and ``inv_std`` are running statistics, updated during
training but not by the gradient, so they are not trainable (Lasagne tags
them ``batch_norm_stat`` only) while ``count_params`` counts them.
"""
from .. import axis, versions
from ..text import plural, product_text, thousands
from .base import Cost, CostContext, LayerContext, LayerKind, Result, signature
from .basic import identity

__all__ = ["KINDS", "axes_of", "per_axis_shape", "batch_norm", "batch_norm_dnn",
           "standardization", "normalization_cost", "explain_batch_norm", "BATCH_NORM_ARRAYS",
           "BATCH_NORM_KEYWORDS"]

#: BatchNormLayer's arrays in Lasagne's order: (name, trainable, regularizable).
BATCH_NORM_ARRAYS = (("beta", True, False), ("gamma", True, True),
                     ("mean", False, False), ("inv_std", False, False))


def axes_of(context, name, auto, words=None):
    """An axes keyword as a sorted tuple of non-negative axes.

    ``'auto'`` gives ``auto``; ``words`` maps other strings to axes; an int
    is one axis.  Lasagne compares the axes with the positions ``0..n-1``,
    so it silently ignores a negative or too large one and then creates
    arrays its forward pass cannot use: the derivation refuses them.
    """
    ndim = len(context.input_shape)
    value = context.get(name, "auto")
    if value == "auto":
        return tuple(auto)
    if isinstance(value, str) and words and value in words:
        return tuple(words[value])
    items = (value,) if axis.is_int(value) else value
    if not isinstance(items, (list, tuple)) or not all(axis.is_int(a) for a in items):
        options = ["'auto'"] + ["'%s'" % w for w in (words or ())]
        raise context.error("expected %s, an axis or a list of axes, got %r"
                            % (", ".join(options), value), name)
    bad = [a for a in items if not 0 <= a < ndim]
    if bad:
        raise context.error("axis %d is not one of the %d axes 0..%d (Lasagne ignores it and "
                            "creates arrays its forward pass cannot use)"
                            % (bad[0], ndim, ndim - 1), name)
    return tuple(sorted(set(int(a) for a in items)))


def per_axis_shape(context, axes, name):
    """The shape of an array with one entry per position of the axes not in ``axes``."""
    shape = context.input_shape
    kept = tuple(shape[a] for a in range(len(shape)) if a not in axes)
    if None in kept:
        raise context.error("the axes not normalized or shared over must have known lengths, "
                            "got input shape %r with %s %r" % (shape, name, axes), name)
    return kept


def _spatial(ndim):
    return tuple(range(2, ndim))


def batch_norm(context: LayerContext) -> Result:
    """BatchNormLayer: ``4*c`` for c positions kept (beta, gamma, mean, inv_std), 2*c trainable.

    ``axes='auto'``: every axis but the second (the channels), so one entry
    per channel.  ``beta=None`` or ``gamma=None`` drops that array.
    """
    ndim = len(context.input_shape)
    axes = axes_of(context, "axes", (0,) + _spatial(ndim))
    shape = per_axis_shape(context, axes, "axes")
    arrays = [context.param_array(name, shape, trainable, regularizable)
              for name, trainable, regularizable in BATCH_NORM_ARRAYS
              if name in ("mean", "inv_std") or context.has_param(name)]
    count = len(arrays)
    formula = "%d*%s" % (count, product_text(shape)) if shape else "%d" % count
    return Result(tuple(context.input_shape), "", tuple(arrays), formula)


def batch_norm_dnn(context: LayerContext) -> Result:
    """BatchNormDNNLayer (cuDNN): BatchNormLayer, normalizing over the first axis or over
    all but the second only."""
    ndim = len(context.input_shape)
    axes = axes_of(context, "axes", (0,) + _spatial(ndim))
    if axes not in ((0,), (0,) + _spatial(ndim)):
        raise context.error("cuDNN normalizes over the first axis, or over all but the second "
                            "(%r), got %r" % ((0,) + _spatial(ndim), axes), "axes")
    return batch_norm(context)


def standardization(context: LayerContext) -> Result:
    """StandardizationLayer: zero mean, unit variance over ``axes``; no arrays, same shape.

    ``'auto'``: the spatial axes (axis 1 for a 2D input); ``'spatial'``: axes 2..;
    ``'features'``: every axis but the first.
    """
    ndim = len(context.input_shape)
    axes_of(context, "axes", (1,) if ndim == 2 else _spatial(ndim),
            {"spatial": _spatial(ndim), "features": tuple(range(1, ndim))})
    return identity(context)


def normalization_cost(context: CostContext) -> Cost:
    """Normalizing: a subtraction and a multiplication per element (batch norm: and a shift
    and a scale); the receptive field passes through."""
    steps = 4 if context.row.param_arrays else 2
    return Cost((context.per_element("elementwise", (steps,)),), context.input_receptive_field)


def _sources_text(inputs):
    return " and ".join("the output of %s" % name for name, _ in inputs) or "its input"


def explain_batch_norm(row, inputs, last):
    """BatchNormLayer: the four arrays, which are learned, which are statistics."""
    arrays = {a.name: a for a in row.param_arrays}
    stats = [arrays[n] for n in ("mean", "inv_std") if n in arrays]
    learned = [arrays[n] for n in ("beta", "gamma") if n in arrays]
    size = stats[0].size if stats else 0
    per = "x".join(str(d) for d in stats[0].shape) if stats else "1"
    text = ["Layer %d, %s (%s), normalizes %s, holding %s value(s) per array for the %s "
            "positions it does not normalize over: %s = %s values."
            % (row.index, row.name, row.kind, _sources_text(inputs), thousands(size), per,
               row.param_formula, thousands(row.params))]
    if learned:
        text.append("Its %s %s learned (%s): %s."
                    % (" and ".join(a.name for a in learned),
                       "are" if len(learned) == 2 else "is",
                       "shift and scale" if len(learned) == 2 else "a shift" if
                       learned[0].name == "beta" else "a scale",
                       plural(sum(a.size for a in learned), "trainable parameter")))
    text.append("Its mean and inv_std are running statistics, updated in training but not "
                "by the gradient: Lasagne counts them (%s) but does not train them."
                % thousands(sum(a.size for a in stats)))
    return text


#: BatchNormLayer's keywords (BatchNormDNNLayer's too, declared with the GPU classes).
BATCH_NORM_KEYWORDS = signature("incoming | axes epsilon alpha beta gamma mean inv_std name")

KINDS = (
    LayerKind("BatchNormLayer", batch_norm, normalization_cost, "normalization",
              BATCH_NORM_KEYWORDS,
              hyper_params=("axes", "epsilon", "alpha"),
              arrays=("beta", "gamma", "mean", "inv_std"), since=versions.MASTER,
              explain=explain_batch_norm),
    LayerKind("StandardizationLayer", standardization, normalization_cost, "normalization",
              signature("incoming | axes epsilon name"), hyper_params=("axes", "epsilon"),
              since=versions.MASTER),
)
