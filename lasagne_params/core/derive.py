"""Walk a list of LayerSpecs, apply each layer's rule, collect a Report.

Pure Python: this is the whole derivation, from hyper-parameters to figures.
"""
import dataclasses
import gc

from .errors import LasagneParamsError, LayerRuleError, SpecError
from .records import LayerRow, LayerSpec, Report, fast_record
from .registry import rule_for
from .layers import Ctx

__all__ = ["derive_specs"]


def _check_shared(spec, terms, arrays):
    """A shared array must have the shape every holder needs; remember new arrays."""
    for term in terms:
        shape, holder = arrays.setdefault(term.key, (term.shape, spec.name))
        if shape != term.shape:
            raise LayerRuleError("shares %r of shape %r (from layer %r), but needs shape %r"
                                 % (term.key, shape, holder, term.shape),
                                 layer=spec.name, kind=spec.kind, field=term.name)


def _row(index, spec, result):
    params = trainable = 0
    for term in result.terms:
        size = term.size
        params += size
        if term.trainable:
            trainable += size
    return fast_record(LayerRow, {
        "index": index, "name": spec.name, "kind": spec.kind,
        "output_shape": result.output_shape, "params": params, "trainable_params": trainable,
        "shape_formula": result.shape_formula, "param_formula": result.param_formula,
        "incoming": tuple(spec.incoming), "terms": tuple(result.terms), "note": result.note,
        "derived": True})


def derive_specs(specs, source="derived", fallback=None, key_prefix="", _arrays=None):
    """Derive every layer of ``specs`` (LayerSpecs in topological order).

    Parameters
    ----------
    specs : list of LayerSpec
        Each layer's ``incoming`` names must refer to layers listed before it.
    source : str
        Stored in the Report.
    fallback : dict, optional
        ``{layer name: LayerRow}``, figures to use for a layer whose rule
        fails (no rule for its class, or a configuration the rule rejects):
        that row is taken over with ``derived=False`` and the reason in its
        note, and the layers after it are derived from its output shape.
        Without it the failure is raised.
    key_prefix : str
        Prepended to the keys of the parameter arrays (sub-networks).

    Returns
    -------
    Report

    Raises
    ------
    LasagneParamsError
        A subclass naming the layer and field, on invalid input.
    """
    if _arrays is None and gc.isenabled():
        # A derivation makes only acyclic records (a few per layer), so the
        # cyclic collector finds nothing in them; left on, its full
        # collections rescan every record made so far, which doubled the
        # time per layer of a 100,000-layer chain.  Paused, derive is linear.
        gc.disable()
        try:
            return derive_specs(specs, source, fallback, key_prefix, {})
        finally:
            gc.enable()
    arrays = {} if _arrays is None else _arrays     # array key -> (shape, first holder)

    def subnet(sub_specs, prefix):
        return derive_specs(sub_specs, key_prefix=prefix, _arrays=arrays)

    shapes = {}
    rows = []
    for index, spec in enumerate(specs):
        if not isinstance(spec, LayerSpec):
            raise SpecError("expected a LayerSpec, got %r" % (spec,), layer=index)
        if spec.name in shapes:
            raise SpecError("duplicate layer name", layer=spec.name, kind=spec.kind,
                            field="name")
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
            rule = rule_for(spec.kind, layer=spec.name)
            try:
                result = rule(Ctx(spec, inputs, key_prefix, subnet))
            except LasagneParamsError as exc:
                raise exc.located(layer=spec.name, kind=spec.kind) from None
            _check_shared(spec, result.terms, arrays)
            row = _row(index, spec, result)
        except LasagneParamsError as exc:
            if fallback is None or spec.name not in fallback:
                raise
            field = "%s: " % exc.field if exc.field and exc.field != "kind" else ""
            row = dataclasses.replace(fallback[spec.name], index=index, derived=False,
                                      note="not derived: %s%s" % (field, exc.message))
            for term in row.terms:
                arrays.setdefault(term.key, (term.shape, spec.name))
        shapes[spec.name] = row.output_shape
        rows.append(row)
    return Report(tuple(rows), source=source)
