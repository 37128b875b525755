"""Renderers: a Report, CostReport, Comparison or RuntimeCheck in, a string out.

Rendering imports the core only, and does no arithmetic.  ``FORMATS`` maps
each format name to its renderer for a Report; ``REPORT_FORMATS`` are those
that take a plain Report (``"columns"`` takes the CostReport of
``derive_costs``).  A Comparison and a RuntimeCheck have one text form each
(their tables), and JSON.
"""
import sys

from ..core.compare import Comparison
from ..core.cost_records import CostReport
from ..core.errors import ArgumentError, did_you_mean
from ..core.records import Report
from ..core.weights import WeightsCheck
from ..core.text import printable_lines
from .answer import render_answer
from .columns import render_columns
from .compare import render_changes, render_comparison
from .csv import render_csv
from .explain import render_explain
from .json import render_json
from .markdown import render_markdown
from .nolearn import render_nolearn
from .runtime import render_runtime
from .weights import render_weights

__all__ = ["FORMATS", "REPORT_FORMATS", "render", "render_answer", "render_nolearn", "render_json",
           "render_markdown", "render_csv", "render_explain", "render_columns",
           "render_comparison", "render_runtime", "render_changes", "render_weights"]

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


def _tables():
    """(class, its table) for each result that is not a Report.

    A RuntimeCheck exists only once ``core.runtime_check`` is imported, so
    rendering a Report does not import it (the command line's start-up).
    """
    yield Comparison, render_comparison
    yield WeightsCheck, render_weights
    runtime = sys.modules.get("lasagne_params.core.runtime_check")
    if runtime is not None:
        yield runtime.RuntimeCheck, render_runtime


def render(result, fmt=None, **options):
    """``result`` as text.

    A Report (or CostReport) in format ``fmt`` (one of ``FORMATS``, default
    ``"answer"``); a Comparison or a RuntimeCheck as its table (``fmt``
    ``None``) or as ``"json"``.

    Control characters from names or other input are escaped (``\\x1b``):
    the text can neither forge a line nor drive a terminal.

    Raises
    ------
    ArgumentError
        For an unknown format, one that does not fit ``result``, or a
        ``result`` that is none of these.
    """
    if fmt is not None and fmt != "json" and fmt not in FORMATS:
        raise ArgumentError("unknown format %r%s; expected one of %s"
                            % (fmt, did_you_mean(fmt, FORMATS), ", ".join(sorted(FORMATS))),
                            field="fmt")
    if not isinstance(result, (Report, CostReport) + tuple(cls for cls, _ in _tables())):
        raise ArgumentError("expected a Report, CostReport, Comparison, RuntimeCheck or "
                            "WeightsCheck "
                            "(derive a network first), got %s" % type(result).__name__,
                            field="result")
    if fmt == "json":
        return render_json(result, **options)
    for cls, table in _tables():
        if isinstance(result, cls):
            if fmt is not None:
                raise ArgumentError("a %s renders as its table or as json, not %r"
                                    % (cls.__name__, fmt), field="fmt")
            return printable_lines(table(result, **options))
    fmt = "answer" if fmt is None else fmt
    if isinstance(result, CostReport) and fmt != "columns":
        result = result.report
    # Names are escaped where each renderer writes them; this catches any other
    # control character (a custom kind's explanation, say).
    return printable_lines(FORMATS[fmt](result, **options))
