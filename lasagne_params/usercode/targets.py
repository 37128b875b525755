"""What a Python file names as a network: ``FILE.py:NAME``, ``FILE.py``, a notebook.

* ``FILE.py:NAME``: NAME is a function called with no arguments, or a
  module-level variable (read as :mod:`lasagne_params.usercode.loading`
  describes);
* ``FILE.py``: every network the module defines when it is imported (its
  module-level variables; functions are not called).

A value gives networks when it is a Lasagne layer, a NeuralNet, or a list,
tuple or dict of layers (a Lasagne Recipes builder's ``net`` dict, an
``(input_layer, output_layer)`` pair): the networks' outputs are the layers
there that no layer of the network takes as input.  Several outputs give
several networks; :func:`pick` (the command line's ``--output-layer NAME``,
a dict key or a layer's name) picks one, or names any layer of it as the
output.
"""
import inspect
import os
from typing import Any, Dict, List, Optional

from ..core.errors import (ArgumentError, LasagneParamsError, TargetError, UserCodeError,
                           did_you_mean)
from .loading import read_file
from .running import failure_line, reported, running

__all__ = ["Target", "networks_of", "module_networks", "load_networks", "load_network",
           "split_target", "pick", "EXPECTED"]

#: What a value must be to name a network, for the messages.
EXPECTED = "a Lasagne layer, a list, tuple or dict of layers, or a NeuralNet"


class Target:
    """One network named on the command line: ``label`` (how to name it) and ``network``.

    ``outputs_of`` is the label of the value (a builder's list or dict of layers) when
    this is one of its several outputs: the outputs of one network, which a format
    may show together (``Format.whole_network``); None otherwise.
    """

    def __init__(self, label: str, network: Any, output: Optional[str] = None,
                 keys: Optional[Dict[str, Any]] = None,
                 outputs_of: Optional[str] = None) -> None:
        self.label = label
        self.network = network
        self.output = output        # the dict key or layer name picking it, if any
        self.keys = keys or {}      # {dict key: layer} when the value was a dict of layers
        self.outputs_of = outputs_of

    def __repr__(self) -> str:
        return "Target(%r)" % self.label


def _is_network(value):
    from ..backend.nolearn.neuralnet import NeuralNet
    from ..backend.networks.read import is_lasagne_layer
    return isinstance(value, NeuralNet) or is_lasagne_layer(value)


def _attributes(value):
    """An object's own attributes (``vars``), or None for values that are not such objects
    (modules, classes, functions hold code, not a network)."""
    if inspect.ismodule(value) or inspect.isclass(value) or inspect.isroutine(value):
        return None
    try:
        return dict(vars(value))
    except TypeError:           # no __dict__ (numbers, strings, numpy arrays)
        return None


def _layer_items(value):
    """(key, layer) for each Lasagne layer a list/tuple/dict holds — or an object holds
    as attributes, itself or in a list/dict attribute (a repository's ``Network``
    wrapper: ``self.l_in``, ``self.l_out``) — or None when it holds none."""
    from ..backend.networks.read import is_lasagne_layer
    if isinstance(value, dict):
        items = [(str(key), item) for key, item in value.items()]
    elif isinstance(value, (list, tuple)):
        items = [(None, item) for item in value]
    else:
        attributes = _attributes(value)
        if not attributes:
            return None
        items = []
        for key, item in attributes.items():
            if is_lasagne_layer(item):
                items.append((key, item))
            elif isinstance(item, (list, tuple, dict)):
                items.extend(_layer_items(item) or ())
    layers = [(key, item) for key, item in items if is_lasagne_layer(item)]
    return layers or None


def _outputs(items):
    """The (key, layer) pairs no layer under any of them takes as input, in order, once each.

    A CustomRecurrentLayer takes its sub-networks: their layers are no outputs.
    """
    from ..backend.networks.read import every_layer, incoming_layers, subnetwork_outputs
    fed = set()
    for _, layer in items:
        for member in every_layer(layer):
            fed.update(id(source) for source in incoming_layers(member))
            fed.update(id(sub) for sub in subnetwork_outputs(member))
    seen, outputs = set(), []
    for key, layer in items:
        if id(layer) not in fed and id(layer) not in seen:
            seen.add(id(layer))
            outputs.append((key, layer))
    return outputs


def _output_name(key, layer, index):
    return key if key is not None else (layer.name or "output %d" % index)


def _name_by_keys(items):
    """Call each unnamed layer of a dict by its key, as the builder's author did.

    Lasagne's Recipes builders keep their layers in ``net['conv1_1']`` and name none of
    them; their rows then read ``conv1_1`` rather than ``conv2ddnn_1``.  A layer already
    named keeps its name; a layer under several keys takes the first.
    """
    named = set()
    for key, layer in items:
        if key is not None and not layer.name and id(layer) not in named:
            layer.name = key
            named.add(id(layer))


def networks_of(value, label):
    """The networks a value gives, as Targets (none for a value that is no network)."""
    from ..backend.nolearn.neuralnet import NeuralNet
    if isinstance(value, NeuralNet):
        return [Target(label, value)]
    if _is_network(value):
        return [Target(label, value, getattr(value, "name", None))]
    items = _layer_items(value)
    if items is None:
        return []
    _name_by_keys(items)
    outputs = _outputs(items)
    keys = {key: layer for key, layer in items if key is not None}
    if len(outputs) == 1:
        key, layer = outputs[0]
        return [Target(label, layer, _output_name(key, layer, 0), keys)]
    return [Target("%s[%s]" % (label, _output_name(key, layer, i)), layer,
                   _output_name(key, layer, i), keys, outputs_of=label)
            for i, (key, layer) in enumerate(outputs)]


def _required_arguments(function):
    try:
        parameters = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):
        return []
    return [p.name for p in parameters
            if p.default is p.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]


def _named_value(module, path, name, advised=""):
    """What ``FILE.py:NAME`` names: NAME's value, or what NAME() returns; ``advised``
    ends the error when there is no NAME (what a skipped statement advises)."""
    names = [n for n in vars(module) if not n.startswith("_")
             and not inspect.ismodule(vars(module)[n])]
    if name not in vars(module):
        raise TargetError("has no function or variable %r%s%s" % (
            name, did_you_mean(name, names), advised), file=path)
    value = vars(module)[name]
    if inspect.isclass(value):
        raise TargetError("%s is a class; name a function returning a network, or a "
                          "variable holding one" % name, file=path)
    if not callable(value) or _is_network(value):
        return value
    required = _required_arguments(value)
    if required:
        raise TargetError("%s() needs argument%s %s; name a function without required "
                          "arguments, or a variable holding the network" % (
                              name, "s" if len(required) > 1 else "", ", ".join(required)),
                          file=path)
    with reported(path, "calling %s()" % name, "%s() failed" % name), running(path):
        return value()


def module_networks(module, path):
    """Every network the module's variables hold: NeuralNets, and the outputs of all its layers."""
    from ..backend.nolearn.neuralnet import NeuralNet
    label = os.path.basename(path)
    targets, items, holders = [], [], {}
    for name, value in vars(module).items():
        if name.startswith("_"):
            continue
        if isinstance(value, NeuralNet):
            targets.append(Target("%s:%s" % (label, name), value))
        elif _is_network(value):
            items.append((name, value))
            holders.setdefault(id(value), name)
        else:
            for key, layer in _layer_items(value) or ():
                items.append((name if key is None else key, layer))
                holders.setdefault(id(layer), _holder(name, value, key))
    for _, layer in _outputs(items) if items else ():
        targets.append(Target("%s:%s" % (label, holders[id(layer)]), layer,
                              layer.name or holders[id(layer)]))
    return targets


def _holder(name, value, key):
    """How a module's variable ``name`` holds a layer under ``key``: ``net['fc7']``,
    ``model.l_out``, or ``layers`` (a list)."""
    if key is None:
        return name
    if isinstance(value, dict):
        return "%s[%r]" % (name, key)
    return "%s.%s" % (name, key)


def split_target(target):
    """``FILE.py:NAME`` -> (``FILE.py``, ``NAME``); ``FILE.py`` -> (``FILE.py``, None)."""
    path, sep, name = target.rpartition(":")
    if not sep or os.path.splitext(name)[1].lower() in (".py", ".ipynb"):
        return target, None
    return path, name


def load_networks(target: str, keep_going: bool = False) -> List[Target]:
    """``FILE.py:NAME`` or ``FILE.py`` -> the Targets it names (at least one).

    The file is read up to its first use of a network (see
    :mod:`lasagne_params.usercode.loading`); ``keep_going``: statements of the
    file that fail are skipped."""
    path, name = split_target(target)
    if not path.lower().endswith((".py", ".ipynb")) and name is None:
        raise TargetError("expected a spec file (.json, .yaml, .yml), path/to/module.py "
                          "or path/to/module.py:NAME", file=target)
    reading = read_file(path, until=name, keep_going=keep_going)
    module = reading.module
    if name is None:
        found = module_networks(module, path)
        if not found:
            functions = [n for n, v in vars(module).items() if not n.startswith("_")
                         and inspect.isfunction(v) and not _required_arguments(v)]
            raise TargetError("defines no network when imported (a Lasagne layer, a list, "
                              "tuple or dict of layers, or a NeuralNet in a module-level "
                              "variable)%s" % ("; name a function that builds one: %s" % ", ".join(
                                  "%s:%s" % (path, f) for f in functions[:3])
                                  if functions else ""), file=path)
        return _described(found, path)
    if name not in vars(module):
        failed = reading.failed_assigning(name)
        if failed is not None:
            line, exc = failed
            raise UserCodeError("%s is not defined: line %d, which assigns it, failed and was "
                                "skipped (--keep-going): %s%s" % (name, line, failure_line(exc),
                                                                  reading.advised()),
                                exception=type(exc).__name__, file=path)
    value = _named_value(module, path, name, reading.advised())
    found = networks_of(value, "%s:%s" % (os.path.basename(path), name))
    if not found:
        what = "returned" if callable(vars(module)[name]) else "is"
        call = "%s()" % name if what == "returned" else name
        raise TargetError("%s %s %s, expected %s" % (
            call, what, "None" if value is None else type(value).__name__, EXPECTED),
            file=path, field=name)
    return _described(found, path)


def _described(targets, path):
    """``targets``, each NeuralNet's keywords checked where its file is known (a NeuralNet
    checks them only when initialised or described, as nolearn's did)."""
    for target in targets:
        if hasattr(target.network, "to_specs"):
            try:
                target.network.to_specs()
            except LasagneParamsError as exc:
                raise exc.located(file=path) from None
    return targets


def load_network(target):
    """``path/to/module.py:NAME`` -> the one network it names (a layer or a NeuralNet)."""
    return pick(load_networks(target), None, target).network


def _layer_called(network, name):
    """The layer of ``network`` whose name is ``name``, or None."""
    from ..backend.networks.read import all_layers, is_lasagne_layer
    if not is_lasagne_layer(network):
        return None
    for layer in all_layers(network):
        if layer.name == name:
            return layer
    return None


def pick(targets, output, what):
    """The one Target of ``targets`` that ``--output-layer output`` names (or the only one)."""
    if output is None:
        if len(targets) == 1:
            return targets[0]
        raise ArgumentError("%s gives %d networks (%s); choose one with --output-layer NAME"
                            % (what, len(targets), ", ".join(t.label for t in targets)),
                            field="--output-layer")
    for target in targets:
        if target.output == output:
            return target
    for target in targets:
        layer = target.keys.get(output) or _layer_called(target.network, output)
        if layer is not None:
            return Target("%s[%s]" % (target.label, output), layer, output)
    names = [t.output for t in targets if t.output]
    raise ArgumentError("no output or layer called %r in %s%s" % (
        output, what, did_you_mean(output, names) or (
            "; outputs: %s" % ", ".join(names) if names else "")), field="--output-layer")
