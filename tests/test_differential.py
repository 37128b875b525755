"""Differential fuzzing: random valid networks built in Lasagne; derive() must equal Lasagne.

Chains and DAGs mixing every CPU layer class (tests/netgen.py).  On every
layer, every field (output shape, parameters, trainable parameters) and the
totals, the derivation must agree with Lasagne; the same network derived
from its LayerSpecs must agree with the one derived from Lasagne's graph;
every formula must evaluate to its figure, compute costs included.  A few
networks also run through a compiled Theano forward pass, whose arrays are
the final oracle for the output shapes.  ``benchmarks/fuzz_large.py`` runs the same checks longer.
"""
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

import netgen
from helpers import assert_formulas_evaluate
import lasagne_params as lp
from lasagne_params.backend.build import build_layers
from lasagne_params.core.registry import KINDS

FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                     HealthCheck.data_too_large])


def check_network(specs, sinks):
    """Build ``specs`` in Lasagne and assert the derivation agrees everywhere; the outputs."""
    layers = build_layers(specs)
    outputs = [layers[name] for name in sinks]
    comparison = lp.compare(outputs)
    assert comparison.ok, lp.render(comparison)
    assert_formulas_evaluate(comparison.derived)
    for layer in lp.derive_costs(specs).layers:      # every kind has a cost rule
        for op in layer.ops:
            assert op.count is None or eval(op.formula) == op.count, (layer.name, op)
    from_specs = {row.name: row for row in lp.derive(specs).layers}
    for row in comparison.derived.layers:
        mine = from_specs[row.name]
        assert (mine.output_shape, mine.params, mine.trainable_params, mine.param_formula,
                mine.shape_formula) == (row.output_shape, row.params, row.trainable_params,
                                        row.param_formula, row.shape_formula), row.name
    return outputs, comparison


def test_generator_covers_every_cpu_class():
    assert netgen.KINDS == {name for name, kind in KINDS.items() if not kind.gpu_only}


@settings(FUZZ, max_examples=150)
@given(netgen.networks(dag=False))
def test_random_chains_agree_with_lasagne(lasagne, net):
    check_network(*net)


@settings(FUZZ, max_examples=200)
@given(netgen.networks(dag=True, max_layers=12))
def test_random_dags_agree_with_lasagne(lasagne, net):
    check_network(*net)


def run_forward(outputs, comparison, batch=2):
    """Compile Lasagne's forward pass for every layer; compare array shapes with the derivation."""
    import theano
    from lasagne import layers as L
    all_layers = L.get_all_layers(outputs)
    inputs = [layer for layer in all_layers if isinstance(layer, L.InputLayer)]
    f = theano.function([layer.input_var for layer in inputs],
                        L.get_output(all_layers, deterministic=True),
                        on_unused_input="ignore")
    rng = np.random.RandomState(0)
    data = []
    for layer in inputs:
        shape = tuple(batch if d is None else d for d in layer.shape)
        if str(layer.input_var.dtype).startswith("int"):
            data.append(np.zeros(shape, dtype=layer.input_var.dtype))
        else:
            data.append(rng.rand(*shape).astype(theano.config.floatX))
    arrays = f(*data)
    expected = [tuple(batch if d is None else d for d in row.output_shape)
                for row in comparison.derived.layers]
    assert [a.shape for a in arrays] == expected


@pytest.mark.slow
@settings(FUZZ, max_examples=4, derandomize=True)
@given(netgen.networks(dag=True, max_layers=5, runtime=True))
def test_random_networks_against_theanos_arrays(lasagne, net):
    """The oracle beyond Lasagne's static shapes: the arrays Theano computes (4 networks,
    the same ones each run: compiling costs seconds each, and a Theano bug must not make
    CI flaky; benchmarks/fuzz_large.py draws many more)."""
    run_forward(*check_network(*net))
