"""Layers of classes nobody declared a kind for, derived from the class's own code.

The classes below are written for these tests in the style of research code (a
weight-normalised dense layer, minibatch discrimination, a Gaussian sample layer, a
deconvolution, a phased-LSTM-like cell...).  Each is checked three ways: against figures
worked out by hand (written as arithmetic), against Lasagne's own figures for the built
layer, and by evaluating every formula text the row shows.
"""
import types

import pytest

from helpers import assert_row_formulas_evaluate
import lasagne_params as lp
from lasagne_params.core.from_code import FROM_CODE, WITH_NUMBERS
from lasagne_params.core.symbolic import MAX_TEXT, Shape, Tape, TooManyOperations, sum_formula

# ---------------------------------------------------------------- sizes (pure)


def test_sizes_remember_their_arithmetic_in_names_and_numbers():
    tape = Tape()
    c, h = tape.symbol(32, "in[1]", axis=True), tape.symbol(7, "in[2]", axis=True)
    stride, pad = tape.symbol(2, "stride"), tape.symbol(1, "pad")
    length = (h - 1) * stride + 5 - 2 * pad
    assert length == (7 - 1) * 2 + 5 - 2 * 1 and isinstance(length, int)
    assert length.names == "(in[2]-1)*stride+5-2*pad"
    assert length.numbers == "(7-1)*2+5-2*1"
    for size in (length, c * (h // 2), -(c + 1) ** 2, c - (h - 3), c // (h % 4), 3 * c % h):
        assert eval(size.numbers) == size, size.numbers
    assert (c * (h // 2)).numbers == "32*(7//2)"


def test_a_shape_keeps_sizes_through_slices_sums_and_numpy_prod():
    numpy = pytest.importorskip("numpy")
    tape = Tape()
    shape = Shape([None] + [tape.symbol(v, "in[%d]" % i, axis=True)
                            for i, v in enumerate((32, 5, 5), 1)])
    assert isinstance(shape[1:], Shape) and isinstance(shape[:1] + (4,), Shape)
    assert isinstance((4,) + shape[1:], Shape)
    product = numpy.prod(shape[1:])
    assert product == 32 * 5 * 5 and product.names == "in[1]*in[2]*in[3]"
    assert sum(shape[1:]).names == "in[1]+in[2]+in[3]"        # sum() starts from 0


def test_an_int_forced_out_of_a_size_keeps_its_origin_unless_python_shares_it():
    tape = Tape()
    big = tape.symbol(32, "in[1]") * tape.symbol(25, "in[2]")
    small = tape.symbol(7, "in[3]") + 1
    forced_big, forced_small = int(big), int(small)
    assert type(forced_big) is int and tape.origin(forced_big) is big
    assert tape.origin(forced_small) is None          # 8 is Python's shared object
    assert tape.origin(800) is None                   # another 800: a number


def test_comparisons_on_input_sizes_are_noted_as_they_held():
    tape = Tape()
    channels, units = tape.symbol(32, "in[1]", axis=True), tape.symbol(10, "num_units")
    assert channels > 10 and not channels < units
    assert units > 1          # an argument's: no branch on the input
    assert tape.comparisons == ["in[1] > 10", "in[1] >= num_units"]


def test_a_run_away_loop_on_sizes_is_stopped_and_long_texts_become_numbers():
    tape = Tape(limit=50)
    size = tape.symbol(1, "n")
    with pytest.raises(TooManyOperations):
        while True:
            size = size + 1
    doubled = Tape().symbol(1, "n")
    for _ in range(12):
        doubled = doubled + doubled
    assert doubled == 2 ** 12 and len(doubled.numbers) <= MAX_TEXT
    assert eval(doubled.numbers) == 2 ** 12            # collapsed to a number on the way


def test_a_count_is_written_with_the_factor_its_arrays_share():
    assert sum_formula([[("8", 9), ("4", 9), ("3", 9), ("3", 9)], [("4", 9)]]) == \
        "(8*3*3+1)*4"
    assert sum_formula([[("4", 9)], [("32*5*5", 6), ("4", 9)], [("4", 9)]]) == \
        "(1+32*5*5+1)*4"
    assert sum_formula([[("3", 9), ("4", 9)], [("5", 9)]]) == "3*4 + 5"
    assert eval(sum_formula([[("2+1", 5), ("4", 9)], [("4", 9)]])) == (2 + 1) * 4 + 4


def test_a_size_behaves_as_its_value():
    size = Tape().symbol(5, "num_units")
    assert isinstance(size, int) and list(range(size)) == [0, 1, 2, 3, 4]
    assert "%d" % size == "5" and repr(size) == "5" and hash(size) == hash(5)
    assert (2, 4, 6)[size - 4] == 4 and size / 2 == 2.5 and size * 0.5 == 2.5
    assert size == 5 and size != 4 and not (size == None)  # noqa: E711


# ---------------------------------------------------------------- classes of one's own


def _classes(lasagne):
    """Layer classes in the style of historical research code (written for these tests)."""
    import numpy as np
    from lasagne import init
    from lasagne.layers import Layer, MergeLayer

    class WeightNormDense(Layer):
        """Dense layer with weight normalisation: g, V, b."""

        def __init__(self, incoming, num_units, train_g=True, **kwargs):
            super(WeightNormDense, self).__init__(incoming, **kwargs)
            self.num_units = num_units
            num_inputs = int(np.prod(self.input_shape[1:]))
            self.g = self.add_param(init.Constant(1.), (num_units,), name="g",
                                    trainable=train_g)
            self.V = self.add_param(init.Normal(0.05), (num_inputs, num_units), name="V")
            self.b = self.add_param(init.Constant(0.), (num_units,), name="b",
                                    regularizable=False)

        def get_output_shape_for(self, input_shape):
            return (input_shape[0], self.num_units)

    class MinibatchDiscrimination(Layer):
        """Features of the whole minibatch appended to each example's."""

        def __init__(self, incoming, num_kernels, dim_per_kernel=5, **kwargs):
            super(MinibatchDiscrimination, self).__init__(incoming, **kwargs)
            self.num_kernels = num_kernels
            num_inputs = int(np.prod(self.input_shape[1:]))
            self.W = self.add_param(init.Normal(0.05),
                                    (num_inputs, num_kernels, dim_per_kernel), name="W")
            self.b = self.add_param(init.Constant(-1.), (num_kernels,), name="b")

        def get_output_shape_for(self, input_shape):
            return (input_shape[0], np.prod(input_shape[1:]) + self.num_kernels)

    class GaussianSample(MergeLayer):
        """z = mu + exp(log_sigma) * eps: the shape of mu, no parameters."""

        def __init__(self, mu, log_sigma, **kwargs):
            super(GaussianSample, self).__init__([mu, log_sigma], **kwargs)

        def get_output_shape_for(self, input_shapes):
            return input_shapes[0]

    class Deconv(Layer):
        """A transposed convolution written by hand."""

        def __init__(self, incoming, num_filters, filter_size, stride=2, pad=0, **kwargs):
            super(Deconv, self).__init__(incoming, **kwargs)
            self.num_filters, self.filter_size = num_filters, filter_size
            self.stride, self.pad = stride, pad
            self.W = self.add_param(init.Normal(0.02), (self.input_shape[1], num_filters,
                                                        filter_size, filter_size), name="W")
            self.b = self.add_param(init.Constant(0.), (num_filters,), name="b")

        def get_output_shape_for(self, input_shape):
            lengths = [(length - 1) * self.stride + self.filter_size - 2 * self.pad
                       for length in input_shape[2:]]
            return (input_shape[0], self.num_filters) + tuple(lengths)

    class PhasedCell(Layer):
        """Four gates over (batch, time, features), plus a time gate's three vectors that
        are not trained."""

        def __init__(self, incoming, num_units, **kwargs):
            super(PhasedCell, self).__init__(incoming, **kwargs)
            self.num_units = num_units
            num_inputs = self.input_shape[2]
            for gate in ("ingate", "forgetgate", "cell", "outgate"):
                self.add_param(init.Normal(0.1), (num_inputs, num_units), name="W_in_" + gate)
                self.add_param(init.Normal(0.1), (num_units, num_units), name="W_hid_" + gate)
                self.add_param(init.Constant(0.), (num_units,), name="b_" + gate,
                               regularizable=False)
            for name in ("period", "shift", "on_ratio"):
                self.add_param(init.Uniform(), (num_units,), name=name, trainable=False)

        def get_output_shape_for(self, input_shape):
            return input_shape[:2] + (self.num_units,)

    class ProdDense(Layer):
        """A dense layer counting its inputs with np.prod, no int()."""

        def __init__(self, incoming, num_units, **kwargs):
            super(ProdDense, self).__init__(incoming, **kwargs)
            self.num_units = num_units
            self.W = self.add_param(init.Normal(), (np.prod(self.input_shape[1:]), num_units),
                                    name="W")

        def get_output_shape_for(self, input_shape):
            return (input_shape[0], self.num_units)

    class Halving(Layer):
        """Halves a wide input, keeps a narrow one: a branch on the input's size."""

        def get_output_shape_for(self, input_shape):
            if input_shape[1] > 10:
                return (input_shape[0], input_shape[1] // 2)
            return input_shape

    class Picky(Layer):
        """Refuses anything but a plain int: its code runs on numbers only."""

        def __init__(self, incoming, num_units, **kwargs):
            if type(num_units) is not int:
                raise TypeError("num_units must be an int")
            super(Picky, self).__init__(incoming, **kwargs)
            self.num_units = num_units
            self.W = self.add_param(init.Normal(), (self.input_shape[1], num_units), name="W")

        def get_output_shape_for(self, input_shape):
            return (input_shape[0], self.num_units)

    class Noisy(Layer):
        """Draws random numbers and prints while it is built."""

        def __init__(self, incoming, **kwargs):
            super(Noisy, self).__init__(incoming, **kwargs)
            print("building a noisy layer")
            self.mask = np.random.rand(*self.input_shape[1:]) > 0.5

    return types.SimpleNamespace(**{cls.__name__: cls for cls in (
        WeightNormDense, MinibatchDiscrimination, GaussianSample, Deconv, PhasedCell,
        ProdDense, Halving, Picky, Noisy)})


@pytest.fixture(scope="module")
def own(lasagne):
    return _classes(lasagne)


def _checked(network):
    """The comparison of ``network``, which must agree with Lasagne, every formula
    evaluating to its figure; {name: derived row}."""
    comparison = lp.compare(network)
    assert comparison.ok, (comparison.mismatches, [
        comparison.derived.layer(n).note for n in comparison.not_derived])
    for row in comparison.derived.layers:
        assert_row_formulas_evaluate(row)
    return {row.name: row for row in comparison.derived.layers}


def test_a_gan_and_a_vae_of_own_classes_are_derived_from_their_code(lasagne, own):
    from lasagne.layers import Conv2DLayer, DenseLayer, InputLayer
    l_in = InputLayer((None, 6, 7, 7), name="in")
    deconv = own.Deconv(l_in, 4, 5, pad=1, name="deconv")
    conv = Conv2DLayer(deconv, 3, 3, name="conv")
    wn = own.WeightNormDense(conv, 10, train_g=False, name="wn")
    flat = InputLayer((None, 300), name="features")
    mbd = own.MinibatchDiscrimination(flat, 8, name="mbd")
    mu, log_sigma = DenseLayer(mbd, 20, name="mu"), DenseLayer(mbd, 20, name="log_sigma")
    z = own.GaussianSample(mu, log_sigma, name="z")
    rows = _checked([wn, z])

    row = rows["deconv"]          # W (in, out, f, f), b (out); (7-1)*2+5-2*1 = 15
    assert row.output_shape == (None, 4, 15, 15)
    assert (row.params, row.trainable_params) == (6 * 4 * 5 * 5 + 4,) * 2
    assert row.param_formula == "(6*5*5+1)*4"
    assert row.shape_formula == "(7-1)*2+5-2*1=15 -> 4x15x15"
    assert row.note.startswith(FROM_CODE + ": output (None, num_filters, "
                               "(in[2]-1)*stride+filter_size-2*pad")
    assert "W (in[1], num_filters, filter_size, filter_size)" in row.note

    row = rows["wn"]              # g (u,) untrained, V (n, u), b (u,): n = 3*13*13 = 507
    assert row.output_shape == (None, 10)
    assert row.params == 10 + 3 * 13 * 13 * 10 + 10
    assert row.trainable_params == 3 * 13 * 13 * 10 + 10
    assert row.param_formula == "(1+3*13*13+1)*10"
    assert "V (in[1]*in[2]*in[3], num_units)" in row.note

    row = rows["mbd"]             # W (n, k, d), b (k,); output (batch, n + k)
    assert row.output_shape == (None, 300 + 8)
    assert row.params == 300 * 8 * 5 + 8 and row.param_formula == "(300*5+1)*8"
    assert row.shape_formula == "300+8=308 -> 308"
    assert "output (None, in[1]+num_kernels)" in row.note

    row = rows["z"]               # the first input's shape, no parameters
    assert (row.output_shape, row.params) == ((None, 20), 0)
    assert row.note == FROM_CODE + ": output (None, in0[1])"


def test_a_cell_with_many_gates_and_untrained_vectors(lasagne, own):
    from lasagne.layers import InputLayer
    cell = own.PhasedCell(InputLayer((None, 12, 9)), 7, name="cell")
    row = _checked(cell)["cell"]
    assert row.output_shape == (None, 12, 7)
    assert row.params == 4 * (9 * 7 + 7 * 7 + 7) + 3 * 7
    assert row.trainable_params == 4 * (9 * 7 + 7 * 7 + 7)
    assert [a.name for a in row.param_arrays][:3] == ["W_in_ingate", "W_hid_ingate", "b_ingate"]
    assert "W_hid_cell (num_units, num_units)" in row.note


def test_np_prod_a_branch_and_a_class_that_wants_plain_ints(lasagne, own):
    from lasagne.layers import InputLayer
    prod = own.ProdDense(InputLayer((None, 4, 3, 2)), 5, name="prod")
    halving = own.Halving(prod, name="halving")
    picky = own.Picky(halving, 3, name="picky")
    rows = _checked(picky)
    assert rows["prod"].params == 4 * 3 * 2 * 5
    assert rows["prod"].param_formula == "4*3*2*5"
    assert "W (in[1]*in[2]*in[3], num_units)" in rows["prod"].note
    assert rows["halving"].output_shape == (None, 5)          # 5 is not > 10: kept
    assert rows["halving"].note.endswith("(for the branch where in[1] <= 10)")
    assert rows["picky"].params == 5 * 3
    assert rows["picky"].note.startswith(WITH_NUMBERS + " (on symbolic sizes: TypeError: "
                                         "num_units must be an int (test_class_code.py, line")


def test_own_class_rows_are_the_same_from_derive_alone(lasagne, own):
    from lasagne.layers import InputLayer
    wn = own.WeightNormDense(InputLayer((None, 20)), 6, name="wn")
    report = lp.derive(wn)
    assert report.layer("wn").params == 6 + 20 * 6 + 6
    assert report.total_params == lp.from_lasagne(wn).total_params


def test_own_class_rows_are_costed_as_unknown_and_drawn(lasagne, own):
    from lasagne.layers import DenseLayer, InputLayer
    out = DenseLayer(own.WeightNormDense(InputLayer((None, 20)), 6, name="wn"), 2, name="out")
    costs = lp.derive_costs(out)
    assert costs.layer("wn").macs is None and costs.layer("wn").family == "special"
    assert costs.layer("out").macs == 6 * 2
    assert lp.draw(out).svg.count("wn") >= 1


def test_the_rerun_touches_neither_the_layer_nor_the_random_state(lasagne, own, capsys):
    import numpy as np
    from lasagne.layers import InputLayer
    noisy = own.Noisy(InputLayer((None, 3, 4)), name="noisy")
    wn = own.WeightNormDense(noisy, 5, name="wn")
    before = dict(vars(wn)), dict(vars(noisy))
    capsys.readouterr()
    state = np.random.get_state()[1].copy()
    rows = _checked(wn)
    assert (np.random.get_state()[1] == state).all()
    assert capsys.readouterr() == ("", "")              # its prints are dropped
    assert (dict(vars(wn)), dict(vars(noisy))) == before
    assert rows["noisy"].note == FROM_CODE + ": output (None, in[1], in[2])"


def test_an_array_shared_with_an_earlier_layer_counts_once(lasagne, own):
    from lasagne import init
    from lasagne.layers import DenseLayer, InputLayer, Layer

    class TiedScale(Layer):
        def __init__(self, incoming, scales=init.Constant(1.), **kwargs):
            super(TiedScale, self).__init__(incoming, **kwargs)
            self.scales = self.add_param(scales, (self.input_shape[1],), name="scales")

    first = TiedScale(InputLayer((None, 30)), name="first")
    dense = DenseLayer(first, 30, name="dense")
    second = TiedScale(dense, scales=first.scales, name="second")
    comparison = lp.compare(second)
    assert comparison.ok
    assert comparison.derived.layer("second").param_arrays[0].key == "first.scales"
    assert comparison.derived.total_params == 30 + (30 + 1) * 30


def test_arrays_retagged_or_taken_over_from_an_inner_layer_count_as_lasagne_counts(lasagne):
    from lasagne import init
    from lasagne.layers import DenseLayer, InputLayer, Layer

    class QuantizedDense(DenseLayer):
        """Its weights tagged 'quantized' only (so not trainable), after DenseLayer's."""

        def __init__(self, incoming, num_units, **kwargs):
            super(QuantizedDense, self).__init__(incoming, num_units, **kwargs)
            self.params[self.W] = set(["quantized"])

    class Gated(Layer):
        """A scale, and a gate: a dense layer built inside, its arrays made this layer's."""

        def __init__(self, incoming, **kwargs):
            super(Gated, self).__init__(incoming, **kwargs)
            self.scale = self.add_param(init.Constant(1.), (1,), name="scale")
            self.gate = DenseLayer(self.input_shape, self.input_shape[1])
            self.params.update(self.gate.params)

    quantized = QuantizedDense(InputLayer((None, 30)), 20, name="quantized")
    rows = _checked(Gated(quantized, name="gated"))
    row = rows["quantized"]
    assert (row.params, row.trainable_params) == ((30 + 1) * 20, 20)
    assert "W (30, num_units)" in row.note       # int(np.prod(...)) of 30: a plain 30
    row = rows["gated"]           # scale (1,), then the gate's W (20, 20) and b (20,)
    assert (row.params, row.trainable_params) == (1 + 20 * 20 + 20,) * 2
    assert [a.name for a in row.param_arrays] == ["scale", "W", "b"]
    assert [a.regularizable for a in row.param_arrays] == [True, True, False]


def test_what_code_does_to_a_layer_after_building_it_is_read_from_the_layer(lasagne, own):
    from lasagne import init
    from lasagne.layers import InputLayer
    deconv = own.Deconv(InputLayer((None, 6, 7, 7)), 4, 5, name="deconv")
    del deconv.params[deconv.b]                   # what Lasagne's batch_norm() does
    deconv.b = None
    frozen = own.WeightNormDense(deconv, 3, name="frozen")
    frozen.params[frozen.V].discard("trainable")  # a layer frozen for fine-tuning
    rows = _checked(frozen)
    assert rows["deconv"].params == 6 * 4 * 5 * 5
    assert rows["deconv"].note.endswith("; b removed after it was built")
    assert rows["frozen"].trainable_params == 3 + 3
    frozen.add_param(init.Constant(0.), (3,), name="late")
    comparison = lp.compare(frozen)
    assert comparison.not_derived == ("frozen",)
    assert "holds late, which its constructor does not make" in \
        comparison.derived.layer("frozen").note


def test_code_that_cannot_run_again_leaves_that_row_to_lasagne(lasagne, own, monkeypatch):
    from lasagne.layers import DenseLayer, InputLayer, Layer
    from lasagne_params.backend.networks import class_code

    built = []

    class Once(Layer):
        """Reads a file that is gone by the time it is derived."""

        def __init__(self, incoming, **kwargs):
            if built:
                raise IOError("weights.pkl: no such file")
            built.append(self)
            super(Once, self).__init__(incoming, **kwargs)

    class Quits(Layer):
        def __init__(self, incoming, **kwargs):
            if built[1:]:
                raise SystemExit(3)
            built.append(self)
            super(Quits, self).__init__(incoming, **kwargs)

    class Spins(Layer):
        def __init__(self, incoming, **kwargs):
            super(Spins, self).__init__(incoming, **kwargs)
            while len(built) >= 3:
                pass
            built.append(self)

    net = DenseLayer(Spins(Quits(Once(InputLayer((None, 8)), name="once"), name="quits"),
                           name="spins"), 4, name="out")
    monkeypatch.setattr(class_code, "TIME_LIMIT", 0.5)
    comparison = lp.compare(net)
    assert comparison.not_derived == ("once", "quits", "spins")
    notes = {name: comparison.derived.layer(name).note for name in comparison.not_derived}
    assert "OSError: weights.pkl: no such file (test_class_code.py, line" in notes["once"]
    assert notes["quits"].endswith("it calls sys.exit(3)")
    assert notes["spins"].endswith("it did not finish in 0.5 seconds")
    assert comparison.derived.layer("out").params == (8 + 1) * 4 and not comparison.mismatches


def test_a_layer_whose_call_was_not_noted_says_so(lasagne, own):
    from lasagne.layers import InputLayer
    from lasagne_params.backend.bridges import layer_calls
    wn = own.WeightNormDense(InputLayer((None, 20)), 6, name="wn")
    layer_calls._CALLS.pop(id(wn))
    comparison = lp.compare(wn)
    assert comparison.not_derived == ("wn",)
    assert "arguments it was built with were not noted" in comparison.derived.layer("wn").note
    with pytest.raises(lp.UnsupportedLayerError, match="were not noted"):
        lp.derive(wn)


def test_only_calls_of_own_classes_are_noted_and_never_on_the_layer(lasagne, own):
    import copy
    from lasagne.layers import DenseLayer, InputLayer
    from lasagne_params.backend.bridges.layer_calls import constructor_call
    l_in = InputLayer((None, 20))
    wn = own.WeightNormDense(l_in, 6, train_g=False, name="wn")
    assert constructor_call(wn) == ((l_in, 6), {"train_g": False, "name": "wn"})
    assert constructor_call(DenseLayer(l_in, 3)) is None and constructor_call(l_in) is None
    assert constructor_call(copy.copy(wn)) is None                 # made without arguments
    assert not any("call" in name for name in vars(wn))


def test_a_declared_kind_still_wins(lasagne, own):
    from lasagne.layers import InputLayer
    from lasagne_params import Registry, Result
    registry = Registry()
    registry.register(own.Halving, rule=lambda context: Result(
        (None, context.input_shape[1] // 2)))
    halving = own.Halving(InputLayer((None, 40)), name="halving")
    row = lp.compare(halving, kinds=registry).derived.layer("halving")
    assert row.output_shape == (None, 20) and not row.note


# ---------------------------------------------------------------- NeuralNet, by class


def test_a_neuralnet_matches_its_classes_by_identity_and_keeps_nolearn_names(lasagne):
    from lasagne import init
    from lasagne.layers import DenseLayer, InputLayer, Layer

    class BatchNormLayer(Layer):
        """A 2015-style batch normalisation without gamma (not Lasagne's class)."""

        def __init__(self, incoming, axes=(0,), **kwargs):
            super(BatchNormLayer, self).__init__(incoming, **kwargs)
            shape = [n for axis, n in enumerate(self.input_shape) if axis not in axes]
            self.beta = self.add_param(init.Constant(0), shape, name="beta",
                                       regularizable=False)
            self.mean = self.add_param(init.Constant(0), shape, name="mean",
                                       trainable=False, regularizable=False)

    net = lp.NeuralNet(layers=[(InputLayer, {"shape": (None, 30)}),
                               (DenseLayer, {"num_units": 20}), (BatchNormLayer, {}),
                               (DenseLayer, {"num_units": 5})], max_epochs=1)
    names = [spec.name for spec in net.to_specs()]
    assert names == ["input0", "dense1", "batchnorm2", "dense3"]
    with pytest.raises(lp.UnsupportedLayerError, match="BatchNormLayer"):
        lp.derive(net)                       # never Lasagne's rule for it
    comparison = lp.compare(net)
    assert comparison.ok
    row = comparison.derived.layer("batchnorm2")
    assert (row.params, row.trainable_params) == (20 + 20, 20)
    assert row.note.startswith(FROM_CODE)
    assert [r.name for r in comparison.derived.layers] == names


# ---------------------------------------------------------------- sizes as expressions


def test_a_reshape_to_a_theano_expression_is_none_as_in_lasagne(lasagne):
    import theano.tensor as T
    from lasagne.layers import DenseLayer, InputLayer, LSTMLayer, ReshapeLayer
    x = T.tensor3("x")
    lstm = LSTMLayer(InputLayer((None, 20, 8), input_var=x), 16, name="lstm")
    flat = ReshapeLayer(lstm, (x.shape[0] * 20, 16), name="flat")
    back = ReshapeLayer(DenseLayer(flat, 5, name="out"), (x.shape[0], 20, -1), name="back")
    rows = _checked(back)
    assert rows["flat"].output_shape == (None, 16)
    assert rows["flat"].note.startswith("axis 0 is x.shape[0]*20: a Theano expression")
    assert rows["back"].output_shape == (None, 20, None)       # -1 beside it: unknown too
    assert rows["back"].note.startswith("axis 0 is x.shape[0]:")


def test_a_size_read_from_a_large_network_output_is_not_printed_as_a_tree(lasagne):
    """FC-DenseNet's head reshapes by ``get_output(l).shape``: the output of a network
    whose layers are reused many times.  Printing that graph as Theano's pprint does (a
    tree, each shared part again) took 22 GB before the process was killed; the size is
    named without printing the graph."""
    import time
    from lasagne.layers import ConcatLayer, DenseLayer, InputLayer, ReshapeLayer, get_output
    layer = InputLayer((None, 4), name="in")
    for i in range(40):                   # each layer reads the last one twice: 2**40 paths
        layer = ConcatLayer([layer, layer], axis=1, name="c%d" % i) if i % 2 else \
            DenseLayer(ConcatLayer([layer, layer], axis=1), 4, name="d%d" % i)
    batch, width = get_output(layer).shape
    flat = ReshapeLayer(layer, (batch * width, 1), name="flat")
    started = time.perf_counter()
    rows = _checked(flat)
    assert time.perf_counter() - started < 60
    assert rows["flat"].output_shape == (None, 1)
    assert rows["flat"].note.startswith(
        "axis 0 is (an expression).shape[0]*(an expression).shape[1]: a Theano expression")


def test_a_spec_file_writes_an_expression_size_as_a_mapping(lasagne, tmp_path):
    from helpers import write
    path = write(tmp_path, "net.yaml", """\
layers:
  - {name: input, kind: InputLayer, shape: [null, 20, 8]}
  - {name: flat, kind: ReshapeLayer, shape: [{expression: "x.shape[0]*20"}, 8]}
  - {name: out, kind: DenseLayer, num_units: 5}
""")
    comparison = lp.compare(path)
    assert comparison.ok
    assert comparison.derived.layer("flat").output_shape == (None, 8)
    assert comparison.derived.layer("out").params == (8 + 1) * 5


def test_master_transposed_convolution_to_an_expression_size(lasagne_master):
    import theano.tensor as T
    from lasagne.layers import InputLayer, TransposedConv2DLayer
    size = T.ivector("size")
    layer = TransposedConv2DLayer(InputLayer((None, 3, 5, 5)), 4, 3, stride=2,
                                  output_size=size, name="up")
    row = _checked(layer)["up"]
    assert row.output_shape == (None, 4, None, None)
    assert row.params == 3 * 4 * 3 * 3 + 4
    assert row.note.startswith("output_size is size: a Theano expression")


def test_a_class_whose_get_params_gathers_the_arrays_of_objects_it_was_given(lasagne):
    """NTM's layer: a controller and heads (layers outside the network's graph) passed to
    its constructor, its own get_params adding their arrays to its own.  Lasagne counts
    them with the layer; so does the row, tagged as get_params says, with a note."""
    from lasagne.layers import DenseLayer, InputLayer, Layer

    class Controller(Layer):
        def __init__(self, incoming, num_units, **kwargs):
            super(Controller, self).__init__(incoming, **kwargs)
            self.W = self.add_param(lasagne.init.GlorotUniform(),
                                    (self.input_shape[1], num_units), name="W")
            self.h0 = self.add_param(lasagne.init.Constant(0.), (1, num_units), name="h0",
                                     trainable=False)

    class MemoryLayer(Layer):
        def __init__(self, incoming, controller, slots, **kwargs):
            super(MemoryLayer, self).__init__(incoming, **kwargs)
            self.controller = controller
            self.M = self.add_param(lasagne.init.Constant(0.), (slots, 4), name="M")

        def get_params(self, **tags):
            return super(MemoryLayer, self).get_params(**tags) + \
                self.controller.get_params(**tags)

        def get_output_shape_for(self, input_shape):
            return (input_shape[0], 4)

    l_in = InputLayer((None, 6), name="in")
    controller = Controller(InputLayer((None, 6)), 5, name="controller")
    net = DenseLayer(MemoryLayer(l_in, controller, 7, name="memory"), 2, name="out")
    rows = _checked(net)
    memory = rows["memory"]
    assert (memory.params, memory.trainable_params) == (7 * 4 + 6 * 5 + 5, 7 * 4 + 6 * 5)
    assert "MemoryLayer.get_params also counts the arrays of objects it was given" \
        in memory.note
    assert lp.derive(net).total_params == lasagne.layers.count_params(net) == \
        7 * 4 + 6 * 5 + 5 + (4 + 1) * 2
