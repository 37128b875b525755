"""Training and inference speed of the question's network: Theano vs PyTorch on the CPU.

One run measures, on real MNIST digits, batches of 128, float32, with as
many threads as cores:

* Theano (Lasagne 0.1 on Theano-PyMC 1.1.2, through lasagne_params.Trainer):
  training samples/s (one momentum step per batch, lr 0.01, momentum 0.9)
  and inference samples/s (deterministic forward pass), compiled as the
  Trainer compiles (``lasagne_params.backend.training.speed``: max-pool gradient
  rewrite, allow_gc off, scipy's OpenBLAS, OpenMP) and, for reference,
  with Theano's defaults (``Trainer._compile(speed=False)``);
* the same network in PyTorch (when torch is importable): the same figures,
  with ``torch.optim.SGD(lr=0.01, momentum=0.9)`` and cross-entropy;
* Theano's compile time of the Trainer's three functions, cold (a fresh,
  empty ``compiledir``) and warm (the same compiledir again), each in a new
  interpreter so nothing is cached in-process;
* with ``--profile``, the Theano ops that take the training step's time.

Each part runs in its own interpreter, one after the other, so that neither
inherits the other's thread pools.  The 1-minute load average before and
after is printed: on a shared machine, another busy process makes PyTorch's
OpenMP threads wait for each other (with 2 threads on 2 cores, one of them
busy elsewhere, PyTorch's inference measured 3 times slower than with 1
thread), so compare figures taken at low load.

It prints a table and the ratios (Theano / PyTorch, the issue's targets:
training >= 0.6, inference >= 0.9).  Not a test:
``tests/test_benchmark.py`` runs it at toy sizes so it cannot rot.

    python benchmarks/train_speed.py                 # the README's figures
    python benchmarks/train_speed.py --profile
    python benchmarks/train_speed.py --batches 2 --repeats 1 --compile warm   # smoke

Torch lives only in the benchmark's own environment (see README, "Measured
figures")::

    python3.11 -m venv .venv-torch
    .venv-torch/bin/pip install torch==2.13.0 -e '.[lasagne]'
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

CORES = os.cpu_count() or 1
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
for _name in THREAD_VARIABLES:
    os.environ.setdefault(_name, str(CORES))

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "examples"))

BATCH = 128
LEARNING_RATE = 0.01
MOMENTUM = 0.9


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--batches", type=int, default=30,
                        help="timed batches per measurement (default 30)")
    parser.add_argument("--repeats", type=int, default=3,
                        help="measurements per figure; the best is kept (default 3)")
    parser.add_argument("--compile", choices=("both", "warm", "none"), default="both",
                        help="compile-time runs: cold (fresh compiledir) and warm "
                             "(default), warm only (Theano's usual compiledir), or none")
    parser.add_argument("--threads", type=int, default=CORES,
                        help="threads for BLAS, OpenMP and PyTorch (default: the %d cores)"
                             % CORES)
    parser.add_argument("--no-torch", action="store_true", help="skip PyTorch")
    parser.add_argument("--no-plain", action="store_true",
                        help="skip Theano with its default compilation (the reference)")
    parser.add_argument("--profile", action="store_true",
                        help="also profile Theano's training step by op")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--part", choices=sorted(PARTS), help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def use_float32():
    """floatX=float32 for this process and the interpreters it starts."""
    from lasagne_params.backend.bridges.compat import prefer_floatx
    flags = os.environ.get("THEANO_FLAGS", "")
    if "floatX" in flags and "floatX=float32" not in flags:
        raise SystemExit("this benchmark measures float32; THEANO_FLAGS sets another floatX")
    prefer_floatx("float32")


def digits(n):
    """n real digits (as many as the best available source has, repeated if need be)."""
    import numpy
    from lasagne_params.backend.training.datasets import load_mnist
    data = load_mnist()
    reps = -(-n // len(data))
    X = numpy.concatenate([data.X] * reps)[:n]
    y = numpy.concatenate([data.y] * reps)[:n]
    return X, y, data.source


def best_rate(step, batches, repeats, cpu=None):
    """Samples per second of the fastest of ``repeats`` passes over ``batches``.

    With a dict ``cpu``, also stores under ``cpu["rate"]`` the samples per
    CPU second of this process in the least CPU-hungry pass: with one
    thread it hardly depends on what else the machine runs (the wall-clock
    rate does, a lot, on 2 shared cores).
    """
    best = best_cpu = float("inf")
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        for Xb, yb in batches:
            step(Xb, yb)
        best = min(best, time.perf_counter() - start)
        best_cpu = min(best_cpu, time.process_time() - start_cpu)
    samples = sum(len(Xb) for Xb, _ in batches)
    if cpu is not None:
        cpu["rate"] = samples / best_cpu
    return samples / best


def rates(train, infer, batches, repeats):
    """{"train", "infer": samples/s; "train_cpu", "infer_cpu": samples per CPU second}."""
    figures = {}
    for key, step in (("train", train), ("infer", infer)):
        cpu = {}
        figures[key] = best_rate(step, batches, repeats, cpu)
        figures[key + "_cpu"] = cpu["rate"]
    return figures


def theano_trainer(profile=False, speed=True):
    """The question's network, its Trainer, the three compiled functions, compile seconds.

    ``speed=False``: Theano's default compilation (the reference).
    """
    import mnist_cnn
    import lasagne
    from lasagne_params.backend.training.trainer import Trainer
    net = mnist_cnn.build_network(seed=0)
    trainer = Trainer(net, update=lasagne.updates.momentum,
                      update_params={"learning_rate": LEARNING_RATE, "momentum": MOMENTUM},
                      batch_size=BATCH, verbose=0)
    start = time.perf_counter()
    functions = trainer._compile(profile=profile, speed=speed)
    return trainer, functions, time.perf_counter() - start


def measure_theano(batches, repeats, speed=True):
    """Training and inference samples/s of the Trainer's compiled functions."""
    import theano
    from lasagne_params.backend.training.speed import compile_flags
    trainer, (train, _, predict), compile_s = theano_trainer(speed=speed)
    assert theano.config.floatX == "float32", theano.config.floatX
    train(*batches[0])                               # first call allocates
    predict(batches[0][0])
    flags = compile_flags() if speed else {}
    return dict(rates(train, lambda X, y: predict(X), batches, repeats),
                compile_in_process_s=compile_s,
                flags={k: (v if k != "blas__ldflags" else os.path.basename(v.split(":")[-1]))
                       for k, v in flags.items()})


def torch_network():
    """The question's network in PyTorch (217,706 parameters, as in Lasagne)."""
    import torch.nn as nn
    return nn.Sequential(
        nn.Conv2d(1, 32, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(32 * 5 * 5, 256), nn.ReLU(), nn.Linear(256, 10))


def measure_torch(batches, repeats, threads):
    """The same figures for the network in PyTorch, or why it was not measured."""
    try:
        import torch
    except ImportError:
        return {"skipped": "torch is not installed here"}
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    net = torch_network()
    params = sum(p.numel() for p in net.parameters())
    assert params == 217706, params
    optimizer = torch.optim.SGD(net.parameters(), lr=LEARNING_RATE, momentum=MOMENTUM)
    loss_fn = torch.nn.CrossEntropyLoss()
    tensors = [(torch.from_numpy(X), torch.from_numpy(y).long()) for X, y in batches]

    def train(X, y):
        optimizer.zero_grad()
        loss = loss_fn(net(X), y)
        loss.backward()
        optimizer.step()

    def infer(X, y):
        with torch.no_grad():
            torch.softmax(net(X), dim=1)

    net.train()
    train(*tensors[0])
    net.eval()
    infer(*tensors[0])
    result = {}
    for key, step, mode in (("train", train, net.train), ("infer", infer, net.eval)):
        mode()
        cpu = {}
        result[key] = best_rate(step, tensors, repeats, cpu)
        result[key + "_cpu"] = cpu["rate"]
    result["version"] = torch.__version__
    result["threads"] = torch.get_num_threads()
    return result


def run_part(part, args, compiledir=None):
    """Run one part of the benchmark in a fresh interpreter; return its JSON figures.

    ``compiledir`` sets Theano's (its default when None).
    """
    env = dict(os.environ)
    env.update({name: str(args.threads) for name in THREAD_VARIABLES})
    if compiledir is not None:
        env["THEANO_FLAGS"] = ",".join(
            f for f in [env.get("THEANO_FLAGS", ""), "compiledir=" + compiledir] if f)
    command = [sys.executable, os.path.abspath(__file__), "--part", part,
               "--batches", str(args.batches), "--repeats", str(args.repeats),
               "--threads", str(args.threads)]
    out = subprocess.run(command, env=env, capture_output=True, text=True)
    if out.returncode:
        raise SystemExit("benchmark part %r failed:\n%s" % (part, out.stderr))
    return json.loads(out.stdout.strip().splitlines()[-1])


def batches_of_digits(count):
    """``count`` batches of 128 real digits, and where the digits come from."""
    X, y, source = digits(BATCH * count)
    return [(X[i:i + BATCH], y[i:i + BATCH]) for i in range(0, len(X), BATCH)], source


def profile_train_step(batches):
    """Seconds per Theano op class over ``batches`` training steps, largest first."""
    _, (train, _, _), _ = theano_trainer(profile=True)
    for Xb, yb in batches:
        train(Xb, yb)
    stats = train.profile
    by_class = stats.class_time()
    total = sum(by_class.values())
    calls = stats.fct_call_time
    rows = sorted(((t, cls.__name__) for cls, t in by_class.items()), reverse=True)
    return {"ops": [(name, t, t / total) for t, name in rows],
            "op_seconds": total, "call_seconds": calls, "batches": len(batches)}


def render(figures):
    lines = ["Question's network (217,706 parameters), batch %d, float32, %d thread(s) "
             "(%d cores); digits: %s" % (BATCH, figures["threads"], CORES, figures["source"]),
             "1-minute load average: %.2f before, %.2f after" % tuple(figures["load"]), ""]
    theano_f, torch_f = figures["theano"], figures.get("torch")
    plain = figures.get("theano_plain")
    lines.append("%-26s %14s %14s %14s %10s" % ("samples/s", "Theano", "Theano",
                                                 "PyTorch", "Theano /"))
    lines.append("%-26s %14s %14s %14s %10s" % ("", "(defaults)", "(Trainer)", "",
                                                 "PyTorch"))
    for key, title in (("train", "training (momentum step)"), ("infer", "inference")):
        lines.append("%-26s %14s %14.0f %14s %10s" % (
            title, "%.0f" % plain[key] if plain else "-", theano_f[key],
            "%.0f" % torch_f[key] if torch_f else "-",
            "%.2fx" % (theano_f[key] / torch_f[key]) if torch_f else "-"))
    if torch_f and "train_cpu" in torch_f:
        lines.append("per CPU second (this process; with 1 thread, hardly load-dependent):")
        for key, title in (("train", "  training"), ("infer", "  inference")):
            lines.append("%-26s %14s %14.0f %14.0f %9.2fx" % (
                title, "%.0f" % plain[key + "_cpu"] if plain else "-",
                theano_f[key + "_cpu"], torch_f[key + "_cpu"],
                theano_f[key + "_cpu"] / torch_f[key + "_cpu"]))
    lines.append("(Trainer flags: %s)" % (", ".join(
        "%s=%s" % item for item in sorted(theano_f.get("flags", {}).items())) or "none"))
    if torch_f:
        lines.append("(torch %s, %d thread(s))" % (torch_f["version"], torch_f["threads"]))
    else:
        lines.append("(PyTorch not measured: %s)" % figures["torch_skipped"])
    if "compile_warm_s" in figures:
        lines += ["", "Theano compile time of the Trainer's 3 functions (new interpreter):"]
        if "compile_cold_s" in figures:
            lines.append("  cold (empty compiledir): %6.1f s" % figures["compile_cold_s"])
        lines.append("  warm (compiled before):  %6.1f s" % figures["compile_warm_s"])
    if "profile" in figures:
        prof = figures["profile"]
        lines += ["", "Theano training step by op class (%d steps, %.3f s in ops of %.3f s "
                  "in calls):" % (prof["batches"], prof["op_seconds"], prof["call_seconds"])]
        lines += ["  %5.1f%%  %7.3f s  %s" % (100 * share, t, name)
                  for name, t, share in prof["ops"][:8]]
    return "\n".join(lines)


def compile_part(args):
    return {"compile_s": theano_trainer()[2]}


def theano_part(args):
    batches, source = batches_of_digits(args.batches)
    return dict(measure_theano(batches, args.repeats), source=source)


def theano_plain_part(args):
    return measure_theano(batches_of_digits(args.batches)[0], args.repeats, speed=False)


def torch_part(args):
    return measure_torch(batches_of_digits(args.batches)[0], args.repeats, args.threads)


def profile_part(args):
    return profile_train_step(batches_of_digits(args.batches)[0])


#: --part name -> function(args) -> JSON-able figures, run in a fresh interpreter.
PARTS = {"compile": compile_part, "theano": theano_part, "theano-plain": theano_plain_part,
         "torch": torch_part, "profile": profile_part}


def main(argv=None):
    args = parse_args(argv)
    use_float32()
    if args.part:
        if args.part != "torch":
            import lasagne_params
            lasagne_params.install_compat()
        print(json.dumps(PARTS[args.part](args)))
        return 0
    load_before = os.getloadavg()[0]
    theano_figures = run_part("theano", args)
    figures = {"source": theano_figures.pop("source"), "threads": args.threads,
               "theano": theano_figures}
    if not args.no_plain:
        figures["theano_plain"] = run_part("theano-plain", args)
    torch_figures = {"skipped": "--no-torch"} if args.no_torch else run_part("torch", args)
    if "skipped" in torch_figures:
        figures["torch_skipped"] = torch_figures["skipped"]
    else:
        figures["torch"] = torch_figures
    if args.compile == "both":
        with tempfile.TemporaryDirectory(prefix="theano-cold-") as compiledir:
            figures["compile_cold_s"] = run_part("compile", args, compiledir)["compile_s"]
            figures["compile_warm_s"] = run_part("compile", args, compiledir)["compile_s"]
    elif args.compile == "warm":          # the theano part has just filled the compiledir
        figures["compile_warm_s"] = run_part("compile", args)["compile_s"]
    if args.profile:
        figures["profile"] = run_part("profile", args)
    figures["load"] = [load_before, os.getloadavg()[0]]
    print(json.dumps(figures, indent=1) if args.json else render(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
