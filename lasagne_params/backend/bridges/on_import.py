"""Install the compatibility bridges when user code first imports Theano or Lasagne.

A file the command line imports for a user (``--kinds FILE.py``, ``FILE.py:builder``) may
need Lasagne or may be pure Python.  :func:`bridge_on_first_import` lets it decide: the
bridges (:func:`~lasagne_params.backend.bridges.compat.install_compat`) are installed just before
its first ``import theano``, ``import lasagne`` or ``import nolearn`` (whose stand-in the
bridges serve), or of an old module name the bridges serve (``sklearn.cross_validation``:
``legacy_modules.NAMES``), so a pure file costs no Theano import and
a historical one runs unchanged.  The hook is a meta-path finder that removes itself once
it has fired; it never changes what the import returns.
"""
import sys

from .compat import install_compat
from .legacy_modules import NAMES as LEGACY_NAMES, LegacyFinder

__all__ = ["bridge_on_first_import", "after_bridges"]

_WATCHED = ("theano", "lasagne", "nolearn")   # nolearn: the bridges serve its stand-in
#: Called once each, right after the hook has installed the bridges (Theano imported).
_AFTER = []


class _AlreadyImported:
    """Loader of a module the bridges imported while it was being looked for: the import
    in progress gets that module, run once, with its own ``__spec__`` back."""

    def __init__(self, module, spec):
        self.module, self.spec = module, spec

    def create_module(self, spec):
        return self.module

    def exec_module(self, module):
        module.__spec__ = self.spec


class _BridgeOnImport:
    """A finder that installs the bridges, then steps aside.

    It answers no import itself, except the one the bridges made themselves: when the
    first watched import is ``import theano``, installing the bridges imports Theano
    (and bridges it); that module is the answer, or Python would run Theano's
    ``__init__`` a second time into a new, unbridged module.  When it is an old module
    name the bridges serve, the answer is the bridges' (the real module where there is one).
    """

    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] not in _WATCHED and name not in LEGACY_NAMES:
            return None
        remove_hook()
        install_compat()
        while _AFTER:
            _AFTER.pop(0)()
        module = sys.modules.get(name)
        if module is None and name in LEGACY_NAMES:
            return LegacyFinder().find_spec(name, path, target)
        if module is None or getattr(module, "__spec__", None) is None:
            return None
        import importlib.util
        # Python answers an import whose module appeared meanwhile with that module's
        # __spec__ (and would run its loader again): for this one import, it is ours.
        spec = importlib.util.spec_from_loader(name, _AlreadyImported(module, module.__spec__))
        module.__spec__ = spec
        return spec


def _hook():
    return next((f for f in sys.meta_path if isinstance(f, _BridgeOnImport)), None)


def remove_hook():
    hook = _hook()
    if hook is not None:
        sys.meta_path.remove(hook)


def bridge_on_first_import():
    """Arrange for the bridges before the first import of Theano or Lasagne (idempotent)."""
    if any(name in sys.modules for name in _WATCHED):
        install_compat()
    elif _hook() is None:
        sys.meta_path.insert(0, _BridgeOnImport())


def after_bridges(callback):
    """Call ``callback()`` once Theano is imported and bridged: now if it is, else right after
    the first-import hook has installed the bridges.  A callback not called by the time
    the caller is done is the caller's to forget (:func:`forget`)."""
    if "theano" in sys.modules and _hook() is None:
        callback()
    else:
        _AFTER.append(callback)


def forget(callback):
    """Drop ``callback`` if the hook has not called it yet."""
    if callback in _AFTER:
        _AFTER.remove(callback)
