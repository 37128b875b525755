"""The GPU-only layer classes (cuDNN, cuda-convnet, corrmm) of Lasagne 0.1 and master.

Same arithmetic as the CPU layers, with their own conventions: in 0.1
``pad='same'`` pads ``(f-1)//2`` on both sides (one short of "same" for an
even filter; master refuses even filters, as its CPU layers do),
cuda-convnet works in c01b order (channels, rows, columns, batch) unless
``dimshuffle=True`` (the default) and only takes square windows.  Lasagne
cannot build these classes without a CUDA GPU, so their rules are tested on
hand-computed values (and on CPU stand-ins with the same signatures).
"""
from .. import versions
from .base import Cost, CostContext, LayerContext, LayerKind, Result, signature
from .basic import free_cost
from .conv import CONV_HYPER_PARAMS, conv_cost, convolution, nin_layout
from .explain import max_pooling
from .normalization import (BATCH_NORM_KEYWORDS, batch_norm_dnn, explain_batch_norm,
                            normalization_cost)
from .pool import pool_cost, pooling, spatial_pyramid, spatial_pyramid_cost

__all__ = ["KINDS", "conv2d_mm", "conv2d_dnn", "conv2d_cc", "max_pool2d_cc", "pool2d_dnn",
           "max_pool2d_dnn", "nin_c01b", "bc01_to_c01b", "c01b_to_bc01"]


def conv2d_mm(context: LayerContext) -> Result:
    """Conv2DMMLayer (corrmm): Conv2DLayer's arithmetic, symmetric ``'same'``."""
    return convolution(context, 2, same_symmetric=True)


def conv2d_dnn(context: LayerContext) -> Result:
    """Conv2DDNNLayer (cuDNN): Conv2DLayer's arithmetic, symmetric ``'same'``."""
    return convolution(context, 2, same_symmetric=True)


def _square(context, name, default=None):
    value = context.get(name, default)
    if isinstance(value, (list, tuple)) and len(set(value)) > 1:
        raise context.error("cuda-convnet only supports square windows, got %r" % (value,), name)


def conv2d_cc(context: LayerContext) -> Result:
    """Conv2DCCLayer (cuda-convnet): square filters, strides and padding;
    ``num_filters`` a multiple of 16; 1, 2, 3 or a multiple of 4 input channels."""
    for name in ("filter_size", "stride", "pad"):
        _square(context, name)
    num_filters = context.positive_int("num_filters")
    if num_filters % 16:
        raise context.error("must be a multiple of 16 for cuda-convnet, got %d" % num_filters,
                            "num_filters")
    c01b = not context.flag("dimshuffle", True)
    result = convolution(context, 2, c01b=c01b, same_symmetric=True)
    channels = context.input_shape[0 if c01b else 1]
    if not (channels < 4 or channels % 4 == 0):
        raise context.error("cuda-convnet needs 1, 2, 3 or a multiple of 4 input channels, "
                            "got %d" % channels, "incoming")
    return result


def max_pool2d_cc(context: LayerContext) -> Result:
    """MaxPool2DCCLayer: square windows, stride <= pool_size, partial windows kept."""
    for name in ("pool_size", "stride"):
        _square(context, name)
    if context.get("pad", 0) not in (0, (0, 0), [0, 0]):
        raise context.error("cuda-convnet pooling does not pad, got %r" % (context.get("pad"),),
                            "pad")
    size = context.int_tuple("pool_size", 2)
    if context.get("stride") is not None and context.int_tuple("stride", 2)[0] > size[0]:
        raise context.error("must not exceed pool_size for cuda-convnet, got %r"
                            % (context.get("stride"),), "stride")
    return pooling(context, 2, mode="max", c01b=not context.flag("dimshuffle", True),
                   ignore_border=False)


def pool2d_dnn(context: LayerContext) -> Result:
    """Pool2DDNNLayer (cuDNN): Pool2DLayer's arithmetic, whole windows only."""
    return pooling(context, 2, ignore_border=True, theano_pad_limit=False)


def max_pool2d_dnn(context: LayerContext) -> Result:
    """MaxPool2DDNNLayer: Pool2DDNNLayer with ``mode='max'``."""
    return pooling(context, 2, mode="max", ignore_border=True, theano_pad_limit=False)


def conv3d_dnn(context: LayerContext) -> Result:
    """Conv3DDNNLayer (master, cuDNN): Conv3DLayer's arithmetic."""
    return convolution(context, 3)


def pool3d_dnn(context: LayerContext) -> Result:
    """Pool3DDNNLayer (master, cuDNN): Pool3DLayer's arithmetic, whole windows only."""
    return pooling(context, 3, ignore_border=True, theano_pad_limit=False)


def max_pool3d_dnn(context: LayerContext) -> Result:
    """MaxPool3DDNNLayer (master): Pool3DDNNLayer with ``mode='max'``."""
    return pooling(context, 3, mode="max", ignore_border=True, theano_pad_limit=False)


def spatial_pyramid_dnn(context: LayerContext) -> Result:
    """SpatialPyramidPoolingDNNLayer (master): the CPU layer's ``'fast'`` pyramid."""
    return spatial_pyramid(context, implementation="fast")


def nin_c01b(context: LayerContext) -> Result:
    """NINLayer_c01b: ``(c+1)*u``; input (c, rows, columns, batch), W u x c."""
    return nin_layout(context, c01b=True)


def _shuffle(context, order):
    context.require_ndim(4, "(4 axes)")
    return Result(tuple(context.input_shape[i] for i in order))


def bc01_to_c01b(context: LayerContext) -> Result:
    """ShuffleBC01ToC01BLayer: (batch, c, rows, cols) -> (c, rows, cols, batch)."""
    return _shuffle(context, (1, 2, 3, 0))


def c01b_to_bc01(context: LayerContext) -> Result:
    """ShuffleC01BToBC01Layer: (c, rows, cols, batch) -> (batch, c, rows, cols)."""
    return _shuffle(context, (3, 0, 1, 2))


def _c01b_cost(context, macs_per_element):
    """Cost of a layer with the batch last: its receptive field is not followed (n/a)."""
    dims = context.output_shape[:-1]
    ops = (context.per_element("mac", macs_per_element, dims),) + context.bias(dims) \
        + context.activation(dims)
    return Cost(ops, None)


def gpu_conv_cost(context: CostContext) -> Cost:
    """Conv2DMMLayer, Conv2DDNNLayer: as Conv2DLayer, with the GPU layers' ``'same'``
    (``(f-1)//2`` on both sides) for the receptive field."""
    if context.get("pad") == "same":
        same = tuple((f - 1) // 2 for f in context.int_tuple("filter_size", 2))
        return conv_cost(context, pad=same)
    return conv_cost(context)


def conv2d_cc_cost(context: CostContext) -> Cost:
    """Conv2DCCLayer: as the other GPU convolutions; in c01b order (``dimshuffle=False``)
    W is (c, rows, columns, k) and the receptive field is n/a."""
    if context.get("dimshuffle", True):
        return gpu_conv_cost(context)
    weights = context.param("W").shape
    return _c01b_cost(context, tuple(weights[1:3]) + (weights[0],))


def max_pool2d_cc_cost(context: CostContext) -> Cost:
    """MaxPool2DCCLayer: as MaxPool2DLayer; in c01b order the receptive field is n/a."""
    if context.get("dimshuffle", True):
        return pool_cost(context)
    dims = context.output_shape[:-1]
    return Cost((context.per_element("pool", context.int_tuple("pool_size", 2), dims),), None)


def nin_c01b_cost(context: CostContext) -> Cost:
    """NINLayer_c01b: c MACs per output element (batch last); receptive field n/a."""
    return _c01b_cost(context, (context.param("W").shape[1],))


_GPU_CONV_KEYWORDS = ("incoming num_filters filter_size | stride pad untie_biases W b "
                      "nonlinearity flip_filters num_groups@master name")
_MASTER = versions.MASTER
_DNN_POOL = "incoming pool_size | stride pad ignore_border mode name"

#: The GPU-only classes, by module, each module's in the order its ``__all__`` lists them
#: (the CPU stand-ins export them in this order; ``registry.GPU_MODULES`` groups them).
KINDS = (
    LayerKind("Pool2DDNNLayer", pool2d_dnn, pool_cost, "pool", signature(_DNN_POOL),
              hyper_params=("pool_size", "stride", "pad", "mode"), gpu_only=True,
              module="lasagne.layers.dnn"),
    LayerKind("MaxPool2DDNNLayer", max_pool2d_dnn, pool_cost, "pool",
              signature("incoming pool_size | stride pad ignore_border name"),
              hyper_params=("pool_size", "stride", "pad"), gpu_only=True,
              module="lasagne.layers.dnn", explain=max_pooling),
    LayerKind("Pool3DDNNLayer", pool3d_dnn, pool_cost, "pool", signature(_DNN_POOL),
              hyper_params=("pool_size", "stride", "pad", "mode"), gpu_only=True,
              module="lasagne.layers.dnn", since=_MASTER),
    LayerKind("MaxPool3DDNNLayer", max_pool3d_dnn, pool_cost, "pool",
              signature("incoming pool_size | stride pad ignore_border name"),
              hyper_params=("pool_size", "stride", "pad"), gpu_only=True,
              module="lasagne.layers.dnn", since=_MASTER, explain=max_pooling),
    LayerKind("Conv2DDNNLayer", conv2d_dnn, gpu_conv_cost, "conv",
              signature(_GPU_CONV_KEYWORDS), hyper_params=CONV_HYPER_PARAMS,
              arrays=("W", "b"), gpu_only=True, module="lasagne.layers.dnn"),
    LayerKind("Conv3DDNNLayer", conv3d_dnn, conv_cost, "conv",
              signature(_GPU_CONV_KEYWORDS.replace("@master", "")),
              hyper_params=CONV_HYPER_PARAMS, arrays=("W", "b"), gpu_only=True,
              module="lasagne.layers.dnn", since=_MASTER),
    LayerKind("SpatialPyramidPoolingDNNLayer", spatial_pyramid_dnn, spatial_pyramid_cost,
              "pool", signature("incoming | pool_dims mode name"),
              hyper_params=("pool_dims", "mode"), gpu_only=True, module="lasagne.layers.dnn",
              since=_MASTER),
    LayerKind("BatchNormDNNLayer", batch_norm_dnn, normalization_cost, "normalization",
              BATCH_NORM_KEYWORDS, hyper_params=("axes", "epsilon", "alpha"),
              arrays=("beta", "gamma", "mean", "inv_std"), since=_MASTER,
              gpu_only=True, module="lasagne.layers.dnn", explain=explain_batch_norm),
    LayerKind("Conv2DMMLayer", conv2d_mm, gpu_conv_cost, "conv",
              signature(_GPU_CONV_KEYWORDS), hyper_params=CONV_HYPER_PARAMS,
              arrays=("W", "b"), gpu_only=True, module="lasagne.layers.corrmm"),
    LayerKind("Conv2DCCLayer", conv2d_cc, conv2d_cc_cost, "conv",
              signature("incoming num_filters filter_size | stride pad untie_biases W b "
                        "nonlinearity dimshuffle flip_filters partial_sum num_groups@master "
                        "name"),
              hyper_params=CONV_HYPER_PARAMS + ("dimshuffle",), arrays=("W", "b"),
              gpu_only=True, module="lasagne.layers.cuda_convnet"),
    LayerKind("MaxPool2DCCLayer", max_pool2d_cc, max_pool2d_cc_cost, "pool",
              signature("incoming pool_size | stride ignore_border dimshuffle name"),
              hyper_params=("pool_size", "stride", "dimshuffle"), gpu_only=True,
              module="lasagne.layers.cuda_convnet", explain=max_pooling),
    LayerKind("ShuffleBC01ToC01BLayer", bc01_to_c01b, free_cost, "shape",
              signature("incoming | name"), gpu_only=True,
              module="lasagne.layers.cuda_convnet", aliases=("bc01_to_c01b",)),
    LayerKind("ShuffleC01BToBC01Layer", c01b_to_bc01, free_cost, "shape",
              signature("incoming | name"), gpu_only=True,
              module="lasagne.layers.cuda_convnet", aliases=("c01b_to_bc01",)),
    LayerKind("NINLayer_c01b", nin_c01b, nin_c01b_cost, "conv",
              signature("incoming num_units | untie_biases W b nonlinearity name"),
              hyper_params=("num_units", "untie_biases", "nonlinearity"), arrays=("W", "b"),
              gpu_only=True, module="lasagne.layers.cuda_convnet"),
)
