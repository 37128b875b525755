"""The layer kinds lasagne_params knows: the built-in declarations, a user's own, and scopes.

A Lasagne layer class is supported exactly when a :class:`LayerKind` is
declared for it (there is no silent fallback).  Declarations are looked up
in layers, the innermost first:

1. the :class:`Registry` objects active in this thread or asyncio task:
   ``with lasagne_params.kinds(...):`` for a block, or ``kinds=registry``
   given to ``derive``, ``derive_costs``, ``compare``, ``assert_matches``,
   ``build`` or ``draw`` for one call.  A :class:`~contextvars.ContextVar`
   holds them, so no other thread or task sees them, and they are gone when
   the block or call ends;
2. the process-wide table :data:`KINDS`: the built-in declarations, then
   the kinds :func:`register_kind` adds.

Everything that asks about a layer class — the derivation and cost walks,
spec files and nolearn keywords, reading and building Lasagne networks,
``--explain``, the picture — asks here (:func:`find_kind`, :func:`kind_of`,
:func:`is_input`, :func:`kind_of_class`), so all of them see the same kinds.  Code asks a
declaration's fields (``family``, ``arrays``, ``gpu_only``), never a class
name: a kind of family ``input`` is an input whatever its class is called.
"""
import contextlib
import contextvars
import dataclasses
import inspect
import os
import sys
from typing import (Any, Callable, ContextManager, Dict, Iterator, List, Optional, Tuple,
                    Union, overload)

from .cost_records import OpTerm
from .errors import ArgumentError, UnsupportedLayerError, close_matches, did_you_mean
from .guard import guarded_explainer
from .layers import BUILTIN_KINDS
from .layers.base import (FAMILIES, Cost, CostContext, CostRule, Explainer, LayerKind, Rule,
                          Signature, signature)
from .layers.explain import FAMILY_EXPLAINERS, generic

__all__ = ["KINDS", "ALIASES", "BUILTIN_NAMES", "GPU_MODULES", "Registry", "kinds", "using",
           "find_kind", "kind_of", "is_input", "kind_of_class", "kinds_in_force",
           "supported_kinds", "register_kind", "unregister_kind", "explainer_for",
           "unknown_cost", "class_keywords"]

#: Lasagne class name -> LayerKind: the built-in declarations, then registered ones
#: (the process-wide layer, under every scope).
KINDS: Dict[str, LayerKind] = {kind.name: kind for kind in BUILTIN_KINDS}
#: Other names Lasagne binds to a declared class (``Deconv2DLayer``) -> the class name.
ALIASES: Dict[str, str] = {alias: kind.name for kind in BUILTIN_KINDS for alias in kind.aliases}
#: The names declared by lasagne_params itself (they cannot be redeclared or unregistered).
BUILTIN_NAMES = frozenset(KINDS) | frozenset(ALIASES)


def _gpu_modules() -> Dict[str, Tuple[LayerKind, ...]]:
    modules: Dict[str, List[LayerKind]] = {}
    for kind in BUILTIN_KINDS:
        if kind.gpu_only:
            modules.setdefault(kind.module, []).append(kind)
    return {module: tuple(kinds_) for module, kinds_ in modules.items()}


#: Lasagne's GPU-only modules -> their built-in kinds, in the order each module's
#: ``__all__`` lists the classes (``core/layers/gpu.py``): the CPU stand-ins serve these
#: modules and export these classes (``backend/bridges``).
GPU_MODULES = _gpu_modules()

# The active scopes of this thread or task, outermost first.
_ACTIVE: contextvars.ContextVar[Tuple["Registry", ...]] = contextvars.ContextVar(
    "lasagne_params_kinds", default=())


class Registry:
    """Layer kinds for one analysis, on top of the process-wide ones.

    A registry changes nothing until it is active: ``derive(net,
    kinds=registry)`` (and ``compare``, ``derive_costs``, ...) for one call,
    or ``with lasagne_params.kinds(registry):`` for a block.  While it is,
    its kinds are found before :data:`KINDS`; a name it does not declare is
    looked up further out.

    Parameters
    ----------
    *declared : LayerKind
        Kinds to hold from the start (each under its ``name``).

    Examples
    --------
    >>> from lasagne_params import LayerSpec, Result, derive
    >>> def scale(context):
    ...     n = context.input_shape[1]
    ...     return Result(context.input_shape, param_arrays=(
    ...         context.param_array("scales", (n,)),), param_formula=str(n))
    >>> registry = Registry()
    >>> registry.register("MyScaleLayer", scale, arrays=("scales",)).family
    'special'
    >>> net = [LayerSpec("in", "InputLayer", (), {"shape": (None, 20)}),
    ...        LayerSpec("scale", "MyScaleLayer", ("in",), {})]
    >>> derive(net, kinds=registry).total_params
    20
    >>> "MyScaleLayer" in supported_kinds()       # outside the call: not declared
    False
    """

    def __init__(self, *declared: LayerKind) -> None:
        self._kinds: Dict[str, LayerKind] = {}
        self._aliases: Dict[str, str] = {}
        for kind in declared:
            self.add(kind)

    def register(self, name: Union[str, type], rule: Optional[Rule] = None,
                 cost: Optional[CostRule] = None, *, like: Optional[str] = None,
                 replace: bool = False, **fields: Any) -> LayerKind:
        """Declare a kind in this registry; the arguments are :func:`register_kind`'s.

        ``like`` is looked up here first, then where the registry is used
        from.  Returns the :class:`LayerKind`.
        """
        with using(self):
            kind = _declaration(name, rule, cost, like, fields)
        return self.add(kind, replace=replace)

    def add(self, kind: LayerKind, replace: bool = False) -> LayerKind:
        """Hold ``kind`` (a :class:`LayerKind`) under its name and aliases; return it."""
        _check_kind(kind)
        _check_free(kind, self._kinds, replace)
        self.unregister(kind.name)
        self._kinds[kind.name] = kind
        self._aliases.update((alias, kind.name) for alias in kind.aliases)
        return kind

    def unregister(self, name: str) -> None:
        """Forget the kind called ``name`` in this registry (if it holds one)."""
        kind = self._kinds.pop(name, None)
        for alias in kind.aliases if kind is not None else ():
            self._aliases.pop(alias, None)

    def kind_of(self, name: str) -> LayerKind:
        """The kind of class ``name`` as seen with this registry active (:func:`kind_of`)."""
        with using(self):
            return kind_of(name)

    def __contains__(self, name: object) -> bool:
        return name in self._kinds or name in self._aliases

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._kinds))

    def __len__(self) -> int:
        return len(self._kinds)

    def __repr__(self) -> str:
        return "Registry(%s)" % ", ".join(sorted(self._kinds))


@contextlib.contextmanager
def using(registry: Optional[Registry]) -> Iterator[Optional[Registry]]:
    """Make ``registry`` (a :class:`Registry`, or None: nothing) active inside a ``with``."""
    if registry is None:
        yield None
        return
    if not isinstance(registry, Registry):
        raise ArgumentError("expected a lasagne_params.Registry, got %s"
                            % type(registry).__name__, field="kinds")
    token = _ACTIVE.set(_ACTIVE.get() + (registry,))
    try:
        yield registry
    finally:
        _ACTIVE.reset(token)


@overload
def kinds(registry: Registry, /) -> ContextManager[Optional[Registry]]: ...
@overload
def kinds(*declared: LayerKind, **named: LayerKind) -> ContextManager[Optional[Registry]]: ...


def kinds(*declared: Any, **named: Any) -> ContextManager[Optional[Registry]]:
    """Layer kinds known inside a ``with`` block only, in this thread or task.

    ``kinds(registry)`` makes a :class:`Registry` active (later changes to it
    included); ``kinds(kind, ...)`` the :class:`LayerKind` objects given, each
    under its name; ``kinds(ClassName=kind)`` a kind declared for the class
    ``ClassName``, under that name whatever its own ``name`` says.

    Examples
    --------
    >>> from lasagne_params import LayerSpec, derive
    >>> net = [LayerSpec("in", "InputLayer", (), {"shape": (None, 20)}),
    ...        LayerSpec("wide", "WideDenseLayer", ("in",), {"num_units": 30})]
    >>> with kinds(WideDenseLayer=kind_of("DenseLayer")):
    ...     derive(net).layers[1].param_formula
    '(20+1)*30'
    """
    if len(declared) == 1 and not named and isinstance(declared[0], Registry):
        return using(declared[0])
    registry = Registry()
    for kind in declared:
        registry.add(kind, replace=True)
    for name, kind in named.items():
        _check_kind(kind, name)
        registry.add(dataclasses.replace(kind, name=name, aliases=()), replace=True)
    return using(registry)


def _tables() -> Iterator[Tuple[Dict[str, LayerKind], Dict[str, str]]]:
    """(kinds, aliases) of each layer in force, the innermost first."""
    for registry in reversed(_ACTIVE.get()):
        yield registry._kinds, registry._aliases
    yield KINDS, ALIASES


def find_kind(name: object) -> Optional[LayerKind]:
    """The :class:`LayerKind` in force for class ``name`` (or an alias of it); None if none."""
    if not isinstance(name, str):
        return None
    for kinds_, aliases in _tables():
        kind = kinds_.get(aliases.get(name, name))
        if kind is not None:
            return kind
    return None


def kind_of(name: str, layer: Optional[str] = None) -> LayerKind:
    """The :class:`LayerKind` in force for Lasagne class ``name``.

    Raises
    ------
    UnsupportedLayerError
        With ``field="kind"``, the close names as ``suggestions``, and where
        to see the supported ones.
    """
    kind = find_kind(name)
    if kind is not None:
        return kind
    short = name.rpartition(".")[2] if isinstance(name, str) else ""
    if short != name and find_kind(short) is not None and not name.startswith("lasagne."):
        # a user's class named like a built-in kind (kind_of_class names it file.Name)
        raise UnsupportedLayerError(
            "no layer kind %r is declared; the %s kind is declared for another class of "
            "that name (declare this one with lasagne_params.register_kind('My%s', "
            "factory=its class, ...))" % (name, short, short), layer=layer, field="kind")
    names = [n for kinds_, aliases in _tables() for n in list(kinds_) + list(aliases)]
    hints = close_matches(name, names) or ([short] if short != name and find_kind(short)
                                           else [])
    raise UnsupportedLayerError(
        "no layer kind %r is declared%s (see lasagne_params.supported_kinds(); "
        "declare your own with lasagne_params.register_kind)"
        % (name, "; did you mean %s?" % " or ".join(hints) if hints else ""),
        layer=layer, field="kind", suggestions=hints)


def is_input(name: object) -> bool:
    """True when class ``name``'s kind is of the ``input`` family: a network's data enters
    there (it has no incoming layer).  False for a class without a kind."""
    kind = find_kind(name)
    return kind is not None and kind.family == "input"


def kind_of_class(cls: type) -> Tuple[str, Optional[LayerKind]]:
    """``(name, LayerKind or None)``: the kind in force for a layer class, and the name its
    layers go by (a built layer's ``type(layer)``, a class given to a NeuralNet).

    The kind declared with ``cls`` as its ``factory`` (the class itself, or the same class
    of the same file imported twice: a ``--kinds`` file importing the target's module), if
    any.  Else the kind named like ``cls``: a built-in kind only when ``cls`` is the very
    class it declares (the object its ``module`` holds under that name: Lasagne's own, or
    a GPU class's CPU stand-in); a user's kind by its name.  A class of its own named like
    a built-in kind (a user's ``BatchNormLayer`` without gamma) has none and goes by
    ``file.Name``: deriving it fails, naming it, instead of applying Lasagne's rule to it.
    """
    kind: Optional[LayerKind]
    for kinds_, _ in _tables():
        for kind in kinds_.values():
            if kind.factory is not None and _same_class(kind.factory, cls):
                return kind.name, kind
    kind = find_kind(cls.__name__)
    if kind is None or kind.name not in BUILTIN_NAMES:
        return cls.__name__, kind
    if getattr(sys.modules.get(kind.module), kind.name, None) is cls:
        return kind.name, kind
    source = _source(cls)
    where = os.path.splitext(os.path.basename(source))[0] if source else cls.__module__
    return "%s.%s" % (where, cls.__name__), None


def _source(cls):
    """The file ``cls`` is defined in (its methods' code says; a target or a script is
    imported under a module name of lasagne_params'), or None."""
    found = next((f.__code__.co_filename for f in vars(cls).values()
                  if hasattr(f, "__code__")), None)
    return os.path.realpath(found) if found else None


def _same_class(declared, cls):
    """``cls`` is ``declared``, or the same class of the same file imported again."""
    return declared is cls or (inspect.isclass(declared) and (
        declared.__qualname__ == cls.__qualname__ and _source(cls) is not None
        and _source(declared) == _source(cls)))


def kinds_in_force() -> Dict[str, LayerKind]:
    """{class name: LayerKind} of every kind in force here (an inner one over an outer)."""
    found: Dict[str, LayerKind] = {}
    for kinds_, _ in reversed(list(_tables())):
        found.update(kinds_)
    return found


def supported_kinds() -> List[str]:
    """The Lasagne class names that have a declaration in force here, sorted."""
    return sorted(kinds_in_force())


def explainer_for(kind: LayerKind) -> Explainer:
    """The explanation function of ``kind``: its own, its family's, or the generic one
    (a user's own called through :func:`~lasagne_params.core.guard.guarded_explainer`)."""
    if kind.explain is not None and kind.declared_in is not None:
        return guarded_explainer(kind, kind.explain)
    return kind.explain or FAMILY_EXPLAINERS.get(kind.family, generic)


def unknown_cost(context: CostContext) -> Cost:
    """The cost of a kind declared without a cost rule: its work unknown (``?``), n/a."""
    return Cost((OpTerm("mac", None, ""),), None)


def class_keywords(factory: type) -> Optional[Signature]:
    """A class's constructor keywords as a Signature; None when it takes ``**kwargs``."""
    init = factory.__init__       # type: ignore[misc]  # the class's own, read from the class
    params = list(inspect.signature(init).parameters.values())[1:]
    if any(p.kind is p.VAR_KEYWORD for p in params):
        return None
    named = [p for p in params if p.kind is not p.VAR_POSITIONAL]
    return Signature(tuple(p.name for p in named if p.default is p.empty),
                     tuple(p.name for p in named if p.default is not p.empty))


_FIELDS = ("rule", "cost", "family", "keywords", "hyper_params", "arrays", "subnetworks",
           "gates", "gpu_only", "explain", "module", "factory", "since", "version_defaults",
           "reader")


def _check_name(name):
    if not isinstance(name, str) or not name.isidentifier():
        raise ArgumentError("expected a class name such as 'MyLayer', got %r" % (name,),
                            field="name")


def _check_kind(kind, name=None):
    """Refuse what is not a usable LayerKind (``name``: the class it is declared for,
    default its own ``name``)."""
    if not isinstance(kind, LayerKind):
        raise ArgumentError("expected a lasagne_params.LayerKind, got %s"
                            % type(kind).__name__, field=name or "kind")
    _check_name(kind.name if name is None else name)
    if not callable(kind.rule):
        raise ArgumentError("a layer kind needs a rule (or like=<a declared kind>)",
                            field="rule")
    if not callable(kind.cost):
        raise ArgumentError("expected a cost rule, got %r" % (kind.cost,), field="cost")
    if kind.family not in FAMILIES:
        raise ArgumentError("expected one of %s, got %r" % (", ".join(FAMILIES), kind.family),
                            field="family")
    if kind.keywords is not None and not isinstance(kind.keywords, Signature):
        raise ArgumentError("expected a Signature or \"required | optional\" names, got %r"
                            % (kind.keywords,), field="keywords")


def _check_free(kind, table, replace):
    """Refuse a name (or alias) built in, or held in ``table`` already unless ``replace``."""
    for name in (kind.name,) + tuple(kind.aliases):
        if name in BUILTIN_NAMES:
            raise ArgumentError("%r is already declared%s" % (name, (
                " (a class of your own named like Lasagne's: declare it under a name of "
                "its own, register_kind('My%s', factory=YourClass, ...))" % name)
                if kind.factory is not None else ""), field="name")
    if kind.name in table and not replace:
        raise ArgumentError("%r is already declared (pass replace=True to redeclare it)"
                            % (kind.name,), field="name")


def _declaration(name, rule, cost, like, fields):
    """The LayerKind :func:`register_kind`'s arguments declare (checked, not stored)."""
    if inspect.isclass(name):
        fields.setdefault("factory", name)
        name = name.__name__
    _check_name(name)
    unknown = sorted(set(fields) - set(_FIELDS))
    if unknown:
        raise ArgumentError("LayerKind has no field %r%s" % (unknown[0], did_you_mean(
            unknown[0], _FIELDS)), field=unknown[0])
    base = kind_of(like) if like is not None else None
    values = {field: getattr(base, field) for field in _FIELDS} if base else {
        "rule": None, "cost": unknown_cost, "family": "special", "keywords": None}
    if base is not None:
        values["gpu_only"] = False
        values["module"] = "lasagne.layers"
    values.update((k, v) for k, v in (("rule", rule), ("cost", cost)) if v is not None)
    values.update(fields)
    if isinstance(values.get("keywords"), str):
        values["keywords"] = signature(values["keywords"])
    elif "keywords" not in fields and values.get("factory") is not None:
        values["keywords"] = class_keywords(values["factory"])
    for field in ("hyper_params", "arrays", "subnetworks", "gates"):
        values[field] = tuple(values.get(field) or ())
    _check_fields(values)
    kind = LayerKind(name=name, declared_in=_caller_file(), **values)
    _check_kind(kind)
    return kind


def register_kind(name: Union[str, type], rule: Optional[Rule] = None,
                  cost: Optional[CostRule] = None, *, like: Optional[str] = None,
                  replace: bool = False, **fields: Any) -> LayerKind:
    """Declare a Lasagne layer class of your own, for the whole process; return its
    :class:`LayerKind`.

    For one analysis only, declare it in a :class:`Registry` (same arguments:
    ``Registry().register(...)``) or with :func:`kinds`.

    Parameters
    ----------
    name : str or class
        The class name as Lasagne code spells it (``"MyScaleLayer"``), or the
        class itself (its name is used, and it becomes the ``factory``: a
        built layer of that very class is derived by this kind).
    rule : callable, optional
        ``rule(context) -> Result`` (see :mod:`lasagne_params.core.layers.base`).
        Required unless ``like`` gives one.
    cost : callable, optional
        ``cost(context) -> Cost``; default: ``like``'s, else the work is shown
        as unknown (``?``).
    like : str, optional
        A declared kind whose declaration this one starts from: a subclass
        of ``DenseLayer`` that only changes the nonlinearity is
        ``register_kind(MyDense, like="DenseLayer")``.
    replace : bool
        Allow replacing a kind declared earlier by a user (never a built-in one).
    **fields
        Any other field of :class:`LayerKind`: ``family``, ``keywords`` (a
        :class:`Signature` or ``"required | optional"`` text; default: read
        from the factory's constructor), ``hyper_params``, ``arrays``,
        ``subnetworks``, ``gates``, ``gpu_only``, ``explain``, ``module``,
        ``factory``.

    The file that calls ``register_kind`` is recorded (``declared_in``):
    the kind's functions are the user's code, and whatever they raise (or
    return wrong) is reported as one :class:`LayerRuleError` naming the
    layer, the kind and that file (:mod:`lasagne_params.core.guard`).

    Raises
    ------
    ArgumentError
        For an unknown field or family, a missing rule, a field of the wrong
        type (a rule that is not callable), or a name already declared.
    """
    kind = _declaration(name, rule, cost, like, fields)
    _check_free(kind, KINDS, replace)
    KINDS[kind.name] = kind
    return kind


#: field -> (what it must be, the test), for register_kind's arguments.
_CHECKS: Dict[str, Tuple[str, Callable[[Any], object]]] = {
    "rule": ("a function rule(context) -> Result", callable),
    "cost": ("a function cost(context) -> Cost", callable),
    "explain": ("a function explain(row, inputs, last) -> [sentences], or None",
                lambda v: v is None or callable(v)),
    "reader": ("a function reader(layer) -> {keyword: value}, or None",
               lambda v: v is None or callable(v)),
    "factory": ("a class, or None", lambda v: v is None or inspect.isclass(v)),
    "keywords": ("a Signature, a 'required | optional' text, or None",
                 lambda v: v is None or isinstance(v, Signature)),
    "gpu_only": ("True or False", lambda v: isinstance(v, bool)),
    "module": ("a module name such as 'lasagne.layers'", lambda v: isinstance(v, str) and v),
    "since": ("a Lasagne version", lambda v: isinstance(v, str)),
    "arrays": ("names of attributes (str)", lambda v: all(isinstance(x, str) for x in v)),
    "subnetworks": ("keyword names (str)", lambda v: all(isinstance(x, str) for x in v)),
    "gates": ("keyword names (str)", lambda v: all(isinstance(x, str) for x in v)),
    "hyper_params": ("attribute names, or (attribute path, keyword) pairs",
                     lambda v: all(isinstance(x, str) or (
                         isinstance(x, tuple) and len(x) == 2
                         and all(isinstance(y, str) for y in x)) for x in v)),
}


def _check_fields(values):
    """Refuse, when register_kind is called, a field of the wrong type (a rule that is
    no function fails here, not at the first derivation).  A rule not given at all is
    :func:`_check_kind`'s to word ("needs a rule")."""
    for field, (expected, test) in _CHECKS.items():
        if field in values and values[field] is not None and not test(values[field]):
            raise ArgumentError("expected %s, got %r" % (expected, values[field]),
                                field=field)


def _caller_file():
    """The file of the first caller outside this package: the one declaring the kind."""
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    frame = sys._getframe(1)
    while frame is not None:
        path = frame.f_code.co_filename
        if not os.path.abspath(path).startswith(package + os.sep):
            return path
        frame = frame.f_back
    return "<unknown>"


def unregister_kind(name: str) -> None:
    """Forget a kind a user declared with :func:`register_kind` (built-in kinds stay)."""
    if name in BUILTIN_NAMES:
        raise ArgumentError("%r is built in and cannot be unregistered" % (name,),
                            field="name")
    KINDS.pop(name, None)
