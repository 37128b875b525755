"""Runtime verification: the shapes Theano really computes, beside both static ones.

:func:`verify_runtime` compiles one Theano function returning every layer's
output (``deterministic=True``), feeds it a real batch, and compares each
array's shape with the derived shape and with Lasagne's static
``output_shape``, the batch size substituted for ``None`` on the batch axis.

The comparison itself (:func:`compare_runtime`, :class:`RuntimeCheck`) is
pure Python: three lists of shapes in, verdicts out.  Only
:func:`verify_runtime` touches Theano and Lasagne, through
``lasagne_adapter``, and it imports them when called, not when this module
is imported.

When the three shapes of a layer disagree, the verdict names the side that
is wrong: the runtime array is the ground truth, so a static shape that
differs from it is wrong.  On Lasagne 0.1 with Theano-PyMC 1.1.2 the
historical cases where Lasagne's static inference was wrong (strided
``'full'`` convolution, Lasagne#154; strided pooling with
``ignore_border=False``, Lasagne#685 / Theano#4534) agree with the runtime
shapes; ``tests/test_runtime.py`` checks those configurations.
"""
from dataclasses import dataclass
from typing import Any, Optional, Tuple

from ..core.compare import Checked, Mismatch
from ..core.errors import SpecError
from ..core.records import Report

__all__ = ["RuntimeRow", "RuntimeMismatch", "RuntimeCheck", "compare_runtime",
           "verify_runtime", "with_batch", "VERDICTS"]

Shape = Tuple[Optional[int], ...]

#: (derived right, Lasagne right) -> the verdict of a layer, judged against runtime.
VERDICTS = {
    (True, True): "ok",
    (False, True): "derivation wrong",
    (True, False): "Lasagne wrong",
    (False, False): "derivation and Lasagne wrong",
}


def with_batch(shape, batch_size):
    """``shape`` with ``None`` on the batch axis (axis 0) replaced by ``batch_size``.

    >>> with_batch((None, 32, 24, 24), 5)
    (5, 32, 24, 24)
    """
    shape = tuple(shape)
    if shape and shape[0] is None:
        return (batch_size,) + shape[1:]
    return shape


def agrees(static, actual):
    """True when a static shape fits an actual one; ``None`` (unknown) fits any length."""
    static, actual = tuple(static), tuple(actual)
    return len(static) == len(actual) and all(
        s is None or s == a for s, a in zip(static, actual))


@dataclass(frozen=True)
class RuntimeRow:
    """One layer: the derived, Lasagne's and the runtime shape (batch size substituted)."""

    index: int
    name: str
    kind: str
    derived: Shape
    lasagne: Shape
    runtime: Shape

    @property
    def derived_ok(self):
        return agrees(self.derived, self.runtime)

    @property
    def lasagne_ok(self):
        return agrees(self.lasagne, self.runtime)

    @property
    def verdict(self):
        """``"ok"``, ``"Lasagne wrong"``, ``"derivation wrong"`` or both wrong."""
        return VERDICTS[self.derived_ok, self.lasagne_ok]

    @property
    def ok(self):
        return self.derived_ok and self.lasagne_ok


@dataclass(frozen=True)
class RuntimeMismatch(Mismatch):
    """A static shape that differs from the array Theano computed.

    ``derived`` and ``reported`` (Lasagne's) are the static shapes,
    ``runtime`` the actual one, ``wrong`` the verdict naming who is wrong.
    """

    runtime: Any = None
    wrong: str = ""

    def __str__(self):
        return "%s: %s: derived %r, Lasagne %r, runtime %r: %s" % (
            self.layer, self.field, self.derived, self.reported, self.runtime,
            self.wrong)


@dataclass(frozen=True)
class RuntimeCheck(Checked):
    """Every layer's three shapes for one batch, and the mismatches among them."""

    rows: Tuple[RuntimeRow, ...]
    batch_size: int
    mismatches: Tuple[RuntimeMismatch, ...]
    source: str = ""

    def __str__(self):
        from ..render.runtime import render_runtime
        return render_runtime(self)

    def to_dict(self):
        return {"ok": self.ok, "batch_size": self.batch_size, "source": self.source,
                "layers": [{"index": r.index, "name": r.name, "kind": r.kind,
                            "derived": list(r.derived), "lasagne": list(r.lasagne),
                            "runtime": list(r.runtime), "verdict": r.verdict}
                           for r in self.rows],
                "mismatches": [str(m) for m in self.mismatches]}


def compare_runtime(derived: Report, reported: Report, runtime_shapes, source=""):
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
    runtime_shapes = [tuple(int(d) for d in s) for s in runtime_shapes]
    if not len(derived.layers) == len(reported.layers) == len(runtime_shapes):
        raise SpecError("expected one shape per layer: %d derived, %d Lasagne, %d runtime"
                        % (len(derived.layers), len(reported.layers), len(runtime_shapes)))
    batch_size = runtime_shapes[0][0] if runtime_shapes and runtime_shapes[0] else 0
    rows, found = [], []
    for mine, theirs, actual in zip(derived.layers, reported.layers, runtime_shapes):
        row = RuntimeRow(mine.index, mine.name, mine.kind,
                         with_batch(mine.output_shape, batch_size),
                         with_batch(theirs.output_shape, batch_size), actual)
        rows.append(row)
        if not row.ok:
            found.append(RuntimeMismatch(row.name, "output_shape", row.derived,
                                         row.lasagne, runtime=actual, wrong=row.verdict))
    return RuntimeCheck(tuple(rows), batch_size, tuple(found), source)


def verify_runtime(output_layer, batch, source=""):
    """Run a real batch through a Lasagne network and check every layer's shape.

    One Theano function returning every layer's output (``deterministic=True``,
    so dropout and noise layers pass values through) is compiled and called
    once on ``batch``.  Each array's shape is compared with the derived shape
    (:func:`lasagne_params.derive`) and with Lasagne's static ``output_shape``
    (:func:`lasagne_params.from_lasagne`), the batch size substituted for
    ``None`` on the batch axis; any other ``None`` (a length unknown before
    run time) accepts whatever length the array has.

    Parameters
    ----------
    output_layer : lasagne.layers.Layer
        The network's output layer; it must have exactly one InputLayer.
    batch : array_like
        Input data, e.g. ``load_mnist().X[:8]``: cast to ``theano.config.floatX``.
        Its shape must fit the InputLayer's declared shape.
    source : str, optional
        Where the batch came from, shown by the renderer.

    Returns
    -------
    RuntimeCheck
        ``.ok``, ``.rows`` (derived / Lasagne / runtime per layer),
        ``.mismatches``; ``str()`` is the three-column table.

    Raises
    ------
    SpecError
        If the network has more than one InputLayer, or the batch's shape does
        not fit the InputLayer's.

    Examples
    --------
    >>> check = verify_runtime(net, load_mnist().X[:8])      # doctest: +SKIP
    >>> check.ok, check.rows[1].runtime                      # doctest: +SKIP
    (True, (8, 32, 24, 24))
    """
    from . import lasagne_adapter
    from ..api import derive, from_lasagne
    derived = derive(output_layer)
    reported = from_lasagne(output_layer)
    shapes = lasagne_adapter.runtime_shapes(output_layer, batch)
    return compare_runtime(derived, reported, shapes, source)
