"""Every exception lasagne_params raises: one line each, naming where and what.

Each error carries the place it concerns (``file``, ``layer``, ``kind``,
``field``) as attributes, and its ``str()`` is a single line (control
characters escaped, whatever a name or value holds) such as::

    net.json: layer 'conv2d1' (Conv2DLayer): filter_size: expected a positive int or a pair of them, got -5

``field`` is always the offending input: a hyper-parameter, a spec-file key,
a command-line option or an API argument.  The command line prints the line
and exits with status 2.

One class, one meaning:

=========================  ==================================================
class                      raised when
=========================  ==================================================
SpecError                  a network description is malformed: a spec file,
                           nolearn keywords, a snapshot file, a graph whose
                           references do not resolve
LayerRuleError             a layer's hyper-parameters are invalid or give an
                           impossible shape (or Lasagne refuses to build it)
UnsupportedLayerError      no layer kind is declared for a Lasagne class
ArgumentError              an argument given to the API or the command line
                           is wrong (a format, a batch size, an option that
                           does not go with another)
TargetError                a Python file or module named as a network cannot
                           be found or read, or does not give a network
UserCodeError              a user's code (a target's file, a builder, a
                           ``--kinds`` file) raised an exception; a
                           TargetError
UserExitError              a user's code called ``sys.exit`` before giving a
                           network; a TargetError
DependencyError            an optional package an operation needs is not
                           installed; the message names the extra that
                           brings it (also an ImportError)
DrawError                  a picture cannot be made (Graphviz missing or
                           failing)
OutputError                a file the tool writes cannot be written
LimitError                 an input or a build is beyond a documented limit
                           (a file's size, the memory a build would take);
                           the message names the option that raises it
DatasetError               a data file is missing, unreadable or malformed
TrainingError              training data or saved parameters do not fit the
                           network
Interrupted                the user stopped the tool (Ctrl-C) while it ran
                           their code; the command line exits with 130
=========================  ==================================================

:func:`did_you_mean` is the one "did you mean" helper: it suggests only
names within a small edit distance of what was typed.
"""

import copy
import os
from typing import Any, Iterable, Optional, TypeVar, Union

from .text import clipped, shown

__all__ = ["LasagneParamsError", "SpecError", "LayerRuleError", "UnsupportedLayerError",
           "ArgumentError", "TargetError", "UserCodeError", "UserExitError",
           "DependencyError", "DrawError", "OutputError", "LimitError",
           "DatasetError", "TrainingError", "Interrupted",
           "did_you_mean", "close_matches", "edit_distance"]

_Error = TypeVar("_Error", bound="LasagneParamsError")
_Exception = TypeVar("_Exception", bound=BaseException)


def edit_distance(a, b):
    """Edits (insert, delete, substitute, swap two neighbours) turning ``a`` into ``b``.

    >>> edit_distance("rectfy", "rectify"), edit_distance("Conv2DLayre", "Conv2DLayer")
    (1, 1)
    """
    previous2, previous = None, list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        row = [i]
        for j, y in enumerate(b, 1):
            cost = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (x != y))
            if i > 1 and j > 1 and x == b[j - 2] and a[i - 2] == y:
                cost = min(cost, previous2[j - 2] + 1)
            row.append(cost)
        previous2, previous = previous, row
    return previous[-1]


_SUFFIX = "layer"
# Words longer than this get no suggestion: nobody typos a 100-letter name, and the
# edit distance takes time in the product of the lengths.
_LONGEST = 100


def _forms(name):
    """The spellings compared: lower case, and without a trailing "layer"."""
    low = name.lower()
    stripped = low[:-len(_SUFFIX)] if low.endswith(_SUFFIX) and len(low) > len(_SUFFIX) \
        else low
    return low, stripped


def close_matches(word, candidates, n=3):
    """The candidates a typo of ``word`` could stand for, closest first.

    Case is ignored, and so is a trailing ``Layer`` on both sides, so that
    ``MaxPool2D`` finds ``MaxPool2DLayer`` but ``BatchNormLayer`` finds no
    ``PadLayer``.  A candidate qualifies when at most a quarter of the
    letters of ``word`` (at least one) must change.

    >>> close_matches("Conv2dLayr", ["Conv2DLayer", "Conv1DLayer", "PadLayer"])
    ['Conv2DLayer', 'Conv1DLayer']
    >>> close_matches("BatchNormLayer", ["ConcatLayer", "FeatureWTALayer", "PadLayer"])
    []
    """
    if not isinstance(word, str) or not word or len(word) > _LONGEST:
        return []
    low, stripped = _forms(word)
    allowed = max(1, len(stripped) // 4)
    found = []
    for candidate in set(str(c) for c in candidates):
        if abs(len(candidate) - len(word)) > allowed + len(_SUFFIX):
            continue                  # too far apart in length to be close (and quick)
        c_low, c_stripped = _forms(candidate)
        distance = min(edit_distance(low, c_low), edit_distance(stripped, c_stripped))
        if distance <= allowed:
            found.append((distance, candidate))
    return [candidate for _, candidate in sorted(found)[:n]]


def did_you_mean(word, candidates, n=1, prefix=""):
    """``"; did you mean X?"`` (or ``"X or Y"`` for ``n > 1``), or ``""`` when nothing is close.

    ``prefix`` is put before each suggestion (nolearn's keywords are spelled
    ``<layer>_<argument>``: the hint is spelled as the user would write it).

    >>> did_you_mean("num_filter", ["num_filters", "filter_size"])
    '; did you mean num_filters?'
    """
    hints = close_matches(word, candidates, n=n)
    return "; did you mean %s?" % " or ".join(prefix + h for h in hints) if hints else ""


class LasagneParamsError(ValueError):
    """Base class: a problem reported in one line, with where it is.

    Parameters
    ----------
    message : str
        What is wrong, e.g. ``"expected a positive int, got 0"``.
    file, layer, kind, field : str or None
        Where: the file, the layer's name, its Lasagne class, the offending
        input.  Each is optional; those given prefix the message.
    """

    def __init__(self, message: object, *, file: Union[str, "os.PathLike[str]", None] = None,
                 layer: Optional[str] = None, kind: Optional[str] = None,
                 field: Optional[str] = None) -> None:
        self.message = str(message)
        self.file = file
        self.layer = layer
        self.kind = kind
        self.field = field
        super().__init__(self.message)

    def located(self: _Error, **where: Any) -> _Error:
        """A copy of this error with more of its location filled in (what it has is kept)."""
        clone = copy_error(self)
        for key, value in where.items():
            if getattr(clone, key) is None:
                setattr(clone, key, value)
        return clone

    def __str__(self) -> str:
        parts = []
        if self.file:
            parts.append(str(self.file))
        if self.layer is not None and self.kind:
            parts.append("layer %r (%s)" % (self.layer, self.kind))
        elif self.layer is not None:
            parts.append("layer %r" % (self.layer,))
        elif self.kind:
            parts.append(str(self.kind))
        if self.field:
            parts.append(str(self.field))
        parts.append(self.message)
        return clipped(shown(": ".join(parts).replace("\n", " ")), _LONGEST_LINE)


# An error line longer than this is cut in the middle (a value quoted from a hostile
# file could be megabytes long).
_LONGEST_LINE = 2000


def copy_error(error: _Exception) -> _Exception:
    """A shallow copy of an exception (its attributes, not its traceback)."""
    clone = copy.copy(error)
    clone.__traceback__ = None
    return clone


class SpecError(LasagneParamsError):
    """A network description (spec file, nolearn keywords, snapshot, graph) is malformed."""


class LayerRuleError(LasagneParamsError):
    """A layer's hyper-parameters are invalid or give an impossible shape."""


class UnsupportedLayerError(LasagneParamsError):
    """No layer kind is declared for this Lasagne class.

    ``suggestions`` holds the declared names close to it.
    """

    def __init__(self, message: object, *, suggestions: Iterable[str] = (),
                 **where: Any) -> None:
        self.suggestions = list(suggestions)
        super().__init__(message, **where)


class ArgumentError(LasagneParamsError):
    """An argument given to the API or the command line is wrong; ``field`` names it."""


class UnknownLayerError(ArgumentError, KeyError):
    """A report was asked for a layer it does not have (``Report.layer``); also a
    KeyError, as that method always raised."""

    __str__ = LasagneParamsError.__str__


class TargetError(LasagneParamsError):
    """A Python file or module named as a network cannot be loaded or gives no network."""


class UserCodeError(TargetError):
    """A user's code raised an exception; ``exception`` is its class name."""

    def __init__(self, message: object, *, exception: Optional[str] = None,
                 **where: Any) -> None:
        self.exception = exception
        super().__init__(message, **where)


class UserExitError(TargetError):
    """A user's code called ``sys.exit`` before it gave a network; ``code`` is its argument."""

    def __init__(self, message: object, *, code: object = None, **where: Any) -> None:
        self.code = code
        super().__init__(message, **where)


class DependencyError(LasagneParamsError, ImportError):
    """An optional package is not installed; ``extra`` names the extra that installs it."""

    def __init__(self, message: object, *, extra: Optional[str] = None,
                 **where: Any) -> None:
        self.extra = extra
        super().__init__(message, **where)


class DrawError(LasagneParamsError):
    """A picture cannot be made: Graphviz is missing or fails."""


class OutputError(LasagneParamsError):
    """A file the tool writes (snapshot, picture, report) cannot be written; ``file`` names it."""


class LimitError(LasagneParamsError):
    """An input or a build is beyond a documented limit; ``field`` names the option raising it."""


class DatasetError(LasagneParamsError):
    """A data file is missing, unreadable or malformed; ``file`` names it."""


class TrainingError(LasagneParamsError):
    """Training data or saved parameters that do not fit the network."""


class Interrupted(LasagneParamsError):
    """The user stopped the tool (Ctrl-C) while it ran their code; ``file`` names the code."""
