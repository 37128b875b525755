"""``--stub-missing``: inert stand-ins for the modules a script imports that are not installed.

Historical scripts import packages that only feed them data (``h5py``,
``cv2``, ``skimage``, ``keras``' utilities, ``colorlog``...): without them
the file stops before its network is built.  Inside :func:`stub_missing`
(the command line's ``--stub-missing``), a module that is not installed is
served as an inert stand-in, and a line on stderr says so.

An inert value (:class:`Inert`) can be passed around, called, indexed, have
its attributes read and take part in arithmetic — each gives another inert
value — but using one as a number, a size, a truth value or a sequence
raises (``int()``, ``if``, ``len()``, iteration, ``<``): so a network whose
sizes depend on the missing data fails with one line naming it, and never
gets a made-up size.  The stack itself (Theano, Lasagne, numpy, scipy, and
this package) and the standard library are never stood in for.
"""
import contextlib
import contextvars
import functools
import importlib.machinery
import os
import sys
import types
from typing import Iterator

from ..core.optional import EXTRAS
from .hooks import users_file

__all__ = ["stub_missing", "stubbing", "Inert", "MissingModuleFinder", "stubbed",
           "nearby_module"]

_STUBBING = contextvars.ContextVar("lasagne_params_stub_missing", default=False)

#: Top-level modules never stood in for: the stack the network needs, and this package.
NEVER = frozenset(EXTRAS) | {"lasagne_params", "nolearn"} | frozenset(sys.stdlib_module_names)

#: The modules stood in for in this process, in order.
_SERVED: list[str] = []


@contextlib.contextmanager
def stub_missing(enabled: bool = True) -> Iterator[None]:
    """While the block runs, modules that are not installed get inert stand-ins (user code
    run meanwhile, :mod:`lasagne_params.usercode.running`)."""
    token = _STUBBING.set(bool(enabled))
    try:
        yield
    finally:
        _STUBBING.reset(token)


def stubbing():
    """True inside :func:`stub_missing`."""
    return _STUBBING.get()


def stubbed():
    """The names of the modules stood in for in this process."""
    return list(_SERVED)


class InertValueError(TypeError):
    """A value of a stood-in module was used as a number, size, truth value or sequence."""


class Inert:
    """A value from a module that is not installed (see the module docstring)."""

    __slots__ = ("_origin",)

    def __init__(self, origin):
        object.__setattr__(self, "_origin", origin)

    def _refuse(self, *args):
        raise InertValueError("%s comes from a module that is not installed (--stub-missing "
                              "stood in for it): its value is not known here"
                              % self._origin)

    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError("%s has no %s: it comes from a module that is not installed "
                                 "(--stub-missing stood in for it)" % (self._origin, name))
        return Inert("%s.%s" % (self._origin, name))

    def __setattr__(self, name, value):
        pass

    def __delattr__(self, name):
        pass

    def __delitem__(self, key):
        pass

    def __call__(self, *args, **kwargs):
        return Inert("%s(...)" % self._origin)

    def __getitem__(self, key):
        return Inert("%s[...]" % self._origin)

    def __setitem__(self, key, value):
        pass

    def __enter__(self):
        return Inert("%s (entered)" % self._origin)

    def __exit__(self, *exc):
        return False

    def __repr__(self):
        return "<inert %s>" % self._origin

    def _derived(self, *other):
        return Inert("%s (computed)" % self._origin)

    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = _derived
    __truediv__ = __rtruediv__ = __floordiv__ = __rfloordiv__ = __mod__ = _derived
    __pow__ = __rpow__ = __neg__ = __pos__ = __abs__ = __matmul__ = _derived
    __bool__ = __int__ = __index__ = __float__ = __len__ = __iter__ = _refuse
    __lt__ = __le__ = __gt__ = __ge__ = __contains__ = _refuse

    def __eq__(self, other):
        return self is other

    def __hash__(self):
        return id(self)

    def __mro_entries__(self, bases):
        self._refuse()


#: Where a stand-in module says it lives: no such folder, so a data file looked for beside
#: it is missing (one line), while code reading its ``__file__`` (``os.path.dirname``,
#: ``inspect``, a logger's setup) gets a path as a real module gives.
INERT_FOLDER = os.path.join(os.sep, "lasagne-params-inert-stand-in")


def inert_file(name):
    """The ``__file__`` of the stand-in for module ``name``."""
    return os.path.join(INERT_FOLDER, *name.split("."), "__init__.py")


def _inert_attribute(module, name):
    """A stand-in module's attribute: an inert value, except ``__all__`` (``from stub
    import *`` then binds nothing, as for a module without one) and the dunders Python's
    machinery probes for (``__wrapped__``, ``__test__``, ...): none."""
    if name.startswith("__") and name.endswith("__") and name != "__version__":
        raise AttributeError("module %r (an inert stand-in) has no attribute %r"
                             % (module, name))
    return Inert("%s.%s" % (module, name))


class _InertLoader:
    def create_module(self, spec):
        module = types.ModuleType(spec.name, "lasagne_params: an inert stand-in for %s, "
                                             "which is not installed" % spec.name)
        module.__path__ = []                      # its submodules are stood in for too
        module.__file__ = inert_file(spec.name)
        module.__lasagne_params_inert__ = True
        module.__getattr__ = functools.partial(_inert_attribute, spec.name)
        return module

    def exec_module(self, module):
        if module.__name__.partition(".")[0] not in _SERVED:
            _SERVED.append(module.__name__.partition(".")[0])
            print("lasagne-params: note: %s is not installed: an inert stand-in serves it "
                  "(--stub-missing); a value from it raises where the network would use it "
                  "as a number, a size or a truth value" % module.__name__, file=sys.stderr)


#: How far :func:`nearby_module` looks: folders up from the importing file's, and down
#: from there; and how many folders it reads at most.
NEARBY_UP, NEARBY_DOWN, NEARBY_FOLDERS = 2, 3, 2000

_SKIPPED_FOLDERS = ("site-packages", "dist-packages", "node_modules", "__pycache__")

#: What marks a project's top folder: version control, or the files that package it.
PROJECT_TOP = (".git", ".hg", ".svn", "setup.py", "setup.cfg", "pyproject.toml")


def _project_top(folder):
    return any(os.path.exists(os.path.join(folder, marker)) for marker in PROJECT_TOP)


@functools.lru_cache(maxsize=256)
def nearby_module(name, importer):
    """The file of a module ``name`` (``NAME.py`` or ``NAME/__init__.py``) in the user's
    project around ``importer`` (the file whose import of it failed): the importer's
    folder and up to :data:`NEARBY_UP` folders above, searched down to
    :data:`NEARBY_DOWN` levels (hidden folders and installed packages left out); or None.
    A script whose ``from layers import X`` means its project's ``utils/layers.py``
    (found through a PYTHONPATH of its author's) is missing a path, not a package.
    The search never climbs above the project's top folder (:data:`PROJECT_TOP`: its
    version control or packaging files), where other projects may sit beside it."""
    top = name.partition(".")[0]
    if not top.isidentifier() or not importer or not os.path.isfile(importer):
        return None
    folder = os.path.dirname(os.path.abspath(importer))
    roots = [folder]
    for _ in range(NEARBY_UP):
        if _project_top(roots[-1]):
            break                                # never into a folder of other projects
        parent = os.path.dirname(roots[-1])
        if parent == roots[-1] or os.path.dirname(parent) == parent:
            break                                # never the whole file system
        roots.append(parent)
    seen, budget = set(), [NEARBY_FOLDERS]
    for root in roots:
        found = _module_below(root, top, NEARBY_DOWN + roots.index(root), seen, budget)
        if found:
            return found
    return None


def _module_below(folder, top, depth, seen, budget):
    if folder in seen or budget[0] <= 0:
        return None
    seen.add(folder)
    budget[0] -= 1
    for candidate in (os.path.join(folder, top + ".py"),
                      os.path.join(folder, top, "__init__.py")):
        if os.path.isfile(candidate):
            return candidate
    if depth <= 0:
        return None
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:
        return None
    for entry in entries:
        if entry.is_dir(follow_symlinks=False) and not entry.name.startswith(".") \
                and entry.name not in _SKIPPED_FOLDERS \
                and not os.path.isfile(os.path.join(entry.path, "pyvenv.cfg")):
            found = _module_below(entry.path, top, depth - 1, seen, budget)
            if found:
                return found
    return None


def _importer():
    """The file whose code runs the import being looked up (past importlib's frames)."""
    frame = sys._getframe(2)
    while frame is not None and frame.f_code.co_filename.startswith("<frozen importlib"):
        frame = frame.f_back
    return frame.f_code.co_filename if frame is not None else ""


class MissingModuleFinder:
    """Last on ``sys.meta_path``: answers, while :func:`stubbing`, an import no other finder
    could (so only modules that are not installed), made by the user's own code (a
    library probing for an optional module keeps its ImportError), never one of
    :data:`NEVER`."""

    def find_spec(self, name, path=None, target=None):
        if not stubbing() or name.partition(".")[0] in NEVER:
            return None
        parent = name.rpartition(".")[0]
        if parent:                # a submodule: only of a module stood in for already
            if not getattr(sys.modules.get(parent), "__lasagne_params_inert__", False):
                return None
        else:
            importer = _importer()
            if not users_file(importer) or nearby_module(name, importer):
                return None      # a library's probe, or the user's own module off the path
        return importlib.machinery.ModuleSpec(name, _InertLoader(), is_package=True)
