"""Never a silently wrong count: values Lasagne refuses are refused, names cannot forge output.

A parameter array's value is checked as Lasagne's ``create_param`` takes
it (Lasagne 0.1 and master refuse ``None`` where the layer does not test for
it, booleans, lists and unknown initializers); a share must name an array
that exists; every entry point refuses what is not a network.
"""
import sys

import pytest

import lasagne_params as lp
from lasagne_params import (ArgumentError, LasagneParamsError, LayerRuleError, LayerSpec,
                            SpecError, derive, derive_costs, render)
from lasagne_params.describe.spec import parse_spec
from lasagne_params.render import REPORT_FORMATS

from helpers import chain, dense_layer, input_layer, layer_list

pytest.importorskip("yaml")


def derive_data(data):
    return derive(parse_spec(data))


REFUSED = [
    # (layers after an InputLayer of shape (None, 5, 3), field, what the message says)
    ([dense_layer(2, b=False)], "b", "or null where Lasagne allows no array; got False"),
    ([dense_layer(2, b=True)], "b", "got True"),
    ([dense_layer(2, W=None)], "W", "is None, but Lasagne needs an array here"),
    ([dense_layer(2, W=[[1.0, 2.0]])], "W", "a list of values is not an array"),
    ([dense_layer(2, W="Banana")], "W", "unknown initializer 'Banana'"),
    ([dense_layer(2, W="Glorot")], "W", "unknown initializer 'Glorot'"),
    ([dense_layer(2, b="Orthogonal")], "b", "Orthogonal cannot initialize a 1D array"),
    ([dense_layer(2, b="GlorotUniform")], "b", "GlorotUniform cannot initialize a 1D array"),
    ([{"name": "c", "kind": "Conv1DLayer", "num_filters": 2, "filter_size": 2, "W": None}],
     "W", "is None"),
    ([{"name": "c", "kind": "Conv1DLayer", "num_filters": 2, "filter_size": 2,
       "b": "Sparse"}], "b", "Sparse cannot initialize a 1D array"),
    ([{"name": "l", "kind": "LSTMLayer", "num_units": 2, "ingate": {"W_in": False}}],
     "W_in_to_ingate", "got False"),
    ([{"name": "l", "kind": "LSTMLayer", "num_units": 2, "cell": {"W_hid": "Nope"}}],
     "W_hid_to_cell", "unknown initializer"),
    ([{"name": "l", "kind": "GRULayer", "num_units": 2, "hid_init": False}], "hid_init",
     "got False"),
    ([{"name": "r", "kind": "RecurrentLayer", "num_units": 2, "W_in_to_hid": None}],
     "W_in_to_hid", "is None"),
    ([{"name": "r", "kind": "RecurrentLayer", "num_units": 2, "b": False}], "b", "got False"),
    ([dense_layer(2, "a"), dense_layer(2, W={"shared": "in.W"})], "W",
     "shares 'in.W', but no earlier layer holds such an array (layer 'in' has no parameter 'W')"),
    ([dense_layer(2, "a"), dense_layer(2, b={"shared": "a.c"})], "b",
     "shares 'a.c', but no earlier layer holds such an array"),
]


@pytest.mark.parametrize("layers, field, message", REFUSED,
                         ids=["%s-%s" % (r[0][-1]["kind"], r[1]) for r in REFUSED])
def test_values_lasagne_refuses_are_refused_naming_the_field(layers, field, message):
    with pytest.raises(LasagneParamsError) as info:
        derive_data(layer_list(input_layer((None, 5, 3)), *layers))
    assert info.value.field == field, str(info.value)
    assert message in str(info.value)


def test_yaml_no_for_a_bias_is_refused():
    yaml = pytest.importorskip("yaml")
    data = yaml.safe_load("layers:\n- {name: in, kind: InputLayer, shape: [null, 4]}\n"
                          "- {name: d, kind: DenseLayer, num_units: 2, b: no}\n")
    with pytest.raises(LayerRuleError, match="b: expected .* got False"):
        derive_data(data)


def test_api_values_lasagne_refuses(question_specs):
    specs = list(question_specs)
    for args, message in (({"W": None}, "is None"), ({"b": {"trainable": "no"}},
                                                     "trainable: expected true or false"),
                          ({"W": {"shared": 5}}, "shared: expected a name"),
                          ({"W": {"colour": "red"}}, "expected {\"shared\"")):
        specs[-1] = LayerSpec("output", "DenseLayer", ("dense",), dict({"num_units": 10}, **args))
        with pytest.raises(LayerRuleError, match=message):
            derive(specs)


class FakeArray:
    """What numpy gives: an object with a shape tuple."""

    def __init__(self, *shape):
        self.shape = shape


def test_an_array_of_the_wrong_shape_is_refused():
    specs = chain(("in", "InputLayer", {"shape": (None, 4)}),
                  ("d", "DenseLayer", {"num_units": 3, "W": FakeArray(3, 4)}))
    with pytest.raises(LayerRuleError, match=r"W: has shape \(3, 4\), but Lasagne needs "
                                             r"\(4, 3\)"):
        derive(specs)
    specs[1] = LayerSpec("d", "DenseLayer", ("in",), {"num_units": 3, "W": FakeArray(4, 3)})
    assert derive(specs).total_params == (4 + 1) * 3


ACCEPTED = [
    ({"b": None}, 4 * 3),
    ({"W": "GlorotUniform", "b": "Constant"}, (4 + 1) * 3),
    ({"W": "lasagne.init.Orthogonal"}, (4 + 1) * 3),
    ({"W": 0.5, "b": 0}, (4 + 1) * 3),
    ({"W": "Normal", "b": "Uniform"}, (4 + 1) * 3),
]


@pytest.mark.parametrize("args, params", ACCEPTED)
def test_values_lasagne_accepts_count_as_lasagne_counts(lasagne, args, params):
    specs = chain(("in", "InputLayer", {"shape": (None, 4)}),
                  ("d", "DenseLayer", dict({"num_units": 3}, **args)))
    comparison = lp.compare(specs)
    assert comparison.ok, render(comparison)
    assert comparison.derived.total_params == params
    assert lasagne.layers.count_params(lp.build(specs)) == params


def test_a_number_builds_a_constant_array(lasagne):
    specs = chain(("in", "InputLayer", {"shape": (None, 2)}),
                  ("d", "DenseLayer", {"num_units": 3, "b": 0.25}))
    assert list(lp.build(specs).b.get_value()) == [0.25, 0.25, 0.25]


def test_gate_options_in_a_spec_file(lasagne):
    data = layer_list(input_layer((None, 5, 3)),
                      {"name": "l", "kind": "LSTMLayer", "num_units": 2,
                       "ingate": {"W_in": "Normal", "b": 0.5}, "peepholes": False})
    comparison = lp.compare(parse_spec(data))
    assert comparison.ok and comparison.derived.total_params == 4 * (3 + 2 + 1) * 2 + 2 * 2


def test_a_single_input_layer_takes_one_incoming():
    with pytest.raises(SpecError, match="a DenseLayer takes one incoming layer, got 2: in, in2"):
        parse_spec(layer_list(input_layer(), input_layer(name="in2"),
                              dense_layer(2, incoming=["in", "in2"])))
    specs = parse_spec(layer_list(input_layer((None, 5, 3)), input_layer((None, 5), "m"),
                                  {"name": "l", "kind": "GRULayer", "num_units": 2,
                                   "incoming": ["in", "m"]}))
    assert specs[-1].incoming == ("in", "m")                  # an input and its mask


def test_nolearn_share_of_a_missing_array_is_refused():
    data = {"layers": [["in", "InputLayer"], ["b", "DenseLayer"]], "in_shape": [None, 4],
            "b_num_units": 4, "b_W": "in"}
    with pytest.raises(LayerRuleError, match=r"W: shares 'in\.W', but no earlier layer"):
        derive_data(data)


# ---------------------------------------------------------------- names

HOSTILE_NAMES = ["in\nput: forged line", "\x1b[31mred\x1b[0m", "carriage\rreturn",
                 "right\u202eto left", "lone\ud800surrogate", "tab\tand\x00nul", "bell\x07"]


def hostile_report():
    specs = [LayerSpec(HOSTILE_NAMES[0], "InputLayer", (), {"shape": (None, 6)})]
    for name in HOSTILE_NAMES[1:]:
        specs.append(LayerSpec(name, "DenseLayer", (specs[-1].name,), {"num_units": 6}))
    specs.append(LayerSpec("tied\x1b", "DenseLayer", (specs[-1].name,),
                           {"num_units": 6, "W": {"shared": "%s.W" % HOSTILE_NAMES[1]}}))
    return specs


def plain_report():
    specs = hostile_report()
    names = {s.name: "layer%d" % i for i, s in enumerate(specs)}
    return [LayerSpec(names[s.name], s.kind, tuple(names[n] for n in s.incoming),
                      {k: ({"shared": "layer1.W"} if isinstance(v, dict) else v)
                       for k, v in s.args.items()}) for s in specs]


def unprintable(text):
    return [c for c in text if not c.isprintable() and c != "\n"]


@pytest.mark.parametrize("fmt", [f for f in REPORT_FORMATS if f != "json"] + ["columns"])
def test_names_cannot_forge_lines_or_drive_the_terminal(fmt):
    def text(specs):
        return render(derive_costs(specs), fmt) if fmt == "columns" else \
            render(derive(specs), fmt)
    hostile, plain = text(hostile_report()), text(plain_report())
    assert unprintable(hostile) == []
    assert hostile.count("\n") == plain.count("\n")
    assert "\\x1b[31mred\\x1b[0m" in hostile and "\\u202e" in hostile
    hostile.encode("utf-8")                                    # no lone surrogate left


def test_json_keeps_names_exact():
    import json
    data = json.loads(render(derive(hostile_report()), "json"))
    assert [layer["name"] for layer in data["layers"]][:len(HOSTILE_NAMES)] == HOSTILE_NAMES


def test_one_huge_name_does_not_widen_every_row():
    specs = [LayerSpec("n" * 1000000, "InputLayer", (), {"shape": (None, 3)})]
    for i in range(2000):
        specs.append(LayerSpec("d%d" % i, "DenseLayer", (specs[-1].name,), {"num_units": 3}))
    report = derive(specs)
    for fmt in ("answer", "nolearn"):
        text = render(report, fmt)
        first = next(line for line in text.splitlines() if line.lstrip().startswith("0 "))
        assert len(text) < 2000 * 300 and "characters]..." in first
    assert len(render(report, "json")) > 1000000                     # JSON keeps it whole


def test_errors_escape_what_they_quote():
    with pytest.raises(SpecError) as info:
        parse_spec(layer_list(input_layer(), dense_layer(2, incoming="\x1b[2J\nnope")))
    line = str(info.value)
    assert "\n" not in line and "\x1b" not in line and "\\x1b[2J" in line
    with pytest.raises(SpecError) as info:
        parse_spec(layer_list(input_layer(name="x" * 100000),
                              dense_layer(2, incoming="y" * 100000)))
    assert len(str(info.value)) < 2100                           # one line of a readable size


# ---------------------------------------------------------------- not a network

NOT_NETWORKS = [None, 5, 2.5, True, "", [], (), {}, [None], object(), b"layers"]


# ids the same in every process (pytest-xdist's workers must collect the same tests)
@pytest.mark.parametrize("value", NOT_NETWORKS,
                         ids=["object()" if type(v) is object else repr(v) for v in NOT_NETWORKS])
def test_every_entry_point_refuses_a_non_network(value, tmp_path):
    from lasagne_params.testing import assert_params, assert_snapshot
    entry_points = [derive, derive_costs, lp.build, lp.compare, lp.assert_matches,
                    lp.from_lasagne, render, lambda v: lp.draw(v, str(tmp_path / "x.svg")),
                    lambda v: assert_snapshot(v, str(tmp_path / "s.json")),
                    lambda v: assert_params(v, 0)]
    for call in entry_points:
        with pytest.raises(LasagneParamsError) as info:
            call(value)
        assert isinstance(info.value, (ArgumentError, SpecError)), (call, info.value)


def test_verify_runtime_refuses_a_non_network(lasagne, tmp_path):
    from lasagne_params import verify_runtime
    for value in (None, [], 5):
        with pytest.raises(ArgumentError, match="network: expected a Lasagne layer, a "
                                                "NeuralNet, a spec file"):
            verify_runtime(value, [[1.0]])
    missing = str(tmp_path / "net.json")
    with pytest.raises(LasagneParamsError) as info:
        verify_runtime(missing, [[1.0]])              # a spec path, as derive() takes
    assert info.value.file == missing


def test_from_lasagne_none_is_refused():
    with pytest.raises(ArgumentError, match="output_layer: expected a Lasagne layer or a list "
                                            "of them, got None"):
        lp.from_lasagne(None)


# ---------------------------------------------------------------- sizes and depths

def nested(depth):
    """A CustomRecurrentLayer whose input_to_hidden holds another, ``depth`` deep."""
    inner = [LayerSpec("i", "InputLayer", (), {"shape": (None, 3)}),
             LayerSpec("d", "DenseLayer", ("i",), {"num_units": 3})]
    for level in range(depth):
        inner = [LayerSpec("x", "InputLayer", (), {"shape": (None, 4, 3)}),
                 LayerSpec("r%d" % level, "CustomRecurrentLayer", ("x",),
                           {"input_to_hidden": inner, "hidden_to_hidden": [
                               LayerSpec("h", "InputLayer", (), {"shape": (None, 3)}),
                               LayerSpec("hd", "DenseLayer", ("h",), {"num_units": 3})]})]
    return inner


def test_deeply_nested_sub_networks_are_refused_not_a_recursion_error():
    with pytest.raises(LasagneParamsError, match="sub-networks nested more than 20 deep"):
        derive(nested(sys.getrecursionlimit()))


def test_counts_of_any_size_render_in_every_format():
    big = 10 ** 3000
    specs = chain(("in", "InputLayer", {"shape": (None, big)}),
                  ("d", "DenseLayer", {"num_units": 3}))
    report = derive(specs)
    assert report.total_params == (big + 1) * 3
    for fmt in REPORT_FORMATS:
        assert render(report, fmt)
    assert render(derive_costs(specs, batch_size=big), "columns")


def test_a_number_too_long_for_a_formula_is_a_rule_error():
    specs = chain(("in", "InputLayer", {"shape": (None, 10 ** 3000, 10 ** 3000)}),
                  ("f", "FlattenLayer", {}))
    with pytest.raises(LayerRuleError, match="layer 'f' \\(FlattenLayer\\): a number in its "
                                             "derivation has more digits than Python writes"):
        derive(specs)


def test_suggestions_for_huge_names_are_quick():
    import time
    from lasagne_params.core.errors import did_you_mean
    start = time.monotonic()
    assert did_you_mean("x" * 100000, ["x" * 99999, "y"]) == ""
    assert did_you_mean("conv", ["c%d" % i for i in range(20000)] + ["conv1"]) == \
        "; did you mean conv1?"
    assert time.monotonic() - start < 5
