"""Install the compatibility bridges when user code first imports Theano or Lasagne.

A file the command line imports for a user (``--kinds FILE.py``, ``FILE.py:builder``) may
need Lasagne or may be pure Python.  :func:`bridge_on_first_import` lets it decide: the
bridges (:func:`~lasagne_params.backend.compat.install_compat`) are installed just before
its first ``import theano``, ``import lasagne`` or ``import nolearn`` (whose stand-in the
bridges serve), so a pure file costs no Theano import and
a historical one runs unchanged.  The hook is a meta-path finder that removes itself once
it has fired; it never changes what the import returns.
"""
import sys

__all__ = ["bridge_on_first_import"]

_WATCHED = ("theano", "lasagne", "nolearn")   # nolearn: the bridges serve its stand-in


class _BridgeOnImport:
    """A finder that answers no import itself: it installs the bridges, then steps aside."""

    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in _WATCHED:
            remove_hook()
            from .compat import install_compat
            install_compat()
        return None


def _hook():
    return next((f for f in sys.meta_path if isinstance(f, _BridgeOnImport)), None)


def remove_hook():
    hook = _hook()
    if hook is not None:
        sys.meta_path.remove(hook)


def bridge_on_first_import():
    """Arrange for the bridges before the first import of Theano or Lasagne (idempotent)."""
    if any(name in sys.modules for name in _WATCHED):
        from .compat import install_compat
        install_compat()
    elif _hook() is None:
        sys.meta_path.insert(0, _BridgeOnImport())
