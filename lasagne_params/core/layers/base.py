"""What every rule shares: the layer context (Ctx), the result type, text helpers.

A rule takes a :class:`Ctx` (the layer's spec and its input shapes) and
returns a :class:`Result`: the output shape, the parameter arrays, and the
formula text for both.  Ctx's accessors read ``spec.args`` with Lasagne 0.1's
defaults and raise :class:`LayerRuleError` naming the layer and the field.
"""
from typing import List, NamedTuple, Optional, Tuple

from .. import axis
from ..errors import LasagneParamsError, LayerRuleError
from ..records import LayerSpec, ParamTerm, fast_record

__all__ = ["Ctx", "Result", "shape_text", "thousands", "axis_text", "with_size",
           "product_text", "dims_text"]

_UNSET = object()


def thousands(n):
    """``217706`` -> ``"217'706"``: the Stack Overflow answer's digit grouping."""
    return format(n, ",").replace(",", "'")


def shape_text(shape):
    """A shape without its batch axis, as nolearn prints it: ``32x24x24``."""
    return "x".join("None" if d is None else str(d) for d in shape[1:])


def product_text(dims):
    """``(32, 5, 5)`` -> ``"32*5*5"`` (``"1"`` for no dims)."""
    return "*".join(map(str, dims)) or "1"


def dims_text(dims):
    """A product that is one factor when it can be: ``(1, 64)`` -> ``"64"``."""
    dims = [d for d in dims if d != 1] or [1]
    return product_text(dims)


def axis_text(lengths):
    """The per-axis derivations of a layer, once if they are all the same."""
    texts = [length.formula for length in lengths if length.formula]
    if texts and all(t == texts[0] for t in texts):
        return texts[0]
    return ", ".join(texts)


def with_size(derivation, shape):
    """``"(28-(5-1))=24 -> 32x24x24"``; empty when there is no derivation."""
    return "%s -> %s" % (derivation, shape_text(shape)) if derivation else ""


class Result(NamedTuple):
    """What a rule derives for one layer.

    ``note`` says anything a reader of the table should know about this
    layer's figures (e.g. a Lasagne 0.1 quirk the derivation reproduces).
    """

    output_shape: Tuple[Optional[int], ...]
    shape_formula: str = ""
    terms: Tuple[ParamTerm, ...] = ()
    param_formula: str = ""
    note: str = ""


class Ctx:
    """A layer being derived: its spec, its input shapes, checked accessors.

    Parameters
    ----------
    spec : LayerSpec
    input_shapes : list of tuple
        One shape per incoming layer, in ``spec.incoming`` order.
    key_prefix : str
        Prepended to the keys of this layer's parameter arrays (used for
        the layers of a recurrent layer's sub-networks).
    subnet : callable, optional
        ``subnet(specs, key_prefix)`` derives a nested list of LayerSpecs
        and returns its Report (supplied by the engine).
    """

    def __init__(self, spec: LayerSpec, input_shapes: List[tuple], key_prefix="",
                 subnet=None):
        self.spec = spec
        self.input_shapes = [tuple(s) for s in input_shapes]
        self.key_prefix = key_prefix
        self._subnet = subnet

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
            raise self.error("expected a %s int or %d of them, got %r" % (kind, n, value),
                             name)
        return tuple(int(v) for v in items)

    def flag(self, name, default):
        """A true/false hyper-parameter."""
        value = self.get(name, default)
        if not isinstance(value, bool):
            raise self.error("expected true or false, got %r" % (value,), name)
        return value

    def axis_index(self, name, ndim, default, allow_negative=True):
        """An axis of an ``ndim``-dimensional input, as a non-negative index."""
        value = self.get(name, default)
        low = -ndim if allow_negative else 0
        if not axis.is_int(value) or not low <= value < ndim:
            raise self.error("expected an axis in [%d, %d) for a %dD input, got %r"
                             % (low, ndim, ndim, value), name)
        return int(value) % ndim

    def require_ndim(self, ndim, what, shape=None):
        shape = self.input_shape if shape is None else shape
        if len(shape) != ndim:
            raise self.error("expects a %dD input %s, got shape %r" % (ndim, what, shape),
                             "incoming")

    def require_known(self, dims, what):
        if None in dims:
            raise self.error("%s must be known to count parameters, got input shape %r"
                             % (what, self.input_shape), "incoming")

    def term(self, name, shape, trainable=True, regularizable=True, value=_UNSET):
        """A parameter array, keyed to the array it shares if the spec says so.

        ``value`` is the spec's entry for the array (default: ``args[name]``):
        ``{"shared": key}`` ties it to another layer's array and
        ``{"trainable": false}`` untags it.
        """
        value = self.spec.args.get(name) if value is _UNSET else value
        if isinstance(value, dict):
            key = str(value["shared"]) if "shared" in value else None
            if "trainable" in value:
                trainable = bool(value["trainable"])
        else:
            key = None
        if key is None:
            key = "%s%s.%s" % (self.key_prefix, self.spec.name, name)
        return fast_record(ParamTerm, {"name": name, "shape": tuple(map(int, shape)),
                                       "trainable": trainable,
                                       "regularizable": regularizable, "key": key})

    def check_lengths(self, lengths, field):
        for length in lengths:
            if length.value is not None and length.value < 1:
                raise self.error("output length %s is not positive" % length.formula, field)

    def subnetwork(self, field):
        """Derive the nested network ``args[field]`` (a list of LayerSpecs); its Report."""
        specs = self.get(field)
        if not isinstance(specs, (list, tuple)) or not specs or not all(
                isinstance(s, LayerSpec) for s in specs):
            raise self.error("expected a non-empty list of LayerSpecs (the sub-network, "
                             "output layer last), got %r" % (specs,), field)
        if self._subnet is None:
            raise self.error("sub-networks can only be derived through the engine", field)
        try:
            return self._subnet(list(specs), "%s%s.%s/" % (self.key_prefix, self.spec.name,
                                                           field))
        except LasagneParamsError as exc:
            raise self.error(str(exc), field) from None

