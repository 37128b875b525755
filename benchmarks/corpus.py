"""The unseen-code corpus: historical Lasagne networks from public repositories, run as a user would.

    .venv-master/bin/python benchmarks/corpus.py [--corpus /work/corpus] [--only PATTERN]
        [-j 1] [--json results.json] [--also-01 .venv/bin/python] [--truth-only]

Reproduce from a fresh clone (Lasagne master, as most historical code was written for it;
the baseline in docs/historical-code.md was made with exactly this):

    python3.11 -m venv .venv-master && .venv-master/bin/pip install -q -e '.[test]'
    .venv-master/bin/pip install -q --no-deps Lasagne-0.2.dev1.tar.gz   # Lasagne's master branch
    python3.11 -m venv .venv && .venv/bin/pip install -q -e '.[test]'    # Lasagne 0.1, optional
    .venv-master/bin/python benchmarks/corpus.py --corpus /work/corpus \
        --also-01 .venv/bin/python --json corpus-results.json

The repositories' snapshots must be in ``--mirrors`` (one ``fetch`` of the search
tool per repository of the manifest; the runner names the missing ones).  About 25
minutes on 2 cores, 45 with ``--also-01``; the ground truth is cached.

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
   timeout, from the file's folder -- and, when the refusal advises
   ``--keep-going``, ``--python2`` or ``--stub-missing``, once more with it
   (each at most once), as a
   user would; ``--also-01`` runs it under Lasagne 0.1 too, for a column;
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
    ("not derived", "exit 1 only because some layers are not derived (a class the tool does "
                    "not know; Lasagne's figures shown), totals equal to the ground truth"),
    ("mismatch", "exit 1: a derived figure differs from Lasagne's, or the totals differ from "
                 "the ground truth"),
    ("refused", "exit 2 with a one-line reason"),
    ("internal error", "a traceback, another exit status, or output that is not the JSON"),
    ("timeout", "the tool did not finish in time"),
    ("environment", "no ground truth: Lasagne itself cannot build the network here"),
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
    # a clone's top folder has its .git: the tool's search for a project's own module
    # stops there, as it would in a user's clone, and never reads the next repository
    os.makedirs(os.path.join(into, ".git"), exist_ok=True)
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


def figures_of(networks):
    """Sorted [total, trainable, layers] of each network the tool printed (one per output)."""
    return sorted([n["derived"]["total_params"], n["derived"]["trainable_params"],
                   len(n["derived"]["layers"])] for n in networks)


def short(line, args):
    """A line without the corpus folder and the virtual environment's path."""
    line = line.replace(args.corpus + os.sep, "")
    return re.sub(r"\(/[^()]*site-packages/[^()]*\)", "", line).strip()


def missing_module(module, entry, args):
    """The class of a module that does not import: a Theano or library name since removed,
    one of the repository's own modules not found, or a package not installed."""
    top = module.split(".")[0]
    root = os.path.join(args.corpus, entry["repo"].replace("/", "+"))
    own = any(os.path.exists(os.path.join(folder, top + ".py")) or
              os.path.isdir(os.path.join(folder, top))
              for folder, dirs, _ in os.walk(root) for _ in [dirs.sort()])
    if top in ("theano", "lasagne", "scipy", "sklearn", "numpy") and "." in module:
        return "a module removed from %s since: %s (not bridged)" % (top, module)
    if own:
        return "a module of the repository itself not found (Python 2 implicit relative " \
               "import, or a folder the tool does not search)"
    return "a third-party package not installed: %s" % top


def reason_class(line, entry, args):
    """The class of a refusal's one-line reason (what the summary groups by)."""
    rules = [
        (r"No module named '([\w.]+)'", lambda m: "does not import: " + missing_module(
            m.group(1), entry, args)),
        (r"cannot import name '(\w+)' from '([\w.]+)'", lambda m: "does not import: "
         "a name removed from a library since: %s.%s (not bridged)" % (m.group(2), m.group(1))),
        (r"module '([\w.]+)' has no attribute '(\w+)'",
         lambda m: "does not import: a name removed from a library since: %s.%s (not bridged)"
         % (m.group(1), m.group(2))),
        (r"Missing parentheses in call to 'print'|invalid syntax", lambda m:
         "SyntaxError: a Python 2 module the tool does not translate (outside the file's folder,"
         " or loaded by imp.load_source/exec)"),
        (r"__future__ imports must occur", "SyntaxError: notebook cell with a __future__ import "
         "after other statements"),
        (r"float.*--python2", "TypeError float (Python 2 division) -> --python2"),
        (r"has_key|iteritems|xrange|unicode|basestring|izip", "Python 2 semantics without a hint "
         "(dict.has_key, ...)"),
        (r"has no function or variable", "has no function or variable by that name (the "
         "statement defining it failed and was skipped, or it is inside a function or "
         "__main__ block)"),
        (r"is list, expected|is tuple, expected|is dict, expected",
         "the value is an empty list or dict where the tool stops reading (grown later)"),
        (r", expected ", "the value is not a network"),
        (r"no layer kind '(\w+)' is declared", lambda m: "a custom class in a nolearn layers "
         "list is refused (%s), not shown as not derived" % m.group(1)),
        (r"FileNotFoundError|No such file or directory", "a data file is missing"),
        (r"needs argument", "function needs arguments"),
        (r"ran sys.exit", "the module calls sys.exit"),
        (r"is in Lasagne master", "master-only name"),
        (r"unknown keyword", "unknown keyword"),
        (r"(\w+Error)", lambda m: "other: %s" % m.group(1)),
    ]
    for pattern, name in rules:
        match = re.search(pattern, line)
        if match:
            return name(match) if callable(name) else name
    return "other"


def error_line(err):
    lines = [l for l in err.splitlines() if "lasagne-params: error:" in l]
    return lines[-1].split("lasagne-params: error:", 1)[1].strip() if lines else ""


def not_derived_rows(networks):
    """[{name, kind, note}] of every layer the tool did not derive."""
    found = []
    for network in networks:
        for layer in network["derived"]["layers"]:
            if not layer.get("derived", True):
                note = (layer.get("note") or "").replace("not derived: ", "")
                found.append({"name": layer["name"], "kind": layer["kind"],
                              "note": note.split(";")[0][:120]})
    return found


def tool(entry, path, name, python, args, extra=()):
    """The tool's answer: a dict for the tables (``class`` when no ground truth is needed)."""
    command = [python, "-m", "lasagne_params", "show", "%s:%s" % (path, name), "--check",
               "--format", "json"] + options(entry) + list(extra)
    status, out, err, seconds = run(command, os.path.dirname(path), args.timeout,
                                    entry.get("pythonpath", ()))
    answer = {"status": status, "seconds": round(seconds, 1),
              "line": short(error_line(err), args)}
    if status == "timeout":
        answer["class"] = "timeout"
        return answer
    internal = [l for l in err.splitlines()
                if re.match(r"lasagne-params: (error: )?internal error", l)]
    if status not in (0, 1, 2) or internal or "Traceback (most recent call last)" in err:
        answer["class"] = "internal error"
        answer["line"] = short((internal or [l for l in err.splitlines() if l.strip()]
                                or ["exit status %s, no output" % status])[-1][:300], args)
        return answer
    if status == 2:
        answer["class"] = "refused"
        answer["reason"] = reason_class(answer["line"], entry, args)
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
    answer["per_output"] = figures_of(networks)
    answer["total"], answer["trainable"], answer["layers"] = [
        sum(f[i] for f in answer["per_output"]) for i in range(3)]
    answer["not_derived"] = not_derived_rows(networks)
    answer["mismatches"] = ["%s (%s) %s" % (m.get("layer", ""), m.get("kind", ""),
                                            m.get("field", "")) if isinstance(m, dict) else str(m)
                            for n in networks for m in n.get("mismatches", [])][:5]
    return answer


def classify(answer, ground, trainable=True):
    """The answer's class given the ground truth (refusals and errors are classed in tool()).

    The tool's figures are compared output by output: each network it printed against the
    ground truth's figures for one output layer (total, trainable, number of layers)."""
    if "class" in answer:
        return answer["class"]
    same = answer["per_output"] == ground["per_output"]
    if not trainable:       # Lasagne 0.1 against master's figures: what may be trainable differs
        same = [(t, n) for t, _, n in answer["per_output"]] == \
            [(t, n) for t, _, n in ground["per_output"]]
    if answer["status"] == 0:
        return "holds" if same else "silently wrong"
    if answer["mismatches"] or not same:
        return "mismatch"
    return "not derived" if answer["not_derived"] else "mismatch"


def reason_of(row, args):
    """What the summary groups a row by, within its class."""
    answer = row.get("tool") or {}
    if row["class"] == "environment":
        return "ground truth: " + environment_reason(row.get("truth", {}).get("reason", "")
                                                     or row.get("line", ""))
    if row["class"] == "not derived":
        kinds = sorted({"%s (%s)" % (d["kind"], "stock class: " + d["note"]
                                     if d["kind"] in STOCK else "the file's own class")
                        for d in answer["not_derived"]})
        return ", ".join(kinds)
    if row["class"] == "mismatch":
        return "; ".join(answer.get("mismatches") or
                         ["not derived: " + ", ".join(sorted({d["kind"]
                                                             for d in answer["not_derived"]}))
                          + "; totals differ"])
    if row["class"] == "silently wrong":
        return "ours %s, Lasagne %s" % figures_text(row)
    return answer.get("reason") or row.get("line", "")


def environment_reason(text):
    """The class of the reason the ground truth could not be had."""
    for pattern, name in [
            (r"partial network.*(FileNotFoundError|URLError|OSError|No such file)",
             "the network's sizes come from a data file or download that is not here"),
            (r"partial network.*NameError: name '(\w+)'",
             "the network's sizes come from a value the file computes from its data"),
            (r"border_mode|Pool3Layer|shuffle_row_elements",
             "written for a Lasagne or Theano older than 0.1 / Theano-PyMC"),
            (r"timeout", "timeout"),
            (r"FileNotFoundError|No such file", "a data or settings file is missing"),
            (r"not a network", "the value is no network"),
            (r"(\w+Error)", None)]:
        match = re.search(pattern, text)
        if match:
            return name or "other: " + match.group(1)
    return "other"


#: Lasagne's own layer classes (a "not derived" stock class is a gap in the tool's rules).
STOCK = {"ReshapeLayer", "InputLayer", "DenseLayer", "Conv2DLayer", "ExpressionLayer",
         "ElemwiseMergeLayer", "SliceLayer", "NonlinearityLayer", "ConcatLayer",
         "CustomRecurrentLayer", "LSTMLayer", "GRULayer", "EmbeddingLayer", "BatchNormLayer",
         "DimshuffleLayer", "FlattenLayer", "PadLayer", "Upscale2DLayer", "Pool2DLayer",
         "MaxPool2DLayer", "TransposedConv2DLayer", "DilatedConv2DLayer", "InverseLayer"}


#: The options a refusal's line may advise, each tried as a user would.
ADVISED = ("--keep-going", "--python2", "--stub-missing")


def hinted_option(answer, entry, given=()):
    """The option a refusal's line advises (a user's next try), if not already given."""
    if answer.get("class") != "refused":
        return None
    for option in ADVISED:
        if option in answer.get("line", "") and option not in options(entry) + list(given):
            return option
    return None


def measure(entry, args):
    """One network: materialise, ground truth, the tool (again with the option its refusal
    advises, as a user would), the class."""
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
        row["line"] = "ground truth: %s" % short(ground.get("reason", ""), args)
        return row
    row["class"] = classify(answer, ground)
    row["line"] = answer.get("line", "") if row["class"] in (
        "refused", "internal error", "timeout") else ""
    advised, again = [], answer
    while len(advised) < len(ADVISED):     # the refusal's advice, then the next one's
        hint = hinted_option(again, entry, advised)
        if not hint:
            break
        advised.append(hint)
        again = tool(entry, path, name, args.tool_python, args, extra=advised)
    if advised:
        row["after_hint"] = {"option": " ".join(advised), "class": classify(again, ground),
                             "line": again.get("line", ""), "tool": again}
    if args.also_01:
        other = tool(entry, path, name, args.also_01, args)
        row["lasagne01"] = classify(other, ground, trainable=False)
    return row


def measure_safely(entry, args):
    """measure(), a failure of this program itself recorded on the row, not raised."""
    try:
        return measure(entry, args)
    except Exception as exc:
        return {"id": entry["id"], "repo": entry["repo"], "path": entry["path"],
                "target": entry.get("target") or "driver", "class": "internal error",
                "line": "corpus.py itself failed: %s: %s" % (type(exc).__name__, exc)}


def figures_text(row):
    """(ours, Lasagne's) as total/trainable/layers, one triple per output, or '-'."""
    ground, answer = row.get("truth") or {}, row.get("tool") or {}

    def text(per_output):
        return " + ".join("%s/%s/%s" % tuple(f) for f in per_output)
    ours = text(answer["per_output"]) if "per_output" in answer else "-"
    theirs = text(ground["per_output"]) if ground.get("ok") else "-"
    return ours, theirs


def report(rows, args):
    counts = {name: 0 for name, _ in CLASSES}
    for row in rows:
        counts[row["class"]] += 1
    truthful = [r for r in rows if r["class"] != "environment"]
    print("\n%d networks from %d repositories (%d with a ground truth)\n" % (
        len(rows), len({r["repo"] for r in rows}), len(truthful)))
    print("%-16s %5s  %s" % ("class", "count", "meaning"))
    for name, meaning in CLASSES:
        print("%-16s %5d  %s" % (name, counts[name], meaning))
    if truthful:
        print("\nholding: %d of %d networks with a ground truth (%.0f%%)" % (
            counts["holds"], len(truthful), 100.0 * counts["holds"] / len(truthful)))
    hinted = [r for r in rows if "after_hint" in r]
    if hinted:
        after = {}
        for row in hinted:
            key = "%s -> %s" % (row["after_hint"]["option"], row["after_hint"]["class"])
            after[key] = after.get(key, 0) + 1
        print("refused with advice (%d), tried again with the advised option: %s" % (
            len(hinted), ", ".join("%s: %d" % kv for kv in sorted(after.items()))))
    reasons = {}
    for row in rows:
        if row["class"] != "holds":
            key = (row["class"], reason_of(row, args))
            reasons[key] = reasons.get(key, 0) + 1
    print("\nreasons, by class:")
    for (name, reason), count in sorted(reasons.items(),
                                        key=lambda kv: ([c for c, _ in CLASSES].index(kv[0][0]),
                                                        -kv[1], kv[0][1])):
        print("  %3d  %-15s %s" % (count, name, reason[:200]))
    wrong = [r for r in rows if r["class"] == "silently wrong"]
    if wrong:
        print("\nSILENTLY WRONG (exit 0, figures differ from Lasagne's own; total/trainable/"
              "layers, one triple per output):")
        for row in wrong:
            ours, theirs = figures_text(row)
            print("  !! %s  %s:%s  ours %s  Lasagne %s" % (
                row["id"], row["path"], row["target"], ours, theirs))
    print("\n%-40s %-15s %-24s %-24s %s" % ("network", "class", "ours t/tr/layers",
                                            "Lasagne t/tr/layers", "line or reason"))
    for row in rows:
        ours, theirs = figures_text(row)
        extra = ""
        if "after_hint" in row:
            extra += " [with %s: %s]" % (row["after_hint"]["option"], row["after_hint"]["class"])
        if "lasagne01" in row:
            extra += " [0.1: %s]" % row["lasagne01"]
        detail = row.get("line") or (reason_of(row, args) if row["class"] != "holds" else "")
        print("%-40s %-15s %-24s %-24s %s%s" % (row["id"][:40], row["class"], ours[:24],
                                                 theirs[:24], detail[:170], extra))


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
    for option in ("master_python", "tool_python", "also_01"):   # they run from other folders
        value = getattr(args, option)
        if value and os.sep in value:
            setattr(args, option, os.path.abspath(value))
    with open(args.manifest) as f:
        entries = json.load(f)["networks"]
    if args.only:
        entries = [e for e in entries if any(args.only in e[k] for k in ("id", "repo", "path"))]
    rows = [None] * len(entries)
    # materialise each repository once, before any parallel work
    for entry in entries:
        materialise(entry, args)
    with concurrent.futures.ThreadPoolExecutor(max(1, args.jobs)) as pool:
        futures = {pool.submit(measure_safely, e, args): i for i, e in enumerate(entries)}
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
