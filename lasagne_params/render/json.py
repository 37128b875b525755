"""JSON: every field of the Report, exact ints, the same names as the Python API."""
import json

__all__ = ["render_json"]


def render_json(report, indent=2):
    return json.dumps(report.to_dict(), indent=indent) + "\n"
