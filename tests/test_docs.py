"""Every command the README and docs/ show runs, and the tables they show are the real ones."""
import glob
import os
import re
import shlex

import pytest

from helpers import QUESTION_COLUMNS, ROOT, cli

PAGES = [os.path.join(ROOT, "README.md")] + sorted(glob.glob(os.path.join(ROOT, "docs", "*.md")))
# Words that stand for "your network" in a synopsis, not a runnable command.
PLACEHOLDERS = {"NET", "SPEC", "FILE.py", "NAME", "LIST", "N"}


def shell_lines(path):
    """The ``lasagne-params ...`` lines of the page's ```sh blocks, comments dropped."""
    text = open(path, encoding="utf-8").read()
    for block in re.findall(r"```sh\n(.*?)```", text, re.S):
        for line in block.splitlines():
            line = line.split("  #")[0].strip()
            if line.startswith(("lasagne-params ", ".venv/bin/lasagne-params ")):
                yield line


# `run` trains the script's network (a minute): tests/test_run.py runs the same script.
COMMANDS = [(os.path.relpath(page, ROOT), line) for page in PAGES
            for line in shell_lines(page)
            if not PLACEHOLDERS & set(shlex.split(line)) and "|" not in line
            and shlex.split(line)[1] != "run"]


def test_the_pages_show_commands():
    pages = {page for page, _ in COMMANDS}
    assert {"README.md", "docs/costs.md", "docs/custom-kinds.md"} <= pages
    assert len(COMMANDS) >= 10


@pytest.mark.parametrize("page, line", COMMANDS, ids=["%s:%d" % (p, i)
                                                      for i, (p, _) in enumerate(COMMANDS)])
def test_every_shown_command_runs(lasagne, tmp_path, page, line):
    """Files the command writes go to a temporary folder; files it reads stay as shown."""
    args = shlex.split(line)[1:]
    for flag in ("-o", "--against"):
        if flag in args:
            index = args.index(flag) + 1
            written = tmp_path / os.path.basename(args[index])
            if flag == "--against":                       # the snapshot the page made first
                assert cli("snapshot", args[1], "-o", str(written)).returncode == 0
            args[index] = str(written)
    out = cli(*args)
    assert out.returncode == 0, (page, line, out.stderr)
    assert out.stdout


def test_costs_page_shows_the_real_columns_table():
    with open(os.path.join(ROOT, "docs", "costs.md"), encoding="utf-8") as fh:
        assert "```\n" + QUESTION_COLUMNS + "```" in fh.read()
