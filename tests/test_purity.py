"""The parts of the package and what each may import; the pure parts run without Theano.

The folders are the parts (see ``lasagne_params/__init__.py``): ``core``
imports the standard library only; ``describe`` and ``render`` import the
core (and their optional YAML / Graphviz / matplotlib packages, imported inside
the function that needs them), never each other;
``backend`` is the only part that imports Theano, Lasagne or numpy; the
facade (top-level modules) may import anything.  No part imports the
facade, so no import goes upward and there is no circle.
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
# part -> the parts of lasagne_params it may import, and the outside packages besides the
# standard library.
RULES = {
    "core": ({"core"}, set()),
    "describe": ({"core", "describe"}, {"yaml"}),
    "render": ({"core", "render"}, {"graphviz", "matplotlib"}),     # pictures, optional
    "backend": ({"core", "describe", "render", "backend"}, HEAVY | {"matplotlib"}),
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
    """``core``, ``describe``, ``render``, ``backend``, or ``facade`` for top-level modules."""
    parts = module.split(".")
    return parts[1] if len(parts) >= 2 and parts[1] in RULES else "facade"


def imports(module, path):
    """Every module ``path`` imports, anywhere in it (functions too), as absolute names."""
    tree = ast.parse(open(path, encoding="utf-8").read())
    package = module if path.endswith("__init__.py") else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[:len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module
            found.add(target)
            found.update("%s.%s" % (target, alias.name) for alias in node.names)
    return found


def test_every_part_imports_only_what_it_may():
    broken = []
    for module, path in modules():
        part = part_of(module)
        if part == "facade":
            continue
        own, outside = RULES[part]
        for name in imports(module, path):
            top = name.split(".")[0]
            if top == "lasagne_params":
                target = part_of(name)
                if target not in own:
                    broken.append("%s (%s) imports %s (%s)" % (module, part, name, target))
            elif top not in sys.stdlib_module_names and top not in outside:
                broken.append("%s (%s) imports %s" % (module, part, name))
    assert broken == []


def test_the_rule_check_sees_function_level_and_relative_imports(tmp_path):
    path = tmp_path / "mod.py"
    path.write_text("def f():\n    from ..api import derive\n    import numpy\n")
    found = imports("lasagne_params.core.mod", str(path))
    assert {"lasagne_params.api", "lasagne_params.api.derive", "numpy"} <= found


def test_only_the_backend_imports_theano_lasagne_or_numpy():
    for module, path in modules():
        heavy = {n.split(".")[0] for n in imports(module, path)} & HEAVY
        assert not heavy or part_of(module) == "backend", (module, heavy)


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
        from lasagne_params.backend import neuralnet, training, runtime
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
        assert "(32*24*24)*(5*5*1)  = 460'800" in out.stdout       # the columns table
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
