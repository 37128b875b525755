"""Network descriptions: spec files (JSON, YAML) and nolearn's keywords -> LayerSpecs.

A spec names each layer, its Lasagne class and keyword arguments, and the
layers feeding it.  Two forms are read, from a file or from Python data:

* a plain layer list::

      {"layers": [{"name": "input", "kind": "InputLayer", "shape": [null, 1, 28, 28]},
                  {"name": "conv", "kind": "Conv2DLayer", "num_filters": 32,
                   "filter_size": [5, 5], "nonlinearity": "rectify"},
                  {"name": "out", "kind": "DenseLayer", "num_units": 10,
                   "incoming": "conv"}]}

  ``kind`` is the Lasagne class name (files written for earlier versions of
  this package say ``type``, which is read the same way); ``incoming`` (a
  name, or a list of names for merge layers; ``incomings`` is accepted too)
  defaults to the layer listed before; ``name`` defaults to nolearn's
  automatic one (``conv2d1`` for a Conv2DLayer at position 1);
* nolearn's keyword form, as ``NeuralNet(...)`` takes it::

      {"layers": [["input", "InputLayer"], ["conv2d1", "Conv2DLayer"]],
       "input_shape": [null, 1, 28, 28], "conv2d1_num_filters": 32, ...}

  with ``[LayerType, {keyword: value}]`` pairs allowed too, and nolearn's own
  training keywords (``update``, ``update_learning_rate``, ``max_epochs``, ...)
  accepted and left aside.

A CustomRecurrentLayer's ``input_to_hidden``/``hidden_to_hidden`` are
sub-networks in the layer-list form (a list of layer mappings, output last),
in either form of file.

A parameter shared with another layer is ``{"shared": "conv1.W"}`` (nolearn's
form also takes ``"conv2_W": "conv1"``).  A recurrent layer's initial state
given by another layer (Lasagne master) is ``"hid_init": {"layer": "h0"}``
(``cell_init`` too); that layer becomes one more incoming layer.  Strings such as
``"nonlinearity": "rectify"`` are kept: derivation ignores them, ``build``
looks them up in Lasagne.  Nothing in a spec is ever executed: YAML is read
with ``yaml.safe_load``, and values are plain data.

Reading a spec checks its structure (kinds, keywords, references, cycles);
the hyper-parameters are checked when it is derived
(:func:`lasagne_params.derive` names the file in its errors).  Every
problem raises a :class:`SpecError` (or another :class:`LasagneParamsError`)
naming the file, the layer and the field.  Pure Python: importing this
module imports no Theano, Lasagne or numpy.
"""
import json
import os
from dataclasses import dataclass
from typing import Optional, Tuple

from ..core import versions
from ..core.errors import LasagneParamsError, SpecError, did_you_mean
from ..core.layers.recurrent import STATES, state_layer
from ..core.records import LayerSpec
from ..core.registry import kind_of
from .helpers import HELPER_KEYS, expand_helpers
from .keywords import LAYER_REFERENCES, NONLINEARITIES, check_keyword, keywords_of

__all__ = ["SpecFile", "read_spec_file", "load_spec", "parse_spec", "specs_from_layer_list", "specs_from_nolearn",
           "order_specs", "default_name", "kind_name", "check_kind", "NEURALNET_KEYWORDS",
           "NEURALNET_PREFIXES", "PARSERS", "MAX_VALUES"]

# nolearn 0.6.1's NeuralNet(...) keywords other than <layer>_<arg>.
NEURALNET_KEYWORDS = (
    "layers", "update", "loss", "objective", "objective_loss_function",
    "batch_iterator_train", "batch_iterator_test", "regression", "max_epochs",
    "train_split", "custom_scores", "scores_train", "scores_valid", "X_tensor_type",
    "y_tensor_type", "use_label_encoder", "on_batch_finished", "on_epoch_finished",
    "on_training_started", "on_training_finished", "more_params", "check_input", "verbose")
# Keywords nolearn hands to the update function and the objective, prefix stripped.
NEURALNET_PREFIXES = ("update_", "objective_")
# Top-level keys a spec file may hold besides the layers ("lasagne": the Lasagne
# version whose semantics the file follows, "0.1" or "master").
FILE_KEYS = ("layers", "description", "lasagne")
# Arguments that hold a parameter array: nolearn lets ``W="conv1"`` mean conv1's W.
PARAM_ARGS = ("W", "b")
# At most this many values (list items, mapping entries) in one file: YAML
# aliases can make a short file stand for an enormous structure.
MAX_VALUES = 100000


def kind_name(kind):
    """``"lasagne.layers.Conv2DLayer"`` -> ``"Conv2DLayer"`` (class names as strings)."""
    return kind.rsplit(".", 1)[-1] if isinstance(kind, str) else kind


def default_name(kind, index):
    """nolearn's name for an unnamed layer: ``conv2d1`` for a Conv2DLayer at index 1."""
    return "%s%d" % (str(kind).lower().replace("layer", ""), index)


# ---------------------------------------------------------------- files

def _parse_json(text, path):
    def no_duplicates(pairs):
        keys = [k for k, _ in pairs]
        for key in keys:
            if keys.count(key) > 1:
                raise SpecError("duplicate key %r" % (key,), file=path, field=key)
        return dict(pairs)

    try:
        return json.loads(text, object_pairs_hook=no_duplicates)
    except json.JSONDecodeError as exc:
        raise SpecError("malformed JSON at line %d, column %d: %s"
                        % (exc.lineno, exc.colno, exc.msg), file=path) from None
    except RecursionError:
        raise SpecError("malformed JSON: nested too deeply", file=path) from None


def _parse_yaml(text, path):
    try:
        import yaml
    except ImportError:
        raise SpecError("reading YAML needs PyYAML: pip install 'lasagne-params[yaml]'",
                        file=path) from None
    try:
        return yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = " at line %d, column %d" % (mark.line + 1, mark.column + 1) if mark else ""
        raise SpecError("malformed YAML%s: %s" % (where, exc.problem or exc.context),
                        file=path) from None
    except (yaml.YAMLError, ValueError, OverflowError) as exc:  # e.g. a date "2001-02-30"
        raise SpecError("malformed YAML: %s" % str(exc).splitlines()[0], file=path) from None
    except RecursionError:
        raise SpecError("malformed YAML: nested too deeply", file=path) from None


PARSERS = {".json": _parse_json, ".yaml": _parse_yaml, ".yml": _parse_yaml}


@dataclass(frozen=True)
class SpecFile:
    """A spec file read once: its path (for errors), its LayerSpecs, and the Lasagne
    version it names (``"lasagne"``; None when it names none)."""

    path: str
    specs: Tuple
    version: Optional[str] = None

    def to_specs(self):
        return list(self.specs)


def read_spec_file(path):
    """:func:`load_spec`, keeping the path and the file's Lasagne version: a :class:`SpecFile`."""
    specs, version = _load(path)
    return SpecFile(os.fspath(path), tuple(specs), version)


def load_spec(path):
    """Read a spec file (``.json``, ``.yaml`` or ``.yml``) into LayerSpecs.

    Its structure is checked; its hyper-parameters are checked when it is
    derived (``lasagne_params.derive(path)``).

    Parameters
    ----------
    path : str
        The file; its extension chooses the parser.

    Returns
    -------
    list of LayerSpec
        In an order where each layer's inputs come before it.

    Raises
    ------
    SpecError
        Naming the file, the layer and the field.
    """
    return _load(path)[0]


def _load(path):
    """(LayerSpecs, Lasagne version or None) of a spec file."""
    path = os.fspath(path)
    parser = PARSERS.get(os.path.splitext(path)[1].lower())
    if parser is None:
        raise SpecError("expected a .json, .yaml or .yml spec file", file=path)
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except FileNotFoundError:
        raise SpecError("no such file", file=path) from None
    except UnicodeDecodeError as exc:
        raise SpecError("not UTF-8 text (byte %d)" % exc.start, file=path) from None
    except OSError as exc:
        raise SpecError("cannot read: %s" % (exc.strerror or exc), file=path) from None
    data = parser(text, path)
    return parse_spec(data, file=path), spec_version(data, file=path)


def spec_version(data, file=None):
    """The Lasagne version a parsed spec names (``"lasagne": "master"``), canonical; or None."""
    if not isinstance(data, dict) or data.get("lasagne") is None:
        return None
    try:
        return versions.canonical(data["lasagne"], field="lasagne")
    except LasagneParamsError as exc:
        raise SpecError(exc.message, file=file, field="lasagne") from None


# ---------------------------------------------------------------- values

def _plain(value, budget, where):
    """JSON-like data only (YAML may also give dates, bytes, sets); lists stay lists."""
    budget[0] -= 1
    if budget[0] < 0:
        raise SpecError("more than %d values; refusing to expand it" % MAX_VALUES, **where)
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [_plain(v, budget, where) for v in value]
    if isinstance(value, dict):
        for key in value:
            if not isinstance(key, str):
                raise SpecError("keys must be strings, got %r" % (key,), **where)
        return {k: _plain(v, budget, where) for k, v in value.items()}
    raise SpecError("unsupported value of type %s: %r" % (type(value).__name__, value),
                    **where)


def _arg_value(value):
    """A keyword's value as a LayerSpec holds it: a top-level list becomes a tuple."""
    return tuple(value) if isinstance(value, list) else value


def parse_spec(data, file=None):
    """LayerSpecs from the parsed content of a spec file (either form).

    See :func:`load_spec`; ``file`` only names the source in errors.
    """
    where = {"file": file}
    data = _plain(data, [MAX_VALUES], where)
    if not isinstance(data, dict) or not isinstance(data.get("layers"), list):
        raise SpecError("expected a mapping with a 'layers' list, got %s"
                        % _describe(data), field="layers", **where)
    if not data["layers"]:
        raise SpecError("the network has no layers", field="layers", **where)
    spec_version(data, file=file)
    try:
        if all(isinstance(item, dict) for item in data["layers"]):
            for key in data:
                if key not in FILE_KEYS:
                    raise SpecError("unknown top-level key%s (a layer list takes %s)"
                                    % (did_you_mean(key, FILE_KEYS), ", ".join(FILE_KEYS)),
                                    field=key)
            specs = specs_from_layer_list(data["layers"])
        elif all(isinstance(item, list) for item in data["layers"]):
            keywords = {k: v for k, v in data.items() if k not in FILE_KEYS}
            specs = specs_from_nolearn(data["layers"], keywords)
        else:
            raise SpecError("layers must all be mappings (layer-list form) or all "
                            "[name, kind] pairs (nolearn form)", field="layers")
    except LasagneParamsError as exc:
        raise exc.located(file=file) from None
    return specs


def _describe(value):
    return type(value).__name__ if value is not None else "nothing"


def check_kind(kind, layer=None):
    """A layer kind as a class name; unknown names fail with the closest declared ones."""
    if not isinstance(kind, str) or not kind:
        raise SpecError("expected a Lasagne layer class such as \"Conv2DLayer\", got %r"
                        % (kind,), layer=layer, field="kind")
    return kind_of(kind_name(kind), layer=layer).name       # an alias names its class


def _check_name(name, layer):
    if not isinstance(name, str) or not name:
        raise SpecError("expected a non-empty string, got %r" % (name,), layer=layer,
                        field="name")
    return name


def _names(value, layer, field):
    """An ``incoming`` value (a name or a list of names) as a tuple of names."""
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, (list, tuple)) or not all(
            isinstance(n, str) and n for n in names):
        raise SpecError("expected a layer name or a list of them, got %r" % (value,),
                        layer=layer, field=field)
    return tuple(names)


def _check_value(kind, key, value, layer, shown=None):
    """Checks that need no shapes: known nonlinearity names, well-formed shared refs."""
    if key == "nonlinearity" and isinstance(value, str):
        if kind_name(value) not in NONLINEARITIES:
            raise SpecError("unknown nonlinearity %r%s (Lasagne has %s)"
                            % (value, did_you_mean(kind_name(value), NONLINEARITIES, n=3),
                               ", ".join(NONLINEARITIES)),
                            layer=layer, kind=kind, field=shown or key)
    if key in STATES and isinstance(value, dict) and set(value) == {"layer"}:
        if not isinstance(value["layer"], str):
            raise SpecError("a layer as the initial state is {\"layer\": \"name\"}, got %r"
                            % (value,), layer=layer, kind=kind, field=shown or key)
        return
    if isinstance(value, dict):
        ref = value.get("shared")
        if set(value) != {"shared"} or not isinstance(ref, str) or "." not in ref.strip("."):
            raise SpecError("a mapping here must be {\"shared\": \"layer.%s\"}, got %r"
                            % (key, value), layer=layer, kind=kind, field=shown or key)


class _Layer:
    """A layer being assembled: name, kind, keywords, incoming names, keyword args.

    ``prefix`` is how its keywords are spelled in the source (``"conv2d1_"``
    in nolearn's form), so errors name the field as the user wrote it.
    """

    def __init__(self, name, kind, args, sig=None, prefix=""):
        self.name, self.kind, self.args, self.prefix = name, kind, args, prefix
        self.signature = sig or keywords_of(kind)
        self.incoming = None

    def where(self):
        return {"layer": self.name, "kind": self.kind}

    def shown(self, key):
        return self.prefix + key

    def take_incoming(self):
        """Move ``incoming``/``incomings`` out of the args."""
        keys = [k for k in ("incoming", "incomings") if k in self.args]
        if len(keys) > 1:
            raise SpecError("give incoming or incomings, not both",
                            field=self.shown("incomings"), **self.where())
        if keys:
            if self.kind == "InputLayer":
                raise SpecError("an InputLayer has no incoming layer",
                                field=self.shown(keys[0]), **self.where())
            self.incoming = _names(self.args.pop(keys[0]), self.name, self.shown(keys[0]))

    def check_required(self):
        for key in self.signature.required if self.signature else ():
            if key in self.signature.hyper_parameters and key not in self.args:
                what = "input shape" if self.kind == "InputLayer" else "keyword"
                raise SpecError("missing %s: give %s" % (what, self.shown(key)),
                                field=self.shown(key), **self.where())


def _finish(layers):
    """LayerSpecs from assembled layers: defaults, shared refs, references, order."""
    specs, previous, seen, inputs_of = [], None, set(), {}
    for layer in layers:
        if layer.name in seen:
            raise SpecError("two layers have this name", field="name", **layer.where())
        seen.add(layer.name)
        layer.check_required()
        incoming = layer.incoming
        if incoming is None:
            incoming = () if layer.kind == "InputLayer" or previous is None else (previous,)
        for key in LAYER_REFERENCES:
            if isinstance(layer.args.get(key), str):
                ref = layer.args.pop(key)
                incoming += (ref,)
                if key == "layer" and inputs_of.get(ref):      # InverseLayer's third input
                    incoming += (inputs_of[ref][0],)
        states = [state_layer(layer.args.get(key)) for key in STATES]
        states = [ref for ref in states if ref is not None]
        if states:                  # master's initial states as layers: last, in order
            others = list(incoming[1:])
            for ref in states:
                if ref in others:
                    others.remove(ref)
            incoming = tuple(incoming[:1]) + tuple(others) + tuple(states)
        inputs_of[layer.name] = incoming
        specs.append(LayerSpec(layer.name, layer.kind, tuple(incoming),
                               {k: _arg_value(v) for k, v in layer.args.items()}))
        previous = layer.name
    return order_specs(specs)


def _take_kind(args, index):
    """Pop a layer's class name: ``kind``, or ``type`` as earlier files spell it."""
    given = [key for key in ("kind", "type") if key in args]
    if len(given) > 1:
        raise SpecError("give kind or type (its older spelling), not both",
                        layer=args.get("name", index), field="type")
    return args.pop(given[0]) if given else None


def specs_from_layer_list(items):
    """LayerSpecs from the layer-list form: one mapping per layer (see module doc).

    ``"batch_norm": true`` (or a mapping of BatchNormLayer keywords) on a
    layer expands as master's ``batch_norm`` helper builds it (see
    :mod:`.helpers`).
    """
    layers, helpers = [], {}
    for index, item in enumerate(items):
        args = dict(item)
        kind = check_kind(_take_kind(args, index), args.get("name", index))
        name = _check_name(args.pop("name", default_name(kind, index)), index)
        for key in HELPER_KEYS:
            if key in args and args[key] is not False:
                helpers[name] = args.pop(key)
            args.pop(key, None)
        layer = _Layer(name, kind, args)
        layer.take_incoming()
        for key, value in args.items():
            check_keyword(kind, key, layer=name)
            if key in kind_of(kind).subnetworks:
                args[key] = _subnetwork(value, name, kind, key)
            else:
                _check_value(kind, key, value, name)
        layers.append(layer)
    specs = _finish(layers)
    if not helpers:
        return specs
    try:
        return order_specs(expand_helpers(specs, helpers))
    except LasagneParamsError as exc:
        raise exc.located(field="batch_norm") from None


def _subnetwork(items, name, kind, key):
    """A sub-network (``input_to_hidden``...) in layer-list form -> a list of LayerSpecs.

    Its errors name the nested layer as ``<layer>.<key>/<nested layer>``.
    """
    if not isinstance(items, list) or not items or not all(
            isinstance(item, dict) for item in items):
        raise SpecError("a sub-network is a non-empty list of layer mappings (output layer "
                        "last), got %s" % _describe(items), layer=name, kind=kind, field=key)
    try:
        return specs_from_layer_list(items)
    except LasagneParamsError as exc:
        nested = exc.located(layer=name, kind=kind, field=key)
        if exc.layer is not None:
            nested.layer = "%s.%s/%s" % (name, key, exc.layer)
        raise nested from None


def _split_keyword(key, layers):
    """The layer a ``<name>_<arg>`` keyword belongs to, and the arg.

    The longest layer name that prefixes ``key`` and leaves a known argument
    wins (names may contain ``_`` and prefix each other); failing that, the
    longest prefix.  ``(None, None)`` when no layer name prefixes ``key``.
    """
    candidates = sorted((layer for layer in layers if key.startswith(layer.name + "_")),
                        key=lambda layer: -len(layer.name))
    for layer in candidates:
        sig = layer.signature
        arg = key[len(layer.name) + 1:]
        if sig is None or arg in sig.names:
            return layer, arg
    if candidates:
        return candidates[0], key[len(candidates[0].name) + 1:]
    return None, None


def _unknown_keyword(key, layers):
    valid = list(NEURALNET_KEYWORDS)
    for layer in layers:
        valid += [layer.shown(a) for a in
                  (layer.signature.hyper_parameters if layer.signature else ())]
    return SpecError("unknown keyword: neither nolearn's nor <layer>_<argument> for a layer "
                     "of this network%s" % did_you_mean(key, valid), field=key)


def specs_from_nolearn(layer_defs, keywords, resolve=None):
    """LayerSpecs from nolearn's ``NeuralNet(layers=..., **keywords)``.

    Parameters
    ----------
    layer_defs : list
        ``(name, LayerType)`` or ``(LayerType, {keyword: value})`` pairs.
    keywords : dict
        Every other keyword: ``<layer>_<arg>`` ones go to the layer (an unknown
        one raises a :class:`SpecError` suggesting the closest real one), nolearn's
        own (``update``, ``update_learning_rate``, ``max_epochs``, ...) are skipped.
    resolve : callable, optional
        ``resolve(LayerType, layer)`` -> ``(kind name, Signature or None)``.  The
        default takes type names as strings (``"Conv2DLayer"``) and checks them
        against the registry; :class:`~lasagne_params.NeuralNet` also takes classes.

    Returns
    -------
    list of LayerSpec
    """
    resolve = resolve or (lambda kind, layer: (check_kind(kind, layer), None))
    layers = []
    for index, layer_def in enumerate(layer_defs):
        if not isinstance(layer_def, (list, tuple)) or len(layer_def) != 2:
            raise SpecError("expected a (name, LayerType) or (LayerType, {keywords}) pair, "
                            "got %r" % (layer_def,), layer=index, field="layers")
        if isinstance(layer_def[1], dict):
            factory, args = layer_def[0], dict(layer_def[1])
        else:
            factory, args = layer_def[1], {"name": layer_def[0]}
        kind, sig = resolve(factory, args.get("name", index))
        name = _check_name(args.pop("name", default_name(kind, index)), index)
        layers.append(_Layer(name, kind, args, sig, prefix=name + "_"))
    more = keywords.get("more_params") or {}
    if not isinstance(more, dict):
        raise SpecError("expected a mapping, got %r" % (more,), field="more_params")
    for key, value in list(keywords.items()) + list(more.items()):
        if not isinstance(key, str):
            raise SpecError("keywords must be strings, got %r" % (key,))
        if key in NEURALNET_KEYWORDS or key.startswith(NEURALNET_PREFIXES):
            continue
        layer, arg = _split_keyword(key, layers)
        if layer is None:
            raise _unknown_keyword(key, layers)
        layer.args[arg] = value
    for layer in layers:
        layer.take_incoming()
        for key, value in list(layer.args.items()):
            sig = layer.signature
            if sig is not None and key not in sig.hyper_parameters:
                raise SpecError("unknown keyword%s" % did_you_mean(
                    key, sig.hyper_parameters, prefix=layer.prefix),
                    field=layer.shown(key), **layer.where())
            if key in PARAM_ARGS and isinstance(value, str):
                value = layer.args[key] = {"shared": "%s.%s" % (value, key)}
            _check_value(layer.kind, key, value, layer.name, layer.shown(key))
    return _finish(layers)


# ---------------------------------------------------------------- graph

def _dependencies(spec):
    deps = list(spec.incoming)
    for value in spec.args.values():
        if isinstance(value, dict) and isinstance(value.get("shared"), str):
            deps.append(value["shared"].rsplit(".", 1)[0])
    return deps


def order_specs(specs):
    """Check every reference and return ``specs`` with each layer after its inputs.

    The given order is kept when it already works; otherwise layers are
    visited depth-first from the first listed, inputs first (as Lasagne's
    ``get_all_layers`` does).  A reference to a missing layer or a cycle
    raises a :class:`SpecError`.
    """
    by_name = {spec.name: spec for spec in specs}
    for spec in specs:
        for dep in _dependencies(spec):
            if dep not in by_name:
                raise SpecError("no layer called %r%s" % (dep, did_you_mean(dep, by_name)),
                                layer=spec.name, kind=spec.kind,
                    field="incoming" if dep in spec.incoming else "shared")
            if dep == spec.name:
                raise SpecError("a layer cannot feed itself", layer=spec.name,
                                kind=spec.kind, field="incoming")
    position = {spec.name: i for i, spec in enumerate(specs)}
    if all(position[d] < position[s.name] for s in specs for d in _dependencies(s)):
        return list(specs)
    done, ordered = set(), []
    for start in specs:
        if start.name in done:
            continue
        path, stack = [start.name], [(start.name, iter(_dependencies(start)))]
        while stack:
            name, deps = stack[-1]
            dep = next(deps, None)
            if dep is None:
                stack.pop()
                path.pop()
                if name not in done:
                    done.add(name)
                    ordered.append(by_name[name])
            elif dep in path:
                cycle = path[path.index(dep):] + [dep]
                raise SpecError("layers form a cycle: %s" % " -> ".join(reversed(cycle)),
                                layer=name, kind=by_name[name].kind, field="incoming")
            elif dep not in done:
                path.append(dep)
                stack.append((dep, iter(_dependencies(by_name[dep]))))
    return ordered

