"""The parts of the package and what each may import; the pure parts run without Theano.

The folders are the parts (see ``lasagne_params/__init__.py``): ``core``
imports the standard library only; ``describe`` and ``render`` import the
core (and their optional YAML / Graphviz / matplotlib packages, imported inside
the function that needs them), never each other;
``backend`` is the only part that imports Theano, Lasagne or numpy; the
facade (top-level modules) may import anything.  No part imports the
facade, so no import goes upward and there is no circle.  One lazy boundary stands in
front of the Theano side: the rest imports it inside functions only, and every other
import of the package's own modules is at the top of its module.
"""
import ast
import json
import os
import subprocess
import sys
import textwrap

from helpers import ROOT, svg_texts_and_edges

PACKAGE = os.path.join(ROOT, "lasagne_params")
HEAVY = {"theano", "lasagne", "numpy", "scipy"}
THEANO_SIDE = ("backend.bridges", "backend.networks", "backend.training", "backend.nolearn")
# part -> the parts of lasagne_params it may import, and the outside packages besides the
# standard library.  A part is a folder (``backend`` has four); the facade is the
# top-level modules.  Each part imports only those listed before it (and itself).
RULES = {
    "core": ({"core"}, set()),
    "describe": ({"core", "describe"}, {"yaml"}),
    "render": ({"core", "render"}, {"graphviz", "matplotlib"}),     # pictures, optional
    "backend": (set(), set()),                   # its __init__: a docstring only
    # and scikit-learn, whose old modules the bridges serve (legacy_sklearn.py)
    "backend.bridges": ({"core", "describe", "backend.bridges"}, HEAVY | {"sklearn", "PIL"}),
    "backend.networks": ({"core", "describe", "backend.bridges", "backend.networks"}, HEAVY),
    "backend.training": ({"core", "render", "backend.bridges", "backend.networks",
                          "backend.training"}, HEAVY),
    "backend.nolearn": ({"core", "describe", "render", "backend"} | set(THEANO_SIDE),
                        HEAVY | {"matplotlib"}),
    # A user's code, run one way: below the facade, above the Theano side.
    "usercode": ({"core", "describe", "usercode"} | set(THEANO_SIDE), set()),
    # The facade may import every part, never Theano, Lasagne or numpy itself.
    "facade": ({"core", "describe", "render", "backend", "usercode", "facade"}
               | set(THEANO_SIDE), {"IPython"}),
}


def modules():
    """(dotted name, path) of every module of the package."""
    for folder, _, files in os.walk(PACKAGE):
        for name in sorted(files):
            if name.endswith(".py"):
                path = os.path.join(folder, name)
                rel = os.path.relpath(path, ROOT)[:-3].replace(os.sep, ".")
                yield rel[:-len(".__init__")] if rel.endswith(".__init__") else rel, path


def part_of(module):
    """The part a module of the package belongs to: the longest part name its path starts
    with (``backend.bridges``, ``core``), else ``facade`` (the top-level modules)."""
    rest = module.split(".", 1)[1] if "." in module else ""
    found = [part for part in RULES if rest == part or rest.startswith(part + ".")]
    return max(found, key=len) if found else "facade"


def _absolute(name, package, level):
    if not level:
        return name
    base = package.split(".")[:len(package.split(".")) - level + 1]
    return ".".join(base + ([name] if name else []))


def _string_import(node, package):
    """The module an ``importlib.import_module("...")`` or ``__import__("...")`` call names
    with a literal, as an absolute name, or None."""
    if not isinstance(node, ast.Call) or not node.args:
        return None
    function = node.func
    called = function.attr if isinstance(function, ast.Attribute) else getattr(
        function, "id", None)
    first = node.args[0]
    if called not in ("import_module", "__import__") or not (
            isinstance(first, ast.Constant) and isinstance(first.value, str)):
        return None
    name = first.value
    level = len(name) - len(name.lstrip("."))
    return _absolute(name.lstrip("."), package, level) if level else name


def imports(module, path):
    """Every module ``path`` imports, anywhere in it (functions too), as absolute names,
    including those named by a literal string to ``importlib.import_module``/``__import__``."""
    tree = ast.parse(open(path, encoding="utf-8").read())
    package = module if path.endswith("__init__.py") else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            target = _absolute(node.module, package, node.level)
            found.add(target)
            found.update("%s.%s" % (target, alias.name) for alias in node.names)
        else:
            named = _string_import(node, package)
            if named:
                found.add(named)
    return found


def _target_part(name):
    """The part an imported name of the package belongs to (``from .backend.bridges import
    compat`` names a module of backend.bridges, not the backend's __init__)."""
    part = part_of(name)
    if part == "backend" and name.count(".") >= 2:
        part = part_of(name.rsplit(".", 1)[0] + "." + name.rsplit(".", 1)[1])
    return part


#: The Theano side: what the rest reaches only from inside functions (the one lazy
#: boundary: ``api``'s and ``usercode``'s functions, ``lasagne_params._LAZY``).
#: ``lasagne_params.nolearn`` belongs to it: importing it installs the bridges.
def on_theano_side(module):
    return part_of(module) in THEANO_SIDE or module == "lasagne_params.nolearn"


#: Modules imported only inside functions although they are pure, each for what it
#: would cost ``show SPEC``'s start-up (docs/performance.md measures it).
START_UP = {"lasagne_params.render.picture":
            "shutil, subprocess and the built-in layout: only drawing needs them"}


def own_imports(module, path, known):
    """(imported module, line, inside a function) for each import of the package's own
    modules in ``path``; ``from X import name`` names X.name where that is one of the
    ``known`` modules.  Look-ups by a computed name (``_LAZY``) are not imports here."""
    package = module if path.endswith("__init__.py") else module.rpartition(".")[0]
    found = []

    def visit(node, in_function):
        for child in ast.iter_child_nodes(node):
            if _type_checking_only(child):
                continue              # `if TYPE_CHECKING:` is never run: annotations only
            inside = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef,
                                                       ast.Lambda))
            if isinstance(child, ast.Import):
                found.extend((a.name, child.lineno, inside) for a in child.names
                             if a.name.split(".")[0] == "lasagne_params")
            elif isinstance(child, ast.ImportFrom):
                base = _absolute(child.module, package, child.level)
                if base.split(".")[0] == "lasagne_params":
                    found.extend(("%s.%s" % (base, a.name) if "%s.%s" % (base, a.name) in known
                                  else base, child.lineno, inside) for a in child.names)
            visit(child, inside)

    visit(ast.parse(open(path, encoding="utf-8").read()), False)
    return found


def _type_checking_only(node):
    """True for an ``if TYPE_CHECKING:`` block (no ``else``), which only type checkers read."""
    test = getattr(node, "test", None)
    named = getattr(test, "id", None) or getattr(test, "attr", None)
    return isinstance(node, ast.If) and named == "TYPE_CHECKING" and not node.orelse


def heavy_at_top(path):
    """True when ``path`` imports Theano, Lasagne, numpy or scipy outside any function."""
    tree = ast.parse(open(path, encoding="utf-8").read())
    functions = {id(n) for f in ast.walk(tree)
                 if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))
                 for n in ast.walk(f) if n is not f}
    names = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import)
             and id(n) not in functions for a in n.names]
    names += [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)
              and not n.level and id(n) not in functions]
    return any(name.split(".")[0] in HEAVY for name in names)


def boundary_breaks(paths):
    """Where the modules ``paths`` ({module: file}) break the one lazy boundary.

    Outside the Theano side, its modules are imported inside functions only; a module
    importing Theano, Lasagne or numpy at its top is imported inside functions only, by
    anyone; so is each of START_UP.  Every other import of the package's own modules is
    at its importer's top.
    """
    lazy_everywhere = {m for m, path in paths.items() if heavy_at_top(path)} | set(START_UP)
    broken = []
    for module, path in paths.items():
        for target, line, in_function in own_imports(module, path, set(paths)):
            lazy = target in lazy_everywhere or (
                on_theano_side(target) and not on_theano_side(module))
            if lazy and not in_function:
                broken.append("%s:%d imports %s at its top" % (module, line, target))
            elif in_function and not lazy:
                broken.append("%s:%d imports %s inside a function" % (module, line, target))
    return broken


def test_one_lazy_boundary_in_front_of_the_theano_side():
    """``import lasagne_params`` and ``show SPEC`` reach Theano only through functions:
    the facade's and usercode's imports of backend/ are inside functions, and so are all
    imports of the modules that import Theano, Lasagne or numpy at their top."""
    paths = dict(modules())
    assert {m for m, path in paths.items() if heavy_at_top(path)} == {
        "lasagne_params.backend.bridges.legacy_scipy",      # served by name, when needed
        "lasagne_params.backend.bridges.legacy_sklearn",
        "lasagne_params.backend.bridges.legacy_theano",
        "lasagne_params.backend.bridges.standin_layers",
        "lasagne_params.backend.networks.shape_only",
        "lasagne_params.backend.training.datasets"}
    assert boundary_breaks(paths) == []


def test_the_boundary_check_sees_both_directions(tmp_path):
    files = {"lasagne_params.api": "from .backend.networks import read\n"
                                   "def f():\n    from .backend.networks import arrays\n",
             "lasagne_params.render.text": "def f():\n    from ..core import axis\n"
                                           "    from .picture import draw\n",
             "lasagne_params.backend.networks.read": "from . import arrays\n",
             "lasagne_params.backend.networks.arrays": "import numpy\n",
             "lasagne_params.core.axis": "", "lasagne_params.render.picture": ""}
    paths = {}
    for module, text in files.items():
        paths[module] = str(tmp_path / (module + ".py"))
        open(paths[module], "w").write(text)
    assert boundary_breaks(paths) == [
        "lasagne_params.api:1 imports lasagne_params.backend.networks.read at its top",
        "lasagne_params.render.text:2 imports lasagne_params.core.axis inside a function",
        "lasagne_params.backend.networks.read:1 imports "
        "lasagne_params.backend.networks.arrays at its top"]
    assert on_theano_side("lasagne_params.nolearn") and not on_theano_side("lasagne_params.api")


def test_imports_for_type_checkers_only_are_no_imports(tmp_path):
    """``if TYPE_CHECKING:`` (annotations only, never run) may name the Theano side."""
    files = {"lasagne_params.api": "from typing import TYPE_CHECKING\n"
                                   "if TYPE_CHECKING:\n    from .backend.networks import read\n"
                                   "if typing.TYPE_CHECKING:\n    from .render import picture\n",
             "lasagne_params.backend.networks.read": "",
             "lasagne_params.render.picture": ""}
    paths = {}
    for module, text in files.items():
        paths[module] = str(tmp_path / (module + ".py"))
        open(paths[module], "w").write(text)
    assert boundary_breaks(paths) == []


def test_every_module_belongs_to_a_part():
    folders = {part_of(module) for module, _ in modules()}
    assert folders == set(RULES), folders ^ set(RULES)


def test_every_part_imports_only_what_it_may():
    broken = []
    for module, path in modules():
        part = part_of(module)
        own, outside = RULES[part]
        for name in imports(module, path):
            top = name.split(".")[0]
            if top == "lasagne_params":
                target = _target_part(name)
                if target not in own and not (part == target):
                    broken.append("%s (%s) imports %s (%s)" % (module, part, name, target))
            elif top not in sys.stdlib_module_names and top not in outside:
                broken.append("%s (%s) imports %s" % (module, part, name))
    assert broken == []


def test_the_rule_check_sees_function_level_relative_and_string_imports(tmp_path):
    path = tmp_path / "mod.py"
    path.write_text("import importlib\n"
                    "def f():\n    from ..api import derive\n    import numpy\n"
                    "    importlib.import_module('lasagne_params.backend.nolearn.handlers')\n"
                    "    __import__('theano')\n"
                    "    importlib.import_module('..render', __package__)\n")
    found = imports("lasagne_params.core.mod", str(path))
    assert {"lasagne_params.api", "lasagne_params.api.derive", "numpy", "theano",
            "lasagne_params.backend.nolearn.handlers", "lasagne_params.render"} <= found
    assert part_of("lasagne_params.backend.nolearn.handlers") == "backend.nolearn"
    assert part_of("lasagne_params.api") == "facade"
    assert part_of("lasagne_params.core.layers.dense") == "core"


def test_only_the_theano_side_imports_theano_lasagne_or_numpy():
    for module, path in modules():
        heavy = {n.split(".")[0] for n in imports(module, path)} & HEAVY
        assert not heavy or part_of(module) in THEANO_SIDE, (module, heavy)


def test_pure_parts_run_with_theano_lasagne_numpy_blocked():
    code = textwrap.dedent("""
        import importlib, json, os, sys
        for name in ("theano", "lasagne", "numpy", "scipy"):
            sys.modules[name] = None          # any import of these now fails
        import lasagne_params as lp
        root = os.path.dirname(lp.__file__)
        loaded = []
        for part in ("core", "describe", "render"):
            for folder, _, files in os.walk(os.path.join(root, part)):
                for name in sorted(files):
                    if name.endswith(".py") and name != "__init__.py":
                        rel = os.path.relpath(os.path.join(folder, name[:-3]), root)
                        importlib.import_module("lasagne_params." + rel.replace(os.sep, "."))
                        loaded.append(rel)
        from lasagne_params import testing, cli, zoo
        from lasagne_params.backend.nolearn import neuralnet
        from lasagne_params.backend.training import trainer as training
        from lasagne_params.backend.networks import runtime
        from lasagne_params.render import picture, training as training_render
        specs = [lp.LayerSpec("input", "InputLayer", (), {"shape": (None, 1, 28, 28)}),
                 lp.LayerSpec("conv", "Conv2DLayer", ("input",),
                              {"num_filters": 32, "filter_size": 5}),
                 lp.LayerSpec("out", "DenseLayer", ("conv",), {"num_units": 10})]
        report = lp.derive(specs)
        from lasagne_params.render import REPORT_FORMATS
        for fmt in REPORT_FORMATS:
            lp.render(report, fmt)
        cost = lp.derive_costs(specs)
        lp.render(cost, "columns", columns="shape,params,macs,ops,memory,param_memory,rf")
        lp.render(cost, "json"); picture.layer_lines(report.layers[1], cost.layers[1])
        from lasagne_params.core.runtime_check import compare_runtime
        check = compare_runtime(report, report, [(2, 1, 28, 28), (2, 32, 24, 24), (2, 10)])
        assert check.ok and "2x32x24x24" in lp.render(check)
        assert training.split_indices([0, 1, 0, 1], 0.5) == ([2, 3], [0, 1])
        training_render.render_history([{"epoch": 1, "train_loss": 0.5, "valid_loss": 0.25,
                                         "valid_accuracy": 0.9, "dur": 1.0}])
        googlenet = lp.derive(zoo.googlenet_specs())
        sequence = [lp.LayerSpec("in", "InputLayer", (), {"shape": (None, 9, 4)}),
                    lp.LayerSpec("lstm", "LSTMLayer", ("in",), {"num_units": 3})]
        print(json.dumps([report.total_params, cost.total_macs, googlenet.total_params,
                          lp.derive(sequence).total_params, len(loaded),
                          sorted(m for m in sys.modules if m.split(".")[0] in
                                 ("theano", "lasagne", "numpy", "scipy")
                                 and sys.modules[m] is not None)]))
    """)
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    total, macs, googlenet, lstm, loaded, heavy = json.loads(out.stdout)
    assert total == (5 * 5 * 1 + 1) * 32 + (32 * 24 * 24 + 1) * 10
    assert macs == 32 * 24 * 24 * 5 * 5 + 32 * 24 * 24 * 10
    assert googlenet == 6998552                    # BVLC GoogLeNet's published count
    assert lstm == 4 * (4 + 3 + 1) * 3 + 3 * 3 + 2 * 3
    assert loaded >= 30 and heavy == []


def test_showing_a_spec_file_imports_no_theano_lasagne_or_numpy(tmp_path):
    """The CLI's spec-file path (what a benchmark against `python -c pass` measures)."""
    code = textwrap.dedent("""
        import json, sys
        from lasagne_params.cli import main
        status = [main(["show", sys.argv[1], "--format", fmt, "--explain"])
                  for fmt in ("answer", "nolearn", "markdown")]
        status += [main(["show", sys.argv[1], "--format", fmt]) for fmt in ("json", "csv")]
        status.append(main(["show", sys.argv[1], "--columns", "shape,params,macs,ops,memory,"
                            "param_memory,rf", "--batch-size", "3", "--floatx", "float64"]))
        status.append(main(["show", sys.argv[1], "--costs", "--format", "json"]))
        status.append(main(["snapshot", sys.argv[1], "-o", sys.argv[2]]))
        status.append(main(["check", sys.argv[1], "--against", sys.argv[2]]))
        loaded = sorted(m for m in sys.modules
                        if m.split(".")[0] in ("theano", "lasagne", "numpy", "scipy"))
        print(json.dumps([status, loaded]), file=sys.stderr)
    """)
    for spec in ("question_nolearn.json", "question_layers.yaml"):
        out = subprocess.run([sys.executable, "-c", code,
                              os.path.join(ROOT, "tests", "data", spec),
                              str(tmp_path / "snap.json")],
                             cwd=ROOT, capture_output=True, text=True, timeout=60)
        status, loaded = json.loads(out.stderr.strip().splitlines()[-1])
        assert status == [0] * 9
        assert loaded == []
        assert "217'706" in out.stdout
        assert "(32*24*24)*(5*5*1)  = 460,800" in out.stdout       # the columns table
        assert '"total_macs": 1589760' in out.stdout                  # the JSON's costs


def test_drawing_a_spec_file_imports_no_theano_lasagne_or_numpy(dot, tmp_path):
    code = textwrap.dedent("""
        import json, sys
        from lasagne_params.cli import main
        status = main(["draw", sys.argv[1], "-o", sys.argv[2], "--costs"])
        loaded = sorted(m for m in sys.modules
                        if m.split(".")[0] in ("theano", "lasagne", "numpy", "scipy"))
        print(json.dumps([status, loaded]), file=sys.stderr)
    """)
    out = subprocess.run([sys.executable, "-c", code,
                          os.path.join(ROOT, "tests", "data", "question_nolearn.json"),
                          str(tmp_path / "q.svg")],
                         cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert json.loads(out.stderr.strip().splitlines()[-1]) == [0, []]
    texts, _ = svg_texts_and_edges(tmp_path / "q.svg")
    assert "MACs (32*10*10)*(3*3*32) = 921'600" in texts
