"""A RuntimeCheck as a table: derived, Lasagne's and the runtime shape of every layer."""
from ..core.text import full_shape_text
from .compare import mismatch_line
from .table import simple_table

__all__ = ["render_runtime", "runtime_table"]


def runtime_table(check):
    """(headers, rows, align, verdict) of a RuntimeCheck (the text and HTML forms share it).

    The check column is ``ok`` where all three agree, else who is wrong:
    ``Lasagne wrong``, ``derivation wrong`` or ``derivation and Lasagne
    wrong`` (the runtime array is the ground truth).
    """
    rows = [[r.index, r.name, r.kind, full_shape_text(r.derived),
             full_shape_text(r.lasagne), full_shape_text(r.runtime), r.verdict]
            for r in check.rows]
    headers = ["#", "name", "kind", "derived", "Lasagne", "runtime", "check"]
    batch = "a batch of %d" % check.batch_size
    if check.source:
        batch += " from %s" % check.source
    if check.ok:
        verdict = "all %d layers: derived = Lasagne = runtime shape on %s" % (
            len(check.rows), batch)
    else:
        verdict = "%d runtime mismatch(es) on %s:\n" % (len(check.mismatches), batch) + \
            "\n".join("  " + mismatch_line(m) for m in check.mismatches)
    return headers, rows, ["r", "l", "l", "r", "r", "r", "l"], verdict


def render_runtime(check):
    """Three shape columns per layer and a verdict naming any wrong side (see runtime_table)."""
    headers, rows, align, verdict = runtime_table(check)
    return "\n".join(simple_table(headers, rows, align=align)) + "\n\n" + verdict + "\n"
