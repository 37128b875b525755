"""lasagne_params: every Lasagne layer's output shape and parameter count, derived and explained.

Importing this package imports neither Theano nor Lasagne; only
``build``/``from_lasagne``/``compare``/``assert_matches``, ``derive`` on a
Lasagne layer and ``NeuralNet.initialize`` do, through ``install_compat``.
"""
from .api import assert_matches, build, compare, derive, derive_costs, from_lasagne
from .compare import Comparison, Mismatch
from .compat import install_compat
from .cost_records import CostReport, LayerCost, OpTerm
from .errors import (DrawError, LasagneParamsError, LayerRuleError, SpecError,
                     UnsupportedLayerError)
from .neuralnet import NeuralNet
from .picture import draw
from .records import LayerRow, LayerSpec, ParamTerm, Report
from .registry import supported_kinds
from .render import render
from .spec import load_spec

__version__ = "0.1.0"

__all__ = ["derive", "build", "from_lasagne", "compare", "assert_matches", "install_compat",
           "render", "supported_kinds", "NeuralNet", "load_spec", "Report", "LayerRow",
           "LayerSpec", "ParamTerm", "Comparison", "Mismatch", "LasagneParamsError",
           "LayerRuleError", "UnsupportedLayerError", "SpecError", "__version__",
           "derive_costs", "CostReport", "LayerCost", "OpTerm", "draw", "DrawError"]
