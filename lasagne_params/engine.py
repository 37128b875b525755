"""Walk a list of LayerSpecs, apply each layer's rule, collect a Report.

Pure Python: this is the whole derivation, from hyper-parameters to figures.
"""
from .errors import LasagneParamsError, SpecError
from .records import LayerRow, LayerSpec, Report
from .registry import rule_for
from .rules import Ctx

__all__ = ["derive_specs"]


def derive_specs(specs, source="derived"):
    """Derive every layer of ``specs`` (LayerSpecs in topological order).

    Each layer's ``incoming`` names must refer to layers listed before it.
    Returns a :class:`Report`; raises a :class:`LasagneParamsError` subclass
    naming the layer and field on invalid input.
    """
    shapes = {}
    rows = []
    for index, spec in enumerate(specs):
        if not isinstance(spec, LayerSpec):
            raise SpecError("expected a LayerSpec, got %r" % (spec,), layer=index)
        if spec.name in shapes:
            raise SpecError("duplicate layer name", layer=spec.name, kind=spec.kind,
                            field="name")
        rule = rule_for(spec.kind, layer=spec.name)
        inputs = []
        for name in spec.incoming:
            if name not in shapes:
                raise SpecError("no earlier layer called %r" % (name,), layer=spec.name,
                                kind=spec.kind, field="incoming")
            inputs.append(shapes[name])
        if not inputs and spec.kind != "InputLayer":
            raise SpecError("has no incoming layer", layer=spec.name, kind=spec.kind,
                            field="incoming")
        try:
            result = rule(Ctx(spec, inputs))
        except LasagneParamsError as exc:
            raise exc.located(layer=spec.name, kind=spec.kind) from None
        shapes[spec.name] = result.output_shape
        rows.append(LayerRow(
            index=index, name=spec.name, kind=spec.kind,
            output_shape=result.output_shape,
            params=sum(t.size for t in result.terms),
            trainable_params=sum(t.size for t in result.terms if t.trainable),
            shape_formula=result.shape_formula, param_formula=result.param_formula,
            incoming=tuple(spec.incoming), terms=tuple(result.terms)))
    return Report(tuple(rows), source=source)
