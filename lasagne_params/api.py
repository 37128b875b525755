"""The public entry points: derive, build, from_lasagne, compare, assert_matches.

A *network* is any of: a Lasagne output layer (or a list of them), a list
of LayerSpecs, a spec file's path, or an object with ``to_specs()`` (a
:class:`~lasagne_params.NeuralNet`).  ``derive`` imports Lasagne only for a
Lasagne layer, and only through ``lasagne_adapter``.
"""
import os

from .core.compare import compare_reports, in_order
from .core.derive import derive_specs
from .core.errors import SpecError
from .core.records import LayerSpec

__all__ = ["derive", "derive_costs", "build", "from_lasagne", "compare", "assert_matches"]


def _is_lasagne(network):
    from .backend.lasagne_adapter import is_lasagne_layer
    items = network if isinstance(network, (list, tuple)) else [network]
    return bool(items) and all(is_lasagne_layer(x) for x in items)


def _specs_of(network):
    if isinstance(network, (list, tuple)) and network and all(
            isinstance(s, LayerSpec) for s in network):
        return list(network)
    if isinstance(network, (str, os.PathLike)):
        from .describe.spec import load_spec
        return load_spec(network)
    if hasattr(network, "to_specs"):
        return network.to_specs()
    if _is_lasagne(network):
        from .backend import lasagne_adapter
        return lasagne_adapter.specs_from_lasagne(network)
    raise SpecError("expected a Lasagne layer, a NeuralNet, a spec file or a list of "
                    "LayerSpecs, got %s" % type(network).__name__)


def build(network):
    """Build a network description in Lasagne; return its output layer.

    Parameters
    ----------
    network : list of LayerSpec, spec file path, or NeuralNet
        Layer types are looked up in ``lasagne.layers``; ``"nonlinearity":
        "rectify"`` in ``lasagne.nonlinearities``; ``{"shared": "a.W"}``
        becomes layer a's own W.

    Returns
    -------
    lasagne Layer, or a list of them when several layers feed no other.
    """
    if hasattr(network, "initialize_layers"):
        outputs = network.initialize_layers()
    else:
        from .backend.lasagne_adapter import build_layers, output_layers
        specs = _specs_of(network)
        outputs = output_layers(specs, build_layers(specs))
    return outputs[0] if len(outputs) == 1 else outputs


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


def derive_costs(network, batch_size=None, floatx="float32"):
    """Derive every layer's compute cost, memory and receptive field, with formulas.

    Parameters
    ----------
    network : lasagne Layer, list of Layers, or list of LayerSpec
        As for :func:`derive`: hyper-parameters only.
    batch_size : int, optional
        Examples per batch for the totals (default: the declared batch size
        of the InputLayers, else 1).  Per-layer figures are per example.
    floatx : {'float32', 'float64', 'float16'}
        Element type for the byte counts (Theano's ``floatX``).

    Returns
    -------
    CostReport
        ``.report`` is the :class:`Report` that :func:`derive` returns.

    Examples
    --------
    >>> from lasagne_params import LayerSpec, derive_costs
    >>> costs = derive_costs([
    ...     LayerSpec("in", "InputLayer", (), {"shape": (None, 1, 28, 28)}),
    ...     LayerSpec("conv", "Conv2DLayer", ("in",), {"num_filters": 32, "filter_size": 5})])
    >>> conv = costs.layer("conv")
    >>> conv.formula("mac"), conv.macs      # 24*24 positions * 32 filters * 5*5*1 weights
    ('(32*24*24)*(5*5*1)', 460800)
    >>> conv.receptive_field[0].size
    5
    """
    from .core.costs import cost_report
    specs = _specs_of(network)
    return cost_report(specs, derive_specs(specs), batch_size=batch_size, floatx=floatx)


def from_lasagne(output_layer):
    """Lasagne's own figures for a built network, as a Report (source ``"lasagne"``)."""
    from .backend.lasagne_adapter import report_from_lasagne
    return report_from_lasagne(output_layer)


def compare(network):
    """Derive a network and put Lasagne's own figures beside it; return the Comparison.

    A Lasagne network is read as it is; any other description is first
    built with :func:`build` (its rows paired with Lasagne's by name).

    On a Lasagne network it never fails on a layer it cannot derive (a class
    without a rule, or a configuration the rule rejects although Lasagne
    built it): that row shows Lasagne's figures, marked "not derived" with
    the reason, and the layers after it are derived from Lasagne's output
    shape for it.
    """
    if _is_lasagne(network):
        reported = from_lasagne(network)
        derived = derive_specs(_specs_of(network),
                               fallback={row.name: row for row in reported.layers})
        return compare_reports(derived, reported)
    if not hasattr(network, "initialize_layers"):     # a NeuralNet builds itself
        network = _specs_of(network)                    # a spec file is read once
    derived = derive(network)
    reported = from_lasagne(build(network))
    return compare_reports(derived, in_order(reported, [r.name for r in derived.layers]))


def assert_matches(network):
    """Raise AssertionError listing each disagreement and each layer not derived."""
    result = compare(network)
    if not result.ok:
        lines = ["  " + str(m) for m in result.mismatches]
        lines += ["  %s: %s" % (name, result.derived.layer(name).note)
                  for name in result.not_derived]
        raise AssertionError("derived figures differ from Lasagne's:\n" + "\n".join(lines))
    return result
