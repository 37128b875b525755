"""nolearn 0.6's ``nolearn.lasagne`` API, without nolearn: NeuralNet, BatchIterator, TrainSplit...

nolearn 0.6.1 does not install on a modern Python; these take the same
keywords and behave as nolearn's did, so historical code runs as written
(``lasagne-params run`` and :func:`lasagne_params.install_compat` serve them
as ``nolearn.lasagne``, see :mod:`lasagne_params.backend.bridges.nolearn_modules`).

Describing the network needs nothing but this package: ``.to_specs()`` turns
the keywords into LayerSpecs and ``lasagne_params.derive(net)`` derives them
without Theano.  ``.initialize()`` builds the real Lasagne layers
(``.layers_``) and, with ``verbose >= 1``, prints nolearn's layer
information.  Training (``fit``, ``partial_fit``, ``predict``, ...) runs
:class:`lasagne_params.backend.training.trainer.Trainer`'s loop with nolearn's
hooks: ``objective`` (and ``objective_*`` keywords such as
``objective_l2``), ``y_tensor_type``, ``batch_iterator_train``/``_test``,
``train_split``, ``scores_train``/``scores_valid``/``custom_scores``, the
four ``on_*`` callback lists, ``use_label_encoder`` and ``update_*``
keywords (a ``theano.shared`` learning rate stays shared, so callbacks may
change it).  ``get_params``/``set_params`` follow scikit-learn's estimator
protocol, so ``sklearn.base.clone(net)`` and grid searches work.

Differences from nolearn 0.6.1 (see docs/historical-code.md):

* the layer information is printed by ``initialize()`` (nolearn printed it
  when training started; ``fit`` calls ``initialize``), and ``verbose >= 2``
  prints the same plain table (nolearn added a coloured
  convolution-capacity table);
* the epoch table is printed before the ``on_epoch_finished`` callbacks run
  (nolearn after them: an early stop lost the last line);
* keywords are checked when the NeuralNet is made, with a "did you mean";
* ``save_params_to`` writes a numpy ``.npz`` file (no pickle);
  ``load_params_from`` reads it, nolearn's pickled files, another NeuralNet
  or ``get_all_params_values()``;
* ``score`` for regression is R^2 with the true targets as the reference;
* ``scores_train``/``scores_valid`` functions get the output expression
  itself when the network has one output (nolearn gave a one-item list).
"""
import inspect
import sys
from collections import OrderedDict

from ...core.compare import in_order
from ...core.errors import SpecError, TrainingError
from ...core.files import atomic_file
from ...core.registry import BUILTIN_NAMES, class_keywords
from ...describe.spec import NEURALNET_KEYWORDS, check_kind, default_name, specs_from_nolearn
from ...render import render_nolearn
from ..bridges.compat import import_lasagne
from ..networks.build import build_layers, named_function
from ..networks.first_use import network_used
from ..networks.read import all_layers, is_lasagne_network, report_from_lasagne, specs_from_lasagne
from ..networks.recording import network_built
from ..training.trainer import Trainer, split_indices

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
    every layer's regularizable parameters.
    """
    lasagne = import_lasagne()
    aggregate = aggregate or lasagne.objectives.aggregate
    output = lasagne.layers.get_output(layers[-1], deterministic=deterministic,
                                       **(get_output_kw or {}))
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
    """A layer type given to NeuralNet -> (Lasagne class name, Signature or None)."""
    if isinstance(factory, str):
        return check_kind(factory, layer), None
    if not inspect.isclass(factory):
        raise SpecError("expected a layer class or its name, got %r" % (factory,),
                        layer=layer, field="layers")
    kind = factory.__name__
    if kind in BUILTIN_NAMES and factory.__module__.startswith("lasagne."):
        return kind, None
    return kind, class_keywords(factory)


# NeuralNet's own keywords, in nolearn's order (scikit-learn's get_params lists them).
PARAM_NAMES = NEURALNET_KEYWORDS
CALLBACKS = ("on_training_started", "on_batch_finished", "on_epoch_finished",
             "on_training_finished")


def _as_list(value):
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


class NeuralNet:
    """A network declared with nolearn's keywords; derivable without Lasagne.

    Parameters
    ----------
    layers : list
        ``(name, LayerClass)`` or ``(LayerClass, {keyword: value})`` pairs
        (classes from ``lasagne.layers``, custom classes, or class names as
        strings such as ``"Conv2DLayer"``), or built Lasagne output layer(s).
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
        ``input_shape=(None, 1, 28, 28)``), and ``update_*``/``objective_*``.
        An unknown one raises a :class:`SpecError` naming the closest real one.
    """

    def __init__(self, layers, update=None, loss=None, objective=None,
                 objective_loss_function=None, batch_iterator_train=None,
                 batch_iterator_test=None, regression=False, max_epochs=100,
                 train_split=None, custom_scores=None, scores_train=None, scores_valid=None,
                 X_tensor_type=None, y_tensor_type=None, use_label_encoder=False,
                 on_batch_finished=None, on_epoch_finished=None, on_training_started=None,
                 on_training_finished=None, more_params=None, check_input=True, verbose=0,
                 **kwargs):
        if loss is not None:
            raise SpecError("was removed in nolearn; use objective_loss_function",
                            field="loss")
        if X_tensor_type is not None:
            raise SpecError("was removed in nolearn; it is unnecessary", field="X_tensor_type")
        if "batch_iterator" in kwargs:
            raise SpecError("was replaced in nolearn by batch_iterator_train and "
                            "batch_iterator_test", field="batch_iterator")
        if train_split is None:
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
        self.to_specs()        # unknown keywords and types fail here, as early as possible

    # -- scikit-learn's estimator protocol ------------------------------

    def get_params(self, deep=True):
        """Every keyword this NeuralNet was made with (scikit-learn's protocol)."""
        return {name: getattr(self, name) for name in PARAM_NAMES + tuple(self._kwarg_keys)}

    def set_params(self, **params):
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
        state = dict(self.__dict__)
        state.pop("_output_functions", None)
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)

    # -- description (no Lasagne needed) --------------------------------

    def _prebuilt(self):
        return is_lasagne_network(list(self.layers))

    def _keywords(self):
        """``<layer>_<arg>`` keywords: those given, and any set on the net since."""
        keywords = {key: getattr(self, key) for key in self._kwarg_keys}
        names = self._layer_names()
        for key, value in vars(self).items():
            if key not in keywords and not key.startswith("_") and not key.endswith("_") \
                    and key not in PARAM_NAMES \
                    and any(key.startswith(name + "_") for name in names):
                keywords[key] = value
        keywords["more_params"] = self.more_params
        return keywords

    def _layer_names(self):
        names = []
        for index, layer_def in enumerate(self.layers):
            if isinstance(layer_def, (list, tuple)) and len(layer_def) == 2:
                if isinstance(layer_def[1], dict):
                    factory = layer_def[0]
                    kind = factory.__name__ if inspect.isclass(factory) else str(factory)
                    names.append(layer_def[1].get("name") or default_name(
                        kind.rsplit(".", 1)[-1], index))
                else:
                    names.append(str(layer_def[0]))
        return names

    def to_specs(self):
        """The network as LayerSpecs (what ``lasagne_params.derive(net)`` derives)."""
        if self._prebuilt():
            layer_keywords = [k for k in self._kwarg_keys
                              if not k.startswith(("update_", "objective_"))]
            if layer_keywords:
                raise SpecError("layer keywords cannot be used when 'layers' is a built "
                                "Lasagne network", field=layer_keywords[0])
            return specs_from_lasagne(list(self.layers))
        if not self.layers:
            raise SpecError("expected a list of (name, LayerClass) pairs, got %r"
                            % (self.layers,), field="layers")
        return specs_from_nolearn(list(self.layers), self._keywords(), resolve=_resolve)

    def _classes(self):
        """{layer name: class} for the layers given as classes (not names)."""
        classes = {}
        for index, layer_def in enumerate(self.layers):
            if isinstance(layer_def[1], dict):
                factory, name = layer_def[0], layer_def[1].get("name")
            else:
                factory, name = layer_def[1], layer_def[0]
            if inspect.isclass(factory):
                classes[name or default_name(factory.__name__, index)] = factory
        return classes

    # -- Lasagne ---------------------------------------------------------

    def initialize_layers(self, layers=None):
        """Build the Lasagne layers into ``layers_``; return the output layers.

        Given ``layers``, they replace the ones the NeuralNet was made with.
        Built layers given are used as they are, named as nolearn named them
        (``layer.name``, else ``input0``, ``dense1``, ... by position).
        """
        if layers is not None:
            self.set_params(layers=layers)
        if self._prebuilt():
            self.layers_ = Layers()
            for output in self.layers:
                for index, layer in enumerate(all_layers(output)):
                    if not any(layer is known for known in self.layers_.values()):
                        self.layers_[layer.name or default_name(type(layer).__name__,
                                                                index)] = layer
            self._output_layers = list(self.layers)
        else:
            built = build_layers(self.to_specs(), self._classes())
            self.layers_ = Layers(built)
            self._output_layers = [self.layers_[-1]]
        network_built(self)         # lasagne-params run lists the networks a script built
        return self._output_layers

    def output_layers(self):
        """The built output layers (building them first, once, if needed)."""
        if self._output_layers is None:
            self.initialize_layers()
        return self._output_layers

    def initialize(self):
        """Build the network (once) and, with ``verbose >= 1``, print nolearn's layer information."""
        if self._initialized:
            return
        self.output_layers()
        self._initialized = True
        if self.verbose:
            print(self.layer_info())

    def layer_info(self):
        """nolearn's ``PrintLayerInfo`` text from the built layers (Lasagne's own figures)."""
        outputs = self.output_layers()
        names = {id(layer): name for name, layer in self.layers_.items()}
        report = report_from_lasagne(outputs, names=names)
        return render_nolearn(in_order(report, self.layers_.keys()))

    def get_all_layers(self):
        return self.layers_.values()

    def get_all_params(self, **tags):
        return import_lasagne().layers.get_all_params(self.output_layers(), **tags)

    def get_all_params_values(self):
        """``OrderedDict`` of layer name -> copies of its parameter arrays (nolearn's form)."""
        self.output_layers()
        return OrderedDict((name, [p.get_value() for p in layer.get_params()])
                           for name, layer in self.layers_.items())

    # -- training ----------------------------------------------------------

    def _get_params_for(self, prefix):
        """nolearn's ``<prefix>_<arg>`` keywords (and ``more_params``) as {arg: value}."""
        start = prefix + "_"
        found = {}
        for key, value in list(vars(self).items()) + list(self.more_params.items()):
            if key.startswith(start) and not key.endswith("_"):
                found[key[len(start):]] = value
        return found

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

    def trainer(self):
        """The :class:`lasagne_params.training.Trainer` this network trains with (made once)."""
        if self._trainer is not None:
            return self._trainer
        self.initialize()
        update = self.update if self.update is not None else "nesterov_momentum"
        if isinstance(update, str):
            update = named_function("update", update)
        batch_size = getattr(self.batch_iterator_train, "batch_size", 128)
        outputs = self._output_layers
        self._trainer = Trainer(
            outputs[0] if len(outputs) == 1 else outputs, update=update, update_params=self._get_params_for("update"),
            batch_size=batch_size, max_epochs=self.max_epochs,
            verbose=self.verbose, regression=self.regression, print_fn=print,
            loss=self._loss, target_type=self._target_type(),
            iterate_train=self.batch_iterator_train, iterate_test=self.batch_iterator_test,
            split=self._split,
            scores_train=self.scores_train, scores_valid=self.scores_valid,
            custom_scores=self.custom_scores or (),
            callbacks={name: _as_list(getattr(self, name)) for name in CALLBACKS},
            owner=self)
        self._trainer.train_history_ = self.__dict__.pop("_history", [])
        return self._trainer

    def _split(self, X, y):
        return self.train_split(X, y, self)

    def _encode(self, y):
        if not self.use_label_encoder:
            return y
        self.enc_ = _LabelEncoder()
        encoded = self.enc_.fit_transform(y).astype("int32")
        self.classes_ = self.enc_.classes_
        return encoded

    def fit(self, X, y, epochs=None):
        """Train for ``epochs`` (default ``max_epochs``); returns ``self`` (``train_history_`` grows).

        The callbacks see the NeuralNet; their changes to it (``max_epochs``,
        shared ``update_*`` values) take effect as nolearn's did.
        """
        network_used("NeuralNet.fit")       # reading FILE.py:net stops here, before training
        y = self._encode(y)
        trainer = self.trainer()
        trainer.max_epochs = self.max_epochs
        trainer.callbacks = {name: _as_list(getattr(self, name)) for name in CALLBACKS}
        trainer.fit(X, y, epochs=epochs)
        return self

    def partial_fit(self, X, y, classes=None):
        """One epoch of training; returns ``self``."""
        return self.fit(X, y, epochs=1)

    def train_loop(self, X, y, epochs=None):
        """nolearn's name for the loop itself (no label encoding, no input checks)."""
        network_used("NeuralNet.train_loop")
        self.trainer().fit(X, y, epochs=epochs)

    def predict_proba(self, X):
        return self.trainer().predict_proba(X)

    def predict(self, X):
        predicted = self.trainer().predict(X)
        if self.use_label_encoder and not self.regression:
            return self.enc_.inverse_transform(predicted)
        return predicted

    def score(self, X, y):
        if self.use_label_encoder and not self.regression:
            import numpy
            return float(numpy.mean(self.predict(X) == numpy.asarray(y)))
        return self.trainer().score(X, y)

    def get_output(self, layer, X):
        """The output of ``layer`` (or the layer called so) for ``X``, batch by batch."""
        import numpy
        import theano
        lasagne = import_lasagne()
        if isinstance(layer, str):
            layer = self.layers_[layer]
        self.output_layers()
        cache = vars(self).setdefault("_output_functions", {})
        if id(layer) not in cache:
            variable = self.layers_[0].input_var.type()
            cache[id(layer)] = theano.function(
                [variable], lasagne.layers.get_output(layer, variable, deterministic=True),
                allow_input_downcast=True)
        return numpy.vstack([cache[id(layer)](Xb) for Xb, _ in self.batch_iterator_test(X)])

    # -- parameters ----------------------------------------------------------

    def save_params_to(self, path):
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

    def load_params_from(self, source):
        """Set parameters by layer name, as nolearn did; layers whose shapes differ are skipped.

        ``source`` is a file written by :meth:`save_params_to` or by nolearn
        (a pickle of ``get_all_params_values()``), another NeuralNet, or such
        a mapping.  With ``verbose`` each layer's outcome is printed as
        nolearn printed it; a layer skipped is always said on stderr.
        """
        self.output_layers()
        values = self._values_from(source)
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

    def _values_from(self, source):
        import os
        if isinstance(source, NeuralNet):
            return source.get_all_params_values()
        if isinstance(source, dict):
            return source
        path = os.fspath(source)
        import zipfile
        if zipfile.is_zipfile(path):
            import numpy
            values = OrderedDict()
            with numpy.load(path, allow_pickle=False) as archive:
                for key in archive.files:
                    name, _, position = key.rpartition(":")
                    if not name or not position.isdigit():
                        raise TrainingError("expected arrays named <layer>:<position>, got %r"
                                            % key, file=path)
                    values.setdefault(name, []).append((int(position), archive[key]))
            return OrderedDict((name, [array for _, array in sorted(pairs, key=lambda p: p[0])])
                               for name, pairs in values.items())
        import pickle
        try:
            with open(path, "rb") as handle:
                loaded = pickle.load(handle)     # nolearn's own format: the user's file
        except OSError as exc:
            raise TrainingError("cannot read: %s" % (exc.strerror or exc), file=path) from None
        except Exception as exc:
            raise TrainingError("neither an .npz file nor nolearn's pickled parameters "
                                "(%s)" % type(exc).__name__, file=path) from None
        if isinstance(loaded, NeuralNet):
            return loaded.get_all_params_values()
        if not isinstance(loaded, dict):
            raise TrainingError("expected nolearn's {layer name: [arrays]}, got %s"
                                % type(loaded).__name__, file=path)
        return loaded

    @property
    def train_history_(self):
        if self._trainer is not None:
            return self._trainer.train_history_
        return vars(self).setdefault("_history", [])

    @train_history_.setter
    def train_history_(self, value):
        if self._trainer is not None:
            self._trainer.train_history_ = value
        else:
            self._history = value
