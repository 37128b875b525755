"""Every CPU layer class, recurrent layers, sharing and unsupported classes against Lasagne 0.1."""
import sys

import numpy as np
import pytest

from helpers import RECURRENT_SPECS, single_layer
from layer_cases import CASES
import lasagne_params as lp
from lasagne_params import LayerSpec


# The cases here are Lasagne 0.1's figures (master's: tests/test_master_layers.py).
pytestmark = pytest.mark.usefixtures("lasagne_release")


def build(specs, **kwargs):
    """The last layer of ``specs`` built in Lasagne."""
    from lasagne_params.backend.networks.build import build_layers
    return next(reversed(build_layers(specs, **kwargs).values()))


def _unknown_axis(inputs):
    return any(d is None for shape in inputs for d in shape[1:])


LASAGNE_01 = [c for c in CASES if not c[1].get("only_return_final") and not _unknown_axis(c[2])]
UNKNOWN_AXIS = [c for c in CASES if _unknown_axis(c[2])]


@pytest.mark.parametrize("kind, args, inputs, shape, params, trainable, formula", LASAGNE_01,
                         ids=["%s-%d" % (c[0], i) for i, c in enumerate(LASAGNE_01)])
def test_hand_computed_values_are_lasagnes(lasagne, kind, args, inputs, shape, params,
                                           trainable, formula):
    net = build(single_layer(kind, args, inputs))
    assert tuple(net.output_shape) == shape
    assert lasagne.layers.count_params(net) == params
    assert lasagne.layers.count_params(net, trainable=True) == (
        params if trainable is None else trainable)
    comparison = lp.compare(net)
    assert comparison.ok, lp.render(comparison)


@pytest.mark.parametrize("kind, args, inputs, shape, params, trainable, formula", UNKNOWN_AXIS,
                         ids=[c[0] for c in UNKNOWN_AXIS])
def test_unknown_lengths_flow_where_lasagne_01_fails(lasagne, kind, args, inputs, shape, params,
                                                     trainable, formula):
    """PadLayer, SliceLayer and ConcatLayer over an unknown (None) axis: Lasagne 0.1's
    static shape does arithmetic on None and raises TypeError; the derivation gives None."""
    with pytest.raises(TypeError):
        build(single_layer(kind, args, inputs)).output_shape
    assert None in shape


def test_only_return_final_is_not_in_lasagne_01(lasagne):
    with pytest.raises(lp.LayerRuleError,
                       match=r"LSTMLayer's keyword only_return_final= is in Lasagne master "
                             r"\(0.2.dev1\), not in the installed Lasagne 0.1; install master: "
                             r"pip install --no-deps https://github.com/Lasagne/"):
        build(single_layer("LSTMLayer", {"num_units": 5, "only_return_final": True},
                           [(None, 6, 3)]))


def test_recurrent_layers_against_lasagne(lasagne, recurrent_net):
    comparison = lp.assert_matches(recurrent_net)
    rows = {r.name: r for r in comparison.derived.layers}
    assert (rows["lstm"].params, rows["lstm"].trainable_params) == (
        4 * (3 + 4 + 1) * 4 + 3 * 4 + 2 * 4, 4 * (3 + 4 + 1) * 4 + 3 * 4)
    assert (rows["gru"].params, rows["gru"].trainable_params) == ((3 * 8 * 3 + 3,) * 2)
    assert rows["rnn"].param_formula == "(3+2)*2 + 2"
    assert rows["custom"].param_formula == "(2+1)*6 + 6*6 + 6"
    assert rows["tied"].params == 4 * (3 + 4 + 1) * 4 + 4        # cell_init only
    assert comparison.derived.shared == {"lstm.W_in_to_ingate": ["lstm", "tied"],
                                         "lstm.W_hid_to_ingate": ["lstm", "tied"]}
    total = lasagne.layers.count_params(recurrent_net)
    assert comparison.derived.total_params == total == sum(
        r.params for r in rows.values()) - 3 * 4 - 4 * 4
    assert comparison.derived.trainable_params == lasagne.layers.count_params(
        recurrent_net, trainable=True)


def test_build_and_compare_recurrent_specs(lasagne):
    """Spec lists with LSTM gates, a shared gate array, an untagged bias, hid_init=None and
    a CustomRecurrentLayer's sub-networks build through lp.build and agree with Lasagne."""
    comparison = lp.compare(RECURRENT_SPECS)
    assert comparison.ok, lp.render(comparison)
    derived = comparison.derived
    # lstm: 4 gates * (3*4 + 4*4 + 4) + 3 peepholes * 4, + cell_init 4 + hid_init 4 untrained
    lstm = 4 * (3 * 4 + 4 * 4 + 4) + 3 * 4
    assert (derived.layer("lstm").params, derived.layer("lstm").trainable_params) == (
        lstm + 4 + 4, lstm)
    # custom: (4+1)*6 + 6*6, + hid_init 6 untrained
    custom = (4 + 1) * 6 + 6 * 6
    assert (derived.layer("custom").params, derived.layer("custom").trainable_params) == (
        custom + 6, custom)
    # tied: 4 gates * (6*4 + 4*4 + 4) + cell_init 4 (untrained), and b_ingate (4) untagged
    tied = 4 * (6 * 4 + 4 * 4 + 4)
    assert (derived.layer("tied").params, derived.layer("tied").trainable_params) == (
        tied + 4, tied - 4)
    out = lp.build(RECURRENT_SPECS)
    built = {layer.name: layer for layer in lasagne.layers.get_all_layers(out)}
    assert out is built["tied"] and out.W_hid_to_ingate is built["lstm"].W_hid_to_ingate
    assert built["lstm"].input_layers == [built["in"], built["mask"]]
    assert out.hid_init is not None and not hasattr(out.hid_init, "get_value")
    # the tied W_hid_to_ingate (4*4) is counted once
    assert derived.total_params == lasagne.layers.count_params(out) \
        == (lstm + 8) + (custom + 6) + (tied + 4) - 4 * 4
    assert derived.trainable_params == lasagne.layers.count_params(out, trainable=True) \
        == lstm + custom + (tied - 4) - 4 * 4


def test_recurrent_layer_name_collision(lasagne):
    """Lasagne 0.1 names both of a RecurrentLayer's weight matrices '<name>.W'."""
    from lasagne import layers
    rnn = layers.RecurrentLayer(layers.InputLayer((None, 5, 3)), 4, name="rnn")
    assert str(rnn.W_in_to_hid.name) == str(rnn.W_hid_to_hid.name) == "rnn.W"
    reported = lp.from_lasagne(rnn).layer("rnn")
    assert sorted(t.name for t in reported.param_arrays) == ["W_hid_to_hid", "W_in_to_hid", "b",
                                                      "hid_init"]
    assert len({t.key for t in reported.param_arrays}) == 4
    assert "names W_in_to_hid and W_hid_to_hid alike" in lp.derive(rnn).layer("rnn").note


def test_shared_weights_in_a_dag(lasagne):
    """Two branches sharing one conv's W, summed: each row shows its W, the total counts it once."""
    from lasagne import layers
    inp = layers.InputLayer((None, 3, 8, 8), name="in")
    a = layers.Conv2DLayer(inp, 4, 3, pad="same", name="a")
    b = layers.Conv2DLayer(inp, 4, 3, pad="same", W=a.W, name="b")
    net = layers.ElemwiseSumLayer([a, b], name="sum")
    comparison = lp.assert_matches(net)
    conv = (3 * 3 * 3 + 1) * 4
    assert [r.params for r in comparison.derived.layers] == [0, conv, conv, 0]
    assert comparison.derived.total_params == conv + 4 == lasagne.layers.count_params(net)
    text = lp.render(comparison.derived, "answer")
    assert "total: 112 + 112 = 224, counting each shared array once: 116" in text
    summary = lp.render(comparison.derived)
    assert "  a.W: a, b\n\nTotal params: 116\n" in summary       # 112 + 4, the W once
    assert text.endswith("shared arrays (each counted once in the total):\n  a.W: a, b\n")


@pytest.fixture(scope="module")
def custom_net(lasagne):
    """A class whose code cannot run again (it reads its scales once, as from a file): it
    cannot be derived from its code either (tests/test_class_code.py)."""
    from lasagne import layers
    scales = [lasagne.init.Constant(1.)]

    class Scale(layers.Layer):
        def __init__(self, incoming, **kwargs):
            super().__init__(incoming, **kwargs)
            self.scale = self.add_param(scales.pop(), (self.input_shape[1],), name="scale")

        def get_output_shape_for(self, input_shape):
            return (input_shape[0], input_shape[1] * 2)

    net = layers.InputLayer((None, 8), name="in")
    net = Scale(layers.DenseLayer(net, 6, name="a"), name="scale")
    return layers.DenseLayer(net, 4, name="out")


def test_unsupported_class_compare_continues(lasagne, custom_net):
    with pytest.raises(lp.UnsupportedLayerError, match="no layer kind 'Scale' is declared"):
        lp.derive(custom_net)
    comparison = lp.compare(custom_net)
    assert not comparison.ok and comparison.mismatches == ()
    assert comparison.not_derived == ("scale",)
    scale, out = comparison.derived.layer("scale"), comparison.derived.layer("out")
    assert not scale.derived and (scale.params, scale.output_shape) == (6, (None, 12))
    assert scale.note.startswith("not derived: no layer kind 'Scale' is declared")
    assert out.derived and out.param_formula == "(12+1)*4"    # from Lasagne's 12
    assert comparison.derived.total_params == (8 + 1) * 6 + 6 + (12 + 1) * 4 \
        == lasagne.layers.count_params(custom_net)
    text = lp.render(comparison)
    assert [line.split()[1:3] + line.split()[-2:] for line in text.splitlines()[2:6]] == [
        ["in", "InputLayer", "0", "ok"], ["a", "DenseLayer", "54", "ok"],
        ["scale", "Scale", "not", "derived"], ["out", "DenseLayer", "52", "ok"]]
    assert "1 layer(s) not derived (Lasagne's figures shown; later layers derived from its " \
           "output shape):\n  scale: not derived: no layer kind 'Scale'" in text
    with pytest.raises(AssertionError, match="scale: not derived: no layer kind 'Scale'"):
        lp.assert_matches(custom_net)


def test_configuration_lasagne_accepts_but_the_rules_reject(lasagne):
    """Lasagne builds a conv whose output is empty; compare() shows it, not derived."""
    from lasagne import layers
    net = layers.Conv2DLayer(layers.InputLayer((None, 3, 6, 6), name="in"), 2, 7, name="c")
    assert net.output_shape == (None, 2, 0, 0)
    comparison = lp.compare(net)
    assert comparison.not_derived == ("c",)
    assert comparison.derived.layer("c").note == (
        "not derived: filter_size: output length (6-(7-1))=0 is not positive")


def test_runtime_shapes_of_lasagnes_known_shape_bugs(lasagne):
    """Lasagne#154 (strided 'full' conv) and #685 / Theano#4534 (strided pooling with
    ignore_border=False): on this stack Lasagne's static shape, the derivation and the
    array Theano computes all agree (compiled forward pass)."""
    import theano
    from lasagne import layers
    cases = [  # (input shape, layer kind, kwargs, expected)
        ((1, 1, 10, 10), "Conv2DLayer", dict(num_filters=1, filter_size=3, stride=2,
                                             pad="full"), (1, 1, 6, 6)),        # #154
        ((1, 1, 9, 9), "Conv2DLayer", dict(num_filters=1, filter_size=4, stride=3,
                                           pad="full"), (1, 1, 4, 4)),
        ((1, 1, 6, 12), "MaxPool2DLayer", dict(pool_size=6, stride=2,
                                               ignore_border=False), (1, 1, 1, 4)),  # #685
        ((1, 1, 4, 4), "MaxPool2DLayer", dict(pool_size=4, stride=2,
                                              ignore_border=False), (1, 1, 1, 1)),  # 4534
        ((1, 1, 7, 9), "Pool2DLayer", dict(pool_size=4, stride=2, ignore_border=False,
                                           mode="average_exc_pad"), (1, 1, 3, 4)),
    ]
    inputs, outputs = [], []
    for shape, kind, kwargs, expected in cases:
        inp = layers.InputLayer(shape)
        net = getattr(layers, kind)(inp, **kwargs)
        assert tuple(net.output_shape) == expected
        assert lp.derive(net).layers[-1].output_shape == expected
        inputs.append(inp.input_var)
        outputs.append(layers.get_output(net))
    arrays = theano.function(inputs, outputs)(
        *[np.ones(c[0], dtype=theano.config.floatX) for c in cases])
    assert [a.shape for a in arrays] == [c[3] for c in cases]


def test_strided_pooling_sweep_matches_theano(lasagne):
    """ignore_border=False, every length 1..12, window 1..5, stride 1..5: derived == Theano."""
    import theano
    import theano.tensor as T
    from theano.tensor.signal import pool
    from lasagne_params.core.axis import pool_length
    x, ws, st = T.tensor4(), T.ivector(), T.ivector()
    f = theano.function([x, ws, st], pool.pool_2d(x, ws=ws, stride=st, ignore_border=False))
    for length in range(1, 13):
        data = np.ones((1, 1, length, 1), dtype=theano.config.floatX)
        for size in range(1, 6):
            for stride in range(1, 6):
                got = f(data, np.array([size, 1], "int32"), np.array([stride, 1], "int32"))
                assert got.shape[2] == pool_length(length, size, stride, 0, False).value, (
                    length, size, stride)


@pytest.mark.slow
def test_lstm_forward_pass_runs_on_python_scan(lasagne):
    """Theano's Cython scan cannot build on Python 3.11; compat makes Theano use its Python
    scan, and a masked LSTM really runs."""
    import theano
    from lasagne import layers
    if sys.version_info >= (3, 11):
        assert sys.modules.get("theano.scan.scan_perform_ext", 0) is None
    inp = layers.InputLayer((None, 5, 3))
    mask = layers.InputLayer((None, 5))
    net = layers.LSTMLayer(inp, 4, mask_input=mask)
    f = theano.function([inp.input_var, mask.input_var], layers.get_output(net))
    out = f(np.ones((2, 5, 3), theano.config.floatX), np.ones((2, 5), theano.config.floatX))
    assert out.shape == (2, 5, 4) == (2,) + lp.derive(net).layers[-1].output_shape[1:]
    assert np.isfinite(out).all() and np.abs(out).max() > 0


@pytest.mark.slow
def test_recurrent_runtime_shapes(lasagne, recurrent_net):
    """Every recurrent layer's array has the derived shape (Python linker: no C build)."""
    import theano
    from lasagne import layers
    all_layers = layers.get_all_layers(recurrent_net)
    derived = lp.derive(recurrent_net).layers
    by_name = {l.name: l for l in all_layers}
    inputs = [by_name["in"].input_var, by_name["mask"].input_var, by_name["tied"].hid_init]
    mode = theano.compile.Mode(linker="py", optimizer="fast_compile")
    f = theano.function(inputs, layers.get_output(all_layers), mode=mode,
                        on_unused_input="ignore")
    x = np.random.RandomState(0).rand(2, 5, 3).astype(theano.config.floatX)
    arrays = f(x, np.ones((2, 5), theano.config.floatX), np.zeros((2, 4), theano.config.floatX))
    assert [a.shape for a in arrays] == [(2,) + r.output_shape[1:] for r in derived]


@pytest.mark.parametrize("kind, message", [
    ("DenseLayr", r"lasagne.layers has no layer class 'DenseLayr'; did you mean DenseLayer\?$"),
    ("Conv2DDNNLayer", r"cannot import lasagne.layers.dnn: .* \(a GPU-only class: Lasagne "
                       r"builds it only with a GPU\)$"),
])
def test_build_names_a_missing_class(lasagne, kind, message, monkeypatch):
    from lasagne_params.backend.networks.build import build_layers
    from lasagne_params.backend.bridges import compat, gpu_standins
    # without the CPU stand-ins (gpu_standins.py) a GPU module does not import here
    monkeypatch.setattr(compat, "install_gpu_standins", lambda report: None)
    monkeypatch.setattr(sys, "meta_path", [f for f in sys.meta_path
                                           if not isinstance(f, gpu_standins.StandinFinder)])
    monkeypatch.delitem(sys.modules, "lasagne.layers.dnn", raising=False)
    monkeypatch.delattr(lasagne.layers, "dnn", raising=False)
    specs = [LayerSpec("in", "InputLayer", (), {"shape": (None, 1, 8, 8)}),
             LayerSpec("x", kind, ("in",), {"num_units": 2})]
    with pytest.raises(lp.SpecError, match=message) as info:
        build_layers(specs)
    assert (info.value.layer, info.value.kind, info.value.field) == ("x", kind, "kind")


def test_share_errors_name_the_reference(lasagne):
    from lasagne_params.backend.networks.build import build_layers
    specs = [LayerSpec("in", "InputLayer", (), {"shape": (None, 4)}),
             LayerSpec("a", "DenseLayer", ("in",), {"num_units": 2, "b": None}),
             LayerSpec("d", "DenseLayer", ("a",), {"num_units": 2, "W": {"shared": "z.W"}})]
    with pytest.raises(lp.SpecError, match=r"layer 'd' \(DenseLayer\): W: shares 'z.W', "
                                           r"which no earlier layer holds$"):
        build_layers(specs)
    specs[2] = LayerSpec("d", "DenseLayer", ("a",), {"num_units": 2, "b": {"shared": "a.b"}})
    with pytest.raises(lp.SpecError, match=r"b: layer 'a' has no parameter 'b' to share$"):
        build_layers(specs)
