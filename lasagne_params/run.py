"""``lasagne-params run SCRIPT [ARGS...]``: a historical script, unchanged, then its networks checked.

The script runs as ``python SCRIPT ARGS...`` would run it: as ``__main__``,
with ``sys.argv == [SCRIPT, ARGS...]``, its folder first on ``sys.path``,
its own stdout and stderr; but after :func:`lasagne_params.install_compat`
(Lasagne 0.1 on Theano-PyMC, and ``nolearn``/``nolearn.lasagne`` served by
this package when no real nolearn is installed), Theano functions compiled
with the default mode leave out the two optimizations that fail on some
Lasagne networks (:mod:`lasagne_params.backend.bridges.robust_mode`), and Python 2
source (the script's, or a sibling module's) is translated in memory (see
:mod:`lasagne_params.sources`).

Then, for every network the script built, the derived figures are put
beside Lasagne's (:func:`lasagne_params.compare`, as ``show --check`` does)
and printed on stderr.  "Every network the script built" is, in order:

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

The exit status is the script's (``sys.exit(n)``; 1 after an uncaught
exception, whose traceback is printed as Python prints it; 130 after
Ctrl-C); ``--strict`` makes it 1 when the script succeeded but a network
disagrees with Lasagne or was not derived.
"""
import os
import sys
import traceback
import types

from .core.errors import LasagneParamsError, TargetError
from .core.files import write_atomic
from .core.text import json_text

__all__ = ["run_script", "networks_built", "Found"]


class Found:
    """A network the script built: ``label``, the ``network``, and ``how`` it was found."""

    def __init__(self, label, network, how):
        self.label = label
        self.network = network
        self.how = how


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
    from .backend.nolearn.neuralnet import NeuralNet
    from .backend.networks.read import every_layer
    if isinstance(network, NeuralNet):
        return {id(layer) for layer in every_layer(network.layers_.values())}
    return {id(layer) for layer in every_layer(network)}


def networks_built(recorder, module, path):
    """The networks a finished script built, as :class:`Found` (see the module docstring)."""
    from .targets import module_networks
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
    candidates.sort(key=lambda f: -len(_layers_of(f.network)))
    for candidate in candidates:
        layers = _layers_of(candidate.network)
        if not any(layers <= _layers_of(f.network) for f in found):
            found.append(candidate)
    for target in module_networks(module, path):
        if any(target.network is f.network for f in found):
            continue
        if not hasattr(target.network, "to_specs") and any(
                id(target.network) in _layers_of(f.network) for f in found):
            continue
        found.append(Found(target.label, target.network, "module-level variable"))
    return found


def _compare(found):
    """(Comparison or None, error line or None) for one network."""
    from .api import compare
    try:
        return compare(found.network), None
    except LasagneParamsError as exc:
        return None, str(exc)


def _report_text(found, results, script):
    from .render import render
    if not found:
        return "lasagne-params run: %s built no Lasagne network\n" % script
    lines = ["lasagne-params run: %d network%s built by %s\n" % (
        len(found), "" if len(found) == 1 else "s", script)]
    for item, (comparison, error) in zip(found, results):
        lines.append("\n== %s (%s) ==\n" % (item.label, item.how))
        lines.append(render(comparison) if comparison is not None
                     else "cannot derive it: %s\n" % error)
    return "".join(lines)


def _report_data(found, results):
    data = []
    for item, (comparison, error) in zip(found, results):
        entry = {"network": item.label, "found_by": item.how}
        if comparison is not None:
            entry.update(comparison.to_dict())
        else:
            entry.update(ok=False, error=error)
        data.append(entry)
    return data


def _write_report(path, data, protect=()):
    text = json_text(data, indent=2) + "\n"
    if path == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    write_atomic(path, text, protect=protect)        # never half a report, never the script


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
        from .backend.bridges.master_only import explain
        hint = explain(exc)               # master-only code on Lasagne 0.1: say what to do
        if hint:
            print("lasagne-params: %s" % hint, file=sys.stderr)
        return 1
    return 0


def run_script(path, args=(), report=None, text_report=True, strict=False):
    """Run the script ``path`` with ``args`` unchanged; report its networks; return its status.

    Parameters
    ----------
    report : str, optional
        A file to write the comparisons to, as a JSON list (``"-"``: stdout).
    text_report : bool
        Print the comparisons on stderr.
    strict : bool
        Return 1 when the script returned 0 but a network is not ok.
    """
    if not os.path.isfile(path):
        raise TargetError("no such file", file=path)
    from .backend.bridges.compat import install_compat
    from .backend.networks.recording import NetworkRecorder
    from .backend.bridges.robust_mode import robust_default_mode
    from .sources import compile_file, tolerant_imports
    install_compat()
    try:
        code = compile_file(path)
    except SyntaxError as exc:
        raise TargetError("SyntaxError: %s (line %s)" % (exc.msg, exc.lineno),
                          file=path) from None
    module = types.ModuleType("__main__")
    module.__file__ = path
    module.__builtins__ = __builtins__
    folder = os.path.dirname(os.path.abspath(path))
    saved = sys.modules.get("__main__"), sys.argv, list(sys.path)
    sys.modules["__main__"] = module
    sys.argv = [path] + list(args)
    sys.path.insert(0, folder)
    recorder = NetworkRecorder()
    try:
        with recorder, tolerant_imports(folder), robust_default_mode():
            status = _execute(code, module, path)
    finally:
        sys.modules["__main__"], sys.argv, sys.path[:] = saved
    sys.stdout.flush()
    if not text_report and report is None and not strict:
        return status
    found = networks_built(recorder, module, path)
    results = [_compare(item) for item in found]
    if text_report:
        sys.stderr.write(_report_text(found, results, os.path.basename(path)))
        sys.stderr.flush()
    if report is not None:
        _write_report(report, _report_data(found, results), protect=[path])
    if strict and status == 0 and any(c is None or not c.ok for c, _ in results):
        return 1
    return status
