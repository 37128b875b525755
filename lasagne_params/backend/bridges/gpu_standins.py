"""GPU-era models on a CPU: Lasagne's GPU-only modules served by CPU stand-ins.

``lasagne.layers.dnn`` (cuDNN), ``lasagne.layers.corrmm`` (GpuCorrMM) and
``lasagne.layers.cuda_convnet`` raise ImportError on any machine without
CUDA (and, for master's dnn, cuDNN; for cuda_convnet, pylearn2 and Theano's
old GPU backend).  Historical code imports them unconditionally, so it
cannot even build its network here.

:func:`install_gpu_standins` puts a finder at the front of ``sys.meta_path``
that, for those three names only, first runs the real module; if the real
module raises ImportError, the module is emptied and given the stand-in
classes of :mod:`standin_layers` (same names, signatures, defaults,
parameters and output shapes, computed by Theano's CPU ops).  A real GPU
module that imports is kept as it is: the stand-in never shadows it.

:func:`served` tells which modules were replaced and why (the real
module's error); :func:`standin_note` gives the note a report shows for a
layer built from a stand-in.
"""
import sys

from ...core import registry
from .ops import wrapped_spec

__all__ = ["GPU_MODULES", "MODULE_NAMES", "install_gpu_standins", "served", "standin_note",
           "StandinFinder"]

#: The modules that may be served by CPU stand-ins: the modules of the GPU-only kinds.
GPU_MODULES = tuple(registry.GPU_MODULES)
BRIDGE = "lasagne.layers.dnn/corrmm/cuda_convnet -> CPU stand-ins where they do not import"

_LASAGNE_NAMES = {
    "theano": "theano", "init": "lasagne.init", "nonlinearities": "lasagne.nonlinearities",
    "Layer": "lasagne.layers.base:Layer", "as_tuple": "lasagne.utils:as_tuple",
    "conv_output_length": "lasagne.layers.conv:conv_output_length",
    "BaseConvLayer": "lasagne.layers.conv:BaseConvLayer", "warnings": "warnings",
}
_NO_GPU = {"gpu": "theano.sandbox.cuda", "gpu_enabled": "theano.sandbox.cuda:cuda_enabled",
           "gpu_contiguous": "theano.sandbox.cuda.basic_ops:gpu_contiguous"}
_POOL = {"pool_output_length": "lasagne.layers.pool:pool_output_length"}
#: The names besides its classes that each real GPU module binds at module level (its
#: imports and GPU flags, in 0.1 or master), and where the stand-in module takes each:
#: ``"module"`` or ``"module:attribute"``.  The flags come from Theano's old GPU backend as
#: served without a GPU (backend/bridges/legacy_theano.py), so ``gpu_enabled`` is False and
#: ``dnn.dnn_conv`` computes on the CPU.  A name whose source does not import here
#: (master's ``BaseConvLayer`` on 0.1) is left out.
MODULE_NAMES = {
    "lasagne.layers.dnn": {
        **_LASAGNE_NAMES, **_NO_GPU, **_POOL,
        "BatchNormLayer": "lasagne.layers.normalization:BatchNormLayer",
        "dnn": "theano.sandbox.cuda.dnn",
        "dnn_enabled": "theano.sandbox.cuda.dnn:dnn_available"},
    "lasagne.layers.corrmm": {
        **_LASAGNE_NAMES, **_NO_GPU, "GpuCorrMM": "theano.sandbox.cuda.blas:GpuCorrMM"},
    "lasagne.layers.cuda_convnet": {
        **_LASAGNE_NAMES, **_POOL, "np": "numpy", "T": "theano.tensor",
        "gpuarray": "theano.gpuarray",
        "gpu_contiguous": "theano.sandbox.cuda.basic_ops:gpu_contiguous",
        "FilterActs": "lasagne_params.backend.bridges.legacy_theano:FilterActs"},
}

_served = {}        # module name -> why the real module did not import


def served():
    """{GPU module: the real module's ImportError} for each stand-in served in this process."""
    return dict(_served)


def standin_note(layer):
    """``"CPU stand-in for lasagne.layers.dnn.Conv2DDNNLayer"`` for a stand-in layer, else ``""``."""
    original = getattr(type(layer), "cpu_standin_for", None)
    return "CPU stand-in for %s" % original if isinstance(original, str) else ""


class _StandinLoader:
    """Runs the real module; on ImportError, gives the module the stand-ins instead."""

    def __init__(self, real):
        self.real = real                # the real module's loader

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        try:
            self.real.exec_module(module)
            return
        except ImportError as exc:
            reason = "%s: %s" % (type(exc).__name__, str(exc).splitlines()[0] if str(exc)
                                 else "")
        for key in [k for k in vars(module) if not k.startswith("__")]:
            delattr(module, key)          # what the real module defined before it failed
        from . import standin_layers
        name = module.__name__
        for attr in standin_layers.MODULES[name]:
            setattr(module, attr, getattr(standin_layers, attr))
        module.__all__ = list(standin_layers.EXPORTS[name])
        for attr, source in MODULE_NAMES[name].items():
            if not hasattr(module, attr):
                _give_name(module, attr, source)
        module.__doc__ = ("lasagne_params: CPU stand-ins for %s, which does not import "
                          "here (%s); see docs/compatibility.md" % (name, reason))
        module.__lasagne_params_standin__ = reason
        _served[name] = reason


def _give_name(module, attr, source):
    """``module.attr`` = ``source`` (``"module"`` or ``"module:attribute"``), unless that
    does not import here."""
    import importlib
    where, _, name = source.partition(":")
    try:
        value = importlib.import_module(where)
        if name:
            value = getattr(value, name)
    except (ImportError, AttributeError):
        return
    setattr(module, attr, value)


class StandinFinder:
    """Meta-path finder for :data:`GPU_MODULES`: the real module, else the stand-ins."""

    def find_spec(self, name, path=None, target=None):
        return wrapped_spec(name, path, _StandinLoader) if name in GPU_MODULES else None


def install_gpu_standins(report):
    """Put :class:`StandinFinder` first on ``sys.meta_path`` (once); note it in ``report``."""
    if any(isinstance(finder, StandinFinder) for finder in sys.meta_path):
        report.present.append("GPU stand-ins")
        return
    sys.meta_path.insert(0, StandinFinder())
    report.applied.append(BRIDGE)
