"""Plain data: what a network is (LayerSpec) and what was found (LayerRow, Report).

Every record of the package is a frozen dataclass with slots (this module's,
the cost records, the rules' Result, the comparison's): made with its
constructor, compared by value, never changed, one small object each.  They hold ints, tuples, strings and
``None`` only; they neither format themselves for display (``render/``
does) nor import Theano or Lasagne.
"""
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Optional, Tuple

from .errors import SpecError, UnknownLayerError, did_you_mean
from .printing import Printable

__all__ = ["LayerSpec", "ParamArray", "LayerRow", "Report", "shape_size", "Shape"]

Shape = Tuple[Optional[int], ...]


def shape_size(shape: Iterable[int]) -> int:
    """Number of elements in ``shape`` (a Python int; 1 for ``()``)."""
    size = 1
    for dim in shape:
        size *= int(dim)
    return size


@dataclass(frozen=True, slots=True)
class LayerSpec:
    """One layer of a network description.

    ``kind`` is the Lasagne class name (``"Conv2DLayer"``), ``incoming`` the
    names of the layers feeding it (empty for an InputLayer), ``args`` its
    keyword arguments as plain Python values, with Lasagne's defaults for
    anything left out.  ``b=None`` means "no bias", as in Lasagne.  A
    parameter shared with another layer is given as ``{"shared": "conv1.W"}``.
    ``note`` is anything the reader of this layer's row should know that
    its arguments do not say (e.g. that the layer read was a CPU stand-in
    for a GPU class); the derived row carries it.
    """

    name: str
    # None only until __post_init__ refuses it with a SpecError naming the field
    kind: str = None  # type: ignore[assignment]
    incoming: Tuple[str, ...] = ()
    args: Dict[str, Any] = field(default_factory=dict)
    note: str = ""

    def __post_init__(self) -> None:
        where = dict(layer=self.name if isinstance(self.name, str) else None)
        if not isinstance(self.name, str):
            raise SpecError("expected a layer name (str), got %r" % (self.name,), field="name")
        if not isinstance(self.kind, str):
            raise SpecError("expected a Lasagne class name such as 'DenseLayer', got %r"
                            % (self.kind,), field="kind", **where)
        if not isinstance(self.incoming, (tuple, list)) or not all(
                isinstance(name, str) for name in self.incoming):
            raise SpecError("expected the names of the incoming layers (a tuple of str), "
                            "got %r" % (self.incoming,), field="incoming", **where)
        if not isinstance(self.args, dict):
            raise SpecError("expected the layer's keywords (a dict), got %r" % (self.args,),
                            field="args", **where)


@dataclass(frozen=True, slots=True)
class ParamArray:
    """One parameter array of a layer: its name, shape and tags.

    ``key`` identifies the array: two layers sharing a weight matrix hold
    arrays with the same key, and totals count each key once.
    ``expression`` is set when the layer uses the array through a Theano
    expression (Lasagne master's ``W=enc.W.T``): its text, e.g.
    ``"enc.W.T"``; ``shape`` is then the array's own shape.
    """

    name: str
    shape: Tuple[int, ...]
    trainable: bool = True
    regularizable: bool = True
    key: str = ""
    expression: str = ""

    @property
    def size(self) -> int:
        return shape_size(self.shape)

    def to_dict(self) -> Dict[str, Any]:
        fields: Dict[str, Any] = {"name": self.name, "shape": list(self.shape), "size": self.size,
                  "trainable": self.trainable, "regularizable": self.regularizable,
                  "key": self.key}
        if self.expression:
            fields["expression"] = self.expression
        return fields


@dataclass(frozen=True, slots=True)
class LayerRow:
    """One layer's figures: output shape, parameter counts, and why.

    ``params`` counts all of the layer's own parameters (every tag);
    ``trainable_params`` those tagged trainable.  ``shape_formula`` and
    ``param_formula`` are the derivations in the Stack Overflow answer's
    style (``(28-(5-1))=24 -> 32x24x24``, ``(5*5*1+1)*32``); they are empty
    where there is nothing to derive.  ``note`` tells the reader anything
    else worth knowing about the row; ``derived`` is False for a row whose
    figures were taken from Lasagne because no rule could derive it (see
    ``api.compare``).  ``lasagne_shape`` is the static output shape Lasagne
    reports where it is known to be wrong (``output_shape`` is then the
    shape Theano computes, and the note says why); None otherwise.
    """

    index: int
    name: str
    kind: str
    output_shape: Shape
    params: int
    trainable_params: int
    shape_formula: str = ""
    param_formula: str = ""
    incoming: Tuple[str, ...] = ()
    param_arrays: Tuple[ParamArray, ...] = ()
    note: str = ""
    derived: bool = True
    lasagne_shape: Optional[Shape] = None

    def to_dict(self) -> Dict[str, Any]:
        return {
            "index": self.index,
            "name": self.name,
            "kind": self.kind,
            "incoming": list(self.incoming),
            "output_shape": list(self.output_shape),
            "params": self.params,
            "trainable_params": self.trainable_params,
            "shape_formula": self.shape_formula,
            "param_formula": self.param_formula,
            "param_arrays": [array.to_dict() for array in self.param_arrays],
            "note": self.note,
            "derived": self.derived,
            "lasagne_shape": None if self.lasagne_shape is None else list(self.lasagne_shape),
        }


def unique_totals(rows: Iterable["LayerRow"]) -> Tuple[int, int]:
    """(all parameters, trainable parameters), counting each array key once.

    An array counts as trainable when any of its holders tags it so (the
    union Lasagne's ``get_all_params(trainable=True)`` takes).
    """
    sizes: Dict[str, int] = {}
    trainable: Dict[str, int] = {}
    for row in rows:
        for array in row.param_arrays:
            key = array.key or "%s.%s" % (row.name, array.name)
            sizes.setdefault(key, array.size)
            if array.trainable:
                trainable.setdefault(key, array.size)
    return sum(sizes.values()), sum(trainable.values())


@dataclass(frozen=True, slots=True)
class Report(Printable):
    """Every layer's figures, in Lasagne's ``get_all_layers`` order.

    ``source`` says where the figures come from: ``"derived"`` (computed by
    lasagne_params from hyper-parameters) or ``"lasagne"`` (read from a built
    Lasagne network).  Totals count a shared parameter array once, as
    Lasagne's ``count_params`` does; :meth:`of` computes them.  ``print(report)``
    writes its table (``lasagne_params.render(report)``); its repr is one line.
    """

    layers: Tuple[LayerRow, ...]
    source: str
    total_params: int
    trainable_params: int

    def __repr__(self) -> str:
        return "Report(%d layers, total_params=%d, trainable_params=%d, source=%r)" % (
            len(self.layers), self.total_params, self.trainable_params, self.source)

    @classmethod
    def of(cls, layers: Iterable[LayerRow], source: str = "derived") -> "Report":
        """The Report of ``layers``, its totals computed from their arrays."""
        layers = tuple(layers)
        total, trainable = unique_totals(layers)
        return cls(layers, source, total, trainable)

    @property
    def shared(self) -> Dict[str, List[str]]:
        """{key: [layer names]} for every parameter array held by several layers."""
        holders: Dict[str, List[str]] = {}
        for row in self.layers:
            for array in row.param_arrays:
                if array.key:
                    holders.setdefault(array.key, []).append(row.name)
        return {k: v for k, v in holders.items() if len(v) > 1}

    def layer(self, name: str) -> LayerRow:
        """The row of the layer called ``name`` (:class:`UnknownLayerError`, also a
        KeyError, if none)."""
        for row in self.layers:
            if row.name == name:
                return row
        raise UnknownLayerError("no layer called %r%s" % (name, did_you_mean(
            name, [row.name for row in self.layers])), field="name")

    def to_dict(self) -> Dict[str, Any]:
        return {
            "source": self.source,
            "total_params": self.total_params,
            "trainable_params": self.trainable_params,
            "layers": [row.to_dict() for row in self.layers],
            "shared": self.shared,
        }
