"""The markdown, csv and explain renderers on hand-checked networks."""
import csv
import io

from conftest import chain
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
        "Layer 0, in (InputLayer), reads the input: 3x12x10 per example (the batch size, "
        "None, is left open). All it does is read the data, so there is nothing to learn: "
        "0 parameters.")
    assert ("With untied biases, one per output map and position (640 more), that makes "
            "3*3*3*8 + 8*10*8 = 856 parameters.") in paragraphs[1]
    assert "3*3*3*8 = 216 weights" in paragraphs[1]
    assert ("It has no biases (b=None), so that is all: 3*1*8*4 = 96 parameters."
            in paragraphs[2])
    assert ("gives ((10+2*0-3)//2)+1=4, ((8+2*0-1)//2)+1=4 positions along the axes, so the "
            "output is 4x4x4.") in paragraphs[2]
    assert paragraphs[3] == ("Layer 3, drop (DropoutLayer), passes the 4x4x4 output of "
                             "nobias on in the same shape; it changes values, not sizes, "
                             "and learns nothing: 0 parameters.")
    assert paragraphs[4] == ("Layer 4, flat (FlattenLayer), turns the 4x4x4 output of drop "
                             "into 64 (4*4*4=64). It has no weights or biases: 0 parameters.")
    assert "n = 64 inputs" in paragraphs[5] and "(64+1)*5 = 325 parameters" in paragraphs[5]
    assert "is the output layer" in paragraphs[6]
    assert paragraphs[6].endswith("Its W is the same array as d1.W, so the network counts "
                                  "it once.")
    assert paragraphs[7] == ("So in this network you have a total of 856 + 96 + 325 + 320 = "
                             "1'597, counting each shared array once: 1'277 learnable "
                             "parameters.")
