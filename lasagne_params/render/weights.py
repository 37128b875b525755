"""A WeightsCheck as a table: each expected array beside the file's, the first difference,
and what the layout's loader would have said."""
from ..core.text import shown
from .table import simple_table

__all__ = ["render_weights"]


def _shape(shape):
    if shape is None:
        return "-"
    return "x".join(str(d) for d in shape) if shape else "scalar"


def render_weights(check):
    """The table of ``check`` (a :class:`~lasagne_params.core.weights.WeightsCheck`)."""
    rows = [["-" if r.layer is None else r.layer, r.kind or "-", r.name or "-",
             _shape(r.expected), _shape(r.found), r.status] for r in check.rows]
    lines = ["%s: %s" % (shown(check.file), check.layout_text),
             "against %s" % shown(check.network), ""]
    lines += simple_table(["layer", "kind", "array", "expected", "in the file", "check"], rows,
                          align="lllrrl")
    lines.append("")
    if check.ok:
        lines.append("fits: every array has the shape the network expects")
    else:
        lines.append("does not fit: %s" % check.divergence)
    if check.loader_says:
        lines.append("%s would say: %s" % (check.loader, check.loader_says[0]))
        lines += ["  " + line for line in check.loader_says[1:]]
    elif not check.ok:
        lines.append("%s would load it without a word" % check.loader)
    return "\n".join(lines) + "\n"

