"""Jupyter: results shown as HTML tables, pictures as SVG.

:func:`register` tells IPython's HTML formatter how to show a Report, a
CostReport, a Comparison and a RuntimeCheck (:func:`lasagne_params.render.html.render_html`):
in a notebook, ``lp.derive(net)``, ``lp.compare(net)`` and
``lp.verify_runtime(net)`` then display as tables, and ``lp.draw(net)``
(no path) as the picture.  ``import lasagne_params`` registers them itself
when it is imported inside IPython; nothing happens elsewhere, and IPython
is never imported by this package.
"""
import sys

from .render.html import HTML_TYPES, render_html

__all__ = ["register"]


def _shell():
    ipython = sys.modules.get("IPython")
    get_ipython = getattr(ipython, "get_ipython", None)
    return get_ipython() if get_ipython is not None else None


def register(shell=None):
    """Register the HTML forms with ``shell`` (default: the running IPython); True if done."""
    shell = shell if shell is not None else _shell()
    formatters = getattr(getattr(shell, "display_formatter", None), "formatters", None)
    if not formatters or "text/html" not in formatters:
        return False
    for cls, _ in HTML_TYPES:
        formatters["text/html"].for_type(cls, render_html)
    return True
