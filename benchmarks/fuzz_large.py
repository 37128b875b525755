"""The differential fuzz of tests/test_differential.py, run long: many random networks against Lasagne.

    python benchmarks/fuzz_large.py [--examples 5000] [--runtime 40] [--seed 0]

Draws ``--examples`` random valid networks (chains and DAGs mixing every CPU
layer class, tests/netgen.py), builds each in Lasagne and checks, on every
layer and field and the totals, that derive() equals Lasagne, that the spec
path equals the Lasagne path, and that every formula evaluates to its
figure; then compiles ``--runtime`` further networks (no recurrent layers)
and checks every layer's array shape against the derivation.  Prints the
counts per layer class and the result; exits 1 on the first disagreement
(with hypothesis' shrunk example).
"""
import argparse
import collections
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests"))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=5000)
    parser.add_argument("--runtime", type=int, default=40)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    import lasagne_params
    lasagne_params.install_compat()
    from hypothesis import HealthCheck, given, seed, settings
    import netgen
    from test_differential import check_network, run_forward

    kinds, layers, features = collections.Counter(), [0], collections.Counter()
    common = dict(deadline=None, database=None, suppress_health_check=list(HealthCheck))

    @seed(args.seed)
    @settings(max_examples=args.examples, **common)
    @given(netgen.networks(dag=True, max_layers=14))
    def static(net):
        outputs, comparison = check_network(*net)
        specs = net[0]
        kinds.update(spec.kind for spec in specs)
        layers[0] += len(specs)
        features.update({
            "shared arrays": bool(comparison.derived.shared),
            "several inputs": sum(s.kind == "InputLayer" for s in specs) > 1,
            "several outputs": len(net[1]) > 1,
            "a masked recurrent layer": any(s.kind in netgen.RECURRENT and len(s.incoming) > 1
                                            for s in specs),
            "non-trainable arrays": comparison.derived.trainable_params
            != comparison.derived.total_params})

    @seed(args.seed)
    @settings(max_examples=max(args.runtime, 1), **common)
    @given(netgen.networks(dag=True, max_layers=6, runtime=True))
    def runtime(net):
        run_forward(*check_network(*net))

    start = time.time()
    static()
    static_time = time.time() - start
    print("static: %d networks, %d layers, every field equal to Lasagne's (%.0f s)"
          % (args.examples, layers[0], static_time))
    for kind, count in sorted(kinds.items(), key=lambda item: -item[1]):
        print("  %6d  %s" % (count, kind))
    print("networks with " + ", ".join("%s: %d" % (name, count)
                                       for name, count in features.items()))
    if not args.runtime:
        return 0
    start = time.time()
    runtime()
    print("runtime: %d compiled networks, every array shape as derived (%.0f s)"
          % (args.runtime, time.time() - start))
    return 0


if __name__ == "__main__":
    sys.exit(main())
