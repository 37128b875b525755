"""The markdown, csv and explain renderers on hand-checked networks; the formats' records."""
import csv
import io
import os

import pytest

from helpers import LEGACY, NOLEARN_JSON, chain
from lasagne_params import ArgumentError, LayerSpec, Report, derive, derive_costs, render
from lasagne_params.cli import _parser, main
from lasagne_params.core.compare import compare_reports
from lasagne_params.render import FORMATS, REPORT_FORMATS, Format


def test_markdown_escapes_pipes_and_keeps_formulas_in_code(question_specs):
    specs = chain(("in|put", "InputLayer", {"shape": (None, 3)}),
                  ("out", "DenseLayer", {"num_units": 2}))
    lines = render(derive(specs), "markdown").splitlines()
    assert lines[2] == "| 0 | in\\|put | InputLayer | `3` | 0 |  |"
    assert lines[3] == "| 1 | out | DenseLayer | `2` | 8 | `(3+1)*2` |"
    assert lines[5] == "**Total:** 8 = 8"


def test_csv_unknown_dimensions_and_incoming():
    specs = chain(("in", "InputLayer", {"shape": (None, 3, None, 12)}),
                  ("conv", "Conv2DLayer", {"num_filters": 2, "filter_size": 3}))
    rows = list(csv.reader(io.StringIO(render(derive(specs), "csv"))))
    assert rows[2] == ["1", "conv", "Conv2DLayer", "in", "2xNonex10",
                       "[null, 2, null, 10]", "56", "56", "(12-(3-1))=10 -> 2xNonex10",
                       "(3*3*3+1)*2"]


def test_explain_covers_biases_sharing_and_other_kinds():
    specs = chain(("in", "InputLayer", {"shape": (None, 3, 12, 10)}),
                  ("untied", "Conv2DLayer", {"num_filters": 8, "filter_size": 3,
                                             "untie_biases": True}),
                  ("nobias", "Conv2DLayer", {"num_filters": 4, "filter_size": (3, 1),
                                             "stride": 2, "b": None}),
                  ("drop", "DropoutLayer", {"p": 0.5}),
                  ("flat", "FlattenLayer", {}),
                  ("d1", "DenseLayer", {"num_units": 5}))
    specs.append(LayerSpec("d2", "DenseLayer", ("flat",),
                           {"num_units": 5, "W": {"shared": "d1.W"}, "b": None}))
    paragraphs = render(derive(specs), "explain").rstrip("\n").split("\n\n")
    assert paragraphs[0] == (
        "Layer 0, in (InputLayer), declares the data the network receives: 3x12x10 per "
        "example, batch size left open. It holds no weights: 0 parameters.")
    assert ("so each holds 3*3*3 = 27 weights, 3*3*3*8 = 216 for the layer. Its biases are "
            "untied, one for every filter at every output position (640 of them): "
            "3*3*3*8 + 8*10*8 = 856 parameters.") in paragraphs[1]
    assert ("Without biases (b=None) that is the whole count: 3*1*8*4 = 96 parameters."
            in paragraphs[2])
    assert ("A 3x1 window fits ((10+2*0-3)//2)+1=4, ((8+2*0-1)//2)+1=4 times along the "
            "axes, so the output is 4x4x4.") in paragraphs[2]
    assert paragraphs[3] == ("Layer 3, drop (DropoutLayer), hands the 4x4x4 output of "
                             "nobias on unchanged in shape; it alters values only and holds "
                             "no weights: 0 parameters.")
    assert paragraphs[4] == ("Layer 4, flat (FlattenLayer), turns the 4x4x4 output of drop "
                             "into 64 (4*4*4=64). It holds no weights: 0 parameters.")
    assert "each of the n = 64 values" in paragraphs[5]
    assert "(64+1)*5 = 325 parameters" in paragraphs[5]
    assert "It is the network's output layer." in paragraphs[6]
    assert paragraphs[6].endswith("Its W is the same array as d1.W, so the network counts "
                                  "it once.")
    assert paragraphs[7] == ("Altogether the network learns 856 + 96 + 325 + 320 = 1'597, "
                             "counting each shared array once: 1'277 parameters.")


# The formats' declarations: render() and the command line ask the records.

def _pairs(report):
    """A tiny format of the tests' own: one ``name<space>params`` line per layer."""
    return "".join("%s %d\n" % (row.name, row.params) for row in report.layers)


def test_the_records_say_what_each_format_renders(question_specs):
    assert all(declared.name == name for name, declared in FORMATS.items())
    assert REPORT_FORMATS == ("summary", "answer", "nolearn", "markdown", "json", "csv",
                              "explain")
    costs = derive_costs(question_specs)
    assert render(costs, "nolearn") == render(costs.report, "nolearn")     # its Report
    assert render(costs, "json").count('"total_macs"') == 1                  # its costs too
    comparison = compare_reports(costs.report, costs.report)
    assert render(comparison).endswith("all 7 layers agree\n")                  # its table
    with pytest.raises(ArgumentError, match="a Comparison renders as its table or as json, "
                                            "not 'csv'"):
        render(comparison, "csv")
    show = _parser()._subparsers._group_actions[0].choices["show"]
    offered = next(a for a in show._actions if a.dest == "format").choices
    assert offered == ["summary", "answer", "nolearn", "markdown", "json", "csv"]


def test_a_new_format_is_one_declaration_for_one_run(capsys):
    """A format declared here and given to one run of the command line: ``--format``
    offers it, and the checks follow its fields, never its name."""
    pairs = Format("pairs", (Report,), _pairs, offered=True)
    formats = dict(FORMATS, pairs=pairs)
    assert main(["show", NOLEARN_JSON, "--format", "pairs"], formats=formats) == 0
    assert capsys.readouterr().out.splitlines() == [
        "input 0", "conv2d1 %d" % ((5 * 5 * 1 + 1) * 32), "maxpool1 0",
        "conv2d2 %d" % ((3 * 3 * 32 + 1) * 32), "maxpool2 0",
        "dense %d" % ((32 * 5 * 5 + 1) * 256), "output %d" % ((256 + 1) * 10)]
    assert main(["show", NOLEARN_JSON, "--format", "pairs", "--explain"], formats=formats) == 2
    assert capsys.readouterr().err == ("lasagne-params: error: --explain: --explain goes with "
                                       "a text format (summary, answer, nolearn, markdown)\n")
    assert main(["show", NOLEARN_JSON, "--format", "pairs", "--costs"], formats=formats) == 2
    assert capsys.readouterr().err == ("lasagne-params: error: --costs: goes with the default "
                                       "table or --format answer or --format json, not "
                                       "pairs\n")
    # A text format with costs shown as the columns table: --explain and --costs now fit.
    texty = dict(FORMATS, pairs=Format("pairs", (Report,), _pairs, offered=True, text=True,
                                       costs="columns"))
    assert main(["show", NOLEARN_JSON, "--format", "pairs", "--explain"], formats=texty) == 0
    out = capsys.readouterr().out
    assert out.startswith("input 0\n") and "Altogether the network learns" in out
    assert main(["show", NOLEARN_JSON, "--format", "pairs", "--columns", "params,macs"],
                formats=texty) == 0
    assert "(32*24*24)*(5*5*1)  = 460,800" in capsys.readouterr().out
    # Nothing changed beyond that run.
    assert "pairs" not in FORMATS
    with pytest.raises(SystemExit):
        main(["show", NOLEARN_JSON, "--format", "pairs"])
    assert "invalid choice: 'pairs'" in capsys.readouterr().err


def test_several_networks_and_the_check_follow_the_declaration(lasagne, capsys):
    """Two networks (a dict with two outputs): streamed under the format's heading, or
    refused when it holds one; --check's table on the stream it names."""
    target = os.path.join(LEGACY, "recipes_style.py") + ":build_two_heads"
    one = dict(FORMATS, pairs=Format("pairs", (Report,), _pairs, offered=True))
    assert main(["show", target, "--format", "pairs"], formats=one) == 2
    assert "gives 2 networks and --format pairs holds one; choose one with --output-layer" \
        in capsys.readouterr().err
    headed = dict(FORMATS, pairs=Format("pairs", (Report,), _pairs, offered=True,
                                        heading="# %s\n", comparison_stream="stderr"))
    assert main(["show", target, "--format", "pairs", "--check"], formats=headed) == 0
    out, err = capsys.readouterr()
    blocks = out.split("# ")[1:]
    assert [b.splitlines()[0].rsplit("[", 1)[1] for b in blocks] == ["left]", "right]"]
    assert [b.split("\n", 1)[1] for b in blocks] == [
        "input 0\nshared %d\nleft %d\n\n" % ((8 + 1) * 6, (6 + 1) * 2),
        "input 0\nshared %d\nconcat_2 0\nright %d\n" % ((8 + 1) * 6, (6 + 8 + 1) * 3)]
    assert err.count("all 3 layers agree") == 1 and err.count("all 4 layers agree") == 1
