"""The main job: examples/mnist_cnn.py prints both tables, 217,706, and exits 0."""
import os
import subprocess
import sys

from conftest import ROOT


def test_mnist_cnn_example(lasagne):
    out = subprocess.run([sys.executable, os.path.join(ROOT, "examples", "mnist_cnn.py")],
                         cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stdout + out.stderr
    text = out.stdout
    assert "# Neural Network with 217706 learnable parameters" in text
    assert "  1  conv2d1   (28-(5-1))=24 -> 32x24x24    (5*5*1+1)*32   =     832" in text
    assert "total: 832 + 9'248 + 205'056 + 2'570 = 217'706" in text
    assert "all 7 layers agree" in text
    assert "total learnable parameters: 217706 (the question's 217,706)" in text
