"""Snapshots, lasagne_params.testing, and the --zoo lookup (in process)."""
import json
import sys
import types

import pytest

from helpers import chain
from lasagne_params import cli
from lasagne_params.describe.snapshot import Change, diff_snapshot, read_snapshot, snapshot_of
from lasagne_params import SpecError, derive
from lasagne_params.render.compare import change_line
from lasagne_params.testing import UPDATE_ENV, assert_params, assert_snapshot


def small(units=3):
    return chain(("in", "InputLayer", {"shape": (None, 4)}),
                 ("hid", "DenseLayer", {"num_units": units}),
                 ("out", "DenseLayer", {"num_units": 2}))


def test_assert_snapshot_round_trip(tmp_path, monkeypatch):
    path = str(tmp_path / "small.params.json")
    with pytest.raises(AssertionError, match="no snapshot at .*small.params.json; write it"):
        assert_snapshot(small(), path)
    monkeypatch.setenv(UPDATE_ENV, "1")
    assert assert_snapshot(small(), path).total_params == 5 * 3 + 4 * 2
    monkeypatch.delenv(UPDATE_ENV)
    assert_snapshot(small(), path)
    with pytest.raises(AssertionError) as info:
        assert_snapshot(small(units=6), path)
    assert str(info.value).splitlines() == [
        "7 change(s) since %s:" % path,
        "  hid: output_shape: recorded (None, 3), now (None, 6)",
        "  hid: params: recorded 15, now 30",
        "  hid: trainable_params: recorded 15, now 30",
        "  out: params: recorded 8, now 14",
        "  out: trainable_params: recorded 8, now 14",
        "  (network): total_params: recorded 23, now 44",
        "  (network): trainable_params: recorded 23, now 44"]
    assert_snapshot(small(units=6), path, update=True)
    assert read_snapshot(path)["total_params"] == 44


def test_diff_names_added_removed_and_reordered_layers():
    recorded = snapshot_of(derive(small()))
    renamed = chain(("in", "InputLayer", {"shape": (None, 4)}),
                    ("hidden", "DenseLayer", {"num_units": 3}),
                    ("out", "DenseLayer", {"num_units": 2}))
    assert diff_snapshot(recorded, derive(renamed)) == [
        Change("hid", "layer", "DenseLayer", None),
        Change("hidden", "layer", None, "DenseLayer")]
    assert change_line(Change("hid", "layer", "DenseLayer", None)) == \
        "hid: layer: recorded 'DenseLayer', now absent"


def test_assert_params(question_specs):
    assert assert_params(question_specs, 217706, trainable=217706).total_params == 217706
    with pytest.raises(AssertionError) as info:
        assert_params(question_specs, 217707)
    assert str(info.value).startswith("expected 217707 parameters, derived 217706 "
                                      "(217706 trainable):\n  #  name")


@pytest.mark.parametrize("data, field, message", [
    ({"format": "other"}, "format", "expected \"format\""),
    ({"format": "lasagne-params snapshot", "version": 2}, "version", "expected version 1"),
    ({"format": "lasagne-params snapshot", "version": 1, "total_params": -1}, "total_params",
     "expected a count"),
])
def test_bad_snapshots(tmp_path, data, field, message):
    path = tmp_path / "s.json"
    path.write_text(json.dumps(data))
    with pytest.raises(SpecError) as info:
        read_snapshot(str(path))
    assert info.value.field == field and message in str(info.value)


def fake_zoo(**entries):
    module = types.ModuleType("lasagne_params.zoo")
    module.__all__ = list(entries)
    vars(module).update(entries)
    return module


def test_zoo_lookup_by_all_and_by_networks(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "lasagne_params.zoo", fake_zoo(small=small, tiny=small))
    assert cli.main(["show", "--zoo", "small", "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines()[2].startswith("1,hid,DenseLayer,in,3,")
    assert cli.main(["show", "--zoo", "smal"]) == 2
    assert capsys.readouterr().err == ("lasagne-params: error: --zoo: no network 'smal' in the "
                                       "zoo; did you mean small?; available: small, tiny\n")
    module = fake_zoo()
    module.NETWORKS = {"vgg-like": small(units=5)}
    monkeypatch.setitem(sys.modules, "lasagne_params.zoo", module)
    assert cli.main(["show", "--zoo", "vgg-like", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["total_params"] == (4 + 1) * 5 + (5 + 1) * 2


def test_zoo_errors(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "lasagne_params.zoo", None)
    assert cli.main(["show", "--zoo", "vgg16"]) == 2
    assert capsys.readouterr().err.startswith(
        "lasagne-params: error: --zoo: the network zoo is not available (")

    def broken():
        raise RuntimeError("no weights here")

    monkeypatch.setitem(sys.modules, "lasagne_params.zoo", fake_zoo(broken=broken))
    assert cli.main(["show", "--zoo", "broken"]) == 2
    assert capsys.readouterr().err == ("lasagne-params: error: --zoo: building 'broken' "
                                       "failed: RuntimeError: no weights here\n")
