"""Runtime verification: derived, Lasagne's and Theano's actual shapes, layer by layer."""
import pytest

from helpers import QUESTION_NAMES, QUESTION_SHAPES
import lasagne_params as lp
from lasagne_params.core.records import LayerRow, Report
from lasagne_params.core.runtime_check import compare_runtime, with_batch
from lasagne_params.render.compare import mismatch_line


@pytest.fixture(scope="module")
def digits():
    from lasagne_params.backend.training.datasets import load_mnist
    return load_mnist(source="bundled")


def test_question_network_on_real_digits(question_net, digits):
    check = lp.verify_runtime(question_net, digits.X[:5], digits.source)
    assert check.ok and bool(check)
    assert check.batch_size == 5
    assert [r.name for r in check.rows] == QUESTION_NAMES
    expected = [(5,) + s[1:] for s in QUESTION_SHAPES]
    assert [r.runtime for r in check.rows] == expected
    assert [r.derived for r in check.rows] == expected
    assert [r.lasagne for r in check.rows] == expected
    assert [r.verdict for r in check.rows] == ["ok"] * 7
    text = lp.render(check)
    assert text.splitlines()[:4] == [
        "  #  name      kind               derived     Lasagne     runtime  check",
        "---  --------  --------------  ----------  ----------  ----------  -------",
        "  0  input     InputLayer       5x1x28x28   5x1x28x28   5x1x28x28  ok",
        "  1  conv2d1   Conv2DLayer     5x32x24x24  5x32x24x24  5x32x24x24  ok"]
    assert text.splitlines()[-1] == ("all 7 layers: derived = Lasagne = runtime shape on "
                                     "a batch of 5 from bundled sample (500 digits)")
    assert check.to_dict()["layers"][5]["runtime"] == [5, 256]


def test_wrong_derivation_is_caught(lasagne, question_net, digits, dense_off_by_one):
    """A deliberately wrong rule: the runtime array proves the derivation wrong."""
    check = lp.verify_runtime(question_net, digits.X[:3])
    assert not check.ok
    assert [(m.layer, m.field, m.derived, m.reported, m.runtime, m.wrong)
            for m in check.mismatches] == [
        ("dense", "output_shape", (3, 257), (3, 256), (3, 256), "derivation wrong"),
        ("output", "output_shape", (3, 11), (3, 10), (3, 10), "derivation wrong")]
    assert isinstance(check.mismatches[0], lp.Mismatch)      # reported like compare()'s
    assert check.to_dict()["mismatches"][0] == {
        "layer": "dense", "field": "output_shape", "derived": (3, 257), "reported": (3, 256),
        "runtime": (3, 256), "wrong": "derivation wrong"}
    text = lp.render(check)
    assert "  5  dense     DenseLayer           3x257       3x256       3x256  " \
           "derivation wrong" in text
    assert ("2 runtime mismatch(es) on a batch of 3:\n"
            "  dense: output_shape: derived (3, 257), Lasagne (3, 256), runtime (3, 256): "
            "derivation wrong\n") in text


def test_wrong_lasagne_shape_is_named(lasagne, digits):
    """Lasagne's static inference made wrong (as in its historical bugs) is named as such."""
    import mnist_cnn
    net = mnist_cnn.build_network()
    pool = lasagne.layers.get_all_layers(net)[4]
    pool.get_output_shape_for = lambda shape: (shape[0], 32, 6, 6)   # instance only
    check = lp.verify_runtime(net, digits.X[:2])
    assert [mismatch_line(m) for m in check.mismatches] == [
        "maxpool2: output_shape: derived (2, 32, 5, 5), Lasagne (2, 32, 6, 6), "
        "runtime (2, 32, 5, 5): Lasagne wrong"]
    assert [r.verdict for r in check.rows] == ["ok"] * 4 + ["Lasagne wrong", "ok", "ok"]


# Configurations where Lasagne's static shape was wrong in the past: strided 'full'
# convolution (Lasagne#154) and strided pooling with ignore_border=False
# (Lasagne#685, Theano#4534).  On Lasagne 0.1 + Theano-PyMC 1.1.2 all three agree.
HISTORICAL = [
    # 28 + 2*(5-1) = 36 padded; (36-5)//3 + 1 = 11
    ("Conv2DLayer", (None, 3, 28, 28), dict(num_filters=4, filter_size=5, pad="full",
                                            stride=3), (4, 11, 11)),
    # (10 + 2*2 - 3)//2 + 1 = 6
    ("Conv2DLayer", (None, 3, 10, 10), dict(num_filters=4, filter_size=3, pad="full",
                                            stride=2), (4, 6, 6)),
    # stride < pool: ceil((27-3)/2) + 1 = 13, ceil((25-3)/2) + 1 = 12
    ("MaxPool2DLayer", (None, 3, 27, 25), dict(pool_size=3, stride=2,
                                               ignore_border=False), (3, 13, 12)),
    # stride >= pool: ceil(8/3) = 3 on both axes
    ("MaxPool2DLayer", (None, 3, 8, 8), dict(pool_size=2, stride=3,
                                             ignore_border=False), (3, 3, 3)),
]


@pytest.mark.parametrize("kind, input_shape, kwargs, expected", HISTORICAL,
                         ids=["%s-%d" % (c[0], i) for i, c in enumerate(HISTORICAL)])
def test_historical_static_bugs_agree_here(lasagne, kind, input_shape, kwargs, expected):
    import numpy
    from lasagne import layers
    net = getattr(layers, kind)(layers.InputLayer(input_shape, name="in"), name="x",
                                **kwargs)
    batch = numpy.zeros((2,) + input_shape[1:])
    check = lp.verify_runtime(net, batch)
    assert check.ok, lp.render(check)
    assert check.rows[1].runtime == (2,) + expected
    assert check.rows[1].lasagne == check.rows[1].derived == (2,) + expected


def test_unknown_lengths_accept_the_runtime_length(lasagne):
    import numpy
    from lasagne import layers
    net = layers.Conv2DLayer(layers.InputLayer((None, 3, None, 12), name="in"), 2, 3,
                             name="conv")
    check = lp.verify_runtime(net, numpy.zeros((4, 3, 8, 12)))
    assert check.ok
    assert check.rows[1].derived == (4, 2, None, 10)
    assert check.rows[1].runtime == (4, 2, 6, 10)
    assert "4x2xNonex10" in lp.render(check)


def test_batch_that_does_not_fit_the_input(question_net, digits):
    with pytest.raises(lp.SpecError) as info:
        lp.verify_runtime(question_net, digits.X[:2, :, :27])
    assert str(info.value) == ("layer 'input' (InputLayer): batch: shape 2x1x27x28 does "
                               "not fit the declared (None, 1, 28, 28)")


def test_the_compiled_function_is_cached(lasagne, question_net, digits, monkeypatch):
    import theano
    lp.verify_runtime(question_net, digits.X[:2])

    def no_compiling(*args, **kwargs):
        raise AssertionError("compiled again")

    monkeypatch.setattr(theano, "function", no_compiling)
    assert lp.verify_runtime(question_net, digits.X[:3]).batch_size == 3


def _report(shapes):
    return Report.of(LayerRow(i, "l%d" % i, "DenseLayer", s, 0, 0)
                     for i, s in enumerate(shapes))


def test_verdicts_judge_against_runtime():
    derived = _report([(None, 4), (None, 3), (None, 2), (None, 9)])
    lasagne = _report([(None, 4), (None, 5), (None, 7), (None, 8)])
    check = compare_runtime(derived, lasagne, [(6, 4), (6, 5), (6, 2), (6, 1)])
    assert [r.verdict for r in check.rows] == [
        "ok", "derivation wrong", "Lasagne wrong", "derivation and Lasagne wrong"]
    assert [m.layer for m in check.mismatches] == ["l1", "l2", "l3"]
    assert check.batch_size == 6
    assert with_batch((None, 3), 6) == (6, 3) and with_batch((2, 3), 6) == (2, 3)
    with pytest.raises(lp.SpecError, match="one shape per layer: 4 derived, 4 Lasagne, "
                                           "3 runtime"):
        compare_runtime(derived, lasagne, [(6, 4)] * 3)


def test_sweep_pool_and_full_conv_lengths_three_ways(lasagne):
    """Every small strided case: our axis arithmetic, Lasagne's static helper, Theano's array.

    Pooling with ignore_border=False over lengths 1-11, pools 1-5, strides 1-5 (one
    compiled function, pool and stride symbolic); 'full' convolution over lengths 1-11,
    filters 2-5, strides 2-3.
    """
    import numpy
    import theano
    import theano.tensor as T
    from theano.tensor.signal import pool
    from lasagne.layers.conv import conv_output_length
    from lasagne.layers.pool import pool_output_length
    from lasagne_params.core import axis
    floatX = theano.config.floatX
    x, ws, st = T.tensor4(), T.ivector(), T.ivector()
    pooled = theano.function([x, ws, st], pool.pool_2d(x, ws=ws, stride=st,
                                                       ignore_border=False).shape)
    seen = []
    for length in range(1, 12):
        for size in range(1, 6):
            for stride in range(1, 6):
                actual = int(pooled(numpy.zeros((1, 1, length, 1), floatX),
                                    numpy.array([size, 1], "int32"),
                                    numpy.array([stride, 1], "int32"))[2])
                ours = axis.pool_length(length, size, stride, 0, ignore_border=False).value
                theirs = pool_output_length(length, size, stride, 0, False)
                seen.append((length, size, stride, ours, theirs, actual))
    assert [s for s in seen if not s[3] == s[4] == s[5]] == []
    assert len(seen) == 275
    assert (11, 3, 2, 5, 5, 5) in seen       # stride < pool: ceil((11-3)/2) + 1 = 5
    assert (8, 2, 3, 3, 3, 3) in seen        # stride >= pool: ceil(8/3) = 3
    w = T.tensor4()
    for stride in (2, 3):
        conv = theano.function([x, w], T.nnet.conv2d(x, w, border_mode="full",
                                                     subsample=(stride, 1)).shape)
        for size in range(2, 6):
            for length in range(1, 12):
                actual = int(conv(numpy.zeros((1, 1, length, 1), floatX),
                                  numpy.zeros((1, 1, size, 1), floatX))[2])
                ours = axis.conv_length(length, size, stride, "full").value
                theirs = conv_output_length(length, size, stride, "full")
                assert ours == theirs == actual, (length, size, stride, ours, theirs, actual)
    # e.g. length 10, filter 3, stride 2: (10 + 2*2 - 3)//2 + 1 = 6
    assert axis.conv_length(10, 3, 2, "full").value == 6


def test_verify_runtime_takes_what_derive_takes(lasagne, digits, tmp_path):
    """issue 22: the tour's "any network" — a spec path, LayerSpecs, a NeuralNet and a
    Python target are checked like a built output layer."""
    from helpers import EXAMPLE, LAYERS_YAML, NOLEARN_JSON
    from lasagne_params.describe.spec import load_spec
    expected = [(4,) + s[1:] for s in QUESTION_SHAPES]
    net = lp.NeuralNet(**__import__("json").load(open(NOLEARN_JSON)))
    for network in (NOLEARN_JSON, LAYERS_YAML, load_spec(LAYERS_YAML), net,
                    EXAMPLE + ":network"):
        check = lp.verify_runtime(network, digits.X[:4])
        assert check.ok, network
        assert [r.runtime for r in check.rows] == expected


def test_verify_runtime_refuses_two_outputs_naming_them(lasagne, tmp_path):
    import json
    spec = tmp_path / "two.json"
    spec.write_text(json.dumps({"layers": [
        {"name": "in", "kind": "InputLayer", "shape": [None, 20]},
        {"name": "hidden", "kind": "DenseLayer", "num_units": 10},
        {"name": "class", "kind": "DenseLayer", "num_units": 3, "incoming": "hidden"},
        {"name": "box", "kind": "DenseLayer", "num_units": 4, "incoming": "hidden"}]}))
    with pytest.raises(lp.ArgumentError, match=r"network: a runtime check runs a network "
                                               r"with one output; this one has 2 \(class, box\)"):
        lp.verify_runtime(str(spec), [[0.0] * 20])


def test_a_check_prints_as_its_table_and_reprs_in_one_line(question_net, digits):
    check = lp.verify_runtime(question_net, digits.X[:2])
    assert str(check) == lp.render(check)
    assert repr(check) == "RuntimeCheck(ok=True, 7 layers, batch_size=2, 0 mismatches)"
