"""Bounded work: linear-time parsing, PyYAML's C loader, memory estimated before a build."""
import gc
import json
import time

import pytest

import lasagne_params as lp
from lasagne_params import LayerSpec, LimitError, SpecError
from lasagne_params.backend.networks.memory import (DEFAULT_MAX_BUILD_BYTES, ELEMENT_BYTES,
                                                    build_bytes, check_build, run_bytes)
from lasagne_params.describe.spec import _parse_json, _parse_yaml, parse_spec

from helpers import chain


def seconds(call, *args):
    """The best of three timings with the collector paused: one noisy run on shared cores, or a
    collection that happens to scan the whole heap, must not decide a complexity claim."""
    best = float("inf")
    enabled = gc.isenabled()
    gc.disable()
    try:
        for _ in range(3):
            start = time.perf_counter()
            call(*args)
            best = min(best, time.perf_counter() - start)
    finally:
        if enabled:
            gc.enable()
    return best


def nolearn_form(n):
    data = {"layers": [["in", "InputLayer"]] + [["d%d" % i, "DenseLayer"] for i in range(n)],
            "in_shape": [None, 3]}
    data.update({"d%d_num_units" % i: 3 for i in range(n)})
    return data


def test_the_nolearn_form_parses_in_linear_time():
    small, large = nolearn_form(2500), nolearn_form(10000)
    assert len(parse_spec(small)) == 2501 and len(parse_spec(large)) == 10001
    assert parse_spec(large)[-1].args == {"num_units": 3}
    # four times the layers: linear is about 4x the time, the quadratic scan of every layer per
    # keyword was 16x; the growth is compared, not the absolute time against another form, so a
    # loaded machine slows both sides alike (CI once failed a 3x-the-layer-list bound on noise)
    assert seconds(parse_spec, large) < 8 * seconds(parse_spec, small) + 0.1


def test_nolearn_names_that_prefix_each_other_still_split_right():
    specs = parse_spec({"layers": [["in", "InputLayer"], ["conv", "DenseLayer"],
                                   ["conv_1", "DenseLayer"], ["conv_1_b", "DenseLayer"]],
                        "in_shape": [None, 4], "conv_num_units": 2, "conv_1_num_units": 3,
                        "conv_1_b_num_units": 4, "conv_1_b_b": None})
    args = {spec.name: spec.args for spec in specs}
    assert args["conv"] == {"num_units": 2} and args["conv_1"] == {"num_units": 3}
    assert args["conv_1_b"] == {"num_units": 4, "b": None}


def test_long_keywords_of_underscores_are_quick():
    data = {"layers": [["_" * n, "DenseLayer"] for n in range(1, 400)] + [["in", "InputLayer"]]}
    data.update({"_" * 500 + "x%d" % i: 1 for i in range(2000)})
    start = time.perf_counter()
    with pytest.raises(SpecError, match="unknown keyword"):
        parse_spec(data)
    assert time.perf_counter() - start < 5


def test_the_json_duplicate_key_check_is_linear():
    text = "{" + ",".join('"k%d": 1' % i for i in range(50000)) + "}"
    assert len(_parse_json(text, "x.json")) == 50000
    # a scan of every key per key took 30 s here; a set takes a few times json.loads
    assert seconds(_parse_json, text, "x.json") < 10 * seconds(json.loads, text) + 0.2
    with pytest.raises(SpecError, match="x.json: k7: duplicate key 'k7'"):
        _parse_json(text[:-1] + ', "k7": 2}', "x.json")


def test_yaml_is_read_with_the_c_loader_when_there_is_one():
    yaml = pytest.importorskip("yaml")
    from lasagne_params.describe.spec import _yaml_loader
    if not getattr(yaml, "__with_libyaml__", False):
        pytest.skip("this PyYAML has no libyaml")
    assert issubclass(_yaml_loader(), yaml.CSafeLoader)
    with pytest.raises(SpecError, match="could not determine a constructor"):
        _parse_yaml("!!python/object/apply:os.system ['true']\n", "x.yaml")   # still safe


def test_yaml_merge_keys_still_work_and_duplicates_are_refused():
    pytest.importorskip("yaml")
    data = _parse_yaml("base: &b {kind: DenseLayer, num_units: 2}\n"
                       "d: {<<: *b, num_units: 3}\n", "x.yaml")
    assert data["d"] == {"kind": "DenseLayer", "num_units": 3}   # an explicit key beats a merge
    with pytest.raises(SpecError, match="x.yaml: b: duplicate key 'b' at line 1, column 14"):
        _parse_yaml("{a: 1, b: 2, b: 3}\n", "x.yaml")
    with pytest.raises(SpecError, match="duplicate key 'k'"):
        _parse_yaml("outer:\n  inner:\n    k: 1\n    k: 2\n", "x.yaml")


# ---------------------------------------------------------------- memory before a build

VAST = chain(("in", "InputLayer", {"shape": (None, 100000)}),
             ("d", "DenseLayer", {"num_units": 100000}))


def test_build_bytes_counts_every_array_and_the_largest_draw():
    report = lp.derive(VAST)
    weights, biases = 100000 * 100000, 100000
    assert build_bytes(report) == (weights + biases + weights) * ELEMENT_BYTES
    assert run_bytes(report, 8) == (8 * 100000 + 8 * 100000) * ELEMENT_BYTES
    assert DEFAULT_MAX_BUILD_BYTES == 4 * 1024 ** 3


def _neuralnet(inputs, units):
    return lp.NeuralNet(layers=[("in", "InputLayer"), ("d", "DenseLayer")],
                        in_shape=(None, inputs), d_num_units=units)


def test_compare_checks_a_vast_spec_without_allocating_it(lasagne):
    """A spec's cross-check builds shape-only arrays (docs/performance.md): nothing to
    refuse, Lasagne's figures all the same."""
    comparison = lp.compare(VAST)
    assert comparison.ok, lp.render(comparison)
    assert comparison.reported.total_params == 100000 * 100000 + 100000


def test_compare_refuses_a_vast_neuralnet_before_importing_theano():
    """A NeuralNet builds its own layers with real arrays: refused before building."""
    start = time.perf_counter()
    with pytest.raises(LimitError) as info:
        lp.compare(_neuralnet(100000, 100000))
    assert str(info.value).startswith(
        "max_build_bytes: building its 10'000'100'000 parameters in Lasagne would take about "
        "160'000'800'000 bytes (149.0 GiB), more than the limit of 4'294'967'296 bytes (4.0 GiB)")
    assert time.perf_counter() - start < 5
    with pytest.raises(LimitError):
        lp.assert_matches(_neuralnet(100000, 100000))
    check_build(lp.derive(VAST), limit=10 ** 12)                # allowed when raised


def test_a_raised_limit_lets_the_check_run(lasagne):
    with pytest.raises(LimitError, match="more than the limit of 1'000 bytes"):
        lp.compare(_neuralnet(20, 50), max_build_bytes=1000)
    assert lp.compare(_neuralnet(20, 50), max_build_bytes=10 ** 9).ok


def test_verify_runtime_estimates_its_outputs(lasagne, float32):
    import numpy
    from lasagne_params import verify_runtime
    specs = chain(("in", "InputLayer", {"shape": (None, 50)}),
                  ("d", "DenseLayer", {"num_units": 20}))
    net = lp.build(specs)
    batch = numpy.zeros((1000, 50))
    needed = (1000 * 50 + 1000 * 20) * ELEMENT_BYTES
    with pytest.raises(LimitError, match="running a batch of 1'000 through it would take about "
                                         "%s bytes" % format(needed, ",").replace(",", "'")):
        verify_runtime(net, batch, max_build_bytes=needed - 1)
    assert verify_runtime(net, batch, max_build_bytes=needed).ok


@pytest.mark.parametrize("limit", [0, -5, 2.5, "big", True])
def test_a_bad_limit_is_an_argument_error(limit, question_specs):
    with pytest.raises(lp.ArgumentError, match="max_build_bytes: expected a positive number"):
        lp.compare(question_specs, max_build_bytes=limit)


def test_a_layer_spec_list_nested_beyond_python_s_stack_builds_no_traceback(lasagne):
    inner = [LayerSpec("i", "InputLayer", (), {"shape": (None, 3)}),
             LayerSpec("d", "DenseLayer", ("i",), {"num_units": 3})]
    for level in range(2000):
        inner = [LayerSpec("x", "InputLayer", (), {"shape": (None, 4, 3)}),
                 LayerSpec("r%d" % level, "CustomRecurrentLayer", ("x",),
                           {"input_to_hidden": inner, "hidden_to_hidden": inner})]
    with pytest.raises(lp.LasagneParamsError):
        lp.build(inner)
