"""``import nolearn.lasagne`` without nolearn: a meta-path finder serving the stand-in.

nolearn 0.6 does not install on a modern Python.  :func:`install_nolearn`
(called by :func:`lasagne_params.install_compat`, so also by
``lasagne-params run``) appends a finder to ``sys.meta_path`` that answers
``import nolearn`` and the modules below, only when no real nolearn is
importable (and, being last on ``sys.meta_path``, never before one
installed later).  nolearn's layout is kept: its two packages are made here
and hold the names nolearn's did; each of its modules is one of this
package's modules itself (not a copy), so that what code and tests patch
in ``nolearn.lasagne.base`` (``get_output``) or ``nolearn.lasagne.handlers``
(``pickle``) is what the stand-in uses:

==============================  ===============================================
module                          what it is
==============================  ===============================================
``nolearn``                     a package (empty, as nolearn's)
``nolearn._compat``             backend/nolearn/_compat.py
``nolearn.lasagne``             a package: NeuralNet, BatchIterator,
                                TrainSplit, objective, grad_scale, and the
                                handlers
``nolearn.lasagne.base``        backend/nolearn/neuralnet.py (NeuralNet, Layers,
                                BatchIterator, TrainSplit, objective, grad_scale,
                                get_output)
``nolearn.lasagne.handlers``    backend/nolearn/handlers.py (PrintLayerInfo,
                                PrintLog, SaveWeights, RememberBestWeights,
                                RestoreBestWeights, WeightLog)
``nolearn.lasagne.util``        backend/nolearn/util.py (is_conv2d,
                                is_maxpool2d, get_conv_infos, ...)
``nolearn.lasagne.visualize``   backend/nolearn/visualize.py (plot_loss, ...,
                                draw_to_file, draw_to_notebook)
==============================  ===============================================

So ``nolearn.lasagne.NeuralNet is lasagne_params.NeuralNet``; the packages
carry ``__lasagne_params_compat__ = True``.  nolearn's other modules
(``dbn``, ``decaf``, ``metrics``, ``cache``, ...) are not served.
"""
import importlib
import importlib.util
import sys
from dataclasses import dataclass
from typing import Optional, Tuple

__all__ = ["install_nolearn", "NolearnFinder", "MODULES", "Served"]

_OURS = "lasagne_params.backend.nolearn."


@dataclass(frozen=True)
class Served:
    """One nolearn module: a package made here holding names of ours, or our module."""

    module: Optional[str] = None                # ours, served as it is
    names: Tuple[Tuple[str, Tuple[str, ...]], ...] = ()  # a package: (our module, names)

    @property
    def package(self):
        return self.module is None


MODULES = {
    "nolearn": Served(),
    "nolearn._compat": Served(_OURS + "_compat"),
    "nolearn.lasagne": Served(names=(
        (_OURS + "neuralnet", ("NeuralNet", "Layers", "BatchIterator", "TrainSplit",
                               "objective", "grad_scale")),
        (_OURS + "handlers", ("PrintLayerInfo", "PrintLog", "SaveWeights",
                              "RememberBestWeights", "RestoreBestWeights", "WeightLog")))),
    "nolearn.lasagne.base": Served(_OURS + "neuralnet"),
    "nolearn.lasagne.handlers": Served(_OURS + "handlers"),
    "nolearn.lasagne.util": Served(_OURS + "util"),
    "nolearn.lasagne.visualize": Served(_OURS + "visualize"),
}


class NolearnFinder:
    """Finds (and loads) the modules of :data:`MODULES`."""

    def find_spec(self, name, path=None, target=None):
        if name not in MODULES:
            return None
        return importlib.util.spec_from_loader(name, self, is_package=MODULES[name].package)

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        served = MODULES[module.__name__]
        if not served.package:
            # The import system returns what sys.modules holds after this call: our
            # module itself, under nolearn's name too.
            sys.modules[module.__name__] = importlib.import_module(served.module)
            return
        module.__doc__ = ("lasagne_params stand-in for %s (nolearn 0.6's API)"
                          % module.__name__)
        module.__lasagne_params_compat__ = True
        exported = []
        for source, names in served.names:
            implementation = importlib.import_module(source)
            for name in names:
                setattr(module, name, getattr(implementation, name))
                exported.append(name)
        module.__all__ = exported


def install_nolearn(report):
    """Serve ``nolearn``/``nolearn.lasagne`` unless a real nolearn is importable.

    Records in ``report`` (a CompatReport) what it did.
    """
    if any(isinstance(finder, NolearnFinder) for finder in sys.meta_path):
        report.present.append("nolearn.lasagne (stand-in)")
        return
    existing = sys.modules.get("nolearn")
    if existing is not None or importlib.util.find_spec("nolearn") is not None:
        report.present.append("nolearn (installed)")
        return
    sys.meta_path.append(NolearnFinder())
    report.applied.append("nolearn.lasagne -> lasagne_params's NeuralNet, handlers, visualize")
