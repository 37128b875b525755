"""Sizes that remember their arithmetic: what a layer class's own code computes, and how.

A layer class nobody declared a kind for is derived by running its own
constructor and ``get_output_shape_for`` again (``backend/networks/class_code.py``)
on sizes of this module instead of plain numbers:

* :class:`Size` is an ``int``.  It *is* its value for everything a class's
  code may do with a number (``isinstance(n, int)``, indexing, ``range``,
  ``"%d"``, numpy, Theano), so the code takes the path it takes on plain
  numbers; its arithmetic (``+ - * // % **``, unary minus, ``abs``) also
  returns a Size holding two texts of the computation: in names
  (``in[1]*in[2]*in[3]``, ``num_units``) and in numbers (``32*5*5``,
  ``500``).  The number text is written with Python's operators and
  parentheses only, so it evaluates to the value (tests check it).
* :class:`Shape` is a tuple of sizes whose slices stay Shapes and whose
  ``prod()`` multiplies them as sizes: ``np.prod(self.input_shape[1:])``
  asks the tuple itself (numpy does, for any object with a ``prod``
  method), so the product keeps its text.
* :class:`Tape` is one run's record: how many operations (a cap, so a loop
  on sizes cannot run away), the comparisons the class's own code made on
  the input's sizes (its formula holds for the branch they chose), and the ints it
  forced out of sizes with ``int()``: ``int(np.prod(shape[1:]))`` returns a
  plain int, and the tape remembers which Size that very int object came
  from (ints up to 256 are shared objects in Python, so those are not
  remembered and show as numbers).

What is lost is never wrong: a value that went through anything else
(``float``, numpy arrays, ``range``) is a plain number, and shows as one.
Anything but ``int`` arithmetic (``/``, a float operand) gives what ``int``
gives.  Standard library only; knows nothing of Lasagne.
"""
import sys

from .text import digits

__all__ = ["Size", "Shape", "Tape", "TooManyOperations", "described", "product_formula",
           "sum_formula", "derivation", "ATOM", "MAX_TEXT"]

# Precedence of a text's outermost operation: whether it needs parentheses as an operand.
SUM, PRODUCT, UNARY, POWER, ATOM = 5, 6, 7, 8, 9
#: A text longer than this is replaced by the number it computes (a loop can double it).
MAX_TEXT = 160
#: Operations on sizes one run may do before it is stopped.
MAX_OPERATIONS = 100000


class TooManyOperations(RuntimeError):
    """A run did more arithmetic on sizes than :data:`MAX_OPERATIONS` (a loop, perhaps)."""


class Tape:
    """One run's record (see the module).

    ``library`` names the top-level modules whose comparisons are not the
    class's own (Lasagne checking its input shape is not a branch of the
    class); ``comparisons`` holds the texts of the others, once each;
    ``forced`` maps ``id(int)`` to ``(that int, the Size it came from)``.
    """

    def __init__(self, library=(), limit=MAX_OPERATIONS):
        self.library = tuple(library)
        self.limit = limit
        self.operations = 0
        self.comparisons = []
        self.forced = {}

    def symbol(self, value, name, axis=False):
        """A size called ``name``: an input's axis (``in[1]``, ``axis=True``) or an argument
        (``num_units``)."""
        return Size(value, name, digits(int(value)), ATOM, self, computed=False,
                    axis=axis)

    def count(self):
        self.operations += 1
        if self.operations > self.limit:
            raise TooManyOperations("more than %d operations on sizes" % self.limit)

    def compared(self, text):
        """Note a comparison made by the class's own code (not by a library module)."""
        frame = sys._getframe(3)           # the caller of Size.__lt__ (or __eq__...)
        module = (frame.f_globals.get("__name__") or "").split(".")[0]
        if module not in self.library and text not in self.comparisons:
            self.comparisons.append(text)

    def origin(self, value):
        """The Size a plain int came from through ``int()``, or None."""
        found = self.forced.get(id(value))
        return found[1] if found is not None and found[0] is value else None


def _constant(value):
    """(names, numbers, precedence) of a plain int."""
    text = digits(int(value))
    return text, text, (ATOM if value >= 0 else UNARY)


def _operand(value, tape):
    """(int value, names, numbers, precedence, top operator, depends on an input axis) of
    an int-like operand, else None: an int (a Size, a bool, a forced int) or a numpy
    integer."""
    if isinstance(value, Size):
        return (int.__int__(value), value.names, value.numbers, value.precedence, value.top,
                value.axis)
    if isinstance(value, int) or (type(value).__module__ == "numpy" and hasattr(
            value, "__index__")):
        number = int(value)
        origin = tape.origin(value) if isinstance(value, int) else None
        if origin is not None:
            return (number, origin.names, origin.numbers, origin.precedence, origin.top,
                    origin.axis)
        return (number,) + _constant(number) + ("", False)
    return None


def _wrapped(text, precedence, needed):
    return "(%s)" % text if precedence < needed else text


#: operator -> (int method, precedence, precedence needed of the left, of the right; the
#: right operand of * also needs parentheses around a // or a %).
_OPERATORS = {"+": ("__add__", SUM, SUM, SUM), "-": ("__sub__", SUM, SUM, SUM + 1),
              "*": ("__mul__", PRODUCT, PRODUCT, PRODUCT),
              "//": ("__floordiv__", PRODUCT, PRODUCT, PRODUCT + 1),
              "%": ("__mod__", PRODUCT, PRODUCT, PRODUCT + 1),
              "**": ("__pow__", POWER, POWER + 1, UNARY)}


def _combine(operator, left, right):
    """The Size ``left operator right`` (both operands as :func:`_operand` gives them)."""
    method, precedence, left_needs, right_needs = _OPERATORS[operator]
    value = getattr(int, method)(left[0], right[0])
    if not isinstance(value, int):          # 2 ** -1 is a float: a plain number
        return value
    if (operator, left[2]) in (("+", "0"), ("*", "1")) and left[1] == left[2]:
        return right                        # sum() starts from 0, a product from 1
    if operator == "*" and right[4] in ("//", "%"):
        right_needs = PRODUCT + 1
    texts = []
    for index in (1, 2):
        texts.append("%s%s%s" % (_wrapped(left[index], left[3], left_needs), operator,
                                 _wrapped(right[index], right[3], right_needs)))
    return Size(value, texts[0], texts[1], precedence, None, top=operator,
                axis=left[5] or right[5])


#: A comparison and the one that holds when it is false.
_NEGATED = {"==": "!=", "!=": "==", "<": ">=", "<=": ">", ">": "<=", ">=": "<"}


class Size(int):
    """An int that remembers how it was computed (see the module).

    ``names`` and ``numbers`` are its two texts, ``precedence`` that of
    their outermost operation, ``computed`` False for a symbol itself
    (``in[1]``) and True for arithmetic on symbols, ``axis`` True when it
    depends on an input's axis.
    """

    def __new__(cls, value, names=None, numbers=None, precedence=ATOM, tape=None,
                computed=True, top="", axis=False):
        self = int.__new__(cls, value)
        if names is None:
            names = numbers = digits(int(value))
            computed = False
        if len(names) > MAX_TEXT or len(numbers) > MAX_TEXT:
            names = numbers = digits(int(value))
            precedence, computed, top = ATOM if value >= 0 else UNARY, False, ""
        self.names, self.numbers, self.precedence = names, numbers, precedence
        self.tape, self.computed, self.top, self.axis = tape, computed, top, axis
        return self

    __hash__ = int.__hash__

    def __reduce__(self):
        return (int, (int.__int__(self),))

    def _binary(self, operator, other, reflected):
        tape = self.tape
        right = _operand(other, tape) if tape is not None else None
        if right is None:
            method = _OPERATORS[operator][0]
            if reflected:
                method = "__r" + method[2:]
            return getattr(int, method)(self, other)
        tape.count()
        mine = _operand(self, tape)
        result = _combine(operator, right, mine) if reflected else \
            _combine(operator, mine, right)
        if isinstance(result, tuple):           # 0 + self: self itself
            return self
        if isinstance(result, Size):
            result.tape = tape
        return result

    def __add__(self, other):
        return self._binary("+", other, False)

    def __radd__(self, other):
        return self._binary("+", other, True)

    def __sub__(self, other):
        return self._binary("-", other, False)

    def __rsub__(self, other):
        return self._binary("-", other, True)

    def __mul__(self, other):
        return self._binary("*", other, False)

    def __rmul__(self, other):
        return self._binary("*", other, True)

    def __floordiv__(self, other):
        return self._binary("//", other, False)

    def __rfloordiv__(self, other):
        return self._binary("//", other, True)

    def __mod__(self, other):
        return self._binary("%", other, False)

    def __rmod__(self, other):
        return self._binary("%", other, True)

    def __pow__(self, other, modulo=None):
        if modulo is not None:
            return int.__pow__(self, other, modulo)
        return self._binary("**", other, False)

    def __rpow__(self, other):
        return self._binary("**", other, True)

    def __neg__(self):
        if self.tape is None:
            return int.__neg__(self)
        self.tape.count()
        value = -int.__int__(self)
        return Size(value, "-" + _wrapped(self.names, self.precedence, POWER),
                    "-" + _wrapped(self.numbers, self.precedence, POWER), UNARY, self.tape,
                    top="-", axis=self.axis)

    def __pos__(self):
        return self

    def __abs__(self):
        return -self if int.__int__(self) < 0 else self

    def __int__(self):
        value = int.__int__(self)
        if self.tape is not None and not -5 <= value <= 256:    # Python shares those ints
            self.tape.forced[id(value)] = (value, self)
        return value

    def _compare(self, symbol, other, method):
        result = getattr(int, method)(self, other)
        right = _operand(other, self.tape) if self.tape is not None else None
        if right is not None and isinstance(result, bool) and (self.axis or right[5]):
            held = symbol if result else _NEGATED[symbol]
            self.tape.compared("%s %s %s" % (self.names, held, right[1]))
        return result

    def __eq__(self, other):
        return self._compare("==", other, "__eq__")

    def __ne__(self, other):
        return self._compare("!=", other, "__ne__")

    def __lt__(self, other):
        return self._compare("<", other, "__lt__")

    def __le__(self, other):
        return self._compare("<=", other, "__le__")

    def __gt__(self, other):
        return self._compare(">", other, "__gt__")

    def __ge__(self, other):
        return self._compare(">=", other, "__ge__")


class Shape(tuple):
    """A tuple of sizes (and ``None`` for an unknown length) whose slices and sums with
    other tuples stay Shapes, and whose ``prod()`` is their product as a Size (what
    ``np.prod(shape)`` calls: numpy asks an object for its own ``prod``)."""

    def __getitem__(self, index):
        item = tuple.__getitem__(self, index)
        return Shape(item) if isinstance(index, slice) else item

    def __add__(self, other):
        result = tuple.__add__(self, other)
        return Shape(result) if isinstance(result, tuple) else result

    def __radd__(self, other):
        if not isinstance(other, tuple):
            return NotImplemented
        return Shape(tuple.__add__(other, self))

    def prod(self, axis=None, dtype=None, out=None, **options):
        """The product of the items (1 for none); numpy's ``prod`` for anything more."""
        if axis not in (None, 0) or out is not None or dtype not in (None, int) or any(
                key not in ("keepdims", "initial", "where") for key in options) or \
                options.get("initial", 1) != 1 or options.get("where", True) is not True:
            raise TypeError("prod of a shape with options %r is not followed symbolically"
                            % (sorted(options) + [k for k, v in (("axis", axis), (
                                "dtype", dtype), ("out", out)) if v is not None],))
        if not self:
            return 1
        result = self[0]
        for item in self[1:]:
            result = result * item
        return result


def described(value, tape):
    """(names, numbers, precedence, computed) of one size in a shape the code gave: a
    Size, an int it forced out of one (the Size's texts), a plain number, or ``None``."""
    if value is None:
        return "None", "None", ATOM, False
    if isinstance(value, Size):
        return value.names, value.numbers, value.precedence, value.computed
    origin = tape.origin(value) if tape is not None and isinstance(value, int) else None
    if origin is not None:
        return origin.names, origin.numbers, origin.precedence, origin.computed
    names, numbers, precedence = _constant(int(value))
    return names, numbers, precedence, False


def product_formula(texts):
    """``[(text, precedence), ...]`` -> their product as text (``"1"`` for none).

    >>> product_formula([("32*5*5", 6), ("500", 9)])
    '32*5*5*500'
    >>> product_formula([("in+1", 5), ("4", 9)])
    '(in+1)*4'
    """
    if not texts:
        return "1"
    return "*".join(_wrapped(text, precedence, PRODUCT) for text, precedence in texts)


def sum_formula(arrays):
    """The sum of several arrays' sizes, each ``[(text, precedence), ...]`` per axis,
    written as the answer writes a layer's count: a factor every array has (the last
    such of the first array) is written once, ``(800+1)*500`` for W (800, 500) and b
    (500,), ``(8*3*3+1)*4`` for W (8, 4, 3, 3) and b (4,).

    >>> sum_formula([[("1", 9), ("5", 9), ("5", 9), ("32", 9)], [("32", 9)]])
    '(1*5*5+1)*32'
    >>> sum_formula([[("8", 9), ("4", 9), ("3", 9), ("3", 9)], [("4", 9)]])
    '(8*3*3+1)*4'
    >>> sum_formula([[("32", 9), ("3", 9)], [("32", 9)], [("7", 9)]])
    '32*3 + 32 + 7'
    """
    arrays = [list(array) for array in arrays]
    if len(arrays) > 1 and all(arrays):
        for shared in reversed(arrays[0]):
            if all(any(text == shared[0] for text, _ in array) for array in arrays):
                rests = [_without(array, shared[0]) for array in arrays]
                inner = "+".join(product_formula(rest) for rest in rests)
                return "(%s)*%s" % (inner, _wrapped(shared[0], shared[1], PRODUCT + 1))
    return " + ".join(product_formula(array) for array in arrays)


def _without(array, text):
    """``array`` without its last factor written ``text``."""
    index = max(i for i, (t, _) in enumerate(array) if t == text)
    return array[:index] + array[index + 1:]


def derivation(value, tape):
    """``"32*4=128"`` for a size computed by arithmetic, else ``""``."""
    _, numbers, _, computed = described(value, tape)
    return "%s=%s" % (numbers, digits(int(value))) if computed else ""
