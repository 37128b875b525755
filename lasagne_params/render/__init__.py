"""Renderers: a Report, CostReport, Comparison, RuntimeCheck or WeightsCheck in, a string out.

Rendering imports the core only, and does no arithmetic.  ``FORMATS`` maps
each format name to its :class:`Format` record (``formats.py``: what it
renders, its renderer, how the command line uses it); ``REPORT_FORMATS``
are those that take a plain Report (``"columns"`` takes the CostReport of
``derive_costs``).  A Comparison, a RuntimeCheck and a WeightsCheck have one
text form each (their tables), and JSON.
"""
from typing import Any, Optional, Union

from ..core.compare import Comparison
from ..core.cost_records import CostReport
from ..core.errors import ArgumentError, did_you_mean
from ..core.printing import register_text_form
from ..core.records import Report
from ..core.runtime_check import RuntimeCheck
from ..core.weights import WeightsCheck
from ..core.text import printable_lines
from .answer import render_answer
from .columns import render_columns
from .compare import render_changes, render_comparison
from .csv import render_csv
from .explain import render_explain
from .formats import DEFAULT_FORMAT, FORMATS, RESULTS, TABLES, Format
from .json import render_json
from .markdown import render_markdown
from .nolearn import render_nolearn
from .runtime import render_runtime
from .summary import render_summary
from .weights import render_weights

__all__ = ["Format", "FORMATS", "DEFAULT_FORMAT", "REPORT_FORMATS", "render", "render_summary",
           "render_answer",
           "render_nolearn", "render_json", "render_markdown", "render_csv", "render_explain",
           "render_columns", "render_comparison", "render_runtime", "render_changes",
           "render_weights"]

REPORT_FORMATS = tuple(name for name, f in FORMATS.items() if Report in f.renders)


def render(result: Union[Report, CostReport, Comparison, RuntimeCheck, WeightsCheck],
           fmt: Optional[str] = None, **options: Any) -> str:
    """``result`` as text.

    A Report in format ``fmt`` (one of ``FORMATS``, default ``"summary"``: Keras's
    and torchinfo's layout, ending with total, trainable and non-trainable
    parameters; ``"answer"`` is the Stack Overflow answer's table); a CostReport as
    its columns table; a Comparison, RuntimeCheck or WeightsCheck as its table
    (``fmt`` ``None``) or as ``"json"``.  ``print(result)`` prints
    ``render(result)``.

    ``thousands="'"`` (summary, answer, columns, comparison) groups digits with
    that separator rather than the format's own (``,``; the answer's ``'``).

    Control characters from names or other input are escaped (``\\x1b``):
    the text can neither forge a line nor drive a terminal.

    Raises
    ------
    ArgumentError
        For an unknown format, one that does not fit ``result``, or a
        ``result`` that is none of these.
    """
    if fmt is not None and fmt not in FORMATS:
        raise ArgumentError("unknown format %r%s; expected one of %s"
                            % (fmt, did_you_mean(fmt, FORMATS), ", ".join(sorted(FORMATS))),
                            field="fmt")
    if not isinstance(result, RESULTS):
        raise ArgumentError("expected a Report, CostReport, Comparison, RuntimeCheck or WeightsCheck "
                            "(derive a network first), got %s" % type(result).__name__,
                            field="result")
    if fmt is None:
        for cls, table in TABLES:
            if isinstance(result, cls):
                return printable_lines(table(result, **options))
        if isinstance(result, CostReport):
            return FORMATS["columns"].render(result, **options)
    return FORMATS[fmt or DEFAULT_FORMAT].render(result, **options)


register_text_form(render)                   # print(result) is render(result)
