"""No library call changes process-wide state: garbage collector, warnings, recursion limit,
standard streams, signal handlers, int-to-text limit, umask, sys.modules.

Run in a fresh interpreter each, so that nothing the test session did first
hides a change.  Importing Theano the first time (``install_compat``, the
documented bridge) lets Theano, numpy and scipy do what their own imports do
(they add warnings filters; Theano wraps ``sys.excepthook``; the bridges put
their modules in ``sys.modules``); every call after that must change nothing
but load more of Lasagne and Theano.
"""
import json
import subprocess
import sys

from helpers import LAYERS_YAML, ROOT

PROBE = r"""
import gc, io, json, os, signal, sys, warnings, tempfile

def state():
    mask = os.umask(0o22); os.umask(mask)
    return {"gc": [gc.isenabled(), list(gc.get_threshold()), gc.get_freeze_count()],
            "warnings": [repr(f) for f in warnings.filters],
            "recursion": sys.getrecursionlimit(), "stdout": id(sys.stdout),
            "stderr": id(sys.stderr), "stdin": id(sys.stdin),
            "digits": sys.get_int_max_str_digits(), "cwd": os.getcwd(), "umask": mask,
            "sigint": repr(signal.getsignal(signal.SIGINT)),
            "sigpipe": repr(signal.getsignal(signal.SIGPIPE)),
            "path": list(sys.path), "excepthook": repr(sys.excepthook),
            "trace": repr(sys.gettrace()), "switch": sys.getswitchinterval(),
            # modules put in sys.modules under another name, or blocked (None)
            "injected": sorted(name for name, module in list(sys.modules.items())
                               if getattr(module, "__name__", None) != name),
            "heavy": any(m.split(".")[0] in ("theano", "lasagne", "numpy", "scipy")
                         for m in sys.modules)}

import lasagne_params as lp
from lasagne_params import LayerSpec
folder = tempfile.mkdtemp()
specs = [LayerSpec("in", "InputLayer", (), {"shape": (None, 1, 8, 8)}),
         LayerSpec("c", "Conv2DLayer", ("in",), {"num_filters": 2, "filter_size": 3}),
         LayerSpec("d", "DenseLayer", ("c",), {"num_units": 3})]
changed = {}

def check(name, call):
    before = state()
    try:
        call()
    except lp.LasagneParamsError:
        pass
    after = state()
    changed[name] = sorted(k for k in before if before[k] != after[k])

def pure():
    from lasagne_params.describe.snapshot import read_snapshot, write_snapshot
    from lasagne_params.testing import assert_params
    report = lp.derive(specs)
    lp.derive_costs(specs)
    for fmt in ("answer", "json", "csv", "markdown", "nolearn", "explain"):
        lp.render(report, fmt)
    lp.load_spec(sys.argv[1])
    lp.derive(sys.argv[1])
    write_snapshot(report, os.path.join(folder, "s.json"))
    read_snapshot(os.path.join(folder, "s.json"))
    assert_params(specs, report.total_params)
    lp.derive([LayerSpec("in", "InputLayer", (), {"shape": (None, 4)}),
               LayerSpec("d", "DenseLayer", ("in",), {"num_units": 2, "b": False})])

def cli():
    from lasagne_params.cli import main
    saved = sys.stdout
    sys.stdout = io.StringIO()
    try:
        main(["show", sys.argv[1]])
        main(["snapshot", sys.argv[1], "-o", os.path.join(folder, "t.json")])
        main(["show", os.path.join(folder, "missing.json")])
    finally:
        sys.stdout = saved

check("pure", pure)
check("cli", cli)
if sys.argv[2] == "lasagne":
    lp.install_compat()
    import numpy
    def with_lasagne():
        net = lp.build(specs)
        lp.from_lasagne(net)
        lp.compare(specs)
        lp.compare(net)
        lp.assert_matches(specs)
        lp.derive(net)
        lp.verify_runtime(net, numpy.zeros((2, 1, 8, 8)))
    check("lasagne", with_lasagne)
print(json.dumps(changed))
"""


def probe(kind):
    done = subprocess.run([sys.executable, "-c", PROBE, LAYERS_YAML, kind], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def test_pure_entry_points_and_the_command_line_change_nothing():
    assert probe("pure") == {"pure": [], "cli": []}


def test_lasagne_entry_points_change_nothing(lasagne):
    assert probe("lasagne") == {"pure": [], "cli": [], "lasagne": []}
