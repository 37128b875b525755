"""Lasagne networks: read a built one, build one from a description, run it, record them.

``read`` turns a built network into LayerSpecs (hyper-parameters only) and
into Lasagne's own Report (its shapes and arrays); ``build`` and
``shape_only`` build real layers from LayerSpecs (the latter with arrays
that take no memory); ``runtime`` runs a network on a batch; ``memory``
estimates a build before it starts; ``recording`` notes the networks a
script hands to Lasagne's helpers.  May import the core, the descriptions
and the bridges.
"""
