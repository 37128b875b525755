"""User code runs one way for every command: the same state, the same errors, the same hints.

``show FILE.py:NAME`` and ``run FILE.py`` (and ``--kinds``, and the Python API)
go through :mod:`lasagne_params.usercode`: a missing optional package is one
line naming the extra on both (never "internal error"), a Python 2 failure
points at ``--python2`` on both, the working folder comes back after code that
changes it, and a virtual environment beside a script is nobody's sibling.
"""
import json
import os
import subprocess
import sys
import textwrap

import pytest

from helpers import LEGACY, ROOT, assert_one_error_line, run_cli, write
import lasagne_params as lp
from lasagne_params.usercode import hooks, running

#: Runs the command line with Theano unimportable (as on a machine without the extra).
WITHOUT_THEANO = textwrap.dedent("""
    import sys
    sys.modules["theano"] = None              # any import of theano now fails
    from lasagne_params.cli import main
    sys.exit(main(sys.argv[1:]))
""")

LASAGNE_SCRIPT = "import lasagne\nnet = lasagne.layers.InputLayer((None, 3))\n"


def _without_theano(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-c", WITHOUT_THEANO, *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("command", ["show", "run"])
def test_a_missing_theano_is_one_line_naming_the_extra_on_show_and_run(tmp_path, command):
    path = write(tmp_path, "net.py", LASAGNE_SCRIPT)
    args = ["show", path + ":net"] if command == "show" else ["run", path]
    done = _without_theano(*args)
    line = assert_one_error_line(
        done, "Theano-PyMC, which is not installed: pip install 'lasagne-params[lasagne]'")
    assert "internal error" not in line
    assert path in line                       # the file whose code needed it


def test_a_python2_name_gets_the_same_hint_from_show_and_run(tmp_path, capsys):
    path = write(tmp_path, "old.py", "import lasagne\nsizes = [w for w in xrange(3)]\n"
                                     "net = lasagne.layers.InputLayer((None, 3))\n")
    hint = "xrange is Python 2's: --python2 reads the file as Python 2"
    shown = run_cli(capsys, "show", path + ":net")
    assert shown.returncode == 2 and hint in shown.stderr
    ran = run_cli(capsys, "run", "--no-report", path)
    assert ran.returncode == 1                                # the script's status
    assert "NameError: name 'xrange' is not defined" in ran.stderr   # Python's traceback
    assert "lasagne-params: %s\n" % hint in ran.stderr
    again = run_cli(capsys, "run", "--python2", "--no-report", path)
    assert again.returncode == 0, again.stderr


def test_the_working_folder_comes_back_after_code_that_changes_it(tmp_path, capsys):
    """Old scripts start with os.chdir(os.path.dirname(__file__)): an output named on the
    command line is still written where the user stands, never over a file of the script's
    folder."""
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "precious.json").write_text("keep me")
    script = write(folder, "model.py", "import os\nos.chdir(os.path.dirname(__file__))\n"
                   + LASAGNE_SCRIPT + "net = lasagne.layers.DenseLayer(net, 2)\n")
    here = tmp_path / "here"
    here.mkdir()
    before = os.getcwd()
    os.chdir(here)
    try:
        done = run_cli(capsys, "snapshot", script + ":net", "-o", "precious.json")
        assert done.returncode == 0, done.stderr
        assert os.getcwd() == str(here)
    finally:
        os.chdir(before)
    assert (folder / "precious.json").read_text() == "keep me"
    written = json.loads((here / "precious.json").read_text())
    assert [layer["params"] for layer in written["layers"]] == [0, (3 + 1) * 2]


def test_modules_installed_under_the_scripts_folder_are_not_its_siblings(tmp_path):
    """A .venv beside the script (the README's own layout): its site-packages belongs to
    the usual finders and their hooks (the bridges'), not to the Python 2 sibling finder."""
    installed = tmp_path / ".venv" / "lib" / "python3.11" / "site-packages"
    installed.mkdir(parents=True)
    (installed / "probe_installed.py").write_text("VALUE = 1\n")
    (tmp_path / "probe_sibling.py").write_text("VALUE = 2\n")
    finder = hooks._UserModuleFinder()
    saved = list(sys.path)
    sys.path[:0] = [str(tmp_path), str(installed)]
    try:
        assert finder.find_spec("probe_installed") is None
        assert finder.find_spec("probe_sibling").origin == str(tmp_path / "probe_sibling.py")
    finally:
        sys.path[:] = saved


def test_show_of_a_script_beside_a_virtual_environment_holding_theano(tmp_path):
    """End to end: the venv's packages (theano and lasagne among them, found through
    sys.path) are left to the bridges' hook, so the script's network reads."""
    site = [p for p in sys.path if p.endswith("site-packages")][0]
    venv = tmp_path / ".venv" / "lib" / "python3.11"
    venv.mkdir(parents=True)
    os.symlink(site, venv / "site-packages")
    script = write(tmp_path, "train.py", LASAGNE_SCRIPT + "net = lasagne.layers.DenseLayer("
                   "net, 5)\n")
    code = ("import sys; sys.path.insert(0, sys.argv[1]); from lasagne_params.cli import "
            "main; sys.exit(main(['show', sys.argv[2] + ':net', '--format', 'json']))")
    done = subprocess.run([sys.executable, "-c", code, str(venv / "site-packages"), script],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["total_params"] == (3 + 1) * 5


def test_running_restores_what_it_changed(tmp_path):
    path = write(tmp_path, "m.py", "")
    saved = list(sys.path), sys.argv, os.getcwd()
    with running.running(path, argv=[path, "--epochs", "3"]):
        assert sys.path[0] == str(tmp_path) and sys.argv == [path, "--epochs", "3"]
        os.chdir(tmp_path)
    assert (list(sys.path), sys.argv, os.getcwd()) == saved


def test_each_failure_has_its_own_error_class(tmp_path):
    exits = write(tmp_path, "exits.py", "import sys\nsys.exit(3)\n")
    with pytest.raises(lp.UserExitError) as stopped:
        lp.load_networks(exits + ":net")
    assert stopped.value.code == 3 and isinstance(stopped.value, lp.TargetError)
    raises = write(tmp_path, "raises.py", "import os\nraise KeyError('k')\nx = 1\n")
    with pytest.raises(lp.UserCodeError) as failed:
        lp.load_networks(raises + ":x")
    assert failed.value.exception == "KeyError"
    assert str(failed.value) == ("%s: does not import (line 2): KeyError: 'k' (--keep-going "
                                 "runs the rest of the file without the statements that fail)"
                                 % raises)
    with pytest.raises(lp.TargetError, match="no such file"):
        lp.load_networks(str(tmp_path / "missing.py") + ":net")


def test_the_python_api_reads_a_target_as_the_command_line_does():
    target = os.path.join(LEGACY, "cnn_tutorial_nets.py") + ":net1"
    report = lp.derive(target)
    shown = lp.load_networks(target)
    assert len(shown) == 1
    assert report.total_params == lp.derive(shown[0].network).total_params == 122154


@pytest.mark.parametrize("how", ["os._exit(0)", "__import__('posix')._exit(0)"])
def test_a_module_ending_the_process_never_makes_check_pass(tmp_path, how):
    """os._exit(0) in a module named as a network: one error line, exit 2, never a silent
    0 (check against a snapshot would otherwise 'pass' having compared nothing)."""
    snapshot = tmp_path / "snap.json"
    path = write(tmp_path, "net.py", "net = 1\n")
    done = subprocess.run([sys.executable, "-m", "lasagne_params", "snapshot",
                           os.path.join(ROOT, "tests", "data", "question_layers.yaml"),
                           "-o", str(snapshot)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    path = write(tmp_path, "net.py", "import os\n%s\nnet = None\n" % how)
    done = subprocess.run([sys.executable, "-m", "lasagne_params", "check", path + ":net",
                           "--against", str(snapshot)], capture_output=True, text=True,
                          timeout=120, cwd=ROOT)
    assert_one_error_line(done, "ran sys.exit(0): no network was read")


def test_run_reports_a_script_ending_with_os_exit_and_keeps_its_status(tmp_path):
    path = write(tmp_path, "script.py", "import os, lasagne\n"
                 "net = lasagne.layers.DenseLayer(lasagne.layers.InputLayer((None, 2)), 3)\n"
                 "lasagne.layers.count_params(net)\nos._exit(4)\n")
    done = subprocess.run([sys.executable, "-m", "lasagne_params", "run", path],
                          capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert done.returncode == 4
    assert "1 network built by script.py" in done.stderr and "agree" in done.stderr


def test_stub_missing_serves_data_only_modules_and_never_invents_a_size(tmp_path, capsys):
    """A script imports packages that only load its data; --stub-missing stands in for them
    (one note each), and a size taken from them fails loudly instead of being made up."""
    path = write(tmp_path, "model.py",
                 "import h5py_gone\nfrom cv2_gone.util import resize\n"
                 "from lasagne.layers import InputLayer, DenseLayer\n"
                 "data = h5py_gone.File('train.h5')['X'][:] / 255.\n"
                 "net = DenseLayer(InputLayer((None, 4)), 3)\n"
                 "wide = DenseLayer(InputLayer((None, data.shape[1])), 3)\n")
    refused = run_cli(capsys, "show", path + ":net")
    assert refused.returncode == 2
    assert ("h5py_gone is not installed: install it, or --stub-missing serves an inert "
            "stand-in for a module that only loads data)") in refused.stderr
    shown = run_cli(capsys, "show", path + ":net", "--stub-missing", "--format", "json")
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)["total_params"] == (4 + 1) * 3
    assert "note: h5py_gone is not installed: an inert stand-in serves it" in shown.stderr
    assert "note: cv2_gone is not installed" in shown.stderr
    wide = run_cli(capsys, "show", path + ":wide", "--stub-missing")
    assert wide.returncode == 2
    assert "comes from a module that is not installed (--stub-missing stood in for it)" \
        in wide.stderr
    for name in [n for n in sys.modules if n.startswith(("h5py_gone", "cv2_gone"))]:
        del sys.modules[name]


def test_a_stand_in_module_has_a_file_and_binds_nothing_by_star(tmp_path, capsys):
    """Code reads a stood-in module's __file__ (a logger's setup, data beside a package): it
    gets a path, as from a real module, under a folder that does not exist, so data read
    from there is missing in one line; ``from stub import *`` binds nothing."""
    path = write(tmp_path, "logged.py",
                 "import os\nimport colorlog_gone\nfrom tqdm_gone import *\n"
                 "here = os.path.dirname(colorlog_gone.__file__)\n"
                 "from lasagne.layers import InputLayer, DenseLayer\n"
                 "net = DenseLayer(InputLayer((None, 4)), 3)\n"
                 "data = open(os.path.join(here, 'levels.txt')).read()\n")
    shown = run_cli(capsys, "show", path + ":net", "--stub-missing", "--format", "json")
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)["total_params"] == (4 + 1) * 3
    data = run_cli(capsys, "show", path + ":data", "--stub-missing")
    assert data.returncode == 2
    assert "FileNotFoundError" in data.stderr and "lasagne-params-inert-stand-in" \
        in data.stderr and "internal error" not in data.stderr, data.stderr
    for name in [n for n in sys.modules if n.startswith(("colorlog_gone", "tqdm_gone"))]:
        del sys.modules[name]


def test_the_projects_own_module_off_the_path_is_named_not_stood_in_for(tmp_path, capsys):
    """``from layers import Conv`` meaning the project's ../utils/layers.py (its author had
    utils on PYTHONPATH): the error names the file and the PYTHONPATH, and --stub-missing
    does not stand in for it (an inert layer class would leave nothing to derive)."""
    (tmp_path / "utils").mkdir()
    (tmp_path / "utils" / "custom_layers_here.py").write_text(
        "from lasagne.layers import DenseLayer as Conv\n")
    (tmp_path / "models").mkdir()
    path = write(tmp_path / "models", "model.py",
                 "from custom_layers_here import Conv\n"
                 "from lasagne.layers import InputLayer\n"
                 "net = Conv(InputLayer((None, 4)), 3)\n")
    hint = ("custom_layers_here is not installed, but ../utils/custom_layers_here.py is a "
            "module of that name in the project: run with its folder on the path, "
            "PYTHONPATH=")
    for options in ((), ("--stub-missing",)):
        done = run_cli(capsys, "show", path + ":net", *options)
        assert done.returncode == 2
        assert hint in done.stderr and "inert stand-in serves it" not in done.stderr, \
            done.stderr
    assert "custom_layers_here" not in sys.modules


def test_a_module_of_another_project_beside_this_one_is_not_the_projects_own(tmp_path, capsys):
    """Projects side by side in one folder (a folder of clones): a data-only module this
    project does not have (its ``utils/loader.py`` imports ``feeder_gone``) is not the one a
    sibling project has (``../other/lib/feeder_gone.py``): the search for the project's
    own module stops at the project's top (its ``.git``), so --stub-missing stands in for
    it and the network is derived, and the error without it advises --stub-missing, not a
    PYTHONPATH into the other project."""
    other = tmp_path / "other"
    (other / "lib").mkdir(parents=True)
    (other / "lib" / "feeder_gone.py").write_text("X = 1\n")
    project = tmp_path / "project"
    (project / ".git").mkdir(parents=True)
    (project / "utils").mkdir()
    (project / "utils" / "__init__.py").write_text("")
    (project / "utils" / "loader.py").write_text("import feeder_gone\n")
    path = write(project, "model.py",
                 "import sys, os\n"
                 "sys.path.insert(0, os.path.join(os.path.dirname(__file__), 'utils'))\n"
                 "import loader\n"
                 "from lasagne.layers import InputLayer, DenseLayer\n"
                 "net = DenseLayer(InputLayer((None, 4)), 3)\n")
    refused, shown = [run_cli(capsys, "show", path + ":net", *options) for options in
                      ((), ("--stub-missing", "--format", "json"))]
    assert (refused.returncode, shown.returncode) == (2, 0), (refused.stderr, shown.stderr)
    assert "--stub-missing serves" in refused.stderr and "PYTHONPATH" not in refused.stderr, \
        refused.stderr
    assert json.loads(shown.stdout)["total_params"] == (4 + 1) * 3
    for name in [n for n in sys.modules if n.startswith(("feeder_gone", "loader"))]:
        del sys.modules[name]


def test_inert_values_take_deletions_and_name_themselves_when_probed():
    from lasagne_params.usercode.stubs import Inert
    value = Inert("h5py.File")
    del value["X"]
    del value.attrs
    with pytest.raises(AttributeError, match="h5py.File has no __array__: it comes from a "
                       "module that is not installed"):
        value.__array__


def test_inert_values_refuse_every_use_as_a_number(tmp_path):
    from lasagne_params.usercode.stubs import Inert, InertValueError
    value = Inert("h5py.File")("x")["X"].shape[1] * 2 + 1
    for use in (int, bool, len, iter, float, lambda v: v < 3, lambda v: range(v)):
        with pytest.raises(InertValueError):
            use(value)


def test_a_half_made_object_of_a_failed_statement_dies_quietly(tmp_path):
    """A data loader whose ``__init__`` fails (its data is not here) before it sets what
    its ``__del__`` closes: the failure's traceback holds the half-made object until the
    failure is reported; its ``__del__`` then says nothing, and the error stays the one
    line (it followed the line as "Exception ignored in ..." and a traceback)."""
    write(tmp_path, "feeder_here.py",
          "class Feeder(object):\n"
          "    def __init__(self, path):\n"
          "        self.n = open(path).read()\n        self.handle = 1\n"
          "    def __del__(self):\n        self.handle.close()\n")
    path = write(tmp_path, "model.py",
                 "import lasagne\nfrom feeder_here import Feeder\n"
                 "train = Feeder('/nonexistent/data.lmdb')\n"
                 "net = lasagne.layers.DenseLayer(lasagne.layers.InputLayer((None, 3)), 2)\n")
    done = subprocess.run([sys.executable, "-m", "lasagne_params", "show", path + ":net"],
                          capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert_one_error_line(done, "(line 3; feeder_here.py line 3): FileNotFoundError")


def test_a_user_objects_failing_del_prints_nothing_after_the_answer(tmp_path):
    """Objects whose __del__ raises, collected while the code runs, with the command, and at
    the process's exit: no "Exception ignored in" traceback on stderr, the answer intact
    (an error line stays the only line)."""
    loader = ("import lasagne\n"
              "class Loader(object):\n"
              "    def __init__(self):\n        self.handle = None\n"
              "    def __del__(self):\n        self.handle.close()\n"
              "gone = Loader()\ngone = None\n"
              "kept = Loader()\n"
              "cycle = Loader()\ncycle.me = cycle\n")
    path = write(tmp_path, "loader.py", loader + "net = lasagne.layers.DenseLayer("
                 "lasagne.layers.InputLayer((None, 3)), 2)\n")
    done = subprocess.run([sys.executable, "-m", "lasagne_params", "show", path + ":net",
                           "--format", "json"], capture_output=True, text=True, timeout=300,
                          cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["total_params"] == (3 + 1) * 2
    assert "Exception ignored" not in done.stderr and "Traceback" not in done.stderr, \
        done.stderr
    broken = write(tmp_path, "broken.py", loader + "net = undefined_name\n")
    done = subprocess.run([sys.executable, "-m", "lasagne_params", "show", broken + ":net"],
                          capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert_one_error_line(done, "NameError: name 'undefined_name' is not defined")
    saved = sys.unraisablehook
    with running.running(path):
        pass
    assert sys.unraisablehook is saved              # put back for a program using the API
