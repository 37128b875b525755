"""How the Trainer compiles: Theano's own mode, made faster without changing what it computes.

:func:`training_mode` is the Theano ``Mode`` the Trainer's three functions
are compiled with.  It is the default mode (``config.mode``) with, for these
functions only (nothing process-wide changes):

* **a faster max pool and max-pool gradient** — :func:`max_pool_as_elemwise`,
  graph rewrites registered in this mode only, for non-overlapping windows
  (stride = window, no padding, partial windows dropped, at most
  :data:`MAX_WINDOW` elements): a ``Pool`` becomes the ``maximum`` of the
  window's strided slices and a ``MaxPoolGrad`` becomes ``eq(x, max) *
  grad`` over the windows (a reshape of ``x`` and a broadcast of the pooled
  max and its gradient); Theano fuses each into one element-wise loop (the
  forward 2.6x, the gradient several times faster than Theano's C ops
  here).  It is Theano's arithmetic: the max of the same elements, and every
  element equal to its window's max gets the window's gradient, ties
  included, elements outside every window 0; outputs and gradients are the
  same bit for bit for finite inputs (a NaN in a window propagates as
  ``maximum`` propagates it).  Other pools keep Theano's ops;
* **shape and view ops in Python** — :func:`python_thunks`: ``Shape_i``,
  ``MakeVector``, ``Reshape``, ``DimShuffle``, ``Subtensor`` and
  element-wise arithmetic on one-element tensors (shape sums; the loss's
  mean, a sum divided by a count; the inverse of a count) run by their own
  Python ``perform`` (microseconds per call) instead of a C++ module each,
  which Theano compiles cold at about a second apiece: 17 fewer modules for
  the question's network.  Their results are the same arrays (views,
  shapes; IEEE arithmetic on the same float32 or int64 scalars, as Theano
  itself constant-folds 0-d element-wise ops in Python);
* **no garbage collection of intermediate results between calls**
  (``allow_gc=False`` on the linker): the buffers of one batch are reused
  by the next instead of being freed and allocated again; the results are
  the same, memory holds one batch's intermediates between calls.

:func:`compile_scope` is the ``change_flags`` under which the Trainer builds
and compiles its graphs (the flags are Theano's own; they are restored after):

* ``gcc__cxxflags``: the user's flags, then ``-g0`` and ``-include`` a
  header of the eight headers every Theano module starts with, precompiled
  once per compile directory (:func:`module_headers`).  Theano's g++ line
  has ``-g``: debugging sections nobody reads, a quarter of g++'s time;
  and g++ parsed Python's, numpy's and the C++ library's headers again for
  every module, over half of the rest.  Measured on the question's network
  (``benchmarks/cold_compile.py``): a module's g++ run takes about 0.45 s of
  CPU instead of 1.2 s.  Neither changes the code g++ generates;
* ``blas__ldflags``: when it is empty (``install_compat`` sets it so where
  numpy no longer tells Theano its BLAS, unless the user chose one), the
  OpenBLAS that scipy's wheel ships (``scipy.libs/libopenblas*.so``,
  feature-detected: it must export ``sgemm_``), linked directly.  With empty
  flags every ``gemm`` of ``CorrMM`` goes through numpy's C-API (new array
  objects and a copy per call, 3x the CPU time here).  The sums are BLAS
  ``sgemm``'s, so results can differ from numpy's ``dot`` in the last bits
  of float32 (the tests bound it);
* not ``openmp``: OpenMP (``THEANO_FLAGS=openmp=True``, which compiles
  since :mod:`lasagne_params.backend.bridges.openmp` bridges Elemwise's pragma) is
  left as the user sets it.  Measured on this project's 2 shared cores
  (load 4, the Trainer otherwise as here): 800-940 training samples/s with
  OpenMP against 1,750-2,040 without (OpenBLAS's own 2 threads), inference
  2,900-4,400 against 4,650-4,800: ``CorrMM``'s static OpenMP loops wait at
  every barrier for a thread the machine is running elsewhere.
"""
import contextlib

__all__ = ["training_mode", "compile_scope", "compile_flags", "bundled_openblas",
           "max_pool_as_elemwise", "MAX_POOL_POSITION", "MAX_WINDOW"]

#: Where the rewrite runs among Theano's optimizations: after the first
#: merges, before canonicalize (1), so that canonicalize, specialize and
#: element-wise fusion (49) see the new graph.
MAX_POOL_POSITION = 0.9
#: After every other optimization (in-place ones included), before the last merge.
PYTHON_THUNKS_POSITION = 99


def _constant_ints(variable):
    """The ints of a constant vector (a pooling window, stride or pad), else None."""
    data = getattr(variable, "data", None)
    if data is None or getattr(data, "ndim", None) != 1:
        return None
    return tuple(int(v) for v in data)


#: The largest window the rewrites take (its elements are the inputs of one fused loop).
MAX_WINDOW = 16


def _windows(op, ws, stride, pad, mode_ok=True):
    """``(rows, cols)`` of a non-overlapping, unpadded 2-d max pool that drops partial
    windows (what the rewrites take), else None."""
    if not mode_ok or op.ndim != 2 or not op.ignore_border:
        return None      # partial windows at the border: keep Theano's op
    ws, stride, pad = (_constant_ints(v) for v in (ws, stride, pad))
    if ws is None or ws != stride or pad != (0, 0) or ws[0] * ws[1] > MAX_WINDOW:
        return None
    return ws


def _elemwise_max_pool(node):
    """The max over a window's strided slices (one fused loop), shaped like the Pool's."""
    import theano.tensor as T
    from theano.tensor.signal.pool import Pool
    if type(node.op) is not Pool:
        return None
    x, ws, stride, pad = node.inputs
    window = _windows(node.op, ws, stride, pad, node.op.mode == "max")
    if window is None:
        return None
    rows, cols = window
    lead = (slice(None),) * (x.ndim - 2)
    height, width = x.shape[-2] // rows * rows, x.shape[-1] // cols * cols
    # one slice per window position, up to the last whole window (no slice of a slice,
    # which Theano's local_subtensor_merge would spend seconds merging back into one)
    parts = [x[lead + (slice(i, height, rows), slice(j, width, cols))]
             for i in range(rows) for j in range(cols)]
    while len(parts) > 1:
        parts = [T.maximum(a, b) for a, b in zip(parts[::2], parts[1::2])] + (
            parts[-1:] if len(parts) % 2 else [])
    return [parts[0]]


def _elemwise_max_pool_grad(node):
    """``eq(x, max) * gz`` over non-overlapping windows, shaped like ``x``; or None."""
    import theano.tensor as T
    from theano.tensor.signal.pool import MaxPoolGrad
    if type(node.op) is not MaxPoolGrad:
        return None
    x, maxout, gz, ws, stride, pad = node.inputs
    window = _windows(node.op, ws, stride, pad)
    if window is None:
        return None
    ws = window
    lead = x.ndim - 2
    rows, cols = ws
    out_rows, out_cols = maxout.shape[-2], maxout.shape[-1]
    covered = x[(slice(None),) * lead + (slice(None, out_rows * rows),
                                         slice(None, out_cols * cols))]
    windows = covered.reshape(tuple(x.shape[i] for i in range(lead))
                              + (out_rows, rows, out_cols, cols), ndim=lead + 4)
    spread = tuple(range(lead)) + (lead, "x", lead + 1, "x")
    grad = T.eq(windows, maxout.dimshuffle(*spread)) * gz.dimshuffle(*spread)
    grad = T.cast(grad, x.dtype).reshape(covered.shape, ndim=x.ndim)
    whole = T.set_subtensor(T.zeros_like(x)[(slice(None),) * lead + (
        slice(None, out_rows * rows), slice(None, out_cols * cols))], grad)
    return [whole]


def _local_optimizers():
    from theano.graph.opt import local_optimizer
    from theano.tensor.signal.pool import MaxPoolGrad, Pool

    @local_optimizer([Pool])
    def max_pool_as_elemwise(fgraph, node):
        return _elemwise_max_pool(node)

    @local_optimizer([MaxPoolGrad])
    def max_pool_grad_as_elemwise(fgraph, node):
        return _elemwise_max_pool_grad(node)

    return max_pool_as_elemwise, max_pool_grad_as_elemwise


def max_pool_as_elemwise():
    """The graph rewrites (a Theano global optimizer applying both local ones everywhere)."""
    from theano.graph.opt import in2out
    return in2out(*_local_optimizers(), name="max_pool_as_elemwise")


#: The Op class of :func:`python_thunks` (made on first use: Theano is imported then).
PythonThunk = None


def _python_thunk_class():
    global PythonThunk
    if PythonThunk is not None:
        return PythonThunk
    from theano.graph.basic import Apply
    from theano.graph.op import Op

    class PythonThunk(Op):
        """``op`` run by its Python ``perform``: a shape or view op not worth a C module.

        Theano compiles one C++ module per distinct op (about a second of g++
        each, cold); for ``Shape_i``, ``MakeVector``, ``DimShuffle``,
        ``Reshape``, ``Subtensor`` and integer scalar arithmetic the Python
        implementation costs microseconds per call.  Same inputs, outputs,
        views and destroyed inputs as ``op``; the values are ``op.perform``'s.
        """

        __props__ = ("op",)

        def __init__(self, op):
            self.op = op
            self.view_map = dict(getattr(op, "view_map", {}))
            self.destroy_map = dict(getattr(op, "destroy_map", {}))

        def make_node(self, *inputs):
            node = self.op.make_node(*inputs)
            return Apply(self, node.inputs, [o.type() for o in node.outputs])

        def perform(self, node, inputs, outputs):     # make_thunk runs op's own
            raise NotImplementedError

        def make_thunk(self, node, storage_map, compute_map, no_recycling, impl=None):
            inner = Apply(self.op, node.inputs, [o.type() for o in node.outputs])
            storage, computed = dict(storage_map), dict(compute_map)
            for mine, its in zip(node.outputs, inner.outputs):
                storage[its], computed[its] = storage_map[mine], compute_map[mine]
            return self.op.make_thunk(inner, storage, computed, no_recycling, impl="py")

        def __str__(self):
            return "PythonThunk{%s}" % (self.op,)

    PythonThunk.__qualname__ = "PythonThunk"        # picklable as speed.PythonThunk
    return PythonThunk


def _holds_one_element(variable):
    """A 0-d tensor, or one whose every dimension is broadcastable (length 1)."""
    broadcastable = getattr(variable.type, "broadcastable", None)
    return broadcastable is not None and all(broadcastable)


def _is_cheap(node):
    """A shape/view op, or an element-wise op on one-element tensors (shape sums, the
    loss's mean: a sum divided by a count, the learning rate's inverse)."""
    from theano.compile.ops import Shape_i
    from theano.tensor.basic import Reshape, ScalarFromTensor, TensorFromScalar
    from theano.tensor.opt import MakeVector
    from theano.tensor.elemwise import DimShuffle, Elemwise
    from theano.tensor.subtensor import Subtensor
    op = node.op
    if type(op) in (Shape_i, MakeVector, Reshape, ScalarFromTensor, TensorFromScalar,
                    DimShuffle, Subtensor):
        return True
    # Elemwise.perform of 32 inputs or more is not numpy's (Theano's own limit)
    return type(op) is Elemwise and len(node.inputs) < 32 and all(
        _holds_one_element(v) for v in node.inputs + node.outputs)


def python_thunks():
    """The rewrite running cheap shape/view ops in Python (see ``PythonThunk``)."""
    from theano.graph.opt import in2out, local_optimizer
    wrapper = _python_thunk_class()

    @local_optimizer(None)
    def cheap_ops_in_python(fgraph, node):
        if isinstance(node.op, wrapper) or not _is_cheap(node):
            return None
        outputs = wrapper(node.op).make_node(*node.inputs).outputs
        return outputs

    return in2out(cheap_ops_in_python, name="cheap_ops_in_python", ignore_newtrees=True)


def training_mode(mode=None):
    """The Theano mode for the Trainer's functions (see the module docstring).

    ``mode`` (default: Theano's default mode) is extended, not replaced: a
    user's ``THEANO_FLAGS=mode=...`` still decides the rest.
    """
    from theano.compile.mode import get_mode
    base = get_mode(mode)
    try:
        base = base.clone(link_kwargs={"allow_gc": False})
    except TypeError:                   # a linker without allow_gc (e.g. JAX): as it is
        pass
    return base.register((max_pool_as_elemwise(), MAX_POOL_POSITION),
                         (python_thunks(), PYTHON_THUNKS_POSITION))


def bundled_openblas():
    """``blas__ldflags`` for the OpenBLAS scipy's wheel ships, or None if there is none."""
    import ctypes
    import glob
    import importlib.util
    import os
    spec = importlib.util.find_spec("scipy")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = os.path.join(os.path.dirname(list(spec.submodule_search_locations)[0]),
                          "scipy.libs")
    for path in sorted(glob.glob(os.path.join(folder, "libopenblas*.so*"))):
        try:
            library = ctypes.CDLL(path)
        except OSError:
            continue
        if hasattr(library, "sgemm_") and hasattr(library, "dgemm_"):
            return "-L%s -l:%s" % (folder, os.path.basename(path))
    return None


#: The headers every Theano C module includes first, in this order (``DynamicModule``
#: and ``TensorType.c_headers``): :func:`module_headers` precompiles them.
MODULE_HEADERS = ("<Python.h>", "<iostream>", '"theano_mod_helper.h"', "<math.h>",
                  "<numpy/arrayobject.h>", "<numpy/arrayscalars.h>", "<vector>", "<algorithm>")
#: Flags Theano's ``CLinker.compile_args`` puts before the compiler's own (all modules).
THEANO_BASE_FLAGS = ("-O3", "-fno-math-errno", "-Wno-unused-label", "-Wno-unused-variable",
                     "-Wno-write-strings")
#: Appended to ``gcc__cxxflags``: no debug information (Theano's g++ line has ``-g``).
NO_DEBUG_INFO = "-g0"


def _header_fingerprint(cxxflags):
    """What a precompiled header depends on: compiler, flags, include dirs and the headers."""
    import hashlib
    import os
    from theano.link.c.cmodule import GCC_compiler, std_include_dirs
    from theano import config
    parts = [GCC_compiler.version_str(), config.cxx, cxxflags]
    parts += GCC_compiler.compile_args()
    for folder in std_include_dirs():
        parts.append(folder)
        for name in ("Python.h", "pyconfig.h", "numpy/arrayobject.h", "numpy/ndarraytypes.h",
                     "numpy/_numpyconfig.h", "theano_mod_helper.h"):
            path = os.path.join(folder, name)
            if os.path.exists(path):
                stat = os.stat(path)
                parts.append("%s %d %d" % (path, stat.st_size, stat.st_mtime_ns))
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def module_headers(cxxflags):
    """A header including :data:`MODULE_HEADERS`, precompiled beside it, or None.

    For ``gcc__cxxflags = cxxflags + " -include " + path``: g++ then loads the
    headers' parsed form (``path + ".gch"``) instead of parsing Python's,
    numpy's and the C++ library's headers again for every module (over half
    of each module's compile time here).  Built once per compile directory
    and fingerprint (compiler, flags, include directories, the headers'
    sizes and times), under Theano's compile lock, written atomically.  g++
    uses a precompiled header only where it was built with the module's own
    options, and otherwise includes the header as text: the same headers the
    module includes first anyway, each guarded against a second inclusion.
    None where the compile directory's path holds a space (Theano splits
    ``gcc__cxxflags`` at spaces) or g++ cannot build it.
    """
    import os
    import subprocess
    import tempfile
    from theano import config
    from theano.compile.compilelock import lock_ctx
    from theano.link.c.cmodule import GCC_compiler, std_include_dirs
    if not config.cxx:
        return None
    with config.change_flags(gcc__cxxflags=cxxflags):
        folder = os.path.join(config.compiledir, "lasagne_params_headers",
                              _header_fingerprint(cxxflags))
        header = os.path.join(folder, "theano_module_headers.h")
        if " " in header:
            return None
        if os.path.exists(header + ".gch"):
            return header
        command = ([config.cxx, "-x", "c++-header"] + list(THEANO_BASE_FLAGS)
                   + GCC_compiler.compile_args() + ["-I" + d for d in std_include_dirs()])
    os.makedirs(folder, exist_ok=True)
    with lock_ctx():
        if os.path.exists(header + ".gch"):
            return header
        text = "".join("#include %s\n" % name for name in MODULE_HEADERS)
        with tempfile.NamedTemporaryFile("w", dir=folder, suffix=".h", delete=False) as out:
            out.write(text)
        built = out.name + ".gch"
        try:
            done = subprocess.run(command + ["-o", built, out.name], capture_output=True)
            if done.returncode:
                return None
            os.replace(out.name, header)
            os.replace(built, header + ".gch")
        finally:
            for path in (out.name, built):
                if os.path.exists(path):
                    os.remove(path)
    return header


def compile_flags():
    """The Theano flags :func:`compile_scope` sets here: {name: value}.

    * ``blas__ldflags``, only when empty (``install_compat``'s default, which
      it writes into ``THEANO_FLAGS`` itself, so it cannot be told from a
      user's choice of no BLAS): scipy's OpenBLAS;
    * ``gcc__cxxflags``: the user's, then ``-g0`` (no debug information:
      Theano writes ``-g`` into every g++ line) and ``-include`` the
      precompiled :func:`module_headers`.  Neither changes the machine code
      of the loops (``-g`` only adds debugging sections).

    ``openmp`` is left as the user set it (see the module docstring).
    """
    from theano import config
    flags = {}
    if not config.blas__ldflags.strip():
        blas = bundled_openblas()
        if blas:
            flags["blas__ldflags"] = blas
    cxxflags = " ".join(f for f in (config.gcc__cxxflags.strip(), NO_DEBUG_INFO) if f)
    header = module_headers(cxxflags)
    flags["gcc__cxxflags"] = cxxflags + (" -include " + header if header else "")
    return flags


@contextlib.contextmanager
def compile_scope():
    """Theano's flags for compiling the Trainer's functions (see the module docstring)."""
    from theano import config
    flags = compile_flags()
    with config.change_flags(**flags):
        yield flags
