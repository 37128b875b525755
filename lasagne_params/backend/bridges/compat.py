"""Make Lasagne 0.1 import and run on Theano-PyMC 1.1.2 under a modern Python.

Lasagne 0.1 (the only Lasagne on PyPI) was written against Theano 0.7/0.8.
Theano-PyMC 1.1.2 renamed or removed a few names it uses, and its own import
breaks with the numpy.distutils found beside numpy 1.23.  :func:`install_compat`
bridges each gap, and only where the gap is really there:

================================  ============================================
what                              bridge
================================  ============================================
``blas__ldflags`` (Theano flag)   set to ``""`` in ``THEANO_FLAGS`` before
                                  Theano is imported, unless the user set it
                                  (``THEANO_FLAGS`` or a ``.theanorc`` file):
                                  Theano's default reads
                                  ``numpy.distutils.__config__.blas_opt_info``,
                                  which numpy 1.23 no longer provides.  Dot
                                  products then go through numpy's C-API;
                                  the warning Theano prints about that is
                                  silenced (logger ``theano.tensor.blas``).
``theano.sandbox.rng_mrg.``       alias of ``MRG_RandomStream`` (renamed);
``MRG_RandomStreams``             used by DropoutLayer / GaussianNoiseLayer.
``theano.tensor.signal.``         a module whose ``max_pool_2d(input, ds,
``downsample``                    ignore_border, st, padding, mode)`` calls
                                  ``pool.pool_2d(input, ws, ignore_border,
                                  stride, pad, mode)``; used by pool layers.
``theano.gof``                    a namespace giving ``Variable`` from
                                  ``theano.graph.basic`` (moved); used by
                                  ``lasagne.utils.as_theano_expression``.
``theano.Variable``               alias of ``theano.graph.basic.Variable``
                                  (Theano <= 1.0 exported it at top level).
                                  Lasagne master checks parameter specs with
                                  it (``utils.create_param``: every layer
                                  with an array), and in
                                  ``collect_shared_vars``, ``compute_norms``,
                                  ``RandomizedRectifierLayer``.
``theano.gof.graph.inputs``       a ``theano.gof.graph`` namespace whose
                                  ``inputs(variables, blockers)`` is
                                  ``list(theano.graph.basic.graph_inputs(
                                  variables, blockers))``: the same walk,
                                  returned as a list as Theano 1.0 did.
                                  Lasagne master's ``collect_shared_vars``
                                  uses it, so every ``get_params``,
                                  ``get_all_params``, ``count_params`` and
                                  update.  ``is_same_graph`` likewise over
                                  ``theano.graph.toolbox`` (Lasagne's own
                                  tests compare graphs with it).
``pkg_resources``                 only where setuptools no longer ships it
                                  (setuptools >= 81), and only for the import
                                  in ``lasagne/__init__`` (which asks it for
                                  Lasagne's version): a meta-path finder gives
                                  Lasagne a ``get_distribution(name).version``
                                  over ``importlib.metadata``; everyone else
                                  still finds no ``pkg_resources``.
``lasagne.layers.dnn``,           where the real module raises ImportError
``corrmm``, ``cuda_convnet``      (no CUDA GPU, no cuDNN, no pylearn2), CPU
                                  stand-ins with the same names, signatures,
                                  defaults, parameters and output shapes
                                  (gpu_standins.py, standin_layers.py); a
                                  real GPU module that imports is kept.
``theano.scan.scan_perform_ext``  blocked (``sys.modules[...] = None``) when
                                  its C source includes ``longintrepr.h`` and
                                  this Python has no such top-level header
                                  (3.11 moved it), so Theano takes its
                                  pure-Python scan instead of failing to build.
``numpy.linspace`` (float count)  in ``lasagne.layers.special`` only (master's
                                  TPSTransformerLayer, numpy >= 1.18): a
                                  whole-number float count becomes an int;
                                  see op_bridges.py.
``BatchedDot`` C code             not offered while ``blas__ldflags`` is
                                  empty (its module cannot load: undefined
                                  ``sgemm_``); Theano runs its Python
                                  ``perform``.  ``T.batched_dot``, used by
                                  TPSTransformerLayer; see op_bridges.py.
``lasagne.layers.Layer.__new__``  added (Layer has none): a layer of a class
                                  that is not Lasagne's remembers the
                                  arguments it was built with, beside it
                                  (nothing stored on the layer), so that
                                  its class can be derived from its own
                                  code; see layer_calls.py.
old module names                  ``theano.sandbox.cuda`` (no GPU), its
(``theano.sandbox.cuda``,         ``dnn``/``basic_ops``..., the old shared
``sklearn.cross_validation``...)  ``RandomStreams``, ``theano.scan_module``,
                                  scikit-learn's ``cross_validation``,
                                  ``grid_search``...: one declared table and
                                  one finder (legacy_modules.py), each served
                                  only where the real module does not import.
C module cache keys              an op whose ``__props__`` is empty (Dot22,
                                  the softmax ops, Alloc, ...) no longer makes
                                  its module unversioned, compiled again in
                                  every process: see cache_keys.py.
Theano's ``image_shape``          Lasagne 0.1's convolutions pass
deprecation warning               ``image_shape=`` to ``T.nnet.conv2d``, which
                                  Theano-PyMC warns about on every graph
                                  built (every ``get_output``, every
                                  compile): one ``warnings`` filter ignores
                                  that message when it is raised for a
                                  module of ``lasagne`` only; user code
                                  passing ``image_shape`` still hears it,
                                  and every other warning is untouched.
``nolearn``, ``nolearn.lasagne``  served from this package (a meta-path finder,
                                  last on ``sys.meta_path``) when no real
                                  nolearn is importable: nolearn 0.6's API, see
                                  :mod:`lasagne_params.backend.bridges.nolearn_modules`.
================================  ============================================

The same bridges serve Lasagne's master branch (0.2.dev1): Lasagne 0.1 never
uses ``theano.Variable`` or ``theano.gof.graph.inputs``, master never uses
``downsample``; each is installed
because Theano lacks the name, whichever Lasagne is there.  See
docs/compatibility.md.

Every bridge is feature-detected (never a version check), idempotent, and
recorded in the returned :class:`CompatReport`.  Call it before ``import
lasagne`` in historical code::

    import lasagne_params
    lasagne_params.install_compat()
    import lasagne
"""
import configparser
import os
import sys
import types
from dataclasses import dataclass, field
from typing import List

from ...core.errors import ArgumentError, DependencyError
from ...core.optional import require
from .cache_keys import bridge_empty_props_versioning
from .gpu_standins import install_gpu_standins
from .layer_calls import install_layer_calls
from .legacy_modules import install_legacy_modules
from .legacy_names import install_legacy_names
from .nolearn_modules import install_nolearn
from .ops import install_op_bridges
from .openmp import bridge_elemwise_pragma

__all__ = ["install_compat", "import_lasagne", "CompatReport", "user_configured",
           "user_configured_blas", "prefer_floatx"]

_FLAG = "blas__ldflags"


@dataclass
class CompatReport:
    """What one call of :func:`install_compat` did.

    ``applied`` lists the bridges this call installed; ``present`` the ones
    that were not needed (the name already existed, or an earlier call
    installed it); ``notes`` anything else worth knowing.
    """

    applied: List[str] = field(default_factory=list)
    present: List[str] = field(default_factory=list)
    notes: List[str] = field(default_factory=list)

    def __str__(self):
        lines = ["applied: " + (", ".join(self.applied) or "nothing"),
                 "already fine: " + (", ".join(self.present) or "nothing")]
        lines += ["note: " + n for n in self.notes]
        return "\n".join(lines)


def _theanorc_files():
    default = os.pathsep.join(
        [os.path.expanduser("~/.theanorc"), os.path.expanduser("~/.theanorc.txt")])
    return [p for p in os.environ.get("THEANORC", default).split(os.pathsep) if p]


def user_configured(flag, section, option, environ=None, rc_files=None):
    """True when the user set a Theano config option themselves.

    Looks at ``THEANO_FLAGS`` (``flag=`` with its new ``a__b`` or old
    ``a.b`` spelling) and at the ``[section] option`` entry of the Theano
    config files (``THEANORC``, default ``~/.theanorc`` and
    ``~/.theanorc.txt``).
    """
    environ = os.environ if environ is None else environ
    spellings = {flag, flag.replace("__", ".")}
    for item in environ.get("THEANO_FLAGS", "").split(","):
        if item.split("=", 1)[0].strip() in spellings:
            return True
    for path in (_theanorc_files() if rc_files is None else rc_files):
        if not os.path.isfile(path):
            continue
        parser = configparser.ConfigParser(interpolation=None)
        try:
            parser.read(path)
        except configparser.Error:
            continue
        if parser.has_option(section, option):
            return True
    return False


def user_configured_blas(environ=None, rc_files=None):
    """True when the user chose BLAS link flags for Theano themselves.

    ``blas__ldflags=`` (or the old ``blas.ldflags=``) in ``THEANO_FLAGS``, or
    ``[blas] ldflags`` in a Theano config file.
    """
    return user_configured(_FLAG, "blas", "ldflags", environ, rc_files)


def prefer_floatx(dtype="float32", environ=None, rc_files=None):
    """Ask Theano for ``floatX=dtype`` unless the user chose a floatX.

    Opt-in (``install_compat`` never calls it): scripts that want float32
    speed call it before Theano is imported.  It adds ``floatX=dtype`` to
    ``THEANO_FLAGS`` only when neither ``THEANO_FLAGS`` nor a Theano config
    file (``[global] floatX``) sets floatX, and (for the real environment,
    ``environ=None``) only while Theano is not imported yet.

    Returns
    -------
    bool
        True when it set the flag.
    """
    if environ is None:
        if "theano" in sys.modules:       # too late: Theano read its flags
            return False
        environ = os.environ
    if user_configured("floatX", "global", "floatX", environ, rc_files):
        return False
    flags = environ.get("THEANO_FLAGS", "")
    environ["THEANO_FLAGS"] = (flags + "," if flags else "") + "floatX=" + dtype
    return True


def _set_blas_flag(report):
    if "theano" in sys.modules:
        report.notes.append("theano was already imported; blas__ldflags left as it is")
        return
    flags = os.environ.get("THEANO_FLAGS", "")
    if user_configured_blas():
        report.present.append(_FLAG + " (set by the user)")
    else:
        os.environ["THEANO_FLAGS"] = (flags + "," if flags else "") + _FLAG + "="
        report.applied.append(_FLAG + "=''")
    if any(item.replace(" ", "") in (_FLAG + "=", "blas.ldflags=")
           for item in os.environ.get("THEANO_FLAGS", "").split(",")):
        # With empty flags Theano warns on every import that it uses numpy's
        # C-API for BLAS: expected here, so not worth a line on stderr.
        import logging
        logging.getLogger("theano.tensor.blas").setLevel(logging.ERROR)


def _block_uncompilable_scan(report):
    """Let Theano fall back to its Python scan when the Cython one cannot build."""
    name = "theano.scan.scan_perform_ext"
    if name in sys.modules:
        if sys.modules[name] is None:
            report.present.append("scan: pure-Python fallback")
        return
    import importlib.util
    import sysconfig
    spec = importlib.util.find_spec("theano")
    if spec is None or not spec.submodule_search_locations:
        return
    c_file = os.path.join(list(spec.submodule_search_locations)[0],
                          "scan", "c_code", "scan_perform.c")
    header = os.path.join(sysconfig.get_paths()["include"], "longintrepr.h")
    try:
        with open(c_file, encoding="utf-8", errors="replace") as fh:
            needs_header = '#include "longintrepr.h"' in fh.read()
    except OSError:
        return
    if needs_header and not os.path.exists(header):
        sys.modules[name] = None
        report.applied.append("scan: pure-Python fallback (longintrepr.h missing)")


#: Theano-PyMC's words when given the old keyword, and the modules they are silenced for.
IMAGE_SHAPE_MESSAGE = "The `image_shape` keyword argument to `tensor.nnet.conv2d`"
IMAGE_SHAPE_MODULES = r"lasagne(\.|$)"
IMAGE_SHAPE_BRIDGE = "image_shape deprecation warning: silenced for Lasagne's own calls"


def _quiet_image_shape(report):
    """Ignore Theano's ``image_shape`` deprecation warning where Lasagne 0.1 raises it.

    Lasagne 0.1 (not ours to edit) calls ``T.nnet.conv2d(..., image_shape=...)``;
    Theano-PyMC renamed the keyword and warns on each call, that is on every graph
    built with a convolution.  The warning says nothing a user can act on.  The filter
    matches that message raised for a module of ``lasagne`` only (``warnings.warn``'s
    ``stacklevel=2`` names the caller), so the same warning for the user's own call of
    ``conv2d`` and every other warning still show.  A later call puts the filter back
    if a ``warnings.catch_warnings()`` block has since dropped it (listed as present:
    the bridge was applied before).
    """
    import re
    import warnings
    installed = any(action == "ignore" and getattr(message, "pattern", None) == re.escape(
        IMAGE_SHAPE_MESSAGE) and getattr(module, "pattern", None) == IMAGE_SHAPE_MODULES
        for action, message, _, module, _ in warnings.filters)
    if not installed:
        warnings.filterwarnings("ignore", message=re.escape(IMAGE_SHAPE_MESSAGE),
                                category=UserWarning, module=IMAGE_SHAPE_MODULES)
    if installed or _APPLIED:
        report.present.append(IMAGE_SHAPE_BRIDGE)
    else:
        report.applied.append(IMAGE_SHAPE_BRIDGE)
        _APPLIED.append(IMAGE_SHAPE_BRIDGE)


#: The bridges of this module applied once in this process (a later call lists them
#: as present).
_APPLIED: List[str] = []


def _bridge_rng(report):
    import theano.sandbox.rng_mrg as rng_mrg
    if hasattr(rng_mrg, "MRG_RandomStreams"):
        report.present.append("MRG_RandomStreams")
    else:
        rng_mrg.MRG_RandomStreams = rng_mrg.MRG_RandomStream
        report.applied.append("MRG_RandomStreams -> MRG_RandomStream")


def _make_downsample():
    from theano.tensor.signal import pool

    def max_pool_2d(input, ds, ignore_border=None, st=None, padding=(0, 0),
                    mode="max"):
        """Theano 0.7's ``downsample.max_pool_2d`` over ``pool.pool_2d``."""
        return pool.pool_2d(input, ws=ds, ignore_border=ignore_border,
                            stride=st, pad=padding, mode=mode)

    module = types.ModuleType("theano.tensor.signal.downsample")
    module.__doc__ = "lasagne_params compat: old name over theano.tensor.signal.pool"
    module.max_pool_2d = max_pool_2d
    module.__lasagne_params_compat__ = True
    return module


def _bridge_downsample(report):
    import theano.tensor.signal as signal
    name = "theano.tensor.signal.downsample"
    existing = sys.modules.get(name) or getattr(signal, "downsample", None)
    if existing is None:
        try:
            import importlib
            existing = importlib.import_module(name)
        except ImportError:
            existing = None
    if existing is not None and hasattr(existing, "max_pool_2d"):
        report.present.append("theano.tensor.signal.downsample")
        return
    module = _make_downsample()
    sys.modules[name] = module
    signal.downsample = module
    report.applied.append("theano.tensor.signal.downsample.max_pool_2d -> pool.pool_2d")


def _namespace(parent, name, doc):
    """Module ``name`` (``parent``'s attribute): the existing one, or a new namespace module."""
    attr = name.rpartition(".")[2]
    module = getattr(parent, attr, None)
    if module is None:
        module = types.ModuleType(name)
        module.__doc__ = "lasagne_params compat: " + doc
        module.__lasagne_params_compat__ = True
        sys.modules.setdefault(name, module)
        setattr(parent, attr, module)
    return module


def _bridge_gof(report):
    import theano
    gof = getattr(theano, "gof", None)
    if gof is not None and hasattr(gof, "Variable"):
        report.present.append("theano.gof.Variable")
        return
    from theano.graph.basic import Variable
    gof = _namespace(theano, "theano.gof", "names moved to theano.graph")
    gof.Variable = Variable
    report.applied.append("theano.gof.Variable -> theano.graph.basic.Variable")


def _bridge_variable(report):
    import theano
    if hasattr(theano, "Variable"):
        report.present.append("theano.Variable")
        return
    from theano.graph.basic import Variable
    theano.Variable = Variable
    report.applied.append("theano.Variable -> theano.graph.basic.Variable")


def _graph_inputs(variables, blockers=None):
    """Theano 1.0's ``gof.graph.inputs``: the graph's inputs (no owner), as a list."""
    from theano.graph.basic import graph_inputs
    return list(graph_inputs(variables, blockers))


def _is_same_graph():
    from theano.graph.toolbox import is_same_graph
    return is_same_graph


#: ``theano.gof.graph`` names Theano 1.0 had: name -> (where it is now, a function
#: giving it).  ``inputs`` serves Lasagne master; ``is_same_graph`` Lasagne's own tests
#: (``test_objectives``) and code comparing graphs as they did.
GOF_GRAPH = (
    ("inputs", "theano.graph.basic.graph_inputs", lambda: _graph_inputs),
    ("is_same_graph", "theano.graph.toolbox.is_same_graph", _is_same_graph),
)


def _bridge_graph_names(report):
    import theano
    for name, now, value in GOF_GRAPH:
        graph = getattr(getattr(theano, "gof", None), "graph", None)
        if graph is not None and hasattr(graph, name):
            report.present.append("theano.gof.graph." + name)
            continue
        gof = _namespace(theano, "theano.gof", "names moved to theano.graph")
        graph = _namespace(gof, "theano.gof.graph", "theano.gof.graph over theano.graph")
        setattr(graph, name, value())
        report.applied.append("theano.gof.graph.%s -> %s" % (name, now))


# The historical modules that import pkg_resources, and what they use of it.
PKG_RESOURCES_IMPORTERS = {
    "lasagne": "get_distribution('Lasagne').version, in lasagne/__init__",
    "theano.gpuarray.linalg": "DistributionNotFound, in an except clause (reached by scan)",
}


class _LasagnePkgResources:
    """A meta-path finder serving a minimal ``pkg_resources`` to known importers only.

    Where setuptools no longer ships ``pkg_resources`` this finder answers
    ``import pkg_resources`` only when the importing frame is one of
    :data:`PKG_RESOURCES_IMPORTERS`; any other code still finds it missing.
    The stand-in offers what those modules use (``get_distribution``,
    ``DistributionNotFound``) plus no-op ``fixup_namespace_packages`` and
    ``declare_namespace``, since code that sees ``pkg_resources`` in
    ``sys.modules`` may call them (pytest's ``monkeypatch.syspath_prepend``
    does).  After ``get_distribution`` has been called the stand-in leaves
    ``sys.modules`` again.
    """

    def find_spec(self, name, path=None, target=None):
        if name != "pkg_resources" or not self._imported_by_known_module():
            return None
        import importlib.util
        return importlib.util.spec_from_loader(name, self)

    @staticmethod
    def _imported_by_known_module():
        frame = sys._getframe(1)
        while frame is not None:
            if frame.f_globals.get("__name__") in PKG_RESOURCES_IMPORTERS:
                return True
            frame = frame.f_back
        return False

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        import importlib.metadata

        class Distribution:
            def __init__(self, name):
                self.project_name = name
                self.version = importlib.metadata.version(name)

        def get_distribution(name):
            if sys.modules.get("pkg_resources") is module:
                del sys.modules["pkg_resources"]
            try:
                return Distribution(name)
            except importlib.metadata.PackageNotFoundError as exc:
                raise module.DistributionNotFound(name) from exc

        def no_op(*args, **kwargs):
            """Namespace-package bookkeeping: nothing to do without setuptools."""

        module.__doc__ = "lasagne_params compat: pkg_resources for Lasagne 0.1 / Theano-PyMC"
        module.get_distribution = get_distribution
        module.DistributionNotFound = type("DistributionNotFound", (Exception,), {})
        module.fixup_namespace_packages = no_op
        module.declare_namespace = no_op
        module.__lasagne_params_compat__ = True


def _bridge_pkg_resources(report):
    import importlib.util
    if any(isinstance(f, _LasagnePkgResources) for f in sys.meta_path):
        report.present.append("pkg_resources (for Lasagne)")
        return
    if "pkg_resources" in sys.modules or importlib.util.find_spec("pkg_resources"):
        report.present.append("pkg_resources")
        return
    sys.meta_path.append(_LasagnePkgResources())
    report.applied.append("pkg_resources.get_distribution for Lasagne -> importlib.metadata")


def install_compat() -> "CompatReport":
    """Bridge the names Lasagne (0.1 or master) needs from Theano; return a CompatReport.

    Safe to call any number of times: a second call applies nothing and lists
    every bridge under ``present``.  Raises DependencyError (an ImportError
    naming the extra) if Theano itself is not installed, and ArgumentError
    (field ``THEANO_FLAGS``) if Theano refuses its configuration
    (``THEANO_FLAGS=floatX=banana``).
    """
    report = CompatReport()
    _set_blas_flag(report)
    _block_uncompilable_scan(report)
    try:
        require("theano", "running Lasagne")
    except DependencyError:
        raise                   # one line naming the [lasagne] extra
    except ValueError as exc:
        if "configuration variable" not in str(exc):
            raise
        raise ArgumentError("Theano refuses its configuration (here or in .theanorc): %s"
                            % exc, field="THEANO_FLAGS") from None
    _quiet_image_shape(report)
    _bridge_rng(report)
    _bridge_downsample(report)
    _bridge_gof(report)
    _bridge_variable(report)
    _bridge_graph_names(report)
    _bridge_pkg_resources(report)
    install_op_bridges(report)          # TPSTransformerLayer's numpy and BLAS gaps
    install_layer_calls(report)         # classes of your own: their constructors' arguments
    install_legacy_modules(report)      # old module names: theano.sandbox.cuda, sklearn's...
    install_legacy_names(report)        # old names in modules still there: theano.Op, imread
    install_gpu_standins(report)
    install_nolearn(report)
    bridge_elemwise_pragma(report)          # Theano's OpenMP: see backend/bridges/openmp.py
    bridge_empty_props_versioning(report)   # C modules cached: see backend/bridges/cache_keys.py
    return report


def import_lasagne():
    """The ``lasagne`` module, imported after installing the compatibility bridges."""
    install_compat()
    import lasagne
    return lasagne
