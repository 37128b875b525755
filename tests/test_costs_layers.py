"""Compute costs of the layer kinds beyond the question's, on hand-computed values."""
import pytest

from helpers import chain
import lasagne_params as lp
from lasagne_params import LayerSpec, zoo


def costs_of(*layers):
    """Costs of a chain, derived for Lasagne 0.1 (the GPU layers' even 'same' is 0.1's)."""
    report = lp.derive_costs(chain(*layers), lasagne_version="0.1")
    return {layer.name: layer for layer in report.layers}


def ops(layer):
    """{op: operations per example} (several terms of one op add up)."""
    return {term.op: layer.count(term.op) for term in layer.ops}


def test_nin_and_conv1d():
    c = costs_of(("in", "InputLayer", {"shape": (None, 32, 9, 9)}),
                 ("conv", "Conv2DLayer", {"num_filters": 32, "filter_size": 3}),
                 ("nin", "NINLayer", {"num_units": 64}))
    assert ops(c["nin"]) == {"mac": 64 * 7 * 7 * 32, "bias": 64 * 7 * 7,
                             "elementwise": 64 * 7 * 7}
    assert c["nin"].receptive_field == c["conv"].receptive_field      # a 1x1 window
    c = costs_of(("in", "InputLayer", {"shape": (None, 4, 20)}),
                 ("conv", "Conv1DLayer", {"num_filters": 8, "filter_size": 5}))
    assert c["conv"].macs == 8 * 16 * (5 * 4)
    assert c["conv"].receptive_field[0].size == 5


def test_recurrent_layers():
    c = costs_of(("in", "InputLayer", {"shape": (None, 20, 8)}),
                 ("lstm", "LSTMLayer", {"num_units": 16}),
                 ("gru", "GRULayer", {"num_units": 4}),
                 ("rnn", "RecurrentLayer", {"num_units": 3, "b": None}))
    assert ops(c["lstm"]) == {"mac": 20 * (4 * (8 + 16) * 16 + 3 * 16),
                              "bias": 20 * 4 * 16, "elementwise": 20 * 5 * 16}
    assert c["lstm"].formula("mac") == "20*(4*(8+16)*16+3*16)"
    assert ops(c["gru"]) == {"mac": 20 * 3 * (16 + 4) * 4, "bias": 20 * 3 * 4,
                             "elementwise": 20 * 3 * 4}
    assert ops(c["rnn"]) == {"mac": 20 * (4 + 3) * 3, "elementwise": 20 * 3}
    assert c["lstm"].receptive_field is None


def test_custom_recurrent_layer_repeats_its_sub_networks():
    i2h = chain(("i", "InputLayer", {"shape": (None, 8)}), ("d", "DenseLayer", {"num_units": 5}))
    h2h = chain(("i", "InputLayer", {"shape": (None, 5)}),
                ("d", "DenseLayer", {"num_units": 5, "b": None, "nonlinearity": None}))
    c = costs_of(("in", "InputLayer", {"shape": (None, 20, 8)}),
                 ("rnn", "CustomRecurrentLayer", {"input_to_hidden": i2h,
                                                  "hidden_to_hidden": h2h}))
    # per step: 8*5 + 5*5 MACs, 5 biases, i2h's rectify on 5 units, the layer's on 5
    assert ops(c["rnn"]) == {"mac": 20 * 65, "bias": 20 * 5, "elementwise": 20 * 5 + 20 * 5}


def test_pools_merges_and_fields():
    c = costs_of(("in", "InputLayer", {"shape": (None, 12, 5, 5)}),
                 ("gp", "GlobalPoolLayer", {}))
    assert ops(c["gp"]) == {"pool": 12 * 5 * 5}
    c = costs_of(("in", "InputLayer", {"shape": (None, 12, 5)}),
                 ("fp", "FeaturePoolLayer", {"pool_size": 4}))
    assert ops(c["fp"]) == {"pool": 3 * 5 * 4}
    specs = [LayerSpec("in", "InputLayer", (), {"shape": (None, 3, 8, 8)}),
             LayerSpec("a", "Conv2DLayer", ("in",), {"num_filters": 4, "filter_size": 3,
                                                     "pad": "same"}),
             LayerSpec("b", "Conv2DLayer", ("in",), {"num_filters": 4, "filter_size": 3,
                                                     "pad": "same"}),
             LayerSpec("sum", "ElemwiseSumLayer", ("a", "b"), {"coeffs": [1, -1]}),
             LayerSpec("cat", "ConcatLayer", ("a", "b"), {}),
             LayerSpec("cat2", "ConcatLayer", ("a", "b"), {"axis": 2})]
    c = {layer.name: layer for layer in lp.derive_costs(specs).layers}
    assert ops(c["sum"]) == {"elementwise": 4 * 8 * 8 * 2}        # one add, one -1 product
    assert c["sum"].receptive_field == c["cat"].receptive_field == c["a"].receptive_field
    assert c["cat2"].receptive_field is None and c["cat"].ops == ()


def test_gpu_layouts():
    c = costs_of(("in", "InputLayer", {"shape": (3, 32, 32, None)}),
                 ("cc", "Conv2DCCLayer", {"num_filters": 32, "filter_size": 5,
                                          "dimshuffle": False}),
                 ("pool", "MaxPool2DCCLayer", {"pool_size": 2, "dimshuffle": False}),
                 ("nin", "NINLayer_c01b", {"num_units": 16}))
    assert ops(c["cc"]) == {"mac": 32 * 28 * 28 * (5 * 5 * 3), "bias": 32 * 28 * 28,
                            "elementwise": 32 * 28 * 28}
    assert ops(c["pool"]) == {"pool": 32 * 14 * 14 * 4}
    assert ops(c["nin"])["mac"] == 16 * 14 * 14 * 32
    even = costs_of(("in", "InputLayer", {"shape": (None, 3, 9, 9)}),
                    ("dnn", "Conv2DDNNLayer", {"num_filters": 2, "filter_size": 4,
                                               "pad": "same"}),
                    ("cpu", "Conv2DLayer", {"num_filters": 2, "filter_size": 4,
                                            "pad": "same"}))
    assert even["dnn"].receptive_field[0].start == -1          # (4-1)//2 before
    assert even["cpu"].receptive_field[0].start == -3          # after the dnn's -1, 4//2


@pytest.mark.parametrize("name", sorted(zoo.NETWORKS))
def test_zoo_costs_and_formulas(name):
    costs = lp.derive_costs(zoo.specs(name), lasagne_version=(
        "master" if name in zoo.MASTER_ONLY else None))
    for layer in costs.layers:
        for op in layer.ops:
            assert eval(op.formula) == op.count, (layer.name, op)
    if name == "alexnet":
        assert costs.total_macs == 714188480        # torchvision AlexNet's 0.71 GMACs
    if name == "vgg16":
        assert costs.total_macs == 15470264320
