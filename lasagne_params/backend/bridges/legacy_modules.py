"""Old module names that historical code imports and today's Theano or scikit-learn lack.

Scripts of 2015-2019 import modules that Theano-PyMC 1.1.2 and scikit-learn
>= 0.20 no longer have: Theano's old GPU backend (``theano.sandbox.cuda``,
asked whether a GPU is there, or told to use one), the old shared
``RandomStreams``, ``theano.scan_module``, ``sklearn.cross_validation`` and
``sklearn.grid_search``...  Each such module is one :class:`LegacyModule`
record of :data:`LEGACY_MODULES` (its name, what stands in for it, what must
be installed for it to be served); one finder, :class:`LegacyFinder`, serves
them all, and :func:`install_legacy_modules` (called by ``install_compat``)
puts it first on ``sys.meta_path`` and lists each record it may serve in the
CompatReport.

What it must never do: shadow a real module.  For a name of the table the
finder first looks for the real module; where there is one it is run, and
only if it raises ImportError is the module given the stand-in's contents
instead (as ``gpu_standins`` does for Lasagne's GPU modules).  A record whose
required package is not installed is never served.  Every served module has
``__lasagne_params_compat__`` (why: the real module is absent, or its
ImportError), and :func:`served` lists those served in this process.

The contents are in ``legacy_theano.py`` and ``legacy_sklearn.py`` (imported
only when a module of theirs is served); the table was ranked by how many of
99 historical Lasagne/Theano repositories import each name (docs/compatibility.md).
"""
import importlib
import importlib.machinery
import importlib.util
import sys
from dataclasses import dataclass
from typing import Tuple

__all__ = ["LegacyModule", "LEGACY_MODULES", "NAMES", "LegacyFinder", "install_legacy_modules",
           "served"]


@dataclass(frozen=True, slots=True)
class LegacyModule:
    """One old module name served where the real module does not import.

    ``replacement`` says what stands in for it (the CompatReport's words);
    ``requires`` the top-level packages that must be installed for it to be served;
    ``mirrors`` a module whose public names it re-exports (``""``: none);
    ``fill`` the function (``"legacy_theano:sandbox_cuda"``) that gives it the rest;
    ``package`` whether it holds served submodules; ``parent_attribute`` whether the
    old library imported it into its parent package (so ``theano.tensor.X`` worked
    without ``import theano.tensor.X``): it is then imported when installed.
    """

    name: str
    replacement: str
    requires: Tuple[str, ...]
    mirrors: str = ""
    fill: str = ""
    package: bool = False
    parent_attribute: bool = False

    @property
    def says(self):
        """What the CompatReport says of it when it may be served."""
        return "%s -> %s" % (self.name, self.replacement)


#: The legacy modules, most imported first (by how many of 99 historical repositories import
#: each: 21, 18 (the package or a submodule), 14, 12, 7, 3, 3, 2, 2, 2, 1, 1, 0, 0).
LEGACY_MODULES = (
    LegacyModule("sklearn.cross_validation",
                 "adapters with the old signatures over sklearn.model_selection",
                 ("sklearn",), fill="legacy_sklearn:cross_validation"),
    LegacyModule("theano.sandbox.cuda", "a stand-in saying there is no GPU (cuda_available False)",
                 ("theano",), fill="legacy_theano:sandbox_cuda", package=True),
    LegacyModule("theano.sandbox.cuda.dnn",
                 "dnn_available() False; dnn_conv/dnn_pool on the CPU",
                 ("theano",), fill="legacy_theano:cuda_dnn"),
    LegacyModule("theano.sandbox.cuda.basic_ops",
                 "gpu_contiguous/host_from_gpu/gpu_from_host as CPU identities",
                 ("theano",), fill="legacy_theano:basic_ops"),
    LegacyModule("theano.tensor.shared_randomstreams",
                 "RandomStreams with the old methods over theano.tensor.random's RandomStream",
                 ("theano",), fill="legacy_theano:shared_randomstreams", parent_attribute=True),
    LegacyModule("sklearn.grid_search",
                 "GridSearchCV/RandomizedSearchCV with the old signatures over "
                 "sklearn.model_selection", ("sklearn",), fill="legacy_sklearn:grid_search"),
    LegacyModule("sklearn.externals.joblib", "joblib", ("sklearn", "joblib"), mirrors="joblib"),
    LegacyModule("theano.sandbox.cuda.blas", "GpuCorrMM and the other GPU ops, raising when applied",
                 ("theano",), fill="legacy_theano:cuda_blas"),
    LegacyModule("theano.scan_module", "theano.scan", ("theano",), mirrors="theano.scan",
                 package=True),
    LegacyModule("theano.scan_module.scan_utils", "theano.scan.utils", ("theano",),
                 mirrors="theano.scan.utils"),
    LegacyModule("theano.sandbox.cuda.var",
                 "the GPU variable classes, raising when made",
                 ("theano",), fill="legacy_theano:cuda_var"),
    LegacyModule("theano.sandbox.cuda.type", "CudaNdarrayType, raising when made",
                 ("theano",), fill="legacy_theano:cuda_type"),
    LegacyModule("sklearn.lda", "LDA = LinearDiscriminantAnalysis", ("sklearn",),
                 fill="legacy_sklearn:lda"),
    LegacyModule("sklearn.qda", "QDA = QuadraticDiscriminantAnalysis", ("sklearn",),
                 fill="legacy_sklearn:qda"),
)
_BY_NAME = {record.name: record for record in LEGACY_MODULES}
#: The names served (so that the first-import hook knows them without importing anything).
NAMES = frozenset(_BY_NAME)

_served = {}        # module name -> why the stand-in was served


def served():
    """{legacy module: why it was served (absent, or the real module's ImportError)}."""
    return dict(_served)


def _installed(package):
    """True when top-level ``package`` can be imported (nothing is imported to know)."""
    return package in sys.modules or importlib.util.find_spec(package) is not None


def _on_disk(name):
    """The real module's spec, looked for on disk without importing anything; else None."""
    top, *rest = name.split(".")
    spec = importlib.util.find_spec(top) if top not in sys.modules else sys.modules[top].__spec__
    for depth in range(len(rest)):
        if spec is None or not spec.submodule_search_locations:
            return None
        partial = ".".join([top] + rest[:depth + 1])
        loaded = sys.modules.get(partial)
        if loaded is not None and not getattr(loaded, "__lasagne_params_compat__", False):
            spec = loaded.__spec__
        else:
            spec = importlib.machinery.PathFinder.find_spec(
                partial, list(spec.submodule_search_locations))
    return spec


def _fill(module, record, reason):
    """Give ``module`` the stand-in contents of ``record``."""
    exported = []
    if record.mirrors:
        source = importlib.import_module(record.mirrors)
        names = getattr(source, "__all__", None) or [
            name for name in vars(source) if not name.startswith("_")]
        for name in names:
            setattr(module, name, getattr(source, name))
        exported += names
    module.__doc__ = ("lasagne_params: stand-in for %s, which does not import here (%s): %s; "
                      "see docs/compatibility.md" % (record.name, reason, record.replacement))
    module.__lasagne_params_compat__ = reason
    if record.package:
        module.__path__ = []                # its submodules: this table's, or none
    _served[record.name] = reason
    if record.fill:
        where, _, function = record.fill.partition(":")
        filler = getattr(importlib.import_module("." + where, __package__), function)
        exported += filler(module)
    module.__all__ = [name for name in dict.fromkeys(exported) if not name.startswith("_")]


class _Loader:
    """Runs the real module when there is one; if it raises ImportError (or there is none),
    gives the module the record's stand-in contents."""

    def __init__(self, record, real=None):
        self.record, self.real = record, real

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        if self.real is not None:
            try:
                self.real.exec_module(module)
                return
            except ImportError as exc:
                reason = "%s: %s" % (type(exc).__name__, (str(exc).splitlines() or [""])[0])
            for key in [k for k in vars(module) if not k.startswith("__")]:
                delattr(module, key)      # what the real module defined before it failed
        else:
            reason = "no such module"
        _fill(module, self.record, reason)


class LegacyFinder:
    """Meta-path finder for the names of :data:`LEGACY_MODULES`: the real module where there
    is one, else (or if it raises ImportError) the stand-in."""

    def find_spec(self, name, path=None, target=None):
        record = _BY_NAME.get(name)
        if record is None or not all(_installed(p) for p in record.requires):
            return None
        real = importlib.machinery.PathFinder.find_spec(name, path)
        if real is not None and real.loader is not None:
            return importlib.util.spec_from_file_location(
                name, real.origin, loader=_Loader(record, real.loader),
                submodule_search_locations=real.submodule_search_locations)
        return importlib.util.spec_from_loader(name, _Loader(record), is_package=record.package)


def install_legacy_modules(report):
    """Put :class:`LegacyFinder` first on ``sys.meta_path`` (once); list in ``report`` each
    legacy module it serves here (``applied``; ``present`` when the real module is there or
    on a second call).  A record whose required packages are missing is not listed."""
    again = any(isinstance(finder, LegacyFinder) for finder in sys.meta_path)
    if not again:
        sys.meta_path.insert(0, LegacyFinder())
    for record in LEGACY_MODULES:
        if not all(_installed(p) for p in record.requires):
            continue
        if _on_disk(record.name) is not None:
            report.present.append(record.name + " (installed)")
        elif again:
            report.present.append(record.name + " (stand-in)")
        else:
            report.applied.append(record.says)
            if record.parent_attribute:
                importlib.import_module(record.name)
