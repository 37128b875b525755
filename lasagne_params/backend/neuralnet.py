"""nolearn's ``NeuralNet(layers=[...], conv2d1_num_filters=32, ...)``, without nolearn.

nolearn 0.6.1 does not install on a modern Python; this class takes the
same keywords, so the Stack Overflow question's code runs as written.
Describing the network needs nothing but this package: ``.to_specs()`` turns
the keywords into LayerSpecs and ``lasagne_params.derive(net)`` derives them
without Theano.  ``.initialize()`` builds the real Lasagne layers
(``.layers_``) and, with ``verbose >= 1``, prints nolearn's layer
information.  Training (``fit``, ``predict``, ...) is delegated to
``lasagne_params.training.Trainer``.

Differences from nolearn 0.6.1: the layer information is printed by
``initialize()`` (nolearn printed it when training started; ``fit`` calls
``initialize``), ``verbose >= 2`` prints the same plain table (nolearn added
a coloured convolution-capacity table), and the objective is given as
``objective_loss_function`` only.
"""
import inspect
from collections import OrderedDict

from ..core.errors import SpecError
from ..core.registry import BUILTIN_NAMES, class_keywords
from ..describe.spec import check_kind, default_name, specs_from_nolearn

__all__ = ["NeuralNet", "Layers"]


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


def _setting(value, attribute, default):
    """nolearn passes objects (BatchIterator(batch_size=128)); plain values work too."""
    if value is None:
        return default
    return getattr(value, attribute, value)


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
    objective_loss_function : callable or str, optional
        The loss (default: categorical cross-entropy, or squared error with
        ``regression=True``).
    max_epochs, verbose, regression, batch_iterator_train, train_split, ...
        nolearn's keywords, stored as given (see nolearn 0.6.1).
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
        self.layers = layers
        self.update = update
        self.objective = objective
        self.objective_loss_function = objective_loss_function
        self.batch_iterator_train = batch_iterator_train
        self.batch_iterator_test = batch_iterator_test
        self.regression = regression
        self.max_epochs = max_epochs
        self.train_split = train_split
        self.custom_scores = custom_scores
        self.scores_train = scores_train or []
        self.scores_valid = scores_valid or []
        self.y_tensor_type = y_tensor_type
        self.use_label_encoder = use_label_encoder
        self.on_batch_finished = on_batch_finished or []
        self.on_epoch_finished = on_epoch_finished or []
        self.on_training_started = on_training_started or []
        self.on_training_finished = on_training_finished or []
        self.more_params = more_params or {}
        self.check_input = check_input
        self.verbose = verbose
        vars(self).update(kwargs)
        self._kwarg_keys = list(kwargs)
        self._trainer = None
        self.layers_ = Layers()
        self._output_layers = None
        self._initialized = False
        self.to_specs()        # unknown keywords and types fail here, as early as possible

    # -- description (no Lasagne needed) --------------------------------

    def _prebuilt(self):
        from .read import is_lasagne_network
        return is_lasagne_network(self.layers)

    def _keywords(self):
        keywords = {key: getattr(self, key) for key in self._kwarg_keys}
        keywords["more_params"] = self.more_params
        return keywords

    def to_specs(self):
        """The network as LayerSpecs (what ``lasagne_params.derive(net)`` derives)."""
        if self._prebuilt():
            layer_keywords = [k for k in self._kwarg_keys
                              if not k.startswith(("update_", "objective_"))]
            if layer_keywords:
                raise SpecError("layer keywords cannot be used when 'layers' is a built "
                                "Lasagne network", field=layer_keywords[0])
            from .read import specs_from_lasagne
            return specs_from_lasagne(self.layers)
        if not isinstance(self.layers, (list, tuple)) or not self.layers:
            raise SpecError("expected a list of (name, LayerClass) pairs, got %r"
                            % (self.layers,), field="layers")
        return specs_from_nolearn(self.layers, self._keywords(), resolve=_resolve)

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

    def initialize_layers(self):
        """Build the Lasagne layers into ``layers_``; return ``[output layer]``."""
        from .build import build_layers
        from .read import all_layers, layer_names
        if self._prebuilt():
            outputs = self.layers if isinstance(self.layers, (list, tuple)) else [self.layers]
            names = layer_names(all_layers(outputs))
            self.layers_ = Layers((names[layer], layer) for layer in names)
            self._output_layers = list(outputs)
        else:
            built = build_layers(self.to_specs(), self._classes())
            self.layers_ = Layers(built)
            self._output_layers = [self.layers_[-1]]
        return self._output_layers

    def initialize(self):
        """Build the network (once) and, with ``verbose >= 1``, print nolearn's layer information."""
        if self._initialized:
            return
        if self._output_layers is None:
            self.initialize_layers()
        self._initialized = True
        if self.verbose:
            print(self.layer_info())

    def layer_info(self):
        """nolearn's ``PrintLayerInfo`` text from the built layers (Lasagne's own figures)."""
        from ..core.compare import in_order
        from ..render import render_nolearn
        from .read import report_from_lasagne
        if self._output_layers is None:
            self.initialize_layers()
        report = in_order(report_from_lasagne(self._output_layers), self.layers_.keys())
        return render_nolearn(report)

    def get_all_layers(self):
        return self.layers_.values()

    def get_all_params(self, **tags):
        from .compat import import_lasagne
        return import_lasagne().layers.get_all_params(self._output_layers, **tags)

    # -- training, delegated ----------------------------------------------

    def _update_params(self):
        return {key[len("update_"):]: getattr(self, key) for key in self._kwarg_keys
                if key.startswith("update_")}

    def trainer(self):
        """The :class:`lasagne_params.training.Trainer` this network trains with (made once)."""
        if self._trainer is not None:
            return self._trainer
        self.initialize()
        objective_keywords = [k for k in self._kwarg_keys if k.startswith("objective_")]
        if self.objective is not None or objective_keywords:
            raise SpecError("custom objectives are not supported; give "
                            "objective_loss_function", field=(
                                objective_keywords or ["objective"])[0])
        from .build import named_function
        from .training import Trainer
        update = self.update if self.update is not None else "nesterov_momentum"
        if isinstance(update, str):
            update = named_function("update", update)
        loss = self.objective_loss_function
        if isinstance(loss, str):
            loss = named_function("objective_loss_function", loss)
        self._trainer = Trainer(
            self._output_layers[-1], update=update, update_params=self._update_params(),
            objective=loss, batch_size=_setting(self.batch_iterator_train, "batch_size", 128),
            max_epochs=self.max_epochs,
            train_split=_setting(self.train_split, "eval_size", 0.2),
            verbose=self.verbose, regression=self.regression, print_fn=print)
        return self._trainer

    def fit(self, X, y):
        """Train for ``max_epochs``; returns ``self`` (``train_history_`` grows)."""
        self.trainer().fit(X, y)
        return self

    def predict_proba(self, X):
        return self.trainer().predict_proba(X)

    def predict(self, X):
        return self.trainer().predict(X)

    def score(self, X, y):
        return self.trainer().score(X, y)

    def save_params_to(self, path):
        return self.trainer().save_params_to(path)

    def load_params_from(self, source):
        return self.trainer().load_params_from(source)

    @property
    def train_history_(self):
        return self._trainer.train_history_ if self._trainer is not None else []

