"""lasagne-params run SCRIPT: historical scripts unchanged, then every network they built checked."""
import json
import os
import subprocess
import sys

import pytest

from helpers import LEGACY, ROOT, png_size, run_cli, write

SMALL = """\
import sys
import lasagne
from lasagne import layers
print("argv", sys.argv[1:])
l_in = layers.InputLayer((None, 6))
l_hid = layers.DenseLayer(l_in, 5, name="hid")
l_out = layers.DenseLayer(l_hid, 2, name="out")
features = lasagne.layers.get_output(l_hid)        # a part of the network: not another one
print(lasagne.layers.count_params(l_out))
"""


def test_script_runs_with_its_arguments_and_its_network_is_checked(capsys, lasagne, tmp_path):
    script = write(tmp_path, "small.py", SMALL + "sys.exit(3)\n")
    report = tmp_path / "report.json"
    out = run_cli(capsys, "run", "--report", report, script, "a", "-b", "--report", "x")
    assert out.returncode == 3                                   # the script's status
    assert out.stdout == "argv ['a', '-b', '--report', 'x']\n%d\n" % ((6 + 1) * 5 + (5 + 1) * 2)
    assert out.stderr.startswith("lasagne-params run: 1 network built by small.py\n\n"
                                 "== small.py:l_out (given to count_params) ==\n")
    assert "all 3 layers agree" in out.stderr
    listed = json.loads(report.read_text())
    assert [item["network"] for item in listed] == ["small.py:l_out"]
    assert listed[0]["found_by"] == "given to count_params"
    assert listed[0]["ok"] and listed[0]["derived"]["total_params"] == (6 + 1) * 5 + (5 + 1) * 2


def test_report_objects_are_show_check_json_objects(capsys, lasagne, tmp_path):
    script = write(tmp_path, "small.py", SMALL)
    report = tmp_path / "report.json"
    assert run_cli(capsys, "run", "--no-report", "--report", report, script).returncode == 0
    assert capsys.readouterr().err == ""
    (item,) = json.loads(report.read_text())
    shown = run_cli(capsys, "show", script + ":l_out", "--check", "--format", "json")
    expected = json.loads(shown.stdout)
    assert {k: v for k, v in item.items() if k not in ("network", "found_by")} == expected


def test_uncaught_exception_is_the_scripts_traceback_and_status_1(capsys, lasagne, tmp_path):
    script = write(tmp_path, "fails.py", SMALL + "raise ValueError('bad data')\n")
    out = run_cli(capsys, "run", script)
    assert out.returncode == 1
    lines = out.stderr.splitlines()
    assert lines[0] == "Traceback (most recent call last):"
    assert lines[1] == '  File "%s", line 10, in <module>' % script   # no frame of ours
    assert "ValueError: bad data" in lines
    assert "all 3 layers agree" in out.stderr                  # the report still comes


def test_strict_fails_a_network_not_derived(capsys, lasagne, tmp_path):
    script = write(tmp_path, "custom.py", """\
import lasagne
from lasagne import layers

class Doubler(layers.Layer):
    made = []

    def __init__(self, incoming, **kwargs):      # one only: its code cannot run again
        if Doubler.made:
            raise RuntimeError("one Doubler only")
        Doubler.made.append(self)
        super(Doubler, self).__init__(incoming, **kwargs)

    def get_output_for(self, input, **kwargs):
        return 2 * input

net = Doubler(layers.DenseLayer(layers.InputLayer((None, 3)), 4))
lasagne.layers.get_output(net)
""")
    relaxed = run_cli(capsys, "run", script)
    assert relaxed.returncode == 0 and "1 layer(s) not derived" in relaxed.stderr
    assert run_cli(capsys, "run", "--strict", "--no-report", script).returncode == 1


def test_recurrent_subnetworks_and_neuralnets(capsys, lasagne, tmp_path):
    script = write(tmp_path, "rnn.py", """\
import lasagne
from lasagne import layers
from nolearn.lasagne import NeuralNet
l_in = layers.InputLayer((None, 5, 3))
i2h = layers.DenseLayer(layers.InputLayer((None, 3)), 4)
h2h = layers.DenseLayer(layers.InputLayer((None, 4)), 4)
rnn = layers.CustomRecurrentLayer(l_in, i2h, h2h)
out = lasagne.layers.get_output(rnn)          # Lasagne calls get_output on i2h, h2h itself
net = NeuralNet(layers=[('input', layers.InputLayer), ('output', layers.DenseLayer)],
                input_shape=(None, 2), output_num_units=3)
net.initialize()
unused = NeuralNet(layers=[('input', layers.InputLayer), ('output', layers.DenseLayer)],
                   input_shape=(None, 9), output_num_units=1)
""")
    report = tmp_path / "r.json"
    assert run_cli(capsys, "run", "--report", report, script).returncode == 0
    listed = json.loads(report.read_text())
    assert [(i["network"], i["found_by"], i["derived"]["total_params"]) for i in listed] == [
        ("rnn.py:net", "NeuralNet built", (2 + 1) * 3),
        ("rnn.py:rnn", "given to get_output", (3 + 1) * 4 + (4 + 1) * 4 + 1 * 4),  # hid_init
        ("rnn.py:unused", "module-level variable", (9 + 1) * 1)]
    assert all(item["ok"] for item in listed)


def test_python2_script_runs(capsys, lasagne, monkeypatch):
    monkeypatch.delitem(sys.modules, "py2_helper", raising=False)     # imported afresh
    out = run_cli(capsys, "run", os.path.join(LEGACY, "py2_builder.py"))
    assert out.returncode == 0, out.stderr
    assert out.stdout == "helper imported\nbuilding 5\nbuilt %d\n" % ((5 + 1) * 8 + (8 + 1) * 3)
    assert "py2_builder.py is Python 2; translated to Python 3 in memory" in out.stderr
    assert "py2_builder.py:network (given to count_params)" in out.stderr


def test_missing_script_and_syntax_error(capsys, tmp_path):
    assert run_cli(capsys, "run", tmp_path / "nowhere.py").stderr == \
        "lasagne-params: error: %s: no such file\n" % (tmp_path / "nowhere.py")
    broken = write(tmp_path, "broken.py", "def f(:\n")
    out = run_cli(capsys, "run", broken)
    assert out.returncode == 2
    assert out.stderr.startswith("lasagne-params: error: %s: SyntaxError: " % broken)


def test_python_dash_m_run(lasagne, tmp_path):
    script = write(tmp_path, "small.py", SMALL)
    out = subprocess.run([sys.executable, "-m", "lasagne_params", "run", script, "x"],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("argv ['x']\n")
    assert "all 3 layers agree" in out.stderr


@pytest.mark.slow
def test_nolearn_era_digits_script_runs_unchanged(lasagne, tmp_path):
    pytest.importorskip("matplotlib")
    pytest.importorskip("graphviz")
    data = os.path.join(ROOT, "lasagne_params", "backend", "training", "data")
    report = tmp_path / "report.json"
    out = subprocess.run([sys.executable, "-m", "lasagne_params", "run", "--report",
                          str(report), os.path.join(LEGACY, "nolearn_digits.py"), data,
                          str(tmp_path)], cwd=ROOT, capture_output=True, text=True,
                         timeout=1500)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("# Neural Network with 217706 learnable parameters\n")
    assert "  epoch    trn loss    val loss    trn/val    valid acc  dur" in out.stdout
    for name in ("loss", "conv_weights", "conv_activity", "occlusion", "saliency", "net"):
        width, height = png_size(tmp_path / (name + ".png"))
        assert width > 100 and height > 100, name
    (item,) = json.loads(report.read_text())
    assert item["network"] == "nolearn_digits.py:net1" and item["ok"]
    assert item["not_derived"] == [] and item["mismatches"] == []
    assert [r["params"] for r in item["derived"]["layers"]] == \
        [r["params"] for r in item["reported"]["layers"]] == \
        [0, (5 * 5 * 1 + 1) * 32, 0, (3 * 3 * 32 + 1) * 32, 0, (32 * 5 * 5 + 1) * 256,
         (256 + 1) * 10]
    assert "all 7 layers agree" in out.stderr


@pytest.mark.slow
def test_kfkd_net_trains_with_shared_rates_its_callbacks_change(lasagne, tmp_path):
    env = dict(os.environ, THEANO_FLAGS="floatX=float32")      # 16.5M weights: half the work
    out = subprocess.run([sys.executable, "-m", "lasagne_params", "run",
                          os.path.join(LEGACY, "kfkd_net.py"), "2"], cwd=ROOT,
                         capture_output=True, text=True, timeout=1500, env=env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("# Neural Network with 16561502 learnable parameters\n")
    # np.linspace(0.03, 0.0001, 2): the callback set the shared rate after each epoch
    assert "learning rates: 0.0300, 0.0001\nfinal learning rate: 0.0001\n" in out.stdout
    assert "  epoch    trn loss    val loss    trn/val  dur" in out.stdout   # regression
    assert "kfkd_net.py:net (NeuralNet built)" in out.stderr
    assert "all 14 layers agree" in out.stderr
