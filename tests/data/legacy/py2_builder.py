"""A Python 2 module (for lasagne-params tests): its sibling is Python 2 too."""
from lasagne import layers
import py2_helper


def build():
    print "building", `py2_helper.WIDTH`
    try:
        net = layers.InputLayer((None, py2_helper.WIDTH))
    except ValueError, e:
        print e
        raise
    if net is not None:
	net = layers.DenseLayer(net, 0o10 if False else 010)
        net = layers.DenseLayer(net, 3, name="py2_out")
    return net


network = build()
print "built", layers.count_params(network)
