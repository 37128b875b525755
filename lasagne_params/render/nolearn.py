"""nolearn's ``PrintLayerInfo`` output, as the question shows it."""
from ..core.text import digits, shape_text
from .table import simple_table

__all__ = ["render_nolearn"]


def render_nolearn(report):
    """``# Neural Network with N learnable parameters`` and the ``#  name  size`` table.

    N counts trainable parameters, as nolearn 0.6 does.
    """
    table = simple_table(["#", "name", "size"],
                         [[r.index, r.name, shape_text(r.output_shape)] for r in report.layers])
    return ("# Neural Network with %s learnable parameters\n\n## Layer information\n\n%s\n"
            % (digits(report.trainable_params), "\n".join(table)))
