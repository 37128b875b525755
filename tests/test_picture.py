"""Pictures of networks: valid SVG/PNG/PDF files that carry every layer's label and edge,
laid out by Graphviz (skipped without its dot program) and by the built-in layout (always)."""
import doctest
import os
import subprocess
import sys

import pytest

from helpers import QUESTION_COLUMNS, ROOT, png_size, svg_texts_and_edges
from lasagne_params import ArgumentError, DrawError, LayerSpec, OutputError, derive, derive_costs, draw
from lasagne_params.render import picture
from lasagne_params.render.picture import file_format, layer_lines


@pytest.fixture(params=["graphviz", "builtin"])
def layout(request):
    """Each way of laying a picture out: Graphviz where its dot is installed (else the
    test skips, saying so), the built-in layout always."""
    if request.param == "graphviz":
        request.getfixturevalue("dot")
    return request.param


def png_needs(layout):
    """A PNG from the built-in layout is drawn by matplotlib (the [png] extra)."""
    if layout == "builtin":
        pytest.importorskip("matplotlib", reason="a built-in PNG is drawn by matplotlib")


def test_layer_lines(question_specs):
    costs = derive_costs(question_specs)
    rows = costs.report.layers
    assert layer_lines(rows[0]) == ["input", "InputLayer", "1x28x28"]
    assert layer_lines(rows[2]) == ["maxpool1", "MaxPool2DLayer", "24//2=12 -> 32x12x12",
                                    "params 0"]
    assert layer_lines(rows[1], costs.layers[1]) == [
        "conv2d1", "Conv2DLayer", "(28-(5-1))=24 -> 32x24x24", "params (5*5*1+1)*32 = 832",
        "MACs (32*24*24)*(5*5*1) = 460'800", "RF 1+(5-1)*1=5"]
    assert layer_lines(rows[5], costs.layers[5])[-1] == "RF n/a"


def test_question_network_svg_and_png(layout, question_specs, tmp_path):
    report = derive(question_specs)
    svg = draw(question_specs, tmp_path / "question.svg", layout=layout)
    texts, edges = svg_texts_and_edges(svg)
    for row in report.layers:                 # every box: name, type, size, parameters
        assert layer_lines(row) == texts[texts.index(row.name):][:len(layer_lines(row))]
    assert "(3*3*32+1)*32 = 9'248" in " ".join(texts)
    assert texts[0] == "total: 832 + 9'248 + 205'056 + 2'570 = 217'706"
    assert edges == [("L%d" % i, "L%d" % (i + 1)) for i in range(6)]

    png_needs(layout)
    png = draw(report, str(tmp_path / "question.png"), layout=layout)
    width, height = png_size(png)
    assert 150 < width < height               # one column of seven boxes: tall and narrow


def test_cost_report_adds_macs_and_receptive_fields(layout, question_specs, tmp_path):
    texts, _ = svg_texts_and_edges(draw(derive_costs(question_specs), tmp_path / "q.svg",
                                        layout=layout))
    assert "MACs (32*10*10)*(3*3*32) = 921'600" in texts
    assert "RF 10+(2-1)*2=12, jump 4" in texts
    assert texts.count("RF n/a") == 2


def test_branching_network(layout, tmp_path):
    """A fork: two dense heads read the same convolution (no merge layer exists yet),
    and a second input feeds its own head."""
    specs = [LayerSpec("image", "InputLayer", (), {"shape": (None, 1, 28, 28)}),
             LayerSpec("conv", "Conv2DLayer", ("image",), {"num_filters": 8, "filter_size": 3}),
             LayerSpec("digit", "DenseLayer", ("conv",), {"num_units": 10}),
             LayerSpec("parity", "DenseLayer", ("conv",), {"num_units": 2}),
             LayerSpec("meta", "InputLayer", (), {"shape": (None, 4)}),
             LayerSpec("meta_out", "DenseLayer", ("meta",), {"num_units": 3})]
    report = derive(specs)
    texts, edges = svg_texts_and_edges(draw(report, tmp_path / "branch.svg", layout=layout))
    ids = {"L%d" % row.index: row.name for row in report.layers}
    assert sorted((ids[a], ids[b]) for a, b in edges) == [
        ("conv", "digit"), ("conv", "parity"), ("image", "conv"), ("meta", "meta_out")]
    for row in report.layers:
        for line in layer_lines(row):
            assert line in texts
    assert "params (8*26*26+1)*10 = 54'090" in texts
    assert "params (8*26*26+1)*2 = 10'818" in texts

    with open(draw(report, tmp_path / "branch.pdf", layout=layout), "rb") as fh:
        assert fh.read(5) == b"%PDF-"
    png_needs(layout)
    width, height = png_size(draw(report, tmp_path / "branch.png", layout=layout))
    assert width > 300 and height > 200


def test_draw_a_lasagne_network(layout, question_net, tmp_path):
    texts, edges = svg_texts_and_edges(draw(question_net, tmp_path / "net.svg", layout=layout))
    assert "params (32*5*5+1)*256 = 205'056" in texts and len(edges) == 6


def test_unknown_format_is_a_one_line_error(question_specs, tmp_path):
    with pytest.raises(ArgumentError) as info:
        draw(question_specs, tmp_path / "net.gif")
    assert str(info.value) == ("path: cannot draw to %r: expected a file ending in "
                               ".svg, .png, .pdf" % str(tmp_path / "net.gif"))
    assert not (tmp_path / "net.gif").exists()


def test_missing_dot_is_a_one_line_error_when_graphviz_is_asked_for(question_specs, tmp_path,
                                                                      monkeypatch):
    pytest.importorskip("graphviz")
    monkeypatch.setattr(picture, "find_dot", lambda: None)     # no dot on this machine
    with pytest.raises(DrawError) as info:
        draw(question_specs, tmp_path / "net.svg", layout="graphviz")
    assert str(info.value) == ("draw: Graphviz's dot program is not installed "
                               "(Debian/Ubuntu: apt-get install graphviz)")
    assert not (tmp_path / "net.svg").exists()


def test_without_dot_auto_draws_with_the_builtin_layout(question_specs, tmp_path, monkeypatch):
    monkeypatch.setattr(picture, "find_dot", lambda: None)
    assert picture.graphviz_missing() in ("Graphviz's dot program is not installed",
                                          "the graphviz package is not installed")
    assert picture.chosen_layout("auto") == "builtin"
    path = draw(question_specs, tmp_path / "net.svg")
    with open(path, encoding="utf-8") as fh:
        assert "Drawn by lasagne_params" in fh.read(300)
    texts, edges = svg_texts_and_edges(path)
    assert "params (5*5*1+1)*32 = 832" in texts and len(edges) == 6
    with open(draw(question_specs, tmp_path / "net.pdf"), "rb") as fh:
        assert fh.read(5) == b"%PDF-"


def test_without_the_graphviz_package_auto_draws_with_the_builtin_layout(
        question_specs, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "graphviz", None)         # import graphviz now fails
    assert picture.graphviz_missing() == "the graphviz package is not installed"
    texts, _ = svg_texts_and_edges(draw(question_specs, tmp_path / "net.svg"))
    assert texts[0] == "total: 832 + 9'248 + 205'056 + 2'570 = 217'706"
    with pytest.raises(DrawError) as info:
        draw(question_specs, tmp_path / "other.svg", layout="graphviz")
    assert str(info.value) == ("draw: drawing needs the graphviz package: "
                               "pip install 'lasagne-params[draw]'")


def test_graphviz_is_the_first_choice(dot, question_specs, tmp_path):
    assert picture.graphviz_missing() is None and picture.chosen_layout() == "graphviz"
    with open(draw(question_specs, tmp_path / "net.svg"), encoding="utf-8") as fh:
        assert "Generated by graphviz" in fh.read(300)


def test_builtin_png_without_matplotlib_is_a_one_line_error(question_specs, tmp_path,
                                                             monkeypatch):
    for name in [m for m in sys.modules if m.split(".")[0] == "matplotlib"] + ["matplotlib"]:
        monkeypatch.setitem(sys.modules, name, None)           # importing any of it fails
    with pytest.raises(DrawError) as info:
        draw(question_specs, tmp_path / "net.png", layout="builtin")
    assert str(info.value) == (
        "draw: a .png without Graphviz needs matplotlib: pip install 'lasagne-params[png]' "
        "(or Graphviz: apt-get install graphviz and pip install 'lasagne-params[draw]'); "
        ".svg and .pdf need neither")
    assert not (tmp_path / "net.png").exists()


def test_unknown_layout_is_a_one_line_error(question_specs, tmp_path):
    with pytest.raises(ArgumentError) as info:
        draw(question_specs, tmp_path / "net.svg", layout="buildin")
    assert str(info.value) == ("layout: unknown layout 'buildin'; expected one of auto, "
                               "graphviz, builtin; did you mean builtin?")
    assert not (tmp_path / "net.svg").exists()


def test_picture_in_a_notebook_without_graphviz(question_specs, tmp_path, monkeypatch):
    """``lasagne_params.draw(net)`` with no path: SVG for Jupyter, saved in any format."""
    monkeypatch.setattr(picture, "find_dot", lambda: None)
    shown = draw(derive_costs(question_specs))
    assert shown.layout == "builtin"
    svg = shown._repr_svg_()
    assert svg.startswith("<?xml") and "MACs (32*24*24)*(5*5*1) = 460&#x27;800" not in svg
    assert "MACs (32*24*24)*(5*5*1) = 460'800" in svg
    texts, _ = svg_texts_and_edges(shown.save(tmp_path / "saved.svg"))
    assert "RF 10+(2-1)*2=12, jump 4" in texts
    with open(shown.save(tmp_path / "saved.pdf"), "rb") as fh:
        assert fh.read(5) == b"%PDF-"


def test_failing_dot_is_a_one_line_error(question_specs, tmp_path, monkeypatch):
    """A dot that fails (e.g. built without the PNG plugin) is reported with its first line
    (``auto`` chose Graphviz and does not fall back: a broken dot is worth knowing about)."""
    pytest.importorskip("graphviz")
    fake = tmp_path / "dot"
    fake.write_text('#!/bin/sh\necho \'Format: "png" not recognized. Use one of: svg\' >&2\n'
                    'echo second line >&2\nexit 1\n')
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(DrawError) as info:
        draw(question_specs, tmp_path / "net.png")
    assert str(info.value) == ("draw: Graphviz's dot failed (exit status 1): "
                               "Format: \"png\" not recognized. Use one of: svg")
    assert not (tmp_path / "net.png").exists()


def test_unwritable_path_is_a_one_line_error(layout, question_specs, tmp_path):
    path = tmp_path / "no-such-folder" / "net.svg"
    with pytest.raises(OutputError) as info:
        draw(question_specs, path, layout=layout)
    assert str(info.value) == "%s: cannot write: No such file or directory; nothing written" % path


def test_file_format():
    assert [file_format(p) for p in ("a.svg", "b.PNG", "c.d/e.pdf")] == ["svg", "png", "pdf"]
    assert file_format("net.svg", "PDF") == "pdf"
    with pytest.raises(ArgumentError, match=r"cannot draw to 'net': expected a file ending in"):
        file_format("net")
    assert doctest.testmod(picture).failed == 0


def test_the_command_line_offers_the_same_layouts():
    from lasagne_params.cli import _parser
    draw_command = _parser()._subparsers._group_actions[0].choices["draw"]
    layout_option = next(a for a in draw_command._actions if a.dest == "layout")
    assert tuple(layout_option.choices) == picture.LAYOUTS and layout_option.default == "auto"


def test_beyond_the_count_example(lasagne, dot, tmp_path):
    """docs/costs.md's example: the all-columns table, and the picture it commits under docs/."""
    out = subprocess.run([sys.executable, os.path.join(ROOT, "examples", "beyond_the_count.py"),
                          "--draw", str(tmp_path / "question_net.svg")],
                         cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout == QUESTION_COLUMNS
    assert svg_texts_and_edges(tmp_path / "question_net.svg") == svg_texts_and_edges(
        os.path.join(ROOT, "docs", "question_net.svg"))


def test_committed_docs_figure_carries_every_label(question_specs):
    costs = derive_costs(question_specs)
    texts, edges = svg_texts_and_edges(os.path.join(ROOT, "docs", "question_net.svg"))
    for row, cost in zip(costs.report.layers, costs.layers):
        for line in layer_lines(row, cost):
            assert line in texts
    assert len(edges) == 6
