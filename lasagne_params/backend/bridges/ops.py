"""Two bridges below the level of names, both for Lasagne master's TPSTransformerLayer.

Part of :func:`lasagne_params.backend.bridges.compat.install_compat` (it calls
:func:`install_op_bridges`); each is feature-detected, idempotent and listed
in the CompatReport.

``np.linspace`` with a float count, in ``lasagne.layers.special`` only
    numpy >= 1.18 refuses ``np.linspace(-1, 1, 4.0)`` (TypeError: 'float'
    object cannot be interpreted as an integer).  Lasagne master's
    ``_initialize_tps`` passes ``np.sqrt(control_points)`` (a float64) there,
    so ``TPSTransformerLayer(...)`` cannot even be built.  The bridge gives
    that one module, and no other, a ``np`` whose ``linspace`` turns a
    whole-number float count into an int (a fractional count still raises,
    as numpy does); every other name is numpy's own.  numpy itself is not
    touched.  Installed when numpy is found to refuse a float count; applied
    to the module when it is imported (a meta-path finder answering for
    ``lasagne.layers.special`` only), or at once if it is imported already.
    Lasagne 0.1 has no such module: there it never fires.

``BatchedDot``'s C code while no BLAS library is linked
    ``T.batched_dot`` (TPSTransformerLayer's grid arithmetic) compiles to a C
    module that cannot be loaded when ``blas__ldflags`` is empty (what
    ``install_compat`` sets where numpy no longer tells Theano its BLAS):
    ``ImportError: ...so: undefined symbol: sgemm_``.  Theano-PyMC then
    supplies ``sgemm_``/``dgemm_`` itself (over numpy's C-API), but defines
    them with non-const ``A``/``B`` pointers while its ``extern "C"``
    declarations have ``const`` ones; in C++ that is an overload, and the
    function pointer BatchedDot's ``batch_gemm`` takes matches only the
    declared, never defined, one.  The bridge: while ``blas__ldflags`` is
    empty, ``BatchedDot`` offers no C code, so Theano runs the op's own
    Python ``perform`` (``numpy.dot`` per item of the batch); with a BLAS
    library linked (the user's flags, or a compilation scope that links
    one) its C code is used as before.  Installed when Theano has a
    ``BatchedDot`` op with its own C code.
"""
import importlib.machinery
import importlib.util
import sys

__all__ = ["install_op_bridges", "IntegralCountNumpy", "SPECIAL", "LINSPACE_BRIDGE",
           "BATCHED_DOT_BRIDGE", "wrapped_spec", "patched_spec", "PatchAfterExec"]

#: The one module whose ``np`` gets the linspace bridge.
SPECIAL = "lasagne.layers.special"
LINSPACE_BRIDGE = ("numpy.linspace with a whole-number float count, in %s only "
                   "(TPSTransformerLayer)" % SPECIAL)
BATCHED_DOT_BRIDGE = "BatchedDot: Python perform while no BLAS library is linked"


def numpy_refuses_float_count():
    """True when this numpy raises TypeError for ``linspace(-1, 1, 4.0)`` (numpy >= 1.18)."""
    import numpy
    try:
        numpy.linspace(-1, 1, numpy.sqrt(16.0))
    except TypeError:
        return True
    return False


class IntegralCountNumpy:
    """numpy as one module sees it: ``linspace`` also takes a whole-number float count.

    Every attribute but ``linspace`` is numpy's own (looked up on use).
    """

    def __init__(self, numpy):
        self.__dict__["numpy"] = numpy

    def __getattr__(self, name):
        return getattr(self.numpy, name)

    def linspace(self, start, stop, num=50, *args, **kwargs):
        if isinstance(num, (float, self.numpy.floating)) and float(num).is_integer():
            num = int(num)
        return self.numpy.linspace(start, stop, num, *args, **kwargs)

    def __repr__(self):
        return "<numpy, linspace taking a whole-number float count (lasagne_params)>"


def _give_integral_count(module):
    """Replace ``module.np`` (numpy) by the bridge; False when it has no numpy ``np``."""
    numpy = sys.modules.get("numpy")
    current = getattr(module, "np", None)
    if isinstance(current, IntegralCountNumpy):
        return True
    if numpy is None or current is not numpy:
        return False
    module.np = IntegralCountNumpy(numpy)
    return True


class PatchAfterExec:
    """Loader: runs the real module, then ``patch(module)``."""

    def __init__(self, real, patch):
        self.real, self.patch = real, patch

    def create_module(self, spec):
        return self.real.create_module(spec)

    def exec_module(self, module):
        self.real.exec_module(module)
        self.patch(module)


def wrapped_spec(name, path, make_loader):
    """The module spec the path finders give ``name``, its loader wrapped by
    ``make_loader(real_loader)``; None where they find nothing to load."""
    real = importlib.machinery.PathFinder.find_spec(name, path)
    if real is None or real.loader is None:
        return None
    return importlib.util.spec_from_file_location(name, real.origin,
                                                  loader=make_loader(real.loader))


def patched_spec(name, path, patch):
    """:func:`wrapped_spec` whose loader runs the real module, then ``patch(module)``."""
    return wrapped_spec(name, path, lambda real: PatchAfterExec(real, patch))


class PatchingFinder:
    """Meta-path finder for one module (``name``): the real module, then ``patch(module)``
    once it has run."""

    def __init__(self, name, patch):
        self.name, self.patch = name, patch

    def find_spec(self, name, path=None, target=None):
        return patched_spec(name, path, self.patch) if name == self.name else None


def install_patching_finder(name, patch, report, bridge):
    """Patch module ``name`` with ``patch`` when it is imported (at once if it already is),
    once per process; ``bridge`` (its CompatReport line) goes to ``report``."""
    if any(isinstance(finder, PatchingFinder) and finder.name == name
           for finder in sys.meta_path):
        report.present.append(bridge)
        return
    sys.meta_path.insert(0, PatchingFinder(name, patch))
    loaded = sys.modules.get(name)
    if loaded is not None:
        patch(loaded)
    report.applied.append(bridge)


def _bridge_linspace(report):
    if not numpy_refuses_float_count() and not any(
            isinstance(finder, PatchingFinder) and finder.name == SPECIAL
            for finder in sys.meta_path):
        report.present.append(LINSPACE_BRIDGE + ": numpy accepts a float count")
        return
    install_patching_finder(SPECIAL, _give_integral_count, report, LINSPACE_BRIDGE)


def _bridge_batched_dot(report):
    from theano import config
    from theano.graph.utils import MethodNotDefined
    from theano.tensor import blas
    op = getattr(blas, "BatchedDot", None)
    original = getattr(op, "c_code", None)
    if original is None:
        report.present.append(BATCHED_DOT_BRIDGE + ": no BatchedDot C code")
        return
    if getattr(original, "lasagne_params_bridge", False):
        report.present.append(BATCHED_DOT_BRIDGE)
        return

    def c_code(self, *args, **kwargs):
        if not config.blas__ldflags.strip():
            raise MethodNotDefined("BatchedDot's C code needs a BLAS library "
                                   "(lasagne_params: its Python perform instead)")
        return original(self, *args, **kwargs)

    c_code.lasagne_params_bridge = True
    c_code.__doc__ = original.__doc__
    op.c_code = c_code
    report.applied.append(BATCHED_DOT_BRIDGE)


def install_op_bridges(report):
    """Install both bridges (once; Theano must be importable); note them in ``report``."""
    _bridge_linspace(report)
    _bridge_batched_dot(report)
