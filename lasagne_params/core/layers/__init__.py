"""One declaration per Lasagne layer class, grouped by family.

Each module declares the kinds of one family in its ``KINDS`` tuple: a
:class:`~lasagne_params.core.layers.base.LayerKind` holding the shape rule,
the cost rule, the constructor's keywords, where a built layer keeps its
hyper-parameters and arrays, and how it is explained.  Rules are pure
Python (no Theano, no Lasagne, no numpy) and follow Lasagne's semantics and
defaults.  ``core/registry.py`` gathers :data:`BUILTIN_KINDS` with the kinds
users register.
"""
from . import (basic, conv, dense, gpu, merge, normalization, pool, recurrent, shape, special,
               transposed)

__all__ = ["BUILTIN_KINDS"]

#: Every declared kind, by family module.
BUILTIN_KINDS = (basic.KINDS + dense.KINDS + conv.KINDS + transposed.KINDS + pool.KINDS
                 + shape.KINDS + merge.KINDS + normalization.KINDS + special.KINDS
                 + recurrent.KINDS + gpu.KINDS)
