"""How fast the built-in layout draws a network, and whether it stays linear.

Measures, in one run, and prints a markdown table (``--out FILE`` also writes it):

* ``render.layout.layered`` alone on chains of 100 to 10,000 boxes (100,000 with
  ``--big``): seconds and microseconds per box, which must stay flat for a linear
  layout, and tracemalloc's peak memory per box;
* the whole built-in picture of zoo networks (GoogLeNet, ResNet-50, Inception-v3,
  U-Net): scene (text sizes + layout), SVG, PDF, and PNG when matplotlib is
  installed; beside it Graphviz's ``dot -Tsvg`` on the same network when ``dot``
  is installed;
* a network whose every layer also feeds the last (the worst case: its long edges
  need a quadratic number of dummy slots) at 1,000 layers, where ``DUMMY_LIMIT``
  caps the work.

Medians of ``--repeat`` runs (default 3; the quadratic case and PNGs once).
``--pictures DIR`` instead writes the built-in layout's pictures of two regions of
zoo networks that docs/costs.md shows (``inception_block`` and ``resnet_stage``, as
``.svg``, and ``.png`` too with ``--png``).

    python benchmarks/draw_layout.py                 # docs/costs.md's figures
    python benchmarks/draw_layout.py --quick         # smoke: tiny sizes, seconds
    python benchmarks/draw_layout.py --pictures docs # docs/inception_block.svg, resnet_stage.svg

Not a test: ``tests/test_layout.py`` runs ``--quick`` so it cannot rot.
"""
import argparse
import dataclasses
import json
import os
import shutil
import statistics
import sys
import time
import tracemalloc

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from lasagne_params import derive_costs, zoo  # noqa: E402
from lasagne_params.core.records import Report  # noqa: E402
from lasagne_params.render import drawing, layout, picture  # noqa: E402

CHAINS = (100, 1000, 10000)
BIG_CHAINS = CHAINS + (100000,)
QUICK_CHAINS = (10, 100)
NETWORKS = ("googlenet", "resnet50", "inception_v3", "unet")
QUICK_NETWORKS = ("lenet5", "googlenet")
#: picture name -> (zoo network, its first and last layer shown)
REGIONS = {
    "inception_block": ("googlenet", "pool2/3x3_s2", "inception_3a/output"),
    "resnet_stage": ("resnet50", "pool1", "res2b_relu"),
}


def timed(function, repeat):
    """(median seconds, last result) of ``repeat`` calls."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def chain(n):
    """n boxes of varied widths in a row, as a network's layers would be."""
    return [(100 + 10 * (i % 7), 60) for i in range(n)], [(i, i + 1) for i in range(n - 1)]


def measure_chains(sizes, repeat):
    rows = []
    for n in sizes:
        boxes, edges = chain(n)
        seconds, placed = timed(lambda: layout.layered(boxes, edges), repeat)
        tracemalloc.start()
        layout.layered(boxes, edges)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        rows.append({"boxes": n, "seconds": seconds, "us_per_box": 1e6 * seconds / n,
                     "peak_bytes_per_box": peak / n, "crossings": placed.crossings})
    return rows


def measure_networks(names, repeat):
    rows = []
    dot = picture.graphviz_missing() is None
    for name in names:
        result = derive_costs(zoo.specs(name), lasagne_version="master")
        boxes, edges, label = picture.contents(result)
        scene_s, drawn = timed(lambda: drawing.scene(boxes, edges, label), repeat)
        svg_s, _ = timed(lambda: drawing.svg(drawn), repeat)
        pdf_s, _ = timed(lambda: drawing.pdf(drawn), repeat)
        row = {"network": name, "layers": len(boxes), "edges": len(edges),
               "crossings": drawn.crossings, "scene": scene_s, "svg": svg_s, "pdf": pdf_s,
               "png": None, "dot_svg": None}
        try:
            import matplotlib  # noqa: F401
            row["png"], _ = timed(lambda: drawing.png(drawn), 1)
        except ImportError:
            pass
        if dot:
            source = picture.graph(result).source
            row["dot_svg"], _ = timed(lambda: picture.run_dot(source, "svg"), 1)
        rows.append(row)
    return rows


def measure_dense_skips(n):
    """Every layer feeds the next and the last: sum of edge lengths ~ n*n/2."""
    boxes = [(100, 60)] * n
    edges = [(i, i + 1) for i in range(n - 1)] + [(i, n - 1) for i in range(n - 2)]
    seconds, placed = timed(lambda: layout.layered(boxes, edges), 1)
    wanted = sum(max(t - s - 1, 0) for s, t in edges)
    made = sum(len(order) for order in placed.orders) - n
    return {"layers": n, "edges": len(edges), "dummies_wanted": wanted,
            "dummies_made": made, "seconds": seconds}


def region(name, first, last):
    """The CostReport of zoo network ``name``'s layers ``first`` to ``last`` (in its
    order), links from outside the region dropped and the totals those of the region."""
    costs = derive_costs(zoo.specs(name), lasagne_version="master")
    names = [row.name for row in costs.report.layers]
    start, stop = names.index(first), names.index(last) + 1
    kept = set(names[start:stop])
    rows = [dataclasses.replace(row, index=i, incoming=tuple(
        source for source in row.incoming if source in kept))
        for i, row in enumerate(costs.report.layers[start:stop])]
    report = Report.of(rows)
    return dataclasses.replace(costs, report=report, layers=costs.layers[start:stop])


def write_pictures(folder, png):
    for picture_name, (network, first, last) in REGIONS.items():
        result = region(network, first, last)
        for fmt in ("svg", "png") if png else ("svg",):
            path = os.path.join(folder, "%s.%s" % (picture_name, fmt))
            picture.draw(result, path, layout="builtin")
            print("wrote %s (%s bytes)" % (path, "{:,}".format(os.path.getsize(path))))


def table(figures):
    lines = ["### Built-in layout: chains (`render.layout.layered` alone)", "",
             "| boxes | seconds | us per box | peak bytes per box |",
             "| ---: | ---: | ---: | ---: |"]
    for row in figures["chains"]:
        lines.append("| {:,} | {:.3f} | {:.0f} | {:,.0f} |".format(
            row["boxes"], row["seconds"], row["us_per_box"], row["peak_bytes_per_box"]))
    first, last = figures["chains"][0], figures["chains"][-1]
    lines += ["", "us per box, %s boxes / %s boxes: %.2f (1 for a linear layout)" % (
        "{:,}".format(last["boxes"]), "{:,}".format(first["boxes"]),
        last["us_per_box"] / first["us_per_box"]), "",
        "### Built-in picture of zoo networks (seconds)", "",
        "| network | layers | edges | crossings | scene (layout) | SVG | PDF | PNG "
        "(matplotlib) | Graphviz dot -Tsvg |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]

    def seconds(value):
        return "n/a" if value is None else "%.3f" % value
    for row in figures["networks"]:
        lines.append("| %s | %d | %d | %d | %s | %s | %s | %s | %s |" % (
            row["network"], row["layers"], row["edges"], row["crossings"],
            seconds(row["scene"]), seconds(row["svg"]), seconds(row["pdf"]),
            seconds(row["png"]), seconds(row["dot_svg"])))
    dense = figures["dense_skips"]
    lines += ["", "Every layer also feeding the last, {:,} layers: {:,} dummy slots wanted, "
              "{:,} made (DUMMY_LIMIT {:,}), {:.2f} s".format(
                  dense["layers"], dense["dummies_wanted"], dense["dummies_made"],
                  layout.DUMMY_LIMIT, dense["seconds"]), ""]
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes (a smoke test)")
    parser.add_argument("--big", action="store_true", help="also a 100,000-box chain")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--out", help="also write the table to this file")
    parser.add_argument("--pictures", metavar="DIR", help=(
        "write the pictures docs/costs.md shows to DIR instead of measuring"))
    parser.add_argument("--png", action="store_true", help="with --pictures: PNGs too")
    args = parser.parse_args(argv)
    if args.pictures:
        write_pictures(args.pictures, args.png)
        return 0
    repeat = 1 if args.quick else args.repeat
    figures = {
        "chains": measure_chains(QUICK_CHAINS if args.quick else
                                 BIG_CHAINS if args.big else CHAINS, repeat),
        "networks": measure_networks(QUICK_NETWORKS if args.quick else NETWORKS, repeat),
        "dense_skips": measure_dense_skips(30 if args.quick else 1000),
        "dot": shutil.which("dot") is not None,
    }
    text = json.dumps(figures, indent=1) if args.json else table(figures)
    print(text)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as handle:
            handle.write(table(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
