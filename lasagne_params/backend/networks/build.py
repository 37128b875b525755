"""Building real Lasagne layers from LayerSpecs (spec files, NeuralNet, the zoo, the tests).

Each kind's declaration says where its class lives (``LayerKind.module`` or
``factory``), which keywords take ``Gate`` objects and nested networks, and
which attributes hold its arrays (for shared and untagged arrays).
"""
import importlib
import inspect
from collections import OrderedDict

from ...core.errors import LasagneParamsError, LayerRuleError, SpecError, did_you_mean
from ...core.expressions import ExpressionError, is_opaque, parse_expression
from ...core.layers.base import INITIALIZERS, size_expression
from ...core.layers.recurrent import GATE_PARAMS, STATES, state_layer
from ...core.registry import find_kind, is_input
from ...describe.keywords import LAYER_REFERENCES
from ..bridges.compat import import_lasagne
from ..bridges.master_only import missing_keyword, missing_name

__all__ = ["build_layers", "output_layers", "named_function", "NAMED_FUNCTIONS"]

# Keywords whose string value names a function in this module (spec files
# say "nonlinearity": "rectify"; a dotted name's last part is used).
NAMED_FUNCTIONS = {
    "nonlinearity": "lasagne.nonlinearities",
    "merge_function": "theano.tensor",
    "pool_function": "theano.tensor",
    "function": "theano.tensor",
    "update": "lasagne.updates",
    "objective_loss_function": "lasagne.objectives",
}
# The gates whose Gate defaults differ from Gate()'s: no peephole, tanh.
_NO_PEEPHOLE = ("cell", "updategate", "resetgate", "hidden_update")
_TANH = ("cell", "hidden_update")
_DEFAULT = object()     # "Lasagne's default initializer"
_TAGS = {"trainable", "regularizable"}


def named_function(key, value, **where):
    """The function a string names for keyword ``key`` (see ``NAMED_FUNCTIONS``)."""
    import_lasagne()
    module = importlib.import_module(NAMED_FUNCTIONS[key])
    name = value.rsplit(".", 1)[-1]
    found = getattr(module, name, None)
    if name.startswith("_") or not callable(found) or inspect.isclass(found) \
            or inspect.ismodule(found):
        master = missing_name(module.__name__, name)
        if master:
            raise SpecError(master, field=key, **where)
        names = [n for n in dir(module) if not n.startswith("_")]
        raise SpecError("%s has no function %r%s" % (module.__name__, value,
                                                     did_you_mean(name, names)),
                        field=key, **where)
    return found


def _state_variable(ndim):
    import theano
    return theano.tensor.TensorType(theano.config.floatX, (False,) * ndim)()


def _layer_class(lasagne, spec, classes, where):
    """The class to build ``spec`` with: the caller's for its name, the kind's, or Lasagne's."""
    kind = find_kind(spec.kind)
    cls = classes.get(spec.name) or (kind.factory if kind is not None else None)
    if cls is None:
        module_name = kind.module if kind is not None else "lasagne.layers"
        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:
            note = " (a GPU-only class: Lasagne builds it only with a GPU)" \
                if kind is not None and kind.gpu_only else ""
            raise SpecError("cannot import %s: %s%s" % (module_name, exc, note),
                            field="kind", **where) from None
        cls = getattr(module, spec.kind, None)
    if inspect.isclass(cls) and issubclass(cls, lasagne.layers.Layer):
        return cls
    master = missing_name(kind.module if kind is not None else "lasagne.layers", spec.kind)
    if master:
        raise SpecError(master, field="kind", **where)
    names = [n for n in dir(lasagne.layers) if n.endswith("Layer")]
    raise SpecError("lasagne.layers has no layer class %r%s" % (
        spec.kind, did_you_mean(spec.kind, names)), field="kind", **where)


def _expression_sizes(value):
    """A hyper-parameter with each size written as a Theano expression
    (``{"expression": "x.shape[0]*20"}``) as a Theano int variable of that name: a scalar
    in a list (ReshapeLayer's ``shape``), a vector for a whole value (master's
    TransposedConv2DLayer's ``output_size``).  Lasagne's static figures are those of the
    original (the axis is None); running the network needs the value (an input)."""
    import theano
    if isinstance(value, (list, tuple)):
        return type(value)(theano.tensor.iscalar(size_expression(v))
                           if size_expression(v) is not None else v for v in value)
    if size_expression(value) is not None:
        return theano.tensor.ivector(size_expression(value))
    return value


def _resolve(value, key, built, registry, where):
    """A spec value as a constructor argument: a shared array, ``_DEFAULT``, or as given.

    ``{"shared": key}`` is an array an earlier layer holds (keys as in
    ``specs_from_lasagne``, or ``layer.attribute`` for any attribute); a
    mapping of tags only (``{"trainable": False}``) leaves the array to
    Lasagne's default initializer.
    """
    if not isinstance(value, dict):
        return value
    if "shared" not in value:
        return _DEFAULT if set(value) <= _TAGS else value
    ref = value["shared"]
    if ref in registry:
        variable = registry[ref]
    else:
        layer_name, _, attr = str(ref).rpartition(".")
        if layer_name not in built:
            raise SpecError("shares %r, which no earlier layer holds" % (ref,), field=key,
                            **where)
        variable = getattr(built[layer_name], attr, None)
        if variable is None:
            raise SpecError("layer %r has no parameter %r to share" % (layer_name, attr),
                            field=key, **where)
    if value.get("expression"):
        return _expression(variable, ref, value["expression"], key, where)
    return variable


def _expression(variable, ref, text, key, where):
    """The Theano expression ``text`` of the array ``ref`` (``variable``): the forms
    :mod:`lasagne_params.core.expressions` parses, ``REF.T``,
    ``REF.dimshuffle(1, 0, ...)`` and chains of them; any other text is refused,
    never evaluated."""
    try:
        if is_opaque(text):
            raise ExpressionError("")
        operations = parse_expression(text, ref)
    except ExpressionError:
        raise SpecError("cannot build the expression %r: only %r and %r (and chains of "
                        "them) are built from a spec (derivation needs none)"
                        % (text, ref + ".T", ref + ".dimshuffle(1, 0, ...)"),
                        field=key, **where) from None
    for operation in operations:
        variable = variable.T if operation[0] == "T" else variable.dimshuffle(*operation[1])
    return variable


def _initializer(lasagne, value):
    """A spec's initializer name (``"GlorotUniform"``) or number (an array of that
    constant) as a ``lasagne.init`` object; any other value as it is."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, str):
        name = value.rsplit(".", 1)[-1]
        if name in INITIALIZERS:
            return getattr(lasagne.init, name)()
        return value            # not an initializer: Lasagne refuses it, in its words
    if isinstance(value, (int, float)):
        return lasagne.init.Constant(value)
    return value


def _gates(lasagne, args, gates, resolve):
    """Gate objects for the gates whose arrays the spec sets (flat names or gate dicts).

    Pops every gate entry from ``args``.
    """
    kwargs = {}
    for gate in gates:
        options = {part: args.pop(pattern % gate) for part, pattern in GATE_PARAMS.items()
                   if pattern % gate in args}
        options.update(args.pop(gate, None) or {})
        options = {part: _initializer(lasagne, resolve(value, gate))
                   for part, value in options.items()}
        options = {part: value for part, value in options.items() if value is not _DEFAULT}
        if not options:
            continue
        base = {"W_cell": None} if gate in _NO_PEEPHOLE else {}
        if gate in _TANH:
            base["nonlinearity"] = lasagne.nonlinearities.tanh
        base.update(options)
        kwargs[gate] = lasagne.layers.Gate(**base)
    return kwargs


def _wire(cls, spec, built, kwargs, where, states=()):
    """Put the incoming layers into ``kwargs`` as ``cls``'s signature names them
    (``states``: the names of the initial-state layers, given by keyword already)."""
    params = inspect.signature(cls.__init__).parameters
    incoming, states = list(spec.incoming), list(states)
    if states:                  # master appends them after the input and the mask
        if len(incoming) <= len(states) or incoming[-len(states):] != states:
            raise SpecError("the initial states' layers %r must come last among the incoming "
                            "layers (input, mask, hid_init, cell_init), got %r"
                            % (tuple(states), tuple(incoming)), field="incoming", **where)
        incoming = incoming[:-len(states)]
    inputs = [built[name] for name in incoming]
    if "incomings" in params:
        kwargs["incomings"] = inputs
    elif "incoming" in params:
        extra = [k for k in LAYER_REFERENCES if k in params][:len(inputs) - 1]
        if "layer" in extra and len(inputs) == 2 + len(extra):
            inputs = inputs[:-1]          # InverseLayer: the inverted layer's input is implied
        if not inputs or len(inputs) > 1 + len(extra):
            raise SpecError("takes one incoming layer, got %d" % len(inputs),
                            field="incoming", **where)
        kwargs["incoming"] = inputs[0]
        kwargs.update(zip(extra, inputs[1:]))


def _constructor(lasagne, cls, spec, built, scope, where):
    """Keyword arguments for ``cls(**kwargs)``: inputs wired, names and arrays resolved."""
    registry, prefix, init = scope
    kind = find_kind(spec.kind)

    def resolve(value, key):
        value = _resolve(value, key, built, registry, where)
        return init if value is _DEFAULT and init is not None else value

    args = dict(spec.args)
    if init is not None and kind is not None:
        for attr in kind.arrays:
            args.setdefault(attr, init)
    kwargs = {}
    dtype = args.pop("dtype", None)
    if is_input(spec.kind) and dtype:
        import theano
        kwargs["input_var"] = theano.tensor.TensorType(
            dtype, (False,) * len(args["shape"]))("%s.input" % spec.name)
    if not args.get("only_return_final", True):
        del args["only_return_final"]           # Lasagne 0.1 does not know the keyword
    kwargs.update(_gates(lasagne, args, kind.gates if kind else (), resolve))
    for field in kind.subnetworks if kind else ():
        if isinstance(args.get(field), (list, tuple)):
            nested = _build(lasagne, args[field], {},
                            (registry, "%s%s.%s/" % (prefix, spec.name, field), init))
            args[field] = next(reversed(nested.values()))
    states = {}                         # master: initial states given as layers
    for name in STATES:
        if name in args and args[name] is None:
            hidden = args.get("hidden_to_hidden")
            args[name] = _state_variable(len(hidden.output_shape) if hidden else 2)
        elif state_layer(args.get(name)) is not None:
            states[name] = state_layer(args.pop(name))
            if states[name] not in built:
                raise SpecError("no earlier layer called %r" % (states[name],),
                                field=name, **where)
            kwargs[name] = built[states[name]]
    for key, value in args.items():
        if key in NAMED_FUNCTIONS and isinstance(value, str):
            value = named_function(key, value, **where)
        if kind is None or key not in kind.arrays:
            value = _expression_sizes(value)
        value = resolve(value, key)
        if kind is not None and key in kind.arrays:
            value = _initializer(lasagne, value)
        if value is not _DEFAULT:
            kwargs[key] = value
    if isinstance(kwargs.get("indices"), (list, tuple)):
        kwargs["indices"] = slice(*kwargs["indices"])      # SliceLayer's [start, stop, step]
    _wire(cls, spec, built, kwargs, where, states.values())
    kwargs["name"] = spec.name
    return kwargs


def _register(spec, layer, registry, prefix):
    """Record ``layer``'s arrays under their share keys; untag ``{"trainable": False}`` ones."""
    kind = find_kind(spec.kind)
    for attr in kind.arrays if kind else ():
        variable = getattr(layer, attr, None)
        if variable is not None:
            registry.setdefault("%s%s.%s" % (prefix, spec.name, attr), variable)
    for attr, value in spec.args.items():
        variable = getattr(layer, attr, None)
        if isinstance(value, dict) and value.get("trainable") is False \
                and variable in getattr(layer, "params", {}):
            layer.params[variable].discard("trainable")


def _build(lasagne, specs, classes, scope):
    built = OrderedDict()
    for spec in specs:
        where = {"layer": spec.name, "kind": spec.kind}
        cls = _layer_class(lasagne, spec, classes, where)
        kwargs = _constructor(lasagne, cls, spec, built, scope, where)
        try:
            layer = cls(**kwargs)
        except LasagneParamsError:
            raise
        except Exception as exc:   # Lasagne's own checks raise anything
            for key in spec.args if isinstance(exc, TypeError) else ():
                master = missing_keyword(cls, key)
                if master:
                    raise LayerRuleError(master, field=key, **where) from exc
            raise LayerRuleError("Lasagne cannot build it: %s: %s"
                                 % (type(exc).__name__, exc), **where) from exc
        built[spec.name] = layer
        _register(spec, layer, scope[0], scope[1])
    return built


def build_layers(specs, classes=None, init=None):
    """Real Lasagne layers from LayerSpecs (inputs first), as {name: layer}.

    Parameters
    ----------
    specs : list of LayerSpec
        ``kind`` names a declared kind (its class is imported from where the
        declaration says) or a class of ``lasagne.layers``; ``args`` are the
        constructor's keywords (plain values), with: ``{"shared": key}`` for
        an array an earlier layer holds (keys as in ``specs_from_lasagne``,
        e.g. ``"lstm.W_in_to_ingate"``, or ``"a.W"``), ``{"trainable":
        False}`` to untag one, ``None`` for ``hid_init``/``cell_init`` given
        as an expression, nested LayerSpec lists for
        ``input_to_hidden``/``hidden_to_hidden``, an initializer of
        ``lasagne.init`` by name (``"GlorotUniform"``) or a number (its
        ``Constant``) for an array, LSTM/GRU gate arrays by
        attribute name (``W_in_to_ingate``) or as ``{"ingate": {"W_in": ...,
        "b": ...}}``, functions by name (``"rectify"``, ``"maximum"``: see
        ``NAMED_FUNCTIONS``), SliceLayer ``indices`` as a list of slice
        arguments, and InputLayer ``dtype`` (e.g. ``"int32"`` for an
        EmbeddingLayer's input).
    classes : dict, optional
        ``{layer name: class}`` to use instead of looking ``kind`` up (the
        classes a NeuralNet was given, custom ones included).
    init : optional
        A Lasagne initializer (or ``shape -> array`` callable) for every
        parameter array the specs leave to Lasagne's default (absent, or
        given as tags only): e.g. float32 zeros to build VGG without
        drawing 138M random numbers, or ``shape_only.shape_only``.

    Returns
    -------
    collections.OrderedDict
        Layers in ``specs`` order (the last is the output of a chain).

    Raises
    ------
    SpecError
        For an unknown class, a bad function name or share reference; for
        a class of Lasagne master on Lasagne 0.1, saying how to install
        master.
    LayerRuleError
        When Lasagne's constructor refuses the arguments (its complaint
        is the message, the exception its ``__cause__``; for a keyword of
        Lasagne master on 0.1, how to install master).
    """
    return _build(import_lasagne(), list(specs), classes or {}, ({}, "", init))


def output_layers(specs, built):
    """The layers no other layer takes as input, in ``specs`` order."""
    used = {name for spec in specs for name in spec.incoming}
    return [built[spec.name] for spec in specs if spec.name not in used]
