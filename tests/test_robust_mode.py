"""robust_mode: Theano's mode without the two optimizations that fail on Lasagne networks.

Where Theano's default mode compiles, robust_mode computes the same losses, gradients
and updates; where it does not (PadLayer gradients hang, a masked LSTM with
gradient_steps raises at run time), robust_mode gives the numbers an independent oracle
gives (numpy by hand; the same LSTM without a mask when the mask is all ones).
Both Lasagne versions.
"""
import numpy as np
import pytest

from helpers import run_cli, write
import lasagne_params as lp
from lasagne_params.backend.bridges.robust_mode import FAILING_OPTIMIZATIONS, robust_default_mode


def _padded(lasagne, seed=0):
    """input 2x4x4 -> NIN 3 units (identity) -> PadLayer(width=1, val=0): 3x6x6."""
    from lasagne import layers as L
    lasagne.random.set_rng(np.random.RandomState(seed))
    image = L.InputLayer((None, 2, 4, 4), name="image")
    nin = L.NINLayer(image, 3, nonlinearity=lasagne.nonlinearities.identity, name="nin")
    return image, nin, L.PadLayer(nin, 1, name="pad")


def _training(lasagne, output, mode, inputs):
    """(loss, gradients...) of mean(out**2), and the function applying one sgd step."""
    import theano
    import theano.tensor as T
    loss = T.mean(T.sqr(lasagne.layers.get_output(output)))
    params = lasagne.layers.get_all_params(output, trainable=True)
    grads = theano.grad(loss, params)
    updates = lasagne.updates.sgd(grads, params, learning_rate=0.1)
    return (theano.function(inputs, [loss] + grads, mode=mode),
            theano.function(inputs, loss, updates=updates, mode=mode))


def test_pad_layer_gradient_compiles_and_is_the_hand_computed_one(lasagne):
    """loss = mean(y**2) over the padded 2x3x6x6 output, y = W'x + b inside, 0 in the
    border: dloss/db[u] = 2/(2*3*6*6) * sum of y[:, u] (inside), dloss/dW[c, u] =
    2/(2*3*6*6) * sum of x[:, c] * y[:, u]."""
    import theano
    image, nin, pad = _padded(lasagne)
    gradients, step = _training(lasagne, pad, lp.robust_mode(), [image.input_var])
    x = np.random.RandomState(1).rand(2, 2, 4, 4).astype(theano.config.floatX)
    W, b = nin.W.get_value(), nin.b.get_value()
    y = np.einsum("ncij,cu->nuij", x, W) + b[None, :, None, None]
    count = 2 * 3 * 6 * 6
    loss, grad_W, grad_b = gradients(x)
    assert np.isclose(loss, (y ** 2).sum() / count)
    assert np.allclose(grad_b, 2 * y.sum(axis=(0, 2, 3)) / count)
    assert np.allclose(grad_W, 2 * np.einsum("ncij,nuij->cu", x, y) / count)
    step(x)
    assert np.allclose(nin.b.get_value(), b - 0.1 * 2 * y.sum(axis=(0, 2, 3)) / count)


def test_dilating_upscale_gradient_compiles_and_is_the_hand_computed_one(lasagne_master):
    """Master's Upscale2DLayer(mode='dilate'), factor 2: 2x3x3 -> 2x6x6, the inputs at
    even positions, zeros elsewhere; after a BiasLayer, loss = mean(y**2) over 2*2*6*6
    values: dloss/db[c] = 2/(2*2*6*6) * sum of (x + b)[:, c]."""
    import theano
    from lasagne import layers as L
    image = L.InputLayer((None, 2, 3, 3))
    bias = L.BiasLayer(image, b=lasagne_master.init.Constant(0.25))
    output = L.Upscale2DLayer(bias, 2, mode="dilate")
    gradients, _ = _training(lasagne_master, output, lp.robust_mode(), [image.input_var])
    x = np.random.RandomState(6).rand(2, 2, 3, 3).astype(theano.config.floatX)
    loss, grad_b = gradients(x)
    y, count = x + 0.25, 2 * 2 * 6 * 6
    assert np.isclose(loss, (y ** 2).sum() / count)
    assert np.allclose(grad_b, 2 * y.sum(axis=(0, 2, 3)) / count)


def _lstm(lasagne, mask, seed=0):
    """input 5 steps x 3 -> LSTM 4 units, gradient_steps=2 (masked or not) -> last step
    -> dense 2; the same weights for the same seed."""
    from lasagne import layers as L
    lasagne.random.set_rng(np.random.RandomState(seed))
    sequence = L.InputLayer((None, 5, 3), name="sequence")
    lengths = L.InputLayer((None, 5), name="mask") if mask else None
    lstm = L.LSTMLayer(sequence, 4, mask_input=lengths, gradient_steps=2, name="lstm")
    output = L.DenseLayer(L.SliceLayer(lstm, -1, 1), 2, name="dense")
    return [layer.input_var for layer in (sequence, lengths) if layer is not None], output


@pytest.mark.slow
def test_masked_lstm_with_gradient_steps_trains_as_without_a_mask(lasagne):
    """Theano issue #4652: with the default mode the masked network's gradient fails at
    run time (Dot22 shape mismatch); in robust_mode, with an all-ones mask, loss and every
    gradient equal the unmasked network's, compiled with Theano's default mode."""
    import theano
    masked_inputs, masked = _lstm(lasagne, mask=True)
    plain_inputs, plain = _lstm(lasagne, mask=False)
    rng = np.random.RandomState(2)
    x = rng.rand(3, 5, 3).astype(theano.config.floatX)
    ones = np.ones((3, 5), dtype=theano.config.floatX)
    robust, _ = _training(lasagne, masked, lp.robust_mode(), masked_inputs)
    default, _ = _training(lasagne, plain, None, plain_inputs)
    got, want = robust(x, ones), default(x)
    assert len(got) == len(want) == 1 + 4 * 3 + 3 + 2       # loss, 4 gates, inits, dense
    for a, b in zip(got, want):
        assert np.allclose(a, b, rtol=1e-6, atol=1e-9)
    broken, _ = _training(lasagne, masked, None, masked_inputs)
    with pytest.raises(ValueError, match="not aligned"):
        broken(x, ones)


@pytest.mark.slow
def test_same_numbers_as_theanos_default_mode_where_both_compile(lasagne):
    """A conv/pool/dense network and an LSTM without a mask: loss, gradients and the
    parameters after one sgd step, compiled both ways, agree."""
    import theano
    from lasagne import layers as L
    lasagne.random.set_rng(np.random.RandomState(3))
    image = L.InputLayer((None, 1, 8, 8))
    net = L.Conv2DLayer(image, 3, 3)
    net = L.MaxPool2DLayer(net, 2)
    conv_net = L.DenseLayer(net, 4, nonlinearity=lasagne.nonlinearities.softmax)
    lstm_inputs, lstm_net = _lstm(lasagne, mask=False)
    rng = np.random.RandomState(4)
    cases = [(conv_net, [image.input_var], [rng.rand(2, 1, 8, 8)]),
             (lstm_net, lstm_inputs, [rng.rand(2, 5, 3)])]
    for output, inputs, data in cases:
        data = [d.astype(theano.config.floatX) for d in data]
        params = L.get_all_params(output, trainable=True)
        start = [p.get_value() for p in params]
        results = []
        for mode in (None, lp.robust_mode()):
            for p, value in zip(params, start):
                p.set_value(value)
            gradients, step = _training(lasagne, output, mode, inputs)
            values = gradients(*data)
            step(*data)
            results.append(values + [p.get_value() for p in params])
        for a, b in zip(*results):
            assert np.allclose(a, b, rtol=1e-6, atol=1e-9)


def test_robust_mode_leaves_out_the_two_and_keeps_the_base_mode(lasagne):
    import theano
    mode = lp.robust_mode()
    assert set(FAILING_OPTIMIZATIONS) <= set(mode.provided_optimizer.exclude)
    fast = lp.robust_mode("FAST_COMPILE")
    assert set(FAILING_OPTIMIZATIONS) <= set(fast.provided_optimizer.exclude)
    assert "fast_compile" in fast.provided_optimizer.include
    assert theano.config.mode == "Mode"                 # nothing process-wide changed


def test_robust_default_mode_is_scoped_to_its_block(lasagne):
    import theano
    from theano.compile.mode import get_default_mode
    before = get_default_mode()
    with robust_default_mode():
        inside = get_default_mode()
        assert set(FAILING_OPTIMIZATIONS) <= set(inside.provided_optimizer.exclude)
    assert get_default_mode() is before and theano.config.mode == "Mode"
    assert not set(FAILING_OPTIMIZATIONS) & set(before.provided_optimizer.exclude)


def test_trainer_compiles_in_robust_mode(lasagne, monkeypatch):
    """The Trainer's three functions get robust_mode (so NeuralNet.fit's too)."""
    import theano
    from lasagne import layers as L
    from lasagne_params.backend.training.trainer import Trainer
    modes = []
    real = theano.function

    def recording(*args, **kwargs):
        modes.append(kwargs.get("mode"))
        return real(*args, **kwargs)

    monkeypatch.setattr(theano, "function", recording)
    net = L.DenseLayer(L.InputLayer((None, 3)), 2,
                       nonlinearity=lasagne.nonlinearities.softmax)
    Trainer(net, update=lasagne.updates.sgd, update_params={"learning_rate": 0.1})._compile()
    assert len(modes) == 3
    assert all(set(FAILING_OPTIMIZATIONS) <= set(m.provided_optimizer.exclude) for m in modes)


@pytest.mark.slow
def test_trainer_trains_a_padded_network(lasagne):
    """PadLayer between the layers: the Trainer's train step compiles (it never did with
    Theano's default mode) and the loss goes down."""
    from lasagne import layers as L
    from lasagne_params.backend.training.trainer import Trainer
    image, _, pad = _padded(lasagne)
    output = L.DenseLayer(pad, 2, nonlinearity=lasagne.nonlinearities.softmax)
    rng = np.random.RandomState(5)
    X = rng.rand(40, 2, 4, 4)
    y = (X[:, 0].mean(axis=(1, 2)) > 0.5).astype("int32")
    trainer = Trainer(output, update=lasagne.updates.sgd,
                      update_params={"learning_rate": 0.5}, batch_size=10, max_epochs=4,
                      train_split=0, verbose=0, random_state=0)
    trainer.fit(X, y)
    losses = [h["train_loss"] for h in trainer.train_history_]
    assert losses[-1] < losses[0]


PADDED_SCRIPT = """\
import numpy as np
import theano, theano.tensor as T
import lasagne
from lasagne import layers
image = layers.InputLayer((None, 2, 4, 4))
net = layers.NINLayer(image, 3, nonlinearity=lasagne.nonlinearities.identity)
net = layers.PadLayer(net, 1)
loss = T.mean(T.sqr(layers.get_output(net)))
params = layers.get_all_params(net, trainable=True)
train = theano.function([image.input_var], loss,
                        updates=lasagne.updates.sgd(loss, params, learning_rate=0.1))
x = np.ones((2, 2, 4, 4), dtype=theano.config.floatX)
print("trained", train(x) > train(x))
"""


@pytest.mark.slow
def test_run_command_trains_a_padded_network(capsys, lasagne, tmp_path):
    """A historical script compiling its own PadLayer training step with the default
    mode: under ``lasagne-params run`` it compiles and runs; Theano's mode is back after."""
    import theano
    script = write(tmp_path, "padded.py", PADDED_SCRIPT)
    out = run_cli(capsys, "run", script)
    assert out.returncode == 0, out.stderr
    assert out.stdout == "trained True\n"
    assert theano.config.mode == "Mode"
