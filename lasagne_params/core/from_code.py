"""The figures of a layer derived from its class's own code, with their formulas.

``backend/networks/class_code.py`` runs a class's constructor and
``get_output_shape_for`` again, once on plain numbers and once on sizes
that remember their arithmetic (:mod:`.symbolic`), and hands what the runs
gave — the ``add_param`` calls (:class:`CodeArray`) and the output shape —
to :func:`code_result`, which writes the layer's :class:`Result` as a rule's:

* parameter arrays with the tags the code gave them (``trainable=False``
  arrays count in ``params`` but not in ``trainable_params``, as Lasagne's
  ``get_params(trainable=True)`` leaves them out), shared arrays keyed to
  their first holder;
* the parameter formula in numbers, as the answer writes it
  (``(32*5*5+1)*500``), and each output axis the code computed
  (``(7-1)*2+5-2*1=14 -> 64x14x14``): every text evaluates to its figure;
* a note beginning :data:`FROM_CODE`, with the same in names
  (``W (in[1]*in[2]*in[3], num_units)``), or :data:`WITH_NUMBERS` where only
  the plain run could be followed (and why).

Standard library only.
"""
from dataclasses import dataclass
from typing import Optional, Tuple

from .layers.base import Result
from .symbolic import described, derivation, sum_formula
from .text import axes_text, with_size

__all__ = ["CodeArray", "code_result", "FROM_CODE", "WITH_NUMBERS", "plain_shape"]

#: How a row derived from its class's code begins its note.
FROM_CODE = "from the class's code"
#: ... and one whose code could be followed on plain numbers only.
WITH_NUMBERS = FROM_CODE + ", with numbers"


@dataclass(frozen=True, slots=True)
class CodeArray:
    """One ``add_param`` call of a run: the array's name (unique in the layer), its shape
    as the code gave it (sizes, forced ints or plain numbers), its tags, and the key of
    the earlier layer's array it is (``shared``), if any."""

    name: str
    shape: Tuple
    trainable: bool = True
    regularizable: bool = True
    shared: Optional[str] = None


def plain_shape(shape):
    """A shape as plain ints (and ``None``)."""
    return tuple(None if d is None else int.__int__(d) if isinstance(d, int) else int(d)
                 for d in shape)


def _names(shape, tape):
    texts = [described(d, tape)[0] for d in shape]
    return "(%s%s)" % (", ".join(texts), "," if len(texts) == 1 else "")


def code_result(context, arrays, output, tape=None, numbers_because="", removed=()):
    """The :class:`~.layers.base.Result` of a layer whose class's code gave ``arrays``
    (CodeArrays) and ``output`` (its output shape).

    ``tape`` is the symbolic run's :class:`~.symbolic.Tape` (its sizes give
    the texts); ``None`` when only the plain run could be followed, whose
    reason is ``numbers_because``.  ``removed`` names the arrays the code
    made that the layer no longer holds (``batch_norm`` removes a bias).
    """
    params = []
    for array in arrays:
        shape = plain_shape(array.shape)
        if array.shared:
            params.append(context.param_array(array.name, shape, array.trainable,
                                              array.regularizable,
                                              value={"shared": array.shared}))
        else:
            params.append(context.param_array(array.name, shape, array.trainable,
                                              array.regularizable))
    out = plain_shape(output)
    axes = [derivation(d, tape) for d in output if d is not None] if tape else []
    shape_formula = with_size(axes_text([a for a in axes if a]), out)
    formula = sum_formula([[described(d, tape)[1:3] for d in array.shape]
                           for array in arrays]) if arrays else ""
    if tape is None:
        note = WITH_NUMBERS + (" (%s)" % numbers_because if numbers_because else "")
    else:
        parts = ["output " + _names(output, tape)]
        parts += ["%s %s" % (array.name, _names(array.shape, tape)) for array in arrays]
        note = "%s: %s" % (FROM_CODE, "; ".join(parts))
        if tape.comparisons:
            note += " (for the branch where %s)" % ", ".join(tape.comparisons[:3])
    if removed:
        note += "; %s removed after it was built" % ", ".join(removed)
    return Result(out, shape_formula, tuple(params), formula, note)
