"""The derivation in sentences, layer by layer, with this network's own numbers.

Each layer is explained by its kind's explainer (``LayerKind.explain``, or
its family's; see ``core/layers/explain.py``); this module strings the
paragraphs together and closes with the total.
"""
from ..core.layers.explain import generic, sharing
from ..core.registry import explainer_for, find_kind
from ..core.text import shown
from .answer import total_line

__all__ = ["render_explain"]


def render_explain(report):
    """A paragraph per layer, then the total."""
    shapes = {row.name: row.output_shape for row in report.layers}
    used = {name for row in report.layers for name in row.incoming}
    paragraphs = []
    for row in report.layers:
        kind = find_kind(row.kind)
        explain = explainer_for(kind) if kind is not None else generic
        last = row.name not in used and row.index == len(report.layers) - 1
        inputs = [(name, shapes[name]) for name in row.incoming]
        paragraphs.append(shown(" ".join(explain(row, inputs, last) + sharing(row))))
    paragraphs.append("Altogether the network learns %s parameters." % total_line(report))
    return "\n\n".join(paragraphs) + "\n"
