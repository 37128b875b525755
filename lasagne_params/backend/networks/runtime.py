"""Running a network: the shapes Theano really computes, beside both static ones.

:func:`verify_runtime` compiles one Theano function returning every layer's
output (``deterministic=True``), feeds it a real batch, and puts each array's
shape beside the derived shape and Lasagne's static ``output_shape``
(:mod:`lasagne_params.core.runtime_check` judges them).
"""
import weakref
from typing import Any, Optional

from ...core.derive import derive_specs
from ...core.errors import ArgumentError, SpecError
from ...core.runtime_check import RuntimeCheck, compare_runtime
from ..bridges.compat import import_lasagne
from .memory import check_run
from .read import (all_layers, is_lasagne_layer, layer_names, network_version, plain,
                   report_from_lasagne,
                   specs_from_lasagne)

__all__ = ["verify_runtime", "runtime_shapes", "layer_outputs_function", "input_layers"]


def input_layers(output_layer):
    """The InputLayers under ``output_layer``, in ``get_all_layers`` order."""
    lasagne = import_lasagne()
    return [layer for layer in lasagne.layers.get_all_layers(output_layer)
            if isinstance(layer, lasagne.layers.InputLayer)]


# output layer -> compiled function; dropped with the network.
_OUTPUT_FUNCTIONS = weakref.WeakKeyDictionary()


def layer_outputs_function(output_layer):
    """One compiled Theano function: input batch -> every layer's output array.

    Outputs are deterministic (dropout and noise off) and in
    ``get_all_layers`` order.  The function is compiled once per output layer
    and cached for as long as the network lives.

    Raises
    ------
    SpecError
        If the network does not have exactly one InputLayer.
    """
    cached = _OUTPUT_FUNCTIONS.get(output_layer)
    if cached is not None:
        return cached
    lasagne = import_lasagne()
    import theano
    inputs = input_layers(output_layer)
    if len(inputs) != 1:
        raise SpecError("runtime verification needs exactly one InputLayer, found %d"
                        % len(inputs))
    layers = lasagne.layers.get_all_layers(output_layer)
    outputs = lasagne.layers.get_output(layers, deterministic=True)
    function = theano.function([inputs[0].input_var], outputs)
    _OUTPUT_FUNCTIONS[output_layer] = function
    return function


def runtime_shapes(output_layer, batch):
    """The shape of every layer's output array for ``batch``, as tuples of ints.

    ``batch`` is cast to ``theano.config.floatX``; its shape must fit the
    InputLayer's declared shape (same rank, equal wherever that is not None),
    else SpecError names the InputLayer and field ``batch``.
    """
    import numpy
    import theano
    function = layer_outputs_function(output_layer)
    [layer] = input_layers(output_layer)
    batch = numpy.asarray(batch, dtype=theano.config.floatX)
    declared = tuple(layer.shape)
    if batch.ndim != len(declared) or any(
            d is not None and d != b for d, b in zip(declared, batch.shape)):
        raise SpecError("shape %s does not fit the declared %s"
                        % ("x".join(map(str, batch.shape)), plain(declared)),
                        layer=layer_names(all_layers(output_layer))[layer],
                        kind=type(layer).__name__, field="batch")
    return [tuple(int(d) for d in array.shape) for array in function(batch)]


def verify_runtime(output_layer: Any, batch: Any, source: str = "",
                   max_build_bytes: Optional[int] = None) -> RuntimeCheck:
    """Run a real batch through a Lasagne network and check every layer's shape.

    One Theano function returning every layer's output (``deterministic=True``,
    so dropout and noise layers pass values through) is compiled and called
    once on ``batch``.  Each array's shape is compared with the derived shape
    (:func:`lasagne_params.derive`) and with Lasagne's static ``output_shape``
    (:func:`lasagne_params.from_lasagne`), the batch size substituted for
    ``None`` on the batch axis; any other ``None`` (a length unknown before
    run time) accepts whatever length the array has.

    Parameters
    ----------
    output_layer : lasagne.layers.Layer
        The network's output layer; it must have exactly one InputLayer.
    batch : array_like
        Input data, e.g. ``load_mnist().X[:8]``: cast to ``theano.config.floatX``.
        Its shape must fit the InputLayer's declared shape.
    source : str, optional
        Where the batch came from, shown by the renderer.
    max_build_bytes : int, optional
        The most bytes every layer's output for the batch may take (default
        4 GiB, see :mod:`lasagne_params.backend.networks.memory`); estimated from the
        derived shapes before Theano runs anything.

    Returns
    -------
    RuntimeCheck
        ``.ok``, ``.rows`` (derived / Lasagne / runtime per layer),
        ``.mismatches``; ``lasagne_params.render(check)`` is the three-column table.

    Raises
    ------
    SpecError
        If the network has more than one InputLayer, or the batch's shape does
        not fit the InputLayer's.
    ArgumentError
        If ``output_layer`` is not a Lasagne layer.
    LimitError
        If the outputs would take more than ``max_build_bytes``.

    Examples
    --------
    >>> check = verify_runtime(net, load_mnist().X[:8])      # doctest: +SKIP
    >>> check.ok, check.rows[1].runtime                      # doctest: +SKIP
    (True, (8, 32, 24, 24))
    """
    if not is_lasagne_layer(output_layer):
        raise ArgumentError("expected a Lasagne layer, got %s" % type(output_layer).__name__,
                            field="output_layer")
    derived = derive_specs(specs_from_lasagne(output_layer), version=network_version())
    check_run(derived, _batch_length(batch), max_build_bytes)
    reported = report_from_lasagne(output_layer)
    return compare_runtime(derived, reported, runtime_shapes(output_layer, batch), source)


def _batch_length(batch):
    """The number of examples in ``batch`` (1 for a scalar; checked later against the input)."""
    import numpy
    shape = numpy.shape(batch)
    return int(shape[0]) if shape else 1
