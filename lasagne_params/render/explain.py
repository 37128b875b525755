"""The derivation in sentences, layer by layer, as the accepted answer words it.

The answer explains each kind of layer once, in general terms, then gives a
table.  Here the same explanations are written for every layer of *this*
network with its own numbers: which inputs a convolution sees, how many
weights and biases that makes, why the output has the size it has.

Every number comes from the Report (a row's shapes, its parameter arrays,
its formulas); nothing is recomputed here.  Layer kinds without a sentence
of their own get a general one built from the same fields.
"""
from ..core.layers import shape_text, thousands
from .answer import total_line

__all__ = ["render_explain", "EXPLAINERS"]


def _plural(n, word):
    return "%s %s%s" % (thousands(n), word, "" if n == 1 else "s")


def _size(shape):
    """A shape without the batch axis, or "a scalar" when nothing is left."""
    return shape_text(shape) or "a scalar"


def _derivation(row):
    """The per-axis part of the shape formula: ``(28-(5-1))=24``."""
    return row.shape_formula.split(" -> ")[0] if row.shape_formula else ""


def _term(row, name):
    return next((t for t in row.terms if t.name == name), None)


def _sharing(row):
    """Sentences about arrays shared with other layers or not trainable."""
    own = "%s." % row.name
    notes = []
    for term in row.terms:
        if term.key and not term.key.startswith(own):
            notes.append("Its %s is the same array as %s, so the network counts it once."
                         % (term.name, term.key))
        if not term.trainable:
            notes.append("Its %s (%s) is not trainable, so it is left out of the "
                         "learnable count." % (term.name, _plural(term.size, "value")))
    return notes


def _head(row, inputs, shapes):
    """``Layer 1, conv2d1 (Conv2DLayer)`` and ``the 1x28x28 output of input``."""
    source = " and ".join("the %s output of %s" % (_size(shape), name)
                          for name, shape in zip(inputs, shapes)) or "nothing"
    return "Layer %d, %s (%s)" % (row.index, row.name, row.kind), source


def _positions(row, noun):
    """``(28-(5-1))=24 positions along each axis`` (or per axis, when they differ)."""
    derivation = _derivation(row)
    return "%s %s along %s" % (derivation, noun,
                               "the axes" if "," in derivation else "each axis")


def _input(row, inputs, shapes, last):
    head, _ = _head(row, inputs, shapes)
    return ["%s, reads the input: %s per example (the batch size, %s, is left open). "
            "All it does is read the data, so there is nothing to learn: 0 parameters."
            % (head, _size(row.output_shape), row.output_shape[0])
            if row.output_shape and row.output_shape[0] is None else
            "%s, reads the input, %s. All it does is read the data, so there is nothing "
            "to learn: 0 parameters." % (head, shape_text(row.output_shape))]


def _conv(row, inputs, shapes, last):
    weights = _term(row, "W")
    if weights is None or len(weights.shape) < 3:
        return _generic(row, inputs, shapes, last)
    k, l, window = weights.shape[0], weights.shape[1], weights.shape[2:]
    head, source = _head(row, inputs, shapes)
    box = "x".join(str(d) for d in window)
    product = "*".join(str(d) for d in window + (l, k))
    text = ["%s, takes %s, l=%d feature map%s, and has k=%d feature maps as output, with "
            "%s filters. Each filter is really %sx%d, as it spans all %d input map%s, and "
            "%d different ones are learned: %s = %s weights."
            % (head, source, l, "" if l == 1 else "s", k, box, box, l, l,
               "" if l == 1 else "s", k, product, thousands(weights.size))]
    bias = _term(row, "b")
    if bias is None:
        text.append("It has no biases (b=None), so that is all: %s = %s parameters."
                    % (row.param_formula, thousands(row.params)))
    elif len(bias.shape) > 1:
        text.append("With untied biases, one per output map and position (%s more), "
                    "that makes %s = %s parameters."
                    % (thousands(bias.size), row.param_formula, thousands(row.params)))
    else:
        text.append("There is also one bias per output map, %d more, so %s = %s "
                    "parameters." % (k, row.param_formula, thousands(row.params)))
    if _derivation(row):
        text.append("Sliding a %s window over its input gives %s, so the output is %s."
                    % (box, _positions(row, "positions"), _size(row.output_shape)))
    return text


def _pool(row, inputs, shapes, last):
    head, source = _head(row, inputs, shapes)
    how = "its maximum" if row.kind.startswith("MaxPool") else "one value"
    shape = ("%s, so the output is %s" % (_positions(row, "windows"),
                                         _size(row.output_shape))
             if _derivation(row) else "giving %s" % _size(row.output_shape))
    return ["%s, pools %s, replacing each neighbourhood by %s: %s. There is no parameter "
            "you could learn in a pooling layer: 0." % (head, source, how, shape)]


def _dense(row, inputs, shapes, last):
    weights = _term(row, "W")
    if weights is None or len(weights.shape) != 2:
        return _generic(row, inputs, shapes, last)
    n, m = weights.shape
    head, source = _head(row, inputs, shapes)
    dims = [d for shape in shapes for d in shape[1:]]
    n_text = "n = %s = %s" % ("*".join(str(d) for d in dims), thousands(n)) \
        if len(dims) > 1 else "n = %s" % thousands(n)
    role = ("is the output layer, a normal fully-connected layer" if last
            else "is fully connected")
    text = ["%s, %s. It takes %s as %s inputs, and each has a separate weight to each of "
            "its m = %s units: n*m = %s*%s = %s weights."
            % (head, role, source, n_text, thousands(m), thousands(n), thousands(m),
               thousands(weights.size))]
    if _term(row, "b") is None:
        text.append("It has no biases (b=None): %s = %s parameters."
                    % (row.param_formula, thousands(row.params)))
    else:
        text.append("Adding a bias for each unit, (n+1)*m = %s = %s parameters."
                    % (row.param_formula, thousands(row.params)))
    text.append("Its output is %s per example." % _size(row.output_shape))
    return text


def _generic(row, inputs, shapes, last):
    head, source = _head(row, inputs, shapes)
    how = " (%s)" % _derivation(row) if _derivation(row) else ""
    text = ["%s, turns %s into %s%s." % (head, source, _size(row.output_shape), how)]
    if not row.terms:
        text.append("It has no weights or biases: 0 parameters.")
    else:
        arrays = ", ".join("%s %s = %s" % (t.name, "x".join(str(d) for d in t.shape) or "1",
                                           thousands(t.size)) for t in row.terms)
        text.append("Its parameter arrays are %s: %s = %s parameters."
                    % (arrays, row.param_formula or "the sum", thousands(row.params)))
    return text


def _same_shape(row, inputs, shapes, last):
    head, source = _head(row, inputs, shapes)
    return ["%s, passes %s on in the same shape; it changes values, not sizes, and "
            "learns nothing: 0 parameters." % (head, source)]


EXPLAINERS = {
    "InputLayer": _input,
    "Conv1DLayer": _conv, "Conv2DLayer": _conv, "Conv2DDNNLayer": _conv,
    "Conv2DMMLayer": _conv, "Conv2DCCLayer": _conv,
    "MaxPool1DLayer": _pool, "MaxPool2DLayer": _pool, "Pool2DLayer": _pool,
    "MaxPool2DDNNLayer": _pool, "Pool2DDNNLayer": _pool, "MaxPool2DCCLayer": _pool,
    "DenseLayer": _dense,
    "DropoutLayer": _same_shape, "GaussianNoiseLayer": _same_shape,
    "NonlinearityLayer": _same_shape,
}


def render_explain(report):
    """A paragraph per layer, then the total, as the answer's prose with this network's numbers."""
    shapes = {row.name: row.output_shape for row in report.layers}
    used = {name for row in report.layers for name in row.incoming}
    paragraphs = []
    for row in report.layers:
        explain = EXPLAINERS.get(row.kind, _generic)
        last = row.name not in used and row.index == len(report.layers) - 1
        text = explain(row, row.incoming, [shapes[n] for n in row.incoming], last)
        paragraphs.append(" ".join(text + _sharing(row)))
    paragraphs.append("So in this network you have a total of %s learnable parameters."
                      % total_line(report))
    return "\n\n".join(paragraphs) + "\n"
