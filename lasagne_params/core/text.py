"""The pieces of text every figure is written with: digit groups, shapes, products.

Pure string formatting of ints and tuples, shared by the layer rules (which
write each formula next to its arithmetic) and the renderers (which lay the
figures out).  Nothing here computes a figure.

Ints of any size are written exactly: :func:`digits` has none of the limit
Python puts on ``str(int)`` (4,300 digits), and :func:`json_text` writes
JSON whose ints may be that long.  Names and other text from outside (a
spec, a snapshot, a Lasagne network) are shown with their control
characters escaped (:func:`shown`), so that no input can forge a line of
output or send a terminal an escape sequence.
"""
import json
import os

__all__ = ["digits", "thousands", "ANSWER_SEPARATOR", "shape_text", "full_shape_text", "product_text",
           "dims_text", "axis_text", "axes_text", "with_size", "plural", "shown", "printable_lines",
           "clipped", "json_text", "json_int", "input_int", "TooManyDigits",
           "MAX_INPUT_DIGITS", "DIGIT_LIMIT_MESSAGE"]

# str(int) and "%d" are exact up to this many digits whatever sys.set_int_max_str_digits
# says (640 is the lowest limit Python allows).
_SAFE = 10 ** 600
#: The start of the ValueError Python raises for ``str()`` of an int over its digit limit.
DIGIT_LIMIT_MESSAGE = "Exceeds the limit"


def digits(n):
    """The decimal digits of the int ``n``, of any size (``str(n)`` stops at 4,300).

    >>> digits(10 ** 5000) == "1" + "0" * 5000
    True
    """
    if n < 0:
        return "-" + digits(-n)
    if n < _SAFE:
        return "%d" % n
    half = int(n.bit_length() * 0.30102999566398) // 2     # about half the digits
    high, low = divmod(n, 10 ** half)
    return digits(high) + digits(low).rjust(half, "0")


#: The most digits a number in an input file (a spec, a snapshot) may have: far beyond
#: any network, and read in 0.05 s; beyond it decimal conversion costs time growing
#: faster than the file (3,000,000 digits took minutes), so :func:`input_int` refuses
#: more before converting anything.
MAX_INPUT_DIGITS = 100000


class TooManyDigits(ValueError):
    """A number in an input file has more than :data:`MAX_INPUT_DIGITS` digits."""


def input_int(text):
    """:func:`json_int` for a file from outside: :class:`TooManyDigits` for a number of
    more than :data:`MAX_INPUT_DIGITS` digits, before any conversion."""
    count = len(text) - text.startswith("-")
    if count > MAX_INPUT_DIGITS:
        raise TooManyDigits("a number of %s digits; numbers of more than %s digits are "
                            "refused" % (thousands(count), thousands(MAX_INPUT_DIGITS)))
    return json_int(text)


def json_int(text):
    """``int(text)`` for JSON's digits, of any length (``int()`` stops at 4,300 digits)."""
    if len(text) <= 600:
        return int(text)
    sign, body = ("-", text[1:]) if text.startswith("-") else ("", text)
    half = len(body) // 2
    value = json_int(body[:-half]) * 10 ** half + json_int(body[-half:])
    return -value if sign else value


def json_text(data, indent=2):
    """``json.dumps(data, indent=indent)``, ints of any size written exactly.

    ``json.dumps`` refuses an int of more than 4,300 digits; such ints are
    written here in place of a unique placeholder.
    """
    try:
        return json.dumps(data, indent=indent)
    except ValueError as exc:
        if DIGIT_LIMIT_MESSAGE not in str(exc):
            raise
    token = "lasagne-params-int-%s-" % os.urandom(12).hex()
    big = []

    def swap(value):
        if isinstance(value, dict):
            return {k: swap(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [swap(v) for v in value]
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= _SAFE:
            big.append(digits(value))
            return "%s%d" % (token, len(big) - 1)
        return value

    text = json.dumps(swap(data), indent=indent)
    for index, number in enumerate(big):
        text = text.replace('"%s%d"' % (token, index), number, 1)
    return text


#: The answer's digit grouping (``217'706``); the tables Keras and torchinfo users know
#: group with ``,`` (``217,706``): ``render/``'s default, see ``render/summary.py``.
ANSWER_SEPARATOR = "'"


def thousands(n, separator=ANSWER_SEPARATOR):
    """``217706`` -> ``"217'706"``: the Stack Overflow answer's digit grouping.

    ``separator`` groups the digits in threes (``","`` gives ``217,706``; ``""`` none).
    Works for ints of any size (see :func:`digits`).
    """
    if n < 0:
        return "-" + thousands(-n, separator)
    text = digits(n)
    head = len(text) % 3 or 3
    return separator.join([text[:head]] + [text[i:i + 3] for i in range(head, len(text), 3)])


def _dim(d):
    return "None" if d is None else digits(d) if isinstance(d, int) else str(d)


def shape_text(shape):
    """A shape without its batch axis, as nolearn prints it: ``32x24x24``."""
    return "x".join(_dim(d) for d in shape[1:])


def full_shape_text(shape):
    """A shape with its batch axis: ``8x32x24x24`` (``None`` for an unknown length)."""
    return "x".join(_dim(d) for d in shape)


def product_text(dims):
    """``(32, 5, 5)`` -> ``"32*5*5"`` (``"1"`` for no dims)."""
    return "*".join(map(_dim, dims)) or "1"


def dims_text(dims):
    """A product that is one factor when it can be: ``(1, 64)`` -> ``"64"``."""
    dims = [d for d in dims if d != 1] or [1]
    return product_text(dims)


def axis_text(lengths):
    """The per-axis derivations of a layer (``Length`` s), once if they are all the same."""
    return axes_text([length.formula for length in lengths if length.formula])


def axes_text(texts):
    """Per-axis derivation texts, once if they are all the same, else joined by commas."""
    if texts and all(t == texts[0] for t in texts):
        return texts[0]
    return ", ".join(texts)


def with_size(derivation, shape):
    """``"(28-(5-1))=24 -> 32x24x24"``; empty when there is no derivation."""
    return "%s -> %s" % (derivation, shape_text(shape)) if derivation else ""


def plural(n, word):
    """``"1 value"``, ``"2'048 values"``."""
    return "%s %s%s" % (thousands(n), word, "" if n == 1 else "s")


def _escape(char):
    if char == "\n":
        return "\\n"
    code = ord(char)
    if code < 0x100:
        return "\\x%02x" % code
    return "\\u%04x" % code if code < 0x10000 else "\\U%08x" % code


def shown(text):
    """``text`` with every character that is not printable written as an escape.

    Control characters (newlines, carriage returns, ANSI escape sequences),
    invisible format characters (bidirectional overrides, zero-width
    spaces) and lone surrogates become ``\\x1b``, ``\\n``, ``\\u202e``...
    so that a name read from a file can neither forge a line of output nor
    drive the terminal.  Plain text is returned unchanged (quickly).

    >>> shown("conv\\x1b[31m\\nfake")
    'conv\\\\x1b[31m\\\\nfake'
    """
    text = str(text)
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else _escape(c) for c in text)


def clipped(text, most):
    """``text`` cut in the middle to about ``most`` characters, saying how many went.

    For text from outside shown where width matters (a table cell, a
    picture's label, an error line): a megabyte-long name must not make
    every row of a table a megabyte wide.

    >>> clipped("a" * 50 + "b" * 50, 60)
    'aaaaaaaaaaaaaaaaaaaaaaaa ...[64 characters]... bbbbbbbbbbbb'
    """
    if len(text) <= most:
        return text
    room = max(most - 24, 2)
    head, tail = room - room // 3, room // 3
    return "%s ...[%d characters]... %s" % (text[:head], len(text) - head - tail,
                                            text[len(text) - tail:])


def printable_lines(text):
    """``text`` with the characters :func:`shown` escapes escaped, except its newlines."""
    return "\n".join(shown(line) for line in text.split("\n"))
