"""Networks for the CLI tests (imported by ``lasagne-params show FILE:FUNCTION``)."""


def tiny():
    from lasagne import layers
    net = layers.InputLayer((None, 1, 8, 8), name="in")
    net = layers.Conv2DLayer(net, 4, 3, name="conv")
    return layers.DenseLayer(net, 2, name="out")


def not_a_network():
    return 42


def broken():
    raise RuntimeError("boom")
