"""lasagne_params: every Lasagne layer's output shape and parameter count, derived and explained.

Importing this package imports neither Theano nor Lasagne; only
``build``/``from_lasagne``/``compare``/``assert_matches``/``verify_runtime``,
``derive`` on a Lasagne layer, ``NeuralNet.initialize`` and ``Trainer``'s
training and prediction do, through ``install_compat``.
"""
from .api import assert_matches, build, compare, derive, derive_costs, from_lasagne
from .core.compare import Comparison, Mismatch
from .core.cost_records import CostReport, LayerCost, OpTerm
from .core.errors import (DrawError, LasagneParamsError, LayerRuleError, SpecError,
                          UnsupportedLayerError)
from .core.records import LayerRow, LayerSpec, ParamTerm, Report
from .core.registry import supported_kinds
from .describe.spec import load_spec
from .render import render

#: Names imported on first use (PEP 562), so that ``import lasagne_params`` and
#: the command line's spec-file path stay quick: name -> submodule.
_LAZY = {"install_compat": "backend.compat", "NeuralNet": "backend.neuralnet",
         "draw": "render.picture", "RuntimeCheck": "backend.runtime",
         "RuntimeMismatch": "backend.runtime", "verify_runtime": "backend.runtime",
         "Trainer": "backend.training", "TrainingError": "backend.training"}


def __getattr__(name):
    if name not in _LAZY:
        raise AttributeError("module %r has no attribute %r" % (__name__, name))
    import importlib
    value = getattr(importlib.import_module("." + _LAZY[name], __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_LAZY))


__version__ = "0.1.0"

__all__ = ["derive", "build", "from_lasagne", "compare", "assert_matches", "install_compat",
           "render", "supported_kinds", "NeuralNet", "load_spec", "Report", "LayerRow",
           "LayerSpec", "ParamTerm", "Comparison", "Mismatch", "LasagneParamsError",
           "LayerRuleError", "UnsupportedLayerError", "SpecError", "__version__",
           "derive_costs", "CostReport", "LayerCost", "OpTerm", "draw", "DrawError",
           "verify_runtime", "RuntimeCheck", "RuntimeMismatch", "Trainer", "TrainingError"]
