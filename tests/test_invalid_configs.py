"""Invalid configurations: the derivation's error, and what Lasagne 0.1 itself does.

Each case is a small network whose layer ``x`` (or the named one) is
invalid.  The derivation must raise a LayerRuleError naming the layer, the
hyper-parameter and the formula out of range; Lasagne either raises too
(the exception class is recorded) or accepts the layer and reports an
output shape (recorded), often with a non-positive length, leaving the
failure to the next layer or to Theano.  ``benchmarks/invalid_configs.py``
adds what Theano does when such a network is compiled and run (docs/layers.md).
"""
from typing import NamedTuple, Optional, Tuple, Union

import pytest

from lasagne_params import LayerRuleError, LayerSpec, derive


class Case(NamedTuple):
    label: str
    specs: Tuple[LayerSpec, ...]
    field: str
    message: str
    lasagne: Union[tuple, type]          # output shape it accepts, or the exception it raises
    layer: Optional[str] = "x"


def net(*layers):
    return tuple(LayerSpec(name, kind, tuple(incoming), args)
                 for name, kind, incoming, args in layers)


def on(input_shape, kind, **args):
    """An InputLayer of ``input_shape`` feeding layer ``x``."""
    return net(("in", "InputLayer", (), {"shape": input_shape}), ("x", kind, ("in",), args))


IMG = (None, 3, 6, 6)

INVALID = [
    Case("filter larger than the padded input", on(IMG, "Conv2DLayer", num_filters=2,
                                                   filter_size=9, pad=1),
         "filter_size", "output length ((6+2*1-9)//1)+1=0 is not positive", (None, 2, 0, 0)),
    Case("1D filter larger than the input", on((None, 3, 6), "Conv1DLayer", num_filters=2,
                                               filter_size=7),
         "filter_size", "output length (6-(7-1))=0 is not positive", (None, 2, 0)),
    Case("pool window larger than the input", on(IMG, "MaxPool2DLayer", pool_size=7),
         "pool_size", "output length 6//7=0 is not positive", (None, 3, 0, 0)),
    Case("pool padding not smaller than the window", on(IMG, "MaxPool2DLayer", pool_size=2,
                                                        pad=2),
         "pad", "must be smaller than pool_size (2, 2)", (None, 3, 5, 5)),
    Case("zero filters", on(IMG, "Conv2DLayer", num_filters=0, filter_size=3),
         "num_filters", "expected a positive int, got 0", ValueError),
    Case("negative filter size", on(IMG, "Conv2DLayer", num_filters=2, filter_size=-1),
         "filter_size", "expected a positive int or 2 of them, got -1", ValueError),
    Case("zero units", on((None, 4), "DenseLayer", num_units=0),
         "num_units", "expected a positive int, got 0", ValueError),
    Case("zero pool size", on(IMG, "MaxPool2DLayer", pool_size=0),
         "pool_size", "expected a positive int or 2 of them, got 0", ZeroDivisionError),
    Case("an input axis of length 0", on((None, 0, 5), "DenseLayer", num_units=2),
         "shape", "dimensions must be positive ints or None", ValueError, layer="in"),
    Case("concatenation of incompatible shapes",
         net(("in", "InputLayer", (), {"shape": IMG}),
             ("in2", "InputLayer", (), {"shape": (None, 5, 7, 6)}),
             ("x", "ConcatLayer", ("in", "in2"), {})),
         "incoming", "inputs differ on axis 2 (only axis 1 may differ)", (None, 8, 6, 6)),
    Case("concatenation of different ranks",
         net(("in", "InputLayer", (), {"shape": IMG}),
             ("in2", "InputLayer", (), {"shape": (None, 3, 6)}),
             ("x", "ConcatLayer", ("in", "in2"), {})),
         "incoming", "inputs must have the same number of axes", (None, 6, 6, 6)),
    Case("sum of different shapes",
         net(("in", "InputLayer", (), {"shape": IMG}),
             ("in2", "InputLayer", (), {"shape": (None, 3, 6, 5)}),
             ("x", "ElemwiseSumLayer", ("in", "in2"), {})),
         "incoming", "inputs must all have the same shape", ValueError),
    Case("reshape to a different size", on((2, 3, 6, 6), "ReshapeLayer", shape=(2, 5)),
         "shape", "cannot reshape (2, 3, 6, 6) (216 elements) to (2, 5) (10 elements)",
         ValueError),
    Case("flatten to more axes than the input", on(IMG, "FlattenLayer", outdim=5),
         "outdim", "cannot flatten a 4D input to 5 dimensions", (None, 3, 6, 6, 1)),
    Case("slice index outside the axis", on(IMG, "SliceLayer", indices=9, axis=1),
         "indices", "index 9 is outside an axis of length 3", (None, 6, 6)),
    Case("empty slice", on(IMG, "SliceLayer", indices=slice(4, 2), axis=1),
         "indices", "selects nothing: len(range(3,2,1))=0", (None, 0, 6, 6)),
    Case("negative pad width", on(IMG, "PadLayer", width=-1),
         "width", "expected non-negative ints or pairs of them, got -1", (None, 3, 4, 4)),
    Case("local response normalization with an even window",
         on(IMG, "LocalResponseNormalization2DLayer", n=4),
         "n", "must be odd", NotImplementedError),
    Case("local response normalization of a 3D input",
         on((None, 3, 6), "LocalResponseNormalization2DLayer"),
         "incoming", "expects a 4D input", (None, 3, 6)),
    Case("1D max-pooling of a 4D input", on(IMG, "MaxPool1DLayer", pool_size=2),
         "incoming", "expects a 3D input", (None, 3, 6, 3)),
    Case("1D convolution of a 4D input", on(IMG, "Conv1DLayer", num_filters=2, filter_size=3),
         "incoming", "expects a 3D input", (None, 2, 4)),
    Case("global pooling of a 2D input", on((None, 3), "GlobalPoolLayer"),
         "incoming", "expects at least a 3D input", (None, 3)),
    Case("feature pooling along a negative axis", on(IMG, "FeaturePoolLayer", pool_size=2,
                                                     axis=-1),
         "axis", "expected an axis in [0, 4)", (None, 3, 6, 3)),
    Case("feature pooling of an indivisible axis", on(IMG, "FeaturePoolLayer", pool_size=2),
         "pool_size", "3 feature maps on axis 1 do not split into groups of 2", ValueError),
    Case("a shared weight matrix of the wrong shape",
         net(("in", "InputLayer", (), {"shape": (None, 8)}),
             ("a", "DenseLayer", ("in",), {"num_units": 6}),
             ("x", "DenseLayer", ("a",), {"num_units": 6, "W": {"shared": "a.W"}})),
         "W", "shares 'a.W' of shape (8, 6) (from layer 'a'), but needs shape (6, 6)",
         (None, 6)),
    Case("dense layer over an unknown input size", on((None, None), "DenseLayer", num_units=2),
         "incoming", "the input size must be known to count parameters", TypeError),
    Case("padding that is not valid, full, same or an int",
         on(IMG, "Conv2DLayer", num_filters=2, filter_size=3, pad="half"),
         "pad", "expected a non-negative int or 2 of them, got 'half'", TypeError),
    Case("LSTM gate without a bias", on((None, 7, 3), "LSTMLayer", num_units=4,
                                        ingate={"b": None}),
         "b_ingate", "Lasagne 0.1 needs an array for every gate", RuntimeError),
    Case("LSTM peephole without W_cell", on((None, 7, 3), "LSTMLayer", num_units=4,
                                            forgetgate={"W_cell": None}),
         "W_cell_to_forgetgate", "peepholes=True needs it", AttributeError),
    Case("recurrent mask of the wrong shape",
         net(("in", "InputLayer", (), {"shape": (None, 7, 3)}),
             ("mask", "InputLayer", (), {"shape": (None, 8)}),
             ("x", "GRULayer", ("in", "mask"), {"num_units": 4})),
         "mask_input", "the mask must be (batch, sequence) = (None, 7), got (None, 8)",
         (None, 7, 4)),
    Case("unrolled scan over an unknown sequence length",
         on((None, None, 3), "RecurrentLayer", num_units=4, unroll_scan=True),
         "unroll_scan", "unroll_scan needs a known sequence length", ValueError),
]


@pytest.mark.parametrize("case", INVALID, ids=[c.label for c in INVALID])
def test_derivation_names_layer_field_and_formula(case):
    with pytest.raises(LayerRuleError) as info:
        derive(list(case.specs), "0.1")             # the messages of Lasagne 0.1's rules
    error = info.value
    assert (error.layer, error.field) == (case.layer, case.field)
    assert case.message in str(error)
    assert str(error).startswith("layer %r (" % case.layer) and "\n" not in str(error)


def lasagne_static(case):
    """What Lasagne does: the invalid layer's output_shape, or the exception it raises."""
    from lasagne_params.backend.networks.build import build_layers
    try:
        layers = build_layers(case.specs)
        return tuple(layers[case.specs[-1].name].output_shape)
    except Exception as exc:     # noqa: BLE001 -- recording Lasagne's behaviour
        return exc.__cause__ or exc     # build_layers wraps it in a LayerRuleError


@pytest.mark.parametrize("case", INVALID, ids=[c.label for c in INVALID])
def test_what_lasagne_does(lasagne_release, case):
    outcome = lasagne_static(case)
    if isinstance(case.lasagne, tuple):
        assert outcome == case.lasagne, "Lasagne now raises %r" % (outcome,)
    else:
        assert type(outcome) is case.lasagne, outcome


def test_even_same_filter_is_valid_in_lasagne_01(lasagne_release):
    """pad='same' with an even filter is no error on Conv2DLayer/Conv1DLayer: Lasagne 0.1
    pads f//2 before and (f-1)//2 after, and the output keeps the input's length."""
    from lasagne_params.backend.networks.build import build_layers
    specs = on(IMG, "Conv2DLayer", num_filters=2, filter_size=4, pad="same")
    assert derive(list(specs), "0.1").layers[-1].output_shape == (None, 2, 6, 6)
    assert build_layers(specs)["x"].output_shape == (None, 2, 6, 6)
