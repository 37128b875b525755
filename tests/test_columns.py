"""The chosen-columns table, its totals in human units, and the costs section of the JSON."""
import json
import textwrap

import pytest

from helpers import QUESTION_COLUMNS, chain
from lasagne_params import ArgumentError, derive, derive_costs, render
from lasagne_params.render.columns import Column, receptive_field_text, human, parse_columns
from lasagne_params.core.receptive import AxisReceptiveField

# Every number below is checked by hand in tests/test_costs.py; bytes are float32.


def test_question_network_with_all_columns(question_specs):
    text = render(derive_costs(question_specs), "columns", columns="params,macs,memory,rf")
    assert text == QUESTION_COLUMNS


def test_other_columns(question_specs):
    text = render(derive_costs(question_specs, batch_size=2, floatx="float64"), "columns",
                  columns=["shape", "ops", "param_memory"], totals=False)
    assert text == textwrap.dedent("""\
          #  name                           size    other ops                     param bytes
        ---  --------  -------------------------    ------------------------    -------------
          0  input                       1x28x28    0                                     0 B
          1  conv2d1   (28-(5-1))=24 -> 32x24x24    bias 18,432, elem 18,432          6.66 KB
          2  maxpool1       24//2=12 -> 32x12x12    pool 18,432                           0 B
          3  conv2d2   (12-(3-1))=10 -> 32x10x10    bias 3,200, elem 3,200           73.98 KB
          4  maxpool2          10//2=5 -> 32x5x5    pool 3,200                            0 B
          5  dense                           256    bias 256, elem 256                1.64 MB
          6  output                           10    bias 10, elem 10                 20.56 KB
        """)


def test_totals_follow_batch_and_floatx(question_specs):
    text = render(derive_costs(question_specs, batch_size=16, floatx="float64"), "columns",
                  columns="macs")
    assert "batch 16 x float64 (8 bytes per element)" in text
    assert "Total MACs:                                       25.44 M\n" in text  # 16*1,589,760
    assert "Params size:                                      1.74 MB\n" in text  # 217,706*8
    assert "Input size:                                       100.35 KB\n" in text  # 16*784*8


def test_default_columns(question_specs):
    text = render(derive_costs(question_specs), "columns")
    assert text.splitlines()[0].split() == ["#", "name", "size", "parameters", "MACs",
                                            "output", "bytes", "receptive", "field"]


@pytest.mark.parametrize("columns, message", [
    ("params,mac", "columns: unknown column 'mac'; did you mean macs? (the columns are "
                   "shape, params, macs, ops, memory, param_memory, rf)"),
    ("volume", "columns: unknown column 'volume' (the columns are "
               "shape, params, macs, ops, memory, param_memory, rf)"),
    ("", "columns: expected one or more of shape, params, macs, ops, memory, param_memory, rf"),
])
def test_unknown_columns_are_one_line_errors(question_specs, columns, message):
    with pytest.raises(ArgumentError) as info:
        render(derive_costs(question_specs), "columns", columns=columns)
    assert str(info.value) == message


def test_columns_need_a_cost_report(question_specs):
    with pytest.raises(TypeError, match="needs a CostReport .lasagne_params.derive_costs., "
                                        "got Report"):
        render(derive(question_specs), "columns")


def test_parse_columns_accepts_names_and_members():
    assert parse_columns([" rf", Column.MACS]) == (Column.RF, Column.MACS)
    assert parse_columns("shape, memory") == (Column.SHAPE, Column.MEMORY)


@pytest.mark.parametrize("n, unit, text", [
    (0, "B", "0 B"), (999, "", "999"), (1000, "", "1.00 K"), (1589760, "", "1.59 M"),
    (15470264320, "", "15.47 G"), (553430176, "B", "553.43 MB"), (2 * 10 ** 12, "B", "2.00 TB"),
    (None, "B", "?"),
])
def test_human_units_are_decimal(n, unit, text):
    assert human(n, unit) == text


def test_receptive_field_text():
    assert receptive_field_text(None) == "n/a"
    square = (AxisReceptiveField(9, 2, -4, "5+(3-1)*2=9"),) * 2
    assert receptive_field_text(square) == "5+(3-1)*2=9, jump 2, start -4"
    assert receptive_field_text((AxisReceptiveField(5, 1, 0, "1+(5-1)*1=5"), AxisReceptiveField(3, 1, 0, "1+(3-1)*1=3"))) \
        == "1+(5-1)*1=5 | 1+(3-1)*1=3"


def test_unknown_sizes_render_as_question_marks():
    specs = chain(("in", "InputLayer", {"shape": (None, 3, None, 8)}),
                  ("conv", "Conv2DLayer", {"num_filters": 8, "filter_size": 3}))
    text = render(derive_costs(specs), "columns", columns="macs,memory")
    assert text.splitlines()[3].split() == ["1", "conv", "?", "?"]
    assert "Total MACs:" in text and "Estimated Total Size:                             ?" in text


def test_plain_report_json_has_no_costs(question_specs):
    data = json.loads(render(derive(question_specs), "json"))
    assert "costs" not in data


def test_cost_report_json(question_specs):
    costs = derive_costs(question_specs, batch_size=16)
    data = json.loads(render(costs, "json"))
    plain = json.loads(render(derive(question_specs), "json"))
    assert {k: v for k, v in data.items() if k != "costs"} == plain
    section = data["costs"]
    assert (section["batch_size"], section["floatx"], section["bytes_per_element"]) == (
        16, "float32", 4)
    conv = section["layers"][1]
    assert (conv["name"], conv["macs"], conv["macs_formula"]) == (
        "conv2d1", 460800, "(32*24*24)*(5*5*1)")
    assert (conv["bias_adds"], conv["elementwise_ops"], conv["pool_ops"]) == (
        32 * 24 * 24, 32 * 24 * 24, 0)
    assert conv["output_bytes"] == 32 * 24 * 24 * 4 and conv["param_bytes"] == 832 * 4
    assert conv["receptive_field"][0] == {"size": 5, "jump": 1, "start": 0,
                                          "formula": "1+(5-1)*1=5"}
    assert section["layers"][5]["receptive_field"] is None
    assert section["totals"] == {
        "total_macs": 16 * 1589760, "total_bias_adds": 16 * 21898,
        "total_pool_ops": 16 * 21632, "total_elementwise_ops": 16 * 21898,
        "total_mult_adds": 16 * (1589760 + 21898), "input_bytes": 16 * 3136,
        "forward_backward_bytes": 16 * 175184, "activation_bytes": 16 * 109224,
        "param_bytes": 870824, "total_bytes": 16 * 3136 + 16 * 175184 + 870824}

