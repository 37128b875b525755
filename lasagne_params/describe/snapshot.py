"""Snapshots: a network's layer shapes and parameter counts recorded in a JSON file.

``lasagne-params snapshot NET -o net.params.json`` writes one;
``lasagne-params check NET --against net.params.json`` (and
``lasagne_params.testing.assert_snapshot``) derive the network again and list
every layer whose type, output shape or counts changed since.  Pure Python.

A snapshot is written atomically (the old file stays whole if writing
fails) with its counts exact however many digits they have, and read back
only if it is a regular file within the input size limit.
"""
import json
from dataclasses import dataclass
from typing import Any

from ..core.compare import FIELDS as COMPARED_FIELDS, NETWORK, TOTALS
from ..core.errors import SpecError
from ..core.files import read_text, write_atomic
from ..core.text import input_int, json_text

__all__ = ["FORMAT", "FIELDS", "Change", "snapshot_of", "write_snapshot", "read_snapshot",
           "diff_snapshot"]

FORMAT = "lasagne-params snapshot"
VERSION = 1
FIELDS = ("kind",) + COMPARED_FIELDS


@dataclass(frozen=True)
class Change:
    """One difference: ``layer`` (or ``"(network)"``), ``field``, recorded and current value."""

    layer: str
    field: str
    recorded: Any
    current: Any


def snapshot_of(report):
    """The snapshot of a derived Report, as JSON-ready data (exact ints)."""
    return {"format": FORMAT, "version": VERSION,
            "total_params": report.total_params,
            "trainable_params": report.trainable_params,
            "layers": [{"name": row.name, "kind": row.kind,
                        "output_shape": list(row.output_shape), "params": row.params,
                        "trainable_params": row.trainable_params}
                       for row in report.layers]}


def write_snapshot(report, path, protect=()):
    """Write ``report``'s snapshot to ``path`` atomically; return the data written.

    ``protect`` lists files ``path`` must not be (the command's inputs).

    Raises
    ------
    OutputError
        When ``path`` cannot be written; the file that was there is unchanged.
    """
    data = snapshot_of(report)
    write_atomic(path, json_text(data, indent=2) + "\n", protect=protect)
    return data


def _expect(ok, message, path, layer=None, field=None):
    if not ok:
        raise SpecError("not a lasagne-params snapshot: %s" % message, file=path,
                        layer=layer, field=field)


def _is_count(value):
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def read_snapshot(path, max_bytes=None):
    """A snapshot file's data, checked field by field (SpecError naming file, layer, field).

    ``max_bytes`` is the largest file read (default 16 MiB, see
    :func:`lasagne_params.core.files.read_bytes`).
    """
    text = read_text(path, max_bytes)
    try:
        data = json.loads(text, parse_int=input_int)
    except RecursionError:
        raise SpecError("malformed JSON: nested too deeply", file=path) from None
    except ValueError as exc:
        raise SpecError("malformed JSON: %s" % exc, file=path) from None
    _expect(isinstance(data, dict) and data.get("format") == FORMAT,
            "expected \"format\": %r" % FORMAT, path, field="format")
    version = data.get("version")
    _expect(isinstance(version, int) and not isinstance(version, bool) and version == VERSION,
            "expected version %d, got %r" % (VERSION, version), path, field="version")
    for total in TOTALS:
        _expect(_is_count(data.get(total)), "expected a count", path, field=total)
    _expect(isinstance(data.get("layers"), list), "expected a list", path, field="layers")
    names = set()
    for index, layer in enumerate(data["layers"]):
        _expect(isinstance(layer, dict) and isinstance(layer.get("name"), str),
                "expected a mapping with a name", path, layer=index)
        _expect(layer["name"] not in names, "two layers have this name", path,
                layer=layer["name"], field="name")
        names.add(layer["name"])
        _expect(isinstance(layer.get("kind"), str), "expected a string", path,
                layer=layer["name"], field="kind")
        shape = layer.get("output_shape")
        _expect(isinstance(shape, list) and all(d is None or _is_count(d) for d in shape),
                "expected a list of ints and nulls", path, layer=layer["name"],
                field="output_shape")
        for count in ("params", "trainable_params"):
            _expect(_is_count(layer.get(count)), "expected a count", path,
                    layer=layer["name"], field=count)
    return data


def diff_snapshot(recorded, report):
    """Every :class:`Change` between recorded snapshot data and a derived Report.

    Layers are paired by name; a layer only on one side is a change of its
    ``layer`` field (absent on the other side); so is a different order.
    """
    current = snapshot_of(report)
    old = {layer["name"]: layer for layer in recorded["layers"]}
    new = {layer["name"]: layer for layer in current["layers"]}
    changes = []
    for layer in recorded["layers"]:
        if layer["name"] not in new:
            changes.append(Change(layer["name"], "layer", layer["kind"], None))
    for layer in current["layers"]:
        before = old.get(layer["name"])
        if before is None:
            changes.append(Change(layer["name"], "layer", None, layer["kind"]))
            continue
        for field in FIELDS:
            a, b = before[field], layer[field]
            if field == "output_shape":
                a, b = tuple(a), tuple(b)
            if a != b:
                changes.append(Change(layer["name"], field, a, b))
    common_old = [n["name"] for n in recorded["layers"] if n["name"] in new]
    common_new = [n["name"] for n in current["layers"] if n["name"] in old]
    if common_old != common_new:
        changes.append(Change(NETWORK, "order", common_old, common_new))
    for field in TOTALS:
        if recorded[field] != current[field]:
            changes.append(Change(NETWORK, field, recorded[field], current[field]))
    return changes
