"""Layers that rearrange their input: FlattenLayer, ReshapeLayer, DimshuffleLayer,
PadLayer, SliceLayer.  None has parameters or does arithmetic."""
from typing import List, Optional

from .. import axis
from ..records import shape_size
from ..text import product_text, with_size
from .base import LayerContext, LayerKind, Result, signature, size_expression
from .basic import free_cost

__all__ = ["KINDS", "flatten", "reshape", "dimshuffle", "pad", "slice_layer"]


def flatten(context: LayerContext) -> Result:
    """FlattenLayer: keeps the first ``outdim-1`` axes, multiplies the rest."""
    shape = context.input_shape
    outdim = context.positive_int("outdim", 2)
    if outdim > len(shape):
        raise context.error("cannot flatten a %dD input to %d dimensions" % (len(shape), outdim),
                            "outdim")
    rest = shape[outdim - 1:]
    if any(d is None for d in rest):
        size, formula = None, ""
    else:
        size = shape_size(rest)
        formula = "%s=%d" % (product_text(rest), size) if len(rest) > 1 else ""
    out = tuple(shape[:outdim - 1]) + (size,)
    return Result(out, with_size(formula, out))


def reshape(context: LayerContext) -> Result:
    """ReshapeLayer: ints, one ``-1`` (inferred), ``[i]`` (input axis i); an expression's
    axis is ``None``.

    A Theano expression (``x.shape[0]*20``; a spec writes ``{"expression":
    "x.shape[0]*20"}``) is, as in Lasagne, an axis of unknown length, and so
    is a ``-1`` beside it (the sizes are then not compared).
    """
    spec = context.get("shape")
    shape = context.input_shape
    if not isinstance(spec, (list, tuple)) or not spec:
        raise context.error("expected a list of ints, -1 and [axis], got %r" % (spec,), "shape")
    out: List[Optional[int]]
    known_out: List[Optional[int]]
    out, known_in, known_out, expressions = [], list(shape), [], []
    for item in spec:
        if size_expression(item) is not None:
            expressions.append("axis %d is %s" % (len(out), size_expression(item)))
            out.append(None)
            known_out.append(None)
        elif isinstance(item, list) and len(item) == 1 and axis.is_int(item[0]) \
                and 0 <= item[0] < len(shape):
            dim = shape[item[0]]
            if dim is None:       # an unknown axis copied across cancels out
                known_in[item[0]] = 1
                known_out.append(1)
            else:
                known_out.append(dim)
            out.append(dim)
        elif axis.is_int(item) and (item > 0 or item == -1):
            out.append(int(item))
            known_out.append(int(item))
        else:
            raise context.error("items must be positive ints, -1, [axis < %d] or "
                                "{\"expression\": text} (a Theano expression), got %r"
                                % (len(shape), item), "shape")
    if out.count(-1) > 1:
        raise context.error("can hold at most one -1, got %r" % (spec,), "shape")
    in_size = None if None in known_in else shape_size(known_in)
    out_size = None if None in known_out else shape_size(d for d in known_out if d != -1)
    if -1 in out:
        idx = out.index(-1)
        if in_size is None or out_size is None:
            out[idx] = None
            out_size = None
        else:
            out[idx] = in_size // out_size
            out_size *= out[idx]
    if in_size is not None and out_size is not None and in_size != out_size:
        raise context.error("cannot reshape %r (%d elements) to %r (%d elements)"
                            % (tuple(shape), in_size, tuple(spec), out_size), "shape")
    note = ""
    if expressions:
        note = "%s: a Theano expression, known when the network runs (None, as Lasagne " \
               "says)" % "; ".join(expressions)
    return Result(tuple(out), note=note)


def dimshuffle(context: LayerContext) -> Result:
    """DimshuffleLayer: input axes in ``pattern`` order, ``'x'`` a new axis of 1.

    As in Lasagne, an axis left out must have length 1 (or be unknown).
    """
    pattern = context.get("pattern")
    shape = context.input_shape
    if not isinstance(pattern, (list, tuple)):
        raise context.error("expected a list of input axes and 'x', got %r" % (pattern,),
                            "pattern")
    out, used = [], set()
    for item in pattern:
        if item == "x":
            out.append(1)
        elif axis.is_int(item) and 0 <= item < len(shape) and item not in used:
            used.add(int(item))
            out.append(shape[item])
        else:
            raise context.error("items must be distinct axes in [0, %d) or 'x', got %r in %r"
                                % (len(shape), item, pattern), "pattern")
    for index, dim in enumerate(shape):
        if index not in used and dim not in (1, None):
            raise context.error("drops axis %d of length %d (only axes of length 1 can be "
                                "dropped)" % (index, dim), "pattern")
    return Result(tuple(out))


def _pad_widths(context):
    """[(before, after)] for each padded axis (the axes after ``batch_ndim``)."""
    shape = context.input_shape
    batch_ndim = context.positive_int("batch_ndim", 2, allow_zero=True)
    if batch_ndim > len(shape):
        raise context.error("is %d but the input has %d axes" % (batch_ndim, len(shape)),
                            "batch_ndim")
    width = context.get("width")
    items = [width] * (len(shape) - batch_ndim) if axis.is_int(width) else width
    if not isinstance(items, (list, tuple)) or len(items) > len(shape) - batch_ndim:
        raise context.error("expected an int or at most %d ints or pairs (one per axis after "
                            "the first %d), got %r" % (len(shape) - batch_ndim, batch_ndim,
                                                    width), "width")
    pairs = []
    for item in items:
        pair = tuple(item) if isinstance(item, (list, tuple)) else (item, item)
        if len(pair) != 2 or not all(axis.is_int(v) and v >= 0 for v in pair):
            raise context.error("expected non-negative ints or pairs of them, got %r" % (width,),
                                "width")
        pairs.append((int(pair[0]), int(pair[1])))
    return batch_ndim, pairs


def pad(context: LayerContext) -> Result:
    """PadLayer: ``L+before+after`` on each axis after the first ``batch_ndim``."""
    batch_ndim, pairs = _pad_widths(context)
    out = list(context.input_shape)
    texts = []
    for offset, (before, after) in enumerate(pairs):
        index = batch_ndim + offset
        if out[index] is None:
            continue
        length = out[index] + before + after
        if before or after:
            texts.append("%d%s=%d" % (out[index], "+2*%d" % before if before == after
                                      else "+%d+%d" % (before, after), length))
        out[index] = length
    shape = tuple(out)
    return Result(shape, with_size(", ".join(texts), shape))


def _slice_of(context):
    """``indices`` as an int or a ``slice`` (also accepted: [start, stop(, step)])."""
    value = context.get("indices")
    if isinstance(value, (list, tuple)) and len(value) in (2, 3) and all(
            v is None or axis.is_int(v) for v in value):
        value = slice(*value)
    if axis.is_int(value):
        return int(value)
    if isinstance(value, slice) and value.step != 0:
        return value
    raise context.error("expected an int or a slice (step not 0), got %r" % (value,), "indices")


def slice_layer(context: LayerContext) -> Result:
    """SliceLayer: an int index drops axis ``axis``; a slice keeps its length."""
    shape = context.input_shape
    index = context.axis_index("axis", len(shape), -1)
    which = _slice_of(context)
    length = shape[index]
    out = list(shape)
    formula = ""
    if isinstance(which, int):
        if length is not None and not -length <= which < length:
            raise context.error("index %d is outside an axis of length %d" % (which, length),
                                "indices")
        del out[index]
    elif length is not None:
        bounds = which.indices(length)
        out[index] = len(range(*bounds))
        formula = "len(range(%d,%d,%d))=%d" % (bounds + (out[index],))
        if out[index] < 1:
            raise context.error("selects nothing: %s" % formula, "indices")
    shape = tuple(out)
    return Result(shape, with_size(formula, shape))


KINDS = (
    LayerKind("FlattenLayer", flatten, free_cost, "shape", signature("incoming | outdim name"),
              hyper_params=("outdim",)),
    LayerKind("ReshapeLayer", reshape, free_cost, "shape", signature("incoming shape | name"),
              hyper_params=("shape",)),
    LayerKind("DimshuffleLayer", dimshuffle, free_cost, "shape",
              signature("incoming pattern | name"), hyper_params=("pattern",)),
    LayerKind("PadLayer", pad, free_cost, "shape",
              signature("incoming width | val batch_ndim name"),
              hyper_params=("width", "val", "batch_ndim")),
    LayerKind("SliceLayer", slice_layer, free_cost, "shape",
              signature("incoming indices | axis name"),
              hyper_params=(("slice", "indices"), "axis")),
)
