"""The weights checker on real historical files (not committed: see tools/real_weights.py
for where each comes from).  Set LASAGNE_PARAMS_REAL_WEIGHTS to a folder holding
``FFN_params.npz`` (vanessajurtz/lasagne4bio) and ``k20.p`` (oduerr/dl-playground)."""
import os

import pytest

import lasagne_params as lp

FOLDER = os.environ.get("LASAGNE_PARAMS_REAL_WEIGHTS")
pytestmark = pytest.mark.skipif(
    not FOLDER, reason="LASAGNE_PARAMS_REAL_WEIGHTS is not set (the real weights files are "
                       "not committed; tools/real_weights.py says where they come from)")

# lasagne4bio's FFN (models.py): 400x20 inputs, Dense of n_hid*2 = 30 units, dropout, 10 classes.
FFN = [lp.LayerSpec("Input", "InputLayer", (), {"shape": (None, 400, 20)}),
       lp.LayerSpec("Dense", "DenseLayer", ("Input",), {"num_units": 30}),
       lp.LayerSpec("dropout", "DropoutLayer", ("Dense",), {"p": 0.5}),
       lp.LayerSpec("Softmax", "DenseLayer", ("dropout",), {"num_units": 10})]


def test_the_tutorial_weights_fit_the_tutorial_network():
    check = lp.check_weights(FFN, os.path.join(FOLDER, "FFN_params.npz"))
    assert check.ok and check.layout == "flat npz"
    assert [(r.layer, r.name, r.found) for r in check.rows] == [
        ("Dense", "W", (400 * 20, 30)), ("Dense", "b", (30,)),
        ("Softmax", "W", (30, 10)), ("Softmax", "b", (10,))]


def test_another_class_count_is_named_at_the_last_layer():
    eight = FFN[:3] + [lp.LayerSpec("Softmax", "DenseLayer", ("dropout",), {"num_units": 8})]
    check = lp.check_weights(eight, os.path.join(FOLDER, "FFN_params.npz"))
    assert check.divergence == ("layer 'Softmax' (DenseLayer): W: expected 30x8, the file has "
                                "30x10 (another number of classes in the last layer)")
    assert check.loader_says == ("mismatch: parameter has shape (30, 8) but value to set has "
                                 "shape (30, 10)",)


def test_a_real_python2_pickle_of_a_class_runs_nothing():
    with pytest.raises(lp.SpecError) as info:
        lp.check_weights(FFN, os.path.join(FOLDER, "k20.p"))
    assert "asks for the global copy_reg._reconstructor: refusing to run it" in str(info.value)
