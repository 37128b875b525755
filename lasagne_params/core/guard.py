"""Calling the functions of a user's layer kinds: whatever they do, one LayerRuleError.

A kind declared with :func:`~lasagne_params.core.registry.register_kind`
brings its own rule, cost and explanation functions, called by the
derivation (``derive.py``), the cost walk (``costs.py``) and the
explanation (``render/explain.py``).  They are the user's code, so each call
goes through :func:`call_user`:

* anything the function raises — an exception, ``sys.exit`` (and
  ``os._exit``, made to raise ``SystemExit`` for the call's duration, as
  :func:`exits_raise` does for every piece of user code) — becomes one
  :class:`LayerRuleError` naming the layer, the kind and the file that
  declared it; a :class:`LasagneParamsError` the rule raises on purpose
  (``context.error(...)``) keeps its words.  A rule that exits can
  therefore never end a ``check`` or ``snapshot`` with status 0;
* what it returns is checked before anything else uses it: a rule's
  :class:`Result` has sizes that are positive ints (never a bool, a float
  or a negative number; ``None`` only for an axis of unknown length), its
  arrays are :class:`ParamArray` of positive int sizes; a cost is a
  :class:`Cost` of :class:`OpTerm` counts (non-negative ints or ``None``);
  an explanation is a list of strings; and it must leave ``sys.stdout`` and
  ``sys.stderr`` as they were (a rule closing them is named, rather than the
  command failing later to print).

Ctrl-C stays Ctrl-C.  Built-in kinds are called directly: an exception
there is a bug of this package, and is reported as one.
"""
import contextlib
import functools
import os
import sys

from .cost_records import OpTerm
from .errors import LasagneParamsError, LayerRuleError
from .layers.base import Cost, Result
from .records import ParamArray

__all__ = ["call_user", "call_rule", "call_cost", "guarded_explainer", "exits_raise",
           "check_result", "check_cost", "check_sentences"]


def _exit_now(status=0):
    """``os._exit`` while user code runs: ``SystemExit(status)``, which the caller sees."""
    raise SystemExit(status)


@contextlib.contextmanager
def exits_raise():
    """``os._exit`` (and ``posix._exit``, the same function) raise SystemExit meanwhile."""
    owners = [module for module in (os, sys.modules.get("posix")) if module is not None]
    saved = [(owner, owner._exit) for owner in owners]
    for owner in owners:
        owner._exit = _exit_now
    try:
        yield
    finally:
        for owner, original in saved:
            owner._exit = original


def _is_size(value, allow_none):
    if value is None:
        return allow_none
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _shape_problem(shape, allow_none):
    if not isinstance(shape, tuple):
        return "is %r, not a tuple" % (shape,)
    for axis, value in enumerate(shape):
        if not _is_size(value, allow_none):
            return "has %r on axis %d, expected a positive int%s" % (
                value, axis, " or None (unknown)" if allow_none else "")
    return None


def check_result(result):
    """The problem with what a rule returned, in words, or None."""
    if not isinstance(result, Result):
        return "returned %s, expected a Result" % type(result).__name__
    problem = _shape_problem(result.output_shape, allow_none=True)
    if problem:
        return "returned an output shape that %s" % problem
    if not isinstance(result.param_arrays, tuple):
        return "returned param_arrays %r, expected a tuple of ParamArray" % (
            result.param_arrays,)
    for array in result.param_arrays:
        if not isinstance(array, ParamArray):
            return "returned a parameter array %r, expected a ParamArray" % (array,)
        problem = _shape_problem(array.shape, allow_none=False)
        if problem:
            return "returned the array %r, whose shape %s" % (array.name, problem)
    for name in ("shape_formula", "param_formula", "note"):
        if not isinstance(getattr(result, name), str):
            return "returned %s %r, expected a str" % (name, getattr(result, name))
    return None


def check_cost(cost):
    """The problem with what a cost rule returned, in words, or None."""
    if not isinstance(cost, Cost):
        return "returned %s, expected a Cost" % type(cost).__name__
    for term in cost.ops:
        if not isinstance(term, OpTerm):
            return "returned an operation %r, expected an OpTerm" % (term,)
        count = term.count
        if count is not None and (isinstance(count, bool) or not isinstance(count, int)
                                  or count < 0):
            return "counted %r %s operations, expected an int of at least 0 or None" % (
                count, term.op)
    return None


def check_sentences(sentences):
    """The problem with what an explanation function returned, in words, or None."""
    if not isinstance(sentences, (list, tuple)) or not all(
            isinstance(s, str) for s in sentences):
        return "returned %r, expected a list of sentences (str)" % (sentences,)
    return None


def call_user(kind, what, function, layer, check, *args):
    """``function(*args)``, a user kind's ``what`` (``"rule"``, ``"cost rule"``,
    ``"explanation"``) for ``layer``: its failures and wrong results as one
    LayerRuleError (see the module's docstring)."""
    where = dict(layer=layer, kind=kind.name, file=kind.declared_in)
    streams = (sys.stdout, sys.stderr)
    try:
        with exits_raise():
            value = function(*args)
    except LasagneParamsError as exc:       # raised on purpose: about the layer's input
        raise exc.located(layer=layer, kind=kind.name) from None
    except SystemExit as exc:
        raise LayerRuleError("its %s called sys.exit(%r); nothing was derived"
                             % (what, exc.code), **where) from None
    except KeyboardInterrupt:
        raise
    except BaseException as exc:        # the user's function may fail in any way
        raise LayerRuleError("its %s raised %s: %s" % (what, type(exc).__name__, exc),
                             **where) from exc
    problem = _streams_problem(streams) or check(value)
    if problem:
        raise LayerRuleError("its %s %s" % (what, problem), **where)
    return value


def _streams_problem(before):
    """What the call did to standard output or error (closed or replaced them), or None."""
    for name, stream, earlier in (("sys.stdout", sys.stdout, before[0]),
                                  ("sys.stderr", sys.stderr, before[1])):
        if stream is not earlier or getattr(stream, "closed", False):
            return "closed or replaced %s" % name
    return None


def call_rule(kind, context):
    """``kind.rule(context)``; through :func:`call_user` for a user's kind."""
    if kind.declared_in is None:
        return kind.rule(context)
    return call_user(kind, "rule", kind.rule, context.spec.name, check_result, context)


def call_cost(kind, context):
    """``kind.cost(context)``; through :func:`call_user` for a user's kind."""
    if kind.declared_in is None:
        return kind.cost(context)
    return call_user(kind, "cost rule", kind.cost, context.spec.name, check_cost, context)


def guarded_explainer(kind, explain):
    """``explain`` (a user kind's explanation function) called through :func:`call_user`."""
    @functools.wraps(explain)
    def guarded(row, inputs, last):
        return call_user(kind, "explanation", explain, row.name, check_sentences,
                         row, inputs, last)
    return guarded
