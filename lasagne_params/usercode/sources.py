"""Users' Python files as code: Python 3 as it is, Python 2 translated in memory.

Historical Lasagne code is sometimes Python 2: ``print "..."``, backticks,
``except E, e``, ``0777``, tabs mixed with spaces as Python 2 allowed.  When
a file does not compile as Python 3, :func:`compile_file` indents it as
Python 2 did (a tab reaches the next multiple of 8 columns), translates it
with the standard library's ``lib2to3`` (all its fixers), compiles the
result and says so in one line on stderr.  Nothing is written: not the file,
not a ``.pyc``.  If the translation does not compile either, the original
SyntaxError is raised.

``lib2to3`` leaves ``/`` alone, but Python 2 divided two integers to an
integer (``7 / 2 == 3``): Python 3's ``3.5`` would reach Lasagne as a
float shape or unit count.  So a translated file divides as Python 2 did
(:func:`classic_division`, unless it says ``from __future__ import
division``).  A file that compiles as Python 3 but was written for Python 2
(``num_filters / 4`` on integers is valid Python 3) is only known to be
Python 2 if the user says so: inside :func:`python2` (the command line's
``--python2``) every user file is translated where it can be and divides
as Python 2 did.

The modules a script imports from its own folder (its siblings) are read the
same way (:mod:`lasagne_params.usercode.hooks`).

A Jupyter notebook (``.ipynb``, a tutorial's usual form) is read as its
code cells, IPython's magics left out (:func:`notebook_source`).

Standard library only.  ``lib2to3`` is deprecated (and gone from Python
3.13): its warning is silenced here, for the import alone; where it is
missing, Python 2 files get the original SyntaxError with a note.
"""
import ast
import contextlib
import contextvars
import importlib.util
import logging
import re
import sys
import warnings
from typing import Iterator

from ..core.files import read_bytes

__all__ = ["compile_file", "compile_source", "compile_tree", "file_trees",
           "source_tree", "translate_python2", "notebook_cells", "notebook_source",
           "classic_division", "python2", "forced_python2", "binds", "changes", "runs_code",
           "statement_trees", "MUTATORS"]

#: True inside :func:`python2`: every user file is read as Python 2.
_FORCED_PYTHON2 = contextvars.ContextVar("lasagne_params_python2", default=False)

#: What the note on a translated file says of its division.
_DIVISION_NOTE = {True: ", with Python 2's integer division", False: ""}

#: The name a translated module calls :func:`classic_division` by.
_DIVIDE = "__lasagne_params_classic_division__"


@contextlib.contextmanager
def python2(enabled: bool = True) -> Iterator[None]:
    """While the block runs, users' files are Python 2: translated where ``lib2to3``
    can, and ``/`` divides integers to an integer (:func:`classic_division`)."""
    token = _FORCED_PYTHON2.set(bool(enabled))
    try:
        yield
    finally:
        _FORCED_PYTHON2.reset(token)


def forced_python2():
    """True inside :func:`python2`."""
    return _FORCED_PYTHON2.get()


def _integer(value):
    """A Python or numpy integer (or a numpy array of integers); never a Theano variable."""
    import numbers
    if isinstance(value, numbers.Integral):
        return True
    dtype = getattr(value, "dtype", None)
    return type(value).__module__ == "numpy" and getattr(dtype, "kind", "") in "iub" \
        and dtype is not None


def classic_division(a, b):
    """``a / b`` as Python 2 computed it: integers (Python's or numpy's) floor-divide
    (``7 / 2 == 3``, ``-7 / 2 == -4``), anything else divides as Python 3 does."""
    if _integer(a) and _integer(b):
        return a // b
    return a / b


class _ClassicDivision(ast.NodeTransformer):
    """``a / b`` -> ``classic_division(a, b)``; ``x /= y`` -> ``x = classic_division(x, y)``."""

    def visit_BinOp(self, node):
        self.generic_visit(node)
        if not isinstance(node.op, ast.Div):
            return node
        return ast.copy_location(ast.Call(ast.Name(_DIVIDE, ast.Load()),
                                          [node.left, node.right], []), node)

    def visit_AugAssign(self, node):
        self.generic_visit(node)
        if not isinstance(node.op, ast.Div):
            return node
        target = node.target
        loaded = type(target)(**{field: getattr(target, field) for field in target._fields
                                 if field != "ctx"}, ctx=ast.Load())
        call = ast.Call(ast.Name(_DIVIDE, ast.Load()), [loaded, node.value], [])
        return ast.copy_location(ast.Assign([target], call), node)


#: ``from __future__ import division`` (lib2to3 removes __future__ imports, so the
#: original text is searched).
_FUTURE_DIVISION = re.compile(r"^[ \t]*from[ \t]+__future__[ \t]+import[^\n#]*\bdivision\b",
                              re.MULTILINE)


def _python2_tree(text, path, classic):
    """The AST of Python 2 ``text`` (already Python 3 syntax); ``classic``: with Python 2's
    division."""
    tree = ast.parse(text, path)
    if classic:
        tree = _ClassicDivision().visit(tree)
        at = 0                  # after the docstring and the __future__ imports
        for at, node in enumerate(tree.body + [None]):
            if not ((isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
                     and isinstance(node.value.value, str) and at == 0)
                    or (isinstance(node, ast.ImportFrom) and node.module == "__future__")):
                break
        tree.body.insert(at, ast.ImportFrom("lasagne_params.usercode.sources", [
            ast.alias("classic_division", _DIVIDE)], 0))
        ast.fix_missing_locations(tree)
    return tree

_INDENT = re.compile(r"[ \t]+")


def _python2_indentation(text):
    """Leading tabs expanded to the next multiple of 8 columns, as Python 2 read them."""
    lines = text.splitlines(keepends=True)
    return "".join(_INDENT.sub(lambda m: m.group(0).expandtabs(8), line, count=1)
                   if line[:1] in " \t" else line for line in lines)


def translate_python2(text, path="<source>", in_package=False):
    """Python 2 source -> Python 3 source (``lib2to3``, every fixer but ``execfile``'s), in
    memory.  ``import x`` of a module beside the file becomes ``from . import x``
    (``fix_import``) only ``in_package``: in a module of a package, where Python 2's
    implicit relative import meant the package's ``x``; a script, or a module imported by
    its bare name from a folder on the path, had ``x`` from that folder, as Python 3
    still does (``from . import x`` would fail there: no parent package).

    Raises
    ------
    ImportError
        When ``lib2to3`` is not available (Python 3.13 and later).
    SyntaxError
        When ``lib2to3`` cannot parse the text either.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from lib2to3 import pgen2, refactor
    # execfile stays a call: user code runs with a builtin execfile that translates what it
    # runs (lib2to3's exec(compile(open(f).read())) would compile Python 2 source as 3).
    fixers = [fixer for fixer in refactor.get_fixers_from_package("lib2to3.fixes")
              if not fixer.endswith(".fix_execfile")
              and (in_package or not fixer.endswith(".fix_import"))]
    # lib2to3 logs each optional fixer it skips at INFO: silent even where user code set
    # up logging at INFO (a logger only lib2to3 uses)
    logger = logging.getLogger("RefactoringTool")
    logger.propagate = False
    if not logger.handlers:
        logger.addHandler(logging.NullHandler())
    tool = refactor.RefactoringTool(fixers)
    text = _python2_indentation(text)
    if not text.endswith("\n"):
        text += "\n"
    try:
        return str(tool.refactor_string(text, path))
    except pgen2.parse.ParseError as exc:
        raise SyntaxError("not Python 2 either: %s" % exc) from None
    except pgen2.tokenize.TokenError as exc:
        raise SyntaxError("not Python 2 either: %s" % (exc.args[0],)) from None


def source_tree(text, path, note=None, in_package=False):
    """The AST of ``text`` (read from ``path``); Python 2 source is translated first.

    ``note(message)`` is called once when the file is translated (default:
    the message on stderr).  Inside :func:`python2`, the text is Python 2
    even if it parses as Python 3.
    """
    if _FORCED_PYTHON2.get():
        classic = not _FUTURE_DIVISION.search(text)
        try:
            translated = translate_python2(text, path, in_package)
        except (ImportError, SyntaxError):
            translated = text           # Python 3 syntax already (or no lib2to3)
        tree = _python2_tree(translated, path, classic)
        message = ("lasagne-params: note: %s read as Python 2 (--python2): translated in "
                   "memory (lib2to3%s)" % (path, _DIVISION_NOTE[classic]))
    else:
        try:
            return ast.parse(text, path)
        except SyntaxError as original:
            classic = not _FUTURE_DIVISION.search(text)
            try:
                translated = translate_python2(text, path, in_package)
                tree = _python2_tree(translated, path, classic)
            except ImportError:
                original.msg += " (this may be Python 2, and lib2to3 is not available here)"
                raise original from None
            except (SyntaxError, ValueError):
                raise original from None
        message = ("lasagne-params: note: %s is Python 2; translated to Python 3 in memory "
                   "(lib2to3%s), nothing written" % (path, _DIVISION_NOTE[classic]))
    if note is None:
        print(message, file=sys.stderr)
    else:
        note(message)
    return tree


def compile_tree(tree, path):
    """A module's (or part of a module's) AST compiled as ``exec`` code."""
    return compile(tree, path, "exec", dont_inherit=True)


def compile_source(text, path, note=None, in_package=False):
    """Compile ``text`` (read from ``path``); Python 2 source is translated first
    (see :func:`source_tree`; ``in_package``: :func:`translate_python2`).  Returns the
    code object."""
    return compile_tree(source_tree(text, path, note, in_package), path)


def notebook_cells(data, path):
    """A Jupyter notebook's code cells as ``(first line, Python source)`` pairs, IPython's
    magics left out.

    A line magic or shell escape (``%pylab inline``, ``!ls``) becomes
    ``pass``; a cell magic (``%%time``) comments its whole cell out.  ``first
    line`` is the number of lines the cells before it take, so that line
    numbers are those of the cells joined (:func:`notebook_source`).  Both
    notebook formats of the period are read: nbformat 4 (``cells``,
    ``source``) and nbformat 3 (``worksheets[].cells``, ``input``).  A
    notebook whose cells are not a list of mappings with text sources is
    refused (SyntaxError), naming the cell.
    """
    sources, line = [], 0
    for index, cell in _code_cells(data):
        source = cell.get("source", cell.get("input", ""))
        if isinstance(source, list) and all(isinstance(part, str) for part in source):
            source = "".join(source)
        if not isinstance(source, str):
            raise SyntaxError("not a Jupyter notebook (cell %d's source is not text)" % index)
        lines = source.splitlines()
        if lines and lines[0].lstrip().startswith("%%"):
            lines = ["# " + text for text in lines]
        lines = [text[:len(text) - len(text.lstrip())] + "pass  # " + text.lstrip()
                 if text.lstrip().startswith(("%", "!")) else text for text in lines]
        sources.append((line, "\n".join(lines) + "\n"))
        line += len(lines) + 1
    return sources


def _code_cells(data):
    """(index, cell) of each code cell of a notebook's JSON (nbformat 3 or 4)."""
    import json
    try:
        notebook = json.loads(data)
        sheets = notebook["worksheets"] if "worksheets" in notebook else [notebook]
        cells = [sheet["cells"] for sheet in sheets]
    except (ValueError, KeyError, TypeError, RecursionError) as exc:
        raise SyntaxError("not a Jupyter notebook (%s)" % type(exc).__name__) from None
    if not all(isinstance(part, list) for part in cells):
        raise SyntaxError("not a Jupyter notebook (its cells are not a list)")
    cells = [cell for part in cells for cell in part]
    for index, cell in enumerate(cells):
        if not isinstance(cell, dict):
            raise SyntaxError("not a Jupyter notebook (cell %d is not a mapping)" % index)
    return [(index, cell) for index, cell in enumerate(cells)
            if cell.get("cell_type") == "code"]


def notebook_source(data, path):
    """A Jupyter notebook's code cells joined into one Python source (see :func:`notebook_cells`)."""
    return "\n".join(source for _, source in notebook_cells(data, path))


#: The largest Python file or notebook read as a target or a script (a notebook keeps
#: its pictures: tens of MiB are usual).
MAX_SOURCE_BYTES = 64 * 1024 * 1024


def read_source(path):
    """The bytes of a Python file or notebook: a regular file of at most
    :data:`MAX_SOURCE_BYTES` (not a FIFO, ``/dev/zero`` or a directory)."""
    return read_bytes(path, MAX_SOURCE_BYTES, field=None)


def file_trees(path, note=None):
    """The ASTs of a file: one per code cell of a notebook, else one."""
    data = read_source(path)
    if not path.lower().endswith(".ipynb"):
        return [source_tree(importlib.util.decode_source(data), path, note)]
    said = []

    def once(message):
        if not said:
            said.append(message)
            (note or (lambda text: print(text, file=sys.stderr)))(message)

    trees = []
    for line, cell in notebook_cells(data, path):
        try:
            tree = source_tree(cell, path, once)
        except SyntaxError as exc:
            if exc.lineno is not None:
                exc.lineno += line
            raise
        trees.append(ast.increment_lineno(tree, line))
    return trees


def compile_file(path, note=None):
    """The code object of the Python file ``path`` (see :func:`compile_source`).

    A Jupyter notebook (``.ipynb``) gives its code cells (:func:`notebook_source`).
    """
    data = read_source(path)
    if path.lower().endswith(".ipynb"):
        return compile_source(notebook_source(data, path), path, note)
    return compile_source(importlib.util.decode_source(data), path, note)


_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda, ast.ListComp,
           ast.SetComp, ast.DictComp, ast.GeneratorExp)


def binds(statement, name):
    """True if the module-level ``statement`` assigns ``name`` in the module's namespace
    (an assignment, ``for``/``with``/``except ... as``, an import, a ``def`` or
    ``class``, ``:=``), anywhere in it but inside a nested function or class."""
    pending = [statement]
    while pending:
        node = pending.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            if node.name == name:
                return True
            pending.extend(node.decorator_list)
            continue                    # its body is another scope
        if isinstance(node, _SCOPES):
            continue
        if isinstance(node, ast.Name) and node.id == name and \
                isinstance(node.ctx, (ast.Store, ast.Del)):
            return True
        if isinstance(node, (ast.Import, ast.ImportFrom)) and any(
                (alias.asname or alias.name.split(".")[0]) == name for alias in node.names):
            return True
        if isinstance(node, ast.ExceptHandler) and node.name == name:
            return True
        pending.extend(ast.iter_child_nodes(node))
    return False


#: Methods that change a list, dict or set in place: a network kept in one grows by them.
MUTATORS = frozenset({"append", "extend", "insert", "update", "setdefault", "add", "pop",
                      "popitem", "remove", "discard", "clear", "sort", "reverse",
                      "__setitem__", "__delitem__", "__iadd__"})


def _held_in(node):
    """The name at the bottom of ``a.b[c].d`` (``a``), or None."""
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def changes(statement, name):
    """True if the module-level ``statement`` may change what ``name`` holds: it binds
    ``name`` again (:func:`binds`), stores into it (``name[k] = ...``, ``name.out =
    ...``, ``del name[k]``, ``name[k] += ...``) or calls one of its :data:`MUTATORS`
    (``name.append(...)``, ``name['conv'].extend(...)``), anywhere in it but inside a
    function, class or lambda it defines.  Aliases and functions that change a global
    are not followed."""
    if binds(statement, name):
        return True
    pending = [statement]
    while pending:
        node = pending.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        if isinstance(node, (ast.Attribute, ast.Subscript)) and \
                isinstance(node.ctx, (ast.Store, ast.Del)) and _held_in(node) == name:
            return True
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                node.func.attr in MUTATORS and _held_in(node.func.value) == name:
            return True
        pending.extend(ast.iter_child_nodes(node))
    return False


def _main_guard(statement):
    """``if __name__ == "__main__":``"""
    test = getattr(statement, "test", None)
    return isinstance(statement, ast.If) and isinstance(test, ast.Compare) and \
        isinstance(test.left, ast.Name) and test.left.id == "__name__"


def runs_code(statement):
    """False for statements that only define (``def``, ``class``, imports, a docstring,
    ``pass``, a ``__main__`` guard, which an import does not run)."""
    return not (isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef,
                                       ast.Import, ast.ImportFrom, ast.Pass))
                or (isinstance(statement, ast.Expr) and isinstance(statement.value,
                                                                   ast.Constant))
                or _main_guard(statement))


def statement_trees(tree):
    """Each top-level statement of ``tree`` as a module of its own (line numbers kept),
    the ``__future__`` imports' features carried to every one."""
    future = [node for node in tree.body
              if isinstance(node, ast.ImportFrom) and node.module == "__future__"]
    return [ast.Module(future + [node] if node not in future else [node], [])
            for node in tree.body]
