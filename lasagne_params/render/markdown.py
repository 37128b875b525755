"""The answer's table as GitHub-flavoured Markdown (formulas in code spans)."""
from ..core.text import shown, thousands
from .answer import size_cell, total_line

__all__ = ["render_markdown"]


def _cell(text):
    return shown(text).replace("|", "\\|")


def _code(text):
    return "`%s`" % text if text else ""


def render_markdown(report, derivations="all"):
    """One row per layer: #, name, kind, size (with its derivation), parameters, formula."""
    lines = ["| # | name | kind | size | parameters | formula |",
             "|--:|:-----|:-----|-----:|-----------:|:--------|"]
    for row in report.layers:
        lines.append("| %d | %s | %s | %s | %s | %s |" % (
            row.index, _cell(row.name), _cell(row.kind),
            _code(_cell(size_cell(row, derivations))), thousands(row.params),
            _code(_cell(row.param_formula))))
    return "\n".join(lines) + "\n\n**Total:** %s\n" % total_line(report)
