"""The markdown, csv and explain renderers on hand-checked networks."""
import csv
import io

from helpers import chain
from lasagne_params import LayerSpec, derive, render


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
