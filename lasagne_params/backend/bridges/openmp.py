"""Theano's OpenMP on Theano-PyMC 1.1.2: the Elemwise pragma bridge and a CorrMM guard.

Theano-PyMC 1.1.2's ``Elemwise`` writes, for contiguous arrays with
``openmp=True``, the line::

    #pragma omp parallel for if(n>={int(config.openmp_elemwise_minsize)})

as a plain string where an f-string was meant, so the generated C++ does not
compile and every function with an element-wise op fails once Theano's
``openmp`` flag is on (``CorrMM``'s batch loop, which would use both cores,
cannot be had without it).  :func:`bridge_elemwise_pragma` (called by
``install_compat``) wraps ``Elemwise.c_code`` to put the number in: the
threshold ``config.openmp_elemwise_minsize`` as Theano meant.  It is
feature-detected: applied only when ``Elemwise``'s module holds the
unformatted text (or cannot be read and the generated code might), and a
no-op on code without it.  The C code is otherwise Theano's own.

:func:`guard_corrmm_without_blas` (applied with the bridge) keeps
``CorrMM``'s OpenMP off while ``blas__ldflags`` is empty: its gemm is then
numpy's C-API, which must not be entered from OpenMP's worker threads (the
process aborts).

The Trainer does not turn OpenMP on (see :mod:`lasagne_params.backend.training.speed`
for what it measured); ``THEANO_FLAGS=openmp=True`` does, for every op.
"""
import inspect

__all__ = ["PLACEHOLDER", "bridge_elemwise_pragma", "guard_corrmm_without_blas"]

#: The unformatted f-string field Theano-PyMC 1.1.2 leaves in Elemwise's C code.
PLACEHOLDER = "{int(config.openmp_elemwise_minsize)}"
_MARK = "__lasagne_params_compat__"


def _source_has_placeholder(elemwise):
    """Whether the module defining ``elemwise`` holds the unformatted field.

    Reads the file as text (``inspect.getsource`` of the class would parse
    the whole module: half a second of start-up).
    """
    try:
        with open(inspect.getsourcefile(elemwise), encoding="utf-8") as source:
            return PLACEHOLDER in source.read()
    except (OSError, TypeError):        # no source shipped: the wrapper is harmless
        return True


def bridge_elemwise_pragma(report):
    """Make Elemwise's OpenMP pragma compile (see the module docstring); record it in ``report``."""
    from theano import config
    from theano.tensor.elemwise import Elemwise
    name = "Elemwise OpenMP pragma"
    if getattr(Elemwise.c_code, _MARK, False):
        report.present.append(name + " (bridged)")
        return
    if not _source_has_placeholder(Elemwise):
        report.present.append(name)
        return
    original = Elemwise.c_code

    def c_code(self, node, nodename, inames, onames, sub):
        code = original(self, node, nodename, inames, onames, sub)
        return code.replace(PLACEHOLDER, str(int(config.openmp_elemwise_minsize)))

    c_code.__doc__ = original.__doc__
    c_code.__wrapped__ = original
    setattr(c_code, _MARK, True)
    Elemwise.c_code = c_code
    report.applied.append(name + ": {int(config.openmp_elemwise_minsize)} -> its value")
    guard_corrmm_without_blas(report)


def guard_corrmm_without_blas(report):
    """Keep ``CorrMM``'s OpenMP off while ``blas__ldflags`` is empty.

    With empty flags ``CorrMM``'s gemm is numpy's C-API, which releases the
    GIL it does not hold when called from an OpenMP worker thread: with
    ``openmp=True`` the process aborts ("PyEval_SaveThread: the function
    must be called with the GIL held").  Once the Elemwise pragma compiles,
    a user's ``THEANO_FLAGS=openmp=True`` would reach that abort; with this
    guard such ops run their batch loop on one thread instead.
    """
    from theano import config
    from theano.tensor.nnet.corr import BaseCorrMM
    name = "CorrMM OpenMP only with a real BLAS"
    if getattr(BaseCorrMM.__init__, _MARK, False):
        report.present.append(name)
        return
    original = BaseCorrMM.__init__

    def __init__(self, *args, **kwargs):
        original(self, *args, **kwargs)
        if self.openmp and not config.blas__ldflags.strip():
            self.openmp = False

    __init__.__wrapped__ = original
    setattr(__init__, _MARK, True)
    BaseCorrMM.__init__ = __init__
    report.applied.append(name)
