"""The rules of every Lasagne 0.1 CPU layer class on hand-computed values; errors name the field."""
import pytest

from helpers import assert_row_formulas_evaluate, chain, derive_one
from layer_cases import CASES
from lasagne_params import LayerRuleError, LayerSpec, UnsupportedLayerError, derive


@pytest.mark.parametrize("kind, args, inputs, shape, params, trainable, formula", CASES,
                         ids=["%s-%d" % (c[0], i) for i, c in enumerate(CASES)])
def test_rule(kind, args, inputs, shape, params, trainable, formula):
    # The cases are Lasagne 0.1's figures; only_return_final exists in master only.
    row = derive_one(kind, args, *inputs,
                     version="master" if args.get("only_return_final") else "0.1")
    assert row.output_shape == shape
    assert row.params == params
    assert row.trainable_params == (params if trainable is None else trainable)
    if formula is not None:
        assert row.param_formula == formula
    assert_row_formulas_evaluate(row)


def test_shape_formulas_of_new_layers():
    assert derive_one("PadLayer", {"width": [(1, 2), 0]},
                      (None, 3, 8, 8)).shape_formula == "8+1+2=11 -> 3x11x8"
    assert derive_one("ConcatLayer", {}, (None, 3, 8, 8),
                      (None, 5, 8, 8)).shape_formula == "3+5=8 -> 8x8x8"
    assert derive_one("SliceLayer", {"indices": slice(2, None, 3), "axis": 1},
                      (None, 10, 4)).shape_formula == "len(range(2,10,3))=3 -> 3x4"
    assert derive_one("FeaturePoolLayer", {"pool_size": 4},
                      (None, 12, 5)).shape_formula == "12//4=3 -> 3x5"
    assert derive_one("Conv1DLayer", {"num_filters": 2, "filter_size": 3},
                      (None, 4, 20)).shape_formula == "(20-(3-1))=18 -> 2x18"


def test_lstm_arrays_and_tags():
    row = derive_one("LSTMLayer", {"num_units": 4}, (None, 7, 3))
    arrays = {t.name: (t.shape, t.trainable, t.regularizable) for t in row.param_arrays}
    assert arrays["W_in_to_ingate"] == ((3, 4), True, True)
    assert arrays["W_hid_to_cell"] == ((4, 4), True, True)
    assert arrays["b_outgate"] == ((4,), True, False)
    assert arrays["W_cell_to_forgetgate"] == ((4,), True, True)
    assert "W_cell_to_cell" not in arrays
    assert arrays["cell_init"] == arrays["hid_init"] == ((1, 4), False, False)
    assert len(row.param_arrays) == 4 * 3 + 3 + 2


def test_gate_options_share_and_untag():
    specs = chain(("in", "InputLayer", {"shape": (None, 7, 3)}),
                  ("a", "LSTMLayer", {"num_units": 4}),
                  ("b", "LSTMLayer", {"num_units": 4, "ingate": {"W_hid": {"shared": "a.W_hid_to_ingate"}},
                                      "W_in_to_cell": {"trainable": False}}))
    report = derive(specs)
    b = report.layer("b")
    assert {t.name: t.key for t in b.param_arrays}["W_hid_to_ingate"] == "a.W_hid_to_ingate"
    assert b.trainable_params == b.params - 4 * 4 - 2 * 4       # W_in_to_cell (4x4), inits
    assert (report.layer("a").params, b.params) == (4 * (3 + 4 + 1) * 4 + 20, 4 * (4 + 4 + 1) * 4 + 20)
    assert report.total_params == 148 + 164 - 4 * 4        # the shared 4x4 counted once
    assert report.shared == {"a.W_hid_to_ingate": ["a", "b"]}


def test_custom_recurrent_layer_derives_its_sub_networks():
    i2h = chain(("i", "InputLayer", {"shape": (None, 8)}), ("d", "DenseLayer", {"num_units": 5}))
    h2h = chain(("i", "InputLayer", {"shape": (None, 5)}),
                ("d", "DenseLayer", {"num_units": 5, "b": None}))
    row = derive_one("CustomRecurrentLayer", {"input_to_hidden": i2h, "hidden_to_hidden": h2h},
                     (None, 20, 8))
    assert row.output_shape == (None, 20, 5)
    assert row.param_formula == "(8+1)*5 + 5*5 + 5"
    assert (row.params, row.trainable_params) == (75, 70)
    assert [(t.name, t.key) for t in row.param_arrays] == [
        ("hid_init", "x.hid_init"),
        ("input_to_hidden/d.W", "x.input_to_hidden/d.W"),
        ("input_to_hidden/d.b", "x.input_to_hidden/d.b"),
        ("hidden_to_hidden/d.W", "x.hidden_to_hidden/d.W")]


def test_custom_recurrent_conv_sub_networks():
    """A convolutional RNN: the hidden state is a feature map."""
    i2h = chain(("i", "InputLayer", {"shape": (None, 1, 8, 8)}),
                ("c", "Conv2DLayer", {"num_filters": 4, "filter_size": 3, "pad": "same"}))
    h2h = chain(("i", "InputLayer", {"shape": (None, 4, 8, 8)}),
                ("c", "Conv2DLayer", {"num_filters": 4, "filter_size": 3, "pad": "same"}))
    row = derive_one("CustomRecurrentLayer", {"input_to_hidden": i2h, "hidden_to_hidden": h2h},
                     (None, 5, 1, 8, 8))
    assert row.output_shape == (None, 5, 4, 8, 8)
    assert row.param_formula == "(3*3*1+1)*4 + (3*3*4+1)*4 + 4*8*8"
    assert row.params == 40 + 148 + 256


@pytest.mark.parametrize("kind, args, inputs, field, message", [
    ("Conv1DLayer", {"num_filters": 2, "filter_size": 3}, [(None, 1, 8, 8)], "incoming",
     "expects a 3D input (batch, channels, length)"),
    ("Conv1DLayer", {"num_filters": 2, "filter_size": 9}, [(None, 1, 8)], "filter_size",
     "output length (8-(9-1))=0 is not positive"),
    ("NINLayer", {"num_units": 0}, [(None, 4)], "num_units", "expected a positive int, got 0"),
    ("EmbeddingLayer", {"input_size": 0, "output_size": 3}, [(None, 4)], "input_size",
     "expected a positive int"),
    ("MaxPool1DLayer", {"pool_size": 2}, [(None, 3, 4, 6)], "incoming",
     "expects a 3D input (batch, channels, length)"),
    ("MaxPool2DLayer", {"pool_size": 2, "pad": 2}, [(None, 3, 6, 6)], "pad",
     "must be smaller than pool_size (2, 2)"),
    ("FeaturePoolLayer", {"pool_size": 4}, [(None, 6, 5)], "pool_size",
     "6 feature maps on axis 1 do not split into groups of 4"),
    ("FeaturePoolLayer", {"pool_size": 2, "axis": -1}, [(None, 6, 4)], "axis",
     "expected an axis in [0, 3)"),
    ("FeatureWTALayer", {"pool_size": 4}, [(None, 6, 5)], "pool_size", "groups of 4"),
    ("GlobalPoolLayer", {}, [(None, 6)], "incoming", "expects at least a 3D input"),
    ("LocalResponseNormalization2DLayer", {"n": 4}, [(None, 6, 5, 5)], "n", "must be odd"),
    ("LocalResponseNormalization2DLayer", {}, [(None, 6, 5)], "incoming", "expects a 4D"),
    ("ConcatLayer", {}, [(None, 3, 8, 8), (None, 5, 7, 8)], "incoming",
     "inputs differ on axis 2 (only axis 1 may differ)"),
    ("ConcatLayer", {}, [(None, 3, 8, 8), (None, 3, 8)], "incoming",
     "inputs must have the same number of axes"),
    ("ConcatLayer", {"axis": 4}, [(None, 3, 8, 8)], "axis", "expected an axis in [-4, 4)"),
    ("ElemwiseSumLayer", {}, [(None, 3, 4), (None, 3, 5)], "incoming",
     "inputs must all have the same shape, got in: (None, 3, 4), in1: (None, 3, 5)"),
    ("ElemwiseSumLayer", {}, [(None, 3, 4), (2, 3, 4)], "incoming", "the same shape"),
    ("ElemwiseSumLayer", {"coeffs": [1, 2, 3]}, [(None, 3), (None, 3)], "coeffs",
     "got 3 coefficients for 2 inputs"),
    ("DimshuffleLayer", {"pattern": (0, 2)}, [(None, 3, 5)], "pattern",
     "drops axis 1 of length 3"),
    ("DimshuffleLayer", {"pattern": (0, 1, 1)}, [(None, 3, 5)], "pattern",
     "items must be distinct axes"),
    ("PadLayer", {"width": -1}, [(None, 3, 5)], "width", "non-negative"),
    ("PadLayer", {"width": [1, 1]}, [(None, 3, 5)], "width", "at most 1 ints or pairs"),
    ("SliceLayer", {"indices": 9, "axis": 1}, [(None, 3, 5)], "indices",
     "index 9 is outside an axis of length 3"),
    ("SliceLayer", {"indices": slice(4, 2)}, [(None, 3, 5)], "indices",
     "selects nothing: len(range(4,2,1))=0"),
    ("SliceLayer", {"indices": slice(None, None, 0)}, [(None, 3, 5)], "indices",
     "step not 0"),
    ("LSTMLayer", {"num_units": 4}, [(None, 8)], "incoming",
     "expects a (batch, sequence, features...) input"),
    ("LSTMLayer", {"num_units": 4, "ingate": {"W_cell": None}}, [(None, 7, 3)],
     "W_cell_to_ingate", "peepholes=True needs it"),
    ("GRULayer", {"num_units": 4, "resetgate": {"b": None}}, [(None, 7, 3)], "b_resetgate",
     "Lasagne 0.1 needs an array for every gate"),
    ("GRULayer", {"num_units": 4, "resetgate": {"bias": 0}}, [(None, 7, 3)], "resetgate",
     "expected a Gate's options"),
    ("RecurrentLayer", {"num_units": 4, "unroll_scan": True}, [(None, None, 3)],
     "unroll_scan", "needs a known sequence length"),
    ("RecurrentLayer", {"num_units": 4, "unroll_scan": True, "gradient_steps": 5},
     [(None, 7, 3)], "gradient_steps", "must be -1 when unroll_scan is true"),
    ("LSTMLayer", {"num_units": 4}, [(None, 7, 3), (None, 8)], "mask_input",
     "the mask must be (batch, sequence) = (None, 7), got (None, 8)"),
    ("LSTMLayer", {"num_units": 4, "backwards": "yes"}, [(None, 7, 3)], "backwards",
     "expected true or false"),
])
def test_invalid_configurations(kind, args, inputs, field, message):
    with pytest.raises(LayerRuleError) as info:
        derive_one(kind, args, *inputs, version="0.1")       # Lasagne 0.1's checks
    assert (info.value.layer, info.value.kind, info.value.field) == ("x", kind, field)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def _custom(i2h_shape, i2h_units, h2h_shape, h2h_units, **args):
    i2h = chain(("i", "InputLayer", {"shape": i2h_shape}), ("d", "DenseLayer", {"num_units": i2h_units}))
    h2h = chain(("i", "InputLayer", {"shape": h2h_shape}), ("d", "DenseLayer", {"num_units": h2h_units}))
    return dict(input_to_hidden=i2h, hidden_to_hidden=h2h, **args)


@pytest.mark.parametrize("args, message", [
    (_custom((6, 8), 5, (None, 5), 5), "with precompute_input its output has batch*sequence "
                                       "= 2*20 rows, got (6, 5)"),
    (_custom((6, 8), 5, (3, 5), 5, precompute_input=False),
     "without precompute_input its output must have as many rows"),
    (_custom((None, 8), 5, (None, 5), 4), "output (None, 5) must match hidden_to_hidden's "
                                          "output (None, 4) after axis 0"),
    (_custom((None, 8), 5, (None, 4), 5), "must match hidden_to_hidden's input (None, 4)"),
    (_custom((None, 8), 0, (None, 5), 5), "layer 'd' (DenseLayer): num_units: expected a "
                                          "positive int, got 0"),
    (dict(input_to_hidden=[], hidden_to_hidden=[]), "expected a non-empty list of LayerSpecs"),
])
def test_custom_recurrent_checks(args, message):
    with pytest.raises(LayerRuleError) as info:
        derive_one("CustomRecurrentLayer", args, (2, 20, 8))
    assert info.value.field in ("input_to_hidden", "hidden_to_hidden")
    assert message in str(info.value)


def test_shared_array_must_fit_every_holder():
    specs = chain(("in", "InputLayer", {"shape": (None, 8)}),
                  ("a", "DenseLayer", {"num_units": 6}),
                  ("b", "DenseLayer", {"num_units": 6, "W": {"shared": "a.W"}}))
    with pytest.raises(LayerRuleError) as info:
        derive(specs)
    assert str(info.value) == ("layer 'b' (DenseLayer): W: shares 'a.W' of shape (8, 6) "
                               "(from layer 'a'), but needs shape (6, 6)")


def test_unsupported_class_is_named_without_a_far_fetched_suggestion():
    specs = [LayerSpec("in", "InputLayer", (), {"shape": (None, 3)}),
             LayerSpec("s", "MyScaleLayer", ("in",), {})]
    with pytest.raises(UnsupportedLayerError) as info:
        derive(specs)
    assert str(info.value).startswith("layer 's': kind: no layer kind 'MyScaleLayer' is "
                                      "declared (see lasagne_params.supported_kinds()")
    assert info.value.suggestions == []              # SliceLayer is not what was meant
    specs[1] = LayerSpec("s", "ElemwiseSumLayr", ("in",), {})
    with pytest.raises(UnsupportedLayerError, match="did you mean ElemwiseSumLayer?"):
        derive(specs)


def test_fallback_rows_stand_in_for_underivable_layers():
    """What compare() does: a failing layer takes the given row; later layers use its shape."""
    import dataclasses
    from lasagne_params.core.derive import derive_specs
    specs = chain(("in", "InputLayer", {"shape": (None, 3)}),
                  ("s", "MyScaleLayer", {}),
                  ("d", "DenseLayer", {"num_units": 2}))
    stand_in = dataclasses.replace(derive_one("DenseLayer", {"num_units": 6}, (None, 3)),
                                   name="s", kind="MyScaleLayer")
    report = derive_specs(specs, fallback={"s": stand_in})
    s, d = report.layer("s"), report.layer("d")
    assert not s.derived and s.note.startswith("not derived: no layer kind 'MyScaleLayer' "
                                                "is declared")
    assert (s.params, s.output_shape) == ((3 + 1) * 6, (None, 6))
    assert d.derived and d.param_formula == "(6+1)*2"
    assert report.total_params == (3 + 1) * 6 + (6 + 1) * 2
