"""nolearn's ``PrintLayerInfo`` output, as the question shows it."""
from ..core.text import digits, shape_text
from .table import simple_table

__all__ = ["render_nolearn", "nolearn_greeting", "nolearn_table"]


def nolearn_greeting(report):
    """``# Neural Network with N learnable parameters`` (N counts trainable parameters,
    as nolearn 0.6 does)."""
    return "# Neural Network with %s learnable parameters" % digits(report.trainable_params)


def nolearn_table(report):
    """nolearn's ``#  name  size`` table."""
    return "\n".join(simple_table(["#", "name", "size"], [
        [r.index, r.name, shape_text(r.output_shape)] for r in report.layers]))


def render_nolearn(report):
    """The greeting and the table, as nolearn's ``PrintLayerInfo`` printed them."""
    return "%s\n\n## Layer information\n\n%s\n" % (nolearn_greeting(report),
                                                   nolearn_table(report))
