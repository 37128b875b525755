"""The CPU stand-ins and bridges behave as the originals where Lasagne's own suite looks.

Each case is one that Lasagne's test suite (benchmarks/peer_suites.py) found
the stand-ins or bridges doing differently from the GPU original or Theano 1.0:
two refusals merged into one message, a numpy array refused where the
original took it, a layer's missing ``name`` attribute, a ``theano.gof.graph``
name left out.  Expected values are computed here by hand with numpy.
"""
from unittest import mock

import numpy as np
import pytest


@pytest.fixture
def cc_pool(lasagne):
    from lasagne.layers.cuda_convnet import MaxPool2DCCLayer
    return MaxPool2DCCLayer


@pytest.mark.parametrize("kwargs, words", [
    (dict(pool_size=(3, 2)), "only supports square pooling regions, but pool_size=(3, 2)"),
    (dict(pool_size=3, stride=(2, 1)),
     "only supports using the same stride in both directions but stride=(2, 1)"),
    (dict(pool_size=2, stride=3), "only supports stride <= pool_size."),
    (dict(pool_size=2, pad=1), "does not support padding"),
    (dict(pool_size=2, ignore_border=True), "does not support ignore_border=True."),
])
def test_cuda_convnet_pool_refuses_each_case_in_its_own_words(cc_pool, kwargs, words):
    from lasagne.layers import InputLayer
    with pytest.raises(NotImplementedError) as refused:
        cc_pool(InputLayer((None, 3, 9, 9)), **kwargs)
    assert str(refused.value) == "MaxPool2DCCLayer " + words


def test_cuda_convnet_pool_takes_a_numpy_array_in_c01b_order(cc_pool):
    from lasagne.layers import InputLayer
    rng = np.random.RandomState(7)
    c01b = rng.uniform(-1, 1, size=(2, 5, 5, 3)).astype("float32")   # channels, rows, cols, batch
    layer = cc_pool(InputLayer((2, 5, 5, 3)), pool_size=2, dimshuffle=False)
    got = layer.get_output_for(c01b).eval()
    # windows of 2 with stride 2 over 5 rows: [0:2], [2:4], [4:5] (the partial one is kept)
    windows = [slice(0, 2), slice(2, 4), slice(4, 5)]
    expected = np.array([[[[c01b[c, r, k, b].max() for b in range(3)] for k in windows]
                          for r in windows] for c in range(2)])
    assert layer.output_shape == (2, 3, 3, 3) == got.shape
    np.testing.assert_allclose(got, expected)


def test_batch_norm_dnn_wraps_a_layer_without_a_name_attribute(lasagne_master):
    from lasagne.layers import Layer, NonlinearityLayer
    from lasagne.layers.dnn import BatchNormDNNLayer, batch_norm_dnn
    from lasagne.nonlinearities import identity, rectify
    incoming = mock.Mock(spec=Layer, output_shape=(4, 6), nonlinearity=rectify)
    assert not hasattr(incoming, "name")
    stack = batch_norm_dnn(incoming)
    assert isinstance(stack, NonlinearityLayer) and stack.nonlinearity is rectify
    assert isinstance(stack.input_layer, BatchNormDNNLayer)
    assert incoming.nonlinearity is identity
    assert (stack.name, stack.input_layer.name) == (None, None)
    assert stack.input_layer.beta.get_value().shape == (6,)


def test_is_same_graph_is_where_theano_1_0_had_it(lasagne):
    import theano
    import theano.tensor as T
    x = T.matrix("x")
    same = theano.gof.graph.is_same_graph
    assert same(x.mean(), x.mean())
    assert same((x * 2).sum(), (x * 2).sum())
    assert not same((x * 2).sum(), x.sum() * 2)
