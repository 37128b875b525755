"""The built-in layered layout (no Graphviz) on real networks: what a reader of the picture
relies on, checked on the geometry itself.

Every arrow points down and leaves its source's bottom for its target's top; no two boxes
overlap and no arrow runs through a box; each layer has one box with exactly its lines,
each incoming link one arrow; the crossings the layout counts are the crossings drawn,
and fewer than a naive order's.
"""
import ast
import json
import os
import re
import subprocess
import sys
import textwrap
import time
import xml.etree.ElementTree as ET
import zlib

import pytest

from helpers import NOLEARN_JSON, ROOT, SCRIPT, SVG, svg_texts_and_edges
from lasagne_params import LayerSpec, derive, derive_costs, zoo
from lasagne_params.render import drawing, layout
from lasagne_params.render.picture import contents, layer_lines, picture_bytes


def inception_block():
    """GoogLeNet's stem end and inception_3a, as the zoo builds them (3a's four branches
    meet in one ConcatLayer)."""
    specs = zoo.googlenet_specs()
    names = [spec.name for spec in specs]
    return specs[:names.index("inception_3a/output") + 1]


NETWORKS = {                        # name -> (specs, Lasagne version the zoo writes them for)
    "question": (None, None),
    "inception_block": (inception_block(), None),
    "googlenet": (zoo.googlenet_specs(), None),
    "inception_v3": (zoo.inception_v3_specs(), "master"),
    "resnet50": (zoo.resnet50_specs(), "master"),
    "unet": (zoo.unet_specs(), "master"),           # long skip edges across the whole net
    "two_inputs": ([LayerSpec("image", "InputLayer", (), {"shape": (None, 1, 28, 28)}),
                    LayerSpec("conv", "Conv2DLayer", ("image",),
                              {"num_filters": 8, "filter_size": 3}),
                    LayerSpec("flat", "FlattenLayer", ("conv",), {}),
                    LayerSpec("meta", "InputLayer", (), {"shape": (None, 4)}),
                    LayerSpec("both", "ConcatLayer", ("flat", "meta"), {}),
                    LayerSpec("out", "DenseLayer", ("both",), {"num_units": 2})], None),
}


def costs_of(name, question_specs):
    specs, version = NETWORKS[name]
    return derive_costs(question_specs if specs is None else specs, lasagne_version=version)


def drawn_scene(result):
    boxes, edges, label = contents(result)
    return drawing.scene(boxes, edges, label)


def bezier(p0, p1, p2, p3, t):
    s = 1 - t
    return tuple(s ** 3 * a + 3 * s * s * t * b + 3 * s * t * t * c + t ** 3 * d
                 for a, b, c, d in zip(p0, p1, p2, p3))


def path_samples(points, per_piece=12):
    """Points along the arrow as it is drawn (the same path the SVG's ``d`` holds)."""
    steps = drawing.path_segments(points)
    at, out = steps[0], [steps[0]]
    for step in steps[1:]:
        if step[0] == "L":
            end = step[1]
            out += [(at[0] + (end[0] - at[0]) * k / per_piece,
                     at[1] + (end[1] - at[1]) * k / per_piece) for k in range(1, per_piece + 1)]
        else:
            out += [bezier(at, step[1], step[2], step[3], k / per_piece)
                    for k in range(1, per_piece + 1)]
            end = step[3]
        at = end
    return out


def inside(point, box, margin=0.5):
    x, y = point
    return (box.left + margin < x < box.left + box.width - margin
            and box.top + margin < y < box.top + box.height - margin)


def drawn_crossings(arrows):
    """Crossings counted on the drawing: two pieces between the same two heights cross
    exactly when their ends swap sides (every S-curve has the same shape in y)."""
    pieces = {}
    for arrow in arrows:
        for (x0, y0), (x1, y1) in zip(arrow.points, arrow.points[1:]):
            pieces.setdefault((y0, y1), []).append((x0, x1))
    return sum(1 for group in pieces.values() for i, (a0, a1) in enumerate(group)
               for b0, b1 in group[i + 1:] if (a0 - b0) * (a1 - b1) < 0)


@pytest.mark.parametrize("name", sorted(NETWORKS))
def test_builtin_layout_of_real_networks(name, question_specs):
    result = costs_of(name, question_specs)
    rows, costs = result.report.layers, result.layers
    drawn = drawn_scene(result)

    # one box per layer, in order, with exactly the lines layer_lines gives it
    assert [box.title for box in drawn.boxes] == ["L%d" % row.index for row in rows]
    for box, row, cost in zip(drawn.boxes, rows, costs):
        assert list(box.lines) == layer_lines(row, cost)
        assert box.width >= max(drawing.text_width(line) for line in box.lines)
    # one arrow per incoming link, between the right boxes
    names = {"L%d" % row.index: row.name for row in rows}
    assert len(drawn.arrows) == sum(len(row.incoming) for row in rows)
    assert sorted(tuple(names[end] for end in arrow.title.split("->"))
                  for arrow in drawn.arrows) == sorted(
        (source, row.name) for row in rows for source in row.incoming)

    # every arrow points down: out of its source's bottom, into its target's top
    box_of = {box.title: box for box in drawn.boxes}
    for arrow in drawn.arrows:
        source, target = (box_of[end] for end in arrow.title.split("->"))
        assert source.top + source.height < target.top, arrow.title
        (x0, y0), (x1, y1) = arrow.points[0], arrow.points[-1]
        assert y0 == pytest.approx(source.top + source.height, abs=0.01)
        assert y1 == pytest.approx(target.top, abs=0.01)
        assert source.left < x0 < source.left + source.width
        assert target.left < x1 < target.left + target.width
        heights = [y for _, y in arrow.points]
        assert heights == sorted(heights), arrow.title

    # no two boxes overlap, and all lie on the page above the total line
    for i, a in enumerate(drawn.boxes):
        assert 0 <= a.left and a.left + a.width <= drawn.width
        assert 0 <= a.top and a.top + a.height < drawn.label_y - drawing.LABEL_SIZE
        for b in drawn.boxes[i + 1:]:
            assert (a.left + a.width <= b.left or b.left + b.width <= a.left
                    or a.top + a.height <= b.top or b.top + b.height <= a.top), (a.title, b.title)

    # no arrow runs through a box (boxes bucketed by height for speed)
    rows_of_boxes = {}
    for box in drawn.boxes:
        for band in range(int(box.top // 50), int((box.top + box.height) // 50) + 1):
            rows_of_boxes.setdefault(band, []).append(box)
    for arrow in drawn.arrows:
        for point in path_samples(arrow.points):
            hit = [box.title for box in rows_of_boxes.get(int(point[1] // 50), ())
                   if inside(point, box)]
            assert hit == [], (arrow.title, point, hit)

    # the crossings the layout counted are those drawn
    assert drawn.crossings == drawn_crossings(drawn.arrows)


def test_inception_branches_sit_side_by_side_and_merge_in_one_box(question_specs):
    drawn = drawn_scene(costs_of("inception_block", question_specs))
    box = {b.lines[0]: b for b in drawn.boxes}
    fork, merge = box["pool2/3x3_s2"], box["inception_3a/output"]
    ends = ["inception_3a/" + end for end in ("1x1", "3x3", "5x5", "pool_proj")]
    # the four branches' last layers in one row, left to right in the order written
    assert len({box[end].top + box[end].height / 2 for end in ends}) == 1
    lefts = [box[end].left for end in ends]
    assert lefts == sorted(lefts)
    # the merge is under the branches, its four arrows entering apart, in the same order
    entries = [arrow.points[-1][0] for arrow in drawn.arrows if arrow.title.endswith(
        "->L%d" % [b.title for b in drawn.boxes].index(merge.title))]
    assert len(entries) == 4 and all(b - a >= 12 for a, b in zip(entries, entries[1:]))
    assert lefts[0] < merge.left + merge.width / 2 < lefts[-1] + box[ends[-1]].width
    # and the fork above them, centred over the block as the merge is
    fork_centre, merge_centre = fork.left + fork.width / 2, merge.left + merge.width / 2
    assert abs(fork_centre - merge_centre) < 1
    assert drawn.crossings == 0


def test_resnet_main_path_runs_straight_past_its_shortcuts(question_specs):
    """An identity block: the rectifier before it, its three convolutions and the sum stay
    in one straight column; the shortcut runs beside them."""
    drawn = drawn_scene(costs_of("resnet50", question_specs))
    centre = {b.lines[0]: b.left + b.width / 2 for b in drawn.boxes}
    column = ["res2a_relu", "res2b_branch2a", "res2b_branch2a_bn", "res2b_branch2a_relu",
              "res2b_branch2b", "res2b_branch2b_bn", "res2b_branch2b_relu", "res2b_branch2c",
              "res2b_branch2c_bn", "res2b", "res2b_relu"]
    assert max(centre[n] for n in column) - min(centre[n] for n in column) < 0.01
    shortcut = next(a for a in drawn.arrows
                    if a.title == "L%d->L%d" % (
                        [b.lines[0] for b in drawn.boxes].index("res2a_relu"),
                        [b.lines[0] for b in drawn.boxes].index("res2b")))
    beside = [x for x, _ in shortcut.points[1:-1]]
    assert len(beside) >= 2 * 8 and len(set(beside)) == 1     # straight down, 8 ranks long
    assert beside[0] > centre["res2b_branch2b"]                # to the right of the column
    assert drawn.crossings == 0


def test_unet_skip_edges_do_not_cross(question_specs):
    """U-Net's four skip connections nest: none crosses another or the main path."""
    drawn = drawn_scene(costs_of("unet", question_specs))
    assert drawn.crossings == 0
    spans = sorted(len(arrow.points) for arrow in drawn.arrows)
    assert spans[-4:] == sorted(spans[-4:]) and spans[-1] > 2 * 20    # the longest skip


def test_crossing_reduction_beats_the_naive_order():
    """Sources s0..s4 feed targets t0..t4 in reverse, plus a bridge: in the order written
    every pair crosses (10); the sweeps untangle it all."""
    n = 5
    sizes = [(40, 20)] * (2 * n)
    edges = [(i, 2 * n - 1 - i) for i in range(n)] + [(0, 2 * n - 2)]
    naive = sum(1 for i, (a, b) in enumerate(edges) for c, d in edges[i + 1:]
                if (a - c) * (b - d) < 0)
    assert naive == n * (n - 1) // 2 + (n - 2)
    placed = layout.layered(sizes, edges)
    assert placed.crossings == 0 < naive
    assert [placed.orders[1].index(t) for t in (2 * n - 1, 2 * n - 2)] == [0, 1]


def test_crossing_count_of_a_drawing_that_must_cross():
    """K(3,3) (each of three inputs feeds each of three layers) crosses the same in any
    order of two ranks: once per pair of inputs and pair of layers, 3 * 3 = 9."""
    edges = [(a, b) for a in range(3) for b in range(3, 6)]
    placed = layout.layered([(30, 20)] * 6, edges)
    assert placed.crossings == 3 * 3


def test_ranks_and_dummy_slots():
    """Longest-path ranks; a side input sits just above its consumer; a long edge gets one
    slot per rank it passes."""
    edges = [(0, 1), (1, 2), (2, 3), (4, 3), (0, 3)]
    placed = layout.layered([(40, 20)] * 5, edges)
    assert placed.ranks == (0, 1, 2, 3, 2)
    assert sorted(v for order in placed.orders for v in order) == list(range(5 + 2))
    with pytest.raises(ValueError, match="cycle"):
        layout.layered([(10, 10)] * 2, [(0, 1), (1, 0)])
    with pytest.raises(ValueError, match="not between two different boxes"):
        layout.layered([(10, 10)], [(0, 0)])
    assert layout.layered([], []).width == 0


def test_dummy_limit_leaves_the_longest_edges_without_slots(monkeypatch):
    """Eight layers in a row, each also feeding the last: 6 + 5 + ... + 1 = 21 slots
    wanted; with room for 10 the four shortest skips (1 + 2 + 3 + 4) get theirs and the
    two longest are drawn straight across."""
    monkeypatch.setattr(layout, "DUMMY_LIMIT", 10)
    edges = [(i, i + 1) for i in range(7)] + [(i, 7) for i in range(6)]
    placed = layout.layered([(40, 20)] * 8, edges)
    assert sum(len(order) for order in placed.orders) - 8 == 1 + 2 + 3 + 4
    lengths = {edge: len(route) for edge, route in zip(edges, placed.routes)}
    assert lengths[(0, 7)] == lengths[(1, 7)] == 2              # no slots: one curve
    assert lengths[(2, 7)] == 2 + 2 * 4                         # down four slots


def test_a_layer_fed_twice_by_the_same_layer_gets_two_arrows():
    specs = [LayerSpec("in", "InputLayer", (), {"shape": (None, 4)}),
             LayerSpec("twice", "ElemwiseSumLayer", ("in", "in"), {})]
    drawn = drawn_scene(derive(specs))
    assert [a.title for a in drawn.arrows] == ["L0->L1", "L0->L1"]
    assert drawn.arrows[0].points[-1] != drawn.arrows[1].points[-1]    # two arrowheads


def test_builtin_svg_parses_and_carries_every_box(question_specs):
    result = costs_of("inception_v3", question_specs)
    root = ET.fromstring(picture_bytes(result, "svg", "builtin"))
    nodes = [g for g in root.iter(SVG + "g") if g.get("class") == "node"]
    assert [g.find(SVG + "title").text for g in nodes] == [
        "L%d" % row.index for row in result.report.layers]
    for g, row, cost in zip(nodes, result.report.layers, result.layers):
        assert [t.text for t in g.iter(SVG + "text")] == layer_lines(row, cost)
    edges = [g for g in root.iter(SVG + "g") if g.get("class") == "edge"]
    assert len(edges) == sum(len(row.incoming) for row in result.report.layers)
    assert all(g.find(SVG + "path").get("d").startswith("M") for g in edges)


def test_names_that_need_escaping_in_svg_and_pdf(tmp_path):
    specs = [LayerSpec("in <&> \"x\"", "InputLayer", (), {"shape": (None, 4)}),
             LayerSpec("卷积", "DenseLayer", ("in <&> \"x\"",), {"num_units": 3})]
    report = derive(specs)
    texts, edges = svg_texts_and_edges(_write(tmp_path / "n.svg",
                                              picture_bytes(report, "svg", "builtin")))
    assert "in <&> \"x\"" in texts and "卷积" in texts and edges == [("L0", "L1")]
    document = picture_bytes(report, "pdf", "builtin")
    assert document.startswith(b"%PDF-1.4") and document.rstrip().endswith(b"%%EOF")
    assert drawing.pdf_text("卷积") == "\\u5377\\u79ef"
    # the widest line sets the box's width; a wide character counts twice
    assert drawing.text_width("卷积") == drawing.text_width("abcd")


def _write(path, data):
    path.write_bytes(data)
    return path


def test_pdf_is_well_formed(question_specs):
    """The cross-reference table points at each object; the page is the scene's size."""
    result = derive_costs(question_specs)
    document = picture_bytes(result, "pdf", "builtin")
    start = int(document.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    table = document[start:].split(b"\n")
    assert table[0] == b"xref" and table[1] == b"0 7"
    for number, row in enumerate(table[3:9], 1):
        offset = int(row.split()[0])
        assert document[offset:].startswith(b"%d 0 obj" % number)
    drawn = drawn_scene(result)
    box = re.search(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", document)
    assert (float(box.group(1)), float(box.group(2))) == (
        pytest.approx(drawn.width, abs=0.01), pytest.approx(drawn.height, abs=0.01))
    stream = document[document.index(b"stream\n") + 7:document.index(b"\nendstream")]
    content = zlib.decompress(stream).decode("cp1252")
    for row in result.report.layers:
        assert "(%s) Tj" % row.name in content
    assert "(params \\(5*5*1+1\\)*32 = 832) Tj" in content
    assert content.count(" re f") == 1 and content.count(" B ") == 7     # page, 7 boxes


def test_builtin_png_is_the_scene_at_96_dpi(question_specs):
    pytest.importorskip("matplotlib", reason="a built-in PNG is drawn by matplotlib")
    report = derive(question_specs)
    drawn = drawn_scene(report)
    data = picture_bytes(report, "png", "builtin")
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    size = (int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big"))
    assert abs(size[0] - drawn.width * 96 / 72) < 1 and abs(size[1] - drawn.height * 96 / 72) < 1


def test_the_layout_imports_the_standard_library_only():
    for module in (layout, drawing):
        tree = ast.parse(open(module.__file__, encoding="utf-8").read())
        top = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                top.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and not node.level:
                top.add(node.module.split(".")[0])
        outside = top - set(sys.stdlib_module_names)
        assert outside == (set() if module is layout else {"matplotlib"}), module.__name__


def test_a_long_chain_lays_out_in_linear_time():
    """10,000 layers in a row: no sweeps (nothing crosses), no dummies; the time per box
    stays flat from 1,000 to 10,000 (a quadratic step would multiply it by 10; the bound
    of 5 leaves room for a loaded machine's cache and collector effects, 3.3x seen at load
    8 on 2 cores)."""
    def per_box(n):
        sizes = [(100 + 10 * (i % 7), 60) for i in range(n)]
        edges = [(i, i + 1) for i in range(n - 1)]
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            placed = layout.layered(sizes, edges)
            best = min(best, time.perf_counter() - start)
        assert placed.crossings == 0 and len(placed.orders) == n
        return best / n
    assert per_box(10000) < 5 * per_box(1000)


def test_cli_draws_with_no_dot_on_path(tmp_path):
    """A fresh machine: no Graphviz program at all (PATH emptied for the command; the
    console script's shebang names its python)."""
    env = dict(os.environ, PATH=str(tmp_path))
    svg = str(tmp_path / "net.svg")
    done = subprocess.run([SCRIPT, "draw", NOLEARN_JSON, "-o", svg, "--costs"], env=env,
                          capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == "wrote %s: 7 layers, 217'706 parameters\n" % svg
    texts, edges = svg_texts_and_edges(svg)
    assert "MACs (32*10*10)*(3*3*32) = 921'600" in texts and len(edges) == 6
    pdf = str(tmp_path / "net.pdf")
    done = subprocess.run([SCRIPT, "draw", NOLEARN_JSON, "-o", pdf], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    with open(pdf, "rb") as fh:
        assert fh.read(5) == b"%PDF-"
    done = subprocess.run([SCRIPT, "draw", NOLEARN_JSON, "-o", str(tmp_path / "g.svg"),
                           "--layout", "graphviz"], env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr in (
        "lasagne-params: error: draw: Graphviz's dot program is not installed "
        "(Debian/Ubuntu: apt-get install graphviz)\n",
        "lasagne-params: error: draw: drawing needs the graphviz package: "
        "pip install 'lasagne-params[draw]'\n")
    assert not (tmp_path / "g.svg").exists()


def test_drawing_with_the_builtin_layout_imports_no_theano_lasagne_or_numpy(tmp_path):
    code = textwrap.dedent("""
        import json, sys
        from lasagne_params.cli import main
        status = [main(["draw", sys.argv[1], "-o", sys.argv[2] + ext, "--costs",
                        "--layout", "builtin"]) for ext in (".svg", ".pdf")]
        loaded = sorted(m for m in sys.modules
                        if m.split(".")[0] in ("theano", "lasagne", "numpy", "scipy",
                                               "matplotlib", "graphviz"))
        print(json.dumps([status, loaded]), file=sys.stderr)
    """)
    out = subprocess.run([sys.executable, "-c", code, NOLEARN_JSON, str(tmp_path / "q")],
                         cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert json.loads(out.stderr.strip().splitlines()[-1]) == [[0, 0], []]


def test_committed_pictures_are_what_the_benchmark_draws(tmp_path):
    """docs/inception_block.svg and docs/resnet_stage.svg come from
    ``benchmarks/draw_layout.py --pictures docs``: same boxes, same lines, same arrows."""
    out = subprocess.run([sys.executable, os.path.join(ROOT, "benchmarks", "draw_layout.py"),
                          "--pictures", str(tmp_path)], cwd=ROOT, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    for name in ("inception_block", "resnet_stage"):
        committed = os.path.join(ROOT, "docs", name + ".svg")
        assert svg_texts_and_edges(tmp_path / (name + ".svg")) == svg_texts_and_edges(committed)
        assert os.path.getsize(committed) < 200_000
    texts, edges = svg_texts_and_edges(tmp_path / "inception_block.svg")
    assert texts[0] == "total: 12'352 + 18'528 + 110'720 + 3'088 + 12'832 + 6'176 = 163'696"
    assert len(edges) == 4 + 3 + 4            # the fork, within three branches, the merge
    assert "MACs (128*28*28)*(3*3*96) = 86'704'128" in texts


@pytest.mark.slow
def test_draw_layout_benchmark_smoke():
    out = subprocess.run([sys.executable, os.path.join(ROOT, "benchmarks", "draw_layout.py"),
                          "--quick", "--json"], cwd=ROOT, capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
    figures = json.loads(out.stdout)
    assert [row["boxes"] for row in figures["chains"]] == [10, 100]
    assert [row["crossings"] for row in figures["networks"]] == [0, 0]
    dense = figures["dense_skips"]
    # layer i < 28 also feeds layer 29, passing 28 - i ranks between: 28 + 27 + ... + 1
    assert dense["dummies_wanted"] == dense["dummies_made"] == (30 - 2) * (30 - 1) // 2
