"""Builders in the shapes historical Lasagne code used (written for lasagne-params' tests).

``build_model()`` returns a dict of layers as every Lasagne Recipes modelzoo
file does (``net['prob']`` its output); ``build_pair()`` returns an
``(input_layer, output_layer)`` pair; ``build_two_heads()`` a dict with two
outputs; ``build_mlp(input_var, depth)`` needs arguments; ``l_in``/``l_out``
are module-level layers.
"""
from lasagne.layers import (ConcatLayer, Conv2DLayer, DenseLayer, InputLayer,
                            MaxPool2DLayer, NonlinearityLayer)
from lasagne.nonlinearities import softmax


def build_model():
    net = {}
    net['input'] = InputLayer((None, 3, 32, 32))
    net['conv1'] = Conv2DLayer(net['input'], 16, 3, pad=1)
    net['pool1'] = MaxPool2DLayer(net['conv1'], 2)
    net['fc2'] = DenseLayer(net['pool1'], 64)
    net['fc3'] = DenseLayer(net['fc2'], 10, nonlinearity=None)
    net['prob'] = NonlinearityLayer(net['fc3'], softmax)
    return net


def build_pair():
    l_in = InputLayer((None, 20))
    l_hid = DenseLayer(l_in, 30)
    return l_in, DenseLayer(l_hid, 5, name='pair_out')


def build_two_heads():
    net = {'input': InputLayer((None, 8))}
    net['shared'] = DenseLayer(net['input'], 6)
    net['left'] = DenseLayer(net['shared'], 2)
    net['right'] = DenseLayer(ConcatLayer([net['shared'], net['input']]), 3)
    return net


def build_mlp(input_var, depth=2):
    l_out = InputLayer((None, 4), input_var=input_var)
    for _ in range(depth):
        l_out = DenseLayer(l_out, 4)
    return l_out


l_in = InputLayer((None, 10))
l_hidden = DenseLayer(l_in, 7)
l_out = DenseLayer(l_hidden, 3, name='module_out')
