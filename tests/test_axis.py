"""Per-axis arithmetic on plain ints, hand-computed, and every formula text evaluated."""
import pytest
from hypothesis import given, strategies as st

from lasagne_params.core.axis import Length, conv_length, conv_pads, pool_length


def evaluate(formula):
    """Evaluate ``lhs=value`` formula text and return (lhs value, stated value)."""
    lhs, _, rhs = formula.rpartition("=")
    return eval(lhs, {"max": max}), int(rhs)  # formulas use only ints, + - * // max


@pytest.mark.parametrize("args, expected", [
    ((28, 5), Length(24, "(28-(5-1))=24")),                  # the answer's conv2d1
    ((12, 3), Length(10, "(12-(3-1))=10")),                  # the answer's conv2d2
    ((28, 5, 1, 2), Length(28, "((28+2*2-5)//1)+1=28")),     # the answer's padding example
    ((28, 5, 2, 2), Length(14, "((28+2*2-5)//2)+1=14")),
    ((28, 5, 1, "full"), Length(32, "((28+2*4-5)//1)+1=32")),
    ((28, 5, 1, "same"), Length(28, "((28+2*2-5)//1)+1=28")),
    ((28, 4, 1, "same"), Length(28, "((28+2+1-4)//1)+1=28")),
    ((28, 3, 3, "same"), Length(10, "((28+2*1-3)//3)+1=10")),
    ((28, 5, 1, "valid"), Length(24, "(28-(5-1))=24")),
    ((7, 3, 2, 0), Length(3, "((7+2*0-3)//2)+1=3")),
    ((None, 3), Length(None, "")),
])
def test_conv_length(args, expected):
    assert conv_length(*args) == expected


@pytest.mark.parametrize("args, expected", [
    ((24, 2), Length(12, "24//2=12")),
    ((10, 2), Length(5, "10//2=5")),
    ((5, 2), Length(2, "5//2=2")),                            # partial window dropped
    ((5, 2, None, 0, False), Length(3, "(5+2-1)//2=3")),      # partial window kept
    ((7, 3, 2), Length(3, "((7+2*0-3)//2)+1=3")),
    ((7, 3, 2, 1), Length(4, "((7+2*1-3)//2)+1=4")),
    ((7, 3, 2, 0, False), Length(3, "max(0,(7-3+2-1)//2)+1=3")),
    ((2, 3, 1, 0, False), Length(1, "max(0,(2-3+1-1)//1)+1=1")),
    ((None, 2), Length(None, "")),
])
def test_pool_length(args, expected):
    assert pool_length(*args) == expected


def test_pool_pad_requires_ignore_border():
    with pytest.raises(ValueError, match="pad must be 0 when ignore_border is False"):
        pool_length(8, 2, 2, 1, False)


def test_conv_pads():
    assert conv_pads("valid", 5) == (0, 0)
    assert conv_pads("full", 5) == (4, 4)
    assert conv_pads("same", 5) == (2, 2)
    assert conv_pads("same", 4) == (2, 1)
    assert conv_pads(3, 5) == (3, 3)
    with pytest.raises(ValueError, match="invalid pad 'half'"):
        conv_pads("half", 3)


sizes = st.integers(1, 300)
pads = st.one_of(st.integers(0, 10), st.sampled_from(["valid", "full", "same"]))


@given(sizes, st.integers(1, 15), st.integers(1, 6), pads)
def test_conv_formula_text_evaluates_to_value(length, fsize, stride, pad):
    out = conv_length(length, fsize, stride, pad)
    lhs, stated = evaluate(out.formula)
    assert lhs == stated == out.value
    # Lasagne 0.1's own arithmetic, restated: ceil((L + pads - f + 1) / s)
    before, after = conv_pads(pad, fsize)
    assert out.value == -(-(length + before + after - fsize + 1) // stride)


@given(sizes, st.integers(1, 8), st.integers(1, 8), st.integers(0, 3), st.booleans())
def test_pool_formula_text_evaluates_to_value(length, size, stride, pad, ignore_border):
    if not ignore_border:
        pad = 0
    out = pool_length(length, size, stride, pad, ignore_border)
    lhs, stated = evaluate(out.formula)
    assert lhs == stated == out.value
