"""Command-line paths are fixed before user code runs, and no output goes over a file the
user's code imported: a module that changes the working folder moves no output."""
import json
import os
import textwrap

from helpers import LAYERS_YAML, assert_one_error_line, cli_process

MODULE = textwrap.dedent('''\
    import os
    import helper
    os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), "elsewhere"))
    from lasagne.layers import InputLayer, DenseLayer
    net = DenseLayer(InputLayer((None, 4)), helper.UNITS)
    ''')


def _project(tmp_path):
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "helper.py").write_text("UNITS = 3\n")
    (tmp_path / "model.py").write_text(MODULE)
    (tmp_path / "script.py").write_text("import helper\nimport lasagne\n"
                                        "from lasagne.layers import InputLayer, DenseLayer\n"
                                        "import os\nos.chdir('elsewhere')\n"
                                        "net = DenseLayer(InputLayer((None, 4)), helper.UNITS)\n")
    return tmp_path


def test_snapshot_and_draw_write_where_the_command_was_given(tmp_path, lasagne):
    folder = _project(tmp_path)
    for command in (["snapshot", "model.py:net", "-o", "out.json"],
                    ["draw", "model.py:net", "-o", "out.svg", "--layout", "builtin"]):
        done = cli_process(*command, cwd=folder)
        assert done.returncode == 0, done.stderr
        assert (folder / command[-1]).is_file() if command[0] == "snapshot" \
            else (folder / command[-3]).is_file()
    assert os.listdir(folder / "elsewhere") == []
    assert json.loads((folder / "out.json").read_text())["total_params"] == (4 + 1) * 3


def test_run_report_goes_where_the_command_was_given(tmp_path, lasagne):
    folder = _project(tmp_path)
    done = cli_process("run", "--no-report", "--report", "report.json", "script.py", cwd=folder)
    assert done.returncode == 0, done.stderr
    assert json.loads((folder / "report.json").read_text())[0]["ok"] is True
    assert os.listdir(folder / "elsewhere") == []


def test_no_output_over_a_module_the_user_code_imported(tmp_path, lasagne):
    folder = _project(tmp_path)
    done = cli_process("run", "--no-report", "--report", "helper.py", "script.py", cwd=folder)
    assert_one_error_line(done, "helper.py: is an input of this command; refusing to "
                                "overwrite it")
    assert (folder / "helper.py").read_text() == "UNITS = 3\n"
    done = cli_process("snapshot", "model.py:net", "-o", "helper.py", cwd=folder)
    assert_one_error_line(done, "helper.py: is an input of this command")
    assert (folder / "helper.py").read_text() == "UNITS = 3\n"


def test_an_output_naming_a_folder_is_refused(tmp_path):
    for target in (str(tmp_path / "new") + "/", str(tmp_path) + "/"):
        done = cli_process("snapshot", LAYERS_YAML, "-o", target)
        assert_one_error_line(done, "names a folder (it ends with /); give the file to write "
                                    "in it")
    assert os.listdir(tmp_path) == []


def test_user_code_closing_its_streams_takes_no_error_line_with_it(tmp_path):
    """A module or script that closes sys.stdout (its view of it) leaves the command's
    own output and error line whole."""
    (tmp_path / "closer.py").write_text("import sys\nsys.stdout.close()\nsys.stderr.close()\n"
                                        "net = 5\n")
    done = cli_process("show", str(tmp_path / "closer.py") + ":net")
    assert_one_error_line(done, "closer.py: net: net is int")
    done = cli_process("run", "--report", "-", str(tmp_path / "closer.py"), text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "[]\n"
    assert "closer.py built no Lasagne network" in done.stderr
