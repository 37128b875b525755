"""Do Lasagne#154 and Lasagne#685 / Theano#4534 still bite on this stack?  A compiled sweep.

    python benchmarks/lasagne_shape_bugs.py [--max-length 20]

Lasagne#154: a strided convolution with ``pad='full'`` once had a static
shape one short of the array Theano computed.  Lasagne#685 / Theano#4534:
strided pooling with ``ignore_border=False`` once computed a larger array
than its own shape inference.  For every input length up to
``--max-length``, window 1..7 and stride 1..7 (pooling: all four modes;
convolution: 'full', 'same', 'valid', pad 1 and 2, Conv2DLayer and
Conv1DLayer), this compares three figures: Lasagne 0.1's static formula,
lasagne_params' derivation and the shape of the array a compiled Theano
function returns.  Prints the counts and every disagreement.
"""
import argparse
import sys
import time


def pool_sweep(max_length):
    import numpy as np
    import theano
    import theano.tensor as T
    from theano.tensor.signal import pool
    from lasagne.layers.pool import pool_output_length
    from lasagne_params.core.axis import pool_length
    x, ws, st = T.tensor4(), T.ivector(), T.ivector()
    cases, bad = 0, []
    for mode in ("max", "sum", "average_inc_pad", "average_exc_pad"):
        f = theano.function([x, ws, st], pool.pool_2d(x, ws=ws, stride=st,
                                                      ignore_border=False, mode=mode))
        for length in range(1, max_length + 1):
            data = np.ones((1, 1, length, 1), dtype=theano.config.floatX)
            for size in range(1, 8):
                for stride in range(1, 8):
                    got = f(data, np.array([size, 1], "int32"),
                            np.array([stride, 1], "int32")).shape[2]
                    figures = (pool_output_length(length, size, stride, 0, False),
                               pool_length(length, size, stride, 0, False).value, got)
                    cases += 1
                    if len(set(figures)) > 1:
                        bad.append(("pool", mode, length, size, stride, figures))
    return cases, bad


def conv_sweep(max_length):
    import numpy as np
    import theano
    import theano.tensor as T
    from lasagne import layers
    from lasagne.layers.conv import conv_output_length
    from lasagne_params.core.axis import conv_length
    cases, bad = 0, []
    for dims in (1, 2):
        for pad in ("full", "same", "valid", 1, 2):
            for stride in range(1, 8):
                for size in range(1, 8):
                    # one compiled Lasagne layer per (pad, stride, size); the length varies
                    shape = (1, 1) + (None,) * dims
                    inp = layers.InputLayer(shape, input_var=T.TensorType(
                        theano.config.floatX, (False,) * (dims + 2))())
                    cls = layers.Conv2DLayer if dims == 2 else layers.Conv1DLayer
                    net = cls(inp, 1, size, stride=stride, pad=pad)
                    f = theano.function([inp.input_var], layers.get_output(net))
                    lasagne_pad = 0 if pad == "valid" else pad
                    for length in range(1, max_length + 1):
                        ours = conv_length(length, size, stride, pad).value
                        if ours < 1:
                            continue
                        data = np.ones((1, 1) + (length,) * dims, theano.config.floatX)
                        got = f(data).shape[2]
                        figures = (conv_output_length(length, size, stride, lasagne_pad),
                                   ours, got)
                        cases += 1
                        if len(set(figures)) > 1:
                            bad.append(("conv%dd" % dims, pad, length, size, stride, figures))
    return cases, bad


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-length", type=int, default=20)
    args = parser.parse_args(argv)
    import lasagne_params
    lasagne_params.install_compat()
    start = time.time()
    pool_cases, pool_bad = pool_sweep(args.max_length)
    print("pooling, ignore_border=False: %d cases, %d disagreements (%.0f s)"
          % (pool_cases, len(pool_bad), time.time() - start))
    start = time.time()
    conv_cases, conv_bad = conv_sweep(args.max_length)
    print("convolution (Conv1DLayer, Conv2DLayer; full, same, valid, pad 1, 2): "
          "%d cases, %d disagreements (%.0f s)"
          % (conv_cases, len(conv_bad), time.time() - start))
    for case in pool_bad + conv_bad:
        print("  %s: Lasagne, derived, Theano = %s" % (case[:-1], case[-1]))
    return 1 if pool_bad or conv_bad else 0


if __name__ == "__main__":
    sys.exit(main())
