"""The Stack Overflow question's MNIST CNN (SO 42786717), derived and cross-checked.

Builds the network in Lasagne with the question's layer names and
hyper-parameters, prints Lasagne's layer information as nolearn showed it,
prints the accepted answer's table derived from first principles, puts
Lasagne's own figures beside the derivation, and exits 0 only when every
layer agrees and the total is the question's 217,706.

    python examples/mnist_cnn.py
"""
import sys

import lasagne_params

EXPECTED_TOTAL = 217706


def build_network():
    """The question's NeuralNet layers, built directly in Lasagne."""
    lasagne_params.install_compat()
    import lasagne
    from lasagne import layers
    from lasagne.nonlinearities import rectify, softmax

    net = layers.InputLayer(shape=(None, 1, 28, 28), name="input")
    net = layers.Conv2DLayer(net, num_filters=32, filter_size=(5, 5), nonlinearity=rectify,
                             name="conv2d1")
    net = layers.MaxPool2DLayer(net, pool_size=(2, 2), name="maxpool1")
    net = layers.Conv2DLayer(net, num_filters=32, filter_size=(3, 3), nonlinearity=rectify,
                             name="conv2d2")
    net = layers.MaxPool2DLayer(net, pool_size=(2, 2), name="maxpool2")
    net = layers.DenseLayer(net, num_units=256, nonlinearity=rectify, name="dense")
    net = layers.DenseLayer(net, num_units=10, nonlinearity=softmax, name="output")
    assert lasagne.layers.get_all_layers(net)[0].name == "input"
    return net


def main(argv=None):
    net = build_network()
    derived = lasagne_params.derive(net)
    comparison = lasagne_params.compare(net)
    print("What nolearn printed (from Lasagne's own figures):\n")
    print(lasagne_params.render(comparison.reported, "nolearn"))
    print("Derived from first principles, as the accepted answer lays it out:\n")
    print(lasagne_params.render(derived, "answer"))
    print("Derived beside Lasagne's figures:\n")
    print(comparison)
    ok = comparison.ok and derived.total_params == EXPECTED_TOTAL
    print("total learnable parameters: %d (%s)" % (
        derived.total_params,
        "the question's 217,706" if derived.total_params == EXPECTED_TOTAL
        else "expected %d" % EXPECTED_TOTAL))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
