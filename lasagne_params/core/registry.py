"""The layer kinds lasagne_params knows: the built-in declarations and a user's own.

:data:`KINDS` maps a Lasagne class name to its :class:`LayerKind`; a layer
class is supported exactly when it is in this table (there is no silent
fallback).  :func:`kind_of` looks a name up and raises
:class:`UnsupportedLayerError` naming close ones; :func:`register_kind`
adds a user's class, after which deriving, costing, comparing, spec files,
the command line and the picture all know it.
"""
import inspect
import os
import sys

from .cost_records import OpTerm
from .errors import ArgumentError, UnsupportedLayerError, close_matches, did_you_mean
from .guard import guarded_explainer
from .layers import BUILTIN_KINDS
from .layers.base import FAMILIES, Cost, LayerKind, Signature, signature
from .layers.explain import FAMILY_EXPLAINERS, generic

__all__ = ["KINDS", "ALIASES", "kind_of", "register_kind", "unregister_kind", "supported_kinds",
           "explainer_for", "unknown_cost", "class_keywords", "BUILTIN_NAMES"]

#: Lasagne class name -> LayerKind: the built-in declarations, then registered ones.
KINDS = {kind.name: kind for kind in BUILTIN_KINDS}
#: Other names Lasagne binds to a declared class (``Deconv2DLayer``) -> the class name.
ALIASES = {alias: kind.name for kind in BUILTIN_KINDS for alias in kind.aliases}
#: The names declared by lasagne_params itself (they cannot be unregistered).
BUILTIN_NAMES = frozenset(KINDS) | frozenset(ALIASES)


def supported_kinds():
    """The Lasagne class names that have a declaration, sorted."""
    return sorted(KINDS)


def kind_of(name, layer=None):
    """The :class:`LayerKind` of Lasagne class ``name``.

    Raises
    ------
    UnsupportedLayerError
        With ``field="kind"``, the close names as ``suggestions``, and where
        to see the supported ones.
    """
    try:
        return KINDS[ALIASES.get(name, name)]
    except (KeyError, TypeError):
        hints = close_matches(name, list(KINDS) + list(ALIASES))
        raise UnsupportedLayerError(
            "no layer kind %r is declared%s (see lasagne_params.supported_kinds(); "
            "declare your own with lasagne_params.register_kind)"
            % (name, "; did you mean %s?" % " or ".join(hints) if hints else ""),
            layer=layer, field="kind", suggestions=hints) from None


def explainer_for(kind):
    """The explanation function of ``kind``: its own, its family's, or the generic one
    (a user's own called through :func:`~lasagne_params.core.guard.guarded_explainer`)."""
    if kind.explain is not None and kind.declared_in is not None:
        return guarded_explainer(kind, kind.explain)
    return kind.explain or FAMILY_EXPLAINERS.get(kind.family, generic)


def unknown_cost(context):
    """The cost of a kind declared without a cost rule: its work unknown (``?``), n/a."""
    return Cost((OpTerm("mac", None, ""),), None)


def class_keywords(factory):
    """A class's constructor keywords as a Signature; None when it takes ``**kwargs``."""
    params = list(inspect.signature(factory.__init__).parameters.values())[1:]
    if any(p.kind is p.VAR_KEYWORD for p in params):
        return None
    named = [p for p in params if p.kind is not p.VAR_POSITIONAL]
    return Signature(tuple(p.name for p in named if p.default is p.empty),
                     tuple(p.name for p in named if p.default is not p.empty))


_FIELDS = ("rule", "cost", "family", "keywords", "hyper_params", "arrays", "subnetworks",
           "gates", "gpu_only", "explain", "module", "factory", "since", "version_defaults",
           "reader")


def register_kind(name, rule=None, cost=None, *, like=None, replace=False, **fields):
    """Declare a Lasagne layer class of your own; return its :class:`LayerKind`.

    Parameters
    ----------
    name : str or class
        The class name as Lasagne code spells it (``"MyScaleLayer"``), or the
        class itself (its name is used, and it becomes the ``factory``).
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
    if inspect.isclass(name):
        fields.setdefault("factory", name)
        name = name.__name__
    if not isinstance(name, str) or not name.isidentifier():
        raise ArgumentError("expected a class name such as 'MyLayer', got %r" % (name,),
                            field="name")
    unknown = sorted(set(fields) - set(_FIELDS))
    if unknown:
        raise ArgumentError("LayerKind has no field %r%s" % (unknown[0], did_you_mean(
            unknown[0], _FIELDS)), field=unknown[0])
    if name in BUILTIN_NAMES or (name in KINDS and not replace):
        raise ArgumentError("%r is already declared%s" % (
            name, "" if name in BUILTIN_NAMES else " (pass replace=True to redeclare it)"),
            field="name")
    base = kind_of(like) if like is not None else None
    values = {field: getattr(base, field) for field in _FIELDS} if base else {
        "cost": unknown_cost, "family": "special", "keywords": None}
    if base is not None:
        values["gpu_only"] = False
        values["module"] = "lasagne.layers"
    values.update((k, v) for k, v in (("rule", rule), ("cost", cost)) if v is not None)
    values.update(fields)
    if values.get("rule") is None:
        raise ArgumentError("a layer kind needs a rule (or like=<a declared kind>)",
                            field="rule")
    if values["family"] not in FAMILIES:
        raise ArgumentError("expected one of %s, got %r" % (", ".join(FAMILIES),
                                                           values["family"]), field="family")
    if isinstance(values.get("keywords"), str):
        values["keywords"] = signature(values["keywords"])
    elif "keywords" not in fields and values.get("factory") is not None:
        values["keywords"] = class_keywords(values["factory"])
    for field in ("hyper_params", "arrays", "subnetworks", "gates"):
        values[field] = tuple(values.get(field) or ())
    _check_fields(values)
    kind = LayerKind(name=name, declared_in=_caller_file(), **values)
    KINDS[name] = kind
    return kind


#: field -> (what it must be, the test), for register_kind's arguments.
_CHECKS = {
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
    no function fails here, not at the first derivation)."""
    for field, (expected, test) in _CHECKS.items():
        if field in values and not test(values[field]):
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


def unregister_kind(name):
    """Forget a kind a user declared (built-in kinds stay)."""
    if name in BUILTIN_NAMES:
        raise ArgumentError("%r is built in and cannot be unregistered" % (name,),
                            field="name")
    KINDS.pop(name, None)
