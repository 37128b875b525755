"""Trainer: nolearn's training loop on real digits (a tiny network, a few epochs)."""
import io
import math

import pytest

from lasagne_params.render.training import epoch_lines, render_history
from lasagne_params import ArgumentError, TrainingError
from lasagne_params.backend.training.trainer import Progress, Trainer, split_indices

HISTORY_KEYS = {"epoch", "train_loss", "train_loss_best", "valid_loss", "valid_loss_best",
                "valid_accuracy", "dur"}


@pytest.fixture(scope="module")
def digits():
    from lasagne_params.backend.training.datasets import load_mnist
    return load_mnist(source="bundled")


def tiny_net(lasagne, seed=1):
    """input -> conv 4@5x5 -> max-pool 4x4 -> softmax 10: 4*5*5+4 + 4*6*6*10+10 = 1'554."""
    import numpy
    from lasagne import layers
    lasagne.random.set_rng(numpy.random.RandomState(seed))
    net = layers.InputLayer((None, 1, 28, 28), name="input")
    net = layers.Conv2DLayer(net, 4, 5, name="conv")
    net = layers.MaxPool2DLayer(net, 4, name="pool")
    return layers.DenseLayer(net, 10, nonlinearity=lasagne.nonlinearities.softmax,
                             name="output")


@pytest.fixture(scope="module")
def trained(lasagne, digits):
    """3 epochs of momentum on the bundled sample's first 300 digits; lines printed kept."""
    lines = []
    trainer = Trainer(tiny_net(lasagne), update=lasagne.updates.momentum,
                      update_params={"learning_rate": 0.05, "momentum": 0.9},
                      batch_size=50, max_epochs=3, random_state=0, print_fn=lines.append)
    trainer.fit(digits.X[:300], digits.y[:300])
    return trainer, lines


def test_loss_decreases(trained):
    trainer, _ = trained
    history = trainer.train_history_
    assert [h["epoch"] for h in history] == [1, 2, 3]
    assert all(set(h) == HISTORY_KEYS for h in history)
    train = [h["train_loss"] for h in history]
    valid = [h["valid_loss"] for h in history]
    assert train[0] > train[1] > train[2]
    assert valid[0] > valid[1] > valid[2]
    assert train[0] < 2.5                       # near ln(10) = 2.30 for an untrained net
    assert all(h["train_loss_best"] and h["valid_loss_best"] for h in history)
    assert history[-1]["valid_accuracy"] > 0.3  # chance is 0.1
    assert all(h["dur"] > 0 for h in history)
    # 300 digits, 30 per class: 6 of each held out, so 60 validation digits
    assert all(round(h["valid_accuracy"] * 60, 6).is_integer() for h in history)


def test_epoch_table_is_nolearns(trained):
    """The printed lines are nolearn's PrintLog table: tabulate on the same row."""
    from collections import OrderedDict
    from tabulate import tabulate
    trainer, lines = trained
    assert len(lines) == 5
    assert lines[0] == "  epoch    trn loss    val loss    trn/val    valid acc  dur"
    assert lines[1] == "-------  ----------  ----------  ---------  -----------  -----"
    for i, info in enumerate(trainer.train_history_):
        row = OrderedDict([("epoch", info["epoch"]),
                           ("trn loss", "{:.5f}".format(info["train_loss"])),
                           ("val loss", "{:.5f}".format(info["valid_loss"])),
                           ("trn/val", info["train_loss"] / info["valid_loss"]),
                           ("valid acc", info["valid_accuracy"]),
                           ("dur", "{:.2f}s".format(info["dur"]))])
        table = tabulate([row], headers="keys", floatfmt=".5f").split("\n")
        assert epoch_lines(info, header=(i == 0)) == (table if i == 0 else table[2:])
        assert lines[2 + i] == table[2]
    assert render_history(trainer.train_history_) == "\n".join(lines) + "\n"


def test_predict_and_score(trained, digits):
    import numpy
    trainer, _ = trained
    X, y = digits.X[300:437], digits.y[300:437]          # 137 digits: batches 50, 50, 37
    proba = trainer.predict_proba(X)
    assert proba.shape == (137, 10)
    numpy.testing.assert_allclose(proba.sum(axis=1), 1, rtol=1e-5)
    predicted = trainer.predict(X)
    assert predicted.shape == (137,)
    assert (predicted == proba.argmax(axis=1)).all()
    score = trainer.score(X, y)
    assert type(score) is float
    assert score == numpy.count_nonzero(predicted == y) / 137
    assert 0.3 < score <= 1


def test_params_round_trip(trained, digits, tmp_path):
    import numpy
    trainer, _ = trained
    X = digits.X[:20]
    before = trainer.predict_proba(X)
    path = tmp_path / "weights.params"
    trainer.save_params_to(path)
    assert path.exists() and not (tmp_path / "weights.params.npz").exists()
    with numpy.load(path, allow_pickle=False) as archive:
        assert sorted(archive.files) == ["arr_0", "arr_1", "arr_2", "arr_3"]
        assert [archive["arr_%d" % i].shape for i in range(4)] == [
            (4, 1, 5, 5), (4,), (144, 10), (10,)]
    saved = trainer.get_params_values()
    trainer.load_params_from([numpy.zeros_like(v) for v in saved])
    numpy.testing.assert_allclose(trainer.predict_proba(X), 0.1)   # all-zero net: uniform
    trainer.load_params_from(str(path))
    numpy.testing.assert_array_equal(trainer.predict_proba(X), before)
    trainer.load_params_from(saved)
    numpy.testing.assert_array_equal(trainer.predict_proba(X), before)


def test_params_that_do_not_fit(trained, tmp_path):
    import numpy
    trainer, _ = trained
    saved = trainer.get_params_values()
    with pytest.raises(TrainingError, match=r"^3 arrays for 4 parameters$"):
        trainer.load_params_from(saved[:3])
    with pytest.raises(TrainingError) as info:
        trainer.load_params_from(saved[:2] + [saved[2].T, saved[3]])
    assert str(info.value) == "output.W: shape (10, 144) does not fit (144, 10)"
    assert all((a == b).all() for a, b in zip(trainer.get_params_values(), saved))
    other = tmp_path / "other.npz"
    numpy.savez(other, weights=saved[0])
    with pytest.raises(TrainingError, match=r"other\.npz: expected arrays arr_0 \.\. arr_0, "
                                            r"got weights$"):
        trainer.load_params_from(other)


def test_fit_again_continues_without_recompiling(lasagne, digits, monkeypatch):
    import theano
    lines = []
    trainer = Trainer(tiny_net(lasagne, seed=2), update=lasagne.updates.sgd,
                      update_params={"learning_rate": 0.1}, batch_size=100, max_epochs=1,
                      random_state=0, print_fn=lines.append)
    trainer.fit(digits.X[:200], digits.y[:200])
    assert trainer.predict(digits.X[:3]).shape == (3,)       # compiles predict, once

    def no_compiling(*args, **kwargs):
        raise AssertionError("compiled again")

    monkeypatch.setattr(theano, "function", no_compiling)

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    trainer.fit(digits.X[:200], digits.y[:200])
    assert [h["epoch"] for h in trainer.train_history_] == [1, 2]
    assert len(lines) == 4 and lines[3].split()[0] == "2"      # no second header
    shown = terminal.getvalue()
    assert "\r  epoch 2  batch 2/2  loss " in shown              # 160 training digits
    assert shown.endswith("\r")                                  # and erased again
    assert trainer.predict(digits.X[:3]).shape == (3,)


def test_progress_line():
    ticks = iter([0.0, 0.05, 0.2, 0.25])
    stream = io.StringIO()
    progress = Progress(stream, interval=0.1, clock=lambda: next(ticks))
    progress.update(1, 1, 4, 2.5)      # drawn
    progress.update(1, 2, 4, 2.25)     # 0.05 s later: skipped
    progress.update(1, 3, 4, 2.0)      # drawn
    progress.update(1, 4, 4, 1.75)     # last batch: always drawn
    progress.clear()
    line = "  epoch 1  batch %d/4  loss %.5f"
    assert stream.getvalue() == ("\r" + line % (1, 2.5) + "\r" + line % (3, 2.0)
                                 + "\r" + line % (4, 1.75) + "\r" + " " * 34 + "\r")
    assert len(line % (4, 1.75)) == 34


def test_split_is_nolearns_stratified_first_fold():
    # class 0 has 5 samples -> 1 held out; class 1 has 11 -> ceil(11/5) = 3; class 2: 1 -> 1
    y = [0, 1, 1, 0, 1, 1, 1, 2, 1, 0, 1, 1, 1, 0, 1, 1, 0]
    train, valid = split_indices(y, 0.2)
    assert valid == [0, 1, 2, 4, 7]
    assert sorted(train + valid) == list(range(len(y)))
    assert split_indices(y, 0.5)[1] == [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]   # 2 folds: halves
    assert split_indices(list(range(11)), 0.2, stratify=False)[1] == [0, 1, 2]
    assert split_indices(y, 0) == (list(range(len(y))), [])
    with pytest.raises(ArgumentError, match=r"^train_split: expected a fraction "
                                            r"0 <= train_split < 1, got 1\.5$"):
        split_indices(y, 1.5)


def test_bad_training_data(lasagne, digits):
    trainer = Trainer(tiny_net(lasagne), update=lasagne.updates.sgd,
                      update_params={"learning_rate": 0.1})
    with pytest.raises(TrainingError, match=r"^y: X has 10 samples but y has 9$"):
        trainer.fit(digits.X[:10], digits.y[:9])
    with pytest.raises(TrainingError, match=r"^y: class label -1 at index 2 is negative$"):
        trainer.fit(digits.X[:4], [0, 1, -1, 2])
    with pytest.raises(TrainingError, match=r"^y: expected a vector of integer class "):
        trainer.fit(digits.X[:2], [0.5, 1])
    with pytest.raises(ArgumentError, match=r"^batch_size: expected a positive int"):
        Trainer(None, update=None, update_params={}, batch_size=0)
    assert trainer.train_history_ == []


def test_each_function_is_compiled_on_first_use(lasagne, monkeypatch):
    """fit compiles the train step (and the validation when it holds samples out);
    predict compiles the predict function; _compile() all three, each once."""
    import numpy
    import theano
    from lasagne import layers
    compiled = []
    real = theano.function

    def recording(inputs, outputs, updates=None, **kwargs):
        compiled.append("train" if updates else "predict" if len(inputs) == 1 else "valid")
        return real(inputs, outputs, updates=updates, **kwargs)

    monkeypatch.setattr(theano, "function", recording)
    net = layers.DenseLayer(layers.InputLayer((None, 2)), 2,
                            nonlinearity=lasagne.nonlinearities.softmax)
    X = numpy.random.RandomState(0).rand(20, 2)
    y = numpy.arange(20) % 2
    trainer = Trainer(net, update=lasagne.updates.sgd, update_params={"learning_rate": 0.1},
                      max_epochs=1, train_split=0, verbose=0)
    trainer.fit(X, y)
    assert compiled == ["train"] and math.isnan(trainer.train_history_[0]["valid_loss"])
    assert trainer.predict(X).shape == (20,)
    assert compiled == ["train", "predict"]
    assert len(trainer._compile()) == 3 and compiled == ["train", "predict", "valid"]
    trainer._compile()
    trainer.fit(X, y)
    assert len(compiled) == 3                                   # never twice


def test_regression(lasagne):
    """Squared error, no accuracy column, score is R^2: y = 2*x0 - x1 + 0.5 learnt."""
    import numpy
    from lasagne import layers
    lasagne.random.set_rng(numpy.random.RandomState(0))
    net = layers.DenseLayer(layers.InputLayer((None, 2)), 1,
                            nonlinearity=lasagne.nonlinearities.linear)
    X = numpy.random.RandomState(1).uniform(-1, 1, (400, 2))
    y = 2 * X[:, 0] - X[:, 1] + 0.5
    lines = []
    trainer = Trainer(net, update=lasagne.updates.sgd, update_params={"learning_rate": 0.1},
                      batch_size=20, max_epochs=20, regression=True, random_state=0,
                      print_fn=lines.append)
    trainer.fit(X, y)
    assert lines[0] == "  epoch    trn loss    val loss    trn/val  dur"
    assert trainer.train_history_[-1]["valid_loss"] < 1e-4
    assert math.isclose(trainer.train_history_[-1]["valid_accuracy"],
                        trainer.train_history_[-1]["valid_loss"])
    assert trainer.predict(X[:5]).shape == (5, 1)
    assert trainer.score(X, y) > 0.9999
    W, b = trainer.get_params_values()
    numpy.testing.assert_allclose(W.ravel(), [2, -1], atol=0.01)
    numpy.testing.assert_allclose(b, [0.5], atol=0.01)
