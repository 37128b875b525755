"""The moment a module first *uses* a network: compiles a Theano function, or fits a NeuralNet.

Reading ``FILE.py:net`` runs the module up to that moment
(:mod:`lasagne_params.usercode.loading`): the network is then as the code
built it, and the training after it does not run.  While a
:class:`FirstUseWatch` is active, these call its ``on_use(what)`` first,
which may raise to stop the module:

* ``theano.function`` called from the user's code (not from Theano, Lasagne
  or this package: ``x.eval()`` compiling inside Theano is no use), and
  calling a function it compiled while the watch was on (a builder may
  compile its training function before the module holds the network: the
  training loop calling it is the use then);
* a NeuralNet's ``fit``, ``partial_fit`` and ``train_loop`` (the stand-in
  calls :func:`network_used`).

``theano.function`` is replaced only while a watch is active, and only once
Theano is imported (right after the bridges' first-import hook has installed
the bridges, when the user's code imports it); the original is put back on
leaving.  Nothing else of Theano or Lasagne changes.
"""
import sys

from ..bridges.on_import import after_bridges, forget

__all__ = ["FirstUseWatch", "network_used"]

_LIBRARIES = ("lasagne", "theano", "lasagne_params", "nolearn")
#: The watches active now, innermost last.
_ACTIVE = []


def network_used(what):
    """Tell the active watches that the user's code uses a network now (``what`` says how)."""
    for watch in list(_ACTIVE):
        watch.on_use(what)


def _from_user_code(frame):
    name = frame.f_globals.get("__name__") or ""
    return name.split(".")[0] not in _LIBRARIES


class _Compiled:
    """A Theano function compiled by the user's code while a watch was on: calling it is a
    use (while the watch is still on); everything else is the function's own."""

    def __init__(self, function, watch):
        self.__dict__["_function"], self.__dict__["_watch"] = function, watch

    def __call__(self, *args, **kwargs):
        if self._watch in _ACTIVE:
            self._watch.on_use("calling a compiled Theano function")
        return self._function(*args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._function, name)

    def __setattr__(self, name, value):
        setattr(self._function, name, value)


class FirstUseWatch:
    """``with FirstUseWatch(on_use):`` — ``on_use(what)`` is called at each use (see above)."""

    def __init__(self, on_use):
        self.on_use = on_use
        self._saved = []

    def _wrap(self, function):
        watch = self

        def compiled_by_user(*args, **kwargs):
            if watch in _ACTIVE and _from_user_code(sys._getframe(1)):
                watch.on_use("theano.function")
                return _Compiled(function(*args, **kwargs), watch)
            return function(*args, **kwargs)

        compiled_by_user.__wrapped__ = function
        compiled_by_user.__doc__ = function.__doc__
        compiled_by_user.__name__ = function.__name__
        return compiled_by_user

    def _patch_theano(self):
        if self not in _ACTIVE or self._saved:
            return
        theano = sys.modules.get("theano")
        package = sys.modules.get("theano.compile.function")
        for owner in (theano, package):
            original = getattr(owner, "function", None)
            if callable(original) and not hasattr(original, "__wrapped__"):
                self._saved.append((owner, original))
                owner.function = self._wrap(original)

    def __enter__(self):
        _ACTIVE.append(self)
        after_bridges(self._patch_theano)
        return self

    def __exit__(self, *exc):
        forget(self._patch_theano)
        for owner, original in reversed(self._saved):
            owner.function = original
        self._saved = []
        if self in _ACTIVE:
            _ACTIVE.remove(self)
        return False
