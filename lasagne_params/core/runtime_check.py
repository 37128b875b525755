"""The runtime check: the shapes Theano really computed, beside both static ones.

Pure Python: the derived Report, Lasagne's Report and the shape of every
layer's computed array in; a :class:`RuntimeCheck` out, each layer's verdict
naming the side that is wrong.  ``backend/networks/runtime.py`` computes the arrays
(:func:`lasagne_params.verify_runtime`).

When the three shapes of a layer disagree, the verdict names the side that
is wrong: the runtime array is the ground truth, so a static shape that
differs from it is wrong.  On Lasagne 0.1 with Theano-PyMC 1.1.2 the
historical cases where Lasagne's static inference was wrong (strided
``'full'`` convolution, Lasagne#154; strided pooling with
``ignore_border=False``, Lasagne#685 / Theano#4534) agree with the runtime
shapes; ``tests/test_runtime.py`` checks those configurations.
"""
from dataclasses import dataclass
from typing import Any, Dict, Iterable, Optional, SupportsInt, Tuple

from .compare import Checked, Mismatch
from .errors import SpecError
from .printing import Printable
from .records import Report

__all__ = ["RuntimeRow", "RuntimeMismatch", "RuntimeCheck", "compare_runtime",
           "with_batch", "agrees", "VERDICTS"]

Shape = Tuple[Optional[int], ...]

#: (derived right, Lasagne right) -> the verdict of a layer, judged against runtime.
VERDICTS = {
    (True, True): "ok",
    (False, True): "derivation wrong",
    (True, False): "Lasagne wrong",
    (False, False): "derivation and Lasagne wrong",
}


def with_batch(shape: Iterable[Optional[int]], batch_size: int) -> Shape:
    """``shape`` with ``None`` on the batch axis (axis 0) replaced by ``batch_size``.

    >>> with_batch((None, 32, 24, 24), 5)
    (5, 32, 24, 24)
    """
    shape = tuple(shape)
    if shape and shape[0] is None:
        return (batch_size,) + shape[1:]
    return shape


def agrees(static: Iterable[Optional[int]], actual: Iterable[int]) -> bool:
    """True when a static shape fits an actual one; ``None`` (unknown) fits any length."""
    static, actual = tuple(static), tuple(actual)
    return len(static) == len(actual) and all(
        s is None or s == a for s, a in zip(static, actual))


@dataclass(frozen=True, slots=True)
class RuntimeRow:
    """One layer: the derived, Lasagne's and the runtime shape (batch size substituted)."""

    index: int
    name: str
    kind: str
    derived: Shape
    lasagne: Shape
    runtime: Tuple[int, ...]

    @property
    def derived_ok(self) -> bool:
        return agrees(self.derived, self.runtime)

    @property
    def lasagne_ok(self) -> bool:
        return agrees(self.lasagne, self.runtime)

    @property
    def verdict(self) -> str:
        """``"ok"``, ``"Lasagne wrong"``, ``"derivation wrong"`` or both wrong."""
        return VERDICTS[self.derived_ok, self.lasagne_ok]

    @property
    def ok(self) -> bool:
        return self.derived_ok and self.lasagne_ok


@dataclass(frozen=True, slots=True)
class RuntimeMismatch(Mismatch):
    """A static shape that differs from the array Theano computed.

    ``derived`` and ``reported`` (Lasagne's) are the static shapes,
    ``runtime`` the actual one, ``wrong`` the verdict naming who is wrong.
    """

    runtime: Any = None
    wrong: str = ""

    def to_dict(self) -> Dict[str, Any]:
        # Mismatch's by name: a slotted dataclass is a new class, which zero-argument
        # super() does not know (TypeError)
        return dict(Mismatch.to_dict(self), runtime=self.runtime, wrong=self.wrong)


@dataclass(frozen=True, slots=True)
class RuntimeCheck(Checked, Printable):
    """Every layer's three shapes for one batch, and the mismatches among them.

    ``print(check)`` writes its table; its repr is one line."""

    rows: Tuple[RuntimeRow, ...]
    batch_size: int
    mismatches: Tuple[RuntimeMismatch, ...]
    source: str = ""

    def __repr__(self) -> str:
        return "RuntimeCheck(ok=%r, %d layers, batch_size=%d, %d mismatches)" % (
            self.ok, len(self.rows), self.batch_size, len(self.mismatches))

    def to_dict(self) -> Dict[str, Any]:
        return {"ok": self.ok, "batch_size": self.batch_size, "source": self.source,
                "layers": [{"index": r.index, "name": r.name, "kind": r.kind,
                            "derived": list(r.derived), "lasagne": list(r.lasagne),
                            "runtime": list(r.runtime), "verdict": r.verdict}
                           for r in self.rows],
                "mismatches": [m.to_dict() for m in self.mismatches]}


def compare_runtime(derived: Report, reported: Report,
                    runtime_shapes: Iterable[Iterable[SupportsInt]],
                    source: str = "") -> "RuntimeCheck":
    """Put the runtime shapes beside a derived and a Lasagne Report.

    Parameters
    ----------
    derived, reported : Report
        The derivation and Lasagne's own figures, for the same layers in the
        same (``get_all_layers``) order.
    runtime_shapes : sequence of tuple of int
        The shape of each layer's computed array, in that order.
    source : str, optional
        Where the batch came from, for people.

    Returns
    -------
    RuntimeCheck
        The batch size is the runtime batch axis of the first layer.

    Raises
    ------
    SpecError
        If the three lists do not have one entry per layer.
    """
    shapes = [tuple(int(d) for d in s) for s in runtime_shapes]
    if not len(derived.layers) == len(reported.layers) == len(shapes):
        raise SpecError("expected one shape per layer: %d derived, %d Lasagne, %d runtime"
                        % (len(derived.layers), len(reported.layers), len(shapes)))
    batch_size = shapes[0][0] if shapes and shapes[0] else 0
    rows, found = [], []
    for mine, theirs, actual in zip(derived.layers, reported.layers, shapes):
        row = RuntimeRow(mine.index, mine.name, mine.kind,
                         with_batch(mine.output_shape, batch_size),
                         with_batch(theirs.output_shape, batch_size), actual)
        rows.append(row)
        if not row.ok:
            found.append(RuntimeMismatch(row.name, "output_shape", row.derived,
                                         row.lasagne, runtime=actual, wrong=row.verdict))
    return RuntimeCheck(tuple(rows), batch_size, tuple(found), source)
