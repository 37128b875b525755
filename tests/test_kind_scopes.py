"""Layer kinds declared for one analysis: a Registry given to one call, or ``with kinds(...)``.

A scoped kind is seen by every lookup inside (derivation, costs, spec files and their
keywords, reading and building Lasagne networks) and by nothing outside: not after the
block, not in another thread or asyncio task.  Expected figures are written as arithmetic.
"""
import asyncio
import doctest
import json
import threading

import pytest

from helpers import chain
import lasagne_params as lp
from lasagne_params import ArgumentError, Registry, Result, UnsupportedLayerError
from lasagne_params.core import registry as registry_module
from lasagne_params.core.registry import KINDS, kind_of


def test_docstring_examples():
    assert doctest.testmod(registry_module).failed == 0


def bias_rule(context):
    """A learnt bias per feature of a (batch, features) input: ``n`` parameters."""
    n = context.input_shape[1]
    return Result(context.input_shape, param_arrays=(context.param_array("b", (n,)),),
                  param_formula="%d" % n)


def double_bias_rule(context):
    """Two biases per feature: ``2*n`` parameters (another declaration, same class name)."""
    n = context.input_shape[1]
    return Result(context.input_shape, param_arrays=(context.param_array("b", (2, n)),),
                  param_formula="2*%d" % n)


def net(kind="FeatureBiasLayer"):
    return chain(("in", "InputLayer", {"shape": (None, 20)}),
                 ("extra", kind, {}),
                 ("out", "DenseLayer", {"num_units": 5}))


def registry(rule=bias_rule):
    found = Registry()
    found.register("FeatureBiasLayer", rule, arrays=("b",))
    return found


def test_a_scoped_kind_is_seen_inside_and_gone_after(tmp_path):
    path = tmp_path / "net.json"
    path.write_text(json.dumps({"layers": [
        {"name": "in", "kind": "InputLayer", "shape": [None, 20]},
        {"name": "extra", "kind": "FeatureBiasLayer"}]}))
    with lp.kinds(registry()):
        assert "FeatureBiasLayer" in lp.supported_kinds()
        assert lp.derive(net()).total_params == 20 + (20 + 1) * 5
        assert lp.derive(str(path)).layer("extra").params == 20         # a spec file
        assert lp.derive_costs(net()).layer("out").macs == 20 * 5
    assert "FeatureBiasLayer" not in lp.supported_kinds() and "FeatureBiasLayer" not in KINDS
    with pytest.raises(UnsupportedLayerError, match="no layer kind 'FeatureBiasLayer'"):
        lp.derive(net())
    with pytest.raises(UnsupportedLayerError, match="no layer kind 'FeatureBiasLayer'"):
        lp.derive(str(path))


def test_a_registry_given_to_one_call_is_active_for_that_call_only():
    kinds = registry()
    assert lp.derive(net(), kinds=kinds).layer("extra").param_formula == "20"
    costs = lp.derive_costs(net(), kinds=kinds)
    assert costs.report.total_params == 20 + (20 + 1) * 5 and costs.layer("extra").macs is None
    with pytest.raises(UnsupportedLayerError):
        lp.derive(net())
    assert kinds.kind_of("FeatureBiasLayer").arrays == ("b",)
    assert "FeatureBiasLayer" in kinds and len(kinds) == 1


def test_keywords_of_a_scoped_kind_are_checked_in_spec_files(tmp_path):
    kinds = Registry()
    kinds.register("WideDenseLayer", like="DenseLayer")
    path = tmp_path / "net.json"
    path.write_text(json.dumps({"layers": [
        {"name": "in", "kind": "InputLayer", "shape": [None, 20]},
        {"name": "wide", "kind": "WideDenseLayer", "num_unit": 3}]}))
    with pytest.raises(lp.SpecError, match="num_unit: unknown keyword; did you mean num_units"):
        lp.derive(str(path), kinds=kinds)


def test_two_threads_with_their_own_kinds_do_not_see_each_other():
    """Both threads are inside their scopes at once (a barrier), each declaring the same
    class name with another rule; each derives its own figure, and the main thread none."""
    barrier = threading.Barrier(2, timeout=30)
    found = {}

    def work(label, rule):
        with lp.kinds(registry(rule)):
            barrier.wait()                       # both scopes are open now
            found[label] = lp.derive(net()).layer("extra").params
            barrier.wait()                       # neither closes before the other derived

    threads = [threading.Thread(target=work, args=("one", bias_rule)),
               threading.Thread(target=work, args=("two", double_bias_rule))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert found == {"one": 20, "two": 2 * 20}
    assert "FeatureBiasLayer" not in lp.supported_kinds()


def test_two_asyncio_tasks_with_their_own_kinds_do_not_see_each_other():
    async def work(rule, started, other_started):
        with lp.kinds(registry(rule)):
            started.set()
            await other_started.wait()
            return lp.derive(net()).layer("extra").params

    async def main():
        one, two = asyncio.Event(), asyncio.Event()
        return await asyncio.gather(work(bias_rule, one, two),
                                    work(double_bias_rule, two, one))

    assert asyncio.run(main()) == [20, 2 * 20]


def test_scopes_nest_and_an_inner_kind_shadows_an_outer_one():
    with lp.kinds(registry(bias_rule)):
        with lp.kinds(registry(double_bias_rule)):
            assert lp.derive(net()).layer("extra").params == 2 * 20
        assert lp.derive(net()).layer("extra").params == 20


def test_a_scoped_kind_shadows_a_registered_one_only_inside():
    lp.register_kind("FeatureBiasLayer", bias_rule, arrays=("b",), replace=True)
    try:
        with lp.kinds(registry(double_bias_rule)):
            assert lp.derive(net()).layer("extra").params == 2 * 20
        assert lp.derive(net()).layer("extra").params == 20
    finally:
        lp.unregister_kind("FeatureBiasLayer")


def test_a_kind_declared_by_class_name_in_a_with_block():
    with lp.kinds(WideDenseLayer=kind_of("DenseLayer")):
        row = lp.derive(chain(("in", "InputLayer", {"shape": (None, 20)}),
                              ("wide", "WideDenseLayer", {"num_units": 30}))).layer("wide")
        assert (row.kind, row.params) == ("WideDenseLayer", (20 + 1) * 30)
        assert lp.supported_kinds().count("WideDenseLayer") == 1
    assert "WideDenseLayer" not in lp.supported_kinds()


def test_mistakes_are_one_line_errors():
    with pytest.raises(ArgumentError, match=r"^name: 'DenseLayer' is already declared$"):
        Registry().register("DenseLayer", bias_rule)
    with pytest.raises(ArgumentError, match=r"^name: 'DenseLayer' is already declared$"):
        lp.kinds(DenseLayer=kind_of("Conv2DLayer"))
    with pytest.raises(ArgumentError, match="^MyLayer: expected a lasagne_params.LayerKind, "
                                            "got function$"):
        lp.kinds(MyLayer=bias_rule)
    with pytest.raises(ArgumentError, match="^kinds: expected a lasagne_params.Registry, "
                                            "got dict$"):
        lp.derive(net(), kinds={"FeatureBiasLayer": bias_rule})
    kinds = registry()
    with pytest.raises(ArgumentError, match="pass replace=True"):
        kinds.register("FeatureBiasLayer", bias_rule)
    assert kinds.register("FeatureBiasLayer", double_bias_rule, replace=True).rule \
        is double_bias_rule


@pytest.fixture(scope="module")
def feature_bias(lasagne):
    """A Lasagne layer class of a user's own, and a network using it."""
    class FeatureBiasLayer(lasagne.layers.Layer):
        def __init__(self, incoming, b=lasagne.init.Constant(0.), **kwargs):
            super().__init__(incoming, **kwargs)
            self.b = self.add_param(b, (self.input_shape[1],), name="b")

        def get_output_for(self, input, **kwargs):
            return input + self.b.dimshuffle("x", 0)

    layer = lasagne.layers.InputLayer((None, 20), name="in")
    layer = FeatureBiasLayer(layer, name="extra")
    return FeatureBiasLayer, lasagne.layers.DenseLayer(layer, 5, name="out")


def test_a_built_network_is_read_compared_and_built_with_a_registry(feature_bias):
    cls, built = feature_bias
    kinds = Registry()
    kinds.register(cls, bias_rule, arrays=("b",))
    comparison = lp.compare(built, kinds=kinds)
    assert comparison.ok, lp.render(comparison)
    assert comparison.derived.total_params == 20 + (20 + 1) * 5
    without = lp.compare(built)               # outside: from the class's own code
    assert without.ok and not comparison.derived.layer("extra").note
    assert without.derived.layer("extra").note.startswith("from the class's code: ")
    rebuilt = lp.build(net(), kinds=kinds)    # the factory builds the scoped kind's layers
    assert isinstance(rebuilt.input_layer, cls)
    assert lp.compare(net(), kinds=kinds).ok
