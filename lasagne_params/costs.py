"""Compute cost, memory and receptive field of every layer: one cost rule per layer kind.

``COSTS`` is to cost what ``registry.RULES`` is to shape and parameters: the
one table mapping a Lasagne class name to its cost rule, and a kind is
costed exactly when it is listed (``tests/test_costs.py`` checks that every
kind in ``RULES`` has an entry here).  Adding a kind is one line: most kinds
reuse :func:`elementwise`, :func:`mixing` or the window rules.

A cost rule takes a :class:`CostCtx` (the layer's spec, its input shapes and
receptive fields, and its already derived :class:`LayerRow`) and returns a
:class:`Cost`: the work per example as :class:`OpTerm` s with their formulas,
and the layer's receptive field.  Pure Python; the conventions are in
``cost_records.py``.
"""
from typing import NamedTuple, Optional, Tuple

from . import axis, receptive
from .cost_records import CostReport, LayerCost, OpTerm
from .engine import derive_specs
from .errors import SpecError, lookup_kind
from .receptive import AxisField
from .records import shape_size
from .rules import Ctx

__all__ = ["FLOATX_BYTES", "Cost", "CostCtx", "COSTS", "cost_for", "cost_report",
           "input_layer", "conv", "pool", "dense", "elementwise", "activation", "mixing"]

# Bytes per element of each Theano floatX.
FLOATX_BYTES = {"float16": 2, "float32": 4, "float64": 8}

# Values of a ``nonlinearity`` argument that do no work.
LINEAR = (None, "linear", "identity")


class Cost(NamedTuple):
    """What a cost rule derives for one layer: work per example and receptive field."""

    ops: Tuple[OpTerm, ...] = ()
    field: Optional[Tuple[AxisField, ...]] = None


def _product(dims):
    """``(32*24*24)`` for several factors, ``256`` for one: a group in a product."""
    text = "*".join(str(d) for d in dims)
    return "(%s)" % text if len(dims) > 1 else text


class CostCtx(Ctx):
    """A layer being costed: its spec and inputs (as for rules) plus its derived row.

    ``input_fields`` holds the receptive field of each incoming layer
    (``None`` where it is "n/a").
    """

    def __init__(self, spec, input_shapes, row, input_fields):
        super().__init__(spec, input_shapes)
        self.row = row
        self.input_fields = input_fields

    @property
    def output_shape(self):
        return self.row.output_shape

    @property
    def input_field(self):
        """The incoming receptive field; ``None`` if none, or if the inputs' fields differ."""
        fields = set(self.input_fields)
        return fields.pop() if len(fields) == 1 else None

    def param(self, name):
        """This layer's parameter array called ``name``, or ``None``."""
        for term in self.row.terms:
            if term.name == name:
                return term
        return None

    def per_element(self, kind, factors=()):
        """``kind`` work: ``factors`` operations for each output element of one example."""
        dims = self.output_shape[1:]
        if any(d is None for d in dims):
            return OpTerm(kind, None, "")
        count = shape_size(dims) * shape_size(factors)
        if not factors:
            return OpTerm(kind, count, "*".join(str(d) for d in dims))
        return OpTerm(kind, count, "%s*%s" % (_product(dims), _product(factors)))

    def window(self, size_name, stride_defaults_to_size=False):
        """(size, stride, pad before) per spatial axis, read as the shape rules read them."""
        n = len(self.output_shape) - 2
        size = self.int_tuple(size_name, n)
        if stride_defaults_to_size and self.get("stride") is None:
            stride = size
        else:
            stride = self.int_tuple("stride", n, 1)
        pad = self.get("pad", 0)
        if isinstance(pad, str):
            before = tuple(axis.conv_pads(pad, k)[0] for k in size)
        else:
            before = self.int_tuple("pad", n, 0, allow_zero=True)
        return tuple(zip(size, stride, before))

    def slide(self, window):
        """The receptive field after sliding ``window`` over the incoming field."""
        field = self.input_field
        if field is None or len(field) != len(window):
            return None
        return tuple(receptive.grow(f, *w) for f, w in zip(field, window))


def input_layer(ctx: CostCtx) -> Cost:
    """InputLayer: no work; each position of each axis after (batch, channels) sees itself."""
    spatial = len(ctx.output_shape) - 2
    return Cost((), tuple(AxisField.origin() for _ in range(spatial)) if spatial > 0 else None)


def activation(ctx: CostCtx):
    """The nonlinearity Lasagne applies to each output element (default rectify)."""
    if ctx.get("nonlinearity", "rectify") in LINEAR:
        return ()
    return (ctx.per_element("elementwise"),)


def _bias(ctx: CostCtx):
    return (ctx.per_element("bias"),) if ctx.param("b") is not None else ()


def conv(ctx: CostCtx) -> Cost:
    """ConvNDLayer: filter volume MACs per output element, a bias add, a nonlinearity.

    MACs = output elements x filter volume = output positions x filters x filter volume;
    W has shape (filters, channels, *filter_size).
    """
    weights = ctx.param("W").shape
    volume = tuple(weights[2:]) + (weights[1],)          # as the param formula: 5*5*1
    ops = (ctx.per_element("mac", volume),) + _bias(ctx) + activation(ctx)
    return Cost(ops, ctx.slide(ctx.window("filter_size")))


def pool(ctx: CostCtx) -> Cost:
    """PoolNDLayer: one operation per window element (compare for max, add for sum/average)."""
    window = ctx.window("pool_size", stride_defaults_to_size=True)
    ops = (ctx.per_element("pool", tuple(w[0] for w in window)),)
    return Cost(ops, ctx.slide(window))


def dense(ctx: CostCtx) -> Cost:
    """DenseLayer: inputs x units MACs, one bias add and one nonlinearity per unit; field n/a."""
    inputs = ctx.input_shape[1:]
    units = ctx.output_shape[1]
    macs = OpTerm("mac", shape_size(inputs) * units, "%s*%d" % (_product(inputs), units))
    return Cost((macs,) + _bias(ctx) + activation(ctx), None)


def elementwise(ctx: CostCtx) -> Cost:
    """Dropout mask, noise: one operation per element; the receptive field passes through."""
    return Cost((ctx.per_element("elementwise"),), ctx.input_field)


def nonlinearity(ctx: CostCtx) -> Cost:
    """NonlinearityLayer: its nonlinearity on every element; the field passes through."""
    return Cost(activation(ctx), ctx.input_field)


def mixing(ctx: CostCtx) -> Cost:
    """Flatten, reshape: no work, but positions are mixed: receptive field n/a."""
    return Cost((), None)


COSTS = {
    "InputLayer": input_layer,
    "Conv2DLayer": conv,
    "Pool2DLayer": pool,
    "MaxPool2DLayer": pool,
    "DenseLayer": dense,
    "DropoutLayer": elementwise,
    "GaussianNoiseLayer": elementwise,
    "NonlinearityLayer": nonlinearity,
    "FlattenLayer": mixing,
    "ReshapeLayer": mixing,
}


def cost_for(kind, layer=None):
    """The cost rule for Lasagne class ``kind``; UnsupportedLayerError if none."""
    return lookup_kind(COSTS, kind, layer, what="cost rule")


def _batch_size(batch_size, report):
    if batch_size is None:
        declared = {r.output_shape[0] for r in report.layers if r.kind == "InputLayer"}
        return declared.pop() if len(declared) == 1 and None not in declared else 1
    if not axis.is_int(batch_size) or batch_size < 1:
        raise SpecError("expected a positive int, got %r" % (batch_size,), field="batch_size")
    return int(batch_size)


def _itemsize(floatx):
    try:
        return FLOATX_BYTES[floatx]
    except (KeyError, TypeError):
        raise SpecError("expected one of %s, got %r" % (", ".join(FLOATX_BYTES), floatx),
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
    shapes, fields, layers = {}, {}, []
    for spec, row in zip(specs, report.layers):
        ctx = CostCtx(spec, [shapes[n] for n in spec.incoming], row,
                      [fields[n] for n in spec.incoming])
        cost = cost_for(spec.kind, layer=spec.name)(ctx)
        shapes[spec.name], fields[spec.name] = row.output_shape, cost.field
        dims = row.output_shape[1:]
        elements = None if any(d is None for d in dims) else shape_size(dims)
        layers.append(LayerCost(
            index=row.index, name=row.name, kind=row.kind, ops=tuple(cost.ops),
            output_elements=elements,
            output_bytes=None if elements is None else elements * itemsize,
            params=row.params, param_bytes=row.params * itemsize,
            receptive_field=cost.field))
    return CostReport(report, tuple(layers), batch, floatx, itemsize)
