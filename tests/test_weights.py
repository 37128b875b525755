"""Weights files: read as data (a pickle gadget runs nothing), checked against a network.

The expected shapes are written as the question's arithmetic; the loaders' words are
Lasagne's own (``set_all_param_values`` is called on the same arrays and must say what
the checker says it would) and nolearn's.
"""
import collections
import os
import pickle

import pytest

import lasagne_params as lp
from helpers import (LAYERS_YAML, assert_one_error_line, cli_process, gadget_pickle,
                     python2_pickle)

numpy = pytest.importorskip("numpy")

# The question's arrays, in get_all_params order: conv2d1 W, b; conv2d2 W, b; dense; output.
QUESTION_SHAPES = [(32, 1, 5, 5), (32,), (32, 32, 3, 3), (32,), (32 * 5 * 5, 256), (256,),
                   (256, 10), (10,)]
QUESTION_LAYERS = ["conv2d1", "conv2d2", "dense", "output"]


def question_arrays():
    return [numpy.full(shape, index, dtype="float32")
            for index, shape in enumerate(QUESTION_SHAPES)]


def nolearn_values(arrays):
    """nolearn's get_all_params_values() for the question's network."""
    values = collections.OrderedDict((name, []) for name in
                                     ["input", "conv2d1", "maxpool1", "conv2d2", "maxpool2",
                                      "dense", "output"])
    for index, name in enumerate(QUESTION_LAYERS):
        values[name] = arrays[2 * index:2 * index + 2]
    return values


def write_bytes(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


# ---------------------------------------------------------------- layouts that fit

def test_each_layout_of_the_question_weights_fits(tmp_path):
    arrays = question_arrays()
    flat = str(tmp_path / "flat.npz")
    numpy.savez(flat, *arrays)
    files = {
        "flat npz": flat,
        "recipes": write_bytes(tmp_path, "recipes.pkl", pickle.dumps(
            {"param values": arrays, "synset words": ["zero", "one"]}, protocol=2)),
        "list": write_bytes(tmp_path, "list.pkl", pickle.dumps(arrays)),
        "nolearn": write_bytes(tmp_path, "nolearn.pkl", pickle.dumps(nolearn_values(arrays),
                                                                    protocol=-1)),
    }
    for layout, path in files.items():
        check = lp.check_weights(LAYERS_YAML, path)
        assert check.ok, lp.render(check)
        assert check.layout == layout
        assert [(r.layer, r.name, r.expected, r.found) for r in check.rows] == [
            (layer, name, shape, shape) for layer, (name, shape) in zip(
                [n for n in QUESTION_LAYERS for _ in "Wb"], zip("WbWbWbWb", QUESTION_SHAPES))]
        assert check.loader_says == ()


def test_a_python2_protocol2_pickle_is_read_with_its_bytes_as_latin1(tmp_path):
    arrays = question_arrays()
    arrays[0] = numpy.arange(32 * 25, dtype="float32").reshape(32, 1, 5, 5) - 400.5
    path = write_bytes(tmp_path, "weights.pkl", python2_pickle(nolearn_values(arrays)))
    with open(path, "rb") as handle:
        assert handle.read(2) == b"\x80\x02"
    check = lp.check_weights(LAYERS_YAML, path)
    assert check.ok and check.layout == "nolearn"
    from lasagne_params.backend.networks.weights import read_weights
    read = read_weights(path).by_name()
    assert list(read) == ["input", "conv2d1", "maxpool1", "conv2d2", "maxpool2", "dense",
                          "output"]
    assert read["conv2d1"][0].dtype == numpy.float32
    assert (read["conv2d1"][0] == arrays[0]).all()        # every byte, negative values too


# ---------------------------------------------------------------- divergences named

def _check(tmp_path, arrays, layout="flat"):
    if layout == "flat":
        path = str(tmp_path / "w.npz")
        numpy.savez(path, *arrays)
    else:
        path = write_bytes(tmp_path, "w.pkl", pickle.dumps(arrays))
    return lp.check_weights(LAYERS_YAML, path)


def _lasagne_says(lasagne, arrays):
    """What Lasagne's own set_all_param_values raises for these arrays (or None)."""
    import mnist_cnn
    network = mnist_cnn.build_network()
    try:
        lasagne.layers.set_all_param_values(network, arrays)
    except ValueError as exc:
        return str(exc)
    return None


def test_a_missing_bias_is_named_and_the_rest_lines_up(tmp_path):
    arrays = question_arrays()
    del arrays[1]                                 # conv2d1 saved with b=None
    check = _check(tmp_path, arrays)
    assert not check.ok
    assert check.divergence.startswith("layer 'conv2d1' (Conv2DLayer): b: the file has no "
                                       "bias for this layer (the network's 32)")
    assert [r.status for r in check.rows] == ["ok", "no bias"] + ["ok"] * 6
    assert check.loader_says == ("mismatch: got 7 values to set 8 parameters",)


@pytest.mark.parametrize("position, shape, status, words", [
    (4, (256, 800), "transposed", "layer 'dense' (DenseLayer): W: expected 800x256, the file "
                                  "has 256x800 (the file holds the transposed matrix (W.T))"),
    (2, (32, 3, 3, 32), "c01b", "layer 'conv2d2' (Conv2DLayer): W: expected 32x32x3x3, the "
                                "file has 32x3x3x32 (cuda-convnet's c01b order"),
    (6, (256, 2), "classes", "layer 'output' (DenseLayer): W: expected 256x10, the file has "
                             "256x2 (another number of classes in the last layer)"),
    (4, (800, 128), "different", "layer 'dense' (DenseLayer): W: expected 800x256, the file "
                                 "has 800x128 (the shapes differ)"),
])
def test_a_wrong_array_is_named_with_lasagne_words(tmp_path, lasagne, position, shape,
                                                   status, words):
    arrays = question_arrays()
    arrays[position] = numpy.zeros(shape, dtype="float32")
    check = _check(tmp_path, arrays)
    assert check.rows[position].status == status
    assert check.divergence.startswith(words), check.divergence
    expected = "mismatch: parameter has shape %r but value to set has shape %r" % (
        QUESTION_SHAPES[position], shape)
    assert check.loader_says == (expected,)
    assert _lasagne_says(lasagne, arrays) == expected       # Lasagne's own words


def test_an_extra_or_missing_layer_at_the_end(tmp_path, lasagne):
    arrays = question_arrays()
    extra = _check(tmp_path, arrays + [numpy.zeros((10, 5)), numpy.zeros(5)])
    assert extra.divergence == ("the file's array 8 (10x5) matches no parameter of the "
                                "network: an extra array or layer")
    assert extra.loader_says == ("mismatch: got 10 values to set 8 parameters",)
    assert _lasagne_says(lasagne, arrays + [numpy.zeros((10, 5)), numpy.zeros(5)]) \
        == extra.loader_says[0]
    missing = _check(tmp_path, arrays[:6], layout="list")
    assert missing.divergence == ("layer 'output' (DenseLayer): W: the file ends before this "
                                  "array (256x10): a missing layer?")
    assert missing.loader_says == ("mismatch: got 6 values to set 8 parameters",)


def test_nolearn_files_are_matched_by_name(tmp_path):
    values = nolearn_values(question_arrays())
    values["dense"] = [values["dense"][0].T, values["dense"][1]]
    values["decoder"] = [numpy.zeros((10, 4))]
    del values["conv2d2"]
    path = write_bytes(tmp_path, "nolearn.pkl", pickle.dumps(values))
    check = lp.check_weights(LAYERS_YAML, path)
    assert check.divergence == ("layer 'conv2d2' (Conv2DLayer): W: the file has no arrays for "
                                "this layer (a missing layer; nolearn would leave its initial "
                                "values)")
    assert [(r.layer, r.name, r.status) for r in check.rows if r.status != "ok"] == [
        ("conv2d2", "W", "missing"), ("conv2d2", "b", "missing"), ("dense", "W", "transposed"),
        ("decoder", None, "extra")]
    assert check.loader == "nolearn's load_params_from"
    assert check.loader_says == ("Could not load parameters to layer 'dense' because shapes "
                                 "did not match: 800x256 vs 256x800.",)


def test_the_command_line_exits_0_1_2(tmp_path):
    arrays = question_arrays()
    good = str(tmp_path / "good.npz")
    numpy.savez(good, *arrays)
    done = cli_process("weights", good, "--against", LAYERS_YAML, text=True)
    assert done.returncode == 0, done.stderr
    assert "fits: every array has the shape the network expects" in done.stdout
    assert "conv2d1  Conv2DLayer  W          32x1x5x5       32x1x5x5  ok" in done.stdout
    bad = str(tmp_path / "bad.npz")
    numpy.savez(bad, *arrays[:7])
    done = cli_process("weights", bad, "--against", LAYERS_YAML, "--format", "json", text=True)
    assert done.returncode == 1, done.stderr
    import json
    data = json.loads(done.stdout)
    assert data["fits"] is False and data["layout"] == "flat npz"
    assert data["loader_says"] == ["mismatch: got 7 values to set 8 parameters"]
    assert data["arrays"][-1] == {"layer": "output", "kind": "DenseLayer", "array": "b",
                                  "expected": [10], "in_file": None, "status": "missing",
                                  "position": None}
    done = cli_process("weights", str(tmp_path / "nowhere.pkl"), "--against", LAYERS_YAML)
    assert_one_error_line(done, "nowhere.pkl: no such file")


# ---------------------------------------------------------------- never code

GADGETS = [("os", "system"), ("posix", "system"), ("subprocess", "Popen"),
           ("builtins", "eval"), ("builtins", "exec"), ("sys", "exit")]


def _gadget(tmp_path, module, name):
    marker = tmp_path / "MARKER"
    if name == "Popen":
        args = ("touch", str(marker))
        data = gadget_pickle(module, name, *args)
        data = data.replace(b"(X", b"((X", 1).replace(b"tR", b"ttR", 1)   # Popen([...])
    elif name in ("eval", "exec"):
        data = gadget_pickle(module, name, "open(%r, 'w').close()" % str(marker))
    elif name == "exit":
        data = gadget_pickle(module, name, "0")
    else:
        data = gadget_pickle(module, name, "touch %s" % marker)
    return write_bytes(tmp_path, "weights.pkl", data), marker


@pytest.mark.parametrize("module, name", GADGETS)
def test_a_gadget_runs_nothing_at_the_command_line(tmp_path, module, name):
    path, marker = _gadget(tmp_path, module, name)
    done = cli_process("weights", path, "--against", LAYERS_YAML)
    assert_one_error_line(done, "weights.pkl: asks for the global %s.%s: refusing to run it"
                          % (module, name))
    assert not marker.exists()


@pytest.mark.parametrize("module, name", GADGETS)
def test_a_gadget_runs_nothing_in_the_api(tmp_path, module, name):
    path, marker = _gadget(tmp_path, module, name)
    with pytest.raises(lp.SpecError, match="asks for the global %s.%s" % (module, name)):
        lp.check_weights(LAYERS_YAML, path)
    assert not marker.exists()


def test_the_gadget_works_when_trusted(tmp_path):
    """The gadgets above are real: trusted=True runs them (what pickle.load did)."""
    path, marker = _gadget(tmp_path, "os", "system")
    with pytest.raises(lp.SpecError, match=r"item\[0\] is an int, not an array of numbers"):
        lp.check_weights(LAYERS_YAML, path, trusted=True)
    assert marker.exists()


@pytest.mark.parametrize("module, name", GADGETS[:2])
def test_a_gadget_runs_nothing_in_the_loaders(tmp_path, lasagne, module, name):
    path, marker = _gadget(tmp_path, module, name)
    net = lp.NeuralNet(**_question_keywords())
    with pytest.raises(lp.TrainingError, match="asks for the global %s.%s" % (module, name)):
        net.load_params_from(path)
    trainer = lp.Trainer(net.layers_["output"], update=lasagne.updates.sgd,
                         update_params={"learning_rate": 0.1})
    with pytest.raises(lp.TrainingError, match="asks for the global %s.%s" % (module, name)):
        trainer.load_params_from(path)
    assert not marker.exists()


def _question_keywords():
    import json
    from helpers import NOLEARN_JSON
    with open(NOLEARN_JSON) as handle:
        keywords = json.load(handle)
    keywords["input_shape"] = tuple(keywords["input_shape"])
    return keywords


def test_the_loaders_read_a_python2_nolearn_file(tmp_path, lasagne):
    arrays = question_arrays()
    path = write_bytes(tmp_path, "weights.pkl", python2_pickle(nolearn_values(arrays)))
    net = lp.NeuralNet(**_question_keywords())
    net.load_params_from(path)
    assert (net.layers_["dense"].W.get_value() == 4).all()
    assert (net.layers_["output"].b.get_value() == 7).all()


# ---------------------------------------------------------------- bounded

def test_an_npz_inflating_past_the_limit_is_refused_before_inflating(tmp_path):
    path = str(tmp_path / "bomb.npz")
    numpy.savez_compressed(path, numpy.zeros(64 * 1024 * 1024, dtype="uint8"))
    assert os.path.getsize(path) < 1024 * 1024
    with pytest.raises(lp.LimitError, match="its arrays would inflate to 67'108'9"):
        lp.check_weights(LAYERS_YAML, path, max_bytes=16 * 1024 * 1024)
    done = cli_process("weights", path, "--against", LAYERS_YAML, "--max-weights-bytes", "16MiB")
    assert_one_error_line(done, "bomb.npz: --max-weights-bytes: its arrays would inflate to")


def test_what_is_not_a_regular_file_is_refused_without_waiting(tmp_path):
    fifo = str(tmp_path / "weights.pkl")
    os.mkfifo(fifo)
    for path, words in ((fifo, "is not a regular file"), ("/dev/zero", "is not a regular file"),
                        (str(tmp_path), "is a directory")):
        done = cli_process("weights", path, "--against", LAYERS_YAML, timeout=30)
        assert_one_error_line(done, words)


def test_object_arrays_in_an_npz_are_not_unpickled(tmp_path):
    path = str(tmp_path / "objects.npz")
    numpy.savez(path, numpy.array([{"a": 1}], dtype=object))
    with pytest.raises(lp.SpecError, match="holds Python objects"):
        lp.check_weights(LAYERS_YAML, path)


def test_an_array_for_a_layer_without_parameters_is_named(tmp_path):
    values = nolearn_values(question_arrays())
    values["maxpool1"] = [numpy.zeros(3)]
    path = write_bytes(tmp_path, "nolearn.pkl", pickle.dumps(values))
    check = lp.check_weights(LAYERS_YAML, path)
    assert check.divergence == ("layer 'maxpool1' (MaxPool2DLayer): the file has an array (3) "
                                "this layer does not hold")
