"""The pieces of text every figure is written with: digit groups, shapes, products.

Pure string formatting of ints and tuples, shared by the layer rules (which
write each formula next to its arithmetic) and the renderers (which lay the
figures out).  Nothing here computes a figure.
"""

__all__ = ["thousands", "shape_text", "full_shape_text", "product_text", "dims_text",
           "axis_text", "with_size", "plural"]


def thousands(n):
    """``217706`` -> ``"217'706"``: the Stack Overflow answer's digit grouping.

    Works for ints of any size (no ``str()`` digit limit: digits are made
    in groups of three).
    """
    if n < 0:
        return "-" + thousands(-n)
    groups = []
    while n >= 1000:
        n, group = divmod(n, 1000)
        groups.append("%03d" % group)
    groups.append("%d" % n)
    return "'".join(reversed(groups))


def shape_text(shape):
    """A shape without its batch axis, as nolearn prints it: ``32x24x24``."""
    return "x".join("None" if d is None else str(d) for d in shape[1:])


def full_shape_text(shape):
    """A shape with its batch axis: ``8x32x24x24`` (``None`` for an unknown length)."""
    return "x".join("None" if d is None else str(d) for d in shape)


def product_text(dims):
    """``(32, 5, 5)`` -> ``"32*5*5"`` (``"1"`` for no dims)."""
    return "*".join(map(str, dims)) or "1"


def dims_text(dims):
    """A product that is one factor when it can be: ``(1, 64)`` -> ``"64"``."""
    dims = [d for d in dims if d != 1] or [1]
    return product_text(dims)


def axis_text(lengths):
    """The per-axis derivations of a layer (``Length`` s), once if they are all the same."""
    texts = [length.formula for length in lengths if length.formula]
    if texts and all(t == texts[0] for t in texts):
        return texts[0]
    return ", ".join(texts)


def with_size(derivation, shape):
    """``"(28-(5-1))=24 -> 32x24x24"``; empty when there is no derivation."""
    return "%s -> %s" % (derivation, shape_text(shape)) if derivation else ""


def plural(n, word):
    """``"1 value"``, ``"2'048 values"``."""
    return "%s %s%s" % (thousands(n), word, "" if n == 1 else "s")
