"""Lasagne master's layer-building helpers, on LayerSpecs: ``batch_norm``.

Master's ``lasagne.layers.batch_norm(layer, **kwargs)`` changes the layer it
wraps and adds layers after it; a network built with it is described by
the layers it makes, and that is how the derivation sees it.  Spec files say
``"batch_norm": true`` on a layer (or a mapping of BatchNormLayer keywords,
e.g. ``{"epsilon": 0.001}``, ``name`` included) and :func:`batch_norm`
expands it exactly as master's helper builds it:

1. the layer keeps its weights but loses its bias (``b=None``), and its
   nonlinearity becomes ``identity``, when its class has those keywords;
2. a ``BatchNormLayer`` named ``<layer>_bn`` follows it (the mapping's
   keywords go to it; a ``name`` there replaces ``<layer>_bn``);
3. when the layer's class has a nonlinearity, a ``NonlinearityLayer`` named
   ``<layer>_bn_nonlin`` applies the layer's nonlinearity (its default,
   rectify, if the spec gave none) after the normalization.

Later layers that name the wrapped layer as their input get the last layer
of the chain, as code that writes ``l = batch_norm(Conv2DLayer(l, ...))``
does.  Pure Python.
"""
from ..core.errors import SpecError
from ..core.records import LayerSpec
from ..core.registry import kind_of

__all__ = ["batch_norm", "expand_helpers", "HELPER_KEYS"]

#: Spec-file keys that apply a helper to a layer.
HELPER_KEYS = ("batch_norm",)


def batch_norm(spec, options=True):
    """The LayerSpecs master's ``batch_norm`` makes of ``spec`` (``options``: True or a
    mapping of BatchNormLayer keywords)."""
    kind = kind_of(spec.kind, layer=spec.name)
    where = {"layer": spec.name, "kind": spec.kind, "field": "batch_norm"}
    if options is True:
        options = {}
    if not isinstance(options, dict):
        raise SpecError("expected true or a mapping of BatchNormLayer keywords, got %r"
                        % (options,), **where)
    if kind.family in ("recurrent", "input"):
        raise SpecError("master's batch_norm cannot wrap a %s (on a recurrent layer it "
                        "raises KeyError or normalizes over time steps)" % kind.name, **where)
    names = kind.keywords.names if kind.keywords is not None else ()
    args = dict(spec.args)
    options = dict(options)
    bn_name = options.pop("name", None) or spec.name + "_bn"
    nonlinearity = args.get("nonlinearity")
    if "nonlinearity" in names:
        args["nonlinearity"] = "identity"
    if "b" in names:
        args["b"] = None
    chain = [LayerSpec(spec.name, spec.kind, spec.incoming, args),
             LayerSpec(bn_name, "BatchNormLayer", (spec.name,), options)]
    if "nonlinearity" in names:
        chain.append(LayerSpec(bn_name + "_nonlin", "NonlinearityLayer", (bn_name,),
                               {} if nonlinearity is None else
                               {"nonlinearity": nonlinearity}))
    return chain


def expand_helpers(specs, helpers):
    """``specs`` with each layer named in ``helpers`` ({name: batch_norm options}) replaced
    by the chain :func:`batch_norm` makes; other layers' inputs follow the chain's end."""
    if not helpers:
        return list(specs)
    ends, out = {}, []
    for spec in specs:
        incoming = tuple(ends.get(name, name) for name in spec.incoming)
        spec = LayerSpec(spec.name, spec.kind, incoming, spec.args)
        if spec.name in helpers:
            chain = batch_norm(spec, helpers[spec.name])
            ends[spec.name] = chain[-1].name
            out.extend(chain)
        else:
            out.append(spec)
    return out
