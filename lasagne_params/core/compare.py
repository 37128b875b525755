"""Put a derived Report beside Lasagne's and list every disagreement.

Pure: two Reports in, a Comparison out.  Rows are matched by position and
must agree on name and type; then output shape, parameter count and
trainable count are compared, and finally the network totals.  A derived
row marked ``derived=False`` (its figures were taken over from Lasagne
because no rule could derive the layer) is not compared: it is listed in
``Comparison.not_derived`` and the comparison is not ``ok``.

Where Lasagne's static shape is known to be wrong (the derived row holds
it in ``lasagne_shape``, and ``output_shape`` is the shape Theano
computes), a Lasagne shape equal to that known wrong value is no
disagreement of the derivation: it is listed in ``Comparison.lasagne_wrong``
(verdict "Lasagne wrong", with the row's note) and the comparison stays
``ok``; the runtime check (``verify_runtime``) shows Theano's shape.
"""
from dataclasses import dataclass, replace
from typing import Any, Dict, Iterable, Mapping, Tuple

from .printing import Printable
from .records import Report

__all__ = ["Mismatch", "KnownLasagneError", "Comparison", "Checked", "compare_reports",
           "in_order", "with_notes", "FIELDS"]

FIELDS = ("output_shape", "params", "trainable_params")
TOTALS = ("total_params", "trainable_params")
NETWORK = "(network)"


@dataclass(frozen=True, slots=True)
class Mismatch:
    """One disagreement: ``layer`` (a name, or ``"(network)"`` for totals), ``field``, both values."""

    layer: str
    field: str
    derived: Any
    reported: Any

    def to_dict(self) -> Dict[str, Any]:
        return {"layer": self.layer, "field": self.field, "derived": self.derived,
                "reported": self.reported}


@dataclass(frozen=True, slots=True)
class KnownLasagneError(Mismatch):
    """Lasagne's figure where it is known to be wrong: ``wrong`` is ``"Lasagne wrong"``,
    ``note`` says why (the derived row's note)."""

    note: str = ""
    wrong: str = "Lasagne wrong"

    def to_dict(self) -> Dict[str, Any]:
        # Mismatch's by name: a slotted dataclass is a new class, which zero-argument
        # super() does not know (TypeError)
        return dict(Mismatch.to_dict(self), wrong=self.wrong, note=self.note)


class Checked:
    """Mixin for results holding ``mismatches``: ``.ok`` and truth mean none."""

    mismatches: Tuple[Any, ...]

    @property
    def ok(self) -> bool:
        return not self.mismatches

    def __bool__(self) -> bool:
        return self.ok


@dataclass(frozen=True, slots=True)
class Comparison(Checked, Printable):
    """The derived and the reported Report side by side.

    ``not_derived`` names layers with no rule, shown with Lasagne's figures;
    ``lasagne_wrong`` holds Lasagne's figures known to be wrong (see the module).
    ``print(comparison)`` writes its table; its repr is one line.
    """

    derived: Report
    reported: Report
    mismatches: Tuple[Mismatch, ...]
    not_derived: Tuple[str, ...] = ()
    lasagne_wrong: Tuple[KnownLasagneError, ...] = ()

    def __repr__(self) -> str:
        return "Comparison(ok=%r, %d layers, %d mismatches, %d not derived)" % (
            self.ok, len(self.reported.layers), len(self.mismatches), len(self.not_derived))

    @property
    def ok(self) -> bool:
        """True when every layer was derived and agrees with Lasagne, totals included."""
        return not self.mismatches and not self.not_derived

    def to_dict(self) -> Dict[str, Any]:
        return {"ok": self.ok,
                "mismatches": [m.to_dict() for m in self.mismatches],
                "not_derived": list(self.not_derived),
                "lasagne_wrong": [m.to_dict() for m in self.lasagne_wrong],
                "derived": self.derived.to_dict(),
                "reported": self.reported.to_dict()}


def compare_reports(derived: Report, reported: Report) -> Comparison:
    """Every field of every layer, then the totals; mismatches in layer order."""
    found, not_derived, wrong = [], [], []
    for index in range(max(len(derived.layers), len(reported.layers))):
        mine = derived.layers[index] if index < len(derived.layers) else None
        theirs = reported.layers[index] if index < len(reported.layers) else None
        if mine is None or theirs is None:
            row = mine or theirs
            assert row is not None          # index < the longer report's length
            found.append(Mismatch(row.name, "layer", mine and mine.kind, theirs and theirs.kind))
            continue
        if (mine.name, mine.kind) != (theirs.name, theirs.kind):
            found.append(Mismatch(theirs.name, "layer", (mine.name, mine.kind),
                                  (theirs.name, theirs.kind)))
            continue
        if not mine.derived:
            not_derived.append(mine.name)
            continue
        for field in FIELDS:
            a, b = getattr(mine, field), getattr(theirs, field)
            if a == b:
                continue
            if field == "output_shape" and mine.lasagne_shape is not None and \
                    tuple(b) == tuple(mine.lasagne_shape):
                wrong.append(KnownLasagneError(mine.name, field, a, b, note=mine.note))
            else:
                found.append(Mismatch(mine.name, field, a, b))
    for field in TOTALS:
        a, b = getattr(derived, field), getattr(reported, field)
        if a != b:
            found.append(Mismatch(NETWORK, field, a, b))
    return Comparison(derived, reported, tuple(found), tuple(not_derived), tuple(wrong))


def with_notes(report: Report, notes: Mapping[str, str]) -> Report:
    """``report`` with ``notes[name]`` (e.g. "CPU stand-in for ...") leading the note of
    each row so named, unless the row says it already."""
    rows = tuple(replace(row, note="; ".join(filter(None, (notes[row.name], row.note))))
                 if notes.get(row.name) and notes[row.name] not in row.note else row
                 for row in report.layers)
    return Report(rows, report.source, report.total_params, report.trainable_params)


def in_order(report: Report, names: Iterable[str]) -> Report:
    """``report`` with its rows in the order of ``names`` (re-indexed).

    A spec may list a merge network's layers in another valid order than
    Lasagne's ``get_all_layers``; aligning by name lets the rows pair up.
    Unchanged unless ``names`` are exactly the report's layer names.
    """
    rows = {row.name: row for row in report.layers}
    names = list(names)
    if sorted(names) != sorted(rows) or names == [row.name for row in report.layers]:
        return report
    return Report(tuple(replace(rows[name], index=i) for i, name in enumerate(names)),
                  report.source, report.total_params, report.trainable_params)
