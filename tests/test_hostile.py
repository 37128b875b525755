"""Hostile and careless input at the command line: one error line or a right answer, never worse.

Each test is one failure class of issue 13 (lost files, silent failures,
unbounded work, tracebacks, silently wrong counts); ``tools/hostile.py``
tries many more inputs of each class.
"""
import html
import os
import shutil
import subprocess
import sys
import time

import pytest

from helpers import (LAYERS_YAML, NETS, NOLEARN_JSON, SCRIPT, assert_one_error_line, cli_process,
                     dense_layer, input_layer, layer_list, write_json)

BIG = 10 ** 2500                  # a count of 10**5000 has more digits than str() writes


def huge_network(tmp_path):
    return write_json(tmp_path, "huge.json", layer_list(input_layer((None, BIG)),
                                                        dense_layer(BIG)))


# ---------------------------------------------------------------- lost files

def test_snapshot_over_its_own_input_is_refused(tmp_path):
    spec = tmp_path / "net.yaml"
    shutil.copy(LAYERS_YAML, spec)
    before = spec.read_bytes()
    done = cli_process("snapshot", str(spec), "-o", str(spec))
    assert_one_error_line(done, "%s: is an input of this command; refusing to overwrite it"
                          % spec)
    assert spec.read_bytes() == before


def test_draw_over_its_own_input_is_refused(tmp_path):
    spec = tmp_path / "net.svg.json"
    shutil.copy(NOLEARN_JSON, spec)
    link = tmp_path / "net.svg"
    link.symlink_to(spec)
    done = cli_process("draw", str(spec), "-o", str(link))
    assert_one_error_line(done, "is an input of this command")
    assert spec.read_bytes() == open(NOLEARN_JSON, "rb").read()


def _limited(size):
    def limit():
        import resource
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
    return limit


@pytest.mark.skipif(sys.platform == "win32", reason="resource limits are POSIX")
def test_snapshot_and_picture_survive_a_file_size_limit(tmp_path, dot):
    snap = tmp_path / "net.params.json"
    picture = tmp_path / "net.svg"
    assert cli_process("snapshot", LAYERS_YAML, "-o", str(snap)).returncode == 0
    assert cli_process("draw", LAYERS_YAML, "-o", str(picture)).returncode == 0
    wide = write_json(tmp_path, "wide.json", layer_list(
        input_layer((None, 4)), *[dense_layer(4, "layer%d" % i) for i in range(100)]))
    for command, path in (("snapshot", snap), ("draw", picture)):
        before = path.read_bytes()
        done = cli_process(command, wide, "-o", str(path), preexec_fn=_limited(len(before) + 10))
        assert_one_error_line(done, "%s: cannot write: File too large; %s is unchanged"
                              % (path, path.name))
        assert path.read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == ["net.params.json", "net.svg", "wide.json"]


def test_a_snapshot_with_huge_counts_is_written_and_read_back(tmp_path):
    spec = huge_network(tmp_path)
    snap = str(tmp_path / "huge.params.json")
    done = cli_process("snapshot", spec, "-o", snap)
    assert done.returncode == 0, done.stderr
    data = open(snap).read()
    assert '"total_params": %s,' % all_digits((BIG + 1) * BIG) in data
    done = cli_process("check", spec, "--against", snap)
    assert done.returncode == 0 and done.stdout.endswith(b": no change\n"), done.stderr


# ---------------------------------------------------------------- draw

def _fake_dot(tmp_path, script):
    folder = tmp_path / "bin"
    folder.mkdir()
    dot = folder / "dot"
    dot.write_text("#!/bin/sh\n" + script)
    dot.chmod(0o755)
    return str(folder)


def test_dot_failing_early_is_one_line_not_a_broken_pipe(tmp_path):
    # dot stops reading at once (as it does on a syntax error); the label is long
    # enough that writing it to dot's input meets a closed pipe.
    path = _fake_dot(tmp_path, "echo 'Error: <stdin>: syntax error in line 2' >&2\nexit 1\n")
    spec = write_json(tmp_path, "net.json", layer_list(
        input_layer((None, 1000)), *[dense_layer(1000, "d%d" % i) for i in range(3000)]))
    picture = tmp_path / "net.svg"
    picture.write_text("old picture")
    done = cli_process("draw", spec, "-o", str(picture), "--debug",
                   env={"PATH": path + os.pathsep + os.environ["PATH"]})
    assert done.returncode == 2 and b"Traceback" in done.stderr, done.stderr
    assert b"DrawError: draw: Graphviz's dot failed (exit status 1): Error: <stdin>: syntax " \
           b"error in line 2" in done.stderr             # --debug: the traceback, and why
    done = cli_process("draw", spec, "-o", str(picture),
                   env={"PATH": path + os.pathsep + os.environ["PATH"]})
    assert_one_error_line(done, "Graphviz's dot failed (exit status 1): Error: <stdin>: syntax "
                                "error in line 2")
    assert picture.read_text() == "old picture"


@pytest.mark.slow
def test_a_2000_layer_network_draws(tmp_path, dot):
    spec = write_json(tmp_path, "net.json", layer_list(
        input_layer((None, 1000)), *[dense_layer(1000, "d%d" % i) for i in range(2000)]))
    picture = tmp_path / "net.svg"
    done = cli_process("draw", spec, "-o", str(picture), timeout=600)
    assert done.returncode == 0, done.stderr
    total = (1000 + 1) * 1000 * 2000
    assert "total: 2'002'000'000 parameters in 2'000 layers with parameters" in \
        html.unescape(picture.read_text()) and total == 2002000000


def test_exit_141_only_when_the_reader_went_away(tmp_path):
    spec = write_json(tmp_path, "net.json", layer_list(
        input_layer((None, 3)), *[dense_layer(3, "d%d" % i) for i in range(20000)]))
    done = subprocess.run(["bash", "-c", 'set -o pipefail; "$@" | true', "bash", SCRIPT,
                           "show", spec], capture_output=True, timeout=120)
    assert done.returncode == 141 and done.stderr == b"", done.stderr


# ---------------------------------------------------------------- bounded input

@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero here")
def test_dev_zero_and_fifos_behind_a_spec_name_are_refused_at_once(tmp_path):
    zero = tmp_path / "zero.json"
    zero.symlink_to("/dev/zero")
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    start = time.monotonic()
    for path in (zero, fifo):
        done = cli_process("show", str(path), timeout=30)
        assert_one_error_line(done, "%s: is not a regular file" % path)
    done = cli_process("check", LAYERS_YAML, "--against", "/dev/zero", timeout=30)
    assert_one_error_line(done, "/dev/zero: is not a regular file")
    assert time.monotonic() - start < 20


def test_a_spec_over_the_size_limit_is_refused_and_the_limit_can_be_raised(tmp_path):
    spec = tmp_path / "padded.yaml"
    spec.write_text(open(LAYERS_YAML).read() + "#" * (16 * 1024 * 1024))
    done = cli_process("show", str(spec))
    assert_one_error_line(done, "%s: --max-input-bytes: the file is larger than 16.0 MiB" % spec)
    done = cli_process("show", str(spec), "--max-input-bytes", "17MiB")
    assert done.returncode == 0 and b"217,706" in done.stdout, done.stderr
    done = cli_process("check", LAYERS_YAML, "--against", LAYERS_YAML, "--max-input-bytes", "100")
    assert_one_error_line(done, "--max-input-bytes: the file is larger than 100 bytes")


# ---------------------------------------------------------------- tracebacks

def all_digits(n):
    """``str(n)`` without Python's 4,300-digit limit (the test's own oracle)."""
    limit = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)
    try:
        return str(n)
    finally:
        sys.set_int_max_str_digits(limit)


def grouped(text, separator):
    """``"1234567"`` -> ``"1'234'567"`` (``separator`` ``"'"``)."""
    head = len(text) % 3 or 3
    return separator.join([text[:head]] + [text[i:i + 3] for i in range(head, len(text), 3)])


@pytest.mark.parametrize("options, separator", [
    ((), ","), (("--format", "json"), None), (("--format", "csv"), None),
    (("--format", "markdown"), "'"), (("--format", "nolearn"), None), (("--explain",), ","),
    (("--format", "answer"), "'"), (("--costs",), ","), (("--costs", "--format", "json"), None)])
def test_counts_over_4300_digits_print_exactly(tmp_path, options, separator):
    """Digits grouped as each format groups them (None: exact ints, ungrouped)."""
    done = cli_process("show", huge_network(tmp_path), *options)
    assert done.returncode == 0, done.stderr
    count = all_digits((BIG + 1) * BIG)             # 10**2500 inputs + 1 bias, 10**2500 units
    assert len(count) == 5001
    assert (count if separator is None else grouped(count, separator)) in done.stdout.decode()


def test_float_overflow_in_costs_is_not_a_traceback(tmp_path):
    spec = write_json(tmp_path, "wide.json", layer_list(input_layer((None, 10 ** 200)),
                                                        dense_layer(10 ** 200)))
    done = cli_process("show", spec, "--costs", "--batch-size", "9" * 300)
    assert done.returncode == 0, done.stderr
    assert b"Total MACs:" in done.stdout and b"e+400 " in done.stdout


def test_recursion_is_one_line(tmp_path):
    anchor = tmp_path / "anchor.yaml"
    anchor.write_text("layers: &a [*a]\n")
    assert_one_error_line(cli_process("show", str(anchor)), "a value contains itself")
    deep = tmp_path / "deep.params.json"
    deep.write_text("[" * 100000 + "]" * 100000)
    assert_one_error_line(cli_process("check", LAYERS_YAML, "--against", str(deep)),
                          "malformed JSON: nested too deeply")


def test_a_lone_surrogate_in_a_name_is_escaped(tmp_path):
    spec = tmp_path / "net.json"
    spec.write_text('{"layers": [{"name": "in\\ud800", "kind": "InputLayer", "shape": [null, 4]},'
                    ' {"name": "d", "kind": "DenseLayer", "num_units": 2}]}')
    done = cli_process("show", str(spec))
    assert done.returncode == 0, done.stderr
    assert b"in\\ud800" in done.stdout


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full here")
def test_stdout_full_or_closed_is_one_line():
    with open("/dev/full", "w") as full:
        done = cli_process("show", LAYERS_YAML, stdout=full, stderr=subprocess.PIPE)
    assert_one_error_line(done, "standard output: cannot write: No space left on device")
    done = subprocess.run(["sh", "-c", 'exec "$@" >&-', "sh", SCRIPT, "show", LAYERS_YAML],
                          capture_output=False, stderr=subprocess.PIPE, timeout=120)
    assert_one_error_line(done, "standard output: cannot write: it is closed")


def test_ascii_only_output_gets_escapes(tmp_path):
    spec = write_json(tmp_path, "cafe.json", layer_list(input_layer(name="caf\u00e9"),
                                                        dense_layer(2)))
    for env in ({"PYTHONIOENCODING": "ascii"}, {"LANG": "C", "LC_ALL": "C"}):
        done = cli_process("show", spec, "--explain", env=env)
        assert done.returncode == 0, done.stderr
        assert b"caf\\xe9" in done.stdout or "caf\u00e9".encode() in done.stdout


def test_debug_still_shows_tracebacks(tmp_path):
    done = cli_process("show", str(tmp_path / "missing.json"), "--debug")
    assert done.returncode == 2 and b"Traceback" in done.stderr
    assert b"SpecError" in done.stderr


# ---------------------------------------------------------------- silently wrong

def test_yaml_duplicate_keys_are_refused(tmp_path):
    spec = tmp_path / "dup.yaml"
    spec.write_text("layers:\n- {name: in, kind: InputLayer, shape: [null, 4]}\n"
                    "- {name: d, kind: DenseLayer, num_units: 2, num_units: 3000}\n")
    assert_one_error_line(cli_process("show", str(spec)),
                          "%s: num_units: duplicate key 'num_units' at line 3, column 45" % spec)


def test_a_forged_snapshot_cannot_forge_output_lines(tmp_path):
    snap = write_json(tmp_path, "forged.json", {
        "format": "lasagne-params snapshot", "version": 1, "total_params": 217706,
        "trainable_params": 217706,
        "layers": [{"name": "input\n%s: no change\x1b[2J" % LAYERS_YAML, "kind": "InputLayer",
                    "output_shape": [None, 1, 28, 28], "params": 0, "trainable_params": 0}]})
    done = cli_process("check", LAYERS_YAML, "--against", snap)
    assert done.returncode == 1
    text = done.stdout.decode()
    assert "\x1b" not in text
    assert not any(line.startswith("%s: no change" % LAYERS_YAML) for line in text.splitlines())
    assert "input\\n%s: no change\\x1b[2J: layer: recorded 'InputLayer', now absent" \
        % LAYERS_YAML in text


def test_a_snapshot_naming_a_layer_twice_is_refused(tmp_path):
    layer = {"name": "input", "kind": "InputLayer", "output_shape": [None, 1, 28, 28],
             "params": 0, "trainable_params": 0}
    snap = write_json(tmp_path, "twice.json", {
        "format": "lasagne-params snapshot", "version": 1, "total_params": 217706,
        "trainable_params": 217706, "layers": [layer, dict(layer, params=5)]})
    assert_one_error_line(cli_process("check", LAYERS_YAML, "--against", snap),
                          "layer 'input': name: not a lasagne-params snapshot: two layers have "
                          "this name")


def test_an_output_path_cannot_forge_a_line(tmp_path):
    path = tmp_path / "net\nwrote all.json"
    done = cli_process("snapshot", LAYERS_YAML, "-o", str(path))
    assert done.returncode == 0 and done.stdout.count(b"\n") == 1, done.stdout
    assert b"net\\nwrote all.json" in done.stdout


def test_check_of_a_vast_spec_allocates_no_weights_and_builds_are_estimated(tmp_path):
    """A spec's --check builds shape-only arrays (docs/performance.md): 10^10 parameters
    are checked, not refused; a NeuralNet, which builds real arrays, is estimated first."""
    spec = write_json(tmp_path, "vast.json", layer_list(input_layer((None, 100000)),
                                                        dense_layer(100000)))
    start = time.monotonic()
    done = cli_process("show", spec, "--check", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert b'"total_params": 10000100000' in done.stdout          # (100000+1)*100000
    assert time.monotonic() - start < 60
    done = cli_process("show", NETS + ":question_neuralnet", "--check",
                       "--max-build-bytes", "1000")
    assert_one_error_line(done, "more than the limit of 1'000 bytes")


def test_a_theano_configuration_theano_refuses_is_one_line(lasagne):
    """THEANO_FLAGS=floatX=banana: Theano's ValueError at import, named as the flags'
    fault (it was an 'internal error'); a spec shown without --check needs no Theano."""
    env = {"THEANO_FLAGS": "floatX=banana"}
    done = cli_process("show", "--zoo", "lenet5", "--check", env=env)
    assert_one_error_line(done, "THEANO_FLAGS: Theano refuses its configuration",
                          "Invalid value ('banana') for configuration variable 'floatX'")
    done = cli_process("show", "--zoo", "lenet5", env=env)
    assert done.returncode == 0 and b"Total params: 61,706" in done.stdout
