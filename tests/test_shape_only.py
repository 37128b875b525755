"""Cross-checks that never allocate the weights: Lasagne's own classes, shape-only arrays."""
import tracemalloc

import numpy as np
import pytest

from helpers import NOLEARN_JSON, RECURRENT_SPECS, single_layer
from layer_cases import CASES, MASTER_CASES
import lasagne_params as lp
from lasagne_params import zoo

MB = 1 << 20
VGG16_BYTES_FLOAT32 = 138357544 * 4


def _shape_only_build(specs):
    from lasagne_params.backend.networks.shape_only import build_shape_only
    return next(reversed(build_shape_only(specs).values()))


def _real_build(specs):
    from lasagne_params.backend.networks.build import build_layers
    return next(reversed(build_layers(specs).values()))


def test_vgg16_compare_allocates_no_weights(lasagne, float32):
    """compare() on VGG-16's specs: Lasagne's figures, 138M parameters, a few MB."""
    specs = zoo.vgg16_specs()
    tracemalloc.start()                 # numpy reports its allocations to tracemalloc
    try:
        comparison = lp.compare(specs)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert comparison.ok, lp.render(comparison)
    assert comparison.reported.source == "lasagne"
    assert comparison.reported.total_params == 138357544
    fc6 = comparison.reported.layer("fc6")
    assert fc6.param_arrays[0].shape == (512 * 7 * 7, 4096)
    assert fc6.params == (512 * 7 * 7 + 1) * 4096
    assert peak < 50 * MB < VGG16_BYTES_FLOAT32 // 10


def test_shape_only_arrays_have_real_shapes_and_no_memory(lasagne, float32):
    import theano
    from lasagne_params.backend.networks.shape_only import is_shape_only
    net = _shape_only_build(zoo.vgg16_specs())
    params = lasagne.layers.get_all_params(net)
    assert len(params) == 2 * (13 + 3)
    for param in params:
        value = param.get_value(borrow=True)
        assert is_shape_only(value) and not value.flags.writeable
        assert value.dtype == theano.config.floatX and not any(value.strides)
        assert value.nbytes == value.size * 4            # what it stands for ...
        assert np.byte_bounds(value)[1] - np.byte_bounds(value)[0] == 4   # ... in 4 bytes
    assert params[0].get_value(borrow=True).shape == (64, 3, 3, 3)
    tracemalloc.start()
    try:
        total = lasagne.layers.count_params(net)       # get_value() deep-copies each array
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert total == 138357544 and peak < MB
    assert lasagne.layers.count_params(net, trainable=True) == 138357544


def _same_as_the_real_build(lasagne, kind, args, inputs, params):
    """Every layer kind: the same Lasagne figures, and every array shape-only."""
    from lasagne_params.backend.networks.shape_only import is_shape_only
    specs = single_layer(kind, args, inputs)
    real, cheap = _real_build(specs), _shape_only_build(specs)
    assert lp.from_lasagne(cheap) == lp.from_lasagne(real)
    assert lasagne.layers.count_params(cheap) == params
    for param in lasagne.layers.get_all_params(cheap):
        assert is_shape_only(param.get_value(borrow=True)), (kind, param)


def _kind_id(value):
    return value if isinstance(value, str) and value.endswith("Layer") else ""


@pytest.mark.parametrize("kind, args, inputs, shape, params, trainable, formula",
                         [c for c in CASES if not c[1].get("only_return_final")
                          and not any(d is None for s in c[2] for d in s[1:])], ids=_kind_id)
def test_shape_only_build_reads_as_the_real_build(lasagne_release, kind, args, inputs, shape,
                                                  params, trainable, formula):
    _same_as_the_real_build(lasagne_release, kind, args, inputs, params)


#: Master cases a plain chain of InputLayers cannot build (InverseLayer takes the layer
#: it inverts; TPSTransformerLayer's localisation input): tests/test_master_layers.py.
_OWN_WIRING = ("InverseLayer", "TPSTransformerLayer")


@pytest.mark.parametrize("kind, args, inputs, shape, params, trainable",
                         [c for c in MASTER_CASES if c[0] not in _OWN_WIRING], ids=_kind_id)
def test_shape_only_build_reads_as_the_real_build_on_master(lasagne_master, kind, args,
                                                            inputs, shape, params, trainable):
    _same_as_the_real_build(lasagne_master, kind, args, inputs, params)


def test_recurrent_specs_with_tags_and_shares_are_shape_only(lasagne):
    """Gates, an untagged bias ({"trainable": False}), a shared gate array, sub-networks."""
    from lasagne_params.backend.networks.shape_only import is_shape_only
    net = _shape_only_build(RECURRENT_SPECS)
    assert lp.from_lasagne(net) == lp.from_lasagne(_real_build(RECURRENT_SPECS))
    assert net.W_hid_to_ingate is lasagne.layers.get_all_layers(net)[2].W_hid_to_ingate
    assert net.b_ingate not in lasagne.layers.get_all_params(net, trainable=True)
    arrays = lasagne.layers.get_all_params(net)
    assert arrays and all(is_shape_only(p.get_value(borrow=True)) for p in arrays)
    comparison = lp.compare(RECURRENT_SPECS)
    assert comparison.ok, lp.render(comparison)
    # lstm 148, custom 72, tied 180 (see test_lasagne_layers), the shared 4*4 once
    assert comparison.reported.total_params == 148 + 72 + 180 - 4 * 4


def test_a_wrong_output_shape_in_a_lasagne_class_is_still_caught(lasagne, monkeypatch,
                                                                 question_specs):
    """Lasagne's get_output_shape_for still decides the reported shapes."""
    dense = lasagne.layers.DenseLayer
    real = dense.get_output_shape_for
    monkeypatch.setattr(dense, "get_output_shape_for",
                        lambda self, input_shape: real(self, input_shape)[:1] + (
                            self.num_units + 1,))
    comparison = lp.compare(question_specs)
    assert not comparison.ok
    assert ("dense", "output_shape", (None, 256), (None, 257)) in [
        (m.layer, m.field, m.derived, m.reported) for m in comparison.mismatches]
    with pytest.raises(AssertionError, match=r"dense: output_shape: derived \(None, 256\), "
                                             r"Lasagne \(None, 257\)"):
        lp.assert_matches(NOLEARN_JSON)


def test_a_wrong_parameter_shape_in_a_lasagne_class_is_still_caught(lasagne, monkeypatch):
    """Lasagne's add_param still decides every array's shape: a Conv2DLayer whose W
    Lasagne made one filter row too tall is reported with that shape and count."""
    layer = lasagne.layers.Layer
    real = layer.add_param

    def taller_conv_weights(self, spec, shape, name=None, **tags):
        if type(self).__name__ == "Conv2DLayer" and name == "W":
            shape = (shape[0], shape[1], shape[2] + 1, shape[3])
        return real(self, spec, shape, name, **tags)

    monkeypatch.setattr(layer, "add_param", taller_conv_weights)
    comparison = lp.compare(zoo.lenet5_specs())
    mismatches = {(m.layer, m.field): (m.derived, m.reported) for m in comparison.mismatches}
    assert mismatches[("c1", "params")] == ((5 * 5 * 1 + 1) * 6, (6 * 5 * 1 + 1) * 6)
    assert mismatches[("(network)", "total_params")] == (61706, 61706 + 5 * 6 + 5 * 6 * 16)
    assert comparison.reported.layer("c3").param_arrays[0].shape == (16, 6, 6, 5)


def test_cli_check_of_a_zoo_network_reads_lasagne(lasagne, monkeypatch, capsys):
    """show --zoo vgg16 --check: the comparison with Lasagne's figures, exit 0."""
    from lasagne_params.cli import main
    assert main(["show", "--zoo", "vgg16", "--check", "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert '"total_params": 138357544' in out and '"source": "lasagne"' in out


def test_the_borrowing_constructor_is_scoped_and_ignores_other_arrays(lasagne):
    """Theano's constructors are as before after a build; a plain array is still copied."""
    import theano
    from lasagne_params.backend.networks.shape_only import _borrowing, shape_only
    before = list(theano.compile.sharedvalue.shared.constructors)
    with _borrowing():
        plain = np.zeros((2, 3), dtype=theano.config.floatX)
        copied = theano.shared(plain)
        kept = theano.shared(shape_only((2, 3)))
    assert theano.compile.sharedvalue.shared.constructors == before
    assert copied.get_value(borrow=True) is not plain
    copied.set_value(np.ones((2, 3), dtype=theano.config.floatX))    # writable, as usual
    assert kept.get_value(borrow=True).shape == (2, 3)
    with pytest.raises(ValueError, match="read-only"):
        kept.get_value(borrow=True)[0, 0] = 1


def test_build_still_allocates_real_arrays(lasagne, question_specs):
    """lp.build (training, runtime checks) gets Lasagne's initializers, not shape-only arrays."""
    from lasagne_params.backend.networks.shape_only import is_shape_only
    net = lp.build(question_specs)
    values = [p.get_value(borrow=True) for p in lasagne.layers.get_all_params(net)]
    assert not any(is_shape_only(v) for v in values)
    assert values[0].flags.writeable and np.abs(values[0]).sum() > 0    # GlorotUniform
