"""A parameter given as a Theano expression of another layer's array (Lasagne master).

Tied-weight autoencoders write ``DenseLayer(enc, 784, W=enc.W.T)``: master's
``create_param`` keeps the expression, the layer's ``params`` hold it, and
``get_params``/``count_params`` count the array it is computed from, once.  Lasagne
0.1 refuses any expression.  Specs write it ``{"shared": "enc.W", "expression":
"enc.W.T"}``; figures are checked by hand and against master's own.
"""
import pytest

import lasagne_params as lp
from lasagne_params import LayerRuleError, LayerSpec, SpecError

ENC = (784 + 1) * 64            # 50,240
DEC = 64 * 784 + 784            # the layer holds enc.W (784x64) and its own b: 50,960
TOTAL = ENC + 784               # enc.W once: 51,024


def _tied(expression="enc.W.T", version="master"):
    specs = [LayerSpec("in", "InputLayer", (), {"shape": (None, 784)}),
             LayerSpec("enc", "DenseLayer", ("in",), {"num_units": 64}),
             LayerSpec("dec", "DenseLayer", ("enc",),
                       {"num_units": 784, "W": {"shared": "enc.W", "expression": expression}})]
    return lp.derive(specs, lasagne_version=version)


def test_tied_autoencoder_derived_by_hand():
    report = _tied()
    dec = report.layer("dec")
    assert (dec.params, dec.trainable_params) == (DEC, DEC)
    assert [(a.name, a.shape, a.key, a.expression) for a in dec.param_arrays] == [
        ("W", (784, 64), "enc.W", "enc.W.T"), ("b", (784,), "dec.b", "")]
    assert (report.total_params, report.trainable_params) == (TOTAL, TOTAL)
    assert report.shared == {"enc.W": ["enc", "dec"]}
    assert "W = enc.W.T, an expression of enc.W (784x64, counted once)" in dec.note
    assert dec.param_formula == "(64+1)*784"


def test_expression_of_another_size_writes_the_arrays_it_holds():
    """W = enc.W[:10]-like expressions: the layer holds all of enc.W; the formula says so."""
    specs = [LayerSpec("in", "InputLayer", (), {"shape": (None, 784)}),
             LayerSpec("enc", "DenseLayer", ("in",), {"num_units": 64}),
             LayerSpec("dec", "DenseLayer", ("enc",), {"num_units": 10, "W": {
                 "shared": "enc.W", "expression": "an expression (Subtensor) of enc.W"}})]
    dec = lp.derive(specs, lasagne_version="master").layer("dec")
    assert dec.params == 784 * 64 + 10
    assert dec.param_formula == "784*64 + 10"


def test_lasagne_0_1_refuses_expressions():
    with pytest.raises(LayerRuleError) as caught:
        _tied(version="0.1")
    assert caught.value.layer == "dec" and caught.value.field == "W"
    assert "Lasagne 0.1 takes no Theano expression" in str(caught.value)


def test_expression_needs_an_existing_array():
    with pytest.raises(LayerRuleError, match="is computed from 'nope.W'"):
        lp.derive([LayerSpec("in", "InputLayer", (), {"shape": (None, 3)}),
                   LayerSpec("d", "DenseLayer", ("in",), {
                       "num_units": 2, "W": {"shared": "nope.W", "expression": "nope.W.T"}})],
                  lasagne_version="master")
    with pytest.raises(LayerRuleError, match="derived only when computed from one"):
        lp.derive([LayerSpec("in", "InputLayer", (), {"shape": (None, 3)}),
                   LayerSpec("d", "DenseLayer", ("in",), {
                       "num_units": 2, "W": {"expression": "an expression (Elemwise) of a, b"}})],
                  lasagne_version="master")


def test_spec_file_form(tmp_path):
    path = tmp_path / "tied.yaml"
    path.write_text("lasagne: master\nlayers:\n"
                    "  - {name: in, kind: InputLayer, shape: [null, 784]}\n"
                    "  - {name: enc, kind: DenseLayer, num_units: 64}\n"
                    "  - {name: dec, kind: DenseLayer, num_units: 784,"
                    " W: {shared: enc.W, expression: enc.W.T}}\n")
    assert lp.derive(str(path)).total_params == TOTAL
    path.write_text(path.read_text().replace("expression: enc.W.T", "expression: 3"))
    with pytest.raises(SpecError, match="must be {\"shared\": \"layer.W\"}") as caught:
        lp.derive(str(path))
    assert caught.value.layer == "dec" and caught.value.field == "W"


def _autoencoder(L):
    l_in = L.InputLayer((None, 784), name="in")
    enc = L.DenseLayer(l_in, 64, name="enc")
    return L.DenseLayer(enc, 784, W=enc.W.T, name="dec")


def test_master_tied_autoencoder_agrees(lasagne_master):
    dec = _autoencoder(lasagne_master.layers)
    comparison = lp.compare(dec)
    assert comparison.ok, lp.render(comparison)
    assert comparison.derived.total_params == lasagne_master.layers.count_params(dec) == TOTAL
    assert comparison.derived.layer("dec").params == comparison.reported.layer("dec").params


def test_master_convolution_expressions(lasagne_master):
    """A tied 'deconvolution' (W = conv.W.dimshuffle(1, 0, 2, 3)) and a flipped one
    (W = conv.W[:, :, ::-1, ::-1]) hold conv.W: conv (3*3*3+1)*8 = 224, each + its b."""
    import theano
    L = lasagne_master.layers
    conv = L.Conv2DLayer(L.InputLayer((None, 3, 16, 16), name="in"), 8, 3, name="conv")
    dec = L.Conv2DLayer(conv, 3, 3, pad="full", W=conv.W.dimshuffle(1, 0, 2, 3), name="dec")
    flip = L.Conv2DLayer(dec, 8, 3, W=conv.W[:, :, ::-1, ::-1], name="flip")
    comparison = lp.compare(flip)
    assert comparison.ok, lp.render(comparison)
    assert [comparison.derived.layer(n).params for n in ("conv", "dec", "flip")] == \
        [224, 216 + 3, 216 + 8]
    assert comparison.derived.total_params == L.count_params(flip) == 224 + 3 + 8
    specs = lp.backend.networks.read.specs_from_lasagne(dec)
    assert specs[-1].args["W"] == {"shared": "conv.W",
                                   "expression": "conv.W.dimshuffle(1, 0, 2, 3)"}
    rebuilt = lp.build(specs)          # the expression rebuilt, not the array itself
    assert not isinstance(rebuilt.W, theano.compile.SharedVariable)
    assert L.get_output_shape(rebuilt) == (None, 3, 16, 16)
    assert L.count_params(rebuilt) == 224 + 3


def test_master_expression_not_derived_says_why(lasagne_master):
    """An expression of an array no earlier layer holds: Lasagne's row, with the reason."""
    import numpy as np
    import theano
    L = lasagne_master.layers
    free = theano.shared(np.ones((4, 2), "float32"), name="free")
    dense = L.DenseLayer(L.InputLayer((None, 4), name="in"), 2, W=free * 2, name="d")
    comparison = lp.compare(dense)
    assert not comparison.ok
    assert "is an expression (Elemwise) of free" in comparison.derived.layer("d").note
    assert comparison.reported.total_params == L.count_params(dense) == 4 * 2 + 2


def test_build_refuses_expressions_it_cannot_write(lasagne_master):
    specs = [LayerSpec("in", "InputLayer", (), {"shape": (None, 4)}),
             LayerSpec("a", "DenseLayer", ("in",), {"num_units": 4}),
             LayerSpec("b", "DenseLayer", ("a",), {"num_units": 4, "W": {
                 "shared": "a.W", "expression": "an expression (Elemwise) of a.W"}})]
    assert lp.derive(specs, lasagne_version="master").total_params == 20 + 4
    with pytest.raises(SpecError, match="cannot build the expression"):
        lp.build(specs)


def _weight_normalised(L, theano, extra_scale=False):
    """improved-GAN's weight_norm: after a stock layer is built, its bias leaves ``params``
    and its W becomes an expression of the array it holds and a later layer's scale g."""
    import theano.tensor as T

    class ScaleLayer(L.Layer):          # the later layer holding g
        def __init__(self, incoming, **kwargs):
            super(ScaleLayer, self).__init__(incoming, **kwargs)
            k = self.input_shape[1]
            self.g = self.add_param(lasagne_init().Constant(1.), (k,), name="g")
            held = incoming.W
            incoming.W = held * (self.g / T.sqrt(T.sum(T.square(held), axis=(1, 2, 3)))
                                 ).dimshuffle(0, "x", "x", "x")

        def get_output_shape_for(self, input_shape):
            return input_shape

    def lasagne_init():
        import lasagne
        return lasagne.init

    conv = L.Conv2DLayer(L.InputLayer((None, 3, 8, 8), name="in"), 4, 3, name="conv")
    del conv.params[conv.b]
    conv.b = None
    if extra_scale:          # a scale add_param-ed on the built layer
        conv.W_scale = conv.add_param(lasagne_init().Constant(1.), (4,), name="W_scale")
    return ScaleLayer(conv, name="wn")


def test_a_weight_normalised_stock_layer_is_derived_as_the_array_it_holds(lasagne_master):
    """W rewritten after the layer was built as an expression of the array the layer still
    holds: Lasagne counts that array, and so does the derivation (the note says so); a
    scale add_param-ed beside it from outside is counted with the shape of its call."""
    import theano
    L = lasagne_master.layers
    net = _weight_normalised(L, theano)
    comparison = lp.compare(net)
    assert comparison.ok, lp.render(comparison)
    conv = comparison.derived.layer("conv")
    assert conv.params == 4 * 3 * 3 * 3 == L.count_params(net.input_layer)
    assert comparison.derived.total_params == L.count_params(net) == 108 + 4
    assert "W: an expression of the array conv holds (rewritten after it was built" \
        in conv.note
    extra = _weight_normalised(L, theano, extra_scale=True)     # counted with its call
    comparison = lp.compare(extra)
    assert comparison.ok, lp.render(comparison)
    assert comparison.derived.layer("conv").params == 108 + 4
    assert comparison.derived.total_params == L.count_params(extra) == 108 + 4 + 4


def test_an_array_added_to_a_built_stock_layer_is_counted_with_the_shape_of_its_call(
        lasagne_master):
    """DRAW's learnt initial state: ``InputLayer`` given a shared variable, then
    ``layer.add_param(layer.input_var, (20,))`` from outside its class; improved-GAN's
    ``l2normalize``: a scale ``add_param``-ed on a built DenseLayer whose W becomes an
    expression of its array and the scale.  Lasagne counts the added arrays; the rows
    count them with the shapes the calls gave, saying where.  An array put into ``params``
    without add_param (not noted) leaves the row not derived, never a smaller count."""
    import numpy as np
    import theano
    import theano.tensor as T
    L, init = lasagne_master.layers, lasagne_master.init
    start = L.InputLayer((20,), lasagne_master.utils.create_param(
        init.Uniform(), (20,), name="h_init"), name="h0")
    start.add_param(start.input_var, (20,))
    tiled = L.ExpressionLayer(start, lambda t: T.tile(T.reshape(t, (1, 20)), (5, 1)),
                              (5, 20), name="tiled")
    dense = L.DenseLayer(tiled, 3, name="out")
    held = dense.W
    dense.W_scale = dense.add_param(init.Constant(1.), (3,), name="W_scale",
                                    trainable=False, regularizable=False)
    dense.W = held * (dense.W_scale / T.sqrt(T.sum(T.square(held), axis=0))).dimshuffle("x", 0)
    comparison = lp.compare(dense)
    assert comparison.ok, lp.render(comparison)
    h0, out = comparison.derived.layer("h0"), comparison.derived.layer("out")
    assert h0.params == 20 and "h_init (20) added after it was built (add_param at " \
        "test_expression_params.py line" in h0.note
    assert (out.params, out.trainable_params) == ((20 + 1) * 3 + 3, (20 + 1) * 3)
    assert "W: an expression of the array out holds" in out.note
    assert comparison.derived.total_params == L.count_params(dense) == 20 + 21 * 3 + 3
    hidden = L.DenseLayer(L.InputLayer((None, 4), name="in"), 2, name="d")
    hidden.params[theano.shared(np.zeros(6, "float32"), name="extra")] = {"trainable"}
    comparison = lp.compare(hidden)
    row = comparison.derived.layer("d")
    assert not row.derived and "the layer holds extra, which its constructor does not " \
        "make (added after it was built" in row.note
    assert comparison.derived.total_params == L.count_params(hidden) == 4 * 2 + 2 + 6
    assert not comparison.mismatches
