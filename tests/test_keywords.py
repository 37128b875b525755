"""The keywords each kind declares, against the installed Lasagne's real constructors
(0.1 or master: the declaration's keywords for that version)."""
import inspect

import pytest

from lasagne_params import SpecError
from lasagne_params.core import versions
from lasagne_params.core.registry import KINDS
from lasagne_params.describe.keywords import (MASTER_NONLINEARITIES, NONLINEARITIES,
                                              check_keyword, keywords_of)


def importable_classes(lasagne):
    return {name: cls for name, cls in vars(lasagne.layers).items()
            if inspect.isclass(cls) and issubclass(cls, lasagne.layers.Layer)
            and name == cls.__name__ and name not in ("Layer", "MergeLayer")}


def test_declared_keywords_match_lasagnes_constructors(lasagne):
    classes = importable_classes(lasagne)
    assert len(classes) >= 28
    for name, cls in classes.items():
        params = list(inspect.signature(cls.__init__).parameters.values())[1:]
        required = tuple(p.name for p in params if p.default is p.empty
                         and p.kind is p.POSITIONAL_OR_KEYWORD)
        optional = [p.name for p in params if p.default is not p.empty]
        forwards = any(p.kind is p.VAR_KEYWORD for p in params)
        if forwards and "name" not in optional:
            optional.append("name")
        sig = keywords_of(name).for_version(versions.canonical(lasagne.__version__))
        assert sig.required == required, name
        if forwards:       # keywords a base class takes through **kwargs (num_groups)
            assert set(optional) <= set(sig.optional), name
        else:
            assert sig.optional == tuple(optional), name


def test_the_gpu_only_classes_declare_their_keywords_too():
    for name in ("Conv2DDNNLayer", "MaxPool2DDNNLayer", "Conv2DMMLayer", "Conv2DCCLayer"):
        assert keywords_of(name).required in (("incoming", "num_filters", "filter_size"),
                                              ("incoming", "pool_size"))
        assert KINDS[name].gpu_only


def test_nonlinearities_are_lasagnes(lasagne):
    module = lasagne.nonlinearities
    public = {n for n, v in vars(module).items() if not n.startswith("_") and callable(v)
              and not inspect.isclass(v) and not inspect.ismodule(v)}
    if lasagne.__version__.startswith("0.1"):
        public |= set(MASTER_NONLINEARITIES)          # spec files may name master's too
    assert set(NONLINEARITIES) == public


def test_signature_views():
    sig = keywords_of("ConcatLayer")
    assert (sig.inputs, sig.hyper_parameters) == ("incomings", ("axis", "cropping"))
    assert sig.for_version("0.1").hyper_parameters == ("axis",)
    assert sig.since("cropping") == versions.MASTER and sig.since("axis") is None
    assert keywords_of("InputLayer").inputs is None
    assert keywords_of("NoSuchLayer") is None and keywords_of(None) is None


def test_check_keyword_suggests_in_the_users_spelling():
    with pytest.raises(SpecError) as info:
        check_keyword("Conv2DLayer", "num_filter", "conv2d1_num_filter", layer="conv2d1")
    assert str(info.value).startswith("layer 'conv2d1' (Conv2DLayer): conv2d1_num_filter: "
                                      "unknown keyword; did you mean conv2d1_num_filters? "
                                      "(Conv2DLayer takes num_filters, filter_size, stride,")
    check_keyword("Conv2DLayer", "pad")              # known: no error
    check_keyword("MyOwnLayer", "anything")          # not declared: not checked
