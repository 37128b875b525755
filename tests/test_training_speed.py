"""The Trainer's faster compilation computes what Theano computes without it.

Each change of ``backend/training/speed.py`` and ``backend/bridges/openmp.py`` is compared
with Theano's default compilation of the same graph: the max-pool rewrites,
the Python thunks of shape ops and one-element arithmetic, ``allow_gc=False``,
no debug information and the precompiled headers bit for bit; a real
BLAS (another float32 summation order) within float32 rounding; Theano's
OpenMP (bridged) bit for bit.
"""
import numpy as np
import pytest

RTOL = 2e-5           # float32: a different summation order moves the last bits only


@pytest.fixture
def small_net(lasagne, float32):
    """input 1x13x13 -> conv 4@3x3 -> max-pool 2 (a border row and column left over)
    -> conv 6@2x2 -> max-pool 2 -> dense 5 softmax; seeded."""
    from lasagne import layers
    lasagne.random.set_rng(np.random.RandomState(3))
    net = layers.InputLayer((None, 1, 13, 13), name="input")
    net = layers.Conv2DLayer(net, 4, 3, name="conv1")
    net = layers.MaxPool2DLayer(net, 2, name="pool1")            # 11x11 -> 5x5
    net = layers.Conv2DLayer(net, 6, 2, name="conv2")
    net = layers.MaxPool2DLayer(net, 2, name="pool2")            # 4x4 -> 2x2
    return layers.DenseLayer(net, 5, nonlinearity=lasagne.nonlinearities.softmax,
                             name="output")


def _batch(size=16, seed=0):
    rng = np.random.RandomState(seed)
    # integers in [0, 3): many ties inside pooling windows
    X = rng.randint(0, 3, size=(size, 1, 13, 13)).astype("float32")
    return X, rng.randint(0, 5, size=size).astype("int32")


def _loss_and_grads(lasagne, net):
    import theano.tensor as T
    from lasagne_params.backend.networks.runtime import input_layers
    y = T.ivector("y")
    out = lasagne.layers.get_output(net)
    loss = T.mean(lasagne.objectives.categorical_crossentropy(out, y))
    params = lasagne.layers.get_all_params(net, trainable=True)
    return [input_layers(net)[0].input_var, y], [out, loss] + T.grad(loss, params)


def _run(lasagne, net, **options):
    import theano
    inputs, outputs = _loss_and_grads(lasagne, net)
    return theano.function(inputs, outputs, **options)(*_batch())


def test_max_pool_rewrites_and_allow_gc_are_bit_for_bit(lasagne, small_net):
    import theano
    from lasagne_params.backend.training.speed import training_mode
    plain = _run(lasagne, small_net)
    fast = theano.function(*_loss_and_grads(lasagne, small_net), mode=training_mode())
    ops = {type(node.op).__name__ for node in fast.maker.fgraph.toposort()}
    assert not {"Pool", "MaxPoolGrad"} & ops
    # shape and view ops run by their Python implementations (no C module each)
    assert "PythonThunk" in ops and not {"Shape_i", "Reshape", "DimShuffle"} & ops
    # and so do element-wise ops on one-element tensors (the loss's mean: a sum / a count)
    assert not [n for n in fast.maker.fgraph.toposort() if type(n.op).__name__ == "Elemwise"
                and all(all(v.broadcastable) for v in n.inputs + n.outputs)]
    assert not fast.maker.linker.allow_gc
    got = fast(*_batch())
    assert len(got) == 2 + 6
    for a, b in zip(plain, got):
        assert a.dtype == b.dtype == np.float32
        assert np.array_equal(a, b)
    assert all(np.array_equal(a, b) for a, b in zip(plain, fast(*_batch())))   # reused buffers


def test_max_pool_rewrites_keep_theanos_ops_where_windows_overlap(lasagne):
    import theano
    import theano.tensor as T
    from theano.tensor.signal.pool import pool_2d
    from lasagne_params.backend.training.speed import training_mode
    x = T.tensor4("x")
    for options in ({"ws": (3, 3), "stride": (2, 2)}, {"ws": (2, 2), "pad": (1, 1)},
                    {"ws": (2, 2), "ignore_border": False}):
        options.setdefault("ignore_border", True)
        grad = T.grad(pool_2d(x, **options).sum(), x)
        ops = {type(n.op).__name__
               for n in theano.function([x], grad, mode=training_mode()).maker.fgraph.toposort()}
        assert {"Pool", "MaxPoolGrad"} <= ops, options


def test_bundled_blas_stays_within_float32_rounding(lasagne, small_net):
    import theano
    from lasagne_params.backend.training.speed import compile_scope, training_mode
    plain = _run(lasagne, small_net)
    with compile_scope() as flags:
        function = theano.function(*_loss_and_grads(lasagne, small_net), mode=training_mode())
    if "blas__ldflags" not in flags:
        pytest.skip("no OpenBLAS in scipy's wheel here: nothing changed")
    assert "openblas" in flags["blas__ldflags"]
    assert set(flags) == {"blas__ldflags", "gcc__cxxflags"}
    assert theano.config.blas__ldflags == ""                       # restored
    corr = [n.op for n in function.maker.fgraph.toposort()
            if type(n.op).__name__.startswith("CorrMM")]
    assert corr and all(op.blas_type == "openblas" for op in corr)
    got = function(*_batch())
    for a, b in zip(plain, got):
        np.testing.assert_allclose(b, a, rtol=RTOL, atol=RTOL * np.abs(a).max())


def test_no_debug_information_and_precompiled_headers_change_no_result(lasagne, small_net):
    """-g0 and the precompiled headers of compile_flags(): g++ uses the headers for a
    module compiled with Theano's options, and the functions compute the same bits."""
    import os
    import subprocess
    import theano
    from theano.link.c.cmodule import GCC_compiler, std_include_dirs
    from lasagne_params.backend.training.speed import (
        THEANO_BASE_FLAGS, compile_flags, training_mode)
    flags = compile_flags()
    cxxflags = flags["gcc__cxxflags"]
    assert cxxflags.split()[:1] == ["-g0"] and cxxflags.split()[1] == "-include"
    header = cxxflags.split()[2]
    assert os.path.exists(header + ".gch")
    with theano.config.change_flags(gcc__cxxflags=cxxflags):
        command = (["g++", "-fsyntax-only", "-Winvalid-pch", "-H"] + list(THEANO_BASE_FLAGS)
                   + GCC_compiler.compile_args() + ["-I" + d for d in std_include_dirs()])
    done = subprocess.run(command + ["-x", "c++", "-"], input="#include <Python.h>\n",
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "! " + header + ".gch" in done.stderr          # "!": the valid precompiled form
    assert "invalid" not in done.stderr and "not used" not in done.stderr
    with theano.config.change_flags(**{k: v for k, v in flags.items() if k != "gcc__cxxflags"}):
        before = theano.function(*_loss_and_grads(lasagne, small_net), mode=training_mode())
    with theano.config.change_flags(**flags):
        after = theano.function(*_loss_and_grads(lasagne, small_net), mode=training_mode())
    for a, b in zip(before(*_batch()), after(*_batch())):
        np.testing.assert_array_equal(a, b)


def test_trainer_steps_match_theanos_default_compilation(lasagne, small_net):
    """Two momentum steps and a prediction: Trainer._compile() against speed=False
    (Theano's defaults), from the same starting values."""
    from lasagne_params.backend.training.trainer import Trainer
    params = lasagne.layers.get_all_params(small_net, trainable=True)
    start = [p.get_value() for p in params]
    X, y = _batch(32, seed=1)
    results = {}
    for speed in (False, True):
        for p, value in zip(params, start):
            p.set_value(value)
        trainer = Trainer(small_net, update=lasagne.updates.momentum,
                          update_params={"learning_rate": 0.1, "momentum": 0.9}, verbose=0)
        train, validate, predict = trainer._compile(speed=speed)
        losses = [float(train(X, y)[0]) for _ in range(2)]
        results[speed] = (losses, [p.get_value() for p in params], predict(X)[0],
                          validate(X, y))
    (plain_losses, plain_params, plain_out, plain_valid) = results[False]
    (losses, values, out, valid) = results[True]
    np.testing.assert_allclose(losses, plain_losses, rtol=RTOL)
    assert losses[1] < losses[0]                             # it did learn
    for a, b in zip(plain_params, values):
        np.testing.assert_allclose(b, a, rtol=RTOL, atol=RTOL * np.abs(a).max())
    np.testing.assert_allclose(out, plain_out, rtol=RTOL, atol=1e-7)
    np.testing.assert_allclose(valid, plain_valid, rtol=RTOL)


#: What Theano's C linker substitutes into an op's C code (names only matter here).
_SUB = {"fail": "{}", "params": "", "struct_id": 1, "failure_var": "__failure", "id": 1}


def test_elemwise_openmp_pragma_bridge(lasagne):
    """With OpenMP on, Theano-PyMC's Elemwise code compiles (the threshold written in) and
    computes what it computes without OpenMP."""
    import theano
    import theano.tensor as T
    from theano.tensor.elemwise import Elemwise
    from lasagne_params.backend.bridges.openmp import PLACEHOLDER
    x, y = T.fvectors("x", "y")
    rng = np.random.RandomState(0)
    a, b = rng.randn(2, 5000).astype("float32")
    results = {}
    with theano.config.change_flags(openmp_elemwise_minsize=1000):
        for openmp in (False, True):
            with theano.config.change_flags(openmp=openmp):
                f = theano.function([x, y], T.exp(x) * y + T.tanh(x))
            (node,) = [n for n in f.maker.fgraph.toposort() if isinstance(n.op, Elemwise)]
            assert node.op.openmp is openmp
            results[openmp] = f(a, b)
            code = node.op.c_code(node, "node", ["i0", "i1"], ["o0"], dict(_SUB))
            assert PLACEHOLDER not in code
            assert ("#pragma omp parallel for if(n>=1000)" in code) is openmp
        original = Elemwise.c_code.__wrapped__(node.op, node, "node", ["i0", "i1"], ["o0"],
                                               dict(_SUB))
    assert PLACEHOLDER in original              # what Theano-PyMC 1.1.2 writes
    assert np.array_equal(results[False], results[True])


def test_openmp_bridge_is_recorded_once(lasagne):
    import lasagne_params as lp
    report = lp.install_compat()
    assert "Elemwise OpenMP pragma (bridged)" in report.present


def test_corrmm_keeps_openmp_off_without_a_real_blas(lasagne, small_net):
    """THEANO_FLAGS=openmp=True with empty BLAS flags: CorrMM's gemm would be numpy's
    C-API inside OpenMP threads (the process aborts); the guard keeps its loop serial,
    element-wise ops still get OpenMP, and the numbers are Theano's."""
    import theano
    plain = _run(lasagne, small_net)
    with theano.config.change_flags(openmp=True, blas__ldflags=""):
        function = theano.function(*_loss_and_grads(lasagne, small_net))
    ops = [n.op for n in function.maker.fgraph.toposort()]
    corr = [op for op in ops if type(op).__name__.startswith("CorrMM")]
    assert corr and not any(op.openmp for op in corr)
    assert any(getattr(op, "openmp", False) for op in ops)         # Elemwise, Pool
    for a, b in zip(plain, function(*_batch())):
        assert np.array_equal(a, b)
