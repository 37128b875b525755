"""How the layers of classes of the corpus's own code are derived: from their code with a
formula, with numbers, or not at all.

    .venv-master/bin/python benchmarks/class_code_census.py \\
        --runner /work/wt-corpus/benchmarks/corpus.py [--corpus /work/corpus] \\
        [--tool-python .venv-master/bin/python] [--only PATTERN,...] [--json census.json]

The unseen-code corpus (``benchmarks/corpus.py`` and its manifest, branch ``corpus``;
the repositories' files in ``--corpus``, never committed) names each network and how a
user runs it.  For each, this program runs ``lasagne-params show FILE:NAME --check
--format json`` as the corpus runner does (its options, its folder, its PYTHONPATH, a
timeout), reads every derived row whose class is not one of Lasagne's (its kind is no
built-in name), and counts:

* ``formula``: derived from the class's code on symbolic sizes (its note begins
  "from the class's code:"), and of those, how many agree with Lasagne's figures;
* ``numbers``: derived from the class's code on plain numbers only ("..., with numbers");
* ``not derived``: Lasagne's figures shown, with the reason;

by row and by distinct class (repository and class name; a class counts under its best
outcome).  Networks the tool refuses or cannot run (a missing data file...) hold no rows.
Run it with a tool of another version (``--tool-python``) for a before/after.
"""
import argparse
import collections
import importlib.util
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from lasagne_params.core.registry import BUILTIN_NAMES  # noqa: E402

FORMULA, NUMBERS = "from the class's code:", "from the class's code, with numbers"
OUTCOMES = ("formula", "numbers", "not derived")


def load_runner(path):
    spec = importlib.util.spec_from_file_location("corpus_runner", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def outcome(row):
    note = row.get("note") or ""
    if not row.get("derived", True):
        return "not derived"
    if note.startswith(NUMBERS):
        return "numbers"
    if note.startswith(FORMULA):
        return "formula"
    return None                   # a kind declared for it (register_kind): not counted


def census(runner, entry, args):
    """[(row, agrees)] of the rows of classes of the user's, for one network (tried again
    with the option a refusal advises, as the corpus runner and a user do)."""
    path, name = runner.target_of(entry, args)
    advised = []
    while True:
        command = [args.tool_python, "-m", "lasagne_params", "show", "%s:%s" % (path, name),
                   "--check", "--format", "json"] + runner.options(entry) + advised
        status, out, err, _ = runner.run(command, os.path.dirname(path), args.timeout,
                                         entry.get("pythonpath", ()))
        line = runner.error_line(err)
        hint = runner.hinted_option({"class": "refused", "line": line}, entry, advised) \
            if status == 2 and len(advised) < 2 else None
        if not hint:
            break
        advised.append(hint)
    if status not in (0, 1):
        return None, (line or "exit %s" % status)[:160]
    try:
        data = json.loads(out)
    except ValueError:
        return None, "output is not JSON"
    found = []
    for network in data if isinstance(data, list) else [data]:
        bad = {m.get("layer") for m in network.get("mismatches", [])}
        for row in network["derived"]["layers"]:
            if row["kind"] not in BUILTIN_NAMES:
                found.append((row, row["name"] not in bad))
    return found, ""


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runner", required=True, help="benchmarks/corpus.py of branch corpus")
    parser.add_argument("--corpus", default="/work/corpus")
    parser.add_argument("--mirrors", default="/work/.mirror")
    parser.add_argument("--tool-python", default=sys.executable)
    parser.add_argument("--only", help="networks whose id, repository or path contains one "
                        "of these comma-separated patterns")
    parser.add_argument("--timeout", type=int, default=180)
    parser.add_argument("--json")
    args = parser.parse_args(argv)
    args.tool_python = os.path.abspath(args.tool_python)      # it runs in each file's folder
    runner = load_runner(args.runner)
    manifest = json.load(open(os.path.join(os.path.dirname(args.runner),
                                           "corpus_manifest.json")))
    rows, classes, examples, skipped = [], {}, [], []
    for entry in manifest["networks"]:
        if args.only and not any(pattern in entry["id"] + entry["repo"] + entry["path"]
                                 for pattern in args.only.split(",")):
            continue
        if runner.materialise(entry, args):
            skipped.append((entry["id"], "no snapshot"))
            continue
        found, why = census(runner, entry, args)
        if found is None:
            skipped.append((entry["id"], why))
            continue
        for row, agrees in found:
            kind = outcome(row)
            if kind is None:
                continue
            rows.append({"network": entry["id"], "repo": entry["repo"], "layer": row["name"],
                         "class": row["kind"], "outcome": kind, "agrees": agrees,
                         "note": row.get("note", ""), "param_formula": row["param_formula"],
                         "shape_formula": row["shape_formula"]})
            key = (entry["repo"], row["kind"].rpartition(".")[2])
            best = classes.get(key)
            if best is None or OUTCOMES.index(kind) < OUTCOMES.index(best):
                classes[key] = kind
        print("%-45s %s" % (entry["id"][:45], ", ".join(
            "%s: %s" % (r["class"], r["outcome"]) for r in rows if r["network"] == entry["id"])
            or "-"), flush=True)
    by_row = collections.Counter(r["outcome"] for r in rows)
    by_class = collections.Counter(classes.values())
    print("\n%d networks read, %d without rows (%s)" % (
        len({r["network"] for r in rows}), len(skipped),
        "; ".join(sorted({why for _, why in skipped}))[:300]))
    print("rows of classes of the code's own: %d" % len(rows))
    for name in OUTCOMES:
        agreeing = sum(1 for r in rows if r["outcome"] == name and r["agrees"])
        print("  %-12s %4d rows (%d agree with Lasagne)   %4d classes" % (
            name, by_row[name], agreeing, by_class[name]))
    print("distinct classes: %d" % len(classes))
    reasons = collections.Counter(r["note"].split(";")[0][:110] for r in rows
                                  if r["outcome"] != "formula")
    print("\nreasons (numbers, not derived):")
    for reason, count in reasons.most_common(25):
        print("  %3d  %s" % (count, reason))
    if args.json:
        with open(args.json, "w") as handle:
            json.dump({"rows": rows, "skipped": skipped}, handle, indent=1)


if __name__ == "__main__":
    main()
