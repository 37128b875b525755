"""Classic networks: their LayerSpecs (pure Python) and, built in Lasagne, their output layers.

The descriptions live in :mod:`lasagne_params.describe.zoo` (see its table
of networks and published totals); this module adds ``<name>(init=None)``,
which builds one in Lasagne and returns its output layer.
"""
from .describe.zoo import (MASTER_ONLY, MASTER_TOTALS, NETWORKS, PUBLISHED_TOTALS,
                           alexnet_specs, densenet40_specs, googlenet_specs,
                           inception_v3_specs, lenet5_specs,
                           nin_specs, resnet50_specs, specs, unet_specs, vgg16_specs,
                           vgg19_specs)

__all__ = ["NETWORKS", "PUBLISHED_TOTALS", "MASTER_TOTALS", "MASTER_ONLY", "specs", "build",
           "lenet5_specs", "alexnet_specs", "vgg16_specs", "vgg19_specs", "nin_specs",
           "googlenet_specs", "resnet50_specs", "densenet40_specs", "inception_v3_specs",
           "unet_specs", "lenet5", "alexnet", "vgg16", "vgg19", "nin", "googlenet", "resnet50",
           "densenet40", "inception_v3", "unet"]


def build(name, init=None):
    """Zoo network ``name`` built in Lasagne; its output layer.

    ``init`` initializes every parameter array (default: Lasagne's own
    initializers); pass cheap float32 zeros to build VGG quickly.
    """
    from .backend.networks.build import build_layers
    return next(reversed(build_layers(specs(name), init=init).values()))


def lenet5(init=None):
    """LeNet-5 built in Lasagne; its output layer (see :func:`build`)."""
    return build("lenet5", init)


def alexnet(init=None):
    """AlexNet built in Lasagne; its output layer (see :func:`build`)."""
    return build("alexnet", init)


def vgg16(init=None):
    """VGG-16 built in Lasagne (allocates 138M weights); its output layer."""
    return build("vgg16", init)


def vgg19(init=None):
    """VGG-19 built in Lasagne (allocates 144M weights); its output layer."""
    return build("vgg19", init)


def nin(init=None):
    """Network-in-Network (CIFAR-10) built in Lasagne; its output layer."""
    return build("nin", init)


def googlenet(init=None):
    """GoogLeNet built in Lasagne; its output layer (see :func:`build`)."""
    return build("googlenet", init)


def resnet50(init=None):
    """ResNet-50 built in Lasagne master; its output layer (see :func:`build`)."""
    return build("resnet50", init)


def densenet40(init=None):
    """DenseNet-40 (k=12) built in Lasagne master; its output layer."""
    return build("densenet40", init)


def inception_v3(init=None):
    """Inception-v3 built in Lasagne master; its output layer."""
    return build("inception_v3", init)


def unet(init=None):
    """U-Net built in Lasagne master; its output layer."""
    return build("unet", init)
