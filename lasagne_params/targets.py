"""What a command line names as a network, and the user code run to get it.

A target is a spec file (``.json``, ``.yaml``, ``.yml``), ``--zoo NAME``, or
a Python file, the way historical code holds its networks:

* ``FILE.py:NAME``: NAME is a function called with no arguments, or a
  module-level variable (the file then runs up to the top-level statement
  that last assigns it: a script's training after it does not run);
* ``FILE.py``: every network the module defines when it is imported (its
  module-level variables; functions are not called).

A Jupyter notebook (``FILE.ipynb``, ``FILE.ipynb:NAME``) is read as its code
cells, run in order, IPython's magics left out; given NAME, the cells stop
after the one that defines it (a tutorial defines its network before it
trains it).

A value gives networks when it is a Lasagne layer, a NeuralNet, or a list,
tuple or dict of layers (a Lasagne Recipes builder's ``net`` dict, an
``(input_layer, output_layer)`` pair): the networks' outputs are the layers
there that no layer of the network takes as input.  Several outputs give
several networks; ``--output-layer NAME`` (a dict key or a layer's name)
picks one, or names any layer of it as the output.

The user's module is imported the way ``python FILE.py`` would see it, but
not as ``__main__``: its folder first on ``sys.path`` (it may import its
siblings, which may be Python 2, see :mod:`lasagne_params.sources`),
``sys.argv`` just ``[FILE.py]``, the compatibility bridges installed before
its first import of Theano, Lasagne or nolearn (so ``import nolearn.lasagne``
works).  Its prints go to stderr, so the
command's own output (``--format json``) stays clean.  Anything it raises,
``SystemExit`` (``sys.exit(0)`` too) and ``KeyboardInterrupt`` included,
becomes one :class:`TargetError` line naming the file (``Interrupted`` for
Ctrl-C): a command never goes on, or passes, after the module stopped it.
"""
import contextlib
import importlib
import importlib.util
import os
import sys

from .core.errors import (ArgumentError, Interrupted, LasagneParamsError, TargetError,
                          did_you_mean)
from .describe.spec import PARSERS

__all__ = ["Target", "resolve", "resolve_one", "load_networks", "load_network",
           "load_kinds", "zoo_network", "networks_of", "user_code", "import_file",
           "split_target"]

#: What a value must be to name a network, for the messages.
EXPECTED = "a Lasagne layer, a list, tuple or dict of layers, or a NeuralNet"


class Target:
    """One network named on the command line: ``label`` (how to name it) and ``network``."""

    def __init__(self, label, network, output=None, keys=None):
        self.label = label
        self.network = network
        self.output = output        # the dict key or layer name picking it, if any
        self.keys = keys or {}      # {dict key: layer} when the value was a dict of layers

    def __repr__(self):
        return "Target(%r)" % self.label


@contextlib.contextmanager
def user_code(path, doing, failed, hint=""):
    """Run a user's code: their folder on ``sys.path``, their prints on stderr, nothing escaping.

    ``doing`` and ``failed`` word the messages (``"importing it"``/``"does
    not import"``, ``"calling f()"``/``"f() failed"``).  Every exception
    (BaseException) becomes a one-line :class:`TargetError` naming
    ``path``; Ctrl-C becomes :class:`Interrupted`.  ``hint`` ends the line
    of an exception the code raised (not of ``sys.exit``).
    """
    from .sources import tolerant_imports
    folder = os.path.dirname(os.path.abspath(path))
    saved_path, saved_argv = list(sys.path), sys.argv
    sys.path.insert(0, folder)
    sys.argv = [path]
    try:
        with contextlib.redirect_stdout(sys.stderr), tolerant_imports(folder):
            yield
    except LasagneParamsError as exc:
        raise exc.located(file=path) from None
    except SystemExit as exc:
        raise TargetError("%s ran sys.exit(%r): no network was read"
                          % (doing, exc.code), file=path) from None
    except KeyboardInterrupt:
        raise Interrupted("interrupted (Ctrl-C) while %s" % doing, file=path) from None
    except SyntaxError as exc:
        raise TargetError("%s: SyntaxError: %s (line %s)" % (failed, exc.msg, exc.lineno),
                          file=path) from None
    except BaseException as exc:       # a user's module may fail in any way
        from .backend.bridges.master_only import explain
        explained = explain(exc)        # installing master is the answer, not a hint
        text = explained or "%s: %s" % (type(exc).__name__, exc)
        hint = _python2_hint(exc) or ("" if explained else hint)
        raise TargetError("%s%s: %s%s" % (failed, _where(exc, path), text, hint),
                          file=path) from exc
    finally:
        sys.path[:] = saved_path
        sys.argv = saved_argv


def _failure(exc):
    """What a user's code raised, in one line; for Lasagne-master code on Lasagne 0.1, what
    is missing and how to install master."""
    from .backend.bridges.master_only import explain
    return explain(exc) or "%s: %s" % (type(exc).__name__, exc)


#: Names Python 2 had and Python 3 has not: a NameError for one says the file is Python 2.
PYTHON2_NAMES = ("xrange", "unicode", "basestring", "raw_input", "reduce", "unichr", "long",
                 "file", "execfile", "cmp", "buffer", "reload", "intern", "apply", "coerce")


def _python2_hint(exc):
    """The hint to ``--python2`` a Python 3 failure of Python 2 code gets, or ``""``."""
    from .sources import forced_python2
    if forced_python2():
        return ""
    if isinstance(exc, TypeError) and "float" in str(exc):
        return (" (if the file was written for Python 2, where / divided integers to an "
                "integer: --python2)")
    if isinstance(exc, NameError) and getattr(exc, "name", None) in PYTHON2_NAMES:
        return " (%s is Python 2's: --python2 reads the file as Python 2)" % exc.name
    return ""


def _where(exc, path):
    """`` (line N)``: the last line of ``path`` the traceback passed through, or ``""``."""
    line, tb = None, exc.__traceback__
    target = os.path.abspath(path)
    while tb is not None:
        if os.path.abspath(tb.tb_frame.f_code.co_filename) == target:
            line = tb.tb_lineno
        tb = tb.tb_next
    return " (line %d)" % line if line is not None else ""


def import_file(path, module_name, until=None, keep_going=False):
    """Import the Python file ``path`` as ``module_name``; the compatibility bridges come first.

    They are installed just before the file's first import of Theano,
    Lasagne or nolearn (:mod:`lasagne_params.backend.bridges.on_import`), so a pure
    Python file costs no Theano import.

    With ``until`` (a name), the file stops where the name is defined, as a
    tutorial defines its network before it trains it: a notebook after the
    cell that defines it, a ``.py`` file after the last top-level statement
    that assigns it (not when it is a function or class: the whole file
    runs, so the function sees every global).  A line on stderr says what
    was left out (its ``fit``, its training loop).

    ``keep_going``: a top-level statement (a notebook cell) that raises is
    skipped, with a line on stderr, and the next one runs (a script loading
    its data files at the top, which are not there).
    """
    if not os.path.isfile(path):
        raise TargetError("no such file", file=path)
    from .backend.bridges.on_import import bridge_on_first_import
    bridge_on_first_import()        # the bridges come with its first Theano/Lasagne/nolearn import
    notebook = path.lower().endswith(".ipynb")
    if not notebook and importlib.util.spec_from_file_location(module_name, path) is None:
        raise TargetError("is not a Python module", file=path)
    import types
    from .sources import compile_tree, file_trees
    module = types.ModuleType(module_name)
    module.__file__ = os.path.abspath(path)
    hint = "" if keep_going else \
        " (--keep-going runs the rest of the file without the statements that fail)"
    skipped, left_out = [], None
    with user_code(path, "importing it", "does not import", hint):
        trees = file_trees(path)
        if not notebook:
            trees, left_out = _parts(trees[0], until, keep_going)
        sys.modules[module_name] = module       # pickle and dataclasses look it up
        try:
            for tree in trees:
                try:
                    exec(compile_tree(tree, path), vars(module))
                except (Exception, SystemExit) as exc:
                    if not keep_going:
                        raise
                    skipped.append((tree.body[-1].lineno, exc))
                if notebook and until is not None and until in vars(module):
                    break
        finally:
            sys.modules.pop(module_name, None)
    _say_left_out(path, until, left_out, skipped)
    return module


def _parts(tree, until, keep_going):
    """A ``.py`` file's AST as the modules to run in turn (one, or one per statement with
    ``keep_going``), ending at the last statement assigning ``until``; and the
    statements left out after it that run code."""
    import ast
    from .sources import binds, runs_code, statement_trees
    body, left_out = tree.body, None
    if until is not None:
        last = max((i for i, node in enumerate(body) if binds(node, until)), default=None)
        if last is not None and not isinstance(body[last], (
                ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            rest = [node for node in body[last + 1:] if runs_code(node)]
            body, left_out = body[:last + 1], (body[last].end_lineno, rest) if rest else None
    whole = ast.Module(body, [])
    return (statement_trees(whole) if keep_going else [whole]), left_out


def _say_left_out(path, until, left_out, skipped):
    """The lines on stderr about what of the file did not run."""
    for line, exc in skipped[:5]:
        print("lasagne-params: note: %s: line %d failed and was skipped (--keep-going): %s"
              % (path, line, _failure(exc).splitlines()[0] if str(exc) else
                 type(exc).__name__), file=sys.stderr)
    if len(skipped) > 5:
        print("lasagne-params: note: %s: and %d more statements failed and were skipped"
              % (path, len(skipped) - 5), file=sys.stderr)
    if left_out:
        end, rest = left_out
        print("lasagne-params: note: %s: read up to line %d, where %s is last assigned; the "
              "%d statement%s after it (from line %d: training, saving, ...) did not run"
              % (path, end, until, len(rest), "s" if len(rest) > 1 else "", rest[0].lineno),
              file=sys.stderr)


def _is_network(value):
    from .backend.nolearn.neuralnet import NeuralNet
    from .backend.networks.read import is_lasagne_layer
    return isinstance(value, NeuralNet) or is_lasagne_layer(value)


def _layer_items(value):
    """(key, layer) for each Lasagne layer a list/tuple/dict holds, or None for anything else."""
    from .backend.networks.read import is_lasagne_layer
    if isinstance(value, dict):
        items = [(str(key), item) for key, item in value.items()]
    elif isinstance(value, (list, tuple)):
        items = [(None, item) for item in value]
    else:
        return None
    layers = [(key, item) for key, item in items if is_lasagne_layer(item)]
    return layers or None


def _outputs(items):
    """The (key, layer) pairs no layer under any of them takes as input, in order, once each.

    A CustomRecurrentLayer takes its sub-networks: their layers are no outputs.
    """
    from .backend.networks.read import every_layer, incoming_layers, subnetwork_outputs
    fed = set()
    for _, layer in items:
        for member in every_layer(layer):
            fed.update(id(source) for source in incoming_layers(member))
            fed.update(id(sub) for sub in subnetwork_outputs(member))
    seen, outputs = set(), []
    for key, layer in items:
        if id(layer) not in fed and id(layer) not in seen:
            seen.add(id(layer))
            outputs.append((key, layer))
    return outputs


def _output_name(key, layer, index):
    return key if key is not None else (layer.name or "output %d" % index)


def _name_by_keys(items):
    """Call each unnamed layer of a dict by its key, as the builder's author did.

    Lasagne's Recipes builders keep their layers in ``net['conv1_1']`` and name none of
    them; their rows then read ``conv1_1`` rather than ``conv2ddnn_1``.  A layer already
    named keeps its name; a layer under several keys takes the first.
    """
    named = set()
    for key, layer in items:
        if key is not None and not layer.name and id(layer) not in named:
            layer.name = key
            named.add(id(layer))


def networks_of(value, label):
    """The networks a value gives, as Targets (none for a value that is no network)."""
    from .backend.nolearn.neuralnet import NeuralNet
    if isinstance(value, NeuralNet):
        return [Target(label, value)]
    if _is_network(value):
        return [Target(label, value, getattr(value, "name", None))]
    items = _layer_items(value)
    if items is None:
        return []
    _name_by_keys(items)
    outputs = _outputs(items)
    keys = {key: layer for key, layer in items if key is not None}
    if len(outputs) == 1:
        key, layer = outputs[0]
        return [Target(label, layer, _output_name(key, layer, 0), keys)]
    return [Target("%s[%s]" % (label, _output_name(key, layer, i)), layer,
                   _output_name(key, layer, i), keys) for i, (key, layer) in enumerate(outputs)]


def _required_arguments(function):
    import inspect
    try:
        parameters = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):
        return []
    return [p.name for p in parameters
            if p.default is p.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]


def _named_value(module, path, name):
    """What ``FILE.py:NAME`` names: NAME's value, or what NAME() returns."""
    import inspect
    names = [n for n in vars(module) if not n.startswith("_")
             and not inspect.ismodule(vars(module)[n])]
    if name not in vars(module):
        raise TargetError("has no function or variable %r%s" % (name, did_you_mean(name, names)),
                          file=path)
    value = vars(module)[name]
    if inspect.isclass(value):
        raise TargetError("%s is a class; name a function returning a network, or a "
                          "variable holding one" % name, file=path)
    if not callable(value) or _is_network(value):
        return value
    required = _required_arguments(value)
    if required:
        raise TargetError("%s() needs argument%s %s; name a function without required "
                          "arguments, or a variable holding the network" % (
                              name, "s" if len(required) > 1 else "", ", ".join(required)),
                          file=path)
    with user_code(path, "calling %s()" % name, "%s() failed" % name):
        return value()


def module_networks(module, path):
    """Every network the module's variables hold: NeuralNets, and the outputs of all its layers."""
    from .backend.nolearn.neuralnet import NeuralNet
    label = os.path.basename(path)
    targets, items, holders = [], [], {}
    for name, value in vars(module).items():
        if name.startswith("_"):
            continue
        if isinstance(value, NeuralNet):
            targets.append(Target("%s:%s" % (label, name), value))
        elif _is_network(value):
            items.append((name, value))
            holders.setdefault(id(value), name)
        else:
            for key, layer in _layer_items(value) or ():
                items.append((key if isinstance(value, dict) else name, layer))
                holders.setdefault(id(layer), "%s[%r]" % (name, key)
                                   if isinstance(value, dict) else name)
    for _, layer in _outputs(items) if items else ():
        targets.append(Target("%s:%s" % (label, holders[id(layer)]), layer,
                              layer.name or holders[id(layer)]))
    return targets


def split_target(target):
    """``FILE.py:NAME`` -> (``FILE.py``, ``NAME``); ``FILE.py`` -> (``FILE.py``, None)."""
    path, sep, name = target.rpartition(":")
    if not sep or os.path.splitext(name)[1].lower() in (".py", ".ipynb"):
        return target, None
    return path, name


def load_networks(target, keep_going=False):
    """``FILE.py:NAME`` or ``FILE.py`` -> the Targets it names (at least one).

    ``keep_going``: statements of the file that fail are skipped (see
    :func:`import_file`)."""
    path, name = split_target(target)
    if not path.lower().endswith((".py", ".ipynb")) and name is None:
        raise TargetError("expected a spec file (.json, .yaml, .yml), path/to/module.py "
                          "or path/to/module.py:NAME", file=target)
    module = import_file(path, "_lasagne_params_user_module", until=name,
                         keep_going=keep_going)
    if name is None:
        found = module_networks(module, path)
        if not found:
            import inspect
            functions = [n for n, v in vars(module).items() if not n.startswith("_")
                         and inspect.isfunction(v) and not _required_arguments(v)]
            raise TargetError("defines no network when imported (a Lasagne layer, a list, "
                              "tuple or dict of layers, or a NeuralNet in a module-level "
                              "variable)%s" % ("; name a function that builds one: %s" % ", ".join(
                                  "%s:%s" % (path, f) for f in functions[:3])
                                  if functions else ""), file=path)
        return found
    value = _named_value(module, path, name)
    found = networks_of(value, "%s:%s" % (os.path.basename(path), name))
    if not found:
        what = "returned" if callable(vars(module)[name]) else "is"
        call = "%s()" % name if what == "returned" else name
        raise TargetError("%s %s %s, expected %s" % (
            call, what, "None" if value is None else type(value).__name__, EXPECTED),
            file=path, field=name)
    return found


def load_network(target):
    """``path/to/module.py:NAME`` -> the one network it names (a layer or a NeuralNet)."""
    return pick(load_networks(target), None, target).network


def load_kinds(paths):
    """Import each Python file of ``--kinds``: they declare layer kinds with ``register_kind``."""
    for index, path in enumerate(paths or ()):
        import_file(path, "_lasagne_params_kinds_%d" % index)


def _zoo_entries(zoo):
    """{name: network or zero-argument function}: ``NETWORKS`` if the zoo has it, else ``__all__``."""
    entries = getattr(zoo, "NETWORKS", None)
    if isinstance(entries, dict):
        return entries
    return {name: getattr(zoo, name) for name in getattr(zoo, "__all__", ())
            if callable(getattr(zoo, name, None))}


def zoo_network(name):
    """The network called ``name`` in :mod:`lasagne_params.zoo`."""
    try:
        zoo = importlib.import_module("lasagne_params.zoo")
    except ImportError as exc:
        raise TargetError("the network zoo is not available (%s)" % exc,
                          field="--zoo") from exc
    entries = _zoo_entries(zoo)
    if name not in entries:
        raise ArgumentError("no network %r in the zoo%s; available: %s" % (
            name, did_you_mean(name, entries), ", ".join(sorted(entries)) or "none"),
            field="--zoo")
    entry = entries[name]
    try:
        return entry() if callable(entry) else entry
    except LasagneParamsError:
        raise
    except Exception as exc:
        raise TargetError("building %r failed: %s: %s" % (name, type(exc).__name__, exc),
                          field="--zoo") from exc


def _layer_called(network, name):
    """The layer of ``network`` whose name is ``name``, or None."""
    from .backend.networks.read import all_layers, is_lasagne_layer
    if not is_lasagne_layer(network):
        return None
    for layer in all_layers(network):
        if layer.name == name:
            return layer
    return None


def pick(targets, output, what):
    """The one Target of ``targets`` that ``--output-layer output`` names (or the only one)."""
    if output is None:
        if len(targets) == 1:
            return targets[0]
        raise ArgumentError("%s gives %d networks (%s); choose one with --output-layer NAME"
                            % (what, len(targets), ", ".join(t.label for t in targets)),
                            field="--output-layer")
    for target in targets:
        if target.output == output:
            return target
    for target in targets:
        layer = target.keys.get(output) or _layer_called(target.network, output)
        if layer is not None:
            return Target("%s[%s]" % (target.label, output), layer, output)
    names = [t.output for t in targets if t.output]
    raise ArgumentError("no output or layer called %r in %s%s" % (
        output, what, did_you_mean(output, names) or (
            "; outputs: %s" % ", ".join(names) if names else "")), field="--output-layer")


def resolve(args):
    """The networks the command line names, as Targets (a spec file or zoo entry: one).

    The files of ``--kinds`` are imported first, so their kinds are known.
    ``args.output_layer`` (``--output-layer``) narrows them to one.
    """
    load_kinds(args.kinds)
    output = getattr(args, "output_layer", None)
    if args.zoo is not None:
        targets = [Target(args.zoo, zoo_network(args.zoo))]
        from .describe.zoo import MASTER_ONLY
        if getattr(args, "lasagne", None) is None and args.zoo in MASTER_ONLY:
            from .core.versions import MASTER
            args.lasagne = MASTER          # the zoo's master networks derive for master
    elif os.path.splitext(args.network)[1].lower() in PARSERS:
        from .describe.spec import read_spec_file
        targets = [Target(args.network, read_spec_file(
            args.network, getattr(args, "max_input_bytes", None)))]
    else:
        targets = load_networks(args.network, getattr(args, "keep_going", False))
    if output is None:
        return targets
    return [pick(targets, output, args.network or args.zoo)]


def resolve_one(args):
    """The one network the command line names (several: an error asking for --output-layer)."""
    return pick(resolve(args), None, args.network or args.zoo).network
