"""Checking a layer's keywords against its constructor, without importing Lasagne.

Each kind declares its constructor's keywords (``LayerKind.keywords``);
spec files and nolearn's keywords are checked against them here, with a
suggestion for a misspelt one.  Pure Python.
"""
from ..core.errors import SpecError, did_you_mean
from ..core.registry import find_kind

__all__ = ["NONLINEARITIES", "MASTER_NONLINEARITIES", "LAYER_REFERENCES", "keywords_of",
           "check_keyword"]

# The nonlinearities of lasagne.nonlinearities only Lasagne master has.
MASTER_NONLINEARITIES = ("elu", "selu", "softplus")
# The nonlinearities of lasagne.nonlinearities that spec files may name.
NONLINEARITIES = ("identity", "leaky_rectify", "linear", "rectify", "sigmoid", "softmax",
                  "tanh", "very_leaky_rectify") + MASTER_NONLINEARITIES

# Keywords whose value names another layer of the network (nolearn's
# ``layer_reference_params``); they are edges of the graph, like ``incoming``.
# An InverseLayer's ``layer`` also brings that layer's input (Lasagne wires
# ``[incoming, layer, layer.input_layer]``).
LAYER_REFERENCES = ("mask_input", "layer", "localization_network")


def keywords_of(kind):
    """The :class:`Signature` of Lasagne class ``kind``, or None if unknown or unchecked."""
    declared = find_kind(kind)
    return declared.keywords if declared is not None else None


def check_keyword(kind, keyword, shown=None, **where):
    """Raise a :class:`SpecError` unless ``kind``'s constructor takes ``keyword``.

    ``shown`` is how the keyword was spelled by the user (``conv2d1_num_filter``
    for ``num_filter`` in nolearn's form); the suggestion is spelled alike.
    Kinds whose keywords are not declared are not checked.
    """
    sig = keywords_of(kind)
    if sig is None or keyword in sig.hyper_parameters:
        return
    shown = shown or keyword
    prefix = shown[:len(shown) - len(keyword)]
    raise SpecError("unknown keyword%s (%s takes %s)"
                    % (did_you_mean(keyword, sig.hyper_parameters, prefix=prefix), kind,
                       ", ".join(sig.hyper_parameters) or "no keywords"),
                    field=shown, kind=kind, **where)
