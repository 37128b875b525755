"""README.md's tour works as pasted (issue 22): its code blocks, read from the README itself.

The fast tests check what is cheap: the main job's extras are declared and bring what
the tour needs, every ``lasagne-params`` line parses with the command line's own parser
and names files that exist, the Python block compiles and uses no name before it is
defined, the YAML excerpt is a spec.  The slow test runs the tour for real, line by
line, in the environment running the tests (the repository's ``.venv`` under the
README's commands; making a fresh venv takes minutes), in a scratch folder that sees
the checkout's files, and asserts each exit status and the figures the README shows.
"""
import ast
import builtins
import configparser
import os
import re
import shlex
import subprocess
import sys

import pytest

from helpers import ROOT, SUMMARY_TABLE
import lasagne_params
from lasagne_params.cli import _parser

README = os.path.join(ROOT, "README.md")
CLI = ".venv/bin/lasagne-params"
#: Files the tour writes before reading them (the script's saved weights, its outputs).
WRITTEN = ("plots/", "net.svg", "net.params.json")


def readme():
    with open(README, encoding="utf-8") as handle:
        return handle.read()


def section(title):
    """The text of README's ``## title`` section."""
    text = readme()
    start = text.index("\n## %s\n" % title)
    end = text.find("\n## ", start + 1)
    return text[start:end if end >= 0 else len(text)]


def blocks(text, language):
    """The code blocks of ``language`` (``""``: plain ones) in ``text``, in order."""
    found, current, opened = [], None, None
    for line in text.splitlines(keepends=True):
        if current is None and line.startswith("```"):
            current, opened = [], line[3:].strip()
        elif current is not None and line.rstrip() == "```":
            if opened == language:
                found.append("".join(current))
            current = None
        elif current is not None:
            current.append(line)
    return found


def commands(text):
    """Each shell command of the ``sh`` blocks in ``text``, as a list of words (comments
    dropped, ``&&`` splitting a line into its commands)."""
    found = []
    for block in blocks(text, "sh"):
        for line in block.splitlines():
            words = shlex.split(line, comments=True)
            while words:
                cut = words.index("&&") if "&&" in words else len(words)
                found.append(words[:cut])
                words = words[cut + 1:]
    return found


def tour_lines():
    """The tour's shell lines as written (each run by bash in the slow test)."""
    lines = []
    for block in blocks(section("A short tour"), "sh"):
        lines += [line for line in block.splitlines() if line.strip()
                  and not line.lstrip().startswith("#")]
    return lines


def test_the_main_job_installs_every_extra_the_tour_needs():
    main_job = [words for words in commands(section("The two commands"))
                if words[:1] == [".venv/bin/pip"] and "install" in words][0]
    extras = re.fullmatch(r"\.\[(.*)\]", main_job[-1]).group(1).split(",")
    config = configparser.ConfigParser()
    config.read(os.path.join(ROOT, "setup.cfg"))
    declared = config["options.extras_require"]
    assert set(extras) <= set(declared)
    requirements = " ".join(declared[extra] for extra in extras)
    # Lasagne for the Python block and --check, matplotlib for the nolearn script's plots
    # under `run`, PyYAML for the YAML spec
    for package in ("Lasagne", "Theano-PyMC", "matplotlib", "scikit-learn", "PyYAML"):
        assert package in requirements, package


def test_every_command_line_of_the_tour_parses_and_names_existing_files():
    tour = [words for words in commands(section("A short tour"))]
    cli_lines = [words for words in tour if "lasagne-params" in words[0]]
    assert len(cli_lines) >= 12
    assert all(words[0] == CLI for words in cli_lines), \
        "call the command through the venv, reachable without activating it"
    parser = _parser()
    for words in cli_lines:
        try:
            parser.parse_args(words[1:])
        except SystemExit as exc:                 # --version exits 0 once it printed
            assert exc.code == 0 and words[1:] == ["--version"], words
        for word in words[1:]:
            path = word.split(":")[0]
            if "/" in path and not path.startswith(WRITTEN):
                assert os.path.exists(os.path.join(ROOT, path)), word
    assert all(words[0] in (CLI, "mkdir") for words in tour), tour


def _undefined(tree):
    """Names the statements of ``tree`` load before any earlier statement defines them."""
    defined, missing = set(dir(builtins)), []
    for statement in tree.body:
        for node in ast.walk(statement):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) \
                    and node.id not in defined:
                missing.append(node.id)
        for node in ast.walk(statement):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                defined.add(node.id)
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                defined.update((alias.asname or alias.name).split(".")[0]
                               for alias in node.names)
    return missing


def test_the_python_block_compiles_and_defines_everything_it_uses():
    (code,) = blocks(section("A short tour"), "python")
    tree = ast.parse(code)
    compile(tree, "README.md", "exec")
    assert _undefined(tree) == []
    assert sorted(_undefined(ast.parse("report = lasagne_params.derive(net)"))) == [
        "lasagne_params", "net"]                 # the check finds what the old tour lacked


def test_the_tour_shows_the_table_print_gives(question_specs):
    shown = blocks(section("A short tour"), "")
    assert SUMMARY_TABLE in shown
    assert str(lasagne_params.derive(question_specs)) == SUMMARY_TABLE


def test_the_yaml_excerpt_is_a_spec():
    yaml = pytest.importorskip("yaml")
    (excerpt,) = blocks(readme(), "yaml")
    report = lasagne_params.derive(lasagne_params.describe.spec.parse_spec(
        yaml.safe_load(excerpt)))
    assert report.total_params == (5 * 5 * 1 + 1) * 32


@pytest.fixture
def scratch(tmp_path):
    """A folder where the tour runs: the checkout's files seen through links, the venv of
    the running tests as ``.venv``, and room for what the tour writes."""
    for name in ("tests", "examples", "lasagne_params"):
        os.symlink(os.path.join(ROOT, name), tmp_path / name)
    os.symlink(sys.prefix, tmp_path / ".venv")
    return tmp_path


@pytest.mark.slow
def test_the_tour_runs_as_pasted(scratch):
    env = {k: v for k, v in os.environ.items() if k not in ("MNIST_DIR", "VIRTUAL_ENV")}
    outputs = {}
    for line in tour_lines():
        done = subprocess.run(["bash", "-c", line], cwd=scratch, capture_output=True,
                              text=True, timeout=600, env=env)
        assert done.returncode == 0, (line, done.stdout[-2000:], done.stderr[-2000:])
        outputs[line] = done.stdout

    def output(fragment):
        return next(text for line, text in outputs.items() if fragment in line)

    assert output("--version") == "lasagne-params %s\n" % lasagne_params.__version__
    assert output("question_layers.yaml  ") == SUMMARY_TABLE
    assert output("--format answer").endswith("total: 832 + 9'248 + 205'056 + 2'570 = "
                                              "217'706\n")
    assert "all 7 layers agree" in output("question_nolearn.json --check")
    assert "Total params: 113 (all 2 outputs: left, right)" in output("build_two_heads")
    assert "fits: every array has the shape the network expects" in output("weights ")
    assert output("snapshot").startswith("wrote ") and "217'706 parameters" in \
        output("snapshot")
    assert (scratch / "net.svg").stat().st_size > 0

    (code,) = blocks(section("A short tour"), "python")
    done = subprocess.run([".venv/bin/python", "-"], input=code, cwd=scratch,
                          capture_output=True, text=True, timeout=600, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(SUMMARY_TABLE)
    assert "all 7 layers agree" in done.stdout
    assert done.stdout.count("all 7 layers: derived = Lasagne = runtime shape on a batch "
                             "of 8") == 1
    assert "image_shape" not in done.stderr
