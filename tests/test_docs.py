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


# `run` trains the script's network (a minute): tests/test_run.py runs the same script,
# and tests/test_readme_tour.py (slow) the README's tour, with the weights file it saves.
COMMANDS = [(os.path.relpath(page, ROOT), line) for page in PAGES
            for line in shell_lines(page)
            if not PLACEHOLDERS & set(shlex.split(line)) and "|" not in line
            and shlex.split(line)[1] != "run" and "plots/" not in line]


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


# ---------------------------------------------------------------- cli.md's synopsis

def synopsis():
    """{command (or "NET", "every command", "" for the program): the text of its lines}
    from the first code block of docs/cli.md; a line indented deeper continues the one
    before."""
    with open(os.path.join(ROOT, "docs", "cli.md"), encoding="utf-8") as fh:
        block = re.search(r"```\n(lasagne-params .*?)```", fh.read(), re.S).group(1)
    parts, key = {}, None
    for line in block.splitlines():
        if not line.strip():
            continue
        if line.startswith("lasagne-params "):
            word = line.split()[1]
            key = "" if word.startswith("-") else word
        elif not line.startswith(" "):
            key = line.split(":")[0]
        parts[key] = parts.get(key, "") + " " + line
    return parts


def written_options(text):
    """{option: its choices as written (``--format a|b``) or None}."""
    found = {}
    for option, choices in re.findall(r"(?<![\w-])(--?[a-z][a-z0-9-]*)(?: ([a-z0-9.]+(?:\|[a-z0-9.]+)+))?", text):
        found[option] = choices.split("|") if choices else found.get(option)
    return found


def parser_options(parser):
    """[(option strings, choices or None)] of an argparse parser's options, --help left out."""
    return [(tuple(action.option_strings), list(action.choices) if action.choices else None)
            for action in parser._actions
            if action.option_strings and "--help" not in action.option_strings]


def assert_written(written, options, what):
    """Each option written is one of ``options``, each of them written (any of its
    spellings: ``-o`` or ``--output``), with the parser's choices where it has some."""
    spellings = {o for strings, _ in options for o in strings}
    assert set(written) <= spellings, (what, set(written) - spellings)
    for strings, choices in options:
        given = [o for o in strings if o in written]
        assert given, (what, strings)
        if choices is not None:
            assert sorted(written[given[0]] or ()) == sorted(choices), (what, strings)


def test_cli_md_synopsis_lists_every_command_and_option_of_the_parser():
    """issue 22: cli.md's synopsis lacked run, --lasagne, --output-layer: compared with the
    parser itself, so that neither can change without the other."""
    import argparse
    from lasagne_params.cli import _parser
    parser = _parser()
    parts = synopsis()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    assert set(parts) == set(commands.choices) | {"", "NET", "every command"}
    every = written_options(parts["every command"])
    network = written_options(parts["NET"])
    assert written_options(parts[""]) == {"--version": None}
    assert_written(dict(every, **written_options(parts[""])), parser_options(parser),
                   "lasagne-params")
    for name, command in commands.choices.items():
        options = parser_options(command)
        written = dict(written_options(parts[name]), **every)
        if any("--zoo" in strings for strings, _ in options):   # a command naming a network
            written.update(network)
        assert_written(written, options, name)


# ---------------------------------------------------------------- links

LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def anchors(path):
    """GitHub's anchors of a Markdown page's headings."""
    with open(path, encoding="utf-8") as fh:
        text = re.sub(r"```.*?```", "", fh.read(), flags=re.S)
    found = set()
    for heading in re.findall(r"^#+ (.+)$", text, re.M):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        found.add(slug)
    return found


def test_every_relative_link_and_anchor_resolves():
    """issue 22: cli.md pointed to a README section "Beyond the count" long gone."""
    broken, checked = [], 0
    for page in PAGES:
        with open(page, encoding="utf-8") as fh:
            text = re.sub(r"```.*?```", "", fh.read(), flags=re.S)
        for target in LINK.findall(text):
            if re.match(r"[a-z]+:", target):          # http:, https:, mailto:
                continue
            checked += 1
            path, _, anchor = target.partition("#")
            file = os.path.normpath(os.path.join(os.path.dirname(page), path)) if path \
                else page
            if not os.path.exists(file):
                broken.append("%s: %s (no such file)" % (os.path.relpath(page, ROOT), target))
            elif anchor and file.endswith(".md") and anchor not in anchors(file):
                broken.append("%s: %s (no such heading)" % (os.path.relpath(page, ROOT),
                                                             target))
    assert checked > 50
    assert broken == []


def test_no_page_names_a_section_that_is_gone():
    for page in PAGES:
        with open(page, encoding="utf-8") as fh:
            assert "*Beyond the count*" not in fh.read(), page
