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

The same bridge wraps ``Layer.add_param``: a call made while none of the
layer's ``__init__`` runs (``layer.add_param(...)`` in a script, a weight-norm
helper adding a scale to a built layer) is noted beside the layer, with the
shape the call gave and where it was made (:func:`added_after`), so the row
counts that array with its kind's.

Installed by :func:`~lasagne_params.backend.bridges.compat.install_compat`,
when ``lasagne.layers.base`` is imported (a meta-path finder answering for
that module only), or at once if it is imported already; layers made
before that are not noted, and their rows say so.
"""
import os
import sys
import weakref

from .ops import install_patching_finder

__all__ = ["install_layer_calls", "constructor_call", "fresh_layer", "added_after", "BRIDGE",
           "BASE"]

BASE = "lasagne.layers.base"
BRIDGE = "lasagne.layers.Layer.__new__ notes the arguments of layers of your own classes"
# Modules whose layer classes are never noted.
_OWN = ("lasagne", "lasagne_params")

#: id(layer) -> (weak reference to the layer, args, kwargs)
_CALLS = {}


def _noted(cls):
    return (cls.__module__ or "").split(".")[0] not in _OWN


def _forget(key, table=None):
    """The weak reference's callback removing ``table``'s (default: the calls') entry for
    the layer ``key`` when the layer goes."""
    table = _CALLS if table is None else table

    def callback(reference):
        entry = table.get(key)
        if entry is not None and entry[0] is reference:
            del table[key]
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


#: id(layer) -> (weak reference to the layer, {id(array): (shape, "file line N")}) of the
#: arrays code added to a built layer from outside its constructor
_ADDED = {}


def _constructing(layer, frame, depth=40):
    """True while an ``__init__`` of ``layer`` runs (the call is its constructor's)."""
    while frame is not None and depth:
        if frame.f_code.co_name == "__init__" and frame.f_locals.get("self") is layer:
            return True
        frame, depth = frame.f_back, depth - 1
    return False


def _caller(frame):
    """``file line N`` of the first frame outside Lasagne and this package."""
    while frame is not None:
        path = frame.f_code.co_filename
        if not any("%s%s%s" % (os.sep, own, os.sep) in path for own in _OWN):
            return "%s line %d" % (os.path.basename(path), frame.f_lineno)
        frame = frame.f_back
    return "?"


def _noting_add_param(original):
    """``Layer.add_param``, noting each array added to a layer after it was built (the
    call is no constructor's: ``layer.add_param(...)`` in a script, a weight-norm helper
    adding a scale): its shape as the code gave it."""
    def add_param(self, spec, shape, name=None, **tags):
        result = original(self, spec, shape, name, **tags)
        frame = sys._getframe(1)
        if not _constructing(self, frame):
            try:
                sizes = tuple(int(d) for d in shape)
                entry = _ADDED.get(id(self))
                if entry is None or entry[0]() is not self:
                    entry = _ADDED[id(self)] = (weakref.ref(self, _forget(id(self), _ADDED)), {})
                entry[1][id(result)] = (sizes, _caller(frame))
            except (TypeError, ValueError):    # no weak reference, or no plain shape
                pass
        return result
    add_param.__wrapped__ = original
    return add_param


def added_after(layer):
    """{id(array): (shape, "file line N")} of the arrays added to ``layer`` from outside
    its constructor (noted since the bridge was installed)."""
    entry = _ADDED.get(id(layer))
    if entry is None or entry[0]() is not layer:
        return {}
    return dict(entry[1])


def _patch(module):
    layer = getattr(module, "Layer", None)
    if layer is None or layer.__dict__.get("__new__") is not None:
        return False
    layer.__new__ = staticmethod(_noting_new(layer))
    if "add_param" in layer.__dict__:
        layer.add_param = _noting_add_param(layer.__dict__["add_param"])
    return True


def install_layer_calls(report):
    """Note the calls of layers made from now on (once); say so in ``report``."""
    install_patching_finder(BASE, _patch, report, BRIDGE)
