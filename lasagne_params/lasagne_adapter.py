"""The only module that imports Lasagne: Lasagne graph -> LayerSpecs, and Lasagne's own figures.

``specs_from_lasagne`` reads hyper-parameters only (num_filters, filter_size,
pad, whether ``b`` is None, ``InputLayer.shape``, ...).  It never asks Lasagne
for a shape or a parameter count and never touches a parameter array, so the
derivation made from its specs is independent of Lasagne's arithmetic.

``report_from_lasagne`` is the other side: Lasagne's ``output_shape`` and its
parameter arrays' shapes, read with ``get_value(borrow=True)`` (no copies).
"""
import weakref

from .compat import install_compat
from .errors import LayerRuleError, SpecError
from .records import LayerRow, LayerSpec, ParamTerm, Report, shape_size

__all__ = ["lasagne", "is_lasagne_layer", "all_layers", "layer_names",
           "specs_from_lasagne", "report_from_lasagne", "input_layers",
           "layer_outputs_function", "runtime_shapes"]

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
