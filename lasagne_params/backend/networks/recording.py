"""Which networks a script builds: what it hands to Lasagne's helpers, and NeuralNets built.

While a :class:`NetworkRecorder` is active (``with recorder:``), Lasagne's
helper functions that take a network — ``get_output``,
``get_output_shape``, ``get_all_layers``, ``get_all_params``,
``count_params``, ``get_all_param_values``, ``set_all_param_values`` — are
replaced, in ``lasagne.layers`` and ``lasagne.layers.helper``, by wrappers
that note the layers given to them (only when called from the user's code:
calls from Lasagne itself, Theano or lasagne_params are not noted, so a
CustomRecurrentLayer's sub-networks are not taken for networks), and every
NeuralNet whose layers are built is noted.  On leaving, the originals are
put back.  Only ``lasagne-params run`` uses it: a library call never patches
Lasagne.
"""
from ..bridges.compat import import_lasagne
from .read import is_lasagne_network

__all__ = ["NetworkRecorder", "HELPERS", "network_built"]

HELPERS = ("get_output", "get_output_shape", "get_all_layers", "get_all_params",
           "count_params", "get_all_param_values", "set_all_param_values")
_LIBRARIES = ("lasagne", "theano", "lasagne_params", "nolearn")
#: The recorders active now (``with recorder:``), innermost last.
_ACTIVE = []


def network_built(net):
    """Tell the active recorders that ``net`` (a NeuralNet) has just built its layers."""
    for recorder in _ACTIVE:
        recorder._net_built(net)


def _from_user_code(frame):
    name = frame.f_globals.get("__name__") or ""
    return name.split(".")[0] not in _LIBRARIES


class NetworkRecorder:
    """Notes each network given to Lasagne's helpers and each NeuralNet built, in order.

    ``networks`` holds ``(outputs, how)``: ``outputs`` a list of output
    layers, ``how`` the helper's name; each network once (by its outputs).
    ``nets`` holds the NeuralNets whose layers were built, once each.
    """

    def __init__(self):
        self.networks = []
        self.nets = []
        self._seen = set()
        self._saved = []

    def _note(self, value, how):
        if not is_lasagne_network(value):
            return
        outputs = list(value) if isinstance(value, (list, tuple)) else [value]
        key = tuple(id(layer) for layer in outputs)
        if key not in self._seen:
            self._seen.add(key)
            self.networks.append((outputs, how))

    def _net_built(self, net):
        if not any(net is known for known in self.nets):
            self.nets.append(net)

    def _wrap(self, function, name):
        import sys
        recorder = self

        def wrapper(layer_or_layers, *args, **kwargs):
            if _from_user_code(sys._getframe(1)):
                recorder._note(layer_or_layers, name)
            return function(layer_or_layers, *args, **kwargs)

        wrapper.__name__ = function.__name__
        wrapper.__doc__ = function.__doc__
        wrapper.__wrapped__ = function
        return wrapper

    def __enter__(self):
        layers = import_lasagne().layers
        for module in (layers.helper, layers):
            for name in HELPERS:
                original = getattr(module, name, None)
                if original is not None:
                    self._saved.append((module, name, original))
                    setattr(module, name, self._wrap(original, name))
        _ACTIVE.append(self)
        return self

    def __exit__(self, *exc):
        for module, name, original in reversed(self._saved):
            setattr(module, name, original)
        self._saved = []
        if self in _ACTIVE:
            _ACTIVE.remove(self)
        return False
