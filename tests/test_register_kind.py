"""A user's own layer class, declared in one call, is derived, costed, explained, drawn,
read from spec files and the command line, built and compared like Lasagne's own."""
import json
import os
import subprocess
import sys
import textwrap

import pytest

from helpers import ROOT, chain, cli
import lasagne_params as lp
from lasagne_params import ArgumentError, LayerSpec, Result, UnsupportedLayerError
from lasagne_params.core.registry import KINDS
from lasagne_params.render.picture import layer_lines


def bias_rule(context):
    """A learnt bias per feature of a (batch, features) input: ``n`` parameters."""
    features = context.input_shape[1]
    return Result(context.input_shape, param_arrays=(context.param_array("b", (features,)),),
                  param_formula="%d" % features)


@pytest.fixture
def kinds():
    """Register kinds in a test; every kind registered is forgotten afterwards."""
    before = set(KINDS)
    yield lp.register_kind
    for name in set(KINDS) - before:
        lp.unregister_kind(name)


def net(kind):
    return chain(("in", "InputLayer", {"shape": (None, 20)}),
                 ("extra", kind, {}),
                 ("out", "DenseLayer", {"num_units": 5}))


def test_a_registered_kind_is_derived_costed_explained_and_drawn(kinds):
    kind = kinds("FeatureBiasLayer", bias_rule, arrays=("b",))
    assert lp.supported_kinds().count("FeatureBiasLayer") == 1 and kind.family == "special"
    report = lp.derive(net("FeatureBiasLayer"))
    extra = report.layer("extra")
    assert (extra.output_shape, extra.params, extra.param_formula) == ((None, 20), 20, "20")
    assert report.total_params == 20 + (20 + 1) * 5
    costs = lp.derive_costs(net("FeatureBiasLayer"))
    assert costs.layer("extra").macs is None              # no cost rule declared: unknown
    assert costs.total_macs is None and "?" in lp.render(costs, "columns")
    assert "Its parameter arrays are b 20 = 20: 20 = 20 parameters." in lp.render(report,
                                                                                  "explain")
    assert layer_lines(extra) == ["extra", "FeatureBiasLayer", "20", "params 20 = 20"]


def test_like_starts_from_a_declared_kind(kinds):
    kinds("WideDenseLayer", like="DenseLayer")
    assert KINDS["WideDenseLayer"].keywords == KINDS["DenseLayer"].keywords
    with pytest.raises(lp.LayerRuleError, match="num_units: expected a positive int"):
        lp.derive(net("WideDenseLayer"))      # DenseLayer's rule: num_units is required


def test_like_keeps_the_rule_and_the_cost(kinds):
    kinds("WideDenseLayer", like="DenseLayer")
    specs = chain(("in", "InputLayer", {"shape": (None, 20)}),
                  ("wide", "WideDenseLayer", {"num_units": 30}))
    costs = lp.derive_costs(specs)
    row = costs.report.layer("wide")
    assert (row.params, row.param_formula) == ((20 + 1) * 30, "(20+1)*30")
    assert costs.layer("wide").macs == 20 * 30


def test_spec_files_and_their_keywords_know_a_registered_kind(kinds, tmp_path):
    kinds("WideDenseLayer", like="DenseLayer")
    path = tmp_path / "net.json"
    path.write_text(json.dumps({"layers": [
        {"name": "in", "kind": "InputLayer", "shape": [None, 20]},
        {"name": "wide", "kind": "WideDenseLayer", "num_units": 3}]}))
    assert lp.derive(str(path)).total_params == (20 + 1) * 3
    path.write_text(json.dumps({"layers": [
        {"name": "in", "kind": "InputLayer", "shape": [None, 20]},
        {"name": "wide", "kind": "WideDenseLayer", "num_unit": 3}]}))
    with pytest.raises(lp.SpecError, match="num_unit: unknown keyword; did you mean num_units"):
        lp.derive(str(path))


def test_mistakes_in_a_declaration_are_one_line_errors(kinds):
    with pytest.raises(ArgumentError, match=r"^name: 'DenseLayer' is already declared$"):
        kinds("DenseLayer", bias_rule)
    with pytest.raises(ArgumentError, match="^rule: a layer kind needs a rule"):
        kinds("NoRuleLayer")
    with pytest.raises(ArgumentError, match="^family: expected one of input, dense, conv"):
        kinds("OddLayer", bias_rule, family="odd")
    with pytest.raises(ArgumentError, match="^arays: LayerKind has no field 'arays'; did you "
                                            "mean arrays"):
        kinds("TypoLayer", bias_rule, arays=("b",))
    with pytest.raises(UnsupportedLayerError, match="no layer kind 'DenseLayr' is declared"):
        kinds("MyLayer", like="DenseLayr")
    kinds("MyLayer", bias_rule)
    with pytest.raises(ArgumentError, match="pass replace=True"):
        kinds("MyLayer", bias_rule)
    assert kinds("MyLayer", bias_rule, replace=True).rule is bias_rule
    with pytest.raises(ArgumentError, match="built in and cannot be unregistered"):
        lp.unregister_kind("DenseLayer")


KINDS_FILE = textwrap.dedent('''
    """Declares FeatureBiasLayer for the command line (no Lasagne needed)."""
    import lasagne_params as lp

    def rule(context):
        n = context.input_shape[1]
        return lp.Result(context.input_shape, param_arrays=(context.param_array("b", (n,)),),
                         param_formula=str(n))

    def cost(context):
        return lp.Cost((context.per_element("elementwise"),), context.input_receptive_field)

    lp.register_kind("FeatureBiasLayer", rule, cost, arrays=("b",), replace=True)
''')


def test_the_command_line_knows_kinds_declared_in_a_kinds_file(tmp_path):
    kinds_file = tmp_path / "my_kinds.py"
    kinds_file.write_text(KINDS_FILE)
    spec = tmp_path / "net.yaml"
    spec.write_text("layers:\n- {name: in, kind: InputLayer, shape: [null, 20]}\n"
                    "- {name: extra, kind: FeatureBiasLayer}\n"
                    "- {name: out, kind: DenseLayer, num_units: 5}\n")
    out = cli("show", str(spec), "--kinds", str(kinds_file), "--costs")
    assert out.returncode == 0, out.stderr
    assert "  1  extra       20    20       =  20" in out.stdout
    assert out.stderr == ""
    without = cli("show", str(spec))
    assert without.returncode == 2
    assert "no layer kind 'FeatureBiasLayer' is declared" in without.stderr


def test_a_kinds_file_is_imported_without_theano(tmp_path):
    kinds_file = tmp_path / "my_kinds.py"
    kinds_file.write_text(KINDS_FILE)
    code = textwrap.dedent("""
        import json, sys
        from lasagne_params.usercode import load_kinds
        from lasagne_params.core.registry import KINDS
        load_kinds([sys.argv[1]])
        print(json.dumps(["FeatureBiasLayer" in KINDS,
                          sorted(m for m in sys.modules if m.split(".")[0] in ("theano", "numpy"))]))
    """)
    out = subprocess.run([sys.executable, "-c", code, str(kinds_file)], capture_output=True,
                         text=True, cwd=ROOT, timeout=60)
    assert json.loads(out.stdout) == [True, []], out.stderr


@pytest.fixture
def custom_kind(lasagne, kinds):
    """examples/custom_kind.py, imported (it declares ChannelScaleLayer; forgotten after)."""
    import custom_kind                            # examples/ is on sys.path (conftest.py)
    if "ChannelScaleLayer" not in KINDS:          # imported by an earlier test: declare again
        custom_kind.lasagne_params.register_kind(
            custom_kind.ChannelScaleLayer, rule=custom_kind.channel_scale,
            cost=custom_kind.channel_scale_cost, family="special", arrays=("scales",))
    return custom_kind


def test_a_users_lasagne_class_is_compared_and_built(custom_kind):
    comparison = lp.compare(custom_kind.build())
    assert comparison.ok, lp.render(comparison)
    scale = comparison.reported.layer("scale")
    assert scale.params == 16 and scale.kind == "ChannelScaleLayer"
    assert comparison.derived.total_params == (3 * 3 * 3 + 1) * 16 + 16 + (16 * 15 * 15 + 1) * 10
    specs = [LayerSpec("in", "InputLayer", (), {"shape": (None, 4, 5, 5)}),
             LayerSpec("s", "ChannelScaleLayer", ("in",), {})]
    built = lp.build(specs)                      # the factory of the declaration builds it
    assert isinstance(built, custom_kind.ChannelScaleLayer)
    assert lp.compare(specs).ok


def test_the_documented_example_runs(lasagne):
    out = subprocess.run([sys.executable, os.path.join(ROOT, "examples", "custom_kind.py")],
                         capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "all 5 layers agree" in out.stdout
    out = cli("show", os.path.join(ROOT, "examples", "custom_kind.yaml"), "--kinds",
              os.path.join(ROOT, "examples", "custom_kind.py"), "--check")
    assert out.returncode == 0, out.stderr
    assert "  2  scale   ChannelScaleLayer                   16x30x30    16              =     16" \
        in out.stdout


# ------------------------------------------------- a kind of the input family is an input

INPUTS_SPEC = """\
layers:
- {name: a, kind: MyInputLayer, shape: [4, 20]}
- {name: d, kind: DenseLayer, num_units: 5}
- {name: b, kind: MyInputLayer, shape: [4, 3]}
- {name: m, kind: ConcatLayer, incomings: [d, b]}
"""


def test_a_kind_of_the_input_family_is_an_input_everywhere(tmp_path):
    """Nothing asks for the name InputLayer: a user's input kind takes no incoming layer
    in spec files and derivations, and its batch is the costs' input."""
    kinds = lp.Registry()
    kinds.register("MyInputLayer", like="InputLayer")
    path = tmp_path / "net.yaml"
    path.write_text(INPUTS_SPEC)
    report = lp.derive(str(path), kinds=kinds)
    assert report.layer("b").incoming == ()                # not chained to d
    assert report.layer("m").output_shape == (4, 5 + 3)
    costs = lp.derive_costs(str(path), kinds=kinds)
    assert costs.batch_size == 4                           # the inputs' declared batch
    assert costs.input_bytes == 4 * (20 + 3) * 4           # batch x elements x float32
    assert costs.activation_bytes == 4 * (5 + 8) * 4       # d and m, not the inputs
    path.write_text(INPUTS_SPEC.replace("shape: [4, 3]", "shape: [4, 3], incoming: d"))
    with pytest.raises(lp.SpecError, match="incoming: an input layer has no incoming layer"):
        lp.derive(str(path), kinds=kinds)
    path.write_text(INPUTS_SPEC.replace(", shape: [4, 3]", ""))
    with pytest.raises(lp.SpecError, match="shape: missing input shape: give shape"):
        lp.derive(str(path), kinds=kinds)
    kinds.register("FeatureBiasLayer", bias_rule, arrays=("b",))   # family "special"
    with pytest.raises(lp.SpecError, match="incoming: has no incoming layer"):
        lp.derive([LayerSpec("x", "FeatureBiasLayer", (), {})], kinds=kinds)
    assert lp.derive([LayerSpec("x", "MyInputLayer", (), {"shape": (None, 7)})],
                     kinds=kinds).layer("x").output_shape == (None, 7)


def test_a_users_input_class_is_built_and_read_with_its_data_type(lasagne):
    """``dtype`` goes to the input variable a user's input class is built with, and is read
    back from it (the InputLayer declaration's reader, which ``like`` copies)."""
    class IndexInputLayer(lasagne.layers.InputLayer):
        """Indices of words: an input of ints."""

    kinds = lp.Registry()
    kinds.register(IndexInputLayer, like="InputLayer")
    specs = chain(("words", "IndexInputLayer", {"shape": (None, 6), "dtype": "int32"}),
                  ("embed", "EmbeddingLayer", {"input_size": 10, "output_size": 4}),
                  ("out", "DenseLayer", {"num_units": 3}))
    built = lp.build(specs, kinds=kinds)
    words = lasagne.layers.get_all_layers(built)[0]
    assert isinstance(words, IndexInputLayer) and str(words.input_var.dtype) == "int32"
    with lp.kinds(kinds):
        from lasagne_params.backend.networks.read import specs_from_lasagne
        assert specs_from_lasagne(built)[0].args == {"shape": (None, 6), "dtype": "int32"}
    comparison = lp.compare(specs, kinds=kinds)
    assert comparison.ok, lp.render(comparison)
    assert comparison.derived.total_params == 10 * 4 + (6 * 4 + 1) * 3


# --------------------------------------- a class of one's own named like one of Lasagne's

OWN_DENSE_FILE = textwrap.dedent('''
    """A network with a DenseLayer of its own: no bias."""
    import lasagne
    import theano.tensor as T


    class DenseLayer(lasagne.layers.Layer):
        def __init__(self, incoming, num_units, **kwargs):
            super().__init__(incoming, **kwargs)
            self.num_units = num_units
            self.W = self.add_param(lasagne.init.GlorotUniform(),
                                    (self.input_shape[1], num_units), name="W")

        def get_output_shape_for(self, input_shape):
            return (input_shape[0], self.num_units)

        def get_output_for(self, input, **kwargs):
            return T.dot(input, self.W)


    net = lasagne.layers.InputLayer((None, 20), name="in")
    net = DenseLayer(net, 5, name="extra")
    net = lasagne.layers.DenseLayer(net, 3, name="out")
''')


@pytest.fixture(scope="module")
def own_dense(lasagne, tmp_path_factory):
    """A user's own ``DenseLayer``, without a bias (historical code has such classes), in
    a file (path, module): Lasagne's rule would count (20+1)*5 where it holds 20*5."""
    import importlib.util
    path = tmp_path_factory.mktemp("own") / "own_model.py"
    path.write_text(OWN_DENSE_FILE)
    spec = importlib.util.spec_from_file_location("own_model", str(path))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return str(path), module


def biasless_dense(context):
    """``n*m`` parameters: W only."""
    n, m = context.input_shape[1], context.positive_int("num_units")
    return Result((context.input_shape[0], m), param_arrays=(
        context.param_array("W", (n, m)),), param_formula="%d*%d" % (n, m))


def test_a_users_class_named_like_lasagnes_is_not_derived_by_lasagnes_rule(own_dense):
    """Built layers are matched to kinds by class identity: Lasagne's DenseLayer rule is not
    applied to another class called DenseLayer (it was: a wrong total, exit 0)."""
    _, module = own_dense
    cls, built = module.DenseLayer, module.net
    qualified = "own_model.DenseLayer"
    report = lp.derive(built)                # from its own code (docs/custom-kinds.md)
    assert report.layer("extra").kind == qualified
    assert report.layer("extra").params == 20 * 5
    assert report.layer("extra").note.startswith("from the class's code: ")
    comparison = lp.compare(built)
    assert comparison.ok and comparison.reported.layer("extra").kind == qualified
    assert comparison.derived.layer("out").params == (5 + 1) * 3
    from lasagne_params.backend.bridges import layer_calls
    call = layer_calls._CALLS.pop(id(built.input_layer))       # its arguments unknown:
    try:
        comparison = lp.compare(built)       # Lasagne's figures for it, "not derived"
    finally:
        layer_calls._CALLS[id(built.input_layer)] = call
    assert comparison.not_derived == ("extra",)
    assert comparison.derived.layer("extra").params == 20 * 5            # Lasagne's
    assert comparison.derived.layer("out").params == (5 + 1) * 3
    with pytest.raises(ArgumentError, match="declare it under a name of its own"):
        lp.register_kind(cls, biasless_dense, arrays=("W",))
    kinds = lp.Registry()
    kinds.register("BiaslessDenseLayer", biasless_dense, factory=cls, arrays=("W",),
                   hyper_params=("num_units",))
    report = lp.derive(built, kinds=kinds)
    assert report.layer("extra").kind == "BiaslessDenseLayer"
    assert report.total_params == 20 * 5 + (5 + 1) * 3
    assert lp.compare(built, kinds=kinds).ok


def test_a_class_declared_from_a_second_import_of_its_file_is_matched(own_dense):
    """A target is imported apart from the module a declaration imported its class from
    (a --kinds file's ``from model import DenseLayer``): two class objects, one file and
    name, one kind.  The file's name stands for the class in the messages."""
    path, module = own_dense
    target = path + ":net"
    assert lp.derive(target).layer("extra").kind == "own_model.DenseLayer"
    kinds = lp.Registry()
    kinds.register("BiaslessDenseLayer", biasless_dense, factory=module.DenseLayer,
                   arrays=("W",), hyper_params=("num_units",))
    assert lp.derive(target, kinds=kinds).total_params == 20 * 5 + (5 + 1) * 3
