"""The only module that imports Lasagne: specs <-> Lasagne graphs, and Lasagne's own figures.

``build_layers`` makes real Lasagne layers from LayerSpecs (the other way).

``specs_from_lasagne`` reads hyper-parameters only (num_filters, filter_size,
pad, whether ``b`` is None, ``InputLayer.shape``, ...).  It never asks Lasagne
for a shape or a parameter count and never touches a parameter array, so the
derivation made from its specs is independent of Lasagne's arithmetic.

``report_from_lasagne`` is the other side: Lasagne's ``output_shape`` and its
parameter arrays' shapes, read with ``get_value(borrow=True)`` (no copies).
"""
import importlib
import inspect
import weakref
from collections import OrderedDict

from .compat import install_compat
from .errors import LasagneParamsError, LayerRuleError, SpecError, close_matches
from .records import LayerRow, LayerSpec, ParamTerm, Report, shape_size
from .signatures import LAYER_REFERENCES

__all__ = ["lasagne", "is_lasagne_layer", "all_layers", "layer_names",
           "specs_from_lasagne", "report_from_lasagne", "build_layers", "output_layers",
           "named_function", "NAMED_FUNCTIONS", "input_layers", "layer_outputs_function",
           "runtime_shapes"]

# Hyper-parameters each layer class keeps as attributes (Lasagne 0.1 names).
HYPER_PARAMS = {
    "InputLayer": ("shape",),
    "Conv2DLayer": ("num_filters", "filter_size", "stride", "pad", "untie_biases"),
    "Pool2DLayer": ("pool_size", "stride", "pad", "ignore_border", "mode"),
    "MaxPool2DLayer": ("pool_size", "stride", "pad", "ignore_border"),
    "DenseLayer": ("num_units",),
    "DropoutLayer": ("p",),
    "GaussianNoiseLayer": ("sigma",),
    "NonlinearityLayer": (),
    "FlattenLayer": ("outdim",),
    "ReshapeLayer": ("shape",),
}
# Attributes holding parameter arrays (or None when the layer has none).
PARAM_ATTRS = ("W", "b")
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
    ``Conv2DLayer`` at position 1), made unique against every other name.
    """
    taken = {layer.name for layer in layers if layer.name}
    names = {}
    for index, layer in enumerate(layers):
        if layer.name:
            names[layer] = layer.name
            continue
        base = type(layer).__name__
        base = base[:-5] if base.endswith("Layer") and len(base) > 5 else base
        name = "%s_%d" % (base.lower(), index)
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


def _incoming(layer):
    if hasattr(layer, "input_layers"):
        return list(layer.input_layers)
    return [layer.input_layer] if getattr(layer, "input_layer", None) is not None else []


def specs_from_lasagne(output_layer):
    """LayerSpecs for every layer under ``output_layer``, from hyper-parameters only."""
    layers = all_layers(output_layer)
    names = layer_names(layers)
    owner = {}      # id(shared variable) -> "layer.param" of its first holder
    specs = []
    for layer in layers:
        kind = type(layer).__name__
        name = names[layer]
        args = {}
        for attr in HYPER_PARAMS.get(kind, ()):
            value = _plain(getattr(layer, attr))
            if attr == "shape" and kind == "ReshapeLayer" and not all(
                    isinstance(v, (int, list)) for v in value):
                raise LayerRuleError("symbolic sizes cannot be derived statically, got %r"
                                     % (value,), layer=name, kind=kind, field="shape")
            args[attr] = value
        for attr in PARAM_ATTRS:
            if not hasattr(layer, attr):
                continue
            variable = getattr(layer, attr)
            if variable is None:
                args[attr] = None
            elif id(variable) in owner:
                args[attr] = {"shared": owner[id(variable)]}
            else:
                owner[id(variable)] = "%s.%s" % (name, attr)
        specs.append(LayerSpec(name, kind, tuple(names[i] for i in _incoming(layer)), args))
    return specs


def _short(param_name, layer_name):
    name = str(param_name)
    prefix = "%s." % layer_name
    return name[len(prefix):] if layer_name and name.startswith(prefix) else name


def report_from_lasagne(output_layer):
    """Lasagne's own figures: ``output_shape`` and borrowed parameter shapes."""
    module = lasagne()
    layers = module.layers.get_all_layers(output_layer)
    names = layer_names(layers)
    owner = {}
    rows = []
    for index, layer in enumerate(layers):
        terms = []
        for param, tags in layer.params.items():
            shape = tuple(int(d) for d in param.get_value(borrow=True).shape)
            key = owner.setdefault(id(param), "%s.%s" % (names[layer],
                                                         _short(param.name, layer.name)))
            terms.append(ParamTerm(_short(param.name, layer.name), shape,
                                   "trainable" in tags, "regularizable" in tags, key))
        formula = " + ".join("*".join(str(d) for d in t.shape) or "1" for t in terms)
        rows.append(LayerRow(
            index=index, name=names[layer], kind=type(layer).__name__,
            output_shape=_plain(tuple(layer.output_shape)),
            params=sum(t.size for t in terms),
            trainable_params=sum(t.size for t in terms if t.trainable),
            param_formula=formula,
            incoming=tuple(names[i] for i in _incoming(layer)), terms=tuple(terms)))

    def total(**tags):
        params = module.layers.get_all_params(output_layer, **tags)
        return sum(shape_size(p.get_value(borrow=True).shape) for p in params)

    return Report(tuple(rows), source="lasagne", total_params=total(),
                  trainable_params=total(trainable=True))


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


def _shared(ref, built, key, where):
    layer_name, _, attr = ref.rpartition(".")
    variable = getattr(built.get(layer_name), attr, None)
    if variable is None:
        raise SpecError("layer %r has no parameter %r to share" % (layer_name, attr),
                        field=key, **where)
    return variable


def _constructor(cls, spec, built, where):
    """Keyword arguments for ``cls(**kwargs)``: inputs wired, names resolved."""
    params = inspect.signature(cls.__init__).parameters
    kwargs = {}
    for key, value in spec.args.items():
        if isinstance(value, dict) and set(value) == {"shared"}:
            value = _shared(value["shared"], built, key, where)
        elif key in NAMED_FUNCTIONS and isinstance(value, str):
            value = named_function(key, value, **where)
        kwargs[key] = value
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
    kwargs["name"] = spec.name
    return kwargs


def build_layers(specs, classes=None):
    """Real Lasagne layers from LayerSpecs (inputs first), as {name: layer}.

    Parameters
    ----------
    specs : list of LayerSpec
        ``kind`` names a class of ``lasagne.layers``; ``{"shared": "a.W"}``
        becomes layer a's W itself; a string ``nonlinearity`` (and
        ``merge_function``, ``pool_function``) is looked up by name.
    classes : dict, optional
        ``{layer name: class}`` to use instead of looking ``kind`` up (the
        classes a NeuralNet was given, custom ones included).

    Returns
    -------
    collections.OrderedDict
        Layers in ``specs`` order.  A constructor that fails raises a
        :class:`LayerRuleError` naming the layer and Lasagne's complaint.
    """
    module = lasagne()
    built = OrderedDict()
    for spec in specs:
        where = {"layer": spec.name, "kind": spec.kind}
        cls = (classes or {}).get(spec.name) or getattr(module.layers, spec.kind, None)
        if not inspect.isclass(cls) or not issubclass(cls, module.layers.Layer):
            names = [n for n in dir(module.layers) if n.endswith("Layer")]
            hints = close_matches(spec.kind, names, n=1)
            raise SpecError("lasagne.layers has no layer class %r%s" % (
                spec.kind, "; did you mean %s?" % hints[0] if hints else ""),
                field="type", **where)
        kwargs = _constructor(cls, spec, built, where)
        try:
            built[spec.name] = cls(**kwargs)
        except LasagneParamsError:
            raise
        except Exception as exc:   # Lasagne's own checks raise anything
            raise LayerRuleError("Lasagne cannot build it: %s: %s"
                                 % (type(exc).__name__, exc), **where) from exc
    return built


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
