"""The layer kind, and what its rules are given and give back.

A :class:`LayerKind` is everything the package knows about one Lasagne
layer class, in one declaration: the rule deriving its output shape and
parameter arrays, the rule costing it, the constructor's keywords, the
attributes a built layer keeps its hyper-parameters and parameter arrays in,
its nested sub-networks, its family and its explanation.  Every family
module (``conv.py``, ``pool.py``, ...) declares its kinds in a ``KINDS``
tuple; ``core/registry.py`` gathers them, and takes a user's own kinds.

A shape rule takes a :class:`LayerContext` (the layer's spec and input shapes, with
checked accessors that read ``spec.args`` with Lasagne's defaults) and
returns a :class:`Result`.  A cost rule takes a :class:`CostContext` (the same,
plus the derived row and the inputs' receptive fields) and returns a
:class:`Cost`.  Invalid hyper-parameters raise :class:`LayerRuleError`
naming the layer and the field.
"""
from dataclasses import dataclass
from typing import (Any, Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple,
                    Union, cast)

from .. import axis, receptive, versions
from ..cost_records import CostReport, OpTerm
from ..errors import LasagneParamsError, LayerRuleError
from ..expressions import ExpressionError, is_opaque, parse_expression
from ..receptive import AxisReceptiveField
from ..records import LayerRow, LayerSpec, ParamArray, Report, Shape, shape_size

__all__ = ["LayerKind", "Signature", "signature", "Result", "Cost", "LayerContext", "CostContext",
           "FAMILIES", "LINEAR", "INITIALIZERS", "size_expression"]

#: The families a kind belongs to: what it does, and its default explanation.
FAMILIES = ("input", "dense", "conv", "pool", "shape", "merge", "noise", "normalization",
            "recurrent", "embedding", "special")

# Values of a ``nonlinearity`` argument that do no work.
LINEAR = (None, "linear", "identity")

#: The initializers of ``lasagne.init`` a spec may name for a parameter array (built
#: with their defaults), and the numbers of dimensions each accepts (Lasagne 0.1 and
#: master raise RuntimeError for others): (fewest, most or None).
INITIALIZERS = {"Normal": (0, None), "Uniform": (0, None), "Constant": (0, None),
                "GlorotNormal": (2, None), "GlorotUniform": (2, None),
                "HeNormal": (2, None), "HeUniform": (2, None),
                "Orthogonal": (2, None), "Sparse": (2, 2)}
# Keys of a mapping given for a parameter array, and what each must hold.
_ARRAY_OPTIONS = {"shared": str, "expression": str, "trainable": bool, "regularizable": bool}

_UNSET = object()


@dataclass(frozen=True, slots=True)
class Signature:
    """A layer class's constructor keywords: ``required`` (no default) and ``optional``.

    ``added`` holds ``(keyword, version)`` for the keywords a later Lasagne
    version introduced (``flip_filters`` in master); the others exist in
    every version the class exists in.
    """

    required: Tuple[str, ...]
    optional: Tuple[str, ...]
    added: Tuple[Tuple[str, str], ...] = ()

    @property
    def names(self) -> Tuple[str, ...]:
        return self.required + self.optional

    def since(self, keyword: str) -> Optional[str]:
        """The version that introduced ``keyword`` (None: as old as the class)."""
        return dict(self.added).get(keyword)

    def for_version(self, version: str) -> "Signature":
        """The keywords ``version`` accepts."""
        later = {k for k, since in self.added if not versions.at_least(version, since)}
        return Signature(tuple(n for n in self.required if n not in later),
                         tuple(n for n in self.optional if n not in later))

    @property
    def inputs(self) -> Optional[str]:
        """The keyword that takes the incoming layer(s): incoming, incomings, or None."""
        for name in ("incoming", "incomings"):
            if name in self.required:
                return name
        return None

    @property
    def hyper_parameters(self) -> Tuple[str, ...]:
        """Every keyword except the structural ones (incoming(s), name)."""
        return tuple(n for n in self.names if n not in ("incoming", "incomings", "name"))


def signature(line: str) -> Signature:
    """A :class:`Signature` from ``"required names | optional names"``.

    A keyword a later version introduced is written ``keyword@version``
    (``flip_filters@master``).

    >>> signature("incoming num_units | W b nonlinearity name").required
    ('incoming', 'num_units')
    >>> signature("incoming | p shared_axes@master").added
    (('shared_axes', '0.2.dev1'),)
    """
    required, _, optional = line.partition("|")
    added: List[Tuple[str, str]] = []

    def names(text: str) -> Tuple[str, ...]:
        out = []
        for word in text.split():
            name, _, since = word.partition("@")
            if since:
                added.append((name, versions.canonical(since)))
            out.append(name)
        return tuple(out)

    return Signature(names(required), names(optional), tuple(added))


def size_expression(value):
    """The text of a size given as a Theano expression, ``{"expression": "x.shape[0]*20"}``
    (what reading a built network makes of one, and how a spec file writes it), else None.

    Lasagne cannot know such a size before the network runs: where a layer
    accepts one (ReshapeLayer's ``shape``, master's TransposedConv2DLayer's
    ``output_size``) its axis is ``None``.
    """
    if isinstance(value, dict) and set(value) == {"expression"} and isinstance(
            value["expression"], str):
        return value["expression"]
    return None


@dataclass(frozen=True, slots=True)
class Result:
    """What a shape rule derives for one layer.

    ``note`` says anything a reader of the table should know about this
    layer's figures (e.g. a Lasagne quirk the derivation reproduces).
    ``lasagne_shape`` is the static shape Lasagne reports where that is
    known to be wrong (a Lasagne bug the derivation does not reproduce:
    ``output_shape`` is the shape Theano computes); the note says why.
    """

    output_shape: Shape
    shape_formula: str = ""
    param_arrays: Tuple[ParamArray, ...] = ()
    param_formula: str = ""
    note: str = ""
    lasagne_shape: Optional[Shape] = None


@dataclass(frozen=True, slots=True)
class Cost:
    """What a cost rule derives for one layer: work per example, and receptive field.

    ``receptive_field`` is one :class:`AxisReceptiveField` per spatial axis, or
    ``None`` ("n/a") once positions are mixed.
    """

    ops: Tuple[OpTerm, ...] = ()
    receptive_field: Optional[Tuple[AxisReceptiveField, ...]] = None


#: ``"attr"`` (kept in the spec under the same name) or ``("attr.path", "keyword")``.
HyperParam = Union[str, Tuple[str, str]]
#: What a kind's functions are: ``rule(LayerContext) -> Result`` (:data:`Rule`),
#: ``cost(CostContext) -> Cost`` (:data:`CostRule`, at the end of the module),
#: ``explain(row, inputs as (name, shape) pairs, last) -> [sentences]``,
#: ``reader(layer) -> {keyword: value}``.
Explainer = Callable[[LayerRow, Sequence[Tuple[str, Shape]], bool], List[str]]
Reader = Callable[[Any], Dict[str, Any]]


@dataclass(frozen=True, slots=True)
class LayerKind:
    """Everything lasagne_params knows about one Lasagne layer class.

    Parameters
    ----------
    name : str
        The Lasagne class name (``"Conv2DLayer"``).
    rule : callable
        ``rule(LayerContext) -> Result``: output shape, parameter arrays, formulas.
    cost : callable
        ``cost(CostContext) -> Cost``: work per example and receptive field.
    family : str
        One of :data:`FAMILIES`; chooses the default explanation.
    keywords : Signature
        The constructor's keywords (spec files and nolearn keywords are
        checked against them); ``None`` when the class takes ``**kwargs``
        and nothing can be checked.
    hyper_params : tuple
        Where a built layer keeps each hyper-parameter the rule reads:
        ``"attr"`` or ``("attr.path", "keyword")``.  Reading a built Lasagne
        network takes exactly these (an attribute the class lacks is left to
        the rule's default).
    arrays : tuple of str
        The attributes holding the layer's parameter arrays (``None`` or an
        expression where the layer has no such array).
    subnetworks : tuple of str
        Keywords whose value is a nested network (``input_to_hidden``).
    gates : tuple of str
        Keywords taking a ``Gate`` (``ingate``, ...), for LSTM and GRU.
    gpu_only : bool
        Lasagne defines the class only on a CUDA GPU.
    explain : callable, optional
        ``explain(row, inputs, last) -> [sentences]``; default: the family's.
    module : str
        Where Lasagne defines the class (building a spec imports it from there).
    factory : callable, optional
        The class to build it with (a user's own layer class); default: the
        attribute ``name`` of ``module``.
    since : str
        The Lasagne version that introduced the class (``versions.RELEASE``
        or ``versions.MASTER``); older targets refuse it.
    version_defaults : tuple
        ``(keyword, version, default)`` for each default that changed between
        versions (GRULayer's ``learn_init``): the rule reads the target's.
    aliases : tuple of str
        Other names Lasagne binds to the same class (``Deconv2DLayer``).
    reader : callable, optional
        ``reader(layer) -> {keyword: value}``: hyper-parameters a built layer
        keeps where ``hyper_params`` cannot say (plain attribute reads only).
    declared_in : str, optional
        The file that declared a user's kind (``register_kind``'s caller);
        ``None`` for the built-in kinds.  A user kind's functions are called
        through :mod:`lasagne_params.core.guard`.
    """

    name: str
    rule: "Rule"
    cost: "CostRule"
    family: str
    keywords: Optional[Signature]
    hyper_params: Tuple[HyperParam, ...] = ()
    arrays: Tuple[str, ...] = ()
    subnetworks: Tuple[str, ...] = ()
    gates: Tuple[str, ...] = ()
    gpu_only: bool = False
    explain: Optional[Explainer] = None
    module: str = "lasagne.layers"
    factory: Optional[Callable[..., Any]] = None
    since: str = versions.RELEASE
    version_defaults: Tuple[Tuple[str, str, object], ...] = ()
    aliases: Tuple[str, ...] = ()
    reader: Optional[Reader] = None
    declared_in: Optional[str] = None

    def defaults_for(self, version: str) -> Dict[str, object]:
        """{keyword: default} of the defaults that depend on the version."""
        return {name: value for name, since, value in self.version_defaults
                if since == version}


class LayerContext:
    """A layer being derived: its spec, its input shapes, checked accessors.

    Parameters
    ----------
    spec : LayerSpec
    input_shapes : list of tuple
        One shape per incoming layer, in ``spec.incoming`` order.
    key_prefix : str
        Prepended to the keys of this layer's parameter arrays (the layers
        of a recurrent layer's sub-networks).
    subnet : callable, optional
        ``subnet(specs, key_prefix)`` derives a nested list of LayerSpecs
        and returns its Report (supplied by the derivation walk).
    version : str, optional
        The target Lasagne version (:mod:`..versions`); default: master.
    defaults : dict, optional
        The kind's version-dependent defaults for that version, which
        :meth:`get` uses for keywords the spec leaves out.
    """

    def __init__(self, spec: LayerSpec, input_shapes: Iterable[Iterable[Optional[int]]],
                 key_prefix: str = "",
                 subnet: Optional[Callable[[List[LayerSpec], str], Report]] = None,
                 version: Optional[str] = None,
                 defaults: Optional[Mapping[str, object]] = None) -> None:
        self.spec = spec
        self.input_shapes: List[Shape] = [tuple(s) for s in input_shapes]
        self.key_prefix = key_prefix
        self._subnet = subnet
        self.version = version or versions.DEFAULT
        self.behaviour = versions.BEHAVIOURS[self.version]
        self._defaults = defaults or {}

    @property
    def input_shape(self) -> Shape:
        return self.input_shapes[0]

    def error(self, message: str, field: Optional[str] = None) -> LayerRuleError:
        return LayerRuleError(message, layer=self.spec.name, kind=self.spec.kind, field=field)

    def get(self, name: str, default: Any = None) -> Any:
        """``args[name]``; else the target version's default where the kind
        declares one, else ``default``."""
        args = self.spec.args
        if name in args:
            return args[name]
        return self._defaults.get(name, default)

    def is_default(self, name: str) -> bool:
        """True when the spec leaves ``name`` to Lasagne's default."""
        return name not in self.spec.args

    def has_param(self, name: str) -> bool:
        """False when the spec says ``name=None`` (Lasagne's "no such array")."""
        return self.spec.args.get(name, True) is not None

    def positive_int(self, name: str, default: Any = None, allow_zero: bool = False) -> int:
        value = self.get(name, default)
        low = 0 if allow_zero else 1
        if not axis.is_int(value) or value < low:
            raise self.error("expected a %s int, got %r"
                             % ("non-negative" if allow_zero else "positive", value), name)
        return int(value)

    def int_tuple(self, name: str, n: int, default: Any = None,
                  allow_zero: bool = False) -> Tuple[int, ...]:
        """An int or an n-sequence of ints, as an n-tuple (Lasagne's as_tuple)."""
        value = self.get(name, default)
        items = tuple(value) if isinstance(value, (list, tuple)) else (value,) * n
        low = 0 if allow_zero else 1
        sign = "non-negative" if allow_zero else "positive"
        if len(items) != n or not all(axis.is_int(v) and v >= low for v in items):
            raise self.error("expected a %s int or %d of them, got %r" % (sign, n, value),
                             name)
        return tuple(int(v) for v in items)

    def flag(self, name: str, default: bool) -> bool:
        """A true/false hyper-parameter."""
        value = self.get(name, default)
        if not isinstance(value, bool):
            raise self.error("expected true or false, got %r" % (value,), name)
        return value

    def axis_index(self, name: str, ndim: int, default: Any,
                   allow_negative: bool = True) -> int:
        """An axis of an ``ndim``-dimensional input, as a non-negative index."""
        value = self.get(name, default)
        low = -ndim if allow_negative else 0
        if not axis.is_int(value) or not low <= value < ndim:
            raise self.error("expected an axis in [%d, %d) for a %dD input, got %r"
                             % (low, ndim, ndim, value), name)
        return int(value) % ndim

    def require_ndim(self, ndim: int, what: str, shape: Optional[Shape] = None) -> None:
        shape = self.input_shape if shape is None else shape
        if len(shape) != ndim:
            raise self.error("expects a %dD input %s, got shape %r" % (ndim, what, shape),
                             "incoming")

    def require_known(self, dims: Iterable[Optional[int]], what: str) -> None:
        if None in dims:
            raise self.error("%s must be known to count parameters, got input shape %r"
                             % (what, self.input_shape), "incoming")

    def param_array(self, name: str, shape: Iterable[int], trainable: bool = True,
                    regularizable: bool = True, value: Any = _UNSET) -> ParamArray:
        """A parameter array, keyed to the array it shares if the spec says so.

        ``value`` is the spec's entry for the array (default: ``args[name]``;
        absent means Lasagne's default initializer).  It is checked as
        Lasagne's ``create_param`` would take it: ``{"shared": key}`` ties
        it to another layer's array (which must exist: the derivation walk
        checks), ``{"shared": key, "expression": "enc.W.T"}`` uses that
        array through a Theano expression (master only; the walk gives the
        array its own shape), ``{"trainable": false}`` untags it, an initializer's name
        (``"GlorotUniform"``, see :data:`INITIALIZERS`) or a number (an array
        of that constant) makes a new array, and so does any Python object
        (an initializer, an array of the right shape).  ``None`` (Lasagne
        refuses it where a rule asks for the array), ``true``/``false``, a
        list, or an unknown name raise a LayerRuleError naming the field.
        """
        shape = tuple(int(d) for d in shape)
        value = self.spec.args.get(name, _UNSET) if value is _UNSET else value
        key = None
        if isinstance(value, dict):
            for option, value_type in _ARRAY_OPTIONS.items():
                if option in value and not isinstance(value[option], value_type):
                    raise self.error("%s: expected %s, got %r" % (
                        option, "a name such as \"layer.W\"" if value_type is str
                        else "true or false", value[option]), name)
            if not value or not set(value) <= set(_ARRAY_OPTIONS):
                raise self.error("expected {\"shared\": \"layer.%s\"} or {\"trainable\": "
                                 "false}, got %r" % (name, value), name)
            key = value.get("shared")
            if "expression" in value:
                self._check_expression(name, value)
            trainable = value.get("trainable", trainable)
            regularizable = value.get("regularizable", regularizable)
        elif value is not _UNSET:
            self._check_array_value(name, shape, value)
        if key is None:
            key = "%s%s.%s" % (self.key_prefix, self.spec.name, name)
        return ParamArray(name, shape, trainable, regularizable, key,
                          value.get("expression", "") if isinstance(value, dict) else "")

    def _check_expression(self, name: str, value: Dict[str, Any]) -> None:
        """A Theano expression of another layer's array: master's create_param takes any
        Theano expression; 0.1's refuses it (RuntimeError: not a numpy array, a shared
        variable or a callable)."""
        if "shared" not in value:
            raise self.error("is %s: derived only when computed from one earlier "
                             "layer's array ({\"shared\": \"layer.%s\", \"expression\": "
                             "\"layer.%s.T\"})" % (value["expression"], name, name), name)
        if not self.behaviour.expression_params:
            raise self.error("Lasagne %s takes no Theano expression as a parameter "
                             "(create_param raises RuntimeError); Lasagne master does"
                             % versions.version_label(self.version), name)
        if not is_opaque(value["expression"]):
            try:
                parse_expression(value["expression"], value["shared"])
            except ExpressionError as exc:
                raise self.error("expression: %s" % exc, name) from None

    def _check_array_value(self, name: str, shape: Tuple[int, ...], value: Any) -> None:
        """Refuse what Lasagne's create_param refuses for an array of ``shape``."""
        accepted = ("an initializer name such as \"GlorotUniform\", a number, "
                    "{\"shared\": \"layer.%s\"}" % name)
        if value is None:
            raise self.error("is None, but Lasagne needs an array here (create_param "
                             "refuses None); expected %s" % accepted, name)
        if isinstance(value, bool):
            raise self.error("expected %s, or null where Lasagne allows no array; got %r"
                             % (accepted, value), name)
        if isinstance(value, (int, float)):
            return
        if isinstance(value, str):
            ndims = INITIALIZERS.get(value.rsplit(".", 1)[-1])
            if ndims is None:
                raise self.error("unknown initializer %r; expected one of lasagne.init's "
                                 "%s, a number or a share" % (value, ", ".join(INITIALIZERS)),
                                 name)
            fewest, most = ndims
            if len(shape) < fewest or (most is not None and len(shape) > most):
                raise self.error("%s cannot initialize a %dD array (Lasagne raises "
                                 "RuntimeError for shape %r)" % (value, len(shape), shape),
                                 name)
            return
        if isinstance(value, (list, tuple)):
            raise self.error("expected %s; a list of values is not an array Lasagne takes"
                             % accepted, name)
        given = getattr(value, "shape", None)     # a numpy array: Lasagne checks its shape
        if isinstance(given, tuple) and tuple(given) != shape:
            raise self.error("has shape %r, but Lasagne needs %r" % (tuple(given), shape),
                             name)

    def check_lengths(self, lengths: Iterable[axis.Length], field: str) -> None:
        for length in lengths:
            if length.value is not None and length.value < 1:
                raise self.error("output length %s is not positive" % length.formula, field)

    def subnetwork(self, field: str) -> Report:
        """Derive the nested network ``args[field]`` (a list of LayerSpecs); its Report."""
        specs = self.get(field)
        if not isinstance(specs, (list, tuple)) or not specs or not all(
                isinstance(s, LayerSpec) for s in specs):
            raise self.error("expected a non-empty list of LayerSpecs (the sub-network, "
                             "output layer last), got %r" % (specs,), field)
        if self._subnet is None:
            raise self.error("sub-networks can only be derived through the derivation walk",
                             field)
        try:
            return self._subnet(list(specs), "%s%s.%s/" % (self.key_prefix, self.spec.name,
                                                           field))
        except LasagneParamsError as exc:
            raise self.error(str(exc), field) from None


def _group(dims: Sequence[Optional[int]]) -> str:
    """``(32*24*24)`` for several factors, ``256`` for one: a group in a product."""
    text = "*".join(str(d) for d in dims)
    return "(%s)" % text if len(dims) > 1 else text


class CostContext(LayerContext):
    """A layer being costed: its spec and inputs (as for shape rules) plus its derived row.

    ``input_receptive_fields`` holds the receptive field of each incoming
    layer (``None`` where it is "n/a"); ``cost_of(specs)`` costs a nested
    network (a recurrent layer's sub-networks) and returns its CostReport.
    """

    def __init__(self, spec: LayerSpec, input_shapes: Iterable[Iterable[Optional[int]]],
                 row: LayerRow,
                 input_receptive_fields: Sequence[Optional[Tuple[AxisReceptiveField, ...]]],
                 cost_of: Optional[Callable[..., CostReport]] = None) -> None:
        super().__init__(spec, input_shapes)
        self.row = row
        self.input_receptive_fields = input_receptive_fields
        self.cost_of = cost_of

    @property
    def output_shape(self) -> Shape:
        return self.row.output_shape

    @property
    def input_receptive_field(self) -> Optional[Tuple[AxisReceptiveField, ...]]:
        """The incoming receptive field; ``None`` if none, or if the inputs' differ."""
        fields = set(self.input_receptive_fields)
        return fields.pop() if len(fields) == 1 else None

    def param(self, name: str) -> Optional[ParamArray]:
        """This layer's parameter array called ``name``, or ``None``."""
        for array in self.row.param_arrays:
            if array.name == name:
                return array
        return None

    def per_element(self, op: str, factors: Sequence[Optional[int]] = (),
                    dims: Optional[Sequence[Optional[int]]] = None) -> OpTerm:
        """``op`` work: ``factors`` operations for each output element of one example.

        ``dims`` are the output's per-example axes (default: all but the
        first, the batch; a c01b layer passes all but the last).
        """
        dims = self.output_shape[1:] if dims is None else dims
        if any(d is None for d in tuple(dims) + tuple(factors)):
            return OpTerm(op, None, "")
        # no None in either: checked above
        count = shape_size(cast(Sequence[int], dims)) * shape_size(cast(Sequence[int], factors))
        if not factors:
            return OpTerm(op, count, "*".join(str(d) for d in dims))
        return OpTerm(op, count, "%s*%s" % (_group(dims), _group(factors)))

    def activation(self, dims: Optional[Sequence[Optional[int]]] = None) -> Tuple[OpTerm, ...]:
        """The nonlinearity applied to each output element (default rectify), or nothing."""
        if self.get("nonlinearity", "rectify") in LINEAR:
            return ()
        return (self.per_element("elementwise", (), dims),)

    def bias(self, dims: Optional[Sequence[Optional[int]]] = None) -> Tuple[OpTerm, ...]:
        """One addition per output element when the layer has a bias ``b``."""
        return (self.per_element("bias", (), dims),) if self.param("b") is not None else ()

    def window(self, size_name: str, stride_defaults_to_size: bool = False,
               pad: Any = _UNSET) -> Tuple[Tuple[int, int, int], ...]:
        """(size, stride, pad before) per spatial axis, read as the shape rules read them.

        ``pad`` overrides the spec's padding (e.g. the GPU layers' symmetric
        ``'same'``).
        """
        n = len(self.output_shape) - 2
        size = self.int_tuple(size_name, n)
        if stride_defaults_to_size and self.get("stride") is None:
            stride = size
        else:
            stride = self.int_tuple("stride", n, 1)
        pad = self.get("pad", 0) if pad is _UNSET else pad
        if isinstance(pad, str):
            before = tuple(axis.conv_pads(pad, k)[0] for k in size)
        elif axis.is_int(pad):
            before = (int(pad),) * n
        else:
            before = tuple(int(p) for p in pad)
        return tuple(zip(size, stride, before))

    def slide(self, window: Sequence[Tuple[int, int, int]]
              ) -> Optional[Tuple[AxisReceptiveField, ...]]:
        """The receptive field after sliding ``window`` over the incoming receptive field."""
        seen = self.input_receptive_field
        if seen is None or len(seen) != len(window):
            return None
        return tuple(receptive.grow(f, *w) for f, w in zip(seen, window))


Rule = Callable[[LayerContext], Result]
CostRule = Callable[[CostContext], Cost]
