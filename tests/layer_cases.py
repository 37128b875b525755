"""Hand-computed figures of every Lasagne 0.1 CPU layer class, shared by the rule tests
(derived values) and the Lasagne tests (the same layers built in Lasagne)."""

# (kind, args, input shapes, output shape, params, trainable, param formula or None)
CASES = [
    # Conv1DLayer: (f*c+1)*k, length ((L+pads-f)//s)+1
    ("Conv1DLayer", {"num_filters": 8, "filter_size": 5}, [(None, 4, 20)],
     (None, 8, 16), (5 * 4 + 1) * 8, None, "(5*4+1)*8"),
    ("Conv1DLayer", {"num_filters": 8, "filter_size": 4, "stride": 2, "pad": "same"},
     [(None, 4, 20)], (None, 8, 10), (4 * 4 + 1) * 8, None, "(4*4+1)*8"),
    ("Conv1DLayer", {"num_filters": 2, "filter_size": 3, "stride": 3, "pad": "full"},
     [(None, 4, 20)], (None, 2, 8), (3 * 4 + 1) * 2, None, None),       # (20+4-3)//3+1
    ("Conv1DLayer", {"num_filters": 8, "filter_size": 5, "untie_biases": True},
     [(None, 4, 20)], (None, 8, 16), 5 * 4 * 8 + 8 * 16, None, "5*4*8 + 8*16"),
    ("Conv1DLayer", {"num_filters": 8, "filter_size": 5, "b": None}, [(None, 4, 20)],
     (None, 8, 16), 5 * 4 * 8, None, "5*4*8"),
    # NINLayer: (c+1)*u
    ("NINLayer", {"num_units": 64}, [(None, 32, 7, 7)], (None, 64, 7, 7), 2112, None,
     "(32+1)*64"),
    ("NINLayer", {"num_units": 64, "untie_biases": True}, [(None, 32, 7, 7)],
     (None, 64, 7, 7), 32 * 64 + 64 * 7 * 7, None, "32*64 + 64*7*7"),
    ("NINLayer", {"num_units": 64, "b": None}, [(None, 32, 7, 7)], (None, 64, 7, 7),
     32 * 64, None, "32*64"),
    ("NINLayer", {"num_units": 3}, [(None, 10)], (None, 3), 33, None, "(10+1)*3"),
    # EmbeddingLayer: V*d
    ("EmbeddingLayer", {"input_size": 10000, "output_size": 300}, [(None, 50)],
     (None, 50, 300), 3000000, None, "10000*300"),
    # pooling and feature layers: no parameters
    ("MaxPool1DLayer", {"pool_size": 3}, [(None, 4, 20)], (None, 4, 6), 0, None, None),
    ("MaxPool1DLayer", {"pool_size": 3, "stride": 2, "ignore_border": False},
     [(None, 4, 20)], (None, 4, 10), 0, None, None),            # max(0,(20-3+1)//2)+1
    ("FeaturePoolLayer", {"pool_size": 4}, [(None, 12, 5)], (None, 3, 5), 0, None, None),
    ("FeaturePoolLayer", {"pool_size": 3, "axis": 2}, [(None, 12, 6)], (None, 12, 2), 0,
     None, None),
    ("FeatureWTALayer", {"pool_size": 3}, [(None, 12, 6)], (None, 12, 6), 0, None, None),
    ("GlobalPoolLayer", {}, [(None, 32, 5, 5)], (None, 32), 0, None, None),
    ("GlobalPoolLayer", {}, [(7, 32, 5)], (7, 32), 0, None, None),
    ("LocalResponseNormalization2DLayer", {"n": 3}, [(None, 8, 5, 5)], (None, 8, 5, 5), 0,
     None, None),
    # shape layers
    ("DimshuffleLayer", {"pattern": (0, 3, "x", 1)}, [(None, 3, 1, 5)], (None, 5, 1, 3), 0,
     None, None),
    ("PadLayer", {"width": 2}, [(None, 3, 8, 8)], (None, 3, 12, 12), 0, None, None),
    ("PadLayer", {"width": [(1, 2), 0]}, [(None, 3, 8, 8)], (None, 3, 11, 8), 0, None, None),
    ("PadLayer", {"width": 1, "batch_ndim": 1}, [(None, 3, 8, 8)], (None, 5, 10, 10), 0,
     None, None),
    ("PadLayer", {"width": 1}, [(None, 3, None)], (None, 3, None), 0, None, None),
    ("SliceLayer", {"indices": slice(2, None, 3), "axis": 1}, [(None, 10, 4)],
     (None, 3, 4), 0, None, None),                               # 2, 5, 8
    ("SliceLayer", {"indices": -1, "axis": 1}, [(None, 10, 4)], (None, 4), 0, None, None),
    ("SliceLayer", {"indices": [0, 2]}, [(None, 10, 4)], (None, 10, 2), 0, None, None),
    ("SliceLayer", {"indices": slice(0, 3)}, [(None, 10, None)], (None, 10, None), 0, None,
     None),
    # merges
    ("ConcatLayer", {}, [(None, 3, 8, 8), (None, 5, 8, 8)], (None, 8, 8, 8), 0, None, None),
    ("ConcatLayer", {"axis": -1}, [(None, 3, 4), (None, 3, 2), (None, 3, 1)], (None, 3, 7),
     0, None, None),
    ("ConcatLayer", {}, [(None, 3, 8), (None, None, 8)], (None, None, 8), 0, None, None),
    ("ElemwiseSumLayer", {"coeffs": [1, -1]}, [(None, 3, 4), (None, 3, 4)], (None, 3, 4), 0,
     None, None),
    ("ElemwiseMergeLayer", {"merge_function": "maximum"}, [(2, 3), (2, 3), (2, 3)], (2, 3),
     0, None, None),
    # recurrent layers: input (batch, sequence, features)
    ("RecurrentLayer", {"num_units": 16}, [(None, 20, 8)], (None, 20, 16),
     (8 + 16 + 1) * 16 + 16, (8 + 16 + 1) * 16, "(8+16+1)*16 + 16"),
    ("RecurrentLayer", {"num_units": 16, "b": None, "learn_init": True}, [(None, 20, 8)],
     (None, 20, 16), (8 + 16) * 16 + 16, (8 + 16) * 16 + 16, "(8+16)*16 + 16"),
    ("LSTMLayer", {"num_units": 20}, [(None, 30, 10)], (None, 30, 20),
     4 * (10 + 20 + 1) * 20 + 3 * 20 + 2 * 20, 4 * (10 + 20 + 1) * 20 + 3 * 20,
     "4*(10+20+1)*20 + 3*20 + 2*20"),
    ("LSTMLayer", {"num_units": 20, "peepholes": False, "learn_init": True},
     [(None, 30, 10)], (None, 30, 20), 2520, 2520, "4*(10+20+1)*20 + 2*20"),
    ("LSTMLayer", {"num_units": 20, "cell_init": None, "hid_init": None}, [(None, 30, 10)],
     (None, 30, 20), 2540, 2540, "4*(10+20+1)*20 + 3*20"),
    ("LSTMLayer", {"num_units": 5}, [(None, 6, 3, 4)], (None, 6, 5),
     4 * (12 + 5 + 1) * 5 + 15 + 10, 4 * (12 + 5 + 1) * 5 + 15, "4*(3*4+5+1)*5 + 3*5 + 2*5"),
    ("LSTMLayer", {"num_units": 5, "only_return_final": True}, [(None, 6, 3)], (None, 5),
     4 * 9 * 5 + 15 + 10, 4 * 9 * 5 + 15, None),
    ("LSTMLayer", {"num_units": 5}, [(4, 6, 3), (4, 6)], (4, 6, 5), 4 * 9 * 5 + 25,
     4 * 9 * 5 + 15, None),                                       # with a mask
    ("GRULayer", {"num_units": 20}, [(None, 30, 10)], (None, 30, 20),
     3 * (10 + 20 + 1) * 20 + 20, 3 * (10 + 20 + 1) * 20 + 20, "3*(10+20+1)*20 + 20"),
    ("GRULayer", {"num_units": 20, "learn_init": False}, [(None, 30, 10)], (None, 30, 20),
     1880, 1860, None),
]
