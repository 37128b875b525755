"""CPU stand-ins for Lasagne's GPU modules (dnn, corrmm, cuda_convnet), on either Lasagne.

Oracles: the real GPU modules' own source as installed (their ``__all__``
and constructor signatures, read with ``ast``: they cannot be imported
here), a numpy cross-correlation and max-pooling written below, the CPU
layers with the GPU conventions applied by hand (flipped filters,
``(f-1)//2`` padding in 0.1), and shapes written as arithmetic.
"""
import ast
import dataclasses
import importlib.util
import inspect
import os

import numpy as np
import pytest

import lasagne_params as lp
from helpers import correlate
from lasagne_params import LayerSpec
from lasagne_params.backend.bridges import gpu_standins


@pytest.fixture(scope="module")
def gpu(lasagne):
    """The three GPU modules as imported here: (dnn, corrmm, cuda_convnet)."""
    import importlib
    modules = [importlib.import_module(name) for name in gpu_standins.GPU_MODULES]
    if not all(getattr(m, "__lasagne_params_standin__", None) for m in modules):
        pytest.skip("a real GPU module imports here: no stand-ins to test")
    return modules


@pytest.fixture(scope="module")
def master(lasagne):
    return hasattr(lasagne.layers.conv, "BaseConvLayer")


def real_source(name):
    """The installed real module's syntax tree (e.g. lasagne/layers/dnn.py)."""
    spec = importlib.util.find_spec("lasagne.layers")
    path = os.path.join(list(spec.submodule_search_locations)[0],
                        name.rpartition(".")[2] + ".py")
    with open(path, encoding="utf-8") as fh:
        return ast.parse(fh.read())


def real_all(tree):
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
                getattr(t, "id", None) == "__all__" for t in node.targets):
            return ast.literal_eval(node.value)
    raise AssertionError("no __all__")


def real_inits(tree):
    """{class name: __init__'s arguments node} for the classes defining __init__."""
    inits = {}
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, ast.FunctionDef) and item.name == "__init__":
                    inits[node.name] = item.args
    return inits


def default_matches(real, mine):
    """A default in the real source (an AST node) against the stand-in's default value."""
    try:
        return ast.literal_eval(real) == mine
    except ValueError:
        pass
    if isinstance(real, ast.Call):                     # init.GlorotUniform()
        return type(mine).__name__ == real.func.attr
    return getattr(mine, "__name__", None) == real.attr     # nonlinearities.rectify


@pytest.mark.parametrize("name", gpu_standins.GPU_MODULES)
def test_each_module_exports_the_real_names_and_signatures(gpu, name):
    import importlib
    module = importlib.import_module(name)
    tree = real_source(name)
    assert module.__all__ == real_all(tree)
    for cls_name, args in real_inits(tree).items():
        cls = getattr(module, cls_name)
        params = list(inspect.signature(cls.__init__).parameters.values())
        names = [a.arg for a in args.args]
        assert [p.name for p in params if p.kind is p.POSITIONAL_OR_KEYWORD] == names, cls_name
        assert (args.kwarg is not None) == any(p.kind is p.VAR_KEYWORD for p in params)
        for real, param in zip(args.defaults, params[len(names) - len(args.defaults):]):
            assert default_matches(real, param.default), (cls_name, param.name)
        assert cls.cpu_standin_for == "%s.%s" % (name, cls_name)
        assert cls.__module__ == name


def module_level_names(tree):
    """Every public name the module binds at its top level (imports, assignments, classes,
    functions), also inside its top-level ``if``/``try`` blocks."""
    names = set()

    def walk(body):
        for node in body:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names.update((a.asname or a.name).split(".")[0] for a in node.names)
            elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                names.add(node.name)
            elif isinstance(node, ast.Assign):
                names.update(n.id for t in node.targets for n in ast.walk(t)
                             if isinstance(n, ast.Name))
            elif isinstance(node, ast.If):
                walk(node.body)
                walk(node.orelse)
            elif isinstance(node, ast.Try):
                for block in [node.body, node.orelse, node.finalbody] + [
                        h.body for h in node.handlers]:
                    walk(block)
    walk(tree.body)
    return sorted(name for name in names if not name.startswith("_"))


@pytest.mark.parametrize("name", gpu_standins.GPU_MODULES)
def test_each_module_binds_every_module_level_name_of_the_real_one(gpu, name):
    """``from lasagne.layers.dnn import as_tuple`` and ``dnn.dnn_conv`` work as on a GPU."""
    import importlib
    module = importlib.import_module(name)
    real = module_level_names(real_source(name))
    assert {"as_tuple", "conv_output_length", "theano"} <= set(real)     # the walk sees them
    assert [n for n in real if not hasattr(module, n)] == []
    assert module.as_tuple(3, 2) == (3, 3)
    assert getattr(module, "gpu_enabled", False) is False
    if name.endswith(".dnn"):
        assert module.dnn.dnn_available() is False and callable(module.dnn.dnn_conv)




def max_pool(x, size, stride):
    """numpy max pooling of the last two axes, partial windows at the border kept."""
    rows = range(0, max(x.shape[2] - size, 0) + stride, stride)
    cols = range(0, max(x.shape[3] - size, 0) + stride, stride)
    rows = [r for r in rows if r < x.shape[2]]
    cols = [c for c in cols if c < x.shape[3]]
    return np.array([[[[x[n, ch, r:r + size, c:c + size].max() for c in cols] for r in rows]
                      for ch in range(x.shape[1])] for n in range(x.shape[0])])


def run(layers, input_layer, data):
    import theano
    from lasagne.layers import get_output
    f = theano.function([input_layer.input_var], get_output(layers, deterministic=True))
    return f(data)


def rand(*shape, seed=0):
    import theano
    return np.random.RandomState(seed).uniform(-1, 1, shape).astype(theano.config.floatX)


@pytest.mark.parametrize("module, cls", [("dnn", "Conv2DDNNLayer"), ("corrmm", "Conv2DMMLayer"),
                                         ("cuda_convnet", "Conv2DCCLayer")])
@pytest.mark.parametrize("pad, stride", [(0, 1), (2, 2), ("same", 1), ("full", 1)])
def test_conv_standins_cross_correlate_as_the_gpu(lasagne, gpu, module, cls, pad, stride):
    from lasagne.layers import Conv2DLayer, InputLayer
    from lasagne.nonlinearities import identity
    layer_class = getattr(dict(zip(("dnn", "corrmm", "cuda_convnet"), gpu))[module], cls)
    inp = InputLayer((2, 3, 9, 8))
    w, b = rand(16, 3, 3, 3, seed=1), rand(16, seed=2)
    standin = layer_class(inp, 16, 3, stride=stride, pad=pad, W=w, b=b, nonlinearity=identity)
    # the CPU layer convolves (flips the filters): give it the flipped ones
    cpu = Conv2DLayer(inp, 16, 3, stride=stride, pad=pad, W=w[:, :, ::-1, ::-1].copy(), b=b,
                      nonlinearity=identity)
    numeric = {"same": 1, "full": 2}.get(pad, pad)
    rows, cols = ((9 + 2 * numeric - 3) // stride) + 1, ((8 + 2 * numeric - 3) // stride) + 1
    assert standin.output_shape == cpu.output_shape == (2, 16, rows, cols)
    assert lasagne.layers.count_params(standin) == (3 * 3 * 3 + 1) * 16
    data = rand(2, 3, 9, 8, seed=3)
    mine, theirs = run([standin, cpu], inp, data)
    expected = correlate(data, w, (numeric, numeric), (stride, stride)) + b[None, :, None, None]
    np.testing.assert_allclose(mine, expected, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(theirs, expected, rtol=1e-4, atol=1e-5)


def test_flip_filters_true_convolves(lasagne, gpu):
    from lasagne.layers import InputLayer
    dnn = gpu[0]
    inp = InputLayer((1, 2, 5, 5))
    w = rand(4, 2, 3, 3, seed=4)
    layer = dnn.Conv2DDNNLayer(inp, 4, 3, W=w, b=None, flip_filters=True,
                               nonlinearity=None)
    data = rand(1, 2, 5, 5, seed=5)
    (out,) = run([layer], inp, data)
    np.testing.assert_allclose(out, correlate(data, w[:, :, ::-1, ::-1], (0, 0), (1, 1)),
                               rtol=1e-4, atol=1e-5)


def test_even_filter_same_pad_follows_the_installed_lasagne(lasagne, gpu, master):
    """0.1's GPU convolutions pad (f-1)//2 on both sides (out = in-1); master refuses."""
    from lasagne.layers import InputLayer
    dnn, corrmm, _ = gpu
    inp = InputLayer((None, 3, 10, 10))
    for cls in (dnn.Conv2DDNNLayer, corrmm.Conv2DMMLayer):
        if master:
            with pytest.raises(NotImplementedError, match="odd filter size"):
                cls(inp, 4, 4, pad="same")
        else:
            layer = cls(inp, 4, 4, pad="same")
            assert layer.pad == ((4 - 1) // 2,) * 2
            assert layer.output_shape == (None, 4, 10 + 2 * ((4 - 1) // 2) - 4 + 1,
                                          10 + 2 * ((4 - 1) // 2) - 4 + 1)


def test_num_groups_exists_in_master_only(lasagne, gpu, master):
    from lasagne.layers import InputLayer
    dnn = gpu[0]
    inp = InputLayer((None, 4, 6, 6))
    if master:
        layer = dnn.Conv2DDNNLayer(inp, 8, 3, num_groups=2)
        assert layer.W.get_value().shape == (8, 4 // 2, 3, 3)
    else:
        with pytest.raises(TypeError, match="num_groups"):
            dnn.Conv2DDNNLayer(inp, 8, 3, num_groups=2)


def test_conv_cc_in_c01b_order_matches_bc01(lasagne, gpu):
    from lasagne.layers import InputLayer
    cc = gpu[2]
    inp = InputLayer((2, 4, 7, 7))
    w, b = rand(16, 4, 3, 3, seed=6), rand(16, 5, 5, seed=7)
    bc01 = cc.Conv2DCCLayer(inp, 16, 3, W=w, b=b, untie_biases=True)
    c01b = cc.Conv2DCCLayer(cc.bc01_to_c01b(inp), 16, 3, W=w.transpose(1, 2, 3, 0).copy(),
                            b=b, untie_biases=True, dimshuffle=False)
    assert c01b.W.get_value().shape == (4, 3, 3, 16)
    assert c01b.b.get_value().shape == (16, 7 - 3 + 1, 7 - 3 + 1)
    assert c01b.output_shape == (16, 5, 5, 2)
    back = cc.c01b_to_bc01(c01b)
    first, second = run([bc01, back], inp, rand(2, 4, 7, 7, seed=8))
    np.testing.assert_allclose(first, second, rtol=1e-5, atol=1e-6)
    assert lasagne.layers.count_params(c01b) == 4 * 3 * 3 * 16 + 16 * 5 * 5


@pytest.mark.parametrize("kwargs, message", [
    ({"num_filters": 8}, "multiple of 16"),
    ({"filter_size": (3, 5)}, "square filters"),
    ({"stride": (1, 2)}, "square strides"),
    ({"pad": (1, 2)}, "square padding"),
])
def test_conv_cc_keeps_cuda_convnets_restrictions(lasagne, gpu, kwargs, message):
    from lasagne.layers import InputLayer
    args = dict({"num_filters": 16, "filter_size": 3}, **kwargs)
    with pytest.raises(RuntimeError, match=message):
        gpu[2].Conv2DCCLayer(InputLayer((None, 3, 8, 8)), **args)
    with pytest.raises(RuntimeError, match="1, 2, 3 or a multiple of 4"):
        gpu[2].Conv2DCCLayer(InputLayer((None, 5, 8, 8)), 16, 3)


@pytest.mark.parametrize("pool_size, stride, pad", [(2, None, 0), (3, 2, 1), ((3, 2), (1, 2), 0)])
def test_dnn_pooling_is_cpu_pooling_with_whole_windows(lasagne, gpu, pool_size, stride, pad):
    from lasagne.layers import InputLayer, MaxPool2DLayer
    dnn = gpu[0]
    inp = InputLayer((2, 3, 9, 8))
    standin = dnn.MaxPool2DDNNLayer(inp, pool_size, stride=stride, pad=pad)
    cpu = MaxPool2DLayer(inp, pool_size, stride=stride, pad=pad, ignore_border=True)
    size = pool_size if isinstance(pool_size, tuple) else (pool_size,) * 2
    step = size if stride is None else (stride if isinstance(stride, tuple) else (stride,) * 2)
    expected = tuple((n + 2 * pad - s) // t + 1 for n, s, t in zip((9, 8), size, step))
    assert standin.output_shape == cpu.output_shape == (2, 3) + expected
    mine, theirs = run([standin, cpu], inp, rand(2, 3, 9, 8, seed=9))
    np.testing.assert_array_equal(mine, theirs)
    with pytest.raises(NotImplementedError, match="ignore_border=False"):
        dnn.Pool2DDNNLayer(inp, 2, ignore_border=False)
    average = dnn.Pool2DDNNLayer(inp, 3, stride=3, mode="average_inc_pad")
    (out,) = run([average], inp, np.ones((2, 3, 9, 8), "float32").astype(inp.input_var.dtype))
    assert out.shape == (2, 3, 9 // 3, (8 - 3) // 3 + 1) and np.allclose(out, 1)


def test_cuda_convnet_pooling_keeps_partial_windows(lasagne, gpu):
    from lasagne.layers import InputLayer
    cc = gpu[2]
    inp = InputLayer((2, 4, 8, 7))
    bc01 = cc.MaxPool2DCCLayer(inp, 3, stride=2)
    c01b = cc.MaxPool2DCCLayer(cc.bc01_to_c01b(inp), 3, stride=2, dimshuffle=False)
    # ignore_border=False: max(0, (n-3+2-1)//2)+1 windows, the last one partial
    rows, cols = max(0, (8 - 3 + 2 - 1) // 2) + 1, max(0, (7 - 3 + 2 - 1) // 2) + 1
    assert bc01.output_shape == (2, 4, rows, cols)
    assert c01b.output_shape == (4, rows, cols, 2)
    data = rand(2, 4, 8, 7, seed=10)
    first, second = run([bc01, c01b], inp, data)
    np.testing.assert_array_equal(first, max_pool(data, 3, 2))
    np.testing.assert_array_equal(second, first.transpose(1, 2, 3, 0))
    for kwargs in ({"ignore_border": True}, {"pad": 1}, {"stride": 4}, {"pool_size": (3, 2)}):
        with pytest.raises(NotImplementedError):
            cc.MaxPool2DCCLayer(inp, **dict({"pool_size": 3}, **kwargs))


def test_nin_c01b_is_a_one_by_one_convolution(lasagne, gpu):
    from lasagne.layers import InputLayer
    cc = gpu[2]
    inp = InputLayer((3, 4, 5, 2))                         # c01b
    w, b = rand(6, 3, seed=11), rand(6, 4, 5, seed=12)
    tied = cc.NINLayer_c01b(inp, 6, W=w, b=b[:, 0, 0].copy(), nonlinearity=None)
    untied = cc.NINLayer_c01b(inp, 6, W=w, b=b, untie_biases=True)
    assert tied.output_shape == untied.output_shape == (6, 4, 5, 2)
    assert lasagne.layers.count_params(untied) == 6 * 3 + 6 * 4 * 5
    data = rand(3, 4, 5, 2, seed=13)
    first, second = run([tied, untied], inp, data)
    product = np.einsum("fc,cxyn->fxyn", w, data)
    np.testing.assert_allclose(first, product + b[:, 0, 0, None, None, None], rtol=1e-5,
                               atol=1e-6)
    np.testing.assert_allclose(second, np.maximum(product + b[..., None], 0), rtol=1e-5,
                               atol=1e-6)


def test_master_3d_pyramid_and_batch_norm_standins(lasagne_master, gpu):
    lasagne = lasagne_master
    from lasagne.layers import (BatchNormLayer, Conv3DLayer, InputLayer, MaxPool3DLayer,
                                SpatialPyramidPoolingLayer)
    dnn = gpu[0]
    inp = InputLayer((2, 2, 6, 5, 4))
    w = rand(4, 2, 3, 3, 3, seed=14)
    conv = dnn.Conv3DDNNLayer(inp, 4, 3, W=w, pad="same")
    cpu = Conv3DLayer(inp, 4, 3, W=w[:, :, ::-1, ::-1, ::-1].copy(), pad="same")
    pool = dnn.MaxPool3DDNNLayer(conv, 2)
    assert conv.output_shape == (2, 4, 6, 5, 4) and pool.output_shape == (2, 4, 3, 2, 2)
    assert pool.output_shape == MaxPool3DLayer(cpu, 2).output_shape
    first, second = run([conv, cpu], inp, rand(2, 2, 6, 5, 4, seed=15))
    np.testing.assert_allclose(first, second, rtol=1e-4, atol=1e-5)

    image = InputLayer((2, 3, 8, 8))
    spp = dnn.SpatialPyramidPoolingDNNLayer(image)
    assert spp.output_shape == (2, 3, 4 * 4 + 2 * 2 + 1 * 1)
    first, second = run([spp, SpatialPyramidPoolingLayer(image)], image, rand(2, 3, 8, 8))
    np.testing.assert_array_equal(first, second)

    norm = dnn.BatchNormDNNLayer(image)
    assert [p.get_value().shape for p in norm.get_params()] == \
        [p.get_value().shape for p in BatchNormLayer(image).get_params()] == [(3,)] * 4
    with pytest.raises(ValueError, match="first axis, or across all but the second"):
        dnn.BatchNormDNNLayer(image, axes=(0, 1))
    layer = dnn.batch_norm_dnn(dnn.Conv2DDNNLayer(image, 16, 3, name="c"))
    assert [l.name for l in lasagne.layers.get_all_layers(layer)[1:]] == ["c", "c_bn",
                                                                            "c_bn_nonlin"]
    assert lasagne.layers.count_params(layer) == 3 * 3 * 3 * 16 + 4 * 16      # no conv bias
    assert lasagne.layers.count_params(layer, trainable=True) == 3 * 3 * 3 * 16 + 2 * 16


def test_standin_rows_say_so_on_both_sides(lasagne, gpu):
    from lasagne.layers import DenseLayer, InputLayer
    dnn, corrmm, cc = gpu
    net = DenseLayer(dnn.MaxPool2DDNNLayer(corrmm.Conv2DMMLayer(
        InputLayer((None, 3, 8, 8)), 16, 3, name="conv"), 2, name="pool"), 10, name="out")
    result = lp.compare(net)
    assert result.ok
    for report in (result.derived, result.reported):
        assert report.layer("conv").note == \
            "CPU stand-in for lasagne.layers.corrmm.Conv2DMMLayer"
        assert report.layer("pool").note == \
            "CPU stand-in for lasagne.layers.dnn.MaxPool2DDNNLayer"
        assert report.layer("out").note == ""
    assert result.reported.total_params == (3 * 3 * 3 + 1) * 16 + (16 * 3 * 3 + 1) * 10


def test_spec_files_build_gpu_classes_with_the_standins(lasagne, gpu):
    specs = [LayerSpec("in", "InputLayer", (), {"shape": (None, 3, 12, 12)}),
             LayerSpec("conv", "Conv2DDNNLayer", ("in",), {"num_filters": 16,
                                                           "filter_size": 5, "pad": 2}),
             LayerSpec("pool", "MaxPool2DDNNLayer", ("conv",), {"pool_size": 2}),
             LayerSpec("cc", "Conv2DCCLayer", ("pool",), {"num_filters": 32, "filter_size": 3}),
             LayerSpec("out", "DenseLayer", ("cc",), {"num_units": 10})]
    result = lp.compare(specs)
    assert result.ok, result.mismatches
    assert type(lp.build(specs).input_layer).__module__ == "lasagne.layers.cuda_convnet"
    for report in (result.derived, result.reported):       # the derived rows say so too
        assert [(row.name, row.note) for row in report.layers if row.note] == [
            ("conv", "CPU stand-in for lasagne.layers.dnn.Conv2DDNNLayer"),
            ("pool", "CPU stand-in for lasagne.layers.dnn.MaxPool2DDNNLayer"),
            ("cc", "CPU stand-in for lasagne.layers.cuda_convnet.Conv2DCCLayer")]
    assert result.derived.total_params == ((5 * 5 * 3 + 1) * 16 + (3 * 3 * 16 + 1) * 32
                                           + (32 * 4 * 4 + 1) * 10)


def test_neuralnet_with_gpu_classes_notes_the_standins(lasagne, gpu):
    dnn, _, _ = gpu
    from lasagne.layers import DenseLayer, InputLayer
    net = lp.NeuralNet(layers=[("input", InputLayer), ("conv", dnn.Conv2DDNNLayer),
                               ("out", DenseLayer)],
                       input_shape=(None, 3, 8, 8), conv_num_filters=4, conv_filter_size=3,
                       out_num_units=2)
    result = lp.compare(net)
    assert result.ok
    assert result.derived.layer("conv").note == result.reported.layer("conv").note == \
        "CPU stand-in for lasagne.layers.dnn.Conv2DDNNLayer"


def test_a_standin_row_not_derived_keeps_its_note(lasagne, gpu, monkeypatch):
    """The rule of a stand-in's class fails (here: made to), yet Lasagne built it: the row
    is Lasagne's, "not derived", and still says it is a CPU stand-in."""
    from lasagne.layers import DenseLayer, InputLayer
    from lasagne_params.core.registry import KINDS
    dnn, _, _ = gpu
    net = DenseLayer(dnn.Conv2DDNNLayer(InputLayer((None, 3, 8, 8)), 4, 3, name="conv"),
                     2, name="out")

    def refuse(context):
        raise context.error("refused for the test", "filter_size")

    monkeypatch.setitem(KINDS, "Conv2DDNNLayer",
                        dataclasses.replace(KINDS["Conv2DDNNLayer"], rule=refuse))
    row = lp.compare(net).derived.layer("conv")
    assert not row.derived
    assert row.note == ("not derived: filter_size: refused for the test; "
                        "CPU stand-in for lasagne.layers.dnn.Conv2DDNNLayer")


def _fake_module(tmp_path, name, text):
    path = tmp_path / "fake_gpu.py"
    path.write_text(text)
    real = importlib.util.spec_from_file_location(name, str(path))
    spec = importlib.util.spec_from_file_location(name, str(path),
                                                  loader=gpu_standins._StandinLoader(real.loader))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_real_gpu_module_that_imports_is_never_shadowed(lasagne, tmp_path):
    module = _fake_module(tmp_path, "lasagne.layers.dnn", "REAL = True\n")
    assert module.REAL and not hasattr(module, "Conv2DDNNLayer")
    assert not hasattr(module, "__lasagne_params_standin__")


def test_a_gpu_module_failing_to_import_gets_the_standins(lasagne, tmp_path):
    module = _fake_module(tmp_path, "lasagne.layers.corrmm",
                          "PARTIAL = 1\nraise ImportError('requires GPU support')\n")
    assert not hasattr(module, "PARTIAL")                  # nothing of the failed module
    assert module.Conv2DMMLayer.cpu_standin_for == "lasagne.layers.corrmm.Conv2DMMLayer"
    assert module.__lasagne_params_standin__ == "ImportError: requires GPU support"
    with pytest.raises(RuntimeError, match="a bug"):       # only ImportError means "no GPU"
        _fake_module(tmp_path, "lasagne.layers.corrmm", "raise RuntimeError('a bug')\n")


def test_install_is_idempotent_and_reported(lasagne):
    report = lp.install_compat()
    assert "GPU stand-ins" in report.present
    assert sum(isinstance(f, gpu_standins.StandinFinder) for f in __import__("sys").meta_path) == 1


def _standin_network(dnn, corrmm, cc):
    from lasagne.layers import DenseLayer, InputLayer
    net = dnn.MaxPool2DDNNLayer(dnn.Conv2DDNNLayer(InputLayer((4, 4, 10, 10)), 16, 3, pad=1), 2)
    net = cc.bc01_to_c01b(corrmm.Conv2DMMLayer(net, 16, 3))
    net = cc.MaxPool2DCCLayer(cc.Conv2DCCLayer(net, 16, 2, dimshuffle=False), 2,
                              dimshuffle=False)
    return DenseLayer(cc.c01b_to_bc01(cc.NINLayer_c01b(net, 8)), 3, nonlinearity=None)


@pytest.mark.slow
def test_standin_networks_train(lasagne, gpu):
    """Gradients and updates flow through every kind of stand-in (one Adam step each way)."""
    import theano
    import theano.tensor as T
    from lasagne.layers import get_all_params, get_output
    dnn, corrmm, cc = gpu
    # Lasagne draws the initial weights from its global generator: seed it, so no ReLU
    # layer starts dead whatever ran before (a dead layer would pass no gradient).
    previous = lasagne.random.get_rng()
    lasagne.random.set_rng(np.random.RandomState(20))
    try:
        net = _standin_network(dnn, corrmm, cc)
    finally:
        lasagne.random.set_rng(previous)
    inp = lasagne.layers.get_all_layers(net)[0]
    params = get_all_params(net, trainable=True)
    assert len(params) == 2 * 5
    loss = T.sqr(get_output(net) - 1).mean()
    step = theano.function([inp.input_var], loss,
                           updates=lasagne.updates.adam(loss, params, learning_rate=0.01))
    before = [p.get_value() for p in params]
    data = rand(4, 4, 10, 10, seed=16)
    losses = [float(step(data)) for _ in range(5)]
    assert all(np.isfinite(losses)) and losses[-1] < losses[0]
    assert all(not np.array_equal(b, p.get_value()) for b, p in zip(before, params))
