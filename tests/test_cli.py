"""The lasagne-params command: output, --check, and one-line errors with exit 2."""
import os
import subprocess
import sys

import pytest

from conftest import ROOT

NETS = os.path.join(ROOT, "tests", "data", "nets.py")


def cli(*args):
    return subprocess.run([sys.executable, "-m", "lasagne_params", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


def test_show_answer_and_check(lasagne):
    out = cli("show", NETS + ":tiny", "--check")
    assert out.returncode == 0, out.stderr
    assert "  1  conv    (8-(3-1))=6 -> 4x6x6    (3*3*1+1)*4 =  40" in out.stdout
    assert "total: 40 + 290 = 330" in out.stdout
    assert "all 3 layers agree" in out.stdout


def test_show_nolearn(lasagne):
    out = cli("show", NETS + ":tiny", "--format", "nolearn")
    assert out.stdout.startswith("# Neural Network with 330 learnable parameters\n")


@pytest.mark.parametrize("target, message", [
    ("nowhere.py:f", "lasagne-params: error: nowhere.py: no such file"),
    (NETS, "expected path/to/module.py:function"),
    (NETS + ":missing", NETS + ": has no function 'missing'"),
    (NETS + ":broken", NETS + ": broken() failed: RuntimeError: boom"),
    (NETS + ":not_a_network", "expected a Lasagne layer or a list of LayerSpecs, got int"),
])
def test_bad_input_is_one_line_and_exit_2(lasagne, target, message):
    out = cli("show", target)
    assert out.returncode == 2
    assert message in out.stderr
    assert "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1
