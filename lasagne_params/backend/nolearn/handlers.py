"""nolearn 0.6's training handlers (``nolearn.lasagne.handlers``), without nolearn.

Each is a callable ``handler(net, train_history)`` that a NeuralNet calls
from one of its ``on_*`` lists: ``PrintLayerInfo`` (training started),
``PrintLog``, ``SaveWeights``, ``RememberBestWeights``,
``RestoreBestWeights`` (epoch or training finished), ``WeightLog`` (batch
finished).  They behave as nolearn's did; ``PrintLog`` prints the epoch
table of :mod:`lasagne_params.render.training` (no ANSI colours);
``PrintLayerInfo`` nolearn's layer table, and at ``verbose >= 2`` for a
convolutional net nolearn's capacity and coverage table with its legend
(:mod:`lasagne_params.backend.nolearn.util`).

``pickle`` is a global of this module, as in nolearn's, so that tests can
replace it.
"""
import pickle
import sys
from datetime import datetime

from ...render.nolearn import nolearn_greeting, nolearn_table
from ...render.training import epoch_lines
from .util import ansi, get_conv_infos, is_conv2d

__all__ = ["PrintLayerInfo", "PrintLog", "SaveWeights", "RememberBestWeights",
           "RestoreBestWeights", "WeightLog"]


def _score_names(net):
    names = [name for name, _ in list(getattr(net, "scores_train", None) or [])
             + list(getattr(net, "scores_valid", None) or [])]
    return names + [score[0] for score in getattr(net, "custom_scores", None) or []]


class PrintLog:
    """Print the last epoch's row of nolearn's epoch table (the header before the first)."""

    def __init__(self):
        self.first_iteration = True

    def __call__(self, nn, train_history):
        print(self.table(nn, train_history))
        sys.stdout.flush()

    def table(self, nn, train_history):
        lines = epoch_lines(train_history[-1], getattr(nn, "regression", False),
                            header=self.first_iteration, extra=_score_names(nn))
        self.first_iteration = False
        return "\n".join(lines)


LEGEND = ("\nExplanation"
          "\n    X, Y:    image dimensions"
          "\n    cap.:    learning capacity"
          "\n    cov.:    coverage of image"
          "\n    %smagenta%s: capacity too low (<1/6)"
          "\n    %scyan%s:    image coverage too high (>100%%)"
          "\n    %sred%s:     capacity too low and coverage too high\n"
          % (ansi.MAGENTA, ansi.ENDC, ansi.CYAN, ansi.ENDC, ansi.RED, ansi.ENDC))


class PrintLayerInfo:
    """Print nolearn's ``# Neural Network with N learnable parameters`` and layer table.

    A NeuralNet with ``verbose`` calls one when training starts.  Called
    with a non-empty ``train_history`` (training continues) it prints
    nothing, as nolearn's did.  With ``verbose >= 2`` a net with 2D
    convolutions gets nolearn's capacity and coverage table instead (``>= 3``
    with the filter and field sizes), and its legend.
    """

    def __call__(self, nn, train_history=None):
        if train_history:
            return
        print(self._get_greeting(nn))
        print("## Layer information")
        print("")
        first = nn.layers_.values()[0] if nn.layers_ else None
        if getattr(nn, "verbose", 0) >= 2 and is_conv2d(nn.layers_.values()) \
                and len(first.output_shape) == 4:
            table, legend = self._get_layer_info_conv(nn)
            print(table)
            print(legend)
        else:
            print(self._get_layer_info_plain(nn))
        print("")
        sys.stdout.flush()

    @staticmethod
    def _get_greeting(nn):
        return nolearn_greeting(nn.layer_report()) + "\n"

    @staticmethod
    def _get_layer_info_plain(nn):
        return nolearn_table(nn.layer_report())

    @staticmethod
    def _get_layer_info_conv(nn):
        return get_conv_infos(nn, detailed=nn.verbose > 2), LEGEND


class SaveWeights:
    """Save the net's parameters every ``every_n_epochs`` (``only_best``: when the loss is best).

    ``path`` may hold ``{epoch}``, ``{loss}`` and ``{timestamp}``;
    ``pickle=True`` pickles the whole net instead.
    """

    def __init__(self, path, every_n_epochs=1, only_best=False, pickle=False, verbose=0):
        self.path = path
        self.every_n_epochs = every_n_epochs
        self.only_best = only_best
        self.pickle = pickle
        self.verbose = verbose

    def __call__(self, nn, train_history):
        last = train_history[-1]
        if self.only_best and last["valid_loss"] > min(h["valid_loss"] for h in train_history):
            return
        if last["epoch"] % self.every_n_epochs != 0:
            return
        path = self.path.format(loss=last["valid_loss"], epoch="%04d" % last["epoch"],
                                timestamp=datetime.now().strftime("%Y-%m-%d-%H-%M-%S"))
        if self.verbose:
            print("Writing %s" % path)
        if self.pickle:
            with open(path, "wb") as handle:
                pickle.dump(nn, handle, -1)
        else:
            nn.save_params_to(path)


class RememberBestWeights:
    """Keep a copy of the parameters of the epoch with the lowest ``loss`` (or highest ``score``)."""

    def __init__(self, loss="valid_loss", score=None, verbose=1):
        self.loss = loss
        self.score = score
        self.verbose = verbose
        self.best_weights = None
        self.best_weights_loss = sys.maxsize
        self.best_weights_epoch = None

    def __call__(self, nn, train_history):
        key = self.score if self.score is not None else self.loss
        current = train_history[-1][key] * (-1 if self.score else 1)
        if current < self.best_weights_loss:
            self.best_weights = nn.get_all_params_values()
            self.best_weights_loss = current
            self.best_weights_epoch = train_history[-1]["epoch"]


class RestoreBestWeights:
    """Load the weights a :class:`RememberBestWeights` kept (the net's own, by default)."""

    def __init__(self, remember=None):
        self.remember = remember

    def __call__(self, nn, train_history):
        if self.remember is None:
            found = [h for h in nn.on_epoch_finished if isinstance(h, RememberBestWeights)]
            if len(found) != 1:
                raise ValueError("RestoreBestWeights needs exactly one RememberBestWeights "
                                 "in on_epoch_finished, found %d" % len(found))
            self.remember = found[0]
        nn.load_params_from(self.remember.best_weights)
        if self.remember.verbose:
            print("Loaded best weights from epoch %s where %s was %s" % (
                self.remember.best_weights_epoch, self.remember.score or self.remember.loss,
                self.remember.best_weights_loss * (-1 if self.remember.score else 1)))


class WeightLog:
    """Log each parameter's mean change, mean absolute value and mean, after every call.

    ``history`` holds one dict per call, keyed ``<layer>_<i> wdiff``,
    ``... wabsmean``, ``... wmean``; with ``save_to`` they are also written
    as CSV, ``write_every`` rows at a time.
    """

    def __init__(self, save_to=None, write_every=8):
        self.last_weights = None
        self.history = []
        self.save_to = save_to
        self.write_every = write_every
        self._writer = None
        self._file = None

    def __call__(self, nn, train_history):
        import numpy
        weights = nn.get_all_params_values()
        if self.save_to and self._writer is None:
            import csv
            fields = ["%s_%d %s" % (key, i, stat) for key in weights
                      for i in range(len(weights[key])) for stat in ("wdiff", "wabsmean",
                                                                     "wmean")]
            new = self.last_weights is None
            self._file = open(self.save_to, "w" if new else "a", newline="")
            self._writer = csv.DictWriter(self._file, fields)
            if new:
                self._writer.writeheader()
        last = self.last_weights if self.last_weights is not None else weights
        entry = {}
        for key in weights:
            for i, (before, now) in enumerate(zip(last[key], weights[key])):
                entry["%s_%d wdiff" % (key, i)] = numpy.abs(before - now).mean()
                entry["%s_%d wabsmean" % (key, i)] = numpy.abs(now).mean()
                entry["%s_%d wmean" % (key, i)] = now.mean()
        self.history.append(entry)
        if self.save_to and len(self.history) % self.write_every == 0:
            self._writer.writerows(self.history[-self.write_every:])
            self._file.flush()
        self.last_weights = weights

    def __getstate__(self):
        state = dict(self.__dict__)
        state["_file"] = state["_writer"] = None
        return state
