"""HTML tables for Jupyter: a Report, CostReport, Comparison or RuntimeCheck as a ``<table>``.

The rows are the text tables' own (:func:`summary_table`,
:func:`comparison_table`, :func:`runtime_table`), so both forms show the
same figures; a check cell that is not ``ok`` is shown in bold red.  The
records do not render themselves: :mod:`lasagne_params.notebook` registers
:func:`render_html` with IPython's HTML formatter.
"""
import html

from ..core.compare import Comparison
from ..core.cost_records import CostReport
from ..core.records import Report
from ..core.runtime_check import RuntimeCheck
from .answer import footnotes
from .columns import DEFAULT_COLUMNS, render_columns
from .compare import comparison_table
from .runtime import runtime_table
from .summary import summary_table, total_lines

__all__ = ["render_html", "html_table", "HTML_TYPES"]

_CHECKED = ("ok",)


def html_table(headers, rows, align, checks=False):
    """A ``<table>``; with ``checks`` the last column is a verdict, marked unless ``ok``."""
    def cell(tag, text, side, mark=False):
        style = "text-align:%s" % ("right" if side == "r" else "left")
        if mark:
            style += ";color:#b00;font-weight:bold"
        text = " ".join(str(text).split())          # the text table's padding is no use here
        return "<%s style=\"%s\">%s</%s>" % (tag, style, html.escape(text), tag)

    head = "".join(cell("th", h, a) for h, a in zip(headers, align))
    body = []
    for row in rows:
        cells = [cell("td", value, side) for value, side in zip(row[:-1], align)]
        last = row[-1]
        cells.append(cell("td", last, align[-1],
                          mark=checks and str(last) not in _CHECKED and str(last) != ""))
        body.append("<tr>%s</tr>" % "".join(cells))
    return ("<table class=\"lasagne-params\"><thead><tr>%s</tr></thead><tbody>%s</tbody>"
            "</table>" % (head, "".join(body)))


def _paragraphs(text):
    return "".join("<p>%s</p>" % html.escape(part).replace("\n", "<br>")
                   for part in text.strip().split("\n\n") if part.strip())


def _report(report):
    headers, rows, align, _ = summary_table(report)
    notes = "\n".join(footnotes(report)).strip()
    return (html_table(headers, rows, align) + (_paragraphs(notes) if notes else "")
            + "<p>%s</p>" % "<br>".join(html.escape(line) for line in total_lines(report)))


def _comparison(comparison):
    headers, rows, align, verdict = comparison_table(comparison)
    return html_table(headers, rows, align, checks=True) + _paragraphs(verdict)


def _runtime(check):
    headers, rows, align, verdict = runtime_table(check)
    return html_table(headers, rows, align, checks=True) + _paragraphs(verdict)


def _costs(costs):
    return "<pre>%s</pre>" % html.escape(render_columns(costs, columns=DEFAULT_COLUMNS))


#: The result types :func:`render_html` takes, each with its renderer.
HTML_TYPES = ((Comparison, _comparison), (RuntimeCheck, _runtime), (CostReport, _costs),
              (Report, _report))


def render_html(result):
    """``result`` (a Report, CostReport, Comparison or RuntimeCheck) as an HTML fragment."""
    for cls, function in HTML_TYPES:
        if isinstance(result, cls):
            return function(result)
    raise TypeError("no HTML form for %s" % type(result).__name__)
