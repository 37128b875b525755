"""Each layer kind is one complete declaration, and nothing a rule reads is lost on a built layer.

A kind's rules read hyper-parameters from a spec; reading a built Lasagne network recovers
exactly the attributes its declaration lists (``hyper_params``, ``arrays``, ...).  A rule that
reads something the declaration does not list would see Lasagne's default instead of the
network's value: a silently wrong figure.  These tests catch that, for every kind, by
recording what the rules read on random networks, and by a round trip through Lasagne.
"""
import ast
import dataclasses
import importlib.util
import os

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import netgen
from helpers import ROOT, single_layer
from layer_cases import CASES, MASTER_CASES
import lasagne_params as lp
from lasagne_params import LayerSpec, derive_costs
from lasagne_params.core import versions
from lasagne_params.core.costs import cost_report
from lasagne_params.core.derive import derive_specs
from lasagne_params.core.layers.base import FAMILIES, LayerKind, Signature
from lasagne_params.core.layers.recurrent import GATE_PARAMS
from lasagne_params.core.registry import BUILTIN_NAMES, KINDS, explainer_for

FUZZ = settings(deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
# Keywords of later Lasagne versions that a declaration may read where a class has them.
LATER_KEYWORDS = {"only_return_final"}


def keyword_names(entries):
    return {entry[1] if isinstance(entry, tuple) else entry for entry in entries}


def readable(kind):
    """What a rule of ``kind`` may read: what a built layer keeps, by its declaration."""
    gate_arrays = {GATE_PARAMS[part] % gate for gate in kind.gates for part in GATE_PARAMS}
    extra = {"dtype", "shape"} if kind.name == "InputLayer" else set()
    return (keyword_names(kind.hyper_params) | set(kind.arrays) | set(kind.subnetworks)
            | set(kind.gates) | gate_arrays | extra)


def test_every_declaration_is_complete():
    assert len(KINDS) >= 37
    for name, kind in KINDS.items():
        assert isinstance(kind, LayerKind) and kind.name == name
        assert callable(kind.rule) and callable(kind.cost), name
        assert kind.family in FAMILIES, name
        assert isinstance(kind.keywords, Signature), name
        expected_inputs = (None,) if name == "InputLayer" else ("incoming", "incomings")
        assert kind.keywords.inputs in expected_inputs, name
        keywords = set(kind.keywords.hyper_parameters) | LATER_KEYWORDS
        assert keyword_names(kind.hyper_params) <= keywords | {"num_units"}, name
        assert set(kind.subnetworks) <= keywords and set(kind.gates) <= keywords, name
        for array in kind.arrays:          # an array is a keyword, or a gate's array
            assert array in keywords or any(array == GATE_PARAMS[p] % g for g in kind.gates
                                            for p in GATE_PARAMS), (name, array)
        assert callable(explainer_for(kind)), name
        assert kind.module.startswith("lasagne.layers"), name




def _name_tests(tree):
    """Lines comparing a class name with a declared one (``kind == "InputLayer"``, ``in
    ("DenseLayer", ...)``) or looking for a word in it (``"Max" in row.kind``)."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Compare):
            continue
        sides = [node.left] + node.comparators
        words = [n.value for side in sides for n in ast.walk(side)
                 if isinstance(n, ast.Constant) and isinstance(n.value, str)]
        named = any(isinstance(side, (ast.Attribute, ast.Name)) and (
            getattr(side, "attr", None) or getattr(side, "id", "")).endswith("kind")
            for side in node.comparators)
        if set(words) & BUILTIN_NAMES or (named and words and isinstance(
                node.ops[0], (ast.In, ast.NotIn))):
            yield node.lineno


def test_code_asks_the_declaration_never_the_class_name():
    """No code tests a layer's class name: it asks the kind's fields (family, arrays,
    explain...), so a user's own kind of the same family is treated alike."""
    package = os.path.join(ROOT, "lasagne_params")
    found = []
    for folder, _, files in os.walk(package):
        for name in files:
            path = os.path.join(folder, name)
            rel = os.path.relpath(path, package)
            if not name.endswith(".py"):
                continue
            with open(path, encoding="utf-8") as fh:
                found += ["%s:%d" % (rel, line) for line in _name_tests(ast.parse(fh.read()))]
    assert not found, found


def test_the_kinds_page_is_generated_from_the_declarations():
    """docs/kinds.md is what tools/make_kinds_doc.py writes from the declarations today: a
    row for each of the 64 built-in classes, 14 of them GPU-only."""
    spec = importlib.util.spec_from_file_location(
        "make_kinds_doc", os.path.join(ROOT, "tools", "make_kinds_doc.py"))
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    with open(os.path.join(ROOT, "docs", "kinds.md"), encoding="utf-8") as fh:
        committed = fh.read()
    assert committed == tool.kinds_doc(), (
        "docs/kinds.md is out of date: run %s" % tool.COMMAND)
    rows = [line.split("|")[1].split()[0] for line in committed.splitlines()
            if line.startswith("| ") and not line.startswith("| class")]
    assert sorted(rows) == sorted(name for name in KINDS if name in BUILTIN_NAMES)
    assert len(rows) == 64 and committed.count(" | dnn | ") == 8


def test_recurrent_layer_reads_its_units_from_the_hidden_layer():
    """RecurrentLayer has no num_units attribute: the declaration reads the sub-layer's."""
    assert ("hidden_to_hidden.num_units", "num_units") in KINDS["RecurrentLayer"].hyper_params


class Recording(dict):
    """A spec's args that remember every key looked up."""

    def __init__(self, data, log):
        super().__init__(data)
        self.log = log

    def get(self, key, default=None):
        self.log.add(key)
        return super().get(key, default)

    def __getitem__(self, key):
        self.log.add(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        self.log.add(key)
        return super().__contains__(key)


def recorded(specs, reads):
    """``specs`` with recording args, each layer's reads collected under its kind."""
    out = []
    for spec in specs:
        args = {key: recorded(value, reads) if key in KINDS[spec.kind].subnetworks else value
                for key, value in spec.args.items()}
        out.append(dataclasses.replace(spec, args=Recording(args,
                                                            reads.setdefault(spec.kind, set()))))
    return out


def check_reads(reads):
    for kind, keys in reads.items():
        extra = keys - readable(KINDS[kind])
        assert not extra, "%s reads %s, which its declaration does not recover" % (
            kind, sorted(extra))


@FUZZ
@given(netgen.networks(dag=True, max_layers=8))
def test_rules_read_only_what_a_built_layer_keeps(net):
    specs, _ = net
    reads = {}
    specs = recorded(specs, reads)
    cost_report(specs, derive_specs(specs))
    check_reads(reads)


@FUZZ
@given(netgen.networks(dag=True, max_layers=8, master=True))
def test_master_rules_read_only_what_a_built_layer_keeps(net):
    specs, _ = net
    reads = {}
    specs = recorded(specs, reads)
    cost_report(specs, derive_specs(specs, version=versions.MASTER))
    check_reads(reads)


def test_the_hand_computed_cases_read_only_declared_keywords_too():
    reads = {}
    for cases, default in ((CASES, versions.RELEASE), (MASTER_CASES, versions.MASTER)):
        for kind, args, inputs, *_ in cases:
            specs = recorded(single_layer(kind, args, inputs), reads)
            version = versions.MASTER if args.get("only_return_final") else default
            cost_report(specs, derive_specs(specs, version=version))
    check_reads(reads)
    assert set(reads) >= {kind for kind, *_ in CASES + MASTER_CASES}


def test_the_recorder_sees_what_a_rule_reads():
    reads = {}
    specs = recorded([LayerSpec("in", "InputLayer", (), {"shape": (None, 3)}),
                      LayerSpec("d", "DenseLayer", ("in",), {"num_units": 2})], reads)
    derive_costs(specs)
    assert {"num_units", "W", "b", "nonlinearity"} <= reads["DenseLayer"]


@settings(FUZZ, max_examples=40)
@given(st.data())
def test_round_trip_through_lasagne_keeps_every_figure_and_cost(lasagne, data):
    """Specs -> Lasagne layers -> specs read back: the same rows and the same costs (with
    master's classes where master is installed)."""
    from lasagne_params.backend.networks.build import build_layers
    from lasagne_params.backend.networks.read import network_version, specs_from_lasagne
    version = network_version()
    specs, sinks = data.draw(netgen.networks(dag=True, max_layers=6,
                                             master=version == versions.MASTER))
    built = build_layers(specs)
    back = specs_from_lasagne([built[name] for name in sinks])
    by_name = {spec.name: spec for spec in specs}
    mine = cost_report([by_name[s.name] for s in back], derive_specs(
        [by_name[s.name] for s in back], version=version))
    theirs = cost_report(back, derive_specs(back, version=version))
    for a, b in zip(mine.report.layers, theirs.report.layers):
        assert (a.output_shape, a.params, a.trainable_params, a.param_formula,
                a.shape_formula) == (b.output_shape, b.params, b.trainable_params,
                                     b.param_formula, b.shape_formula), a.name
    for a, b in zip(mine.layers, theirs.layers):
        assert (a.ops, a.receptive_field) == (b.ops, b.receptive_field), a.name


@pytest.mark.parametrize("kind, args, words", [
    ("DilatedConv2DLayer", {"num_filters": 4, "filter_size": 3, "dilation": 2},
     "convolves (dilated) the 3x9x9 output of in with 4 filters of 3x3"),
    ("TransposedConv2DLayer", {"num_filters": 4, "filter_size": 3},
     "transposes a convolution over the 3x9x9 output of in with 4 filters of 3x3"),
    ("MaxPool2DLayer", {"pool_size": 3}, "keeps the largest value of each window"),
    ("MaxPool2DDNNLayer", {"pool_size": 3}, "keeps the largest value of each window"),
    ("Pool2DLayer", {"pool_size": 3, "mode": "average_inc_pad"},
     "keeps one value of each window"),
])
def test_each_kind_is_explained_in_its_declared_words(kind, args, words):
    """The words come from the declaration (``explain``), not from the class name."""
    specs = single_layer(kind, args, [(None, 3, 9, 9)])
    text = lp.render(lp.derive(specs, lasagne_version="master"), "explain")
    assert "Layer 1, x (%s), %s" % (kind, words) in text
