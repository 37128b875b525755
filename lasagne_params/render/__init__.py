"""Renderers: a Report (or Comparison) in, a string out.  No arithmetic here.

``FORMATS`` maps each format name to its renderer; ``REPORT_FORMATS`` are
those that take a plain Report (``"columns"`` takes the CostReport of
``derive_costs``).
"""
from .answer import render_answer
from .columns import render_columns
from .csv import render_csv
from .explain import render_explain
from .json import render_json
from .markdown import render_markdown
from .nolearn import render_nolearn

__all__ = ["FORMATS", "REPORT_FORMATS", "render", "render_answer", "render_nolearn", "render_json",
           "render_markdown", "render_csv", "render_explain", "render_columns"]

FORMATS = {
    "answer": render_answer,
    "nolearn": render_nolearn,
    "markdown": render_markdown,
    "json": render_json,
    "csv": render_csv,
    "explain": render_explain,
    "columns": render_columns,      # a CostReport (derive_costs), chosen columns
}

REPORT_FORMATS = tuple(name for name in FORMATS if name != "columns")


def render(report, fmt="answer", **options):
    """Render ``report`` in format ``fmt`` (one of ``FORMATS``)."""
    try:
        renderer = FORMATS[fmt]
    except KeyError:
        raise ValueError("unknown format %r; expected one of %s"
                         % (fmt, ", ".join(sorted(FORMATS)))) from None
    return renderer(report, **options)
