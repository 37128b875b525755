import os
import shutil
import sys

import pytest

from lasagne_params import LayerSpec

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEED = os.path.join(os.path.dirname(ROOT), "shared", "seed")
sys.path.insert(0, os.path.join(ROOT, "examples"))

# The question's network, layer by layer, as the accepted answer computes it.
QUESTION_SHAPES = [(None, 1, 28, 28), (None, 32, 24, 24), (None, 32, 12, 12),
                   (None, 32, 10, 10), (None, 32, 5, 5), (None, 256), (None, 10)]
QUESTION_PARAMS = [0, 832, 0, 9248, 0, 205056, 2570]
QUESTION_NAMES = ["input", "conv2d1", "maxpool1", "conv2d2", "maxpool2", "dense", "output"]


def chain(*layers):
    """LayerSpecs for a chain: (name, kind, args) triples, each fed by the one before."""
    specs, prev = [], ()
    for name, kind, args in layers:
        specs.append(LayerSpec(name, kind, prev, dict(args)))
        prev = (name,)
    return specs


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


@pytest.fixture(scope="session")
def lasagne():
    """Lasagne, imported through the compat layer (skips where it is not installed)."""
    import lasagne_params
    try:
        lasagne_params.install_compat()
    except ImportError as exc:
        pytest.skip("Theano/Lasagne not installed: %s" % exc)
    return pytest.importorskip("lasagne")


@pytest.fixture(scope="session")
def question_net(lasagne):
    import mnist_cnn
    return mnist_cnn.build_network()


def derive_one(kind, args, *input_shapes):
    """Derive one layer fed by InputLayers of ``input_shapes``; return its row."""
    from lasagne_params import derive
    inputs = [LayerSpec("in%d" % i if i else "in", "InputLayer", (), {"shape": shape})
              for i, shape in enumerate(input_shapes)]
    report = derive(inputs + [LayerSpec("x", kind, tuple(s.name for s in inputs), dict(args))])
    return report.layers[-1]


def assert_row_formulas_evaluate(row):
    """A row's parameter formula evaluates to its count, each shape derivation to its value."""
    if row.param_formula:
        assert eval(row.param_formula, {}) == row.params, (row.name, row.param_formula)
    elif row.params:
        raise AssertionError("%s has %d parameters but no formula" % (row.name, row.params))
    derivation = row.shape_formula.rpartition(" -> ")[0]
    for part in filter(None, derivation.split(", ")):
        lhs, _, value = part.rpartition("=")
        assert eval(lhs, {"max": max, "len": len, "range": range}) == int(value), (
            row.name, part)


def assert_formulas_evaluate(report):
    """assert_row_formulas_evaluate for every derived row of ``report``."""
    for row in report.layers:
        if row.derived:
            assert_row_formulas_evaluate(row)


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
