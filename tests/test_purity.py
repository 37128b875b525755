"""The derivation core imports no Theano, no Lasagne and no numpy."""
import json
import os
import subprocess
import sys
import textwrap

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_core_runs_with_theano_lasagne_numpy_blocked():
    code = textwrap.dedent("""
        import json, sys
        for name in ("theano", "lasagne", "numpy", "scipy"):
            sys.modules[name] = None          # any import of these now fails
        import lasagne_params as lp
        from lasagne_params import rules, registry, axis, engine, records, compare, render, zoo
        from lasagne_params.render import table, answer, nolearn, json as json_render
        from lasagne_params.rules import (base, basic, conv, dense, gpu, merge, pool,
                                          recurrent, shape)
        specs = [lp.LayerSpec("input", "InputLayer", (), {"shape": (None, 1, 28, 28)}),
                 lp.LayerSpec("conv", "Conv2DLayer", ("input",),
                              {"num_filters": 32, "filter_size": 5}),
                 lp.LayerSpec("out", "DenseLayer", ("conv",), {"num_units": 10})]
        report = lp.derive(specs)
        lp.render(report); lp.render(report, "nolearn"); lp.render(report, "json")
        assert lp.derive(zoo.googlenet_specs()).total_params == 6998552
        sequence = [lp.LayerSpec("in", "InputLayer", (), {"shape": (None, 9, 4)}),
                    lp.LayerSpec("lstm", "LSTMLayer", ("in",), {"num_units": 3})]
        assert lp.derive(sequence).total_params == 4 * (4 + 3 + 1) * 3 + 3 * 3 + 2 * 3
        print(json.dumps([report.total_params,
                          sorted(m for m in sys.modules if m.split(".")[0] in
                                 ("theano", "lasagne", "numpy", "scipy")
                                 and sys.modules[m] is not None)]))
    """)
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    total, loaded = json.loads(out.stdout)
    assert total == (5 * 5 * 1 + 1) * 32 + (32 * 24 * 24 + 1) * 10
    assert loaded == []
