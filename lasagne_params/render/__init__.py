"""Renderers: a Report (or Comparison) in, a string out.  No arithmetic here.

``FORMATS`` maps each ``--format`` name to its renderer.
"""
from .answer import render_answer
from .columns import render_columns
from .json import render_json
from .nolearn import render_nolearn

__all__ = ["FORMATS", "render", "render_answer", "render_nolearn", "render_json",
           "render_columns"]

FORMATS = {
    "answer": render_answer,
    "nolearn": render_nolearn,
    "json": render_json,
    "columns": render_columns,      # a CostReport (derive_costs), chosen columns
}


def render(report, fmt="answer", **options):
    """Render ``report`` in format ``fmt`` (one of ``FORMATS``)."""
    try:
        renderer = FORMATS[fmt]
    except KeyError:
        raise ValueError("unknown format %r; expected one of %s"
                         % (fmt, ", ".join(sorted(FORMATS)))) from None
    return renderer(report, **options)
