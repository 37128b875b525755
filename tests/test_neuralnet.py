"""NeuralNet: the question's call verbatim, nolearn's keywords, and delegation to Trainer."""
import json
import os
import subprocess
import sys
import textwrap
import types

import pytest

from helpers import QUESTION_NAMES, QUESTION_PARAMS, QUESTION_TABLE, ROOT, SEED
import lasagne_params as lp
from lasagne_params import NeuralNet, SpecError
from lasagne_params.backend.nolearn import neuralnet

EXAMPLE = os.path.join(ROOT, "examples", "question_neuralnet.py")
QUESTION_INFO = ("# Neural Network with 217706 learnable parameters\n\n"
                 "## Layer information\n\n" + QUESTION_TABLE + "\n")


def question_code():
    with open(os.path.join(SEED, "question.md"), encoding="utf-8") as handle:
        text = handle.read()
    return text.split("```python\n", 1)[1].split("```", 1)[0]


def test_example_holds_the_questions_call_verbatim():
    with open(EXAMPLE, encoding="utf-8") as handle:
        example = handle.read()
    code = question_code()
    assert code.startswith("NeuralNet(\n    layers=[('input', layers.InputLayer),")
    assert "\nnet = \\\n" + code in example


def test_example_prints_nolearns_layer_information_exactly(lasagne):
    out = subprocess.run([sys.executable, EXAMPLE], cwd=ROOT, capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout == QUESTION_INFO                 # greeting, blank, header, table, blank


def test_question_call_runs_as_written_with_the_lasagne_params_import(lasagne, capsys):
    scope = {}
    exec("from lasagne_params import NeuralNet\nimport lasagne\nfrom lasagne import layers\n"
         "from lasagne.updates import momentum\nnet = " + question_code(), scope)
    net = scope["net"]
    assert net.update is lasagne.updates.momentum
    assert (net.update_learning_rate, net.update_momentum, net.max_epochs) == (0.01, 0.9, 10)
    assert lp.derive(net).total_params == 217706
    net.initialize()
    net.initialize()                                     # builds once, prints nothing
    assert capsys.readouterr().out == ""
    from lasagne_params.nolearn import PrintLayerInfo
    PrintLayerInfo()(net)                                # as nolearn's tutorial printed it
    assert capsys.readouterr().out == QUESTION_INFO
    assert list(net.layers_) == QUESTION_NAMES
    assert net.layers_[1] is net.layers_["conv2d1"]      # nolearn's Layers: by position too
    assert list(net.layers_[5:]) == ["dense", "output"]
    assert net.layers_["output"].nonlinearity is lasagne.nonlinearities.softmax
    assert net.layers_["conv2d1"].W.get_value().shape == (32, 1, 5, 5)
    assert lp.compare(net).ok
    assert sum(p.get_value().size for p in net.get_all_params(trainable=True)) == 217706


def test_derivation_needs_no_theano_lasagne_or_numpy():
    code = textwrap.dedent("""
        import json, sys
        for name in ("theano", "lasagne", "numpy", "scipy"):
            sys.modules[name] = None
        sys.path.insert(0, "tests/data")
        import nets
        import lasagne_params as lp
        report = lp.derive(nets.question_neuralnet())
        print(json.dumps([report.total_params, [r.params for r in report.layers],
                          lp.render(report, "nolearn")]))
    """)
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    total, params, info = json.loads(out.stdout)
    assert (total, params) == (217706, QUESTION_PARAMS)
    assert info == QUESTION_INFO[:-1]


def test_layer_class_and_keyword_pairs(lasagne):
    from lasagne import layers
    net = NeuralNet(layers=[(layers.InputLayer, {"shape": (None, 1, 8, 8)}),
                            (layers.Conv2DLayer, {"num_filters": 4, "filter_size": 3}),
                            ("DenseLayer", {"num_units": 2, "name": "out",
                                            "incoming": "input0"})],
                    conv2d1_pad=1)
    assert [s.name for s in net.to_specs()] == ["input0", "conv2d1", "out"]
    net.initialize_layers()
    assert net.layers_["conv2d1"].pad == (1, 1)
    assert net.layers_["out"].input_layer is net.layers_["input0"]
    assert lp.derive(net).total_params == (9 + 1) * 4 + (64 + 1) * 2


def test_custom_layer_classes_are_built_and_checked_by_their_signature(lasagne):
    from lasagne import layers

    class Scaled(layers.DenseLayer):
        def __init__(self, incoming, num_units, scale=1.0, name=None):
            super().__init__(incoming, num_units, name=name)
            self.scale = scale

    net = NeuralNet(layers=[("in", layers.InputLayer), ("s", Scaled)], in_shape=(None, 3),
                    s_num_units=2, s_scale=3.0)
    net.initialize_layers()
    assert isinstance(net.layers_["s"], Scaled) and net.layers_["s"].scale == 3.0
    misspelled = NeuralNet(layers=[("in", layers.InputLayer), ("s", Scaled)],
                           in_shape=(None, 3), s_num_units=2, s_scael=3.0)
    with pytest.raises(SpecError, match=r"did you mean s_scale\?"):     # when built, as nolearn
        misspelled.initialize_layers()


def test_prebuilt_lasagne_layers(lasagne, question_net):
    net = NeuralNet(layers=question_net, update_learning_rate=0.1)
    net.initialize_layers()
    assert list(net.layers_) == QUESTION_NAMES
    assert lp.derive(net).total_params == 217706
    with pytest.raises(SpecError, match="layer keywords cannot be used"):
        NeuralNet(layers=question_net, dense_num_units=3).initialize_layers()


@pytest.mark.parametrize("kwargs, message, field", [
    (dict(conv2d1_num_filter=32),
     "conv2d1_num_filter: unknown keyword; did you mean conv2d1_num_filters?",
     "conv2d1_num_filter"),
    (dict(conv2d3_num_filters=32),
     "Unused kwarg: conv2d3_num_filters; did you mean conv2d1_num_filters?", None),
    (dict(max_epoch=3), "Unused kwarg: max_epoch; did you mean max_epochs?", None),
])
def test_unknown_keywords_suggest_the_closest(kwargs, message, field):
    """Checked when the network is built or derived, as nolearn checked them (its
    initialize); nolearn's words for a keyword naming no layer."""
    layers = [("input", "InputLayer"), ("conv2d1", "Conv2DLayer"), ("out", "DenseLayer")]
    base = dict(input_shape=(None, 1, 8, 8), conv2d1_num_filters=2, conv2d1_filter_size=3,
                out_num_units=2)
    net = NeuralNet(layers=layers, **dict(base, **kwargs))
    for check in (net.to_specs, net.initialize):
        with pytest.raises(SpecError) as info:
            check()
        assert message in str(info.value) and info.value.field == field


def test_removed_keywords_are_refused_when_made():
    with pytest.raises(SpecError, match="loss: was removed in nolearn; use "
                                        "objective_loss_function"):
        NeuralNet(layers=[("input", "InputLayer")], loss=object())


def test_unknown_layer_type_name():
    net = NeuralNet(layers=[("input", "InputLayer"), ("c", "Conv2dLayer")])
    with pytest.raises(lp.UnsupportedLayerError, match="did you mean Conv2DLayer"):
        lp.derive(net)


class RecordingTrainer:
    """Stands in for training.Trainer to check what NeuralNet hands it."""

    made = []

    def __init__(self, output_layer, **kwargs):
        self.output_layer, self.kwargs = output_layer, kwargs
        self.calls = []
        self.train_history_ = []
        RecordingTrainer.made.append(self)

    def train(self, X_train, X_valid, y_train, y_valid, epochs=None):
        self.calls.append(("train", len(X_train), len(X_valid), list(y_train), list(y_valid)))
        self.train_history_.append({"epoch": 1})
        return self

    def predict(self, X):
        self.calls.append(("predict", X))
        return "labels"


def test_keywords_reach_the_trainer(lasagne, monkeypatch, capsys):
    import numpy as np
    monkeypatch.setattr(neuralnet, "Trainer", RecordingTrainer)
    monkeypatch.syspath_prepend(os.path.join(ROOT, "tests", "data"))
    import nets
    net = nets.question_neuralnet()
    X, y = np.zeros((10, 1, 28, 28), "float32"), np.array([0, 1] * 5, "int32")
    assert net.fit(X, y) is net
    trainer = RecordingTrainer.made[-1]
    assert trainer.output_layer() is net.layers_["output"]      # built when first needed
    assert trainer.kwargs["update"] is lasagne.updates.nesterov_momentum   # nolearn's default
    assert trainer.kwargs["update_params"] == {}
    assert (trainer.kwargs["max_epochs"], trainer.kwargs["batch_size"],
            trainer.kwargs["verbose"]) == (100, 128, 1)
    assert trainer.kwargs["iterate_train"] is net.batch_iterator_train      # BatchIterator(128)
    assert net.train_split.eval_size == 0.2                                 # TrainSplit(0.2)
    assert trainer.kwargs["owner"] is net and trainer.kwargs["regression"] is False
    import theano.tensor as T
    assert trainer.kwargs["target_type"] is T.ivector
    assert net.predict("Z") == "labels" and net.train_history_ == [{"epoch": 1}]
    # TrainSplit(0.2): the first of 5 stratified folds, the first sample of each class
    assert trainer.calls == [("train", 8, 2, [0, 1, 0, 1, 0, 1, 0, 1], [0, 1]),
                             ("predict", "Z")]
    assert capsys.readouterr().out == ""                      # nothing printed yet
    started = trainer.callbacks["on_training_started"]
    assert [type(handler).__name__ for handler in started] == ["PrintLayerInfo"]   # verbose
    started[0](net, [])
    assert capsys.readouterr().out == QUESTION_INFO           # when training starts


def test_question_keywords_reach_the_trainer(lasagne, monkeypatch):
    monkeypatch.setattr(neuralnet, "Trainer", RecordingTrainer)
    from lasagne.updates import momentum
    net = NeuralNet(layers=[("input", "InputLayer"), ("out", "DenseLayer")],
                    input_shape=(None, 4), out_num_units=2, update=momentum,
                    update_learning_rate=0.01, update_momentum=0.9, max_epochs=10,
                    batch_iterator_train=types.SimpleNamespace(batch_size=64),
                    objective_loss_function="squared_error", regression=True)
    trainer = net.trainer()
    assert trainer.kwargs["update"] is momentum
    assert trainer.kwargs["update_params"] == {"learning_rate": 0.01, "momentum": 0.9}
    assert net._get_params_for("objective") == {
        "loss_function": "squared_error"}          # objective_loss_function, as nolearn reads it
    assert trainer.kwargs["batch_size"] == 64 and trainer.kwargs["regression"] is True


@pytest.mark.slow
def test_fit_and_predict_with_the_real_trainer(lasagne, tmp_path):
    pytest.importorskip("lasagne_params.backend.training.trainer")
    import numpy as np
    rng = np.random.RandomState(0)
    X = rng.rand(60, 4).astype("float32")
    y = (X[:, 0] > 0.5).astype("int32")
    keywords = dict(layers=[("input", "InputLayer"), ("hidden", "DenseLayer"),
                            ("output", "DenseLayer")],
                    input_shape=(None, 4), hidden_num_units=8, output_num_units=2,
                    output_nonlinearity="softmax", update="momentum",
                    update_learning_rate=0.1, update_momentum=0.9, max_epochs=3, verbose=0)
    net = NeuralNet(**keywords)
    net.fit(X, y)
    assert len(net.train_history_) == 3
    assert net.predict_proba(X).shape == (60, 2)
    assert set(np.unique(net.predict(X))) <= {0, 1}
    assert 0.0 <= net.score(X, y) <= 1.0
    path = str(tmp_path / "params.pkl")
    net.save_params_to(path)
    before = net.predict_proba(X)
    other = NeuralNet(**keywords)
    other.load_params_from(path)
    assert np.allclose(other.predict_proba(X), before)
