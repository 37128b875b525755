"""Tables for networks beyond the question's: trainable column, shared arrays, notes."""
import textwrap

from helpers import chain
import lasagne_params as lp
from lasagne_params import LayerSpec


def text_classifier():
    """Embedding -> LSTM -> GRU (last step: only_return_final, Lasagne master), two heads
    sharing one weight matrix."""
    specs = chain(("words", "InputLayer", {"shape": (None, 50)}),
                  ("embed", "EmbeddingLayer", {"input_size": 10000, "output_size": 300}),
                  ("lstm", "LSTMLayer", {"num_units": 128}),
                  ("gru", "GRULayer", {"num_units": 64, "only_return_final": True}),
                  ("out", "DenseLayer", {"num_units": 2}))
    return specs + [LayerSpec("tied", "DenseLayer", ("gru",),
                              {"num_units": 2, "W": {"shared": "out.W"}, "b": None})]


def test_trainable_column_shared_arrays_and_notes():
    assert lp.render(lp.derive(text_classifier(), "master"), "answer") == textwrap.dedent("""\
          #  name      size                                       parameters    trainable
        ---  ------  ------    ---------------------------------------------  -----------
          0  words       50                                                0            0
          1  embed   50x300    10000*300                         = 3'000'000    3'000'000
          2  lstm    50x128    4*(300+128+1)*128 + 3*128 + 2*128 =   220'288      220'032
          3  gru         64    3*(128+64+1)*64 + 64              =    37'120       37'056
          4  out          2    (64+1)*2                          =       130          130
          5  tied         2    64*2                              =       128          128

        total: 3'000'000 + 220'288 + 37'120 + 130 + 128 = 3'257'666, counting each shared array once: 3'257'538 (3'257'218 trainable)

        shared arrays (each counted once in the total):
          out.W: out, tied
        """)


def test_the_summary_has_incoming_and_non_trainable_params():
    """Two outputs (out, tied): an incoming column and one total for the network; the
    LSTM's hid_init and cell_init and the GRU's hid_init (not learnt) are non-trainable."""
    text = lp.render(lp.derive(text_classifier(), "master"))
    assert text.splitlines()[0].split() == ["#", "name", "kind", "incoming", "size",
                                            "parameters", "trainable"]
    assert "  5  tied    DenseLayer      gru              2    64*2" in text
    total = 10000 * 300 + (4 * (300 + 128 + 1) * 128 + 3 * 128 + 2 * 128) \
        + (3 * (128 + 64 + 1) * 64 + 64) + (64 + 1) * 2 + 0    # tied's W is out's: once
    assert text.endswith("Total params: %s (all 2 outputs: out, tied)\n"
                         "Trainable params: %s\nNon-trainable params: %s\n"
                         % (format(total, ","), format(total - (2 * 128 + 64), ","),
                            format(2 * 128 + 64, ",")))


def test_json_carries_notes_and_derived_flags():
    import json
    data = json.loads(lp.render(lp.derive(text_classifier(), "master"), "json"))
    assert data["shared"] == {"out.W": ["out", "tied"]}
    lstm_trainable = 4 * (300 + 128 + 1) * 128 + 3 * 128        # initial states not learnt
    assert data["trainable_params"] == (10000 * 300 + lstm_trainable     # master: nor the
                                        + 3 * (128 + 64 + 1) * 64 + (64 + 1) * 2)   # GRU's
    lstm = data["layers"][2]
    assert lstm["derived"] is True and lstm["trainable_params"] == lstm_trainable
    assert {a["name"]: a["trainable"] for a in lstm["param_arrays"]}["cell_init"] is False


def test_comparison_shows_trainable_columns(lasagne, recurrent_net):
    text = lp.render(lp.compare(recurrent_net))
    lines = text.splitlines()
    assert lines[0].split() == ["#", "name", "kind", "derived", "size", "Lasagne", "size",
                                "derived", "params", "Lasagne", "params", "derived",
                                "trainable", "Lasagne", "trainable", "check"]
    lstm = next(line for line in lines if " lstm " in line).split()
    assert lstm[-5:] == ["148", "148", "140", "140", "ok"]
    assert text.endswith("all 7 layers agree\n")
