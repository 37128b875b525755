"""``print(result)``: a result prints as its table, the way Keras's ``summary()`` and
torchinfo's ``summary`` print theirs; its ``repr`` stays one short line.

The core's records hold figures and never lay them out (``render/`` does), and the core
never imports ``render/``.  So the text form is reached through one hook: each result
class (Report, CostReport, Comparison, RuntimeCheck, WeightsCheck) takes
:class:`Printable`, and ``render/__init__.py`` registers :func:`lasagne_params.render`
as the text form when it is imported — always, since the package imports it
(``lasagne_params/__init__.py``).  Until then a result prints as its ``repr``.
"""
from typing import Any, Callable, List

__all__ = ["Printable", "register_text_form"]

_TEXT_FORM: List[Callable[[Any], str]] = []      # the one registered renderer, if any


def register_text_form(render: Callable[[Any], str]) -> None:
    """Make ``str(result)`` return ``render(result)`` (``render/`` calls it once)."""
    _TEXT_FORM[:] = [render]


class Printable:
    """Mixin: ``str()`` is the registered text form (a table), ``repr()`` the class's own."""

    __slots__ = ()

    def __str__(self) -> str:
        return _TEXT_FORM[0](self) if _TEXT_FORM else repr(self)
