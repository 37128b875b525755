"""JSON: every field of the Report, exact ints (of any length), the same names as the Python API.

Given a CostReport (``derive_costs``), the Report's JSON gains a ``costs``
section: every layer's work, memory and receptive field, and the totals
(under ``derived`` for a Comparison given its ``costs``).
"""
import json

from ..core.text import json_int, json_text

__all__ = ["render_json", "render_json_list"]


def render_json(report, indent=2, costs=None):
    """``report.to_dict()`` as JSON: a Report, a CostReport (plus ``costs``) or a Comparison.

    ``costs`` (a CostReport of the same network) adds its ``costs`` section to
    a Comparison's ``derived`` report, so ``--check`` keeps every cost figure.
    """
    data = report.to_dict()
    if costs is not None:
        data["derived"]["costs"] = costs.costs_dict()
    return json_text(data, indent=indent) + "\n"


def render_json_list(documents):
    """Several networks' JSON documents as one list, each object with a ``"network"`` key.

    ``documents`` is ``(label, JSON text)`` pairs, as :func:`render_json` wrote them;
    ints keep every digit.
    """
    listed = [dict(network=label, **json.loads(text, parse_int=json_int))
              for label, text in documents]
    return json_text(listed, indent=2) + "\n"
