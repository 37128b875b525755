"""Lasagne master (0.2.dev1) itself as the oracle: every class it adds, its helpers, its
module lists.

These tests run where master is installed (the CI lane that installs it; skipped
with a reason on Lasagne 0.1).  Random networks mixing master's classes and
keywords with the old ones are built in master: every layer's output shape,
parameter and trainable counts and the totals must equal master's, the same
network derived from its LayerSpecs must agree, a few run through a compiled
Theano forward pass.  ``benchmarks/fuzz_master.py`` runs thousands.
"""
import ast
import importlib.util
import os
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

import netgen
from helpers import check_network, forward_shapes, single_layer
from layer_cases import MASTER_CASES
import lasagne_params as lp
from lasagne_params.core import versions
from lasagne_params.core.registry import KINDS
from lasagne_params.core.runtime_check import compare_runtime
from lasagne_params.describe.helpers import batch_norm

FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                     HealthCheck.data_too_large])


def check(specs, sinks):
    """Build in master; the derivation (for master) must agree with master everywhere."""
    return check_network(specs, sinks, "master")


def test_generator_covers_every_master_cpu_class():
    """Every CPU class of master (TPSTransformerLayer through op_bridges.py)."""
    cpu = {name for name, kind in KINDS.items() if not kind.gpu_only}
    assert netgen.MASTER_KINDS == cpu


@settings(FUZZ, max_examples=150)
@given(netgen.networks(dag=False, master=True))
def test_random_master_chains_agree_with_master(lasagne_master, net):
    check(*net)


@settings(FUZZ, max_examples=200)
@given(netgen.networks(dag=True, max_layers=12, master=True))
def test_random_master_dags_agree_with_master(lasagne_master, net):
    check(*net)


@settings(FUZZ, max_examples=6, derandomize=True)
@given(netgen.networks(dag=True, max_layers=5, runtime=True, master=True))
def test_random_master_networks_against_theanos_arrays(lasagne_master, net):
    """The shapes Theano computes: the verdict is ``ok`` on every layer, or "Lasagne
    wrong" exactly where the derivation says Lasagne's static shape is (6 networks, the
    same each run; benchmarks/fuzz_master.py runs many)."""
    outputs, comparison = check(*net)
    runtime = compare_runtime(comparison.derived, comparison.reported, forward_shapes(outputs))
    known = {m.layer for m in comparison.lasagne_wrong}
    for row in runtime.rows:
        assert row.verdict == ("Lasagne wrong" if row.name in known else "ok"), row


def test_spatial_pyramid_lasagne_wrong_proved_at_runtime(lasagne_master):
    """7x7 input, pool_dims [4, 2, 1]: master's static shape says 4*4+2*2+1*1 = 21 cells.
    Its 'fast' pyramid pools with windows ceil(7/p) moved 7//p: p=4: window 2, stride 1,
    (7-2)//1+1 = 6 cells per axis; p=2: window 4, stride 3, (7-4)//3+1 = 2; p=1: 1;
    so 6*6+2*2+1*1 = 41, which Theano computes."""
    from lasagne import layers as L
    net = L.SpatialPyramidPoolingLayer(L.InputLayer((None, 3, 7, 7)), name="spp")
    comparison = lp.compare(net)
    assert comparison.ok
    assert [(m.layer, m.derived, m.reported) for m in comparison.lasagne_wrong] == [
        ("spp", (None, 3, 6 * 6 + 2 * 2 + 1 * 1), (None, 3, 4 * 4 + 2 * 2 + 1 * 1))]
    runtime = lp.verify_runtime(net, np.zeros((2, 3, 7, 7)))
    assert runtime.rows[-1].runtime == (2, 3, 41)
    assert runtime.rows[-1].verdict == "Lasagne wrong"


def test_spatial_pyramid_smaller_than_a_pool_dim_crashes_theano(lasagne_master, tmp_path):
    """Why the derivation refuses a 3x3 input with pool dim 4: Theano's forward pass
    divides by zero and the process dies (SIGFPE); run in a subprocess."""
    with pytest.raises(lp.LayerRuleError, match="SIGFPE"):
        lp.derive([lp.LayerSpec("in", "InputLayer", (), {"shape": (None, 1, 3, 3)}),
                   lp.LayerSpec("spp", "SpatialPyramidPoolingLayer", ("in",), {})], "master")
    script = tmp_path / "crash.py"
    script.write_text(
        "import numpy as np, lasagne_params\nlasagne_params.install_compat()\n"
        "import theano\nfrom lasagne import layers as L\n"
        "net = L.SpatialPyramidPoolingLayer(L.InputLayer((None, 1, 3, 3)))\n"
        "f = theano.function([net.input_layer.input_var], L.get_output(net))\n"
        "f(np.zeros((1, 1, 3, 3), dtype=theano.config.floatX))\n")
    run = subprocess.run([sys.executable, str(script)], capture_output=True, timeout=600)
    assert run.returncode != 0



# InverseLayer inverts a layer with an input of its own: the random DAGs build it.
BUILDABLE = [c for c in MASTER_CASES if c[0] != "InverseLayer"]


@pytest.mark.parametrize("kind, args, inputs, shape, params, trainable", BUILDABLE,
                         ids=["%s-%d" % (c[0], i) for i, c in enumerate(BUILDABLE)])
def test_hand_computed_master_values_are_masters(lasagne_master, kind, args, inputs, shape,
                                                 params, trainable):
    """tests/layer_cases.py's MASTER_CASES built in master: its own output shape and
    count_params are the hand-computed figures, and the comparison agrees."""
    from lasagne_params.backend.networks.build import build_layers
    net = next(reversed(build_layers(single_layer(kind, args, inputs)).values()))
    assert tuple(net.output_shape) == shape
    count = lasagne_master.layers.count_params          # the inputs hold no arrays
    assert count(net) == params
    assert count(net, trainable=True) == (params if trainable is None else trainable)
    comparison = lp.compare(net)
    assert comparison.ok, lp.render(comparison)


def test_tps_transformer_with_one_control_point_is_refused_like_master(lasagne_master):
    """One control point: master's spline system is singular (numpy's LinAlgError); the
    rule refuses it, naming control_points."""
    from lasagne import layers as L
    loc = L.DenseLayer(L.InputLayer((None, 4)), 2 * 1)
    with pytest.raises(np.linalg.LinAlgError):
        L.TPSTransformerLayer(L.InputLayer((None, 3, 8, 8)), loc, control_points=1)
    with pytest.raises(lp.LayerRuleError, match="singular") as info:
        lp.derive([lp.LayerSpec("in", "InputLayer", (), {"shape": (None, 3, 8, 8)}),
                   lp.LayerSpec("x", "InputLayer", (), {"shape": (None, 4)}),
                   lp.LayerSpec("loc", "DenseLayer", ("x",), {"num_units": 2}),
                   lp.LayerSpec("tps", "TPSTransformerLayer", ("in", "loc"),
                                {"control_points": 1})], "master")
    assert info.value.field == "control_points"


def _built_with_helper(lasagne, helper_kwargs):
    from lasagne import layers as L
    net = L.InputLayer((None, 3, 8, 8), name="in")
    net = L.batch_norm(L.Conv2DLayer(net, 6, 3, name="conv"), **helper_kwargs)
    return L.batch_norm(L.DenseLayer(net, 5, nonlinearity=lasagne.nonlinearities.softmax,
                                     name="fc"))


@pytest.mark.parametrize("options", [True, {"epsilon": 0.001, "name": "norm"}])
def test_batch_norm_spec_matches_masters_helper(lasagne_master, options):
    """A spec file's "batch_norm" gives the layers, names and figures master's
    batch_norm() builds (conv: (3*3*3)*6 weights, no bias; 4*6 batch-norm values)."""
    kwargs = {} if options is True else dict(options)
    built = _built_with_helper(lasagne_master, kwargs)
    spec = lp.describe.spec.parse_spec({"lasagne": "master", "layers": [
        {"name": "in", "kind": "InputLayer", "shape": [None, 3, 8, 8]},
        {"name": "conv", "kind": "Conv2DLayer", "num_filters": 6, "filter_size": 3,
         "batch_norm": options},
        {"name": "fc", "kind": "DenseLayer", "num_units": 5, "nonlinearity": "softmax",
         "batch_norm": True}]})
    derived = lp.derive(spec, "master")
    reported = lp.from_lasagne(built)
    assert [(r.name, r.kind) for r in derived.layers] == [
        (r.name, r.kind) for r in reported.layers]
    assert [(r.output_shape, r.params, r.trainable_params) for r in derived.layers] == [
        (r.output_shape, r.params, r.trainable_params) for r in reported.layers]
    assert derived.total_params == (3 * 3 * 3) * 6 + 4 * 6 + (6 * 6 * 6) * 5 + 4 * 5
    assert derived.trainable_params == (3 * 3 * 3) * 6 + 2 * 6 + (6 * 6 * 6) * 5 + 2 * 5
    assert lp.compare(built).ok


def test_batch_norm_helper_function_on_specs(lasagne_master):
    """describe.helpers.batch_norm builds the same network as master's helper."""
    from lasagne_params.core.records import LayerSpec
    specs = [LayerSpec("in", "InputLayer", (), {"shape": (None, 3, 8, 8)})]
    specs += batch_norm(LayerSpec("conv", "Conv2DLayer", ("in",),
                                  {"num_filters": 6, "filter_size": 3}))
    assert lp.compare(specs).ok


def _exported_classes(module):
    """The layer classes a master module exports, read from its source (not imported)."""
    spec = importlib.util.find_spec("lasagne")
    path = os.path.join(os.path.dirname(spec.origin), "layers", module + ".py")
    with open(path, encoding="utf-8") as fh:
        tree = ast.parse(fh.read())
    names = next(ast.literal_eval(node.value) for node in tree.body
                 if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "__all__")
    classes = {node.name for node in tree.body if isinstance(node, ast.ClassDef)}
    aliases = {node.targets[0].id for node in tree.body if isinstance(node, ast.Assign)
               and isinstance(node.value, ast.Name) and node.value.id in classes}
    return {n for n in names if n in classes}, {n for n in names if n in aliases}


def test_every_master_layer_class_has_a_kind(lasagne_master):
    """The declared kinds are exactly master's layer classes: the 50 lasagne.layers
    exports (importable) and the 14 of dnn, corrmm, cuda_convnet (read from source);
    the aliases (Deconv2DLayer, ...) name declared kinds."""
    import inspect
    exported = {name: obj for name, obj in vars(lasagne_master.layers).items()
                if inspect.isclass(obj) and issubclass(obj, lasagne_master.layers.Layer)}
    cpu = {name for name, obj in exported.items() if obj.__name__ == name} - {
        "Layer", "MergeLayer"}
    aliases = {name: obj.__name__ for name, obj in exported.items() if obj.__name__ != name}
    gpu, gpu_aliases = set(), set()
    for module in ("dnn", "corrmm", "cuda_convnet"):
        classes, names = _exported_classes(module)
        gpu |= classes
        gpu_aliases |= names
    assert len(cpu) == 50 and len(gpu) == 14
    assert gpu == {name for name, kind in KINDS.items() if kind.gpu_only}
    assert set(KINDS) == cpu | gpu
    assert all(lp.core.registry.kind_of(alias).name == target
               for alias, target in aliases.items() if alias.endswith("Layer"))
    assert gpu_aliases == {alias for kind in KINDS.values() if kind.gpu_only
                           for alias in kind.aliases}          # bc01_to_c01b, c01b_to_bc01
    assert {k.name for k in KINDS.values() if k.since == versions.MASTER} == (cpu | gpu) - {
        name for name, kind in KINDS.items() if kind.since == versions.RELEASE}


def test_gru_learn_init_default_follows_the_version(lasagne_master):
    """GRULayer's learn_init: True in 0.1, False in master: 3*(4+3+1)*3 + 3 values, the
    hid_init's 3 trainable only in 0.1."""
    from lasagne import layers as L
    gru = L.GRULayer(L.InputLayer((None, 5, 4)), 3)
    comparison = lp.compare(gru)
    assert comparison.ok
    row = comparison.derived.layers[-1]
    assert (row.params, row.trainable_params) == (3 * (4 + 3 + 1) * 3 + 3, 3 * (4 + 3 + 1) * 3)
    old = lp.derive([lp.LayerSpec("in", "InputLayer", (), {"shape": (None, 5, 4)}),
                     lp.LayerSpec("gru", "GRULayer", ("in",), {"num_units": 3})], "0.1")
    assert old.layers[-1].trainable_params == 3 * (4 + 3 + 1) * 3 + 3
