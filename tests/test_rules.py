"""Each rule on hand-computed values; errors name the layer and the field."""
import pytest

from helpers import QUESTION_NAMES, QUESTION_PARAMS, QUESTION_SHAPES, chain
from lasagne_params import (LayerRuleError, LayerSpec, SpecError, UnsupportedLayerError,
                            derive, supported_kinds)
from lasagne_params.core.registry import kind_of


def one(kind, args, input_shape):
    """Derive a single layer fed by an InputLayer of ``input_shape``; return its row."""
    report = derive(chain(("in", "InputLayer", {"shape": input_shape}), ("x", kind, args)))
    return report.layers[1]


def test_question_network_layer_by_layer(question_specs):
    report = derive(question_specs)
    assert [r.name for r in report.layers] == QUESTION_NAMES
    assert [r.output_shape for r in report.layers] == QUESTION_SHAPES
    assert [r.params for r in report.layers] == QUESTION_PARAMS
    assert [r.trainable_params for r in report.layers] == QUESTION_PARAMS
    assert report.total_params == report.trainable_params == 217706


def test_question_network_formulas(question_specs):
    rows = derive(question_specs).layers
    assert [r.param_formula for r in rows] == [
        "", "(5*5*1+1)*32", "", "(3*3*32+1)*32", "", "(32*5*5+1)*256", "(256+1)*10"]
    assert [r.shape_formula for r in rows] == [
        "", "(28-(5-1))=24 -> 32x24x24", "24//2=12 -> 32x12x12",
        "(12-(3-1))=10 -> 32x10x10", "10//2=5 -> 32x5x5", "", ""]
    for row in rows:   # every parameter formula evaluates to the count it explains
        if row.param_formula:
            assert eval(row.param_formula) == row.params


def test_param_arrays_and_tags(question_specs):
    conv = derive(question_specs).layer("conv2d1")
    assert [(t.name, t.shape, t.trainable, t.regularizable) for t in conv.param_arrays] == [
        ("W", (32, 1, 5, 5), True, True), ("b", (32,), True, False)]


@pytest.mark.parametrize("args, shape, params, formula", [
    ({"num_filters": 16, "filter_size": 3, "pad": "same"}, (None, 16, 28, 28),
     (3 * 3 * 3 + 1) * 16, "(3*3*3+1)*16"),
    ({"num_filters": 16, "filter_size": 3, "pad": "full"}, (None, 16, 30, 30), 448, None),
    ({"num_filters": 8, "filter_size": (5, 3), "stride": (2, 1), "pad": (2, 1)},
     (None, 8, 14, 28), (5 * 3 * 3 + 1) * 8, "(5*3*3+1)*8"),
    ({"num_filters": 8, "filter_size": 3, "b": None}, (None, 8, 26, 26), 3 * 3 * 3 * 8,
     "3*3*3*8"),
    ({"num_filters": 8, "filter_size": 3, "untie_biases": True}, (None, 8, 26, 26),
     3 * 3 * 3 * 8 + 8 * 26 * 26, "3*3*3*8 + 8*26*26"),
    ({"num_filters": 4, "filter_size": 4, "stride": 4, "pad": "valid"}, (None, 4, 7, 7),
     (4 * 4 * 3 + 1) * 4, None),
])
def test_conv2d(args, shape, params, formula):
    row = one("Conv2DLayer", args, (None, 3, 28, 28))
    assert row.output_shape == shape
    assert row.params == params
    if formula:
        assert row.param_formula == formula
    assert eval(row.param_formula) == row.params


def test_conv2d_unknown_spatial_size_flows_through():
    row = one("Conv2DLayer", {"num_filters": 4, "filter_size": 3}, (None, 3, None, 10))
    assert row.output_shape == (None, 4, None, 8)
    assert row.params == (3 * 3 * 3 + 1) * 4


@pytest.mark.parametrize("kind, args, shape", [
    ("MaxPool2DLayer", {"pool_size": 2}, (None, 3, 14, 14)),
    ("MaxPool2DLayer", {"pool_size": 3, "stride": 2}, (None, 3, 13, 13)),
    ("MaxPool2DLayer", {"pool_size": 2, "pad": 1}, (None, 3, 15, 15)),
    ("MaxPool2DLayer", {"pool_size": 3, "ignore_border": False}, (None, 3, 10, 10)),
    ("Pool2DLayer", {"pool_size": 3, "stride": 1, "mode": "average_exc_pad"},
     (None, 3, 26, 26)),
    ("Pool2DLayer", {"pool_size": (4, 2), "mode": "sum"}, (None, 3, 7, 14)),
])
def test_pool(kind, args, shape):
    row = one(kind, args, (None, 3, 28, 28))
    assert row.output_shape == shape
    assert row.params == 0 and row.param_arrays == ()


@pytest.mark.parametrize("kind, args, in_shape, shape, params", [
    ("DenseLayer", {"num_units": 10}, (None, 256), (None, 10), 2570),
    ("DenseLayer", {"num_units": 256}, (None, 32, 5, 5), (None, 256), 205056),
    ("DenseLayer", {"num_units": 7, "b": None}, (5, 3), (5, 7), 21),
    ("DropoutLayer", {"p": 0.5}, (None, 3, 4), (None, 3, 4), 0),
    ("GaussianNoiseLayer", {"sigma": 0.1}, (2, 3), (2, 3), 0),
    ("NonlinearityLayer", {}, (None, 9), (None, 9), 0),
    ("FlattenLayer", {}, (None, 32, 5, 5), (None, 800), 0),
    ("FlattenLayer", {"outdim": 3}, (None, 32, 5, 5), (None, 32, 25), 0),
    ("FlattenLayer", {}, (None, 3, None), (None, None), 0),
    ("ReshapeLayer", {"shape": ([0], -1)}, (None, 32, 5, 5), (None, 800), 0),
    ("ReshapeLayer", {"shape": (-1, [1], 25)}, (4, 32, 5, 5), (4, 32, 25), 0),
    ("ReshapeLayer", {"shape": (4, 16, 25)}, (2, 32, 5, 5), (4, 16, 25), 0),
    ("ReshapeLayer", {"shape": ([0], 5, -1)}, (None, 10, None), (None, 5, None), 0),
])
def test_other_rules(kind, args, in_shape, shape, params):
    row = one(kind, args, in_shape)
    assert row.output_shape == shape
    assert row.params == params


def test_flatten_formula():
    assert one("FlattenLayer", {}, (None, 32, 5, 5)).shape_formula == "32*5*5=800 -> 800"


@pytest.mark.parametrize("kind, args, in_shape, field, message", [
    ("Conv2DLayer", {"num_filters": 0, "filter_size": 3}, (None, 1, 8, 8), "num_filters",
     "expected a positive int, got 0"),
    ("Conv2DLayer", {"num_filters": 2, "filter_size": 9}, (None, 1, 8, 8), "filter_size",
     "output length (8-(9-1))=0 is not positive"),
    ("Conv2DLayer", {"num_filters": 2, "filter_size": (3, 3, 3)}, (None, 1, 8, 8),
     "filter_size", "expected a positive int or 2 of them, got (3, 3, 3)"),
    ("Conv2DLayer", {"num_filters": 2, "filter_size": 3, "pad": "half"}, (None, 1, 8, 8),
     "pad", "expected a non-negative int or 2 of them, got 'half'"),
    ("Conv2DLayer", {"num_filters": 2, "filter_size": 3}, (None, 8, 8), "incoming",
     "expects a 4D input"),
    ("Conv2DLayer", {"num_filters": 2, "filter_size": 3}, (None, None, 8, 8), "incoming",
     "the number of input channels must be known"),
    ("MaxPool2DLayer", {"pool_size": 2, "pad": 1, "ignore_border": False}, (None, 1, 8, 8),
     "pad", "must be 0 when ignore_border is false"),
    ("Pool2DLayer", {"pool_size": 2, "mode": "mean"}, (None, 1, 8, 8), "mode",
     "expected one of max, sum, average_inc_pad, average_exc_pad, got 'mean'"),
    ("MaxPool2DLayer", {"pool_size": 9}, (None, 1, 8, 8), "pool_size",
     "output length 8//9=0 is not positive"),
    ("DenseLayer", {"num_units": -3}, (None, 4), "num_units", "got -3"),
    ("DenseLayer", {"num_units": 3}, (None, None), "incoming", "the input size must be known"),
    ("DropoutLayer", {"p": 1.5}, (None, 4), "p", "expected a probability in [0, 1)"),
    ("ReshapeLayer", {"shape": (3, 5)}, (2, 4), "shape", "cannot reshape (2, 4) (8 elements) to (3, 5) (15 elements)"),
    ("ReshapeLayer", {"shape": (-1, -1)}, (2, 4), "shape", "at most one -1"),
    ("FlattenLayer", {"outdim": 5}, (None, 4), "outdim", "cannot flatten a 2D input"),
])
def test_invalid_configurations_name_layer_and_field(kind, args, in_shape, field, message):
    with pytest.raises(LayerRuleError) as info:
        one(kind, args, in_shape)
    err = info.value
    assert (err.layer, err.kind, err.field) == ("x", kind, field)
    assert message in str(err)
    assert str(err).startswith("layer 'x' (%s): %s: " % (kind, field))
    assert "\n" not in str(err)


def test_input_shape_errors():
    with pytest.raises(LayerRuleError, match=r"layer 'in' \(InputLayer\): shape: "):
        derive([LayerSpec("in", "InputLayer", (), {"shape": (None, 0, 3)})])


def test_unknown_kind_suggests_close_names():
    specs = chain(("in", "InputLayer", {"shape": (None, 3)}), ("d", "DenseLayr", {}))
    with pytest.raises(UnsupportedLayerError) as info:
        derive(specs)
    assert info.value.suggestions[0] == "DenseLayer"
    assert "did you mean DenseLayer" in str(info.value)
    assert "DenseLayer" in supported_kinds()


def test_kind_of_names_the_layer_the_close_kinds_and_where_to_look():
    with pytest.raises(UnsupportedLayerError) as info:
        kind_of("Conv2DLayr", layer="c")
    assert str(info.value) == (
        "layer 'c': kind: no layer kind 'Conv2DLayr' is declared; did you mean Conv2DLayer "
        "or Conv1DLayer or Conv3DLayer? (see lasagne_params.supported_kinds(); declare your "
        "own with lasagne_params.register_kind)")
    assert (info.value.layer, info.value.kind, info.value.field) == ("c", None, "kind")
    assert info.value.suggestions == ["Conv2DLayer", "Conv1DLayer", "Conv3DLayer"]
    with pytest.raises(UnsupportedLayerError, match=r"no layer kind \['x'\] is declared"):
        kind_of(["x"])                        # unhashable: the same error, not a TypeError


def test_no_suggestion_without_a_real_likeness():
    """WeightNormLayer (no Lasagne has it) is like no declared kind: no far-fetched hint."""
    with pytest.raises(UnsupportedLayerError) as info:
        kind_of("WeightNormLayer")
    assert info.value.suggestions == []
    assert "did you mean" not in str(info.value)


def test_graph_errors():
    with pytest.raises(SpecError, match="no earlier layer called 'nope'"):
        derive([LayerSpec("in", "InputLayer", (), {"shape": (1, 2)}),
                LayerSpec("d", "DenseLayer", ("nope",), {"num_units": 2})])
    with pytest.raises(SpecError, match="duplicate layer name"):
        derive([LayerSpec("in", "InputLayer", (), {"shape": (1, 2)}),
                LayerSpec("in", "InputLayer", (), {"shape": (1, 2)})])
    with pytest.raises(SpecError, match="has no incoming layer"):
        derive([LayerSpec("d", "DenseLayer", (), {"num_units": 2})])


def test_shared_weights_counted_once():
    specs = chain(("in", "InputLayer", {"shape": (None, 8)}),
                  ("a", "DenseLayer", {"num_units": 8}),
                  ("b", "DenseLayer", {"num_units": 8, "W": {"shared": "a.W"}}))
    report = derive(specs)
    assert [r.params for r in report.layers] == [0, 72, 72]
    assert report.total_params == 72 + 8       # b's W is a's W: only its bias is new
    assert report.shared == {"a.W": ["a", "b"]}


def test_python_ints_never_overflow():
    row = one("DenseLayer", {"num_units": 2 ** 40}, (None, 2 ** 40))
    assert row.params == (2 ** 40 + 1) * 2 ** 40
    assert type(row.params) is int


def test_to_dict_is_json_ready(question_specs):
    import json
    data = json.loads(json.dumps(derive(question_specs).to_dict()))
    assert data["total_params"] == 217706
    assert data["layers"][1]["output_shape"] == [None, 32, 24, 24]
    assert data["layers"][1]["param_arrays"][0] == {
        "name": "W", "shape": [32, 1, 5, 5], "size": 800, "trainable": True,
        "regularizable": True, "key": "conv2d1.W"}
