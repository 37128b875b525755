"""The accepted Stack Overflow answer's table: size with its derivation, parameters as formula = value."""
from ..core.text import ANSWER_SEPARATOR, clipped, shape_text, shown, thousands
from .table import LONGEST_CELL, simple_table

__all__ = ["render_answer", "answer_table", "with_trainable_column", "size_cell", "params_cell", "equation", "equation_column",
           "total_line", "footnotes"]


def size_cell(row, derivations="all"):
    """``(28-(5-1))=24 -> 32x24x24``, or just ``32x12x12``.

    ``derivations="all"`` shows every layer's derivation; ``"answer"`` only
    those of layers with parameters, exactly as the answer does.
    """
    show = row.shape_formula and (derivations == "all" or row.params)
    return row.shape_formula if show else shape_text(row.output_shape)


def equation(formula, value, formula_width, value_width, separator=ANSWER_SEPARATOR):
    """``formula = value`` padded so a column's ``=`` align; the value alone without formula.

    ``value`` is an int (grouped as ``217'706``, or with ``separator``) or ``None``
    (shown ``?``).
    """
    text = "?" if value is None else thousands(value, separator)
    if not formula:
        return text
    return "%s = %s" % (formula.ljust(formula_width), text.rjust(value_width))


def equation_column(pairs, separator=ANSWER_SEPARATOR):
    """Cells for (formula, value) pairs, each ``formula = value``, the ``=`` aligned."""
    pairs = [(clipped(f, LONGEST_CELL // 2) if f else f, v) for f, v in pairs]
    written = [(f, v) for f, v in pairs if f]
    fwidth = max([len(f) for f, _ in written] or [0])
    vwidth = max([len("?" if v is None else thousands(v, separator)) for _, v in written]
                 or [0])
    return [equation(f, v, fwidth, vwidth, separator) for f, v in pairs]


def params_cell(row, formula_width, value_width):
    """``(5*5*1+1)*32   =     832`` (formula padded so the ``=`` align), or ``0``."""
    return equation(row.param_formula, row.params, formula_width, value_width)


def total_line(report, separator=ANSWER_SEPARATOR):
    """``832 + 9'248 + 205'056 + 2'570 = 217'706`` (shared arrays counted once)."""
    def grouped(n):
        return thousands(n, separator)
    terms = [grouped(r.params) for r in report.layers if r.params]
    line = "%s = %s" % (" + ".join(terms) or "0", grouped(report.total_params))
    sum_rows = sum(r.params for r in report.layers)
    if sum_rows != report.total_params:
        line = "%s = %s, counting each shared array once: %s" % (
            " + ".join(terms), grouped(sum_rows), grouped(report.total_params))
    if report.trainable_params != report.total_params:
        line += " (%s trainable)" % grouped(report.trainable_params)
    return line


def footnotes(report):
    """Lines naming the arrays several layers share, and each row's note (none: [])."""
    lines = []
    if report.shared:
        lines += ["", "shared arrays (each counted once in the total):"]
        lines += ["  %s: %s" % (shown(key), shown(", ".join(holders)))
                  for key, holders in report.shared.items()]
    notes = [row for row in report.layers if row.note]
    if notes:
        lines += ["", "notes:"] + ["  %s: %s" % (shown(row.name), shown(row.note))
                                   for row in notes]
    return lines


def answer_table(report, derivations="all", thousands_separator=ANSWER_SEPARATOR):
    """(headers, rows, align, gaps) of the answer's table (the text and HTML forms share it)."""
    params = equation_column(((r.param_formula, r.params) for r in report.layers),
                             thousands_separator)
    rows = [[str(r.index), r.name, size_cell(r, derivations), cell]
            for r, cell in zip(report.layers, params)]
    headers, align, gaps = ["#", "name", "size", "parameters"], ["r", "l", "r", "r"], \
        ["  ", "  ", "    "]
    with_trainable_column(report, headers, rows, align, gaps, thousands_separator)
    return headers, rows, align, gaps


def with_trainable_column(report, headers, rows, align, gaps, separator):
    """Add a ``trainable`` column to a table of ``report``'s layers (in place) when some
    layer has parameters that are not trainable."""
    if any(r.trainable_params != r.params for r in report.layers):
        headers.append("trainable")
        for row, layer in zip(rows, report.layers):
            row.append(thousands(layer.trainable_params, separator))
        align.append("r")
        gaps.append("  ")


def render_answer(report, derivations="all", total=True, thousands=ANSWER_SEPARATOR):
    """The answer's table for ``report``, then (``total=True``) its total line.

    A ``trainable`` column appears when some layer has parameters that are
    not trainable (e.g. an LSTM's initial states without ``learn_init``);
    shared arrays and notes follow the total.  Numbers are grouped as the
    answer groups them (``217'706``) unless ``thousands`` names another separator.
    """
    headers, rows, align, gaps = answer_table(report, derivations, thousands)
    lines = simple_table(headers, rows, align=align, gaps=gaps)
    if total:
        lines += ["", "total: " + total_line(report, thousands)]
    lines += footnotes(report)
    return "\n".join(lines) + "\n"
