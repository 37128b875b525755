"""Fit the Stack Overflow question's network on MNIST digits with nolearn; save nolearn's plots.

    python nolearn_digits.py DATA_FOLDER OUT_FOLDER [EPOCHS]

DATA_FOLDER holds mnist-sample-images-idx3-ubyte.gz and
mnist-sample-labels-idx1-ubyte.gz (MNIST's own format).  Written as a
nolearn 0.6 user wrote it in 2015 (nolearn.lasagne, matplotlib Agg).
"""
from __future__ import print_function

import gzip
import os
import sys

import matplotlib
matplotlib.use('Agg')
import numpy as np
import lasagne
from lasagne import layers
from lasagne.updates import momentum
from nolearn.lasagne import BatchIterator, NeuralNet
from nolearn.lasagne import visualize


def load(folder):
    with gzip.open(os.path.join(folder, 'mnist-sample-images-idx3-ubyte.gz')) as f:
        X = np.frombuffer(f.read(), np.uint8, offset=16)
    with gzip.open(os.path.join(folder, 'mnist-sample-labels-idx1-ubyte.gz')) as f:
        y = np.frombuffer(f.read(), np.uint8, offset=8)
    X = X.reshape(-1, 1, 28, 28).astype(np.float32) / 255.
    return X, y.astype(np.int32)


net1 = NeuralNet(
    layers=[('input', layers.InputLayer),
            ('conv2d1', layers.Conv2DLayer),
            ('maxpool1', layers.MaxPool2DLayer),
            ('conv2d2', layers.Conv2DLayer),
            ('maxpool2', layers.MaxPool2DLayer),
            ('dense', layers.DenseLayer),
            ('output', layers.DenseLayer),
            ],
    input_shape=(None, 1, 28, 28),
    conv2d1_num_filters=32,
    conv2d1_filter_size=(5, 5),
    conv2d1_nonlinearity=lasagne.nonlinearities.rectify,
    maxpool1_pool_size=(2, 2),
    conv2d2_num_filters=32,
    conv2d2_filter_size=(3, 3),
    conv2d2_nonlinearity=lasagne.nonlinearities.rectify,
    maxpool2_pool_size=(2, 2),
    dense_num_units=256,
    dense_nonlinearity=lasagne.nonlinearities.rectify,
    output_nonlinearity=lasagne.nonlinearities.softmax,
    output_num_units=10,
    update=momentum,
    update_learning_rate=0.01,
    update_momentum=0.9,
    batch_iterator_train=BatchIterator(batch_size=100, shuffle=True),
    max_epochs=2,
    verbose=1,
    )


if __name__ == '__main__':
    X, y = load(sys.argv[1])
    out = sys.argv[2]
    if len(sys.argv) > 3:
        net1.max_epochs = int(sys.argv[3])
    net1.fit(X, y)
    net1.save_params_to(os.path.join(out, 'net1.npz'))
    visualize.plot_loss(net1).savefig(os.path.join(out, 'loss.png'))
    visualize.plot_conv_weights(net1.layers_['conv2d1'], figsize=(4, 4)).savefig(
        os.path.join(out, 'conv_weights.png'))
    visualize.plot_conv_activity(net1.layers_['conv2d1'], X[0:1]).savefig(
        os.path.join(out, 'conv_activity.png'))
    visualize.plot_occlusion(net1, X[:2], y[:2]).savefig(os.path.join(out, 'occlusion.png'))
    visualize.plot_saliency(net1, X[:2]).savefig(os.path.join(out, 'saliency.png'))
    visualize.draw_to_file(net1, os.path.join(out, 'net.png'))
    print("training accuracy: %.3f" % net1.score(X, y))
