"""nolearn's epoch table (its ``PrintLog``): one row per training epoch.

nolearn 0.6 printed, after each epoch, a one-row ``tabulate`` table of the
epoch's figures, with the header and its rule above the first row only::

      epoch    trn loss    val loss    trn/val    valid acc  dur
    -------  ----------  ----------  ---------  -----------  -----
          1     0.62193     0.23140    2.68767      0.93338  8.85s

Floats show 5 decimals; ``dur`` is seconds with 2 decimals and an ``s``;
``valid acc`` is left out for regression; the scores a network adds
(``scores_train``, ``scores_valid``, ``custom_scores``: their names are
``extra``) come after it, before ``dur``.  nolearn coloured the best
losses so far with ANSI codes; these renderers do not (the rows go to
logs and READMEs).  Pure Python: a history row is a plain dict.
"""
from .table import simple_table

__all__ = ["epoch_headers", "epoch_cells", "epoch_lines", "render_history"]


def epoch_headers(regression=False, extra=()):
    """The column titles, nolearn's own, with the names of ``extra`` scores before ``dur``."""
    headers = ["epoch", "trn loss", "val loss", "trn/val"]
    if not regression:
        headers.append("valid acc")
    return headers + list(extra) + ["dur"]


def _ratio(a, b):
    return a / b if b else float("nan")


def _score(value):
    try:
        return "%.5f" % value
    except TypeError:
        return str(value)


def epoch_cells(info, regression=False, extra=()):
    """The cells of one history row (a ``train_history_`` dict) as strings."""
    cells = [str(info["epoch"]), "%.5f" % info["train_loss"], "%.5f" % info["valid_loss"],
             "%.5f" % _ratio(info["train_loss"], info["valid_loss"])]
    if not regression:
        cells.append("%.5f" % info["valid_accuracy"])
    return cells + [_score(info[name]) for name in extra] + ["%.2fs" % info["dur"]]


def epoch_lines(info, regression=False, header=False, extra=()):
    """What nolearn printed after an epoch: the row, with header and rule when ``header``."""
    lines = simple_table(epoch_headers(regression, extra),
                         [epoch_cells(info, regression, extra)])
    return lines if header else lines[2:]


def render_history(history, regression=False):
    """A whole ``train_history_`` as nolearn printed it, epoch by epoch."""
    lines = []
    for i, info in enumerate(history):
        lines += epoch_lines(info, regression, header=(i == 0))
    return "\n".join(lines) + "\n" if lines else ""
