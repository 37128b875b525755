"""The five networks of nolearn's CNN tutorial (docs/notebooks/CNN_tutorial.ipynb).

Layer lists typed from the tutorial's published cells, as a reader
reproducing it would (the tutorial reads its input shape from the data:
MNIST's 1x28x28).  nolearn printed "# Neural Network with N learnable
parameters" for them: 753,610; 122,154; 273,930; 166,314; 353,738.
"""
from lasagne.layers import Conv2DLayer, DenseLayer, DropoutLayer, InputLayer, MaxPool2DLayer
from lasagne.nonlinearities import softmax
from lasagne.updates import adam
from nolearn.lasagne import NeuralNet, TrainSplit

SHAPE = (None, 1, 28, 28)


def conv(n, size, **more):
    return (Conv2DLayer, dict({'num_filters': n, 'filter_size': size}, **more))


def head():
    return [(DenseLayer, {'num_units': 64}), (DropoutLayer, {}),
            (DenseLayer, {'num_units': 64}),
            (DenseLayer, {'num_units': 10, 'nonlinearity': softmax})]


layers0 = ([(InputLayer, {'shape': SHAPE}), conv(96, 5)] + [conv(96, 3)] * 4
           + [(MaxPool2DLayer, {'pool_size': 2})] + [conv(128, 3)] * 3
           + [(MaxPool2DLayer, {'pool_size': 2})] + head())

net0 = NeuralNet(layers=layers0, max_epochs=10, update=adam, update_learning_rate=0.0002,
                 objective_l2=0.0025, train_split=TrainSplit(eval_size=0.25), verbose=1)

layers1 = ([(InputLayer, {'shape': SHAPE}), conv(32, (3, 3)),
            (MaxPool2DLayer, {'pool_size': (2, 2)}), conv(64, (3, 3)), conv(64, (3, 3)),
            (MaxPool2DLayer, {'pool_size': (2, 2)}), conv(96, (3, 3)),
            (MaxPool2DLayer, {'pool_size': (2, 2)})] + head())
net1 = NeuralNet(layers=layers1, update_learning_rate=0.01, verbose=2)

layers2 = ([(InputLayer, {'shape': SHAPE})] + [conv(32, (3, 3))] * 5
           + [conv(64, (3, 3))] * 5 + [(MaxPool2DLayer, {'pool_size': (2, 2)})] + head())
net2 = NeuralNet(layers=layers2, update_learning_rate=0.01, verbose=2)

pool = (MaxPool2DLayer, {'pool_size': (2, 2)})
layers3 = ([(InputLayer, {'shape': SHAPE})] + [conv(32, (3, 3), pad=1)] * 2 + [pool]
           + [conv(32, (3, 3), pad=1)] * 2 + [pool] + [conv(64, (3, 3), pad=1)] * 2 + [pool]
           + [conv(64, (3, 3), pad=1)] * 2 + [pool] + head())
net3 = NeuralNet(layers=layers3, update_learning_rate=0.01, verbose=2)

layers4 = ([(InputLayer, {'shape': SHAPE})] + [conv(32, (3, 3), pad=1)] * 7 + [pool]
           + [conv(64, (3, 3), pad=1)] * 3 + [pool] + head())
net4 = NeuralNet(layers=layers4, update_learning_rate=0.01, verbose=2)
