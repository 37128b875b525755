"""The question's network beyond the count: MACs, memory, receptive fields and a picture.

Builds the question's network in Lasagne (``mnist_cnn.build_network``),
derives every layer's cost from its hyper-parameters, prints the table with
the chosen columns and torchinfo's totals, and with ``--draw`` writes the
picture (``.svg``, ``.png`` or ``.pdf``; needs Graphviz, see the README).

    python examples/beyond_the_count.py --draw docs/question_net.svg
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import lasagne_params  # noqa: E402
from mnist_cnn import build_network  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--columns", default="params,macs,memory,rf",
                        help="comma-separated: shape, params, macs, ops, memory, "
                             "param_memory, rf (default: %(default)s)")
    parser.add_argument("--batch-size", type=int, default=None)
    parser.add_argument("--floatx", default="float32", choices=["float16", "float32", "float64"])
    parser.add_argument("--draw", metavar="PATH", help="also write the picture to PATH")
    args = parser.parse_args(argv)
    try:
        costs = lasagne_params.derive_costs(build_network(), batch_size=args.batch_size,
                                            floatx=args.floatx)
        print(lasagne_params.render(costs, "columns", columns=args.columns), end="")
        if args.draw:
            lasagne_params.draw(costs, args.draw)
    except lasagne_params.LasagneParamsError as exc:
        print("error: %s" % exc, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
