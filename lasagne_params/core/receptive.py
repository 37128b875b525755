"""Receptive field along one spatial axis, with the formula that gives it.

Pure integer arithmetic, like ``axis.py``.  A unit's receptive field along an
axis is described by three ints (the usual recurrence for conv/pool chains):

``size``
    how many input positions the unit sees;
``jump``
    the distance, in input positions, between two neighbouring units of this
    layer (the product of the strides so far);
``start``
    the input position of the first position seen by this layer's first unit;
    negative when that unit reaches into zero padding.  The window's centre
    is ``start + (size - 1) / 2``.

A window of ``k`` positions moved ``s`` at a time over an input padded by
``p`` positions before its first one grows a receptive field as::

    size  = size_in + (k - 1) * jump_in
    jump  = jump_in * s
    start = start_in - p * jump_in

>>> seen = AxisReceptiveField.origin()         # the input: each unit sees itself
>>> seen = grow(seen, 5)                       # 5x5 convolution
>>> seen = grow(seen, 2, stride=2)             # 2x2 max-pooling
>>> seen
AxisReceptiveField(size=6, jump=2, start=0, formula='5+(2-1)*1=6')
"""
from dataclasses import dataclass

__all__ = ["AxisReceptiveField", "grow"]


@dataclass(frozen=True, slots=True)
class AxisReceptiveField:
    """One axis' receptive field and the derivation of its size."""

    size: int
    jump: int
    start: int
    formula: str = ""

    @classmethod
    def origin(cls):
        """An input position: sees itself, neighbours one apart, starting at 0."""
        return cls(1, 1, 0)

    def to_dict(self):
        return {"size": self.size, "jump": self.jump, "start": self.start,
                "formula": self.formula}


def grow(seen, window, stride=1, pad=0):
    """The receptive field of a layer sliding ``window`` positions by ``stride`` over ``seen``.

    ``pad`` is the zero padding before the input's first position.

    >>> grow(AxisReceptiveField.origin(), 5, stride=2, pad=2)
    AxisReceptiveField(size=5, jump=2, start=-2, formula='1+(5-1)*1=5')
    >>> grow(AxisReceptiveField(5, 2, -2), 3, pad=1)
    AxisReceptiveField(size=9, jump=2, start=-4, formula='5+(3-1)*2=9')
    >>> grow(AxisReceptiveField(6, 2, 0), 1).formula      # a 1-wide window adds nothing
    ''
    """
    size = seen.size + (window - 1) * seen.jump
    formula = ("%d+(%d-1)*%d=%d" % (seen.size, window, seen.jump, size)
               if window > 1 else "")
    return AxisReceptiveField(size, seen.jump * stride, seen.start - pad * seen.jump, formula)
