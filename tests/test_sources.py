"""Python 2 files translated in memory (lib2to3); nothing written; Python 3 errors stay theirs."""
import os
import sys
import warnings

import pytest

from lasagne_params.sources import compile_source, tolerant_imports, translate_python2

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
                     "memory (lib2to3), nothing written"]
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
        with tolerant_imports(str(tmp_path)):
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
    with tolerant_imports(str(tmp_path)):
        import cPickle
        from StringIO import StringIO
        assert cPickle is pickle and StringIO is io.StringIO
    assert "cPickle" not in sys.modules and "StringIO" not in sys.modules
    with pytest.raises(ImportError):
        import cPickle  # noqa: F401,F811
