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
form also takes ``"conv2_W": "conv1"``); one computed from another layer's
array by a Theano expression (Lasagne master: ``W=enc.W.T``) is
``{"shared": "enc.W", "expression": "enc.W.T"}``.  A recurrent layer's initial state
given by another layer (Lasagne master) is ``"hid_init": {"layer": "h0"}``
(``cell_init`` too); that layer becomes one more incoming layer.  Strings such as
``"nonlinearity": "rectify"`` are kept: derivation ignores them, ``build``
looks them up in Lasagne.  Nothing in a spec is ever executed: YAML is read
with PyYAML's safe loader (its C version when present), a key given twice
in one mapping is refused (in JSON too), and values are plain data.  YAML 1.1's
boolean words that are not JSON's (``yes``, ``no``, ``on``, ``off`` in any case),
which PyYAML reads as booleans, are refused with a hint to quote them
(``name: off`` is a layer called "off" only when written ``name: 'off'``).  A file
is read only if it is a regular file no larger than a limit (16 MiB unless
``max_bytes`` says otherwise), and every step is linear in its size.

Reading a spec checks its structure (kinds, keywords, references, cycles);
the hyper-parameters are checked when it is derived
(:func:`lasagne_params.derive` names the file in its errors).  Every
problem raises a :class:`SpecError` (or another :class:`LasagneParamsError`)
naming the file, the layer and the field.  Pure Python: importing this
module imports no Theano, Lasagne or numpy.
"""
import json
import os
import warnings
from dataclasses import dataclass
from typing import List, Optional, Tuple, Union

from ..core import versions
from ..core.errors import ArgumentError, LasagneParamsError, SpecError, did_you_mean
from ..core.files import read_text
from ..core.layers.recurrent import STATES, state_layer
from ..core.records import LayerSpec
from ..core.registry import find_kind, is_input, kind_of
from ..core.text import DIGIT_LIMIT_MESSAGE, TooManyDigits, clipped, input_int
from .helpers import HELPER_KEYS, expand_helpers
from .keywords import LAYER_REFERENCES, NONLINEARITIES, check_keyword, keywords_of

__all__ = ["SpecFile", "read_spec_file", "load_spec", "parse_spec", "specs_from_layer_list", "specs_from_nolearn",
           "order_specs", "default_name", "kind_name", "check_kind", "layer_pair",
           "NEURALNET_KEYWORDS",
           "NEURALNET_PREFIXES", "PARSERS", "MAX_VALUES", "MAX_DEPTH"]

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
# Values (lists, mappings) nested at most this deep: a layer list is 2 deep, each
# level of sub-network 2 more.
MAX_DEPTH = 64


def kind_name(kind):
    """``"lasagne.layers.Conv2DLayer"`` -> ``"Conv2DLayer"`` (class names as strings)."""
    return kind.rsplit(".", 1)[-1] if isinstance(kind, str) else kind


def default_name(kind, index):
    """nolearn's name for an unnamed layer: ``conv2d1`` for a Conv2DLayer at index 1 (the
    class's own name: ``batchnorm2`` for ``file.BatchNormLayer``)."""
    return "%s%d" % (kind_name(str(kind)).lower().replace("layer", ""), index)


# ---------------------------------------------------------------- files

def _parse_json(text, path):
    def no_duplicates(pairs):
        mapping = dict(pairs)
        if len(mapping) != len(pairs):          # a set, not a scan per key: linear
            seen = set()
            for key, _ in pairs:
                if key in seen:
                    raise SpecError("duplicate key %r" % (key,), file=path, field=key)
                seen.add(key)
        return mapping

    def no_constant(name):
        raise SpecError("malformed JSON: %s is not a JSON number" % name, file=path)

    try:
        return json.loads(text, object_pairs_hook=no_duplicates, parse_int=input_int,
                          parse_constant=no_constant)
    except json.JSONDecodeError as exc:
        raise SpecError("malformed JSON at line %d, column %d: %s"
                        % (exc.lineno, exc.colno, exc.msg), file=path) from None
    except TooManyDigits as exc:
        raise SpecError(str(exc), file=path) from None
    except RecursionError:
        raise SpecError("malformed JSON: nested too deeply", file=path) from None


_YAML_LOADER: list[type] = []      # the loader class, made on first use


class YamlWord:
    """A scalar PyYAML reads as a boolean under YAML 1.1 only (``off``, ``yes``, ``On``):
    kept as the word it is, so that :func:`parse_spec` refuses it naming the layer and
    the field, rather than a layer called ``off`` becoming ``False``.  ``true`` and
    ``false`` (JSON's spelling, any case) stay booleans."""

    __slots__ = ("word", "value")

    def __init__(self, word, value):
        self.word, self.value = word, value

    def __repr__(self):
        return self.word


def _yaml_loader():
    """PyYAML's safe loader (its C version, CSafeLoader, when PyYAML has it), refusing
    a key given twice in one mapping (PyYAML's loaders let the last one win)."""
    if _YAML_LOADER:
        return _YAML_LOADER[0]
    import yaml
    merge = "tag:yaml.org,2002:merge"

    class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
        def construct_mapping(self, node, deep=False):
            if isinstance(node, yaml.MappingNode):
                seen = set()
                for key_node, _ in node.value:
                    if key_node.tag == merge:
                        continue
                    key = self.construct_object(key_node, deep=deep)
                    try:
                        duplicate = key in seen
                        seen.add(key)
                    except TypeError:           # unhashable: PyYAML reports it
                        continue
                    if duplicate:
                        mark = key_node.start_mark
                        raise SpecError("duplicate key %r at line %d, column %d"
                                        % (key, mark.line + 1, mark.column + 1),
                                        field=str(key))
            return super().construct_mapping(node, deep)

        def construct_yaml_bool(self, node):
            value = super().construct_yaml_bool(node)
            return value if node.value.lower() in ("true", "false") \
                else YamlWord(node.value, value)

    Loader.add_constructor("tag:yaml.org,2002:bool", Loader.construct_yaml_bool)
    _YAML_LOADER.append(Loader)
    return Loader


def _parse_yaml(text, path):
    try:
        import yaml
    except ImportError:
        raise SpecError("reading YAML needs PyYAML: pip install 'lasagne-params[yaml]'",
                        file=path) from None
    try:
        return yaml.load(text, Loader=_yaml_loader())
    except SpecError as exc:
        raise exc.located(file=path) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = " at line %d, column %d" % (mark.line + 1, mark.column + 1) if mark else ""
        raise SpecError("malformed YAML%s: %s" % (where, exc.problem or exc.context),
                        file=path) from None
    except (yaml.YAMLError, ValueError, OverflowError) as exc:  # e.g. a date "2001-02-30"
        if DIGIT_LIMIT_MESSAGE in str(exc):
            raise SpecError("malformed YAML: a number has more than 4,300 digits",
                            file=path) from None
        raise SpecError("malformed YAML: %s" % str(exc).splitlines()[0], file=path) from None
    except RecursionError:
        raise SpecError("malformed YAML: nested too deeply", file=path) from None
    except (AttributeError, TypeError, KeyError, IndexError) as exc:
        # PyYAML's own constructors fail so on some odd tags (``!!timestamp ''``)
        raise SpecError("malformed YAML: %s" % (str(exc).splitlines() or [type(exc).__name__])[0],
                        file=path) from None


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


def read_spec_file(path, max_bytes=None):
    """:func:`load_spec`, keeping the path and the file's Lasagne version: a :class:`SpecFile`."""
    specs, version = _load(path, max_bytes)
    return SpecFile(os.fspath(path), tuple(specs), version)


def load_spec(path: Union[str, "os.PathLike[str]"],
              max_bytes: Optional[int] = None) -> List[LayerSpec]:
    """Read a spec file (``.json``, ``.yaml`` or ``.yml``) into LayerSpecs.

    Its structure is checked; its hyper-parameters are checked when it is
    derived (``lasagne_params.derive(path)``).

    Parameters
    ----------
    path : str
        The file; its extension chooses the parser.
    max_bytes : int, optional
        Refuse a file larger than this (default
        ``core.files.DEFAULT_MAX_INPUT_BYTES``, 16 MiB); the file must be a
        regular file (not a FIFO or a device).

    Returns
    -------
    list of LayerSpec
        In an order where each layer's inputs come before it.

    Raises
    ------
    SpecError
        Naming the file, the layer and the field.
    """
    return _load(path, max_bytes)[0]


def _load(path, max_bytes=None):
    """(LayerSpecs, Lasagne version or None) of a spec file."""
    if not isinstance(path, (str, bytes, os.PathLike)):
        raise ArgumentError("expected the path of a spec file, got %r" % (path,), field="path")
    path = os.fspath(path)
    parser = PARSERS.get(os.path.splitext(path)[1].lower())
    if parser is None:
        raise SpecError("expected a .json, .yaml or .yml spec file", file=path)
    text = read_text(path, max_bytes)
    data = parser(text, path)
    return (parse_spec(data, file=path, max_values=max(MAX_VALUES, len(text))),
            spec_version(data, file=path))


def spec_version(data, file=None):
    """The Lasagne version a parsed spec names (``"lasagne": "master"``), canonical; or None."""
    if not isinstance(data, dict) or data.get("lasagne") is None:
        return None
    try:
        return versions.canonical(data["lasagne"], field="lasagne")
    except LasagneParamsError as exc:
        raise SpecError(exc.message, file=file, field="lasagne") from None


# ---------------------------------------------------------------- values

def _plain(value, where, budget=None, depth=0, path=()):
    """JSON-like data only (YAML may also give dates, bytes, sets); lists stay lists.

    At most ``budget[0]`` values (YAML aliases can make a short file stand
    for an enormous structure) nested at most ``MAX_DEPTH`` deep; a YAML
    anchor that contains itself is refused.
    """
    budget = [MAX_VALUES] if budget is None else budget
    budget[0] -= 1
    if budget[0] < 0:
        raise SpecError("more values than the file has characters (YAML aliases expanding "
                        "it); refusing to expand it", **where)
    if value is None or isinstance(value, (bool, int, float, str, YamlWord)):
        return value
    if not isinstance(value, (list, tuple, dict)):
        raise SpecError("unsupported value of type %s: %s" % (type(value).__name__,
                                                              clipped(repr(value), 80)), **where)
    if id(value) in path:
        raise SpecError("a value contains itself (a YAML anchor used inside itself)", **where)
    if depth >= MAX_DEPTH:
        raise SpecError("values nested more than %d deep" % MAX_DEPTH, **where)
    inner = path + (id(value),)
    if isinstance(value, dict):
        for key in value:
            if not isinstance(key, str):
                raise SpecError("keys must be strings, got %s" % clipped(repr(key), 80),
                                **where)
        return {k: _plain(v, where, budget, depth + 1, inner) for k, v in value.items()}
    return [_plain(v, where, budget, depth + 1, inner) for v in value]


def _yaml_words(value, keys=()):
    """(keys, YamlWord) of each YAML 1.1 boolean word in ``value``, depth first."""
    if isinstance(value, YamlWord):
        yield keys, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _yaml_words(item, keys + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _yaml_words(item, keys + (index,))


def _refuse_yaml_words(data, where):
    """A :class:`SpecError` for the first YAML 1.1 boolean word in ``data`` (the parsed
    file), naming its layer and field, with the quoted spelling to write instead."""
    for keys, found in _yaml_words(data):
        layer, field = None, ".".join(str(k) for k in keys)
        if len(keys) >= 2 and keys[0] == "layers" and isinstance(data, dict):
            item = data["layers"][keys[1]]
            name = item.get("name") if isinstance(item, dict) else \
                item[0] if isinstance(item, list) and item and isinstance(item[0], str) else None
            layer = name if isinstance(name, str) else keys[1]
            field = ".".join(str(k) for k in keys[2:]) if isinstance(item, dict) else "layers"
        raise SpecError("%s is read as the boolean %s by YAML 1.1 (PyYAML); quote it ('%s') "
                        "for the word, or write %s" % (found.word, str(found.value).lower(),
                                                      found.word, str(found.value).lower()),
                        layer=layer, field=field or None, **where)


def _arg_value(value):
    """A keyword's value as a LayerSpec holds it: a top-level list becomes a tuple."""
    return tuple(value) if isinstance(value, list) else value


def parse_spec(data, file=None, max_values=MAX_VALUES):
    """LayerSpecs from the parsed content of a spec file (either form).

    See :func:`load_spec`; ``file`` only names the source in errors;
    ``max_values`` caps the values (a file read passes the larger of
    :data:`MAX_VALUES` and its number of characters: only YAML aliases make
    more values than characters).
    """
    where = {"file": file}
    data = _plain(data, where, [max_values])
    _refuse_yaml_words(data, where)
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
    except ValueError as exc:         # quoting a number of more than 4,300 digits
        if DIGIT_LIMIT_MESSAGE not in str(exc):
            raise
        raise SpecError("a value is wrong, and it holds a number of more than 4,300 digits, "
                        "too long to quote", file=file) from None
    return specs


def _describe(value):
    return type(value).__name__ if value is not None else "nothing"


def check_kind(kind, layer=None):
    """A layer kind as a class name; unknown names fail with the closest declared ones."""
    if not isinstance(kind, str) or not kind:
        raise SpecError("expected a Lasagne layer class such as \"Conv2DLayer\", got %r"
                        % (kind,), layer=layer, field="kind")
    return kind_of(kind_name(kind), layer=layer).name       # an alias names its class


def _quote_hint(value):
    """For a name given as a boolean: how to write it as the word."""
    return "; quote it if it is the name (\"%s\")" % str(value).lower() \
        if isinstance(value, bool) else ""


def _check_name(name, layer):
    if not isinstance(name, str) or not name:
        raise SpecError("expected a non-empty string, got %r%s" % (name, _quote_hint(name)),
                        layer=layer, field="name")
    return name


def _names(value, layer, field):
    """An ``incoming`` value (a name or a list of names) as a tuple of names."""
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, (list, tuple)) or not all(
            isinstance(n, str) and n for n in names):
        raise SpecError("expected a layer name or a list of them, got %r%s"
                        % (value, _quote_hint(value)), layer=layer, field=field)
    return tuple(names)


def _check_value(kind, key, value, layer, shown=None):
    """Checks that need no shapes: known nonlinearity names, well-formed shared refs."""
    if key == "nonlinearity" and isinstance(value, (bool, int, float, list)):
        raise SpecError("expected a nonlinearity's name (%s) or null, got %r"
                        % (", ".join(NONLINEARITIES), value),
                        layer=layer, kind=kind, field=shown or key)
    if key == "nonlinearity" and isinstance(value, str):
        if kind_name(value) not in NONLINEARITIES:
            raise SpecError("unknown nonlinearity %r%s (Lasagne has %s)"
                            % (value, did_you_mean(kind_name(value), NONLINEARITIES, n=3),
                               ", ".join(NONLINEARITIES)),
                            layer=layer, kind=kind, field=shown or key)
    if isinstance(value, dict) and key in getattr(find_kind(kind), "gates", ()):
        return                  # a Gate's options: each array is checked when derived
    if key in STATES and isinstance(value, dict) and set(value) == {"layer"}:
        if not isinstance(value["layer"], str):
            raise SpecError("a layer as the initial state is {\"layer\": \"name\"}, got %r"
                            % (value,), layer=layer, kind=kind, field=shown or key)
        return
    if isinstance(value, dict):
        ref = value.get("shared")
        if not {"shared"} <= set(value) <= {"shared", "expression"} \
                or not isinstance(ref, str) or "." not in ref.strip(".") \
                or not isinstance(value.get("expression", ""), str):
            raise SpecError("a mapping here must be {\"shared\": \"layer.%s\"} (with "
                            "\"expression\": \"layer.%s.T\" for an array used through a "
                            "Theano expression), got %r" % (key, key, value),
                            layer=layer, kind=kind, field=shown or key)


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
            if is_input(self.kind):
                raise SpecError("an input layer has no incoming layer",
                                field=self.shown(keys[0]), **self.where())
            self.incoming = _names(self.args.pop(keys[0]), self.name, self.shown(keys[0]))

    def check_required(self):
        for key in self.signature.required if self.signature else ():
            if key in self.signature.hyper_parameters and key not in self.args:
                what = "input shape" if is_input(self.kind) else "keyword"
                raise SpecError("missing %s: give %s" % (what, self.shown(key)),
                                field=self.shown(key), **self.where())


def _check_inputs(layer, incoming):
    """A layer taking one ``incoming`` gets no more than that and the layers its keywords
    name (an RNN's mask and, in master, its initial states; a TransformerLayer's
    localization network; an InverseLayer's layer and that layer's input)."""
    sig = layer.signature
    if sig is None or sig.inputs != "incoming":
        return
    most = 1 + sum(2 if key == "layer" else 1 for key in LAYER_REFERENCES if key in sig.names)
    most += sum(1 for key in STATES if key in sig.names)
    if len(incoming) > most:
        taken = "one incoming layer" if most == 1 else \
            "at most %d incoming layers (its input and the layers its keywords name)" % most
        raise SpecError("a %s takes %s, got %d: %s" % (layer.kind, taken, len(incoming),
                                                         ", ".join(incoming)),
                        field=layer.shown("incoming"), **layer.where())


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
            incoming = () if is_input(layer.kind) or previous is None else (previous,)
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
        _check_inputs(layer, incoming)
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


class _KeywordSplitter:
    """Which layer a ``<name>_<arg>`` keyword belongs to, and the arg.

    The longest layer name that prefixes ``key`` and leaves a known argument
    wins (names may contain ``_`` and prefix each other); failing that, the
    longest prefix.  Linear in the length of the keyword, whatever the number
    of layers: a known argument is short, so only the last few ``_`` of the
    keyword can end its layer's name (a dictionary lookup each).
    """

    def __init__(self, layers):
        self.by_name = {}
        for layer in layers:
            self.by_name.setdefault(layer.name, layer)      # the first of a name wins
        self.lengths = {len(name) for name in self.by_name}
        # layers whose keywords are not declared take any argument, however long
        self.open_lengths = {len(layer.name) for layer in self.by_name.values()
                             if layer.signature is None}
        self.longest_arg = max([len(arg) for layer in self.by_name.values()
                                if layer.signature is not None
                                for arg in layer.signature.names] or [0])

    def split(self, key):
        """``(layer, arg)``, or ``(None, None)`` when no layer name prefixes ``key``."""
        fallback = None
        end = len(key)
        while True:
            end = key.rfind("_", 0, end)
            if end <= 0:
                break
            arg_length = len(key) - end - 1
            if arg_length > self.longest_arg and fallback is not None \
                    and not self.open_lengths:
                break                       # no longer name can leave a known argument
            lengths = self.lengths if arg_length <= self.longest_arg or fallback is None \
                else self.open_lengths
            if end not in lengths:
                continue
            layer = self.by_name.get(key[:end])
            if layer is None:
                continue
            arg = key[end + 1:]
            if layer.signature is None or arg in layer.signature.names:
                return layer, arg
            if fallback is None:
                fallback = layer, arg
        return fallback or (None, None)


def _unknown_keyword(key, layers):
    valid = list(NEURALNET_KEYWORDS)
    for layer in layers:
        valid += [layer.shown(a) for a in
                  (layer.signature.hyper_parameters if layer.signature else ())]
    return SpecError("unknown keyword: neither nolearn's nor <layer>_<argument> for a layer "
                     "of this network%s" % did_you_mean(key, valid), field=key)


def layer_pair(layer_def, index):
    """One of nolearn's layer definitions as ``(factory, keywords)``: ``(name, LayerType)``
    gives ``{"name": name}``, ``(LayerType, {keywords})`` a copy of the keywords."""
    if not isinstance(layer_def, (list, tuple)) or len(layer_def) != 2:
        raise SpecError("expected a (name, LayerType) or (LayerType, {keywords}) pair, "
                        "got %r" % (layer_def,), layer=index, field="layers")
    if isinstance(layer_def[1], dict):
        return layer_def[0], dict(layer_def[1])
    return layer_def[1], {"name": layer_def[0]}


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
        factory, args = layer_pair(layer_def, index)
        kind, sig = resolve(factory, args.get("name", index))
        named = factory.__name__ if isinstance(factory, type) else kind   # as nolearn names
        name = _check_name(args.pop("name", default_name(named, index)), index)
        layers.append(_Layer(name, kind, args, sig, prefix=name + "_"))
    more = keywords.get("more_params") or {}
    if not isinstance(more, dict):
        raise SpecError("expected a mapping, got %r" % (more,), field="more_params")
    splitter = _KeywordSplitter(layers)
    for key, value, extra in ([(k, v, False) for k, v in keywords.items()]
                              + [(k, v, True) for k, v in more.items()]):
        if not isinstance(key, str):
            raise SpecError("keywords must be strings, got %r" % (key,))
        if key in NEURALNET_KEYWORDS or key.startswith(NEURALNET_PREFIXES):
            continue
        layer, arg = splitter.split(key)
        if layer is None and extra:
            # nolearn ignored more_params entries for layers the net lacks (grid searches
            # share one dict between architectures); a misspelled layer is said
            warnings.warn("more_params: %s names no layer of this network; ignored, as "
                          "nolearn ignored it%s" % (key, did_you_mean(
                              key, [layer.shown(a) for layer in layers for a in (
                                  layer.signature.hyper_parameters if layer.signature
                                  else ())])), stacklevel=2)
            continue
        if layer is None:
            raise _unknown_keyword(key, layers)
        layer.args[arg] = value
    for layer in layers:
        if "name" in layer.args:            # <layer>_name: nolearn passed it on as name=
            layer.name = _check_name(layer.args.pop("name"), layer.name)
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

