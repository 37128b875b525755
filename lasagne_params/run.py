"""``lasagne-params run SCRIPT [ARGS...]``: a historical script, unchanged, then its networks checked.

The script runs as ``python SCRIPT ARGS...`` would run it
(:mod:`lasagne_params.usercode.script` says how, and which networks count as
built by it).  Then, for every network the script built, the derived
figures are put beside Lasagne's (:func:`lasagne_params.compare`, as ``show
--check`` does) and printed on stderr, and with ``report`` written as JSON.

The exit status is the script's; ``strict`` makes it 1 when the script
succeeded but a network disagrees with Lasagne or was not derived.
"""
import os
import sys
from typing import Optional, Sequence

from .api import compare
from .core.errors import LasagneParamsError
from .core.files import write_atomic
from .core.text import json_text
from .render import render
from .usercode import execute_script, networks_built
from .usercode.running import imported_files

__all__ = ["run_script"]


def _compare(found):
    """(Comparison or None, error line or None) for one network."""
    try:
        return compare(found.network), None
    except LasagneParamsError as exc:
        return None, str(exc)


def _report_text(found, results, script):
    if not found:
        return "lasagne-params run: %s built no Lasagne network\n" % script
    lines = ["lasagne-params run: %d network%s built by %s\n" % (
        len(found), "" if len(found) == 1 else "s", script)]
    for item, (comparison, error) in zip(found, results):
        lines.append("\n== %s (%s) ==\n" % (item.label, item.how))
        lines.append(render(comparison) if comparison is not None
                     else "cannot derive it: %s\n" % error)
    return "".join(lines)


def _report_data(found, results):
    data = []
    for item, (comparison, error) in zip(found, results):
        entry = {"network": item.label, "found_by": item.how}
        if comparison is not None:
            entry.update(comparison.to_dict())
        else:
            entry.update(ok=False, error=error)
        data.append(entry)
    return data


def _write_report(path, data, protect=()):
    text = json_text(data, indent=2) + "\n"
    if path == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    write_atomic(path, text, protect=protect)        # never half a report, never the script


def run_script(path: str, args: Sequence[str] = (), report: Optional[str] = None,
               text_report: bool = True, strict: bool = False) -> int:
    """Run the script ``path`` with ``args`` unchanged; report its networks; return its status.

    Parameters
    ----------
    report : str, optional
        A file to write the comparisons to, as a JSON list (``"-"``: stdout).
    text_report : bool
        Print the comparisons on stderr.
    strict : bool
        Return 1 when the script returned 0 but a network is not ok.
    """
    status, recorder, module = execute_script(path, args)
    if not text_report and report is None and not strict:
        return status
    found = networks_built(recorder, module, path)
    results = [_compare(item) for item in found]
    if text_report:
        sys.stderr.write(_report_text(found, results, os.path.basename(path)))
        sys.stderr.flush()
    if report is not None:
        _write_report(report, _report_data(found, results),
                      protect=[path] + imported_files())
    if strict and status == 0 and any(c is None or not c.ok for c, _ in results):
        return 1
    return status
