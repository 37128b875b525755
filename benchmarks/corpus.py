"""The unseen-code corpus: real historical Lasagne code from public repositories, as a new user runs it.

    .venv-master/bin/python benchmarks/corpus.py [--corpus /work/corpus] [--only PATTERN]
        [-j 1] [--json results.json] [--also-01 .venv/bin/python]

Reproduce from a fresh clone (Lasagne master, as most historical code was written for it):

    python3.11 -m venv .venv-master && .venv-master/bin/pip install -q -e '.[test]'
    .venv-master/bin/pip install -q --no-deps Lasagne-0.2.dev1.tar.gz   # Lasagne's master branch
    .venv-master/bin/python benchmarks/corpus.py --json corpus-results.json

``benchmarks/corpus_manifest.json`` lists each network: the public repository,
the commit, the file, the target (a module-level variable or function, or a
small driver of ours that calls the file's builder with arguments), the
options a user would find (``--python2``, ``--keep-going``,
``--output-layer``), the licence, the kind of network and notes.  For each one
this program

1. materialises the repository's ``.py`` and ``.ipynb`` files at that commit
   from the snapshot in ``--mirrors`` (``/work/.mirror/OWNER+REPO``, brought
   by the search tool's ``fetch``; a missing snapshot is reported, with the
   fetch to make) into ``--corpus DIR/OWNER+REPO/`` and writes the driver, if
   any, beside the file (``_corpus_<id>.py``);
2. computes Lasagne's own figures (``benchmarks/corpus_truth.py`` under
   ``--master-python``: the whole file run, ``count_params``, every layer's
   ``output_shape``), cached in ``DIR/.truth/``;
3. runs ``lasagne-params show FILE:NAME --check --format json`` with the
   manifest's options under ``--tool-python``, in a subprocess with a
   timeout, from the file's folder;
4. classifies the network (``CLASSES`` below) and prints a summary table, a
   table of every network, every silently wrong one loudly, and ``--json``.

One network at a time by default (``-j``): a Theano import is heavy and the
machine may be shared.  Neither step compiles a Theano function on purpose
(the tool's ``--check`` builds layers and counts; the ground truth replaces
``theano.function`` by one that raises).

It never commits anything, never writes into this repository (except the
``--json`` file you name) and never changes the snapshots: corpus files are
public code of others, kept outside the repository.
"""
import argparse
import concurrent.futures
import hashlib
import json
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
MANIFEST = os.path.join(HERE, "corpus_manifest.json")
TRUTH = os.path.join(HERE, "corpus_truth.py")

#: The classes, worst first where it matters; each network gets exactly one.
CLASSES = [
    ("holds", "exit 0, every layer derived and equal to Lasagne, totals equal to the ground truth"),
    ("silently wrong", "exit 0 (ok), but the total, the trainable total or the number of "
                       "layers differs from the ground truth"),
    ("not derived", "exit 0, some layers not derived (a class the tool does not know), "
                    "totals equal to the ground truth"),
    ("mismatch", "exit 1: the tool says its derivation and Lasagne's figures differ"),
    ("refused", "exit 2 with a one-line reason"),
    ("internal error", "a traceback, another exit status, or output that is not the JSON"),
    ("timeout", "the tool did not finish in time"),
    ("environment", "no ground truth: Lasagne itself cannot build the network here"),
]

#: How a refusal's one-line reason is grouped: (pattern on the line, class of reason).
REASONS = [
    (r"No module named '([\w]+)", lambda m: "does not import: no module %s" % m.group(1)),
    (r"ImportError: cannot import name '?(\w+)'?", lambda m: "does not import: cannot import name %s" % m.group(1)),
    (r"has no function or variable", "has no function or variable by that name"),
    (r"needs argument", "function needs arguments"),
    (r"float.*--python2|--python2.*float", "TypeError float -> --python2"),
    (r"Python 2's: --python2|is Python 2's", "Python 2 name -> --python2"),
    (r"FileNotFoundError|No such file or directory", "a data file is missing"),
    (r"SyntaxError", "SyntaxError"),
    (r"ran sys.exit", "the module calls sys.exit"),
    (r"expected a Lasagne layer|expected (a )?Lasagne layer|, expected ", "value is not a network"),
    (r"several networks|name one of", "several networks: needs --output-layer"),
    (r"is in Lasagne master", "master-only name"),
    (r"unknown keyword", "unknown keyword"),
    (r"(\w+Error)", lambda m: "other: %s" % m.group(1)),
]


def git_dir(mirrors, repo):
    base = os.path.join(mirrors, repo.replace("/", "+"), "repo")
    return os.path.join(base, ".git") if os.path.isdir(os.path.join(base, ".git")) else base


def materialise(entry, args):
    """Write the repository's .py/.ipynb files at the entry's commit under the corpus folder
    (once per repository and commit); return an error line or None."""
    repo, commit = entry["repo"], entry["commit"]
    into = os.path.join(args.corpus, repo.replace("/", "+"))
    stamp = os.path.join(into, ".corpus-commit")
    if os.path.isfile(stamp) and open(stamp).read().strip() == commit:
        return None
    git = git_dir(args.mirrors, repo)
    if not os.path.isdir(git):
        return "no snapshot of %s in %s: fetch github:%s with the search tool" % (
            repo, args.mirrors, repo)
    listing = subprocess.run(["git", "--git-dir", git, "ls-tree", "-r", "-z", commit],
                             capture_output=True)
    if listing.returncode:
        return "the snapshot of %s has no commit %s: fetch it again" % (repo, commit[:10])
    for row in listing.stdout.decode("utf-8", "replace").split("\0"):
        if not row:
            continue
        meta, path = row.split("\t", 1)
        _, kind, sha = meta.split()
        if kind != "blob" or not path.endswith((".py", ".ipynb")):
            continue
        blob = subprocess.run(["git", "--git-dir", git, "cat-file", "blob", sha],
                              capture_output=True)
        if blob.returncode:         # a file the snapshot left out (too large)
            continue
        dest = os.path.join(into, path)
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        with open(dest, "wb") as f:
            f.write(blob.stdout)
    with open(stamp, "w") as f:
        f.write(commit + "\n")
    return None


def slug(entry):
    return re.sub(r"\W+", "_", entry["id"]).strip("_")


def target_of(entry, args):
    """(the file to name, the NAME in it): the driver beside the repository's file, if any."""
    path = os.path.join(args.corpus, entry["repo"].replace("/", "+"), entry["path"])
    if not entry.get("driver"):
        return path, entry["target"]
    driver = os.path.join(os.path.dirname(path), "_corpus_%s.py" % slug(entry))
    text = "\n".join(entry["driver"]) + "\n"
    if not os.path.isfile(driver) or open(driver).read() != text:
        with open(driver, "w") as f:
            f.write(text)
    return driver, "net"


def options(entry):
    return list(entry.get("options", []))


def run(command, cwd, timeout, pythonpath=()):
    """(exit status or 'timeout', stdout, stderr, seconds) of a command in its own process group;
    ``pythonpath``: folders relative to ``cwd`` put on PYTHONPATH, as a user would."""
    env = dict(os.environ, MPLBACKEND="Agg", OMP_NUM_THREADS="1", PYTHONHASHSEED="0")
    env.pop("PYTHONPATH", None)
    if pythonpath:
        env["PYTHONPATH"] = os.pathsep.join(os.path.normpath(os.path.join(cwd, p))
                                            for p in pythonpath)
    started = time.time()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               start_new_session=True)
    try:
        out, err = process.communicate(timeout=timeout)
        status = process.returncode
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, 9)
        out, err = process.communicate()
        status = "timeout"
    return status, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"), \
        time.time() - started


def truth(entry, path, name, args):
    """Lasagne's figures for the entry (cached by commit, file, name, driver and options).
    The manifest's ``truth`` (an expression over the module's names) replaces the name."""
    name = entry.get("truth") or name
    flags = []
    if "--python2" in options(entry) or entry.get("truth_python2"):
        flags.append("--python2")
    if entry.get("truth_compiles"):
        flags.append("--compile")
    opts = options(entry)
    if "--output-layer" in opts:
        flags += ["--output-layer", opts[opts.index("--output-layer") + 1]]
    with open(TRUTH, "rb") as f:
        driver_code = hashlib.sha1(f.read()).hexdigest()
    key = hashlib.sha1(json.dumps([entry["commit"], entry["path"], name, entry.get("driver"),
                                   flags, driver_code, args.master_python,
                                   entry.get("pythonpath")]).encode()
                       ).hexdigest()[:16]
    cache = os.path.join(args.corpus, ".truth", "%s-%s.json" % (slug(entry), key))
    if os.path.isfile(cache) and not args.fresh_truth:
        with open(cache) as f:
            return json.load(f)
    status, out, err, seconds = run([args.master_python, TRUTH, path, name] + flags,
                                    os.path.dirname(path), args.timeout,
                                    entry.get("pythonpath", ()))
    lines = [l for l in out.splitlines() if l.startswith("{")]
    if status == "timeout":
        result = {"ok": False, "reason": "timeout after %ds" % args.timeout}
    elif not lines:
        tail = [l for l in err.strip().splitlines() if l.strip()][-1:] or ["no output"]
        result = {"ok": False, "reason": "crashed: %s" % tail[0][:200]}
    else:
        result = json.loads(lines[-1])
    skipped = re.findall(r"line (\d+) failed and was skipped: (.*)", err)
    if not result.get("ok") and skipped:    # the first statement that failed says more
        result["reason"] += " (first failing statement, line %s: %s)" % skipped[0]
    result["seconds"] = round(seconds, 1)
    os.makedirs(os.path.dirname(cache), exist_ok=True)
    with open(cache, "w") as f:
        json.dump(result, f)
    return result


def union(networks):
    """(total, trainable, layer count) over several networks the tool printed, each array and
    layer counted once (by its key and name)."""
    arrays, layers = {}, set()
    for network in networks:
        for index, layer in enumerate(network["derived"]["layers"]):
            layers.add(layer["name"] or (network.get("network"), index))
            for array in layer.get("param_arrays", []):
                arrays[array.get("key") or (layer["name"], array["name"])] = array
    total = sum(a["size"] for a in arrays.values())
    trainable = sum(a["size"] for a in arrays.values() if a.get("trainable"))
    return total, trainable, len(layers)


def reason_class(line):
    for pattern, name in REASONS:
        match = re.search(pattern, line)
        if match:
            return name(match) if callable(name) else name
    return "other"


def error_line(err):
    lines = [l for l in err.splitlines() if "lasagne-params: error:" in l]
    return lines[-1].split("lasagne-params: error:", 1)[1].strip() if lines else ""


def tool(entry, path, name, python, args):
    """The tool's answer and its class: a dict for the tables."""
    command = [python, "-m", "lasagne_params", "show", "%s:%s" % (path, name), "--check",
               "--format", "json"] + options(entry)
    status, out, err, seconds = run(command, os.path.dirname(path), args.timeout,
                                    entry.get("pythonpath", ()))
    answer = {"status": status, "seconds": round(seconds, 1), "line": error_line(err)}
    if status == "timeout":
        answer["class"] = "timeout"
        return answer
    internal = [l for l in err.splitlines()
                if re.match(r"lasagne-params: (error: )?internal error", l)]
    if status not in (0, 1, 2) or internal or "Traceback (most recent call last)" in err:
        answer["class"] = "internal error"
        answer["line"] = (internal or [l for l in err.splitlines() if l.strip()]
                          or ["exit status %s, no output" % status])[-1][:300]
        return answer
    if status == 2:
        answer["class"] = "refused"
        answer["reason"] = reason_class(answer["line"])
        return answer
    try:
        data = json.loads(out)
    except ValueError:
        answer["class"] = "internal error"
        answer["line"] = "output is not JSON: %s" % out[:200]
        return answer
    networks = data if isinstance(data, list) else [data]
    answer["networks"] = len(networks)
    answer["ok"] = all(n.get("ok") for n in networks)
    if len(networks) == 1:
        derived = networks[0]["derived"]
        answer["total"], answer["trainable"] = derived["total_params"], derived["trainable_params"]
        answer["layers"] = len(derived["layers"])
    else:
        answer["total"], answer["trainable"], answer["layers"] = union(networks)
    answer["not_derived"] = sorted({row.get("kind") or row.get("name") or str(row)
                                    if isinstance(row, dict) else str(row)
                                    for n in networks for row in n.get("not_derived", [])})
    answer["mismatches"] = [m if isinstance(m, str) else
                            "%s %s" % (m.get("layer", ""), m.get("field", ""))
                            for n in networks for m in n.get("mismatches", [])][:5]
    return answer


def classify(answer, ground):
    """The answer's class given the ground truth (a tool answer alone is classed in tool())."""
    if "class" in answer:
        return answer["class"]
    same = (answer["total"], answer["trainable"], answer["layers"]) == \
        (ground["total"], ground["trainable"], len(ground["layers"]))
    if answer["status"] == 1 or not answer["ok"] and not answer["not_derived"]:
        return "mismatch" if same or answer["status"] == 1 else "silently wrong"
    if not same:
        return "silently wrong"
    return "not derived" if answer["not_derived"] else "holds"


def measure(entry, args):
    row = {"id": entry["id"], "repo": entry["repo"], "path": entry["path"],
           "target": entry.get("target") or "driver", "kind": entry.get("kind", ""),
           "options": " ".join(options(entry))}
    problem = materialise(entry, args)
    if problem:
        row.update({"class": "environment", "line": problem})
        return row
    path, name = target_of(entry, args)
    ground = truth(entry, path, name, args)
    row["truth"] = ground
    if args.truth_only:
        row.update({"class": "environment" if not ground.get("ok") else "holds",
                    "line": ground.get("reason", "")})
        return row
    answer = tool(entry, path, name, args.tool_python, args)
    row["tool"] = answer
    if not ground.get("ok"):
        row["class"] = "environment"
        row["line"] = "ground truth: %s" % ground.get("reason")
    else:
        row["class"] = classify(answer, ground)
        row["line"] = answer.get("line", "")
    if args.also_01:
        other = tool(entry, path, name, args.also_01, args)
        row["lasagne01"] = other["class"] if "class" in other or not ground.get("ok") \
            else classify(other, ground)
    return row


def figures_text(row):
    ground, answer = row.get("truth") or {}, row.get("tool") or {}
    ours = "%s/%s/%s" % (answer.get("total"), answer.get("trainable"), answer.get("layers")) \
        if "total" in answer else "-"
    theirs = "%s/%s/%s" % (ground["total"], ground["trainable"], len(ground["layers"])) \
        if ground.get("ok") else "-"
    return ours, theirs


def report(rows, args):
    counts = {name: 0 for name, _ in CLASSES}
    for row in rows:
        counts[row["class"]] += 1
    truthful = [r for r in rows if r["class"] != "environment"]
    repos = len({r["repo"] for r in rows})
    print("\n%d networks from %d repositories (%d with a ground truth)\n" % (
        len(rows), repos, len(truthful)))
    print("%-16s %5s  %s" % ("class", "count", "meaning"))
    for name, meaning in CLASSES:
        print("%-16s %5d  %s" % (name, counts[name], meaning))
    if truthful:
        print("\nholding: %d of %d networks with a ground truth (%.0f%%)" % (
            counts["holds"], len(truthful), 100.0 * counts["holds"] / len(truthful)))
    reasons = {}
    for row in rows:
        if row["class"] in ("refused", "environment", "internal error", "mismatch",
                            "not derived", "timeout"):
            key = "%s: %s" % (row["class"], row.get("tool", {}).get("reason")
                              or reason_class(row.get("line", "")) if row["class"] != "not derived"
                              else ", ".join(row["tool"]["not_derived"][:4]))
            reasons[key] = reasons.get(key, 0) + 1
    print("\nreasons:")
    for key, count in sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0])):
        print("  %3d  %s" % (count, key))
    wrong = [r for r in rows if r["class"] == "silently wrong"]
    if wrong:
        print("\nSILENTLY WRONG (exit 0, figures differ from Lasagne's own; ours vs Lasagne's "
              "total/trainable/layers):")
        for row in wrong:
            ours, theirs = figures_text(row)
            print("  !! %s  %s:%s  ours %s  Lasagne %s" % (
                row["id"], row["path"], row["target"], ours, theirs))
    print("\n%-44s %-15s %-22s %-22s %s" % ("network", "class", "ours t/tr/layers",
                                            "Lasagne t/tr/layers", "line"))
    for row in rows:
        ours, theirs = figures_text(row)
        extra = " [0.1: %s]" % row["lasagne01"] if "lasagne01" in row else ""
        print("%-44s %-15s %-22s %-22s %s%s" % (row["id"][:44], row["class"], ours, theirs,
                                                 (row.get("line") or "")[:160], extra))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--manifest", default=MANIFEST)
    parser.add_argument("--corpus", default="/work/corpus",
                        help="where the repositories' files are written (outside the repository)")
    parser.add_argument("--mirrors", default="/work/.mirror")
    parser.add_argument("--master-python", default=sys.executable,
                        help="Python with Lasagne master, for the ground truth")
    parser.add_argument("--tool-python", default=sys.executable,
                        help="Python running lasagne-params (default: this one)")
    parser.add_argument("--also-01", metavar="PYTHON",
                        help="also run the tool under this Python (Lasagne 0.1): one more column")
    parser.add_argument("--only", help="networks whose id, repository or path contains this")
    parser.add_argument("-j", "--jobs", type=int, default=1)
    parser.add_argument("--timeout", type=int, default=180)
    parser.add_argument("--fresh-truth", action="store_true", help="ignore the cached ground truth")
    parser.add_argument("--truth-only", action="store_true",
                        help="compute (and cache) the ground truth only; no tool run")
    parser.add_argument("--json", help="write every row as JSON to this file")
    args = parser.parse_args(argv)
    args.corpus = os.path.abspath(args.corpus)
    with open(args.manifest) as f:
        entries = json.load(f)["networks"]
    if args.only:
        entries = [e for e in entries if any(args.only in e[k] for k in ("id", "repo", "path"))]
    rows = [None] * len(entries)
    # materialise each repository once, before any parallel work
    for entry in entries:
        materialise(entry, args)
    with concurrent.futures.ThreadPoolExecutor(max(1, args.jobs)) as pool:
        futures = {pool.submit(measure, e, args): i for i, e in enumerate(entries)}
        for future in concurrent.futures.as_completed(futures):
            i = futures[future]
            rows[i] = future.result()
            print("[%d/%d] %-44s %s" % (sum(r is not None for r in rows), len(rows),
                                        rows[i]["id"][:44], rows[i]["class"]),
                  file=sys.stderr, flush=True)
    report(rows, args)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(rows, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
