"""Jupyter: results as HTML tables through IPython's formatter, pictures as SVG, the walkthrough."""
import dataclasses
import os

import pytest

from helpers import NOLEARN_JSON, ROOT
import lasagne_params as lp
from lasagne_params import notebook
from lasagne_params.core.compare import Comparison, compare_reports
from lasagne_params.core.cost_records import CostReport
from lasagne_params.core.records import Report
from lasagne_params.core.runtime_check import RuntimeCheck
from lasagne_params.render.html import render_html


class Formatter:
    def __init__(self):
        self.registered = {}

    def for_type(self, cls, function):
        self.registered[cls] = function


class Shell:
    def __init__(self):
        self.display_formatter = type("DisplayFormatter", (), {})()
        self.display_formatter.formatters = {"text/html": Formatter()}


def test_register_gives_ipython_the_html_forms():
    shell = Shell()
    assert notebook.register(shell) is True
    registered = shell.display_formatter.formatters["text/html"].registered
    assert set(registered) == {Report, CostReport, Comparison, RuntimeCheck}
    assert all(function is render_html for function in registered.values())
    assert notebook.register(object()) is False              # no formatter: nothing done


def test_records_do_not_render_themselves():
    for cls in (Report, CostReport, Comparison, RuntimeCheck):
        assert not any(name.startswith("_repr_") for name in vars(cls)), cls


def test_html_report_and_comparison():
    report = lp.derive(NOLEARN_JSON)
    table = render_html(report)
    assert "<td style=\"text-align:right\">(5*5*1+1)*32 = 832</td>" in table
    assert "<td style=\"text-align:left\">Conv2DLayer</td>" in table
    assert "<p>Total params: 217,706<br>Trainable params: 217,706<br>" \
           "Non-trainable params: 0</p>" in table
    rows = list(report.layers)
    rows[5] = dataclasses.replace(rows[5], params=rows[5].params + 1)
    tampered = Report(tuple(rows), "lasagne", report.total_params + 1,
                      report.trainable_params + 1)
    page = render_html(compare_reports(report, tampered))
    assert "color:#b00;font-weight:bold\">MISMATCH</td>" in page
    assert "dense: params: derived 205056, Lasagne 205057" in page
    assert "all 7 layers agree" in render_html(compare_reports(report, report))
    assert "<pre>" in render_html(lp.derive_costs(NOLEARN_JSON))


def test_ipython_shows_them(dot):
    interactive = pytest.importorskip("IPython.core.interactiveshell")
    shell = interactive.InteractiveShell.instance()
    assert notebook.register(shell)
    report = lp.derive(NOLEARN_JSON)
    data, _ = shell.display_formatter.format(report)
    assert "text/html" in data and "Total params: 217,706" in data["text/html"]
    picture, _ = shell.display_formatter.format(lp.draw(report))
    assert picture["image/svg+xml"].lstrip().startswith("<?xml")


@pytest.mark.slow
def test_walkthrough_notebook_runs(dot):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    path = os.path.join(ROOT, "examples", "legacy_walkthrough.ipynb")
    book = nbformat.read(path, as_version=4)
    for cell in book.cells:
        if cell.cell_type == "code":
            cell.outputs = []
    nbclient.NotebookClient(book, timeout=900, kernel_name="python3",
                            resources={"metadata": {"path": os.path.dirname(path)}}).execute()
    outputs = [o for cell in book.cells if cell.cell_type == "code" for o in cell.outputs]
    html = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    text = "".join(o.get("text", "") for o in outputs if o.get("name") == "stdout")
    assert "Total params: 217,706" in html[0]                          # the table
    assert text.startswith("# Neural Network with 217706 learnable parameters")
    assert "Layer 1, conv2d1 (Conv2DLayer)" in text                    # the explanation
    assert any("image/svg+xml" in o.get("data", {}) for o in outputs)  # the picture
    assert "all 7 layers agree" in html[1]                             # the cross-check
    assert "derived = Lasagne = runtime shape" in html[2]
