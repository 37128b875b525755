"""Arrays code gives a layer after building it, and attributes it replaces.

Research code of 2016-2017 reparameterises built layers: weight normalisation
(Salimans & Kingma; improved-GAN's ``WeightNormLayer``, the ``l2normalize`` helpers
of many GAN repositories) keeps the layer's ``W`` under a new expression
``W * g / norm(W)`` and calls ``add_param`` for the scale ``g``; a DRAW model makes
its ``InputLayer`` learnable with ``add_param(input_var, ...)``.  Lasagne counts
those arrays (``get_params`` reads ``layer.params``); the layer-calls bridge notes each
``add_param`` call made from outside the constructor, and the derived row counts the
rule's arrays, then the added ones with the shape the call gave, and says so in its note;
an array put into ``params`` by hand (no call noted) leaves the row not derived.  Figures
by hand and from both Lasagne versions.
"""
import numpy as np

import lasagne_params as lp


def _normalised_dense(L, T, units=10):
    """A DenseLayer weight-normalised after it was built, the helpers' way."""
    dense = L.DenseLayer(L.InputLayer((None, 20), name="in"), units, name="d")
    W = dense.W
    g = dense.add_param(np.ones(units, "float32"), (units,), name="g")
    dense.W = W * (g / T.sqrt(T.sum(T.sqr(W), axis=0))).dimshuffle("x", 0)
    return dense


def test_weight_norm_on_the_layer_itself(lasagne):
    import theano.tensor as T
    dense = _normalised_dense(lasagne.layers, T)
    comparison = lp.compare(dense)
    assert comparison.ok, lp.render(comparison)
    row = comparison.derived.layer("d")
    # W 20x10, b 10, g 10: the rule's (20+1)*10 = 210, then g
    assert row.params == (20 + 1) * 10 + 10 == 220 == lasagne.layers.count_params(dense)
    assert row.param_formula == "(20+1)*10 + 10"
    assert [(a.name, a.shape, a.trainable) for a in row.param_arrays] == [
        ("W", (20, 10), True), ("b", (10,), True), ("g", (10,), True)]
    assert "W: an expression of the array d holds (rewritten after it was built" in row.note
    assert "g (10) added after it was built (add_param at " in row.note
    assert comparison.derived.total_params == 220


def test_a_later_layer_normalises_its_incoming_weights(lasagne):
    """improved-GAN's WeightNormLayer: a layer of the user's holds g and b and replaces
    the convolution's W by an expression of it; the convolution keeps counting W."""
    import theano.tensor as T
    L = lasagne.layers

    class WeightNorm(L.Layer):
        def __init__(self, incoming, **kwargs):
            super(WeightNorm, self).__init__(incoming, **kwargs)
            k = self.input_shape[1]
            self.g = self.add_param(np.ones(k, "float32"), (k,), name="g")
            self.b = self.add_param(np.zeros(k, "float32"), (k,), name="b")
            W = incoming.W
            norm = T.sqrt(T.sum(T.sqr(W), axis=(1, 2, 3)))
            incoming.W = W * (self.g / norm).dimshuffle(0, "x", "x", "x")

        def get_output_for(self, input, **kwargs):
            return input + self.b.dimshuffle("x", 0, "x", "x")

    conv = L.Conv2DLayer(L.InputLayer((None, 3, 8, 8), name="in"), 16, 3, b=None,
                         name="conv")
    net = WeightNorm(conv, name="wn")
    comparison = lp.compare(net)
    assert comparison.ok, lp.render(comparison)
    rows = {name: comparison.derived.layer(name) for name in ("conv", "wn")}
    assert rows["conv"].params == 3 * 3 * 3 * 16 == 432
    assert rows["conv"].param_formula == "3*3*3*16"
    assert "W: an expression of the array conv holds" in rows["conv"].note
    assert rows["wn"].params == 16 + 16
    assert comparison.derived.total_params == 432 + 32 == L.count_params(net)


def test_a_learnable_input_layer(lasagne):
    """DRAW's canvas: ``add_param`` of the InputLayer's own input_var makes it learnable."""
    import theano
    L = lasagne.layers
    canvas = theano.shared(np.zeros((1, 28 * 28), "float32"), name="canvas0")
    l_in = L.InputLayer((1, 28 * 28), input_var=canvas, name="c0")
    l_in.add_param(canvas, (1, 28 * 28), name="c0")
    net = L.DenseLayer(l_in, 5, name="d")
    comparison = lp.compare(net)
    assert comparison.ok, lp.render(comparison)
    row = comparison.derived.layer("c0")
    assert row.params == 784 == row.trainable_params
    assert row.param_formula == "1*784"
    assert comparison.derived.total_params == 784 + (784 + 1) * 5 == L.count_params(net)


def test_an_untagged_added_array_is_not_trainable(lasagne):
    L = lasagne.layers
    dense = L.DenseLayer(L.InputLayer((None, 4), name="in"), 3, name="d")
    dense.add_param(np.zeros((3,), "float32"), (3,), name="running", trainable=False)
    report = lp.derive(dense)
    assert (report.total_params, report.trainable_params) == (15 + 3, 15)
    assert report.total_params == L.count_params(dense)
    assert report.trainable_params == L.count_params(dense, trainable=True)


def test_stock_networks_hold_no_added_arrays(question_net, recurrent_net):
    """The rules' arrays cover every array a stock layer makes itself."""
    from lasagne_params.backend.networks.read import all_layers, arrays_added
    for net in (question_net, recurrent_net):
        assert [arrays_added(layer) for layer in all_layers(net)] == \
            [[] for _ in all_layers(net)]


def test_an_array_put_into_params_by_hand_is_not_derived(lasagne):
    """No add_param call to read a shape from: Lasagne's row, with the reason, never a
    count without the array."""
    import theano
    L = lasagne.layers
    dense = L.DenseLayer(L.InputLayer((None, 4), name="in"), 3, name="d")
    dense.params[theano.shared(np.zeros(7, "float32"), name="extra")] = {"trainable"}
    comparison = lp.compare(dense)
    assert not comparison.ok
    row = comparison.derived.layer("d")
    assert not row.derived and "which its constructor does not make" in row.note
    assert comparison.reported.total_params == L.count_params(dense) == 15 + 7
