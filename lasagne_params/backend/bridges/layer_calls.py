"""Each layer of a class of the user's own remembers the arguments it was built with.

A layer class nobody declared a kind for is derived from its own code
(``backend/networks/class_code.py``): its constructor is run again, on a
fresh object, with the arguments the user's code gave it.  A built layer
does not keep them (``DenseLayer(l, num_units=500)`` stores what its
constructor chose to store), so this bridge notes them as the layer is made:
``lasagne.layers.Layer`` gets a ``__new__`` (Layer has none of its own:
``object.__new__`` makes every layer) that, for a class that is not
Lasagne's or this package's, remembers ``(args, kwargs)`` of the call
before ``__init__`` runs, and otherwise does what ``object.__new__`` does.

Nothing is stored on the layer: a table keyed by the layer's ``id`` holds a
weak reference to it beside the call, and the entry goes when the layer
does.  A class that cannot be weakly referenced (``__slots__`` without
``__weakref__``) is not noted.  Lasagne's own classes are never noted (their
kinds read the built layer), so a network of stock layers costs nothing.

Installed by :func:`~lasagne_params.backend.bridges.compat.install_compat`,
when ``lasagne.layers.base`` is imported (a meta-path finder answering for
that module only), or at once if it is imported already; layers made
before that are not noted, and their rows say so.
"""
import weakref

from .ops import install_patching_finder

__all__ = ["install_layer_calls", "constructor_call", "fresh_layer", "BRIDGE", "BASE"]

BASE = "lasagne.layers.base"
BRIDGE = "lasagne.layers.Layer.__new__ notes the arguments of layers of your own classes"
# Modules whose layer classes are never noted.
_OWN = ("lasagne", "lasagne_params")

#: id(layer) -> (weak reference to the layer, args, kwargs)
_CALLS = {}


def _noted(cls):
    return (cls.__module__ or "").split(".")[0] not in _OWN


def _forget(key):
    def callback(reference):
        entry = _CALLS.get(key)
        if entry is not None and entry[0] is reference:
            del _CALLS[key]
    return callback


def _noting_new(base):
    """``base.__new__`` (Lasagne's Layer): what comes after it in the class's MRO makes the
    object (``object.__new__``), and the call is noted for classes of the user's."""
    def __new__(cls, *args, **kwargs):
        layer = super(base, cls).__new__(cls)
        if (args or kwargs) and _noted(cls):    # without: a copy or an unpickled layer
            try:
                reference = weakref.ref(layer, _forget(id(layer)))
            except TypeError:           # no weak references to this class
                return layer
            _CALLS[id(layer)] = (reference, args, dict(kwargs))
        return layer
    return __new__


def constructor_call(layer):
    """``(args, kwargs)`` the layer was made with, or None if it was not noted."""
    entry = _CALLS.get(id(layer))
    if entry is None or entry[0]() is not layer:
        return None
    return entry[1], dict(entry[2])


def fresh_layer(cls):
    """A new, uninitialised object of layer class ``cls`` (no ``__init__`` run), not noted
    (a call without arguments never is)."""
    return cls.__new__(cls)


def _patch(module):
    layer = getattr(module, "Layer", None)
    if layer is None or layer.__dict__.get("__new__") is not None:
        return False
    layer.__new__ = staticmethod(_noting_new(layer))
    return True


def install_layer_calls(report):
    """Note the calls of layers made from now on (once); say so in ``report``."""
    install_patching_finder(BASE, _patch, report, BRIDGE)
