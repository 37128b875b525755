"""Fixtures shared by the tests (the helpers they share are in ``helpers.py``)."""
import os
import shutil
import sys

import pytest

from helpers import ROOT, chain

sys.path.insert(0, os.path.join(ROOT, "examples"))


@pytest.fixture
def question_specs():
    return chain(
        ("input", "InputLayer", {"shape": (None, 1, 28, 28)}),
        ("conv2d1", "Conv2DLayer", {"num_filters": 32, "filter_size": (5, 5)}),
        ("maxpool1", "MaxPool2DLayer", {"pool_size": (2, 2)}),
        ("conv2d2", "Conv2DLayer", {"num_filters": 32, "filter_size": (3, 3)}),
        ("maxpool2", "MaxPool2DLayer", {"pool_size": (2, 2)}),
        ("dense", "DenseLayer", {"num_units": 256}),
        ("output", "DenseLayer", {"num_units": 10}),
    )


def _import_lasagne(version=None):
    """Lasagne through the compat layer; skip where it is not installed (or, with
    ``version``, where the installed one is another: "0.1" or "0.2")."""
    import lasagne_params
    try:
        lasagne_params.install_compat()
    except ImportError as exc:
        pytest.skip("Theano/Lasagne not installed: %s" % exc)
    module = pytest.importorskip("lasagne")
    installed = str(getattr(module, "__version__", ""))
    if version is not None and not installed.startswith(version):
        pytest.skip("checks Lasagne %s's behaviour; installed: Lasagne %s"
                    % ("master (0.2.dev1)" if version == "0.2" else version, installed))
    return module


@pytest.fixture(scope="session")
def lasagne():
    """Lasagne, imported through the compat layer (skips where it is not installed)."""
    return _import_lasagne()


@pytest.fixture(scope="session")
def lasagne_master():
    """Lasagne master (0.2.dev1) through the compat layer; skips on Lasagne 0.1."""
    return _import_lasagne("0.2")


@pytest.fixture(scope="session")
def lasagne_release():
    """Lasagne 0.1 through the compat layer; skips on master."""
    return _import_lasagne("0.1")


@pytest.fixture(scope="session")
def nolearn(lasagne):
    """``nolearn.lasagne``: the stand-in the bridges serve (no real nolearn is installed)."""
    import lasagne_params
    lasagne_params.install_compat()
    import nolearn.lasagne
    return nolearn.lasagne


@pytest.fixture(scope="session")
def question_net(lasagne):
    import mnist_cnn
    return mnist_cnn.build_network()


@pytest.fixture
def float32(lasagne):
    """Build with floatX=float32 (half the memory of Theano-PyMC's float64 default)."""
    import theano
    previous = theano.config.floatX
    theano.config.floatX = "float32"
    yield
    theano.config.floatX = previous


@pytest.fixture(scope="session")
def recurrent_net(lasagne):
    """LSTM (masked, backwards), GRU, RNN without bias, a custom RNN, a tensor hid_init."""
    import theano.tensor as T
    from lasagne import layers
    inp = layers.InputLayer((None, 5, 3), name="in")
    mask = layers.InputLayer((None, 5), name="mask")
    lstm = layers.LSTMLayer(inp, 4, mask_input=mask, backwards=True, name="lstm")
    gru = layers.GRULayer(lstm, 3, precompute_input=False, name="gru")
    rnn = layers.RecurrentLayer(gru, 2, b=None, learn_init=True, name="rnn")
    i2h = layers.DenseLayer(layers.InputLayer((None, 2)), 6, name="i2h")
    h2h = layers.DenseLayer(layers.InputLayer((None, 6)), 6, b=None, name="h2h")
    custom = layers.CustomRecurrentLayer(rnn, i2h, h2h, name="custom")
    tied = layers.LSTMLayer(inp, 4, hid_init=T.matrix(), peepholes=False, name="tied",
                            ingate=layers.Gate(W_in=lstm.W_in_to_ingate,
                                               W_hid=lstm.W_hid_to_ingate))
    return [custom, tied]


@pytest.fixture(scope="session")
def googlenet_net(lasagne):
    """The zoo's GoogLeNet in Lasagne, zero-initialized (7M float64 weights, ~0.1 s)."""
    import numpy as np
    from lasagne_params import zoo
    return zoo.googlenet(init=lambda shape: np.zeros(shape))


@pytest.fixture
def dot():
    """Graphviz's dot program; CI must have it (.ci/run installs it), elsewhere skip."""
    pytest.importorskip("graphviz")
    if shutil.which("dot") is None:
        if os.environ.get("CI"):
            pytest.fail("Graphviz's dot is missing in CI: .ci/run should install it")
        pytest.skip("Graphviz's dot program is not installed")


@pytest.fixture
def dense_off_by_one(monkeypatch):
    """DenseLayer's rule made wrong on purpose (one unit too many) for the test's duration:
    what a cross-check must catch."""
    import dataclasses
    from lasagne_params.core.registry import KINDS
    real = KINDS["DenseLayer"].rule

    def off_by_one(context):
        result = real(context)
        return dataclasses.replace(result, output_shape=result.output_shape[:1]
                                   + (result.output_shape[1] + 1,))

    monkeypatch.setitem(KINDS, "DenseLayer", dataclasses.replace(KINDS["DenseLayer"],
                                                                 rule=off_by_one))
