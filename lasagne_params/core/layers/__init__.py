"""One function per layer kind: hyper-parameters and input shape in, figures out.

Each rule takes a :class:`Ctx` (the layer's spec and its input shapes) and
returns a :class:`Result`: the output shape, the parameter arrays, and the
formula text for both.  Rules are pure Python (no Theano, no Lasagne, no
numpy) and follow Lasagne 0.1's semantics and defaults; which rule serves
which Lasagne class is decided in ``registry.py``.  They live in one module
per family (``basic``, ``conv``, ``pool``, ``dense``, ``shape``, ``merge``,
``recurrent``, ``gpu``) and are all importable from here
(``from lasagne_params import rules; rules.dense``).

Invalid hyper-parameters raise :class:`LayerRuleError` naming the layer, the
field and, for impossible shapes, the formula that went out of range.
"""
from .base import (Ctx, Result, axis_text, dims_text, product_text, shape_text, thousands,
                   with_size)
from .basic import dropout, identity, input_layer, local_response_norm
from .conv import conv1d, conv2d, convolution, nin, nin_layout
from .dense import dense, embedding
from .gpu import (bc01_to_c01b, c01b_to_bc01, conv2d_cc, conv2d_dnn, conv2d_mm,
                  max_pool2d_cc, max_pool2d_dnn, nin_c01b, pool2d_dnn)
from .merge import concat, elemwise_merge, elemwise_sum
from .pool import (feature_pool, feature_wta, global_pool, max_pool1d, max_pool2d, pool2d,
                   pooling)
from .recurrent import custom_recurrent, gru, lstm, recurrent
from .shape import dimshuffle, flatten, pad, reshape, slice_layer

__all__ = [
    "Ctx", "Result", "shape_text", "thousands", "axis_text", "with_size", "product_text",
    "dims_text",
    "identity", "input_layer", "dropout", "local_response_norm",
    "convolution", "conv1d", "conv2d", "nin", "nin_layout",
    "dense", "embedding",
    "pooling", "max_pool1d", "pool2d", "max_pool2d", "feature_pool", "feature_wta",
    "global_pool",
    "flatten", "reshape", "dimshuffle", "pad", "slice_layer",
    "concat", "elemwise_merge", "elemwise_sum",
    "custom_recurrent", "recurrent", "lstm", "gru",
    "conv2d_mm", "conv2d_dnn", "conv2d_cc", "max_pool2d_cc", "pool2d_dnn", "max_pool2d_dnn",
    "nin_c01b", "bc01_to_c01b", "c01b_to_bc01",
]
