"""JSON: every field of the Report, exact ints, the same names as the Python API.

Given a CostReport (``derive_costs``), the Report's JSON gains a ``costs``
section: every layer's work, memory and receptive field, and the totals.
"""
import json

__all__ = ["render_json"]


def render_json(report, indent=2):
    """``report.to_dict()`` as JSON: a Report, or a CostReport (Report plus ``costs``)."""
    return json.dumps(report.to_dict(), indent=indent) + "\n"
