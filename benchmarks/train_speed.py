"""Training and inference speed of the question's network: Theano vs PyTorch on the CPU.

One run measures, on real MNIST digits, batches of 128, float32, with as
many threads as cores:

* Theano (Lasagne 0.1 on Theano-PyMC 1.1.2, through lasagne_params.Trainer):
  training samples/s (one momentum step per batch, lr 0.01, momentum 0.9)
  and inference samples/s (deterministic forward pass);
* the same network in PyTorch (when torch is importable): the same figures,
  with ``torch.optim.SGD(lr=0.01, momentum=0.9)`` and cross-entropy;
* Theano's compile time of the Trainer's three functions, cold (a fresh,
  empty ``compiledir``) and warm (the same compiledir again), each in a new
  interpreter so nothing is cached in-process;
* with ``--profile``, the Theano ops that take the training step's time.

It prints a table and the ratios (PyTorch / Theano).  Not a test:
``tests/test_benchmark.py`` runs it at toy sizes so it cannot rot.

    python benchmarks/train_speed.py                 # the README's figures
    python benchmarks/train_speed.py --profile
    python benchmarks/train_speed.py --batches 2 --repeats 1 --compile warm   # smoke

Torch lives only in the benchmark's own environment (see README, "Measured
figures")::

    python3.11 -m venv /work/venv-torch
    /work/venv-torch/bin/pip install torch==2.13.0 -e '.[lasagne]'
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

CORES = os.cpu_count() or 1
for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
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
    parser.add_argument("--no-torch", action="store_true", help="skip PyTorch")
    parser.add_argument("--profile", action="store_true",
                        help="also profile Theano's training step by op")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--compile-only", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def use_float32():
    """floatX=float32 for this process and the interpreters it starts."""
    from lasagne_params.compat import prefer_floatx
    flags = os.environ.get("THEANO_FLAGS", "")
    if "floatX" in flags and "floatX=float32" not in flags:
        raise SystemExit("this benchmark measures float32; THEANO_FLAGS sets another floatX")
    prefer_floatx("float32")


def digits(n):
    """n real digits (as many as the best available source has, repeated if need be)."""
    import numpy
    from lasagne_params.datasets import load_mnist
    data = load_mnist()
    reps = -(-n // len(data))
    X = numpy.concatenate([data.X] * reps)[:n]
    y = numpy.concatenate([data.y] * reps)[:n]
    return X, y, data.source


def best_rate(step, batches, repeats):
    """Samples per second of the fastest of ``repeats`` passes over ``batches``."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        for Xb, yb in batches:
            step(Xb, yb)
        best = min(best, time.perf_counter() - start)
    return sum(len(Xb) for Xb, _ in batches) / best


def theano_trainer(profile=False):
    """The question's network, its Trainer, and the three compiled functions."""
    import mnist_cnn
    import lasagne
    from lasagne_params.training import Trainer
    net = mnist_cnn.build_network(seed=0)
    trainer = Trainer(net, update=lasagne.updates.momentum,
                      update_params={"learning_rate": LEARNING_RATE, "momentum": MOMENTUM},
                      batch_size=BATCH, verbose=0)
    start = time.perf_counter()
    functions = trainer._compile(profile=profile)
    return trainer, functions, time.perf_counter() - start


def measure_theano(batches, repeats):
    import theano
    trainer, (train, _, predict), compile_s = theano_trainer()
    assert theano.config.floatX == "float32", theano.config.floatX
    train(*batches[0])                               # first call allocates
    predict(batches[0][0])
    return {"train": best_rate(train, batches, repeats),
            "infer": best_rate(lambda X, y: predict(X), batches, repeats),
            "compile_in_process_s": compile_s}


def torch_network():
    """The question's network in PyTorch (217,706 parameters, as in Lasagne)."""
    import torch.nn as nn
    return nn.Sequential(
        nn.Conv2d(1, 32, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(32 * 5 * 5, 256), nn.ReLU(), nn.Linear(256, 10))


def measure_torch(batches, repeats):
    import torch
    torch.set_num_threads(CORES)
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
    result = {"train": best_rate(train, tensors, repeats)}
    net.eval()
    infer(*tensors[0])
    result["infer"] = best_rate(infer, tensors, repeats)
    result["version"] = torch.__version__
    result["threads"] = torch.get_num_threads()
    return result


def compile_seconds(compiledir=None):
    """Compile time of the Trainer's functions in a fresh interpreter.

    It uses ``compiledir`` (Theano's own default when None).
    """
    env = dict(os.environ)
    if compiledir is not None:
        env["THEANO_FLAGS"] = ",".join(
            f for f in [env.get("THEANO_FLAGS", ""), "compiledir=" + compiledir] if f)
    out = subprocess.run([sys.executable, os.path.abspath(__file__), "--compile-only"],
                         env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])["compile_s"]


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
    lines = ["Question's network (217,706 parameters), batch %d, float32, %d threads; "
             "digits: %s" % (BATCH, CORES, figures["source"]), ""]
    theano_f, torch_f = figures["theano"], figures.get("torch")
    lines.append("%-26s %14s %14s %8s" % ("samples/s", "Theano", "PyTorch", "ratio"))
    for key, title in (("train", "training (momentum step)"), ("infer", "inference")):
        if torch_f:
            lines.append("%-26s %14.0f %14.0f %7.1fx" % (
                title, theano_f[key], torch_f[key], torch_f[key] / theano_f[key]))
        else:
            lines.append("%-26s %14.0f %14s %8s" % (title, theano_f[key], "-", "-"))
    if torch_f:
        lines.append("(ratio = PyTorch / Theano; torch %s, %d threads)"
                     % (torch_f["version"], torch_f["threads"]))
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


def main(argv=None):
    args = parse_args(argv)
    use_float32()
    import lasagne_params
    lasagne_params.install_compat()
    if args.compile_only:
        _, _, seconds = theano_trainer()
        print(json.dumps({"compile_s": seconds}))
        return 0
    X, y, source = digits(BATCH * args.batches)
    batches = [(X[i:i + BATCH], y[i:i + BATCH]) for i in range(0, len(X), BATCH)]
    figures = {"source": source, "theano": measure_theano(batches, args.repeats)}
    if args.no_torch:
        figures["torch_skipped"] = "--no-torch"
    else:
        try:
            import torch  # noqa: F401
        except ImportError:
            figures["torch_skipped"] = "torch is not installed here"
        else:
            figures["torch"] = measure_torch(batches, args.repeats)
    if args.compile == "both":
        with tempfile.TemporaryDirectory(prefix="theano-cold-") as compiledir:
            figures["compile_cold_s"] = compile_seconds(compiledir)
            figures["compile_warm_s"] = compile_seconds(compiledir)
    elif args.compile == "warm":          # measure_theano has just filled the compiledir
        figures["compile_warm_s"] = compile_seconds()
    if args.profile:
        figures["profile"] = profile_train_step(batches)
    print(json.dumps(figures, indent=1) if args.json else render(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
