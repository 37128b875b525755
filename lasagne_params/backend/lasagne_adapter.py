"""The only module that imports Lasagne: specs <-> Lasagne graphs, and Lasagne's own figures.

``specs_from_lasagne`` reads hyper-parameters only (num_filters, filter_size,
pad, whether ``b`` is None, ``InputLayer.shape``, a recurrent layer's
sub-networks, ...).  It never asks Lasagne for a shape or a parameter count
and never touches a parameter array, so the derivation made from its specs
is independent of Lasagne's arithmetic.

``report_from_lasagne`` is the other side: Lasagne's ``output_shape`` and
the shapes of each layer's ``get_params()`` arrays, read with
``get_value(borrow=True)`` (no copies).

``build_layers`` goes the other way: real Lasagne layers from LayerSpecs
(spec files, NeuralNet, the zoo, the differential tests), with named
functions, shared and untagged arrays, LSTM/GRU gates, nested recurrent
sub-networks and custom classes.
"""
import importlib
import inspect
import weakref
from collections import OrderedDict

from .compat import install_compat
from ..core.errors import LasagneParamsError, LayerRuleError, SpecError, close_matches
from ..core.records import LayerRow, LayerSpec, ParamTerm, Report
from ..core.registry import RULES
from ..core.layers.recurrent import (GATE_PARAMS, GRU_GATES, LSTM_GATES, PEEPHOLE_GATES,
                              SUBNETWORKS)
from ..describe.signatures import LAYER_REFERENCES

__all__ = ["lasagne", "is_lasagne_layer", "all_layers", "layer_names",
           "specs_from_lasagne", "report_from_lasagne", "build_layers", "output_layers",
           "named_function", "NAMED_FUNCTIONS", "input_layers", "layer_outputs_function",
           "runtime_shapes",
           "HYPER_PARAMS", "PARAM_ATTRS", "SUBNETWORKS"]

_CONV = ("num_filters", "filter_size", "stride", "pad", "untie_biases")
_POOL = ("pool_size", "stride", "pad", "ignore_border")
_SCAN = ("backwards", "learn_init", "gradient_steps", "grad_clipping", "unroll_scan",
         "precompute_input", "only_return_final")

# Hyper-parameters each layer class keeps as attributes (Lasagne 0.1 names):
# "attr" is stored in the spec under the same name, ("attr", "arg") under the
# constructor's keyword; a dotted attr reads a sub-layer.  Attributes a class
# lacks (only_return_final in 0.1) are left to the rule's default.
HYPER_PARAMS = {
    "InputLayer": ("shape",),
    "DenseLayer": ("num_units",),
    "NINLayer": ("num_units", "untie_biases"),
    "DropoutLayer": ("p", "rescale"),
    "GaussianNoiseLayer": ("sigma",),
    "NonlinearityLayer": (),
    "LocalResponseNormalization2DLayer": ("alpha", "k", "beta", "n"),
    "EmbeddingLayer": ("input_size", "output_size"),
    "Conv1DLayer": _CONV,
    "Conv2DLayer": _CONV,
    "MaxPool1DLayer": _POOL,
    "Pool2DLayer": _POOL + ("mode",),
    "MaxPool2DLayer": _POOL,
    "FeaturePoolLayer": ("pool_size", "axis", "pool_function"),
    "FeatureWTALayer": ("pool_size", "axis"),
    "GlobalPoolLayer": ("pool_function",),
    "FlattenLayer": ("outdim",),
    "ReshapeLayer": ("shape",),
    "DimshuffleLayer": ("pattern",),
    "PadLayer": ("width", "val", "batch_ndim"),
    "SliceLayer": (("slice", "indices"), "axis"),
    "ConcatLayer": ("axis",),
    "ElemwiseSumLayer": ("coeffs",),
    "ElemwiseMergeLayer": ("merge_function",),
    "CustomRecurrentLayer": _SCAN,
    "RecurrentLayer": (("hidden_to_hidden.num_units", "num_units"),) + _SCAN,
    "LSTMLayer": ("num_units", "peepholes") + _SCAN,
    "GRULayer": ("num_units",) + _SCAN,
    "Conv2DMMLayer": _CONV,
    "Conv2DDNNLayer": _CONV,
    "Pool2DDNNLayer": ("pool_size", "stride", "pad", "mode"),
    "MaxPool2DDNNLayer": ("pool_size", "stride", "pad"),
    "Conv2DCCLayer": _CONV + ("dimshuffle",),
    "MaxPool2DCCLayer": ("pool_size", "stride", "dimshuffle"),
    "NINLayer_c01b": ("num_units", "untie_biases"),
    "ShuffleBC01ToC01BLayer": (),
    "ShuffleC01BToBC01Layer": (),
}


def _gate_attrs(gates, peepholes=()):
    return tuple(GATE_PARAMS[part] % gate for gate in gates
                 for part in ("W_in", "W_hid", "b")) + tuple(
        GATE_PARAMS["W_cell"] % gate for gate in peepholes)


# Attributes holding parameter arrays (None when the layer has none).
PARAM_ATTRS = {
    "DenseLayer": ("W", "b"),
    "NINLayer": ("W", "b"),
    "EmbeddingLayer": ("W",),
    "Conv1DLayer": ("W", "b"),
    "Conv2DLayer": ("W", "b"),
    "Conv2DMMLayer": ("W", "b"),
    "Conv2DDNNLayer": ("W", "b"),
    "Conv2DCCLayer": ("W", "b"),
    "NINLayer_c01b": ("W", "b"),
    "CustomRecurrentLayer": ("hid_init",),
    "RecurrentLayer": ("hid_init", "W_in_to_hid", "b", "W_hid_to_hid"),
    "LSTMLayer": _gate_attrs(LSTM_GATES, PEEPHOLE_GATES) + ("cell_init", "hid_init"),
    "GRULayer": _gate_attrs(GRU_GATES) + ("hid_init",),
}
# Hyper-parameters holding a Theano function, stored by name.
_FUNCTIONS = ("merge_function", "pool_function")
# Keywords whose string value names a function in this module (spec files
# say "nonlinearity": "rectify"; a dotted name's last part is used).
NAMED_FUNCTIONS = {
    "nonlinearity": "lasagne.nonlinearities",
    "merge_function": "theano.tensor",
    "pool_function": "theano.tensor",
    "update": "lasagne.updates",
    "objective_loss_function": "lasagne.objectives",
}


def lasagne():
    """Import Lasagne after installing the compatibility bridges."""
    install_compat()
    import lasagne as module
    return module


def is_lasagne_layer(obj):
    """True for a lasagne Layer instance (without importing Lasagne if absent)."""
    import sys
    module = sys.modules.get("lasagne.layers.base")
    return module is not None and isinstance(obj, module.Layer)


def all_layers(output_layer):
    """Lasagne's ``get_all_layers`` order (inputs first)."""
    return lasagne().layers.get_all_layers(output_layer)


def layer_names(layers):
    """{layer: name}: the layer's own name, else a stable automatic one.

    Unnamed layers get ``<kind>_<index>`` (``conv2d_1``, from
    ``Conv2DLayer`` at position 1); a name used twice gets ``_<index>`` on
    its later uses; every name is unique.
    """
    own = [layer.name for layer in layers if layer.name]
    taken = set(own)
    names = {}
    seen = set()
    for index, layer in enumerate(layers):
        if layer.name and layer.name not in seen:
            seen.add(layer.name)
            names[layer] = layer.name
            continue
        if layer.name:
            base = layer.name
        else:
            base = type(layer).__name__
            base = (base[:-5] if base.endswith("Layer") and len(base) > 5 else base).lower()
        name = "%s_%d" % (base, index)
        while name in taken:
            name += "_"
        taken.add(name)
        names[layer] = name
    return names


def _plain(value):
    if isinstance(value, tuple):
        return tuple(_plain(v) for v in value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if hasattr(value, "__index__") and not isinstance(value, bool):
        return int(value)
    return value


def _function_name(function):
    scalar_op = getattr(function, "scalar_op", None)          # T.add, T.maximum, ...
    return getattr(scalar_op, "name", None) or getattr(function, "__name__", repr(function))


def _incoming(layer):
    if hasattr(layer, "input_layers"):
        return [i for i in layer.input_layers if i is not None]
    return [layer.input_layer] if getattr(layer, "input_layer", None) is not None else []


def _attribute(layer, path):
    for part in path.split("."):
        layer = getattr(layer, part)
    return layer


def _is_shared(variable):
    import theano
    return isinstance(variable, theano.compile.SharedVariable)


def _hyper_params(layer, kind):
    args = {}
    for entry in HYPER_PARAMS.get(kind, ()):
        attr, arg = entry if isinstance(entry, tuple) else (entry, entry)
        try:
            value = _attribute(layer, attr)
        except AttributeError:
            continue
        args[arg] = _function_name(value) if arg in _FUNCTIONS else _plain(value)
    if kind == "InputLayer" and not str(layer.input_var.dtype).startswith("float"):
        args["dtype"] = str(layer.input_var.dtype)
    return args


def _specs(output_layer, owner, prefix):
    """LayerSpecs of the network under ``output_layer``; ``owner`` maps shared arrays."""
    layers = all_layers(output_layer)
    names = layer_names(layers)
    specs = []
    for layer in layers:
        kind = type(layer).__name__
        name = names[layer]
        args = _hyper_params(layer, kind)
        for attr in PARAM_ATTRS.get(kind, ()):
            variable = getattr(layer, attr, None)
            if variable is None or not _is_shared(variable):
                if hasattr(layer, attr):       # None, or a Theano expression: no array
                    args[attr] = None
            elif id(variable) in owner:
                args[attr] = {"shared": owner[id(variable)]}
            else:
                owner[id(variable)] = "%s%s.%s" % (prefix, name, attr)
        for field in SUBNETWORKS.get(kind, ()):
            args[field] = _specs(getattr(layer, field), owner,
                                 "%s%s.%s/" % (prefix, name, field))
        specs.append(LayerSpec(name, kind, tuple(names[i] for i in _incoming(layer)), args))
    return specs


def specs_from_lasagne(output_layer):
    """LayerSpecs for every layer under ``output_layer``, from hyper-parameters only.

    A parameter array held by several layers appears as ``{"shared": key}``
    in every holder after the first; a CustomRecurrentLayer's sub-networks
    appear as nested lists of LayerSpecs under ``input_to_hidden`` and
    ``hidden_to_hidden``.
    """
    return _specs(output_layer, {}, "")


def _param_labels(layer, prefix=""):
    """{id(array): name} from the attributes holding a layer's arrays (and its sub-networks')."""
    kind = type(layer).__name__
    labels = {}
    for attr in PARAM_ATTRS.get(kind, ()):
        variable = getattr(layer, attr, None)
        if variable is not None:
            labels.setdefault(id(variable), prefix + attr)
    for field in SUBNETWORKS.get(kind, ()):
        sub_layers = all_layers(getattr(layer, field))
        sub_names = layer_names(sub_layers)
        for sub in sub_layers:
            labels.update((k, v) for k, v in _param_labels(
                sub, "%s%s/%s." % (prefix, field, sub_names[sub])).items() if k not in labels)
    return labels


def _short(param_name, layer_name):
    name = str(param_name)
    prefix = "%s." % layer_name
    return name[len(prefix):] if layer_name and name.startswith(prefix) else name


def report_from_lasagne(output_layer):
    """Lasagne's own figures: ``output_shape`` and borrowed shapes of ``get_params()``."""
    module = lasagne()
    layers = module.layers.get_all_layers(output_layer)
    names = layer_names(layers)
    owner, taken = {}, set()
    rows = []
    for index, layer in enumerate(layers):
        labels = _param_labels(layer)
        trainable = {id(p) for p in layer.get_params(trainable=True)}
        regularizable = {id(p) for p in layer.get_params(regularizable=True)}
        terms = []
        for param in layer.get_params():
            shape = tuple(int(d) for d in param.get_value(borrow=True).shape)
            label = labels.get(id(param)) or _short(param.name, layer.name)
            if id(param) not in owner:
                key = "%s.%s" % (names[layer], label)
                while key in taken:
                    key += "'"              # two arrays, one name (e.g. unnamed params)
                owner[id(param)] = key
                taken.add(key)
            key = owner[id(param)]
            terms.append(ParamTerm(label, shape, id(param) in trainable,
                                   id(param) in regularizable, key))
        formula = " + ".join("*".join(str(d) for d in t.shape) or "1" for t in terms)
        rows.append(LayerRow(
            index=index, name=names[layer], kind=type(layer).__name__,
            output_shape=_plain(tuple(layer.output_shape)),
            params=sum(t.size for t in terms),
            trainable_params=sum(t.size for t in terms if t.trainable),
            param_formula=formula,
            incoming=tuple(names[i] for i in _incoming(layer)), terms=tuple(terms)))

    # The totals are Lasagne's count_params: get_all_params is the union, by
    # identity, of get_params over get_all_layers, which is what the rows hold
    # (one key per array; trainable if any holder tags it so), and Report's
    # totals count each key once; walking the graph again would only repeat it.
    return Report(tuple(rows), source="lasagne")


def named_function(key, value, **where):
    """The function a string names for keyword ``key`` (see ``NAMED_FUNCTIONS``)."""
    lasagne()
    module = importlib.import_module(NAMED_FUNCTIONS[key])
    name = value.rsplit(".", 1)[-1]
    found = getattr(module, name, None)
    if name.startswith("_") or not callable(found) or inspect.isclass(found) \
            or inspect.ismodule(found):
        names = [n for n in dir(module) if not n.startswith("_")]
        hints = close_matches(name, names, n=1)
        raise SpecError("%s has no function %r%s" % (module.__name__, value,
                        "; did you mean %s?" % hints[0] if hints else ""),
                        field=key, **where)
    return found


# --- LayerSpecs -> Lasagne ---------------------------------------------------------

_DEFAULT = object()     # "Lasagne's default initializer"
_TAGS = {"trainable", "regularizable"}


def _state_variable(ndim):
    import theano
    return theano.tensor.TensorType(theano.config.floatX, (False,) * ndim)()


def _layer_class(module, spec, classes, where):
    """The class to build ``spec`` with: the caller's for its name, else ``lasagne.layers``'s."""
    cls = classes.get(spec.name) or getattr(module.layers, spec.kind, None)
    if inspect.isclass(cls) and issubclass(cls, module.layers.Layer):
        return cls
    names = [n for n in dir(module.layers) if n.endswith("Layer")]
    hints = close_matches(spec.kind, names, n=1)
    note = "; did you mean %s?" % hints[0] if hints else ""
    if spec.kind in RULES:
        note += " (Lasagne %s builds GPU-only classes only with a GPU)" % module.__version__
    raise SpecError("lasagne.layers has no layer class %r%s" % (spec.kind, note),
                    field="type", **where)


def _resolve(value, key, built, registry, where):
    """A spec value as a constructor argument: a shared array, ``_DEFAULT``, or as given.

    ``{"shared": key}`` is an array an earlier layer holds (keys as in
    :func:`specs_from_lasagne`, or ``layer.attribute`` for any attribute);
    a mapping of tags only (``{"trainable": False}``) leaves the array to
    Lasagne's default initializer.
    """
    if not isinstance(value, dict):
        return value
    if "shared" not in value:
        return _DEFAULT if set(value) <= _TAGS else value
    ref = value["shared"]
    if ref in registry:
        return registry[ref]
    layer_name, _, attr = str(ref).rpartition(".")
    if layer_name not in built:
        raise SpecError("shares %r, which no earlier layer holds" % (ref,), field=key, **where)
    variable = getattr(built[layer_name], attr, None)
    if variable is None:
        raise SpecError("layer %r has no parameter %r to share" % (layer_name, attr),
                        field=key, **where)
    return variable


def _gates(module, args, gates, resolve):
    """Gate objects for the gates whose arrays the spec sets (flat names or gate dicts).

    Pops every gate entry from ``args``.
    """
    kwargs = {}
    for gate in gates:
        options = {part: args.pop(pattern % gate) for part, pattern in GATE_PARAMS.items()
                   if pattern % gate in args}
        options.update(args.pop(gate, None) or {})
        options = {part: resolve(value, gate) for part, value in options.items()}
        options = {part: value for part, value in options.items() if value is not _DEFAULT}
        if not options:
            continue
        base = {"W_cell": None} if gate in ("cell",) + GRU_GATES else {}
        if gate in ("cell", "hidden_update"):
            base["nonlinearity"] = module.nonlinearities.tanh
        base.update(options)
        kwargs[gate] = module.layers.Gate(**base)
    return kwargs


def _wire(cls, spec, built, kwargs, where):
    """Put the incoming layers into ``kwargs`` as ``cls``'s signature names them."""
    params = inspect.signature(cls.__init__).parameters
    inputs = [built[name] for name in spec.incoming]
    if "incomings" in params:
        kwargs["incomings"] = inputs
    elif "incoming" in params:
        extra = [k for k in LAYER_REFERENCES if k in params][:len(inputs) - 1]
        if not inputs or len(inputs) > 1 + len(extra):
            raise SpecError("takes one incoming layer, got %d" % len(inputs),
                            field="incoming", **where)
        kwargs["incoming"] = inputs[0]
        kwargs.update(zip(extra, inputs[1:]))


def _constructor(module, cls, spec, built, scope, where):
    """Keyword arguments for ``cls(**kwargs)``: inputs wired, names and arrays resolved."""
    registry, prefix, init = scope

    def resolve(value, key):
        return _resolve(value, key, built, registry, where)

    kind, args = spec.kind, dict(spec.args)
    if init is not None:
        for attr in PARAM_ATTRS.get(kind, ()):
            args.setdefault(attr, init)
    kwargs = {}
    dtype = args.pop("dtype", None)
    if kind == "InputLayer" and dtype:
        import theano
        kwargs["input_var"] = theano.tensor.TensorType(
            dtype, (False,) * len(args["shape"]))("%s.input" % spec.name)
    if not args.get("only_return_final", True):
        del args["only_return_final"]           # Lasagne 0.1 does not know the keyword
    gates = {"LSTMLayer": LSTM_GATES, "GRULayer": GRU_GATES}.get(kind, ())
    kwargs.update(_gates(module, args, gates, resolve))
    for field in SUBNETWORKS.get(kind, ()):
        if isinstance(args.get(field), (list, tuple)):
            nested = _build(module, args[field], {},
                            (registry, "%s%s.%s/" % (prefix, spec.name, field), init))
            args[field] = next(reversed(nested.values()))
    for name in ("hid_init", "cell_init"):
        if name in args and args[name] is None:
            ndim = len(args["hidden_to_hidden"].output_shape) \
                if kind == "CustomRecurrentLayer" else 2
            args[name] = _state_variable(ndim)
    for key, value in args.items():
        if key in NAMED_FUNCTIONS and isinstance(value, str):
            value = named_function(key, value, **where)
        value = resolve(value, key)
        if value is not _DEFAULT:
            kwargs[key] = value
    if kind == "SliceLayer" and isinstance(kwargs.get("indices"), (list, tuple)):
        kwargs["indices"] = slice(*kwargs["indices"])
    _wire(cls, spec, built, kwargs, where)
    kwargs["name"] = spec.name
    return kwargs


def _register(spec, layer, registry, prefix):
    """Record ``layer``'s arrays under their share keys; untag ``{"trainable": False}`` ones."""
    for attr in PARAM_ATTRS.get(spec.kind, ()):
        variable = getattr(layer, attr, None)
        if variable is not None:
            registry.setdefault("%s%s.%s" % (prefix, spec.name, attr), variable)
    for attr, value in spec.args.items():
        variable = getattr(layer, attr, None)
        if isinstance(value, dict) and value.get("trainable") is False \
                and variable in getattr(layer, "params", {}):
            layer.params[variable].discard("trainable")


def _build(module, specs, classes, scope):
    built = OrderedDict()
    for spec in specs:
        where = {"layer": spec.name, "kind": spec.kind}
        cls = _layer_class(module, spec, classes, where)
        kwargs = _constructor(module, cls, spec, built, scope, where)
        try:
            layer = cls(**kwargs)
        except LasagneParamsError:
            raise
        except Exception as exc:   # Lasagne's own checks raise anything
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
        ``kind`` names a class of ``lasagne.layers``; ``args`` are the
        constructor's keywords (plain values), with: ``{"shared": key}``
        for an array an earlier layer holds (keys as in
        :func:`specs_from_lasagne`, e.g. ``"lstm.W_in_to_ingate"``, or
        ``"a.W"``), ``{"trainable": False}`` to untag one, ``None`` for
        ``hid_init``/``cell_init`` given as an expression, nested LayerSpec
        lists for ``input_to_hidden``/``hidden_to_hidden``, LSTM/GRU gate
        arrays by attribute name (``W_in_to_ingate``) or as
        ``{"ingate": {"W_in": ..., "b": ...}}``, functions by name
        (``"rectify"``, ``"maximum"``: see ``NAMED_FUNCTIONS``), SliceLayer
        ``indices`` as a list of slice arguments, and InputLayer ``dtype``
        (e.g. ``"int32"`` for an EmbeddingLayer's input).
    classes : dict, optional
        ``{layer name: class}`` to use instead of looking ``kind`` up (the
        classes a NeuralNet was given, custom ones included).
    init : optional
        A Lasagne initializer (or ``shape -> array`` callable) for every
        parameter array the specs leave to Lasagne's default: e.g. float32
        zeros to build VGG without drawing 138M random numbers.

    Returns
    -------
    collections.OrderedDict
        Layers in ``specs`` order (the last is the output of a chain).

    Raises
    ------
    SpecError
        For an unknown class, a bad function name or share reference.
    LayerRuleError
        When Lasagne's constructor refuses the arguments (its complaint
        is the message, the exception its ``__cause__``).
    """
    return _build(lasagne(), list(specs), classes or {}, ({}, "", init))


def output_layers(specs, built):
    """The layers no other layer takes as input, in ``specs`` order."""
    used = {name for spec in specs for name in spec.incoming}
    return [built[spec.name] for spec in specs if spec.name not in used]


def input_layers(output_layer):
    """The InputLayers under ``output_layer``, in ``get_all_layers`` order."""
    module = lasagne()
    return [layer for layer in module.layers.get_all_layers(output_layer)
            if isinstance(layer, module.layers.InputLayer)]


# output layer -> compiled function; dropped with the network.
_OUTPUT_FUNCTIONS = weakref.WeakKeyDictionary()


def layer_outputs_function(output_layer):
    """One compiled Theano function: input batch -> every layer's output array.

    Outputs are deterministic (dropout and noise off) and in
    ``get_all_layers`` order.  The function is compiled once per output layer
    and cached for as long as the network lives.

    Raises
    ------
    SpecError
        If the network does not have exactly one InputLayer.
    """
    cached = _OUTPUT_FUNCTIONS.get(output_layer)
    if cached is not None:
        return cached
    module = lasagne()
    import theano
    inputs = input_layers(output_layer)
    if len(inputs) != 1:
        raise SpecError("runtime verification needs exactly one InputLayer, found %d"
                        % len(inputs))
    layers = module.layers.get_all_layers(output_layer)
    outputs = module.layers.get_output(layers, deterministic=True)
    function = theano.function([inputs[0].input_var], outputs)
    _OUTPUT_FUNCTIONS[output_layer] = function
    return function


def runtime_shapes(output_layer, batch):
    """The shape of every layer's output array for ``batch``, as tuples of ints.

    ``batch`` is cast to ``theano.config.floatX``; its shape must fit the
    InputLayer's declared shape (same rank, equal wherever that is not None),
    else SpecError names the InputLayer and field ``batch``.
    """
    import numpy
    import theano
    function = layer_outputs_function(output_layer)
    [layer] = input_layers(output_layer)
    batch = numpy.asarray(batch, dtype=theano.config.floatX)
    declared = tuple(layer.shape)
    if batch.ndim != len(declared) or any(
            d is not None and d != b for d, b in zip(declared, batch.shape)):
        raise SpecError("shape %s does not fit the declared %s"
                        % ("x".join(map(str, batch.shape)), _plain(declared)),
                        layer=layer_names(all_layers(output_layer))[layer],
                        kind="InputLayer",
                        field="batch")
    return [tuple(int(d) for d in array.shape) for array in function(batch)]
