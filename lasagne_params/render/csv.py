"""CSV: one row per layer, exact ints (no digit grouping), for spreadsheets and scripts."""
import csv
import io
import json

from ..core.text import shape_text

__all__ = ["render_csv", "COLUMNS"]

COLUMNS = ("index", "name", "kind", "incoming", "size", "output_shape", "params",
           "trainable_params", "shape_formula", "param_formula")


def render_csv(report):
    """``size`` is nolearn's ``32x24x24``; ``output_shape`` the full shape as JSON
    (``[null, 32, 24, 24]``); ``incoming`` names separated by spaces."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in report.layers:
        writer.writerow([row.index, row.name, row.kind, " ".join(row.incoming),
                         shape_text(row.output_shape), json.dumps(list(row.output_shape)),
                         row.params, row.trainable_params, row.shape_formula,
                         row.param_formula])
    return out.getvalue()
