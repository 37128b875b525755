"""nolearn 0.6's ``nolearn.lasagne`` without nolearn: NeuralNet, the handlers, visualize.

``neuralnet`` holds NeuralNet, BatchIterator, TrainSplit and objective;
``handlers`` the training callbacks; ``visualize`` the plots; ``modules``
serves them as ``nolearn``, ``nolearn.lasagne`` and its submodules when no
real nolearn is installed.  May import everything else on the Theano side,
the core, the descriptions and the renderers.
"""
