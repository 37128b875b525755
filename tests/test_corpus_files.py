"""Real historical files of the corpus, run unchanged as a user runs them (tests/data/corpus).

The expected totals are Lasagne master's own ``count_params`` for each network (the ground
truth ``benchmarks/corpus_truth.py`` computed), and each run's ``--check`` compares every
layer with the Lasagne installed; the workshop CNN's is also worked out by hand.
"""
import json
import os

import pytest

from helpers import ROOT, cli_process

CORPUS = os.path.join(ROOT, "tests", "data", "corpus")

# conv (3*3*3+1)*32 + (3*3*32+1)*64 + (3*3*64+1)*64, two 2x2 pools 32 -> 8,
# dense (64*8*8+1)*512 + (512+1)*10
SAMPLE_CNN = 896 + 18496 + 36928 + 2097664 + 5130

# (folder, file, target, Lasagne master's total, what Lasagne 0.1 lacks or None)
NETWORKS = [
    ("cnn-workshop", "sample_cnn.py", "build_cnn", SAMPLE_CNN, None),
    ("birdid", "sx3_fc.py", "build_model", 16875593, None),
    ("nns-for-mnk", "architectures.py", "archX", 49508,
     "lasagne.layers.ParametricRectifierLayer is in Lasagne master (0.2.dev1)"),
    ("nns-for-mnk", "architectures.py", "archX_binconv", 177860,
     "DropoutLayer's keyword shared_axes= is in Lasagne master (0.2.dev1)"),
]


def _show(folder, path, target):
    done = cli_process("show", "%s:%s" % (path, target), "--check", "--format", "json",
                       cwd=os.path.join(CORPUS, folder), timeout=300)
    return done, done.stdout.decode()


def test_the_hand_computed_total():
    assert SAMPLE_CNN == 2159114


@pytest.mark.parametrize("folder,path,target,total,lacking", NETWORKS,
                         ids=["%s/%s" % (n[0], n[2]) for n in NETWORKS])
def test_real_file_holds(lasagne, folder, path, target, total, lacking):
    """Lasagne master: every layer agrees, the total is master's own; Lasagne 0.1: code
    written for master gets one line naming what 0.1 lacks."""
    if lacking and not lasagne.__version__.startswith("0.2"):
        done, _ = _show(folder, path, target)
        assert done.returncode == 2
        lines = done.stderr.decode().splitlines()
        assert len(lines) == 1 and lacking in lines[0], lines
        assert "not in the installed Lasagne 0.1; install master" in lines[0]
        return
    done, out = _show(folder, path, target)
    assert done.returncode == 0, done.stderr.decode()
    result = json.loads(out)
    assert result["ok"] and not result["mismatches"] and not result["not_derived"]
    assert result["derived"]["total_params"] == result["reported"]["total_params"] == total


def test_own_classes_derived_from_their_code(lasagne_master):
    done, out = _show("nns-for-mnk", "architectures.py", "archX_binconv")
    assert done.returncode == 0, done.stderr.decode()
    rows = {row["name"]: row for row in json.loads(out)["derived"]["layers"]}
    binconv = rows["binconv_1"]
    assert binconv["kind"] == "BinConvLayer" and binconv["params"] == 1056
    assert binconv["note"].startswith("from the class's code:")
    assert {rows[name]["kind"] for name in rows if rows[name]["note"].startswith(
        "from the class's code")} == {"BinConvLayer", "FixLayer", "ReNormLayer"}
