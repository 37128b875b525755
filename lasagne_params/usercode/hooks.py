"""Import hooks while user code runs: the user's modules may be Python 2, and Python 2's
names of renamed standard modules import.

Python 2 code loaded other ways is read the same way: ``imp.load_source``
(served by :func:`load_source` meanwhile) and Python 2's ``execfile``
(a builtin meanwhile, :func:`execfile`); ``importlib`` goes through the
finder.

:func:`tolerant_imports` puts a finder first on ``sys.meta_path`` for the
user's own modules, wherever they are imported from (the script's folder, a
folder the script adds to ``sys.path``, ``PYTHONPATH``), whose loader
translates Python 2 source in memory and writes no bytecode for it
(:mod:`lasagne_params.usercode.sources`).  Installed packages are never the
user's: the standard library, anything under ``site-packages`` or
``dist-packages`` (a ``.venv`` beside the script included), the
interpreter's prefixes, and the top-level packages of installed
distributions (an editable Lasagne, this package) are left to the usual
finders and their hooks.  Standard library only.
"""
import builtins
import contextlib
import functools
import importlib
import importlib.machinery
import importlib.util
import io
import os
import sys
import sysconfig
import types
import warnings

from .sources import compile_source, forced_python2

__all__ = ["tolerant_imports", "installed", "installed_path", "users_file", "PYTHON2_MODULES",
           "load_source", "execfile"]


class _TolerantLoader(importlib.machinery.SourceFileLoader):
    """A source loader that translates Python 2 modules and writes no bytecode for them."""

    _translated = False

    def source_to_code(self, data, path, *, _optimize=-1):
        text = importlib.util.decode_source(data)
        if not forced_python2():
            try:
                return compile(text, path, "exec", dont_inherit=True, optimize=_optimize)
            except SyntaxError:
                pass                    # Python 2, perhaps: translated below
        self._translated = True
        # a module of a package (or a package's __init__) had Python 2's implicit relative
        # imports; one imported by its bare name from a folder on the path had none
        return compile_source(text, path, in_package="." in self.name
                              or os.path.basename(path) == "__init__.py")

    def set_data(self, path, data, *, _mode=0o666):
        if not self._translated:
            super().set_data(path, data, _mode=_mode)


#: Folder names that hold installed packages, wherever they are.
INSTALLED = ("site-packages", "dist-packages")


def _prefixes():
    """The interpreter's folders: the standard library and the environments' prefixes."""
    paths = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
    paths.update(sysconfig.get_paths().get(key, "") for key in ("stdlib", "platstdlib"))
    return tuple(os.path.realpath(p) + os.sep for p in paths if p)


@functools.lru_cache(maxsize=1)
def _distributed():
    """The top-level names installed distributions provide (editable installs included)."""
    import importlib.metadata       # email, zipfile...: only once user code imports a module
    try:
        return frozenset(importlib.metadata.packages_distributions())
    except Exception:           # a broken distribution's metadata: ask the paths alone
        return frozenset()


def installed_path(origin):
    """True if the file ``origin`` is where installed packages are (see :func:`installed`),
    or a module Theano compiled (its compile cache: ``~/.theano/compiledir_*``)."""
    origin = os.path.realpath(origin)
    return any(part in INSTALLED for part in origin.split(os.sep)) or \
        origin.startswith(_prefixes()) or _compiled_by_theano(origin)


def _compiled_by_theano(origin):
    """True for a file under Theano's compile cache (``config.base_compiledir``, asked
    only of a Theano already imported), or any ``compiledir_*`` folder of a ``.theano``
    one: generated modules, never the user's (``--python2`` leaves them alone)."""
    parts = origin.split(os.sep)
    if any(a == ".theano" and b.startswith("compiledir") for a, b in zip(parts, parts[1:])):
        return True
    theano = sys.modules.get("theano")
    base = getattr(getattr(theano, "config", None), "base_compiledir", None)
    try:
        return isinstance(base, str) and bool(base) and \
            origin.startswith(os.path.realpath(base) + os.sep)
    except Exception:           # a Theano half imported: its config not readable yet
        return False


#: This package's own folder: its files are never the user's.
PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def users_file(path):
    """True for a file of the user's: a real file, neither installed nor this package's."""
    path = os.path.abspath(path)
    return os.path.isfile(path) and not installed_path(path) and \
        not path.startswith(PACKAGE + os.sep)


def installed(name, origin):
    """True if module ``name`` at ``origin`` is an installed package's, not the user's."""
    return installed_path(origin) or name.partition(".")[0] in _distributed()


class _UserModuleFinder:
    """Finds the user's modules as the path finder does, with :class:`_TolerantLoader`;
    anything installed (:func:`installed`) is left to the finders after it."""

    def find_spec(self, name, path=None, target=None):
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or not isinstance(spec.loader, importlib.machinery.SourceFileLoader) \
                or installed(name, spec.origin):
            return None                       # not the user's: the usual finders decide
        spec.loader = _TolerantLoader(spec.name, spec.origin)
        return spec


#: Python 2's names for standard modules Python 3 renamed (what 2to3's fix_imports
#: rewrites), served while user code runs: a file valid as Python 3 may still
#: ``import cPickle as pickle``.
PYTHON2_MODULES = {"cPickle": "pickle", "ConfigParser": "configparser", "Queue": "queue",
                   "__builtin__": "builtins", "copy_reg": "copyreg", "urlparse": "urllib.parse",
                   "cStringIO": None, "StringIO": None}


def _python2_module(name):
    target = PYTHON2_MODULES[name]
    if target is not None:
        return importlib.import_module(target)
    module = types.ModuleType(name, "lasagne_params: Python 2's %s over io.StringIO" % name)
    module.StringIO = io.StringIO
    return module


def load_source(name, pathname, file=None):
    """``imp.load_source`` as Python 2 code used it: the file imported as module ``name``
    (in ``sys.modules``), Python 2 source translated in memory."""
    loader = _TolerantLoader(name, pathname)
    spec = importlib.util.spec_from_file_location(name, pathname, loader=loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        loader.exec_module(module)
    except BaseException:
        sys.modules.pop(name, None)
        raise
    return module


def execfile(filename, globals=None, locals=None):
    """Python 2's ``execfile``: run the file in the caller's namespace (or the ones given),
    Python 2 source translated in memory."""
    if globals is None:
        frame = sys._getframe(1)
        globals, locals = frame.f_globals, frame.f_locals if locals is None else locals
    with open(filename, "rb") as handle:
        code = compile_source(importlib.util.decode_source(handle.read()), filename)
    exec(code, globals, globals if locals is None else locals)


@contextlib.contextmanager
def _patched(owner, name, value):
    """``owner.name`` is ``value`` while the block runs (absent again after, if it was)."""
    missing = object()
    saved = getattr(owner, name, missing)
    setattr(owner, name, value)
    try:
        yield
    finally:
        if saved is missing:
            delattr(owner, name)
        else:
            setattr(owner, name, saved)


def _imp():
    """The standard library's deprecated ``imp`` (gone in Python 3.12), or None."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return importlib.import_module("imp")
        except ImportError:
            return None


@contextlib.contextmanager
def tolerant_imports():
    """While the block runs, the user's modules may be Python 2.

    Python 2's names of renamed standard modules (:data:`PYTHON2_MODULES`)
    are importable meanwhile too, ``imp.load_source`` and ``execfile``
    translate what they load; all are as before afterwards.
    """
    finder = _UserModuleFinder()
    sys.meta_path.insert(0, finder)
    added = [name for name in PYTHON2_MODULES if name not in sys.modules]
    for name in added:
        sys.modules[name] = _python2_module(name)
    try:
        with contextlib.ExitStack() as stack:
            imp = _imp()
            if imp is not None:
                stack.enter_context(_patched(imp, "load_source", load_source))
            if not hasattr(builtins, "execfile"):
                stack.enter_context(_patched(builtins, "execfile", execfile))
            yield finder
    finally:
        for name in added:
            sys.modules.pop(name, None)
        if finder in sys.meta_path:
            sys.meta_path.remove(finder)


