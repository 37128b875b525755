"""CSV: one row per layer, exact ints (no digit grouping), for spreadsheets and scripts."""
import csv
import io

from ..core.text import digits, json_text, shape_text, shown

__all__ = ["render_csv", "COLUMNS"]

COLUMNS = ("index", "name", "kind", "incoming", "size", "output_shape", "params",
           "trainable_params", "shape_formula", "param_formula")


def render_csv(report):
    """``size`` is nolearn's ``32x24x24``; ``output_shape`` the full shape as JSON
    (``[null, 32, 24, 24]``); ``incoming`` names separated by spaces; control
    characters in names escaped (``\\x1b``)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in report.layers:
        writer.writerow([row.index, shown(row.name), shown(row.kind),
                         shown(" ".join(row.incoming)), shape_text(row.output_shape),
                         json_text(list(row.output_shape), indent=None), digits(row.params),
                         digits(row.trainable_params), shown(row.shape_formula),
                         shown(row.param_formula)])
    return out.getvalue()
