"""The derivation walk: LayerSpecs in topological order in, a Report out.

Pure Python: this is the whole derivation, from hyper-parameters to figures.
Each layer's kind (``registry.kind_of``) supplies the rule; the walk feeds
it the output shapes of the layers before it and checks that an array
shared between layers has one shape.
"""
import contextlib
from dataclasses import replace

from . import versions
from .errors import LasagneParamsError, LayerRuleError, SpecError
from .expressions import ExpressionError, expression_shape, is_opaque, parse_expression
from .guard import call_rule
from .layers.base import LayerContext
from .records import LayerRow, LayerSpec, Report
from .registry import is_input, kind_of
from .text import DIGIT_LIMIT_MESSAGE, full_shape_text, product_text

__all__ = ["derive_specs", "rule_errors", "MAX_NESTING"]

#: Sub-networks (a CustomRecurrentLayer's) nest at most this deep.
MAX_NESTING = 20


#: Where ``seen`` keeps, for an array a layer holds through an expression, the array
#: it is computed from and the expression's shape (a tie of a tie follows it).
_EXPRESSIONS = ("arrays held through an expression",)


def _check_shared(spec, arrays, seen, key_prefix=""):
    """A shared array must exist already and have the shape every holder needs;
    remember new arrays.  Returns the arrays; an array used through an
    expression is the array it is computed from (its key and shape), once the
    expression's shape is checked against the shape the layer needs."""
    checked = []
    computed = seen.setdefault(_EXPRESSIONS, {})
    for array in arrays:
        own = "%s%s.%s" % (key_prefix, spec.name, array.name)
        if array.expression and array.key in computed:
            array = _through_expression(spec, array, seen, computed, own)
        elif array.key not in seen and (array.expression or array.key != own):
            layer, _, name = array.key.rpartition(".")
            raise LayerRuleError("%s %r, but no earlier layer holds such an array "
                                 "(layer %r has no parameter %r)"
                                 % ("is computed from" if array.expression else "shares",
                                    array.key, layer, name),
                                 layer=spec.name, kind=spec.kind, field=array.name)
        elif array.expression:
            array = _through_expression(spec, array, seen, computed, own)
        else:
            shape, holder = seen.setdefault(array.key, (array.shape, spec.name))
            if shape != array.shape:
                raise LayerRuleError("shares %r of shape %r (from layer %r), but needs shape "
                                     "%r" % (array.key, shape, holder, array.shape),
                                     layer=spec.name, kind=spec.kind, field=array.name)
        checked.append(array)
    return tuple(checked)


def _through_expression(spec, array, seen, computed, own):
    """``array``, held through an expression of ``array.key`` (an array, or itself an
    expression of one): checked, and given the key and shape of the array it is
    computed from."""
    root, shape = computed.get(array.key, (array.key, None))
    if shape is None:
        shape = seen[root][0]
    where = dict(layer=spec.name, kind=spec.kind, field=array.name)
    if not is_opaque(array.expression):
        try:
            result = expression_shape(parse_expression(array.expression, array.key), shape)
        except ExpressionError as exc:
            raise LayerRuleError("expression: %s" % exc, **where) from None
        if len(result) != len(array.shape):
            raise LayerRuleError("%s is %dD (shape %r), but this layer needs a %dD array "
                                 "(Lasagne: parameter variable has %d dimensions, should be "
                                 "%d)" % (array.expression, len(result), result,
                                          len(array.shape), len(result), len(array.shape)),
                                 **where)
        if result != array.shape:
            raise LayerRuleError("%s has shape %r, but this layer needs %r (Lasagne builds "
                                 "it, and Theano fails when the network runs)"
                                 % (array.expression, result, array.shape), **where)
        computed[own] = (root, result)
    return replace(array, key=root, shape=seen[root][0])


@contextlib.contextmanager
def rule_errors(spec):
    """Errors of a layer's rule, located at the layer.

    A number too long for Python to write in a formula (``"%d"`` stops at
    4,300 digits) is refused as a LayerRuleError rather than a traceback.
    """
    try:
        yield
    except LasagneParamsError as exc:
        raise exc.located(layer=spec.name, kind=spec.kind) from None
    except ValueError as exc:
        if DIGIT_LIMIT_MESSAGE not in str(exc):
            raise
        raise LayerRuleError("a number in its derivation has more digits than Python "
                             "writes (%s)" % str(exc).split(";")[0],
                             layer=spec.name, kind=spec.kind) from None


def _row(index, spec, kind_name, result, arrays):
    """The row of a derived layer; ``arrays`` are its checked parameter arrays."""
    params = sum(array.size for array in arrays)
    trainable = sum(array.size for array in arrays if array.trainable)
    formula = result.param_formula
    if sum(array.size for array in result.param_arrays) != params:
        formula = " + ".join(product_text(array.shape) for array in arrays)
    expressions = ["%s = %s, an expression of %s (%s, counted once)"
                   % (array.name, array.expression, array.key, full_shape_text(array.shape))
                   for array in arrays if array.expression]
    note = "; ".join(filter(None, [spec.note, result.note] + expressions))
    return LayerRow(index, spec.name, kind_name, result.output_shape, params, trainable,
                    result.shape_formula, formula, tuple(spec.incoming),
                    arrays, note, lasagne_shape=result.lasagne_shape)


def _master_hint():
    """Both ways on: derive for master, or (where master is not installed) install it."""
    hint = ("derive for master with lasagne_version='master' (a spec file: "
            "\"lasagne\": \"master\"; the command line: --lasagne master)")
    if versions.installed() != versions.MASTER:
        hint += "; to check it against Lasagne, install master: " + versions.INSTALL_MASTER
    return hint


def check_version(spec, kind, version):
    """Refuse a class or keyword the target Lasagne version does not have."""
    if not versions.at_least(version, kind.since):
        raise LayerRuleError("%s is a class of Lasagne %s; Lasagne %s has none: %s"
                             % (kind.name, versions.version_label(kind.since),
                                versions.version_label(version), _master_hint()),
                             layer=spec.name, kind=spec.kind, field="kind")
    signature = kind.keywords
    if signature is None or not signature.added:
        return
    for name in spec.args:
        since = signature.since(name)
        if since is not None and not versions.at_least(version, since):
            raise LayerRuleError("a keyword of Lasagne %s; %s in Lasagne %s has no such "
                                 "keyword: %s" % (versions.version_label(since), kind.name,
                                                  versions.version_label(version),
                                                  _master_hint()),
                                 layer=spec.name, kind=spec.kind, field=name)


def _inputs(spec, index, shapes, source_allowed=False):
    """The output shapes of ``spec``'s incoming layers, checked (``source_allowed``: the
    layer may have none, whatever its kind)."""
    if not isinstance(spec, LayerSpec):
        raise SpecError("expected a LayerSpec, got %r" % (spec,), layer=index)
    if spec.name in shapes:
        raise SpecError("duplicate layer name", layer=spec.name, kind=spec.kind, field="name")
    inputs = []
    for name in spec.incoming:
        if name not in shapes:
            raise SpecError("no earlier layer called %r" % (name,), layer=spec.name,
                            kind=spec.kind, field="incoming")
        inputs.append(shapes[name])
    if not inputs and not source_allowed and not is_input(spec.kind):
        raise SpecError("has no incoming layer", layer=spec.name, kind=spec.kind,
                        field="incoming")
    return inputs


def _not_derived(row, index, exc, spec_note=""):
    """Lasagne's row for a layer no rule could derive, saying why (and what the spec
    notes: a CPU stand-in stays one)."""
    field = "%s: " % exc.field if exc.field and exc.field != "kind" else ""
    why = "not derived: %s%s" % (field, exc.message)
    return replace(row, index=index, derived=False,
                   note="; ".join(filter(None, (why, spec_note))))


def derive_specs(specs, source="derived", fallback=None, key_prefix="", _seen=None,
                 version=None, _depth=0, own_code=None):
    """Derive every layer of ``specs`` (LayerSpecs in topological order).

    Parameters
    ----------
    specs : list of LayerSpec
        Each layer's ``incoming`` names must refer to layers listed before it.
    source : str
        Stored in the Report.
    fallback : dict, optional
        ``{layer name: LayerRow}``, figures to use for a layer whose rule
        fails (no kind declared for its class, or a configuration the rule
        rejects): that row is taken over with ``derived=False`` and the
        reason in its note, and the layers after it are derived from its
        output shape.  Without it the failure is raised.
    key_prefix : str
        Prepended to the keys of the parameter arrays (sub-networks).
    version : str, optional
        The Lasagne version whose semantics apply (``"0.1"`` or ``"master"``);
        default: :func:`versions.target` (the installed Lasagne's, else master).
    own_code : dict, optional
        ``{layer name: rule}`` for layers of a built network whose class has
        no declared kind: ``rule(context) -> Result`` runs the class's own
        code (``backend/networks/class_code.py``); it is used in place of a
        kind's rule (failing, it raises UnsupportedLayerError, and
        ``fallback`` applies as for any rule).

    Returns
    -------
    Report

    Raises
    ------
    LasagneParamsError
        A subclass naming the layer and field, on invalid input.
    """
    seen = {} if _seen is None else _seen      # array key -> (shape, first holder)
    if _depth > MAX_NESTING:
        raise SpecError("sub-networks nested more than %d deep" % MAX_NESTING)
    version = versions.target(version)

    def subnet(sub_specs, prefix):
        return derive_specs(sub_specs, key_prefix=prefix, _seen=seen, version=version,
                            _depth=_depth + 1)

    shapes = {}
    rows = []
    for index, spec in enumerate(specs):
        code_rule = (own_code or {}).get(spec.name)
        inputs = _inputs(spec, index, shapes, source_allowed=code_rule is not None)
        try:
            if code_rule is not None:
                with rule_errors(spec):
                    result = code_rule(LayerContext(spec, inputs, key_prefix, subnet,
                                                    version))
                kind_name = spec.kind
            else:
                kind = kind_of(spec.kind, layer=spec.name)
                with rule_errors(spec):
                    check_version(spec, kind, version)
                    result = call_rule(kind, LayerContext(spec, inputs, key_prefix, subnet,
                                                          version, kind.defaults_for(version)))
                kind_name = kind.name
            arrays = _check_shared(spec, result.param_arrays, seen, key_prefix)
            row = _row(index, spec, kind_name, result, arrays)
        except LasagneParamsError as exc:
            if fallback is None or spec.name not in fallback:
                raise
            row = _not_derived(fallback[spec.name], index, exc, spec.note)
            for array in row.param_arrays:
                seen.setdefault(array.key, (array.shape, spec.name))
        shapes[spec.name] = row.output_shape
        rows.append(row)
    return Report.of(rows, source)
