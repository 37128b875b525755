"""``show --columns/--costs`` and ``draw``, end to end through the installed console script.

The question's network with every cost column (cells computed by hand below),
its JSON costs section, batch size and floatX, pictures in each format of the
question's network, of a branching network and of a Lasagne module, and bad
input of each kind: one line, exit status 2.
"""
import json
import os
import re
import subprocess

import pytest

from helpers import (NETS, NOLEARN_JSON, QUESTION_COLUMNS, ROOT, SCRIPT, cli, png_size,
                     svg_texts_and_edges, write)

# The question's network, by hand: MACs = output elements x filter volume for a
# conv (32*24*24 * 5*5*1), inputs x units for a dense layer; receptive field
# size_in + (k-1)*jump_in; output bytes = elements * 4 (float32, batch 1).
HAND = [
    # name, MACs cell, output bytes, receptive field
    ("input", "0", "3.14 KB", "1"),                                     # 784*4 = 3,136
    ("conv2d1", "(32*24*24)*(5*5*1)  = 460,800", "73.73 KB", "1+(5-1)*1=5"),
    ("maxpool1", "0", "18.43 KB", "5+(2-1)*1=6, jump 2"),               # 4,608*4
    ("conv2d2", "(32*10*10)*(3*3*32) = 921,600", "12.80 KB", "6+(3-1)*2=10, jump 2"),
    ("maxpool2", "0", "3.20 KB", "10+(2-1)*2=12, jump 4"),              # 800*4
    ("dense", "(32*5*5)*256        = 204,800", "1.02 KB", "n/a"),
    ("output", "256*10              =   2,560", "40 B", "n/a"),
]
MACS = [0, 32 * 24 * 24 * 5 * 5 * 1, 0, 32 * 10 * 10 * 3 * 3 * 32, 0, 32 * 5 * 5 * 256, 256 * 10]
FIELDS = [1, 5, 6, 10, 12, None, None]
PARAMS_TOTAL = 832 + 9248 + 205056 + 2570


def rows_of(text):
    """The first table's data rows, keyed by layer name."""
    rows = {}
    for line in text.splitlines():
        match = re.match(r"\s*\d+  (\w+) ", line)
        if match:
            rows.setdefault(match.group(1), line)
    return rows


def test_show_the_question_with_all_columns():
    out = cli("show", NOLEARN_JSON, "--columns", "params,macs,memory,rf")
    assert out.returncode == 0, out.stderr
    rows = rows_of(out.stdout)
    assert list(rows) == [name for name, *_ in HAND]
    for name, macs, memory, field in HAND:
        assert macs in rows[name], (name, rows[name])
        assert re.search(r"  %s    %s$" % (re.escape(memory), re.escape(field)), rows[name]), \
            (name, rows[name])
    assert "(5*5*1+1)*32   =     832" in rows["conv2d1"]
    assert "\nTotal MACs:                                       1.59 M\n" in out.stdout
    assert sum(MACS) == (32 * 24 * 24 * 5 * 5 * 1 + 32 * 10 * 10 * 3 * 3 * 32
                         + 32 * 5 * 5 * 256 + 256 * 10)
    assert out.stdout == QUESTION_COLUMNS         # the library's table, printed as is


def test_costs_is_the_default_columns():
    out = cli("show", NOLEARN_JSON, "--costs")
    assert out.returncode == 0, out.stderr
    header = out.stdout.splitlines()[0].split()
    assert header == ["#", "name", "size", "parameters", "MACs", "output", "bytes",
                      "receptive", "field"]
    assert "(28-(5-1))=24 -> 32x24x24" in rows_of(out.stdout)["conv2d1"]


def test_batch_size_and_floatx_scale_the_bytes():
    out = cli("show", NOLEARN_JSON, "--columns", "memory", "--batch-size", "64",
              "--floatx", "float64")
    assert out.returncode == 0, out.stderr
    assert rows_of(out.stdout)["output"].endswith("  5.12 KB")           # 64*10*8 = 5,120
    lines = out.stdout.splitlines()
    assert "batch 64 x float64 (8 bytes per element); per-layer counts per example, " \
           "output bytes for the batch" in lines
    assert "Input size:                                       401.41 KB" in lines  # 64*784*8
    assert "Params size:                                      1.74 MB" in lines    # 217706*8
    assert "Total MACs:                                       101.74 M" in lines   # 64*1589760


@pytest.mark.parametrize("flags", [["--costs"], ["--columns", "rf"]])
def test_json_carries_the_costs_as_exact_ints(flags):
    out = cli("show", NOLEARN_JSON, "--format", "json", "--batch-size", "8",
              "--floatx", "float16", *flags)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["total_params"] == PARAMS_TOTAL
    costs = data["costs"]
    assert (costs["batch_size"], costs["floatx"], costs["bytes_per_element"]) == (8, "float16", 2)
    assert [layer["macs"] for layer in costs["layers"]] == MACS
    assert costs["layers"][3]["macs_formula"] == "(32*10*10)*(3*3*32)"
    assert [None if layer["receptive_field"] is None else layer["receptive_field"][0]["size"]
            for layer in costs["layers"]] == FIELDS
    assert costs["layers"][4]["receptive_field"][1] == {"size": 12, "jump": 4, "start": 0,
                                                        "formula": "10+(2-1)*2=12"}
    totals = costs["totals"]
    assert totals["total_macs"] == 8 * sum(MACS)
    assert totals["input_bytes"] == 8 * 784 * 2
    assert totals["param_bytes"] == PARAMS_TOTAL * 2


def test_json_without_costs_has_no_costs_section():
    data = json.loads(cli("show", NOLEARN_JSON, "--format", "json").stdout)
    assert "costs" not in data and data["total_params"] == PARAMS_TOTAL


def test_check_keeps_the_costs(lasagne):
    out = cli("show", NETS + ":question_neuralnet", "--check", "--format", "json", "--costs")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["ok"] is True
    assert [layer["macs"] for layer in data["derived"]["costs"]["layers"]] == MACS
    assert "costs" not in data["reported"]

    out = cli("show", NETS + ":question_neuralnet", "--check", "--columns", "macs,rf",
              "--explain")
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert text.index("Total MACs:") < text.index("Layer 0, input") < text.index(
        "all 7 layers agree")
    assert rows_of(text)["conv2d2"].endswith("(32*10*10)*(3*3*32) = 921,600    "
                                             "6+(3-1)*2=10, jump 2")


def test_draw_the_question_svg_png_pdf(dot, tmp_path):
    from lasagne_params import derive_costs, load_spec
    from lasagne_params.render.picture import layer_lines
    costs = derive_costs(load_spec(NOLEARN_JSON))
    svg = str(tmp_path / "question.svg")
    out = cli("draw", NOLEARN_JSON, "-o", svg, "--costs")
    assert (out.returncode, out.stderr) == (0, "")
    assert out.stdout == "wrote %s: 7 layers, 217'706 parameters\n" % svg
    texts, edges = svg_texts_and_edges(svg)               # parses as SVG XML
    for row, cost in zip(costs.report.layers, costs.layers):
        lines = layer_lines(row, cost)
        assert texts[texts.index(row.name):][:len(lines)] == lines
    assert "MACs (32*24*24)*(5*5*1) = 460'800" in texts and "RF 10+(2-1)*2=12, jump 4" in texts
    assert edges == [("L%d" % i, "L%d" % (i + 1)) for i in range(6)]
    assert (texts, edges) == svg_texts_and_edges(     # the README's picture is this command's
        os.path.join(ROOT, "docs", "question_net.svg"))

    plain = str(tmp_path / "plain.svg")
    assert cli("draw", NOLEARN_JSON, "-o", plain).returncode == 0
    texts, _ = svg_texts_and_edges(plain)
    assert "params (3*3*32+1)*32 = 9'248" in texts
    assert not any(t.startswith(("MACs", "RF")) for t in texts)   # costs only with --costs

    png = str(tmp_path / "question.png")
    assert cli("draw", NOLEARN_JSON, "-o", png).returncode == 0
    width, height = png_size(png)                          # checks the PNG signature
    assert 150 < width < height
    pdf = str(tmp_path / "question.pdf")
    assert cli("draw", NOLEARN_JSON, "-o", pdf).returncode == 0
    with open(pdf, "rb") as handle:
        assert handle.read(5) == b"%PDF-"


def test_draw_a_branching_spec(dot, tmp_path):
    spec = write(tmp_path, "fork.yaml", """\
layers:
  - {name: image, kind: InputLayer, shape: [null, 1, 28, 28]}
  - {name: conv, kind: Conv2DLayer, num_filters: 8, filter_size: 3}
  - {name: digit, kind: DenseLayer, num_units: 10, incoming: conv}
  - {name: parity, kind: DenseLayer, num_units: 2, incoming: conv}
  - {name: both, kind: DenseLayer, num_units: 4, incoming: [digit]}
""")
    svg = str(tmp_path / "fork.svg")
    out = cli("draw", spec, "-o", svg, "--costs")
    assert out.returncode == 0, out.stderr
    texts, edges = svg_texts_and_edges(svg)
    ids = dict(zip(["L%d" % i for i in range(5)], ["image", "conv", "digit", "parity", "both"]))
    assert sorted((ids[a], ids[b]) for a, b in edges) == [
        ("conv", "digit"), ("conv", "parity"), ("digit", "both"), ("image", "conv")]
    assert "MACs (8*26*26)*10 = 54'080" in texts                    # 5,408 inputs x 10 units
    assert "MACs (8*26*26)*2 = 10'816" in texts
    assert "MACs 10*4 = 40" in texts


def test_draw_a_lasagne_module(dot, lasagne, tmp_path):
    svg = str(tmp_path / "net.svg")
    out = cli("draw", NETS + ":question_neuralnet", "-o", svg, "--costs")
    assert out.returncode == 0, out.stderr
    texts, edges = svg_texts_and_edges(svg)
    assert "MACs (32*10*10)*(3*3*32) = 921'600" in texts and len(edges) == 6


def test_zoo_networks_show_costs_and_draw(dot, tmp_path, capsys):
    """Every network of the zoo, in process (the zoo's networks are LayerSpecs)."""
    zoo = pytest.importorskip("lasagne_params.zoo")
    from lasagne_params.cli import main
    from lasagne_params.targets import _zoo_entries
    for name in sorted(_zoo_entries(zoo)):
        assert main(["show", "--zoo", name, "--columns", "params,macs,memory,rf"]) == 0, name
        assert "Estimated Total Size:" in capsys.readouterr().out
        svg = tmp_path / (name + ".svg")
        assert main(["draw", "--zoo", name, "-o", str(svg), "--costs"]) == 0, name
        capsys.readouterr()
        texts, edges = svg_texts_and_edges(svg)
        assert texts.count("RF n/a") >= 1 and len(edges) >= 1, name


def test_zoo_vgg16_macs():
    pytest.importorskip("lasagne_params.zoo")
    out = cli("show", "--zoo", "vgg16", "--format", "json", "--costs")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["total_params"] == 138357544
    assert data["costs"]["totals"]["total_macs"] == 15470264320    # "about 15.5 G"


def one_line_exit_2(out):
    assert out.returncode == 2, out.stdout + out.stderr
    assert out.stdout == ""
    assert len(out.stderr.splitlines()) == 1, out.stderr
    assert "Traceback" not in out.stderr
    return out.stderr


VALID = "shape, params, macs, ops, memory, param_memory, rf"


@pytest.mark.parametrize("args, message", [
    (["--columns", "params,mac"], "lasagne-params show: error: argument --columns: unknown "
     "column 'mac'; did you mean macs? (the columns are %s) (see --help)" % VALID),
    (["--columns", "volume"], "argument --columns: unknown column 'volume' (the columns "
     "are " + VALID + ")"),
    (["--columns", ""], "argument --columns: expected one or more of " + VALID),
    (["--batch-size", "4"], "lasagne-params: error: --batch-size: goes with --columns or "
     "--costs"),
    (["--floatx", "float64", "--format", "json"], "--floatx: goes with --columns or --costs"),
    (["--costs", "--batch-size", "0"], "argument --batch-size: expected a positive int, "
     "got '0'"),
    (["--costs", "--batch-size", "many"], "expected a positive int, got 'many'"),
    (["--costs", "--floatx", "float8"], "argument --floatx: invalid choice: 'float8'"),
    (["--columns", "rf", "--format", "csv"], "lasagne-params: error: --columns: goes with "
     "the default table or --format answer or --format json, not csv"),
    (["--costs", "--format", "markdown"], "--costs: goes with the default table or "
     "--format answer or --format json, not markdown"),
])
def test_bad_cost_options_are_one_line_exit_2(args, message):
    assert message in one_line_exit_2(cli("show", NOLEARN_JSON, *args))


def test_bad_draw_input_is_one_line_exit_2(tmp_path):
    gif = str(tmp_path / "net.gif")
    err = one_line_exit_2(cli("draw", NOLEARN_JSON, "-o", gif))
    assert err == ("lasagne-params: error: path: cannot draw to %r: expected a file ending "
                   "in .svg, .png, .pdf\n" % gif)
    err = one_line_exit_2(cli("draw", "missing.json", "-o", gif))   # the extension first
    assert "cannot draw to" in err
    err = one_line_exit_2(cli("draw", "missing.json", "-o", str(tmp_path / "x.svg")))
    assert err == "lasagne-params: error: missing.json: no such file\n"
    assert "required: -o/--output" in one_line_exit_2(cli("draw", NOLEARN_JSON))
    assert "give one network" in one_line_exit_2(cli("draw", "-o", str(tmp_path / "x.svg")))
    bad = write(tmp_path, "bad.json", '{"layers": [{"name": "in", "kind": "InputLayer", '
                                      '"shape": [null, 4]}, {"name": "d", "kind": '
                                      '"DenseLayr", "num_units": 2}]}')
    err = one_line_exit_2(cli("draw", bad, "-o", str(tmp_path / "bad.svg")))
    assert "layer 'd': kind: no layer kind 'DenseLayr' is declared" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.json"]


def test_draw_to_a_missing_folder(dot, tmp_path):
    path = str(tmp_path / "no-such-folder" / "net.svg")
    err = one_line_exit_2(cli("draw", NOLEARN_JSON, "-o", path))
    assert err == ("lasagne-params: error: %s: cannot write: No such file or "
                   "directory; nothing written\n" % path)


def test_draw_with_graphviz_without_dot(tmp_path):
    """The console script's shebang names its python, so an empty PATH hides only dot
    (without --layout graphviz the built-in layout draws: tests/test_layout.py)."""
    pytest.importorskip("graphviz")
    out = subprocess.run([SCRIPT, "draw", NOLEARN_JSON, "-o", str(tmp_path / "net.svg"),
                          "--layout", "graphviz"],
                         env=dict(os.environ, PATH=str(tmp_path)), capture_output=True,
                         text=True, timeout=120)
    err = one_line_exit_2(out)
    assert err == ("lasagne-params: error: draw: Graphviz's dot program is not installed "
                   "(Debian/Ubuntu: apt-get install graphviz)\n")
    assert not (tmp_path / "net.svg").exists()


def test_a_reader_that_stops_after_a_short_output_leaves_status_0():
    """``show SPEC | head -1``: the table was in the pipe before the reader left (one write,
    under the 64 KiB a pipe holds), so nothing failed and the status is 0, quietly."""
    proc = subprocess.Popen([SCRIPT, "show", NOLEARN_JSON], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    assert proc.stdout.readline().split()[:3] == [b"#", b"name", b"kind"]
    proc.stdout.close()
    assert proc.wait(timeout=120) == 0 and proc.stderr.read() == b""


def test_a_reader_that_stops_early_is_no_traceback(tmp_path):
    """``show ... | head -1`` on output larger than a pipe holds: SIGPIPE's status, no traceback."""
    layers = [{"name": "in", "kind": "InputLayer", "shape": [None, 4]}] + [
        {"name": "d%d" % i, "kind": "DenseLayer", "num_units": 4} for i in range(1500)]
    spec = write(tmp_path, "long.json", json.dumps({"layers": layers}))
    proc = subprocess.Popen([SCRIPT, "show", spec, "--costs", "--explain"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout.readline().split() == [b"#", b"name", b"size", b"parameters", b"MACs",
                                              b"output", b"bytes", b"receptive", b"field"]
    proc.stdout.close()
    err = proc.stderr.read()
    assert proc.wait(timeout=120) == 141 and err == b""
