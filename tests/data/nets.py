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


def question_neuralnet():
    """The question's network as nolearn's keywords, layer types given as strings."""
    from lasagne_params import NeuralNet
    return NeuralNet(
        layers=[("input", "InputLayer"), ("conv2d1", "Conv2DLayer"),
                ("maxpool1", "MaxPool2DLayer"), ("conv2d2", "Conv2DLayer"),
                ("maxpool2", "MaxPool2DLayer"), ("dense", "DenseLayer"),
                ("output", "DenseLayer")],
        input_shape=(None, 1, 28, 28),
        conv2d1_num_filters=32, conv2d1_filter_size=(5, 5),
        maxpool1_pool_size=(2, 2),
        conv2d2_num_filters=32, conv2d2_filter_size=(3, 3),
        maxpool2_pool_size=(2, 2),
        dense_num_units=256, output_num_units=10, output_nonlinearity="softmax",
        verbose=1)


def tampered():
    """A network whose hyper-parameter was changed after building: W keeps 2 columns."""
    net = tiny()
    net.num_units = 3
    return net


def bad_keyword():
    from lasagne_params import NeuralNet
    return NeuralNet(layers=[("input", "InputLayer"), ("out", "DenseLayer")],
                     input_shape=(None, 4), out_num_unit=2)
