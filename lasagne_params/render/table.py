"""Plain-text tables in tabulate's "simple" style (what nolearn printed).

Column width is the widest cell, and at least the header plus 2; a column is
right-aligned when every cell is a number, left-aligned otherwise; the
header follows its column's alignment; a dashed rule sits under it; trailing
blanks are stripped; a cell's control characters (a layer name's newline,
an ANSI escape) are escaped, so that no cell can break the table, and a
cell longer than ``LONGEST_CELL`` is cut in the middle.  Written here rather than imported so the CLI stays
light; ``tests/test_table.py`` checks it against tabulate itself.
"""
from ..core.text import clipped, shown

__all__ = ["simple_table", "is_number", "LONGEST_CELL"]

#: A cell longer than this is cut in the middle: one huge name must not pad every row.
LONGEST_CELL = 200


def is_number(text):
    """True when tabulate would treat ``text`` as a number."""
    try:
        float(str(text).replace(",", ""))
    except ValueError:
        return False
    return True


def simple_table(headers, rows, align=None, gaps=None):
    """Lines of a table; ``align`` ('l'/'r' per column) and ``gaps`` default as tabulate's."""
    rows = [[clipped(shown(c), LONGEST_CELL) for c in row] for row in rows]
    ncols = len(headers)
    if align is None:
        align = ["r" if rows and all(is_number(r[i]) for r in rows) else "l"
                 for i in range(ncols)]
    gaps = gaps or ["  "] * (ncols - 1)
    widths = [max([len(headers[i]) + 2] + [len(r[i]) for r in rows]) for i in range(ncols)]

    def line(cells):
        out = ""
        for i, cell in enumerate(cells):
            out += (gaps[i - 1] if i else "")
            out += cell.rjust(widths[i]) if align[i] == "r" else cell.ljust(widths[i])
        return out.rstrip()

    return [line(headers), line(["-" * w for w in widths])] + [line(r) for r in rows]
