"""A user's Python file (or notebook) read as a module: for a target, or a ``--kinds`` file.

The file is imported the way ``python FILE.py`` would see it but not as
``__main__`` (its ``if __name__ == '__main__':`` block does not run), inside
:func:`~lasagne_params.usercode.running.running`: its prints go to stderr.
It runs top-level statement by top-level statement (a notebook: its code
cells' statements, in order).

**What a target means.**  Reading a target (``FILE.py:NAME``, ``FILE.py``),
the module runs until it first *uses* a network — compiles a Theano
function, calls a function it compiled, fits a NeuralNet
(:mod:`lasagne_params.backend.networks.first_use`) — once ``NAME`` exists,
or until it ends.  The network is then as the code built it: a list grown
by ``append``, a dict filled key by key, an object given its layers as
attributes; the training after it does not run.  A line on stderr says
where the reading stopped.

**A statement that fails.**  Without ``keep_going`` the reading stops
there.  For a variable target already defined that no later statement
changes (binds again, stores into, appends to:
:func:`~lasagne_params.usercode.sources.changes`) — nor the failing one,
which may have stopped halfway through changing it — the network is complete
and is read, with a line saying what did not run; otherwise the failure is
the error (never a network still being built).  With ``keep_going`` the
statement is skipped, with a line on stderr, and the next one runs (a
script loading data files that are not there).
"""
import os
import sys
import types

from ..core.errors import TargetError
from .running import (KEEP_GOING_HINT, advice, failure_line, reported, require_file,
                      running)
from .sources import binds, changes, compile_tree, file_trees, runs_code, statement_trees

__all__ = ["import_file", "read_file", "load_kinds", "Reading", "MODULE_NAME"]

#: The name a target's module is imported under (never ``__main__``).
MODULE_NAME = "_lasagne_params_user_module"


class _FirstUse(BaseException):
    """Raised into the user's code at its first use of a network, to stop it there (a
    BaseException: the code's own ``except Exception`` does not swallow it)."""

    def __init__(self, what):
        super().__init__(what)
        self.what = what


class Reading:
    """How a file was read: ``module``, and what of it did not run.

    ``skipped``: (line, exception) of each statement ``--keep-going`` stepped
    over; ``stopped``: (line, how the network was used, statements left) when
    the reading stopped at a first use; ``failed``: (line, exception,
    statements left) when a statement failed after the target was complete.
    """

    def __init__(self, path, module, until=None, keep_going=False, target=True):
        self.path, self.module, self.until, self.keep_going = path, module, until, keep_going
        self.target = target
        self.skipped, self.stopped, self.failed = [], None, None
        self.statements = []
        self.watching = target

    @property
    def namespace(self):
        return vars(self.module)

    def _on_use(self, what):
        if self.watching and (self.until is None or self.until in self.namespace):
            raise _FirstUse(what)

    def _complete_despite_failure(self, rest):
        """True if the target is a variable the module holds and no statement of ``rest``
        (the one that failed, which may have stopped halfway through changing it, and those
        after it) changes it."""
        value = self.namespace.get(self.until, _MISSING)
        return self.until is not None and value is not _MISSING \
            and not isinstance(value, (types.FunctionType, type)) \
            and not any(changes(tree.body[-1], self.until) for tree in rest)

    def run(self, statements):
        """Run ``statements`` (one-statement modules) in the module, as described above."""
        self.statements = [tree.body[-1] for tree in statements]
        if not self.target:
            for tree in statements:
                exec(compile_tree(tree, self.path), self.namespace)
            return
        from ..backend.networks.first_use import FirstUseWatch
        with FirstUseWatch(self._on_use):
            for index, tree in enumerate(statements):
                line = tree.body[-1].lineno
                try:
                    exec(compile_tree(tree, self.path), self.namespace)
                except _FirstUse as use:
                    self.stopped = (line, use.what, _running(statements[index:]))
                    return
                except (Exception, SystemExit) as exc:
                    if self.keep_going:
                        self.skipped.append((line, exc))
                    elif self._complete_despite_failure(statements[index:]):
                        self.failed = (line, exc, _running(statements[index + 1:]))
                        return
                    else:
                        raise
            self.watching = False

    def failed_assigning(self, name):
        """(line, exception) of a statement ``--keep-going`` skipped that assigns ``name``."""
        lines = {node.lineno for node in self.statements if binds(node, name)}
        return next(((line, exc) for line, exc in self.skipped if line in lines), None)

    def advised(self):
        """`` (line N, skipped before it: ADVICE)``: what the first statement ``--keep-going``
        skipped whose failure has advice (``--python2``, ``--stub-missing``, an extra to
        install) advises, for an error about the target the skipped statements left
        undefined (their failure, not the last one's, is the cause); or ``""``."""
        for line, exc in self.skipped:
            text = advice(exc)
            if text:
                return " (line %d, skipped before it: %s)" % (line, text)
        return ""

    def say(self):
        """The lines on stderr about what of the file did not run."""
        for line, exc in self.skipped[:5]:
            _note("%s: line %d failed and was skipped (--keep-going): %s"
                  % (self.path, line, _first_line(exc)))
        if len(self.skipped) > 5:
            _note("%s: and %d more statements failed and were skipped"
                  % (self.path, len(self.skipped) - 5))
        if self.stopped:
            line, what, rest = self.stopped
            _note("%s: read up to line %d, where the module first uses a network (%s); %s"
                  % (self.path, line, what, _left(rest)))
        if self.failed:
            line, exc, rest = self.failed
            what = "called sys.exit(%r)" % (exc.code,) if isinstance(exc, SystemExit) \
                else "failed (%s)" % _first_line(exc)
            _note("%s: line %d %s; %s was complete by then (no later statement changes it) "
                  "and is read as built; %s" % (self.path, line, what, self.until, _left(rest)))


_MISSING = object()


def _running(statements):
    """The statements of ``statements`` that run code (not defs, imports, docstrings)."""
    return [tree.body[-1] for tree in statements if runs_code(tree.body[-1])]


def _left(rest):
    """What the note says of the statements that did not run."""
    if not rest:
        return "no statement after it runs code"
    return "the %d statement%s from line %d on (training, saving, ...) did not run" % (
        len(rest), "s" if len(rest) > 1 else "", rest[0].lineno)


def _first_line(exc):
    return failure_line(exc).splitlines()[0]


def _note(text):
    print("lasagne-params: note: %s" % text, file=sys.stderr)


def _is_python(path):
    return path.lower().endswith((".py", ".ipynb"))


def _statements(trees):
    """Each top-level statement of each tree (a notebook: each cell) as a module of its own."""
    return [statement for tree in trees for statement in statement_trees(tree)]


def read_file(path, module_name=MODULE_NAME, until=None, keep_going=False, target=True):
    """Import the Python file or notebook ``path`` as ``module_name``, reading it as a
    target (see the module docstring); return the :class:`Reading`.

    Raises
    ------
    TargetError
        No such file, or not a Python file.
    UserCodeError, UserExitError, Interrupted
        The file's code raised, exited or was interrupted (and the target was
        not complete by then).
    """
    require_file(path)
    if not _is_python(path):
        raise TargetError("is not a Python module", file=path)
    module = types.ModuleType(module_name)
    module.__file__ = os.path.abspath(path)
    reading = Reading(path, module, until, keep_going, target)
    with reported(path, "importing it", "does not import",
                  "" if keep_going else KEEP_GOING_HINT), running(path):
        statements = _statements(file_trees(path))
        sys.modules[module_name] = module       # pickle and dataclasses look it up
        try:
            reading.run(statements)
        finally:
            sys.modules.pop(module_name, None)
    reading.say()
    return reading


def import_file(path, module_name=MODULE_NAME):
    """Import the whole file ``path`` as ``module_name`` (not as a target: it runs to its
    end, and any failure is the error); return the module."""
    return read_file(path, module_name, target=False).module


def load_kinds(paths):
    """Import each Python file of ``--kinds``: they declare layer kinds with ``register_kind``."""
    for index, path in enumerate(paths or ()):
        import_file(path, "_lasagne_params_kinds_%d" % index)
