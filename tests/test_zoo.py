"""The zoo: classic networks derive to their published totals, and Lasagne agrees."""
import numpy as np
import pytest

from helpers import assert_formulas_evaluate
import lasagne_params as lp
from lasagne_params import zoo


def test_published_totals_are_the_usual_ones():
    assert zoo.PUBLISHED_TOTALS == {"lenet5": 61706, "alexnet": 61100840,
                                    "vgg16": 138357544, "vgg19": 143667240,
                                    "nin": 966986, "googlenet": 6998552}


@pytest.mark.parametrize("name", sorted(zoo.PUBLISHED_TOTALS))
def test_derived_total_is_the_published_one(name):
    report = lp.derive(zoo.specs(name))          # LayerSpecs only: no Theano, no weights
    assert report.total_params == report.trainable_params == zoo.PUBLISHED_TOTALS[name]
    assert sum(r.params for r in report.layers) == report.total_params
    assert_formulas_evaluate(report)


def test_lenet5_layer_by_layer():
    rows = lp.derive(zoo.lenet5_specs()).layers
    assert [r.params for r in rows] == [0, 156, 0, 2416, 0, 48120, 10164, 850]
    assert [r.param_formula for r in rows if r.params] == [
        "(5*5*1+1)*6", "(5*5*6+1)*16", "(16*5*5+1)*120", "(120+1)*84", "(84+1)*10"]
    assert [r.output_shape[1:] for r in rows] == [
        (1, 32, 32), (6, 28, 28), (6, 14, 14), (16, 10, 10), (16, 5, 5), (120,), (84,), (10,)]


def test_alexnet_and_vgg_layer_by_layer():
    alexnet = lp.derive(zoo.alexnet_specs())
    assert [r.params for r in alexnet.layers if r.params] == [
        23296, 307392, 663936, 884992, 590080, 37752832, 16781312, 4097000]
    assert alexnet.layer("pool5").output_shape == (None, 256, 6, 6)
    assert alexnet.layer("conv1").shape_formula == "((224+2*2-11)//4)+1=55 -> 64x55x55"
    vgg = lp.derive(zoo.vgg16_specs())
    assert vgg.layer("pool5").output_shape == (None, 512, 7, 7)
    assert vgg.layer("fc6").param_formula == "(512*7*7+1)*4096"
    assert vgg.layer("fc6").params == (512 * 7 * 7 + 1) * 4096
    assert len([r for r in vgg.layers if r.kind == "Conv2DLayer"]) == 13
    assert len([r for r in lp.derive(zoo.vgg19_specs()).layers
                if r.kind == "Conv2DLayer"]) == 16


def test_nin_and_googlenet_layer_by_layer():
    nin = lp.derive(zoo.nin_specs())
    assert nin.layer("cccp1").param_formula == "(192+1)*160"
    assert nin.layer("pool1").shape_formula == "max(0,(32-3+2-1)//2)+1=16 -> 96x16x16"
    assert nin.layers[-1].output_shape == (None, 10)
    google = lp.derive(zoo.googlenet_specs())
    assert google.layer("inception_3a/output").shape_formula == \
        "64+128+32+32=256 -> 256x28x28"
    assert google.layer("inception_5b/output").output_shape == (None, 1024, 7, 7)
    assert google.layer("loss3/classifier").params == (1024 + 1) * 1000
    assert len([r for r in google.layers if r.kind == "ConcatLayer"]) == 9


def test_unknown_zoo_name():
    with pytest.raises(KeyError, match="no zoo network 'resnet'; expected one of alexnet"):
        zoo.specs("resnet")


@pytest.mark.parametrize("name", sorted(zoo.PUBLISHED_TOTALS))
def test_zoo_against_lasagne(lasagne, float32, name):
    """Each network built once in Lasagne (float32 zeros: VGG-19 is 0.57 GB), then compared."""
    net = zoo.build(name, init=lambda shape: np.zeros(shape, dtype="float32"))
    assert lasagne.layers.count_params(net) == zoo.PUBLISHED_TOTALS[name]
    comparison = lp.assert_matches(net)
    assert comparison.reported.total_params == zoo.PUBLISHED_TOTALS[name]
    assert [r.name for r in comparison.derived.layers] == [
        r.name for r in comparison.reported.layers]


def test_zoo_functions_return_lasagne_layers(lasagne):
    net = zoo.lenet5()                           # Lasagne's own initializers
    assert isinstance(net, lasagne.layers.DenseLayer)
    assert lasagne.layers.count_params(net) == 61706
    assert float(np.abs(net.W.get_value()).sum()) > 0
