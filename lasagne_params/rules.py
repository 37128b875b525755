"""One function per layer kind: hyper-parameters and input shape in, figures out.

Each rule takes a :class:`Ctx` (the layer's spec and its input shapes) and
returns a :class:`Result`: the output shape, the parameter arrays, and the
formula text for both.  Rules are pure Python (no Theano, no Lasagne, no
numpy) and follow Lasagne 0.1's semantics and defaults; which rule serves
which Lasagne class is decided in ``registry.py``.

Invalid hyper-parameters raise :class:`LayerRuleError` naming the layer, the
field and, for impossible shapes, the formula that went out of range.
"""
from typing import List, NamedTuple, Optional, Tuple

from . import axis
from .errors import LayerRuleError
from .records import LayerSpec, ParamTerm, shape_size

__all__ = ["Ctx", "Result", "shape_text", "identity", "input_layer", "conv2d",
           "pool2d", "max_pool2d", "dense", "flatten", "reshape", "thousands"]


def thousands(n):
    """``217706`` -> ``"217'706"``: the Stack Overflow answer's digit grouping."""
    return format(n, ",").replace(",", "'")


def shape_text(shape):
    """A shape without its batch axis, as nolearn prints it: ``32x24x24``."""
    return "x".join("None" if d is None else str(d) for d in shape[1:])


class Result(NamedTuple):
    """What a rule derives for one layer."""

    output_shape: Tuple[Optional[int], ...]
    shape_formula: str = ""
    terms: Tuple[ParamTerm, ...] = ()
    param_formula: str = ""


class Ctx:
    """A layer being derived: its spec, its input shapes, checked accessors.

    Accessors read ``spec.args`` with Lasagne 0.1's defaults and raise a
    :class:`LayerRuleError` naming this layer and the field on bad values.
    """

    def __init__(self, spec: LayerSpec, input_shapes: List[tuple]):
        self.spec = spec
        self.input_shapes = input_shapes

    @property
    def input_shape(self):
        return self.input_shapes[0]

    def error(self, message, field=None):
        return LayerRuleError(message, layer=self.spec.name, kind=self.spec.kind, field=field)

    def get(self, name, default=None):
        return self.spec.args.get(name, default)

    def has_param(self, name):
        """False when the spec says ``name=None`` (Lasagne's "no such array")."""
        return self.spec.args.get(name, True) is not None

    def positive_int(self, name, default=None, allow_zero=False):
        value = self.get(name, default)
        low = 0 if allow_zero else 1
        if not axis.is_int(value) or value < low:
            raise self.error("expected a %s int, got %r"
                             % ("non-negative" if allow_zero else "positive", value), name)
        return int(value)

    def int_tuple(self, name, n, default=None, allow_zero=False):
        """An int or an n-sequence of ints, as an n-tuple (Lasagne's as_tuple)."""
        value = self.get(name, default)
        items = tuple(value) if isinstance(value, (list, tuple)) else (value,) * n
        low = 0 if allow_zero else 1
        kind = "non-negative" if allow_zero else "positive"
        if len(items) != n or not all(axis.is_int(v) and v >= low for v in items):
            raise self.error("expected a %s int or %d of them, got %r" % (kind, n, value), name)
        return tuple(int(v) for v in items)

    def require_ndim(self, ndim, what):
        shape = self.input_shape
        if len(shape) != ndim:
            raise self.error("expects a %dD input %s, got shape %r" % (ndim, what, shape),
                             "incoming")

    def require_known(self, dims, what):
        if any(d is None for d in dims):
            raise self.error("%s must be known to count parameters, got input shape %r"
                             % (what, self.input_shape), "incoming")

    def term(self, name, shape, trainable=True, regularizable=True):
        """A parameter array, keyed to the array it shares if the spec says so."""
        value = self.get(name)
        key = "%s.%s" % (self.spec.name, name)
        if isinstance(value, dict) and "shared" in value:
            key = str(value["shared"])
        if isinstance(value, dict) and "trainable" in value:
            trainable = bool(value["trainable"])
        return ParamTerm(name, tuple(int(d) for d in shape), trainable, regularizable, key)

    def check_lengths(self, lengths, field):
        for length in lengths:
            if length.value is not None and length.value < 1:
                raise self.error("output length %s is not positive" % length.formula, field)


def _axis_text(lengths):
    texts = [length.formula for length in lengths if length.formula]
    if texts and all(t == texts[0] for t in texts):
        return texts[0]
    return ", ".join(texts)


def _with_size(derivation, shape):
    return "%s -> %s" % (derivation, shape_text(shape)) if derivation else ""


def identity(ctx: Ctx) -> Result:
    """Shape-preserving, parameter-free layers (dropout, noise, nonlinearity)."""
    return Result(tuple(ctx.input_shape))


def dropout(ctx: Ctx) -> Result:
    """DropoutLayer: identity; ``p`` must be a probability."""
    p = ctx.get("p", 0.5)
    if isinstance(p, bool) or not isinstance(p, (int, float)) or not 0 <= p < 1:
        raise ctx.error("expected a probability in [0, 1), got %r" % (p,), "p")
    return identity(ctx)


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


def conv2d(ctx: Ctx) -> Result:
    """Conv2DLayer: ``(n*m*l+1)*k`` parameters (W: k x l x n x m, b: k).

    Output length per axis from :func:`axis.conv_length`; ``untie_biases``
    gives one bias per output position (b: k x rows x cols); ``b=None`` none.
    """
    ctx.require_ndim(4, "(batch, channels, rows, columns)")
    num_filters = ctx.positive_int("num_filters")
    fsize = ctx.int_tuple("filter_size", 2)
    stride = ctx.int_tuple("stride", 2, 1)
    pad = ctx.get("pad", 0)
    if pad not in ("valid", "full", "same"):
        pad = ctx.int_tuple("pad", 2, 0, allow_zero=True)
    pads = (pad, pad) if isinstance(pad, str) else pad
    batch, channels = ctx.input_shape[:2]
    ctx.require_known([channels], "the number of input channels")
    lengths = [axis.conv_length(ctx.input_shape[2 + i], fsize[i], stride[i], pads[i])
               for i in range(2)]
    ctx.check_lengths(lengths, "filter_size")
    out = (batch, num_filters) + tuple(length.value for length in lengths)

    weights = "%d*%d*%d" % (fsize[0], fsize[1], channels)
    terms = [ctx.term("W", (num_filters, channels) + fsize)]
    if not ctx.has_param("b"):
        formula = "%s*%d" % (weights, num_filters)
    elif ctx.get("untie_biases", False):
        ctx.require_known(out[2:], "the output size (for untied biases)")
        terms.append(ctx.term("b", (num_filters,) + out[2:], regularizable=False))
        formula = "%s*%d + %d*%d*%d" % (weights, num_filters, num_filters, out[2], out[3])
    else:
        terms.append(ctx.term("b", (num_filters,), regularizable=False))
        formula = "(%s+1)*%d" % (weights, num_filters)
    return Result(out, _with_size(_axis_text(lengths), out), tuple(terms), formula)


def pool2d(ctx: Ctx, mode=None) -> Result:
    """Pool2DLayer / MaxPool2DLayer: no parameters; lengths from :func:`axis.pool_length`."""
    ctx.require_ndim(4, "(batch, channels, rows, columns)")
    size = ctx.int_tuple("pool_size", 2)
    stride = size if ctx.get("stride") is None else ctx.int_tuple("stride", 2)
    pad = ctx.int_tuple("pad", 2, 0, allow_zero=True)
    ignore_border = ctx.get("ignore_border", True)
    if not isinstance(ignore_border, bool):
        raise ctx.error("expected true or false, got %r" % (ignore_border,), "ignore_border")
    mode = ctx.get("mode", "max") if mode is None else mode
    if mode not in axis.POOL_MODES:
        raise ctx.error("expected one of %s, got %r" % (", ".join(axis.POOL_MODES), mode),
                        "mode")
    if not ignore_border and pad != (0, 0):
        raise ctx.error("must be 0 when ignore_border is false, got %r" % (pad,), "pad")
    lengths = [axis.pool_length(ctx.input_shape[2 + i], size[i], stride[i], pad[i],
                                ignore_border) for i in range(2)]
    ctx.check_lengths(lengths, "pool_size")
    out = tuple(ctx.input_shape[:2]) + tuple(length.value for length in lengths)
    return Result(out, _with_size(_axis_text(lengths), out))


def max_pool2d(ctx: Ctx) -> Result:
    """MaxPool2DLayer: Pool2DLayer with ``mode='max'``."""
    return pool2d(ctx, mode="max")


def dense(ctx: Ctx) -> Result:
    """DenseLayer: ``(n+1)*m`` parameters for n inputs (trailing axes flattened), m units."""
    num_units = ctx.positive_int("num_units")
    shape = ctx.input_shape
    if len(shape) < 2:
        raise ctx.error("expects at least a 2D input (batch, features), got %r" % (shape,),
                        "incoming")
    ctx.require_known(shape[1:], "the input size")
    num_inputs = shape_size(shape[1:])
    inputs = "*".join(str(d) for d in shape[1:])
    terms = [ctx.term("W", (num_inputs, num_units))]
    if ctx.has_param("b"):
        terms.append(ctx.term("b", (num_units,), regularizable=False))
        formula = "(%s+1)*%d" % (inputs, num_units)
    else:
        formula = "%s*%d" % (inputs, num_units)
    return Result((shape[0], num_units), "", tuple(terms), formula)


def flatten(ctx: Ctx) -> Result:
    """FlattenLayer: keeps the first ``outdim-1`` axes, multiplies the rest."""
    shape = ctx.input_shape
    outdim = ctx.positive_int("outdim", 2)
    if outdim > len(shape):
        raise ctx.error("cannot flatten a %dD input to %d dimensions" % (len(shape), outdim),
                        "outdim")
    rest = shape[outdim - 1:]
    if any(d is None for d in rest):
        size, formula = None, ""
    else:
        size = shape_size(rest)
        formula = "%s=%d" % ("*".join(str(d) for d in rest), size) if len(rest) > 1 else ""
    out = tuple(shape[:outdim - 1]) + (size,)
    return Result(out, _with_size(formula, out))


def reshape(ctx: Ctx) -> Result:
    """ReshapeLayer: ints, one ``-1`` (inferred) and ``[i]`` (input axis i)."""
    spec = ctx.get("shape")
    shape = ctx.input_shape
    if not isinstance(spec, (list, tuple)) or not spec:
        raise ctx.error("expected a list of ints, -1 and [axis], got %r" % (spec,), "shape")
    out, known_in, known_out = [], list(shape), []
    for item in spec:
        if isinstance(item, list) and len(item) == 1 and axis.is_int(item[0]) \
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
            raise ctx.error("items must be positive ints, -1 or [axis < %d], got %r"
                            % (len(shape), item), "shape")
    if out.count(-1) > 1:
        raise ctx.error("can hold at most one -1, got %r" % (spec,), "shape")
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
        raise ctx.error("cannot reshape %r (%d elements) to %r (%d elements)"
                        % (tuple(shape), in_size, tuple(spec), out_size), "shape")
    return Result(tuple(out))
