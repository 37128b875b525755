"""The two bridges for Lasagne master's TPSTransformerLayer (backend/bridges/ops.py).

``np.linspace`` with a whole-number float count in ``lasagne.layers.special`` only, and
``BatchedDot`` run by its Python ``perform`` while no BLAS library is linked.  Master's
TPSTransformerLayer then builds, agrees with the derivation and runs a forward pass.
"""
import numpy as np
import pytest

import lasagne_params as lp
from lasagne_params.backend.bridges import ops as op_bridges
from lasagne_params.backend.bridges.compat import install_compat


def test_integral_count_numpy_takes_whole_number_floats_only():
    bridged = op_bridges.IntegralCountNumpy(np)
    assert bridged.linspace(-1, 1, np.sqrt(16.0)).tolist() == np.linspace(-1, 1, 4).tolist()
    assert bridged.linspace(0, 1, 3.0, endpoint=False).tolist() == [0, 1 / 3, 2 / 3]
    with pytest.raises(TypeError):
        bridged.linspace(-1, 1, 2.5)          # a fractional count: numpy's own error
    assert bridged.float32 is np.float32 and bridged.vstack is np.vstack


def test_numpy_itself_still_refuses_a_float_count(lasagne):
    """The bridge is one module's view of numpy, never numpy's behaviour."""
    assert op_bridges.numpy_refuses_float_count()
    with pytest.raises(TypeError):
        np.linspace(-1, 1, np.sqrt(16.0))


def test_second_install_lists_both_bridges_as_present(lasagne):
    report = install_compat()
    assert op_bridges.LINSPACE_BRIDGE in report.present
    assert op_bridges.BATCHED_DOT_BRIDGE in report.present
    assert not report.applied


def test_only_lasagne_layers_special_sees_the_bridge(lasagne_master):
    import lasagne.init
    import lasagne.layers.special
    assert isinstance(lasagne.layers.special.np, op_bridges.IntegralCountNumpy)
    assert lasagne.init.np is np and lasagne.layers.dense.np is np


def test_release_has_no_module_to_bridge(lasagne_release):
    """Lasagne 0.1 has no lasagne.layers.special: the finder answers nothing."""
    import importlib.util
    assert importlib.util.find_spec(op_bridges.SPECIAL) is None


def _batched_dot_node():
    import theano.tensor as T
    x, y = T.tensor3("x"), T.tensor3("y")
    return x, y, T.batched_dot(x, y)


def test_batched_dot_runs_without_blas(lasagne):
    """Empty blas__ldflags (install_compat's): the product is numpy's, item by item."""
    import theano
    assert theano.config.blas__ldflags == ""
    x, y, z = _batched_dot_node()
    f = theano.function([x, y], z)
    rng = np.random.RandomState(0)
    a = rng.rand(3, 4, 5).astype(theano.config.floatX)
    b = rng.rand(3, 5, 2).astype(theano.config.floatX)
    assert np.allclose(f(a, b), np.matmul(a, b))


def test_batched_dot_c_code_is_kept_where_blas_is_linked(lasagne):
    """The bridge withholds BatchedDot's C code only while no BLAS library is linked."""
    import theano
    from theano.graph.utils import MethodNotDefined
    _, _, z = _batched_dot_node()
    node = z.owner
    sub = {"fail": "return 1;"}
    with pytest.raises(MethodNotDefined):
        node.op.c_code(node, "n", ["x", "y"], ["z"], sub)
    with theano.config.change_flags(blas__ldflags="-lblas"):
        assert "batch_gemm" in node.op.c_code(node, "n", ["x", "y"], ["z"], sub)


def _tps(lasagne, shape, points, **kwargs):
    """A TPSTransformerLayer whose localization network outputs zero offsets."""
    from lasagne import layers as L
    image = L.InputLayer(shape, name="image")
    loc = L.DenseLayer(L.FlattenLayer(image, name="flat"), 2 * points,
                       W=lasagne.init.Constant(0.0), b=lasagne.init.Constant(0.0),
                       nonlinearity=None, name="loc")
    return image, L.TPSTransformerLayer(image, loc, control_points=points, name="tps",
                                        **kwargs)


def test_tps_transformer_builds_and_agrees_with_master(lasagne_master):
    """3x10x10 image, 16 control points, downsample 2: (None, 3, 10//2, 10//2), no arrays
    of its own; the localization network's (3*10*10+1)*(2*16) are the only parameters."""
    _, tps = _tps(lasagne_master, (None, 3, 10, 10), 16, downsample_factor=2)
    comparison = lp.compare(tps)
    assert comparison.ok, lp.render(comparison)
    row = comparison.derived.layer("tps")
    assert row.output_shape == tuple(tps.output_shape) == (None, 3, 10 // 2, 10 // 2)
    assert row.params == 0 and row.note == ""
    assert comparison.derived.total_params == (3 * 10 * 10 + 1) * (2 * 16) \
        == lasagne_master.layers.count_params(tps)


def test_tps_transformer_forward_pass_with_zero_offsets_is_the_identity(lasagne_master):
    """Zero offsets leave every control point where it is: the spline is the identity,
    so sampling the image at its own pixel centres gives the image back (BatchedDot runs
    through its Python perform here)."""
    import theano
    from lasagne import layers as L
    image, tps = _tps(lasagne_master, (None, 2, 6, 7), 9)
    f = theano.function([image.input_var], L.get_output(tps))
    x = np.random.RandomState(1).rand(2, 2, 6, 7).astype(theano.config.floatX)
    out = f(x)
    assert out.shape == (2, 2, 6, 7)
    assert np.allclose(out, x, atol=1e-4)
    runtime = lp.verify_runtime(tps, x)
    assert [row.runtime for row in runtime.rows][-1] == (2, 2, 6, 7) and not runtime.mismatches
