"""The exceptions lasagne_params raises: one line each, naming where and what.

Every error carries the place it concerns (``file``, ``layer``, ``kind``,
``field``) as attributes, and its ``str()`` is a single line such as::

    net.json: layer 'conv2d1' (Conv2DLayer): filter_size: expected a positive int or a pair of them, got -5

The CLI prints that line and exits with status 2.
"""
import difflib

__all__ = ["LasagneParamsError", "LayerRuleError", "UnsupportedLayerError",
           "SpecError", "DrawError", "close_matches", "lookup_kind"]


def close_matches(word, candidates, n=3, cutoff=0.5):
    """The candidates closest to ``word`` (for "did you mean" hints)."""
    return difflib.get_close_matches(str(word), sorted(candidates), n=n, cutoff=cutoff)


class LasagneParamsError(ValueError):
    """Base class: a problem with a network description, reported in one line.

    Parameters
    ----------
    message : str
        What is wrong, e.g. ``"expected a positive int, got 0"``.
    file, layer, kind, field : str or None
        Where: the spec file, the layer's name, its Lasagne type, the
        hyper-parameter.  Each is optional; those given prefix the message.
    """

    def __init__(self, message, *, file=None, layer=None, kind=None, field=None):
        self.message = str(message)
        self.file = file
        self.layer = layer
        self.kind = kind
        self.field = field
        super().__init__(self.message)

    def located(self, **where):
        """A copy of this error with more location filled in (existing kept)."""
        kwargs = dict(file=self.file, layer=self.layer, kind=self.kind, field=self.field)
        for key, value in where.items():
            if kwargs.get(key) is None:
                kwargs[key] = value
        clone = type(self).__new__(type(self))
        clone.__dict__.update(self.__dict__)
        LasagneParamsError.__init__(clone, self.message, **kwargs)
        return clone

    def __str__(self):
        parts = []
        if self.file:
            parts.append(str(self.file))
        if self.layer is not None and self.kind:
            parts.append("layer %r (%s)" % (self.layer, self.kind))
        elif self.layer is not None:
            parts.append("layer %r" % (self.layer,))
        elif self.kind:
            parts.append(self.kind)
        if self.field:
            parts.append(str(self.field))
        parts.append(self.message)
        return ": ".join(parts).replace("\n", " ")


class LayerRuleError(LasagneParamsError):
    """A layer's hyper-parameters are invalid or give an impossible shape."""


class UnsupportedLayerError(LasagneParamsError):
    """No rule is registered for this layer type.

    ``suggestions`` holds the closest known type names.
    """

    def __init__(self, message, *, suggestions=(), **where):
        self.suggestions = list(suggestions)
        super().__init__(message, **where)


class SpecError(LasagneParamsError):
    """A network description (spec file, keyword, graph) is malformed."""


class DrawError(LasagneParamsError):
    """A picture cannot be made: unknown file format, or Graphviz is not installed."""


def lookup_kind(table, kind, layer=None, what="rule", note=""):
    """``table[kind]``, or an UnsupportedLayerError naming the closest kinds in ``table``.

    Parameters
    ----------
    table : dict
        Lasagne class name -> rule (``registry.RULES``, ``costs.COSTS``).
    kind : str
        The Lasagne class name looked up.
    layer : str, optional
        The name of the layer being derived, for the message.
    what : str
        What the table holds, as the message says it: ``no <what> for layer type ...``.
    note : str
        Appended to the message.

    Raises
    ------
    UnsupportedLayerError
        With ``field="kind"`` and the close matches as ``suggestions``.
    """
    try:
        return table[kind]
    except (KeyError, TypeError):
        hints = close_matches(kind, table)
        if hints:
            hint = "; did you mean %s?" % " or ".join(hints)
        else:       # nothing close: still name the nearest, so the user has a lead
            hints = close_matches(kind, table, cutoff=0)
            hint = "; closest known types: %s" % ", ".join(hints) if hints else ""
        raise UnsupportedLayerError("no %s for layer type %r%s%s" % (what, kind, hint, note),
                                    layer=layer, field="kind", suggestions=hints) from None
