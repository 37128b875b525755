"""The lasagne-params command, end to end through the installed console script.

Every command and format, --check (agreeing and not), --explain, snapshot and
check, and bad input of each kind: one line naming file/layer/field, exit 2.
"""
import csv
import io
import json
import os
import subprocess
import sys

import pytest
from helpers import (ANSWER_TABLE, DATA, LAYERS_YAML, NETS, NOLEARN_JSON, QUESTION_NAMES,
                     QUESTION_NETS, QUESTION_PARAMS, QUESTION_TABLE, ROOT, SUMMARY_TABLE,
                     TOTAL_LINE, cli, write)
import lasagne_params




def needs_lasagne(target, request):
    if ".py:" in target:
        request.getfixturevalue("lasagne")


@pytest.mark.parametrize("target", QUESTION_NETS)
def test_show_answer(target, request):
    needs_lasagne(target, request)
    out = cli("show", target, "--format", "answer")
    assert out.returncode == 0, out.stderr
    answer = ANSWER_TABLE.splitlines()
    for row in answer[1:2] + [answer[i] for i in (2, 3, 5, 7, 8)]:   # rows with derivations
        assert row + "\n" in out.stdout
    assert "  2  maxpool1       24//2=12 -> 32x12x12" in out.stdout
    assert out.stdout.endswith(TOTAL_LINE + "\n")


@pytest.mark.parametrize("target", [NOLEARN_JSON, LAYERS_YAML])
def test_show_nolearn_is_the_question_verbatim(target):
    out = cli("show", target, "--format", "nolearn")
    assert out.returncode == 0, out.stderr
    assert out.stdout == ("# Neural Network with 217706 learnable parameters\n\n"
                          "## Layer information\n\n" + QUESTION_TABLE)


def test_show_json_keeps_exact_ints():
    out = cli("show", NOLEARN_JSON, "--format", "json")
    data = json.loads(out.stdout)
    assert data["total_params"] == 217706 and data["trainable_params"] == 217706
    assert [layer["params"] for layer in data["layers"]] == QUESTION_PARAMS
    assert data["layers"][3]["param_formula"] == "(3*3*32+1)*32"
    assert data["layers"][1]["output_shape"] == [None, 32, 24, 24]


def test_show_csv():
    out = cli("show", LAYERS_YAML, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert [r["name"] for r in rows] == QUESTION_NAMES
    assert [int(r["params"]) for r in rows] == QUESTION_PARAMS
    assert rows[5]["params"] == "205056"                       # no digit grouping
    assert rows[5]["param_formula"] == "(32*5*5+1)*256"
    assert rows[1]["size"] == "32x24x24"
    assert json.loads(rows[1]["output_shape"]) == [None, 32, 24, 24]
    assert rows[2]["incoming"] == "conv2d1"


def test_show_markdown():
    out = cli("show", NOLEARN_JSON, "--format", "markdown")
    lines = out.stdout.splitlines()
    assert lines[0] == "| # | name | kind | size | parameters | formula |"
    assert lines[3] == ("| 1 | conv2d1 | Conv2DLayer | `(28-(5-1))=24 -> 32x24x24` | 832 "
                        "| `(5*5*1+1)*32` |")
    assert lines[-1] == "**Total:** 832 + 9'248 + 205'056 + 2'570 = 217'706"


def test_show_is_the_summary_table_by_default():
    """issue 22: the kind, digits grouped as Keras and torchinfo group them, and their
    closing lines; --thousands keeps another grouping, --format answer the answer's."""
    out = cli("show", NOLEARN_JSON)
    assert out.returncode == 0, out.stderr
    assert out.stdout == SUMMARY_TABLE
    out = cli("show", NOLEARN_JSON, "--thousands", "'")
    assert out.stdout == SUMMARY_TABLE.replace(",", "'")
    out = cli("show", NOLEARN_JSON, "--format", "answer", "--thousands", "")
    assert out.stdout.endswith("total: 832 + 9248 + 205056 + 2570 = 217706\n")


def test_version():
    out = cli("--version")
    assert out.returncode == 0 and out.stdout == "lasagne-params %s\n" % lasagne_params.__version__


def test_show_explain():
    out = cli("show", NOLEARN_JSON, "--explain", "--format", "answer")
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert text.index(TOTAL_LINE) < text.index("Layer 0, input (InputLayer)")
    assert ("Layer 1, conv2d1 (Conv2DLayer), convolves the 1x28x28 output of input with 32 "
            "filters of 5x5. A filter covers its window in every one of the 1 input channel, "
            "so each holds 5*5*1 = 25 weights, 5*5*1*32 = 800 for the layer.") in text
    assert "With one bias per filter (32) that is (5*5*1+1)*32 = 832 parameters." in text
    assert "(n+1)*m = (32*5*5+1)*256 = 205'056 parameters" in text
    assert text.rstrip().endswith("Altogether the network learns 832 + 9'248 + 205'056 + "
                                  "2'570 = 217'706 parameters.")


@pytest.mark.parametrize("target", QUESTION_NETS)
def test_check_agrees(target, lasagne):
    out = cli("show", target, "--check", "--format", "nolearn")
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("# Neural Network with 217706 learnable parameters\n")
    assert "all 7 layers agree" in out.stdout
    assert "  1  conv2d1   Conv2DLayer           32x24x24        32x24x24" in out.stdout


def test_check_json(lasagne):
    out = cli("show", LAYERS_YAML, "--check", "--format", "json")
    data = json.loads(out.stdout)
    assert data["ok"] is True and data["mismatches"] == []
    assert data["reported"]["total_params"] == data["derived"]["total_params"] == 217706


def test_check_mismatch_exits_1_with_the_layer_diff(lasagne):
    out = cli("show", NETS + ":tampered", "--check")
    assert out.returncode == 1, out.stderr
    assert "  out: params: derived 435, Lasagne 290" in out.stdout     # (144+1)*3, W 144x2 + b 2
    assert "MISMATCH" in out.stdout


def test_check_csv_sends_the_comparison_to_stderr(lasagne):
    out = cli("show", NOLEARN_JSON, "--check", "--format", "csv")
    assert out.returncode == 0
    assert out.stdout.startswith("index,name,kind,")
    assert "all 7 layers agree" in out.stderr


def test_python_dash_m_runs_the_same_cli():
    out = subprocess.run([sys.executable, "-m", "lasagne_params", "show", NOLEARN_JSON,
                          "--format", "nolearn"], cwd=ROOT, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0 and out.stdout.endswith(QUESTION_TABLE)


def test_snapshot_then_check(tmp_path):
    snap = str(tmp_path / "net.params.json")
    out = cli("snapshot", NOLEARN_JSON, "-o", snap)
    assert out.returncode == 0, out.stderr
    assert out.stdout == "wrote %s: 7 layers, 217'706 parameters\n" % snap
    with open(snap) as handle:
        data = json.load(handle)
    assert data["total_params"] == 217706
    assert data["layers"][5] == {"name": "dense", "kind": "DenseLayer",
                                 "output_shape": [None, 256], "params": 205056,
                                 "trainable_params": 205056}
    assert cli("check", LAYERS_YAML, "--against", snap).returncode == 0

    changed = tmp_path / "changed.json"
    with open(NOLEARN_JSON) as handle:
        changed.write_text(handle.read().replace('"conv2d2_filter_size": [3, 3]',
                                                 '"conv2d2_filter_size": [5, 5]'))
    out = cli("check", str(changed), "--against", snap)
    assert out.returncode == 1
    assert out.stdout.splitlines() == [
        "8 change(s) since %s:" % snap,
        "  conv2d2: output_shape: recorded (None, 32, 10, 10), now (None, 32, 8, 8)",
        "  conv2d2: params: recorded 9248, now 25632",
        "  conv2d2: trainable_params: recorded 9248, now 25632",
        "  maxpool2: output_shape: recorded (None, 32, 5, 5), now (None, 32, 4, 4)",
        "  dense: params: recorded 205056, now 131328",
        "  dense: trainable_params: recorded 205056, now 131328",
        "  (network): total_params: recorded 217706, now 160362",
        "  (network): trainable_params: recorded 217706, now 160362"]


def test_snapshot_of_a_lasagne_module(tmp_path, lasagne):
    snap = str(tmp_path / "tiny.json")
    assert cli("snapshot", NETS + ":tiny", "-o", snap).returncode == 0
    out = cli("check", NETS + ":tampered", "--against", snap)
    assert out.returncode == 1
    assert "  out: output_shape: recorded (None, 2), now (None, 3)" in out.stdout


def test_zoo_missing_is_a_clean_error():
    out = cli("show", "--zoo", "no-such-network")
    assert out.returncode == 2
    assert out.stderr.startswith("lasagne-params: error: --zoo: ")
    assert len(out.stderr.splitlines()) == 1


def test_zoo_of_the_integrated_package(lasagne):
    zoo = pytest.importorskip("lasagne_params.zoo")
    from lasagne_params.targets import _zoo_entries
    names = sorted(_zoo_entries(zoo))
    assert names, "lasagne_params.zoo offers no networks"
    out = cli("show", "--zoo", names[0], "--format", "json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert len(data["layers"]) > 1 and data["total_params"] > 0
    out = cli("show", "--zoo", "not-" + names[0])
    assert out.returncode == 2 and names[0] in out.stderr


def test_debug_shows_the_traceback():
    out = cli("show", "missing.json", "--debug")
    assert out.returncode == 2                 # the status it has without --debug
    assert "Traceback" in out.stderr and "SpecError" in out.stderr
    assert out.stderr.splitlines()[-1].startswith("lasagne-params: error: missing.json: ")


@pytest.mark.parametrize("raised, status", [(RuntimeError("a bug"), 2),
                                            (KeyboardInterrupt(), 130)])
def test_debug_keeps_the_exit_status_1_means_differences(monkeypatch, capsys, raised, status):
    """issue 22: under --debug an internal error was re-raised, and Python exits 1 for an
    uncaught exception, the status of a check that found differences."""
    import lasagne_params.cli as cli_module

    def broken(*args, **kwargs):
        raise raised
    monkeypatch.setattr(cli_module, "derive", broken)
    for argv in (["show", NOLEARN_JSON, "--debug"], ["show", NOLEARN_JSON]):
        assert cli_module.main(argv) == status
        err = capsys.readouterr().err
        assert ("Traceback" in err) == ("--debug" in argv)


BAD_SPECS = [
    # (file name, content, the one line expected on stderr after "lasagne-params: error: ")
    ("a.json", '{"layers": [["input", "InputLayer"]],\n "input_shape": [null, 4],}',
     "{path}: malformed JSON at line 2, column 27: Expecting property name enclosed in "
     "double quotes"),
    ("b.yaml", "layers:\n  - {name: a, kind: InputLayer\n  - x",
     # PyYAML's C parser (used when present) and its Python one word this differently
     "{path}: malformed YAML at line "),
    ("c.json", '{"layers": [{"name": "in", "kind": "InputLayer", "shape": [null, 4]}, '
               '{"name": "d", "kind": "DenseLayr", "num_units": 2}]}',
     "{path}: layer 'd': kind: no layer kind 'DenseLayr' is declared; did you mean "
     "DenseLayer?"),
    ("d.json", '{"layers": [["input", "InputLayer"], ["out", "DenseLayer"]], '
               '"out_num_units": 2}',
     "{path}: layer 'input' (InputLayer): input_shape: missing input shape: give "
     "input_shape"),
    ("e.json", '{"layers": [["input", "InputLayer"], ["out", "DenseLayer"]], '
               '"input_shape": [null, 4], "out_num_unit": 2}',
     "{path}: layer 'out' (DenseLayer): out_num_unit: unknown keyword; did you mean "
     "out_num_units?"),
    ("f.yaml", "layers:\n- {name: in, kind: InputLayer, shape: [null, 4]}\n"
               "- {name: d, kind: DenseLayer, num_units: 2, incoming: inn}\n",
     "{path}: layer 'd' (DenseLayer): incoming: no layer called 'inn'; did you mean in?"),
    ("g.json", '{"layers": [{"name": "in", "kind": "InputLayer", "shape": [null, 4]},'
               '{"name": "a", "kind": "DenseLayer", "num_units": 2, "incoming": "b"},'
               '{"name": "b", "kind": "DenseLayer", "num_units": 2, "incoming": "a"}]}',
     "{path}: layer 'b' (DenseLayer): incoming: layers form a cycle: a -> b -> a"),
    ("h.json", '{"layers": [{"name": "in", "kind": "InputLayer", "shape": [null, 4]},'
               '{"name": "d", "kind": "DenseLayer", "num_units": 2.5}]}',
     "{path}: layer 'd' (DenseLayer): num_units: expected a positive int, got 2.5"),
    ("i.yaml", "layers:\n- {name: in, kind: InputLayer, shape: [null, 1, 8, 8]}\n"
               "- {name: c, kind: Conv2DLayer, num_filters: 4, filter_size: -3}\n",
     "{path}: layer 'c' (Conv2DLayer): filter_size: expected a positive int or 2 of them, "
     "got -3"),
    ("j.json", '{"layers": [{"name": "in", "kind": "InputLayer", "shape": [null, 4]},'
               '{"name": "d", "kind": "DenseLayer", "num_units": 2, "nonlinearity": "relu"}]}',
     "{path}: layer 'd' (DenseLayer): nonlinearity: unknown nonlinearity 'relu'"),
    ("k.txt", "{}", "{path}: expected a spec file (.json, .yaml, .yml), "
                    "path/to/module.py or path/to/module.py:NAME"),
]


@pytest.mark.parametrize("name, text, message", BAD_SPECS,
                         ids=[b[0] for b in BAD_SPECS])
def test_bad_spec_is_one_line_exit_2(tmp_path, name, text, message):
    path = write(tmp_path, name, text)
    out = cli("show", path)
    assert out.returncode == 2, out.stdout
    assert out.stdout == ""
    assert len(out.stderr.splitlines()) == 1, out.stderr
    assert out.stderr.startswith("lasagne-params: error: " + message.replace("{path}", path)), \
        out.stderr


@pytest.mark.parametrize("target, message", [
    ("nowhere.py:f", "nowhere.py: no such file"),
    (NETS, NETS + ": defines no network when imported"),
    (NETS + ":missing", NETS + ": has no function or variable 'missing'"),
    (NETS + ":tinyy", NETS + ": has no function or variable 'tinyy'; did you mean tiny?"),
    (NETS + ":broken", NETS + ": broken() failed (line 16): RuntimeError: boom"),
    (NETS + ":not_a_network", NETS + ": not_a_network: not_a_network() returned int, "
                              "expected a Lasagne layer, a list, tuple or dict of layers, "
                              "or a NeuralNet"),
    (NETS + ":bad_keyword", NETS + ": layer 'out' (DenseLayer): out_num_unit: unknown keyword; "
                            "did you mean out_num_units?"),
    (os.path.join(DATA, "broken_module.py") + ":f", "broken_module.py: does not import "
                                                    "(line 2): ZeroDivisionError: division by "
                                                    "zero"),
])
def test_bad_module_is_one_line_exit_2(lasagne, target, message):
    out = cli("show", target)
    assert out.returncode == 2
    assert message in out.stderr
    assert "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("args, message", [
    (["show"], "give one network"),
    (["show", NOLEARN_JSON, "--zoo", "x"], "give one network"),
    (["show", NOLEARN_JSON, "--format", "html"], "invalid choice: 'html'"),
    (["show", NOLEARN_JSON, "--format", "json", "--explain"],
     "--explain: --explain goes with a text format"),
    (["snapshot", NOLEARN_JSON], "the following arguments are required: -o/--output"),
    (["check", NOLEARN_JSON, "--against", "nowhere.json"], "nowhere.json: no such file"),
    (["frobnicate"], "invalid choice: 'frobnicate'"),
])
def test_usage_errors_are_one_line_exit_2(args, message):
    out = cli(*args)
    assert out.returncode == 2
    assert message in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1, out.stderr


def test_bad_snapshot_file(tmp_path):
    snap = write(tmp_path, "s.json", json.dumps({
        "format": "lasagne-params snapshot", "version": 1, "total_params": 1,
        "trainable_params": 1, "layers": [{"name": "in", "kind": "InputLayer",
                                           "output_shape": [None, -4], "params": 0,
                                           "trainable_params": 0}]}))
    out = cli("check", NOLEARN_JSON, "--against", snap)
    assert out.returncode == 2
    assert out.stderr == ("lasagne-params: error: %s: layer 'in': output_shape: not a "
                          "lasagne-params snapshot: expected a list of ints and nulls\n" % snap)


def test_check_in_markdown_fences_the_comparison(lasagne):
    out = cli("show", LAYERS_YAML, "--check", "--format", "markdown")
    assert out.returncode == 0
    assert out.stdout.endswith("all 7 layers agree\n```\n")
    assert "**Total:** 832 + 9'248 + 205'056 + 2'570 = 217'706\n\n```\n  #  name" in out.stdout
