"""Theano's mode without the two graph optimizations that fail on Lasagne networks here.

Theano-PyMC 1.1.2 has two optimizations that break the *training* functions of
some Lasagne networks (both Lasagne versions; building, counting and the
forward pass are not affected):

``local_subtensor_inc_subtensor``
    The gradient of a ``set_subtensor`` into a freshly allocated tensor of
    symbolic shape -- Lasagne's ``PadLayer`` (any width or value), master's
    ``Upscale1D/2D/3DLayer(mode='dilate')``, so CIFAR ResNets' "option A"
    shortcuts, C3D's padding -- makes the optimizer rewrite forever:
    ``theano.function`` never returns (minutes, gigabytes).
``scanOp_pushout_output``
    With truncated back-propagation through time (a recurrent layer's
    ``gradient_steps``) and a mask, the gradient's scan is rewritten into a
    wrong graph: ``ValueError: shapes (4,6) and (10,16) not aligned`` in
    ``Dot22`` at run time (Theano issue #4652, never fixed).

Both only simplify a graph; leaving them out computes the same numbers
(tests/test_robust_mode.py compares losses, gradients and updated parameters
where both compile).  The Trainer (so ``NeuralNet.fit`` and nolearn scripts)
compiles with :func:`robust_mode`; ``lasagne-params run`` runs a script
inside :func:`robust_default_mode`.  For your own code::

    f = theano.function(inputs, loss, updates=updates,
                        mode=lasagne_params.robust_mode())

or, for code you do not want to change (every function compiled with the
default mode inside the block)::

    with lasagne_params.robust_default_mode():
        train_fn = theano.function(...)

Nothing process-wide changes: the first is a Mode object, the second
restores Theano's ``mode`` flag when the block ends.
"""
import contextlib
from typing import Any, Iterator

from .compat import install_compat

__all__ = ["FAILING_OPTIMIZATIONS", "robust_mode", "robust_default_mode"]

#: The optimizations left out, and what they break.
FAILING_OPTIMIZATIONS = {
    "local_subtensor_inc_subtensor":
        "gradients through PadLayer / Upscale*DLayer(mode='dilate') never finish compiling",
    "scanOp_pushout_output":
        "recurrent gradient_steps with a mask: Dot22 shape mismatch (Theano issue #4652)",
}


def robust_mode(mode: Any = None) -> Any:
    """Theano ``mode`` (default: the default mode, with your flags) without
    :data:`FAILING_OPTIMIZATIONS`; a name (``"FAST_RUN"``) or a Mode object."""
    install_compat()                    # Theano imports only after the bridges
    from theano.compile.mode import get_mode
    return get_mode(mode).excluding(*FAILING_OPTIMIZATIONS)


@contextlib.contextmanager
def robust_default_mode() -> Iterator[None]:
    """Within the block, Theano's default mode is :func:`robust_mode` (functions compiled
    without a ``mode`` get it); Theano's ``mode`` flag is restored after."""
    from theano import config
    with config.change_flags(mode=robust_mode()):
        yield
