"""The picture of a network drawn without Graphviz: a layered layout written out by hand.

:func:`scene` places boxes of text and the edges between them with
:mod:`.layout`'s layered layout; :func:`svg` and :func:`pdf` write the scene
with nothing but the standard library, :func:`png` hands it to matplotlib
(imported only there: a raster needs a font renderer, and one in pure
Python is not worth having).  What the boxes say (the layer's lines, its
fill) is decided by :mod:`.picture`, for Graphviz and for this drawing
alike; this module never looks at a layer.

Box widths come from the text: every line is set in a monospace font, so a
line is as wide as its characters times the font's advance, 0.6 em (DejaVu
Sans Mono, Liberation Mono, Courier; East Asian wide characters count twice).
That is an estimate for the SVG, whose viewer picks the font, and exact for
the PDF (Courier, one of PDF's standard fonts, so nothing is embedded) and
the PNG (matplotlib's bundled DejaVu Sans Mono).
"""
import html
import io
import unicodedata
import zlib
from dataclasses import dataclass

from ..core.errors import DrawError
from .layout import Gaps, layered

__all__ = ["Box", "Arrow", "Scene", "scene", "svg", "pdf", "pdf_text", "png", "text_width",
           "path_segments"]

FONT_SIZE = 11.0          # points, the boxes' text (Graphviz's picture uses 11 too)
LABEL_SIZE = 12.0         # the total line under the picture
ADVANCE = 0.6             # a monospace character's width, in ems
LINE_HEIGHT = 1.3         # in ems
PAD_X, PAD_Y = 8.0, 5.0   # inside a box, around its text
MARGIN = 8.0              # around the picture
CORNER = 6.0              # radius of a box's rounded corners
ARROW_LENGTH, ARROW_HALF_WIDTH = 7.0, 3.0
#: The SVG's font list: monospace fonts with the 0.6 em advance the widths assume.
SVG_FONTS = "DejaVu Sans Mono,Liberation Mono,Menlo,Consolas,Courier New,monospace"
#: A PNG has at most this many pixels on its longer side (Agg's limit is 65,536) and
#: this many in all; a larger picture is drawn at a lower resolution than 96 dpi.
PNG_MOST_PIXELS = (32000, 40_000_000)
#: A PDF page is at most this many points on a side (Acrobat's limit is 14,400); a larger
#: picture is scaled down to fit (it stays vector: zoom in).
PDF_MOST_POINTS = 14400.0
#: Why a PNG cannot be drawn without Graphviz or matplotlib, and what to install.
PNG_NEEDS = ("a .png without Graphviz needs matplotlib: pip install 'lasagne-params[png]' "
             "(or Graphviz: apt-get install graphviz and pip install "
             "'lasagne-params[draw]'); .svg and .pdf need neither")


@dataclass(frozen=True, slots=True)
class Box:
    """A box of text: ``title`` names it in the SVG, ``lines`` the text (the first bold)."""

    title: str
    lines: tuple
    fill: str
    left: float
    top: float
    width: float
    height: float


@dataclass(frozen=True, slots=True)
class Arrow:
    """An edge: the points it passes through (see :func:`path_segments`), ending at an
    arrowhead on its target's top."""

    title: str
    points: tuple


@dataclass(frozen=True, slots=True)
class Scene:
    """Boxes and arrows placed on a ``width`` x ``height`` page (points, y downwards),
    and the ``label`` centred under them at ``label_y`` (its baseline); ``crossings``
    counts the pairs of arrows that cross."""

    boxes: tuple
    arrows: tuple
    label: str
    label_y: float
    width: float
    height: float
    crossings: int


def text_width(line, size=FONT_SIZE):
    """The width of ``line`` in a monospace font of ``size`` points.

    >>> text_width("(5*5*1+1)*32 = 832"), text_width("卷积")
    (118.8, 26.4)
    """
    columns = 0
    for c in line:
        if unicodedata.combining(c):
            continue
        columns += 2 if unicodedata.east_asian_width(c) in "WF" else 1
    return round(columns * ADVANCE * size, 6)


def scene(boxes, edges, label):
    """The :class:`Scene` of ``boxes`` ((title, lines, fill) each) joined by ``edges``
    ((source index, target index) each) with ``label`` underneath."""
    line_height = LINE_HEIGHT * FONT_SIZE
    sizes = [(max(text_width(line) for line in lines) + 2 * PAD_X,
              len(lines) * line_height + 2 * PAD_Y) for _, lines, _ in boxes]
    placed = layered(sizes, edges, Gaps())
    label_width = text_width(label, LABEL_SIZE)
    width = max(placed.width, label_width + LABEL_SIZE) + 2 * MARGIN
    dx = (width - placed.width) / 2
    dy = MARGIN
    drawn = tuple(
        Box(title, tuple(lines), fill, round(x - w / 2 + dx, 2), round(y + dy, 2), w, h)
        for (title, lines, fill), (w, h), x, y in zip(boxes, sizes, placed.x, placed.y))
    arrows = tuple(
        Arrow("%s->%s" % (boxes[a][0], boxes[b][0]),
              tuple((round(px + dx, 2), round(py + dy, 2)) for px, py in route))
        for (a, b), route in zip(edges, placed.routes))
    label_y = dy + placed.height + (MARGIN + LABEL_SIZE if boxes else LABEL_SIZE)
    return Scene(drawn, arrows, label, label_y, width, label_y + 0.3 * LABEL_SIZE + MARGIN,
                 placed.crossings)


def path_segments(points):
    """An arrow's path: ``[start, ("L", point) or ("C", control, control, point), ...]``,
    straight where two points are one above the other, an S-curve (vertical at both ends)
    otherwise; it stops ``ARROW_LENGTH`` short of the last point, where the head goes.

    >>> path_segments([(0, 0), (0, 10), (20, 40)])
    [(0, 0), ('L', (0, 10)), ('C', (0, 21.5), (20, 21.5), (20, 33.0))]
    """
    x_end, y_end = points[-1]
    end = (x_end, y_end - ARROW_LENGTH)
    points = list(points[:-1])
    while len(points) > 1 and points[-1][0] == x_end and points[-1][1] > end[1] - 1:
        points.pop()                        # a straight bit shorter than the head
    points.append(end)
    out = [points[0]]
    for (x0, y0), (x1, y1) in zip(points, points[1:]):
        if x0 == x1:
            out.append(("L", (x1, y1)))
        else:
            middle = (y0 + y1) / 2
            out.append(("C", (x0, middle), (x1, middle), (x1, y1)))
    return out


def _head(points):
    x, y = points[-1]
    return ((x - ARROW_HALF_WIDTH, y - ARROW_LENGTH), (x + ARROW_HALF_WIDTH, y - ARROW_LENGTH),
            (x, y))


def _baselines(box):
    line_height = LINE_HEIGHT * FONT_SIZE
    return [box.top + PAD_Y + i * line_height + (line_height - FONT_SIZE) / 2 + 0.8 * FONT_SIZE
            for i in range(len(box.lines))]


def _number(value):
    return ("%.2f" % value).rstrip("0").rstrip(".")


# ---------------------------------------------------------------------------- SVG

def svg(drawn):
    """The scene as an SVG document (text), laid out as Graphviz's: a ``graph`` group
    with the label, a ``node`` group per box and an ``edge`` group per arrow, each
    with its ``title``."""
    out = ['<?xml version="1.0" encoding="UTF-8" standalone="no"?>',
           '<!-- Drawn by lasagne_params (its own layered layout; no Graphviz) -->',
           '<svg width="%spt" height="%spt" viewBox="0 0 %s %s" '
           'xmlns="http://www.w3.org/2000/svg" xml:space="preserve">'
           % tuple(_number(v) for v in (drawn.width, drawn.height, drawn.width, drawn.height)),
           '<g id="graph0" class="graph" font-family="%s" font-size="%s" style="white-space:pre">'
           % (html.escape(SVG_FONTS), _number(FONT_SIZE)),
           '<title>network</title>',
           '<rect fill="white" x="0" y="0" width="%s" height="%s"/>'
           % (_number(drawn.width), _number(drawn.height)),
           '<text text-anchor="middle" x="%s" y="%s" font-size="%s">%s</text>'
           % (_number(drawn.width / 2), _number(drawn.label_y), _number(LABEL_SIZE),
              html.escape(drawn.label, quote=False))]
    for i, box in enumerate(drawn.boxes, 1):
        centre = _number(box.left + box.width / 2)
        out.append('<g id="node%d" class="node">' % i)
        out.append('<title>%s</title>' % html.escape(box.title, quote=False))
        out.append('<rect fill="%s" stroke="black" x="%s" y="%s" width="%s" height="%s" '
                   'rx="%s"/>' % (box.fill, _number(box.left), _number(box.top),
                                  _number(box.width), _number(box.height), _number(CORNER)))
        for j, (line, y) in enumerate(zip(box.lines, _baselines(box))):
            out.append('<text text-anchor="middle" x="%s" y="%s"%s>%s</text>' % (
                centre, _number(y), ' font-weight="bold"' if j == 0 else "",
                html.escape(line, quote=False)))
        out.append('</g>')
    for i, arrow in enumerate(drawn.arrows, 1):
        d = []
        for step in path_segments(arrow.points):
            if isinstance(step[0], str):
                d.append(step[0] + " ".join("%s,%s" % (_number(x), _number(y))
                                            for x, y in step[1:]))
            else:
                d.append("M%s,%s" % (_number(step[0]), _number(step[1])))
        out.append('<g id="edge%d" class="edge">' % i)
        out.append('<title>%s</title>' % html.escape(arrow.title, quote=False))
        out.append('<path fill="none" stroke="black" d="%s"/>' % " ".join(d))
        out.append('<polygon fill="black" stroke="black" points="%s"/>' % " ".join(
            "%s,%s" % (_number(x), _number(y)) for x, y in _head(arrow.points)))
        out.append('</g>')
    out += ['</g>', '</svg>', '']
    return "\n".join(out)


# ---------------------------------------------------------------------------- PDF

def pdf_text(line):
    """``line`` as PDF's standard Courier can show it (Windows-1252): any other
    character written as its escape (``\\u5377``), so nothing is silently lost.

    >>> pdf_text("conv_é"), pdf_text("卷积")
    ('conv_é', '\\\\u5377\\\\u79ef')
    """
    out = []
    for c in line:
        try:
            c.encode("cp1252")
            out.append(c)
        except UnicodeEncodeError:
            out.append("\\u%04x" % ord(c) if ord(c) < 0x10000 else "\\U%08x" % ord(c))
    return "".join(out)


def _pdf_string(line):
    raw = line.encode("cp1252")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _rgb(colour):
    return " ".join(_number(int(colour[i:i + 2], 16) / 255) for i in (1, 3, 5))


def pdf(drawn):
    """The scene as a one-page PDF (bytes): vector boxes, curves and Courier text.

    The scene's text must be in Windows-1252 (:func:`pdf_text`).  A page
    larger than ``PDF_MOST_POINTS`` on a side is scaled down to fit.
    """
    scale = min(1.0, PDF_MOST_POINTS / max(drawn.width, drawn.height, 1.0))
    page_w, page_h = drawn.width * scale, drawn.height * scale
    ops = ["%s 0 0 %s 0 %s cm" % (_number(scale), _number(-scale), _number(page_h)),
           "1 1 1 rg 0 0 %s %s re f" % (_number(drawn.width), _number(drawn.height)),
           "0 0 0 RG 0 0 0 rg 1 w"]
    ops.append(_pdf_text_op(drawn.label, drawn.width / 2, drawn.label_y, LABEL_SIZE, "F1"))
    k = 0.5523 * CORNER                      # a quarter circle as a Bezier curve
    for box in drawn.boxes:
        left, top, right, bottom = box.left, box.top, box.left + box.width, box.top + box.height
        r = CORNER
        path = [
            "%s %s m" % (_number(left + r), _number(top)),
            "%s %s l" % (_number(right - r), _number(top)),
            "%s %s %s %s %s %s c" % tuple(_number(v) for v in (
                right - r + k, top, right, top + r - k, right, top + r)),
            "%s %s l" % (_number(right), _number(bottom - r)),
            "%s %s %s %s %s %s c" % tuple(_number(v) for v in (
                right, bottom - r + k, right - r + k, bottom, right - r, bottom)),
            "%s %s l" % (_number(left + r), _number(bottom)),
            "%s %s %s %s %s %s c" % tuple(_number(v) for v in (
                left + r - k, bottom, left, bottom - r + k, left, bottom - r)),
            "%s %s l" % (_number(left), _number(top + r)),
            "%s %s %s %s %s %s c" % tuple(_number(v) for v in (
                left, top + r - k, left + r - k, top, left + r, top)),
            "h"]
        ops.append("%s rg %s B 0 0 0 rg" % (_rgb(box.fill), " ".join(path)))
        centre = box.left + box.width / 2
        for j, (line, y) in enumerate(zip(box.lines, _baselines(box))):
            ops.append(_pdf_text_op(line, centre, y, FONT_SIZE, "F2" if j == 0 else "F1"))
    for arrow in drawn.arrows:
        path = []
        for step in path_segments(arrow.points):
            if isinstance(step[0], str):
                path.append(" ".join("%s %s" % (_number(x), _number(y)) for x, y in step[1:])
                            + (" l" if step[0] == "L" else " c"))
            else:
                path.append("%s %s m" % (_number(step[0]), _number(step[1])))
        ops.append(" ".join(path) + " S")
        a, b, c = _head(arrow.points)
        ops.append("%s %s m %s %s l %s %s l h f" % tuple(_number(v) for v in a + b + c))
    content = zlib.compress("\n".join(ops).encode("cp1252"), 6)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        ("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %s %s] /Resources << /Font << "
         "/F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>"
         % (_number(page_w), _number(page_h))).encode("ascii"),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Courier-Bold "
        b"/Encoding /WinAnsiEncoding >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content) + content
        + b"\nendstream"]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def _pdf_text_op(line, centre, baseline, size, font):
    """Text centred on ``centre`` (the page is flipped, so the text is flipped back)."""
    left = centre - len(line) * ADVANCE * size / 2
    return "BT /%s %s Tf 1 0 0 -1 %s %s Tm %s Tj ET" % (
        font, _number(size), _number(left), _number(baseline),
        _pdf_string(line).decode("cp1252"))


# ---------------------------------------------------------------------------- PNG

def png(drawn, dpi=96):
    """The scene as a PNG (bytes), drawn by matplotlib's Agg renderer at ``dpi``
    (lower for a picture over ``PNG_MOST_PIXELS``).  Raises DrawError without
    matplotlib."""
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
        from matplotlib.patches import FancyBboxPatch, PathPatch, Polygon
        from matplotlib.path import Path
    except ImportError:
        raise DrawError(PNG_NEEDS, field="draw") from None

    longest, most = PNG_MOST_PIXELS
    inches = (drawn.width / 72, drawn.height / 72)
    dpi = min(dpi, longest / max(inches), (most / (inches[0] * inches[1])) ** 0.5)
    figure = Figure(figsize=inches, dpi=dpi)
    FigureCanvasAgg(figure)
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_xlim(0, drawn.width)
    axes.set_ylim(drawn.height, 0)
    axes.set_axis_off()
    text = dict(family="monospace", ha="center", va="baseline", usetex=False, parse_math=False)
    axes.text(drawn.width / 2, drawn.label_y, drawn.label, fontsize=LABEL_SIZE, **text)
    for box in drawn.boxes:
        axes.add_patch(FancyBboxPatch(
            (box.left + CORNER, box.top + CORNER), box.width - 2 * CORNER,
            box.height - 2 * CORNER, boxstyle="round,pad=%s" % CORNER,
            facecolor=box.fill, edgecolor="black", linewidth=1))
        centre = box.left + box.width / 2
        for j, (line, y) in enumerate(zip(box.lines, _baselines(box))):
            axes.text(centre, y, line, fontsize=FONT_SIZE,
                      fontweight="bold" if j == 0 else "normal", **text)
    for arrow in drawn.arrows:
        vertices, codes = [], []
        for step in path_segments(arrow.points):
            if isinstance(step[0], str):
                vertices += step[1:]
                codes += [Path.LINETO] if step[0] == "L" else [Path.CURVE4] * 3
            else:
                vertices.append(step)
                codes.append(Path.MOVETO)
        axes.add_patch(PathPatch(Path(vertices, codes), facecolor="none", edgecolor="black",
                                 linewidth=1))
        axes.add_patch(Polygon(_head(arrow.points), closed=True, facecolor="black",
                               edgecolor="black", linewidth=1))
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()
