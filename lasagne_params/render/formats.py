"""The output formats, declared once: one :class:`Format` record each, in :data:`FORMATS`.

A format is a record of what it renders (Report, CostReport, Comparison,
RuntimeCheck, WeightsCheck), the function that renders it, and how the command line uses
it: whether ``show --format`` offers it, whether ``--explain``'s sentences may
follow it, which format shows its costs, how several networks are put
together, where ``--check``'s table goes.  :func:`lasagne_params.render` and
the command line ask these fields; neither tests a format's name.  Adding a
format is one record here (and its tests; docs/cli.md lists the files).

This module declares the formats; the renderers it names do the writing.  It
imports the core and the renderers only.
"""
from dataclasses import dataclass
from typing import Callable, Optional, Tuple

from ..core.compare import Comparison
from ..core.cost_records import CostReport
from ..core.errors import ArgumentError
from ..core.records import Report
from ..core.runtime_check import RuntimeCheck
from ..core.weights import WeightsCheck
from ..core.text import printable_lines
from .answer import render_answer
from .columns import render_columns
from .compare import render_comparison
from .csv import render_csv
from .explain import render_explain
from .json import render_json, render_json_list
from .markdown import render_markdown
from .nolearn import render_nolearn
from .runtime import render_runtime
from .summary import render_summary
from .weights import render_weights

__all__ = ["Format", "FORMATS", "DEFAULT_FORMAT", "RESULTS", "TABLES"]

#: Every result the renderers take.
RESULTS = (Report, CostReport, Comparison, RuntimeCheck, WeightsCheck)

#: The one text form of each result that is not a Report: its table (``render(result)``).
TABLES = ((Comparison, render_comparison), (RuntimeCheck, render_runtime),
          (WeightsCheck, render_weights))


@dataclass(frozen=True, slots=True)
class Format:
    """One output format: what it renders and how the command line uses it.

    name : str
        What ``render(result, name)`` and ``show --format NAME`` call it.
    renders : tuple of classes
        The results its renderer takes.  A CostReport given to a format
        that renders Reports is rendered as its Report.
    renderer : callable
        ``renderer(result, **options) -> str``.
    offered : bool
        ``show --format`` offers it (``explain`` and ``columns`` are reached
        through ``--explain`` and ``--columns``).
    text : bool
        A table for people, which ``--explain``'s sentences may follow.
    costs : str or None
        The format that shows ``--columns``/``--costs`` in this one's place
        (itself for a format whose CostReport holds them); None: no costs.
    command_line_options : tuple of str
        The renderer's keyword options the command line sets (``columns``,
        ``thousands``).
    heading : str or None
        Several networks are written one after another, each under this
        heading (``%s``: the network's label).
    collect : callable or None
        Several networks make one document, ``collect([(label, document),
        ...])``.  A format with neither ``heading`` nor ``collect`` holds one
        network.
    comparison_stream : str
        Where ``show --check`` writes the comparison's table, ``"stdout"`` or
        ``"stderr"`` (stdout holding nothing but this format's document).  A
        format that renders a Comparison holds it in its document instead.
    verbatim : str
        How a plain-text table is quoted in this format (``%s``: the table).
    whole_network : bool
        The outputs of one network named together (a builder returning a list or
        dict of output layers) are shown as one table with one total, rather than
        one network per output.
    """

    name: str
    renders: Tuple[type, ...]
    renderer: Callable[..., str]
    offered: bool = False
    text: bool = False
    costs: Optional[str] = None
    command_line_options: Tuple[str, ...] = ()
    heading: Optional[str] = None
    collect: Optional[Callable[..., str]] = None
    comparison_stream: str = "stdout"
    verbatim: str = "%s"
    whole_network: bool = False

    def takes(self, result):
        """True when this format renders ``result`` (a CostReport as its Report included)."""
        return isinstance(result, self.renders) or (
            isinstance(result, CostReport) and Report in self.renders)

    def render(self, result, **options):
        """``result`` in this format, control characters escaped (``\\x1b``).

        Raises
        ------
        ArgumentError
            For a Comparison or RuntimeCheck this format does not render.
        """
        if isinstance(result, CostReport) and not isinstance(result, self.renders) \
                and Report in self.renders:
            result = result.report
        for cls, _ in TABLES:
            if isinstance(result, cls) and not isinstance(result, self.renders):
                raise ArgumentError("a %s renders as its table or as %s, not %r" % (
                    cls.__name__, " or ".join(f.name for f in FORMATS.values()
                                              if cls in f.renders), self.name), field="fmt")
        # Names are escaped where each renderer writes them; this catches any other
        # control character (a custom kind's explanation, say).
        return printable_lines(self.renderer(result, **options))


#: name -> Format, in the order ``show --format`` lists them.
FORMATS = {f.name: f for f in (
    Format("summary", (Report,), render_summary, offered=True, text=True, costs="columns",
           command_line_options=("thousands",), heading="== %s ==\n", whole_network=True),
    Format("answer", (Report,), render_answer, offered=True, text=True, costs="columns",
           command_line_options=("thousands",), heading="== %s ==\n"),
    Format("nolearn", (Report,), render_nolearn, offered=True, text=True,
           heading="== %s ==\n"),
    Format("markdown", (Report,), render_markdown, offered=True, text=True,
           heading="### %s\n\n", verbatim="```\n%s```\n"),
    Format("json", RESULTS, render_json, offered=True, costs="json", collect=render_json_list),
    Format("csv", (Report,), render_csv, offered=True, comparison_stream="stderr"),
    Format("explain", (Report,), render_explain),
    Format("columns", (CostReport,), render_columns,
           command_line_options=("columns", "thousands")),
)}

#: The format of ``render(report)`` and ``show``: Keras's and torchinfo's layout.
DEFAULT_FORMAT = "summary"
