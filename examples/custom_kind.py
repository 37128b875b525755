"""A layer class of your own, declared once so lasagne_params derives, costs and draws it.

Historical Lasagne code is full of small custom layers.  This file defines one the way such
code did — a learnt scale per channel, like Lasagne master's ScaleLayer, for Lasagne 0.1 —
and declares its kind with one call to ``lasagne_params.register_kind``.

Use it from the command line (``--kinds`` imports this file first)::

    lasagne-params show examples/custom_kind.yaml --kinds examples/custom_kind.py --check

or from Python (``import custom_kind`` declares the kind)::

    python examples/custom_kind.py
"""
import lasagne_params
from lasagne_params import Cost, Result

lasagne_params.install_compat()
import lasagne  # noqa: E402  (after the compatibility bridges)


class ChannelScaleLayer(lasagne.layers.Layer):
    """Multiplies each channel (axis 1) by a learnt factor: one parameter per channel."""

    def __init__(self, incoming, scales=lasagne.init.Constant(1.0), **kwargs):
        super().__init__(incoming, **kwargs)
        self.scales = self.add_param(scales, (self.input_shape[1],), name="scales",
                                     regularizable=False)

    def get_output_for(self, input, **kwargs):
        pattern = ["x", 0] + ["x"] * (input.ndim - 2)
        return input * self.scales.dimshuffle(*pattern)


def channel_scale(context):
    """The shape rule: the input's shape, and one scale per channel (``c`` parameters)."""
    channels = context.input_shape[1]
    context.require_known([channels], "the number of channels")
    return Result(context.input_shape, param_arrays=(
        context.param_array("scales", (channels,), regularizable=False),),
        param_formula="%d" % channels)


def channel_scale_cost(context):
    """The cost rule: one multiplication per element; the receptive field passes through."""
    return Cost((context.per_element("elementwise"),), context.input_receptive_field)


lasagne_params.register_kind(ChannelScaleLayer, rule=channel_scale, cost=channel_scale_cost,
                             family="special", arrays=("scales",), replace=True)


def build():
    """A small network using the custom layer, built in Lasagne: its output layer."""
    layers = lasagne.layers
    net = layers.InputLayer((None, 3, 32, 32), name="input")
    net = layers.Conv2DLayer(net, 16, 3, name="conv")
    net = ChannelScaleLayer(net, name="scale")
    net = layers.MaxPool2DLayer(net, 2, name="pool")
    return layers.DenseLayer(net, 10, name="out")


if __name__ == "__main__":
    print(lasagne_params.render(lasagne_params.derive(build()), "answer"))
    comparison = lasagne_params.compare(build())
    print(lasagne_params.render(comparison))
    raise SystemExit(0 if comparison.ok else 1)
