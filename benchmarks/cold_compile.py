"""The Trainer's cold compile: its three functions on an empty Theano cache.

Each run is a new interpreter with ``THEANO_FLAGS=base_compiledir=<a new,
empty temporary folder>`` and ``floatX=float32``.  It imports Theano (which
then compiles its own ``lazylinker_ext``/``cutils_ext``: once per machine,
not timed here), builds the question's network (``examples/mnist_cnn.py``)
with the momentum update of ``examples/mnist_cnn.py --train``, and times
``Trainer._compile()``: the train step, the validation and the predict
function (and, apart, the first two: what ``fit`` compiles before its
first batch).  It reports per run the compile's wall time, this process's CPU
time in it (Theano's graph optimization and code generation), the CPU time
of the g++ runs it started, how many C modules it compiled, and the whole
interpreter's wall time (start-up and Theano's own modules included); then
the same again in a new interpreter on the cache just filled ("warm").

Several source trees can be measured in one command, their runs
interleaved (A B A B ...) so that the machine's load falls on each alike;
each figure is the median of ``--runs`` runs, and each tree's ratio to the
first tree is printed.  To compare with an earlier commit::

    git worktree add /tmp/before <commit>
    python benchmarks/cold_compile.py --runs 5 --tree before=/tmp/before --tree after=.

(``lasagne_params`` is imported from the tree, through ``PYTHONPATH``; the
network and this script are this tree's.)  The 1-minute load average before
and after is printed: on a shared machine absolute times move with it, the
ratio of interleaved runs much less.
"""
import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3,
                        help="cold runs per tree (default 3); the median is reported")
    parser.add_argument("--tree", action="append", metavar="NAME=PATH",
                        help="a source tree whose lasagne_params to measure (repeatable; "
                             "default: this one); ratios are to the first")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def compiled_modules(compiledir):
    """Folders of compiled C modules (Theano's own lazylinker/cutils left out)."""
    found = 0
    for base, folders, files in os.walk(compiledir):
        if os.path.basename(base) in ("lazylinker_ext", "cutils_ext"):
            continue
        found += any(name.endswith(".so") for name in files)
    return found


def child():
    """One cold compile in this (fresh) interpreter; prints its figures as JSON."""
    sys.path.insert(0, os.path.join(ROOT, "examples"))
    import lasagne_params
    lasagne_params.install_compat()
    import lasagne
    import mnist_cnn
    import theano
    from lasagne_params.backend.training.trainer import Trainer
    assert theano.config.floatX == "float32", theano.config.floatX
    before = compiled_modules(theano.config.compiledir)
    net = mnist_cnn.build_network(seed=0)
    trainer = Trainer(net, update=lasagne.updates.momentum,
                      update_params={"learning_rate": 0.01, "momentum": 0.9}, verbose=0)
    gxx = resource.getrusage(resource.RUSAGE_CHILDREN)
    start, cpu = time.perf_counter(), time.process_time()
    if hasattr(trainer, "_function"):         # compiled on first use: what fit compiles first
        trainer._function("train")
        trainer._function("valid")
        fit = time.perf_counter() - start
        trainer._function("predict")
    else:                                     # before: the three at once
        trainer._compile()
        fit = None
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    done = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({
        "compile_s": wall, "fit_s": fit, "python_cpu_s": cpu,
        "gxx_cpu_s": (done.ru_utime + done.ru_stime) - (gxx.ru_utime + gxx.ru_stime),
        "modules": compiled_modules(theano.config.compiledir) - before,
        "lasagne_params": os.path.dirname(os.path.dirname(lasagne_params.__file__))}))


def cold_run(tree):
    """Run child() for ``tree`` in a new interpreter on an empty compile directory."""
    base = tempfile.mkdtemp(prefix="theano-cold-")
    env = dict(os.environ)
    flags = [f for f in env.get("THEANO_FLAGS", "").split(",")
             if f and not f.startswith(("base_compiledir=", "compiledir=", "floatX="))]
    env["THEANO_FLAGS"] = ",".join(flags + ["floatX=float32", "base_compiledir=" + base])
    env["PYTHONPATH"] = os.pathsep.join([tree] + [p for p in [env.get("PYTHONPATH")] if p])
    command = [sys.executable, os.path.abspath(__file__), "--child"]
    start = time.perf_counter()
    try:
        out = subprocess.run(command, env=env, capture_output=True, text=True)
        process = time.perf_counter() - start
        if not out.returncode:          # the same again, on the cache just filled
            warm = subprocess.run(command, env=env, capture_output=True, text=True)
    finally:
        shutil.rmtree(base, ignore_errors=True)
    for done in (out, warm) if not out.returncode else (out,):
        if done.returncode:
            raise SystemExit("run in %s failed:\n%s" % (tree, done.stderr))
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    figures["process_s"] = process
    figures["warm_s"] = json.loads(warm.stdout.strip().splitlines()[-1])["compile_s"]
    if os.path.realpath(figures["lasagne_params"]) != os.path.realpath(tree):
        raise SystemExit("%s: lasagne_params came from %s" % (tree, figures["lasagne_params"]))
    return figures


KEYS = ("compile_s", "fit_s", "python_cpu_s", "gxx_cpu_s", "modules", "process_s",
        "warm_s")


def measure(trees, runs):
    """{name: {"runs": [figures...], key: median}} with the trees' runs interleaved."""
    results = {name: {"path": path, "runs": []} for name, path in trees}
    for _ in range(runs):
        for name, path in trees:
            results[name]["runs"].append(cold_run(path))
    for result in results.values():
        for key in KEYS:
            values = [run[key] for run in result["runs"] if run.get(key) is not None]
            result[key] = statistics.median(values) if values else None
    return results


def render(figures):
    trees = list(figures["trees"])
    first = figures["trees"][trees[0]]
    lines = ["Cold compile of the Trainer's 3 functions (question's network, float32), "
             "median of %d interleaved runs per tree; 1-minute load average %.2f before, "
             "%.2f after" % (figures["runs"], *figures["load"]), "",
             "%-8s %9s %9s %9s %9s %8s %9s %9s %9s  %s" % (
                 "tree", "3 funcs", "fit's 2", "Python", "g++", "modules", "process",
                 "3 funcs /", "warm", "3 funcs, each run"),
             "%-8s %9s %9s %9s %9s %8s %9s %9s %9s" % (
                 "", "wall", "wall", "CPU", "CPU", "", "wall", trees[0], "3 funcs")]
    for name in trees:
        tree = figures["trees"][name]
        lines.append("%-8s %8.1fs %9s %8.1fs %8.1fs %8d %8.1fs %8.2fx %8.1fs  %s" % (
            name, tree["compile_s"], "-" if tree["fit_s"] is None else "%.1fs" % tree["fit_s"],
            tree["python_cpu_s"], tree["gxx_cpu_s"], tree["modules"], tree["process_s"],
            tree["compile_s"] / first["compile_s"], tree["warm_s"],
            " ".join("%.1f" % run["compile_s"] for run in tree["runs"])))
    lines += ["", "fit's 2: the train step and the validation, which fit compiles first "
              "(the predict function waits for predict/score; trees from before this "
              "compiled all three at once)"]
    return "\n".join(lines)


def main(argv=None):
    args = parse_args(argv)
    if args.child:
        child()
        return 0
    trees = []
    for item in args.tree or ["this=" + ROOT]:
        name, _, path = item.rpartition("=")
        trees.append((name or os.path.basename(os.path.abspath(path)), os.path.abspath(path)))
    load = os.getloadavg()[0]
    figures = {"runs": args.runs, "trees": measure(trees, args.runs)}
    figures["load"] = [load, os.getloadavg()[0]]
    print(json.dumps(figures, indent=1) if args.json else render(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
