"""Spec files and nolearn keywords -> LayerSpecs; build() and the round trip through Lasagne."""
import json

import pytest

from helpers import LAYERS_YAML, NOLEARN_JSON, QUESTION_NAMES, QUESTION_PARAMS, QUESTION_SHAPES
import lasagne_params as lp
from lasagne_params import LayerSpec, SpecError, UnsupportedLayerError
from lasagne_params.describe.spec import (SpecFile, load_spec, order_specs, parse_spec,
                                          specs_from_nolearn)


@pytest.mark.parametrize("path", [NOLEARN_JSON, LAYERS_YAML])
def test_both_forms_give_the_question_network(path, question_specs):
    specs = load_spec(path)
    assert [s.name for s in specs] == QUESTION_NAMES
    assert [(s.kind, s.incoming) for s in specs] == [(s.kind, s.incoming) for s in question_specs]
    report = lp.derive(specs)
    assert [r.output_shape for r in report.layers] == QUESTION_SHAPES
    assert [r.params for r in report.layers] == QUESTION_PARAMS
    assert lp.derive(path).total_params == 217706          # derive() takes a path too


def test_nolearn_form_keeps_strings_and_skips_training_keywords():
    specs = load_spec(NOLEARN_JSON)
    assert specs[1].args == {"num_filters": 32, "filter_size": (5, 5), "nonlinearity": "rectify"}
    assert specs[6].args == {"num_units": 10, "nonlinearity": "softmax"}
    assert specs[0].args == {"shape": (None, 1, 28, 28)}


def test_yaml_and_json_of_the_same_data_agree(tmp_path):
    yaml = pytest.importorskip("yaml")
    with open(NOLEARN_JSON) as handle:
        data = json.load(handle)
    path = tmp_path / "q.yml"
    path.write_text(yaml.safe_dump(data))
    assert load_spec(str(path)) == load_spec(NOLEARN_JSON)


def test_defaults_names_and_incoming():
    specs = parse_spec({"layers": [
        {"kind": "InputLayer", "shape": [None, 3]},
        {"kind": "DenseLayer", "num_units": 4},
        {"kind": "lasagne.layers.DenseLayer", "num_units": 2, "incoming": "input0"}]})
    assert [(s.name, s.kind, s.incoming) for s in specs] == [
        ("input0", "InputLayer", ()), ("dense1", "DenseLayer", ("input0",)),
        ("dense2", "DenseLayer", ("input0",))]


def test_nolearn_pairs_with_keywords_and_shared_weights():
    specs = specs_from_nolearn(
        [("InputLayer", {"shape": (None, 6)}),
         ("DenseLayer", {"name": "a", "num_units": 6}),
         ("DenseLayer", {"name": "b", "num_units": 6, "W": "a", "incoming": "a"})], {})
    assert specs[2].args["W"] == {"shared": "a.W"}
    report = lp.derive(specs)
    assert [r.params for r in report.layers] == [0, 42, 42]
    assert report.total_params == 42 + 6                  # b's W is a's: counted once
    assert report.shared == {"a.W": ["a", "b"]}


def test_longest_layer_name_prefix_wins():
    specs = specs_from_nolearn([("in", "InputLayer"), ("d", "DenseLayer"),
                                ("d_1", "DenseLayer")],
                               {"in_shape": (None, 3), "d_num_units": 5, "d_1_num_units": 2})
    assert [s.args.get("num_units") for s in specs] == [None, 5, 2]


def test_out_of_order_layers_are_ordered_inputs_first():
    specs = [LayerSpec("out", "DenseLayer", ("hid",), {"num_units": 2}),
             LayerSpec("hid", "DenseLayer", ("in",), {"num_units": 3}),
             LayerSpec("in", "InputLayer", (), {"shape": (None, 4)})]
    assert [s.name for s in order_specs(specs)] == ["in", "hid", "out"]
    assert lp.derive(order_specs(specs)).total_params == (4 + 1) * 3 + (3 + 1) * 2


def test_merge_layers_list_incomings_and_cycles_are_found():
    base = [{"name": "in", "kind": "InputLayer", "shape": [None, 4]},
            {"name": "a", "kind": "DenseLayer", "num_units": 2, "incoming": "in"}]
    specs = parse_spec({"layers": base + [
        {"name": "cat", "kind": "ConcatLayer", "incomings": ["in", "a"]}]})
    assert specs[2].incoming == ("in", "a")
    with pytest.raises(SpecError, match=r"cycle: a -> c -> a"):
        parse_spec({"layers": base[:1] + [
            {"name": "a", "kind": "DenseLayer", "num_units": 2, "incoming": "c"},
            {"name": "c", "kind": "ConcatLayer", "incomings": ["in", "a"]}]})


BAD = [
    # (data, error type, message fragment, layer, field)
    ([], SpecError, "expected a mapping with a 'layers' list, got list", None, "layers"),
    ({"layers": []}, SpecError, "the network has no layers", None, "layers"),
    ({"layers": [{"kind": "InputLayer", "shape": [None, 2]}, ["x", "DenseLayer"]]},
     SpecError, "must all be mappings", None, "layers"),
    ({"layers": [{"kind": "InputLayer", "shape": [None, 2]}], "input_shape": [None, 2]},
     SpecError, "unknown top-level key", None, "input_shape"),
    ({"layers": [{"shape": [None, 2]}]}, SpecError, "got None", 0, "kind"),
    ({"layers": [{"kind": "Conv2DLayr"}]}, UnsupportedLayerError, "did you mean Conv2DLayer",
     0, "kind"),
    ({"layers": [{"kind": "InputLayer"}]}, SpecError, "missing input shape: give shape",
     "input0", "shape"),
    ({"layers": [{"kind": "InputLayer", "shape": [None, 2]},
                 {"kind": "DenseLayer"}]}, SpecError, "missing keyword: give num_units",
     "dense1", "num_units"),
    ({"layers": [{"kind": "InputLayer", "shape": [None, 2]},
                 {"kind": "DenseLayer", "num_unit": 3}]}, SpecError,
     "did you mean num_units?", "dense1", "num_unit"),
    ({"layers": [{"kind": "InputLayer", "shape": [None, 2], "incoming": "x"}]}, SpecError,
     "an input layer has no incoming layer", "input0", "incoming"),
    ({"layers": [{"name": "a", "kind": "InputLayer", "shape": [None, 2]},
                 {"name": "a", "kind": "DenseLayer", "num_units": 1}]}, SpecError,
     "two layers have this name", "a", "name"),
    ({"layers": [{"name": "", "kind": "InputLayer", "shape": [None, 2]}]}, SpecError,
     "expected a non-empty string", 0, "name"),
    ({"layers": [{"name": "in", "kind": "InputLayer", "shape": [None, 2]},
                 {"kind": "DenseLayer", "num_units": 1, "incoming": [3]}]}, SpecError,
     "expected a layer name or a list of them", "dense1", "incoming"),
    ({"layers": [{"name": "in", "kind": "InputLayer", "shape": [None, 2]},
                 {"name": "d", "kind": "DenseLayer", "num_units": 1, "incoming": "d"}]},
     SpecError, "a layer cannot feed itself", "d", "incoming"),
    ({"layers": [{"name": "in", "kind": "InputLayer", "shape": [None, 2]},
                 {"name": "d", "kind": "DenseLayer", "num_units": 1,
                  "W": {"shared": "nowhere.W"}}]}, SpecError, "no layer called 'nowhere'",
     "d", "shared"),
    ({"layers": [{"name": "in", "kind": "InputLayer", "shape": [None, 2]},
                 {"name": "d", "kind": "DenseLayer", "num_units": 1, "W": {"x": 1}}]},
     SpecError, "must be {\"shared\": \"layer.W\"}", "d", "W"),
    ({"layers": [{"name": "in", "kind": "InputLayer", "shape": [None, 0]}]},
     lp.LayerRuleError, "dimensions must be positive ints or None", "in", "shape"),
    ({"layers": [{"name": "in", "kind": "InputLayer", "shape": [None, 2]},
                 {"name": "d", "kind": "DenseLayer", "num_units": "8"}]},
     lp.LayerRuleError, "expected a positive int, got '8'", "d", "num_units"),
    ({"layers": [["input", "InputLayer"], ["d", "DenseLayer"]], "input_shape": [None, 2],
      "d_num_units": 3, "dense_num_units": 4}, SpecError,
     "neither nolearn's nor <layer>_<argument>", None, "dense_num_units"),
    ({"layers": [["input", "InputLayer"]], "input_shape": [None, 2], "max_epoch": 3},
     SpecError, "did you mean max_epochs?", None, "max_epoch"),
    ({"layers": [["input"]]}, SpecError, "expected a (name, LayerType)", 0, "layers"),
    ({"layers": [["input", "InputLayer"]], "input_shape": [None, 2], "more_params": 3},
     SpecError, "expected a mapping", None, "more_params"),
]


@pytest.mark.parametrize("data, error, message, layer, field", BAD,
                         ids=["bad%d" % i for i in range(len(BAD))])
def test_bad_specs_name_layer_and_field(data, error, message, layer, field):
    with pytest.raises(error) as info:
        lp.derive(SpecFile("net.json", tuple(parse_spec(data, file="net.json"))))
    exc = info.value
    assert message in exc.message
    assert (exc.file, exc.layer, exc.field) == ("net.json", layer, field)
    assert str(exc).startswith("net.json: ") and "\n" not in str(exc)


def test_yaml_values_that_json_cannot_hold_are_refused(tmp_path):
    path = tmp_path / "d.yaml"
    path.write_text("layers:\n- {kind: InputLayer, shape: 2020-01-01}\n")
    with pytest.raises(SpecError, match="unsupported value of type date"):
        load_spec(str(path))


YAML_BOOLEAN_WORDS = [
    # (the layer line or keyword, the file's layer, the field, the word, its boolean)
    ("- {name: off, kind: DenseLayer, num_units: 5}", 1, "name", "off", "false"),
    ("- {name: d, kind: DenseLayer, num_units: 5, nonlinearity: No}", "d", "nonlinearity",
     "No", "false"),
    ("- {name: d, kind: DenseLayer, num_units: 5, b: {shared: yes}}", "d", "b.shared",
     "yes", "true"),
    ("- {name: d, kind: DenseLayer, num_units: 5, incoming: [ON]}", "d", "incoming.0",
     "ON", "true"),
]


@pytest.mark.parametrize("line, layer, field, word, value", YAML_BOOLEAN_WORDS)
def test_yaml_1_1_boolean_words_are_refused_with_a_hint_to_quote_them(
        tmp_path, line, layer, field, word, value):
    """issue 22: PyYAML reads ``off`` as False; a layer called off must be written 'off'."""
    pytest.importorskip("yaml")
    path = tmp_path / "b.yaml"
    path.write_text("layers:\n- {name: input, kind: InputLayer, shape: [null, 20]}\n%s\n"
                    % line)
    with pytest.raises(SpecError) as raised:
        load_spec(str(path))
    exc = raised.value
    assert (exc.file, exc.layer, exc.field) == (str(path), layer, field)
    assert exc.message == ("%s is read as the boolean %s by YAML 1.1 (PyYAML); quote it "
                           "('%s') for the word, or write %s" % (word, value, word, value))
    assert "\n" not in str(exc)


def test_yaml_boolean_words_in_nolearn_form_name_the_layer_pair(tmp_path):
    pytest.importorskip("yaml")
    path = tmp_path / "n.yaml"
    path.write_text("layers: [[input, InputLayer], [on, DenseLayer]]\n"
                    "input_shape: [null, 20]\n")
    with pytest.raises(SpecError, match=r"on is read as the boolean true") as raised:
        load_spec(str(path))
    assert (raised.value.layer, raised.value.field) == (1, "layers")


def test_quoted_yaml_words_and_true_false_values_are_read(tmp_path):
    pytest.importorskip("yaml")
    path = tmp_path / "q.yaml"
    path.write_text("layers:\n- {name: input, kind: InputLayer, shape: [null, 20]}\n"
                    "- {name: 'off', kind: DenseLayer, num_units: 5}\n"
                    "- {name: 'no', kind: DenseLayer, num_units: 2, incoming: input}\n"
                    "- {name: both, kind: ConcatLayer, incoming: ['off', 'no']}\n")
    assert [s.name for s in load_spec(str(path))] == ["input", "off", "no", "both"]
    report = lp.derive(str(path))
    assert report.layer("off").params == (20 + 1) * 5
    assert report.layer("both").output_shape == (None, 5 + 2)
    # true and false (JSON's spelling) are booleans where a keyword takes one
    path.write_text("layers:\n- {name: input, kind: InputLayer, shape: [null, 1, 6, 6]}\n"
                    "- {name: p, kind: MaxPool2DLayer, pool_size: 4, ignore_border: false}\n")
    assert load_spec(str(path))[1].args["ignore_border"] is False
    assert lp.derive(str(path)).layer("p").output_shape == (None, 1, 2, 2)   # ceil(6/4)


def test_a_name_given_as_true_says_to_quote_it(tmp_path):
    pytest.importorskip("yaml")
    path = tmp_path / "t.yaml"
    path.write_text("layers:\n- {name: input, kind: InputLayer, shape: [null, 20]}\n"
                    "- {name: true, kind: DenseLayer, num_units: 5}\n")
    with pytest.raises(SpecError, match=r"got True; quote it if it is the name \(\"true\"\)"):
        load_spec(str(path))


def test_yaml_alias_bombs_are_refused(tmp_path):
    lines = ["a0: &a0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]"]
    lines += ["a%d: &a%d [%s]" % (i, i, ", ".join(["*a%d" % (i - 1)] * 10)) for i in range(1, 8)]
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\nlayers: [*a7]\n")
    with pytest.raises(SpecError, match="more values than the file has characters"):
        load_spec(str(path))


def test_a_json_spec_of_20000_layers_is_not_taken_for_an_alias_bomb(tmp_path):
    """issue 20: 20,000 layers hold about 120,000 values, all written out (no alias)."""
    layers = [{"name": "in", "kind": "InputLayer", "shape": [None, 3]}] + [
        {"name": "d%d" % i, "kind": "DenseLayer", "num_units": 3} for i in range(20000)]
    path = tmp_path / "long.json"
    path.write_text(json.dumps({"layers": layers}))
    assert len(load_spec(str(path))) == 20001


def test_missing_pyyaml_is_a_clear_error(tmp_path, monkeypatch):
    import sys
    monkeypatch.setitem(sys.modules, "yaml", None)
    path = tmp_path / "n.yaml"
    path.write_text("layers: []\n")
    with pytest.raises(SpecError, match=r"reading YAML needs PyYAML: pip install "):
        load_spec(str(path))


@pytest.mark.parametrize("content, message", [
    (b"\xff\xfe{}", "not UTF-8 text (byte 0)"),
    (b"[" * 100000, "nested too deeply"),
    (b'{"layers": [], "layers": []}', "duplicate key 'layers'"),
])
def test_unreadable_files(tmp_path, content, message):
    path = tmp_path / "x.json"
    path.write_bytes(content)
    with pytest.raises(SpecError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_spec(str(path))


# ---------------------------------------------------------------- build

ROUND_TRIP = [
    {"name": "in", "kind": "InputLayer", "shape": [None, 3, 16, 15]},
    {"name": "c1", "kind": "Conv2DLayer", "num_filters": 8, "filter_size": 3, "pad": "same",
     "nonlinearity": "very_leaky_rectify"},
    {"name": "c2", "kind": "Conv2DLayer", "num_filters": 4, "filter_size": [5, 3],
     "stride": [2, 1], "b": None, "nonlinearity": "lasagne.nonlinearities.tanh"},
    {"name": "p", "kind": "Pool2DLayer", "pool_size": 3, "stride": 2,
     "ignore_border": False, "mode": "average_inc_pad"},
    {"name": "drop", "kind": "DropoutLayer", "p": 0.25},
    {"name": "flat", "kind": "FlattenLayer"},
    {"name": "r", "kind": "ReshapeLayer", "shape": [[0], 4, -1]},
    {"name": "f2", "kind": "FlattenLayer", "incoming": "r"},
    {"name": "d1", "kind": "DenseLayer", "num_units": 12},
    {"name": "d2", "kind": "DenseLayer", "num_units": 12, "W": {"shared": "d1.W"},
     "incoming": "f2"},
    {"name": "out", "kind": "DenseLayer", "num_units": 5, "nonlinearity": "softmax"},
]


def test_build_round_trip(lasagne):
    specs = parse_spec({"layers": ROUND_TRIP})
    out = lp.build(specs)
    built = {layer.name: layer for layer in lasagne.layers.get_all_layers(out)}
    assert built["d2"].W is built["d1"].W                      # the same shared variable
    assert built["c1"].nonlinearity is lasagne.nonlinearities.very_leaky_rectify
    assert built["c2"].nonlinearity is lasagne.nonlinearities.tanh and built["c2"].b is None
    assert built["out"].nonlinearity is lasagne.nonlinearities.softmax
    derived = lp.derive(specs)
    read_back = lp.derive(out)                 # the built network, read back
    assert read_back == derived
    comparison = lp.compare(specs)
    assert comparison.ok, lp.render(comparison)
    assert derived.total_params == lasagne.layers.count_params(out)
    assert derived.layer("d2").params == derived.layer("d1").params == (4 * 3 * 6 + 1) * 12


def test_build_reports_lasagnes_own_complaints(lasagne):
    specs = [LayerSpec("in", "InputLayer", (), {"shape": (None, 4)}),
             LayerSpec("d", "DenseLayer", ("in",), {"num_units": 2, "nonlinearity": "rectifyy"})]
    with pytest.raises(SpecError, match=r"lasagne.nonlinearities has no function 'rectifyy'; "
                                        r"did you mean rectify\?") as info:
        lp.build(specs)
    assert (info.value.layer, info.value.field) == ("d", "nonlinearity")
    specs[1] = LayerSpec("d", "DenseLayer", ("in",), {"num_units": 2, "W": "oops"})
    with pytest.raises(lp.LayerRuleError, match="Lasagne cannot build it: "):
        lp.build(specs)


def test_build_returns_every_output_of_a_fork(lasagne):
    specs = [LayerSpec("in", "InputLayer", (), {"shape": (None, 4)}),
             LayerSpec("a", "DenseLayer", ("in",), {"num_units": 2}),
             LayerSpec("b", "DenseLayer", ("in",), {"num_units": 3})]
    a, b = lp.build(specs)
    assert (a.name, a.output_shape, b.name, b.output_shape) == ("a", (None, 2), "b", (None, 3))


RECURRENT_YAML = """
layers:
  - {name: in, kind: InputLayer, shape: [null, 5, 3]}
  - name: custom
    kind: CustomRecurrentLayer
    input_to_hidden:
      - {name: i2h_in, kind: InputLayer, shape: [null, 3]}
      - {name: i2h, kind: DenseLayer, num_units: 6, nonlinearity: linear}
    hidden_to_hidden:
      - {name: h2h_in, kind: InputLayer, shape: [null, 6]}
      - {name: h2h, kind: DenseLayer, num_units: 6, b: null}
  - {name: out, kind: DenseLayer, num_units: 2}
"""


@pytest.mark.parametrize("suffix", ["yaml", "json"])
def test_spec_files_hold_recurrent_sub_networks(tmp_path, suffix):
    yaml = pytest.importorskip("yaml")
    path = tmp_path / ("net." + suffix)
    data = yaml.safe_load(RECURRENT_YAML)
    path.write_text(RECURRENT_YAML if suffix == "yaml" else json.dumps(data))
    specs = load_spec(str(path))
    nested = specs[1].args["input_to_hidden"]
    assert [s.name for s in nested] == ["i2h_in", "i2h"] and nested[1].incoming == ("i2h_in",)
    report = lp.derive(specs)
    # custom: (3+1)*6 + 6*6 + hid_init 6 (untrainable); out: 5*6 -> (30+1)*2
    assert report.layer("custom").params == 4 * 6 + 6 * 6 + 6 == 66
    assert report.layer("custom").output_shape == (None, 5, 6)
    assert report.total_params == 66 + 62


def test_sub_network_errors_name_the_nested_layer(tmp_path):
    data = {"layers": [{"name": "in", "kind": "InputLayer", "shape": [None, 5, 3]},
                       {"name": "c", "kind": "CustomRecurrentLayer",
                        "input_to_hidden": [{"kind": "InputLayer", "shape": [None, 3]},
                                            {"name": "d", "kind": "DenseLayer", "num_unit": 6}],
                        "hidden_to_hidden": []}]}
    with pytest.raises(SpecError, match=r"^n.json: layer 'c.input_to_hidden/d' \(DenseLayer\): "
                                        r"num_unit: unknown keyword; did you mean num_units\?"):
        parse_spec(data, file="n.json")
    data["layers"][1]["input_to_hidden"][1]["num_units"] = data["layers"][1][
        "input_to_hidden"][1].pop("num_unit")
    with pytest.raises(SpecError, match=r"^layer 'c' \(CustomRecurrentLayer\): hidden_to_hidden: "
                                        r"a sub-network is a non-empty list of layer mappings"):
        parse_spec(data)


def test_spec_file_sub_networks_build_and_agree_with_lasagne(lasagne, tmp_path):
    path = tmp_path / "net.yaml"
    path.write_text(RECURRENT_YAML)
    comparison = lp.compare(str(path))
    assert comparison.ok, lp.render(comparison)
    assert comparison.derived.total_params == 66 + 62
