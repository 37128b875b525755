"""Corrupted and random spec files: a clean LasagneParamsError or a result, nothing else."""
import json
import os
import random
import tempfile

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from lasagne_params import LasagneParamsError, derive, render
from lasagne_params.core.registry import KINDS
from lasagne_params.render import REPORT_FORMATS
from lasagne_params.describe.spec import SpecFile, parse_spec
from lasagne_params.describe.keywords import keywords_of
from helpers import LAYERS_YAML, NOLEARN_JSON, cli

pytest.importorskip("yaml")
FUZZ = settings(max_examples=250, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow])


def read(path):
    with open(path, encoding="utf-8") as handle:
        return handle.read()


SEEDS = {".json": read(NOLEARN_JSON), ".yaml": read(LAYERS_YAML)}
NOISE = st.text(alphabet=st.sampled_from(list('{}[]:,"\'-#&*!|>?%@`\\ \n\t0123456789.e'
                                              'abnulltrue') + ["\x00", "\u00e9", "\ud7ff"]),
                max_size=8)


def try_spec(text, suffix):
    """Load, derive and render; True on success, False on a clean error."""
    handle, path = tempfile.mkstemp(suffix=suffix)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", errors="surrogatepass") as out:
            out.write(text)
        try:
            report = derive(path)
        except LasagneParamsError as exc:
            assert "\n" not in str(exc) and path in str(exc)
            return False
        for fmt in REPORT_FORMATS:
            render(report, fmt)
        return True
    finally:
        os.unlink(path)


@FUZZ
@given(suffix=st.sampled_from(sorted(SEEDS)), data=st.data())
def test_corrupted_spec_files(suffix, data):
    text = SEEDS[suffix]
    for _ in range(data.draw(st.integers(1, 3))):
        start = data.draw(st.integers(0, len(text)))
        end = data.draw(st.integers(start, min(len(text), start + 12)))
        text = text[:start] + data.draw(NOISE) + text[end:]
    try_spec(text, suffix)


VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 40) | st.floats(allow_nan=True)
    | st.sampled_from(["same", "full", "valid", "max", "rectify", "a.W", "", "in"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["shared", "x"]), inner, max_size=2),
    max_leaves=6)


@st.composite
def layer_lists(draw):
    layers = [{"name": "in", "kind": "InputLayer",
               "shape": draw(st.lists(st.none() | st.integers(-1, 9), min_size=1, max_size=5))}]
    for index in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(sorted(KINDS)))
        layer = {"name": "l%d" % index, "kind": kind}
        names = list(keywords_of(kind).hyper_parameters) + ["incoming"]
        for key in draw(st.lists(st.sampled_from(names), max_size=4, unique=True)):
            layer[key] = draw(VALUES)
        layers.append(layer)
    return {"layers": layers}


@FUZZ
@given(layer_lists())
def test_random_layer_lists(data):
    try:
        report = derive(SpecFile("fuzz.json", tuple(parse_spec(data, file="fuzz.json"))))
    except LasagneParamsError as exc:
        assert str(exc).startswith("fuzz.json: ") and "\n" not in str(exc)
        return
    for fmt in REPORT_FORMATS:
        render(report, fmt)


@FUZZ
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
                    lambda inner: st.lists(inner, max_size=3)
                    | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=12))
def test_random_json_values(value):
    for data in (value, {"layers": value}, {"layers": [value]}):
        try:
            parse_spec(data, file="fuzz.json")
        except LasagneParamsError:
            pass
    try_spec(json.dumps(value), ".json")


def test_corrupted_files_through_the_console_script(tmp_path):
    """A few corruptions end to end: exit 0 or 2, one line, never a traceback."""
    rng = random.Random(20170314)
    statuses = set()
    for number in range(12):
        suffix = sorted(SEEDS)[number % 2]
        text = SEEDS[suffix]
        start = rng.randrange(len(text))
        text = text[:start] + rng.choice(['"', "}", "]", ":", "- ", "\n  x", "-1", ""]) + \
            text[start + rng.randrange(0, 6):]
        path = tmp_path / ("c%d%s" % (number, suffix))
        path.write_text(text)
        out = cli("show", str(path))
        assert out.returncode in (0, 2), out.stderr
        assert "Traceback" not in out.stderr
        if out.returncode == 2:
            assert len(out.stderr.splitlines()) == 1 and str(path) in out.stderr
        statuses.add(out.returncode)
    assert 2 in statuses
