"""nolearn.lasagne behaving as nolearn 0.6.1's own test suite says it must.

nolearn's suite cannot run here (its tests cannot be committed, and CI cannot
fetch them: benchmarks/peer_suites.py runs it where they can be had).  Each
test below asserts, in its own words and values, one behaviour that suite
checks and the stand-in once lacked: checks at ``initialize()`` rather than
when the net is made, ``more_params`` for layers the net lacks, ``<layer>_name``,
factories that are not classes, one compiled path for ``get_output`` and
``predict_proba``, nolearn's module layout, ``_check_good_input``, the
layer information's private helpers and the capacity table, the regression
score's argument order, and the legacy ``train_test_split`` method.
"""
import builtins
import functools
import types
import warnings

import pytest

from lasagne_params import SpecError


@pytest.fixture
def data():
    import numpy
    rng = numpy.random.RandomState(3)
    X = rng.rand(40, 6).astype("float32")
    y = (X[:, 0] + X[:, 1] > 1).astype("int32")
    return X, y


def dense_net(nolearn, **keywords):
    from lasagne import layers
    options = dict(layers=[("input", layers.InputLayer), ("hidden", layers.DenseLayer),
                           ("output", layers.DenseLayer)],
                   input_shape=(None, 6), hidden_num_units=4, output_num_units=2,
                   output_nonlinearity="softmax", update_learning_rate=0.05, max_epochs=1)
    options.update(keywords)
    return nolearn.NeuralNet(**options)


# -- checked when initialized, as nolearn ------------------------------------

def test_placeholder_layers_are_refused_when_built_not_when_made(nolearn):
    empty = nolearn.NeuralNet(layers=[], update_momentum=0.9)
    not_a_factory = nolearn.NeuralNet([("input", object())], input_shape=(10, 10))
    assert empty.update_momentum == 0.9 and not_a_factory.input_shape == (10, 10)
    with pytest.raises(SpecError, match=r"^layers: expected a list of \(name, LayerClass\)"):
        empty.initialize()
    with pytest.raises(SpecError, match=r"^layer 'input': layers: expected a layer class, "
                                        r"its name, or a function returning a layer"):
        not_a_factory.initialize()


def test_a_grid_search_clones_an_empty_net_and_sets_more_params(nolearn, monkeypatch):
    model_selection = pytest.importorskip("sklearn.model_selection")
    import numpy
    seen = []

    def fit(self, X, y):
        seen.append((self.more_params, self.update_momentum))
        return self

    monkeypatch.setattr(nolearn.NeuralNet, "fit", fit)
    monkeypatch.setattr(nolearn.NeuralNet, "score", lambda self, X, y: 0.5)
    grid = {"more_params": [{"hidden_num_units": 7}, {"hidden_num_units": 9}],
            "update_momentum": [0.5]}
    search = model_selection.GridSearchCV(nolearn.NeuralNet(layers=[]), grid, cv=3,
                                          refit=False)
    search.fit(numpy.zeros((12, 2)), numpy.arange(12) % 2)
    assert seen == [({"hidden_num_units": 7}, 0.5)] * 3 + [({"hidden_num_units": 9}, 0.5)] * 3


def test_a_keyword_naming_no_layer_is_nolearns_unused_kwarg(nolearn):
    net = dense_net(nolearn, hiden_num_units=5)
    net.initialize_layers()                         # nolearn built first, then checked
    with pytest.raises(SpecError) as refused:
        net.initialize()
    assert str(refused.value) == "Unused kwarg: hiden_num_units; did you mean hidden_num_units?"


def test_more_params_for_absent_layers_are_ignored_with_a_warning(nolearn, data):
    import lasagne_params
    net = dense_net(nolearn, hidden_num_units=None,
                    more_params={"hidden_num_units": 3, "conv9_num_filters": 8,
                                 "hiddn_nonlinearity": None})
    with pytest.warns(UserWarning) as said:
        net.initialize()
    lines = sorted(str(w.message) for w in said)
    assert lines == [
        "more_params: conv9_num_filters names no layer of this network; ignored, as nolearn "
        "ignored it",
        "more_params: hiddn_nonlinearity names no layer of this network; ignored, as nolearn "
        "ignored it; did you mean hidden_nonlinearity?"]
    assert net.layers_["hidden"].num_units == 3
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert lasagne_params.derive(net).total_params == (6 + 1) * 3 + (3 + 1) * 2


def test_layer_name_keywords_are_passed_on_as_name(nolearn):
    import lasagne_params
    from lasagne import layers
    kept = nolearn.NeuralNet(layers=[("a", layers.InputLayer), ("b", layers.DenseLayer)],
                             a_shape=(None, 3), a_name="a", b_num_units=2, b_name="b")
    kept.initialize()
    assert list(kept.layers_) == ["a", "b"] and kept.layers_["b"].name == "b"
    renamed = nolearn.NeuralNet(layers=[("a", layers.InputLayer), ("b", layers.DenseLayer)],
                                a_shape=(None, 3), b_num_units=2, b_name="fc")
    renamed.initialize()
    assert list(renamed.layers_) == ["a", "fc"] and renamed.layers_["fc"].num_units == 2
    assert [row.name for row in lasagne_params.derive(renamed).layers] == ["a", "fc"]


def test_any_callable_builds_a_layer_as_nolearn_called_it(nolearn):
    from lasagne import layers

    def hidden(incoming, name, width):
        return layers.DenseLayer(incoming, width, name=name)

    net = nolearn.NeuralNet(layers=[("input", layers.InputLayer), ("hidden", hidden),
                                    (functools.partial(layers.DenseLayer, num_units=2), {})],
                            input_shape=(None, 5), hidden_width=3)
    net.initialize()
    assert list(net.layers_) == ["input", "hidden", "dense2"]       # nolearn's default name
    assert net.layers_["dense2"].input_layer is net.layers_["hidden"]
    assert sum(p.get_value().size for p in net.get_all_params()) == (5 + 1) * 3 + (3 + 1) * 2
    import lasagne_params
    with pytest.raises(SpecError, match="layer 'hidden': layers: a layer factory that is not "
                                        "a class .* derive the built network instead"):
        lasagne_params.derive(net)


def test_references_by_name_in_a_called_net(nolearn):
    from lasagne import layers
    net = nolearn.NeuralNet(layers=[
        ("input", layers.InputLayer), ("left", lambda **kw: layers.DenseLayer(**kw)),
        ("right", layers.DenseLayer), ("both", layers.ConcatLayer)],
        input_shape=(None, 4), left_num_units=2, right_num_units=2, right_incoming="inptu",
        both_incomings=["left", "right"], right_W="left")
    with pytest.raises(SpecError, match="^layer 'right': incoming: no earlier layer called "
                                        "'inptu'; did you mean input\\?$"):
        net.initialize()
    net.set_params(right_incoming="input")
    net.initialize()
    assert net.layers_["right"].W is net.layers_["left"].W          # right_W="left"
    assert net.layers_["right"].input_layer is net.layers_["input"]
    assert net.layers_["both"].output_shape == (None, 2 + 2)


# -- one compiled path ------------------------------------------------------

@pytest.mark.slow
def test_get_output_of_the_last_layer_is_predict_proba_to_the_bit(nolearn, data):
    import numpy
    X, y = data
    net = dense_net(nolearn, batch_iterator_test=nolearn.BatchIterator(batch_size=7))
    net.fit(X, y)
    assert numpy.array_equal(net.get_output(net.layers_[-1], X), net.predict_proba(X))
    assert numpy.array_equal(net.get_output("output", X[:9]), net.predict_proba(X[:9]))
    W, b = net.layers_["hidden"].W.get_value(), net.layers_["hidden"].b.get_value()
    numpy.testing.assert_allclose(net.get_output("hidden", X), numpy.maximum(X @ W + b, 0),
                                  rtol=1e-6)


# -- nolearn's module layout -----------------------------------------------

def test_nolearns_modules_and_what_tests_patch_in_them(nolearn, monkeypatch, tmp_path):
    import numpy
    import nolearn._compat as compat
    from nolearn.lasagne import base, handlers, util
    assert compat.builtins is builtins and compat.basestring is str and not compat.PY2
    assert base.NeuralNet is nolearn.NeuralNet and util.is_conv2d is not None
    calls = []
    monkeypatch.setattr(base, "get_output", lambda layer, **kw: calls.append((layer, kw))
                        or "out")
    loss = base.objective([7, 8], loss_function=lambda out, target: numpy.array([2.0, 5.0]),
                          target="t", get_output_kw={"extra": 1})
    assert loss == 3.5 and calls == [(8, {"deterministic": False, "extra": 1})]
    dumped = []
    monkeypatch.setattr(handlers, "pickle", types.SimpleNamespace(
        dump=lambda obj, handle, protocol: dumped.append((obj, handle.mode, protocol))))
    path = tmp_path / "net-{epoch}.pkl"
    handlers.SaveWeights(str(path), pickle=True)("the net", [{"epoch": 3, "valid_loss": 1.0}])
    assert dumped == [("the net", "wb", -1)] and (tmp_path / "net-0003.pkl").exists()


def test_check_good_input_as_nolearn(nolearn):
    import numpy
    from lasagne_params import TrainingError
    net = nolearn.NeuralNet(layers=[])
    X, y = numpy.ones((5, 2)), numpy.arange(5)
    assert net._check_good_input(X, y) == (X, y) and net._check_good_input(X)[1] is None
    with pytest.raises(TrainingError, match="^y: X has 5 samples but y has 4$"):
        net._check_good_input(X, y[:4])
    with pytest.raises(TrainingError, match="^X: the arrays of X differ in length: a 5, b 3$"):
        net._check_good_input({"a": X, "b": X[:3]})
    net.regression = True
    assert net._check_good_input(X, y * 1.0)[1].shape == (5, 1)


# -- the layer information ----------------------------------------------------

def conv_net(nolearn, verbose):
    from lasagne import layers
    net = nolearn.NeuralNet(
        layers=[("input", layers.InputLayer), ("conv1", layers.Conv2DLayer),
                ("pool1", layers.MaxPool2DLayer), ("conv2", layers.Conv2DLayer),
                ("output", layers.DenseLayer)],
        input_shape=(None, 1, 20, 20), conv1_num_filters=4, conv1_filter_size=3,
        pool1_pool_size=2, conv2_num_filters=4, conv2_filter_size=5, output_num_units=3,
        verbose=verbose)
    net.initialize()
    return net


def test_print_layer_info_helpers_and_the_capacity_table(nolearn, capsys):
    info = nolearn.PrintLayerInfo()
    net = conv_net(nolearn, verbose=2)
    weights = (3 * 3 * 1 + 1) * 4 + (5 * 5 * 4 + 1) * 4 + (4 * 5 * 5 + 1) * 3
    assert info._get_greeting(net) == "# Neural Network with %d learnable parameters\n" % weights
    assert info._get_layer_info_plain(net).splitlines()[2:] == [
        "  0  input   1x20x20", "  1  conv1   4x18x18", "  2  pool1   4x9x9",
        "  3  conv2   4x5x5", "  4  output  3"]
    table, legend = info._get_layer_info_conv(net)
    # conv1: filter 3, field 3 of 20: 100% capacity, 15% coverage; pool1 doubles what
    # follows: conv2's real filter 5*2 = 10, its field 3 + 2*(5-1) = 11 (90.91%, 55%)
    assert [line.split() for line in table.splitlines()[2:]] == [
        ["input", "1x20x20", "400", "100.00", "100.00", "100.00", "100.00"],
        ["conv1", "4x18x18", "1296", "100.00", "100.00", "15.00", "15.00"],
        ["pool1", "4x9x9", "324", "100.00", "100.00", "15.00", "15.00"],
        ["conv2", "4x5x5", "100", "90.91", "90.91", "55.00", "55.00"],
        ["output", "3", "3", "100.00", "100.00", "100.00", "100.00"]]
    assert "capacity too low (<1/6)" in legend and "\x1b[35mmagenta\x1b[0m" in legend
    info(net)
    out = capsys.readouterr().out
    assert "cap.Y" in out and "Explanation" in out
    plain = conv_net(nolearn, verbose=1)
    info(plain)
    assert "cap.Y" not in capsys.readouterr().out


def test_is_conv2d_and_is_maxpool2d_know_the_gpu_classes(nolearn):
    from lasagne import layers
    from lasagne.layers import dnn
    from nolearn.lasagne.util import is_conv2d, is_maxpool2d
    image = layers.InputLayer((None, 1, 8, 8))
    conv, pool = dnn.Conv2DDNNLayer(image, 2, 3), dnn.MaxPool2DDNNLayer(image, 2)
    assert is_conv2d(conv) and not is_conv2d(pool) and not is_conv2d(image)
    assert is_maxpool2d(pool) and not is_maxpool2d(conv)
    assert is_conv2d([image, pool, conv]) and not is_maxpool2d([image, conv])


# -- scores and the legacy split --------------------------------------------------

@pytest.mark.slow
def test_regression_score_is_nolearns_r2_of_predictions_against_targets(nolearn, data):
    import numpy
    from lasagne import layers
    X, _ = data
    y = (X[:, :1] * 2 - 1).astype("float32")
    net = nolearn.NeuralNet(layers=[("input", layers.InputLayer), ("out", layers.DenseLayer)],
                            input_shape=(None, 6), out_num_units=1, out_nonlinearity=None,
                            regression=True, update_learning_rate=0.0, max_epochs=1)
    net.fit(X, y)
    p, t = net.predict(X).astype("float64"), y.astype("float64")
    as_nolearn = 1 - ((p - t) ** 2).sum() / ((p - p.mean()) ** 2).sum()    # p as the truth
    textbook = 1 - ((t - p) ** 2).sum() / ((t - t.mean()) ** 2).sum()
    assert net.score(X, y) == pytest.approx(as_nolearn, rel=1e-12)
    assert abs(as_nolearn - textbook) > 1e-3                 # the order matters here
    assert net.trainer().score(X, y) == pytest.approx(textbook, rel=1e-12)


def test_a_subclass_train_test_split_is_nolearns_legacy_split(nolearn):
    import numpy
    seen = []

    class Legacy(nolearn.NeuralNet):
        def train_test_split(self, X, y, eval_size):
            seen.append(eval_size)
            return X[:3], X[3:], y[:3], y[3:]

    X, y = numpy.ones((6, 2)), numpy.zeros(6)
    Legacy([], max_epochs=0).train_loop(X, y)       # no epoch: the network is never built
    Legacy([], eval_size=0.4, max_epochs=0).train_loop(X, y)
    assert seen == [0.2, 0.4]
    assert nolearn.NeuralNet([], eval_size=0.3).train_split.eval_size == 0.3


def test_a_spec_files_more_params_for_absent_layers_warn_too():
    from lasagne_params.describe.spec import specs_from_nolearn
    with pytest.warns(UserWarning, match="^more_params: hiden_num_units names no layer of this "
                                         "network; ignored, as nolearn ignored it; did you "
                                         "mean hidden_num_units\\?$"):
        specs = specs_from_nolearn(
            [("input", "InputLayer"), ("hidden", "DenseLayer")],
            {"input_shape": (None, 3), "hidden_num_units": 2,
             "more_params": {"hiden_num_units": 9}})
    assert [spec.args.get("num_units") for spec in specs] == [None, 2]
