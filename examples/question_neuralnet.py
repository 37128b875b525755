"""The Stack Overflow question's NeuralNet(...) call, pasted as written.

Only the import line changed: ``from nolearn.lasagne import NeuralNet``
became ``from lasagne_params.nolearn import NeuralNet`` (which also makes
``import lasagne`` work on Theano-PyMC).  The call itself is the question's
text, character for character (``tests/test_neuralnet.py`` checks that).

    python examples/question_neuralnet.py

prints nolearn's layer information exactly as the question shows it (with
``PrintLayerInfo``, as nolearn's CNN tutorial did; ``net.fit`` prints it
when training starts).  The network is also a target for the command line::

    lasagne-params show examples/question_neuralnet.py:network --check
"""
from lasagne_params.nolearn import NeuralNet, PrintLayerInfo
import lasagne
from lasagne import layers
from lasagne.updates import momentum

net = \
NeuralNet(
    layers=[('input', layers.InputLayer),        # Input Layer
            ('conv2d1', layers.Conv2DLayer),     # Convolutional Layer
            ('maxpool1', layers.MaxPool2DLayer), # 2D Max Pooling Layer
            ('conv2d2', layers.Conv2DLayer),     # Convolutional Layer
            ('maxpool2', layers.MaxPool2DLayer), # 2D Max Pooling Layer
            ('dense', layers.DenseLayer),        # Fully connected layer
            ('output', layers.DenseLayer),       # Output Layer
            ],
    # input layer
    input_shape=(None, 1, 28, 28),

    # layer conv2d1
    conv2d1_num_filters=32,
    conv2d1_filter_size=(5, 5),
    conv2d1_nonlinearity=lasagne.nonlinearities.rectify,

    # layer maxpool1
    maxpool1_pool_size=(2, 2),

    # layer conv2d2
    conv2d2_num_filters=32,
    conv2d2_filter_size=(3, 3),
    conv2d2_nonlinearity=lasagne.nonlinearities.rectify,

    # layer maxpool2
    maxpool2_pool_size=(2, 2),

    # Fully Connected Layer
    dense_num_units=256,
    dense_nonlinearity=lasagne.nonlinearities.rectify,

   # output Layer
    output_nonlinearity=lasagne.nonlinearities.softmax,
    output_num_units=10,

    # optimization method params
    update= momentum,
    update_learning_rate=0.01,
    update_momentum=0.9,
    max_epochs=10,
    verbose=1,
    )


def network():
    """The question's NeuralNet (for ``lasagne-params show FILE:network``)."""
    return net


if __name__ == "__main__":
    net.initialize()
    PrintLayerInfo()(net)
