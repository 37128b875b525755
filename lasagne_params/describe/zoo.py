"""Classic networks, as LayerSpecs (pure Python) and as Lasagne networks.

Each ``<name>_specs()`` returns the network as a list of LayerSpecs (no
Theano, no Lasagne: derive it anywhere); :mod:`lasagne_params.zoo` also
builds them in Lasagne.  ``PUBLISHED_TOTALS`` holds each network's published parameter count.

============  ===========  ===================================================
network       parameters   definition
============  ===========  ===================================================
lenet5             61,706  LeCun et al. 1998 on 1x32x32: conv 6@5x5, pool 2,
                           conv 16@5x5, pool 2, dense 120, 84, 10 (pooling
                           without the original's trainable coefficients)
alexnet        61,100,840  torchvision's one-tower AlexNet on 3x224x224,
                           without its adaptive average pool (6x6 already)
vgg16         138,357,544  Simonyan & Zisserman 2014, configuration D
vgg19         143,667,240  configuration E
nin               966,986  Lin et al. 2013, the CIFAR-10 model (Caffe model
                           zoo / Lasagne Recipes ``cifar10_nin``), its 1x1
                           "cccp" convolutions as NINLayers, global average
                           pooling at the end
googlenet       6,998,552  Szegedy et al. 2014 as BVLC's Caffe model
                           (``bvlc_googlenet``) without the auxiliary
                           classifiers, in Lasagne 0.1's CPU layers
============  ===========  ===================================================
"""
from ..core.records import LayerSpec

__all__ = ["NETWORKS", "PUBLISHED_TOTALS", "specs", "lenet5_specs", "alexnet_specs",
           "vgg16_specs", "vgg19_specs", "nin_specs", "googlenet_specs"]

PUBLISHED_TOTALS = {
    "lenet5": 61706,
    "alexnet": 61100840,
    "vgg16": 138357544,
    "vgg19": 143667240,
    "nin": 966986,
    "googlenet": 6998552,
}


class _Net:
    """Collects LayerSpecs; each layer is fed by the previous one unless told."""

    def __init__(self, input_shape):
        self.specs = [LayerSpec("input", "InputLayer", (), {"shape": input_shape})]

    def add(self, name, kind, incoming=None, **args):
        incoming = (self.specs[-1].name,) if incoming is None else tuple(incoming)
        self.specs.append(LayerSpec(name, kind, incoming, args))
        return name


def lenet5_specs():
    """LeNet-5 on 1x32x32 digits: 61,706 parameters."""
    net = _Net((None, 1, 32, 32))
    net.add("c1", "Conv2DLayer", num_filters=6, filter_size=5)
    net.add("s2", "Pool2DLayer", pool_size=2, mode="average_exc_pad")
    net.add("c3", "Conv2DLayer", num_filters=16, filter_size=5)
    net.add("s4", "Pool2DLayer", pool_size=2, mode="average_exc_pad")
    net.add("f5", "DenseLayer", num_units=120)
    net.add("f6", "DenseLayer", num_units=84)
    net.add("output", "DenseLayer", num_units=10)
    return net.specs


def alexnet_specs():
    """AlexNet as torchvision defines it (one tower), on 3x224x224: 61,100,840."""
    net = _Net((None, 3, 224, 224))
    net.add("conv1", "Conv2DLayer", num_filters=64, filter_size=11, stride=4, pad=2)
    net.add("pool1", "MaxPool2DLayer", pool_size=3, stride=2)
    net.add("conv2", "Conv2DLayer", num_filters=192, filter_size=5, pad=2)
    net.add("pool2", "MaxPool2DLayer", pool_size=3, stride=2)
    net.add("conv3", "Conv2DLayer", num_filters=384, filter_size=3, pad=1)
    net.add("conv4", "Conv2DLayer", num_filters=256, filter_size=3, pad=1)
    net.add("conv5", "Conv2DLayer", num_filters=256, filter_size=3, pad=1)
    net.add("pool5", "MaxPool2DLayer", pool_size=3, stride=2)
    return _classifier(net, dropout_first=True)


def _classifier(net, dropout_first):
    """The ImageNet head: fc6 and fc7 (4096 units, each with dropout), fc8 (1000)."""
    for index in (6, 7):
        layers = [("drop%d" % index, "DropoutLayer", {"p": 0.5}),
                  ("fc%d" % index, "DenseLayer", {"num_units": 4096})]
        for name, kind, args in layers if dropout_first else layers[::-1]:
            net.add(name, kind, **args)
    net.add("fc8", "DenseLayer", num_units=1000)
    return net.specs


def _vgg(blocks):
    net = _Net((None, 3, 224, 224))
    for block, (convs, filters) in enumerate(zip(blocks, (64, 128, 256, 512, 512)), 1):
        for conv in range(1, convs + 1):
            net.add("conv%d_%d" % (block, conv), "Conv2DLayer", num_filters=filters,
                    filter_size=3, pad=1)
        net.add("pool%d" % block, "MaxPool2DLayer", pool_size=2)
    return _classifier(net, dropout_first=False)


def vgg16_specs():
    """VGG-16 (configuration D) on 3x224x224: 138,357,544 parameters."""
    return _vgg((2, 2, 3, 3, 3))


def vgg19_specs():
    """VGG-19 (configuration E) on 3x224x224: 143,667,240 parameters."""
    return _vgg((2, 2, 4, 4, 4))


def nin_specs():
    """Network-in-Network for CIFAR-10 (3x32x32): 966,986 parameters."""
    net = _Net((None, 3, 32, 32))
    stages = (("conv1", 192, 5, 2, (160, 96), "max"),
              ("conv2", 192, 5, 2, (192, 192), "average_exc_pad"),
              ("conv3", 192, 3, 1, (192, 10), None))
    cccp = 0
    for stage, (name, filters, size, pad, units, pool) in enumerate(stages, 1):
        net.add(name, "Conv2DLayer", num_filters=filters, filter_size=size, pad=pad)
        for unit in units:
            cccp += 1
            net.add("cccp%d" % cccp, "NINLayer", num_units=unit)
        if pool:
            net.add("pool%d" % stage, "Pool2DLayer", pool_size=3, stride=2, mode=pool,
                    ignore_border=False)
            net.add("drop%d" % stage, "DropoutLayer", p=0.5)
    net.add("output", "GlobalPoolLayer")
    return net.specs


_INCEPTION = {  # 1x1, 3x3 reduce, 3x3, 5x5 reduce, 5x5, pool projection
    "3a": (64, 96, 128, 16, 32, 32), "3b": (128, 128, 192, 32, 96, 64),
    "4a": (192, 96, 208, 16, 48, 64), "4b": (160, 112, 224, 24, 64, 64),
    "4c": (128, 128, 256, 24, 64, 64), "4d": (112, 144, 288, 32, 64, 64),
    "4e": (256, 160, 320, 32, 128, 128),
    "5a": (256, 160, 320, 32, 128, 128), "5b": (384, 192, 384, 48, 128, 128),
}


def _inception(net, name, widths):
    source = net.specs[-1].name
    one, reduce3, three, reduce5, five, proj = widths
    prefix = "inception_%s/" % name

    def conv(suffix, filters, size, incoming):
        return net.add(prefix + suffix, "Conv2DLayer", (incoming,), num_filters=filters,
                       filter_size=size, pad=size // 2)

    branches = [conv("1x1", one, 1, source),
                conv("3x3", three, 3, conv("3x3_reduce", reduce3, 1, source)),
                conv("5x5", five, 5, conv("5x5_reduce", reduce5, 1, source))]
    pool = net.add(prefix + "pool", "MaxPool2DLayer", (source,), pool_size=3, stride=1, pad=1)
    branches.append(conv("pool_proj", proj, 1, pool))
    net.add(prefix + "output", "ConcatLayer", branches)


def googlenet_specs():
    """GoogLeNet (BVLC, no auxiliary classifiers) on 3x224x224: 6,998,552 parameters."""
    net = _Net((None, 3, 224, 224))
    lrn = dict(alpha=0.0001 / 5, k=1, beta=0.75, n=5)
    net.add("conv1/7x7_s2", "Conv2DLayer", num_filters=64, filter_size=7, stride=2, pad=3)
    net.add("pool1/3x3_s2", "MaxPool2DLayer", pool_size=3, stride=2, ignore_border=False)
    net.add("pool1/norm1", "LocalResponseNormalization2DLayer", **lrn)
    net.add("conv2/3x3_reduce", "Conv2DLayer", num_filters=64, filter_size=1)
    net.add("conv2/3x3", "Conv2DLayer", num_filters=192, filter_size=3, pad=1)
    net.add("conv2/norm2", "LocalResponseNormalization2DLayer", **lrn)
    net.add("pool2/3x3_s2", "MaxPool2DLayer", pool_size=3, stride=2, ignore_border=False)
    for name in ("3a", "3b", "pool3", "4a", "4b", "4c", "4d", "4e", "pool4", "5a", "5b"):
        if name.startswith("pool"):
            net.add(name + "/3x3_s2", "MaxPool2DLayer", pool_size=3, stride=2,
                    ignore_border=False)
        else:
            _inception(net, name, _INCEPTION[name])
    net.add("pool5/7x7_s1", "Pool2DLayer", pool_size=7, stride=1, mode="average_exc_pad")
    net.add("pool5/drop_7x7_s1", "DropoutLayer", p=0.4)
    net.add("loss3/classifier", "DenseLayer", num_units=1000)
    return net.specs


NETWORKS = {
    "lenet5": lenet5_specs,
    "alexnet": alexnet_specs,
    "vgg16": vgg16_specs,
    "vgg19": vgg19_specs,
    "nin": nin_specs,
    "googlenet": googlenet_specs,
}


def specs(name):
    """The LayerSpecs of zoo network ``name`` (one of ``NETWORKS``)."""
    try:
        return NETWORKS[name]()
    except KeyError:
        raise KeyError("no zoo network %r; expected one of %s"
                       % (name, ", ".join(sorted(NETWORKS)))) from None
