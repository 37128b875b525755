"""The GPU-only classes (cuDNN, cuda-convnet, corrmm) on hand-computed values.

Lasagne 0.1 cannot build these without a CUDA GPU, so the figures here are
worked out by hand from its source (lasagne/layers/dnn.py, cuda_convnet.py,
corrmm.py): 'same' pads (f-1)//2 on both sides, cuda-convnet's c01b layout.  They are
derived for Lasagne 0.1 (master refuses even filters with 'same').
"""
import ast
import os

import pytest

from helpers import assert_row_formulas_evaluate, derive_one
from lasagne_params import LayerRuleError
from lasagne_params.core import versions
from lasagne_params.core.registry import BUILTIN_NAMES, KINDS

C01B = (3, 32, 32, None)          # channels, rows, columns, batch

CASES = [
    # Conv2DMMLayer / Conv2DDNNLayer: Conv2DLayer's arithmetic, symmetric 'same'
    ("Conv2DMMLayer", {"num_filters": 16, "filter_size": 3, "pad": "same"},
     (None, 3, 32, 32), (None, 16, 32, 32), (3 * 3 * 3 + 1) * 16),
    ("Conv2DMMLayer", {"num_filters": 16, "filter_size": 4, "pad": "same"},
     (None, 3, 32, 32), (None, 16, 31, 31), (4 * 4 * 3 + 1) * 16),      # (32+2*1-4)+1
    ("Conv2DMMLayer", {"num_filters": 16, "filter_size": 3, "pad": "full"},
     (None, 3, 32, 32), (None, 16, 34, 34), 448),
    ("Conv2DDNNLayer", {"num_filters": 8, "filter_size": 5, "stride": 2, "pad": 2},
     (None, 3, 32, 32), (None, 8, 16, 16), (5 * 5 * 3 + 1) * 8),        # (32+4-5)//2+1
    ("Conv2DDNNLayer", {"num_filters": 8, "filter_size": (3, 5), "untie_biases": True},
     (None, 3, 32, 32), (None, 8, 30, 28), 3 * 5 * 3 * 8 + 8 * 30 * 28),
    ("Conv2DDNNLayer", {"num_filters": 8, "filter_size": 3, "pad": "full", "stride": 3},
     (None, 3, 32, 32), (None, 8, 12, 12), 224),                          # (32+4-3)//3+1
    # Conv2DCCLayer: bc01 by default (dimshuffle=True), c01b without
    ("Conv2DCCLayer", {"num_filters": 32, "filter_size": 5}, (None, 3, 32, 32),
     (None, 32, 28, 28), (5 * 5 * 3 + 1) * 32),
    ("Conv2DCCLayer", {"num_filters": 32, "filter_size": 5, "dimshuffle": False}, C01B,
     (32, 28, 28, None), (5 * 5 * 3 + 1) * 32),
    ("Conv2DCCLayer", {"num_filters": 32, "filter_size": 5, "dimshuffle": False,
                       "untie_biases": True}, C01B, (32, 28, 28, None),
     5 * 5 * 3 * 32 + 32 * 28 * 28),
    ("Conv2DCCLayer", {"num_filters": 16, "filter_size": 4, "stride": 2, "pad": "same"},
     (None, 8, 32, 32), (None, 16, 16, 16), (4 * 4 * 8 + 1) * 16),     # (32+2-4)//2+1
    # pooling
    ("MaxPool2DCCLayer", {"pool_size": 3, "stride": 2}, (None, 16, 31, 31),
     (None, 16, 15, 15), 0),                              # partial windows kept: 14+1
    ("MaxPool2DCCLayer", {"pool_size": 3, "stride": 2, "dimshuffle": False},
     (16, 31, 31, None), (16, 15, 15, None), 0),
    ("MaxPool2DCCLayer", {"pool_size": 2}, (None, 16, 31, 31), (None, 16, 16, 16), 0),
    ("Pool2DDNNLayer", {"pool_size": 3, "stride": 2, "pad": 1, "mode": "average_inc_pad"},
     (None, 8, 10, 10), (None, 8, 5, 5), 0),                              # (10+2-3)//2+1
    ("Pool2DDNNLayer", {"pool_size": 2, "pad": 2}, (None, 8, 10, 10), (None, 8, 7, 7), 0),
    ("MaxPool2DDNNLayer", {"pool_size": 2}, (None, 8, 10, 11), (None, 8, 5, 5), 0),
    # c01b network-in-network and the layout shuffles
    ("NINLayer_c01b", {"num_units": 64}, (32, 7, 7, None), (64, 7, 7, None), (32 + 1) * 64),
    ("NINLayer_c01b", {"num_units": 64, "untie_biases": True}, (32, 7, 7, None),
     (64, 7, 7, None), 32 * 64 + 64 * 7 * 7),
    ("ShuffleBC01ToC01BLayer", {}, (None, 3, 5, 7), (3, 5, 7, None), 0),
    ("ShuffleC01BToBC01Layer", {}, (3, 5, 7, None), (None, 3, 5, 7), 0),
]


@pytest.mark.parametrize("kind, args, in_shape, shape, params", CASES,
                         ids=["%s-%d" % (c[0], i) for i, c in enumerate(CASES)])
def test_gpu_rule(kind, args, in_shape, shape, params):
    row = derive_one(kind, args, in_shape, version="0.1")
    assert row.output_shape == shape
    assert row.params == row.trainable_params == params
    assert_row_formulas_evaluate(row)


def test_c01b_arrays():
    row = derive_one("Conv2DCCLayer", {"num_filters": 32, "filter_size": 5, "dimshuffle": False,
                                       "untie_biases": True}, C01B, version="0.1")
    assert [(t.name, t.shape) for t in row.param_arrays] == [("W", (3, 5, 5, 32)),
                                                      ("b", (32, 28, 28))]
    row = derive_one("NINLayer_c01b", {"num_units": 64}, (32, 7, 7, None), version="0.1")
    assert [(t.name, t.shape) for t in row.param_arrays] == [("W", (64, 32)), ("b", (64,))]


def test_even_same_filter_is_noted():
    row = derive_one("Conv2DDNNLayer", {"num_filters": 4, "filter_size": 2, "pad": "same"},
                     (None, 3, 9, 9), version="0.1")
    assert row.output_shape == (None, 4, 8, 8)
    assert "one shorter than the input" in row.note
    assert not derive_one("Conv2DDNNLayer", {"num_filters": 4, "filter_size": 3, "pad": "same"},
                          (None, 3, 9, 9), version="0.1").note


@pytest.mark.parametrize("kind, args, in_shape, field, message", [
    ("Conv2DCCLayer", {"num_filters": 10, "filter_size": 3}, (None, 3, 8, 8), "num_filters",
     "must be a multiple of 16 for cuda-convnet, got 10"),
    ("Conv2DCCLayer", {"num_filters": 16, "filter_size": (3, 5)}, (None, 3, 8, 8),
     "filter_size", "cuda-convnet only supports square windows"),
    ("Conv2DCCLayer", {"num_filters": 16, "filter_size": 3, "stride": (1, 2)},
     (None, 3, 8, 8), "stride", "square"),
    ("Conv2DCCLayer", {"num_filters": 16, "filter_size": 3}, (None, 5, 8, 8), "incoming",
     "needs 1, 2, 3 or a multiple of 4 input channels, got 5"),
    ("Conv2DCCLayer", {"num_filters": 16, "filter_size": 3, "dimshuffle": False},
     (None, 3, 8, 8), "incoming", "the number of input channels must be known"),
    ("MaxPool2DCCLayer", {"pool_size": 2, "stride": 3}, (None, 3, 8, 8), "stride",
     "must not exceed pool_size"),
    ("MaxPool2DCCLayer", {"pool_size": 2, "ignore_border": True}, (None, 3, 8, 8),
     "ignore_border", "only supports ignore_border=False"),
    ("MaxPool2DCCLayer", {"pool_size": 2, "pad": 1}, (None, 3, 8, 8), "pad",
     "does not pad"),
    ("Pool2DDNNLayer", {"pool_size": 2, "ignore_border": False}, (None, 3, 8, 8),
     "ignore_border", "only supports ignore_border=True"),
    ("ShuffleC01BToBC01Layer", {}, (3, 5, None), "incoming", "expects a 4D input"),
])
def test_gpu_constraints(kind, args, in_shape, field, message):
    with pytest.raises(LayerRuleError) as info:
        derive_one(kind, args, in_shape, version="0.1")
    assert info.value.field == field
    assert message in str(info.value)


def _lasagne_source(module):
    import importlib.util
    spec = importlib.util.find_spec("lasagne")
    if spec is None:
        pytest.skip("Lasagne not installed")
    return os.path.join(os.path.dirname(spec.origin), "layers", module + ".py")


def _exported_layers(module):
    """The layer classes a Lasagne module exports, read from its source (not imported)."""
    with open(_lasagne_source(module), encoding="utf-8") as fh:
        tree = ast.parse(fh.read())
    names = next(ast.literal_eval(node.value) for node in tree.body
                 if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "__all__")
    classes = {node.name for node in tree.body if isinstance(node, ast.ClassDef)}
    return {n for n in names if n in classes} - {"MMLayer", "CCLayer", "DNNLayer"}


def test_every_lasagne_layer_class_has_a_rule(lasagne_release):
    """The kinds Lasagne 0.1 has (``since`` 0.1) are exactly its layer classes: CPU
    (importable) and GPU (read); master's: tests/test_master_layers.py."""
    lasagne = lasagne_release
    import inspect
    cpu = {name for name, obj in vars(lasagne.layers).items()
           if inspect.isclass(obj) and issubclass(obj, lasagne.layers.Layer)
           and obj.__name__ == name}           # not the shortcuts (concat = ConcatLayer)
    cpu -= {"Layer", "MergeLayer"}
    gpu = set()
    for module in ("corrmm", "dnn", "cuda_convnet"):
        gpu |= _exported_layers(module)
    old = {name for name, kind in KINDS.items()
           if name in BUILTIN_NAMES and kind.since == versions.RELEASE}
    assert gpu == {name for name in old if KINDS[name].gpu_only}
    assert old == cpu | gpu
    assert len(cpu) == 28 and len(gpu) == 9
