"""Lasagne-master code on Lasagne 0.1: one line naming what is missing and how to install master.

The same user files run on master (its lane) to show the message is never
given where the name or keyword exists.
"""
import importlib
import json

import pytest

import lasagne_params as lp
from helpers import run_cli, write
from lasagne_params import LayerSpec
from lasagne_params.backend.bridges import master_only
from lasagne_params.cli import main

INSTALL = ("pip install --no-deps https://github.com/Lasagne/Lasagne/archive/"
           "5d3c63cb315c50b1cbd27a6bc8664b406f34dd99.zip")

# user file -> (what the 0.1 line names, master's total for build())
USER_FILES = {
    "import_class": ("""
        from lasagne.layers import InputLayer, BatchNormLayer
        def build():
            return BatchNormLayer(InputLayer((None, 3)))
        """, "lasagne.layers.BatchNormLayer is in Lasagne master (0.2.dev1)", 4 * 3),
    "keyword": ("""
        from lasagne.layers import InputLayer, Conv2DLayer
        def build():
            return Conv2DLayer(InputLayer((None, 3, 8, 8)), 4, 3, flip_filters=False)
        """, "Conv2DLayer's keyword flip_filters= is in Lasagne master (0.2.dev1)",
                (3 * 3 * 3 + 1) * 4),
    "helper": ("""
        import lasagne
        def build():
            l = lasagne.layers.InputLayer((None, 3, 8, 8))
            return lasagne.layers.batch_norm(lasagne.layers.Conv2DLayer(l, 4, 3))
        """, "lasagne.layers.batch_norm is in Lasagne master (0.2.dev1)",
               3 * 3 * 3 * 4 + 4 * 4),
    "gpu_keyword": ("""
        from lasagne.layers import InputLayer
        from lasagne.layers.dnn import Conv2DDNNLayer
        def build():
            return Conv2DDNNLayer(InputLayer((None, 4, 8, 8)), 4, 3, num_groups=2)
        """, "Conv2DDNNLayer's keyword num_groups= is in Lasagne master (0.2.dev1)",
                    (3 * 3 * (4 // 2) + 1) * 4),
    "module": ("""
        from lasagne.layers import InputLayer
        from lasagne.layers.special import BiasLayer
        def build():
            return BiasLayer(InputLayer((None, 5)))
        """, "lasagne.layers.special is in Lasagne master (0.2.dev1)", 5),
    "subclass": ("""
        import lasagne_params
        from lasagne.layers import InputLayer, DenseLayer
        class MyDense(DenseLayer):
            pass
        lasagne_params.register_kind(MyDense, like="DenseLayer", replace=True)
        def build():
            return MyDense(InputLayer((None, 2, 3)), 5, num_leading_axes=2)
        """, "DenseLayer's keyword num_leading_axes= is in Lasagne master (0.2.dev1)",
                 (3 + 1) * 5),
}


def show_user_file(tmp_path, capsys, name):
    import textwrap
    text, _, _ = USER_FILES[name]
    path = write(tmp_path, name + ".py", textwrap.dedent(text))
    try:
        done = run_cli(capsys, "show", path + ":build", "--format", "json")
    finally:
        if "MyDense" in lp.supported_kinds():
            lp.unregister_kind("MyDense")          # the subclass file declares it
    return done.returncode, done.stdout, done.stderr, path


@pytest.mark.parametrize("name", sorted(USER_FILES))
def test_on_lasagne_01_one_line_names_it_and_how_to_install_master(
        lasagne_release, tmp_path, capsys, name):
    status, out, err, path = show_user_file(tmp_path, capsys, name)
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("lasagne-params: error: %s: " % path)
    assert USER_FILES[name][1] in err
    assert "not in the installed Lasagne 0.1; install master: %s\n" % INSTALL in err


@pytest.mark.parametrize("name", sorted(USER_FILES))
def test_on_master_the_same_files_just_work(lasagne_master, tmp_path, capsys, name):
    import json
    status, out, err, _ = show_user_file(tmp_path, capsys, name)
    assert status == 0, err
    assert json.loads(out)["total_params"] == USER_FILES[name][2]


def test_typos_and_other_errors_keep_their_own_message(lasagne):
    explain = master_only.explain
    assert explain(TypeError("Layer.__init__() got an unexpected keyword argument "
                             "'flip_filter'")) is None
    assert explain(ImportError("cannot import name 'BatchNormLayr' from 'lasagne.layers' "
                               "(/x/lasagne/layers/__init__.py)")) is None
    assert explain(AttributeError("module 'numpy' has no attribute 'float'")) is None
    assert explain(ValueError("lasagne.layers.BatchNormLayer")) is None
    assert explain(ModuleNotFoundError("No module named 'pylearn2'", name="pylearn2")) is None


def test_spec_builds_say_it_too(lasagne_release):
    base = LayerSpec("in", "InputLayer", (), {"shape": (None, 3, 8, 8)})
    with pytest.raises(lp.SpecError) as info:
        lp.build([base, LayerSpec("bn", "BatchNormLayer", ("in",), {})])
    assert (info.value.layer, info.value.field) == ("bn", "kind")
    assert info.value.message == ("lasagne.layers.BatchNormLayer is in Lasagne master "
                                  "(0.2.dev1), not in the installed Lasagne 0.1; install "
                                  "master: " + INSTALL)
    with pytest.raises(lp.LayerRuleError) as info:
        lp.build([base, LayerSpec("c", "Conv2DLayer", ("in",), {
            "num_filters": 4, "filter_size": 3, "flip_filters": False})])
    assert (info.value.layer, info.value.field) == ("c", "flip_filters")
    assert INSTALL in info.value.message
    with pytest.raises(lp.SpecError) as info:
        lp.build([base, LayerSpec("d", "DenseLayer", ("in",), {
            "num_units": 4, "nonlinearity": "elu"})])
    assert (info.value.layer, info.value.field) == ("d", "nonlinearity")
    assert info.value.message.startswith("lasagne.nonlinearities.elu is in Lasagne master")


def _exists(module, name):
    try:
        return hasattr(importlib.import_module(module), name) or bool(
            importlib.import_module("%s.%s" % (module, name)))
    except ImportError:
        return False


def test_master_names_exist_in_master(lasagne_master):
    for module, names in master_only.MASTER_NAMES.items():
        for name in names:
            assert _exists(module, name), (module, name)


def test_master_names_are_missing_from_01(lasagne_release):
    for module, names in master_only.MASTER_NAMES.items():
        for name in names:
            assert not _exists(module, name), (module, name)
            assert master_only.missing_name(module, name).startswith(
                "%s.%s is in Lasagne master (0.2.dev1), not in the installed Lasagne 0.1"
                % (module, name))


MASTER_SPEC = """\
layers:
  - {name: in, kind: InputLayer, shape: [null, 3, 8, 8]}
  - {name: conv, kind: Conv2DLayer, num_filters: 4, filter_size: 3}
  - {name: bn, kind: BatchNormLayer}
  - {name: out, kind: DenseLayer, num_units: 2}
"""


def test_checking_a_master_spec_on_01_says_how_to_install_master(lasagne_release, tmp_path,
                                                                 capsys):
    """show --check needs Lasagne to build the spec: on 0.1 its first word is what 0.1
    lacks and how to install master (not the rules' "derive for master")."""
    path = write(tmp_path, "net.yaml", MASTER_SPEC)
    status = main(["show", path, "--check"])
    err = capsys.readouterr().err
    assert status == 2 and err.count("\n") == 1
    assert err == ("lasagne-params: error: %s: layer 'bn' (BatchNormLayer): kind: "
                   "lasagne.layers.BatchNormLayer is in Lasagne master (0.2.dev1), not in "
                   "the installed Lasagne 0.1; install master: %s\n" % (path, INSTALL))


def test_checking_a_master_spec_on_master_agrees(lasagne_master, tmp_path, capsys):
    """conv (3*3*3+1)*4, batch norm 4*4 (beta, gamma, mean, inv_std), dense (4*6*6+1)*2."""
    path = write(tmp_path, "net.yaml", MASTER_SPEC)
    assert main(["show", path, "--check", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["derived"]["total_params"] == (3 * 3 * 3 + 1) * 4 + 4 * 4 + (4 * 6 * 6 + 1) * 2


@pytest.mark.parametrize("installed, says_install", [("0.1", True), (None, True),
                                                      ("0.2.dev1", False)])
def test_deriving_for_01_names_both_ways(monkeypatch, installed, says_install):
    """A master class derived for 0.1: derive for master (--lasagne master), or, where
    master is not installed, install it to check against Lasagne."""
    from lasagne_params.core import versions
    monkeypatch.setattr(versions, "installed", lambda: installed)
    specs = [LayerSpec("in", "InputLayer", (), {"shape": (None, 3)}),
             LayerSpec("bn", "BatchNormLayer", ("in",), {})]
    with pytest.raises(lp.LayerRuleError) as info:
        lp.derive(specs, "0.1")
    assert "--lasagne master" in info.value.message
    assert ("install master: " + INSTALL in info.value.message) == says_install
    keyword = [specs[0], LayerSpec("d", "DenseLayer", ("in",),
                                   {"num_units": 2, "num_leading_axes": 1})]
    with pytest.raises(lp.LayerRuleError) as info:
        lp.derive(keyword, "0.1")
    assert info.value.field == "num_leading_axes"
    assert ("install master: " + INSTALL in info.value.message) == says_install
