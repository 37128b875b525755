"""Differential fuzzing against Lasagne master, longer than the test suite does it.

Random networks from tests/netgen.py with master's classes and keywords
(``master=True``), built in the installed Lasagne master: every layer's shape,
parameter and trainable counts and the totals must equal master's (Lasagne's
static shapes known to be wrong are counted apart as "Lasagne wrong"); a share of
them also runs a compiled Theano forward pass, whose arrays judge the shapes.

    .venv/bin/python benchmarks/fuzz_master.py --networks 2000 --runtime 100

Prints the counts (networks, layers, per kind, disagreements) and exits 1 on any
disagreement.  Needs Lasagne master installed (see docs/lasagne-versions.md).
"""
import argparse
import collections
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests"))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--networks", type=int, default=1000)
    parser.add_argument("--runtime", type=int, default=50,
                        help="how many of them also run a forward pass")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    from hypothesis import HealthCheck, given, settings, seed

    import lasagne_params as lp
    import netgen
    from helpers import forward_shapes
    from lasagne_params.backend.networks.build import build_layers
    from lasagne_params.core.runtime_check import compare_runtime
    lp.install_compat()
    import lasagne
    if not lasagne.__version__.startswith("0.2"):
        sys.exit("needs Lasagne master; installed: Lasagne %s" % lasagne.__version__)

    counts = collections.Counter()
    kinds = collections.Counter()
    problems, failed = [], []

    def run(net, runtime):
        specs, sinks = net
        layers = build_layers(specs)
        outputs = [layers[name] for name in sinks]
        comparison = lp.compare(outputs)
        counts["networks"] += 1
        counts["layers"] += len(comparison.derived.layers)
        counts["lasagne wrong"] += len(comparison.lasagne_wrong)
        kinds.update(row.kind for row in comparison.derived.layers)
        if not comparison.ok:
            problems.append(lp.render(comparison))
        if runtime:
            try:
                shapes = forward_shapes(outputs)
            except Exception as exc:       # Theano's own failures are reported, not fatal
                failed.append("forward pass failed: %s: %s\n%r"
                              % (type(exc).__name__, str(exc).splitlines()[0], specs))
                return
            check = compare_runtime(comparison.derived, comparison.reported, shapes)
            counts["forward passes"] += 1
            known = {m.layer for m in comparison.lasagne_wrong}
            for row in check.rows:
                expected = "Lasagne wrong" if row.name in known else "ok"
                if row.verdict != expected:
                    problems.append("runtime: %r" % (row,))

    started = time.time()
    for runtime, count, strategy in (
            (False, args.networks - args.runtime, netgen.networks(master=True, max_layers=12)),
            (True, args.runtime, netgen.networks(master=True, max_layers=6, runtime=True))):
        if count <= 0:
            continue

        @seed(args.seed)
        @settings(max_examples=count, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(strategy)
        def fuzz(net):
            run(net, runtime)

        fuzz()
    print("%d networks (%d layers, %d forward passes) against Lasagne %s in %.0f s: "
          "%d disagreements, %d static shapes where Lasagne is known wrong, %d forward "
          "passes Theano could not run" % (counts["networks"], counts["layers"],
                                           counts["forward passes"], lasagne.__version__,
                                           time.time() - started, len(problems),
                                           counts["lasagne wrong"], len(failed)))
    for kind, number in sorted(kinds.items()):
        print("  %-34s %6d layers" % (kind, number))
    for problem in problems[:5] + failed[:5]:
        print(problem)
    return 1 if problems or failed else 0


if __name__ == "__main__":
    sys.exit(main())
