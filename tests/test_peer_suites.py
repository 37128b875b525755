"""A representative part of Lasagne's own test suites, run under the bridges and stand-ins.

benchmarks/peer_suites.py runs the whole suites of Lasagne master, Lasagne 0.1
and nolearn 0.6.1 (docs/compatibility.md, *The peer suites*); this runs, in
minutes, the files that exercise what the bridges and stand-ins provide:
``test_objectives`` (``theano.gof.graph.is_same_graph``), ``test_regularization``
(the ``theano.scan_module`` substitution), the helper functions
(``theano.gof.graph.inputs`` on master), the cuda-convnet and cuDNN pooling
stand-ins, and the cuDNN batch normalization.  Lasagne master's tests come from
shared/vendor's tarball beside the repository, Lasagne 0.1's from its PyPI
sdist; each is skipped, saying why, where its source cannot be had.  Every
selected test must pass, be skipped by the suite itself, or fail for one of
the causes the runner declares (``peer_suites.KNOWN``: the environment's, such
as Python 3.11's mock reading a MergeLayer's properties): none unexplained.
"""
import os
import sys

import pytest

from helpers import ROOT

sys.path.insert(0, os.path.join(ROOT, "benchmarks"))
import peer_suites  # noqa: E402

pytestmark = pytest.mark.slow

POOL = "lasagne/tests/layers/test_pool.py::"
BOTH = ["lasagne/tests/test_objectives.py", "lasagne/tests/test_regularization.py",
        "lasagne/tests/layers/test_helper.py", POOL + "TestMaxPool2DCCLayer",
        POOL + "TestMaxPool2DNNLayer"]
PART = {"lasagne-master": BOTH + [POOL + "TestMaxPool3DNNLayer",
                                  "lasagne/tests/layers/test_normalization.py"],
        "lasagne-0.1": BOTH}


def run_part(suite):
    try:
        return peer_suites.run_suite(suite, select=PART[suite], timeout=1500)
    except peer_suites.Unavailable as exc:
        pytest.skip("environment: %s" % exc)


def check(result, at_least):
    known, unexplained = peer_suites.grouped(result)
    assert not unexplained, "\n".join("%s: %s" % item for item in unexplained.items())
    assert sum(len(tests) for tests in known.values()) <= 13 + 1    # test_helper's mocks
    assert len(result.outcomes) >= at_least
    return {o.test.rsplit(".", 1)[-1]: o.result for o in result.outcomes}


def test_lasagne_masters_own_tests_pass_under_the_bridges(lasagne):
    if not os.path.exists(peer_suites.MASTER_TARBALL):
        pytest.skip("environment: Lasagne master's source is not beside the repository (%s)"
                    % peer_suites.MASTER_TARBALL)
    outcomes = check(run_part("lasagne-master"), 150)
    assert outcomes["test_aggregate_weighted_normalized_sum"] == "passed"   # is_same_graph
    assert outcomes["test_dimshuffle_false"] == "passed"        # MaxPool2DCCLayer, numpy in
    assert outcomes["test_batch_norm_macro[True]"] == "passed"  # batch_norm_dnn, a Mock layer
    assert outcomes["test_regularize_layer_params_single_layer"] == "passed"


def test_lasagne_01s_own_tests_pass_under_the_bridges(lasagne):
    outcomes = check(run_part("lasagne-0.1"), 100)
    assert outcomes["test_aggregate_weighted_normalized_sum"] == "passed"
    assert outcomes["test_dimshuffle_false"] == "passed"
