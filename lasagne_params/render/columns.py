"""A CostReport as a table of chosen columns, then its totals in human units.

``Column`` names the columns a user may ask for (``--columns params,macs,rf``);
``HEADERS`` and ``CELLS`` map each to its header and its cells, so a column is
one entry in each table.  Per-layer figures are exact (``460,800``: grouped as the
summary table groups them, ``thousands=`` to choose), per
example, with their formulas; totals are for the batch, in decimal K/M/G and
KB/MB as torchinfo prints them.  No arithmetic beyond unit scaling here.
"""
from enum import Enum

from ..core.cost_records import CostReport
from ..core.errors import ArgumentError, did_you_mean
from ..core.text import digits, thousands as grouped
from .answer import equation_column, size_cell
from .summary import SEPARATOR
from .table import simple_table

__all__ = ["Column", "HEADERS", "DEFAULT_COLUMNS", "parse_columns", "human",
           "human_bytes", "receptive_field_text", "render_columns", "render_totals"]


class Column(str, Enum):
    """The columns ``render_columns`` can show, by the name a user types."""

    SHAPE = "shape"
    PARAMS = "params"
    MACS = "macs"
    OPS = "ops"
    MEMORY = "memory"
    PARAM_MEMORY = "param_memory"
    RF = "rf"


HEADERS = {
    Column.SHAPE: "size",
    Column.PARAMS: "parameters",
    Column.MACS: "MACs",
    Column.OPS: "other ops",
    Column.MEMORY: "output bytes",
    Column.PARAM_MEMORY: "param bytes",
    Column.RF: "receptive field",
}

DEFAULT_COLUMNS = (Column.SHAPE, Column.PARAMS, Column.MACS, Column.MEMORY, Column.RF)

_PREFIXES = ((10 ** 12, "T"), (10 ** 9, "G"), (10 ** 6, "M"), (10 ** 3, "K"))
# Figures from here on are written from their digits (a float overflows near 1.8e308).
_FLOAT_SAFE = 10 ** 300

# Short names of the non-MAC work in the "other ops" column.
_OP_LABELS = (("bias", "bias"), ("pool", "pool"), ("elementwise", "elem"))


def parse_columns(columns):
    """Columns from names (a sequence, or one comma-separated string), checked.

    Raises
    ------
    ArgumentError
        For an unknown or missing name, listing the valid ones.

    >>> [c.value for c in parse_columns("params,macs")]
    ['params', 'macs']
    """
    names = columns.split(",") if isinstance(columns, str) else list(columns)
    names = [n.strip() if isinstance(n, str) else n for n in names]
    valid = ", ".join(c.value for c in Column)
    if not names or names == [""]:
        raise ArgumentError("expected one or more of %s" % valid, field="columns")
    chosen = []
    for name in names:
        if names.count(name) > 1:
            raise ArgumentError("%r given twice" % (name,), field="columns")
        try:
            chosen.append(Column(name))
        except ValueError:
            raise ArgumentError("unknown column %r%s (the columns are %s)"
                                % (name, did_you_mean(name, [c.value for c in Column]), valid),
                                field="columns") from None
    return tuple(chosen)


def human(n, unit=""):
    """``1611658`` -> ``"1.61 M"``: decimal prefixes, 2 decimals; exact below 1000.

    Beyond what a float holds, scientific notation from the exact digits.

    >>> human(1611658), human(1049144, "B"), human(784, "B"), human(None)
    ('1.61 M', '1.05 MB', '784 B', '?')
    >>> human(10 ** 5000 * 3, "B")
    '3.00e+5000 B'
    """
    if n is None:
        return "?"
    if n >= _FLOAT_SAFE:
        text = digits(n)        # truncated, not rounded: a figure this size is a warning
        return ("%s.%se+%d %s" % (text[0], text[1:3], len(text) - 1, unit)).rstrip()
    for scale, prefix in _PREFIXES:
        if n >= scale:
            return "%.2f %s%s" % (n / scale, prefix, unit)
    return ("%s %s" % (digits(n), unit)).rstrip()


def human_bytes(n):
    return human(n, "B")


def receptive_field_text(receptive_field):
    """``"6+(3-1)*2=10, jump 2"``: size (derived), jump and start where not 1 and 0.

    One text when every spatial axis agrees, else the axes' texts joined by
    `` | ``; ``"n/a"`` where positions have been mixed.
    """
    if receptive_field is None:
        return "n/a"
    texts = []
    for f in receptive_field:
        text = f.formula or digits(f.size)
        if f.jump != 1:
            text += ", jump %s" % digits(f.jump)
        if f.start != 0:
            text += ", start %s" % digits(f.start)
        texts.append(text)
    return texts[0] if len(set(texts)) == 1 else " | ".join(texts)


def _ops_text(cost, separator):
    parts = ["%s %s" % (label, "?" if cost.count(op) is None
                        else grouped(cost.count(op), separator))
             for op, label in _OP_LABELS if cost.count(op) != 0]
    return ", ".join(parts) or "0"


def _batched(costs, value):
    return None if value is None else costs.batch_size * value


#: column -> its cells, ``cells(costs, derivations, separator)``.
CELLS = {
    Column.SHAPE: lambda costs, derivations, separator: [
        size_cell(row, derivations) for row in costs.report.layers],
    Column.PARAMS: lambda costs, derivations, separator: equation_column(
        ((row.param_formula, row.params) for row in costs.report.layers), separator),
    Column.MACS: lambda costs, derivations, separator: equation_column(
        ((c.formula("mac"), c.macs) for c in costs.layers), separator),
    Column.OPS: lambda costs, derivations, separator: [_ops_text(c, separator)
                                                       for c in costs.layers],
    Column.MEMORY: lambda costs, derivations, separator: [
        human_bytes(_batched(costs, c.output_bytes)) for c in costs.layers],
    Column.PARAM_MEMORY: lambda costs, derivations, separator: [
        human_bytes(c.param_bytes) for c in costs.layers],
    Column.RF: lambda costs, derivations, separator: [
        receptive_field_text(c.receptive_field) for c in costs.layers],
}

_LEFT = {Column.OPS, Column.RF}


def render_totals(costs, thousands=SEPARATOR):
    """torchinfo's closing figures for ``costs``, in human units."""
    lines = [
        ("Total params", grouped(costs.report.total_params, thousands)),
        ("Trainable params", grouped(costs.report.trainable_params, thousands)),
        ("Non-trainable params", grouped(
            costs.report.total_params - costs.report.trainable_params, thousands)),
        ("Total MACs", human(costs.total_macs)),
        ("  bias adds", human(costs.total_bias_adds)),
        ("  pool ops", human(costs.total_pool_ops)),
        ("  elementwise ops", human(costs.total_elementwise_ops)),
        ("Total mult-adds (MACs + bias adds, as torchinfo)", human(costs.total_mult_adds)),
        ("Input size", human_bytes(costs.input_bytes)),
        ("Forward/backward pass size", human_bytes(costs.forward_backward_bytes)),
        ("Params size", human_bytes(costs.param_bytes)),
        ("Estimated Total Size", human_bytes(costs.total_bytes)),
    ]
    width = max(len(label) for label, _ in lines) + 1
    head = "batch %s x %s (%d bytes per element); per-layer counts per example, output bytes for the batch" \
        % (digits(costs.batch_size), costs.floatx, costs.itemsize)
    return "\n".join([head, ""] + ["%s %s" % ((label + ":").ljust(width), value)
                                   for label, value in lines]) + "\n"


def render_columns(costs, columns=DEFAULT_COLUMNS, derivations="all", totals=True,
                   thousands=SEPARATOR):
    """The table of ``columns`` (names or :class:`Column` s) for a CostReport, then totals.

    ``derivations`` is as for the answer table's ``size`` column; counts are grouped
    with ``thousands`` (``460,800``).
    """
    if not isinstance(costs, CostReport):
        raise TypeError("the columns table needs a CostReport (lasagne_params.derive_costs), "
                        "got %s" % type(costs).__name__)
    chosen = parse_columns(columns)
    cells = [CELLS[c](costs, derivations, thousands) for c in chosen]
    rows = [[str(c.index), c.name] + [col[i] for col in cells]
            for i, c in enumerate(costs.layers)]
    lines = simple_table(["#", "name"] + [HEADERS[c] for c in chosen], rows,
                         align=["r", "l"] + ["l" if c in _LEFT else "r" for c in chosen],
                         gaps=["  ", "  "] + ["    "] * (len(chosen) - 1))
    text = "\n".join(lines) + "\n"
    return text + "\n" + render_totals(costs, thousands) if totals else text
