"""A module that prints while imported and while building (both must not reach stdout)."""
from lasagne.layers import DenseLayer, InputLayer

print("loading the noisy module")


def build():
    print("building")
    return DenseLayer(InputLayer((None, 3)), 2, name="noisy_out")
