"""Random valid Lasagne networks as LayerSpecs, for differential fuzzing.

``networks()`` is a hypothesis strategy returning ``(specs, sinks)``: the
LayerSpecs in construction order and the names of the layers nothing else
consumes (build them with ``backend.networks.build.build_layers`` and hand
``[layers[name] for name in sinks]`` to Lasagne).  Chains and DAGs: layers
may feed from any earlier layer; branch blocks end in ConcatLayer,
ElemwiseSumLayer or ElemwiseMergeLayer (residual sums, inception-style
concatenations, weight sharing between branches); extra InputLayers bring
second inputs, integer sequences for an EmbeddingLayer, and masks for the
recurrent layers.  Hyper-parameters are drawn so that every layer is valid;
the shapes the generator needs are taken from the derivation (a wrong
derivation then shows up as Lasagne refusing the network, or as a
mismatch).  ``KINDS`` lists the classes the generator can produce: every
CPU class of Lasagne 0.1; with ``master=True`` also every CPU class Lasagne
master adds (``MASTER_KINDS``) and master's new keywords on the old ones.
"""
from hypothesis import strategies as st

from lasagne_params import LayerSpec
from lasagne_params.core import versions
from lasagne_params.core.derive import derive_specs

KINDS = frozenset({
    "InputLayer", "DenseLayer", "NINLayer", "DropoutLayer", "GaussianNoiseLayer",
    "NonlinearityLayer", "LocalResponseNormalization2DLayer", "EmbeddingLayer",
    "Conv1DLayer", "Conv2DLayer", "MaxPool1DLayer", "Pool2DLayer", "MaxPool2DLayer",
    "FeaturePoolLayer", "FeatureWTALayer", "GlobalPoolLayer", "FlattenLayer", "ReshapeLayer",
    "DimshuffleLayer", "PadLayer", "SliceLayer", "ConcatLayer", "ElemwiseSumLayer",
    "ElemwiseMergeLayer", "CustomRecurrentLayer", "RecurrentLayer", "LSTMLayer", "GRULayer"})
#: Master's CPU classes the generator produces (all of them).
MASTER_KINDS = KINDS | frozenset({
    "Conv3DLayer", "TransposedConv2DLayer", "TransposedConv3DLayer", "DilatedConv2DLayer",
    "LocallyConnected2DLayer", "BatchNormLayer", "StandardizationLayer", "Pool1DLayer",
    "Pool3DLayer", "MaxPool3DLayer", "SpatialPyramidPoolingLayer", "Upscale1DLayer",
    "Upscale2DLayer", "Upscale3DLayer", "BiasLayer", "ScaleLayer", "ExpressionLayer",
    "InverseLayer", "ParametricRectifierLayer", "RandomizedRectifierLayer",
    "TransformerLayer", "TPSTransformerLayer"})
RECURRENT = ("LSTMLayer", "GRULayer", "RecurrentLayer", "CustomRecurrentLayer")
MAX_LENGTH = 12          # spatial lengths above this only shrink


class Graph:
    """The network being drawn: specs, and each layer's derived shape."""

    def __init__(self, draw, runtime=False, master=False):
        self.draw = draw
        self.runtime = runtime          # only what Theano's forward pass can run
        self.master = master            # Lasagne master's classes and keywords too
        self.version = versions.MASTER if master else versions.target()
        self.specs = []
        self.shapes = {}
        self.consumed = set()
        self.dead_ends = set()          # layers whose Lasagne static shape is known wrong

    def add(self, kind, incoming=(), **args):
        name = "%s%d" % (kind[:-5].lower() if kind.endswith("Layer") else kind.lower(),
                         len(self.specs))
        self.specs.append(LayerSpec(name, kind, tuple(incoming), args))
        report = derive_specs(self.specs, version=self.version)
        self.shapes[name] = report.layers[-1].output_shape
        if report.layers[-1].lasagne_shape is not None:
            self.dead_ends.add(name)    # Lasagne sizes what follows on its wrong shape
        self.consumed.update(incoming)
        return name

    @property
    def odd_same(self):
        """'same' padding needs odd filters (Lasagne master raises for even ones)."""
        return versions.BEHAVIOURS[self.version].even_filter_same == "raises"

    def int(self, low, high):
        return self.draw(st.integers(low, max(low, high)))

    def choice(self, options):
        return self.draw(st.sampled_from(list(options)))

    def flag(self):
        return self.draw(st.booleans())

    def sinks(self):
        return [s.name for s in self.specs if s.name not in self.consumed]


def _per_axis(g, n, low, high):
    values = tuple(g.int(low, high) for _ in range(n))
    return values[0] if n == 1 or (len(set(values)) == 1 and g.flag()) else values


def conv(g, src, n_spatial):
    """Conv1DLayer/Conv2DLayer with any padding mode, stride and bias option."""
    spatial = g.shapes[src][2:]
    grows = all(length < MAX_LENGTH for length in spatial)
    pad = g.choice(["valid", "same", "full", 0, 1, 2, "pair"] if grows else ["valid", "same"])
    if pad == "pair":
        pad = tuple(g.int(0, 2) for _ in spatial)
    pads = pad if isinstance(pad, tuple) else (pad,) * n_spatial

    def room(length, p):        # the largest filter that still fits
        if p == "valid":
            return length
        return length + 2 * p if isinstance(p, int) else 5

    fsize = tuple(g.int(1, min(5, room(length, p))) for length, p in zip(spatial, pads))
    if g.odd_same and "same" in pads:
        fsize = tuple(f - 1 + f % 2 for f in fsize)
    args = dict(num_filters=g.int(1, 6), filter_size=fsize[0] if n_spatial == 1 else fsize,
                stride=_per_axis(g, n_spatial, 1, 3), pad=pad)
    if g.flag():
        args["untie_biases"] = g.flag()
    if g.int(0, 4) == 0:
        args["b"] = None
    if g.master and g.flag():
        channels = g.shapes[src][1]
        args["num_groups"] = g.choice([d for d in range(1, channels + 1) if channels % d == 0])
        args["num_filters"] = args["num_groups"] * g.int(1, 3)
        args["flip_filters"] = g.flag()
    return g.add("Conv%dDLayer" % n_spatial, (src,), **args)


def pool(g, src, n_spatial):
    spatial = g.shapes[src][2:]
    border = g.flag()
    size = tuple(g.int(1, min(4, length)) for length in spatial)
    args = dict(pool_size=size[0] if n_spatial == 1 else size, ignore_border=border)
    if g.flag():
        args["stride"] = tuple(g.int(1, 3) for _ in spatial)
        args["stride"] = args["stride"][0] if n_spatial == 1 else args["stride"]
    if border and g.flag():
        args["pad"] = tuple(g.int(0, s - 1) for s in size)
        args["pad"] = args["pad"][0] if n_spatial == 1 else args["pad"]
    name = "%dD" % n_spatial
    if g.flag() and n_spatial != 3 or not g.master and n_spatial == 1:
        return g.add("MaxPool%sLayer" % name, (src,), **args)
    if n_spatial == 3 and g.flag():
        return g.add("MaxPool3DLayer", (src,), **args)
    args["mode"] = g.choice(["max", "sum", "average_inc_pad", "average_exc_pad"])
    return g.add("Pool%sLayer" % name, (src,), **args)


def dense_like(g, src, units=None, **extra):
    kind = g.choice(["DenseLayer", "NINLayer"] if len(g.shapes[src]) > 2 else ["DenseLayer"])
    args = dict(num_units=units or g.int(1, 8), **extra)
    ndim = len(g.shapes[src])
    if kind == "DenseLayer" and g.master and ndim > 2 and g.flag() and not extra:
        leading = g.int(1, ndim - 1)
        if all(d is not None for d in g.shapes[src][1:leading]):
            args["num_leading_axes"] = g.choice([leading, leading - ndim])
    if g.int(0, 4) == 0:
        args["b"] = None
    elif kind == "NINLayer" and g.flag():
        args["untie_biases"] = True
    return g.add(kind, (src,), **args)


def feature(g, src):
    shape = g.shapes[src]
    axes = [a for a in range(1, len(shape)) if shape[a] > 1]
    if not axes:
        return g.add("NonlinearityLayer", (src,))
    axis = g.choice(axes)
    size = g.choice([d for d in range(1, shape[axis] + 1) if shape[axis] % d == 0])
    return g.add(g.choice(["FeaturePoolLayer", "FeatureWTALayer"]), (src,), pool_size=size,
                 axis=axis)


def pad(g, src):
    shape = g.shapes[src]
    batch_ndim = g.choice([1, 2]) if len(shape) > 2 else 1
    n = len(shape) - batch_ndim
    if g.flag():
        width = g.int(0, 2)
    else:
        width = [g.choice([g.int(0, 2), (g.int(0, 2), g.int(0, 2))])
                 for _ in range(g.int(1, n))]
    return g.add("PadLayer", (src,), width=width, batch_ndim=batch_ndim)


def slice_(g, src):
    shape = g.shapes[src]
    axis = g.int(1, len(shape) - 1)
    length = shape[axis]
    if g.flag() and len(shape) > 2:
        index = g.int(-length, length - 1)
        return g.add("SliceLayer", (src,), indices=index, axis=g.choice([axis, axis - len(shape)]))
    start = g.int(0, length - 1)
    step = g.choice([1, 1, 2, 3])
    stop = g.choice([None, g.int(start + 1, length + 2)])
    return g.add("SliceLayer", (src,), indices=slice(start, stop, step), axis=axis)


def dimshuffle(g, src):
    shape = g.shapes[src]
    axes = list(range(1, len(shape)))
    order = [0] + list(g.draw(st.permutations(axes)))
    # Lasagne lets an axis of length 1 go; Theano only drops broadcastable axes (made
    # by 'x'), so a forward pass would fail: no drops in networks meant to run.
    keep = [a for a in order if a == 0 or shape[a] != 1 or g.runtime or g.int(0, 2)]
    if len(keep) < len(shape) and len(keep) < 2:
        keep = order
    if len(keep) < 4 and g.flag():
        keep.insert(g.int(1, len(keep)), "x")
    return g.add("DimshuffleLayer", (src,), pattern=keep)


def reshape(g, src):
    shape = g.shapes[src]
    if len(shape) == 2:
        n = shape[1]
        split = g.choice([d for d in range(1, n + 1) if n % d == 0])
        return g.add("ReshapeLayer", (src,), shape=[[0], split, -1])
    if g.flag():
        return g.add("FlattenLayer", (src,), outdim=g.int(2, len(shape)))
    return g.add("ReshapeLayer", (src,), shape=[[0], [1], -1] if len(shape) > 3
                 else [[0], -1])


def recurrent(g, src):
    shape = g.shapes[src]
    kind = g.choice(RECURRENT)
    units = g.int(1, 5)
    incoming = [src]
    if g.int(0, 3) == 0:
        incoming.append(g.add("InputLayer", shape=(shape[0], shape[1])))
    args = dict(backwards=g.flag(), precompute_input=g.flag())
    if kind != "CustomRecurrentLayer":
        args["num_units"] = units
    if g.flag():
        args["learn_init"] = g.flag()
    states = ("hid_init", "cell_init") if kind == "LSTMLayer" else ("hid_init",)
    for state in states:
        form = g.int(0, 7)
        if form == 0:
            args[state] = None
        elif form == 1 and g.master:
            # master: the state is a layer's output, (batch, units): a dense layer of the
            # sequence's first step, appended to the incoming layers (after the mask)
            first = g.add("SliceLayer", (src,), indices=0, axis=1)
            state_from = g.add("DenseLayer", (first,), num_units=units)
            incoming.append(state_from)
            args[state] = {"layer": state_from}
    if kind == "LSTMLayer":
        args["peepholes"] = g.flag()
    if kind == "RecurrentLayer" and g.int(0, 3) == 0:
        args["b"] = None
    if g.master and g.int(0, 3) == 0:
        args["only_return_final"] = True
    if kind == "CustomRecurrentLayer":
        n = 1
        for d in shape[2:]:
            n *= d
        args["input_to_hidden"] = [
            LayerSpec("in", "InputLayer", (), {"shape": (None, n)}),
            LayerSpec("dense", "DenseLayer", ("in",), {"num_units": units})]
        h2h = {"num_units": units}
        if g.flag():
            h2h["b"] = None
        args["hidden_to_hidden"] = [
            LayerSpec("in", "InputLayer", (), {"shape": (None, units)}),
            LayerSpec("dense", "DenseLayer", ("in",), h2h)]
    return g.add(kind, incoming, **args)


def _same_size_layer(g, ndim, channels):
    """(kind, args) of a layer keeping every axis but the channels: 1x1/'same' convs, NIN."""
    if ndim == 2:
        return "DenseLayer", {"num_units": channels}
    if g.flag():
        return "NINLayer", {"num_units": channels}
    size = g.choice([1, 3, 5])
    return "Conv%dDLayer" % (ndim - 2), {"num_filters": channels, "filter_size": size,
                                         "pad": "same"}


def branches(g, src):
    """2-3 branches from ``src`` (skip, layer, second input, or a layer sharing the first
    layer's W) merged by ConcatLayer, ElemwiseSumLayer or ElemwiseMergeLayer."""
    shape = g.shapes[src]
    merge = g.choice(["ConcatLayer", "ElemwiseSumLayer", "ElemwiseMergeLayer"])
    concat = merge == "ConcatLayer"
    width = shape[1] if not concat and g.flag() else g.int(1, 6)
    outs, template = [], None
    for _ in range(g.int(2, 3)):
        option = g.choice(["skip", "layer", "layer", "input", "shared"])
        channels = g.int(1, 6) if concat else width
        if option == "skip" and (concat or shape[1] == width):
            outs.append(src)
        elif option == "input":
            other = (shape[0], channels) + tuple(shape[2:])
            outs.append(g.add("InputLayer", shape=other))
        elif option == "shared" and template is not None:
            kind, args, owner = template
            outs.append(g.add(kind, (src,), W={"shared": owner + ".W"}, **args))
        else:
            kind, args = _same_size_layer(g, len(shape), channels)
            outs.append(g.add(kind, (src,), **args))
            template = template or (kind, args, outs[-1])
    if concat:
        return g.add(merge, outs, axis=g.choice([1, 1 - len(shape)]))
    if merge == "ElemwiseSumLayer":
        return g.add(merge, outs, coeffs=g.choice([1, 0.5, [1] * (len(outs) - 1) + [-1]]))
    return g.add(merge, outs, merge_function=g.choice(["maximum", "mul"]))


def _moves(g, src, recurrent_ok):
    """The moves that fit ``src``'s shape, repeated by weight."""
    shape = g.shapes[src]
    ndim = len(shape)
    if g.master and ndim == 5 and all(d <= MAX_LENGTH for d in shape[2:]):
        return ["volume"] * 3 + ["transposed", "normalize", "per_axis", "upscale", "global"]
    if ndim > 4 or any(d > MAX_LENGTH for d in shape[2:]):
        return ["pool2", "global"] if ndim == 4 else ["reshape", "global"]
    if g.master:
        return _moves_01(g, src, recurrent_ok) + _master_moves(g, shape)
    return _moves_01(g, src, recurrent_ok)


def _master_moves(g, shape):
    ndim = len(shape)
    moves = ["normalize", "per_axis", "expression", "inverse"]
    if ndim == 4:
        moves += ["transposed", "dilated", "upscale", "cropped_merge"]
        if min(shape[2:]) >= 2:     # on one row or column its sampling grid divides by 0
            moves.append("transformer")
        moves.append("tps")
        if None not in shape[1:] and shape[2] * shape[3] <= 64:
            moves.append("local")
        if min(shape[2:]) >= 2:
            moves.append("pyramid")
    if ndim == 3:
        moves += ["upscale", "pool1"]
    return moves


def _moves_01(g, src, recurrent_ok):
    shape = g.shapes[src]
    ndim = len(shape)
    moves = ["dense", "noise", "reshape", "slice", "pad", "feature", "branches"]
    if ndim == 4:
        moves += ["conv2"] * 4 + ["pool2"] * 4 + ["branches", "lrn", "global", "dimshuffle"]
    if ndim == 3:
        moves += ["conv1"] * 3 + ["pool1"] * 2 + ["branches", "global", "dimshuffle"]
        if recurrent_ok:
            moves += ["recurrent"] * 3
    if ndim == 2:
        moves += ["dimshuffle", "reshape"]
    return moves


def noise(g, src):
    kind = g.choice(["DropoutLayer", "GaussianNoiseLayer", "NonlinearityLayer"])
    args = {"p": g.choice([0.0, 0.2, 0.5])} if kind == "DropoutLayer" else {}
    if kind == "DropoutLayer" and g.master and g.flag():
        ndim = len(g.shapes[src])
        args["shared_axes"] = tuple(a for a in range(ndim) if g.flag())
    return g.add(kind, (src,), **args)


# ------------------------------------------------------------ Lasagne master's classes

def _odd(g, low, high):
    return g.choice([f for f in range(low, max(low, high) + 1) if f % 2] or [1])


def transposed(g, src):
    shape = g.shapes[src]
    n = len(shape) - 2
    stride = tuple(g.int(1, 2) for _ in range(n))
    crop = g.choice(["valid", "full", "same", 0, 1])
    fsize = tuple(_odd(g, 1, 3) if crop == "same" else g.int(1, 3) for _ in range(n))
    cut = {"valid": lambda f: 0, 0: lambda f: 0, 1: lambda f: 1, "full": lambda f: f - 1,
           "same": lambda f: f // 2}[crop]
    if any((l - 1) * s + f - 2 * cut(f) < 1 for l, s, f in zip(shape[2:], stride, fsize)):
        crop = "valid"
    args = dict(num_filters=g.int(1, 4), filter_size=fsize, stride=stride, crop=crop)
    if g.flag():
        args["untie_biases"] = True
    elif g.int(0, 3) == 0:
        args["b"] = None
    if crop in ("valid", 0) and g.flag():
        args["output_size"] = tuple((l - 1) * s + f + g.int(0, s - 1)
                                    for l, s, f in zip(shape[2:], stride, fsize))
    return g.add("TransposedConv%dDLayer" % n, (src,), **args)


def dilated(g, src):
    rows, cols = g.shapes[src][2:]
    dilation = (g.int(1, 3), g.int(1, 3))
    fsize = tuple(g.int(1, max(1, min(3, (length - 1) // d + 1)))
                  for length, d in zip((rows, cols), dilation))
    args = dict(num_filters=g.int(1, 4), filter_size=fsize, dilation=dilation)
    if g.flag():
        args["untie_biases"] = True
    return g.add("DilatedConv2DLayer", (src,), **args)


def local(g, src):
    channels = g.shapes[src][1]
    channelwise = g.flag()
    args = dict(num_filters=channels if channelwise else g.int(1, 3),
                filter_size=(_odd(g, 1, 3), _odd(g, 1, 3)), channelwise=channelwise)
    if g.flag():
        args["untie_biases"] = True
    return g.add("LocallyConnected2DLayer", (src,), **args)


def upscale(g, src):
    n = g.int(1, len(g.shapes[src]) - 2)
    factor = tuple(g.int(1, 2) for _ in range(n))
    return g.add("Upscale%dDLayer" % n, (src,), scale_factor=factor,
                 mode=g.choice(["repeat", "dilate"]))


def pyramid(g, src):
    size = min(g.shapes[src][2:])
    dims = sorted({g.int(1, min(4, size)) for _ in range(g.int(1, 3))}, reverse=True)
    return g.add("SpatialPyramidPoolingLayer", (src,), pool_dims=dims,
                 implementation=g.choice(["fast", "fast", "kaiming"]),
                 mode=g.choice(["max", "average_exc_pad"]))


def normalize(g, src):
    shape = g.shapes[src]
    ndim = len(shape)
    kind = g.choice(["BatchNormLayer", "BatchNormLayer", "StandardizationLayer"])
    if kind == "StandardizationLayer":
        return g.add(kind, (src,), axes=g.choice(["auto", "spatial", "features"]))
    axes = g.choice(["auto", "auto", "subset"])
    if axes == "subset":      # the batch axis, and others whose lengths are known
        axes = (0,) + tuple(a for a in range(1, ndim) if shape[a] is None or g.flag())
    args = {"axes": axes}
    for name in ("beta", "gamma"):
        if g.int(0, 4) == 0:
            args[name] = None
    return g.add(kind, (src,), **args)


def per_axis(g, src):
    shape = g.shapes[src]
    kind = g.choice(["BiasLayer", "ScaleLayer", "ParametricRectifierLayer",
                     "RandomizedRectifierLayer"])
    shared = g.choice(["auto", "auto", "subset", "all"])
    if shared == "subset":
        shared = tuple(a for a in range(len(shape)) if shape[a] is None or g.flag())
    if shared == "all" and kind in ("BiasLayer", "ScaleLayer"):
        shared = "auto"
    if kind == "RandomizedRectifierLayer":
        return g.add(kind, (src,), shared_axes=shared, lower=0.2, upper=g.choice([0.2, 0.5]))
    return g.add(kind, (src,), shared_axes=shared)


def expression(g, src):
    shape = g.shapes[src]
    form = g.choice([None, "tuple"])
    args = {"function": g.choice(["sqr", "abs_", "tanh"])}
    if form == "tuple" and shape[0] is not None:
        args["output_shape"] = tuple(shape)
    return g.add("ExpressionLayer", (src,), **args)


def inverse(g, src):
    """Invert ``src``'s layer (a conv, pool or dense layer with one input): its input shape."""
    spec = next(s for s in g.specs if s.name == src)
    if spec.kind not in ("Conv1DLayer", "Conv2DLayer", "DenseLayer", "MaxPool2DLayer",
                         "Pool2DLayer") or len(spec.incoming) != 1:
        return noise(g, src)
    return g.add("InverseLayer", (src, src, spec.incoming[0]))


def transformer(g, src):
    loc = g.add("DenseLayer", (src,), num_units=6, nonlinearity="identity")
    rows, cols = g.shapes[src][2:]      # outputs of 2+ rows and columns: see _master_moves
    factors = [f for f in (1, 2, (1, 2)) if rows // (f if isinstance(f, int) else f[0]) >= 2
               and cols // (f if isinstance(f, int) else f[1]) >= 2]
    return g.add("TransformerLayer", (src, loc), downsample_factor=g.choice(factors))


def tps_transformer(g, src):
    """A thin-plate-spline warp: 2 numbers per control point from a dense layer."""
    points = g.choice([4, 9, 16])
    loc = g.add("DenseLayer", (src,), num_units=2 * points, nonlinearity="identity")
    rows, cols = g.shapes[src][2:]
    factors = [f for f in (1, 2, (1, 2), (2, 1)) if all(
        n is None or n // d >= 1 for n, d in zip((rows, cols), (f, f) if isinstance(f, int)
                                                 else f))]
    known = None not in (rows, cols)
    return g.add("TPSTransformerLayer", (src, loc), control_points=points,
                 downsample_factor=g.choice(factors),
                 precompute_grid=g.choice(["auto", False] + [True] * known))


def cropped_merge(g, src):
    """Master's ``cropping``: a merge of ``src`` and a padded copy of it, cut back."""
    shape = g.shapes[src]
    padded = g.add("PadLayer", (src,), width=g.int(1, 2))
    modes = [None, None] + [g.choice(["lower", "center", "upper"]) for _ in shape[2:]]
    merge = g.choice(["ConcatLayer", "ElemwiseSumLayer", "ElemwiseMergeLayer"])
    args = {"cropping": modes}
    if merge == "ElemwiseMergeLayer":
        args["merge_function"] = "maximum"
    return g.add(merge, (src, padded), **args)


def volume(g, src):
    """Conv3DLayer (or Pool3D) on a 5D input."""
    if g.flag():
        return pool(g, src, 3)
    return conv(g, src, 3)


MOVES = {
    "conv2": lambda g, src: conv(g, src, 2),
    "conv1": lambda g, src: conv(g, src, 1),
    "pool2": lambda g, src: pool(g, src, 2),
    "pool1": lambda g, src: pool(g, src, 1),
    "dense": dense_like,
    "noise": noise,
    "lrn": lambda g, src: g.add("LocalResponseNormalization2DLayer", (src,),
                                n=g.choice([1, 3, 5])),
    "global": lambda g, src: g.add("GlobalPoolLayer", (src,),
                                   pool_function=g.choice(["mean", "max"])),
    "feature": feature,
    "pad": pad,
    "slice": slice_,
    "dimshuffle": dimshuffle,
    "reshape": reshape,
    "recurrent": recurrent,
    "branches": branches,
    "transposed": transposed,
    "dilated": dilated,
    "local": local,
    "upscale": upscale,
    "pyramid": pyramid,
    "normalize": normalize,
    "per_axis": per_axis,
    "expression": expression,
    "inverse": inverse,
    "transformer": transformer,
    "tps": tps_transformer,
    "cropped_merge": cropped_merge,
    "volume": volume,
}


def step(g, src, recurrent_ok=True):
    """One more layer (or block) fed by ``src``; the name of the layer it ends with."""
    return MOVES[g.choice(_moves(g, src, recurrent_ok))](g, src)


def start(g, batch):
    """A first InputLayer: an image, a signal, a vector, integer ids for an embedding,
    or (master) a volume."""
    form = g.choice(["image", "image", "signal", "vector", "ids"] + ["volume"] * g.master)
    if form == "ids":
        ids = g.add("InputLayer", shape=(batch, g.int(1, 6)), dtype="int32")
        return g.add("EmbeddingLayer", (ids,), input_size=g.int(1, 20),
                     output_size=g.int(1, 5))
    if form == "volume":
        return g.add("InputLayer", shape=(batch, g.int(1, 3)) + tuple(g.int(1, 6)
                                                                       for _ in range(3)))
    dims = {"image": 3, "signal": 2, "vector": 1}[form]
    return g.add("InputLayer", shape=(batch,) + tuple(g.int(1, 10) for _ in range(dims)))


@st.composite
def networks(draw, max_layers=10, dag=True, recurrent_ok=True, runtime=False, master=False):
    """(specs, sinks) of a random valid network (see the module docstring).

    ``runtime=True``: only networks Theano can also run (no recurrent layers, no
    DimshuffleLayer dropping a length-1 axis Theano does not know is broadcastable,
    a free batch size).  ``master=True``: Lasagne master's classes and keywords too.
    """
    g = Graph(draw, runtime, master)
    recurrent_ok = recurrent_ok and not runtime
    # Theano-PyMC 1.1.2 cannot compile an LRN layer whose every input length is known
    # (its optimizer fails: 'NoneType' object has no attribute 'clients'): runtime
    # networks keep the batch size free.
    batch = None if runtime else draw(st.sampled_from([None, None, 1, 2]))
    src = start(g, batch)
    for _ in range(draw(st.integers(1, max_layers))):
        if dag and len(g.specs) > 1 and draw(st.integers(0, 3)) == 0:
            candidates = [s.name for s in g.specs if (s.kind != "InputLayer"
                          or s.args.get("dtype") is None) and s.name not in g.dead_ends]
            src = draw(st.sampled_from(candidates))
        if src in g.dead_ends:
            break
        src = step(g, src, recurrent_ok)
    return g.specs, g.sinks()
