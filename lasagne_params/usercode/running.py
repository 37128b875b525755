"""The one way the tool runs a user's code, and what it says when that code fails.

Every piece of user code — a target's file (``FILE.py:NAME``, a notebook),
a builder called for it, a ``--kinds`` file, a script under ``run`` — runs
inside :func:`running`, which sets up what ``python FILE.py`` would see and
puts everything back afterwards:

* the file's folder first on ``sys.path`` (it imports its siblings; the
  user's modules may be Python 2: :mod:`lasagne_params.usercode.hooks`), ``sys.argv``, and
  the working folder restored when the code changed it (``os.chdir`` at the
  top of old scripts);
* the compatibility bridges installed just before its first ``import
  theano``/``lasagne``/``nolearn`` (a pure Python file costs no Theano);
* its prints on stderr (a target: the command's own output stays clean) or
  on its own stdout (a script under ``run``), through views of the streams
  that code can close without closing the command's own (``sys.stdout.close()``
  in a script takes no error line with it);
* with ``--stub-missing``, modules that are not installed served as inert
  stand-ins (:mod:`lasagne_params.usercode.stubs`);
* exceptions Python cannot raise (a user object's ``__del__`` failing when it
  is collected, printed as ``Exception ignored in ...`` with a traceback)
  dropped, while the code runs and at the process's exit, where the objects
  it left are collected after the command's answer (:func:`unraisables_quiet`);
* ``os._exit(n)`` raising ``SystemExit(n)`` instead of ending the process on
  the spot: a module that ends that way is reported like one calling
  ``sys.exit`` (``check`` never passes with no output), and ``run`` still
  reports the script's networks and exits with the script's status.

What the code raises is worded by :func:`failure_line` and
:func:`hint_for`, the same for every command: a Lasagne-master name met on
Lasagne 0.1 says how to install master, a Python 2 failure points at
``--python2``, a missing optional package names the extra that brings it.
:func:`reported` turns an exception into the one error class for its
failure (:class:`UserCodeError`, :class:`UserExitError`,
:class:`Interrupted`), naming the file and the line.
"""
import atexit
import contextlib
import linecache
import os
import re
import sys

from ..core.errors import (Interrupted, LasagneParamsError, TargetError, UserCodeError,
                           UserExitError)
from ..core.guard import exits_raise
from ..core.optional import install_advice
from .hooks import tolerant_imports, users_file
from .sources import forced_python2, notebook_source, read_source
from .stubs import NEVER, MissingModuleFinder, nearby_module, stubbing

__all__ = ["running", "unraisables_quiet", "reported", "failure_line", "raised_by", "hint_for",
           "advice", "where", "require_file", "syntax_line", "imported_files",
           "PYTHON2_NAMES", "KEEP_GOING_HINT"]

#: Names Python 2 had and Python 3 has not: a NameError for one says the file is Python 2.
PYTHON2_NAMES = ("xrange", "unicode", "basestring", "raw_input", "reduce", "unichr", "long",
                 "file", "execfile", "cmp", "buffer", "reload", "intern", "apply", "coerce")

#: Attributes Python 2's objects had and Python 3's have not (``d.has_key(k)``,
#: ``d.iteritems()``, ``gen.next()``, ``f.func_name``): an AttributeError for one says
#: the file is Python 2.
PYTHON2_ATTRIBUTES = ("has_key", "iteritems", "itervalues", "iterkeys", "viewitems",
                      "viewkeys", "viewvalues", "next", "xreadlines", "im_func", "im_self",
                      "im_class", "func_name", "func_code", "func_defaults", "func_globals")

#: Python 3's lazy views and iterators where Python 2 returned lists (``map``, ``filter``,
#: ``zip``, ``range``, ``dict.keys()``/``values()``/``items()``): a TypeError or an
#: AttributeError naming one (``'map' object is not subscriptable``, ``object of type
#: 'filter' has no len()``, ``'dict_keys' object has no attribute 'sort'``) says the file is
#: Python 2.
PYTHON2_LISTS = re.compile(r"'(map|filter|zip|range|dict_keys|dict_values|dict_items)'")

#: The hint of a module-level failure that ``--keep-going`` would step over.
KEEP_GOING_HINT = " (--keep-going runs the rest of the file without the statements that fail)"


@contextlib.contextmanager
def running(path, argv=None, prints="stderr"):
    """While the block runs, ``path``'s code sees what ``python path`` would (see above).

    ``argv`` is ``sys.argv`` meanwhile (default ``[path]``); ``prints`` is
    ``"stderr"`` (the code's stdout goes to stderr) or ``"own"``.
    """
    from ..backend.bridges.on_import import bridge_on_first_import
    folder = os.path.dirname(os.path.abspath(path))
    saved_path, saved_argv, saved_folder = list(sys.path), sys.argv, os.getcwd()
    sys.path.insert(0, folder)
    sys.argv = list(argv) if argv is not None else [path]
    bridge_on_first_import()      # the bridges come with its first Theano/Lasagne/nolearn import
    try:
        with contextlib.ExitStack() as stack:
            stack.enter_context(_streams_kept_open(prints))
            stack.enter_context(tolerant_imports())
            stack.enter_context(exits_raise())
            stack.enter_context(unraisables_quiet())
            if stubbing():
                stack.enter_context(_last_on_meta_path(MissingModuleFinder()))
            yield
    finally:
        sys.path[:] = saved_path
        sys.argv = saved_argv
        if os.getcwd() != saved_folder:
            os.chdir(saved_folder)


def _dropped(unraisable):
    """A ``sys.unraisablehook`` that says nothing: an exception in a user object's
    ``__del__`` (a loader closing a file it never opened) is no failure of the command and
    no part of its answer."""


_QUIET_AT_EXIT: list = []


def _quiet_from_now():
    sys.unraisablehook = _dropped


@contextlib.contextmanager
def unraisables_quiet():
    """While the block runs, unraisable exceptions (``Exception ignored in ...``) are
    dropped; and once user code has run here, at the process's exit too: the objects the
    code left are collected after the command's answer, which their tracebacks would
    follow on stderr."""
    if not _QUIET_AT_EXIT:
        _QUIET_AT_EXIT.append(True)
        atexit.register(_quiet_from_now)
    saved, sys.unraisablehook = sys.unraisablehook, _dropped
    try:
        yield
    except BaseException as exc:
        _release_frames(exc)
        raise
    finally:
        if sys.unraisablehook is _dropped:
            sys.unraisablehook = saved


def _release_frames(exc, seen=None):
    """The local variables of the frames a failure's traceback holds (and its causes'),
    let go while unraisables are dropped: a half-made object of the user's (a data
    loader whose ``__init__`` failed) dies here, where its failing ``__del__`` says
    nothing, not after the command's one line.  The lines stay (file, line, code)."""
    import gc
    import traceback
    top, seen = seen is None, set() if seen is None else seen
    seen.add(id(exc))
    if top and not hasattr(exc, _EXPLAINED):
        # what needs the frames' locals (the class whose constructor refused a master
        # keyword: Lasagne 0.1's own Layer.__init__ raises it) is read before they go
        try:
            setattr(exc, _EXPLAINED, _explained(exc))
        except AttributeError:          # an exception class without a __dict__
            pass
    traceback.clear_frames(exc.__traceback__)
    for chained in (exc.__cause__, exc.__context__):
        if chained is not None and id(chained) not in seen:
            _release_frames(chained, seen)
    if top:
        gc.collect()


@contextlib.contextmanager
def _last_on_meta_path(finder):
    sys.meta_path.append(finder)
    try:
        yield
    finally:
        if finder in sys.meta_path:
            sys.meta_path.remove(finder)


class _KeptOpen:
    """A standard stream as user code sees it: everything goes to ``stream``, but
    ``close()`` closes only this view (later writes raise ValueError, as on a closed
    file), so that code closing ``sys.stdout`` cannot take the command's own output
    or error line with it."""

    def __init__(self, stream):
        self._stream = stream
        self._closed = False

    @property
    def closed(self):
        return self._closed or getattr(self._stream, "closed", False)

    def close(self):
        self._closed = True

    def _open(self):
        if self._closed:
            raise ValueError("I/O operation on closed file.")
        return self._stream

    def write(self, text):
        return self._open().write(text)

    def writelines(self, lines):
        return self._open().writelines(lines)

    def flush(self):
        return self._open().flush()

    def __getattr__(self, name):
        return getattr(self._stream, name)


@contextlib.contextmanager
def _streams_kept_open(prints):
    """``sys.stdout`` and ``sys.stderr`` as :class:`_KeptOpen` views while user code
    runs (stdout onto stderr when ``prints`` is ``"stderr"``); the streams put back
    after."""
    saved = sys.stdout, sys.stderr
    sys.stdout = _KeptOpen(sys.stderr if prints == "stderr" else sys.stdout)
    sys.stderr = _KeptOpen(sys.stderr)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


#: The attribute a failure keeps its master-only explanation in, read before its frames
#: were released (:func:`_release_frames`).
_EXPLAINED = "_lasagne_params_explained"


def _explained(exc):
    """What Lasagne master would have had, for master-only code on Lasagne 0.1, or None."""
    if hasattr(exc, _EXPLAINED):
        return getattr(exc, _EXPLAINED)
    from ..backend.bridges.master_only import explain
    return explain(exc)


def failure_line(exc):
    """What a user's code raised, in one line: the master-only explanation if there is one,
    else ``Type: message``; an exception with no message (``AttributeError()``) names
    what raised it instead (:func:`raised_by`)."""
    explained = _explained(exc)
    if explained:
        return explained
    if not str(exc).strip():
        return "%s with no message, from %s" % (type(exc).__name__, raised_by(exc))
    return "%s: %s" % (type(exc).__name__, exc)


def _source_line(path, line):
    """Line ``line`` of ``path`` as the code ran it (a notebook: of its code cells joined),
    or ``""``."""
    try:
        if path.lower().endswith(".ipynb"):
            lines = notebook_source(read_source(path), path).splitlines()
            return lines[line - 1] if 0 < line <= len(lines) else ""
        return linecache.getline(path, line)
    except Exception:           # an unreadable file: the line number alone
        return ""


def raised_by(exc):
    """The statement an exception came from, as ``FILE line N: `source```: the deepest
    frame of its traceback in a file of the user's (where the user's code called into a
    library that raised), else the deepest frame, a bare ``raise ...`` line passed over for
    the statement that led to it; or ``"code with no traceback"``."""
    frames, tb = [], exc.__traceback__
    while tb is not None:
        frames.append((tb.tb_frame.f_code.co_filename, tb.tb_lineno))
        tb = tb.tb_next
    if not frames:
        return "code with no traceback"
    users = [frame for frame in frames if users_file(frame[0])] or frames
    sources = [" ".join(_source_line(path, line).split()) for path, line in users]
    # ``raise AttributeError()`` says nothing of what failed: the statement that called it
    calls = [at for at, source in enumerate(sources) if not re.match(r"raise\b", source)]
    at = calls[-1] if calls else len(users) - 1
    (path, line), source = users[at], sources[at]
    if len(source) > 120:
        source = source[:117] + "..."
    return "%s line %d%s" % (os.path.basename(path), line,
                             ": `%s`" % source if source else "")


def _advice(exc):
    """A missing package's extra, ``--python2`` for a Python 2 failure, ``--stub-missing``
    for a package that is not installed, or ``""``."""
    return install_advice(exc) or _python2_advice(exc) or _nearby_advice(exc) or \
        _stub_advice(exc)


def _nearby_advice(exc):
    """For a module that is not installed but is a file of the user's project off the
    path (``from layers import X`` meaning ``../utils/layers.py``): where it is."""
    name = getattr(exc, "name", None) if isinstance(exc, ModuleNotFoundError) else None
    if not name or name.partition(".")[0] in NEVER:
        return ""
    tb, importer = exc.__traceback__, None
    while tb is not None:
        if users_file(tb.tb_frame.f_code.co_filename):
            importer = tb.tb_frame.f_code.co_filename
        tb = tb.tb_next
    found = nearby_module(name, importer) if importer else None
    if not found:
        return ""
    shown = os.path.relpath(found, os.path.dirname(os.path.abspath(importer)))
    folder = os.path.dirname(found[:-len("/__init__.py")] if found.endswith(
        os.sep + "__init__.py") else found)
    return ("%s is not installed, but %s is a module of that name in the project: run "
            "with its folder on the path, PYTHONPATH=%s; --stub-missing does not stand in "
            "for the project's own modules"
            % (name.partition(".")[0], shown, os.path.relpath(folder, os.getcwd())))


def _stub_advice(exc):
    name = getattr(exc, "name", None) if isinstance(exc, ModuleNotFoundError) else None
    if not name or stubbing() or name.partition(".")[0] in NEVER:
        return ""
    return ("%s is not installed: install it, or --stub-missing serves an inert stand-in "
            "for a module that only loads data" % name.partition(".")[0])


def hint_for(exc, otherwise=""):
    """The hint that ends a failure's line: `` (advice)`` (see :func:`advice`), else
    ``otherwise`` (none when master-only code was explained)."""
    advice = _advice(exc)
    if advice:
        return " (%s)" % advice
    return "" if _explained(exc) else otherwise


def advice(exc):
    """What to do about a user code's failure, for a line of its own after its traceback:
    install an extra, use ``--python2``, install Lasagne master; or ``""``."""
    return _advice(exc) or _explained(exc) or ""


def _python2_advice(exc):
    """The advice to use ``--python2`` a Python 3 failure of Python 2 code gets, or ``""``."""
    if forced_python2():
        return ""
    if isinstance(exc, TypeError) and "float" in str(exc):
        return ("if the file was written for Python 2, where / divided integers to an "
                "integer: --python2")
    if isinstance(exc, NameError) and getattr(exc, "name", None) in PYTHON2_NAMES:
        return "%s is Python 2's: --python2 reads the file as Python 2" % exc.name
    if isinstance(exc, AttributeError) and getattr(exc, "name", None) in PYTHON2_ATTRIBUTES:
        return ".%s is Python 2's: --python2 reads the file as Python 2" % exc.name
    lazy = PYTHON2_LISTS.search(str(exc)) if isinstance(exc, (TypeError, AttributeError)) \
        else None
    if lazy:
        return ("%s gave a list in Python 2: --python2 reads the file as Python 2"
                % _PYTHON2_LIST_WORDS.get(lazy.group(1), lazy.group(1) + "()"))
    importer = _implicit_relative_import(exc)
    if importer:
        return ("%s imports %s as Python 2 did, from its own package (an implicit relative "
                "import): --python2 reads the files as Python 2" % (importer, exc.name))
    return ""


_PYTHON2_LIST_WORDS = {"dict_keys": "dict.keys()", "dict_values": "dict.values()",
                       "dict_items": "dict.items()"}


def _implicit_relative_import(exc):
    """The file of a package whose ``import NAME`` failed although ``NAME`` is a module
    beside it (Python 2 looked there first), or None."""
    name = getattr(exc, "name", None) if isinstance(exc, ModuleNotFoundError) else None
    if not name or "." in name:
        return None
    tb, files = exc.__traceback__, []
    while tb is not None:
        files.append(tb.tb_frame.f_code.co_filename)
        tb = tb.tb_next
    for path in reversed(files):
        folder = os.path.dirname(os.path.abspath(path))
        if os.path.isfile(os.path.join(folder, "__init__.py")) and (
                os.path.isfile(os.path.join(folder, name + ".py"))
                or os.path.isfile(os.path.join(folder, name, "__init__.py"))):
            return path
    return None


def where(exc, path):
    """`` (line N)``: the last line of ``path`` the traceback passed through, and where the
    failure is when that is deeper in another file of the user's (`` (line 32;
    data_transforms.py line 79)``), or ``""``."""
    line, deepest, tb = None, None, exc.__traceback__
    target = os.path.abspath(path)
    while tb is not None:
        frame_file = os.path.abspath(tb.tb_frame.f_code.co_filename)
        if frame_file == target:
            line, deepest = tb.tb_lineno, None
        elif line is not None and users_file(frame_file):
            deepest = (frame_file, tb.tb_lineno)
        tb = tb.tb_next
    if line is None:
        return ""
    if deepest is None:
        return " (line %d)" % line
    return " (line %d; %s line %d)" % (line, _relative(deepest[0], target), deepest[1])


def _relative(path, target):
    """``path`` as seen from the target's folder when below it, else as it is."""
    relative = os.path.relpath(path, os.path.dirname(target))
    return path if relative.startswith(os.pardir) else relative



@contextlib.contextmanager
def reported(path, doing, failed, hint=""):
    """Whatever the block raises (BaseException) becomes one error line naming ``path``.

    ``doing`` and ``failed`` word the messages (``"importing it"``/``"does
    not import"``, ``"calling f()"``/``"f() failed"``); ``hint`` ends the line
    of an exception the code raised when no better hint applies.  An error
    of this package keeps its own words (located in ``path``); ``sys.exit``
    is :class:`UserExitError` (a command never goes on, or passes, after the
    code stopped it); Ctrl-C is :class:`Interrupted`; anything else
    :class:`UserCodeError`.
    """
    try:
        yield
    except LasagneParamsError as exc:
        raise exc.located(file=path) from None
    except SystemExit as exc:
        raise UserExitError("%s ran sys.exit(%r): no network was read" % (doing, exc.code),
                            code=exc.code, file=path) from None
    except KeyboardInterrupt:
        raise Interrupted("interrupted (Ctrl-C) while %s" % doing, file=path) from None
    except SyntaxError as exc:
        raise UserCodeError("%s: SyntaxError: %s%s" % (failed, exc.msg, syntax_line(exc)),
                            exception="SyntaxError", file=path) from None
    except BaseException as exc:       # a user's module may fail in any way
        raise UserCodeError("%s%s: %s%s" % (failed, where(exc, path), failure_line(exc),
                                           hint_for(exc, hint)),
                            exception=type(exc).__name__, file=path) from exc


def imported_files():
    """The files of every module imported so far (the user's code and what it imported):
    a command writes over none of them (``run --report helper.py script.py`` where the
    script imports helper is refused)."""
    files = []
    for module in list(sys.modules.values()):
        path = getattr(module, "__file__", None)
        if isinstance(path, str):
            files.append(path)
    return files


def syntax_line(exc):
    """`` (line N)`` of a SyntaxError, or ``""`` when it has no line (a malformed notebook)."""
    return " (line %d)" % exc.lineno if exc.lineno is not None else ""


def require_file(path):
    """``path`` if it is a file, else the one TargetError line."""
    if not os.path.isfile(path):
        raise TargetError("no such file", file=path)
    return path
