"""The CPU stand-in classes for Lasagne's GPU-only modules (served by gpu_standins.py).

Each class has its GPU original's public name, constructor signature,
defaults, attributes, parameter arrays (shapes, tags, order) and output
shape, and computes the same function on the CPU, mostly through the CPU
layer it extends:

=================================  ===========================================
GPU class                          CPU stand-in
=================================  ===========================================
``dnn.Conv2DDNNLayer``,            ``Conv2DLayer`` with ``flip_filters=False``
``corrmm.Conv2DMMLayer``           (cross-correlation, as cuDNN and GpuCorrMM
                                   compute by default)
``dnn.Conv3DDNNLayer`` (master)    ``Conv3DLayer``, ``flip_filters=False``
``dnn.Pool2DDNNLayer``,            ``Pool2DLayer`` / ``Pool3DLayer``, whole
``MaxPool2DDNNLayer``, ``Pool3D``  windows only (``ignore_border=False``
``/MaxPool3DDNNLayer`` (master)    raises ``NotImplementedError`` as cuDNN's)
``dnn.SpatialPyramidPooling``      ``SpatialPyramidPoolingLayer`` with
``DNNLayer`` (master)              ``implementation='fast'``
``dnn.BatchNormDNNLayer``,         ``BatchNormLayer`` (axes ``(0,)`` or all
``batch_norm_dnn`` (master)        but the second, as cuDNN's); the helper
                                   wraps a layer as ``batch_norm`` does
``cuda_convnet.Conv2DCCLayer``     ``Conv2DLayer`` with ``flip_filters=False``
                                   and cuda-convnet's restrictions (square
                                   windows, filters a multiple of 16, 1-3 or a
                                   multiple of 4 channels); with
                                   ``dimshuffle=False`` it works in c01b
                                   order (W is ``(c, rows, cols, filters)``)
``cuda_convnet.MaxPool2DCCLayer``  Theano's CPU max pooling keeping partial
                                   windows; bc01 or c01b
``cuda_convnet.Shuffle*Layer``,    the axis reorders and the c01b NIN layer,
``NINLayer_c01b``                  in plain Theano (their originals use no
                                   GPU op either)
=================================  ===========================================

Which Lasagne is installed decides the conventions, read from the CPU
convolution: where ``lasagne.layers.conv`` has ``BaseConvLayer`` (master),
the GPU convolutions are its subclasses (``num_groups``, ``pad='same'`` kept,
an even filter with ``'same'`` refused); before it (0.1) they converted
``'same'`` to ``(f-1)//2`` on both sides (one short of "same" for an even
filter) and had no ``num_groups``, and the modules had the empty bases
``DNNLayer``, ``MMLayer``, ``CCLayer``.  Master's ``dnn`` exports the 3D,
pyramid and batch-normalization classes only where the CPU class they
mirror exists.

Which classes each module exports is read from the GPU kinds' declarations
(``core/layers/gpu.py``, gathered as ``registry.GPU_MODULES``, in the order of
the real module's ``__all__``): a GPU class is declared once.  Only what is
no layer class (0.1's empty bases, master's ``batch_norm_dnn``) is listed here.

Every class carries ``cpu_standin_for`` (``"lasagne.layers.dnn.Conv2DDNNLayer"``)
so reports can say so.  Not the same: speed, and the attributes holding
GPU ops (``corr_mm_op``, ``filter_acts_op``, ``pool_op``) are absent; the
stand-ins hold what their CPU bases hold (``convolution``, ``ignore_border``).
Where Theano's CPU op is stricter than the GPU one (pooling with
``pad >= pool_size``; the gradient of ``'average_exc_pad'`` pooling with
padding) the stand-in fails where the GPU would not.

Only gpu_standins.py imports this module, after Lasagne is imported.
"""
import functools

import lasagne
import theano.tensor as T
from lasagne import init, nonlinearities
from lasagne.layers import Conv2DLayer, Layer, Pool2DLayer
from lasagne.layers.pool import pool_output_length
from lasagne.utils import as_tuple

from ...core.registry import GPU_MODULES

__all__ = ["MODULES", "EXPORTS", "MASTER_CONVENTIONS"]

#: True where the installed Lasagne's convolutions share master's BaseConvLayer.
MASTER_CONVENTIONS = hasattr(lasagne.layers.conv, "BaseConvLayer")
_layers = lasagne.layers


def _pad_01(pad, filter_size):
    """0.1's GPU convolutions: ``'same'`` pads ``(f-1)//2`` on both sides; else as given."""
    if pad != "same":
        return pad
    return tuple((f - 1) // 2 for f in as_tuple(filter_size, 2))


# --------------------------------------------------------------- convolutions

if MASTER_CONVENTIONS:
    class _Conv2D(Conv2DLayer):
        """A 2D GPU convolution: Conv2DLayer, cross-correlating by default."""

        def __init__(self, incoming, num_filters, filter_size, stride=(1, 1), pad=0,
                     untie_biases=False, W=init.GlorotUniform(), b=init.Constant(0.),
                     nonlinearity=nonlinearities.rectify, flip_filters=False, num_groups=1,
                     **kwargs):
            super().__init__(incoming, num_filters, filter_size, stride, pad, untie_biases,
                             W, b, nonlinearity, flip_filters, num_groups=num_groups,
                             **kwargs)
else:
    class DNNLayer(Layer):
        """Lasagne 0.1's empty base of the cuDNN layers."""

    class MMLayer(Layer):
        """Lasagne 0.1's empty base of the GpuCorrMM layers."""

    class CCLayer(Layer):
        """Lasagne 0.1's empty base of the cuda-convnet layers."""

    class _Conv2D(Conv2DLayer):
        """A 2D GPU convolution of Lasagne 0.1: Conv2DLayer convolving without flipping
        (unless ``flip_filters``), ``'same'`` as ``(f-1)//2`` on both sides."""

        def __init__(self, incoming, num_filters, filter_size, stride=(1, 1), pad=0,
                     untie_biases=False, W=init.GlorotUniform(), b=init.Constant(0.),
                     nonlinearity=nonlinearities.rectify, flip_filters=False, **kwargs):
            self.flip_filters = flip_filters
            super().__init__(incoming, num_filters, filter_size, stride,
                             _pad_01(pad, filter_size), untie_biases, W, b, nonlinearity,
                             functools.partial(T.nnet.conv2d, filter_flip=flip_filters),
                             **kwargs)

#: module -> its 0.1 marker base; none in master
_MARKERS = {} if MASTER_CONVENTIONS else {"dnn": DNNLayer, "corrmm": MMLayer,
                                           "cuda_convnet": CCLayer}


def _bases(module, cpu=Layer):
    """A stand-in's bases: the CPU class it extends, then 0.1's marker base of ``module``."""
    marker = _MARKERS.get(module)
    if marker is None:
        return (cpu,)
    return (marker,) if cpu is Layer else (cpu, marker)


class Conv2DDNNLayer(*_bases("dnn", _Conv2D)):
    """Stand-in for ``lasagne.layers.dnn.Conv2DDNNLayer`` (cuDNN)."""


class Conv2DMMLayer(*_bases("corrmm", _Conv2D)):
    """Stand-in for ``lasagne.layers.corrmm.Conv2DMMLayer`` (GpuCorrMM)."""


if hasattr(_layers, "Conv3DLayer"):
    class Conv3DDNNLayer(_layers.Conv3DLayer):
        """Stand-in for ``lasagne.layers.dnn.Conv3DDNNLayer``: Conv3DLayer, cross-correlating."""

        def __init__(self, incoming, num_filters, filter_size, stride=(1, 1, 1), pad=0,
                     untie_biases=False, W=init.GlorotUniform(), b=init.Constant(0.),
                     nonlinearity=nonlinearities.rectify, flip_filters=False, num_groups=1,
                     **kwargs):
            super().__init__(incoming, num_filters, filter_size, stride, pad, untie_biases,
                             W, b, nonlinearity, flip_filters, num_groups=num_groups,
                             **kwargs)


class Conv2DCCLayer(*_bases("cuda_convnet", _Conv2D)):
    """Stand-in for ``lasagne.layers.cuda_convnet.Conv2DCCLayer``.

    cuda-convnet's restrictions are kept (they raise RuntimeError as the
    original does).  ``dimshuffle=False`` takes and gives c01b tensors
    (channels, rows, columns, batch) and holds W as (c, rows, cols, filters).
    """

    def __init__(self, incoming, num_filters, filter_size, stride=(1, 1), pad=0,
                 untie_biases=False, W=None, b=init.Constant(0.),
                 nonlinearity=nonlinearities.rectify, dimshuffle=True, flip_filters=False,
                 partial_sum=1, **kwargs):
        self.dimshuffle = dimshuffle
        self.partial_sum = partial_sum
        for name, value in (("filter", filter_size), ("stride", stride)):
            value = as_tuple(value, 2)
            if value[0] != value[1]:
                raise RuntimeError("Conv2DCCLayer only supports square %ss, but %s=%r"
                                   % (name, "filter_size" if name == "filter" else name,
                                      value))
        if num_filters % 16:
            raise RuntimeError("Conv2DCCLayer requires num_filters to be a multiple of 16, "
                               "but num_filters is %d" % num_filters)
        if not isinstance(pad, str) and len(set(as_tuple(pad, 2))) > 1:
            raise RuntimeError("Conv2DCCLayer only supports square padding, but pad=%r"
                               % (pad,))
        if W is None:
            W = init.GlorotUniform(c01b=not dimshuffle)
        # the bias is added below, with its c01b shape where that applies
        super().__init__(incoming, num_filters, filter_size, stride, pad, untie_biases, W,
                         None, nonlinearity, flip_filters, **kwargs)
        channels = self.num_input_channels
        if not (channels < 4 or channels % 4 == 0):
            raise RuntimeError("Conv2DCCLayer requires the number of input channels to be "
                               "1, 2, 3 or a multiple of 4, but it is %d" % channels)
        if b is not None:
            spatial = self._spatial(self.output_shape) if untie_biases else ()
            self.b = self.add_param(b, (num_filters,) + spatial, name="b",
                                    regularizable=False)

    def _spatial(self, shape):
        return tuple(shape[1:3] if not self.dimshuffle else shape[2:4])

    @property
    def num_input_channels(self):
        return self.input_shape[1 if self.dimshuffle else 0]

    def get_W_shape(self):
        shape = super().get_W_shape()
        if self.dimshuffle:
            return shape
        return (self.input_shape[0],) + tuple(shape[2:]) + (self.num_filters,)

    def get_output_shape_for(self, input_shape):
        if self.dimshuffle:
            return super().get_output_shape_for(input_shape)
        batch, channels, rows, cols = super().get_output_shape_for(
            (input_shape[3],) + tuple(input_shape[:3]))
        return (channels, rows, cols, batch)

    def get_output_for(self, input, **kwargs):
        if self.dimshuffle:
            return super().get_output_for(input, **kwargs)
        pad = self.pad
        if pad == "same":
            pad = "half"
        conved = T.nnet.conv2d(input.dimshuffle(3, 0, 1, 2), self.W.dimshuffle(3, 0, 1, 2),
                               border_mode=pad, subsample=self.stride,
                               filter_flip=self.flip_filters).dimshuffle(1, 2, 3, 0)
        if self.b is not None:
            conved += self.b.dimshuffle(
                (0, 1, 2, "x") if self.untie_biases else (0, "x", "x", "x"))
        return self.nonlinearity(conved)


# -------------------------------------------------------------------- pooling

class Pool2DDNNLayer(*_bases("dnn", Pool2DLayer)):
    """Stand-in for ``lasagne.layers.dnn.Pool2DDNNLayer``: whole windows only."""

    def __init__(self, incoming, pool_size, stride=None, pad=(0, 0), ignore_border=True,
                 mode="max", **kwargs):
        if not ignore_border:
            raise NotImplementedError("Pool2DDNNLayer does not support ignore_border=False.")
        super().__init__(incoming, pool_size, stride, pad, True, mode, **kwargs)


class MaxPool2DDNNLayer(Pool2DDNNLayer):
    """Stand-in for ``lasagne.layers.dnn.MaxPool2DDNNLayer``."""

    def __init__(self, incoming, pool_size, stride=None, pad=(0, 0), ignore_border=True,
                 **kwargs):
        super().__init__(incoming, pool_size, stride, pad, ignore_border, "max", **kwargs)


if hasattr(_layers, "Pool3DLayer"):
    class Pool3DDNNLayer(_layers.Pool3DLayer):
        """Stand-in for ``lasagne.layers.dnn.Pool3DDNNLayer``: whole windows only."""

        def __init__(self, incoming, pool_size, stride=None, pad=(0, 0, 0),
                     ignore_border=True, mode="max", **kwargs):
            if not ignore_border:
                raise NotImplementedError(
                    "Pool3DDNNLayer does not support ignore_border=False.")
            super().__init__(incoming, pool_size, stride, pad, True, mode, **kwargs)

    class MaxPool3DDNNLayer(Pool3DDNNLayer):
        """Stand-in for ``lasagne.layers.dnn.MaxPool3DDNNLayer``."""

        def __init__(self, incoming, pool_size, stride=None, pad=(0, 0, 0),
                     ignore_border=True, **kwargs):
            super().__init__(incoming, pool_size, stride, pad, ignore_border, "max",
                             **kwargs)


if hasattr(_layers, "SpatialPyramidPoolingLayer"):
    class SpatialPyramidPoolingDNNLayer(_layers.SpatialPyramidPoolingLayer):
        """Stand-in for ``lasagne.layers.dnn.SpatialPyramidPoolingDNNLayer`` ('fast' pooling)."""

        def __init__(self, incoming, pool_dims=[4, 2, 1], mode="max", **kwargs):
            super().__init__(incoming, pool_dims, mode, "fast", **kwargs)


class MaxPool2DCCLayer(*_bases("cuda_convnet")):
    """Stand-in for ``lasagne.layers.cuda_convnet.MaxPool2DCCLayer``.

    Square windows, ``stride <= pool_size``, partial windows at the border
    kept (``ignore_border=True`` and padding refused, as the original does);
    ``dimshuffle=False`` pools c01b tensors.
    """

    def __init__(self, incoming, pool_size, stride=None, ignore_border=False,
                 dimshuffle=True, **kwargs):
        if as_tuple(kwargs.pop("pad", 0), 2) != (0, 0):
            raise NotImplementedError("MaxPool2DCCLayer does not support padding")
        super().__init__(incoming, **kwargs)
        pool_size = as_tuple(pool_size, 2)
        if pool_size[0] != pool_size[1]:
            raise NotImplementedError("MaxPool2DCCLayer only supports square pooling "
                                      "regions, but pool_size=(%d, %d)" % pool_size)
        stride = pool_size if stride is None else as_tuple(stride, 2)
        if stride[0] != stride[1]:
            raise NotImplementedError("MaxPool2DCCLayer only supports using the same stride "
                                      "in both directions but stride=(%d, %d)" % stride)
        if stride[0] > pool_size[0]:
            raise NotImplementedError("MaxPool2DCCLayer only supports stride <= pool_size.")
        if ignore_border:
            raise NotImplementedError("MaxPool2DCCLayer does not support ignore_border=True.")
        self.pool_size, self.stride, self.dimshuffle = pool_size[0], stride[0], dimshuffle

    def get_output_shape_for(self, input_shape):
        axes = (2, 3) if self.dimshuffle else (1, 2)
        shape = list(input_shape)
        for axis in axes:
            shape[axis] = pool_output_length(input_shape[axis], pool_size=self.pool_size,
                                             stride=self.stride, pad=0, ignore_border=False)
        return tuple(shape)

    def get_output_for(self, input, **kwargs):
        from theano.tensor import as_tensor_variable
        from theano.tensor.signal.pool import pool_2d
        input = as_tensor_variable(input)           # the original takes numpy arrays too
        if not self.dimshuffle:
            input = input.dimshuffle(3, 0, 1, 2)
        pooled = pool_2d(input, ws=(self.pool_size,) * 2, stride=(self.stride,) * 2,
                         ignore_border=False, mode="max")
        return pooled if self.dimshuffle else pooled.dimshuffle(1, 2, 3, 0)


# ------------------------------------------------------- normalization (master)

if hasattr(_layers, "BatchNormLayer"):
    class BatchNormDNNLayer(_layers.BatchNormLayer):
        """Stand-in for ``lasagne.layers.dnn.BatchNormDNNLayer``: BatchNormLayer over
        the first axis or all but the second (the two cuDNN modes)."""

        def __init__(self, incoming, axes="auto", epsilon=1e-4, alpha=0.1,
                     beta=init.Constant(0), gamma=init.Constant(1), mean=init.Constant(0),
                     inv_std=init.Constant(1), **kwargs):
            super().__init__(incoming, axes, epsilon, alpha, beta, gamma, mean, inv_std,
                             **kwargs)
            spatial = (0,) + tuple(range(2, len(self.input_shape)))
            if self.axes not in ((0,), spatial):
                raise ValueError("BatchNormDNNLayer only supports normalization across the "
                                 "first axis, or across all but the second axis, got "
                                 "axes=%r" % (axes,))

    def batch_norm_dnn(layer, **kwargs):
        """Stand-in for ``lasagne.layers.dnn.batch_norm_dnn``: normalize ``layer``'s output.

        As ``batch_norm`` does: the layer loses its bias (the normalization's
        beta replaces it) and its nonlinearity, which moves to a
        NonlinearityLayer after the BatchNormDNNLayer; names get ``_bn`` and
        ``_bn_nonlin``.
        """
        nonlinearity = getattr(layer, "nonlinearity", None)
        if nonlinearity is not None:
            layer.nonlinearity = nonlinearities.identity
        if getattr(layer, "b", None) is not None:
            del layer.params[layer.b]
            layer.b = None
        own = getattr(layer, "name", None)         # a layer need not have a name attribute
        name = kwargs.pop("name", None) or (own and own + "_bn")
        normalized = BatchNormDNNLayer(layer, name=name, **kwargs)
        if nonlinearity is None:
            return normalized
        return _layers.NonlinearityLayer(normalized, nonlinearity,
                                         name=name and name + "_nonlin")


# ------------------------------------------------------- c01b helpers (cuda-convnet)

class ShuffleBC01ToC01BLayer(*_bases("cuda_convnet")):
    """Stand-in for ``cuda_convnet.ShuffleBC01ToC01BLayer``: (b, c, 0, 1) -> (c, 0, 1, b)."""

    def get_output_shape_for(self, input_shape):
        return tuple(input_shape[i] for i in (1, 2, 3, 0))

    def get_output_for(self, input, **kwargs):
        return input.dimshuffle(1, 2, 3, 0)


class ShuffleC01BToBC01Layer(*_bases("cuda_convnet")):
    """Stand-in for ``cuda_convnet.ShuffleC01BToBC01Layer``: (c, 0, 1, b) -> (b, c, 0, 1)."""

    def get_output_shape_for(self, input_shape):
        return tuple(input_shape[i] for i in (3, 0, 1, 2))

    def get_output_for(self, input, **kwargs):
        return input.dimshuffle(3, 0, 1, 2)


bc01_to_c01b = ShuffleBC01ToC01BLayer
c01b_to_bc01 = ShuffleC01BToBC01Layer


class NINLayer_c01b(*_bases("cuda_convnet")):
    """Stand-in for ``cuda_convnet.NINLayer_c01b``: a 1x1 convolution in c01b order.

    W is (units, channels); b is (units,) or, untied, (units,) + the spatial axes.
    """

    def __init__(self, incoming, num_units, untie_biases=False, W=init.GlorotUniform(),
                 b=init.Constant(0.), nonlinearity=nonlinearities.rectify, **kwargs):
        super().__init__(incoming, **kwargs)
        self.nonlinearity = nonlinearities.identity if nonlinearity is None else nonlinearity
        self.num_units, self.untie_biases = num_units, untie_biases
        self.W = self.add_param(W, (num_units, self.input_shape[0]), name="W")
        if b is None:
            self.b = None
        else:
            shape = (num_units,) + (tuple(self.output_shape[1:-1]) if untie_biases else ())
            self.b = self.add_param(b, shape, name="b", regularizable=False)

    def get_output_shape_for(self, input_shape):
        return (self.num_units,) + tuple(input_shape[1:])

    def get_output_for(self, input, **kwargs):
        out = T.tensordot(self.W, input, axes=[[1], [0]])
        if self.b is not None:
            rest = input.ndim - 1
            out += self.b.dimshuffle(tuple(range(rest)) + ("x",) if self.untie_biases
                                     else (0,) + ("x",) * rest)
        return self.nonlinearity(out)


#: What a GPU module exports besides its declared layer classes, where present here:
#: (before them: 0.1's exported base class, after them: master's helper function).
_BESIDES = {"lasagne.layers.dnn": ((), ("batch_norm_dnn",)),
            "lasagne.layers.corrmm": (("MMLayer",), ()),
            "lasagne.layers.cuda_convnet": (("CCLayer",), ())}


def _exports(module):
    """``module``'s ``__all__`` as the installed Lasagne has it: of its base class, the
    GPU classes its kinds declare (each followed by its aliases) and its helper, the names
    present here."""
    before, after = _BESIDES[module]
    declared = [name for kind in GPU_MODULES[module] for name in (kind.name,) + kind.aliases]
    return [name for name in before + tuple(declared) + after if name in globals()]


#: GPU module -> its ``__all__`` as the installed Lasagne has it (the names present here).
EXPORTS = {module: _exports(module) for module in GPU_MODULES}
#: GPU module -> every public name of its stand-in (``__all__`` and 0.1's ``DNNLayer``).
MODULES = {}
for _module, _names in EXPORTS.items():
    _marker = _MARKERS.get(_module.rpartition(".")[2])
    MODULES[_module] = _names + ([_marker.__name__] if _marker and _marker.__name__ not in _names
                                 else [])

for _module, _names in MODULES.items():
    for _name in _names:
        _obj = globals()[_name]
        if _obj.__name__ == _name:                  # not an alias (bc01_to_c01b)
            _obj.__module__ = _module
            _obj.cpu_standin_for = "%s.%s" % (_module, _name)
del _module, _names, _name, _obj, _marker
