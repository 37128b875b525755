"""The special layers of Lasagne master: BiasLayer, ScaleLayer, ParametricRectifierLayer,
RandomizedRectifierLayer, ExpressionLayer, InverseLayer, TransformerLayer,
TPSTransformerLayer.

Bias, scale and PReLU arrays have one entry per position of the axes not in
``shared_axes`` (``'auto'``: all but the second, so one per channel).

ExpressionLayer's output shape is the user's, and the derivation says
exactly where it comes from:

==================  =====================================================
``output_shape``    derived output shape
==================  =====================================================
None (default)      the input shape: what Lasagne assumes (it never runs
                    the function), said in the row's note
a tuple             that tuple, as Lasagne takes it, said in the note
a callable          its result for the derived input shape: the callable
                    is plain Python on a shape tuple, so it is called (if
                    it fails, the row is not derived, with its error)
``'auto'``          not derived: Lasagne runs the function on a Theano
                    tensor to learn the shape, which a pure derivation
                    cannot do
==================  =====================================================
"""
import math

from .. import axis, versions
from ..cost_records import OpTerm
from ..text import axes_text, product_text, with_size
from .base import Cost, CostContext, LayerContext, LayerKind, Result, signature
from .basic import elementwise_cost, identity
from .normalization import axes_of, per_axis_shape

__all__ = ["KINDS", "bias", "scale", "prelu", "rrelu", "expression", "inverse",
           "transformer", "tps_transformer"]


def _shared_axes(context, allow_all):
    ndim = len(context.input_shape)
    auto = (0,) + tuple(range(2, ndim))
    if context.get("shared_axes", "auto") == "all":
        if not allow_all:
            raise context.error("'all' is not supported by this layer (Lasagne raises "
                                "TypeError); list the axes", "shared_axes")
        return tuple(range(ndim))
    return axes_of(context, "shared_axes", auto)


def _per_axis(context, name, allow_all=False, present=True):
    """A per-axis array ``name`` (trainable, not regularizable), or none."""
    axes = _shared_axes(context, allow_all)
    if not present:
        return Result(tuple(context.input_shape))
    shape = per_axis_shape(context, axes, "shared_axes")
    array = context.param_array(name, shape, regularizable=False)
    return Result(tuple(context.input_shape), "", (array,), product_text(shape))


def bias(context: LayerContext) -> Result:
    """BiasLayer: ``b`` with one entry per position of the axes not shared (``b=None``: none)."""
    return _per_axis(context, "b", present=context.has_param("b"))


def scale(context: LayerContext) -> Result:
    """ScaleLayer: ``scales`` with one entry per position of the axes not shared."""
    if not context.has_param("scales"):
        raise context.error("cannot be None (Lasagne has no ScaleLayer without scales)", "scales")
    return _per_axis(context, "scales")


def prelu(context: LayerContext) -> Result:
    """ParametricRectifierLayer: ``alpha`` per position of the axes not shared
    (``shared_axes='all'``: one number)."""
    return _per_axis(context, "alpha", allow_all=True)


def rrelu(context: LayerContext) -> Result:
    """RandomizedRectifierLayer: no arrays; ``lower`` must not exceed ``upper``."""
    _shared_axes(context, True)
    lower, upper = context.get("lower", 0.3), context.get("upper", 0.8)
    for name, value in (("lower", lower), ("upper", upper)):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise context.error("expected a number, got %r" % (value,), name)
    if lower > upper:
        raise context.error("%r exceeds upper %r" % (lower, upper), "lower")
    return identity(context)


def _shape_value(context, value, what):
    """A user's output shape: a tuple of positive ints and None."""
    if not isinstance(value, (list, tuple)) or not all(
            d is None or (axis.is_int(d) and d >= 1) for d in value):
        raise context.error("%s must give a shape (positive ints and None), got %r"
                            % (what, value), "output_shape")
    return tuple(None if d is None else int(d) for d in value)


def expression(context: LayerContext) -> Result:
    """ExpressionLayer: the output shape the user states (see the module's table)."""
    given = context.get("output_shape")
    if given is None:
        return Result(tuple(context.input_shape), note=(
            "output_shape=None: Lasagne takes the input shape without running the function; "
            "the runtime check shows whether the function keeps it"))
    if given == "auto":
        raise context.error("'auto' makes Lasagne run the function on a Theano tensor to learn "
                            "the shape, which a pure derivation cannot do; give the shape (a "
                            "tuple) or a function of the input shape", "output_shape")
    if callable(given):
        try:
            value = given(tuple(context.input_shape))
        except Exception as exc:        # a user's function may raise anything
            raise context.error("the output_shape function raised %s: %s"
                                % (type(exc).__name__, exc), "output_shape") from None
        return Result(_shape_value(context, value, "the output_shape function"), note=(
            "output shape from the layer's output_shape function, called on %r"
            % (tuple(context.input_shape),)))
    return Result(_shape_value(context, given, "output_shape"), note=(
        "output_shape given to the layer; Lasagne takes it without running the function"))


def read_expression(layer):
    """ExpressionLayer's output_shape when it was given as a function: the layer then
    holds it as its own ``get_output_shape_for`` (and has no ``_output_shape``)."""
    own = vars(layer).get("get_output_shape_for")
    return {"output_shape": own} if own is not None else {}


def inverse(context: LayerContext) -> Result:
    """InverseLayer: the input shape of the layer it inverts (its third incoming layer:
    Lasagne wires ``[incoming, layer, layer's input]``)."""
    if len(context.input_shapes) != 3:
        raise context.error("expects 3 incoming layers (the input, the layer inverted and that "
                            "layer's input), got %d" % len(context.input_shapes), "incoming")
    return Result(tuple(context.input_shapes[2]))


def _transformed(context, parameters):
    """(output shape, formula) of a transformer: rows and columns ``//downsample_factor``."""
    if len(context.input_shapes) != 2:
        raise context.error("expects 2 incoming layers (the input and the localization "
                            "network), got %d" % len(context.input_shapes), "incoming")
    loc = context.input_shapes[1]
    if len(loc) != 2 or loc[1] != parameters:
        raise context.error("the localization network must output (batch, %d), got %r"
                            % (parameters, loc), "localization_network")
    context.require_ndim(4, "(batch, channels, rows, columns)")
    factors = context.get("downsample_factor", 1)
    factors = tuple(factors) if isinstance(factors, (list, tuple)) else (factors, factors)
    if len(factors) != 2 or not all(isinstance(f, (int, float)) and not isinstance(f, bool)
                                    and f > 0 for f in factors):
        raise context.error("expected a positive number or two, got %r"
                            % (context.get("downsample_factor"),), "downsample_factor")
    batch, channels, rows, cols = context.input_shape
    out, texts = [batch, channels], []
    for length, factor in zip((rows, cols), factors):
        if length is None:
            out.append(None)
            continue
        value = int(length // factor)
        out.append(value)
        if factor != 1:
            texts.append("%d//%r=%d" % (length, factor, value))
        if value < 1:
            raise context.error("leaves %d positions of %d" % (value, length), "downsample_factor")
    out = tuple(out)
    return out, with_size(axes_text(texts), out)


def _one_row_note(out):
    if 1 in out[2:]:
        return ("one output row or column: Lasagne's sampling grid then divides by zero and "
                "the forward pass fails (IndexError); the static shape is Lasagne's")
    return ""


def transformer(context: LayerContext) -> Result:
    """TransformerLayer: an affine warp of the input (6 numbers per example from the
    localization network); rows and columns ``//downsample_factor``, no arrays."""
    out, formula = _transformed(context, 6)
    return Result(out, formula, note=_one_row_note(out))


def tps_transformer(context: LayerContext) -> Result:
    """TPSTransformerLayer: a thin-plate-spline warp with ``control_points`` points
    (a square number; 2 numbers each from the localization network)."""
    points = context.positive_int("control_points", 16)
    if math.isqrt(points) ** 2 != points:
        raise context.error("must be a square number, got %d" % points, "control_points")
    if points < 4:
        raise context.error("needs at least 4 (a 2x2 grid): with 1 point the spline's system "
                            "of equations is singular (Lasagne raises LinAlgError)",
                            "control_points")
    out, formula = _transformed(context, 2 * points)
    if context.get("precompute_grid", "auto") is True and None in out[2:]:
        raise context.error("needs known rows and columns, got %r" % (context.input_shape,),
                            "precompute_grid")
    return Result(out, formula)


def unknown_work(context: CostContext) -> Cost:
    """A user's function, or the work of the layer inverted: unknown; receptive field n/a."""
    return Cost((OpTerm("elementwise", None, ""),), None)


def transformer_cost(context: CostContext) -> Cost:
    """Transformers: 4 input reads per output element (bilinear sampling); n/a."""
    return Cost((context.per_element("elementwise", (4,)),), None)


def bias_cost(context: CostContext) -> Cost:
    """BiasLayer: one addition per element; the receptive field passes through."""
    return Cost(context.bias(), context.input_receptive_field)


_MASTER = versions.MASTER

KINDS = (
    LayerKind("BiasLayer", bias, bias_cost, "special",
              signature("incoming | b shared_axes name"), hyper_params=("shared_axes",),
              arrays=("b",), since=_MASTER),
    LayerKind("ScaleLayer", scale, elementwise_cost, "special",
              signature("incoming | scales shared_axes name"), hyper_params=("shared_axes",),
              arrays=("scales",), since=_MASTER),
    LayerKind("ParametricRectifierLayer", prelu, elementwise_cost, "special",
              signature("incoming | alpha shared_axes name"), hyper_params=("shared_axes",),
              arrays=("alpha",), since=_MASTER),
    LayerKind("RandomizedRectifierLayer", rrelu, elementwise_cost, "special",
              signature("incoming | lower upper shared_axes name"),
              hyper_params=("lower", "upper", "shared_axes"), since=_MASTER),
    LayerKind("ExpressionLayer", expression, unknown_work, "special",
              signature("incoming function | output_shape name"),
              hyper_params=("function", ("_output_shape", "output_shape")), since=_MASTER,
              reader=read_expression),
    LayerKind("InverseLayer", inverse, unknown_work, "special",
              signature("incoming layer | name"), since=_MASTER),
    LayerKind("TransformerLayer", transformer, transformer_cost, "special",
              signature("incoming localization_network | downsample_factor border_mode name"),
              hyper_params=("downsample_factor", "border_mode"), since=_MASTER),
    LayerKind("TPSTransformerLayer", tps_transformer, transformer_cost, "special",
              signature("incoming localization_network | downsample_factor control_points "
                        "precompute_grid border_mode name"),
              hyper_params=("downsample_factor", "control_points", "precompute_grid",
                            "border_mode"), since=_MASTER),
)
