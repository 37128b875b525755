"""The memory a build or a run will take, estimated before it starts, and the limit on it.

Building a network in Lasagne allocates every parameter array (and its
initializer draws the values in float64 first); running one allocates
every layer's output for the batch.  Both are known from the derived
Report before Theano is asked for a byte, so a network too big for the
machine is refused with one line instead of taking it down.  The limit is
:data:`DEFAULT_MAX_BUILD_BYTES` unless the caller raises it.

These are estimates of the arrays themselves (Theano's own buffers and
Python's objects come on top); they are the figures that grow with the
network.  Nothing here imports Theano: a cross-check that allocates no
weights simply does not call :func:`check_build`.
"""
from ...core.errors import LimitError
from ...core.files import byte_limit
from ...core.records import shape_size
from ...core.text import thousands

__all__ = ["DEFAULT_MAX_BUILD_BYTES", "ELEMENT_BYTES", "build_bytes", "run_bytes",
           "check_build", "check_run"]

#: The most bytes a build or a run may need unless the caller allows more (4 GiB).
DEFAULT_MAX_BUILD_BYTES = 4 * 1024 ** 3
#: Bytes per element assumed: float64, Theano-PyMC's default floatX and the type
#: Lasagne's initializers draw in.
ELEMENT_BYTES = 8


def build_bytes(report):
    """Bytes of the parameter arrays a build of ``report``'s network allocates.

    Every distinct array at :data:`ELEMENT_BYTES` per element, plus the
    largest once more (the initializer's draw before it is stored).
    """
    largest = max([array.size for row in report.layers for array in row.param_arrays]
                  or [0])
    return (report.total_params + largest) * ELEMENT_BYTES


def run_bytes(report, batch_size):
    """Bytes of every layer's output for a batch of ``batch_size`` examples.

    An unknown length other than the batch axis counts as 1 (it is only
    known at run time).
    """
    total = 0
    for row in report.layers:
        dims = [batch_size if i == 0 and d is None else (1 if d is None else d)
                for i, d in enumerate(row.output_shape)]
        total += shape_size(dims)
    return total * ELEMENT_BYTES


def _gib(n):
    return "%s bytes (%.1f GiB)" % (thousands(n), n / 1024 ** 3) if n < 2 ** 1000 \
        else "%s bytes" % thousands(n)


def _refuse(needed, limit, what, field):
    if needed > limit:
        raise LimitError("%s would take about %s, more than the limit of %s (raise the "
                         "limit if the machine has the memory)"
                         % (what, _gib(needed), _gib(limit)), field=field)


def check_build(report, limit=None, field="max_build_bytes"):
    """Refuse (LimitError) to build ``report``'s network in Lasagne above ``limit`` bytes."""
    _refuse(build_bytes(report), byte_limit(limit, DEFAULT_MAX_BUILD_BYTES, field),
            "building its %s parameters in Lasagne" % thousands(report.total_params), field)


def check_run(report, batch_size, limit=None, field="max_build_bytes"):
    """Refuse (LimitError) to run a batch of ``batch_size`` above ``limit`` bytes of outputs."""
    _refuse(run_bytes(report, batch_size), byte_limit(limit, DEFAULT_MAX_BUILD_BYTES, field),
            "running a batch of %s through it" % thousands(batch_size), field)
