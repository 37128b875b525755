"""Each layer's figures told in sentences, with the layer's own numbers.

An explainer takes a derived row, its inputs as ``(name, shape)`` pairs and
whether it is the network's last layer, and returns sentences.  A kind may
declare its own (``LayerKind.explain``); otherwise its family's is used
(:data:`FAMILY_EXPLAINERS`), and failing that :func:`generic`.  Every number
comes from the row (shapes, parameter arrays, formulas); nothing is
recomputed here.
"""
from ..text import plural, shape_text, thousands

__all__ = ["FAMILY_EXPLAINERS", "generic", "input_layer", "convolution",
           "transposed_convolution", "dilated_convolution", "locally_connected", "pooling",
           "max_pooling", "dense", "same_shape", "sharing"]


def _size(shape):
    """A shape without the batch axis, or "a scalar" when nothing is left."""
    return shape_text(shape) or "a scalar"


def _derivation(row):
    """The per-axis part of the shape formula: ``(28-(5-1))=24``."""
    return row.shape_formula.split(" -> ")[0] if row.shape_formula else ""


def _array(row, name):
    return next((a for a in row.param_arrays if a.name == name), None)


def _head(row):
    return "Layer %d, %s (%s)" % (row.index, row.name, row.kind)


def _sources(inputs):
    """``the 1x28x28 output of input`` (joined with "and" for several inputs)."""
    return " and ".join("the %s output of %s" % (_size(shape), name)
                        for name, shape in inputs) or "nothing"


def _along(row):
    """``along each axis``, or ``along the axes`` when the axes differ."""
    return "along the axes" if "," in _derivation(row) else "along each axis"


def input_layer(row, inputs, last):
    if row.output_shape and row.output_shape[0] is None:
        data = "%s per example, batch size left open" % _size(row.output_shape)
    else:
        data = "batches of %s" % shape_text(row.output_shape)
    return ["%s, declares the data the network receives: %s. It holds no weights: "
            "0 parameters." % (_head(row), data)]


def convolution(row, inputs, last):
    """Convolutions: W is (filters, channels, *window)."""
    weights = _array(row, "W")
    if weights is None or len(weights.shape) < 3:
        return generic(row, inputs, last)
    return _convolution(row, inputs, weights, weights.shape[0], weights.shape[1],
                        "convolves")


def transposed_convolution(row, inputs, last):
    """Transposed convolutions: W is (channels, filters, *window)."""
    return _channels_first(row, inputs, last, "transposes a convolution over")


def dilated_convolution(row, inputs, last):
    """Dilated convolutions: W is (channels, filters, *window)."""
    return _channels_first(row, inputs, last, "convolves (dilated)")


def _channels_first(row, inputs, last, verb):
    weights = _array(row, "W")
    if weights is None or len(weights.shape) < 3:
        return generic(row, inputs, last)
    return _convolution(row, inputs, weights, weights.shape[1], weights.shape[0], verb)


def locally_connected(row, inputs, last):
    """LocallyConnected2DLayer: a filter bank for every output position."""
    weights = _array(row, "W")
    if weights is None or len(weights.shape) < 5:
        return generic(row, inputs, last)
    positions = weights.shape[-2:]
    text = ["%s, filters %s like a convolution, but with a separate bank of %d filters for "
            "each of the %s output positions (no weight sharing): W is %s = %s weights."
            % (_head(row), _sources(inputs), weights.shape[0],
               "x".join(str(d) for d in positions), "x".join(str(d) for d in weights.shape),
               thousands(weights.size))]
    text.append("In all: %s = %s parameters; the output is %s."
                % (row.param_formula, thousands(row.params), _size(row.output_shape)))
    return text


def _convolution(row, inputs, weights, filters, channels, verb):
    """``weights``: the W array, holding ``filters`` filters over ``channels`` channels
    (in the order its kind gives them) and the window after them."""
    window = weights.shape[2:]
    box = "x".join(str(d) for d in window)
    per_filter = "*".join(str(d) for d in tuple(window) + (channels,))
    size = weights.size
    text = ["%s, %s %s with %d filters of %s. A filter covers its window in every "
            "one of the %s, so each holds %s = %s weights, %s*%d = %s for the layer."
            % (_head(row), verb, _sources(inputs), filters, box,
               plural(channels, "input channel"), per_filter,
               thousands(size // filters), per_filter, filters, thousands(size))]
    bias = _array(row, "b")
    if bias is None:
        text.append("Without biases (b=None) that is the whole count: %s = %s parameters."
                    % (row.param_formula, thousands(row.params)))
    elif len(bias.shape) > 1:
        text.append("Its biases are untied, one for every filter at every output position "
                    "(%s of them): %s = %s parameters."
                    % (thousands(bias.size), row.param_formula, thousands(row.params)))
    else:
        text.append("With one bias per filter (%d) that is %s = %s parameters."
                    % (filters, row.param_formula, thousands(row.params)))
    if _derivation(row):
        text.append("Along each axis %s, so the output is %s."
                    % (_derivation(row), _size(row.output_shape)) if verb != "convolves"
                    else "A %s window fits %s times %s, so the output is %s."
                    % (box, _derivation(row), _along(row), _size(row.output_shape)))
    return text


def pooling(row, inputs, last):
    """Pooling that keeps one value of each window (the pool family's words)."""
    return _pooling(row, inputs, "one value")


def max_pooling(row, inputs, last):
    """Max pooling: keeps the largest value of each window."""
    return _pooling(row, inputs, "the largest value")


def _pooling(row, inputs, what):
    if _derivation(row):
        shape = "%s windows %s, so the output is %s" % (_derivation(row), _along(row),
                                                       _size(row.output_shape))
    else:
        shape = "the output is %s" % _size(row.output_shape)
    return ["%s, keeps %s of each window of %s: %s. Summarising a window takes no "
            "weights: 0 parameters." % (_head(row), what, _sources(inputs), shape)]


def dense(row, inputs, last):
    weights = _array(row, "W")
    if weights is None or len(weights.shape) != 2:
        return generic(row, inputs, last)
    n, m = weights.shape
    dims = [d for _, shape in inputs for d in shape[1:]]
    n_text = ("n = %s = %s" % ("*".join(str(d) for d in dims), thousands(n))
              if len(dims) > 1 else "n = %s" % thousands(n))
    role = " It is the network's output layer." if last else ""
    text = ["%s, connects each of the %s values of %s with each of its m = %s units, one "
            "weight per pair: n*m = %s*%s = %s weights.%s"
            % (_head(row), n_text, _sources(inputs), thousands(m), thousands(n),
               thousands(m), thousands(weights.size), role)]
    if _array(row, "b") is None:
        text.append("Without biases (b=None): %s = %s parameters."
                    % (row.param_formula, thousands(row.params)))
    else:
        text.append("One bias per unit makes it (n+1)*m = %s = %s parameters."
                    % (row.param_formula, thousands(row.params)))
    text.append("Its output is %s per example." % _size(row.output_shape))
    return text


def same_shape(row, inputs, last):
    return ["%s, hands %s on unchanged in shape; it alters values only and holds no "
            "weights: 0 parameters." % (_head(row), _sources(inputs))]


def generic(row, inputs, last):
    how = " (%s)" % _derivation(row) if _derivation(row) else ""
    text = ["%s, turns %s into %s%s." % (_head(row), _sources(inputs),
                                        _size(row.output_shape), how)]
    if not row.param_arrays:
        text.append("It holds no weights: 0 parameters.")
    else:
        arrays = ", ".join("%s %s = %s" % (a.name, "x".join(str(d) for d in a.shape) or "1",
                                           thousands(a.size)) for a in row.param_arrays)
        text.append("Its parameter arrays are %s: %s = %s parameters."
                    % (arrays, row.param_formula or "the sum", thousands(row.params)))
    return text


def sharing(row):
    """Sentences about arrays shared with other layers or not trainable."""
    own = "%s." % row.name
    notes = []
    for array in row.param_arrays:
        if array.key and not array.key.startswith(own):
            notes.append("Its %s is the same array as %s, so the network counts it once."
                         % (array.name, array.key))
        if not array.trainable:
            notes.append("Its %s (%s) is not trainable, so it is left out of the "
                         "learnable count." % (array.name, plural(array.size, "value")))
    return notes


#: The explanation of each family's kinds, unless a kind declares its own.
FAMILY_EXPLAINERS = {
    "input": input_layer,
    "conv": convolution,
    "pool": pooling,
    "dense": dense,
    "noise": same_shape,
}
