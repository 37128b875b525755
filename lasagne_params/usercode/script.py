"""A historical script run unchanged, as ``python SCRIPT ARGS...`` would, and the networks it built.

The script runs as ``__main__`` with ``sys.argv == [SCRIPT, ARGS...]``,
inside :func:`~lasagne_params.usercode.running.running` with its own stdout
and stderr; the compatibility bridges are installed first (Lasagne 0.1 or
master on Theano-PyMC, and ``nolearn``/``nolearn.lasagne`` served by this
package when no real nolearn is installed), and Theano functions compiled
with the default mode leave out the two optimizations that fail on some
Lasagne networks (:mod:`lasagne_params.backend.bridges.robust_mode`).

Its exit status is its own: ``sys.exit(n)``'s; 1 after an uncaught
exception, whose traceback is printed as Python prints it, followed by the
hint every command gives for that failure
(:func:`~lasagne_params.usercode.running.hint_for`); 130 after Ctrl-C.

"Every network the script built" (:func:`networks_built`) is, in order:

1. each NeuralNet whose layers were built (``initialize``, ``fit``, ...);
2. each network (its output layers) the script itself handed to one of
   Lasagne's helpers — ``get_output``, ``get_output_shape``,
   ``get_all_layers``, ``get_all_params``, ``count_params``,
   ``get_all_param_values``, ``set_all_param_values``
   (:mod:`lasagne_params.backend.networks.recording`);
3. each network the script's module-level variables hold when it ends
   (layers, lists/tuples/dicts of layers, NeuralNets, as ``show FILE.py``
   finds them), if not found already.

A network whose layers all belong to another one found (``get_output`` of
a hidden layer, to look at features) is part of that one, not another.
"""
import contextlib
import os
import sys
import traceback
import types

from ..core.errors import LasagneParamsError, UserCodeError
from .running import advice, require_file, running, syntax_line
from .sources import compile_file
from .targets import module_networks

__all__ = ["execute_script", "networks_built", "Found"]


class Found:
    """A network the script built: ``label``, the ``network``, and ``how`` it was found."""

    def __init__(self, label, network, how):
        self.label = label
        self.network = network
        self.how = how

    def __repr__(self):
        return "Found(%r, %s)" % (self.label, self.how)


def _exit_status(exc):
    """The exit status Python gives a SystemExit (printing a non-int code, as Python does)."""
    code = exc.code
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


def _print_script_traceback(exc, path):
    """The traceback Python would print, from the script's own frames on."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename != path:
        tb = tb.tb_next
    traceback.print_exception(type(exc), exc, tb or exc.__traceback__)


def _execute(code, module, path):
    """Run the script's code as ``__main__``; return its exit status."""
    try:
        exec(code, vars(module))
    except SystemExit as exc:
        return _exit_status(exc)
    except KeyboardInterrupt as exc:
        _print_script_traceback(exc, path)
        return 128 + 2
    except BaseException as exc:      # the script's own failure: reported as Python would
        _print_script_traceback(exc, path)
        said = advice(exc)          # the same advice every command gives for this failure
        if said:
            print("lasagne-params: %s" % said, file=sys.stderr)
        return 1
    return 0


def execute_script(path, args=()):
    """Run the script ``path`` with ``args``; return (its exit status, the recorder, its
    module) — the recorder and module tell :func:`networks_built` what it built."""
    require_file(path)
    from ..backend.bridges.compat import install_compat
    from ..backend.bridges.robust_mode import robust_default_mode
    from ..backend.networks.recording import NetworkRecorder
    try:
        install_compat()
    except LasagneParamsError as exc:        # no Theano here: one line naming the extra
        raise exc.located(file=path) from None
    try:
        code = compile_file(path)
    except SyntaxError as exc:
        raise UserCodeError("SyntaxError: %s%s" % (exc.msg, syntax_line(exc)),
                            exception="SyntaxError", file=path) from None
    module = types.ModuleType("__main__")
    module.__file__ = path
    module.__builtins__ = __builtins__
    saved_main = sys.modules.get("__main__")
    sys.modules["__main__"] = module
    recorder = NetworkRecorder()
    try:
        with running(path, argv=[path] + list(args), prints="own"), recorder, \
                robust_default_mode():
            status = _execute(code, module, path)
    finally:
        sys.modules["__main__"] = saved_main
    with contextlib.suppress(OSError, ValueError):
        sys.stdout.flush()
    return status, recorder, module


def _holders(namespace):
    """{id(value): variable name} for the script's module-level values (and list items)."""
    names = {}
    for name, value in namespace.items():
        if name.startswith("_"):
            continue
        names.setdefault(id(value), name)
        if isinstance(value, (list, tuple)):
            for item in value:
                names.setdefault(id(item), name)
    return names


def _layers_of(network):
    from ..backend.networks.read import every_layer
    from ..backend.nolearn.neuralnet import NeuralNet
    if isinstance(network, NeuralNet):
        return {id(layer) for layer in every_layer(network.layers_.values())}
    return {id(layer) for layer in every_layer(network)}


def _held_by_one(layers, holders_of):
    """True when one network holds every layer of ``layers`` (a set of ids), found by
    intersecting the layers' holders, smallest first (a shared input layer held by
    thousands of networks costs nothing then)."""
    sets = []
    for layer in layers:
        holders = holders_of.get(layer)
        if not holders:
            return False
        sets.append(holders)
    if not sets:
        return False
    sets.sort(key=len)
    common = set(sets[0])
    for holders in sets[1:]:
        common &= holders
        if not common:
            return False
    return True


def networks_built(recorder, module, path):
    """The networks a finished script built, as :class:`Found` (see the module docstring)."""
    script = os.path.basename(path)
    holders = _holders(vars(module))
    found = []
    for index, net in enumerate(recorder.nets, 1):
        name = holders.get(id(net), "NeuralNet %d" % index)
        found.append(Found("%s:%s" % (script, name), net, "NeuralNet built"))
    candidates = []
    for outputs, how in recorder.networks:
        network = outputs[0] if len(outputs) == 1 else outputs
        name = holders.get(id(network)) or holders.get(id(outputs[-1])) or \
            outputs[-1].name or "network %d" % (len(candidates) + 1)
        candidates.append(Found("%s:%s" % (script, name), network, "given to %s" % how))
    # Each network's layers are listed once, and a candidate is dropped when one network
    # already found holds all its layers: ``holders_of`` maps a layer to the found
    # networks holding it, so the work is linear in the layers, not in networks squared.
    layers_of = {id(f): _layers_of(f.network) for f in found + candidates}
    holders_of, found_ids = {}, set()

    def take(item):
        found_ids.add(id(item.network))
        for layer in layers_of.get(id(item), ()):
            holders_of.setdefault(layer, set()).add(id(item))

    for item in found:
        take(item)
    candidates.sort(key=lambda f: -len(layers_of[id(f)]))
    for candidate in candidates:
        if not _held_by_one(layers_of[id(candidate)], holders_of):
            found.append(candidate)
            take(candidate)
    for target in module_networks(module, path):
        if id(target.network) in found_ids:
            continue
        if not hasattr(target.network, "to_specs") and id(target.network) in holders_of:
            continue
        found.append(Found(target.label, target.network, "module-level variable"))
    return found
