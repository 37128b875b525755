"""Run the weights checker on real historical weights files (fetched by hand, never here).

    python tools/real_weights.py [FOLDER]

FOLDER (default: ``$LASAGNE_PARAMS_REAL_WEIGHTS``) holds files copied out of two
public repositories; this script fetches nothing, and none of them is committed:

* ``FFN_params.npz`` — Lasagne weights saved by a published tutorial with
  ``np.savez(f, *lasagne.layers.get_all_param_values(l_out))`` (``arr_0`` ...):
  repository vanessajurtz/lasagne4bio, commit 8b9b326e5f51209a088ca97bcebe853e2d325f6c,
  path ``subcellular_localization/notebook tutorial/params/FFN_params.npz``.  The
  network (``models.py``'s ``FFN``: 400x20 one-hot protein sequences, a
  DenseLayer of ``n_hid*2`` = 30 units, dropout, a softmax of 10 classes) is
  :data:`FFN` below, written from its hyper-parameters.
* ``k20.p`` — a Python 2 pickle (protocol 0) of a Theano tutorial's LeNet-5
  state (``copy_reg._reconstructor`` of ``__main__.LeNet5State``): repository
  oduerr/dl-playground, commit 20cd724a52943875182b11bf56ccca884a1e1a6e, path
  ``python/FaceRec/models/good_ones/k20.p``.  It holds a class of its own, so the
  checker must refuse it, naming the global, and run nothing.

``tests/test_weights_real.py`` runs the same checks when the variable is set.
Get the files with any git client, e.g.
``git show 8b9b326e:"subcellular_localization/notebook tutorial/params/FFN_params.npz"``
in a clone of the first repository.
"""
import os
import sys

FFN = {"layers": [
    {"name": "Input", "kind": "InputLayer", "shape": [None, 400, 20]},
    {"name": "Dense", "kind": "DenseLayer", "num_units": 30, "nonlinearity": "rectify"},
    {"name": "dropout", "kind": "DropoutLayer", "p": 0.5},
    {"name": "Softmax", "kind": "DenseLayer", "num_units": 10, "nonlinearity": "softmax"}]}


def main():
    import json
    import tempfile

    import lasagne_params as lp
    folder = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("LASAGNE_PARAMS_REAL_WEIGHTS")
    if not folder:
        print(__doc__)
        return 2
    status = 0
    with tempfile.TemporaryDirectory() as scratch:
        for name, data in (("ffn.json", FFN), ("ffn_8_classes.json", dict(FFN, layers=FFN[
                "layers"][:3] + [dict(FFN["layers"][3], num_units=8)]))):
            spec = os.path.join(scratch, name)
            with open(spec, "w") as handle:
                json.dump(data, handle)
            check = lp.check_weights(spec, os.path.join(folder, "FFN_params.npz"))
            print(lp.render(check))
            status |= (not check.ok) != (name == "ffn_8_classes.json")
        try:
            lp.check_weights(os.path.join(scratch, "ffn.json"), os.path.join(folder, "k20.p"))
            status = 1
        except lp.LasagneParamsError as exc:
            print("k20.p: refused:", exc)
    return status


if __name__ == "__main__":
    sys.exit(main())
