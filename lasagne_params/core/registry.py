"""The one table mapping Lasagne layer class names to derivation rules.

``RULES[kind]`` is the rule for the Lasagne class called ``kind``;
``rule_for(kind)`` looks it up and raises :class:`UnsupportedLayerError`,
with the closest known names, for anything else.  A layer type is supported
exactly when it is in this table: there is no silent identity fallback.
``GPU_ONLY`` lists the classes Lasagne 0.1 only defines on a CUDA GPU.
"""
from . import layers as rules
from .errors import lookup_kind

__all__ = ["RULES", "GPU_ONLY", "rule_for", "supported_kinds"]

RULES = {
    # lasagne.layers.input, noise, dense, normalization, embedding
    "InputLayer": rules.input_layer,
    "DropoutLayer": rules.dropout,
    "GaussianNoiseLayer": rules.identity,
    "NonlinearityLayer": rules.identity,
    "DenseLayer": rules.dense,
    "NINLayer": rules.nin,
    "LocalResponseNormalization2DLayer": rules.local_response_norm,
    "EmbeddingLayer": rules.embedding,
    # lasagne.layers.conv, pool
    "Conv1DLayer": rules.conv1d,
    "Conv2DLayer": rules.conv2d,
    "MaxPool1DLayer": rules.max_pool1d,
    "Pool2DLayer": rules.pool2d,
    "MaxPool2DLayer": rules.max_pool2d,
    "FeaturePoolLayer": rules.feature_pool,
    "FeatureWTALayer": rules.feature_wta,
    "GlobalPoolLayer": rules.global_pool,
    # lasagne.layers.shape, merge
    "FlattenLayer": rules.flatten,
    "ReshapeLayer": rules.reshape,
    "DimshuffleLayer": rules.dimshuffle,
    "PadLayer": rules.pad,
    "SliceLayer": rules.slice_layer,
    "ConcatLayer": rules.concat,
    "ElemwiseSumLayer": rules.elemwise_sum,
    "ElemwiseMergeLayer": rules.elemwise_merge,
    # lasagne.layers.recurrent
    "CustomRecurrentLayer": rules.custom_recurrent,
    "RecurrentLayer": rules.recurrent,
    "LSTMLayer": rules.lstm,
    "GRULayer": rules.gru,
    # GPU only: lasagne.layers.corrmm, dnn, cuda_convnet
    "Conv2DMMLayer": rules.conv2d_mm,
    "Conv2DDNNLayer": rules.conv2d_dnn,
    "Pool2DDNNLayer": rules.pool2d_dnn,
    "MaxPool2DDNNLayer": rules.max_pool2d_dnn,
    "Conv2DCCLayer": rules.conv2d_cc,
    "MaxPool2DCCLayer": rules.max_pool2d_cc,
    "NINLayer_c01b": rules.nin_c01b,
    "ShuffleBC01ToC01BLayer": rules.bc01_to_c01b,
    "ShuffleC01BToBC01Layer": rules.c01b_to_bc01,
}

GPU_ONLY = frozenset({"Conv2DMMLayer", "Conv2DDNNLayer", "Pool2DDNNLayer", "MaxPool2DDNNLayer",
                      "Conv2DCCLayer", "MaxPool2DCCLayer", "NINLayer_c01b",
                      "ShuffleBC01ToC01BLayer", "ShuffleC01BToBC01Layer"})


def supported_kinds():
    """The Lasagne class names that have a rule, sorted."""
    return sorted(RULES)


def rule_for(kind, layer=None):
    """The rule for Lasagne class ``kind``; UnsupportedLayerError if none."""
    return lookup_kind(RULES, kind, layer,
                       note=" (supported: lasagne_params.supported_kinds())")
