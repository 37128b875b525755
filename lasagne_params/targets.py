"""What a command line names as a network: a spec file, ``--zoo NAME``, or a Python file.

A spec file (``.json``, ``.yaml``, ``.yml``) is read without importing
Theano (:mod:`lasagne_params.describe.spec`); ``--zoo NAME`` is a network of
:mod:`lasagne_params.zoo`; anything else is a Python file or notebook, the
user's code, read by :mod:`lasagne_params.usercode` (``FILE.py:NAME``,
``FILE.py``).  ``--output-layer NAME`` narrows several networks to one.
"""
import importlib
import os

from .core.errors import ArgumentError, LasagneParamsError, TargetError, did_you_mean
from .core.versions import MASTER
from .describe.spec import PARSERS, read_spec_file
from .describe.zoo import MASTER_ONLY
from .usercode import Target, load_kinds, load_networks, pick

__all__ = ["resolve", "resolve_one", "zoo_network"]


def _zoo_entries(zoo):
    """{name: network or zero-argument function}: ``NETWORKS`` if the zoo has it, else ``__all__``."""
    entries = getattr(zoo, "NETWORKS", None)
    if isinstance(entries, dict):
        return entries
    return {name: getattr(zoo, name) for name in getattr(zoo, "__all__", ())
            if callable(getattr(zoo, name, None))}


def zoo_network(name):
    """The network called ``name`` in :mod:`lasagne_params.zoo`."""
    try:
        zoo = importlib.import_module("lasagne_params.zoo")
    except ImportError as exc:
        raise TargetError("the network zoo is not available (%s)" % exc,
                          field="--zoo") from exc
    entries = _zoo_entries(zoo)
    if name not in entries:
        raise ArgumentError("no network %r in the zoo%s; available: %s" % (
            name, did_you_mean(name, entries), ", ".join(sorted(entries)) or "none"),
            field="--zoo")
    entry = entries[name]
    try:
        return entry() if callable(entry) else entry
    except LasagneParamsError:
        raise
    except Exception as exc:
        raise TargetError("building %r failed: %s: %s" % (name, type(exc).__name__, exc),
                          field="--zoo") from exc


def resolve(args):
    """The networks the command line names, as Targets (a spec file or zoo entry: one).

    The files of ``--kinds`` are imported first, so their kinds are known.
    ``args.output_layer`` (``--output-layer``) narrows them to one.
    """
    load_kinds(args.kinds)
    output = getattr(args, "output_layer", None)
    if args.zoo is not None:
        targets = [Target(args.zoo, zoo_network(args.zoo))]
        if getattr(args, "lasagne", None) is None and args.zoo in MASTER_ONLY:
            args.lasagne = MASTER          # the zoo's master networks derive for master
    elif os.path.splitext(args.network)[1].lower() in PARSERS:
        targets = [Target(args.network, read_spec_file(
            args.network, getattr(args, "max_input_bytes", None)))]
    else:
        targets = load_networks(args.network, getattr(args, "keep_going", False))
    if output is None:
        return targets
    return [pick(targets, output, args.network or args.zoo)]


def resolve_one(args):
    """The one network the command line names (several: an error asking for --output-layer)."""
    return pick(resolve(args), None, args.network or args.zoo).network
