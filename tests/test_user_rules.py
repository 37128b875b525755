"""A user's layer kinds are the user's code: whatever their functions do or return,
one LayerRuleError naming the layer, the kind and the file that declared them;
never a wrong count, never a traceback, never a check that passes because a rule exited.
"""
import textwrap

import pytest

import lasagne_params as lp
from helpers import LAYERS_YAML, assert_one_error_line, cli_process, layer_list, write_json
from lasagne_params.core.registry import KINDS

KIND_FILE = '''\
import os, sys
import lasagne_params as lp
from lasagne_params import Result

def rule(context):
    {body}

lp.register_kind("OddLayer", rule)
'''

SPEC = layer_list({"name": "in", "kind": "InputLayer", "shape": [None, 4]},
                  {"name": "odd", "kind": "OddLayer"},
                  {"name": "out", "kind": "DenseLayer", "num_units": 2})


def _files(tmp_path, body):
    kinds = tmp_path / "odd_kind.py"
    kinds.write_text(KIND_FILE.format(body=body))
    return str(kinds), write_json(tmp_path, "net.json", SPEC)


@pytest.mark.parametrize("body, words", [
    ("return Result((None, -5))", "its rule returned an output shape that has -5 on axis 1, "
                                  "expected a positive int or None (unknown)"),
    ("return Result((None, 4.5))", "has 4.5 on axis 1"),
    ("return Result((None, True))", "has True on axis 1"),
    ("return Result([None, 4])", "its rule returned an output shape that is [None, 4], not a "
                                 "tuple"),
    ("return (None, 4)", "its rule returned tuple, expected a Result"),
    ("return Result((None, 4), param_arrays=(context.param_array('w', (4,)),"
     " lp.ParamArray('v', (-2,))))", "its rule returned the array 'v', whose shape has -2"),
    ("raise TypeError('oops')", "its rule raised TypeError: oops"),
    ("return 1 // 0", "its rule raised ZeroDivisionError: integer division or modulo by zero"),
    ("sys.exit(0)", "its rule called sys.exit(0); nothing was derived"),
    ("os._exit(0)", "its rule called sys.exit(0); nothing was derived"),
    ("raise KeyError('nope')", "its rule raised KeyError: 'nope'"),
])
def test_a_bad_rule_is_one_line_naming_layer_kind_and_file(tmp_path, body, words):
    kinds, spec = _files(tmp_path, body)
    snapshot = str(tmp_path / "s.json")
    recorded = str(tmp_path / "recorded.json")
    assert cli_process("snapshot", LAYERS_YAML, "-o", recorded).returncode == 0
    for command in (["show", spec], ["show", spec, "--costs"], ["show", spec, "--explain"],
                    ["snapshot", spec, "-o", snapshot], ["check", spec, "--against", recorded]):
        done = cli_process(*command, "--kinds", kinds)
        assert_one_error_line(done, "%s: layer 'odd' (OddLayer): its " % kinds, words)
    assert not (tmp_path / "s.json").exists()


def test_a_cost_or_explanation_that_fails_names_the_file(tmp_path):
    kinds = tmp_path / "odd_kind.py"
    kinds.write_text(textwrap.dedent('''\
        import sys
        import lasagne_params as lp
        from lasagne_params import Cost, OpTerm, Result

        def rule(context):
            return Result(context.input_shape)

        def cost(context):
            return Cost((OpTerm("mac", -3, "-3"),))

        def explain(row, inputs, last):
            sys.exit(0)

        lp.register_kind("OddLayer", rule, cost, explain=explain)
        '''))
    spec = write_json(tmp_path, "net.json", SPEC)
    done = cli_process("show", spec, "--kinds", str(kinds), "--costs")
    assert_one_error_line(done, "layer 'odd' (OddLayer): its cost rule counted -3 mac "
                                "operations, expected an int of at least 0 or None")
    done = cli_process("show", spec, "--kinds", str(kinds), "--explain")
    assert_one_error_line(done, "odd_kind.py: layer 'odd' (OddLayer): its explanation called "
                                "sys.exit(0)")


def test_no_downstream_rule_computes_with_a_bad_size(tmp_path):
    """issue 20: ``(4.5+1)*2 = 10`` and ``total: -5 + 10 = 5`` are no longer printed."""
    for body in ("return Result((None, 4.5))", "return Result((None, 4), param_formula='-5',"
                 " param_arrays=(lp.ParamArray('w', (-5,)),))"):
        kinds, spec = _files(tmp_path, body)
        done = cli_process("show", spec, "--kinds", kinds, text=True)
        assert done.returncode == 2 and done.stdout == "", done.stdout


def test_in_python_the_error_carries_where(tmp_path):
    before = set(KINDS)
    try:
        lp.register_kind("ExitLayer", lambda context: sys_exit())
        with pytest.raises(lp.LayerRuleError) as info:
            lp.derive([lp.LayerSpec("in", "InputLayer", (), {"shape": (None, 4)}),
                       lp.LayerSpec("x", "ExitLayer", ("in",))])
        assert (info.value.layer, info.value.kind, info.value.file) == ("x", "ExitLayer",
                                                                        __file__)
        assert info.value.message == "its rule called sys.exit(3); nothing was derived"
    finally:
        for name in set(KINDS) - before:
            lp.unregister_kind(name)


def sys_exit():
    import sys
    sys.exit(3)


@pytest.mark.parametrize("arguments, words", [
    (dict(rule=5), "rule: expected a function rule(context) -> Result, got 5"),
    (dict(rule=lambda c: c, cost="free"), "cost: expected a function cost(context) -> Cost"),
    (dict(rule=lambda c: c, explain=[]), "explain: expected a function explain"),
    (dict(rule=lambda c: c, gpu_only="no"), "gpu_only: expected True or False, got 'no'"),
    (dict(rule=lambda c: c, arrays=("W", 3)), "arrays: expected names of attributes (str)"),
    (dict(rule=lambda c: c, factory="MyLayer"), "factory: expected a class, or None"),
    (dict(rule=lambda c: c, keywords=3), "keywords: expected a Signature"),
])
def test_register_kind_checks_its_arguments_when_called(arguments, words):
    with pytest.raises(lp.ArgumentError) as info:
        lp.register_kind("CheckedLayer", **arguments)
    assert str(info.value) == words or str(info.value).startswith(words), str(info.value)
    assert "CheckedLayer" not in KINDS
