"""Python 2 files translated in memory (lib2to3); nothing written; Python 3 errors stay theirs."""
import json
import os
import sys
import warnings

import pytest

from helpers import run_cli
from lasagne_params.usercode.hooks import tolerant_imports
from lasagne_params.usercode.sources import (classic_division, compile_source, python2,
                                             translate_python2)

PYTHON2 = ('x = 0777\n'
           'print "octal", x, `x`\n'
           'try:\n'
           '    int("a")\n'
           'except ValueError, e:\n'
           '    print >>sys.stderr, "bad", e\n'
           'if x:\n'
           '\ty = 1\n'                       # a tab: column 8, as Python 2 read it
           '        z = 2\n'                  # eight spaces: the same block
           'd = {}\n'
           'print d.has_key("a"), ur"raw"\n')


def run(code):
    import io
    scope = {"sys": sys}
    out = io.StringIO()
    saved, sys.stdout = sys.stdout, out
    try:
        exec(code, scope)
    finally:
        sys.stdout = saved
    return out.getvalue(), scope


def test_python2_is_translated_and_runs(capsys):
    notes = []
    code = compile_source(PYTHON2, "old.py", note=notes.append)
    printed, scope = run(code)
    assert capsys.readouterr().err == ("bad invalid literal for int() with base 10: 'a'\n")
    assert printed == "octal %d %d\nFalse raw\n" % (0o777, 0o777)
    assert (scope["y"], scope["z"]) == (1, 2)
    assert notes == ["lasagne-params: note: old.py is Python 2; translated to Python 3 in "
                     "memory (lib2to3, with Python 2's integer division), nothing written"]
    compile_source(PYTHON2, "old.py")
    assert capsys.readouterr().err.startswith("lasagne-params: note: old.py is Python 2")


def test_python3_compiles_as_it_is_and_its_errors_stay_its_own():
    notes = []
    printed, _ = run(compile_source("print('fine')\n", "new.py", note=notes.append))
    assert printed == "fine\n" and notes == []
    with pytest.raises(SyntaxError) as info:
        compile_source("def f(:\n    pass\n", "bad.py", note=notes.append)
    assert info.value.filename == "bad.py" and info.value.lineno == 1 and notes == []


def test_translation_leaves_warning_filters_alone():
    before = list(warnings.filters)
    translate_python2('print "x"\n')
    assert warnings.filters == before


def test_sibling_modules_may_be_python2_and_no_bytecode_is_written(tmp_path, capsys):
    (tmp_path / "old_helper.py").write_text('VALUE = 010\nprint "imported"\n')
    (tmp_path / "new_helper.py").write_text("VALUE = 3\n")
    sys.path.insert(0, str(tmp_path))
    try:
        with tolerant_imports():
            import old_helper
            import new_helper
        assert (old_helper.VALUE, new_helper.VALUE) == (8, 3)
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("old_helper", None)
        sys.modules.pop("new_helper", None)
    out, err = capsys.readouterr()
    assert out == "imported\n" and "old_helper.py is Python 2" in err
    cached = os.listdir(tmp_path / "__pycache__") if (tmp_path / "__pycache__").exists() else []
    assert not any(name.startswith("old_helper") for name in cached)   # only new_helper's
    assert (tmp_path / "old_helper.py").read_text() == 'VALUE = 010\nprint "imported"\n'


def test_python2_module_names_while_user_code_runs(tmp_path):
    import io
    import pickle
    with tolerant_imports():
        import cPickle
        from StringIO import StringIO
        assert cPickle is pickle and StringIO is io.StringIO
    assert "cPickle" not in sys.modules and "StringIO" not in sys.modules
    with pytest.raises(ImportError):
        import cPickle  # noqa: F401,F811


def test_classic_division_is_python_2s():
    """Python 2: int / int floors (also numpy's integers and integer arrays); else true."""
    import numpy as np
    assert [classic_division(a, b) for a, b in ((7, 2), (-7, 2), (6, 3), (True, 2))] == \
        [3, -4, 2, 0]
    assert classic_division(7.0, 2) == 3.5 and classic_division(7, 2.0) == 3.5
    assert classic_division(np.int64(9), 2) == 4 and classic_division(9, np.int32(2)) == 4
    assert classic_division(np.arange(5), 2).tolist() == [0, 0, 1, 1, 2]
    assert classic_division(np.arange(5.0), 2).tolist() == [0, 0.5, 1, 1.5, 2]
    assert classic_division(np.float32(7), 2) == 3.5


PYTHON2_DIVISION = ('"""A docstring."""\n'
                    'from __future__ import print_function\n'
                    'n = 64 / 4 / 3\n'
                    'class Box: pass\n'
                    'box = Box(); box.v = 9; box.v /= 2\n'
                    'items = [9, 9]; items[1] /= 4\n'
                    'f = 7.0 / 2\n')


def test_translated_python2_divides_as_python2(capsys):
    _, scope = run(compile_source(PYTHON2_DIVISION + 'octal = 0777\n', "old.py"))
    assert (scope["n"], scope["box"].v, scope["items"], scope["f"]) == (5, 4, [9, 2], 3.5)
    assert "(lib2to3, with Python 2's integer division)" in capsys.readouterr().err
    future = 'from __future__ import division\nprint "x"\nn = 7 / 2\n'
    _, scope = run(compile_source(future, "future.py"))
    assert scope["n"] == 3.5 and "(lib2to3), nothing written" in capsys.readouterr().err


def test_python2_scope_reads_python3_syntax_as_python2(capsys):
    """Code valid as Python 3 keeps true division unless the user says it is Python 2."""
    assert run(compile_source(PYTHON2_DIVISION, "new.py"))[1]["n"] == 64 / 4 / 3
    with python2():
        _, scope = run(compile_source(PYTHON2_DIVISION, "new.py"))
        _, kept = run(compile_source("from __future__ import division\nn = 7 / 2\n", "f.py"))
    assert (scope["n"], scope["box"].v, scope["items"], kept["n"]) == (5, 4, [9, 2], 3.5)
    assert "new.py read as Python 2 (--python2)" in capsys.readouterr().err
    assert run(compile_source("n = 7 / 2\n", "after.py"))[1]["n"] == 3.5   # scope ended


def test_python2_scope_reaches_sibling_modules(tmp_path, capsys):
    (tmp_path / "sizes.py").write_text("HALF = 9 / 2\n")
    sys.path.insert(0, str(tmp_path))
    try:
        with python2(), tolerant_imports():
            import sizes
        assert sizes.HALF == 4
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("sizes", None)


BOTTLENECK = ("import lasagne\n"
              "from lasagne.layers import InputLayer, DenseLayer\n"
              "def build():\n"
              "    width = 64\n"
              "    l = InputLayer((None, 10))\n"
              "    return DenseLayer(l, num_units=width / 4)\n")


def test_cli_python2_option(tmp_path, capsys, lasagne):
    """A Python 2 builder valid as Python 3: a one-line error pointing at --python2, then
    with it the network Python 2 built: (10+1)*16 = 176."""
    path = tmp_path / "old_model.py"
    path.write_text(BOTTLENECK)
    done = run_cli(capsys, "show", "%s:build" % path)
    assert done.returncode == 2 and done.stdout == ""
    assert "build() failed (line 6): TypeError" in done.stderr and "--python2" in done.stderr
    done = run_cli(capsys, "show", "%s:build" % path, "--python2", "--check",
                   "--format", "json")
    assert done.returncode == 0, done.stderr
    import json
    assert json.loads(done.stdout)["derived"]["total_params"] == (10 + 1) * 16 == 176
    assert "old_model.py read as Python 2 (--python2)" in done.stderr


def test_run_python2_option(tmp_path, capfd):
    """`run --python2 SCRIPT`: the script divides as Python 2 did; its output is its own."""
    from lasagne_params.cli import main
    script = tmp_path / "halves.py"
    script.write_text("import sys\nprint(int(sys.argv[1]) / 2)\n")
    assert main(["run", "--no-report", "--python2", str(script), "9"]) == 0
    assert capfd.readouterr().out == "4\n"
    assert main(["run", "--no-report", str(script), "9"]) == 0
    assert capfd.readouterr().out == "4.5\n"


def test_binds_finds_module_level_assignments_only():
    import ast
    from lasagne_params.usercode.sources import binds, runs_code
    cases = {"net = 1": True, "a, (b, net) = x": True, "net += 1": True, "del net": True,
             "for net in x: pass": True, "with f() as net: pass": True,
             "import net": True, "import a.b as net": True, "from a import b as net": True,
             "import net.sub": True, "try:\n    pass\nexcept E as net:\n    pass": True,
             "if (net := 3): pass": True, "def net(): pass": True, "class net: pass": True,
             "if x:\n    net = 2": True, "net.attr = 1": False, "net[0] = 1": False,
             "def f():\n    net = 1": False, "class C:\n    net = 1": False,
             "y = [net for net in x]": False, "f = lambda net: net": False,
             "print(net)": False}
    for source, expected in cases.items():
        assert binds(ast.parse(source).body[0], "net") is expected, source
    assert [runs_code(node) for node in ast.parse(
        '"""doc"""\nimport a\ndef f(): pass\nclass C: pass\npass\n'
        'if __name__ == "__main__":\n    f()\nf()\nx = 1\n').body] == \
        [False] * 6 + [True, True]


def test_a_python2_name_points_at_python2(tmp_path, capsys, lasagne):
    """xrange in a file that compiles as Python 3: the NameError names --python2, which
    reads it as Python 2 (lib2to3 turns xrange into range)."""
    path = tmp_path / "old_loop.py"
    path.write_text("from lasagne.layers import InputLayer, DenseLayer\n"
                    "net = InputLayer((None, 3))\n"
                    "for i in xrange(2):\n"
                    "    net = DenseLayer(net, 4)\n")
    done = run_cli(capsys, "show", "%s:net" % path)
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "lasagne-params: error: %s: does not import (line 3): NameError: name 'xrange' is "
        "not defined (xrange is Python 2's: --python2 reads the file as Python 2)" % path]
    done = run_cli(capsys, "show", "%s:net" % path, "--python2", "--format", "json")
    assert done.returncode == 0, done.stderr
    import json
    assert json.loads(done.stdout)["total_params"] == (3 + 1) * 4 + (4 + 1) * 4


def test_python2_lists_subscripted_point_at_python2(tmp_path, capsys, lasagne):
    """map/filter/zip/range and dict.keys()/values()/items() gave lists in Python 2: a
    TypeError from subscripting (or len()) of Python 3's lazy objects names --python2, and
    --python2 makes them lists (lib2to3's map, filter, zip and dict fixers)."""
    head = "from lasagne.layers import InputLayer, DenseLayer\n"
    tail = "net = DenseLayer(InputLayer((None, 3)), 4)\n"
    cases = {"units = map(int, ['3'])[0]\n": "'map' object is not subscriptable (map()",
             "n = len(filter(None, [1]))\n": "object of type 'filter' has no len() (filter()",
             "z = zip([1], [2])[0]\n": "'zip' object is not subscriptable (zip()",
             "k = {'a': 1}.keys()[0]\n": "'dict_keys' object is not subscriptable "
                                         "(dict.keys()",
             "v = {'a': 1}.values()[0]\n": "'dict_values' object is not subscriptable "
                                           "(dict.values()",
             "ks = {'a': 1}.keys()\nks.sort()\n": "'dict_keys' object has no attribute "
                                                  "'sort' (dict.keys()"}
    for number, (statement, words) in enumerate(cases.items()):
        path = tmp_path / ("old_lists_%d.py" % number)
        path.write_text(head + statement + tail)
        done = run_cli(capsys, "show", "%s:net" % path)
        assert done.returncode == 2
        (line,) = done.stderr.splitlines()
        assert words + " gave a list in Python 2: --python2 reads the file as Python 2)" \
            in line, line
        done = run_cli(capsys, "show", "%s:net" % path, "--python2", "--format", "json")
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)["total_params"] == (3 + 1) * 4


def test_python2_loaded_by_imp_load_source_and_execfile_is_translated(capsys, lasagne,
                                                                     tmp_path):
    """Old code loads its own Python 2 files by path: imp.load_source and execfile read them
    as the import hook does (translated in memory), --python2 or not."""
    (tmp_path / "conf").mkdir()
    (tmp_path / "conf" / "settings.py").write_text("UNITS = 12 / 5\nprint 'settings read'\n")
    (tmp_path / "extra.py").write_text("HIDDEN = 7\nprint 'extra read'\n")
    script = tmp_path / "model.py"
    script.write_text(
        "import imp, os\n"
        "here = os.path.dirname(os.path.abspath(__file__))\n"
        "settings = imp.load_source('settings', os.path.join(here, 'conf', 'settings.py'))\n"
        "execfile(os.path.join(here, 'extra.py'))\n"
        "from lasagne.layers import InputLayer, DenseLayer\n"
        "net = DenseLayer(DenseLayer(InputLayer((None, 3)), HIDDEN), settings.UNITS)\n")
    out = run_cli(capsys, "show", "%s:net" % script, "--format", "json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["total_params"] == (3 + 1) * 7 + (7 + 1) * (12 // 5)
    assert "settings read" in out.stderr and "extra read" in out.stderr
    import builtins
    assert not hasattr(builtins, "execfile")          # gone again afterwards


def test_keep_going_skips_statements_not_whole_notebook_cells(capsys, lasagne, tmp_path):
    """One failing import in an import cell: the imports beside it still run."""
    cells = [{"cell_type": "code", "source": ["import numpy as np\n", "import pandas_gone\n",
                                              "from lasagne import layers\n"]},
             {"cell_type": "code", "source": ["net = layers.DenseLayer(layers.InputLayer("
                                              "(None, np.int64(4))), 2)\n"]}]
    notebook = tmp_path / "tutorial.ipynb"
    notebook.write_text(json.dumps({"cells": cells, "nbformat": 4, "nbformat_minor": 2,
                                    "metadata": {}}))
    out = run_cli(capsys, "show", "%s:net" % notebook, "--keep-going", "--format", "json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["total_params"] == (4 + 1) * 2
    assert "line 2 failed and was skipped (--keep-going): ModuleNotFoundError" in out.stderr


def test_a_package_with_python2_implicit_relative_imports(capsys, lasagne, tmp_path):
    """Python 2 packages import their own modules by bare name; the failure says so and
    --python2 reads every file of the package as Python 2 (lib2to3 makes them relative)."""
    package = tmp_path / "mypkg"
    package.mkdir()
    (package / "__init__.py").write_text("from model import build\n")
    (package / "model.py").write_text(
        "import sizes\nfrom lasagne.layers import InputLayer, DenseLayer\n"
        "def build():\n    return DenseLayer(InputLayer((None, sizes.IN)), sizes.OUT)\n")
    (package / "sizes.py").write_text("IN = 6\nOUT = 4\n")
    script = tmp_path / "main.py"
    script.write_text("from mypkg import build\nnet = build()\n")
    for name in ("mypkg", "mypkg.model", "mypkg.sizes"):
        sys.modules.pop(name, None)
    out = run_cli(capsys, "show", "%s:net" % script)
    assert out.returncode == 2
    assert out.stderr.rstrip().endswith(
        "(%s imports model as Python 2 did, from its own package (an implicit relative "
        "import): --python2 reads the files as Python 2)" % (package / "__init__.py"))
    out = run_cli(capsys, "show", "%s:net" % script, "--python2", "--format", "json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["total_params"] == (6 + 1) * 4
    for name in ("mypkg", "mypkg.model", "mypkg.sizes"):
        sys.modules.pop(name, None)


def test_python2_modules_of_a_package_folder_imported_by_their_bare_name(capsys, lasagne,
                                                                       tmp_path):
    """A script (or a driver) beside the modules of a package folder imports them by
    their bare name (``from model import build``), as its author ran it: each is then a
    top-level module, whose ``import sizes`` meant the folder's sizes.py -- not
    ``from . import sizes`` (lib2to3's reading, for a module of the package), which has
    no parent package there."""
    folder = tmp_path / "nn_model"
    folder.mkdir()
    (folder / "__init__.py").write_text("")
    (folder / "model.py").write_text(
        "import cPickle\nimport sizes\nfrom lasagne.layers import InputLayer, DenseLayer\n"
        "def build():\n    print 'building'\n"
        "    return DenseLayer(InputLayer((None, sizes.IN)), sizes.OUT)\n")
    (folder / "sizes.py").write_text("IN = 6\nOUT = 4\n")
    script = folder / "run_model.py"
    script.write_text("import sizes\nfrom model import build\nnet = build()\n")
    for name in ("model", "sizes"):
        sys.modules.pop(name, None)
    out = run_cli(capsys, "show", "%s:net" % script, "--python2", "--format", "json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["total_params"] == (6 + 1) * 4
    for name in ("model", "sizes"):
        sys.modules.pop(name, None)


def test_python2_modules_outside_the_scripts_folder_are_the_users_too(capsys, lasagne,
                                                                      tmp_path):
    """A script adds ../lib to sys.path (dsb3, voxnet): those Python 2 modules are the
    user's, translated as siblings are; a failure deep in one names its file and line."""
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "old_sizes.py").write_text("HIDDEN = 9\nprint 'sizes'\n")
    (tmp_path / "lib" / "transforms.py").write_text(
        "def width(table):\n    return table.has_key('w') and table['w']\n")
    (tmp_path / "project").mkdir()
    script = tmp_path / "project" / "model.py"
    script.write_text(
        "import sys, os\n"
        "sys.path.append(os.path.join(os.path.dirname(__file__), '..', 'lib'))\n"
        "import old_sizes, transforms\n"
        "from lasagne.layers import InputLayer, DenseLayer\n"
        "net = DenseLayer(InputLayer((None, 2)), old_sizes.HIDDEN)\n"
        "width = transforms.width({'w': 3})\n")
    for name in ("old_sizes", "transforms"):
        sys.modules.pop(name, None)
    out = run_cli(capsys, "show", "%s:width" % script)
    assert out.returncode == 2
    lib = os.path.join(str(tmp_path / "project"), os.pardir, "lib", "transforms.py")
    assert out.stderr.rstrip().endswith(
        "does not import (line 6; %s line 2): AttributeError: 'dict' object has no attribute "
        "'has_key' (.has_key is Python 2's: --python2 reads the file as Python 2)"
        % os.path.abspath(lib))                   # outside the script's folder: in full
    for name in ("old_sizes", "transforms"):
        sys.modules.pop(name, None)
    out = run_cli(capsys, "show", "%s:net" % script, "--format", "json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["total_params"] == (2 + 1) * 9
    assert "old_sizes.py is Python 2; translated" in out.stderr
    for name in ("old_sizes", "transforms"):
        sys.modules.pop(name, None)


def test_an_nbformat_3_notebook_is_read(capsys, lasagne, tmp_path):
    notebook = tmp_path / "old.ipynb"
    notebook.write_text(json.dumps({"nbformat": 3, "nbformat_minor": 0, "metadata": {},
                                    "worksheets": [{"cells": [
                                        {"cell_type": "markdown", "source": ["# title"]},
                                        {"cell_type": "code", "language": "python",
                                         "input": ["from lasagne import layers\n",
                                                   "net = layers.DenseLayer("
                                                   "layers.InputLayer((None, 3)), 5)"]}]}]}))
    out = run_cli(capsys, "show", "%s:net" % notebook, "--format", "json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["total_params"] == (3 + 1) * 5


def test_an_exception_with_no_message_names_the_statement_that_failed(tmp_path, capsys, lasagne):
    """AttributeError() (a library's removed name, a helper's bare raise) prints as
    "AttributeError: ": the line names the statement of the user's file it came from, under
    --keep-going too, never an empty reason."""
    (tmp_path / "datasets_helper.py").write_text("def fetch_data(name):\n"
                                                 "    raise AttributeError()\n")
    path = tmp_path / "no_message.py"
    path.write_text("from lasagne.layers import InputLayer, DenseLayer\n"
                    "from datasets_helper import fetch_data\n"
                    "mnist = fetch_data('MNIST original')\n"
                    "net = DenseLayer(InputLayer((None, 3)), 4)\n")
    sys.modules.pop("datasets_helper", None)
    done = run_cli(capsys, "show", "%s:net" % path)
    assert done.returncode == 2
    (line,) = done.stderr.splitlines()
    assert "AttributeError with no message, from no_message.py line 3: " \
           "`mnist = fetch_data('MNIST original')`" in line, line
    assert "AttributeError: " not in line
    done = run_cli(capsys, "show", "%s:net" % path, "--keep-going", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert "line 3 failed and was skipped (--keep-going): AttributeError with no message, " \
           "from no_message.py line 3" in done.stderr
    sys.modules.pop("datasets_helper", None)
    guarded = tmp_path / "guarded.py"
    guarded.write_text("from lasagne.layers import InputLayer, DenseLayer\n"
                       "class Settings(object):\n"
                       "    def __getattr__(self, name):\n"
                       "        raise KeyError()\n"
                       "units = Settings().units\n"
                       "net = DenseLayer(InputLayer((None, 3)), units)\n")
    done = run_cli(capsys, "show", "%s:net" % guarded)
    assert done.returncode == 2
    assert "KeyError with no message, from guarded.py line 5: `units = Settings().units`" \
        in done.stderr, done.stderr


def test_keep_going_passes_on_the_advice_of_the_failure_that_left_the_target_undefined(
        tmp_path, capsys, lasagne):
    """--keep-going skips an import that --stub-missing would serve, then the statement
    assigning the target fails on a name it left undefined: the error says what the first
    skipped failure advises, so the next try is the right one."""
    path = tmp_path / "iterators.py"
    path.write_text("from lasagne.layers import InputLayer, DenseLayer\n"
                    "from batch_helpers_gone import make_iterator\n"
                    "train_iterator = make_iterator('train')\n"
                    "net = (DenseLayer(InputLayer((None, 3)), 4), train_iterator)[0]\n"
                    "other = 1\n")
    done = run_cli(capsys, "show", "%s:net" % path, "--keep-going")
    assert done.returncode == 2
    last = done.stderr.splitlines()[-1]
    assert last.endswith(
        "net is not defined: line 4, which assigns it, failed and was skipped (--keep-going):"
        " NameError: name 'train_iterator' is not defined (line 2, skipped before it: "
        "batch_helpers_gone is not installed: install it, or --stub-missing serves an inert "
        "stand-in for a module that only loads data)"), last
    done = run_cli(capsys, "show", "%s:gone" % path, "--keep-going")
    assert done.returncode == 2
    assert "has no function or variable 'gone'" in done.stderr
    assert "(line 2, skipped before it: batch_helpers_gone is not installed" in done.stderr
    done = run_cli(capsys, "show", "%s:net" % path, "--keep-going", "--stub-missing",
                   "--format", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["total_params"] == (3 + 1) * 4
    for name in [n for n in sys.modules if n.startswith("batch_helpers_gone")]:
        del sys.modules[name]


def test_theanos_compiled_modules_are_not_the_users_and_lib2to3_logs_nothing(
        tmp_path, capsys, lasagne):
    """Under --python2, with the script's logging at INFO: the modules Theano compiles into
    its cache (~/.theano/compiledir_*) are Theano's, not read as the user's Python 2, and
    lib2to3's "Skipping optional fixer" lines stay off stderr."""
    from lasagne_params.usercode import hooks
    cached = tmp_path / ".theano" / "compiledir_Linux-x86_64" / "lazylinker_ext"
    cached.mkdir(parents=True)
    (cached / "__init__.py").write_text("_version = 1\n")
    assert hooks.installed_path(str(cached / "__init__.py"))
    assert not hooks.users_file(str(cached / "__init__.py"))
    import theano
    assert hooks.installed_path(os.path.join(theano.config.compiledir, "mod.py"))
    path = tmp_path / "logged_py2.py"
    path.write_text("import logging\nlogging.basicConfig(level=logging.INFO)\n"
                    "from lasagne.layers import InputLayer, DenseLayer\n"
                    "import helper_py2\n"
                    "net = DenseLayer(InputLayer((None, 3)), helper_py2.UNITS)\n")
    (tmp_path / "helper_py2.py").write_text("UNITS = 8 / 2\n")
    import logging
    root, saved = logging.getLogger(), (list(logging.getLogger().handlers),
                                        logging.getLogger().level)
    try:
        done = run_cli(capsys, "show", "%s:net" % path, "--python2", "--format", "json")
    finally:
        root.handlers[:], _ = saved[0], root.setLevel(saved[1])
        sys.modules.pop("helper_py2", None)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["total_params"] == (3 + 1) * 4
    assert "Skipping optional fixer" not in done.stderr, done.stderr
    assert "compiledir" not in done.stderr
