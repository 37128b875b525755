"""The one table mapping Lasagne layer class names to derivation rules.

``RULES[kind]`` is the rule for the Lasagne class called ``kind``;
``rule_for(kind)`` looks it up and raises :class:`UnsupportedLayerError`,
with the closest known names, for anything else.  A layer type is supported
exactly when it is in this table: there is no silent identity fallback.
"""
from . import rules
from .errors import lookup_kind

__all__ = ["RULES", "rule_for", "supported_kinds"]

RULES = {
    "InputLayer": rules.input_layer,
    "Conv2DLayer": rules.conv2d,
    "Pool2DLayer": rules.pool2d,
    "MaxPool2DLayer": rules.max_pool2d,
    "DenseLayer": rules.dense,
    "DropoutLayer": rules.dropout,
    "GaussianNoiseLayer": rules.identity,
    "NonlinearityLayer": rules.identity,
    "FlattenLayer": rules.flatten,
    "ReshapeLayer": rules.reshape,
}


def supported_kinds():
    """The Lasagne class names that have a rule, sorted."""
    return sorted(RULES)


def rule_for(kind, layer=None):
    """The rule for Lasagne class ``kind``; UnsupportedLayerError if none."""
    return lookup_kind(RULES, kind, layer,
                       note=" (supported: lasagne_params.supported_kinds())")
