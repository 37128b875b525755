"""A Comparison side by side: derived and Lasagne's figures per layer, agreement marked."""
from ..rules import shape_text, thousands
from .table import simple_table

__all__ = ["render_comparison", "render_changes"]


def render_comparison(comparison):
    derived, reported = comparison.derived, comparison.reported
    bad = {(m.layer, m.field) for m in comparison.mismatches}
    rows = []
    for i in range(max(len(derived.layers), len(reported.layers))):
        mine = derived.layers[i] if i < len(derived.layers) else None
        theirs = reported.layers[i] if i < len(reported.layers) else None
        row = mine or theirs
        ok = not any(layer == row.name for layer, _ in bad)
        rows.append([
            i, row.name, row.kind,
            shape_text(mine.output_shape) if mine else "-",
            shape_text(theirs.output_shape) if theirs else "-",
            thousands(mine.params) if mine else "-",
            thousands(theirs.params) if theirs else "-",
            "ok" if ok else "MISMATCH"])
    rows.append(["", "total", "", "", "", thousands(derived.total_params),
                 thousands(reported.total_params),
                 "ok" if ("(network)", "total_params") not in bad else "MISMATCH"])
    lines = simple_table(["#", "name", "type", "derived size", "Lasagne size",
                          "derived params", "Lasagne params", "check"], rows,
                         align=["r", "l", "l", "r", "r", "r", "r", "l"])
    verdict = ("all %d layers agree" % len(reported.layers) if comparison.ok else
               "%d mismatch(es):\n" % len(comparison.mismatches) + "\n".join(
                   "  " + str(m) for m in comparison.mismatches))
    return "\n".join(lines) + "\n\n" + verdict + "\n"


def render_changes(changes, path):
    """A snapshot check's verdict: every change since ``path`` was written, one per line."""
    if not changes:
        return "%s: no change\n" % path
    return "%d change(s) since %s:\n%s\n" % (len(changes), path, "\n".join(
        "  " + str(change) for change in changes))
