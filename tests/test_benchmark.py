"""benchmarks/train_speed.py at toy sizes, so the benchmark cannot rot (not a measurement)."""
import json
import os
import subprocess
import sys

import pytest

from helpers import ROOT


@pytest.mark.slow
def test_train_speed_smoke(lasagne):
    script = os.path.join(ROOT, "benchmarks", "train_speed.py")
    out = subprocess.run([sys.executable, script, "--batches", "2", "--repeats", "1",
                          "--compile", "warm", "--profile", "--json"],
                         cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert out.returncode == 0, out.stdout + out.stderr
    figures = json.loads(out.stdout)
    assert figures["theano"]["train"] > 0 and figures["theano"]["infer"] > 0
    assert figures["compile_warm_s"] > 0 and "compile_cold_s" not in figures
    ops = [name for name, seconds, share in figures["profile"]["ops"]]
    assert "CorrMM" in ops and "CorrMM_gradWeights" in ops     # the convolutions ran
    assert abs(sum(share for _, _, share in figures["profile"]["ops"]) - 1) < 1e-9
    try:
        import torch  # noqa: F401
    except ImportError:
        assert figures["torch_skipped"] == "torch is not installed here"
    else:
        assert figures["torch"]["train"] > 0 and figures["torch"]["infer"] > 0
    # the text form of the same figures (render is plain Python)
    sys.path.insert(0, os.path.dirname(script))
    try:
        import train_speed
    finally:
        sys.path.remove(os.path.dirname(script))
    text = train_speed.render(figures)
    assert "training (momentum step)" in text and "warm (compiled before)" in text
    assert "CorrMM_gradWeights" in text
