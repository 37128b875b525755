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
resnet50       25,610,216  He et al. 2015, ResNet-50 (bottlenecks, projection
                           shortcuts, batch norm after every convolution) as
                           Lasagne master code builds it: 25,557,096
                           trainable = torchvision's 25,557,032 + conv1's 64
                           biases; the rest are batch norm's mean/inv_std
densenet40      1,037,818  Huang et al. 2016, DenseNet (L=40, k=12) for
                           CIFAR: BN-ReLU-conv 3x3 layers without biases,
                           1x1 transitions with 2x2 average pooling;
                           1,019,722 trainable (the paper says "1.0M")
inception_v3   23,869,000  Szegedy et al. 2015, Inception-v3 on 3x299x299
                           without the auxiliary classifier, every
                           convolution without bias and batch-normalized:
                           23,834,568 trainable (Keras' 23,817,352 trainable,
                           whose batch norm has no scale, + the 17,216
                           gammas)
unet           31,030,658  Ronneberger et al. 2015 on 1x572x572: valid 3x3
                           convolutions, 2x2 up-convolutions
                           (TransposedConv2DLayer), centre-cropped
                           concatenations (master's ``cropping``), 2 classes
============  ===========  ===================================================

resnet50, densenet40, inception_v3 and unet use Lasagne master's classes (BatchNormLayer,
TransposedConv2DLayer, ConcatLayer's cropping): derive them for master.
``MASTER_TOTALS`` holds their (all, trainable) counts: ResNet-50's as
published for the Lasagne Recipes port, the others as derived and checked
against master's ``count_params`` (tests/test_zoo_master.py).
"""
from ..core.records import LayerSpec

__all__ = ["NETWORKS", "PUBLISHED_TOTALS", "MASTER_TOTALS", "MASTER_ONLY", "specs",
           "lenet5_specs", "alexnet_specs", "vgg16_specs", "vgg19_specs", "nin_specs",
           "googlenet_specs", "resnet50_specs", "densenet40_specs", "inception_v3_specs",
           "unet_specs"]

PUBLISHED_TOTALS = {
    "lenet5": 61706,
    "alexnet": 61100840,
    "vgg16": 138357544,
    "vgg19": 143667240,
    "nin": 966986,
    "googlenet": 6998552,
}
#: The networks that need Lasagne master's classes: (all, trainable) parameters.
MASTER_TOTALS = {
    "resnet50": (25610216, 25557096),
    "densenet40": (1037818, 1019722),
    "inception_v3": (23869000, 23834568),
    "unet": (31030658, 31030658),
}
MASTER_ONLY = tuple(MASTER_TOTALS)


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


def _conv_bn(net, name, incoming, filters, size, stride=1, pad=0, relu=True, bias=False):
    """A convolution followed by batch norm (and a rectifier), as Recipes' ResNet port
    writes it: the convolution's bias dropped unless ``bias`` (conv1 keeps it)."""
    net.add(name, "Conv2DLayer", (incoming,), num_filters=filters, filter_size=size,
            stride=stride, pad=pad, flip_filters=False, nonlinearity="identity",
            **({} if bias else {"b": None}))
    net.add(name + "_bn", "BatchNormLayer")
    if relu:
        net.add(name + "_relu", "NonlinearityLayer", nonlinearity="rectify")
    return net.specs[-1].name


def resnet50_specs():
    """ResNet-50 on 3x224x224 (Lasagne master): 25,610,216 parameters, 25,557,096 trainable."""
    net = _Net((None, 3, 224, 224))
    source = _conv_bn(net, "conv1", "input", 64, 7, stride=2, pad=3, bias=True)
    source = net.add("pool1", "Pool2DLayer", (source,), pool_size=3, stride=2,
                     ignore_border=False)
    for stage, (blocks, width) in enumerate(((3, 64), (4, 128), (6, 256), (3, 512)), 2):
        for block in "abcdef"[:blocks]:
            name = "res%d%s" % (stage, block)
            stride = 2 if block == "a" and stage > 2 else 1
            branch = _conv_bn(net, name + "_branch2a", source, width, 1, stride=stride)
            branch = _conv_bn(net, name + "_branch2b", branch, width, 3, pad=1)
            branch = _conv_bn(net, name + "_branch2c", branch, 4 * width, 1, relu=False)
            shortcut = source
            if block == "a":
                shortcut = _conv_bn(net, name + "_branch1", source, 4 * width, 1,
                                    stride=stride, relu=False)
            net.add(name, "ElemwiseSumLayer", (shortcut, branch))
            source = net.add(name + "_relu", "NonlinearityLayer", nonlinearity="rectify")
    net.add("pool5", "Pool2DLayer", pool_size=7, stride=1, mode="average_exc_pad",
            ignore_border=False)
    net.add("fc1000", "DenseLayer", num_units=1000, nonlinearity="softmax")
    return net.specs


def _bn_relu_conv(net, name, incoming, filters, size):
    """Pre-activation: batch norm, rectifier, then a convolution without bias."""
    net.add(name + "_bn", "BatchNormLayer", (incoming,))
    net.add(name + "_relu", "NonlinearityLayer", nonlinearity="rectify")
    return net.add(name, "Conv2DLayer", num_filters=filters, filter_size=size,
                   pad="same", b=None, nonlinearity="identity")


def densenet40_specs():
    """DenseNet (L=40, k=12) on 3x32x32 CIFAR: 1,037,818 parameters, 1,019,722 trainable."""
    net = _Net((None, 3, 32, 32))
    source = net.add("pre_conv", "Conv2DLayer", num_filters=16, filter_size=3, pad="same",
                     b=None, nonlinearity="identity")
    channels = 16
    for block in range(1, 4):
        for layer in range(1, 13):
            new = _bn_relu_conv(net, "block%d_conv%d" % (block, layer), source, 12, 3)
            source = net.add("block%d_join%d" % (block, layer), "ConcatLayer", (source, new))
            channels += 12
        if block < 3:
            conv = _bn_relu_conv(net, "transition%d" % block, source, channels, 1)
            source = net.add("transition%d_pool" % block, "Pool2DLayer", (conv,),
                             pool_size=2, mode="average_inc_pad")
    net.add("post_bn", "BatchNormLayer", (source,))
    net.add("post_relu", "NonlinearityLayer", nonlinearity="rectify")
    net.add("post_pool", "GlobalPoolLayer")
    net.add("output", "DenseLayer", num_units=10, nonlinearity="softmax")
    return net.specs


def _inception_conv(net, name, incoming, filters, size, stride=1, pad=0):
    """Inception-v3's convolution: no bias, batch norm (epsilon 0.001), rectifier."""
    net.add(name, "Conv2DLayer", (incoming,), num_filters=filters, filter_size=size,
            stride=stride, pad=pad, b=None, nonlinearity="identity")
    net.add(name + "_bn", "BatchNormLayer", epsilon=0.001)
    return net.add(name + "_relu", "NonlinearityLayer", nonlinearity="rectify")


def _chain(net, prefix, source, convs):
    """Convolutions one after another: (suffix, filters, size, stride, pad) each."""
    for suffix, filters, size, stride, pad in convs:
        source = _inception_conv(net, prefix + suffix, source, filters, size, stride, pad)
    return source


def _avg_pool_branch(net, prefix, source, filters):
    pool = net.add(prefix + "pool", "Pool2DLayer", (source,), pool_size=3, stride=1, pad=1,
                   mode="average_exc_pad")
    return _inception_conv(net, prefix + "pool_proj", pool, filters, 1)


def _mixed_a(net, name, source, pool_features):
    p = name + "/"
    branches = [_chain(net, p, source, [("1x1", 64, 1, 1, 0)]),
                _chain(net, p, source, [("5x5_reduce", 48, 1, 1, 0), ("5x5", 64, 5, 1, 2)]),
                _chain(net, p, source, [("3x3_reduce", 64, 1, 1, 0), ("3x3_1", 96, 3, 1, 1),
                                        ("3x3_2", 96, 3, 1, 1)]),
                _avg_pool_branch(net, p, source, pool_features)]
    return net.add(name, "ConcatLayer", branches)


def _mixed_c(net, name, source, c7):
    p, row, col = name + "/", ((1, 7), (0, 3)), ((7, 1), (3, 0))
    branches = [_chain(net, p, source, [("1x1", 192, 1, 1, 0)]),
                _chain(net, p, source, [("7x7_reduce", c7, 1, 1, 0),
                                        ("1x7", c7) + (row[0], 1, row[1]),
                                        ("7x1", 192) + (col[0], 1, col[1])]),
                _chain(net, p, source, [("7x7dbl_reduce", c7, 1, 1, 0),
                                        ("7x1_1", c7) + (col[0], 1, col[1]),
                                        ("1x7_1", c7) + (row[0], 1, row[1]),
                                        ("7x1_2", c7) + (col[0], 1, col[1]),
                                        ("1x7_2", 192) + (row[0], 1, row[1])]),
                _avg_pool_branch(net, p, source, 192)]
    return net.add(name, "ConcatLayer", branches)


def _mixed_e(net, name, source):
    p = name + "/"
    reduce3 = _chain(net, p, source, [("3x3_reduce", 384, 1, 1, 0)])
    dbl = _chain(net, p, source, [("3x3dbl_reduce", 448, 1, 1, 0), ("3x3dbl", 384, 3, 1, 1)])
    branches = [_chain(net, p, source, [("1x1", 320, 1, 1, 0)])]
    for stem, tag in ((reduce3, "3x3"), (dbl, "3x3dbl")):
        branches += [_inception_conv(net, p + tag + "_1x3", stem, 384, (1, 3), pad=(0, 1)),
                     _inception_conv(net, p + tag + "_3x1", stem, 384, (3, 1), pad=(1, 0))]
    branches.append(_avg_pool_branch(net, p, source, 192))
    return net.add(name, "ConcatLayer", branches)


def inception_v3_specs():
    """Inception-v3 on 3x299x299 (no auxiliary classifier): 23,869,000 parameters,
    23,834,568 trainable."""
    net = _Net((None, 3, 299, 299))
    source = _chain(net, "", "input", [("conv1_3x3_s2", 32, 3, 2, 0),
                                       ("conv2_3x3", 32, 3, 1, 0), ("conv3_3x3", 64, 3, 1, 1)])
    source = net.add("pool1", "MaxPool2DLayer", (source,), pool_size=3, stride=2)
    source = _chain(net, "", source, [("conv4_1x1", 80, 1, 1, 0), ("conv5_3x3", 192, 3, 1, 0)])
    source = net.add("pool2", "MaxPool2DLayer", (source,), pool_size=3, stride=2)
    for name, features in (("mixed_5b", 32), ("mixed_5c", 64), ("mixed_5d", 64)):
        source = _mixed_a(net, name, source, features)
    p = "mixed_6a/"
    source = net.add("mixed_6a", "ConcatLayer", [
        _chain(net, p, source, [("3x3", 384, 3, 2, 0)]),
        _chain(net, p, source, [("3x3dbl_reduce", 64, 1, 1, 0), ("3x3dbl_1", 96, 3, 1, 1),
                                ("3x3dbl_2", 96, 3, 2, 0)]),
        net.add(p + "pool", "MaxPool2DLayer", (source,), pool_size=3, stride=2)])
    for name, c7 in (("mixed_6b", 128), ("mixed_6c", 160), ("mixed_6d", 160),
                     ("mixed_6e", 192)):
        source = _mixed_c(net, name, source, c7)
    p = "mixed_7a/"
    source = net.add("mixed_7a", "ConcatLayer", [
        _chain(net, p, source, [("3x3_reduce", 192, 1, 1, 0), ("3x3", 320, 3, 2, 0)]),
        _chain(net, p, source, [("7x7x3_reduce", 192, 1, 1, 0),
                                ("1x7", 192, (1, 7), 1, (0, 3)),
                                ("7x1", 192, (7, 1), 1, (3, 0)), ("7x7x3", 192, 3, 2, 0)]),
        net.add(p + "pool", "MaxPool2DLayer", (source,), pool_size=3, stride=2)])
    for name in ("mixed_7b", "mixed_7c"):
        source = _mixed_e(net, name, source)
    net.add("pool3", "GlobalPoolLayer", (source,))
    net.add("softmax", "DenseLayer", num_units=1000, nonlinearity="softmax")
    return net.specs


def unet_specs():
    """U-Net on 1x572x572 with 2 classes: 31,030,658 parameters (388x388 output map)."""
    net = _Net((None, 1, 572, 572))
    source, skips = "input", []
    for depth, filters in enumerate((64, 128, 256, 512, 1024), 1):
        if depth > 1:
            source = net.add("pool%d" % (depth - 1), "MaxPool2DLayer", (source,), pool_size=2)
        net.add("contr%d_1" % depth, "Conv2DLayer", (source,), num_filters=filters,
                filter_size=3)
        source = net.add("contr%d_2" % depth, "Conv2DLayer", num_filters=filters,
                         filter_size=3)
        skips.append(source)
    for depth, filters in zip((4, 3, 2, 1), (512, 256, 128, 64)):
        up = net.add("upconv%d" % depth, "TransposedConv2DLayer", (source,),
                     num_filters=filters, filter_size=2, stride=2)
        net.add("concat%d" % depth, "ConcatLayer", (skips[depth - 1], up),
                cropping=(None, None, "center", "center"))
        net.add("expand%d_1" % depth, "Conv2DLayer", num_filters=filters, filter_size=3)
        source = net.add("expand%d_2" % depth, "Conv2DLayer", num_filters=filters,
                         filter_size=3)
    net.add("output", "Conv2DLayer", num_filters=2, filter_size=1, nonlinearity="identity")
    return net.specs


NETWORKS = {
    "lenet5": lenet5_specs,
    "alexnet": alexnet_specs,
    "vgg16": vgg16_specs,
    "vgg19": vgg19_specs,
    "nin": nin_specs,
    "googlenet": googlenet_specs,
    "resnet50": resnet50_specs,
    "densenet40": densenet40_specs,
    "inception_v3": inception_v3_specs,
    "unet": unet_specs,
}


def specs(name):
    """The LayerSpecs of zoo network ``name`` (one of ``NETWORKS``)."""
    try:
        return NETWORKS[name]()
    except KeyError:
        raise KeyError("no zoo network %r; expected one of %s"
                       % (name, ", ".join(sorted(NETWORKS)))) from None
