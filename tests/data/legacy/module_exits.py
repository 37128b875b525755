"""A module that ends the process when imported (as scripts with sys.exit at the end do)."""
import sys

from lasagne.layers import DenseLayer, InputLayer

network = DenseLayer(InputLayer((None, 3)), 2)
sys.exit(0)
