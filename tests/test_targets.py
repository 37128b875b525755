"""Every way old code names a network: FILE.py:NAME (function or variable), FILE.py, dicts, pairs.

The scripts are tests/data/legacy's (historical-style, typed for these
tests); the totals are the ones nolearn printed for the same networks.
"""
import json
import os
import sys

import pytest

from helpers import LEGACY, run_cli

TUTORIAL = os.path.join(LEGACY, "cnn_tutorial_nets.py")
RECIPES = os.path.join(LEGACY, "recipes_style.py")


# nolearn's "# Neural Network with N learnable parameters" for the CNN tutorial's nets.
@pytest.mark.parametrize("name, total", [
    ("net0", (5 * 5 * 1 + 1) * 96 + 4 * (3 * 3 * 96 + 1) * 96 + (3 * 3 * 96 + 1) * 128
     + 2 * (3 * 3 * 128 + 1) * 128 + (128 + 1) * 64 + (64 + 1) * 64 + (64 + 1) * 10),
    ("net1", (3 * 3 + 1) * 32 + (3 * 3 * 32 + 1) * 64 + (3 * 3 * 64 + 1) * 64
     + (3 * 3 * 64 + 1) * 96 + (96 + 1) * 64 + (64 + 1) * 64 + (64 + 1) * 10),
    ("net2", (3 * 3 + 1) * 32 + 4 * (3 * 3 * 32 + 1) * 32 + (3 * 3 * 32 + 1) * 64
     + 4 * (3 * 3 * 64 + 1) * 64 + (64 * 4 * 4 + 1) * 64 + (64 + 1) * 64 + (64 + 1) * 10),
    ("net3", (3 * 3 + 1) * 32 + 3 * (3 * 3 * 32 + 1) * 32 + (3 * 3 * 32 + 1) * 64
     + 3 * (3 * 3 * 64 + 1) * 64 + (64 + 1) * 64 + (64 + 1) * 64 + (64 + 1) * 10),
    ("net4", (3 * 3 + 1) * 32 + 6 * (3 * 3 * 32 + 1) * 32 + (3 * 3 * 32 + 1) * 64
     + 2 * (3 * 3 * 64 + 1) * 64 + (64 * 7 * 7 + 1) * 64 + (64 + 1) * 64 + (64 + 1) * 10),
])
def test_cnn_tutorial_nets_check_with_nolearns_totals(capsys, lasagne, name, total):
    assert total == {"net0": 753610, "net1": 122154, "net2": 273930, "net3": 166314,
                     "net4": 353738}[name]              # what nolearn printed
    out = run_cli(capsys, "show", TUTORIAL + ":" + name, "--check", "--format", "nolearn")
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("# Neural Network with %d learnable parameters\n" % total)
    assert "layers agree" in out.stdout


def test_kfkd_net_checks_with_its_published_total(capsys, lasagne):
    out = run_cli(capsys, "show", os.path.join(LEGACY, "kfkd_net.py") + ":net", "--check")
    assert out.returncode == 0, out.stderr
    total = ((3 * 3 * 1 + 1) * 32 + (2 * 2 * 32 + 1) * 64 + (2 * 2 * 64 + 1) * 128
             + (128 * 11 * 11 + 1) * 1000 + (1000 + 1) * 1000 + (1000 + 1) * 30)
    assert "Total params: %s\n" % format(total, ",") in out.stdout
    assert total == 16561502
    assert "all 14 layers agree" in out.stdout


def test_module_alone_shows_every_network_it_defines(capsys, lasagne):
    out = run_cli(capsys, "show", TUTORIAL, "--format", "json")
    assert out.returncode == 0, out.stderr
    listed = json.loads(out.stdout)
    assert [item["network"] for item in listed] == [
        "cnn_tutorial_nets.py:net%d" % i for i in range(5)]
    assert [item["trainable_params"] for item in listed] == [
        753610, 122154, 273930, 166314, 353738]
    text = run_cli(capsys, "show", RECIPES, "--check")
    assert text.returncode == 0, text.stderr
    assert "all 3 layers agree" in text.stdout          # l_in -> l_hidden -> l_out only
    assert "(10+1)*7" in text.stdout and "(7+1)*3" in text.stdout


def test_dict_of_layers_and_input_output_pair(capsys, lasagne):
    out = run_cli(capsys, "show", RECIPES + ":build_model", "--check", "--format", "json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["ok"] and [r["kind"] for r in data["derived"]["layers"]][-1] == \
        "NonlinearityLayer"                               # net['prob'] is the output
    # the builder named no layer: the rows take the dict's keys, as its author called them
    assert [r["name"] for r in data["derived"]["layers"]] == [
        "input", "conv1", "pool1", "fc2", "fc3", "prob"]
    assert data["derived"]["total_params"] == (3 * 3 * 3 + 1) * 16 + (16 * 16 * 16 + 1) * 64 \
        + (64 + 1) * 10
    pair = run_cli(capsys, "show", RECIPES + ":build_pair", "--format", "json")
    assert json.loads(pair.stdout)["total_params"] == (20 + 1) * 30 + (30 + 1) * 5


def test_several_outputs_and_output_layer(capsys, lasagne, tmp_path):
    both = run_cli(capsys, "show", RECIPES + ":build_two_heads", "--format", "json")
    assert both.returncode == 0, both.stderr
    left, right = json.loads(both.stdout)
    assert left["network"].endswith("build_two_heads[left]")
    assert left["total_params"] == (8 + 1) * 6 + (6 + 1) * 2
    assert right["total_params"] == (8 + 1) * 6 + (6 + 8 + 1) * 3
    one = run_cli(capsys, "show", RECIPES + ":build_two_heads", "--output-layer", "right", "--format",
              "json")
    assert json.loads(one.stdout)["total_params"] == (8 + 1) * 6 + (6 + 8 + 1) * 3
    inner = run_cli(capsys, "show", RECIPES + ":build_model", "--output-layer", "fc2", "--format", "json")
    assert json.loads(inner.stdout)["total_params"] == (3 * 3 * 3 + 1) * 16 \
        + (16 * 16 * 16 + 1) * 64                          # a dict key names the output
    snap = run_cli(capsys, "snapshot", RECIPES + ":build_two_heads", "-o", str(tmp_path / "s.json"))
    assert snap.returncode == 2 and not (tmp_path / "s.json").exists()
    assert "gives 2 networks" in snap.stderr and "--output-layer NAME" in snap.stderr
    # the default table: one network, what feeds each layer, the total counting shared once
    whole = run_cli(capsys, "show", RECIPES + ":build_two_heads")
    assert whole.returncode == 0, whole.stderr
    lines = whole.stdout.splitlines()
    assert lines[0].split() == ["#", "name", "kind", "incoming", "size", "parameters"]
    assert "  3  concat_3  ConcatLayer  shared, input  6+8=14 -> 14                0" in lines
    assert lines[-3:] == ["Total params: %d (all 2 outputs: left, right)"
                          % ((8 + 1) * 6 + (6 + 1) * 2 + (6 + 8 + 1) * 3),
                          "Trainable params: 113", "Non-trainable params: 0"]
    typo = run_cli(capsys, "show", RECIPES + ":build_two_heads", "--output-layer", "lefft")
    assert typo.returncode == 2 and "did you mean left?" in typo.stderr


@pytest.mark.parametrize("target, message", [
    (RECIPES + ":build_mlp", "build_mlp() needs argument input_var; name a function without "
                             "required arguments, or a variable holding the network"),
    (RECIPES + ":DenseLayer", "DenseLayer is a class"),
    (RECIPES + ":buld_model", "has no function or variable 'buld_model'; did you mean "
                              "build_model?"),
    (os.path.join(LEGACY, "module_exits.py"), "importing it ran sys.exit(0): no network "
                                              "was read"),
    (os.path.join(LEGACY, "noisy_module.py"), "defines no network when imported"),
])
def test_bad_targets_are_one_line_exit_2(capsys, lasagne, target, message):
    out = run_cli(capsys, "show", target)
    assert out.returncode == 2
    last = out.stderr.strip().splitlines()[-1]
    assert last.startswith("lasagne-params: error: ") and message in last, out.stderr
    assert "Traceback" not in out.stderr


def test_exiting_module_never_passes_a_check_nor_writes_a_snapshot(capsys, lasagne,
                                                                    tmp_path):
    """The whole module runs (the file alone, --kinds) and exits: exit 2, nothing written.
    ``FILE.py:network`` stops where network is assigned, before the exit (tested below)."""
    exits = os.path.join(LEGACY, "module_exits.py")
    snap = tmp_path / "snap.json"
    assert run_cli(capsys, "snapshot", RECIPES + ":build_pair", "-o", str(snap)).returncode == 0
    before = snap.read_text()
    for args in (["check", exits, "--against", str(snap)],
                 ["snapshot", exits, "-o", str(snap)],
                 ["show", RECIPES + ":build_pair", "--kinds", exits]):
        out = run_cli(capsys, *args)
        assert out.returncode == 2, (args, out.stdout)
        assert out.stdout == ""
        assert out.stderr.strip().splitlines() == [
            "lasagne-params: error: %s: importing it ran sys.exit(0): no network was read"
            % exits]
    assert snap.read_text() == before


def test_interrupted_module_exits_130(capsys, lasagne):
    target = os.path.join(LEGACY, "module_interrupts.py")
    out = run_cli(capsys, "show", target)
    assert out.returncode == 130
    assert out.stderr == "lasagne-params: %s: interrupted (Ctrl-C) while importing it\n" \
        % target


def test_module_prints_go_to_stderr_and_json_stays_clean(capsys, lasagne):
    out = run_cli(capsys, "show", os.path.join(LEGACY, "noisy_module.py") + ":build", "--format", "json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["total_params"] == (3 + 1) * 2
    assert out.stderr.splitlines()[-2:] == ["loading the noisy module", "building"]


def test_python2_module_and_its_python2_sibling(capsys, lasagne, monkeypatch):
    monkeypatch.delitem(sys.modules, "py2_helper", raising=False)     # imported afresh
    out = run_cli(capsys, "show", os.path.join(LEGACY, "py2_builder.py") + ":network", "--check",
              "--format", "json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["ok"] and data["derived"]["total_params"] == (5 + 1) * 8 + (8 + 1) * 3
    notes = [line for line in out.stderr.splitlines() if "is Python 2" in line]
    assert [n.rsplit(os.sep, 1)[-1] for n in notes] == [
        "py2_builder.py is Python 2; translated to Python 3 in memory (lib2to3, with "
        "Python 2's integer division), nothing written",
        "py2_helper.py is Python 2; translated to Python 3 in memory (lib2to3, with "
        "Python 2's integer division), nothing written"]
    assert "building 5" in out.stderr                                  # its prints: stderr
    assert out.stderr.splitlines()[-1] == "built 75"   # count_params is no use: it ran
    assert not os.path.exists(os.path.join(LEGACY, "__pycache__", "py2_helper.cpython-311.pyc"))


def test_module_sees_its_folder_and_argv(capsys, lasagne, tmp_path):
    (tmp_path / "sibling.py").write_text("UNITS = 4\n")
    (tmp_path / "model.py").write_text(
        "import sys\nimport sibling\nfrom lasagne import layers\n"
        "assert sys.argv == [__file__], sys.argv\n"
        "net = layers.DenseLayer(layers.InputLayer((None, 2)), sibling.UNITS)\n")
    out = run_cli(capsys, "show", str(tmp_path / "model.py") + ":net", "--format", "json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["total_params"] == (2 + 1) * 4


def test_a_module_that_exits_after_building_its_network_gives_it(capsys, lasagne):
    """A script defines its network, then exits: the network was complete (no statement
    after it changes it), so it is read, and a line says what ended the module."""
    out = run_cli(capsys, "show", os.path.join(LEGACY, "module_exits.py") + ":network",
                  "--format", "json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["total_params"] == (3 + 1) * 2
    assert out.stderr.endswith("module_exits.py: line 7 called sys.exit(0); network was "
                               "complete by then (no later statement changes it) and is read "
                               "as built; no statement after it runs code\n")


def test_a_target_is_read_up_to_the_modules_first_use_of_a_network(capsys, lasagne,
                                                                   tmp_path):
    """The module runs until it first compiles a Theano function (once the target exists):
    what it does to the network before counts, the training after it does not run."""
    script = tmp_path / "trains.py"
    script.write_text(
        "import theano, theano.tensor as T\n"
        "from lasagne.layers import InputLayer, DenseLayer\n"
        "scale = theano.function([], T.constant(2))()\n"   # a use before net exists: runs
        "net = InputLayer((None, 4))\n"
        "if True:\n"
        "    net = DenseLayer(net, 3 * int(scale) // 2)\n"
        "net.trained = False\n"
        "def build():\n"
        "    return DenseLayer(InputLayer((None, 2)), WIDTH)\n"
        "WIDTH = 5\n"
        "x = T.matrix()\n"
        "train = theano.function([x], x * 2)\n"             # the first use: reading stops
        "open(%r, 'w').write('trained')\n"
        "if __name__ == '__main__':\n"
        "    pass\n" % str(tmp_path / "trained.txt"))
    out = run_cli(capsys, "show", "%s:net" % script, "--format", "json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["total_params"] == (4 + 1) * 3
    assert not (tmp_path / "trained.txt").exists()
    assert out.stderr.endswith(
        "trains.py: read up to line 12, where the module first uses a network "
        "(theano.function); the 2 statements from line 12 on (training, saving, ...) did not "
        "run\n")
    out = run_cli(capsys, "show", "%s:build" % script, "--format", "json")   # a function:
    assert json.loads(out.stdout)["total_params"] == (2 + 1) * 5              # the same rule
    assert not (tmp_path / "trained.txt").exists()


def test_a_list_grown_by_append_is_read_whole(capsys, lasagne, tmp_path):
    """The idiom of several GAN codebases: layers = [InputLayer(...)], then
    layers.append(...) statement by statement; the network is the list as built."""
    script = tmp_path / "gan.py"
    script.write_text(
        "import theano\n"
        "from lasagne.layers import InputLayer, DenseLayer, get_output\n"
        "layers = [InputLayer((None, 10))]\n"
        "layers.append(DenseLayer(layers[-1], 8))\n"
        "for units in (6, 4):\n"
        "    layers.append(DenseLayer(layers[-1], units))\n"
        "out = get_output(layers[-1])\n"
        "f = theano.function([layers[0].input_var], out)\n"
        "layers.append(DenseLayer(layers[-1], 99))\n")   # after the first use: not read
    out = run_cli(capsys, "show", "%s:layers" % script, "--format", "json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["total_params"] == (10 + 1) * 8 + (8 + 1) * 6 + (6 + 1) * 4


def test_a_failure_while_the_network_is_still_being_built_is_the_error(capsys, lasagne,
                                                                       tmp_path):
    """Never a partial network: a statement fails, and a later one would still append to
    the target; without --keep-going that is one error line, exit 2."""
    script = tmp_path / "partial.py"
    script.write_text(
        "import numpy as np\n"
        "from lasagne.layers import InputLayer, DenseLayer\n"
        "layers = [InputLayer((None, 10))]\n"
        "X = np.load('missing.npy')\n"
        "layers.append(DenseLayer(layers[-1], 8))\n")
    out = run_cli(capsys, "show", "%s:layers" % script, "--check")
    assert out.returncode == 2 and out.stdout == ""
    assert out.stderr.splitlines() == [
        "lasagne-params: error: %s: does not import (line 4): FileNotFoundError: [Errno 2] No "
        "such file or directory: 'missing.npy' (--keep-going runs the rest of the file "
        "without the statements that fail)" % script]
    done = run_cli(capsys, "show", "%s:layers" % script, "--keep-going", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["total_params"] == (10 + 1) * 8


def test_a_failure_after_the_network_is_complete_reads_it(capsys, lasagne, tmp_path):
    script = tmp_path / "done.py"
    script.write_text(
        "import numpy as np\n"
        "from lasagne.layers import InputLayer, DenseLayer\n"
        "net = DenseLayer(InputLayer((None, 10)), 8)\n"
        "X = np.load('missing.npy')\n"
        "net.fit(X)\n"                       # uses net, changes nothing: net is complete
        "print(X.shape)\n")
    out = run_cli(capsys, "show", "%s:net" % script, "--format", "json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["total_params"] == (10 + 1) * 8
    assert out.stderr.splitlines()[-1] == (
        "lasagne-params: note: %s: line 4 failed (FileNotFoundError: [Errno 2] No such file "
        "or directory: 'missing.npy'); net was complete by then (no later statement changes "
        "it) and is read as built; the 2 statements from line 5 on (training, saving, ...) "
        "did not run" % script)


def test_keep_going_says_when_the_targets_own_assignment_failed(capsys, lasagne, tmp_path):
    script = tmp_path / "needs_data.py"
    script.write_text(
        "import numpy as np\n"
        "from lasagne.layers import InputLayer, DenseLayer\n"
        "X = np.load('missing.npy')\n"
        "net = DenseLayer(InputLayer((None, X.shape[1])), 8)\n")
    out = run_cli(capsys, "show", "%s:net" % script, "--keep-going")
    assert out.returncode == 2
    assert out.stderr.splitlines()[-1] == (
        "lasagne-params: error: %s: net is not defined: line 4, which assigns it, failed and "
        "was skipped (--keep-going): NameError: name 'X' is not defined" % script)


def test_keep_going_skips_failing_statements(capsys, lasagne, tmp_path):
    """Data files that are not there: without --keep-going one line with the hint; with it
    each failing statement is said and skipped, and the network is read."""
    script = tmp_path / "kaggle.py"
    script.write_text(
        "import numpy as np\n"
        "X = np.load('train.npy')\n"
        "print(X.shape)\n"
        "from lasagne.layers import InputLayer, DenseLayer\n"
        "net = DenseLayer(InputLayer((None, 6)), 2)\n"
        "net_fit = net.fit(X)\n")
    out = run_cli(capsys, "show", "%s:net" % script)
    assert out.returncode == 2 and out.stdout == ""
    assert out.stderr.splitlines() == [
        "lasagne-params: error: %s: does not import (line 2): FileNotFoundError: [Errno 2] No "
        "such file or directory: 'train.npy' (--keep-going runs the rest of the file without "
        "the statements that fail)" % script]
    out = run_cli(capsys, "show", "%s:net" % script, "--keep-going", "--format", "json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["total_params"] == (6 + 1) * 2
    assert out.stderr.splitlines() == [
        "lasagne-params: note: %s: line 2 failed and was skipped (--keep-going): "
        "FileNotFoundError: [Errno 2] No such file or directory: 'train.npy'" % script,
        "lasagne-params: note: %s: line 3 failed and was skipped (--keep-going): "
        "NameError: name 'X' is not defined" % script,
        "lasagne-params: note: %s: line 6 failed and was skipped (--keep-going): "
        "AttributeError: 'DenseLayer' object has no attribute 'fit'" % script]


def test_split_target_is_one_rule_for_reading_and_protecting():
    """load_networks and the CLI's never-write-over-an-input list split alike (a folder
    with a colon kept whole)."""
    from lasagne_params.usercode import split_target
    assert split_target("net.py:build") == ("net.py", "build")
    assert split_target("net.py") == ("net.py", None)
    assert split_target("a:b/net.py") == ("a:b/net.py", None)
    assert split_target("C:/x/net.ipynb:net0") == ("C:/x/net.ipynb", "net0")


def test_a_statement_that_fails_halfway_through_building_the_target_is_the_error(
        capsys, lasagne, tmp_path):
    """The failing statement itself was changing the network (a loop appending layers):
    what it left is a network still being built, never read."""
    script = tmp_path / "halfway.py"
    script.write_text(
        "from lasagne.layers import InputLayer, DenseLayer\n"
        "layers = [InputLayer((None, 3))]\n"
        "for units in (4, 'five', 6):\n"
        "    layers.append(DenseLayer(layers[-1], units))\n")
    out = run_cli(capsys, "show", "%s:layers" % script)
    assert out.returncode == 2 and out.stdout == ""
    assert "does not import (line 4)" in out.stderr


def test_an_object_holding_its_layers_as_attributes_gives_its_network(capsys, lasagne,
                                                                     tmp_path):
    """A repository's Network wrapper (self.l_in, self.l_out, a list of hidden layers)."""
    script = tmp_path / "wrapper.py"
    script.write_text(
        "from lasagne.layers import InputLayer, DenseLayer\n"
        "class Network(object):\n"
        "    def __init__(self, units):\n"
        "        self.l_in = InputLayer((None, 5))\n"
        "        self.hidden = [DenseLayer(self.l_in, units)]\n"
        "        self.l_out = DenseLayer(self.hidden[-1], 2)\n"
        "        self.learning_rate = 0.1\n"
        "net = Network(7)\n"
        "def build():\n"
        "    return Network(3)\n")
    out = run_cli(capsys, "show", "%s:net" % script, "--check", "--format", "json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["ok"] and data["derived"]["total_params"] == (5 + 1) * 7 + (7 + 1) * 2
    built = run_cli(capsys, "show", "%s:build" % script, "--format", "json")
    assert json.loads(built.stdout)["total_params"] == (5 + 1) * 3 + (3 + 1) * 2
    every = run_cli(capsys, "show", str(script), "--format", "json")
    assert every.returncode == 0, every.stderr
    assert json.loads(every.stdout)["total_params"] == (5 + 1) * 7 + (7 + 1) * 2


def test_reading_stops_before_a_neuralnet_trains(capsys, tmp_path):
    script = tmp_path / "nolearn_script.py"
    script.write_text(
        "import numpy as np\n"
        "from lasagne import layers\n"
        "from nolearn.lasagne import NeuralNet\n"
        "net = NeuralNet(layers=[('input', layers.InputLayer), ('output', layers.DenseLayer)],\n"
        "                input_shape=(None, 4), output_num_units=3, output_nonlinearity=None,\n"
        "                update_learning_rate=0.1, regression=True, max_epochs=1)\n"
        "net.fit(np.zeros((8, 4), 'float32'), np.zeros((8, 3), 'float32'))\n"
        "open(%r, 'w').write('trained')\n" % str(tmp_path / "trained.txt"))
    out = run_cli(capsys, "show", "%s:net" % script, "--format", "json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["total_params"] == (4 + 1) * 3
    assert "where the module first uses a network (NeuralNet.fit)" in out.stderr
    assert not (tmp_path / "trained.txt").exists()
