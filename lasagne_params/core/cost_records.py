"""Plain data for compute cost, memory and receptive fields (OpTerm, LayerCost, CostReport).

Kept apart from ``records.py``: a :class:`CostReport` wraps a
:class:`~lasagne_params.records.Report` and adds one :class:`LayerCost` per
layer, so the parameter report and its JSON stay exactly as they are.

Conventions (the README's "Beyond the count" states them for users):

* Per-layer figures are **per example** (the batch axis left out), so their
  formulas read like the parameter formulas; totals are for ``batch_size``
  examples.
* ``mac`` operations are the multiply-accumulates of the weights only
  (conv: output positions x filters x filter volume; dense: inputs x units).
  Bias additions (``bias``), pooling-window reads (``pool``) and elementwise
  work (``elementwise``: nonlinearities, dropout masks, noise) are separate
  figures.  torchinfo's "Total mult-adds" counts each bias as one more
  operation per output position: :attr:`CostReport.total_mult_adds` is that
  figure, MACs plus bias adds.
* Memory is torchinfo's: input bytes; forward/backward pass = twice the
  outputs of the layers holding parameters (output and gradient); parameter
  bytes (a shared array counted once); their sum.  Units are decimal
  (1 MB = 10**6 bytes), as torchinfo's are.

Ints (or ``None`` for an unknown size) only; formatting lives in ``render/``.
"""
from dataclasses import dataclass
from typing import Any, Dict, Iterable, Optional, Tuple

from .printing import Printable
from .receptive import AxisReceptiveField
from .records import Report

#: Bytes per element of each Theano ``floatX``.
FLOATX_BYTES = {"float16": 2, "float32": 4, "float64": 8}

__all__ = ["OPS", "OpTerm", "LayerCost", "CostReport", "sum_known", "FLOATX_BYTES"]

# The operations counted, in display order.
OPS = ("mac", "bias", "pool", "elementwise")


def sum_known(values: Iterable[Optional[int]]) -> Optional[int]:
    """Sum of ``values``; ``None`` when any of them is ``None`` (an unknown size)."""
    values = list(values)
    known = [v for v in values if v is not None]
    return None if len(known) < len(values) else sum(known)


@dataclass(frozen=True, slots=True)
class OpTerm:
    """One operation a layer does per example, e.g. ``mac``, 460'800, ``(24*24)*32*(5*5*1)``.

    ``op`` is one of :data:`OPS`; ``count`` is ``None`` when a size it
    depends on is unknown.
    """

    op: str
    count: Optional[int]
    formula: str = ""

    def to_dict(self) -> Dict[str, Any]:
        return {"op": self.op, "count": self.count, "formula": self.formula}


@dataclass(frozen=True, slots=True)
class LayerCost:
    """One layer's work, memory and receptive field, per example.

    ``receptive_field`` holds one :class:`AxisReceptiveField` per spatial axis, or is
    ``None`` ("n/a") once a layer has mixed all positions (dense, flatten,
    reshape).  ``output_bytes`` and ``param_bytes`` use the report's
    ``floatx``; ``param_bytes`` counts this layer's own arrays, shared or not.
    ``family`` is the family its kind declares (``"input"``: where data enters).
    """

    index: int
    name: str
    kind: str
    ops: Tuple[OpTerm, ...] = ()
    output_elements: Optional[int] = None
    output_bytes: Optional[int] = None
    params: int = 0
    param_bytes: int = 0
    receptive_field: Optional[Tuple[AxisReceptiveField, ...]] = None
    family: str = ""

    def count(self, op: str) -> Optional[int]:
        """Operations ``op`` (one of ``OPS``) per example; 0 if none."""
        return sum_known(t.count for t in self.ops if t.op == op)

    def formula(self, op: str) -> str:
        """The derivation of :meth:`count` for ``op`` (``""`` if none)."""
        return " + ".join(t.formula for t in self.ops if t.op == op and t.formula)

    @property
    def macs(self) -> Optional[int]:
        return self.count("mac")

    @property
    def bias_adds(self) -> Optional[int]:
        return self.count("bias")

    @property
    def pool_ops(self) -> Optional[int]:
        return self.count("pool")

    @property
    def elementwise_ops(self) -> Optional[int]:
        return self.count("elementwise")

    def to_dict(self) -> Dict[str, Any]:
        seen = self.receptive_field
        return {
            "index": self.index,
            "name": self.name,
            "kind": self.kind,
            "macs": self.macs,
            "macs_formula": self.formula("mac"),
            "bias_adds": self.bias_adds,
            "pool_ops": self.pool_ops,
            "elementwise_ops": self.elementwise_ops,
            "ops": [t.to_dict() for t in self.ops],
            "output_elements": self.output_elements,
            "output_bytes": self.output_bytes,
            "params": self.params,
            "param_bytes": self.param_bytes,
            "receptive_field": None if seen is None else [a.to_dict() for a in seen],
        }


def _times(batch: int, value: Optional[int]) -> Optional[int]:
    return None if value is None else batch * value


@dataclass(frozen=True, slots=True)
class CostReport(Printable):
    """A Report plus every layer's cost, and totals for ``batch_size`` examples.

    ``itemsize`` is the bytes per element of ``floatx``.  ``print(costs)`` writes its
    columns table; its repr is one line.
    """

    report: Report
    layers: Tuple[LayerCost, ...]
    batch_size: int = 1
    floatx: str = "float32"
    itemsize: int = 4

    def __repr__(self) -> str:
        return "CostReport(%d layers, total_params=%d, total_macs=%r, batch_size=%d, " \
            "floatx=%r)" % (len(self.layers), self.report.total_params, self.total_macs,
                            self.batch_size, self.floatx)

    def layer(self, name: str) -> LayerCost:
        """The LayerCost of the layer called ``name`` (KeyError if none)."""
        for cost in self.layers:
            if cost.name == name:
                return cost
        raise KeyError(name)

    def _total(self, op: str) -> Optional[int]:
        return _times(self.batch_size, sum_known(c.count(op) for c in self.layers))

    @property
    def total_macs(self) -> Optional[int]:
        """Weight multiply-accumulates for the batch."""
        return self._total("mac")

    @property
    def total_bias_adds(self) -> Optional[int]:
        return self._total("bias")

    @property
    def total_pool_ops(self) -> Optional[int]:
        return self._total("pool")

    @property
    def total_elementwise_ops(self) -> Optional[int]:
        return self._total("elementwise")

    @property
    def total_mult_adds(self) -> Optional[int]:
        """torchinfo's "Total mult-adds": MACs plus one operation per bias addition."""
        return sum_known([self.total_macs, self.total_bias_adds])

    @property
    def input_bytes(self) -> Optional[int]:
        """torchinfo's "Input size": every input layer's batch of data."""
        return _times(self.batch_size, sum_known(
            c.output_bytes for c in self.layers if c.family == "input"))

    @property
    def forward_backward_bytes(self) -> Optional[int]:
        """torchinfo's "Forward/backward pass size": 2 x outputs of layers with parameters."""
        return _times(2 * self.batch_size, sum_known(
            c.output_bytes for c in self.layers if c.params))

    @property
    def activation_bytes(self) -> Optional[int]:
        """Every non-input layer's output for the batch, once (not a torchinfo figure)."""
        return _times(self.batch_size, sum_known(
            c.output_bytes for c in self.layers if c.family != "input"))

    @property
    def param_bytes(self) -> int:
        """torchinfo's "Params size": every parameter array once."""
        return self.report.total_params * self.itemsize

    @property
    def total_bytes(self) -> Optional[int]:
        """torchinfo's "Estimated Total Size": input + forward/backward + parameters."""
        return sum_known([self.input_bytes, self.forward_backward_bytes, self.param_bytes])

    TOTALS = ("total_macs", "total_bias_adds", "total_pool_ops", "total_elementwise_ops",
              "total_mult_adds", "input_bytes", "forward_backward_bytes",
              "activation_bytes", "param_bytes", "total_bytes")

    def totals(self) -> Dict[str, Optional[int]]:
        """{name: int or None} for every figure in ``TOTALS``."""
        return {name: getattr(self, name) for name in self.TOTALS}

    def costs_dict(self) -> Dict[str, Any]:
        """The ``costs`` section of :meth:`to_dict`: settings, every layer, the totals."""
        return {
            "batch_size": self.batch_size,
            "floatx": self.floatx,
            "bytes_per_element": self.itemsize,
            "per_layer": "per example",
            "layers": [c.to_dict() for c in self.layers],
            "totals": self.totals(),
        }

    def to_dict(self) -> Dict[str, Any]:
        """The Report's dict (unchanged) plus a ``costs`` section."""
        data = self.report.to_dict()
        data["costs"] = self.costs_dict()
        return data
