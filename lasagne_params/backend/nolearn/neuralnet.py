"""nolearn 0.6's ``nolearn.lasagne`` API, without nolearn: NeuralNet, BatchIterator, TrainSplit...

nolearn 0.6.1 does not install on a modern Python; these take the same
keywords and behave as nolearn's did, so historical code runs as written
(``lasagne-params run`` and :func:`lasagne_params.install_compat` serve them
as ``nolearn.lasagne``, see :mod:`lasagne_params.backend.bridges.nolearn_modules`).

Describing the network needs nothing but this package: ``.to_specs()`` turns
the keywords into LayerSpecs and ``lasagne_params.derive(net)`` derives them
without Theano.  As in nolearn, making a NeuralNet checks nothing (grid
searches make nets whose layers come later); ``.initialize()`` builds the
real Lasagne layers (``.layers_``) and checks the keywords, in nolearn's
words ("Unused kwarg: ...") with a "did you mean", and ``more_params``
entries for layers the net lacks are ignored with a warning.  Layers given
as Lasagne classes (or their names) are built from their description,
keyword by keyword; any other factory (a function, ``functools.partial``)
is called with its keywords, as nolearn called it.  Training (``fit``,
``partial_fit``, ``predict``, ...) runs
:class:`lasagne_params.backend.training.trainer.Trainer`'s loop with nolearn's
hooks: ``objective`` (and ``objective_*`` keywords such as
``objective_l2``), ``y_tensor_type``, ``batch_iterator_train``/``_test``,
``train_split``, ``scores_train``/``scores_valid``/``custom_scores``, the
four ``on_*`` callback lists, ``use_label_encoder`` and ``update_*``
keywords (a ``theano.shared`` learning rate stays shared, so callbacks may
change it).  ``get_params``/``set_params`` follow scikit-learn's estimator
protocol, so ``sklearn.base.clone(net)`` and grid searches work.  This
module is served as ``nolearn.lasagne.base`` itself: its ``get_output`` is
the one :func:`objective` calls.

Differences from nolearn 0.6.1, on purpose (see docs/historical-code.md):

* the epoch table is printed before the ``on_epoch_finished`` callbacks run
  (nolearn after them: an early stop lost the last line), without colours;
* ``save_params_to`` writes a numpy ``.npz`` file (no pickle);
  ``load_params_from`` reads it, nolearn's pickled files (as data: numpy
  arrays and plain containers only, unless ``trusted=True``), another
  NeuralNet or ``get_all_params_values()``;
* errors are this package's one-line errors (a ValueError naming the layer
  and keyword), where nolearn raised a TypeError from the layer's class;
* ``get_output(layer, X)`` computes the deterministic output (dropout off),
  as ``predict_proba`` does.
"""
import functools
import inspect
import os
import sys
import warnings
from collections import OrderedDict
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Union

from ...core.compare import in_order
from ...core.errors import (LasagneParamsError, LayerRuleError, SpecError, TrainingError,
                            did_you_mean)
from ...core.files import atomic_file
from ...core.records import LayerSpec, Report
from ...core.registry import BUILTIN_NAMES, class_keywords, kind_of_class
from ...describe.spec import (NEURALNET_KEYWORDS, check_kind, default_name, kind_name,
                              layer_pair, specs_from_nolearn)
from ...render import render_nolearn
from ..bridges.compat import import_lasagne
from ..networks.build import build_layers, named_function
from ..networks.first_use import network_used
from ..networks.read import (all_layers, is_lasagne_network, report_from_lasagne,
                             specs_from_lasagne)
from ..networks.recording import network_built
from ..networks.weights import LAYOUTS, read_weights
from ..training.trainer import Trainer, r_squared, sample_count, split_indices
from .handlers import PrintLayerInfo


__all__ = ["NeuralNet", "Layers", "BatchIterator", "TrainSplit", "objective", "grad_scale"]


class Layers(OrderedDict):
    """nolearn's ``layers_``: an OrderedDict of layers by name, also indexable by position."""

    def __getitem__(self, key):
        if isinstance(key, int):
            return list(self.values())[key]
        if isinstance(key, slice):
            return Layers(list(self.items())[key])
        return super().__getitem__(key)

    def keys(self):
        return list(super().keys())

    def values(self):
        return list(super().values())


class LayerList(list):
    """The ``layers`` a NeuralNet was given, kept as one list.

    scikit-learn's ``clone`` copies a plain list item by item and would take
    a Lasagne layer (it has ``get_params``) for an estimator; a list of its
    own type is deep-copied whole, as nolearn arranged.
    """


def _shuffle_together(arrays, random):
    """Shuffle arrays (and the arrays of dicts) in place, all in the same order."""
    state = random.get_state()
    for array in arrays:
        for value in (array.values() if isinstance(array, dict) else [array]):
            random.set_state(state)
            random.shuffle(value)


def _rows(X, index):
    if isinstance(X, dict):
        return {key: value[index] for key, value in X.items()}
    return X[index]


class _Seeded:
    """A ``random`` attribute: ``numpy.random.RandomState(self.seed)``, made on first use."""

    @property
    def random(self):
        if "_random" not in vars(self):
            import numpy
            self._random = numpy.random.RandomState(self.seed)
        return self._random


class BatchIterator(_Seeded):
    """nolearn's mini-batches: ``BatchIterator(128)(X, y)`` yields ``(Xb, yb)`` pairs.

    Subclasses change each batch in :meth:`transform` (data augmentation, as
    the facial-keypoints tutorial's ``FlipBatchIterator`` does).  ``X`` may
    be a dict of arrays (one per InputLayer).  ``shuffle=True`` shuffles X
    and y in place, together, on every call.
    """

    def __init__(self, batch_size, shuffle=False, seed=42):
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.seed = seed

    def __call__(self, X, y=None):
        if self.shuffle:
            _shuffle_together([X, y] if y is not None else [X], self.random)
        self.X, self.y = X, y
        return self

    def __iter__(self):
        size = self.batch_size
        for i in range((self.n_samples + size - 1) // size):
            part = slice(i * size, (i + 1) * size)
            yield self.transform(_rows(self.X, part),
                                 None if self.y is None else _rows(self.y, part))

    @property
    def n_samples(self):
        X = self.X
        return len(next(iter(X.values()))) if isinstance(X, dict) else len(X)

    def transform(self, Xb, yb):
        """Each batch as it is given to the network: unchanged here."""
        return Xb, yb

    def __getstate__(self):
        state = dict(self.__dict__)
        state.pop("X", None)
        state.pop("y", None)
        return state


class TrainSplit(_Seeded):
    """nolearn's validation split: ``TrainSplit(eval_size)(X, y, net)`` -> 4 parts.

    The first of ``round(1 / eval_size)`` folds is held out, stratified by
    class (scikit-learn's unshuffled ``StratifiedKFold``) unless
    ``stratify=False`` or the net does regression; ``eval_size=0`` holds out
    nothing.  See :func:`lasagne_params.backend.training.trainer.split_indices`.
    """

    def __init__(self, eval_size, stratify=True, shuffle=False, seed=42):
        self.eval_size = eval_size
        self.stratify = stratify
        self.shuffle = shuffle
        self.seed = seed

    def __call__(self, X, y, net):
        if self.shuffle:
            _shuffle_together([X, y] if y is not None else [X], self.random)
        n = len(next(iter(X.values()))) if isinstance(X, dict) else len(X)
        stratify = self.stratify and not getattr(net, "regression", False)
        train, valid = split_indices(y if stratify else range(n), self.eval_size or 0,
                                     stratify=stratify)
        return _rows(X, train), _rows(X, valid), _rows(y, train), _rows(y, valid)


def objective(layers, loss_function, target, aggregate=None, deterministic=False,
              l1=0, l2=0, get_output_kw=None):
    """nolearn's default objective: the aggregated loss of the last layer, plus L1/L2 terms.

    ``layers`` is a NeuralNet's ``layers_``; ``l1``/``l2`` (given as
    ``objective_l1``/``objective_l2``) weight Lasagne's L1/L2 penalties of
    every layer's regularizable parameters.  The output comes from this
    module's :func:`get_output` (nolearn's tests replace it).
    """
    lasagne = import_lasagne()
    aggregate = aggregate or lasagne.objectives.aggregate
    output = get_output(layers[-1], deterministic=deterministic, **(get_output_kw or {}))
    loss = aggregate(loss_function(output, target))
    regularization = lasagne.regularization
    if l1:
        loss += regularization.regularize_layer_params(layers.values(),
                                                       regularization.l1) * l1
    if l2:
        loss += regularization.regularize_layer_params(layers.values(),
                                                       regularization.l2) * l2
    return loss


def grad_scale(layer, scale):
    """Scale the gradients of ``layer``'s trainable parameters by ``scale``; return the layer."""
    floatX = import_lasagne().utils.floatX
    for param in layer.get_params(trainable=True):
        param.tag.grad_scale = floatX(scale)
    return layer


class _LabelEncoder:
    """Class labels of any kind <-> 0..k-1 (what ``use_label_encoder=True`` needs)."""

    def fit_transform(self, y):
        import numpy
        self.classes_, encoded = numpy.unique(y, return_inverse=True)
        return encoded

    def transform(self, y):
        import numpy
        return numpy.searchsorted(self.classes_, y)

    def inverse_transform(self, y):
        return self.classes_[y]


def _resolve(factory, layer):
    """A layer type given to NeuralNet -> (the name its kind goes by, Signature or None).

    A class is matched to its kind by identity (``registry.kind_of_class``), as a built
    layer is: a user's own ``BatchNormLayer`` is not Lasagne's, and goes by
    ``file.BatchNormLayer`` (deriving it fails, naming it) unless a kind is declared
    for it; its keywords are read from its constructor.
    """
    if isinstance(factory, str):
        return check_kind(factory, layer), None
    if not inspect.isclass(factory):
        raise SpecError("a layer factory that is not a class (%s) is called only when the "
                        "network is built: derive the built network instead "
                        "(net.initialize_layers())" % _factory_name(factory),
                        layer=layer, field="layers")
    name, kind = kind_of_class(factory)
    if kind is not None and name in BUILTIN_NAMES:       # Lasagne's own class (a stand-in)
        return name, None
    return name, class_keywords(factory)


def _factory_name(factory):
    """The class name nolearn named an unnamed layer after (``DenseLayer`` -> ``dense1``)."""
    if isinstance(factory, str):
        return kind_name(factory)
    if isinstance(factory, functools.partial):
        return _factory_name(factory.func)
    return getattr(factory, "__name__", None) or type(factory).__name__


def _locate(factory, name):
    """A layer factory given as a string: a dotted path (``"lasagne.layers.DenseLayer"``,
    as nolearn located it) or a class of ``lasagne.layers`` (``"DenseLayer"``)."""
    if not isinstance(factory, str):
        return factory
    import pydoc
    import_lasagne()
    found = pydoc.locate(factory if "." in factory else "lasagne.layers." + factory)
    if found is None:
        raise SpecError("no layer class %r" % (factory,), layer=name, field="layers")
    return found


class _LegacyTrainTestSplit:
    """nolearn's split for subclasses that define ``train_test_split(X, y, eval_size)``."""

    def __init__(self, eval_size=0.2):
        self.eval_size = eval_size

    def __call__(self, X, y, net):
        return net.train_test_split(X, y, self.eval_size)


# NeuralNet's own keywords, in nolearn's order (scikit-learn's get_params lists them).
PARAM_NAMES = NEURALNET_KEYWORDS
CALLBACKS = ("on_training_started", "on_batch_finished", "on_epoch_finished",
             "on_training_finished")
# Keywords whose string value names another layer of the net (nolearn's
# layer_reference_params, plus incoming/incomings); W and b name a layer whose array
# the layer shares.
_REFERENCES = ("mask_input",)
_SHARED = ("W", "b")


def _as_list(value):
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _is_input_factory(factory):
    """nolearn's test: an InputLayer class (or anything with it in ``__bases__``) takes
    no incoming layer."""
    if isinstance(factory, functools.partial):
        factory = factory.func
    try:
        return issubclass(factory, import_lasagne().layers.InputLayer)
    except TypeError:
        return False


def _respelled(key, names):
    """``key`` with each layer name in place of its part before an ``_``: what a
    ``<layer>_<arg>`` keyword with a misspelled layer name may have meant."""
    cuts = [i for i, char in enumerate(key) if char == "_"]
    return [name + key[i:] for name in names for i in cuts]


def get_output(layer_or_layers, inputs=None, **kwargs):
    """Lasagne's ``get_output`` (nolearn.lasagne.base imported it under this name)."""
    return import_lasagne().layers.get_output(layer_or_layers, inputs, **kwargs)


class NeuralNet:
    """A network declared with nolearn's keywords; derivable without Lasagne.

    Parameters
    ----------
    layers : list
        ``(name, factory)`` or ``(factory, {keyword: value})`` pairs, or
        built Lasagne output layer(s).  A factory is a Lasagne layer class,
        a class of your own, a class name as a string (``"Conv2DLayer"``,
        ``"lasagne.layers.DenseLayer"``), or any callable returning a layer
        (a function, ``functools.partial``), called with the keywords as
        nolearn called it.
    update : callable or str, optional
        The update function (default ``lasagne.updates.nesterov_momentum``);
        ``update_<arg>=`` keywords are passed to it (``update_learning_rate``).
    objective : callable, optional
        ``objective(layers_, target=..., [deterministic=True,] **kw)`` -> the
        loss (default :func:`objective`); ``objective_<arg>=`` keywords are
        passed to it (``objective_l2=0.0025``), ``objective_loss_function``
        as ``loss_function`` (default: categorical cross-entropy, or squared
        error with ``regression=True``).
    max_epochs, verbose, regression, batch_iterator_train, train_split, ...
        nolearn's keywords (see nolearn 0.6.1 and the module docstring).
    **kwargs
        ``<layer name>_<argument>=`` for each layer (``conv2d1_num_filters=32``,
        ``input_shape=(None, 1, 28, 28)``, ``hidden_name="fc"`` renames),
        and ``update_*``/``objective_*``.  As in nolearn they are checked
        when the network is built (:meth:`initialize`): one naming no layer
        raises a :class:`SpecError` "Unused kwarg" naming the closest real
        one; a keyword its layer's class does not take, a SpecError naming
        the layer.
    """

    # nolearn's keywords, as loose as nolearn took them: a callback keyword takes a function
    # or a list of them, an update a function or its name; ``loss`` and ``X_tensor_type``
    # are refused (removed in nolearn).
    def __init__(self, layers: Any, update: Union[Callable[..., Any], str, None] = None,
                 loss: object = None, objective: Optional[Callable[..., Any]] = None,
                 objective_loss_function: Optional[Callable[..., Any]] = None,
                 batch_iterator_train: Any = None, batch_iterator_test: Any = None,
                 regression: bool = False, max_epochs: int = 100,
                 train_split: Any = None,
                 custom_scores: Optional[Sequence[Any]] = None,
                 scores_train: Optional[Sequence[Any]] = None,
                 scores_valid: Optional[Sequence[Any]] = None,
                 X_tensor_type: object = None, y_tensor_type: Any = None,
                 use_label_encoder: bool = False, on_batch_finished: Any = None,
                 on_epoch_finished: Any = None, on_training_started: Any = None,
                 on_training_finished: Any = None,
                 more_params: Optional[Dict[str, Any]] = None, check_input: bool = True,
                 verbose: int = 0, **kwargs: Any) -> None:
        if loss is not None:
            raise SpecError("was removed in nolearn; use objective_loss_function",
                            field="loss")
        if X_tensor_type is not None:
            raise SpecError("was removed in nolearn; it is unnecessary", field="X_tensor_type")
        if "batch_iterator" in kwargs:
            raise SpecError("was replaced in nolearn by batch_iterator_train and "
                            "batch_iterator_test", field="batch_iterator")
        if hasattr(self, "train_test_split"):         # nolearn's older subclass method
            train_split = _LegacyTrainTestSplit(kwargs.pop("eval_size", 0.2))
        elif train_split is None:
            train_split = TrainSplit(eval_size=kwargs.pop("eval_size", 0.2))
        elif "eval_size" in kwargs:                   # nolearn's older keyword
            train_split.eval_size = kwargs.pop("eval_size")
        if "custom_score" in kwargs:                  # nolearn's older keyword
            custom_scores = list(custom_scores or []) + [kwargs.pop("custom_score")]
        if not isinstance(layers, LayerList):
            layers = LayerList(layers if isinstance(layers, (list, tuple)) else [layers])
        self.layers = layers
        self.update = update
        self.loss = None
        self.objective = objective
        self.objective_loss_function = objective_loss_function
        self.batch_iterator_train = (batch_iterator_train if batch_iterator_train is not None
                                     else BatchIterator(batch_size=128))
        self.batch_iterator_test = (batch_iterator_test if batch_iterator_test is not None
                                    else BatchIterator(batch_size=128))
        self.regression = regression
        self.max_epochs = max_epochs
        self.train_split = train_split
        self.custom_scores = custom_scores
        self.scores_train = scores_train if scores_train is not None else []
        self.scores_valid = scores_valid if scores_valid is not None else []
        self.X_tensor_type = None
        self.y_tensor_type = y_tensor_type
        self.use_label_encoder = use_label_encoder
        self.on_batch_finished = on_batch_finished if on_batch_finished is not None else []
        self.on_epoch_finished = on_epoch_finished if on_epoch_finished is not None else []
        self.on_training_started = (on_training_started if on_training_started is not None
                                    else [])
        self.on_training_finished = (on_training_finished if on_training_finished is not None
                                     else [])
        self.more_params = more_params if more_params is not None else {}
        self.check_input = check_input
        self.verbose = verbose
        vars(self).update(kwargs)
        self._kwarg_keys = list(kwargs)
        self._trainer = None
        self.layers_ = Layers()
        self._output_layers = None
        self._initialized = False
        # Nothing is checked yet: nolearn checked layers and keywords in initialize(),
        # and grid searches make nets whose layers are filled in later.

    # -- scikit-learn's estimator protocol ------------------------------

    def get_params(self, deep: bool = True) -> Dict[str, Any]:
        """Every keyword this NeuralNet was made with (scikit-learn's protocol)."""
        return {name: getattr(self, name) for name in PARAM_NAMES + tuple(self._kwarg_keys)}

    def set_params(self, **params: Any) -> "NeuralNet":
        """Set keywords (a new ``<layer>_<arg>`` or ``update_*`` one too); return ``self``."""
        for key, value in params.items():
            if key == "layers" and not isinstance(value, LayerList):
                value = LayerList(value if isinstance(value, (list, tuple)) else [value])
            setattr(self, key, value)
            if key not in PARAM_NAMES and key not in self._kwarg_keys:
                self._kwarg_keys.append(key)
        return self

    def __repr__(self):
        return "%s(%s)" % (type(self).__name__, ", ".join(
            "%s=%r" % (key, value) for key, value in sorted(self.get_params().items())))

    def __getstate__(self):
        """Pickled with its layers and history, without compiled functions."""
        return dict(self.__dict__)

    def __setstate__(self, state):
        self.__dict__.update(state)

    # -- the layers as given (no Lasagne needed) --------------------------

    def _prebuilt(self):
        return is_lasagne_network(list(self.layers))

    def _layer_defs(self):
        """``(factory, name, keywords)`` for each layer given as a pair, named as nolearn
        named it (``name`` in the keywords, the pair's name, else ``dense1`` by class and
        position); a ``<name>_name`` keyword renames it afterwards."""
        defs = []
        for index, layer_def in enumerate(self.layers):
            factory, keywords = layer_pair(layer_def, index)
            name = keywords.pop("name", None) or default_name(_factory_name(factory), index)
            defs.append((factory, name, keywords))
        return defs

    def _layer_names(self):
        """The layers' names: as the built ``layers_`` will hold them, and as given."""
        if self._prebuilt():
            names = []
            for output in self.layers:
                for index, layer in enumerate(all_layers(output)):
                    names.append(layer.name or default_name(type(layer).__name__, index))
            return names
        given = [name for _, name, _ in self._layer_defs()]
        return given + [self._given(name).get("name", name) for name in given]

    def _given(self, name):
        """nolearn's ``<name>_<arg>`` keywords (set on the net, or in ``more_params``) as
        ``{arg: value}``, the net's own before ``more_params``'."""
        start = name + "_"
        found = {}
        for key, value in list(self.more_params.items()) + list(vars(self).items()):
            if isinstance(key, str) and key.startswith(start) and not key.endswith("_") \
                    and not key.startswith("_"):
                found[key[len(start):]] = value
        return found

    def _check_for_unused_kwargs(self, names):
        """nolearn's check: every keyword starts with a layer's name, ``update_`` or
        ``objective_``; ``more_params`` entries naming no layer are ignored, with a warning.
        """
        prefixes = tuple(name + "_" for name in names) + ("update_", "objective_")
        for key in self._kwarg_keys:
            if not key.startswith(prefixes):
                raise SpecError("Unused kwarg: %s%s" % (key, did_you_mean(
                    key, _respelled(key, names) + list(PARAM_NAMES))))
        for key in self.more_params:
            if not str(key).startswith(prefixes):
                warnings.warn("more_params: %s names no layer of this network; ignored, as "
                              "nolearn ignored it%s" % (key, did_you_mean(
                                  str(key), _respelled(str(key), names))), stacklevel=3)

    def to_specs(self) -> List[LayerSpec]:
        """The network as LayerSpecs (what ``lasagne_params.derive(net)`` derives).

        Checks the keywords as :meth:`initialize` does (a derivation must
        not leave out a keyword nolearn would have refused).
        """
        self._check_for_unused_kwargs(self._layer_names())
        return self._specs()

    def _specs(self):
        if self._prebuilt():
            return specs_from_lasagne(list(self.layers))
        if not self.layers:
            raise SpecError("expected a list of (name, LayerClass) pairs, got %r"
                            % (self.layers,), field="layers")
        prefixes = tuple(name + "_" for _, name, _ in self._layer_defs())
        keywords = {key: value for key, value in vars(self).items()     # as nolearn read them
                    if key.startswith(prefixes) and key not in PARAM_NAMES
                    and not key.endswith("_")}
        keywords["more_params"] = {key: value for key, value in self.more_params.items()
                                   if str(key).startswith(prefixes)}
        return specs_from_nolearn(list(self.layers), keywords, resolve=_resolve)

    # -- Lasagne ---------------------------------------------------------

    def initialize_layers(self, layers: Any = None) -> List[Any]:
        """Build the Lasagne layers into ``layers_``; return the output layers.

        Given ``layers``, they replace the ones the NeuralNet was made with.
        Built layers given are used as they are, named as nolearn named them
        (``layer.name``, else ``input0``, ``dense1``, ... by position).
        Layers given as classes (or their names) are built from their
        description, checked keyword by keyword; any other factory is
        called with its keywords, as nolearn called it.
        """
        if layers is not None:
            self.set_params(layers=layers)
        self.layers_ = Layers()
        if self._prebuilt():
            self._output_layers = self._take_built()
        elif self._described():
            self.layers_ = Layers(build_layers(self._specs(), self._classes()))
            self._output_layers = [self.layers_[-1]]
        else:
            self._output_layers = [self._call_factories()]
        network_built(self)         # lasagne-params run lists the networks a script built
        return self._output_layers

    def _take_built(self):
        for output in self.layers:
            for index, layer in enumerate(all_layers(output)):
                if any(layer is known for known in self.layers_.values()):
                    continue
                name = layer.name or default_name(type(layer).__name__, index)
                self.layers_[name] = layer
                if self._given(name):
                    raise SpecError("layer keywords cannot be used when 'layers' is a built "
                                    "Lasagne network", layer=name,
                                    field=name + "_" + sorted(self._given(name))[0])
        return list(self.layers)

    def _described(self):
        """True when every layer is given as a Lasagne layer class or a class name."""
        base = import_lasagne().layers.Layer
        return all(isinstance(factory, str)
                   or (inspect.isclass(factory) and issubclass(factory, base))
                   for factory, _, _ in self._layer_defs())

    def _classes(self):
        """{layer name: class} for the layers given as classes (not names)."""
        return {self._given(name).get("name", name): factory
                for factory, name, _ in self._layer_defs() if inspect.isclass(factory)}

    def _call_factories(self):
        """nolearn's way: each factory called with its keywords; returns the last layer."""
        layer = None
        for factory, name, keywords in self._layer_defs():
            factory = _locate(factory, name)
            if not callable(factory):
                raise SpecError("expected a layer class, its name, or a function returning a "
                                "layer, got %r" % (factory,), layer=name, field="layers")
            keywords = dict(keywords, name=name)
            keywords.update(self._given(name))
            name = keywords["name"]
            if name in self.layers_:
                raise SpecError("two layers have this name", layer=name, field="name")
            if not _is_input_factory(factory):
                for key in ("incoming", "incomings") + _REFERENCES:
                    if key in keywords:
                        keywords[key] = self._named_layers(keywords[key], name, key)
                if "incoming" not in keywords and "incomings" not in keywords:
                    keywords["incoming"] = layer
            for key in _SHARED:
                if isinstance(keywords.get(key), str):
                    source = self._named_layers(keywords[key], name, key)
                    keywords[key] = getattr(source, key, None)
            wrapper = keywords.pop("layer_wrapper", None)
            try:
                layer = factory(**keywords)
            except LasagneParamsError:
                raise
            except Exception as exc:            # the factory's own checks raise anything
                said = ": %s" % exc if str(exc).strip() else " with no message"
                raise LayerRuleError("%s(...) cannot build it: %s%s" % (
                    _factory_name(factory), type(exc).__name__, said), layer=name) from exc
            self.layers_[name] = layer
            if wrapper is not None:
                layer = wrapper(layer)
                self.layers_["LW_%s" % name] = layer
        return layer

    def _named_layers(self, value, layer, field):
        """A layer name (or a list of them) as the built layers of ``layers_``."""
        if isinstance(value, (list, tuple)):
            return [self._named_layers(item, layer, field) for item in value]
        if not isinstance(value, str):
            return value
        if value not in self.layers_:
            raise SpecError("no earlier layer called %r%s" % (
                value, did_you_mean(value, self.layers_.keys())), layer=layer, field=field)
        return self.layers_[value]

    def output_layers(self) -> List[Any]:
        """The built output layers (building them first, once, if needed)."""
        if self._output_layers is None:
            self.initialize_layers()
        return self._output_layers

    def initialize(self) -> None:
        """Build the network (once) and check the keywords, as nolearn's ``initialize``.

        Nothing is printed: the layer information is printed when training
        starts (``verbose >= 1``), or by ``PrintLayerInfo()(net)``.
        """
        if self._initialized:
            return
        self.output_layers()
        given = [] if self._prebuilt() else [name for _, name, _ in self._layer_defs()]
        self._check_for_unused_kwargs(self.layers_.keys() + given)     # renamed ones too
        self._initialized = True

    def layer_report(self) -> Report:
        """The built layers as a Report, in ``layers_`` order (Lasagne's own figures)."""
        outputs = self.output_layers()
        names = {id(layer): name for name, layer in self.layers_.items()}
        return in_order(report_from_lasagne(outputs, names=names), self.layers_.keys())

    def layer_info(self) -> str:
        """nolearn's ``PrintLayerInfo`` text (greeting and table) from the built layers."""
        return render_nolearn(self.layer_report())

    def get_all_layers(self) -> Iterable[Any]:
        return self.layers_.values()

    def get_all_params(self, **tags: bool) -> List[Any]:
        return import_lasagne().layers.get_all_params(self.output_layers(), **tags)

    def get_all_params_values(self) -> "OrderedDict[str, List[Any]]":
        """``OrderedDict`` of layer name -> copies of its parameter arrays (nolearn's form)."""
        self.output_layers()
        return OrderedDict((name, [p.get_value() for p in layer.get_params()])
                           for name, layer in self.layers_.items())

    # -- training ----------------------------------------------------------

    def _get_params_for(self, prefix):
        """nolearn's ``<prefix>_<arg>`` keywords (and ``more_params``) as {arg: value}."""
        return self._given(prefix)

    def _loss(self, target, **options):
        lasagne = import_lasagne()
        keywords = self._get_params_for("objective")
        loss_function = keywords.get("loss_function")
        if loss_function is None:
            loss_function = (lasagne.objectives.squared_error if self.regression
                             else lasagne.objectives.categorical_crossentropy)
        elif isinstance(loss_function, str):
            loss_function = named_function("objective_loss_function", loss_function)
        keywords["loss_function"] = loss_function
        function = self.objective if self.objective is not None else objective
        return function(self.layers_, target=target, **dict(keywords, **options))

    def _target_type(self):
        if self.y_tensor_type is not None:
            return self.y_tensor_type
        import theano
        import theano.tensor as T
        if self.regression:
            return T.TensorType(theano.config.floatX, (False, False))
        return T.ivector

    def trainer(self) -> Trainer:
        """The :class:`lasagne_params.training.Trainer` this network trains with (made once).

        It builds the network when it first needs it (an epoch, a
        prediction), not before: ``train_loop`` with no epoch to run needs
        none.
        """
        if self._trainer is not None:
            return self._trainer
        update = self.update if self.update is not None else "nesterov_momentum"
        if isinstance(update, str):
            update = named_function("update", update)
        self._trainer = Trainer(
            self._trained_network, update=update,
            update_params=self._get_params_for("update"),
            batch_size=getattr(self.batch_iterator_train, "batch_size", 128),
            max_epochs=self.max_epochs, verbose=self.verbose, regression=self.regression,
            print_fn=print, loss=self._loss, target_type=self._target_type(),
            iterate_train=self.batch_iterator_train, iterate_test=self.batch_iterator_test,
            scores_train=self.scores_train, scores_valid=self.scores_valid,
            custom_scores=self.custom_scores or (), callbacks=self._callbacks(),
            owner=self)
        self._trainer.train_history_ = self.__dict__.pop("_history", [])
        return self._trainer

    def _trained_network(self):
        """The output layer(s) the Trainer trains: built and checked first (initialize)."""
        self.initialize()
        outputs = self._output_layers
        return outputs[0] if len(outputs) == 1 else outputs

    def _callbacks(self):
        """The ``on_*`` lists; with ``verbose``, nolearn's PrintLayerInfo starts training."""
        callbacks = {name: _as_list(getattr(self, name)) for name in CALLBACKS}
        if self.verbose:
            callbacks["on_training_started"].insert(0, PrintLayerInfo())
        return callbacks

    def _check_good_input(self, X, y=None):
        """nolearn's check before training: X's arrays and y of one length; a regression
        target of one dimension made a column.  Returns X and y (the objects given)."""
        sample_count(X, y)
        if self.regression and y is not None and getattr(y, "ndim", None) == 1:
            y = y.reshape(-1, 1)
        return X, y

    def _encode(self, y):
        if not self.use_label_encoder:
            return y
        self.enc_ = _LabelEncoder()
        encoded = self.enc_.fit_transform(y).astype("int32")
        self.classes_ = self.enc_.classes_
        return encoded

    def fit(self, X: Any, y: Any, epochs: Optional[int] = None) -> "NeuralNet":
        """Train for ``epochs`` (default ``max_epochs``); returns ``self`` (``train_history_`` grows).

        As nolearn: the input checked (``check_input``), labels encoded
        (``use_label_encoder``), the network initialized, then
        :meth:`train_loop`.  The callbacks see the NeuralNet; their changes
        to it (``max_epochs``, shared ``update_*`` values) take effect as
        nolearn's did.
        """
        network_used("NeuralNet.fit")       # reading FILE.py:net stops here, before training
        if self.check_input:
            X, y = self._check_good_input(X, y)
        y = self._encode(y)
        self.initialize()
        self.train_loop(X, y, epochs=epochs)
        return self

    def partial_fit(self, X: Any, y: Any, classes: Any = None) -> "NeuralNet":
        """One epoch of training; returns ``self``."""
        return self.fit(X, y, epochs=1)

    def train_loop(self, X: Any, y: Any, epochs: Optional[int] = None) -> None:
        """nolearn's loop itself: ``train_split(X, y, net)``, then the epochs."""
        network_used("NeuralNet.train_loop")
        X_train, X_valid, y_train, y_valid = self.train_split(X, y, self)
        trainer = self.trainer()
        trainer.max_epochs = self.max_epochs
        trainer.callbacks = self._callbacks()
        trainer.train(X_train, X_valid, y_train, y_valid, epochs=epochs or None)

    def predict_proba(self, X: Any) -> Any:
        return self.trainer().outputs(X)

    def predict(self, X: Any) -> Any:
        predicted = self.trainer().predict(X)
        if self.use_label_encoder and not self.regression:
            return self.enc_.inverse_transform(predicted)
        return predicted

    def score(self, X: Any, y: Any) -> float:
        """Accuracy, or for regression nolearn's R^2: ``r2_score(predict(X), y)``.

        nolearn passed the predictions as the reference (scikit-learn's
        ``y_true``); its scores, and the models chosen by them in grid
        searches, are reproduced with its order (docs/historical-code.md).
        """
        import numpy
        predicted = self.predict(X)
        if self.regression:
            return r_squared(predicted, y)
        return float(numpy.mean(numpy.asarray(predicted) == numpy.asarray(y)))

    def get_output(self, layer: Any, X: Any) -> Any:
        """The output of ``layer`` (or the layer called so) for ``X``, batch by batch.

        Compiled as :meth:`predict_proba` is: for an output layer the very
        same function, so the two agree to the last bit, as nolearn's did.
        """
        self.output_layers()
        if isinstance(layer, str):
            layer = self.layers_[layer]
        return self.trainer().outputs(X, [layer])

    # -- parameters ----------------------------------------------------------

    def save_params_to(self, path: Union[str, "os.PathLike[str]"]) -> None:
        """Write every layer's parameter arrays to ``path`` (numpy ``.npz``, no pickle).

        Arrays are stored as ``<layer name>:<position>``; the file is
        written at ``path`` exactly.
        """
        import numpy
        arrays = {"%s:%d" % (name, i): value
                  for name, values in self.get_all_params_values().items()
                  for i, value in enumerate(values)}
        with atomic_file(path) as handle:     # a failed write leaves the old file whole
            numpy.savez(handle, **arrays)

    def load_params_from(self, source: Any, *, trusted: bool = False) -> "NeuralNet":
        """Set parameters by layer name, as nolearn did; layers whose shapes differ are skipped.

        ``source`` is a file written by :meth:`save_params_to` or by nolearn
        (a pickle of ``get_all_params_values()``), another NeuralNet, or such
        a mapping.  A file is read as data (numpy arrays and plain containers;
        :mod:`lasagne_params.backend.networks.weights`): a pickle asking for
        anything else is refused unless ``trusted``.  With ``verbose`` each
        layer's outcome is printed as nolearn printed it; a layer skipped is
        always said on stderr.
        """
        self.output_layers()
        values = self._values_from(source, trusted)
        for name, arrays in values.items():
            layer = self.layers_.get(name)
            if layer is None:
                continue
            for param, value in zip(layer.get_params(), arrays):
                shape = param.get_value(borrow=True).shape
                shown = ("x".join(map(str, shape)), "x".join(map(str, value.shape)))
                if tuple(shape) == tuple(value.shape):
                    param.set_value(value.astype(param.dtype))
                    if self.verbose:
                        print("Loaded parameters to layer '%s' (shape %s)." % (name, shown[0]))
                else:
                    message = ("Could not load parameters to layer '%s' because shapes did "
                               "not match: %s vs %s." % (name, shown[0], shown[1]))
                    print(message, file=sys.stdout if self.verbose else sys.stderr)
        return self

    def _values_from(self, source, trusted=False):
        if isinstance(source, NeuralNet):
            return source.get_all_params_values()
        if isinstance(source, dict):
            return source
        try:
            weights = read_weights(source, trusted=trusted)
        except SpecError as exc:
            raise TrainingError(exc.message, file=exc.file) from None
        if weights.named is None:
            raise TrainingError("expected nolearn's {layer name: [arrays]}, got %s (%s)"
                                % (weights.layout, LAYOUTS[weights.layout]),
                                file=weights.path)
        return weights.by_name()

    @property
    def train_history_(self) -> List[Dict[str, Any]]:
        if self._trainer is not None:
            return self._trainer.train_history_
        return vars(self).setdefault("_history", [])

    @train_history_.setter
    def train_history_(self, value: List[Dict[str, Any]]) -> None:
        if self._trainer is not None:
            self._trainer.train_history_ = value
        else:
            self._history = value
