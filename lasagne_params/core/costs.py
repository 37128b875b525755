"""The cost walk: every layer's compute cost, memory and receptive field, with formulas.

Each layer's kind supplies its cost rule (``LayerKind.cost``); this walk
feeds it the layer's spec, its inputs' shapes and receptive fields and its
derived row, and gathers a :class:`CostReport`.  A layer derived from its
class's own code (no kind) has its work unknown (``?``), as a kind declared
without a cost rule.  The conventions (per
example, what a MAC is, torchinfo's memory figures) are stated in
``cost_records.py``.  Pure Python.
"""
from . import axis
from .cost_records import FLOATX_BYTES, CostReport, LayerCost
from .derive import derive_specs, rule_errors
from .errors import ArgumentError
from .guard import call_cost
from .layers.base import CostContext
from .records import shape_size
from .registry import find_kind, is_input, kind_of, unknown_cost

__all__ = ["cost_report", "FLOATX_BYTES"]


def _batch_size(batch_size, report):
    if batch_size is None:
        declared = {r.output_shape[0] for r in report.layers if is_input(r.kind)}
        return declared.pop() if len(declared) == 1 and None not in declared else 1
    if not axis.is_int(batch_size) or batch_size < 1:
        raise ArgumentError("expected a positive int, got %r" % (batch_size,),
                            field="batch_size")
    return int(batch_size)


def _itemsize(floatx):
    try:
        return FLOATX_BYTES[floatx]
    except (KeyError, TypeError):
        raise ArgumentError("expected one of %s, got %r" % (", ".join(FLOATX_BYTES), floatx),
                            field="floatx") from None


def cost_report(specs, report=None, batch_size=None, floatx="float32"):
    """Cost every layer of ``specs`` (LayerSpecs in topological order).

    Parameters
    ----------
    specs : list of LayerSpec
    report : Report, optional
        ``derive_specs(specs)``, if already made.
    batch_size : int, optional
        Examples per batch for the totals; default the InputLayers' declared
        batch size if they declare one, else 1.
    floatx : {'float32', 'float64', 'float16'}
        Element type of activations and parameters (Theano's ``floatX``).

    Returns
    -------
    CostReport

    Examples
    --------
    >>> from lasagne_params import LayerSpec
    >>> costs = cost_report([LayerSpec("in", "InputLayer", (), {"shape": (None, 20)}),
    ...                      LayerSpec("out", "DenseLayer", ("in",), {"num_units": 50})])
    >>> costs.layer("out").macs, costs.layer("out").formula("mac")   # 20 inputs * 50 units
    (1000, '20*50')
    """
    itemsize = _itemsize(floatx)
    report = derive_specs(specs) if report is None else report
    batch = _batch_size(batch_size, report)
    shapes, seen, layers = {}, {}, []
    for spec, row in zip(specs, report.layers):
        context = CostContext(spec, [shapes[n] for n in spec.incoming], row,
                              [seen[n] for n in spec.incoming], cost_of=cost_report)
        with rule_errors(spec):
            if row.derived and find_kind(spec.kind) is None:   # derived from its class's code
                kind, cost = None, unknown_cost(context)
            else:
                kind = kind_of(spec.kind, layer=spec.name)
                cost = call_cost(kind, context)
        shapes[spec.name], seen[spec.name] = row.output_shape, cost.receptive_field
        dims = row.output_shape[1:]
        elements = None if any(d is None for d in dims) else shape_size(dims)
        layers.append(LayerCost(
            index=row.index, name=row.name, kind=row.kind,
            family=kind.family if kind is not None else "special",
            ops=tuple(cost.ops),
            output_elements=elements,
            output_bytes=None if elements is None else elements * itemsize,
            params=row.params, param_bytes=row.params * itemsize,
            receptive_field=cost.receptive_field))
    return CostReport(report, tuple(layers), batch, floatx, itemsize)
