import os
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
