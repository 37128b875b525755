"""The public entry points: derive, from_lasagne, compare, assert_matches.

``derive`` accepts a Lasagne output layer (or a list of them) or a list of
LayerSpecs; only the Lasagne path imports Lasagne, and only through
``lasagne_adapter``.
"""
from .compare import compare_reports
from .engine import derive_specs
from .errors import SpecError
from .records import LayerSpec

__all__ = ["derive", "from_lasagne", "compare", "assert_matches"]


def _specs_of(network):
    if isinstance(network, (list, tuple)) and network and all(
            isinstance(s, LayerSpec) for s in network):
        return list(network)
    if hasattr(network, "to_specs"):
        return network.to_specs()
    from . import lasagne_adapter
    if lasagne_adapter.is_lasagne_layer(network) or (
            isinstance(network, (list, tuple)) and network
            and all(lasagne_adapter.is_lasagne_layer(x) for x in network)):
        return lasagne_adapter.specs_from_lasagne(network)
    raise SpecError("expected a Lasagne layer or a list of LayerSpecs, got %s"
                    % type(network).__name__)


def derive(network):
    """Derive every layer's output shape and parameter counts from first principles.

    Parameters
    ----------
    network : lasagne Layer, list of Layers, or list of LayerSpec
        For a Lasagne network only the hyper-parameters are read; Lasagne's
        own shape inference and parameter arrays are never consulted.

    Returns
    -------
    Report

    Examples
    --------
    >>> from lasagne_params import LayerSpec, derive
    >>> report = derive([LayerSpec("in", "InputLayer", (), {"shape": (None, 20)}),
    ...                  LayerSpec("out", "DenseLayer", ("in",), {"num_units": 50})])
    >>> report.total_params          # 20 inputs * 50 units + 50 biases
    1050
    >>> report.layers[1].param_formula
    '(20+1)*50'
    """
    return derive_specs(_specs_of(network))


def from_lasagne(output_layer):
    """Lasagne's own figures for a built network, as a Report (source ``"lasagne"``)."""
    from .lasagne_adapter import report_from_lasagne
    return report_from_lasagne(output_layer)


def compare(output_layer):
    """Derive and read back a Lasagne network; return the Comparison.

    Never fails on a layer it cannot derive (a class without a rule, or a
    configuration the rule rejects although Lasagne built it): that row
    shows Lasagne's figures, marked "not derived" with the reason, and the
    layers after it are derived from Lasagne's output shape for it.
    """
    reported = from_lasagne(output_layer)
    derived = derive_specs(_specs_of(output_layer),
                           fallback={row.name: row for row in reported.layers})
    return compare_reports(derived, reported)


def assert_matches(output_layer):
    """Raise AssertionError listing each disagreement and each layer not derived."""
    result = compare(output_layer)
    if not result.ok:
        lines = ["  " + str(m) for m in result.mismatches]
        lines += ["  %s: %s" % (name, result.derived.layer(name).note)
                  for name in result.not_derived]
        raise AssertionError("derived figures differ from Lasagne's:\n" + "\n".join(lines))
    return result
