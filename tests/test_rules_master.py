"""Every kind Lasagne master adds, and master's new keywords, on hand-computed values.

Pure: derived for master (``version="master"``) from LayerSpecs; the figures are worked
out from master's source (lasagne/layers/*.py at 5d3c63c) and written as arithmetic.
tests/test_master_layers.py checks the same rules against master itself.
"""
import pytest

from helpers import assert_row_formulas_evaluate, derive_one
from layer_cases import MASTER_CASES
import lasagne_params as lp
from lasagne_params import LayerRuleError, LayerSpec
from lasagne_params.core import versions
from lasagne_params.core.registry import KINDS, kind_of

M = "master"

CASES = MASTER_CASES


@pytest.mark.parametrize("kind, args, inputs, shape, params, trainable", CASES,
                         ids=["%s-%d" % (c[0], i) for i, c in enumerate(CASES)])
def test_master_rule(kind, args, inputs, shape, params, trainable):
    row = derive_one(kind, args, *inputs, version=M)
    assert row.output_shape == shape
    assert row.params == params
    assert row.trainable_params == (params if trainable is None else trainable)
    assert_row_formulas_evaluate(row)


def test_every_master_kind_has_a_case():
    """Completeness: each kind master adds has a hand-computed case (GPU ones below)."""
    master = {n for n, k in KINDS.items() if k.since == versions.MASTER and not k.gpu_only}
    assert master <= {c[0] for c in CASES}


def test_batch_norm_arrays_and_tags():
    row = derive_one("BatchNormLayer", {}, (None, 16, 8, 8), version=M)
    assert [(a.name, a.shape, a.trainable, a.regularizable) for a in row.param_arrays] == [
        ("beta", (16,), True, False), ("gamma", (16,), True, True),
        ("mean", (16,), False, False), ("inv_std", (16,), False, False)]
    assert row.param_formula == "4*16"
    from lasagne_params.render.explain import render_explain
    text = render_explain(lp.derive([
        LayerSpec("in", "InputLayer", (), {"shape": (None, 16, 8, 8)}),
        LayerSpec("bn", "BatchNormLayer", ("in",), {})], M))
    assert "4*16 = 64 values" in text and "counts them (32) but does not train" in text


@pytest.mark.parametrize("kind, args, inputs, field, message", [
    ("Conv2DLayer", {"num_filters": 4, "filter_size": 4, "pad": "same"}, [(None, 3, 9, 9)],
     "pad", "'same' needs an odd filter_size"),
    ("Conv2DLayer", {"num_filters": 5, "filter_size": 3, "num_groups": 2},
     [(None, 4, 9, 9)], "num_groups", "must divide num_filters (5)"),
    ("TransposedConv2DLayer", {"num_filters": 5, "filter_size": 3, "stride": 2,
                               "output_size": 14}, [(None, 4, 7, 7)], "output_size",
     "Theano's forward pass accepts 15 to 16"),
    ("DilatedConv2DLayer", {"num_filters": 2, "filter_size": 3, "pad": 1},
     [(None, 3, 9, 9)], "pad", "only implements pad=0"),
    ("DilatedConv2DLayer", {"num_filters": 2, "filter_size": 3, "flip_filters": True},
     [(None, 3, 9, 9)], "flip_filters", "only implements flip_filters=False"),
    ("LocallyConnected2DLayer", {"num_filters": 2, "filter_size": 3, "pad": "valid"},
     [(None, 3, 9, 9)], "pad", "only implements pad='same'"),
    ("LocallyConnected2DLayer", {"num_filters": 2, "filter_size": 3}, [(None, 3, None, 9)],
     "incoming", "must be known"),
    ("BatchNormLayer", {"axes": -1}, [(None, 3, 9, 9)], "axes", "is not one of the 4 axes"),
    ("BatchNormLayer", {"axes": (1, 2, 3)}, [(None, 3, 9, 9)], "axes",
     "must have known lengths"),
    ("BiasLayer", {"shared_axes": "all"}, [(None, 3, 9)], "shared_axes", "'all' is not"),
    ("ScaleLayer", {"scales": None}, [(None, 3, 9)], "scales", "cannot be None"),
    ("RandomizedRectifierLayer", {"lower": 0.9}, [(None, 3, 9)], "lower", "exceeds upper"),
    ("ExpressionLayer", {"function": "sqr", "output_shape": "auto"}, [(None, 3)],
     "output_shape", "a pure derivation cannot"),
    ("SpatialPyramidPoolingLayer", {}, [(None, 3, 3, 9)], "pool_dims", "SIGFPE"),
    ("TransformerLayer", {}, [(None, 3, 9, 9), (None, 5)], "localization_network",
     "must output (batch, 6)"),
    ("TPSTransformerLayer", {"control_points": 8}, [(None, 3, 9, 9), (None, 16)],
     "control_points", "square number"),
    ("TPSTransformerLayer", {"control_points": 1}, [(None, 3, 9, 9), (None, 2)],
     "control_points", "singular"),
    ("Upscale2DLayer", {"scale_factor": 0}, [(None, 3, 9, 9)], "scale_factor", "positive"),
])
def test_master_constraints(kind, args, inputs, field, message):
    with pytest.raises(LayerRuleError) as info:
        derive_one(kind, args, *inputs, version=M)
    assert info.value.field == field
    assert message in str(info.value)


def test_spatial_pyramid_gives_theanos_cells_and_lasagnes_wrong_shape():
    """7x7, pool dims 4, 2, 1: windows ceil(7/p) moved 7//p give 6, 2 and 1 cells per axis."""
    row = derive_one("SpatialPyramidPoolingLayer", {}, (None, 8, 7, 7), version=M)
    assert row.output_shape == (None, 8, 6 * 6 + 2 * 2 + 1 * 1)
    assert row.lasagne_shape == (None, 8, 4 * 4 + 2 * 2 + 1 * 1)
    assert "Lasagne wrong" in row.note
    unknown = derive_one("SpatialPyramidPoolingLayer", {}, (None, 8, None, None), version=M)
    assert unknown.output_shape == (None, 8, 21) and "multiples of every pool dim" in \
        unknown.note


def test_expression_output_shape_function_is_called():
    row = derive_one("ExpressionLayer", {"function": "f",
                                         "output_shape": lambda s: (s[0], s[1] * 2)},
                     (None, 3), version=M)
    assert row.output_shape == (None, 6) and "output_shape function" in row.note
    with pytest.raises(LayerRuleError, match="raised ZeroDivisionError"):
        derive_one("ExpressionLayer", {"function": "f", "output_shape": lambda s: 1 // 0},
                   (None, 3), version=M)


@pytest.mark.parametrize("kind, args, inputs, shape, params", [
    ("Conv3DDNNLayer", {"num_filters": 4, "filter_size": 3, "pad": 1}, [(None, 2, 5, 6, 7)],
     (None, 4, 5, 6, 7), (3 * 3 * 3 * 2 + 1) * 4),
    ("Pool3DDNNLayer", {"pool_size": 2, "mode": "average_inc_pad"}, [(None, 2, 5, 6, 7)],
     (None, 2, 2, 3, 3), 0),
    ("MaxPool3DDNNLayer", {"pool_size": 3, "stride": 2, "pad": 1}, [(None, 2, 5, 6, 7)],
     (None, 2, (5 + 2 - 3) // 2 + 1, (6 + 2 - 3) // 2 + 1, (7 + 2 - 3) // 2 + 1), 0),
    ("SpatialPyramidPoolingDNNLayer", {"pool_dims": [2, 1]}, [(None, 3, 8, 8)],
     (None, 3, 2 * 2 + 1 * 1), 0),
    ("BatchNormDNNLayer", {}, [(None, 5, 4, 4)], (None, 5, 4, 4), 4 * 5),
    ("Conv2DDNNLayer", {"num_filters": 4, "filter_size": 3, "pad": "same", "num_groups": 2},
     [(None, 2, 8, 8)], (None, 4, 8, 8), (3 * 3 * (2 // 2) + 1) * 4),
])
def test_master_gpu_rules(kind, args, inputs, shape, params):
    row = derive_one(kind, args, *inputs, version=M)
    assert (row.output_shape, row.params) == (shape, params)
    assert_row_formulas_evaluate(row)


def test_batch_norm_dnn_axes():
    with pytest.raises(LayerRuleError, match="cuDNN normalizes over the first axis"):
        derive_one("BatchNormDNNLayer", {"axes": (0, 2)}, (None, 5, 4, 4), version=M)


def test_version_checks_name_the_keyword_and_the_class():
    with pytest.raises(LayerRuleError) as info:
        derive_one("Conv2DLayer", {"num_filters": 2, "filter_size": 3, "flip_filters": False},
                   (None, 1, 5, 5), version="0.1")
    assert info.value.field == "flip_filters" and "Lasagne 0.1 has no such keyword" in \
        str(info.value)
    with pytest.raises(LayerRuleError, match="BiasLayer is a class of Lasagne master"):
        derive_one("BiasLayer", {}, (None, 3), version="0.1")
    assert derive_one("Conv2DLayer", {"num_filters": 2, "filter_size": 2, "pad": "same"},
                      (None, 1, 5, 5), version="0.1").output_shape == (None, 2, 5, 5)


def test_versions_and_aliases():
    assert versions.canonical("master") == versions.canonical("0.2") == "0.2.dev1"
    with pytest.raises(lp.ArgumentError, match="expected a Lasagne version"):
        versions.canonical("0.3")
    assert kind_of("Deconv2DLayer").name == "TransposedConv2DLayer"
    assert kind_of("Deconv3DLayer").name == "TransposedConv3DLayer"
    row = lp.derive([LayerSpec("in", "InputLayer", (), {"shape": (None, 1, 4, 4)}),
                     LayerSpec("up", "Deconv2DLayer", ("in",),
                               {"num_filters": 2, "filter_size": 2, "stride": 2})],
                    M).layers[-1]
    assert (row.kind, row.output_shape) == ("TransposedConv2DLayer", (None, 2, 8, 8))


def test_spec_file_names_its_version(tmp_path):
    path = tmp_path / "net.json"
    path.write_text('{"lasagne": "master", "layers": [{"name": "in", "kind": "InputLayer", '
                    '"shape": [null, 3, 8, 8]}, {"name": "c", "kind": "Conv2DLayer", '
                    '"num_filters": 4, "filter_size": 3, "batch_norm": true}]}')
    report = lp.derive(str(path))
    assert [r.name for r in report.layers] == ["in", "c", "c_bn", "c_bn_nonlin"]
    assert report.total_params == 3 * 3 * 3 * 4 + 4 * 4
    path.write_text('{"lasagne": "0.3", "layers": [{"kind": "InputLayer", "shape": [1]}]}')
    with pytest.raises(lp.SpecError) as info:
        lp.derive(str(path))
    assert info.value.field == "lasagne" and str(path) in str(info.value)
