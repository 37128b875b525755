"""Ground truth for one network of the unseen-code corpus: Lasagne's own figures, nothing derived.

    .venv-master/bin/python benchmarks/corpus_truth.py FILE NAME [--python2] [--output-layer X]
        [--compile]

Run by ``benchmarks/corpus.py`` in a subprocess per network (one at a time,
with a timeout), from the file's folder.  It runs the user's whole file
(a notebook's code cells) statement by statement, each statement that
raises skipped (data files that are not here, a training loop), then takes
NAME -- a module-level name, or an expression over the module's names
(``net.output_layer`` when the file keeps its layers in a wrapper object);
a function is called without arguments -- and asks Lasagne:
``count_params`` of its output layers (all, and trainable only),
``get_all_layers`` and each layer's ``output_shape``.  It prints one JSON
object on the last line of stdout: ``{"ok": true, "total": ..., "trainable":
..., "layers": [[name, class, shape], ...]}`` or ``{"ok": false, "reason":
"..."}``.  If a skipped statement was one that builds NAME (assigns it, an
item of it, or grows it: ``layers.append(...)``), the network would be
partial: that is a failure, never a figure.

It is deliberately independent of how lasagne_params picks a network in a
file: the whole file runs (the tool stops at NAME's last assignment), and
the outputs are every layer of the value that no other layer of it takes as
input (or ``--output-layer``, a layer's name or a dict key).

To get Lasagne's figures for as many networks as can be built at all, it is
more tolerant than the tool, whose refusals are what the corpus measures:
every module of the file's repository may be Python 2 (translated as the
tool translates the file's own folder, and importable by its bare name as
Python 2's implicit relative imports were; ``imp.load_source`` too);
modules missing here that feed data or GPU code (``STAND_INS``: pandas,
scikit-image, ``theano.sandbox.cuda``, ``sklearn.cross_validation``, ...)
are permissive stand-ins, where any attribute or call gives another
stand-in.  A layer that really needs one fails to build (a stand-in is no
shape, no layer, no integer), so a stand-in does not change a count
silently.

It compiles no Theano function (unless ``--compile``, for a builder that
compiles before it returns its layers): ``theano.function`` raises instead,
so a script's training step fails and is skipped.  From lasagne_params it
uses ``install_compat`` (Lasagne does not import on Python 3.11 without it),
``lasagne_params.usercode.sources`` (Python 2 translation, notebook cells) and the
NeuralNet that historical scripts import as ``nolearn.lasagne``.
"""
import argparse
import contextlib
import importlib.abc
import importlib.util
import json
import os
import sys
import types


#: Modules (and their submodules) served as permissive stand-ins when they do not import.
STAND_INS = ("theano.sandbox.cuda", "theano.tensor.shared_randomstreams", "theano.sandbox.cuda.dnn",
             "sklearn", "pandas", "skimage", "cv2", "h5py", "colorlog", "path", "keras",
             "nolearn_utils", "pylearn2", "lmdb", "tqdm", "seaborn", "yaml", "joblib", "PIL",
             "gzip_utils", "progressbar", "dicom", "SimpleITK", "sklearn.cross_validation",
             "sklearn.externals.joblib", "theano.sandbox.cuda.basic_ops", "theano.sandbox.cuda.var",
             "theano.sandbox.cuda.blas", "theano.sandbox.cuda.fftconv", "pycuda", "scikits",
             "mpl_toolkits", "IPython", "blz", "pydot", "bcolz", "sklearn.externals", "fuel",
             "lasagnekit")


class StandIn(types.ModuleType):
    """A module, class, function and value at once: whatever is asked of it is another one."""

    __path__ = []

    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        value = StandIn("%s.%s" % (self.__name__, name))
        setattr(self, name, value)
        return value

    def __call__(self, *args, **kwargs):
        return StandIn("%s()" % self.__name__)

    def __iter__(self):
        return iter(())

    def __mro_entries__(self, bases):
        return (object,)


class StandInFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Last on sys.meta_path: a module of STAND_INS that nothing else found is a StandIn."""

    def find_spec(self, name, path=None, target=None):
        if any(name == p or name.startswith(p + ".") for p in STAND_INS):
            return importlib.util.spec_from_loader(name, self)
        return None

    def create_module(self, spec):
        return StandIn(spec.name)

    def exec_module(self, module):
        pass


def stand_in_removed_names():
    """Names removed from the libraries since: scipy.misc's image functions, Theano's
    ``tensor.shared_randomstreams``; ``imp.load_source`` reads Python 2 files as the
    other imports do; a package's version asked of pkg_resources when it is not installed."""
    import scipy.misc
    for name in ("imread", "imresize", "imsave", "toimage", "imrotate", "bytescale", "imshow",
                 "imfilter", "fromimage", "lena"):
        if not hasattr(scipy.misc, name):
            setattr(scipy.misc, name, StandIn("scipy.misc." + name))
    import theano
    import theano.tensor
    from theano.sandbox.rng_mrg import MRG_RandomStreams
    import itertools
    for old, new in (("izip", zip), ("imap", map), ("ifilter", filter),
                     ("izip_longest", itertools.zip_longest)):
        if not hasattr(itertools, old):
            setattr(itertools, old, new)
    if not hasattr(theano, "Op"):
        from theano.graph.op import Op
        theano.Op = Op
    if not hasattr(theano.tensor, "shared_randomstreams"):
        module = types.ModuleType("theano.tensor.shared_randomstreams")
        module.RandomStreams = MRG_RandomStreams
        sys.modules[module.__name__] = theano.tensor.shared_randomstreams = module
    import imp
    from lasagne_params.usercode.sources import compile_file

    def load_source(name, path, file=None):
        module = types.ModuleType(name)
        module.__file__ = path
        sys.modules[name] = module
        exec(compile_file(path), vars(module))
        return module
    imp.load_source = load_source
    try:
        import pkg_resources
    except ImportError:
        return
    get_distribution = pkg_resources.get_distribution

    def tolerant_get_distribution(requirement):
        try:
            return get_distribution(requirement)
        except pkg_resources.DistributionNotFound:
            return StandIn("distribution")
    pkg_resources.get_distribution = tolerant_get_distribution


def repository_root(path):
    """The corpus folder of the file's repository (``CORPUS/OWNER+REPO``), or its folder."""
    folder = os.path.dirname(os.path.abspath(path))
    probe = folder
    while os.path.dirname(probe) != probe:
        if os.path.isfile(os.path.join(probe, ".corpus-commit")):
            return probe
        probe = os.path.dirname(probe)
    return folder


def package_folders(root):
    """Every folder under root holding Python files (Python 2's implicit relative imports)."""
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        if any(f.endswith(".py") for f in files):
            found.append(folder)
    return found


class NoCompile(RuntimeError):
    """Raised by the stand-in for theano.function: ground truth needs no compiled function."""


def _no_compile(*args, **kwargs):
    raise NoCompile("ground truth compiles no Theano function")


#: Methods that grow a list or dict of layers in place (``layers.append(...)``).
GROWING = {"append", "extend", "insert", "update", "setdefault", "add"}


def run_file(path):
    """Run the file (a notebook's cells) statement by statement, as its own module, each
    statement that raises skipped: (the module, [(statement, exception)])."""
    import ast
    from lasagne_params.usercode.sources import compile_tree, file_trees, statement_trees
    module = types.ModuleType("_corpus_truth_module")
    module.__file__ = path
    sys.modules[module.__name__] = module
    sys.path.insert(0, os.path.dirname(path))
    sys.argv = [path]
    skipped = []
    for tree in trees_of(path, file_trees):
        for part in statement_trees(tree):
            if all(isinstance(node, ast.ImportFrom) and node.module == "__future__"
                   for node in part.body):
                continue
            try:
                exec(compile_tree(part, path), vars(module))
            except (Exception, SystemExit) as exc:
                skipped.append((part.body[-1], exc))
    return module, skipped


def trees_of(path, file_trees):
    """The file's ASTs; a notebook of nbformat 3 (cells under ``worksheets``, code in
    ``input``) is read as nbformat 4 would hold it."""
    import json
    import tempfile
    if path.lower().endswith(".ipynb"):
        with open(path, "rb") as f:
            data = json.loads(f.read().decode("utf-8"))
        if "cells" not in data and data.get("worksheets"):
            cells = [{"cell_type": c.get("cell_type"),
                      "source": c.get("input", c.get("source", ""))}
                     for w in data["worksheets"] for c in w.get("cells", [])]
            with tempfile.NamedTemporaryFile("w", suffix=".ipynb", delete=False) as f:
                json.dump({"cells": cells, "nbformat": 4}, f)
            return file_trees(f.name)
    return file_trees(path)


def builds(statement, names):
    """True if the statement assigns one of ``names`` (or an item or attribute of it), or
    grows it in place (``names[0].append(...)``): a statement building the network."""
    import ast

    def root(node):
        while isinstance(node, (ast.Attribute, ast.Subscript)):
            node = node.value
        return node.id if isinstance(node, ast.Name) else None
    for node in ast.walk(statement):
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            targets = [node.target]
        for target in targets:
            for leaf in ast.walk(target):
                if isinstance(leaf, (ast.Name, ast.Attribute, ast.Subscript)) and \
                        root(leaf) in names:
                    return True
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                node.func.attr in GROWING and root(node.func.value) in names:
            return True
    return False


def failed_building(name, skipped):
    """The first skipped statement that was building NAME's value (its truth would be a
    partial network), as a line; or None."""
    import ast
    names = {n.id for n in ast.walk(ast.parse(name, mode="eval")) if isinstance(n, ast.Name)}
    for statement, exc in skipped:
        if isinstance(exc, NoCompile):
            continue
        if builds(statement, names):
            text = (str(exc).strip().splitlines() or [""])[0]
            return "line %d, which builds %s, failed: %s: %s" % (
                statement.lineno, name, type(exc).__name__, text)
    return None


def _layers_of(value, layer_class, neuralnet_class):
    """(candidate layers, {dict key: layer}) of a value naming a network."""
    if neuralnet_class is not None and isinstance(value, neuralnet_class):
        if not getattr(value, "layers_", None):
            value.initialize_layers()
        return list(value.layers_.values()), dict(value.layers_.items())
    if isinstance(value, layer_class):
        return [value], {}
    if isinstance(value, dict):
        items = list(value.items())
    elif isinstance(value, (list, tuple)):
        items = [(None, v) for v in value]
    else:
        return [], {}
    found, keys = [], {}
    for key, item in items:
        inner = item if isinstance(item, (list, tuple)) else [item]
        for layer in inner:
            if isinstance(layer, layer_class):
                found.append(layer)
                if key is not None:
                    keys[str(key)] = layer
    return found, keys


def figures(value, output_layer=None):
    import lasagne
    from lasagne.layers import Layer, count_params, get_all_layers
    try:
        from lasagne_params import NeuralNet
    except ImportError:
        NeuralNet = None
    candidates, keys = _layers_of(value, Layer, NeuralNet)
    if not candidates:
        return {"ok": False, "reason": "not a network: %s" % type(value).__name__}
    pool = get_all_layers(candidates)
    if output_layer is not None:
        if output_layer in keys:
            named = [keys[output_layer]]
        else:
            named = [l for l in pool if l.name == output_layer]
        if not named:
            return {"ok": False, "reason": "no layer named %r" % output_layer}
        outputs = named[:1]
    else:
        fed = set()
        for layer in pool:
            for incoming in getattr(layer, "input_layers", None) or \
                    [getattr(layer, "input_layer", None)]:
                if incoming is not None:
                    fed.add(id(incoming))
        outputs = [l for l in pool if id(l) not in fed]
    every = get_all_layers(outputs)
    per_output = sorted([int(count_params(out)), int(count_params(out, trainable=True)),
                         len(get_all_layers(out))] for out in outputs)
    return {"ok": True, "lasagne": lasagne.__version__, "per_output": per_output,
            "total": int(count_params(outputs)),
            "trainable": int(count_params(outputs, trainable=True)),
            "outputs": len(outputs),
            "layers": [[l.name, type(l).__name__,
                        [d if d is None or isinstance(d, int) else str(d)
                         for d in l.output_shape]
                        if isinstance(l.output_shape, tuple) else str(l.output_shape)]
                       for l in every]}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file")
    parser.add_argument("name")
    parser.add_argument("--python2", action="store_true")
    parser.add_argument("--output-layer")
    parser.add_argument("--compile", action="store_true",
                        help="let theano.function compile (a builder that compiles before it "
                             "returns its layers)")
    args = parser.parse_args(argv)
    out = sys.stdout
    try:
        import lasagne_params
        lasagne_params.install_compat()
        import theano
        if not args.compile:
            theano.function = _no_compile
        from lasagne_params.usercode.sources import python2
        sys.meta_path.append(StandInFinder())
        stand_in_removed_names()
        root = repository_root(args.file)
        sys.path.extend(package_folders(root))
        from lasagne_params.usercode.hooks import tolerant_imports
        context = python2() if args.python2 else contextlib.nullcontext()
        with contextlib.ExitStack() as stack:
            stack.enter_context(context)
            stack.enter_context(tolerant_imports())     # every module of the user's
            stack.enter_context(contextlib.redirect_stdout(sys.stderr))
            module, skipped = run_file(os.path.abspath(args.file))
            for statement, exc in skipped:
                print("corpus_truth: line %d failed and was skipped: %s: %s" % (
                    statement.lineno, type(exc).__name__,
                    (str(exc).strip().splitlines() or [""])[0]), file=sys.stderr)
            partial = failed_building(args.name, skipped)
            if partial:
                raise RuntimeError("partial network: " + partial)
            value = eval(args.name, vars(module))
            from lasagne.layers import Layer
            if callable(value) and not isinstance(value, Layer) and \
                    not hasattr(value, "initialize_layers"):
                value = value()
            result = figures(value, args.output_layer)
    except BaseException as exc:        # the user's code may fail in any way
        text = str(exc).strip().splitlines()
        result = {"ok": False, "reason": "%s: %s" % (type(exc).__name__,
                                                     text[0] if text else "")}
    out.write("\n" + json.dumps(result) + "\n")
    out.flush()
    os._exit(0)     # no interpreter teardown of the user's threads or atexit handlers


if __name__ == "__main__":
    main()
