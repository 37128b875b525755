"""A stand-in for ``nolearn.lasagne``: ``from lasagne_params.nolearn import NeuralNet``.

Importing this module installs the compatibility bridges (see
:func:`lasagne_params.install_compat`), so historical code can replace its
``from nolearn.lasagne import NeuralNet`` line with this one, keep it first,
and then ``import lasagne`` as before.  ``lasagne_params.NeuralNet`` is the
same class without that side effect.
"""
from .backend.compat import install_compat
from .backend.neuralnet import Layers, NeuralNet

install_compat()

__all__ = ["NeuralNet", "Layers"]
