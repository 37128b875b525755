"""The static keyword table against Lasagne 0.1's real constructors."""
import inspect

import pytest

from lasagne_params.describe import signatures
from lasagne_params.core.registry import RULES
from lasagne_params.describe.signatures import KEYWORDS, NONLINEARITIES, signature


def test_every_registered_kind_has_its_keywords():
    assert set(RULES) <= set(KEYWORDS)


def importable_classes(lasagne):
    return {name: cls for name, cls in vars(lasagne.layers).items()
            if inspect.isclass(cls) and issubclass(cls, lasagne.layers.Layer)
            and name == cls.__name__ and name not in ("Layer", "MergeLayer")}


def test_table_matches_lasagnes_constructors(lasagne):
    classes = importable_classes(lasagne)
    assert len(classes) >= 28
    for name, cls in classes.items():
        params = list(inspect.signature(cls.__init__).parameters.values())[1:]
        required = tuple(p.name for p in params if p.default is p.empty
                         and p.kind is p.POSITIONAL_OR_KEYWORD)
        optional = [p.name for p in params if p.default is not p.empty]
        if any(p.kind is p.VAR_KEYWORD for p in params) and "name" not in optional:
            optional.append("name")
        assert signature(name) == (required, tuple(optional)), name


def test_table_covers_the_gpu_only_classes_too():
    for name in ("Conv2DDNNLayer", "MaxPool2DDNNLayer", "Conv2DMMLayer", "Conv2DCCLayer"):
        assert signature(name).required == ("incoming", "num_filters", "filter_size") \
            or signature(name).required == ("incoming", "pool_size")


def test_nonlinearities_are_lasagnes(lasagne):
    module = lasagne.nonlinearities
    public = {n for n, v in vars(module).items() if not n.startswith("_") and callable(v)
              and not inspect.isclass(v) and not inspect.ismodule(v)}
    assert set(NONLINEARITIES) == public


def test_signature_views():
    sig = signature("ConcatLayer")
    assert (sig.inputs, sig.hyper_parameters) == ("incomings", ("axis",))
    assert signature("InputLayer").inputs is None
    assert signature("NoSuchLayer") is None and signature(None) is None


def test_check_keyword_suggests_in_the_users_spelling():
    with pytest.raises(signatures.SpecError) as info:
        signatures.check_keyword("Conv2DLayer", "num_filter", "conv2d1_num_filter",
                                 layer="conv2d1")
    assert str(info.value).startswith("layer 'conv2d1' (Conv2DLayer): conv2d1_num_filter: "
                                      "unknown keyword; did you mean conv2d1_num_filters? "
                                      "(Conv2DLayer takes num_filters, filter_size, stride,")
    signatures.check_keyword("Conv2DLayer", "pad")              # known: no error
    signatures.check_keyword("MyOwnLayer", "anything")          # not in the table: not checked
