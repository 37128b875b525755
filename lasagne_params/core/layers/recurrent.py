"""Recurrent layers: CustomRecurrentLayer, RecurrentLayer, LSTMLayer, GRULayer.

Input ``(batch, sequence, features...)`` (the features are flattened: n is
their product), an optional second incoming layer is the ``(batch,
sequence)`` mask.  Output ``(batch, sequence) + unit shape``, or ``(batch,)
+ unit shape`` with ``only_return_final`` (an option of later Lasagne
versions; 0.1 has none).  Initial states (``hid_init``, ``cell_init``) are
parameter arrays of shape ``(1, units)``, trainable only with
``learn_init``; ``None`` in a spec means the state is given as a Theano
expression and is no parameter, as Lasagne 0.1 does with a TensorVariable.

Lasagne master also takes a layer as an initial state: it becomes one more
incoming layer (after the input and the mask, ``hid_init`` before
``cell_init``, as master's ``*_incoming_index`` attributes number them) whose
output, ``(batch,) + unit shape``, starts the recurrence; no array.  A spec
says so with ``{"layer": name}`` (``name`` among ``incoming``).
"""
import dataclasses

from .. import versions
from ..cost_records import OpTerm
from ..records import shape_size
from ..text import dims_text, product_text
from .base import LINEAR, Cost, CostContext, LayerContext, LayerKind, Result, signature

__all__ = ["KINDS", "custom_recurrent", "recurrent", "lstm", "gru", "LSTM_GATES",
           "GRU_GATES", "PEEPHOLE_GATES", "GATE_PARAMS", "STATES", "state_layer"]

LSTM_GATES = ("ingate", "forgetgate", "cell", "outgate")
GRU_GATES = ("updategate", "resetgate", "hidden_update")
PEEPHOLE_GATES = ("ingate", "forgetgate", "outgate")
# Gate(...) keyword -> the attribute name Lasagne gives the array on the layer.
GATE_PARAMS = {"W_in": "W_in_to_%s", "W_hid": "W_hid_to_%s", "W_cell": "W_cell_to_%s",
               "b": "b_%s"}
_INITIALIZER = object()     # "an initializer": the Gate default
#: The initial states, in the order master appends them to the incoming layers.
STATES = ("hid_init", "cell_init")


def state_layer(value):
    """The layer name of an initial state given as a layer (``{"layer": name}``), else None."""
    return value.get("layer") if isinstance(value, dict) else None


def _state_layers(context, states):
    """{state: input shape} of the initial states (of ``states``) given as layers (master)."""
    named = [(state, state_layer(context.get(state))) for state in STATES if state in states]
    named = [(state, layer) for state, layer in named if layer is not None]
    if not named:
        return {}
    if not context.behaviour.state_layers:
        raise context.error("a layer as an initial state is Lasagne master's; Lasagne %s takes "
                            "an array, an initializer or a Theano expression"
                            % versions.version_label(context.version), named[0][0])
    extra = list(zip(context.spec.incoming, context.input_shapes))[1:]
    states = extra[len(extra) - len(named):]
    for (state, layer), (name, _) in zip(named, states):
        if name != layer:
            raise context.error("names layer %r, but that is not the incoming layer in its place "
                                "(input, mask, hid_init, cell_init): %r"
                                % (layer, tuple(context.spec.incoming)), state)
    return {state: shape for (state, _), (_, shape) in zip(named, states)}


def _sequence(context, states=("hid_init",)):
    """(batch, sequence, n, n as text, {state given as a layer: its shape}), after
    checking input, mask, the layers of ``states`` and scan options."""
    shape = context.input_shape
    if len(shape) < 3:
        raise context.error("expects a (batch, sequence, features...) input, got %r" % (shape,),
                            "incoming")
    context.require_known(shape[2:], "the feature size")
    given = _state_layers(context, states)
    others = len(context.input_shapes) - len(given)
    if others > 2:
        raise context.error("takes an input and at most one mask%s, got %d incoming layers"
                            % (" besides its initial-state layers" if given else "",
                           len(context.input_shapes)), "incoming")
    if others == 2:
        mask = context.input_shapes[1]
        if len(mask) != 2 or any(m is not None and s is not None and m != s
                                 for m, s in zip(mask, shape[:2])):
            raise context.error("the mask must be (batch, sequence) = %r, got %r"
                                % (shape[:2], mask), "mask_input")
    for name in ("backwards", "precompute_input", "only_return_final"):
        context.flag(name, name == "precompute_input")
    steps = context.get("gradient_steps", -1)
    if context.flag("unroll_scan", False):
        if steps != -1:
            raise context.error("must be -1 when unroll_scan is true, got %r" % (steps,),
                                "gradient_steps")
        if shape[1] is None:
            raise context.error("unroll_scan needs a known sequence length, got input shape %r"
                                % (shape,), "unroll_scan")
    return shape[0], shape[1], shape_size(shape[2:]), product_text(shape[2:]), given


def _result(context, batch, seq, unit_shape, arrays, formula, note=""):
    if context.get("only_return_final", False):
        out = (batch,) + tuple(unit_shape)
    else:
        out = (batch, seq) + tuple(unit_shape)
    return Result(out, "", tuple(t for t in arrays if t is not None), formula, note)


def _init_state(context, name, shape, learn_init, given):
    """``hid_init``/``cell_init``: an array ``(1,) + shape[1:]`` trainable with learn_init;
    or None, for an expression or a layer (``given``: {state: shape}), whose output must be
    ``shape``."""
    if name in given:
        if not _compatible(given[name], shape):
            raise context.error("its layer must output (batch,) + the unit shape = %r, got %r"
                                % (shape, given[name]), name)
        return None
    if not context.has_param(name):
        return None
    return context.param_array(name, (1,) + tuple(shape[1:]), trainable=learn_init,
                               regularizable=False)


def _init_text(states):
    present = [s for s in states if s is not None]
    if not present:
        return ""
    unit = dims_text(present[0].shape)
    return " + %s" % unit if len(present) == 1 else " + %d*%s" % (len(present), unit)


def recurrent(context: LayerContext) -> Result:
    """RecurrentLayer: ``(n+u+1)*u`` (W_in_to_hid n x u, W_hid_to_hid u x u, b u) + hid_init u."""
    batch, seq, n, n_text, given = _sequence(context)
    units = context.positive_int("num_units")
    learn_init = context.flag("learn_init", False)
    hid_init = _init_state(context, "hid_init", (batch, units), learn_init, given)
    arrays = [hid_init, context.param_array("W_in_to_hid", (n, units))]
    if context.has_param("b"):
        arrays.append(context.param_array("b", (units,), regularizable=False))
        formula = "(%s+%d+1)*%d" % (n_text, units, units)
    else:
        formula = "(%s+%d)*%d" % (n_text, units, units)
    arrays.append(context.param_array("W_hid_to_hid", (units, units)))
    return _result(context, batch, seq, (units,), arrays, formula + _init_text([hid_init]),
                   "Lasagne 0.1 names W_in_to_hid and W_hid_to_hid alike (the layer's "
                   "name + '.W')")


def _gate_value(context, gate, part):
    """(attribute name, spec value) of one gate array: ``W_in_to_ingate`` or
    ``{"ingate": {"W_in": ...}}``; absent means Lasagne's default initializer."""
    flat = GATE_PARAMS[part] % gate
    if flat in context.spec.args:
        return flat, context.spec.args[flat]
    options = context.get(gate, {})
    if not isinstance(options, dict) or not set(options) <= set(GATE_PARAMS):
        raise context.error("expected a Gate's options {W_in, W_hid, W_cell, b}, got %r"
                            % (options,), gate)
    return flat, options.get(part, _INITIALIZER)


def _gates(context, gates, n, units, peepholes=()):
    """Every gate's W_in (n x u), W_hid (u x u) and b (u); W_cell (u) for ``peepholes``."""
    arrays = []
    for gate in gates:
        for part, shape in (("W_in", (n, units)), ("W_hid", (units, units)),
                            ("b", (units,))):
            name, value = _gate_value(context, gate, part)
            if value is None:
                raise context.error("is None, but Lasagne 0.1 needs an array for every gate "
                                    "(it raises 'cannot initialize parameters')", name)
            arrays.append(context.param_array(name, shape, regularizable=part != "b", value=value))
    for gate in peepholes:
        name, value = _gate_value(context, gate, "W_cell")
        if value is None:
            raise context.error("is None, but peepholes=True needs it (Lasagne 0.1 raises "
                                "AttributeError); set peepholes=False", name)
        arrays.append(context.param_array(name, (units,), value=value))
    return arrays


def lstm(context: LayerContext) -> Result:
    """LSTMLayer: ``4*(n+u+1)*u`` for its four gates, ``3*u`` peepholes, ``2*u`` initial states.

    Each of ingate, forgetgate, cell, outgate has W_in (n x u), W_hid (u x u)
    and b (u); with ``peepholes`` (default) ingate, forgetgate and outgate
    also have W_cell (u); cell_init and hid_init are (1 x u), trainable only
    with ``learn_init`` (default False).
    """
    batch, seq, n, n_text, given = _sequence(context, STATES)
    units = context.positive_int("num_units")
    learn_init = context.flag("learn_init", False)
    peepholes = context.flag("peepholes", True)
    arrays = _gates(context, LSTM_GATES, n, units, PEEPHOLE_GATES if peepholes else ())
    states = [_init_state(context, name, (batch, units), learn_init, given)
              for name in ("cell_init", "hid_init")]
    formula = "4*(%s+%d+1)*%d" % (n_text, units, units)
    if peepholes:
        formula += " + 3*%d" % units
    return _result(context, batch, seq, (units,), arrays + states, formula + _init_text(states))


def gru(context: LayerContext) -> Result:
    """GRULayer: ``3*(n+u+1)*u`` for updategate, resetgate, hidden_update + hid_init u.

    ``learn_init`` defaults to True in Lasagne 0.1 and to False in master
    (the kind's ``version_defaults``): the trainable count differs by u.
    """
    batch, seq, n, n_text, given = _sequence(context)
    units = context.positive_int("num_units")
    learn_init = context.flag("learn_init", False)
    arrays = _gates(context, GRU_GATES, n, units)
    hid_init = _init_state(context, "hid_init", (batch, units), learn_init, given)
    formula = "3*(%s+%d+1)*%d" % (n_text, units, units)
    return _result(context, batch, seq, (units,), arrays + [hid_init],
                   formula + _init_text([hid_init]))


def _compatible(a, b):
    return len(a) == len(b) and all(x is None or y is None or x == y for x, y in zip(a, b))


def custom_recurrent(context: LayerContext) -> Result:
    """CustomRecurrentLayer: the parameters of its two sub-networks plus hid_init.

    ``args["input_to_hidden"]`` and ``args["hidden_to_hidden"]`` are the
    sub-networks as lists of LayerSpecs (output layer last), derived on
    their own; the checks are Lasagne 0.1's: with ``precompute_input`` the
    input-to-hidden network sees ``batch*sequence`` rows, and both networks'
    outputs (and the hidden-to-hidden network's input) agree after axis 0.
    """
    batch, seq, _, _, given = _sequence(context)
    learn_init = context.flag("learn_init", False)
    nets = {field: context.subnetwork(field) for field in ("input_to_hidden", "hidden_to_hidden")}
    i2h_out = nets["input_to_hidden"].layers[-1].output_shape
    h2h_last = nets["hidden_to_hidden"].layers[-1]
    if not h2h_last.incoming:
        raise context.error("its output layer must have an incoming layer", "hidden_to_hidden")
    h2h_out = h2h_last.output_shape
    h2h_in = nets["hidden_to_hidden"].layer(h2h_last.incoming[0]).output_shape
    if context.get("precompute_input", True):
        if None not in (i2h_out[0], batch, seq) and i2h_out[0] != batch * seq:
            raise context.error("with precompute_input its output has batch*sequence = %d*%d "
                                "rows, got %r" % (batch, seq, i2h_out), "input_to_hidden")
    elif None not in (i2h_out[0], h2h_out[0]) and i2h_out[0] != h2h_out[0]:
        raise context.error("without precompute_input its output must have as many rows as "
                            "hidden_to_hidden's %r, got %r" % (h2h_out, i2h_out),
                            "input_to_hidden")
    for other, what in ((h2h_out, "output"), (h2h_in, "input")):
        if not _compatible(i2h_out[1:], other[1:]):
            raise context.error("output %r must match hidden_to_hidden's %s %r after axis 0"
                                % (i2h_out, what, other), "input_to_hidden")
    unit_shape = tuple(h2h_out[1:])
    if context.has_param("hid_init") and "hid_init" not in given:
        context.require_known(unit_shape, "hidden_to_hidden's output shape (for hid_init)")
    hid_init = _init_state(context, "hid_init", (batch,) + unit_shape, learn_init, given)
    arrays = [hid_init] + [dataclasses.replace(t, name="%s/%s.%s" % (field, row.name, t.name))
                          for field, net in nets.items() for row in net.layers
                          for t in row.param_arrays]
    rows = nets["input_to_hidden"].layers + nets["hidden_to_hidden"].layers
    formula = " + ".join(row.param_formula for row in rows if row.param_formula)
    formula = (formula or "0") + _init_text([hid_init])
    return _result(context, batch, seq, unit_shape, arrays, formula)


def _steps(context, per_step, formula):
    """``per_step`` work repeated over the sequence (axis 1 of the input): (count, formula)."""
    steps = context.input_shape[1]
    if steps is None or per_step is None:
        return None, ""
    return steps * per_step, "%d*%s" % (steps, formula)


def _features(context):
    dims = context.input_shape[2:]
    if any(d is None for d in dims):
        return None, ""
    return shape_size(dims), "*".join(str(d) for d in dims) or "1"


def _gated_cost(context, gates, biases, extra_macs=0, nonlinearities=1):
    """Ops of a recurrent layer: per step, each gate's W_in and W_hid MACs, ``biases``
    bias vectors added, and ``nonlinearities`` applications per unit."""
    units = context.get("num_units")
    n, n_text = _features(context)
    per_step = None if n is None else gates * (n + units) * units + extra_macs * units
    text = "(%d*(%s+%d)*%d%s)" % (gates, n_text, units, units,
                                  "+%d*%d" % (extra_macs, units) if extra_macs else "")
    ops = [OpTerm("mac", *_steps(context, per_step, text))]
    if biases:
        ops.append(OpTerm("bias", *_steps(context, biases * units, "(%d*%d)" % (biases, units))))
    ops.append(OpTerm("elementwise", *_steps(context, nonlinearities * units,
                                            "(%d*%d)" % (nonlinearities, units))))
    return Cost(tuple(ops), None)


def recurrent_cost(context: CostContext) -> Cost:
    """RecurrentLayer: per step n*u + u*u MACs, u bias adds (unless b=None), u
    nonlinearities; receptive field n/a."""
    return _gated_cost(context, 1, 1 if context.has_param("b") else 0)


def lstm_cost(context: CostContext) -> Cost:
    """LSTMLayer: per step 4 gates' (n+u)*u MACs (+3*u peepholes), 4*u bias adds, 5*u
    nonlinearities (three sigmoid gates, the cell input, the cell's tanh); n/a."""
    peepholes = 3 if context.get("peepholes", True) else 0
    return _gated_cost(context, 4, 4, peepholes, nonlinearities=5)


def gru_cost(context: CostContext) -> Cost:
    """GRULayer: per step 3 gates' (n+u)*u MACs, 3*u bias adds, 3*u nonlinearities."""
    return _gated_cost(context, 3, 3, nonlinearities=3)


def custom_recurrent_cost(context: CostContext) -> Cost:
    """CustomRecurrentLayer: its two sub-networks' work (per row) at every step, plus the
    nonlinearity per hidden unit; receptive field n/a."""
    ops = []
    layers = [layer for field in ("input_to_hidden", "hidden_to_hidden")
              for layer in context.cost_of(list(context.get(field))).layers]
    for op in ("mac", "bias", "pool", "elementwise"):
        counts = [layer.count(op) for layer in layers]
        if not any(counts):
            continue
        total = None if None in counts else sum(counts)
        ops.append(OpTerm(op, *_steps(context, total, "(%s)" % total if total else "")))
    units = context.output_shape[1 if context.get("only_return_final", False) else 2:]
    if context.get("nonlinearity", "rectify") not in LINEAR and None not in units:
        ops.append(OpTerm("elementwise", *_steps(context, shape_size(units),
                                                "(%s)" % "*".join(map(str, units)))))
    return Cost(tuple(ops), None)


def _gate_attributes(gates, peepholes=()):
    """The attribute names Lasagne gives each gate's arrays: ``W_in_to_ingate``, ..."""
    return tuple(GATE_PARAMS[part] % gate for gate in gates
                 for part in ("W_in", "W_hid", "b")) + tuple(
        GATE_PARAMS["W_cell"] % gate for gate in peepholes)


_SCAN = ("backwards", "learn_init", "gradient_steps", "grad_clipping", "unroll_scan",
         "precompute_input", "only_return_final")
_SCAN_KEYWORDS = ("backwards learn_init gradient_steps grad_clipping unroll_scan "
                  "precompute_input mask_input only_return_final@master name")

KINDS = (
    LayerKind("CustomRecurrentLayer", custom_recurrent, custom_recurrent_cost, "recurrent",
              signature("incoming input_to_hidden hidden_to_hidden | nonlinearity hid_init "
                        + _SCAN_KEYWORDS),
              hyper_params=("nonlinearity",) + _SCAN, arrays=("hid_init",),
              subnetworks=("input_to_hidden", "hidden_to_hidden")),
    LayerKind("RecurrentLayer", recurrent, recurrent_cost, "recurrent",
              signature("incoming num_units | W_in_to_hid W_hid_to_hid b nonlinearity "
                        "hid_init " + _SCAN_KEYWORDS),
              hyper_params=(("hidden_to_hidden.num_units", "num_units"),) + _SCAN,
              arrays=("hid_init", "W_in_to_hid", "b", "W_hid_to_hid")),
    LayerKind("LSTMLayer", lstm, lstm_cost, "recurrent",
              signature("incoming num_units | ingate forgetgate cell outgate nonlinearity "
                        "cell_init hid_init backwards learn_init peepholes gradient_steps "
                        "grad_clipping unroll_scan precompute_input mask_input "
                        "only_return_final@master name"),
              hyper_params=("num_units", "peepholes") + _SCAN,
              arrays=_gate_attributes(LSTM_GATES, PEEPHOLE_GATES) + ("cell_init", "hid_init"),
              gates=LSTM_GATES),
    LayerKind("GRULayer", gru, gru_cost, "recurrent",
              signature("incoming num_units | resetgate updategate hidden_update hid_init "
                        + _SCAN_KEYWORDS),
              hyper_params=("num_units",) + _SCAN,
              arrays=_gate_attributes(GRU_GATES) + ("hid_init",), gates=GRU_GATES,
              version_defaults=(("learn_init", versions.RELEASE, True),
                                ("learn_init", versions.MASTER, False))),
)
