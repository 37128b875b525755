"""nolearn 0.6's API served as nolearn.lasagne: NeuralNet's keywords and callbacks, the rest.

Small networks on small random data; each test checks one of nolearn's
behaviours against values computed here (numpy) or set by the test.
"""
import os
import pickle
import sys

import pytest

from helpers import LEGACY, png_size


@pytest.fixture
def data():
    import numpy
    rng = numpy.random.RandomState(0)
    X = rng.rand(60, 4).astype("float32")
    y = (X[:, 0] > 0.5).astype("int32")
    return X, y


def held_out(y, fraction):
    """How many samples nolearn's stratified TrainSplit holds out: ceil(count/folds) a class."""
    import math
    import numpy
    return sum(math.ceil(count / round(1 / fraction)) for count in numpy.bincount(y) if count)


def small(nolearn, **keywords):
    from lasagne import layers
    options = dict(layers=[("input", layers.InputLayer), ("hidden", layers.DenseLayer),
                           ("output", layers.DenseLayer)],
                   input_shape=(None, 4), hidden_num_units=5, output_num_units=2,
                   output_nonlinearity="softmax", update_learning_rate=0.1, max_epochs=2)
    options.update(keywords)
    return nolearn.NeuralNet(**options)


def test_the_stand_in_is_served_with_nolearns_names(nolearn):
    import lasagne_params
    import nolearn as package
    from nolearn.lasagne import handlers, visualize
    from nolearn.lasagne.base import Layers
    assert nolearn.NeuralNet is lasagne_params.NeuralNet
    assert package.__lasagne_params_compat__ and nolearn.__lasagne_params_compat__
    assert sorted(nolearn.__all__) == sorted([
        "NeuralNet", "Layers", "BatchIterator", "TrainSplit", "objective", "grad_scale",
        "PrintLayerInfo", "PrintLog", "SaveWeights", "RememberBestWeights",
        "RestoreBestWeights", "WeightLog"])
    assert Layers([("a", 1), ("b", 2)])[1] == 2
    assert handlers.PrintLog is nolearn.PrintLog
    assert callable(visualize.plot_occlusion) and callable(visualize.draw_to_notebook)
    report = lasagne_params.install_compat()
    assert "nolearn.lasagne (stand-in)" in report.present


def test_a_real_nolearn_wins(tmp_path):
    (tmp_path / "nolearn").mkdir()
    (tmp_path / "nolearn" / "__init__.py").write_text("REAL = True\n")
    code = ("import sys; sys.path.insert(0, %r)\nimport lasagne_params\n"
            "report = lasagne_params.install_compat()\nimport nolearn\n"
            "print(nolearn.REAL, 'nolearn (installed)' in report.present)" % str(tmp_path))
    import subprocess
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=300)
    assert out.stdout.split() == ["True", "True"], out.stderr


def test_objective_l2_adds_the_penalty_nolearn_adds(nolearn, data):
    import numpy
    X, y = data
    plain = small(nolearn, update_learning_rate=0.0, max_epochs=1,
                  train_split=nolearn.TrainSplit(0))
    plain.fit(X, y)
    values = plain.get_all_params_values()
    penalized = small(nolearn, update_learning_rate=0.0, max_epochs=1,
                      train_split=nolearn.TrainSplit(0), objective_l2=0.5)
    penalized.load_params_from(values)
    penalized.fit(X, y)
    W_hidden, W_output = values["hidden"][0], values["output"][0]
    l2 = (W_hidden ** 2).sum() + (W_output ** 2).sum()      # Lasagne's l2: sum(x**2), W only
    assert penalized.train_history_[0]["train_loss"] == pytest.approx(
        plain.train_history_[0]["train_loss"] + 0.5 * l2, rel=1e-5)
    assert numpy.isnan(penalized.train_history_[0]["valid_loss"])   # TrainSplit(0): no valid


def test_callbacks_in_order_with_shared_rate_and_stop_iteration(nolearn, data):
    import numpy
    import theano
    X, y = data
    calls = []
    rate = theano.shared(numpy.float64(0.1).astype(theano.config.floatX))

    def started(net, history):
        calls.append(("started", len(history)))

    def batch(net, history):
        calls.append(("batch", len(history)))

    def epoch(net, history):
        calls.append(("epoch", history[-1]["epoch"]))
        net.update_learning_rate.set_value(numpy.float32(0))     # freeze from now on
        net.frozen = net.get_all_params_values()
        if history[-1]["epoch"] == 3:
            raise StopIteration

    def finished(net, history):
        calls.append(("finished", len(history)))

    net = small(nolearn, update_learning_rate=rate, max_epochs=10,
                batch_iterator_train=nolearn.BatchIterator(batch_size=20),
                on_training_started=[started], on_batch_finished=[batch],
                on_epoch_finished=[epoch], on_training_finished=finished)
    net.fit(X, y)
    # 60 samples, a fifth of each class held out, the rest (47 or 48) in batches of 20
    assert 40 < 60 - held_out(y, 0.2) <= 60
    assert calls == ([("started", 0)] + [("batch", 0)] * 3 + [("epoch", 1)]
                     + [("batch", 1)] * 3 + [("epoch", 2)] + [("batch", 2)] * 3
                     + [("epoch", 3)] + [("finished", 3)])
    frozen = net.frozen
    assert all(numpy.array_equal(a, b) for name in frozen
               for a, b in zip(frozen[name], net.get_all_params_values()[name]))


def test_batch_iterator_subclass_transform_and_train_split(nolearn, data):
    X, y = data
    seen = []

    class Recording(nolearn.BatchIterator):
        def transform(self, Xb, yb):
            Xb, yb = super(Recording, self).transform(Xb, yb)
            seen.append(len(Xb))
            return Xb * 0, yb

    net = small(nolearn, batch_iterator_train=Recording(batch_size=25),
                train_split=nolearn.TrainSplit(eval_size=0.25), max_epochs=1)
    net.fit(X, y)
    # 4 folds: a quarter of each class held out (ceil), the rest in batches of 25
    held = held_out(y, 0.25)
    assert seen == [25, 60 - held - 25]
    X_train, X_valid, y_train, y_valid = nolearn.TrainSplit(0.25)(X, y, net)
    assert len(X_valid) == len(y_valid) == held and len(X_train) == 60 - held


def test_scores_and_custom_scores_reach_history_and_log(nolearn, data, capsys):
    X, y = data
    net = small(nolearn, max_epochs=1, verbose=1,
                scores_valid=[("max out", lambda outs, target: outs[0].max())],  # a list
                custom_scores=[("n right", lambda yb, proba: float((proba.argmax(1) == yb)
                                                                 .sum()))])
    net.fit(X, y)
    info = net.train_history_[0]
    assert 0.5 <= info["max out"] <= 1.0
    assert info["n right"] == pytest.approx(info["valid_accuracy"] * held_out(y, 0.2),
                                            abs=1e-9)
    log = capsys.readouterr().out.splitlines()
    assert log[-3].split() == ["epoch", "trn", "loss", "val", "loss", "trn/val", "valid",
                               "acc", "max", "out", "n", "right", "dur"]


def test_label_encoder_partial_fit_and_predict(nolearn, data):
    import numpy
    X, y = data
    labels = numpy.array(["cat", "dog"])[y]
    net = small(nolearn, use_label_encoder=True)
    assert net.partial_fit(X, labels) is net
    net.partial_fit(X, labels)
    assert [h["epoch"] for h in net.train_history_] == [1, 2]
    assert set(net.predict(X)) <= {"cat", "dog"} and list(net.classes_) == ["cat", "dog"]
    assert 0 <= net.score(X, labels) <= 1


def test_sklearn_clone_and_set_params(nolearn):
    base = pytest.importorskip("sklearn.base")
    kfkd = {}
    with open(os.path.join(LEGACY, "kfkd_net.py")) as handle:
        exec(compile(handle.read(), "kfkd_net.py", "exec"), kfkd)
    net = kfkd["net"]
    copy = base.clone(net)
    assert copy is not net and copy.get_params().keys() == net.get_params().keys()
    assert copy.update_learning_rate is not net.update_learning_rate       # its own shared
    assert float(copy.update_learning_rate.get_value()) == pytest.approx(0.03)
    assert type(copy.batch_iterator_train).__name__ == "FlipBatchIterator"
    copy.output_num_units = 4                      # as kfkd's specialists do
    import lasagne_params
    assert lasagne_params.derive(copy).layers[-1].params == (1000 + 1) * 4
    assert copy.set_params(conv1_num_filters=16, update_momentum=0.5) is copy
    assert copy.get_params()["conv1_num_filters"] == 16
    assert lasagne_params.derive(copy).layers[1].params == (3 * 3 * 1 + 1) * 16


def test_params_by_layer_skip_mismatches_and_read_nolearns_pickles(nolearn, data, tmp_path,
                                                                  capsys):
    import numpy
    X, y = data
    net = small(nolearn).initialize_layers() and small(nolearn)
    net.fit(X, y)
    path = tmp_path / "params.npz"
    net.save_params_to(str(path))
    wider = small(nolearn, hidden_num_units=7)
    wider.load_params_from(str(path))
    assert capsys.readouterr().err.splitlines() == [
        "Could not load parameters to layer 'hidden' because shapes did not match: 4x7 vs 4x5.",
        "Could not load parameters to layer 'hidden' because shapes did not match: 7 vs 5.",
        "Could not load parameters to layer 'output' because shapes did not match: 7x2 vs 5x2."]
    same = small(nolearn, verbose=1)
    same.initialize_layers()
    pickled = tmp_path / "nolearn.pkl"
    with open(pickled, "wb") as handle:                     # nolearn's own format
        pickle.dump(net.get_all_params_values(), handle, -1)
    same.load_params_from(str(pickled))
    assert "Loaded parameters to layer 'output' (shape 2)." in capsys.readouterr().out
    assert numpy.allclose(same.predict_proba(X), net.predict_proba(X))
    restored = pickle.loads(pickle.dumps(net))
    assert numpy.allclose(restored.predict_proba(X), net.predict_proba(X))


def test_grad_scale_zero_freezes_a_layer(nolearn, data):
    import numpy
    from lasagne import layers
    X, y = data
    l_in = layers.InputLayer((None, 4))
    hidden = nolearn.grad_scale(layers.DenseLayer(l_in, 5), 0)
    out = layers.DenseLayer(hidden, 2, nonlinearity=__import__("lasagne").nonlinearities.softmax)
    before, out_before = hidden.W.get_value(), out.W.get_value()
    net = nolearn.NeuralNet(layers=out, update_learning_rate=0.5, max_epochs=2)
    net.fit(X, y)
    assert numpy.array_equal(hidden.W.get_value(), before)
    assert net.layers_["dense2"] is out                         # the layer that trains
    assert not numpy.array_equal(out.W.get_value(), out_before)
    assert list(net.layers_) == ["input0", "dense1", "dense2"]        # nolearn's names


def test_handlers(nolearn, data, tmp_path, capsys):
    X, y = data
    remember = nolearn.RememberBestWeights()
    log = nolearn.WeightLog(save_to=str(tmp_path / "w.csv"), write_every=1)
    net = small(nolearn, max_epochs=2, on_batch_finished=[log],
                on_epoch_finished=[nolearn.PrintLog(), remember,
                                   nolearn.SaveWeights(str(tmp_path / "e{epoch}.npz"))],
                on_training_finished=[nolearn.RestoreBestWeights()])
    net.fit(X, y)
    assert sorted(os.listdir(tmp_path)) == ["e0001.npz", "e0002.npz", "w.csv"]
    out = capsys.readouterr().out.splitlines()
    assert out[0].split()[:2] == ["epoch", "trn"] and out[2].split()[0] == "1" \
        and out[3].split()[0] == "2" and out[-1].startswith("Loaded best weights from epoch")
    assert remember.best_weights_epoch in (1, 2)
    assert len(log.history) == 2              # ~48 training samples, batches of 128: 1 an epoch
    assert log.history[0]["hidden_0 wdiff"] == 0 < log.history[1]["hidden_0 wdiff"]
    assert len((tmp_path / "w.csv").read_text().splitlines()) == 1 + 2
    nolearn.PrintLayerInfo()(net)
    assert capsys.readouterr().out.startswith(
        "# Neural Network with %d learnable parameters" % ((4 + 1) * 5 + (5 + 1) * 2))


def test_multiple_inputs_and_outputs(nolearn, data):
    import numpy
    import theano.tensor as T
    from lasagne import layers, objectives
    X, y = data
    net = nolearn.NeuralNet(layers=[
        (layers.InputLayer, {"name": "a", "shape": (None, 2)}),
        (layers.InputLayer, {"name": "b", "shape": (None, 2)}),
        (layers.ConcatLayer, {"incomings": ["a", "b"]}),
        (layers.DenseLayer, {"num_units": 2, "nonlinearity": "softmax"})],
        update_learning_rate=0.1, max_epochs=1)
    net.fit({"a": X[:, :2], "b": X[:, 2:]}, y)
    assert net.predict_proba({"a": X[:, :2], "b": X[:, 2:]}).shape == (60, 2)

    l_in = layers.InputLayer((None, 4))
    left = layers.DenseLayer(l_in, 2, nonlinearity=__import__("lasagne").nonlinearities.softmax)
    right = layers.DenseLayer(l_in, 1, nonlinearity=None)

    def both(layers_, target, **kwargs):
        a, b = __import__("lasagne").layers.get_output([left, right], **kwargs)
        return (objectives.categorical_crossentropy(a, T.cast(target[:, 0], "int32")).mean()
                + objectives.squared_error(b, target[:, 1:]).mean())

    two = nolearn.NeuralNet(layers=[left, right], objective=both, regression=True,
                            y_tensor_type=T.matrix, update_learning_rate=0.1, max_epochs=1)
    two.fit(X, numpy.stack([y, X[:, 0]], axis=1).astype("float32"))
    first, second = two.predict(X)
    assert first.shape == (60, 2) and second.shape == (60, 1)


def test_visualize_plots_and_picture(nolearn, data, tmp_path, dot):
    pytest.importorskip("matplotlib")
    import numpy
    from lasagne import layers
    from nolearn.lasagne import visualize
    rng = numpy.random.RandomState(1)
    X = rng.rand(4, 1, 8, 8).astype("float32")
    y = numpy.array([0, 1, 0, 1], "int32")
    net = nolearn.NeuralNet(layers=[("input", layers.InputLayer), ("conv", layers.Conv2DLayer),
                                    ("output", layers.DenseLayer)],
                            input_shape=(None, 1, 8, 8), conv_num_filters=2, conv_filter_size=3,
                            output_num_units=2, output_nonlinearity="softmax",
                            update_learning_rate=0.1, max_epochs=2,
                            train_split=nolearn.TrainSplit(0.5))
    net.fit(X, y)
    plots = {"loss": visualize.plot_loss(net),
             "weights": visualize.plot_conv_weights(net.layers_["conv"]),
             "activity": visualize.plot_conv_activity(net.layers_["conv"], X[:1]),
             "occlusion": visualize.plot_occlusion(net, X[:2], y[:2], square_length=3),
             "saliency": visualize.plot_saliency(net, X[:2])}
    for name, plt in plots.items():
        plt.savefig(str(tmp_path / (name + ".png")))
        assert min(png_size(tmp_path / (name + ".png"))) > 100
        plt.close("all")
    heat = visualize.occlusion_heatmap(net, X[:1], 1, square_length=3)
    assert heat.shape == (8, 8) and ((0 <= heat) & (heat <= 1)).all()
    visualize.draw_to_file(net, str(tmp_path / "net.svg"))
    text = (tmp_path / "net.svg").read_text()
    assert "params (3*3*1+1)*2 = 20" in text.replace("&#39;", "'")
    assert "<svg" in visualize.draw_to_notebook(net)._repr_svg_()
