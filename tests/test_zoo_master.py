"""The zoo's networks that need Lasagne master: ResNet-50, DenseNet-40 (k=12),
Inception-v3, U-Net.

Derived from LayerSpecs anywhere (pure); built and compared in master where it is
installed.  ResNet-50's totals are the Lasagne Recipes port's: 25,610,216 parameters,
25,557,096 trainable = torchvision's 25,557,032 + conv1's 64 biases; the rest are the
batch-norm statistics (mean and inv_std: 2 per channel of each of its 53 BatchNormLayers).
"""
import numpy as np
import pytest

from helpers import assert_formulas_evaluate
import lasagne_params as lp
from lasagne_params import zoo


@pytest.mark.parametrize("name", zoo.MASTER_ONLY)
def test_master_zoo_totals(name):
    report = lp.derive(zoo.specs(name), "master")
    assert (report.total_params, report.trainable_params) == zoo.MASTER_TOTALS[name]
    assert_formulas_evaluate(report)


def test_master_zoo_needs_master():
    with pytest.raises(lp.LayerRuleError, match="flip_filters: a keyword of Lasagne master"):
        lp.derive(zoo.resnet50_specs(), "0.1")


def test_resnet50_layer_by_layer():
    report = lp.derive(zoo.resnet50_specs(), "master")
    assert report.trainable_params == 25557032 + 64          # torchvision + conv1's biases
    statistics = sum(r.params - r.trainable_params for r in report.layers)
    bn_channels = sum(r.output_shape[1] for r in report.layers if r.kind == "BatchNormLayer")
    assert statistics == 2 * bn_channels == 25610216 - 25557096
    assert len([r for r in report.layers if r.kind == "BatchNormLayer"]) == 53
    assert report.layer("conv1").param_formula == "(7*7*3+1)*64"
    assert report.layer("conv1_bn").param_formula == "4*64"
    assert report.layer("res2a_branch2a").param_formula == "1*1*64*64"      # b=None
    assert report.layer("pool1").output_shape == (None, 64, 56, 56)
    assert report.layer("res5c_relu").output_shape == (None, 2048, 7, 7)
    assert report.layer("fc1000").params == (2048 + 1) * 1000


def test_densenet40_layer_by_layer():
    report = lp.derive(zoo.densenet40_specs(), "master")
    assert report.layer("block1_join12").output_shape == (None, 16 + 12 * 12, 32, 32)
    assert report.layer("transition2_pool").output_shape == (None, 16 + 24 * 12, 8, 8)
    assert report.layer("post_bn").output_shape == (None, 16 + 36 * 12, 8, 8)
    # 3x3 convolutions: 9*(16+12i)*12 weights for i = 0..35 (channels grow by 12 each)
    convs = sum(9 * (16 + 12 * i) * 12 for i in range(36))
    transitions = 160 * 160 + 304 * 304
    stem, head = 3 * 3 * 3 * 16, (448 + 1) * 10
    batch_norms = 2 * (sum(16 + 12 * i for i in range(36)) + 160 + 304 + 448)
    assert report.trainable_params == stem + convs + transitions + batch_norms + head


def test_inception_v3_against_keras_published_counts():
    """Keras' InceptionV3 (its batch norm has no scale): 23,851,784 parameters, 23,817,352
    trainable; the batch-norm channels are half the difference.  Here batch norm also
    learns a scale (gamma): one trainable value more per channel."""
    report = lp.derive(zoo.inception_v3_specs(), "master")
    channels = (23851784 - 23817352) // 2
    assert channels == sum(r.output_shape[1] for r in report.layers
                           if r.kind == "BatchNormLayer")
    assert report.trainable_params == 23817352 + channels
    assert report.total_params == 23851784 + channels
    assert report.layer("pool2").output_shape == (None, 192, 35, 35)
    assert report.layer("mixed_6a").output_shape == (None, 768, 17, 17)
    assert report.layer("mixed_7c").output_shape == (None, 2048, 8, 8)
    assert report.layer("mixed_6b/1x7").param_formula == "1*7*128*128"


def test_unet_layer_by_layer():
    report = lp.derive(zoo.unet_specs(), "master")
    assert report.layer("contr5_2").output_shape == (None, 1024, 28, 28)
    assert report.layer("upconv4").shape_formula == "(28-1)*2+2=56 -> 512x56x56"
    assert report.layer("upconv4").param_formula == "(2*2*1024+1)*512"
    assert report.layer("concat4").output_shape == (None, 1024, 56, 56)    # 64 cropped
    assert report.layer("output").output_shape == (None, 2, 388, 388)


@pytest.mark.parametrize("name", zoo.MASTER_ONLY)
def test_master_zoo_against_master(lasagne_master, float32, name):
    """Built in master (float32 zeros), every row equals master's, totals count_params'."""
    net = zoo.build(name, init=lambda shape: np.zeros(shape, dtype="float32"))
    assert lasagne_master.layers.count_params(net) == zoo.MASTER_TOTALS[name][0]
    assert lasagne_master.layers.count_params(net, trainable=True) == zoo.MASTER_TOTALS[name][1]
    comparison = lp.assert_matches(net)
    assert [r.name for r in comparison.derived.layers] == [
        r.name for r in comparison.reported.layers]
