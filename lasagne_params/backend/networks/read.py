"""Reading a built Lasagne network: its hyper-parameters (for the derivation) and its own figures.

``specs_from_lasagne`` reads hyper-parameters only: the attributes each
kind's declaration names (``LayerKind.hyper_params``), which of its array
attributes hold no array, shared arrays and nested sub-networks.  It never
asks Lasagne for a shape or a parameter count and never touches a parameter
array, so the derivation made from its specs is independent of Lasagne's
arithmetic.

``report_from_lasagne`` is the other side: Lasagne's ``output_shape`` and
the shapes of each layer's ``get_params()`` arrays, read with
``get_value(borrow=True)`` (no copies).

A built layer's class is matched to its kind by identity
(:func:`layer_kind`): a class of a user's own named like Lasagne's
(``BatchNormLayer`` without gamma) is not derived by Lasagne's rule; its rows
name it ``module.Name`` and deriving it fails, naming it.

A layer built from a CPU stand-in of a GPU class (gpu_standins.py) keeps
the GPU class's name and kind; both sides' rows say it was a stand-in
(:func:`layer_note`: also for a network built from a spec file or a
NeuralNet, whose derived rows ``compare`` gives the notes of the built layers).
"""
import sys

from ...core import versions
from ...core.errors import ArgumentError
from ...core.layers.normalization import BATCH_NORM_ARRAYS
from ...core.layers.recurrent import STATES
from ...core.records import LayerRow, LayerSpec, ParamArray, Report
from ...core.registry import kind_of_class
from ..bridges.compat import import_lasagne
from ..bridges.gpu_standins import standin_note
from ..bridges.layer_calls import added_after

__all__ = ["is_lasagne_layer", "is_lasagne_network", "layer_kind", "all_layers", "every_layer",
           "subnetwork_outputs", "layer_names", "layer_note", "layer_notes",
           "specs_from_lasagne", "report_from_lasagne", "incoming_layers", "plain",
           "network_version", "array_keys", "labelled_params", "short_name"]


def network_version():
    """The version of the Lasagne that built the networks being read (canonical), or None."""
    try:
        return versions.canonical(getattr(import_lasagne(), "__version__", ""))
    except ArgumentError:
        return None


def is_lasagne_layer(obj):
    """True for a Lasagne Layer instance (without importing Lasagne if it is not loaded)."""
    module = sys.modules.get("lasagne.layers.base")
    return module is not None and isinstance(obj, module.Layer)


def is_lasagne_network(network):
    """True for a Lasagne layer, or a non-empty list or tuple of them."""
    items = network if isinstance(network, (list, tuple)) else [network]
    return bool(items) and all(is_lasagne_layer(x) for x in items)


def all_layers(output_layer):
    """Lasagne's ``get_all_layers`` order (inputs first)."""
    return import_lasagne().layers.get_all_layers(output_layer)


def layer_names(layers):
    """{layer: name}: the layer's own name, else a stable automatic one.

    Unnamed layers get ``<kind>_<index>`` (``conv2d_1``, from
    ``Conv2DLayer`` at position 1); a name used twice gets ``_<index>`` on
    its later uses; every name is unique.
    """
    taken = {layer.name for layer in layers if layer.name}
    names, seen = {}, set()
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


def plain(value):
    """Ints, tuples, lists and other values as plain Python (numpy ints become ints)."""
    if isinstance(value, tuple):
        return tuple(plain(v) for v in value)
    if isinstance(value, list):
        return [plain(v) for v in value]
    if hasattr(value, "__index__") and not isinstance(value, bool):
        return int(value)
    return value


def _function_name(function):
    scalar_op = getattr(function, "scalar_op", None)          # T.add, T.maximum, ...
    return getattr(scalar_op, "name", None) or getattr(function, "__name__", None) \
        or type(function).__name__


def _is_function(value):
    return callable(value) and not isinstance(value, type) and not is_lasagne_layer(value)


def incoming_layers(layer):
    if hasattr(layer, "input_layers"):
        return [i for i in layer.input_layers if i is not None]
    return [layer.input_layer] if getattr(layer, "input_layer", None) is not None else []


def layer_kind(layer):
    """``(name, LayerKind or None)`` of a built layer: its class's kind, by identity
    (:func:`~lasagne_params.core.registry.kind_of_class`), and the name its rows give."""
    return kind_of_class(type(layer))


def subnetwork_outputs(layer):
    """The output layers of a layer's sub-networks (a CustomRecurrentLayer's input_to_hidden...)."""
    _, kind = layer_kind(layer)
    return [getattr(layer, field) for field in (kind.subnetworks if kind is not None else ())
            if getattr(layer, field, None) is not None]


def every_layer(output_layer):
    """``get_all_layers``, plus the layers of every sub-network inside, each once."""
    found, seen = [], set()
    pending = list(all_layers(output_layer))
    for layer in pending:               # grows as sub-networks are found: linear, in order
        if id(layer) in seen:
            continue
        seen.add(id(layer))
        found.append(layer)
        for sub in subnetwork_outputs(layer):
            pending.extend(all_layers(sub))
    return found


def _attribute(layer, path):
    for part in path.split("."):
        layer = getattr(layer, part)
    return layer


def _is_shared(variable):
    import theano
    return isinstance(variable, theano.compile.SharedVariable)


def _is_expression(variable):
    """A Theano expression that is not an array itself (master's ``W=enc.W.T``)."""
    import theano
    return isinstance(variable, theano.Variable) and not _is_shared(variable)


def _holds(layer, arrays):
    """True if ``layer``'s parameters include every array of ``arrays`` (master's
    ``get_params`` collects the arrays of an expression given as a parameter; 0.1 keeps
    an expression ``hid_init`` out of them)."""
    held = {id(p) for p in layer.get_params()}
    return all(id(a) in held for a in arrays)


def _expression_sources(variable):
    """The shared arrays a Theano expression is computed from, each once, in order."""
    from theano.graph.basic import graph_inputs
    arrays = {id(v): v for v in graph_inputs([variable]) if _is_shared(v)}
    return list(arrays.values())


def expression_text(variable, source, keys):
    """How a spec writes ``variable``, an expression of the array ``source`` (called
    ``keys``): ``key.T``, ``key.dimshuffle(1, 0, 2, 3)``, or ``an expression (Op) of
    key``; ``source`` None: of the arrays ``keys`` (a list)."""
    owner = variable.owner
    op = getattr(owner, "op", None)
    if source is not None and owner is not None and list(owner.inputs) == [source] and \
            type(op).__name__ == "DimShuffle":
        order = tuple(op.new_order)
        if order == tuple(range(source.ndim))[::-1] and source.ndim == 2:
            return keys + ".T"
        return "%s.dimshuffle(%s)" % (keys, ", ".join(map(str, order)))
    named = keys if source is not None else ", ".join(keys) or "no array"
    return "an expression (%s) of %s" % (type(op).__name__ if op else "constant", named)


#: Theano's scalar operations -> (operator, precedence) in a size's text.
_OPERATORS = {"Mul": ("*", 6), "Add": ("+", 5), "Sub": ("-", 5), "IntDiv": ("//", 6),
              "Mod": ("%", 6), "TrueDiv": ("/", 6)}


def _size_text(variable, depth=0):
    """(text, precedence) of a Theano size expression: ``x.shape[0]*20``."""
    owner = variable.owner
    op = getattr(owner, "op", None)
    data = getattr(variable, "data", None)
    if owner is None and data is not None and getattr(data, "ndim", 1) == 0:
        return str(data.item()), 9                                 # a constant
    if owner is None:
        return variable.name or "a Theano variable", 9
    inputs = owner.inputs
    if depth < 20 and type(op).__name__ == "Subtensor" and inputs[0].owner is not None \
            and type(inputs[0].owner.op).__name__ == "Shape" and len(inputs) == 2 \
            and getattr(inputs[1], "data", None) is not None:
        return "%s.shape[%s]" % (_size_text(inputs[0].owner.inputs[0], depth + 1)[0],
                                 inputs[1].data), 9
    scalar = type(getattr(op, "scalar_op", None)).__name__
    if depth < 20 and scalar in _OPERATORS and len(inputs) == 2:
        symbol, precedence = _OPERATORS[scalar]
        (left, lp), (right, rp) = (_size_text(i, depth + 1) for i in inputs)
        left = "(%s)" % left if lp < precedence else left
        right = "(%s)" % right if rp <= precedence and (rp < precedence or symbol != "*") \
            else right
        return "%s%s%s" % (left, symbol, right), precedence
    if depth < 20 and scalar in ("Cast", "Identity") and len(inputs) == 1:
        return _size_text(inputs[0], depth + 1)
    if not _few_operations(variable):     # a network's output (get_output(l).shape[0])
        return "(an expression)", 9
    from theano.printing import pprint
    return " ".join(pprint(variable).split())[:120], 0


def _few_operations(variable, limit=8):
    """True when at most ``limit`` operations compute ``variable``.  Theano's ``pprint``
    writes a graph as a tree, each shared part again: the output of a network whose
    layers are reused (a DenseNet's concatenations) is written exponentially long, so
    only small graphs are printed (the walk stops at ``limit + 1``)."""
    seen, todo = set(), [variable]
    while todo:
        owner = todo.pop().owner
        if owner is None or id(owner) in seen:
            continue
        seen.add(id(owner))
        if len(seen) > limit:
            return False
        todo.extend(owner.inputs)
    return True


def _sizes(value):
    """A hyper-parameter with each Theano variable in it (a size given as an expression:
    ``ReshapeLayer(l, (x.shape[0]*20, 16))``) as ``{"expression": its text}``."""
    if isinstance(value, (tuple, list)):
        return type(value)(_sizes(v) for v in value)
    import theano
    if isinstance(value, theano.Variable) and not _is_shared(value):
        return {"expression": _size_text(value)[0]}
    return value


def _hyper_params(layer, kind):
    args = {}
    for entry in kind.hyper_params if kind is not None else ():
        attr, arg = entry if isinstance(entry, tuple) else (entry, entry)
        try:
            value = _attribute(layer, attr)
        except AttributeError:
            continue
        args[arg] = _function_name(value) if _is_function(value) else _sizes(plain(value))
    if kind is not None and kind.reader is not None:
        args.update((k, plain(v)) for k, v in kind.reader(layer).items())
    return args


#: A batch normalization's arrays Lasagne creates without the trainable tag.
_STATISTICS = {name for name, trainable, _ in BATCH_NORM_ARRAYS if not trainable}


def _untagged_by_rule(kind, layer, attr):
    """True for arrays Lasagne itself creates without the trainable tag (the rules derive
    that): initial states without ``learn_init``, batch-norm statistics."""
    return (attr in STATES and not getattr(layer, "learn_init", True)) \
        or (kind.family == "normalization" and attr in _STATISTICS)


def _specs(output_layer, owner, prefix):
    """LayerSpecs of the network under ``output_layer``; ``owner`` maps shared arrays."""
    layers = all_layers(output_layer)
    names = layer_names(layers)
    specs = []
    for layer in layers:
        kind_name, kind = layer_kind(layer)
        name = names[layer]
        args = _hyper_params(layer, kind)
        behind = _arrays_behind(layer, kind, owner)
        notes = [layer_note(layer)] + ["%s: an expression of the array %s holds (rewritten "
                                       "after it was built: weight normalisation), derived "
                                       "as that array" % (attr, name)
                                       for attr in behind]
        for attr in kind.arrays if kind is not None else ():
            variable = getattr(layer, attr, None)
            variable = behind.get(attr, variable)
            if is_lasagne_layer(variable):     # master: an initial state given as a layer
                args[attr] = {"layer": names[variable]}
                continue
            sources = _expression_sources(variable) if _is_expression(variable) else []
            if sources and _holds(layer, sources):     # master: the layer holds them
                keys = [owner.get(id(v)) or str(v) for v in sources]
                if len(sources) == 1 and id(sources[0]) in owner:   # master: W=enc.W.T
                    args[attr] = {"shared": keys[0], "expression": expression_text(
                        variable, sources[0], keys[0])}
                else:
                    args[attr] = {"expression": expression_text(variable, None, keys)}
                continue
            if variable is None or not _is_shared(variable):
                if hasattr(layer, attr):       # None, or another expression: no array
                    args[attr] = None
                continue
            if id(variable) in owner:
                args[attr] = {"shared": owner[id(variable)]}
            else:
                owner[id(variable)] = "%s%s.%s" % (prefix, name, attr)
            tags = getattr(layer, "params", {}).get(variable)
            if tags is not None and "trainable" not in tags and not _untagged_by_rule(
                    kind, layer, attr):
                args[attr] = dict(args.get(attr) or {}, trainable=False)   # untagged by hand
        if kind is None:        # a class of the user's: a later layer may share its arrays
            for param, label in labelled_params(layer):
                owner.setdefault(id(param), "%s%s.%s" % (prefix, name, label))
        for field in kind.subnetworks if kind is not None else ():
            args[field] = _specs(getattr(layer, field), owner,
                                 "%s%s.%s/" % (prefix, name, field))
        specs.append(LayerSpec(name, kind_name,
                               tuple(names[i] for i in incoming_layers(layer)), args,
                               "; ".join(note for note in notes if note)))
    return specs


def arrays_added(layer):
    """``[(array, label)]`` of the arrays a layer of a declared kind holds that no
    attribute of its kind accounts for (an array, the arrays an expression there is
    computed from, its sub-networks'): arrays code added to the built layer from outside
    (``layer.add_param(...)`` after the constructor, improved-GAN's ``l2normalize``
    scale, DRAW's learnt initial state on an InputLayer).  Its rule cannot derive them."""
    _, kind = layer_kind(layer)
    if kind is None:
        return []
    accounted = set()
    behind = _arrays_behind(layer, kind, {})
    for attr in kind.arrays:
        variable = behind.get(attr, getattr(layer, attr, None))
        if _is_shared(variable):
            accounted.add(id(variable))
        elif _is_expression(variable):
            accounted.add(id(variable))
            accounted.update(id(v) for v in _expression_sources(variable))
    for field in kind.subnetworks:
        for sub in all_layers(getattr(layer, field)):
            accounted.update(id(p) for p in _held_arrays(sub))
    return [(param, short_name(param.name, layer.name)) for param in _held_arrays(layer)
            if id(param) not in accounted]


def _held_arrays(layer):
    """The keys of a layer's ``params`` (its arrays, and expressions given as one), read
    as an attribute: the derivation asks no figure of Lasagne (``get_params``)."""
    params = getattr(layer, "params", None)
    return list(params) if isinstance(params, dict) else []


def _arrays_behind(layer, kind, owner):
    """{attribute: array} for a stock layer whose array attribute code rewrote, after the
    layer was built, as an expression of the array the layer still holds (weight
    normalisation: ``layer.W = W_param * g / norm(W_param)``, the bias dropped from
    ``params``).  Lasagne counts what ``get_params`` holds, so the attribute is derived as
    that array when it is the only array the layer holds that the expression is computed
    from with the expression's rank, no earlier layer holds it, and every array the layer
    holds is then named by an attribute of its kind or was added to the built layer by a
    noted ``add_param`` (improved-GAN's ``l2normalize`` scale)."""
    if kind is None or not kind.arrays:
        return {}
    # the arrays its params hold themselves (an expression given to the constructor,
    # master's W=free*2, is a key of its own: not this idiom)
    keys = _held_arrays(layer)
    direct = {id(p) for p in keys if _is_shared(p)}
    held_ids = direct | {id(v) for p in keys if _is_expression(p)
                         for v in _expression_sources(p)}
    behind = {}
    for attr in kind.arrays:
        variable = getattr(layer, attr, None)
        if not _is_expression(variable) or is_lasagne_layer(variable):
            continue
        found = [v for v in _expression_sources(variable) if id(v) in direct
                 and id(v) not in owner and v.ndim == variable.ndim]
        if len(found) == 1:
            behind[attr] = found[0]
    if not behind:
        return {}
    named = {id(behind.get(attr, getattr(layer, attr, None))) for attr in kind.arrays}
    named.update(added_after(layer))      # a scale add_param-ed beside it, noted
    if not held_ids <= named or len(set(map(id, behind.values()))) != len(behind):
        return {}
    return behind


#: What every row of a built layer says that its arguments do not: that it is a CPU
#: stand-in for a GPU class, or ``""``.
layer_note = standin_note


def layer_notes(output_layer):
    """{layer name: :func:`layer_note`} for the layers under ``output_layer`` that have one
    (names as :func:`layer_names` gives them): for the derived rows of a network built
    from a description, which cannot know what the build would give."""
    layers = all_layers(output_layer)
    names = layer_names(layers)
    notes = {names[layer]: layer_note(layer) for layer in layers}
    return {name: note for name, note in notes.items() if note}


def specs_from_lasagne(output_layer):
    """LayerSpecs for every layer under ``output_layer``, from hyper-parameters only.

    A parameter array held by several layers appears as ``{"shared": key}``
    in every holder after the first; a CustomRecurrentLayer's sub-networks
    appear as nested lists of LayerSpecs under ``input_to_hidden`` and
    ``hidden_to_hidden``.  A class with no declared kind gets a spec
    without arguments (deriving it fails with UnsupportedLayerError).
    """
    return _specs(output_layer, {}, "")


def _param_labels(layer, prefix=""):
    """{id(array): name} from the attributes holding a layer's arrays (and its sub-networks')."""
    _, kind = layer_kind(layer)
    labels = {}
    for attr in kind.arrays if kind is not None else ():
        variable = getattr(layer, attr, None)
        if variable is not None:
            labels.setdefault(id(variable), prefix + attr)
    for field in kind.subnetworks if kind is not None else ():
        sub_layers = all_layers(getattr(layer, field))
        sub_names = layer_names(sub_layers)
        for sub in sub_layers:
            labels.update((k, v) for k, v in _param_labels(
                sub, "%s%s/%s." % (prefix, field, sub_names[sub])).items() if k not in labels)
    return labels


def short_name(param_name, layer_name):
    """An array's name without its layer's (``dense.W`` of layer ``dense``: ``W``)."""
    name = str(param_name)
    prefix = "%s." % layer_name
    return name[len(prefix):] if layer_name and name.startswith(prefix) else name


def labelled_params(layer):
    """``[(array, label)]`` of a layer's ``get_params()``: the attribute holding it (a
    declared kind's ``arrays``), else its name without the layer's (``W``)."""
    labels = _param_labels(layer)
    return [(param, labels.get(id(param)) or short_name(param.name, layer.name))
            for param in layer.get_params()]


def array_keys(layers, names):
    """{id(array): key} for every parameter array of ``layers`` (``get_all_layers``
    order; ``names``: {layer: name}): its first holder's name and its label there,
    ``conv.W``, with a ``'`` added while a key is taken (two unnamed arrays)."""
    owner, taken = {}, set()
    for layer in layers:
        for param, label in labelled_params(layer):
            if id(param) not in owner:
                key = "%s.%s" % (names[layer], label)
                while key in taken:
                    key += "'"
                owner[id(param)] = key
                taken.add(key)
    return owner


def report_from_lasagne(output_layer, names=None):
    """Lasagne's own figures: ``output_shape`` and borrowed shapes of ``get_params()``.

    ``names`` ({id(layer): name}, optional) names layers as their owner does
    (a NeuralNet's ``layers_``); the others get :func:`layer_names`' names.

    The totals are Lasagne's ``count_params``: ``get_all_params`` is the
    union, by identity, of ``get_params`` over ``get_all_layers``, which is
    what the rows hold (one key per array; trainable if any holder tags it
    so), and :meth:`Report.of` counts each key once.
    """
    layers = all_layers(output_layer)
    given = names or {}
    names = {layer: given.get(id(layer), name) for layer, name in layer_names(layers).items()}
    owner = array_keys(layers, names)
    rows = []
    for index, layer in enumerate(layers):
        trainable = {id(p) for p in layer.get_params(trainable=True)}
        regularizable = {id(p) for p in layer.get_params(regularizable=True)}
        arrays = []
        for param, label in labelled_params(layer):
            shape = tuple(int(d) for d in param.get_value(borrow=True).shape)
            arrays.append(ParamArray(label, shape, id(param) in trainable,
                                     id(param) in regularizable, owner[id(param)]))
        formula = " + ".join("*".join(str(d) for d in a.shape) or "1" for a in arrays)
        rows.append(LayerRow(
            index=index, name=names[layer], kind=layer_kind(layer)[0],
            output_shape=plain(tuple(layer.output_shape)),
            params=sum(a.size for a in arrays),
            trainable_params=sum(a.size for a in arrays if a.trainable),
            param_formula=formula,
            incoming=tuple(names[i] for i in incoming_layers(layer)),
            param_arrays=tuple(arrays), note=layer_note(layer)))
    return Report.of(rows, "lasagne")
