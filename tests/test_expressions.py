"""Expressions of tied arrays are parsed at derivation, never evaluated: the forms the
builder makes, their shape checked against the layer's, ties of ties followed."""
import pytest

import lasagne_params as lp
from lasagne_params.core.expressions import (ExpressionError, expression_shape,
                                             parse_expression)


def _net(*tied):
    """in (784) -> enc (64) -> layers given as (name, units, W, b)."""
    specs = [lp.LayerSpec("in", "InputLayer", (), {"shape": (None, 784)}),
             lp.LayerSpec("enc", "DenseLayer", ("in",), {"num_units": 64})]
    for name, units, args in tied:
        specs.append(lp.LayerSpec(name, "DenseLayer", (specs[-1].name,),
                                  dict({"num_units": units}, **args)))
    return specs


def _error(specs):
    with pytest.raises(lp.LayerRuleError) as info:
        lp.derive(specs, "master")
    return str(info.value)


def test_the_forms_and_their_shapes():
    assert parse_expression("enc.W.T", "enc.W") == (("T",),)
    assert parse_expression("enc.W.dimshuffle('x', 1, 0)", "enc.W") == \
        (("dimshuffle", ("x", 1, 0)),)
    assert parse_expression("enc.W.T.dimshuffle(0, x, 1)", "enc.W") == \
        (("T",), ("dimshuffle", (0, "x", 1)))
    assert expression_shape(parse_expression("enc.W.T.dimshuffle(0, 'x', 1)", "enc.W"),
                            (784, 64)) == (64, 1, 784)
    with pytest.raises(ExpressionError, match="must name each of the 2 axes of the array"):
        expression_shape(((("dimshuffle", (0,))),), (784, 64))


def test_a_transposed_matrix_is_no_bias():
    message = _error(_net(("dec", 784, {"b": {"shared": "enc.W", "expression": "enc.W.T"}})))
    assert message == ("layer 'dec' (DenseLayer): b: enc.W.T is 2D (shape (64, 784)), but "
                       "this layer needs a 1D array (Lasagne: parameter variable has 2 "
                       "dimensions, should be 1)")


def test_a_typo_is_refused_with_a_did_you_mean():
    message = _error(_net(("dec", 784, {"W": {"shared": "enc.W", "expression": "enc.W.t"}})))
    assert message == ("layer 'dec' (DenseLayer): W: expression: unknown operation .t; did you "
                       "mean .T? (the forms are REF.T, REF.dimshuffle(...) and chains of "
                       "them)")
    message = _error(_net(("dec", 784, {"W": {"shared": "enc.W", "expression": "enc.b.T"}})))
    assert "must be an expression of the shared array 'enc.W'" in message
    message = _error(_net(("dec", 784, {"W": {"shared": "enc.W",
                                              "expression": "enc.W.T + 1"}})))
    assert "unknown operation .T + 1" in message


def test_a_wrong_shape_is_refused():
    message = _error(_net(("dec", 100, {"W": {"shared": "enc.W", "expression": "enc.W.T"}})))
    assert message == ("layer 'dec' (DenseLayer): W: enc.W.T has shape (64, 784), but this "
                       "layer needs (64, 100) (Lasagne builds it, and Theano fails when the "
                       "network runs)")


def test_a_tie_of_a_tie_is_followed_and_counted_once():
    """enc: W 784x64; dec: W = enc.W.T (64x784); again: W = dec.W.T, which is enc.W:
    784*64 weights once, and the three biases 64 + 784 + 64."""
    report = lp.derive(_net(
        ("dec", 784, {"W": {"shared": "enc.W", "expression": "enc.W.T"}}),
        ("again", 64, {"W": {"shared": "dec.W", "expression": "dec.W.T"}})), "master")
    assert report.total_params == 784 * 64 + 64 + 784 + 64
    assert [a.key for a in report.layer("again").param_arrays] == ["enc.W", "again.b"]
    message = _error(_net(
        ("dec", 784, {"W": {"shared": "enc.W", "expression": "enc.W.T"}}),
        ("again", 784, {"W": {"shared": "dec.W", "expression": "dec.W.T"}})))
    assert "dec.W.T has shape (784, 64), but this layer needs (784, 784)" in message


def test_a_chain_is_built_as_derived(lasagne_master):
    specs = _net(("dec", 784, {"W": {"shared": "enc.W",
                                     "expression": "enc.W.T.dimshuffle(0, 1)"}}))
    comparison = lp.compare(specs)
    assert comparison.ok, lp.render(comparison)
    assert comparison.derived.total_params == 784 * 64 + 64 + 784
