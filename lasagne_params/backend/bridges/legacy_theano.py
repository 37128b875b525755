"""The contents of the old Theano modules that ``legacy_modules`` serves where they are gone.

Theano's old GPU backend (``theano.sandbox.cuda``, removed in Theano 1.0) is
served as a backend that **says there is no GPU**: ``cuda_available`` and
``cuda_enabled`` are False, ``dnn.dnn_available()`` returns False with the
``msg`` Theano gave (``"CUDA not available"``), ``use('gpu0')`` warns once
and does nothing.  What computes is computed on the CPU: ``gpu_contiguous``,
``gpu_from_host``, ``host_from_gpu`` and ``as_cuda_ndarray_variable`` return
their (CPU) input, ``gpu_alloc_empty`` allocates on the CPU, ``dnn_conv`` /
``dnn_conv3d`` are Theano's CPU convolutions with cuDNN's ``conv_mode``
(``'conv'`` flips the filters, ``'cross'`` does not), ``dnn_pool`` is
Theano's CPU pooling over whole windows, as cuDNN's.  The GPU-only classes
(``GpuDnnConvDesc``, ``CudaNdarrayType``, ``GpuCorrMM``...) are real classes,
so ``isinstance(x, CudaNdarraySharedVariable)`` is simply False, but making
one raises a one-line RuntimeError saying there is no GPU.

``theano.tensor.shared_randomstreams.RandomStreams`` is Theano-PyMC's
``RandomStream`` with the old methods (``uniform(size, low, high)``,
``normal(size, avg, std)``, ``binomial(size, n, p)``...): the same seeding,
so the same numbers as the old class.

Only ``legacy_modules`` imports this module, when it serves one of these.
"""
import warnings

import theano
import theano.tensor as T
from theano.tensor.random import basic as random_basic
from theano.tensor.random.utils import RandomStream

__all__ = ["GpuOnly", "GpuOnlyOp", "RandomStreams", "dnn_conv", "dnn_conv3d", "dnn_pool", "dnn_available"]

NO_GPU = "CUDA not available"          # what Theano's dnn_available.msg said without CUDA


class GpuOnly:
    """A class of Theano's old GPU backend: it exists (for imports and ``isinstance``),
    but making one raises, since there is no GPU."""

    legacy_module = "theano.sandbox.cuda"

    def __new__(cls, *args, **kwargs):
        raise _no_gpu(cls.legacy_module, cls.__name__)


class GpuOnlyOp(GpuOnly):
    """An op class of Theano's old GPU backend: it can be made (a layer's constructor makes
    its op, VoxNet's ``GpuCorr3dMM(subsample=..., pad=...)``: the layer builds, and its
    parameters count), but applying it to a variable raises, since there is no GPU."""

    def __new__(cls, *args, **kwargs):
        return object.__new__(cls)

    def __init__(self, *args, **kwargs):
        self.args, self.kwargs = args, kwargs

    def __call__(self, *args, **kwargs):
        raise _no_gpu(self.legacy_module, type(self).__name__)

    make_node = __call__


def _no_gpu(module, name):
    return RuntimeError("%s.%s needs a CUDA GPU and Theano's old GPU backend; neither is here "
                        "(lasagne_params serves %s without a GPU: cuda_available is False)"
                        % (module, name, module))


# ------------------------------------------------------------------ theano.sandbox.cuda

_warned = []


def use(device, force=False, default_to_move_computation_to_gpu=True,
        move_shared_float32_to_gpu=True, enable_cuda=True, test_driver=True):
    """Theano's ``theano.sandbox.cuda.use``: here there is no GPU, so it only says so (once)."""
    if not _warned:
        _warned.append(device)
        warnings.warn("theano.sandbox.cuda.use(%r): no CUDA GPU here; Theano computes on the "
                      "CPU (lasagne_params)" % (device,), RuntimeWarning, stacklevel=2)


def unuse():
    """Theano's ``theano.sandbox.cuda.unuse``: nothing to undo without a GPU."""


def cpu_identity(x):
    """A GPU transfer or layout op on the CPU: its input, as a Theano variable."""
    return T.as_tensor_variable(x)


gpu_contiguous = gpu_from_host = host_from_gpu = as_cuda_ndarray_variable = cpu_identity


def float32_shared_constructor(value, name=None, strict=False, allow_downcast=None,
                               borrow=False, broadcastable=None, target="gpu"):
    """Theano's GPU shared-variable constructor: raises, there is no GPU."""
    raise _no_gpu("theano.sandbox.cuda.var", "float32_shared_constructor")


def gpu_alloc_empty(*shape):
    """``GpuAllocEmpty()(*shape)`` on the CPU: an uninitialised floatX array of that shape."""
    return T.AllocEmpty(theano.config.floatX)(*shape)


class CudaNdarrayType(GpuOnly):
    legacy_module = "theano.sandbox.cuda.type"


class CudaNdarray(GpuOnly):
    """Theano's old GPU backend's ``CudaNdarray``."""


class GpuOp(GpuOnlyOp):
    """Theano's old GPU backend's ``GpuOp``."""


class CudaNdarrayVariable(GpuOnly):
    legacy_module = "theano.sandbox.cuda.var"


class CudaNdarraySharedVariable(GpuOnly):
    legacy_module = "theano.sandbox.cuda.var"


class CudaNdarrayConstant(GpuOnly):
    legacy_module = "theano.sandbox.cuda.var"


def _give(module, names):
    """Put each of ``names`` (this module's) on ``module``; return the names."""
    for name in names:
        setattr(module, name, globals()[name])
    return list(names)


_CUDA_CHILDREN = ("basic_ops", "blas", "dnn", "type", "var")


def sandbox_cuda(module):
    """``theano.sandbox.cuda``: no GPU; its submodules imported as Theano's did."""
    module.cuda_available = module.cuda_enabled = False
    module.cuda_initialization_error_message = (
        "Theano's old GPU backend is not part of this Theano; no GPU here (lasagne_params)")
    names = ["cuda_available", "cuda_enabled", "cuda_initialization_error_message"]
    names += _give(module, ("use", "unuse", "gpu_from_host", "host_from_gpu",
                            "as_cuda_ndarray_variable", "CudaNdarrayType", "CudaNdarray",
                            "CudaNdarrayVariable", "CudaNdarraySharedVariable", "GpuOp"))
    names += _give(module, ("float32_shared_constructor",))
    import importlib
    for child in _CUDA_CHILDREN:
        importlib.import_module(module.__name__ + "." + child)
    return names


class HostFromGpu(GpuOnlyOp):
    """The transfer ops' classes (``isinstance`` checks, imports); ``host_from_gpu`` and
    ``gpu_from_host`` are the identities."""
    legacy_module = "theano.sandbox.cuda.basic_ops"


class GpuFromHost(GpuOnlyOp):
    legacy_module = "theano.sandbox.cuda.basic_ops"


def basic_ops(module):
    """``theano.sandbox.cuda.basic_ops``: the transfers as identities, allocation on the CPU;
    the ops' classes raising when applied."""
    return _give(module, ("gpu_contiguous", "gpu_from_host", "host_from_gpu",
                          "as_cuda_ndarray_variable", "gpu_alloc_empty", "HostFromGpu",
                          "GpuFromHost"))


class GpuCorrMM(GpuOnlyOp):
    legacy_module = "theano.sandbox.cuda.blas"


class GpuCorr3dMM(GpuOnlyOp):
    legacy_module = "theano.sandbox.cuda.blas"


class GpuConv(GpuOnlyOp):
    legacy_module = "theano.sandbox.cuda.blas"


class FilterActs(GpuOnlyOp):
    """pylearn2's cuda-convnet convolution (``lasagne.layers.cuda_convnet`` imports it)."""
    legacy_module = "pylearn2.sandbox.cuda_convnet.filter_acts"


def cuda_blas(module):
    """``theano.sandbox.cuda.blas``: its GPU ops, made, raising when applied."""
    return _give(module, ("GpuCorrMM", "GpuCorr3dMM", "GpuConv"))


def cuda_var(module):
    """``theano.sandbox.cuda.var``: the GPU variable classes, raising when made."""
    return _give(module, ("CudaNdarrayVariable", "CudaNdarraySharedVariable",
                          "CudaNdarrayConstant", "float32_shared_constructor"))


def cuda_type(module):
    """``theano.sandbox.cuda.type``: ``CudaNdarrayType``, raising when made."""
    return _give(module, ("CudaNdarrayType",))


# -------------------------------------------------------------- theano.sandbox.cuda.dnn

def dnn_available():
    """Theano's ``dnn.dnn_available()``: False here, ``dnn_available.msg`` saying why."""
    return False


dnn_available.msg = NO_GPU
dnn_available.avail = False


def _filter_flip(conv_mode):
    if conv_mode not in ("conv", "cross"):
        raise ValueError("conv_mode must be 'conv' or 'cross', got %r" % (conv_mode,))
    return conv_mode == "conv"


def dnn_conv(img, kerns, border_mode="valid", subsample=(1, 1), conv_mode="conv",
             direction_hint=None, workmem=None, algo=None, precision=None):
    """cuDNN's 2D convolution, computed by Theano's CPU ``conv2d``.

    ``border_mode`` as cuDNN's (``'valid'``, ``'full'``, ``'half'``, an int or a
    pair); ``conv_mode='conv'`` flips the filters (a convolution), ``'cross'``
    does not (a cross-correlation).  The GPU tuning arguments are accepted and
    have no effect.
    """
    return T.nnet.conv2d(img, kerns, border_mode=border_mode, subsample=tuple(subsample),
                         filter_flip=_filter_flip(conv_mode))


def dnn_conv3d(img, kerns, border_mode="valid", subsample=(1, 1, 1), conv_mode="conv",
               direction_hint=None, workmem=None, algo=None, precision=None):
    """cuDNN's 3D convolution, computed by Theano's CPU ``conv3d`` (see :func:`dnn_conv`)."""
    return T.nnet.conv3d(img, kerns, border_mode=border_mode, subsample=tuple(subsample),
                         filter_flip=_filter_flip(conv_mode))


def dnn_pool(img, ws, stride=(1, 1), mode="max", pad=(0, 0)):
    """cuDNN's pooling (2D, or 3D for a 3-long ``ws``), computed by Theano's CPU pooling.

    Whole windows only (``ignore_border=True``), as cuDNN; ``mode`` is
    ``'max'``, ``'average_inc_pad'`` (also spelled ``'average'``) or
    ``'average_exc_pad'``.
    """
    from theano.tensor.signal import pool
    mode = "average_inc_pad" if mode == "average" else mode
    pool_nd = pool.pool_3d if len(ws) == 3 else pool.pool_2d
    return pool_nd(img, ws=tuple(ws), ignore_border=True, stride=tuple(stride),
                   pad=tuple(pad), mode=mode)


class _DnnOp(GpuOnlyOp):
    legacy_module = "theano.sandbox.cuda.dnn"


class GpuDnnConvDesc(_DnnOp):
    """cuDNN's ``GpuDnnConvDesc`` op."""


class GpuDnnConv(_DnnOp):
    """cuDNN's ``GpuDnnConv`` op."""


class GpuDnnConvGradW(_DnnOp):
    """cuDNN's ``GpuDnnConvGradW`` op."""


class GpuDnnConvGradI(_DnnOp):
    """cuDNN's ``GpuDnnConvGradI`` op."""


class GpuDnnConv3d(_DnnOp):
    """cuDNN's ``GpuDnnConv3d`` op."""


class GpuDnnConv3dGradW(_DnnOp):
    """cuDNN's ``GpuDnnConv3dGradW`` op."""


class GpuDnnConv3dGradI(_DnnOp):
    """cuDNN's ``GpuDnnConv3dGradI`` op."""


class GpuDnnPoolDesc(_DnnOp):
    """cuDNN's ``GpuDnnPoolDesc`` op."""


class GpuDnnPool(_DnnOp):
    """cuDNN's ``GpuDnnPool`` op."""


class GpuDnnPoolGrad(_DnnOp):
    """cuDNN's ``GpuDnnPoolGrad`` op."""


class GpuDnnSoftmax(_DnnOp):
    """cuDNN's ``GpuDnnSoftmax`` op."""


class GpuDnnSoftmaxGrad(_DnnOp):
    """cuDNN's ``GpuDnnSoftmaxGrad`` op."""


def version():
    """cuDNN's version: raises, there is no cuDNN."""
    raise _no_gpu("theano.sandbox.cuda.dnn", "version")


def cuda_dnn(module):
    """``theano.sandbox.cuda.dnn``: no cuDNN; its convolution and pooling on the CPU."""
    return _give(module, (
        "dnn_available", "dnn_conv", "dnn_conv3d", "dnn_pool", "GpuDnnConvDesc", "GpuDnnConv",
        "GpuDnnConvGradW", "GpuDnnConvGradI", "GpuDnnConv3d", "GpuDnnConv3dGradW",
        "GpuDnnConv3dGradI", "GpuDnnPoolDesc", "GpuDnnPool", "GpuDnnPoolGrad", "GpuDnnSoftmax",
        "GpuDnnSoftmaxGrad", "gpu_contiguous", "version"))


# -------------------------------------------------- theano.tensor.shared_randomstreams

class RandomStreams(RandomStream):
    """Theano <= 1.0's ``shared_randomstreams.RandomStreams``: the old methods, whose first
    argument is the output's ``size``, over Theano-PyMC's ``RandomStream``.

    Each call starts a stream seeded as the old class seeded it
    (``RandomState(seed).randint(2**30)`` per stream, in order), so a compiled
    function draws the numbers the old one drew.  ``dtype`` casts the draw
    when the new op fixes another one (``binomial`` draws int64);
    ``ndim`` is accepted and left to the shapes, as the new ops infer it.
    """

    def _draw(self, op, params, size, dtype):
        out = self.gen(op, *params, size=size)
        if dtype is None or out.dtype == dtype:
            return out
        cast = T.cast(out, dtype)
        cast.rng, cast.update = out.rng, out.update
        return cast

    def uniform(self, size=None, low=0.0, high=1.0, ndim=None, dtype=None):
        return self._draw(random_basic.uniform, (low, high), size, dtype)

    def normal(self, size=None, avg=0.0, std=1.0, ndim=None, dtype=None):
        return self._draw(random_basic.normal, (avg, std), size, dtype)

    def binomial(self, size=None, n=1, p=0.5, ndim=None, dtype="int64", prob=None):
        return self._draw(random_basic.binomial, (n, p if prob is None else prob), size, dtype)

    def random_integers(self, size=None, low=0, high=1, ndim=None, dtype="int64"):
        """Integers from ``low`` to ``high`` both included, as the old method drew them."""
        return self._draw(random_basic.randint, (low, high + 1), size, dtype)

    def poisson(self, size=None, lam=None, ndim=None, dtype="int64"):
        return self._draw(random_basic.poisson, (lam,), size, dtype)

    def multinomial(self, size=None, n=1, pvals=(0.5, 0.5), ndim=None, dtype="int64"):
        return self._draw(random_basic.multinomial, (n, pvals), size, dtype)

    def permutation(self, size=None, n=1, ndim=None, dtype="int64"):
        """Permutations of ``range(n)``, one per element of ``size`` (the old method's
        shapes: ``size + (n,)``), drawn as the ranks of uniform numbers: uniformly random,
        but not the old class's numbers."""
        shape = T.concatenate([T.as_tensor_variable(() if size is None else size,
                                                    ndim=1).astype("int64"),
                               T.as_tensor_variable([n]).astype("int64")])
        draw = self.uniform(size=shape)
        ranks = T.argsort(draw, axis=-1).astype(dtype)
        ranks.rng, ranks.update = draw.rng, draw.update
        return ranks

    def shuffle_row_elements(self, input):
        """``input`` with the elements of each row (its last axis) shuffled, as the old
        method did (a permutation per row; not the old class's numbers)."""
        perm = self.permutation(size=input.shape[:-1], n=input.shape[-1])
        shuffled = T.permute_row_elements(input, perm)
        perm.shuffled = shuffled
        return shuffled


def shared_randomstreams(module):
    """``theano.tensor.shared_randomstreams``: ``RandomStreams`` with the old methods."""
    return _give(module, ("RandomStreams",))
