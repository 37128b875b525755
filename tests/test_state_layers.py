"""Lasagne master's initial states given as layers (``hid_init=layer``, ``cell_init=layer``).

Master appends such a layer to the recurrent layer's incoming layers (after the input and
the mask; ``hid_init_incoming_index``, ``cell_init_incoming_index``) and makes no array
for that state.  Read, derived, built and compared; figures checked against master's.
"""
import json

import pytest

from helpers import forward_shapes
import lasagne_params as lp
from lasagne_params import LayerRuleError, LayerSpec
from lasagne_params.core.layers.recurrent import state_layer

# LSTM, 5 steps of 3 features, 4 units: 4 gates' (3+4+1)*4 and 3 peepholes of 4.
LSTM_GATES = 4 * (3 + 4 + 1) * 4 + 3 * 4
DENSE = (7 + 1) * 4          # a state layer: dense 7 -> 4


def _context(L):
    seq = L.InputLayer((None, 5, 3), name="seq")
    mask = L.InputLayer((None, 5), name="mask")
    ctx = L.InputLayer((None, 7), name="ctx")
    return seq, mask, ctx, L.DenseLayer(ctx, 4, name="h0"), L.DenseLayer(ctx, 4, name="c0")


def test_lstm_with_mask_and_both_states_as_layers(lasagne_master):
    from lasagne import layers as L
    seq, mask, _, h0, c0 = _context(L)
    lstm = L.LSTMLayer(seq, 4, mask_input=mask, hid_init=h0, cell_init=c0, name="lstm")
    assert (lstm.mask_incoming_index, lstm.hid_init_incoming_index,
            lstm.cell_init_incoming_index) == (1, 2, 3)
    comparison = lp.compare(lstm)
    assert comparison.ok, lp.render(comparison)
    row = comparison.derived.layer("lstm")
    assert row.incoming == ("seq", "mask", "h0", "c0")
    assert row.params == LSTM_GATES == lasagne_master.layers.count_params(lstm) - 2 * DENSE
    assert "hid_init" not in [a.name for a in row.param_arrays]
    assert comparison.derived.total_params == LSTM_GATES + 2 * DENSE


@pytest.mark.parametrize("state", ["hid_init", "cell_init"])
def test_one_state_as_a_layer_keeps_the_other_array(lasagne_master, state):
    """The other state stays a (1, 4) array, trainable with learn_init."""
    from lasagne import layers as L
    seq, _, _, h0, _ = _context(L)
    lstm = L.LSTMLayer(seq, 4, learn_init=True, name="lstm", **{state: h0})
    comparison = lp.compare(lstm)
    assert comparison.ok, lp.render(comparison)
    row = comparison.derived.layer("lstm")
    other = "cell_init" if state == "hid_init" else "hid_init"
    assert [(a.name, a.shape, a.trainable) for a in row.param_arrays
            if a.name.endswith("_init")] == [(other, (1, 4), True)]
    assert row.params == row.trainable_params == LSTM_GATES + 4
    assert lasagne_master.layers.count_params(lstm, trainable=True) == LSTM_GATES + 4 + DENSE


def test_gru_rnn_and_custom_recurrent_states_as_layers(lasagne_master):
    """GRU 3*(3+4+1)*4, RNN (3+4+1)*4, a custom RNN of two dense layers 3->4 and 4->4:
    no hid_init array in any of them."""
    from lasagne import layers as L
    seq, mask, _, h0, _ = _context(L)
    gru = L.GRULayer(seq, 4, mask_input=mask, hid_init=h0, name="gru")
    rnn = L.RecurrentLayer(seq, 4, hid_init=h0, name="rnn")
    i2h = L.DenseLayer(L.InputLayer((None, 3)), 4, name="i2h")
    h2h = L.DenseLayer(L.InputLayer((None, 4)), 4, name="h2h")
    custom = L.CustomRecurrentLayer(seq, i2h, h2h, hid_init=h0, name="custom")
    for layer, params in ((gru, 3 * (3 + 4 + 1) * 4), (rnn, (3 + 4 + 1) * 4),
                          (custom, (3 + 1) * 4 + (4 + 1) * 4)):
        comparison = lp.compare(layer)
        assert comparison.ok, lp.render(comparison)
        assert comparison.derived.layers[-1].params == params
        assert comparison.derived.total_params == lasagne_master.layers.count_params(layer) \
            == params + DENSE


def test_same_layer_for_both_states(lasagne_master):
    """Master appends it twice: incoming (seq, h0, h0)."""
    from lasagne import layers as L
    seq, _, _, h0, _ = _context(L)
    lstm = L.LSTMLayer(seq, 4, hid_init=h0, cell_init=h0, name="lstm")
    comparison = lp.compare(lstm)
    assert comparison.ok, lp.render(comparison)
    assert comparison.derived.layer("lstm").incoming == ("seq", "h0", "h0")
    assert comparison.derived.total_params == LSTM_GATES + DENSE


def test_read_specs_build_again_and_run(lasagne_master):
    """specs_from_lasagne says {"layer": name}; building the specs gives master's layer
    again (the state wired by keyword, not as a mask), and its forward pass runs."""
    from lasagne import layers as L
    from lasagne_params.backend.networks.build import build_layers
    from lasagne_params.backend.networks.read import specs_from_lasagne
    seq, mask, _, h0, c0 = _context(L)
    lstm = L.LSTMLayer(seq, 4, mask_input=mask, hid_init=h0, name="lstm")
    spec = specs_from_lasagne(lstm)[-1]
    assert spec.incoming == ("seq", "mask", "h0")
    assert spec.args["hid_init"] == {"layer": "h0"} and "cell_init" not in spec.args
    rebuilt = build_layers(specs_from_lasagne(lstm))["lstm"]
    assert [l.name for l in rebuilt.input_layers] == ["seq", "mask", "h0"]
    assert rebuilt.hid_init is rebuilt.input_layers[2]
    derived = [tuple(2 if d is None else d for d in row.output_shape)
               for row in lp.derive(rebuilt).layers]
    assert forward_shapes(rebuilt) == derived
    assert derived[-1] == (2, 5, 4)


SPEC = {"lasagne": "master", "layers": [
    {"name": "seq", "kind": "InputLayer", "shape": [None, 5, 3]},
    {"name": "mask", "kind": "InputLayer", "shape": [None, 5]},
    {"name": "ctx", "kind": "InputLayer", "shape": [None, 7]},
    {"name": "h0", "kind": "DenseLayer", "num_units": 4, "incoming": "ctx"},
    {"name": "lstm", "kind": "LSTMLayer", "num_units": 4, "incoming": "seq",
     "mask_input": "mask", "hid_init": {"layer": "h0"}, "cell_init": {"layer": "h0"}}]}


def test_spec_file_names_the_state_layer(tmp_path):
    path = tmp_path / "net.json"
    path.write_text(json.dumps(SPEC))
    report = lp.derive(str(path))
    row = report.layer("lstm")
    assert row.incoming == ("seq", "mask", "h0", "h0")
    assert row.params == LSTM_GATES and report.total_params == LSTM_GATES + DENSE


def test_spec_file_built_in_master_agrees(lasagne_master, tmp_path):
    path = tmp_path / "net.json"
    path.write_text(json.dumps(SPEC))
    comparison = lp.compare(str(path))
    assert comparison.ok, lp.render(comparison)
    assert comparison.reported.total_params == LSTM_GATES + DENSE


def _specs(state_value, incoming=("seq", "h0"), h0_units=4):
    return [LayerSpec("seq", "InputLayer", (), {"shape": (None, 5, 3)}),
            LayerSpec("ctx", "InputLayer", (), {"shape": (None, 7)}),
            LayerSpec("h0", "DenseLayer", ("ctx",), {"num_units": h0_units}),
            LayerSpec("lstm", "LSTMLayer", incoming, {"num_units": 4, "hid_init": state_value})]


def test_lasagne_01_has_no_state_layers():
    with pytest.raises(LayerRuleError, match="master") as info:
        lp.derive(_specs({"layer": "h0"}), "0.1")
    assert info.value.field == "hid_init"


def test_state_layer_of_the_wrong_shape_or_place():
    with pytest.raises(LayerRuleError, match=r"\(None, 4\), got \(None, 5\)") as info:
        lp.derive(_specs({"layer": "h0"}, h0_units=5), "master")
    assert info.value.field == "hid_init"
    with pytest.raises(LayerRuleError, match="not the incoming layer in its place") as info:
        lp.derive(_specs({"layer": "ctx"}, incoming=("seq", "h0")), "master")
    assert info.value.field == "hid_init"
    assert state_layer({"layer": "h0"}) == "h0" and state_layer(None) is None
