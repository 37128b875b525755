"""Files read with a bound and written atomically (``core/files.py``): nothing lost, nothing unbounded."""
import os
import stat
import subprocess
import sys
import time

import pytest

from lasagne_params import LimitError, OutputError, SpecError
from lasagne_params.core.files import (DEFAULT_MAX_INPUT_BYTES, atomic_file, read_bytes,
                                       read_text, write_atomic)
from lasagne_params.describe.snapshot import read_snapshot, write_snapshot
from lasagne_params.describe.spec import load_spec

from helpers import LAYERS_YAML, ROOT

ROOT_USER = hasattr(os, "geteuid") and os.geteuid() == 0


def leftovers(folder):
    return [name for name in os.listdir(folder) if name.endswith(".tmp")]


def test_write_replaces_the_file_whole(tmp_path):
    path = tmp_path / "out.json"
    path.write_text("old")
    os.chmod(path, 0o640)
    write_atomic(path, "new content")
    assert path.read_text() == "new content"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640       # the file's mode is kept
    assert leftovers(tmp_path) == []


def test_a_failure_while_writing_leaves_the_old_file(tmp_path):
    path = tmp_path / "out.json"
    path.write_text("old")
    with pytest.raises(ZeroDivisionError):
        with atomic_file(path) as handle:
            handle.write(b"half of the new")
            1 / 0                                              # serialisation fails midway
    assert path.read_text() == "old"
    assert leftovers(tmp_path) == []


def test_a_new_file_gets_the_umask_mode(tmp_path):
    path = tmp_path / "fresh.txt"
    write_atomic(path, b"x")
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o666 & ~mask


def test_a_symbolic_link_keeps_pointing_at_the_new_content(tmp_path):
    target = tmp_path / "real.json"
    target.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    write_atomic(link, "new")
    assert os.path.islink(link) and target.read_text() == "new"


def test_special_files_are_written_straight(tmp_path):
    write_atomic(os.devnull, "gone")                            # no rename over /dev/null
    assert os.path.exists(os.devnull) and stat.S_ISCHR(os.stat(os.devnull).st_mode)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_nobody_reads_is_an_error_not_a_hang(tmp_path):
    fifo = tmp_path / "out.json"
    os.mkfifo(fifo)
    with pytest.raises(OutputError, match="out.json: cannot write: a FIFO nobody reads"):
        write_atomic(fifo, "{}")


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full here")
def test_a_full_device_is_one_error():
    with pytest.raises(OutputError, match="No space left on device"):
        write_atomic("/dev/full", "x" * 100000)


def test_a_directory_or_a_missing_folder_is_refused(tmp_path):
    with pytest.raises(OutputError, match="is a directory; nothing written"):
        write_atomic(tmp_path, "x")
    with pytest.raises(OutputError, match="No such file or directory; nothing written"):
        write_atomic(tmp_path / "no" / "x.json", "x")


def test_an_input_is_never_overwritten(tmp_path):
    spec = tmp_path / "net.yaml"
    spec.write_text("layers: []\n")
    alias = tmp_path / "alias.json"
    alias.symlink_to(spec)
    for target in (spec, alias, tmp_path / "." / "net.yaml"):
        with pytest.raises(OutputError, match="is an input of this command"):
            write_atomic(target, "{}", protect=[str(spec)])
    assert spec.read_text() == "layers: []\n"


@pytest.mark.skipif(ROOT_USER, reason="root ignores file permissions")
def test_read_only_file_and_folder_are_left_alone(tmp_path):
    path = tmp_path / "s.json"
    path.write_text("old")
    os.chmod(path, 0o444)
    with pytest.raises(OutputError, match="is read-only; s.json is unchanged"):
        write_atomic(path, "new")
    folder = tmp_path / "ro"
    folder.mkdir()
    (folder / "s.json").write_text("old")
    os.chmod(folder, 0o555)
    try:
        with pytest.raises(OutputError, match="Permission denied; s.json is unchanged"):
            write_atomic(folder / "s.json", "new")
        assert (folder / "s.json").read_text() == "old"
    finally:
        os.chmod(folder, 0o755)


FSIZE_SCRIPT = """
import resource, sys
resource.setrlimit(resource.RLIMIT_FSIZE, (2000, 2000))
from lasagne_params import LayerSpec, OutputError, derive
from lasagne_params.describe.snapshot import write_snapshot
specs = [LayerSpec("in", "InputLayer", (), {"shape": (None, 4)})] + [
    LayerSpec("d%d" % i, "DenseLayer", ("in" if i == 0 else "d%d" % (i - 1),), {"num_units": 4})
    for i in range(200)]
try:
    write_snapshot(derive(specs), sys.argv[1])
except OutputError as exc:
    print(exc)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="resource limits are POSIX")
def test_a_file_size_limit_leaves_the_old_snapshot(tmp_path, question_specs):
    from lasagne_params import derive
    path = tmp_path / "net.params.json"
    write_snapshot(derive(question_specs), path)
    before = path.read_bytes()
    done = subprocess.run([sys.executable, "-c", FSIZE_SCRIPT, str(path)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "%s: cannot write: File too large; net.params.json is " \
                                  "unchanged" % path, done.stderr
    assert path.read_bytes() == before and leftovers(tmp_path) == []


def test_reading_is_bounded(tmp_path):
    path = tmp_path / "big.json"
    path.write_bytes(b" " * 1001)
    with pytest.raises(LimitError) as info:
        read_bytes(path, max_bytes=1000)
    assert str(info.value) == ("%s: max_input_bytes: the file is larger than 1000 bytes; "
                               "refusing to read it (raise the limit if the file is right)"
                               % path)
    assert read_bytes(path, max_bytes=1001) == b" " * 1001
    assert DEFAULT_MAX_INPUT_BYTES == 16 * 1024 * 1024
    with pytest.raises(LimitError):
        load_spec(LAYERS_YAML, max_bytes=100)
    with pytest.raises(LimitError):
        read_snapshot(LAYERS_YAML, max_bytes=100)


@pytest.mark.parametrize("limit", [0, -1, 1.5, "10", True])
def test_a_bad_limit_is_an_argument_error(limit):
    from lasagne_params import ArgumentError
    with pytest.raises(ArgumentError, match="max_input_bytes: expected a positive number"):
        load_spec(LAYERS_YAML, max_bytes=limit)


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero here")
def test_special_files_are_refused_before_a_byte_is_read(tmp_path):
    zero = tmp_path / "zero.json"
    zero.symlink_to("/dev/zero")
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)                          # opening it for reading would wait for a writer
    start = time.monotonic()
    for path in (zero, fifo):
        with pytest.raises(SpecError, match="is not a regular file"):
            load_spec(path)
    with pytest.raises(SpecError, match="is a directory"):
        read_text(tmp_path)
    assert time.monotonic() - start < 5


def test_a_byte_order_mark_is_skipped(tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + open(LAYERS_YAML, "rb").read())
    assert len(load_spec(path)) == 7


IDX_SCRIPT = """
import resource, sys
import numpy
from lasagne_params import OutputError
from lasagne_params.backend.training.datasets import write_idx
resource.setrlimit(resource.RLIMIT_FSIZE, (1000, 1000))
try:
    write_idx(sys.argv[1], numpy.zeros((100, 28, 28), dtype=numpy.uint8))
except OutputError as exc:
    print(exc)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="resource limits are POSIX")
def test_data_files_are_written_atomically_too(tmp_path):
    pytest.importorskip("numpy")
    path = tmp_path / "images-idx3-ubyte"
    path.write_bytes(b"old data")
    done = subprocess.run([sys.executable, "-c", IDX_SCRIPT, str(path)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "%s: cannot write: File too large; images-idx3-ubyte is " \
                                  "unchanged" % path, done.stderr
    assert path.read_bytes() == b"old data" and leftovers(tmp_path) == []
