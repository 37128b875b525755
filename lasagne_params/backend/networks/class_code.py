"""Deriving a layer whose class has no declared kind from the class's own code.

Research code defines its own layer classes (a weight-normalised dense
layer, minibatch discrimination, a Gaussian sample layer, a deconvolution).
For a built layer of such a class, :func:`class_code_rules` gives the
derivation walk (``core/derive.py``, ``own_code=``) a rule that runs the
class's own constructor and ``get_output_shape_for`` again:

* on a fresh object of the class (the user's layer is never touched), with
  the arguments the user's code built it with (noted by
  ``bridges/layer_calls.py``), each incoming layer replaced by a stand-in
  whose output shape is the *derived* one (anything else asked of the
  stand-in is the real incoming layer's);
* with ``add_param`` answered by a recorder: the name, shape and tags of
  each array are noted, no initializer is called and no shared variable
  made (the code gets a symbolic Theano variable of that shape back, or the
  shared variable it passed in); the arrays are then read from the layer's
  ``params`` as Lasagne's ``get_params`` would (an array the code retags or
  removes, or a layer it builds inside and whose arrays it takes over);
* twice: once on plain numbers (what the class computes for this input:
  the row's figures), and once on :mod:`~lasagne_params.core.symbolic`
  sizes, the input axes named ``in[1]`` (``in0[1]``, ``in1[1]`` for several
  inputs) and each int argument by its name (``num_units``), whose texts
  give the formulas.  Where the symbolic run fails or computes other
  values (a type check on ``int``, numpy on sizes...), the row keeps the
  plain run's numbers and says why.

Each run is fenced: the class's prints are dropped, its warnings ignored,
numpy's, Python's and Lasagne's random states put back, a run stopped
after :data:`TIME_LIMIT` seconds (in the main thread, when no other alarm
is set) or :data:`~lasagne_params.core.symbolic.MAX_OPERATIONS` operations on
sizes, and anything it raises (``SystemExit`` too) becomes the row's one-line
reason: a layer whose code cannot run is "not derived", the rest of the
network is derived as before.  The rule raises only
:class:`~lasagne_params.core.errors.UnsupportedLayerError`.
"""
import contextlib
import dataclasses
import functools
import inspect
import io
import os
import threading
import traceback
import warnings

from ...core.derive import check_version
from ...core.errors import UnsupportedLayerError
from ...core.guard import call_rule
from ...core.layers.base import LayerContext
from ...core.registry import kind_of
from ...core.from_code import CodeArray, code_result, plain_shape
from ...core.symbolic import Shape, Tape
from ..bridges.compat import import_lasagne
from ..bridges.layer_calls import added_after, constructor_call, fresh_layer
from .read import (all_layers, array_keys, arrays_added, incoming_layers, labelled_params,
                   layer_kind, layer_names, short_name)

__all__ = ["class_code_rules", "derive_from_code", "TIME_LIMIT"]

#: Seconds one run of a class's code may take.
TIME_LIMIT = 10.0
#: Modules whose code is not the class's own: their comparisons are no branch of it, and
#: a failure is located in the last frame outside them.
LIBRARIES = ("lasagne", "lasagne_params", "theano", "numpy", "scipy")


class _TimeUp(BaseException):
    """A run took longer than TIME_LIMIT (a BaseException: ``except Exception`` in the
    class's code does not swallow it)."""


class _NotFollowed(Exception):
    """Something of the class's code this derivation cannot follow (the reason)."""


def class_code_rules(output_layer):
    """{layer name: rule} for each layer under ``output_layer`` whose class has no kind in
    force: ``rule(context) -> Result``, derived from the class's code."""
    layers = all_layers(output_layer)
    own = [layer for layer in layers if layer_kind(layer)[1] is None]
    added = {id(layer): arrays_added(layer) for layer in layers if layer_kind(layer)[1]}
    added = {key: labels for key, labels in added.items() if labels}
    if not own and not added:
        return {}                 # nothing of the network is read (derive's promise)
    names = layer_names(layers)

    @functools.lru_cache(maxsize=None)
    def keys():
        return array_keys(layers, names)

    rules = {names[layer]: functools.partial(derive_from_code, layer, keys) for layer in own}
    for layer in layers:
        if id(layer) in added:
            noted = added_after(layer)
            extra = added[id(layer)]
            if all(id(param) in noted for param, _ in extra):
                rule = functools.partial(_with_added, [
                    (label, noted[id(param)], layer.params.get(param, set()))
                    for param, label in extra])
            else:
                rule = functools.partial(_added_after, [label for _, label in extra])
            rules[names[layer]] = rule
    return rules


def _added_after(labels, context):
    """The rule of a layer of a declared kind holding arrays added from outside after it
    was built, the calls not noted: its kind's rule would leave them out, so the row is not
    derived (Lasagne's figures, with the reason), never a smaller count."""
    raise UnsupportedLayerError(
        "the layer holds %s, which its constructor does not make (added after it was built, "
        "layer.add_param from outside its class)" % ", ".join(labels),
        layer=context.spec.name, kind=context.spec.kind, field="kind")


def _with_added(extra, context):
    """The rule of a layer of a declared kind to which code added arrays after it was
    built, each ``add_param`` call noted (``bridges/layer_calls.py``): its kind's rule, and
    each added array with the shape the call gave, said in the note.  ``extra``: [(label,
    (shape, where), tags)]."""
    spec = context.spec
    kind = kind_of(spec.kind, layer=spec.name)
    check_version(spec, kind, context.version)
    full = LayerContext(spec, context.input_shapes, context.key_prefix, context._subnet,
                        context.version, kind.defaults_for(context.version))
    result = call_rule(kind, full)
    arrays = tuple(context.param_array(label, shape, "trainable" in tags,
                                       "regularizable" in tags)
                   for label, (shape, _), tags in extra)
    sizes = ["*".join(str(d) for d in shape) or "1" for _, (shape, _), _ in extra]
    formula = " + ".join(([result.param_formula] if result.param_formula else []) + sizes)
    said = "; ".join("%s (%s) added after it was built (add_param at %s)"
                     % (label, ", ".join(map(str, shape)), where)
                     for label, (shape, where), _ in extra)
    return dataclasses.replace(result, param_arrays=tuple(result.param_arrays) + arrays,
                               param_formula=formula,
                               note="; ".join(n for n in (result.note, said) if n))


def derive_from_code(layer, keys, context):
    """The Result of ``layer`` from its class's code, for the input shapes ``context``
    gives; ``keys()`` ({id(array): key}) names the arrays it shares with earlier layers."""
    cls = type(layer)
    call = constructor_call(layer)
    if call is None:
        raise _unsupported(context, "the arguments it was built with were not noted (it "
                           "was built before lasagne_params.install_compat(), or copied)")
    incomings = incoming_layers(layer)
    shapes = [tuple(shape) for shape in context.input_shapes]
    name = context.key_prefix + context.spec.name
    if len(incomings) != len(shapes):
        raise _unsupported(context, "it has %d incoming layers, its spec %d"
                           % (len(incomings), len(shapes)))
    with _fenced():
        try:
            arrays, output = _run(cls, call, incomings, shapes, keys, name, layer.name, None)
        except (KeyboardInterrupt, GeneratorExit):
            raise
        except BaseException as exc:
            raise _unsupported(context, "its code fails on the derived input shape%s %s: %s"
                               % ("s" if len(shapes) > 1 else "",
                                  ", ".join(map(_shape_text, shapes)), _reason(exc))) \
                from None
        tape = Tape(LIBRARIES)
        try:
            symbolic = _run(cls, call, incomings, _symbolic_shapes(shapes, tape), keys, name,
                            layer.name, tape)
            why = _differs((arrays, output), symbolic)
        except (KeyboardInterrupt, GeneratorExit):
            raise
        except BaseException as exc:
            why = "on symbolic sizes: %s" % _reason(exc)
    try:
        held = _held(layer)
        arrays, removed = _as_held(arrays, held)
        if why:
            result = code_result(context, arrays, output, None, why, removed)
        else:
            result = code_result(context, _as_held(symbolic[0], held)[0], symbolic[1], tape,
                                 removed=removed)
        if cls.get_params is not import_lasagne().layers.Layer.get_params:
            owner = next(k for k in cls.__mro__ if "get_params" in vars(k))
            result = dataclasses.replace(result, note=result.note + (
                "; %s.get_params also counts the arrays of objects it was given (their "
                "shapes as they are)" % owner.__name__))
        return result
    except UnsupportedLayerError:
        raise
    except Exception as exc:          # a LayerRuleError (a bad share) or a bad shape
        raise _unsupported(context, _reason(exc)) from None


def _held(layer):
    """[(label, tags)] of the arrays the built layer holds now, labels made unique as the
    recorder makes them."""
    held, seen = [], set()
    params = getattr(layer, "params", {})
    gathered = None
    for param, label in labelled_params(layer):
        while label in seen:
            label += "'"
        seen.add(label)
        if param in params:
            held.append((label, params[param]))
            continue
        if gathered is None:      # its own get_params gathers others' arrays: their tags
            gathered = ({id(p) for p in layer.get_params(trainable=True)},
                        {id(p) for p in layer.get_params(regularizable=True)})
        held.append((label, {tag for tag, ids in zip(("trainable", "regularizable"),
                                                     gathered) if id(param) in ids}))
    return held


def _as_held(arrays, held):
    """The arrays of a run as the built layer holds them now: in its order, with its tags
    (code after the constructor may retag an array: a frozen layer), without the ones it
    no longer holds (``batch_norm`` removes a bias); (arrays, removed names).  An array
    the constructor does not make (added later) cannot be derived."""
    made = {array.name: array for array in arrays}
    extra = [label for label, _ in held if label not in made]
    if extra:
        raise _NotFollowed("the layer holds %s, which its constructor does not make (added "
                           "after it was built)" % ", ".join(extra))
    kept = [dataclasses.replace(made[label], trainable="trainable" in tags,
                                regularizable="regularizable" in tags)
            for label, tags in held]
    names = {label for label, _ in held}
    return kept, tuple(array.name for array in arrays if array.name not in names)


def _unsupported(context, why):
    return UnsupportedLayerError("no layer kind %r is declared, and %s" % (context.spec.kind,
                                                                           why),
                                 layer=context.spec.name, kind=context.spec.kind,
                                 field="kind")


def _shape_text(shape):
    return "(%s)" % ", ".join("None" if d is None else str(int(d)) for d in shape)


def _reason(exc):
    """One line: the exception and the last place in the user's code it passed."""
    if isinstance(exc, _TimeUp):
        return "it did not finish in %g seconds" % TIME_LIMIT
    if isinstance(exc, SystemExit):
        return "it calls sys.exit(%r)" % (exc.code,)
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    text = text if len(text) <= 160 else text[:150] + "..."
    frames = [frame for frame in traceback.extract_tb(exc.__traceback__)
              if os.sep + "lasagne_params" + os.sep not in frame.filename]
    users = [frame for frame in frames if not any(
        "%s%s%s" % (os.sep, library, os.sep) in frame.filename for library in LIBRARIES)]
    frame = (users or frames or [None])[-1]       # the user's file, else Lasagne's...
    where = " (%s, line %d)" % (os.path.basename(frame.filename), frame.lineno) \
        if frame is not None else ""
    if isinstance(exc, _NotFollowed):
        return text + where
    return "%s%s%s" % (type(exc).__name__, ": " + text if text else "", where)


def _symbolic_shapes(shapes, tape):
    """Each input shape as a Shape of sizes ``in[i]`` (``in<k>[i]`` for several inputs)."""
    def name(k, i):
        return "in%d[%d]" % (k, i) if len(shapes) > 1 else "in[%d]" % i
    return [Shape(None if d is None else tape.symbol(d, name(k, i), axis=True)
                  for i, d in enumerate(shape)) for k, shape in enumerate(shapes)]


def _is_integer(value):
    return not isinstance(value, bool) and (isinstance(value, int) or (
        type(value).__module__ == "numpy" and hasattr(value, "__index__")))


def _symbol(value, name, tape):
    """``value`` with its ints (and the ints of a tuple or list) as sizes named by ``name``."""
    if _is_integer(value):
        return tape.symbol(int(value), name)
    if isinstance(value, (tuple, list)) and value and all(_is_integer(v) for v in value):
        return type(value)(tape.symbol(int(v), "%s[%d]" % (name, i))
                           for i, v in enumerate(value))
    return value


def _named_arguments(cls, args, kwargs, tape):
    """``(args, kwargs)`` with every int argument, given or default, a size named after
    its parameter."""
    try:
        bound = inspect.signature(cls.__init__).bind(None, *args, **kwargs)
    except (TypeError, ValueError):
        return args, kwargs               # the plain run said all there is to say
    bound.apply_defaults()                # a default is an argument too (stride=2)
    parameters = inspect.signature(cls.__init__).parameters
    for name, value in list(bound.arguments.items())[1:]:
        kind = parameters[name].kind
        if kind is inspect.Parameter.VAR_POSITIONAL:
            bound.arguments[name] = tuple(_symbol(v, "%s[%d]" % (name, i), tape)
                                          for i, v in enumerate(value))
        elif kind is inspect.Parameter.VAR_KEYWORD:
            bound.arguments[name] = {k: _symbol(v, k, tape) for k, v in value.items()}
        else:
            bound.arguments[name] = _symbol(value, name, tape)
    return bound.args[1:], bound.kwargs


def _stand_in_class():
    """The class of the stand-ins for incoming layers (made once Lasagne is imported)."""
    global _StandIn
    if _StandIn is None:
        base = import_lasagne().layers.Layer

        class IncomingStandIn(base):
            """An incoming layer as the class's code sees it on a re-run: the derived
            output shape, and everything else the real layer's."""

            def __init__(self, original, shape):
                self.__dict__.update(_original=original, _shape=shape)

            def __getattr__(self, name):
                if name.startswith("__"):
                    raise AttributeError(name)
                return getattr(self.__dict__["_original"], name)

            @property
            def output_shape(self):
                return self.__dict__["_shape"]

            def get_output_shape_for(self, input_shape):
                return self.__dict__["_shape"]

            def get_output_for(self, *args, **kwargs):
                return self.__dict__["_original"].get_output_for(*args, **kwargs)

        _StandIn = IncomingStandIn
    return _StandIn


_StandIn = None


def _replaced(value, stand_ins, depth=0):
    """``value`` with each incoming layer replaced by its stand-in (in lists and tuples
    too, two levels deep)."""
    if id(value) in stand_ins:
        return stand_ins[id(value)]
    if depth < 2 and type(value) in (list, tuple) and any(
            id(v) in stand_ins or type(v) in (list, tuple) for v in value):
        return type(value)(_replaced(v, stand_ins, depth + 1) for v in value)
    return value


class _Recorder:
    """``add_param`` of the re-run object, as Lasagne's but making no array.

    Like Lasagne's it registers what it returns in the layer's ``params``
    with the tags that are true (so that code retagging or removing an
    array afterwards, ``self.params[self.W] = set(["quantized"])``, is
    followed); it returns a symbolic Theano variable of the shape, or the
    shared variable it was given.  :meth:`arrays` reads ``params`` after the
    run.
    """

    def __init__(self, layer, keys, layer_name, built_name):
        self.layer, self.keys, self.layer_name = layer, keys, layer_name
        self.built_name = built_name
        self.made, self._names, self._counted = {}, set(), set()

    def _label(self, name):
        label = str(name)
        while label in self._names:
            label += "'"
        self._names.add(label)
        return label

    def add_param(self, spec, shape, name=None, **tags):
        import theano
        shape = tuple(shape)
        for dim in shape:
            if not _is_integer(dim) or int(dim) < 0:
                raise _NotFollowed("add_param got the shape %r" % (shape,))
        if isinstance(spec, theano.Variable) and not isinstance(
                spec, theano.compile.SharedVariable):
            # master keeps an expression (create_param) and get_params counts the arrays
            # it is computed from (DRAW's sample: a random stream's state)
            from theano.graph.basic import graph_inputs
            if not any(isinstance(v, theano.compile.SharedVariable)
                       for v in graph_inputs([spec])):
                raise _NotFollowed("add_param got a Theano expression of no array as %s"
                                   % name)
            tags = dict(tags)
            tags.setdefault("trainable", True)
            tags.setdefault("regularizable", True)
            self.layer.params[spec] = set(tag for tag, value in tags.items() if value)
            return spec
        given = getattr(spec, "shape", None)
        if isinstance(given, tuple) and not isinstance(spec, theano.Variable) and \
                tuple(given) != plain_shape(shape):
            raise _NotFollowed("add_param got an array of shape %r for shape %r"
                               % (given, plain_shape(shape)))
        if isinstance(spec, theano.Variable):
            variable = spec
        else:
            broadcastable = tuple(int(d) == 1 for d in plain_shape(shape))
            variable = theano.tensor.TensorType(theano.config.floatX, broadcastable)(name)
        if id(variable) not in self.made:       # a shared variable goes by its own name
            label = short_name(variable.name, self.built_name) if variable is spec else name
            self.made[id(variable)] = (variable, self._label(label), shape)
        tags = dict(tags)
        tags.setdefault("trainable", True)
        tags.setdefault("regularizable", True)
        self.layer.params[variable] = set(tag for tag, value in tags.items() if value)
        return variable

    def _sources(self, expression, tags):
        """CodeArrays of the arrays an expression given as an array is computed from, as
        master's get_params counts them (each once; their shapes as they are)."""
        import theano
        from theano.graph.basic import graph_inputs
        found = []
        for source in graph_inputs([expression]):
            if not isinstance(source, theano.compile.SharedVariable) or \
                    id(source) in self._counted:
                continue
            self._counted.add(id(source))
            label = self._label(short_name(source.name, self.built_name))
            shared = self.keys.get(id(source))
            if shared == "%s.%s" % (self.layer_name, label):
                shared = None
            found.append(CodeArray(label, tuple(source.get_value(borrow=True).shape),
                                   "trainable" in tags, "regularizable" in tags, shared))
        return found

    def gathered(self):
        """CodeArrays of the arrays a class's own ``get_params`` adds to the layer's
        ``params`` (NTM's controller, memory and heads, passed to its constructor; a
        ``CustomRecurrentLayer`` subclass's sub-networks), in its order, their shapes as
        numbers (the arrays of objects the constructor was given); [] when the class keeps
        Lasagne's ``get_params``.  Lasagne's ``get_params`` answers for the layer's own
        arrays meanwhile (the recorder's are symbolic: Lasagne's would drop them)."""
        import theano
        base = import_lasagne().layers.Layer
        if type(self.layer).get_params is base.get_params:
            return []
        layer, original = self.layer, base.get_params

        def own_first(this, **tags):
            if this is not layer:
                return original(this, **tags)
            only = {tag for tag, value in tags.items() if value}
            exclude = {tag for tag, value in tags.items() if not value}
            return [v for v, held in this.params.items()
                    if only <= held and not exclude & held]

        base.get_params = own_first
        try:
            every = list(layer.get_params())
            trainable = {id(v) for v in layer.get_params(trainable=True)}
            regularizable = {id(v) for v in layer.get_params(regularizable=True)}
        finally:
            base.get_params = original
        found, seen = [], {id(v) for v in layer.params}
        for variable in every:
            if id(variable) in seen:
                continue
            seen.add(id(variable))
            if not isinstance(variable, theano.compile.SharedVariable):
                raise _NotFollowed("its get_params gives %r, which is no array" % (variable,))
            label = self._label(short_name(variable.name, self.built_name))
            shared = self.keys.get(id(variable))
            if shared == "%s.%s" % (self.layer_name, label):
                shared = None
            found.append(CodeArray(label, tuple(variable.get_value(borrow=True).shape),
                                   id(variable) in trainable, id(variable) in regularizable,
                                   shared))
        return found

    def arrays(self):
        """CodeArrays of the layer's ``params`` after the run, in their order: made by
        add_param (their shapes as the code gave them), or shared variables the code
        registered itself (a layer built inside it: their shapes as numbers)."""
        import theano
        found = []
        for variable, tags in getattr(self.layer, "params", {}).items():
            if id(variable) in self.made:
                _, label, shape = self.made[id(variable)]
            elif isinstance(variable, theano.compile.SharedVariable):
                label = self._label(short_name(variable.name, self.built_name))
                shape = tuple(variable.get_value(borrow=True).shape)
            elif isinstance(variable, theano.Variable):     # an expression (master)
                found.extend(self._sources(variable, tags))
                continue
            else:
                raise _NotFollowed("its constructor registers %r as an array" % (variable,))
            shared = self.keys.get(id(variable))
            if shared == "%s.%s" % (self.layer_name, label):
                shared = None             # its own array (a shared variable made for it)
            found.append(CodeArray(label, shape, "trainable" in tags,
                                   "regularizable" in tags, shared))
        return found


def _run(cls, call, incomings, shapes, keys, name, built_name, tape):
    """(CodeArrays, output shape) of one run of ``cls``'s code on ``shapes``, for the layer
    called ``name``; stopped after TIME_LIMIT seconds."""
    with _time_limit(TIME_LIMIT):
        return _run_once(cls, call, incomings, shapes, keys, name, built_name, tape)


def _run_once(cls, call, incomings, shapes, keys, name, built_name, tape):
    args, kwargs = call
    StandIn = _stand_in_class()
    stand_ins = {id(layer): StandIn(layer, shape) for layer, shape in zip(incomings, shapes)}
    args = [_replaced(a, stand_ins) for a in args]
    kwargs = {k: _replaced(v, stand_ins) for k, v in kwargs.items()}
    if tape is not None:
        args, kwargs = _named_arguments(cls, args, kwargs, tape)
    layer = fresh_layer(cls)
    recorder = _Recorder(layer, keys(), name, built_name)
    layer.add_param = recorder.add_param
    cls.__init__(layer, *args, **kwargs)
    output = tuple(layer.output_shape)
    return recorder.arrays() + recorder.gathered(), output


def _differs(plain, symbolic):
    """Why the symbolic run's figures are not the plain run's, or ``""``."""
    (arrays, output), (others, other_output) = plain, symbolic
    if plain_shape(output) != plain_shape(other_output):
        return "on symbolic sizes its output shape is %s, on numbers %s" % (
            _shape_text(plain_shape(other_output)), _shape_text(plain_shape(output)))
    mine = [(a.name, plain_shape(a.shape), a.trainable, a.regularizable) for a in arrays]
    theirs = [(a.name, plain_shape(a.shape), a.trainable, a.regularizable) for a in others]
    if mine != theirs:
        return "on symbolic sizes it makes other arrays"
    return ""


@contextlib.contextmanager
def _fenced():
    """The runs' fence: prints dropped, warnings ignored, random states put back (each run
    has its own time limit)."""
    import random

    import numpy
    lasagne_rng = import_lasagne().random.get_rng()
    states = (random.getstate(), numpy.random.get_state(),
              lasagne_rng.get_state() if hasattr(lasagne_rng, "get_state") else None)
    sink = io.StringIO()
    try:
        with warnings.catch_warnings(), contextlib.redirect_stdout(sink), \
                contextlib.redirect_stderr(sink):
            warnings.simplefilter("ignore")
            yield
    finally:
        random.setstate(states[0])
        numpy.random.set_state(states[1])
        if states[2] is not None:
            lasagne_rng.set_state(states[2])


@contextlib.contextmanager
def _time_limit(seconds):
    """Raise _TimeUp in the block after ``seconds`` (main thread only, and only when no
    other alarm is set: the user's or a test runner's stays as it was)."""
    import signal
    if threading.current_thread() is not threading.main_thread() or \
            not hasattr(signal, "setitimer") or signal.getitimer(signal.ITIMER_REAL)[0] or \
            signal.getsignal(signal.SIGALRM) not in (signal.SIG_DFL, signal.SIG_IGN, None):
        yield
        return

    def stop(signum, frame):
        raise _TimeUp()

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
