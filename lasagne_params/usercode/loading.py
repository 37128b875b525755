"""A user's Python file (or notebook) imported as a module, for a target or a ``--kinds`` file.

The file is imported the way ``python FILE.py`` would see it but not as
``__main__`` (its ``if __name__ == '__main__':`` block does not run), inside
:func:`~lasagne_params.usercode.running.running`: its prints go to stderr.

With ``until`` (a name), the file stops where the name is defined, as a
tutorial defines its network before it trains it: a notebook after the cell
that defines it, a ``.py`` file after the last top-level statement that
assigns it (not when it is a function or class: the whole file runs, so the
function sees every global).  A line on stderr says what was left out.

With ``keep_going``, a top-level statement (a notebook cell) that raises is
skipped, with a line on stderr, and the next one runs (a script loading data
files that are not there).
"""
import ast
import os
import sys
import types

from ..core.errors import TargetError
from .running import KEEP_GOING_HINT, failure_line, reported, require_file, running
from .sources import binds, compile_tree, file_trees, runs_code, statement_trees

__all__ = ["import_file", "load_kinds", "MODULE_NAME"]

#: The name a target's module is imported under (never ``__main__``).
MODULE_NAME = "_lasagne_params_user_module"


def _is_python(path):
    return path.lower().endswith((".py", ".ipynb"))


def import_file(path, module_name=MODULE_NAME, until=None, keep_going=False):
    """Import the Python file or notebook ``path`` as ``module_name``; return the module.

    Raises
    ------
    TargetError
        No such file, or not a Python file.
    UserCodeError, UserExitError, Interrupted
        The file's code raised, exited or was interrupted.
    """
    require_file(path)
    if not _is_python(path):
        raise TargetError("is not a Python module", file=path)
    notebook = path.lower().endswith(".ipynb")
    module = types.ModuleType(module_name)
    module.__file__ = os.path.abspath(path)
    skipped, left_out = [], None
    with reported(path, "importing it", "does not import",
                  "" if keep_going else KEEP_GOING_HINT), running(path):
        trees = file_trees(path)
        if not notebook:
            trees, left_out = _parts(trees[0], until, keep_going)
        sys.modules[module_name] = module       # pickle and dataclasses look it up
        try:
            for tree in trees:
                try:
                    exec(compile_tree(tree, path), vars(module))
                except (Exception, SystemExit) as exc:
                    if not keep_going:
                        raise
                    skipped.append((tree.body[-1].lineno, exc))
                if notebook and until is not None and until in vars(module):
                    break
        finally:
            sys.modules.pop(module_name, None)
    _say_left_out(path, until, left_out, skipped)
    return module


def _parts(tree, until, keep_going):
    """A ``.py`` file's AST as the modules to run in turn (one, or one per statement with
    ``keep_going``), ending at the last statement assigning ``until``; and the
    statements left out after it that run code."""
    body, left_out = tree.body, None
    if until is not None:
        last = max((i for i, node in enumerate(body) if binds(node, until)), default=None)
        if last is not None and not isinstance(body[last], (
                ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            rest = [node for node in body[last + 1:] if runs_code(node)]
            body, left_out = body[:last + 1], (body[last].end_lineno, rest) if rest else None
    whole = ast.Module(body, [])
    return (statement_trees(whole) if keep_going else [whole]), left_out


def _note(text):
    print("lasagne-params: note: %s" % text, file=sys.stderr)


def _say_left_out(path, until, left_out, skipped):
    """The lines on stderr about what of the file did not run."""
    for line, exc in skipped[:5]:
        _note("%s: line %d failed and was skipped (--keep-going): %s"
              % (path, line, failure_line(exc).splitlines()[0] if str(exc) else
                 type(exc).__name__))
    if len(skipped) > 5:
        _note("%s: and %d more statements failed and were skipped" % (path, len(skipped) - 5))
    if left_out:
        end, rest = left_out
        _note("%s: read up to line %d, where %s is last assigned; the %d statement%s after it "
              "(from line %d: training, saving, ...) did not run"
              % (path, end, until, len(rest), "s" if len(rest) > 1 else "", rest[0].lineno))


def load_kinds(paths):
    """Import each Python file of ``--kinds``: they declare layer kinds with ``register_kind``."""
    for index, path in enumerate(paths or ()):
        import_file(path, "_lasagne_params_kinds_%d" % index)
