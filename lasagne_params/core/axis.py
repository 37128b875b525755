"""Output length along one axis, with the formula that gives it.

Pure integer arithmetic: ``int`` or ``None`` in, ``Length`` out.  ``None``
(an unknown length) flows through.  Each function returns the value and the
text of its derivation, so the formula shown to a user is built next to the
arithmetic that produces the number; ``tests/test_axis.py`` evaluates every
formula text and checks it equals the value.

The conventions are Lasagne's (``lasagne.layers.conv.conv_output_length``
and ``lasagne.layers.pool.pool_output_length``), written independently.
"""
from dataclasses import dataclass
from typing import Optional, Tuple, Union

__all__ = ["Length", "conv_length", "pool_length", "conv_pads", "transposed_length",
           "transposed_crop", "dilated_length", "POOL_MODES", "is_int"]

POOL_MODES = ("max", "sum", "average_inc_pad", "average_exc_pad")


@dataclass(frozen=True, slots=True)
class Length:
    """One axis' output length and its derivation, e.g. ``(28-(5-1))=24``."""

    value: Optional[int]
    formula: str


def is_int(x: object) -> bool:
    """True for Python/numpy integers, False for bool and everything else."""
    return hasattr(x, "__index__") and not isinstance(x, bool)


def conv_pads(pad: Union[int, str], filter_size: int) -> Tuple[int, int]:
    """Zero padding (before, after) one axis receives for a ``pad`` setting.

    ``'valid'`` is 0; ``'full'`` is ``filter_size - 1`` on both sides;
    ``'same'`` is ``filter_size // 2`` before and ``(filter_size - 1) // 2``
    after (one less on the second side for an even filter), as Lasagne does.

    >>> conv_pads('same', 5), conv_pads('same', 4), conv_pads('full', 3), conv_pads(2, 3)
    ((2, 2), (2, 1), (2, 2), (2, 2))
    """
    if pad == "valid":
        return (0, 0)
    if pad == "full":
        return (filter_size - 1, filter_size - 1)
    if pad == "same":
        return (filter_size // 2, (filter_size - 1) // 2)
    if is_int(pad):
        return (int(pad), int(pad))
    raise ValueError("invalid pad %r: expected an int, 'valid', 'full' or 'same'" % (pad,))


def _pad_text(before: int, after: int) -> str:
    if before == after:
        return "+2*%d" % before
    return "+%d+%d" % (before, after)


def conv_length(length: Optional[int], filter_size: int, stride: int = 1,
                pad: Union[int, str] = 0) -> Length:
    """Output length of a convolution along one axis.

    ``((length + pad_before + pad_after - filter_size) // stride) + 1``, shown
    as in the Stack Overflow answer when there is no padding and no stride.

    >>> conv_length(28, 5)
    Length(value=24, formula='(28-(5-1))=24')
    >>> conv_length(28, 5, stride=2, pad=2)
    Length(value=14, formula='((28+2*2-5)//2)+1=14')
    >>> conv_length(None, 3).value is None
    True
    """
    before, after = conv_pads(pad, filter_size)
    if length is None:
        return Length(None, "")
    if stride == 1 and before == after == 0:
        value = length - (filter_size - 1)
        return Length(value, "(%d-(%d-1))=%d" % (length, filter_size, value))
    value = (length + before + after - filter_size) // stride + 1
    return Length(value, "((%d%s-%d)//%d)+1=%d"
                  % (length, _pad_text(before, after), filter_size, stride, value))


def pool_length(length: Optional[int], pool_size: int, stride: Optional[int] = None,
                pad: int = 0, ignore_border: bool = True) -> Length:
    """Output length of a pooling window along one axis.

    With ``ignore_border=True`` only whole windows count:
    ``((length + 2*pad - pool_size) // stride) + 1``, shown as
    ``length//pool_size`` when the windows tile without overlap or padding.
    With ``ignore_border=False`` a last partial window is kept (Theano's
    rule, which Lasagne 0.1 repeats; ``pad`` must then be 0):
    ``ceil(length / stride)`` if ``stride >= pool_size``, else
    ``max(0, ceil((length - pool_size) / stride)) + 1``.

    >>> pool_length(24, 2)
    Length(value=12, formula='24//2=12')
    >>> pool_length(5, 2, ignore_border=False)
    Length(value=3, formula='(5+2-1)//2=3')
    """
    stride = pool_size if stride is None else stride
    if length is None:
        return Length(None, "")
    if ignore_border:
        if pad == 0 and stride == pool_size:
            value = length // pool_size
            return Length(value, "%d//%d=%d" % (length, pool_size, value))
        value = (length + 2 * pad - pool_size) // stride + 1
        return Length(value, "((%d+2*%d-%d)//%d)+1=%d"
                      % (length, pad, pool_size, stride, value))
    if pad != 0:
        raise ValueError("pad must be 0 when ignore_border is False, got %r" % (pad,))
    if stride >= pool_size:
        value = (length + stride - 1) // stride
        return Length(value, "(%d+%d-1)//%d=%d" % (length, stride, stride, value))
    value = max(0, (length - pool_size + stride - 1) // stride) + 1
    return Length(value, "max(0,(%d-%d+%d-1)//%d)+1=%d"
                  % (length, pool_size, stride, stride, value))


def transposed_crop(crop: Union[int, str], filter_size: int) -> int:
    """The crop one axis of a transposed convolution gets: ``'valid'`` 0,
    ``'full'`` ``f-1``, ``'same'`` ``f//2``, an int as it is (master's
    ``conv_input_length``).

    >>> transposed_crop('full', 3), transposed_crop('same', 5), transposed_crop(1, 3)
    (2, 2, 1)
    """
    if crop == "valid":
        return 0
    if crop == "full":
        return filter_size - 1
    if crop == "same":
        return filter_size // 2
    if is_int(crop):
        return int(crop)
    raise ValueError("invalid crop %r: expected an int, 'valid', 'full' or 'same'" % (crop,))


def transposed_length(length: Optional[int], filter_size: int, stride: int = 1,
                      crop: Union[int, str] = 0) -> Length:
    """Output length of a transposed convolution along one axis:
    ``(length-1)*stride + filter_size - 2*crop`` (the input length of the
    convolution it transposes).

    >>> transposed_length(7, 3, 2)
    Length(value=15, formula='(7-1)*2+3=15')
    >>> transposed_length(7, 3, 2, 'same').formula
    '(7-1)*2+3-2*1=13'
    """
    if length is None:
        return Length(None, "")
    cut = transposed_crop(crop, filter_size)
    value = (length - 1) * stride + filter_size - 2 * cut
    text = "(%d-1)*%d+%d" % (length, stride, filter_size)
    if cut:
        text += "-2*%d" % cut
    return Length(value, "%s=%d" % (text, value))


def dilated_length(length: Optional[int], filter_size: int, dilation: int) -> Length:
    """Output length of a dilated ('valid', stride 1) convolution along one axis:
    ``length - (filter_size-1)*dilation``.

    >>> dilated_length(28, 3, 2)
    Length(value=24, formula='28-(3-1)*2=24')
    """
    if length is None:
        return Length(None, "")
    value = length - (filter_size - 1) * dilation
    return Length(value, "%d-(%d-1)*%d=%d" % (length, filter_size, dilation, value))
