"""A picture of a network: one box per layer, an arrow from each layer to each it feeds.

Each box carries the layer's name and type, its output size with the
derivation, and its parameter formula (``(5*5*1+1)*32 = 832``); given a
CostReport it also carries the MACs and the receptive field.  Branches and
merges come out as a graph because the layout is layered and
crossing-minimising, drawn by one of two engines (``LAYOUTS``):

* ``graphviz``: Graphviz's ``dot`` (nolearn drew Lasagne networks with it
  too).  Needs the optional extra ``[draw]`` (the ``graphviz`` Python
  package) and the ``dot`` program (Debian: ``apt-get install graphviz``).
* ``builtin``: this package's own layered layout (:mod:`.layout`) written
  by :mod:`.drawing`: SVG and PDF with the standard library alone, PNG
  through matplotlib (``[png]`` extra).

``auto`` (the default) is Graphviz when both its parts are there, else the
built-in layout, so a picture needs nothing but ``pip install``.  The text
of the boxes is built here in pure Python (:func:`layer_lines`) for both;
only :func:`graph` imports ``graphviz``.

Names are shown with their control characters escaped, and every text is
kept well under Graphviz's limit of 16,384 characters for one label (a
network of thousands of layers gets a short total line).  ``dot``'s own
complaints become one-line :class:`DrawError` s; the picture is written
atomically (an existing file stays whole if anything fails).
"""
import html
import os
import shutil
import subprocess

from ..core.cost_records import CostReport
from ..core.errors import ArgumentError, DrawError, did_you_mean
from ..core.files import write_atomic
from ..core.records import Report
from ..core.registry import is_input
from ..core.text import clipped, shown, thousands
from .answer import equation, size_cell, total_line
from .columns import receptive_field_text
from .drawing import pdf, pdf_text, png, scene, svg

__all__ = ["FORMATS", "LAYOUTS", "draw", "run_dot", "find_dot", "file_format", "layer_lines",
           "contents", "graph", "graph_label", "graphviz_missing", "chosen_layout", "picture_bytes",
           "picture", "Picture"]

# File formats draw() writes, chosen by the path's extension.
FORMATS = ("svg", "png", "pdf")
#: Who lays the picture out: Graphviz when it is installed, else the built-in layout
#: ("auto"), or either one by name.
LAYOUTS = ("auto", "graphviz", "builtin")

_FILL = {"input": "#eeeeee", "weights": "#dbe8f6", "other": "#ffffff"}
# The longest line of a box or of the total, in characters (Graphviz refuses a label
# over 16,384): longer ones are cut in the middle.
LONGEST_LINE = 300
#: Seconds dot may take before the drawing is given up.
DOT_TIMEOUT = 600


def _fit(line, most=LONGEST_LINE):
    """``line`` with its control characters escaped, cut in the middle if too long."""
    return clipped(shown(line), most)


def layer_lines(row, cost=None):
    """The text lines of one layer's box, first line the name.

    >>> from lasagne_params import LayerSpec, derive
    >>> report = derive([LayerSpec("in", "InputLayer", (), {"shape": (None, 1, 28, 28)}),
    ...                  LayerSpec("conv", "Conv2DLayer", ("in",),
    ...                            {"num_filters": 32, "filter_size": 5})])
    >>> layer_lines(report.layers[1])
    ['conv', 'Conv2DLayer', '(28-(5-1))=24 -> 32x24x24', 'params (5*5*1+1)*32 = 832']
    """
    lines = [row.name, row.kind, size_cell(row)]
    if not is_input(row.kind):
        lines.append("params " + equation(row.param_formula, row.params, 0, 0))
    if cost is not None and cost.macs:
        lines.append("MACs " + equation(cost.formula("mac"), cost.macs, 0, 0))
    if cost is not None and not is_input(row.kind):
        lines.append("RF " + receptive_field_text(cost.receptive_field))
    return [_fit(line) for line in lines]


def graph_label(report):
    """The line under the picture: the answer's total line, or (too long to draw, as
    for thousands of layers) the total and how many layers hold parameters."""
    line = "total: " + total_line(report)
    if len(line) <= LONGEST_LINE:
        return line
    holders = sum(1 for row in report.layers if row.params)
    line = "total: %s parameters in %s layers with parameters" % (
        thousands(report.total_params), thousands(holders))
    if report.trainable_params != report.total_params:
        line += " (%s trainable)" % thousands(report.trainable_params)
    return _fit(line)


def _html_label(lines):
    cells = ["<TR><TD><B>%s</B></TD></TR>" % html.escape(lines[0])]
    cells += ["<TR><TD>%s</TD></TR>" % html.escape(line) for line in lines[1:]]
    return "<<TABLE BORDER=\"0\" CELLSPACING=\"0\" CELLPADDING=\"1\">%s</TABLE>>" % "".join(cells)


def _split(result):
    """(Report, CostReport or None) for what draw() was given."""
    if isinstance(result, CostReport):
        return result.report, result
    if isinstance(result, Report):
        return result, None
    raise TypeError("a picture is drawn from a Report or a CostReport (lasagne_params.draw "
                    "derives a network first), got %s" % type(result).__name__)


def contents(result):
    """What a picture of a Report or CostReport shows, whoever lays it out:
    ``(boxes, edges, label)``, a box ``(id, lines, fill)`` per layer in the Report's
    order (ids ``L<index>``), an edge ``(source, target)`` (box indices) per incoming
    link, and the total line."""
    report, costs = _split(result)
    index = {row.name: i for i, row in enumerate(report.layers)}
    boxes, edges = [], []
    for i, row in enumerate(report.layers):
        cost = costs.layers[i] if costs is not None else None
        fill = ("input" if is_input(row.kind) else "weights" if row.params else "other")
        boxes.append(("L%d" % row.index, layer_lines(row, cost), _FILL[fill]))
        edges.extend((index[name], i) for name in row.incoming)
    return boxes, edges, graph_label(report)


def graph(result):
    """A ``graphviz.Digraph`` of a Report or CostReport.

    Nodes are ``L<index>`` in the Report's order; edges follow ``incoming``.
    """
    try:
        import graphviz
    except ImportError:
        raise DrawError("drawing needs the graphviz package: "
                        "pip install 'lasagne-params[draw]'", field="draw") from None
    boxes, edges, label = contents(result)
    dot = graphviz.Digraph(
        "network", graph_attr={"rankdir": "TB", "label": label,
                               "labelloc": "b", "fontname": "Helvetica", "fontsize": "12"},
        node_attr={"shape": "box", "style": "rounded,filled", "fontname": "Helvetica",
                   "fontsize": "11", "margin": "0.12,0.06"},
        edge_attr={"arrowsize": "0.7"})
    incoming = {}
    for source, target in edges:
        incoming.setdefault(target, []).append(source)
    for i, (name, lines, fill) in enumerate(boxes):      # each node, then its edges in
        dot.node(name, _html_label(lines), fillcolor=fill)
        for source in incoming.get(i, ()):
            dot.edge(boxes[source][0], name)
    return dot


def file_format(path, fmt=None):
    """The format :func:`draw` writes ``path`` in: ``fmt``, else the path's extension.

    Raises
    ------
    ArgumentError
        Unless it is one of ``FORMATS``.

    >>> file_format("docs/net.SVG"), file_format("net", "png")
    ('svg', 'png')
    """
    path = os.fspath(path)
    fmt = (fmt or os.path.splitext(path)[1].lstrip(".")).lower()
    if fmt not in FORMATS:
        raise ArgumentError("cannot draw to %r: expected a file ending in %s"
                            % (path, ", ".join("." + f for f in FORMATS)), field="path")
    return fmt


def draw(result, path, fmt=None, protect=(), layout="auto"):
    """Write a picture of a Report or CostReport to ``path`` (.svg, .png or .pdf); return ``path``.

    Parameters
    ----------
    result : Report or CostReport
        A CostReport (``derive_costs``) adds each layer's MACs and receptive
        field to its box.
    path : str or os.PathLike
    fmt : {'svg', 'png', 'pdf'}, optional
        Default: the extension of ``path``.
    protect : sequence of paths, optional
        Files ``path`` must not be (the command's own inputs).
    layout : {'auto', 'graphviz', 'builtin'}
        Who lays it out: ``auto`` is Graphviz when its package and ``dot``
        are installed, else the built-in layout (see ``LAYOUTS``).

    Raises
    ------
    ArgumentError
        For an unknown format or layout.
    DrawError
        When Graphviz is asked for and missing, or ``dot`` fails (its first
        complaint, in one line); for a built-in PNG without matplotlib.
    OutputError
        When ``path`` cannot be written (a file already there is unchanged).
    """
    path = os.fspath(path)
    fmt = file_format(path, fmt)
    write_atomic(path, picture_bytes(result, fmt, layout), protect=protect)
    return path


def find_dot():
    """The path of Graphviz's ``dot`` program, or None (the one place it is looked up)."""
    return shutil.which("dot")


def graphviz_missing():
    """Why Graphviz cannot draw here (its Python package or ``dot`` is missing), or None."""
    try:
        import graphviz  # noqa: F401
    except ImportError:
        return "the graphviz package is not installed"
    if find_dot() is None:
        return "Graphviz's dot program is not installed"
    return None


def chosen_layout(layout="auto"):
    """``"graphviz"`` or ``"builtin"``: ``layout``, with ``auto`` resolved on this machine.

    Raises
    ------
    ArgumentError
        Unless ``layout`` is one of ``LAYOUTS``.
    """
    if layout not in LAYOUTS:
        raise ArgumentError("unknown layout %r; expected one of %s%s" % (
            layout, ", ".join(LAYOUTS), did_you_mean(str(layout), LAYOUTS)), field="layout")
    if layout == "auto":
        return "graphviz" if graphviz_missing() is None else "builtin"
    return layout


def picture_bytes(result, fmt, layout="auto"):
    """The picture of a Report or CostReport in format ``fmt``, as bytes."""
    if chosen_layout(layout) == "graphviz":
        return run_dot(graph(result).source, fmt)
    boxes, edges, label = contents(result)
    if fmt == "pdf":                          # PDF's standard fonts: Windows-1252 only
        boxes = [(name, [pdf_text(line) for line in lines], fill)
                 for name, lines, fill in boxes]
        label = pdf_text(label)
    drawn = scene(boxes, edges, label)
    if fmt == "svg":
        return svg(drawn).encode("utf-8")
    if fmt == "pdf":
        return pdf(drawn)
    return png(drawn)


def run_dot(source, fmt):
    """The picture ``dot -T<fmt>`` makes of the DOT text ``source``, as bytes."""
    dot = find_dot()
    if dot is None:
        raise DrawError("Graphviz's dot program is not installed "
                        "(Debian/Ubuntu: apt-get install graphviz)", field="draw")
    try:
        # communicate() (under run) copes with dot closing its input early.
        done = subprocess.run([dot, "-T%s" % fmt], input=source.encode("utf-8"),
                              capture_output=True, timeout=DOT_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise DrawError("Graphviz's dot took more than %d seconds; giving up" % DOT_TIMEOUT,
                        field="draw") from None
    except OSError as exc:
        raise DrawError("cannot run Graphviz's dot: %s" % (exc.strerror or exc),
                        field="draw") from None
    if done.returncode != 0 or not done.stdout:
        said = [line.strip() for line in done.stderr.decode("utf-8", "replace").splitlines()
                if line.strip()]
        status = ("exit status %d" % done.returncode if done.returncode >= 0
                  else "killed by signal %d" % -done.returncode)
        raise DrawError("Graphviz's dot failed (%s)%s" % (
            status, ": " + _fit(said[0], 200) if said else ""), field="draw")
    return done.stdout


class Picture:
    """A drawn network as SVG text: Jupyter shows it, :meth:`save` writes it.

    ``svg`` is the text; ``result`` the Report (or CostReport) drawn and
    ``layout`` who laid it out, so the same picture can be written in
    another format.
    """

    def __init__(self, svg, result, layout="auto"):
        self.svg = svg
        self.result = result
        self.layout = layout

    def _repr_svg_(self):
        return self.svg

    def save(self, path, fmt=None):
        """Write the picture to ``path`` (.svg, .png or .pdf); return ``path``."""
        return draw(self.result, path, fmt, layout=self.layout)


def picture(result, layout="auto"):
    """A :class:`Picture` of a Report or CostReport (its SVG, in memory)."""
    chosen = chosen_layout(layout)
    return Picture(picture_bytes(result, "svg", chosen).decode("utf-8"), result, chosen)
