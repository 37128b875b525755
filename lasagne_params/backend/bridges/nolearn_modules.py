"""``import nolearn.lasagne`` without nolearn: a meta-path finder serving the stand-in.

nolearn 0.6 does not install on a modern Python.  :func:`install_nolearn`
(called by :func:`lasagne_params.install_compat`, so also by
``lasagne-params run``) appends a finder to ``sys.meta_path`` that answers
``import nolearn`` and the modules below with modules made from this
package's own implementation, only when no real nolearn is importable (and,
being last on ``sys.meta_path``, never before one installed later):

==============================  ===============================================
module                          names (from)
==============================  ===============================================
``nolearn``                     a package holding ``lasagne``
``nolearn.lasagne``             NeuralNet, BatchIterator, TrainSplit, objective,
                                grad_scale, and the handlers
``nolearn.lasagne.base``        NeuralNet, Layers, BatchIterator, TrainSplit,
                                objective, grad_scale (backend/nolearn/neuralnet.py)
``nolearn.lasagne.handlers``    PrintLayerInfo, PrintLog, SaveWeights,
                                RememberBestWeights, RestoreBestWeights,
                                WeightLog (backend/nolearn/handlers.py)
``nolearn.lasagne.visualize``   plot_loss, plot_conv_weights, plot_conv_activity,
                                occlusion_heatmap, plot_occlusion, saliency_map,
                                saliency_map_net, plot_saliency, draw_to_file,
                                draw_to_notebook (backend/nolearn/visualize.py)
==============================  ===============================================

The served modules hold the same objects as the ``lasagne_params`` modules,
so ``nolearn.lasagne.NeuralNet is lasagne_params.NeuralNet``; each carries
``__lasagne_params_compat__ = True``.  nolearn's other modules (``dbn``,
``decaf``, ``metrics``, ``cache``, ...) are not served.
"""
import importlib
import importlib.util
import sys

__all__ = ["install_nolearn", "NolearnFinder", "MODULES"]

_BASE = ("NeuralNet", "Layers", "BatchIterator", "TrainSplit", "objective", "grad_scale")
_HANDLERS = ("PrintLayerInfo", "PrintLog", "SaveWeights", "RememberBestWeights",
             "RestoreBestWeights", "WeightLog")

#: module name -> (is a package, ((lasagne_params module, names), ...))
MODULES = {
    "nolearn": (True, ()),
    "nolearn.lasagne": (True, (("lasagne_params.backend.nolearn.neuralnet", _BASE),
                               ("lasagne_params.backend.nolearn.handlers", _HANDLERS))),
    "nolearn.lasagne.base": (False, (("lasagne_params.backend.nolearn.neuralnet", _BASE),)),
    "nolearn.lasagne.handlers": (False, (("lasagne_params.backend.nolearn.handlers", _HANDLERS),)),
    "nolearn.lasagne.visualize": (False, (("lasagne_params.backend.nolearn.visualize", None),)),
}


class NolearnFinder:
    """Finds (and loads) the modules of :data:`MODULES`."""

    def find_spec(self, name, path=None, target=None):
        if name not in MODULES:
            return None
        return importlib.util.spec_from_loader(name, self, is_package=MODULES[name][0])

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        _, sources = MODULES[module.__name__]
        module.__doc__ = ("lasagne_params stand-in for %s (nolearn 0.6's API)"
                          % module.__name__)
        module.__lasagne_params_compat__ = True
        exported = []
        for source, names in sources:
            implementation = importlib.import_module(source)
            for name in names if names is not None else implementation.__all__:
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
