"""benchmarks/perf.py at toy sizes (so it cannot rot), and the no-copy guarantee it measures."""
import json
import os
import subprocess
import sys

import pytest

from helpers import QUESTION_PARAMS, ROOT

from lasagne_params import derive, zoo

sys.path.insert(0, os.path.join(ROOT, "benchmarks"))
import perf  # noqa: E402

sys.path.remove(os.path.join(ROOT, "benchmarks"))


@pytest.mark.parametrize("name", ["lenet5", "alexnet", "vgg16", "vgg19"])
def test_bare_loop_computes_the_same_counts_as_derive(name):
    """The lower bound is a real derivation: same shapes and counts, layer by layer."""
    specs = zoo.specs(name)
    report = derive(specs)
    assert perf.bare_loop(specs) == [(row.output_shape, row.params) for row in report.layers]


def test_bare_loop_on_the_question_and_a_chain():
    assert [p for _, p in perf.bare_loop(perf.question_specs())] == QUESTION_PARAMS
    chain = perf.dense_chain(4)
    assert perf.bare_loop(chain)[-1] == ((None, 100), 101 * 100)
    assert derive(chain).total_params == 3 * 101 * 100


@pytest.mark.slow
def test_perf_smoke(lasagne):
    script = os.path.join(ROOT, "benchmarks", "perf.py")
    out = subprocess.run([sys.executable, script, "--quick", "--json"], cwd=ROOT,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
    figures = json.loads(out.stdout)
    rows = {row["network"]: row for row in figures["derive"]}
    assert rows["question's network"]["params"] == 217706
    assert rows["VGG-16"]["params"] == 138357544
    assert rows["chain of 100"]["layers"] == 100
    assert all(row["derive_s"] > 0 and row["bare_s"] > 0 for row in rows.values())
    assert figures["memory"]["VGG-16"]["params"] == 138357544
    assert figures["memory"]["LeNet-5"]["params"] == 61706
    built = figures["lasagne"]["question's network"]
    assert built["total"] == 217706 and built["arrays"] == 8
    assert built["copies"] == 0                   # from_lasagne/compare copy no array
    assert figures["cli"]["show_s"] > figures["cli"]["pass_s"] > 0
    assert set(figures["cli"]["choices"]) == set(perf.START_UP_CHOICES) == {"metadata",
                                                                            "picture"}
    check = figures["check"]
    assert check["question"]["wall_s"] > 0 and check["vgg16"]["wall_s"] > 0
    # the cross-check never allocates VGG-16's weights (553 MB even in float32)
    assert check["vgg16"]["rss"] < check["question"]["rss"] + 138357544 * 4 // 10
    text = perf.render(figures)
    assert "| VGG-16 | 24 | 138,357,544 |" in text and "`python -c pass`" in text
    assert "* lasagne_params.render.picture imported by drawing only: " in text
    assert "| VGG-16 (`--zoo vgg16`) | 138,357,544 |" in text


def test_from_lasagne_and_compare_never_copy_a_parameter_array(lasagne, question_net,
                                                               monkeypatch):
    from theano.compile.sharedvalue import SharedVariable
    import lasagne_params as lp

    reads = []
    original = SharedVariable.get_value

    def borrowed_only(self, borrow=False, return_internal_type=False):
        if not borrow:
            raise AssertionError("get_value() copied %s" % self)
        reads.append(self)
        return original(self, borrow, return_internal_type)

    monkeypatch.setattr(SharedVariable, "get_value", borrowed_only)
    assert lp.from_lasagne(question_net).total_params == 217706
    assert lp.compare(question_net).ok
    assert len(reads) >= 2 * 8                    # every array read, by borrowing
    with pytest.raises(AssertionError, match="copied"):
        lasagne.layers.count_params(question_net)  # Lasagne's own count copies


def test_installed_lasagne_version_is_what_importlib_metadata_reads(lasagne):
    from importlib import metadata
    from lasagne_params.core import versions
    versions.installed.cache_clear()
    try:
        assert versions.installed() == versions.canonical(metadata.version("Lasagne"))
    finally:
        versions.installed.cache_clear()


def test_show_spec_start_up_imports_only_what_it_needs():
    """show SPEC --format json: no Theano/numpy, nor what the two start-up choices kept
    (docs/performance.md) leave out: importlib.metadata (the installed Lasagne's version
    read from its .dist-info) and the picture's modules (imported by drawing only)."""
    code = ("import sys, io; from lasagne_params.cli import main; out = sys.stdout; "
            "sys.stdout = io.StringIO(); main(['show', %r, '--format', 'json']); "
            "sys.stdout = out; print(' '.join(sorted(sys.modules)))" % perf.SPEC_FILE)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    loaded = set(out.stdout.split())
    assert "lasagne_params.core.derive" in loaded
    assert not loaded & {"theano", "numpy", "lasagne", "importlib.metadata",
                         "lasagne_params.render.picture", "subprocess"}
