"""Old names inside modules that still exist (backend/bridges/legacy_names.py).

``theano.Op``/``theano.gof.Op`` (custom ops in research code) and
``scipy.misc.imread``/``imresize``/``imsave`` (removed in SciPy 1.2; data
loading in three repositories of the unseen-code corpus), each served only where
missing, with the old conventions, checked against values worked out by hand.
"""
import numpy as np
import pytest

import lasagne_params as lp

pytest.importorskip("PIL")


@pytest.fixture(scope="module")
def bridged():
    return lp.install_compat()


def test_theanos_old_graph_names(bridged):
    import theano
    from theano.graph.basic import Apply, Constant
    from theano.graph.op import Op
    assert theano.Op is Op and theano.gof.Op is Op
    assert theano.Apply is Apply and theano.gof.Constant is Constant
    again = lp.install_compat()
    assert "theano.Op" in again.present and not any("theano.Op" in a for a in again.applied)


def test_bytescale_maps_the_range_onto_bytes(bridged):
    from scipy.misc import bytescale
    # (x - 0) * 255 / 10, rounded half up: 0, 127.5 -> 128, 255
    assert bytescale(np.array([0.0, 5.0, 10.0])).tolist() == [0, 128, 255]
    assert bytescale(np.array([1, 2], dtype=np.uint8)).tolist() == [1, 2]   # kept as it is
    assert bytescale(np.array([3.0, 3.0])).tolist() == [0, 0]                # no range


def test_imsave_imread_round_trip_and_imresize(bridged, tmp_path):
    from scipy.misc import imread, imresize, imsave
    grey = np.array([[0, 64], [128, 255]], dtype=np.uint8)
    imsave(str(tmp_path / "g.png"), grey)
    assert imread(str(tmp_path / "g.png")).tolist() == grey.tolist()
    rgb = np.zeros((2, 3, 3), dtype=np.uint8)
    rgb[..., 0] = 200
    imsave(str(tmp_path / "c.png"), rgb)
    back = imread(str(tmp_path / "c.png"))
    assert back.shape == (2, 3, 3) and back[..., 0].tolist() == [[200] * 3] * 2
    assert imread(str(tmp_path / "c.png"), flatten=True).dtype == np.float32
    # nearest neighbour doubling of a 2x2 picture: each pixel becomes a 2x2 block
    big = imresize(grey, (4, 4), interp="nearest")
    assert big.tolist() == [[0, 0, 64, 64], [0, 0, 64, 64],
                            [128, 128, 255, 255], [128, 128, 255, 255]]
    assert imresize(grey, 50).shape == (1, 1) and imresize(grey, 1.5).shape == (3, 3)
