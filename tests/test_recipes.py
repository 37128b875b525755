"""Lasagne's Recipes modelzoo, unchanged, with each file's own builder.

Recipes (github.com/Lasagne/Recipes, MIT) cannot be committed here: point
``LASAGNE_RECIPES`` at a checkout (the folder holding ``modelzoo/`` and
``papers/``), or put one beside this repository as ``Recipes/``; without
it these tests skip.

On Lasagne master each network builds (GPU layers through the CPU
stand-ins), every row is derived and equals master's own figures, and the
totals are master's ``count_params`` (published figures noted where they
exist).  On Lasagne 0.1 the files written for master stop at their first
master-only name with the one-line message saying how to install master,
and the others (plain cuDNN VGG/GoogLeNet/NIN files) build as on master.
"""
import importlib.util
import os
import sys
import types

import pytest

import lasagne_params as lp
from helpers import ROOT
from lasagne_params.backend.bridges import master_only

RECIPES = os.environ.get("LASAGNE_RECIPES") or os.path.join(ROOT, "..", "Recipes")

# (file, builder, master's count_params: all, trainable, needs master)
MODELS = [
    # torchvision's ResNet-50 has 25,557,032; the Lasagne port keeps conv1's 64 biases
    ("modelzoo/resnet50.py", "build_model", 25610216, 25557032 + 64, True),
    ("modelzoo/inception_v3.py", "build_network", 23885392, 23850960, True),
    # VGG-16 and VGG-19: the published 138,357,544 and 143,667,240
    ("modelzoo/vgg16.py", "build_model", 138357544, 138357544, False),
    ("modelzoo/vgg19.py", "build_model", 143667240, 143667240, False),
    ("modelzoo/googlenet.py", "build_model", 6998552, 6998552, False),
    ("modelzoo/cifar10_nin.py", "build_model", 966986, 966986, False),
    ("modelzoo/vgg_cnn_s.py", "build_model", 102908520, 102908520, False),
    ("modelzoo/Unet.py", "build_UNet", 36973762, 36958146, True),
    ("modelzoo/c3d.py", "build_model", 79991015, 79991015, True),
    ("papers/densenet/densenet.py", "build_densenet", 1037818, 1019722, True),
    ("papers/densenet/densenet_fast.py", "build_densenet", 1021546, 1019722, True),
    ("papers/preactivation_and_wide_resnet/models.py", "ResNet_FullPreActivation",
     1740634, 1732538, True),
]


def recipe(path):
    full = os.path.join(RECIPES, path)
    if not os.path.isfile(full):
        pytest.skip("Lasagne Recipes not found (set LASAGNE_RECIPES to a checkout): %s"
                    % full)
    return full


def load(full, monkeypatch):
    # c3d.py imports scikit-image for its picture helpers only; the network needs none
    if "skimage" not in sys.modules and importlib.util.find_spec("skimage") is None:
        for name in ("skimage", "skimage.transform", "skimage.color"):
            monkeypatch.setitem(sys.modules, name, types.ModuleType(name))
    spec = importlib.util.spec_from_file_location("recipe_under_test", full)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def output_layers(network):
    """The layers of a builder's result that no other layer takes (Recipes return dicts)."""
    if not isinstance(network, dict):
        return network
    layers = list(network.values())
    used = {id(i) for layer in layers
            for i in getattr(layer, "input_layers", [getattr(layer, "input_layer", None)])}
    outputs = [layer for layer in layers if id(layer) not in used]
    return outputs[0] if len(outputs) == 1 else outputs


@pytest.mark.slow
@pytest.mark.parametrize("path, builder, total, trainable, needs_master", MODELS,
                         ids=[m[0].rpartition("/")[2] for m in MODELS])
def test_recipe_builds_and_every_row_agrees(lasagne, float32, monkeypatch, path, builder,
                                            total, trainable, needs_master):
    full = recipe(path)
    is_master = hasattr(lasagne.layers, "BatchNormLayer")
    if needs_master and not is_master:
        with pytest.raises(Exception) as info:
            getattr(load(full, monkeypatch), builder)()
        line = master_only.explain(info.value)
        assert line and line.endswith("install master: " + master_only.INSTALL_MASTER)
        return
    network = output_layers(getattr(load(full, monkeypatch), builder)())
    result = lp.compare(network)
    assert result.ok, (result.mismatches[:3], result.not_derived[:3])
    assert (result.derived.total_params, result.derived.trainable_params) == \
        (total, trainable)
    assert lasagne.layers.count_params(network) == total
    assert lasagne.layers.count_params(network, trainable=True) == trainable
