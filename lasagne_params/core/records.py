"""Plain data: what a network is (LayerSpec) and what was found (LayerRow, Report).

Ints, tuples, strings and ``None`` only; nothing here imports Theano or
Lasagne, and nothing here formats numbers for display (see ``render/``).
"""
from dataclasses import dataclass, field
from typing import Any, Dict, Optional, Tuple

__all__ = ["LayerSpec", "ParamTerm", "LayerRow", "Report", "shape_size", "fast_record"]

Shape = Tuple[Optional[int], ...]


def fast_record(cls, fields):
    """An instance of the frozen dataclass ``cls`` from a dict of *all* its fields.

    The same object ``cls(**fields)`` makes (equal, same hash and repr),
    without the generated ``__init__``'s ``object.__setattr__`` per field:
    the derivation's hot path makes one LayerRow and a ParamTerm or two per
    layer, and this makes that several times cheaper.  Only for classes
    without ``__post_init__``.
    """
    record = object.__new__(cls)
    record.__dict__.update(fields)
    return record


def shape_size(shape):
    """Number of elements in ``shape`` (a Python int; 1 for ``()``)."""
    size = 1
    for dim in shape:
        size *= int(dim)
    return size


@dataclass(frozen=True)
class LayerSpec:
    """One layer of a network description.

    ``kind`` is the Lasagne class name (``"Conv2DLayer"``), ``incoming`` the
    names of the layers feeding it (empty for an InputLayer), ``args`` its
    keyword arguments as plain Python values, with Lasagne 0.1's defaults for
    anything left out.  ``b=None`` means "no bias", as in Lasagne.  A
    parameter shared with another layer is given as ``{"shared": "conv1.W"}``.
    """

    name: str
    kind: str
    incoming: Tuple[str, ...] = ()
    args: Dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ParamTerm:
    """One parameter array of a layer.

    ``key`` identifies the array: two layers sharing a weight matrix hold
    terms with the same key, and totals count each key once.
    """

    name: str
    shape: Tuple[int, ...]
    trainable: bool = True
    regularizable: bool = True
    key: str = ""

    @property
    def size(self):
        return shape_size(self.shape)


@dataclass(frozen=True)
class LayerRow:
    """One layer's figures: output shape, parameter counts, and why.

    ``params`` counts all of the layer's own parameters (every tag);
    ``trainable_params`` those tagged trainable.  ``shape_formula`` and
    ``param_formula`` are the derivations in the Stack Overflow answer's
    style (``(28-(5-1))=24 -> 32x24x24``, ``(5*5*1+1)*32``); they are empty
    where there is nothing to derive.  ``note`` tells the reader anything
    else worth knowing about the row; ``derived`` is False for a row whose
    figures were taken from Lasagne because no rule could derive it (see
    ``api.compare``).
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
    terms: Tuple[ParamTerm, ...] = ()
    note: str = ""
    derived: bool = True

    def to_dict(self):
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
            "param_arrays": [
                {"name": t.name, "shape": list(t.shape), "size": t.size,
                 "trainable": t.trainable, "regularizable": t.regularizable,
                 "key": t.key}
                for t in self.terms],
            "note": self.note,
            "derived": self.derived,
        }


def _unique_totals(rows):
    """(all parameters, trainable parameters), counting each array key once."""
    sizes, trainable = {}, {}
    for row in rows:
        for term in row.terms:
            key = term.key or "%s.%s" % (row.name, term.name)
            if key not in sizes:
                sizes[key] = term.size
            if term.trainable and key not in trainable:
                trainable[key] = term.size
    return sum(sizes.values()), sum(trainable.values())


@dataclass(frozen=True)
class Report:
    """Every layer's figures, in Lasagne's ``get_all_layers`` order.

    ``source`` says where the figures come from: ``"derived"`` (computed by
    lasagne_params from hyper-parameters) or ``"lasagne"`` (read from a built
    Lasagne network).  Totals count a shared parameter array once, as
    Lasagne's ``count_params`` does.
    """

    layers: Tuple[LayerRow, ...]
    source: str = "derived"
    total_params: int = -1
    trainable_params: int = -1

    def __post_init__(self):
        if self.total_params < 0 or self.trainable_params < 0:
            total, trainable = _unique_totals(self.layers)
            if self.total_params < 0:
                object.__setattr__(self, "total_params", total)
            if self.trainable_params < 0:
                object.__setattr__(self, "trainable_params", trainable)

    @property
    def shared(self):
        """{key: [layer names]} for every parameter array held by several layers."""
        holders = {}
        for row in self.layers:
            for term in row.terms:
                if term.key:
                    holders.setdefault(term.key, []).append(row.name)
        return {k: v for k, v in holders.items() if len(v) > 1}

    def layer(self, name):
        """The row of the layer called ``name`` (KeyError if none)."""
        for row in self.layers:
            if row.name == name:
                return row
        raise KeyError(name)

    def to_dict(self):
        return {
            "source": self.source,
            "total_params": self.total_params,
            "trainable_params": self.trainable_params,
            "layers": [row.to_dict() for row in self.layers],
            "shared": self.shared,
        }
