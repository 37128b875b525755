"""Renderers: a Report (or Comparison) in, a string out.  No arithmetic here.

``FORMATS`` maps each ``--format`` name to its renderer.
"""
from .answer import render_answer
from .json import render_json
from .nolearn import render_nolearn

__all__ = ["FORMATS", "render", "render_answer", "render_nolearn", "render_json"]

FORMATS = {
    "answer": render_answer,
    "nolearn": render_nolearn,
    "json": render_json,
}


def render(report, fmt="answer", **options):
    """Render ``report`` in format ``fmt`` (one of ``FORMATS``)."""
    try:
        renderer = FORMATS[fmt]
    except KeyError:
        raise ValueError("unknown format %r; expected one of %s"
                         % (fmt, ", ".join(sorted(FORMATS)))) from None
    return renderer(report, **options)
