"""Building a network in Lasagne whose parameter arrays have their shapes but no memory.

A cross-check reads, of a network Lasagne builds, only the shapes: every
layer's ``output_shape`` (Lasagne's ``get_output_shape_for``) and the shape
of every array its constructor asks for (``add_param``).  Their values are
never read.  :func:`build_shape_only` builds with Lasagne's own classes, so
Lasagne's code still decides every shape, but gives each array the layer
creates an initializer that does not sample: :func:`shape_only` returns, for
the shape Lasagne asks for, a read-only numpy array whose strides are all 0
over one zero of ``floatX`` — the shape is real, the memory is one number.

``theano.shared`` copies any array it is given (``np.array(value,
copy=True)``), which would allocate the full array; while
:func:`build_shape_only` runs, a Theano shared-variable constructor
(``theano.compile.shared_constructor``, Theano's own extension point) is
registered that keeps these arrays, and only these, as they are (borrowed);
it is removed again when the build ends.  Any other value makes it raise
``TypeError``, which hands the value on to Theano's usual constructors.

What is real and what is not (see docs/performance.md):

* real: the layer classes, their constructors and checks, every
  ``output_shape``, every array's shape, name, tags and sharing;
  ``get_value(borrow=True).shape``; ``lasagne.layers.count_params`` (its
  ``get_value()`` copy of an array is the array itself, see
  :class:`ShapeOnlyArray`);
* not real: the values (all zeros, read-only).  Such a network cannot be
  trained; ``set_value`` gives it real arrays again.  Arrays a layer creates
  other than those its kind declares (``LayerKind.arrays``), e.g. a custom
  class's, are allocated as Lasagne's initializers make them.

Never used on a network the caller built (those are read as they are), nor
for training or runtime verification.
"""
import contextlib

import numpy as np

from ..bridges.compat import install_compat
from .build import build_layers

__all__ = ["ShapeOnlyArray", "shape_only", "is_shape_only", "build_shape_only"]


class ShapeOnlyArray(np.ndarray):
    """A read-only array of zeros with all strides 0: its shape, and one element of memory.

    Immutable, so a (deep) copy of it is itself: ``SharedVariable.get_value()``
    (which deep-copies) and so Lasagne's ``count_params`` read its shape
    without allocating the array.
    """

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self


_ZEROS = {}        # dtype -> the one read-only zero every ShapeOnlyArray of it views


def _zero(dtype):
    zero = _ZEROS.get(dtype)
    if zero is None:
        zero = np.zeros((), dtype=dtype)
        zero.flags.writeable = False
        zero = _ZEROS.setdefault(dtype, zero)
    return zero


def shape_only(shape):
    """An initializer: a :class:`ShapeOnlyArray` of ``shape`` in Theano's ``floatX``.

    Lasagne calls it with the shape its layer decided (``add_param``).
    """
    import theano
    dtype = np.dtype(theano.config.floatX)
    shape = tuple(int(d) for d in shape)
    array = np.ndarray.__new__(ShapeOnlyArray, shape, dtype=dtype, buffer=_zero(dtype),
                               strides=(0,) * len(shape))
    array.flags.writeable = False
    return array


def is_shape_only(array):
    """True for an array :func:`shape_only` made (or a plain view Lasagne took of one)."""
    return _unwrap(array) is not None


def _unwrap(value):
    """``value`` as a ShapeOnlyArray if it is one or a view of one; else None.

    Lasagne 0.1 passes ``numpy.asarray(array, dtype=floatX)`` on to
    ``theano.shared``: a base-class view of the same zero (numpy records
    the zero as its base), all strides 0.
    """
    if isinstance(value, ShapeOnlyArray):
        return value
    if isinstance(value, np.ndarray) and value.base is not None \
            and value.base is _ZEROS.get(value.dtype) and not any(value.strides):
        return value.view(ShapeOnlyArray)
    return None


def _borrow_shape_only(value, name=None, strict=False, allow_downcast=None, borrow=False,
                       broadcastable=None, target="cpu"):
    """A Theano shared-variable constructor that keeps shape-only arrays without a copy."""
    array = _unwrap(value)
    if array is None or target != "cpu":
        raise TypeError("not a shape-only array")          # Theano tries the next one
    from theano.tensor.sharedvar import TensorSharedVariable
    from theano.tensor.type import TensorType
    if broadcastable is None:
        broadcastable = (False,) * array.ndim
    return TensorSharedVariable(type=TensorType(array.dtype, broadcastable=broadcastable),
                                value=array, name=name, strict=strict,
                                allow_downcast=allow_downcast)


@contextlib.contextmanager
def _borrowing():
    from theano.compile.sharedvalue import shared_constructor
    shared_constructor(_borrow_shape_only)
    try:
        yield
    finally:
        shared_constructor(_borrow_shape_only, remove=True)


def build_shape_only(specs, classes=None):
    """``build_layers(specs, classes)`` with shape-only arrays: {name: layer}.

    Every array the specs leave to Lasagne's default initializer (each
    kind's ``arrays``) is made by :func:`shape_only`; arrays the specs share
    are shared as usual.  The layers are Lasagne's; their arrays cost no
    memory (see the module docstring for what is real).
    """
    install_compat()
    with _borrowing():
        return build_layers(specs, classes, init=shape_only)
