"""A 2015-style training script that picks the cuDNN layers when Theano's GPU backend has them.

Written for lasagne-params' tests in the style of that time's Kaggle code: it
tells Theano's old GPU backend to use the first GPU, asks
``theano.sandbox.cuda.dnn.dnn_available()`` and falls back to Lasagne's CPU
layers, splits its data with ``sklearn.cross_validation``, corrupts its
inputs with the old ``shared_randomstreams.RandomStreams``, and trains with a
Theano function of its own.

    python cudnn_switch.py [EPOCHS]
"""
from __future__ import print_function

import sys

import numpy as np
import theano
import theano.sandbox.cuda
import theano.tensor as T
from sklearn.cross_validation import StratifiedKFold, train_test_split
from theano.sandbox.cuda import dnn
from theano.tensor.shared_randomstreams import RandomStreams

import lasagne
from lasagne.layers import DenseLayer, DropoutLayer, InputLayer

theano.sandbox.cuda.use('gpu0')

if theano.sandbox.cuda.cuda_available and dnn.dnn_available():
    from lasagne.layers.dnn import Conv2DDNNLayer as ConvLayer
    from lasagne.layers.dnn import MaxPool2DDNNLayer as PoolLayer
    print("cuDNN found: using the cuDNN layers")
else:
    from lasagne.layers import Conv2DLayer as ConvLayer
    from lasagne.layers import MaxPool2DLayer as PoolLayer
    print("cuDNN not available (%s): using the CPU layers" % dnn.dnn_available.msg)

EPOCHS = int(sys.argv[1]) if len(sys.argv) > 1 else 3
srng = RandomStreams(seed=1234)


def load_data():
    rng = np.random.RandomState(42)
    X = rng.rand(120, 1, 12, 12).astype(theano.config.floatX)
    y = (X[:, 0, :6].mean(axis=(1, 2)) > X[:, 0, 6:].mean(axis=(1, 2))).astype('int32')
    return X, y


def build_cnn(input_var=None):
    network = InputLayer(shape=(None, 1, 12, 12), input_var=input_var)
    network = ConvLayer(network, num_filters=16, filter_size=(3, 3),
                        nonlinearity=lasagne.nonlinearities.rectify)
    network = PoolLayer(network, pool_size=(2, 2))
    network = DropoutLayer(network, p=.5)
    network = DenseLayer(network, num_units=32, nonlinearity=lasagne.nonlinearities.rectify)
    network = DenseLayer(network, num_units=2, nonlinearity=lasagne.nonlinearities.softmax)
    return network


X, y = load_data()
X_train, X_valid, y_train, y_valid = train_test_split(X, y, test_size=0.25, random_state=0)
skf = StratifiedKFold(y_train, n_folds=3)
print("%d training samples (%d folds), %d validation samples"
      % (len(X_train), len(skf), len(X_valid)))

input_var = T.tensor4('inputs')
target_var = T.ivector('targets')
network = build_cnn(input_var)

noisy = input_var + srng.normal(input_var.shape, avg=0.0, std=0.05,
                                dtype=theano.config.floatX)
prediction = lasagne.layers.get_output(network, noisy)
loss = lasagne.objectives.categorical_crossentropy(prediction, target_var).mean()
params = lasagne.layers.get_all_params(network, trainable=True)
updates = lasagne.updates.nesterov_momentum(loss, params, learning_rate=0.05, momentum=0.9)
train_fn = theano.function([input_var, target_var], loss, updates=updates)

test_prediction = lasagne.layers.get_output(network, deterministic=True)
test_acc = T.mean(T.eq(T.argmax(test_prediction, axis=1), target_var),
                  dtype=theano.config.floatX)
val_fn = theano.function([input_var, target_var], test_acc)

for epoch in range(EPOCHS):
    train_loss = np.mean([train_fn(X_train[train_idx], y_train[train_idx])
                          for train_idx, _ in skf])
    print("epoch %d: training loss %.4f, validation accuracy %.2f"
          % (epoch + 1, train_loss, val_fn(X_valid, y_valid)))
