"""Rendered text against the Stack Overflow question and answer, verbatim."""
import json
import re
import textwrap

import pytest
from hypothesis import given, strategies as st

from helpers import ANSWER_TABLE, QUESTION_TABLE, seed_text
import lasagne_params as lp
from lasagne_params import derive, render
from lasagne_params.render.table import simple_table



def test_our_copies_match_the_seed_files():
    answer = seed_text("answer.txt")
    start = answer.index("  #  name")
    block = answer[start:answer.index("So in your network")]
    lines = [line.strip() for line in block.splitlines() if line.strip()]
    assert lines == [line.strip() for line in ANSWER_TABLE.splitlines()]
    assert "```\n" + QUESTION_TABLE + "```" in seed_text("question.md")
    assert "832 + 9'248 + 205'056 + 2'570 = 217'706" in answer


def test_answer_table_reproduced(question_specs):
    text = render(derive(question_specs), "answer", derivations="answer", total=False)
    ours, theirs = text.splitlines(), ANSWER_TABLE.splitlines()
    assert ours[1:] == theirs[1:]          # rule and every row, to the character
    # The answer's header right-aligns "parameters" one column short of its rule;
    # ours aligns it with the column. Same words, same order.
    assert ours[0].split() == theirs[0].split()
    assert ours[0] == theirs[0][:40] + " " * 18 + "parameters"


def test_answer_table_with_all_derivations_and_total(question_specs):
    text = render(derive(question_specs), "answer")
    assert text == textwrap.dedent("""\
          #  name                           size                  parameters
        ---  --------  -------------------------    ------------------------
          0  input                       1x28x28                           0
          1  conv2d1   (28-(5-1))=24 -> 32x24x24    (5*5*1+1)*32   =     832
          2  maxpool1       24//2=12 -> 32x12x12                           0
          3  conv2d2   (12-(3-1))=10 -> 32x10x10    (3*3*32+1)*32  =   9'248
          4  maxpool2          10//2=5 -> 32x5x5                           0
          5  dense                           256    (32*5*5+1)*256 = 205'056
          6  output                           10    (256+1)*10     =   2'570

        total: 832 + 9'248 + 205'056 + 2'570 = 217'706
        """)


def test_nolearn_output_as_the_question_shows_it(question_specs):
    text = render(derive(question_specs), "nolearn")
    assert text == ("# Neural Network with 217706 learnable parameters\n\n"
                    "## Layer information\n\n" + QUESTION_TABLE)


def test_json_round_trip(question_specs):
    data = json.loads(render(derive(question_specs), "json"))
    assert data["total_params"] == 217706
    assert [layer["params"] for layer in data["layers"]] == [0, 832, 0, 9248, 0, 205056, 2570]
    assert data["layers"][3]["param_formula"] == "(3*3*32+1)*32"
    assert data["source"] == "derived"


def test_unknown_format():
    with pytest.raises(ValueError, match="unknown format 'html'"):
        render(None, "html")


cells = st.one_of(st.integers(-10 ** 6, 10 ** 6).map(str),
                  st.text(alphabet="abcxyz_0123456789", min_size=1, max_size=12))


@given(st.integers(1, 4).flatmap(lambda n: st.tuples(
    st.lists(st.text(alphabet="abc#", min_size=1, max_size=6), min_size=n, max_size=n),
    st.lists(st.lists(cells, min_size=n, max_size=n), min_size=1, max_size=6))))
def test_simple_table_matches_tabulate(table):
    """nolearn printed with tabulate; our dependency-free table must print the same."""
    tabulate = pytest.importorskip("tabulate").tabulate
    headers, rows = table
    ours = "\n".join(simple_table(headers, rows))
    theirs = tabulate(rows, headers, disable_numparse=False)
    # tabulate re-formats numbers it parses (e.g. "-0" -> "0"); compare on plain ints only
    if any(re.fullmatch(r"-?0\d+|-0", c) for r in rows for c in r):
        return
    assert ours == "\n".join(line.rstrip() for line in theirs.splitlines())


def test_print_of_a_report_or_comparison_is_its_table_and_the_repr_one_line(question_specs):
    """issue 22: print(report) as Keras's summary() and torchinfo print: the default table."""
    from helpers import SUMMARY_TABLE
    from lasagne_params.core.compare import compare_reports
    report = lp.derive(question_specs)
    assert str(report) == lp.render(report) == SUMMARY_TABLE
    assert repr(report) == ("Report(7 layers, total_params=217706, trainable_params=217706, "
                            "source='derived')")
    assert lp.render(report, thousands="'") == SUMMARY_TABLE.replace(",", "'")
    assert lp.render(report, thousands="").endswith("Total params: 217706\n"
                                                    "Trainable params: 217706\n"
                                                    "Non-trainable params: 0\n")
    comparison = compare_reports(report, report)
    assert str(comparison) == lp.render(comparison)
    assert str(comparison).splitlines()[-3].split()[-3:] == ["217,706", "217,706", "ok"]
    assert repr(comparison) == "Comparison(ok=True, 7 layers, 0 mismatches, 0 not derived)"
    costs = lp.derive_costs(question_specs)
    assert str(costs) == lp.render(costs, "columns")
    assert repr(costs) == ("CostReport(7 layers, total_params=217706, total_macs=%d, "
                           "batch_size=1, floatx='float32')"
                           % (32 * 24 * 24 * 5 * 5 + 32 * 10 * 10 * 3 * 3 * 32
                              + 32 * 5 * 5 * 256 + 256 * 10))


def test_the_answer_keeps_its_own_grouping(question_specs):
    """The reproduction of the accepted answer writes 9'248 as the answer does."""
    text = lp.render(lp.derive(question_specs), "answer")
    assert "(3*3*32+1)*32  =   9'248" in text
    assert text.endswith("total: 832 + 9'248 + 205'056 + 2'570 = 217'706\n")
