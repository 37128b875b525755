"""How fast lasagne_params derives, cross-checks and trains, against its lower bounds.

One command measures, in one run, and prints a markdown table (``--out FILE``
also writes it to a file):

* ``derive()`` from a list of LayerSpecs for the question's network, VGG-16
  and generated chains of DenseLayers, against a *bare formula loop* over the
  same specs: a plain Python loop that reads each layer's hyper-parameters
  (with Lasagne's defaults) and computes its output shape and parameter
  count with the same formulas, building no records, no formula text and
  checking nothing.  It is the lower bound for any derivation in Python.
  Medians over repeats; microseconds per layer show whether it is linear.
* peak Python memory (tracemalloc) of ``derive()`` for LeNet-5 and VGG-16,
  and what VGG-16's rows keep: derivation memory must not depend on the
  parameter count;
* in a fresh interpreter per network: building it in Lasagne and calling
  ``count_params`` (time and ru_maxrss), then on the built network
  ``derive()``, ``from_lasagne()`` and ``compare()`` against the borrowed
  read ``[p.get_value(borrow=True).shape for p in get_all_params(net)]``,
  counting any ``get_value`` call that copies;
* process wall time of ``lasagne-params show SPEC --format json`` against
  ``python -c pass``, interleaved, with the package's bytecode compiled
  first (as ``pip install`` leaves it); and, in the same rounds, the same
  command with each start-up choice undone (:data:`START_UP_CHOICES`), so
  that what each buys is a difference of interleaved medians;
* ``lasagne-params show --zoo vgg16 --check`` against the question's
  network's ``show SPEC --check``, interleaved in fresh processes: wall time
  and peak RSS (the cross-check builds with shape-only arrays, so VGG-16's
  138M weights are never allocated);
* with ``--train``: ``benchmarks/train_speed.py`` (training and inference
  samples/s against PyTorch, Theano compile time), run as it is.

    python benchmarks/perf.py                     # docs/performance.md
    python benchmarks/perf.py --train --train-python .venv-torch/bin/python --out perf.md
    python benchmarks/perf.py --quick             # smoke: tiny sizes, seconds

Not a test: ``tests/test_perf.py`` runs ``--quick`` so it cannot rot.
"""
import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
import tracemalloc

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, "examples"))

from lasagne_params import LayerSpec, derive, zoo  # noqa: E402

CHAIN_SIZES = (10, 100, 1000, 10000, 100000)
QUICK_CHAIN_SIZES = (10, 100)
SPEC_FILE = os.path.join(ROOT, "tests", "data", "question_nolearn.json")

#: the targets (issues 7 and 14)
DERIVE_US_LIMIT = 50.0          # derive() microseconds per layer on VGG-16
BORROW_LIMIT = 10.0
CLI_LIMIT = 3.0
CHECK_RSS_LIMIT = 1.5           # VGG-16 --check peak RSS / the question's --check
CHECK_WALL_LIMIT = 2.0          # VGG-16 --check wall / the question's --check
TRAIN_LIMIT = 0.6
INFER_LIMIT = 0.9
COMPILE_LIMIT_S = 30.0


def question_specs():
    """The Stack Overflow question's network (217,706 parameters)."""
    layers = [("input", "InputLayer", {"shape": (None, 1, 28, 28)}),
              ("conv2d1", "Conv2DLayer", {"num_filters": 32, "filter_size": (5, 5)}),
              ("maxpool1", "MaxPool2DLayer", {"pool_size": (2, 2)}),
              ("conv2d2", "Conv2DLayer", {"num_filters": 32, "filter_size": (3, 3)}),
              ("maxpool2", "MaxPool2DLayer", {"pool_size": (2, 2)}),
              ("dense", "DenseLayer", {"num_units": 256}),
              ("output", "DenseLayer", {"num_units": 10})]
    specs, prev = [], ()
    for name, kind, args in layers:
        specs.append(LayerSpec(name, kind, prev, args))
        prev = (name,)
    return specs


def dense_chain(n):
    """An InputLayer and ``n - 1`` DenseLayers of 100 units: ``n`` layers."""
    specs = [LayerSpec("l0", "InputLayer", (), {"shape": (None, 100)})]
    specs += [LayerSpec("l%d" % i, "DenseLayer", ("l%d" % (i - 1),), {"num_units": 100})
              for i in range(1, n)]
    return specs


# --- the lower bound -------------------------------------------------------

def _pair(value):
    return tuple(value) if isinstance(value, (list, tuple)) else (value, value)


def _pad(pad, filter_size):
    if pad == "valid":
        return (0, 0)
    if pad == "full":
        return tuple(f - 1 for f in filter_size)
    if pad == "same":
        return tuple(f // 2 for f in filter_size)
    return _pair(pad)


def bare_loop(specs):
    """Output shape and parameter count of each layer: formulas only, nothing else.

    Covers the kinds of the benchmarked networks (Input, Conv2D, MaxPool2D,
    Pool2D, Dense, Dropout layers) with Lasagne 0.1's defaults.
    """
    shapes, out = {}, []
    for spec in specs:
        args = spec.args
        kind = spec.kind
        params = 0
        if kind == "InputLayer":
            shape = tuple(args["shape"])
        else:
            shape = shapes[spec.incoming[0]]
            if kind == "Conv2DLayer":
                channels = shape[1]
                size = _pair(args["filter_size"])
                stride = _pair(args.get("stride", 1))
                pad = _pad(args.get("pad", 0), size)
                filters = args["num_filters"]
                shape = (shape[0], filters) + tuple(
                    (i + 2 * p - f) // s + 1 for i, f, s, p in zip(shape[2:], size, stride, pad))
                params = (size[0] * size[1] * channels + 1) * filters
            elif kind in ("MaxPool2DLayer", "Pool2DLayer"):
                size = _pair(args["pool_size"])
                stride = _pair(args.get("stride") or size)
                pad = _pair(args.get("pad", 0))
                shape = shape[:2] + tuple(
                    (i + 2 * p - f) // s + 1 for i, f, s, p in zip(shape[2:], size, stride, pad))
            elif kind == "DenseLayer":
                inputs = 1
                for dim in shape[1:]:
                    inputs *= dim
                shape = (shape[0], args["num_units"])
                params = (inputs + 1) * args["num_units"]
        shapes[spec.name] = shape
        out.append((shape, params))
    return out


# --- timing helpers --------------------------------------------------------

def median_time(function, repeats, min_seconds=0.05):
    """Median seconds of one call, each sample averaged over enough calls to be timeable."""
    start = time.perf_counter()
    function()
    once = time.perf_counter() - start
    calls = max(1, int(min_seconds / once)) if once < min_seconds else 1
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(calls):
            function()
        samples.append((time.perf_counter() - start) / calls)
    return statistics.median(samples)


def peak_memory(function):
    """(peak bytes while ``function`` runs, bytes its result keeps), by tracemalloc."""
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        result = function()
        kept, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del result
    return peak - base, kept - base


def fmt_time(seconds):
    if seconds >= 1:
        return "%.2f s" % seconds
    if seconds >= 1e-3:
        return "%.2f ms" % (seconds * 1e3)
    return "%.1f µs" % (seconds * 1e6)


def fmt_bytes(n):
    for unit, size in (("GB", 1 << 30), ("MB", 1 << 20), ("kB", 1 << 10)):
        if n >= size:
            return "%.1f %s" % (n / size, unit)
    return "%d B" % n


# --- the parts -------------------------------------------------------------

def measure_derive(sizes, repeats):
    """Rows of (network, layers, derive s, bare s) and their ratio."""
    networks = [("question's network", question_specs()), ("VGG-16", zoo.vgg16_specs())]
    networks += [("chain of %d" % n, dense_chain(n)) for n in sizes]
    rows = []
    for title, specs in networks:
        total = derive(specs).total_params
        assert total == sum(p for _, p in bare_loop(specs)), title
        reps = repeats if len(specs) <= 10000 else max(3, repeats // 3)
        rows.append({"network": title, "layers": len(specs), "params": total,
                     "derive_s": median_time(lambda: derive(specs), reps),
                     "bare_s": median_time(lambda: bare_loop(specs), reps)})
    return rows


def measure_memory():
    """Peak and kept tracemalloc bytes of derive() for LeNet-5 and VGG-16."""
    figures = {}
    for title, specs in (("LeNet-5", zoo.lenet5_specs()), ("VGG-16", zoo.vgg16_specs())):
        peak, kept = peak_memory(lambda: derive(specs))
        figures[title] = {"layers": len(specs), "params": derive(specs).total_params,
                          "peak": peak, "kept": kept}
    return figures


LASAGNE_PART = r"""
import json, resource, statistics, sys, time, warnings
warnings.filterwarnings("ignore")
sys.path[:0] = [%(root)r, %(examples)r]
import lasagne_params as lp
from lasagne_params import zoo
lp.install_compat()
import lasagne
from theano.compile.sharedvalue import SharedVariable
name, repeats = sys.argv[1], int(sys.argv[2])
specs = zoo.vgg16_specs() if name == "vgg16" else None
start = time.perf_counter()
if specs is None:
    import mnist_cnn
    net = mnist_cnn.build_network()
else:
    net = lp.build(specs)
total = lasagne.layers.count_params(net)
build_s = time.perf_counter() - start
copies = [0]
get_value = SharedVariable.get_value
def counting(self, borrow=False, return_internal_type=False):
    if not borrow:
        copies[0] += 1
    return get_value(self, borrow, return_internal_type)
def median(function):
    samples = []
    for _ in range(repeats):
        t = time.perf_counter(); function(); samples.append(time.perf_counter() - t)
    return statistics.median(samples)
params = lasagne.layers.get_all_params(net)
out = {"build_s": build_s, "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
       "total": int(total), "arrays": len(params)}
out["count_params_s"] = median(lambda: lasagne.layers.count_params(net))
out["borrowed_s"] = median(lambda: [p.get_value(borrow=True).shape
                                    for p in lasagne.layers.get_all_params(net)])
SharedVariable.get_value = counting
out["derive_s"] = median(lambda: lp.derive(net))
out["from_lasagne_s"] = median(lambda: lp.from_lasagne(net))
out["compare_s"] = median(lambda: lp.compare(net))
assert lp.compare(net).ok
out["copies"] = copies[0]
print(json.dumps(out))
"""


def measure_lasagne(name, repeats):
    """Build ``name`` in Lasagne in a fresh interpreter; its figures (JSON), or None."""
    code = LASAGNE_PART % {"root": ROOT, "examples": os.path.join(ROOT, "examples")}
    out = subprocess.run([sys.executable, "-c", code, name, str(repeats)],
                         capture_output=True, text=True)
    if out.returncode:
        if "No module named" in out.stderr:
            return None
        raise SystemExit("lasagne part %r failed:\n%s" % (name, out.stderr))
    return json.loads(out.stdout.strip().splitlines()[-1])


def cli_command():
    """The ``lasagne-params`` entry point of this interpreter's environment."""
    script = os.path.join(os.path.dirname(sys.executable), "lasagne-params")
    return [script] if os.path.exists(script) else [shutil.which("lasagne-params")]


def run_process(command):
    """(wall seconds, peak RSS bytes) of one run of ``command`` (its output discarded)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    stderr = process.stderr.read().decode(errors="replace")
    process.stderr.close()
    if process.returncode not in (0, 1):
        raise SystemExit("%s failed:\n%s" % (" ".join(command), stderr))
    return wall, usage.ru_maxrss * 1024


def side_by_side(commands, repeats):
    """{name: {"wall_s": median, "wall_spread": (min, max), "rss": max}}, runs interleaved.

    One warm-up run each first; then ``repeats`` rounds, each running every
    command once, so a change of load hits them alike.
    """
    samples = {name: [] for name in commands}
    for command in commands.values():
        run_process(command)
    for _ in range(repeats):
        for name, command in commands.items():
            samples[name].append(run_process(command))
    return {name: {"wall_s": statistics.median(w for w, _ in runs),
                   "wall_spread": (min(w for w, _ in runs), max(w for w, _ in runs)),
                   "rss": max(r for _, r in runs)}
            for name, runs in samples.items()}


def compile_bytecode():
    """Compile the package's bytecode, as ``pip install`` does (gitignored __pycache__)."""
    import compileall
    import io
    import contextlib
    with contextlib.redirect_stdout(io.StringIO()):
        compileall.compile_dir(os.path.join(ROOT, "lasagne_params"), quiet=2)


#: What ``show SPEC`` keeps out of its start-up, each undone by code run before the
#: command (docs/performance.md): name -> (what it is, the code undoing it).
START_UP_CHOICES = {
    "metadata": ("the installed Lasagne's version read from its .dist-info, not through "
                 "importlib.metadata",
                 "from importlib import metadata\n"
                 "from lasagne_params.core import versions\n"
                 "def installed():\n"
                 "    try:\n"
                 "        return versions.canonical(metadata.version('Lasagne'))\n"
                 "    except metadata.PackageNotFoundError:\n"
                 "        return None\n"
                 "versions.installed = installed\n"),
    "picture": ("lasagne_params.render.picture imported by drawing only",
                "import lasagne_params.render.picture\n"),
}
_MAIN = "import sys\nfrom lasagne_params.cli import main\nsys.exit(main())\n"


def measure_cli(repeats):
    """``show SPEC --format json`` against ``python -c pass``, side by side; and the
    same command run by ``python -c`` as it is and with each START_UP_CHOICES undone."""
    compile_bytecode()
    show = ["show", SPEC_FILE, "--format", "json"]
    commands = {"show": cli_command() + show, "pass": [sys.executable, "-c", "pass"],
                "main": [sys.executable, "-c", _MAIN] + show}
    for name, (_, undo) in START_UP_CHOICES.items():
        commands["undone " + name] = [sys.executable, "-c", undo + _MAIN] + show
    figures = side_by_side(commands, repeats)
    return {"show_s": figures["show"]["wall_s"], "pass_s": figures["pass"]["wall_s"],
            "show_spread": figures["show"]["wall_spread"],
            "pass_spread": figures["pass"]["wall_spread"],
            "choices": {name: figures["undone " + name]["wall_s"] - figures["main"]["wall_s"]
                        for name in START_UP_CHOICES}}


def measure_check(repeats):
    """``show --zoo vgg16 --check`` against the question's ``show SPEC --check``."""
    compile_bytecode()
    return side_by_side({"question": cli_command() + ["show", SPEC_FILE, "--check"],
                         "vgg16": cli_command() + ["show", "--zoo", "vgg16", "--check"]},
                        repeats)


def measure_training(quick, python=None):
    """benchmarks/train_speed.py's figures (JSON), run as it is by ``python``.

    ``python`` (default: this interpreter) may be another environment's,
    one with torch; this worktree's lasagne_params comes first on its path.
    """
    script = os.path.join(ROOT, "benchmarks", "train_speed.py")
    command = [python or sys.executable, script, "--json"]
    if quick:
        command += ["--batches", "2", "--repeats", "1", "--compile", "none"]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [ROOT] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]))
    out = subprocess.run(command, capture_output=True, text=True, env=env)
    if out.returncode:
        raise SystemExit("train_speed.py failed:\n%s" % out.stderr)
    return json.loads(out.stdout)


# --- the table -------------------------------------------------------------

def verdict(ok):
    return "holds" if ok else "**misses**"


def render(figures):
    lines = ["Machine: %d cores; 1-minute load average %.2f before, %.2f after; Python %s."
             % (os.cpu_count() or 1, figures["load"][0], figures["load"][1],
                sys.version.split()[0]), ""]
    lines += ["### derive() from LayerSpecs against the bare formula loop", "",
              "| network | layers | parameters | derive() | bare loop | ratio | "
              "derive() per layer |",
              "|---|---:|---:|---:|---:|---:|---:|"]
    for row in figures["derive"]:
        lines.append("| %s | %d | %s | %s | %s | %.1f× | %.1f µs |" % (
            row["network"], row["layers"], format(row["params"], ","),
            fmt_time(row["derive_s"]), fmt_time(row["bare_s"]),
            row["derive_s"] / row["bare_s"], row["derive_s"] / row["layers"] * 1e6))
    vgg = next(r for r in figures["derive"] if r["network"] == "VGG-16")
    vgg_us = vgg["derive_s"] / vgg["layers"] * 1e6
    chains = [r for r in figures["derive"] if r["network"].startswith("chain")]
    spread = (chains[-1]["derive_s"] / chains[-1]["layers"]) / (
        chains[0]["derive_s"] / chains[0]["layers"])
    bare_spread = (chains[-1]["bare_s"] / chains[-1]["layers"]) / (
        chains[0]["bare_s"] / chains[0]["layers"])
    lines += ["", "VGG-16: %.1f µs per layer (target ≤ %g µs: %s). Per layer, the largest "
              "chain takes %.2f× the smallest's time, the bare loop %.2f× (what any walk "
              "of that many records pays in memory effects)."
              % (vgg_us, DERIVE_US_LIMIT, verdict(vgg_us <= DERIVE_US_LIMIT), spread,
                 bare_spread), ""]
    memory = figures["memory"]
    lenet, vgg = memory["LeNet-5"], memory["VGG-16"]
    lines += ["### derive() memory (tracemalloc)", "",
              "| network | layers | parameters | peak | kept (the Report) |",
              "|---|---:|---:|---:|---:|"]
    for title, m in memory.items():
        lines.append("| %s | %d | %s | %s | %s |" % (title, m["layers"],
                                                    format(m["params"], ","),
                                                    fmt_bytes(m["peak"]), fmt_bytes(m["kept"])))
    lines += ["", "VGG-16 peak %s ≤ LeNet-5 peak %s + VGG-16's rows %s: %s." % (
        fmt_bytes(vgg["peak"]), fmt_bytes(lenet["peak"]), fmt_bytes(vgg["kept"]),
        verdict(vgg["peak"] <= lenet["peak"] + vgg["kept"])), ""]
    built = figures["lasagne"]
    if built:
        lines += ["### On networks built in Lasagne (fresh interpreter each)", "",
                  "| network | build + count_params | max RSS | count_params | borrowed read "
                  "| derive() | from_lasagne() | compare() | copies |",
                  "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for title, b in built.items():
            lines.append("| %s | %s | %s | %s | %s | %s | %s (%.1f×) | %s (%.1f×) | %d |" % (
                title, fmt_time(b["build_s"]), fmt_bytes(b["maxrss_kb"] * 1024),
                fmt_time(b["count_params_s"]), fmt_time(b["borrowed_s"]),
                fmt_time(b["derive_s"]), fmt_time(b["from_lasagne_s"]),
                b["from_lasagne_s"] / b["borrowed_s"], fmt_time(b["compare_s"]),
                b["compare_s"] / b["borrowed_s"], b["copies"]))
        vgg_built = built.get("VGG-16")
        if vgg_built:
            ratio = max(vgg_built["from_lasagne_s"], vgg_built["compare_s"]) / \
                vgg_built["borrowed_s"]
            lines += ["", "VGG-16: from_lasagne()/compare() at most %.1f× the borrowed read "
                      "(target ≤ %g×: %s); parameter arrays copied: %d."
                      % (ratio, BORROW_LIMIT, verdict(ratio <= BORROW_LIMIT),
                         vgg_built["copies"])]
        lines.append("")
    cli = figures["cli"]
    ratio = cli["show_s"] / cli["pass_s"]
    lines += ["### Command line", "",
              "`lasagne-params show SPEC --format json` %s (%s–%s), `python -c pass` %s "
              "(%s–%s), medians of interleaved runs, bytecode compiled: %.2f× "
              "(target ≤ %g×: %s)." % (
                  fmt_time(cli["show_s"]), fmt_time(cli["show_spread"][0]),
                  fmt_time(cli["show_spread"][1]), fmt_time(cli["pass_s"]),
                  fmt_time(cli["pass_spread"][0]), fmt_time(cli["pass_spread"][1]),
                  ratio, CLI_LIMIT, verdict(ratio <= CLI_LIMIT)), ""]
    lines += ["What each start-up choice buys (the command with it undone, minus as it is; "
              "in units of `python -c pass`):", ""]
    lines += ["* %s: %s (%.2f×)" % (START_UP_CHOICES[name][0], fmt_time(saved),
                                   saved / cli["pass_s"])
              for name, saved in cli["choices"].items()]
    lines.append("")
    check = figures.get("check")
    if check:
        q, v = check["question"], check["vgg16"]
        rss, wall = v["rss"] / q["rss"], v["wall_s"] / q["wall_s"]
        lines += ["### Cross-check (`show --check`, fresh processes, interleaved)", "",
                  "| network | parameters | wall (median) | wall range | peak RSS |",
                  "|---|---:|---:|---:|---:|",
                  "| question's network (spec file) | 217,706 | %s | %s–%s | %s |" % (
                      fmt_time(q["wall_s"]), fmt_time(q["wall_spread"][0]),
                      fmt_time(q["wall_spread"][1]), fmt_bytes(q["rss"])),
                  "| VGG-16 (`--zoo vgg16`) | 138,357,544 | %s | %s–%s | %s |" % (
                      fmt_time(v["wall_s"]), fmt_time(v["wall_spread"][0]),
                      fmt_time(v["wall_spread"][1]), fmt_bytes(v["rss"])),
                  "", "VGG-16 / question: peak RSS %.2f× (target ≤ %g×: %s), wall %.2f× "
                  "(target ≤ %g×: %s)." % (rss, CHECK_RSS_LIMIT,
                                           verdict(rss <= CHECK_RSS_LIMIT), wall,
                                           CHECK_WALL_LIMIT, verdict(wall <= CHECK_WALL_LIMIT)),
                  ""]
    train = figures.get("training")
    if train:
        lines += ["### Training the question's network (benchmarks/train_speed.py)", ""]
        if "torch" in train:
            t, p = train["theano"], train["torch"]
            plain = train.get("theano_plain")
            lines += ["| samples/s | Theano, its defaults | Theano, the Trainer's | PyTorch "
                      "| Trainer / PyTorch | target |",
                      "|---|---:|---:|---:|---:|---|"]
            for key, title, limit in (("train", "training", TRAIN_LIMIT),
                                      ("infer", "inference", INFER_LIMIT)):
                ratio = t[key] / p[key]
                lines.append("| %s | %s | %.0f | %.0f | %.2f× | ≥ %g×: %s |" % (
                    title, "%.0f (%.2f×)" % (plain[key], plain[key] / p[key]) if plain
                    else "–", t[key], p[key], ratio, limit, verdict(ratio >= limit)))
            if "train_cpu" in t and "train_cpu" in p:
                lines += ["", "Per CPU second of each process (with 1 thread hardly "
                          "load-dependent): training %.0f against %.0f (%.2f×), inference "
                          "%.0f against %.0f (%.2f×)." % (
                              t["train_cpu"], p["train_cpu"], t["train_cpu"] / p["train_cpu"],
                              t["infer_cpu"], p["infer_cpu"], t["infer_cpu"] / p["infer_cpu"])]
            lines += ["", "Trainer flags: %s; torch %s, %d thread(s); %d thread(s) for "
                      "Theano (OMP_NUM_THREADS, OPENBLAS_NUM_THREADS)." % (
                          ", ".join("%s=%s" % i for i in sorted(t.get("flags", {}).items()))
                          or "none", p["version"], p["threads"], train["threads"])]
        else:
            lines.append("Theano: training %.0f, inference %.0f samples/s; PyTorch not "
                         "measured (%s)." % (train["theano"]["train"],
                                             train["theano"]["infer"],
                                             train.get("torch_skipped")))
        if "compile_cold_s" in train:
            cold = train["compile_cold_s"]
            lines.append("Theano compile of the Trainer's 3 functions, cold (empty "
                         "compiledir): %.1f s (target ≤ %g s: %s)."
                         % (cold, COMPILE_LIMIT_S, verdict(cold <= COMPILE_LIMIT_S)))
        if "compile_warm_s" in train:
            lines.append("Theano compile, warm: %.1f s." % train["compile_warm_s"])
        lines.append("")
    return "\n".join(lines)


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="tiny sizes and few repeats (the smoke test)")
    parser.add_argument("--repeats", type=int, default=None,
                        help="samples per median (default 9, 3 with --quick)")
    parser.add_argument("--no-lasagne", action="store_true",
                        help="skip building networks in Lasagne")
    parser.add_argument("--train", action="store_true",
                        help="also run benchmarks/train_speed.py (minutes)")
    parser.add_argument("--train-python", metavar="PYTHON",
                        help="interpreter for --train, e.g. one with torch installed "
                             "(default: this one)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--out", help="also write the markdown table to this file")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    repeats = args.repeats or (3 if args.quick else 9)
    figures = {"load": [os.getloadavg()[0]]}
    figures["derive"] = measure_derive(QUICK_CHAIN_SIZES if args.quick else CHAIN_SIZES,
                                       repeats)
    figures["memory"] = measure_memory()
    figures["lasagne"] = {}
    if not args.no_lasagne:
        for name, title in (("question", "question's network"), ("vgg16", "VGG-16")):
            if args.quick and name == "vgg16":
                continue
            result = measure_lasagne(name, repeats)
            if result:
                figures["lasagne"][title] = result
    figures["cli"] = measure_cli(repeats)
    if not args.no_lasagne:
        figures["check"] = measure_check(1 if args.quick else max(3, repeats // 2))
    if args.train:
        figures["training"] = measure_training(args.quick, args.train_python)
    figures["load"].append(os.getloadavg()[0])
    figures["maxrss_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    text = json.dumps(figures, indent=1) if args.json else render(figures)
    if args.out:
        with open(args.out, "w") as handle:
            handle.write(render(figures) + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
