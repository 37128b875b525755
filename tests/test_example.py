"""The main job: examples/mnist_cnn.py prints both tables, 217,706, runtime shapes, exits 0."""
import os
import subprocess
import sys

import pytest

from helpers import ROOT


def run_example(*args):
    env = dict(os.environ)
    env.pop("MNIST_DIR", None)
    return subprocess.run([sys.executable, os.path.join(ROOT, "examples", "mnist_cnn.py"),
                           *args], cwd=ROOT, capture_output=True, text=True, timeout=600,
                          env=env)


@pytest.mark.slow
def test_mnist_cnn_example(lasagne):
    out = run_example()
    assert out.returncode == 0, out.stdout + out.stderr
    text = out.stdout
    assert "# Neural Network with 217706 learnable parameters" in text
    assert "  1  conv2d1   (28-(5-1))=24 -> 32x24x24    (5*5*1+1)*32   =     832" in text
    assert "total: 832 + 9'248 + 205'056 + 2'570 = 217'706" in text
    assert "all 7 layers agree" in text
    assert "total learnable parameters: 217706 (the question's 217,706)" in text
    # the third column: what Theano computes for 8 real digits
    assert "Shapes Theano computes for 8 real digits from " in text
    from lasagne_params.backend.bridges.compat import user_configured
    if not user_configured("floatX", "global", "floatX"):
        assert "floatX=float32:" in text            # the example's float32 by default
    assert ("  3  conv2d2   Conv2DLayer     8x32x10x10  8x32x10x10  8x32x10x10  ok"
            in text)
    assert "all 7 layers: derived = Lasagne = runtime shape on a batch of 8 from " in text
    assert "Training" not in text
    assert out.stderr == ""                 # no Theano image_shape warning (issue 22)
    # in the order the README shows: the answer's table, nolearn's, both sides, runtime
    order = [text.index(part) for part in (
        "  1  conv2d1   (28-(5-1))=24 -> 32x24x24", "# Neural Network with 217706",
        "  #  name      kind              derived size    Lasagne size",
        "  #  name      kind               derived     Lasagne     runtime  check")]
    assert order == sorted(order)
    assert "     total                                                              217,706" \
        "           217,706  ok" in text


@pytest.mark.slow
def test_mnist_cnn_example_trains(lasagne):
    out = run_example("--train", "--epochs", "2", "--source", "bundled")
    assert out.returncode == 0, out.stdout + out.stderr
    lines = out.stdout.splitlines()
    assert "Training as the question configured it, on bundled sample (500 digits):" in lines
    top = lines.index("  epoch    trn loss    val loss    trn/val    valid acc  dur")
    assert [line.split()[0] for line in lines[top + 2:top + 4]] == ["1", "2"]
    first, second = (float(line.split()[1]) for line in lines[top + 2:top + 4])
    assert second < first < 2.5            # training loss falls from about ln(10)
    assert any(line.startswith("validation accuracy after 2 epochs: ") for line in lines)
    assert "target" not in out.stdout      # the 95% target is for the 5,000 digits


def test_mnist_cnn_example_bad_data_folder(lasagne, tmp_path):
    """A DatasetError is one line on stderr and exit 2, as the CLI does."""
    env_dir = tmp_path / "mnist"
    env_dir.mkdir()
    (env_dir / "train-images-idx3-ubyte").write_bytes(b"\x00\x00\x08\x03" + b"\x00" * 8)
    (env_dir / "train-labels-idx1-ubyte").write_bytes(b"\x00\x00\x08\x01\x00\x00\x00\x00")
    out = subprocess.run([sys.executable, os.path.join(ROOT, "examples", "mnist_cnn.py")],
                         cwd=ROOT, capture_output=True, text=True, timeout=600,
                         env=dict(os.environ, MNIST_DIR=str(env_dir)))
    assert out.returncode == 2, out.stdout + out.stderr
    assert out.stderr == ("mnist_cnn.py: train-images-idx3-ubyte: truncated header: "
                          "3 dimensions need 16 header bytes, file has 12\n")
