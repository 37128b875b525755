"""Tied weights through an expression: ``{"shared": "enc.W", "expression": "enc.W.T"}``.

Lasagne master takes a Theano expression as a parameter (a decoder's
``W=enc.W.T``).  A spec writes it as text, and the text is parsed here, never
evaluated: the forms are the ones the builder makes
(``backend/networks/build.py``) —

* ``REF.T`` (the axes reversed),
* ``REF.dimshuffle(1, 0)``, ``REF.dimshuffle('x', 0)`` (a permutation of the
  array's axes, with ``'x'`` for a new axis of length 1),
* chains of them (``REF.T.dimshuffle(0, 'x', 1)``),

where ``REF`` is the ``"shared"`` array.  :func:`parse_expression` refuses
any other text with a "did you mean" (``enc.W.t`` -> ``.T``);
:func:`expression_shape` gives the shape the expression has, so that the
derivation checks it against the shape the layer needs (a transposed 2D
``W`` is no 1D bias).  ``an expression (Op) of REF`` is how a network read
from Lasagne writes any other expression: it is taken as it is (its shape
is not known without Theano), and the builder refuses to build it.

Pure Python.
"""
from .errors import did_you_mean

__all__ = ["parse_expression", "expression_shape", "is_opaque", "ExpressionError"]

#: The start of the text a network read from Lasagne gives any other expression.
OPAQUE = "an expression ("
_OPERATIONS = ("T", "dimshuffle")


class ExpressionError(ValueError):
    """The expression text is not one of the forms (the message says which)."""


def is_opaque(text):
    """True for ``an expression (Op) of REF``: read from Lasagne, not parsed."""
    return text.startswith(OPAQUE)


def parse_expression(text, ref):
    """The operations of ``text``, an expression of the array ``ref``: a tuple of
    ``("T",)`` and ``("dimshuffle", (0, "x", 1))``.

    Raises
    ------
    ExpressionError
        Naming what is wrong: the text does not start with ``ref``, an
        operation is unknown (with a "did you mean"), a pattern is malformed.
    """
    if not isinstance(text, str):
        raise ExpressionError("expected text such as %r, got %r" % (ref + ".T", text))
    if not text.startswith(ref + "."):
        head = text.split(".")[0] if "." in text else text
        raise ExpressionError("must be an expression of the shared array %r (such as %r, "
                              "%r); it starts with %r" % (ref, ref + ".T",
                                                          ref + ".dimshuffle(1, 0)", head))
    rest, operations = text[len(ref):], []
    while rest:
        if not rest.startswith("."):
            raise ExpressionError("unexpected %r after %r" % (rest[:20], text[:-len(rest)]))
        name, call = rest[1:], ""
        for index, char in enumerate(name):
            if char in ".(":
                name, call = rest[1:1 + index], rest[1 + index:]
                break
        else:
            call = ""
        if name == "T":
            operations.append(("T",))
            rest = call
        elif name == "dimshuffle":
            if not call.startswith("(") or ")" not in call:
                raise ExpressionError("dimshuffle needs its pattern in parentheses: "
                                      "%s.dimshuffle(1, 0)" % ref)
            inside, rest = call[1:call.index(")")], call[call.index(")") + 1:]
            operations.append(("dimshuffle", _pattern(inside)))
        else:
            raise ExpressionError("unknown operation .%s%s (the forms are REF.T, "
                                  "REF.dimshuffle(...) and chains of them)"
                                  % (name, did_you_mean(name, _OPERATIONS, prefix=".")))
    return tuple(operations)


def _pattern(inside):
    parts = [part.strip() for part in inside.split(",")]
    if parts and parts[-1] == "" and len(parts) > 1:       # a trailing comma
        parts.pop()
    pattern = []
    for part in parts:
        if part in ("x", "'x'", '"x"'):
            pattern.append("x")
        elif part.isdigit() and len(part) < 4:
            pattern.append(int(part))
        else:
            raise ExpressionError("a dimshuffle pattern holds axis numbers and 'x', got %r"
                                  % part)
    return tuple(pattern)


def expression_shape(operations, shape):
    """The shape of the expression ``operations`` of an array of ``shape``.

    Raises
    ------
    ExpressionError
        A dimshuffle that names an axis the array lacks, names one twice, or
        drops one (Theano drops only broadcastable axes, and a parameter
        array has none).
    """
    shape = tuple(shape)
    for operation in operations:
        if operation[0] == "T":
            shape = shape[::-1]
            continue
        pattern = operation[1]
        axes = [axis for axis in pattern if axis != "x"]
        wrong = [axis for axis in axes if axis >= len(shape)]
        if wrong:
            raise ExpressionError("dimshuffle%r names axis %d of a %dD array"
                                  % (pattern, wrong[0], len(shape)))
        if sorted(axes) != list(range(len(shape))):
            raise ExpressionError("dimshuffle%r must name each of the %d axes of the array "
                                  "%s once (Theano drops no axis of a parameter)"
                                  % (pattern, len(shape), shape))
        shape = tuple(1 if axis == "x" else shape[axis] for axis in pattern)
    return shape
