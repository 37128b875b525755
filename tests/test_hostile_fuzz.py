"""Hypothesis against the readers: malformed JSON and YAML, huge, deep and odd values.

Every generated file is loaded, derived, costed and rendered in every
format: the outcome must be a result or a :class:`LasagneParamsError`
(never another exception), and no rendered text may carry a control
character other than the newline.
"""
import json
import os
import tempfile

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from lasagne_params import LasagneParamsError, LayerSpec, derive, derive_costs, render
from lasagne_params.core.registry import KINDS
from lasagne_params.describe.keywords import keywords_of
from lasagne_params.describe.snapshot import diff_snapshot, read_snapshot
from lasagne_params.describe.spec import load_spec
from lasagne_params.render import REPORT_FORMATS

pytest.importorskip("yaml")
FUZZ = settings(max_examples=int(os.environ.get("HOSTILE_EXAMPLES", 120)), deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

ODD_TEXT = st.text(alphabet=st.sampled_from(
    ["a", "b", "_", ".", " ", "\n", "\r", "\t", "\x00", "\x1b", "[", "\u202e", "\u200b",
     "\ud800", "\udfff", "\u00e9", "\U0001F600", "'", '"', "\\", "<", "&"]), max_size=12)
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 40), st.integers(),
    st.sampled_from([400, 5000, -5000, 64]).map(lambda e: 10 ** abs(e) * (-1 if e < 0 else 1)),
    st.floats(allow_nan=True, allow_infinity=True), ODD_TEXT,
    st.sampled_from(["rectify", "GlorotUniform", "Orthogonal", "same", "full", "valid",
                     "in.W", "d.b", "linear"]))
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(ODD_TEXT, inner, max_size=3),
    st.fixed_dictionaries({"shared": st.one_of(ODD_TEXT, st.sampled_from(["in.W", "l1.W",
                                                                           "l1.b", "l0.W"]))}),
    st.fixed_dictionaries({"trainable": SCALARS})), max_leaves=12)
SHAPES = st.lists(st.one_of(st.none(), st.integers(-2, 12), st.just(700).map(lambda e: 10 ** e)),
                  min_size=0, max_size=5)
KIND_NAMES = sorted(KINDS)


@st.composite
def layer_lists(draw):
    """A layer-list spec: random kinds, their keywords (and a few others) with odd values."""
    layers = [{"name": "in", "kind": "InputLayer", "shape": draw(SHAPES)}]
    for index in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(KIND_NAMES))
        layer = {"name": draw(st.one_of(st.just("l%d" % index), ODD_TEXT)), "kind": kind}
        sig = keywords_of(kind)
        names = list(sig.hyper_parameters) if sig else ["num_units"]
        for key in draw(st.lists(st.sampled_from(names + ["W", "b", "incoming"]),
                                 max_size=4, unique=True)):
            layer[key] = draw(VALUES)
        layers.append(layer)
    return {"layers": layers}


def try_file(text, suffix):
    """Load, derive, cost and render; True on a result, False on a clean error."""
    handle, path = tempfile.mkstemp(suffix=suffix)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(text if isinstance(text, bytes) else
                      text.encode("utf-8", "surrogatepass"))
        try:
            specs = load_spec(path)
            report = derive(specs)
            texts = [render(report, fmt) for fmt in REPORT_FORMATS]
            texts.append(render(derive_costs(specs), "columns"))
        except LasagneParamsError:
            return False
        for text in texts:
            assert all(c.isprintable() or c == "\n" for c in text), repr(text[:200])
        json.loads(texts[REPORT_FORMATS.index("json")])
        return True
    finally:
        os.unlink(path)


def dumps(data):
    """JSON of ``data``: huge ints written out (json.dumps stops at 4,300 digits)."""
    from lasagne_params.core.text import json_text
    return json_text(data, indent=None)


@FUZZ
@given(layer_lists())
def test_odd_values_in_a_layer_list(data):
    try_file(dumps(data), ".json")


@FUZZ
@given(layer_lists())
def test_odd_values_in_yaml(data):
    yaml = pytest.importorskip("yaml")
    try:
        text = yaml.safe_dump(data, allow_unicode=False)
    except (yaml.YAMLError, ValueError, UnicodeEncodeError):
        return
    try_file(text, ".yaml")


JSON_PIECES = st.sampled_from(['{', '}', '[', ']', ',', ':', '"layers"', '"name"', '"kind"',
                               '"InputLayer"', '"DenseLayer"', '"shape"', '"num_units"',
                               'null', 'true', 'NaN', '-Infinity', '1e999', '"\\ud800"',
                               '"\\u001b"', '9' * 4400, '"a"', '"a"', '0', '-0', '1.5'])


@FUZZ
@given(st.lists(JSON_PIECES, max_size=40))
def test_malformed_json(pieces):
    try_file("".join(pieces), ".json")


@FUZZ
@given(st.integers(1, 3000), st.sampled_from(["[", '{"a":', "[{\"layers\":"]))
def test_deep_json(depth, opener):
    closer = {"[": "]", '{"a":': "}", "[{\"layers\":": "}]"}[opener]
    assert try_file(opener * depth + "1" + closer * depth, ".json") is False


YAML_PIECES = st.sampled_from([
    "layers:", "\n", "- ", "  ", "{", "}", "[", "]", ", ", ": ", "&a ", "*a", "&b ", "*b",
    "<<: *a", "!!python/object:os.system ", "!!binary aGk=", "!!set {a}", "!!timestamp ",
    "!custom ", "2001-02-30", "? ", "|", ">", "---", "...", "%YAML 1.1", "name: in",
    "kind: InputLayer", "kind: DenseLayer", "shape: [null, 4]", "num_units: 2",
    "num_units: 3", "b: no", "W: ~", "'\\x1b'", '"\\e[2J"', "0x1F", "1_000", "1:20", ".inf",
    ".nan", "9" * 4400, "\t"])


@FUZZ
@given(st.lists(YAML_PIECES, max_size=40))
def test_malformed_yaml(pieces):
    try_file("".join(pieces), ".yaml")


@FUZZ
@given(st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(
        ["format", "version", "layers", "name", "kind", "output_shape", "params",
         "trainable_params", "total_params"]), inner, max_size=5)), max_leaves=15))
def test_malformed_snapshots(data):
    handle, path = tempfile.mkstemp(suffix=".json")
    try:
        with os.fdopen(handle, "w") as out:
            out.write(dumps(data))
        try:
            recorded = read_snapshot(path)
        except LasagneParamsError:
            return
        diff_snapshot(recorded, derive([LayerSpec("in", "InputLayer", (), {"shape": (None, 2)})]))
    finally:
        os.unlink(path)
