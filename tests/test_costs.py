"""Compute cost, memory and receptive field: hand-computed figures and published totals."""
import doctest

import pytest
from hypothesis import given, settings, strategies as st

from helpers import chain
from lasagne_params import ArgumentError, LayerSpec, derive_costs
from lasagne_params import api
from lasagne_params.core import costs as costs_module, cost_records, receptive

MB = 10 ** 6


def evaluate(formula):
    """The value of a formula text such as ``(32*24*24)*(5*5*1)`` (digits, * + ( ) only)."""
    assert formula and set(formula) <= set("0123456789*+() "), formula
    return eval(formula, {"__builtins__": {}})


@pytest.mark.parametrize("module", [receptive, costs_module, cost_records, api])
def test_docstring_examples(module):
    assert doctest.testmod(module).failed == 0


# ---------------------------------------------------------------- the question's network

# Hand-computed, per example: MACs = output positions x filters x filter volume
# (conv), inputs x units (dense).
QUESTION_MACS = {
    "conv2d1": 24 * 24 * 32 * (5 * 5 * 1),      # 460,800
    "conv2d2": 10 * 10 * 32 * (3 * 3 * 32),     # 921,600
    "dense": 800 * 256,                         # 204,800
    "output": 256 * 10,                         # 2,560
}


def test_question_macs_by_hand(question_specs):
    costs = derive_costs(question_specs)
    assert QUESTION_MACS == {"conv2d1": 32 * 24 * 24 * 5 * 5 * 1,
                             "conv2d2": 32 * 10 * 10 * 3 * 3 * 32,
                             "dense": 32 * 5 * 5 * 256, "output": 256 * 10}
    assert {c.name: c.macs for c in costs.layers if c.macs} == QUESTION_MACS
    assert [c.macs for c in costs.layers] == [0, QUESTION_MACS["conv2d1"], 0,
                                              QUESTION_MACS["conv2d2"], 0,
                                              QUESTION_MACS["dense"], QUESTION_MACS["output"]]
    assert costs.layer("conv2d1").formula("mac") == "(32*24*24)*(5*5*1)"
    assert costs.layer("dense").formula("mac") == "(32*5*5)*256"
    assert costs.total_macs == sum(QUESTION_MACS.values()) == 1589760      # "1.59 M"


def test_question_other_work_by_hand(question_specs):
    costs = derive_costs(question_specs)
    # one bias add and one rectify per output element of conv/dense layers
    assert [c.bias_adds for c in costs.layers] == [0, 32 * 24 * 24, 0, 32 * 10 * 10, 0, 256, 10]
    assert [c.elementwise_ops for c in costs.layers] == [0, 32 * 24 * 24, 0, 32 * 10 * 10, 0,
                                                         256, 10]
    # one operation per window element: 2x2 windows over every output element
    assert [c.pool_ops for c in costs.layers] == [0, 0, 32 * 12 * 12 * 4, 0, 32 * 5 * 5 * 4, 0, 0]
    assert costs.layer("maxpool1").formula("pool") == "(32*12*12)*(2*2)"
    # torchinfo's mult-adds: MACs plus the bias adds
    assert costs.total_mult_adds == sum(QUESTION_MACS.values()) + (
        32 * 24 * 24 + 32 * 10 * 10 + 256 + 10)


def test_every_formula_evaluates_to_its_count(question_specs):
    costs = derive_costs(question_specs)
    terms = [t for c in costs.layers for t in c.ops]
    assert len(terms) == 4 * 3 + 2
    for term in terms:
        assert evaluate(term.formula) == term.count


def test_question_memory_by_hand(question_specs):
    costs = derive_costs(question_specs)
    assert (costs.batch_size, costs.floatx, costs.itemsize) == (1, "float32", 4)
    assert [c.output_elements for c in costs.layers] == [784, 18432, 4608, 3200, 800, 256, 10]
    assert [c.param_bytes for c in costs.layers] == [0, 832 * 4, 0, 9248 * 4, 0, 205056 * 4,
                                                     2570 * 4]
    assert costs.input_bytes == 28 * 28 * 4                              # 3,136
    # torchinfo: outputs of the layers holding parameters, twice (values and gradients)
    assert costs.forward_backward_bytes == 2 * 4 * (18432 + 3200 + 256 + 10)   # 175,184
    assert costs.activation_bytes == 4 * (18432 + 4608 + 3200 + 800 + 256 + 10)
    assert costs.param_bytes == 217706 * 4                               # 870,824
    assert costs.total_bytes == 3136 + 175184 + 870824                   # 1,049,144


def test_batch_and_floatx_scale_the_totals(question_specs):
    one = derive_costs(question_specs)
    big = derive_costs(question_specs, batch_size=16, floatx="float64")
    assert big.total_macs == 16 * one.total_macs
    assert big.input_bytes == 16 * 2 * one.input_bytes
    assert big.forward_backward_bytes == 16 * 2 * one.forward_backward_bytes
    assert big.param_bytes == 2 * one.param_bytes            # parameters do not batch
    assert big.layer("conv2d1").macs == one.layer("conv2d1").macs   # per example


def test_declared_batch_size_is_the_default():
    specs = chain(("in", "InputLayer", {"shape": (16, 1, 28, 28)}),
                  ("out", "DenseLayer", {"num_units": 10}))
    costs = derive_costs(specs)
    assert costs.batch_size == 16
    assert costs.total_macs == 16 * 784 * 10
    assert costs.input_bytes == 16 * 784 * 4


@pytest.mark.parametrize("kwargs, field, message", [
    ({"floatx": "float128"}, "floatx", "expected one of float16, float32, float64, got 'float128'"),
    ({"batch_size": 0}, "batch_size", "expected a positive int, got 0"),
    ({"batch_size": 2.5}, "batch_size", "expected a positive int, got 2.5"),
])
def test_bad_options_are_one_line_errors(question_specs, kwargs, field, message):
    with pytest.raises(ArgumentError) as info:
        derive_costs(question_specs, **kwargs)
    assert str(info.value) == "%s: %s" % (field, message)


def test_shared_weights_are_counted_once_in_param_bytes():
    specs = [LayerSpec("in", "InputLayer", (), {"shape": (None, 20)}),
             LayerSpec("a", "DenseLayer", ("in",), {"num_units": 20}),
             LayerSpec("b", "DenseLayer", ("a",), {"num_units": 20, "W": {"shared": "a.W"}})]
    costs = derive_costs(specs)
    assert [c.param_bytes for c in costs.layers] == [0, 420 * 4, 420 * 4]
    assert costs.param_bytes == (400 + 20 + 20) * 4
    assert costs.layer("b").macs == 20 * 20    # shared or not, the work is done twice


def test_unknown_sizes_give_unknown_counts():
    specs = chain(("in", "InputLayer", {"shape": (None, 3, None, None)}),
                  ("conv", "Conv2DLayer", {"num_filters": 8, "filter_size": 3}))
    costs = derive_costs(specs)
    conv = costs.layer("conv")
    assert conv.macs is None and conv.output_bytes is None
    assert costs.total_macs is None and costs.total_bytes is None
    assert conv.receptive_field[0].size == 3       # the field does not need the size
    assert costs.param_bytes == (3 * 3 * 3 + 1) * 8 * 4


# ---------------------------------------------------------------- convolutions with stride and pad

@pytest.mark.parametrize("args, out, macs", [
    # ((32+2*2-5)//2)+1 = 16: 16 filters x 16x16 positions x 5*5*3 weights
    ({"num_filters": 16, "filter_size": 5, "stride": 2, "pad": 2}, (16, 16, 16),
     16 * 16 * 16 * 5 * 5 * 3),
    # 'same' keeps 32x32; 'full' grows to 32+3-1 = 34; 'valid' shrinks to 30
    ({"num_filters": 8, "filter_size": 3, "pad": "same"}, (8, 32, 32), 8 * 32 * 32 * 27),
    ({"num_filters": 8, "filter_size": 3, "pad": "full"}, (8, 34, 34), 8 * 34 * 34 * 27),
    ({"num_filters": 8, "filter_size": 3, "pad": "valid"}, (8, 30, 30), 8 * 30 * 30 * 27),
    # rectangular filter, stride (1, 3): rows 32-7+1 = 26, columns (32-1)//3+1 = 11
    ({"num_filters": 4, "filter_size": (7, 1), "stride": (1, 3)}, (4, 26, 11),
     4 * 26 * 11 * 7 * 1 * 3),
])
def test_conv_macs_with_stride_and_pad(args, out, macs):
    specs = chain(("in", "InputLayer", {"shape": (None, 3, 32, 32)}),
                  ("conv", "Conv2DLayer", args))
    conv = derive_costs(specs).layer("conv")
    assert conv.output_elements == out[0] * out[1] * out[2]
    assert conv.macs == macs
    assert evaluate(conv.formula("mac")) == macs
    assert conv.bias_adds == conv.output_elements


def test_conv_without_bias_or_nonlinearity():
    specs = chain(("in", "InputLayer", {"shape": (None, 3, 8, 8)}),
                  ("conv", "Conv2DLayer", {"num_filters": 4, "filter_size": 3, "b": None,
                                           "nonlinearity": "linear"}))
    conv = derive_costs(specs).layer("conv")
    assert (conv.macs, conv.bias_adds, conv.elementwise_ops) == (4 * 6 * 6 * 27, 0, 0)


# ---------------------------------------------------------------- receptive fields

def test_question_receptive_fields_by_hand(question_specs):
    """conv 5x5 -> 5; pool 2 -> 5+1*1 = 6; conv 3x3 -> 6+2*2 = 10; pool 2 -> 10+1*2 = 12."""
    costs = derive_costs(question_specs)
    fields = [c.receptive_field for c in costs.layers]
    sizes = [None if f is None else (f[0].size, f[0].jump, f[0].start) for f in fields]
    assert sizes == [(1, 1, 0), (5, 1, 0), (6, 2, 0), (10, 2, 0), (12, 4, 0), None, None]
    assert all(f[0] == f[1] for f in fields[:5])           # square all the way
    assert [f[0].formula for f in fields[1:5]] == [
        "1+(5-1)*1=5", "5+(2-1)*1=6", "6+(3-1)*2=10", "10+(2-1)*2=12"]


def test_strided_padded_receptive_field_by_hand():
    """conv 5 stride 2 pad 2: unit 0 sees input -2..2 (size 5, start -2), units 2 apart.

    conv 3 pad 1 on top: unit 0 sees units -1..1 below, i.e. input -4..4: size 9, start -4.
    """
    specs = chain(("in", "InputLayer", {"shape": (None, 1, 28, 28)}),
                  ("c1", "Conv2DLayer", {"num_filters": 4, "filter_size": 5, "stride": 2,
                                         "pad": 2}),
                  ("c2", "Conv2DLayer", {"num_filters": 4, "filter_size": 3, "pad": 1}),
                  ("p", "Pool2DLayer", {"pool_size": 3, "stride": 2, "pad": 1,
                                        "mode": "average_inc_pad"}))
    costs = derive_costs(specs)
    c1, c2, p = (costs.layer(n).receptive_field[0] for n in ("c1", "c2", "p"))
    assert (c1.size, c1.jump, c1.start) == (5, 2, -2)
    assert (c2.size, c2.jump, c2.start) == (9, 2, -4)
    # pool 3 stride 2 pad 1: units -1..1 of c2, 2 apart: input -6..8 -> size 9+2*2 = 13
    assert (p.size, p.jump, p.start) == (13, 4, -6)


def test_same_padding_of_an_even_filter_pads_more_before():
    specs = chain(("in", "InputLayer", {"shape": (None, 1, 9, 9)}),
                  ("c", "Conv2DLayer", {"num_filters": 1, "filter_size": (4, 5), "pad": "same"}))
    rows, cols = derive_costs(specs, lasagne_version="0.1").layer("c").receptive_field
    assert (rows.size, rows.start) == (4, -2)        # Lasagne 0.1 pads 4//2 = 2 before
    assert (cols.size, cols.start) == (5, -2)


def test_receptive_field_is_na_after_mixing_layers():
    specs = chain(("in", "InputLayer", {"shape": (None, 1, 12, 12)}),
                  ("c", "Conv2DLayer", {"num_filters": 2, "filter_size": 3}),
                  ("drop", "DropoutLayer", {}),
                  ("flat", "FlattenLayer", {}),
                  ("back", "ReshapeLayer", {"shape": (-1, 2, 10, 10)}),
                  ("c2", "Conv2DLayer", {"num_filters": 2, "filter_size": 3}),
                  ("pool", "MaxPool2DLayer", {"pool_size": 2}))
    fields = {c.name: c.receptive_field for c in derive_costs(specs).layers}
    assert fields["drop"] == fields["c"] and fields["c"][0].size == 3
    assert fields["flat"] is fields["back"] is fields["c2"] is fields["pool"] is None


def test_dense_on_a_flat_input_has_no_receptive_field():
    specs = chain(("in", "InputLayer", {"shape": (None, 784)}),
                  ("out", "DenseLayer", {"num_units": 10}))
    assert [c.receptive_field for c in derive_costs(specs).layers] == [None, None]


def brute_force_field(windows):
    """Input positions unit 0 and unit 1 of the last layer depend on, by enumeration.

    ``windows`` are (size, stride, pad before) from the input up.  Padded
    positions count (they lie outside 0..length-1), as in the recurrence.
    """
    def seen(layer, unit):
        if layer == 0:
            return {unit}
        size, stride, pad = windows[layer - 1]
        first = unit * stride - pad
        return set().union(*(seen(layer - 1, first + i) for i in range(size)))
    top = len(windows)
    zero, one = seen(top, 0), seen(top, 1)
    return max(zero) - min(zero) + 1, min(one) - min(zero), min(zero)


windows = st.lists(st.tuples(st.sampled_from(["conv", "pool"]), st.integers(1, 4),
                             st.integers(1, 3), st.integers(0, 2)), min_size=1, max_size=4)


@settings(max_examples=60, deadline=None)
@given(windows)
def test_receptive_field_matches_brute_force(layers):
    specs = [("in", "InputLayer", {"shape": (None, 1, 200, 200)})]
    used = []
    for i, (kind, size, stride, pad) in enumerate(layers):
        if kind == "conv":
            specs.append(("l%d" % i, "Conv2DLayer", {"num_filters": 1, "filter_size": size,
                                                     "stride": stride, "pad": pad}))
        else:
            pad = min(pad, size - 1) if size > 1 else 0     # Theano: pad < pool size
            specs.append(("l%d" % i, "Pool2DLayer", {"pool_size": size, "stride": stride,
                                                     "pad": pad}))
        used.append((size, stride, pad))
    field = derive_costs(chain(*specs)).layers[-1].receptive_field[0]
    assert (field.size, field.jump, field.start) == brute_force_field(used)


# ---------------------------------------------------------------- published totals

def vgg16_specs(batch=None):
    """VGG-16 (configuration D): 13 3x3 convs with pad 1, 5 max-pools, 3 dense layers."""
    layers = [("input", "InputLayer", {"shape": (batch, 3, 224, 224)})]
    for block, (filters, convs) in enumerate([(64, 2), (128, 2), (256, 3), (512, 3),
                                              (512, 3)], start=1):
        for i in range(1, convs + 1):
            layers.append(("conv%d_%d" % (block, i), "Conv2DLayer",
                           {"num_filters": filters, "filter_size": 3, "pad": 1}))
        layers.append(("pool%d" % block, "MaxPool2DLayer", {"pool_size": 2}))
    layers += [("fc6", "DenseLayer", {"num_units": 4096}),
               ("fc7", "DenseLayer", {"num_units": 4096}),
               ("fc8", "DenseLayer", {"num_units": 1000, "nonlinearity": "softmax"})]
    return chain(*layers)


def test_vgg16_macs_against_the_published_figure():
    costs = derive_costs(vgg16_specs())
    assert costs.report.total_params == 138357544          # published parameter count
    # conv MACs block by block: positions x filters x 3*3*channels
    conv = sum(side * side * cout * 9 * cin for side, cin, cout in [
        (224, 3, 64), (224, 64, 64), (112, 64, 128), (112, 128, 128),
        (56, 128, 256), (56, 256, 256), (56, 256, 256), (28, 256, 512), (28, 512, 512),
        (28, 512, 512), (14, 512, 512), (14, 512, 512), (14, 512, 512)])
    dense = 512 * 7 * 7 * 4096 + 4096 * 4096 + 4096 * 1000
    assert (conv, dense) == (15346630656, 123633664)
    assert costs.total_macs == conv + dense == 15470264320
    assert round(costs.total_macs / 1e9, 1) == 15.5          # "about 15.5 G"
    # the last receptive field before the dense layers: 212 pixels, 32 apart
    pool5 = costs.layer("pool5").receptive_field[0]
    assert (pool5.size, pool5.jump, pool5.start) == (212, 32, -90)


def test_vgg16_totals_as_torchinfo_prints_them():
    """torchinfo's summary(torchvision vgg16, (1, 3, 224, 224)) prints:

    Total mult-adds (G): 15.48; Input size (MB): 0.60; Forward/backward pass size
    (MB): 108.45; Params size (MB): 553.43; Estimated Total Size (MB): 662.49.
    """
    costs = derive_costs(vgg16_specs())
    assert "%.2f" % (costs.total_mult_adds / 1e9) == "15.48"
    assert ["%.2f" % (n / MB) for n in (costs.input_bytes, costs.forward_backward_bytes,
                                        costs.param_bytes, costs.total_bytes)] == [
        "0.60", "108.45", "553.43", "662.49"]
    assert costs.forward_backward_bytes == 108453696


def test_torchinfo_readme_convnet_totals():
    """torchinfo's README ConvNet, summary(model, (16, 1, 28, 28)) (tests/test_output/
    single_input.out): Input 0.05 MB, Forward/backward 0.91 MB, Params 0.09 MB,
    Total 1.05 MB, mult-adds 7.69 M (weights only, in that version)."""
    specs = chain(("in", "InputLayer", {"shape": (16, 1, 28, 28)}),
                  ("conv1", "Conv2DLayer", {"num_filters": 10, "filter_size": 5}),
                  ("pool1", "MaxPool2DLayer", {"pool_size": 2}),
                  ("conv2", "Conv2DLayer", {"num_filters": 20, "filter_size": 5}),
                  ("drop", "DropoutLayer", {}),
                  ("pool2", "MaxPool2DLayer", {"pool_size": 2}),
                  ("fc1", "DenseLayer", {"num_units": 50}),
                  ("fc2", "DenseLayer", {"num_units": 10}))
    costs = derive_costs(specs)
    assert costs.report.total_params == (5 * 5 * 1 + 1) * 10 + (5 * 5 * 10 + 1) * 20 + (
        20 * 4 * 4 + 1) * 50 + (50 + 1) * 10
    assert ["%.2f" % (n / MB) for n in (costs.input_bytes, costs.forward_backward_bytes,
                                        costs.param_bytes, costs.total_bytes)] == [
        "0.05", "0.91", "0.09", "1.05"]
    assert "%.2f" % (costs.total_macs / MB) == "7.69"

