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
from dataclasses import replace
from typing import NamedTuple, Optional, Tuple

from . import axis, receptive
from .cost_records import FLOATX_BYTES, CostReport, LayerCost, OpTerm
from .derive import derive_specs
from .errors import SpecError, lookup_kind
from .receptive import AxisField
from .records import shape_size
from .layers import Ctx

__all__ = ["FLOATX_BYTES", "Cost", "CostCtx", "COSTS", "cost_for", "cost_report",
           "input_layer", "conv", "pool", "dense", "elementwise", "activation", "mixing"]

# Bytes per element of each Theano floatX.
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

    def per_element(self, kind, factors=(), dims=None):
        """``kind`` work: ``factors`` operations for each output element of one example.

        ``dims`` are the output's per-example axes (default: all but the
        first, the batch; a c01b layer passes all but the last).
        """
        dims = self.output_shape[1:] if dims is None else dims
        if any(d is None for d in tuple(dims) + tuple(factors)):
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


def channel_wise(ctx: CostCtx) -> Cost:
    """Concatenation: no work; the field passes when channels (axis 1) are joined."""
    return Cost((), ctx.input_field if ctx.get("axis", 1) == 1 else None)


def nin(ctx: CostCtx) -> Cost:
    """NINLayer: a 1x1 convolution: c MACs per output element, bias, nonlinearity."""
    channels = ctx.param("W").shape[0]
    ops = (ctx.per_element("mac", (channels,)),) + _bias(ctx) + activation(ctx)
    return Cost(ops, ctx.input_field)


def _c01b(ctx: CostCtx):
    """The per-example output axes of a layer with the batch last (c01b), else None."""
    if ctx.spec.kind == "NINLayer_c01b" or not ctx.get("dimshuffle", True):
        return ctx.output_shape[:-1]
    return None


def gpu_conv(ctx: CostCtx) -> Cost:
    """Conv2DMMLayer, Conv2DDNNLayer, Conv2DCCLayer: :func:`conv`, with the GPU layers'
    ``'same'`` (``(f-1)//2`` on both sides); in c01b order (cuda-convnet without
    ``dimshuffle``) W is (c, rows, columns, k) and the receptive field is n/a."""
    dims = _c01b(ctx)
    if dims is not None:
        weights = ctx.param("W").shape
        ops = (ctx.per_element("mac", tuple(weights[1:3]) + (weights[0],), dims),)
        ops += (ctx.per_element("bias", (), dims),) if ctx.param("b") else ()
        return Cost(ops + _activation_on(ctx, dims), None)
    if ctx.get("pad") == "same":
        size = ctx.int_tuple("filter_size", 2)
        spec = replace(ctx.spec, args=dict(ctx.spec.args, pad=tuple((f - 1) // 2
                                                                  for f in size)))
        ctx = CostCtx(spec, ctx.input_shapes, ctx.row, ctx.input_fields)
    return conv(ctx)


def _activation_on(ctx, dims):
    if ctx.get("nonlinearity", "rectify") in LINEAR:
        return ()
    return (ctx.per_element("elementwise", (), dims),)


def gpu_pool(ctx: CostCtx) -> Cost:
    """MaxPool2DCCLayer, Pool2DDNNLayer, MaxPool2DDNNLayer: :func:`pool`; c01b: field n/a."""
    dims = _c01b(ctx) if ctx.spec.kind == "MaxPool2DCCLayer" else None
    if dims is None:
        return pool(ctx)
    return Cost((ctx.per_element("pool", ctx.int_tuple("pool_size", 2), dims),), None)


def nin_c01b(ctx: CostCtx) -> Cost:
    """NINLayer_c01b: c MACs per output element (batch last); field n/a."""
    dims = _c01b(ctx)
    ops = (ctx.per_element("mac", (ctx.param("W").shape[1],), dims),)
    ops += (ctx.per_element("bias", (), dims),) if ctx.param("b") else ()
    return Cost(ops + _activation_on(ctx, dims), None)


def feature_pool(ctx: CostCtx) -> Cost:
    """FeaturePoolLayer: ``pool_size`` reads per output element; field kept across channels."""
    ops = (ctx.per_element("pool", (ctx.get("pool_size"),)),)
    return Cost(ops, ctx.input_field if ctx.get("axis", 1) == 1 else None)


def feature_wta(ctx: CostCtx) -> Cost:
    """FeatureWTALayer: one comparison-and-mask per element; field kept across channels."""
    return Cost((ctx.per_element("elementwise"),),
                ctx.input_field if ctx.get("axis", 1) == 1 else None)


def global_pool(ctx: CostCtx) -> Cost:
    """GlobalPoolLayer: every input position is read once per channel; field n/a."""
    return Cost((ctx.per_element("pool", tuple(ctx.input_shape[2:])),), None)


def local_response_norm(ctx: CostCtx) -> Cost:
    """LocalResponseNormalization2DLayer: ``n`` squared neighbours summed per element."""
    return Cost((ctx.per_element("elementwise", (ctx.get("n", 5),)),), ctx.input_field)


def merge(ctx: CostCtx) -> Cost:
    """ElemwiseSumLayer/ElemwiseMergeLayer: one operation per element per extra input,
    plus one per coefficient other than 1; the field passes if the inputs' agree."""
    coeffs = ctx.get("coeffs", 1)
    coeffs = coeffs if isinstance(coeffs, (list, tuple)) else [coeffs] * len(ctx.input_shapes)
    per = len(ctx.input_shapes) - 1 + sum(1 for c in coeffs if c != 1)
    return Cost((ctx.per_element("elementwise", (per,)),) if per else (), ctx.input_field)


def _steps(ctx, per_step, formula):
    """``per_step`` work repeated over the sequence (axis 1 of the input): one OpTerm."""
    steps = ctx.input_shape[1]
    if steps is None or per_step is None:
        return None, ""
    return steps * per_step, "%d*%s" % (steps, formula)


def _recurrent(ctx, gates, weights_per_gate, extra_macs=0, nonlinearities=1):
    """Ops of a gated recurrent layer: per step, each gate's W_in and W_hid MACs, its
    bias, and ``nonlinearities`` applications per unit."""
    units = ctx.get("num_units")
    n, n_text = weights_per_gate
    per_step = gates * (n + units) * units + extra_macs * units
    text = "(%d*(%s+%d)*%d%s)" % (gates, n_text, units, units,
                                  "+%d*%d" % (extra_macs, units) if extra_macs else "")
    macs = OpTerm("mac", *_steps(ctx, per_step, text))
    biases = gates if ctx.spec.kind != "RecurrentLayer" or ctx.has_param("b") else 0
    ops = [macs]
    if biases:
        ops.append(OpTerm("bias", *_steps(ctx, biases * units, "(%d*%d)" % (biases, units))))
    ops.append(OpTerm("elementwise", *_steps(ctx, nonlinearities * units,
                                            "(%d*%d)" % (nonlinearities, units))))
    return Cost(tuple(ops), None)


def _features(ctx):
    dims = ctx.input_shape[2:]
    if any(d is None for d in dims):
        return None, ""
    return shape_size(dims), "*".join(str(d) for d in dims) or "1"


def recurrent(ctx: CostCtx) -> Cost:
    """RecurrentLayer: per step n*u + u*u MACs, u bias adds, u nonlinearities; field n/a."""
    return _recurrent(ctx, 1, _features(ctx))


def lstm(ctx: CostCtx) -> Cost:
    """LSTMLayer: per step 4 gates' (n+u)*u MACs (+3*u peepholes), 4*u bias adds, 5*u
    nonlinearities (three sigmoid gates, the cell input, the cell's tanh); field n/a."""
    peepholes = 3 if ctx.get("peepholes", True) else 0
    return _recurrent(ctx, 4, _features(ctx), peepholes, nonlinearities=5)


def gru(ctx: CostCtx) -> Cost:
    """GRULayer: per step 3 gates' (n+u)*u MACs, 3*u bias adds, 3*u nonlinearities."""
    return _recurrent(ctx, 3, _features(ctx), nonlinearities=3)


def custom_recurrent(ctx: CostCtx) -> Cost:
    """CustomRecurrentLayer: its two sub-networks' work (per row) at every step, plus the
    nonlinearity per hidden unit; field n/a."""
    ops = []
    layers = [layer for field in ("input_to_hidden", "hidden_to_hidden")
              for layer in cost_report(list(ctx.get(field))).layers]
    for kind in ("mac", "bias", "pool", "elementwise"):
        counts = [layer.count(kind) for layer in layers]
        if not any(counts):
            continue
        total = None if None in counts else sum(counts)
        ops.append(OpTerm(kind, *_steps(ctx, total, "(%s)" % total if total else "")))
    units = ctx.output_shape[2:]
    if ctx.get("nonlinearity", "rectify") not in LINEAR and None not in units:
        ops.append(OpTerm("elementwise", *_steps(ctx, shape_size(units),
                                                "(%s)" % "*".join(map(str, units)))))
    return Cost(tuple(ops), None)


COSTS = {
    "InputLayer": input_layer,
    "Conv1DLayer": conv,
    "Conv2DLayer": conv,
    "NINLayer": nin,
    "MaxPool1DLayer": pool,
    "Pool2DLayer": pool,
    "MaxPool2DLayer": pool,
    "FeaturePoolLayer": feature_pool,
    "FeatureWTALayer": feature_wta,
    "GlobalPoolLayer": global_pool,
    "DenseLayer": dense,
    "EmbeddingLayer": mixing,
    "DropoutLayer": elementwise,
    "GaussianNoiseLayer": elementwise,
    "NonlinearityLayer": nonlinearity,
    "LocalResponseNormalization2DLayer": local_response_norm,
    "FlattenLayer": mixing,
    "ReshapeLayer": mixing,
    "DimshuffleLayer": mixing,
    "PadLayer": mixing,
    "SliceLayer": mixing,
    "ConcatLayer": channel_wise,
    "ElemwiseSumLayer": merge,
    "ElemwiseMergeLayer": merge,
    "RecurrentLayer": recurrent,
    "LSTMLayer": lstm,
    "GRULayer": gru,
    "CustomRecurrentLayer": custom_recurrent,
    "Conv2DMMLayer": gpu_conv,
    "Conv2DDNNLayer": gpu_conv,
    "Conv2DCCLayer": gpu_conv,
    "Pool2DDNNLayer": gpu_pool,
    "MaxPool2DDNNLayer": gpu_pool,
    "MaxPool2DCCLayer": gpu_pool,
    "NINLayer_c01b": nin_c01b,
    "ShuffleBC01ToC01BLayer": mixing,
    "ShuffleC01BToBC01Layer": mixing,
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
