"""Does a weights file fit a network?  Shapes in, verdict out.

The network's side is its derived :class:`Report` (every parameter array's
shape from the hyper-parameters: nothing is built); the file's side is the
shapes of the arrays it holds, either flat (in Lasagne's ``get_all_params``
order: ``np.savez(f, *get_all_param_values(net))``, Recipes' ``'param
values'``, a pickled list) or by layer name (nolearn's ``save_params_to``).
:func:`check_weights` lines them up array by array and names the first
divergence the way a person would look for it:

* a bias the file lacks (the file's arrays line up again once the
  expected bias is skipped: a layer built with ``b=None``);
* an array the file has in excess (they line up once it is skipped);
* a transposed matrix (``W.T``: a DenseLayer saved from another library)
  or filters whose axes are a permutation of the expected ones
  (``c01b``, cuda-convnet's order, for ``(filters, channels, rows, cols)``);
* a different number of classes in the last layer;
* a layer the file has and the network not, or the reverse.

It also says what the loader of that layout would have done:
Lasagne's ``set_all_param_values`` (its two messages, word for word:
``mismatch: got %d values to set %d parameters``, ``mismatch: parameter has
shape %r but value to set has shape %r``) for a flat file, nolearn's
``load_params_from`` (which skips a layer whose shapes differ, saying
``Could not load parameters to layer ...``, and says nothing about a layer
the file lacks) for a named one.

Pure Python; the reading is ``backend/networks/weights.py``, the table
``render/weights.py``.
"""
from dataclasses import dataclass, replace
from typing import Any, Dict, Optional, Tuple

from .printing import Printable

__all__ = ["WeightsRow", "WeightsCheck", "check_weights", "lasagne_order", "STATUSES"]

#: status -> what it means, as the table's last column says it.
STATUSES = {
    "ok": "the shapes agree",
    "different": "the shapes differ",
    "transposed": "the file holds the transposed matrix (W.T)",
    "permuted": "the file holds the same axes in another order",
    "c01b": "cuda-convnet's c01b order (channels, rows, columns, filters)",
    "classes": "another number of classes in the last layer",
    "no bias": "the file has no such array (its next array is the next one expected)",
    "extra": "the file has an array the network does not",
    "missing": "the file has no array for it",
}


@dataclass(frozen=True, slots=True)
class WeightsRow:
    """One expected array beside the file's (either may be None), and the status."""

    layer: Optional[str]
    kind: Optional[str]
    name: Optional[str]
    expected: Optional[Tuple[int, ...]]
    found: Optional[Tuple[int, ...]]
    status: str
    position: Optional[int] = None         # the array's place in the file (flat files)

    def to_dict(self) -> Dict[str, Any]:
        return {"layer": self.layer, "kind": self.kind, "array": self.name,
                "expected": None if self.expected is None else list(self.expected),
                "in_file": None if self.found is None else list(self.found),
                "status": self.status, "position": self.position}


@dataclass(frozen=True, slots=True)
class WeightsCheck(Printable):
    """The verdict: ``rows`` array by array, ``divergence`` the first difference in
    words (None when the file fits), ``loader``/``loader_says`` what the layout's
    loader would have said (no lines: it loads without a word).  ``print(check)``
    writes its table; its repr is one line."""

    file: str
    layout: str
    layout_text: str
    network: str
    rows: Tuple[WeightsRow, ...]
    divergence: Optional[str]
    loader: str
    loader_says: Tuple[str, ...]

    def __repr__(self) -> str:
        return "WeightsCheck(ok=%r, file=%r, %d arrays)" % (self.ok, self.file, len(self.rows))

    @property
    def ok(self) -> bool:
        return self.divergence is None

    def __bool__(self) -> bool:
        return self.ok

    def to_dict(self) -> Dict[str, Any]:
        return {"file": self.file, "layout": self.layout, "network": self.network,
                "fits": self.ok, "divergence": self.divergence, "loader": self.loader,
                "loader_says": list(self.loader_says),
                "arrays": [row.to_dict() for row in self.rows]}


def lasagne_order(rows):
    """The rows in the order Lasagne's ``get_all_layers`` lists the layers: depth first
    from the outputs (the layers no other layer takes), each layer after its
    incoming layers, in the order they are given."""
    by_name = {row.name: row for row in rows}
    used = {name for row in rows for name in row.incoming}
    order, done, seen = [], set(), set()
    for output in [row.name for row in rows if row.name not in used]:
        stack = [output]
        while stack:
            name = stack[-1]
            if name not in seen:
                seen.add(name)
                stack.extend(reversed([n for n in by_name[name].incoming
                                       if n in by_name and n not in seen]))
                continue
            stack.pop()
            if name not in done:
                done.add(name)
                order.append(by_name[name])
    return order


def _shape(shape):
    return tuple(int(d) for d in shape)


def _expected_flat(report):
    """(layer, kind, array name, shape) of every distinct array, get_all_params' order."""
    out, keys = [], set()
    for row in lasagne_order(report.layers):
        for array in row.param_arrays:
            if array.key not in keys:
                keys.add(array.key)
                out.append((row.name, row.kind, array.name, _shape(array.shape)))
    return out


def _is_bias(entry):
    return len(entry[3]) == 1 and entry[2] in ("b", "beta")


def _last_layer(expected):
    return expected[-1][0] if expected else None


def _differs_by_classes(expected, found):
    """Same ndim, and the shapes differ only on the class axis (the last of a
    DenseLayer's W, the only axis of a bias, the first of a filter bank)."""
    if len(expected) != len(found) or expected == found:
        return False
    differing = [i for i, (a, b) in enumerate(zip(expected, found)) if a != b]
    return len(differing) == 1 and differing[0] in (0, len(expected) - 1)


def _diagnose(expected, found, i, j, last):
    """(status, steps in expected, steps in file) for ``expected[i]`` and ``found[j]``,
    whose shapes differ."""
    entry = expected[i]
    shape, got = entry[3], found[j]
    following = expected[i + 1] if i + 1 < len(expected) else None
    after = found[j + 1] if j + 1 < len(found) else None
    if _is_bias(entry) and following is not None and following[3] == got:
        return "no bias", 1, 0
    if after is not None and after == shape:
        return "extra", 0, 1
    if len(shape) == 2 and tuple(reversed(shape)) == got:
        return "transposed", 1, 1
    if len(shape) == 4 and got == shape[1:] + shape[:1]:
        return "c01b", 1, 1
    if len(shape) == len(got) and sorted(shape) == sorted(got):
        return "permuted", 1, 1
    if entry[0] == last and _differs_by_classes(shape, got):
        return "classes", 1, 1
    return "different", 1, 1


def _line_up(expected, found):
    """Rows for ``expected`` entries (layer, kind, name, shape) beside ``found`` shapes,
    skipping a missing bias or an extra array where that lines the rest up."""
    rows, i, j = [], 0, 0
    last = _last_layer(expected)
    while i < len(expected) or j < len(found):
        if j >= len(found):
            rows.append(WeightsRow(*expected[i], None, "missing"))
            i += 1
        elif i >= len(expected):
            rows.append(WeightsRow(None, None, None, None, found[j], "extra", j))
            j += 1
        elif expected[i][3] == found[j]:
            rows.append(WeightsRow(*expected[i], found[j], "ok", j))
            i, j = i + 1, j + 1
        else:
            status, step_i, step_j = _diagnose(expected, found, i, j, last)
            if status == "no bias":
                rows.append(WeightsRow(*expected[i], None, status))
            elif status == "extra":
                rows.append(WeightsRow(None, None, None, None, found[j], status, j))
            else:
                rows.append(WeightsRow(*expected[i], found[j], status, j))
            i, j = i + step_i, j + step_j
    return rows


def _where(row):
    return "layer %r (%s): %s" % (row.layer, row.kind, row.name)


def _text(shape):
    return "x".join(str(d) for d in shape) if shape else "a scalar"


def _divergence(rows, named):
    """The first row that is not ok, in words."""
    for index, row in enumerate(rows):
        if row.status == "ok":
            continue
        if row.status == "no bias":
            return ("%s: the file has no bias for this layer (the network's %s): its next "
                    "array, %s, is the one expected after it; was the layer saved with "
                    "b=None?" % (_where(row), _text(row.expected),
                                 _text(_next_found(rows, index))))
        if row.status == "extra":
            if row.layer is not None and row.kind is not None:
                return ("layer %r (%s): the file has an array (%s) this layer does not hold"
                        % (row.layer, row.kind, _text(row.found)))
            if row.layer is not None:
                return ("layer %r: the file has arrays for this layer and the network "
                        "has no layer of that name (an extra layer in the file)" % row.layer)
            return ("the file's array %d (%s) matches no parameter of the network: an extra "
                    "array%s" % (row.position, _text(row.found),
                                 "" if _later_ok(rows, index) else " or layer"))
        if row.status == "missing":
            if named:
                return ("%s: the file has no arrays for this layer (a missing layer; "
                        "nolearn would leave its initial values)" % _where(row))
            return ("%s: the file ends before this array (%s): a missing layer?"
                    % (_where(row), _text(row.expected)))
        return "%s: expected %s, the file has %s (%s)" % (
            _where(row), _text(row.expected), _text(row.found), STATUSES[row.status])
    return None


def _next_found(rows, index):
    for row in rows[index + 1:]:
        if row.found is not None:
            return row.found
    return ()


def _later_ok(rows, index):
    return any(row.status == "ok" for row in rows[index + 1:])


def _lasagne_says(expected, found):
    """What Lasagne's set_all_param_values raises for these shapes (its words), or ()."""
    if len(found) != len(expected):
        return ("mismatch: got %d values to set %d parameters" % (len(found), len(expected)),)
    for entry, got in zip(expected, found):
        if entry[3] != got:
            return ("mismatch: parameter has shape %r but value to set has shape %r"
                    % (entry[3], got),)
    return ()


def _named_rows(report, named):
    """Rows for a by-name file: each layer's arrays beside the file's list of that name."""
    files = dict(named)
    rows, says = [], []
    for row in lasagne_order(report.layers):
        expected = [(row.name, row.kind, a.name, _shape(a.shape)) for a in row.param_arrays]
        found = files.pop(row.name, None)
        if found is None:
            rows.extend(WeightsRow(*entry, None, "missing") for entry in expected)
            continue
        rows.extend(line if line.layer is not None else replace(line, layer=row.name,
                                                                kind=row.kind)
                    for line in _line_up(expected, list(found)))
        for entry, got in zip(expected, found):       # nolearn zips, and skips a mismatch
            if entry[3] != got:
                says.append("Could not load parameters to layer '%s' because shapes did not "
                            "match: %s vs %s." % (row.name, "x".join(map(str, entry[3])),
                                                  "x".join(map(str, got))))
    for name, found in files.items():
        if found:
            rows.extend(WeightsRow(name, None, None, None, shape, "extra") for shape in found)
    return rows, tuple(says)


def check_weights(report, file_shapes, *, file="", layout="", layout_text="", network=""):
    """Check a weights file's array shapes against ``report``'s parameter arrays.

    Parameters
    ----------
    report : Report
        The network, derived.
    file_shapes : list of shapes, or list of (layer name, list of shapes)
        The file's arrays: flat in ``get_all_params`` order, or by layer name
        (``named``: pairs); which one is told by ``layout`` (``"nolearn"``
        and ``"named npz"`` are by name).
    file, layout, layout_text, network : str
        Recorded in the result for its table.

    Returns
    -------
    WeightsCheck
    """
    named = layout in ("nolearn", "named npz", "neuralnet")
    if named:
        pairs = [(name, [_shape(s) for s in shapes]) for name, shapes in file_shapes]
        rows, says = _named_rows(report, pairs)
        loader = "nolearn's load_params_from"
    else:
        expected = _expected_flat(report)
        found = [_shape(s) for s in file_shapes]
        rows = _line_up(expected, found)
        says = _lasagne_says(expected, found)
        loader = "Lasagne's set_all_param_values"
    return WeightsCheck(file, layout, layout_text, network, tuple(rows),
                        _divergence(rows, named), loader, says)
