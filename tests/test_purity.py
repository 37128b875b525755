"""The derivation core imports no Theano, no Lasagne and no numpy."""
import json
import os
import subprocess
import sys
import textwrap

from test_picture import svg_texts_and_edges

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_core_runs_with_theano_lasagne_numpy_blocked():
    code = textwrap.dedent("""
        import json, sys
        for name in ("theano", "lasagne", "numpy", "scipy"):
            sys.modules[name] = None          # any import of these now fails
        import lasagne_params as lp
        from lasagne_params.core import (layers as rules, registry, axis, derive as engine,
                                         records, compare)
        from lasagne_params import render, zoo
        from lasagne_params.core import costs, cost_records, receptive
        from lasagne_params.render import picture
        from lasagne_params.describe import spec, signatures, snapshot
        from lasagne_params.backend import neuralnet
        from lasagne_params import testing, cli
        from lasagne_params.render import table, answer, nolearn, json as json_render, columns
        from lasagne_params.render import markdown, csv, explain
        from lasagne_params.backend import runtime, training
        from lasagne_params.render import runtime as runtime_render, training as training_render
        from lasagne_params.core.layers import (base, basic, conv, dense, gpu, merge, pool,
                                          recurrent, shape)
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
        check = runtime.compare_runtime(report, report, [(2, 1, 28, 28), (2, 32, 24, 24),
                                                         (2, 10)])
        assert check.ok and "2x32x24x24" in str(check)
        assert training.split_indices([0, 1, 0, 1], 0.5) == ([2, 3], [0, 1])
        training_render.render_history([{"epoch": 1, "train_loss": 0.5, "valid_loss": 0.25,
                                         "valid_accuracy": 0.9, "dur": 1.0}])
        assert lp.derive(zoo.googlenet_specs()).total_params == 6998552
        sequence = [lp.LayerSpec("in", "InputLayer", (), {"shape": (None, 9, 4)}),
                    lp.LayerSpec("lstm", "LSTMLayer", ("in",), {"num_units": 3})]
        assert lp.derive(sequence).total_params == 4 * (4 + 3 + 1) * 3 + 3 * 3 + 2 * 3
        print(json.dumps([report.total_params, cost.total_macs,
                          sorted(m for m in sys.modules if m.split(".")[0] in
                                 ("theano", "lasagne", "numpy", "scipy")
                                 and sys.modules[m] is not None)]))
    """)
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    total, macs, loaded = json.loads(out.stdout)
    assert total == (5 * 5 * 1 + 1) * 32 + (32 * 24 * 24 + 1) * 10
    assert macs == 32 * 24 * 24 * 5 * 5 + 32 * 24 * 24 * 10
    assert loaded == []


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
