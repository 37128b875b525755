"""A Comparison side by side: derived and Lasagne's figures per layer, agreement marked."""
from ..core.text import digits, shape_text, shown, thousands as grouped
from .summary import SEPARATOR
from .table import simple_table

__all__ = ["render_comparison", "comparison_table", "render_changes", "mismatch_line", "change_line"]


def mismatch_line(mismatch):
    """``dense: params: derived 205056, Lasagne 205057`` (plus the runtime shape and verdict)."""
    line = "%s: %s: derived %s, Lasagne %s" % (shown(mismatch.layer), mismatch.field,
                                               _value(mismatch.derived),
                                               _value(mismatch.reported))
    if hasattr(mismatch, "runtime"):
        line += ", runtime %s: %s" % (_value(mismatch.runtime), mismatch.wrong)
    return line


def _value(value):
    """A compared value as Python writes it, ints of any length included."""
    if isinstance(value, int) and not isinstance(value, bool):
        return digits(value)
    if isinstance(value, tuple):
        return "(%s%s)" % (", ".join(_value(v) for v in value), "," if len(value) == 1 else "")
    if isinstance(value, list):
        return "[%s]" % ", ".join(_value(v) for v in value)
    return shown(repr(value))


def change_line(change):
    """``conv: params: recorded 832, now 896`` (``absent`` for a layer on one side only)."""
    def show(value):
        return "absent" if value is None else _value(value)
    return "%s: %s: recorded %s, now %s" % (shown(change.layer), change.field,
                                            show(change.recorded), show(change.current))


def _cell(row, getter):
    return getter(row) if row is not None else "-"


def comparison_table(comparison, thousands=SEPARATOR):
    """(headers, rows, align, verdict) of a Comparison (the text and HTML forms share it).

    Each row's last cell is its check: ``ok``, ``MISMATCH`` or ``not derived``.
    Trainable counts get their own columns when some layer's differ from its
    parameter count.  Counts are grouped with ``thousands`` (``217,706``).
    """
    def count(n):
        return grouped(n, thousands)

    derived, reported = comparison.derived, comparison.reported
    bad = {(m.layer, m.field) for m in comparison.mismatches}
    trainable = any(r.trainable_params != r.params
                    for r in derived.layers + reported.layers)
    rows = []
    for i in range(max(len(derived.layers), len(reported.layers))):
        mine = derived.layers[i] if i < len(derived.layers) else None
        theirs = reported.layers[i] if i < len(reported.layers) else None
        row = mine or theirs
        if row.name in comparison.not_derived:
            check = "not derived"
        elif any(m.layer == row.name for m in comparison.lasagne_wrong):
            check = "Lasagne wrong"
        else:
            check = "MISMATCH" if any(layer == row.name for layer, _ in bad) else "ok"
        cells = [i, row.name, row.kind,
                 _cell(mine, lambda r: shape_text(r.output_shape)),
                 _cell(theirs, lambda r: shape_text(r.output_shape)),
                 _cell(mine, lambda r: count(r.params)),
                 _cell(theirs, lambda r: count(r.params))]
        if trainable:
            cells += [_cell(mine, lambda r: count(r.trainable_params)),
                      _cell(theirs, lambda r: count(r.trainable_params))]
        rows.append(cells + [check])
    totals = ["", "total", "", "", "", count(derived.total_params),
              count(reported.total_params)]
    if trainable:
        totals += [count(derived.trainable_params), count(reported.trainable_params)]
    ok_total = not any(layer == "(network)" for layer, _ in bad)
    rows.append(totals + ["ok" if ok_total else "MISMATCH"])
    headers = ["#", "name", "kind", "derived size", "Lasagne size", "derived params",
               "Lasagne params"]
    if trainable:
        headers += ["derived trainable", "Lasagne trainable"]
    headers.append("check")
    align = ["r", "l", "l"] + ["r"] * (len(headers) - 4) + ["l"]
    n_layers = len(reported.layers)
    if comparison.ok:
        verdict = "all %d layers agree" % n_layers
    else:
        parts = []
        if comparison.mismatches:
            parts.append("%d mismatch(es):\n" % len(comparison.mismatches) + "\n".join(
                "  " + mismatch_line(m) for m in comparison.mismatches))
        if comparison.not_derived:
            parts.append("%d layer(s) not derived (Lasagne's figures shown; later layers "
                         "derived from its output shape):\n" % len(comparison.not_derived)
                         + "\n".join("  %s: %s" % (shown(name), shown(derived.layer(name).note))
                                     for name in comparison.not_derived))
        verdict = "\n".join(parts)
    if comparison.lasagne_wrong:
        verdict += "\n%d figure(s) where Lasagne is known to be wrong:\n" % len(
            comparison.lasagne_wrong) + "\n".join(
            "  %s: %s" % (mismatch_line(m), m.note) for m in comparison.lasagne_wrong)
    return headers, rows, align, verdict


def render_comparison(comparison, thousands=SEPARATOR):
    """The table, then "all N layers agree" or each mismatch and each layer not derived."""
    headers, rows, align, verdict = comparison_table(comparison, thousands)
    lines = simple_table(headers, rows, align=align)
    return "\n".join(lines) + "\n\n" + verdict + "\n"


def render_changes(changes, path):
    """A snapshot check's verdict: every change since ``path`` was written, one per line."""
    path = shown(path)
    if not changes:
        return "%s: no change\n" % path
    return "%d change(s) since %s:\n%s\n" % (len(changes), path, "\n".join(
        "  " + change_line(change) for change in changes))
