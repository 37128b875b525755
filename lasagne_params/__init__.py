"""lasagne_params: every Lasagne layer's output shape and parameter count, derived and explained.

The package is in parts, each importing only those below it:

* ``core/`` — records, errors, axis arithmetic, the layer kinds and their
  rules (``core/layers/``, one declaration per Lasagne class), the
  derivation and cost walks, comparisons.  Standard library only.
* ``describe/`` — descriptions in and out: spec files, nolearn's keywords,
  snapshots, the zoo's networks.  No Theano.
* ``render/`` — reports to text and pictures.  Imports the core only.
* ``backend/`` — the Theano side, the only code that imports Theano,
  Lasagne or numpy: ``bridges/`` (old Lasagne, Theano and GPU modules made
  to run here), ``networks/`` (reading, building, running networks),
  ``training/`` (the Trainer, MNIST), ``nolearn/`` (nolearn's API).
* ``usercode/`` — every Python file a user wrote, run one way: targets
  (``FILE.py:NAME``, notebooks), ``--kinds`` files, scripts under ``run``;
  Python 2 translated, one error class per failure, the same hints.
* the facade — this module, ``api``, ``cli``, ``testing``, ``zoo``, ``nolearn``,
  ``targets`` (what a command line names), ``run`` (``lasagne-params run``'s
  report), ``notebook`` (Jupyter's HTML forms).

Importing this package imports neither Theano nor Lasagne; only
``build``/``from_lasagne``/``compare``/``assert_matches``/``verify_runtime``,
``derive`` on a Lasagne layer, ``NeuralNet.initialize`` and ``Trainer``'s
training and prediction do, through ``install_compat``.  One lazy boundary
keeps it so: the rest of the package imports the Theano side (``backend/``,
``lasagne_params.nolearn``) only inside functions, and this module's
``_LAZY`` names its public classes and functions; inside it, Theano, Lasagne
and numpy are imported inside functions (``import_lasagne()``), or at the top
of the three modules that every other imports inside functions.  All other
imports of the package's own modules are at their module's top, the
picture's excepted (``tests/test_purity.py``; docs/performance.md measures
both choices that keep ``show SPEC`` quick).
"""
import importlib
from typing import TYPE_CHECKING, Any, List

from .api import (assert_matches, build, check_weights, compare, derive, derive_costs, draw,
                  from_lasagne, verify_runtime)
from .core.compare import Comparison, Mismatch
from .core.cost_records import CostReport, LayerCost, OpTerm
from .core.errors import (ArgumentError, DatasetError, DependencyError, DrawError,
                          LasagneParamsError, LayerRuleError, LimitError, OutputError,
                          SpecError, TargetError, TrainingError, UnsupportedLayerError,
                          UserCodeError, UserExitError)
from .core.layers.base import Cost, CostContext, LayerContext, LayerKind, Result, Signature
from .core.records import LayerRow, LayerSpec, ParamArray, Report
from .core.registry import Registry, kinds, register_kind, supported_kinds, unregister_kind
from .core.runtime_check import RuntimeCheck, RuntimeMismatch
from .core.weights import WeightsCheck, WeightsRow
from .describe.spec import load_spec
from .notebook import register as _register_notebook
from .render import render
from .run import run_script
from .usercode import load_networks, python2, stub_missing

#: The Theano side's public names, imported on first use (PEP 562): the one lazy
#: boundary, so that ``import lasagne_params`` imports no Theano, Lasagne or numpy
#: (``tests/test_purity.py``): name -> submodule of ``backend/``.
_LAZY = {"install_compat": "backend.bridges.compat",
         "NeuralNet": "backend.nolearn.neuralnet",
         "Trainer": "backend.training.trainer",
         "load_mnist": "backend.training.datasets",
         "robust_mode": "backend.bridges.robust_mode",
         "robust_default_mode": "backend.bridges.robust_mode"}

if TYPE_CHECKING:       # the same names for type checkers only: never imported here
    from .backend.bridges.compat import install_compat
    from .backend.bridges.robust_mode import robust_default_mode, robust_mode
    from .backend.nolearn.neuralnet import NeuralNet
    from .backend.training.datasets import load_mnist
    from .backend.training.trainer import Trainer


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError("module %r has no attribute %r" % (__name__, name))
    value = getattr(importlib.import_module("." + _LAZY[name], __name__), name)
    globals()[name] = value
    return value


def __dir__() -> List[str]:
    return sorted(set(globals()) | set(_LAZY))


__version__ = "0.2.0"

_register_notebook()            # HTML tables in Jupyter; a no-op outside IPython

__all__ = ["derive", "derive_costs", "build", "from_lasagne", "compare", "assert_matches",
           "draw", "render", "check_weights", "WeightsCheck", "WeightsRow",
           "install_compat", "robust_mode", "robust_default_mode",
           "verify_runtime", "NeuralNet", "Trainer",
           "load_mnist", "load_spec", "load_networks", "run_script", "python2", "stub_missing",
           "supported_kinds", "register_kind", "unregister_kind", "kinds", "Registry",
           "LayerKind", "Signature", "LayerContext", "CostContext", "Result", "Cost",
           "Report", "LayerRow", "LayerSpec", "ParamArray", "Comparison", "Mismatch",
           "RuntimeCheck", "RuntimeMismatch", "CostReport", "LayerCost", "OpTerm",
           "LasagneParamsError", "SpecError", "LayerRuleError", "UnsupportedLayerError",
           "ArgumentError", "TargetError", "UserCodeError", "UserExitError",
           "DependencyError", "DrawError", "OutputError", "LimitError", "DatasetError",
           "TrainingError",
           "__version__"]
