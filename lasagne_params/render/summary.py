"""The default table: each layer's derivation, laid out as Keras's ``summary()`` and
torchinfo lay theirs out.

One row per layer: its index, name and kind (Lasagne's class), what feeds it when the
network is not a plain chain (several inputs or outputs, a merge, a skip), its size with
the derivation and its parameters as ``formula = value``; then the lines both close
with: ``Total params``, ``Trainable params``, ``Non-trainable params`` (BatchNorm's
``mean`` and ``inv_std``, an LSTM's initial states without ``learn_init``...).  A
network with several outputs is one table, its total the whole network's (a layer
feeding several outputs counted once).

Numbers are grouped with ``,`` as those tools write them (``217,706``);
``thousands="'"`` writes the answer's grouping, ``""`` none.  The answer's own table
(``render/answer.py``) keeps the answer's style.
"""
from ..core.text import thousands as grouped
from .answer import equation_column, footnotes, size_cell, with_trainable_column
from .table import simple_table

__all__ = ["render_summary", "summary_table", "is_chain", "output_names", "SEPARATOR"]

#: How Keras and torchinfo group digits.
SEPARATOR = ","


def is_chain(report):
    """True when every layer is fed by the row above it and by nothing else."""
    rows = report.layers
    return bool(rows) and not rows[0].incoming and all(
        row.incoming == (previous.name,) for previous, row in zip(rows, rows[1:]))


def output_names(report):
    """The names of the layers no other layer of ``report`` takes as input, in order."""
    fed = {name for row in report.layers for name in row.incoming}
    return [row.name for row in report.layers if row.name not in fed]


def summary_table(report, derivations="all", thousands=SEPARATOR):
    """(headers, rows, align, gaps) of the summary table (see the module)."""
    params = equation_column(((r.param_formula, r.params) for r in report.layers),
                             thousands)
    incoming = not is_chain(report)
    headers = ["#", "name", "kind"] + (["incoming"] if incoming else []) + ["size",
                                                                            "parameters"]
    rows = [[str(r.index), r.name, r.kind] + ([", ".join(r.incoming)] if incoming else [])
            + [size_cell(r, derivations), cell] for r, cell in zip(report.layers, params)]
    align = ["r", "l", "l"] + (["l"] if incoming else []) + ["r", "r"]
    gaps = ["  "] * (len(headers) - 2) + ["    "]
    with_trainable_column(report, headers, rows, align, gaps, thousands)
    return headers, rows, align, gaps


def total_lines(report, thousands=SEPARATOR):
    """``Total params: 217,706``, ``Trainable params: ...``, ``Non-trainable params: ...``.

    Several outputs: the total line names them (the whole network, each layer once).
    """
    total = "Total params: %s" % grouped(report.total_params, thousands)
    outputs = output_names(report)
    if len(outputs) > 1:
        total += " (all %d outputs: %s)" % (len(outputs), ", ".join(outputs))
    return [total,
            "Trainable params: %s" % grouped(report.trainable_params, thousands),
            "Non-trainable params: %s" % grouped(
                report.total_params - report.trainable_params, thousands)]


def render_summary(report, derivations="all", thousands=SEPARATOR):
    """The summary table of ``report``, shared arrays and notes, then its totals."""
    headers, rows, align, gaps = summary_table(report, derivations, thousands)
    lines = simple_table(headers, rows, align=align, gaps=gaps)
    lines += footnotes(report)
    lines += [""] + total_lines(report, thousands)
    return "\n".join(lines) + "\n"
