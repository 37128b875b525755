"""What Lasagne 0.1 and Theano do with each invalid configuration of tests/test_invalid_configs.py.

    python benchmarks/invalid_configs.py

For each case prints a Markdown row: the derivation's error (field and
message), what Lasagne's constructor and static ``output_shape`` do, and,
where Lasagne accepts the layer, what happens when the network's output is
built, compiled and run on a batch of 2 (the README's table).
"""
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests"))


def _shape(shape):
    return "(%s)" % ", ".join("N" if d is None else str(d) for d in shape)


def forward(case):
    """'runs: (2, ...)' or the stage and exception where Theano gives up."""
    import numpy as np
    import theano
    from lasagne import layers as L
    from lasagne_params.backend.networks.build import build_layers
    built = build_layers(case.specs)
    output = built[case.specs[-1].name]
    inputs = [layer for layer in L.get_all_layers(output) if isinstance(layer, L.InputLayer)]
    stage = "get_output"
    try:
        expression = L.get_output(output, deterministic=True)
        stage = "compile"
        f = theano.function([layer.input_var for layer in inputs], expression)
        stage = "run"
        data = [np.ones(tuple(2 if d is None else d for d in layer.shape), theano.config.floatX)
                for layer in inputs]
        return "runs: %s" % (f(*data).shape,)
    except Exception as exc:     # noqa: BLE001 -- recording Theano's behaviour
        return "%s: %s" % (stage, type(exc).__name__)


def main():
    import lasagne_params
    lasagne_params.install_compat()
    from lasagne_params import LasagneParamsError, derive
    from test_invalid_configs import INVALID, lasagne_static
    print("| configuration | lasagne_params | Lasagne 0.1 | Theano forward pass |")
    print("|---|---|---|---|")
    for case in INVALID:
        try:
            derive(list(case.specs))
            ours = "derived (no error!)"
        except LasagneParamsError as exc:
            ours = "`%s`: %s" % (exc.field, exc.message)
        outcome = lasagne_static(case)
        if isinstance(outcome, tuple):
            static, runtime = "accepts: %s" % _shape(outcome), forward(case)
        else:
            static, runtime = "raises %s" % type(outcome).__name__, ""
        print("| %s | %s | %s | %s |" % (case.label, ours, static, runtime))
    return 0


if __name__ == "__main__":
    sys.exit(main())
