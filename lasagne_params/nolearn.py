"""A stand-in for ``nolearn.lasagne``: ``from lasagne_params.nolearn import NeuralNet``.

Importing this module installs the compatibility bridges (see
:func:`lasagne_params.install_compat`), which also serve ``nolearn`` and
``nolearn.lasagne`` themselves when no real nolearn is installed: historical
code can keep its ``from nolearn.lasagne import ...`` lines after
``import lasagne_params; lasagne_params.install_compat()``, or run unchanged
with ``lasagne-params run script.py``.  This module holds the same names
(nolearn 0.6's ``nolearn.lasagne``); ``lasagne_params.NeuralNet`` is the same
class without the side effect.
"""
from .backend.bridges.compat import install_compat
from .backend.nolearn.handlers import (PrintLayerInfo, PrintLog, RememberBestWeights,
                                       RestoreBestWeights, SaveWeights, WeightLog)
from .backend.nolearn.neuralnet import (BatchIterator, Layers, NeuralNet, TrainSplit,
                                        grad_scale, objective)

install_compat()

__all__ = ["NeuralNet", "Layers", "BatchIterator", "TrainSplit", "objective", "grad_scale",
           "PrintLayerInfo", "PrintLog", "SaveWeights", "RememberBestWeights",
           "RestoreBestWeights", "WeightLog"]
