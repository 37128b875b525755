"""Old module names served where gone (backend/bridges/legacy_modules.py).

Oracles: a fresh interpreter per legacy module (nothing imported before
``install_compat``); the modern call each stands for (Lasagne's CPU layers,
``model_selection``); numpy (cross-correlation and pooling written below, the
old ``RandomStreams`` seeding: ``RandomState(RandomState(seed).randint(2**30))``
per stream); the old scikit-learn's documented folds worked out by hand.
"""
import json
import os
import subprocess
import sys
import textwrap
import warnings

import numpy as np
import pytest

from helpers import LEGACY, ROOT, cli, correlate, run_cli, write
from lasagne_params.backend.bridges import legacy_modules

RECORDS = {record.name: record for record in legacy_modules.LEGACY_MODULES}


def run_fresh(code):
    """Run ``code`` in a new interpreter; its last stdout line, as JSON."""
    env = {k: v for k, v in os.environ.items() if k != "THEANO_FLAGS"}
    env["PYTHONPATH"] = ROOT
    out = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], env=env,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def needs(record):
    for package in record.requires:
        pytest.importorskip(package)


# ------------------------------------------------------------------ the table itself

@pytest.mark.parametrize("name", sorted(RECORDS))
def test_each_legacy_module_imports_in_a_fresh_interpreter(lasagne, name):
    record = RECORDS[name]
    needs(record)
    result = run_fresh("""
        import importlib, json
        from lasagne_params import install_compat
        report = install_compat()
        module = importlib.import_module(%r)
        print(json.dumps({"applied": report.applied, "marker": module.__lasagne_params_compat__,
                          "all": module.__all__,
                          "missing": [n for n in module.__all__ if not hasattr(module, n)],
                          "again": install_compat().present}))
    """ % name)
    assert record.says in result["applied"]
    assert result["marker"] == "no such module"
    assert result["all"] and result["missing"] == []
    assert name + " (stand-in)" in result["again"]


def test_every_record_says_what_replaces_it_and_needs_an_installed_package():
    for record in legacy_modules.LEGACY_MODULES:
        assert record.replacement and record.requires
        assert record.says == "%s -> %s" % (record.name, record.replacement)
        assert record.mirrors or record.fill
    assert len(RECORDS) == len(legacy_modules.LEGACY_MODULES) == len(legacy_modules.NAMES)


def test_a_real_module_is_kept_and_one_raising_importerror_is_replaced(lasagne, tmp_path):
    """sklearn.cross_validation put on sklearn's path: the real file runs, not the stand-in;
    a real sklearn.grid_search that raises ImportError gets the stand-in, saying why."""
    pytest.importorskip("sklearn")
    (tmp_path / "cross_validation.py").write_text("MINE = True\n")
    (tmp_path / "grid_search.py").write_text("raise ImportError('old module, broken')\n")
    result = run_fresh("""
        import json, sklearn
        sklearn.__path__.append(%r)
        from lasagne_params import install_compat
        report = install_compat()
        import sklearn.cross_validation as cv, sklearn.grid_search as gs
        print(json.dumps({"present": report.present, "applied": report.applied,
                          "mine": getattr(cv, "MINE", False),
                          "compat": hasattr(cv, "__lasagne_params_compat__"),
                          "why": gs.__lasagne_params_compat__,
                          "search": hasattr(gs, "GridSearchCV")}))
    """ % str(tmp_path))
    assert "sklearn.cross_validation (installed)" in result["present"]
    assert not any(s.startswith("sklearn.cross_validation") for s in result["applied"])
    assert result["mine"] and not result["compat"]
    assert result["why"] == "ImportError: old module, broken" and result["search"]


def test_a_record_is_served_only_where_its_packages_are_installed(lasagne, monkeypatch):
    import importlib
    LegacyModule = legacy_modules.LegacyModule
    absent = LegacyModule("json.old_name", "json", ("no_such_package_here",), mirrors="json")
    present = LegacyModule("json.older_name", "json", ("json",), mirrors="json")
    monkeypatch.setattr(legacy_modules, "_served", {})          # served() stays as it was
    for record in (absent, present):
        monkeypatch.setitem(legacy_modules._BY_NAME, record.name, record)
    finder = legacy_modules.LegacyFinder()
    assert finder.find_spec("lasagne.layers.conv") is None          # not in the table
    assert finder.find_spec(absent.name, json.__path__) is None
    with pytest.raises(ModuleNotFoundError):
        importlib.import_module(absent.name)
    try:
        served = importlib.import_module(present.name)
        assert served.dumps is json.dumps
        assert legacy_modules.served() == {present.name: "no such module"}
    finally:
        sys.modules.pop(present.name, None)
        vars(json).pop("older_name", None)


# ------------------------------------------------------------- theano.sandbox.cuda



def rand(*shape, seed=0):
    import theano
    return np.random.RandomState(seed).uniform(-1, 1, shape).astype(theano.config.floatX)


def compute(inputs, outputs, *values):
    import theano
    return theano.function(inputs, outputs)(*values)


@pytest.fixture(scope="module")
def cuda(lasagne):
    import theano.sandbox.cuda
    if not getattr(theano.sandbox.cuda, "__lasagne_params_compat__", False):
        pytest.skip("Theano's real old GPU backend is installed here")
    return theano.sandbox.cuda


def test_the_old_gpu_backend_says_there_is_no_gpu(cuda):
    from theano.sandbox.cuda import dnn
    assert cuda.cuda_available is False and cuda.cuda_enabled is False
    assert dnn.dnn_available() is False and dnn.dnn_available.msg == "CUDA not available"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        cuda.use("gpu0")
        cuda.use("gpu1", force=True)
    said = [w for w in caught if "theano.sandbox.cuda.use" in str(w.message)]
    assert len(said) <= 1                    # once per process (an earlier test may have)
    cuda.unuse()


@pytest.mark.parametrize("border_mode, pad, subsample", [
    ("valid", (0, 0), (1, 1)), ("full", (2, 2), (1, 1)), ("half", (1, 1), (2, 2)),
    ((1, 2), (1, 2), (1, 1)), (1, (1, 1), (2, 1))])
def test_dnn_conv_computes_cudnns_convolution_on_the_cpu(cuda, border_mode, pad, subsample):
    import theano.tensor as T
    from lasagne.layers import Conv2DLayer, InputLayer, get_output
    from lasagne.nonlinearities import identity
    from theano.sandbox.cuda.dnn import dnn_conv
    x, w = rand(2, 3, 9, 8, seed=1), rand(4, 3, 3, 3, seed=2)
    img = T.tensor4()
    layer = Conv2DLayer(InputLayer((None, 3, 9, 8), img), 4, 3, stride=subsample, pad=pad,
                        W=w, b=None, nonlinearity=identity)
    kerns = layer.W
    cross, conv, lasagnes = compute(
        [img], [dnn_conv(img, kerns, border_mode, subsample, conv_mode="cross"),
                dnn_conv(img, kerns, border_mode, subsample),      # 'conv': flipped
                get_output(layer)], x)
    expected = correlate(x, w, pad, subsample)
    np.testing.assert_allclose(cross, expected, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(conv, correlate(x, w[:, :, ::-1, ::-1], pad, subsample),
                               rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(lasagnes, conv, rtol=1e-5, atol=1e-5)  # Conv2DLayer flips too
    with pytest.raises(ValueError, match="conv_mode"):
        dnn_conv(img, kerns, conv_mode="correlate")


def test_dnn_conv3d_cross_correlates_in_three_dimensions(cuda):
    import theano.tensor as T
    from theano.sandbox.cuda.dnn import dnn_conv3d
    x, w = rand(1, 2, 4, 5, 3, seed=3), rand(3, 2, 2, 3, 2, seed=4)
    img, kerns = T.TensorType(x.dtype, (False,) * 5)(), T.TensorType(w.dtype, (False,) * 5)()
    out = compute([img, kerns], dnn_conv3d(img, kerns, conv_mode="cross"), x, w)
    assert out.shape == (1, 3, 4 - 1, 5 - 2, 3 - 1)
    for d, r, c in np.ndindex(*out.shape[2:]):
        window = x[:, :, d:d + 2, r:r + 3, c:c + 2]
        np.testing.assert_allclose(out[:, :, d, r, c],
                                   np.tensordot(window, w, axes=([1, 2, 3, 4], [1, 2, 3, 4])),
                                   rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("mode", ["max", "average_inc_pad", "average_exc_pad", "average"])
def test_dnn_pool_pools_whole_windows_as_pool2dlayer(cuda, mode):
    import theano.tensor as T
    from lasagne.layers import InputLayer, Pool2DLayer, get_output
    from theano.sandbox.cuda.dnn import dnn_pool
    x = rand(2, 3, 7, 6, seed=5)
    img = T.tensor4()
    layer = Pool2DLayer(InputLayer((None, 3, 7, 6), img), pool_size=3, stride=2, pad=(1, 1),
                        ignore_border=True,
                        mode="average_inc_pad" if mode == "average" else mode)
    mine, lasagnes = compute([img], [dnn_pool(img, (3, 3), (2, 2), mode, (1, 1)),
                                     get_output(layer)], x)
    assert mine.shape == (2, 3, (7 + 2 - 3) // 2 + 1, (6 + 2 - 3) // 2 + 1)
    np.testing.assert_allclose(mine, lasagnes)
    if mode == "max":                                   # numpy: padded with -inf
        padded = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)), constant_values=-np.inf)
        expected = [[padded[:, :, r:r + 3, c:c + 3].max(axis=(2, 3)) for c in range(0, 6, 2)]
                    for r in range(0, 7, 2)]
        np.testing.assert_allclose(mine, np.transpose(expected, (2, 3, 0, 1)))


def test_transfers_are_identities_and_allocation_happens_on_the_cpu(cuda):
    import theano
    import theano.tensor as T
    from theano.sandbox.cuda.basic_ops import (as_cuda_ndarray_variable, gpu_alloc_empty,
                                               gpu_contiguous, gpu_from_host, host_from_gpu)
    x = T.matrix()
    data = rand(3, 4)
    outs = [f(x) for f in (gpu_contiguous, gpu_from_host, host_from_gpu,
                           as_cuda_ndarray_variable)]
    assert all(out is x for out in outs)
    for value in compute([x], [host_from_gpu(gpu_from_host(x)) * 2], data):
        np.testing.assert_array_equal(value, data * 2)
    empty = compute([x], gpu_alloc_empty(x.shape[0], 5, 2), data)
    assert empty.shape == (3, 5, 2) and empty.dtype == theano.config.floatX


@pytest.mark.parametrize("module, name", [
    ("theano.sandbox.cuda.dnn", "GpuDnnConvDesc"), ("theano.sandbox.cuda.dnn", "GpuDnnConvGradI"),
    ("theano.sandbox.cuda.blas", "GpuCorrMM"), ("theano.sandbox.cuda.var",
                                                "CudaNdarraySharedVariable"),
    ("theano.sandbox.cuda.type", "CudaNdarrayType"), ("theano.sandbox.cuda", "GpuOp"),
    ("theano.sandbox.cuda.blas", "GpuCorr3dMM"),
    ("theano.sandbox.cuda.basic_ops", "HostFromGpu"),
    ("theano.sandbox.cuda.basic_ops", "GpuFromHost")])
def test_gpu_only_classes_exist_and_refuse_to_be_made_in_one_line(cuda, module, name):
    """GPU data (a type, a variable) cannot be made; an op can (a layer's constructor
    makes its op: VoxNet's GpuCorr3dMM), and applying it raises the same one line."""
    import importlib
    import theano
    cls = getattr(importlib.import_module(module), name)
    assert not isinstance(theano.shared(np.zeros(2)), cls)
    from lasagne_params.backend.bridges.legacy_theano import GpuOnlyOp
    with pytest.raises(RuntimeError) as caught:
        made = cls(border_mode="valid")
        assert issubclass(cls, GpuOnlyOp)
        made(theano.tensor.matrix())
    message = str(caught.value)
    assert "\n" not in message and message.startswith("%s.%s needs a CUDA GPU" % (module, name))
    from theano.sandbox.cuda.var import float32_shared_constructor
    with pytest.raises(RuntimeError, match="float32_shared_constructor needs a CUDA GPU"):
        float32_shared_constructor(np.zeros(2, "float32"))


# ------------------------------------------------------ theano.tensor.shared_randomstreams

def old_stream(seed, k):
    """The k-th stream the old RandomStreams(seed) made: seeded from RandomState(seed)."""
    seeds = np.random.RandomState(seed)
    for _ in range(k):
        seeds.randint(2 ** 30)
    return np.random.RandomState(int(seeds.randint(2 ** 30)))


def test_random_streams_draw_what_the_old_class_drew(lasagne):
    import theano
    import theano.tensor as T
    from theano.tensor.shared_randomstreams import RandomStreams
    assert T.shared_randomstreams.RandomStreams is RandomStreams    # imported into theano.tensor
    x = T.matrix()
    srng = RandomStreams(seed=1234)
    draws = [srng.uniform((2, 3)), srng.normal((4,), avg=1.0, std=2.0),
             srng.binomial(x.shape, p=0.3, dtype=theano.config.floatX),
             srng.binomial((5,), n=4, prob=0.5), srng.random_integers((6,), 2, 4)]
    uniform, normal, mask, counts, integers = compute([x], draws, rand(2, 5))
    np.testing.assert_allclose(uniform, old_stream(1234, 0).uniform(0.0, 1.0, (2, 3)))
    np.testing.assert_allclose(normal, old_stream(1234, 1).normal(1.0, 2.0, (4,)))
    np.testing.assert_array_equal(mask, old_stream(1234, 2).binomial(1, 0.3, (2, 5)))
    assert mask.dtype == theano.config.floatX and counts.dtype == "int64"
    np.testing.assert_array_equal(counts, old_stream(1234, 3).binomial(4, 0.5, (5,)))
    np.testing.assert_array_equal(integers, old_stream(1234, 4).randint(2, 4 + 1, (6,)))
    assert set(integers) <= {2, 3, 4}
    assert len(srng.updates()) == 5
    following = theano.function([], srng.uniform((3,)))
    first, second = following(), following()                       # the stream moves on
    stream = old_stream(1234, 5)
    np.testing.assert_allclose([first, second], [stream.uniform(size=3), stream.uniform(size=3)])


def test_scan_module_names_theano_scan(lasagne):
    import theano.tensor as T
    from theano.scan_module import scan, until
    from theano.scan_module.scan_utils import equal_computations
    x = T.vector()
    assert equal_computations([x * 2], [x * 2]) and not equal_computations([x * 2], [x * 3])
    assert callable(scan) and until is not None


# ---------------------------------------------------------------- scikit-learn's old names

@pytest.fixture(scope="module")
def cross_validation(lasagne):
    pytest.importorskip("sklearn")
    import sklearn.cross_validation
    if not getattr(sklearn.cross_validation, "__lasagne_params_compat__", False):
        pytest.skip("this scikit-learn still has sklearn.cross_validation")
    return sklearn.cross_validation


def folds_of(iterator):
    return [test.tolist() for _, test in iterator]


def test_kfold_takes_the_size_and_iterates_contiguous_folds(cross_validation):
    kf = cross_validation.KFold(7, n_folds=3)
    # 7 = 3 + 2 + 2: the first 7 % 3 folds one longer
    assert len(kf) == 3 and folds_of(kf) == [[0, 1, 2], [3, 4], [5, 6]]
    assert [train.tolist() for train, _ in kf] == [[3, 4, 5, 6], [0, 1, 2, 5, 6],
                                                   [0, 1, 2, 3, 4]]
    shuffled = cross_validation.KFold(7, n_folds=3, shuffle=True, random_state=0)
    assert folds_of(shuffled) == folds_of(shuffled)          # shuffled once, when made
    assert sorted(sum(folds_of(shuffled), [])) == list(range(7))
    with pytest.raises(ValueError, match="n_folds=1"):
        cross_validation.KFold(7, n_folds=1)
    with pytest.raises(ValueError, match="greater than the number of samples"):
        cross_validation.KFold(2, n_folds=3)


def test_stratified_kfold_takes_the_labels_and_folds_as_the_old_one(cross_validation):
    y = [0, 0, 1, 1, 1, 0, 1, 0, 2]
    # by hand, the old algorithm: each class's samples, in order, split as KFold(count, 3)
    # class 0 at 0, 1, 5, 7 (4 = 2 + 1 + 1): 0, 1 -> fold 0; 5 -> 1; 7 -> 2
    # class 1 at 2, 3, 4, 6: 2, 3 -> fold 0; 4 -> 1; 6 -> 2
    # class 2 at 8 (1 < 3 folds: KFold(3, 3) trimmed, with a warning): 8 -> fold 0
    with pytest.warns(UserWarning, match="only 1 members"):
        skf = cross_validation.StratifiedKFold(y, n_folds=3)
    assert len(skf) == 3
    assert folds_of(skf) == [[0, 1, 2, 3, 8], [4, 5], [6, 7]]
    from sklearn.model_selection import StratifiedKFold
    with pytest.warns(UserWarning):
        today = [t.tolist() for _, t in StratifiedKFold(3).split(np.zeros(9), y)]
    assert today != folds_of(skf)                   # why the old algorithm is served
    balanced = cross_validation.StratifiedKFold([0, 1] * 6, n_folds=3, shuffle=True,
                                                random_state=1)
    for test in folds_of(balanced):
        assert len(test) == 4 and sum(i % 2 for i in test) == 2
    with pytest.raises(ValueError, match="less than 5 folds"):
        cross_validation.StratifiedKFold([0, 1, 1, 0, 0, 1], n_folds=5)


def test_the_delegating_iterators_give_model_selections_splits(cross_validation):
    from sklearn import model_selection as ms
    labels = [1, 1, 2, 2, 3, 3, 3]
    pairs = [
        (cross_validation.ShuffleSplit(10, n_iter=4, test_size=0.3, random_state=2),
         ms.ShuffleSplit(4, test_size=0.3, random_state=2).split(np.zeros(10))),
        (cross_validation.StratifiedShuffleSplit([0, 1] * 5, n_iter=3, random_state=0,
                                                 test_size=0.2),
         ms.StratifiedShuffleSplit(3, test_size=0.2, random_state=0).split(np.zeros(10),
                                                                           [0, 1] * 5)),
        (cross_validation.LeaveOneLabelOut(labels),
         ms.LeaveOneGroupOut().split(np.zeros(7), None, labels)),
        (cross_validation.LabelKFold(labels, n_folds=3),
         ms.GroupKFold(3).split(np.zeros(7), None, labels)),
        (cross_validation.LeaveOneOut(4), ms.LeaveOneOut().split(np.zeros(4))),
        (cross_validation.LeavePOut(4, 2), ms.LeavePOut(2).split(np.zeros(4))),
    ]
    for old, new in pairs:
        assert [(a.tolist(), b.tolist()) for a, b in old] == [(a.tolist(), b.tolist())
                                                              for a, b in new]
    assert len(pairs[0][0]) == 4 and len(cross_validation.LeavePOut(4, 2)) == 6
    assert cross_validation.train_test_split is ms.train_test_split


def test_cross_val_score_uses_the_old_three_stratified_folds(cross_validation):
    from sklearn.datasets import load_iris
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import cross_val_score
    X, y = load_iris(return_X_y=True)
    model = LogisticRegression(max_iter=1000)
    old = cross_validation.cross_val_score(model, X, y)
    expected = cross_val_score(model, X, y, cv=list(cross_validation.StratifiedKFold(y, 3)))
    assert len(old) == 3
    np.testing.assert_array_equal(old, expected)
    weighted = cross_validation.cross_val_score(model, X, y, cv=5,
                                                fit_params={"sample_weight": np.ones(150)})
    assert len(weighted) == 5
    assert isinstance(cross_validation.check_cv(4, X, y, classifier=False),
                      cross_validation.KFold)


def test_grid_search_takes_the_old_signature_and_keeps_grid_scores(lasagne):
    pytest.importorskip("sklearn")
    import sklearn.grid_search as grid_search
    if not getattr(grid_search, "__lasagne_params_compat__", False):
        pytest.skip("this scikit-learn still has sklearn.grid_search")
    from sklearn.base import clone
    from sklearn.datasets import load_iris
    from sklearn.linear_model import LogisticRegression
    X, y = load_iris(return_X_y=True)
    search = grid_search.GridSearchCV(LogisticRegression(max_iter=1000), {"C": [0.01, 1.0]},
                                      fit_params={"sample_weight": np.ones(150)}, iid=True)
    assert clone(search).get_params()["fit_params"] is not None
    search.fit(X, y)
    assert search.n_splits_ == 3 and search.cv is None           # cv left as given
    scores = search.grid_scores_
    assert [s.parameters for s in scores] == [{"C": 0.01}, {"C": 1.0}]
    for s in scores:
        assert len(s.cv_validation_scores) == 3
        assert s.mean_validation_score == pytest.approx(np.mean(s.cv_validation_scores))
    assert search.best_score_ == max(s.mean_validation_score for s in scores)
    randomized = grid_search.RandomizedSearchCV(LogisticRegression(max_iter=1000),
                                                {"C": [0.1, 1.0, 10.0]}, n_iter=2,
                                                random_state=0).fit(X, y)
    assert len(randomized.grid_scores_) == 2


def test_lda_qda_and_joblib_are_todays(lasagne, tmp_path):
    pytest.importorskip("sklearn")
    import joblib
    from sklearn import discriminant_analysis
    from sklearn.externals import joblib as old_joblib
    from sklearn.lda import LDA
    from sklearn.qda import QDA
    assert LDA is discriminant_analysis.LinearDiscriminantAnalysis
    assert QDA is discriminant_analysis.QuadraticDiscriminantAnalysis
    assert old_joblib.dump is joblib.dump and old_joblib.Parallel is joblib.Parallel
    old_joblib.dump({"a": 1}, str(tmp_path / "x.pkl"))
    assert joblib.load(str(tmp_path / "x.pkl")) == {"a": 1}


# ------------------------------------------------------------------- a historical script

def test_a_script_choosing_cpu_layers_by_dnn_available_runs(capsys, lasagne):
    out = run_cli(capsys, "run", os.path.join(LEGACY, "cudnn_switch.py"), "1")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == "cuDNN not available (CUDA not available): using the CPU layers"
    assert lines[1] == "90 training samples (3 folds), 30 validation samples"
    assert lines[2].startswith("epoch 1: training loss")
    assert "all 6 layers agree" in out.stderr
    total = (3 * 3 * 1 + 1) * 16 + (16 * 5 * 5 + 1) * 32 + (32 + 1) * 2
    assert "{:,}".format(total) in out.stderr


def test_a_script_whose_first_import_is_an_old_sklearn_name_runs(lasagne, tmp_path):
    """The bridges come with the script's first import of a legacy name, before any Theano."""
    pytest.importorskip("sklearn")
    script = write(tmp_path, "split.py", textwrap.dedent("""\
        from sklearn.cross_validation import KFold
        from sklearn.grid_search import GridSearchCV
        print([test.tolist() for _, test in KFold(5, n_folds=2)])
    """))
    done = cli("run", script)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "[[0, 1, 2], [3, 4]]\n"          # 5 = 3 + 2


def test_random_streams_shuffle_row_elements_and_permutation(lasagne):
    """The old methods neural-photo-editor's mask generator builds with: a permutation per
    row of the last axis (uniformly random; not the old class's numbers)."""
    import theano
    import theano.tensor as T
    from theano.tensor.shared_randomstreams import RandomStreams
    srng = RandomStreams(seed=3)
    x = T.matrix()
    rows = theano.function([x], srng.shuffle_row_elements(x))(
        np.arange(12, dtype=theano.config.floatX).reshape(3, 4))
    assert rows.shape == (3, 4)
    for i, row in enumerate(rows):
        assert sorted(row) == list(range(4 * i, 4 * i + 4))
    perms = theano.function([], srng.permutation(size=(2,), n=5))()
    assert perms.shape == (2, 5) and all(sorted(p) == list(range(5)) for p in perms)
