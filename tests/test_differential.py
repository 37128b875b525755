"""Differential fuzzing: random valid networks built in Lasagne; derive() must equal Lasagne.

Chains and DAGs mixing every CPU layer class (tests/netgen.py).  On every
layer, every field (output shape, parameters, trainable parameters) and the
totals, the derivation must agree with Lasagne; the same network derived
from its LayerSpecs must agree with the one derived from Lasagne's graph;
every formula must evaluate to its figure, compute costs included.  A few
networks also run through a compiled Theano forward pass, whose arrays are
the final oracle for the output shapes.  ``benchmarks/fuzz_large.py`` runs the same checks longer.
"""
import pytest
from hypothesis import HealthCheck, given, settings

import netgen
from helpers import check_network, forward_shapes
from lasagne_params.core import versions
from lasagne_params.core.registry import KINDS

FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                     HealthCheck.data_too_large])


def test_generator_covers_every_cpu_class():
    """Every CPU class of Lasagne 0.1 (the master ones: tests/test_master_layers.py)."""
    assert netgen.KINDS == {name for name, kind in KINDS.items()
                            if not kind.gpu_only and kind.since == versions.RELEASE}


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
    expected = [tuple(batch if d is None else d for d in row.output_shape)
                for row in comparison.derived.layers]
    assert forward_shapes(outputs, batch) == expected


@pytest.mark.slow
@settings(FUZZ, max_examples=4, derandomize=True)
@given(netgen.networks(dag=True, max_layers=5, runtime=True))
def test_random_networks_against_theanos_arrays(lasagne, net):
    """The oracle beyond Lasagne's static shapes: the arrays Theano computes (4 networks,
    the same ones each run: compiling costs seconds each, and a Theano bug must not make
    CI flaky; benchmarks/fuzz_large.py draws many more)."""
    run_forward(*check_network(*net))
