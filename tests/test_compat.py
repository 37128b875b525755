"""The compat layer: feature-detected, idempotent, a no-op where names exist."""
import json
import os
import subprocess
import sys
import textwrap

import pytest

from lasagne_params.backend.bridges import compat



def run_py(code, env_extra=None, drop=("THEANO_FLAGS",)):
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(env_extra or {})
    env["PYTHONPATH"] = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], env=env,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def needs_theano():
    import importlib.util
    if importlib.util.find_spec("theano") is None:
        pytest.skip("Theano not installed")


def test_first_call_bridges_second_is_a_no_op(tmp_path):
    needs_theano()
    result = run_py("""
        import importlib.metadata, json, os
        from lasagne_params import install_compat
        first = install_compat(); second = install_compat()
        import lasagne, theano
        print(json.dumps({"first": first.applied, "second": second.applied,
                          "present": second.present, "flags": os.environ["THEANO_FLAGS"],
                          "ldflags": theano.config.blas__ldflags,
                          "lasagne": lasagne.__version__,
                          "installed": importlib.metadata.version("Lasagne")}))
    """, {"THEANORC": str(tmp_path / "none")})
    applied = " ".join(result["first"])
    for bridge in ("blas__ldflags", "MRG_RandomStreams", "downsample", "theano.gof.Variable",
                   "theano.Variable", "theano.gof.graph.inputs",
                   "theano.gof.graph.is_same_graph"):
        assert bridge in applied
    assert result["second"] == []
    assert {"MRG_RandomStreams", "theano.tensor.signal.downsample", "theano.gof.Variable",
            "theano.Variable", "theano.gof.graph.inputs"} <= set(result["present"])
    assert result["flags"] == "blas__ldflags="          # added once, not twice
    assert result["ldflags"] == ""
    assert result["lasagne"] == result["installed"] in ("0.1", "0.2.dev1")


def test_existing_names_are_left_alone(tmp_path):
    needs_theano()
    result = run_py("""
        import json, sys, types
        import theano, theano.sandbox.rng_mrg as rng, theano.tensor.signal as signal
        rng.MRG_RandomStreams = "mine"
        down = types.ModuleType("theano.tensor.signal.downsample")
        down.max_pool_2d = "mine"
        sys.modules[down.__name__] = down
        theano.gof = types.SimpleNamespace(Variable="mine", graph=types.SimpleNamespace(
            inputs="mine", is_same_graph="mine"))
        theano.Variable = "mine"
        from lasagne_params import install_compat
        report = install_compat()
        print(json.dumps({"applied": report.applied, "rng": rng.MRG_RandomStreams,
                          "down": sys.modules[down.__name__].max_pool_2d,
                          "gof": theano.gof.Variable, "inputs": theano.gof.graph.inputs,
                          "variable": theano.Variable, "notes": report.notes}))
    """, {"THEANO_FLAGS": "blas__ldflags=", "THEANORC": str(tmp_path / "none")}, drop=())
    assert not any(b in " ".join(result["applied"])
                   for b in ("MRG", "downsample", "gof", "Variable", "blas__ldflags"))
    assert (result["rng"], result["down"], result["gof"], result["inputs"],
            result["variable"]) == ("mine",) * 5
    assert "theano was already imported" in result["notes"][0]


def test_user_blas_setting_is_respected(tmp_path):
    needs_theano()
    result = run_py("""
        import json, os
        from lasagne_params import install_compat
        report = install_compat()
        print(json.dumps({"present": report.present, "flags": os.environ["THEANO_FLAGS"]}))
    """, {"THEANO_FLAGS": "floatX=float32,blas__ldflags=", "THEANORC": str(tmp_path / "x")},
        drop=())
    assert result["flags"] == "floatX=float32,blas__ldflags="
    assert "blas__ldflags (set by the user)" in result["present"]


def test_user_configured_blas_reads_flags_and_rc_files(tmp_path):
    assert compat.user_configured_blas({"THEANO_FLAGS": "blas__ldflags=-lblas"}, [])
    assert compat.user_configured_blas({"THEANO_FLAGS": "floatX=float32, blas.ldflags="}, [])
    assert not compat.user_configured_blas({"THEANO_FLAGS": "floatX=float32"}, [])
    rc = tmp_path / "theanorc"
    rc.write_text("[global]\nfloatX = float32\n")
    assert not compat.user_configured_blas({}, [str(rc)])
    rc.write_text("[blas]\nldflags = -lopenblas\n")
    assert compat.user_configured_blas({}, [str(rc), str(tmp_path / "missing")])
    rc.write_text("this is [not an ini file\n")
    assert not compat.user_configured_blas({}, [str(rc)])


def test_prefer_floatx_only_where_the_user_chose_none(tmp_path):
    env = {"THEANO_FLAGS": "blas__ldflags="}
    assert compat.prefer_floatx("float32", env, [])
    assert env["THEANO_FLAGS"] == "blas__ldflags=,floatX=float32"
    assert not compat.prefer_floatx("float32", env, [])          # now it is set
    env = {"THEANO_FLAGS": "floatX=float64"}
    assert not compat.prefer_floatx("float32", env, [])
    assert env == {"THEANO_FLAGS": "floatX=float64"}
    rc = tmp_path / "theanorc"
    rc.write_text("[global]\nfloatX = float64\n")
    env = {}
    assert not compat.prefer_floatx("float32", env, [str(rc)]) and env == {}
    env = {}
    assert compat.prefer_floatx("float16", env, [str(tmp_path / "missing")])
    assert env == {"THEANO_FLAGS": "floatX=float16"}


def test_pkg_resources_stand_in_serves_lasagne_only(monkeypatch):
    """Where setuptools has no pkg_resources, Lasagne alone is given a stand-in."""
    import importlib.util
    monkeypatch.delitem(sys.modules, "pkg_resources", raising=False)
    monkeypatch.setattr(sys, "meta_path", [f for f in sys.meta_path
                                           if not isinstance(f, compat._LasagnePkgResources)])
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "pkg_resources"
                        else real_find_spec(name, *a))
    report = compat.CompatReport()
    compat._bridge_pkg_resources(report)
    assert report.applied == ["pkg_resources.get_distribution for Lasagne -> importlib.metadata"]
    finder = sys.meta_path[-1]
    assert finder.find_spec("pkg_resources") is None          # not for this module
    namespace = {"__name__": "lasagne"}                       # as if lasagne/__init__
    exec("import sys\nspec = sys.meta_path[-1].find_spec('pkg_resources')", namespace)
    module = importlib.util.module_from_spec(namespace["spec"])
    namespace["spec"].loader.exec_module(module)
    sys.modules["pkg_resources"] = module
    assert module.get_distribution("pytest").version == __import__("pytest").__version__
    assert "pkg_resources" not in sys.modules                 # it leaves after use
    again = compat.CompatReport()
    compat._bridge_pkg_resources(again)
    assert again.applied == [] and again.present == ["pkg_resources (for Lasagne)"]


def test_downsample_bridge_pools_like_theano_0_7(lasagne):
    """The bridged max_pool_2d(input, ds, ignore_border, st, padding, mode) really pools."""
    import numpy as np
    import theano
    import theano.tensor as T
    from theano.tensor.signal import downsample
    x = T.tensor4()
    f = theano.function([x], downsample.max_pool_2d(x, ds=(2, 2), ignore_border=True,
                                                    st=(2, 2), padding=(0, 0), mode="max"))
    data = np.arange(16, dtype=theano.config.floatX).reshape(1, 1, 4, 4)
    assert f(data).tolist() == [[[[5.0, 7.0], [13.0, 15.0]]]]


def test_pkg_resources_stand_in_serves_theano_gpuarray_linalg(monkeypatch):
    """Theano's scan imports theano.gpuarray.linalg, which needs DistributionNotFound."""
    import importlib.util
    finder = compat._LasagnePkgResources()
    namespace = {"__name__": "theano.gpuarray.linalg", "finder": finder}
    exec("spec = finder.find_spec('pkg_resources')", namespace)
    module = importlib.util.module_from_spec(namespace["spec"])
    namespace["spec"].loader.exec_module(module)
    assert issubclass(module.DistributionNotFound, Exception)
    assert module.fixup_namespace_packages("/anywhere") is None
    with pytest.raises(module.DistributionNotFound):
        module.get_distribution("no-such-distribution-here")
    namespace = {"__name__": "some.other.module", "finder": finder}
    exec("spec = finder.find_spec('pkg_resources')", namespace)
    assert namespace["spec"] is None


def test_graph_inputs_bridge_lists_inputs_left_to_right(lasagne):
    """theano.gof.graph.inputs as Theano 1.0 had it: a list, depth first from the last
    expression (Lasagne passes ``reversed(expressions)`` to get the first one's first)."""
    import theano
    import theano.tensor as T
    from theano.gof.graph import inputs          # the import statement master uses works
    x, y, z = T.scalar("x"), T.scalar("y"), T.scalar("z")
    shared = theano.shared(1.0, name="w")
    found = inputs([x + y * shared, z])
    assert isinstance(found, list)
    assert found == [z, x, y, shared]
    assert inputs(reversed([x + y * shared, z])) == [x, y, shared, z]
    product = y * z
    assert inputs([x + product], blockers=[product]) == [x]     # nothing below y*z
    assert isinstance(shared, theano.Variable) and theano.Variable is theano.gof.Variable


@pytest.mark.parametrize("first", ["theano", "theano.tensor", "lasagne"])
def test_bridges_on_first_import_of_theano_itself(first):
    """A historical file's first line is often ``import theano``: the bridges, installed
    while Python looks for Theano, import it; that import must be the one the file gets
    (Theano's __init__ run once, bridged), with Theano's own __spec__."""
    needs_theano()
    result = run_py("""
        import importlib, json, sys
        from lasagne_params.backend.bridges.on_import import bridge_on_first_import
        bridge_on_first_import()
        importlib.import_module(%r)
        import theano, lasagne
        from lasagne.layers import DenseLayer, InputLayer
        net = DenseLayer(InputLayer((None, 3)), 2)       # master: needs theano.Variable
        print(json.dumps({"Variable": hasattr(theano, "Variable"),
                          "loader": type(theano.__spec__.loader).__name__,
                          "params": int(lasagne.layers.count_params(net))}))
    """ % first)
    assert result == {"Variable": True, "loader": "SourceFileLoader", "params": (3 + 1) * 2}


def test_theano_image_shape_warning_is_silenced_for_lasagne_only(tmp_path):
    """issue 22: Lasagne 0.1's Conv2DLayer passes image_shape= to conv2d and Theano warned
    on stderr for every graph built; the user's own call and other warnings still show."""
    needs_theano()
    code = """
        import json, warnings
        import lasagne_params
        lasagne_params.install_compat()
        import lasagne, theano, theano.tensor as T
        from lasagne import layers
        with warnings.catch_warnings(record=True) as caught:
            warnings.resetwarnings()                  # every warning shown, ours dropped
            lasagne_params.install_compat()           # puts it back
            net = layers.Conv2DLayer(layers.InputLayer((None, 1, 8, 8)), 2, 3)
            out = layers.get_output(net)
            theano.function([net.input_layer.input_var], out)
            lasagne_lines = [str(w.message)[:40] for w in caught
                             if "image_shape" in str(w.message)]
            count = len(caught)
            T.nnet.conv2d(T.tensor4(), T.tensor4(), image_shape=(None, 1, 8, 8))
            warnings.warn("another warning", UserWarning)
        print(json.dumps({"lasagne": lasagne_lines,
                          "after": [str(w.message)[:40] for w in caught[count:]]}))
    """
    result = run_py(code, {"THEANORC": str(tmp_path / "none")})
    assert result["lasagne"] == []
    assert result["after"] == ["The `image_shape` keyword argument to `t", "another warning"]
