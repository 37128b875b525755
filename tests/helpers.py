"""What the tests share: paths, the question's network and figures, small helpers.

Test modules import from here (never from each other); fixtures live in
``conftest.py``.  Everything the tests read is inside the repository
(``tests/data``, ``examples``); nothing beside the checkout is needed.
"""
import os
import shutil
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET

from lasagne_params import LayerSpec

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "tests", "data")
#: The Stack Overflow question and its accepted answer (see tests/data/seed/README.md).
SEED = os.path.join(DATA, "seed")
NETS = os.path.join(DATA, "nets.py")
NOLEARN_JSON = os.path.join(DATA, "question_nolearn.json")
LAYERS_YAML = os.path.join(DATA, "question_layers.yaml")
EXAMPLE = os.path.join(ROOT, "examples", "question_neuralnet.py")
SCRIPT = shutil.which("lasagne-params", path=os.path.dirname(sys.executable))
LEGACY = os.path.join(DATA, "legacy")          # historical-style scripts (see its README)
QUESTION_NETS = [NOLEARN_JSON, LAYERS_YAML, NETS + ":question_neuralnet", EXAMPLE + ":network"]

# The question's network, layer by layer, as the accepted answer computes it.
QUESTION_NAMES = ["input", "conv2d1", "maxpool1", "conv2d2", "maxpool2", "dense", "output"]
QUESTION_SHAPES = [(None, 1, 28, 28), (None, 32, 24, 24), (None, 32, 12, 12),
                   (None, 32, 10, 10), (None, 32, 5, 5), (None, 256), (None, 10)]
QUESTION_PARAMS = [0, (5 * 5 * 1 + 1) * 32, 0, (3 * 3 * 32 + 1) * 32, 0,
                   (32 * 5 * 5 + 1) * 256, (256 + 1) * 10]
TOTAL_LINE = "total: 832 + 9'248 + 205'056 + 2'570 = 217'706"

# The accepted answer's table (its header aligned with its columns) and the
# question's nolearn layer table, verbatim.
ANSWER_TABLE = """\
  #  name                           size                 parameters
---  --------  -------------------------    ------------------------
  0  input                       1x28x28                           0
  1  conv2d1   (28-(5-1))=24 -> 32x24x24    (5*5*1+1)*32   =     832
  2  maxpool1                   32x12x12                           0
  3  conv2d2   (12-(3-1))=10 -> 32x10x10    (3*3*32+1)*32  =   9'248
  4  maxpool2                     32x5x5                           0
  5  dense                           256    (32*5*5+1)*256 = 205'056
  6  output                           10    (256+1)*10     =   2'570
"""

QUESTION_TABLE = """\
  #  name      size
---  --------  --------
  0  input     1x28x28
  1  conv2d1   32x24x24
  2  maxpool1  32x12x12
  3  conv2d2   32x10x10
  4  maxpool2  32x5x5
  5  dense     256
  6  output    10
"""

# The default table (Keras's summary() and torchinfo's layout): the answer's derivations,
# each layer's kind, digits grouped with "," and the three closing lines both print.
SUMMARY_TABLE = """\
  #  name      kind                                 size                  parameters
---  --------  --------------  -------------------------    ------------------------
  0  input     InputLayer                        1x28x28                           0
  1  conv2d1   Conv2DLayer     (28-(5-1))=24 -> 32x24x24    (5*5*1+1)*32   =     832
  2  maxpool1  MaxPool2DLayer       24//2=12 -> 32x12x12                           0
  3  conv2d2   Conv2DLayer     (12-(3-1))=10 -> 32x10x10    (3*3*32+1)*32  =   9,248
  4  maxpool2  MaxPool2DLayer          10//2=5 -> 32x5x5                           0
  5  dense     DenseLayer                            256    (32*5*5+1)*256 = 205,056
  6  output    DenseLayer                             10    (256+1)*10     =   2,570

Total params: 217,706
Trainable params: 217,706
Non-trainable params: 0
"""

QUESTION_COLUMNS = """\
  #  name                    parameters                             MACs      output bytes    receptive field
---  --------  ------------------------    -----------------------------    --------------    ---------------------
  0  input                            0                                0           3.14 KB    1
  1  conv2d1   (5*5*1+1)*32   =     832    (32*24*24)*(5*5*1)  = 460,800          73.73 KB    1+(5-1)*1=5
  2  maxpool1                         0                                0          18.43 KB    5+(2-1)*1=6, jump 2
  3  conv2d2   (3*3*32+1)*32  =   9,248    (32*10*10)*(3*3*32) = 921,600          12.80 KB    6+(3-1)*2=10, jump 2
  4  maxpool2                         0                                0           3.20 KB    10+(2-1)*2=12, jump 4
  5  dense     (32*5*5+1)*256 = 205,056    (32*5*5)*256        = 204,800           1.02 KB    n/a
  6  output    (256+1)*10     =   2,570    256*10              =   2,560              40 B    n/a

batch 1 x float32 (4 bytes per element); per-layer counts per example, output bytes for the batch

Total params:                                     217,706
Trainable params:                                 217,706
Non-trainable params:                             0
Total MACs:                                       1.59 M
  bias adds:                                      21.90 K
  pool ops:                                       21.63 K
  elementwise ops:                                21.90 K
Total mult-adds (MACs + bias adds, as torchinfo): 1.61 M
Input size:                                       3.14 KB
Forward/backward pass size:                       175.18 KB
Params size:                                      870.82 KB
Estimated Total Size:                             1.05 MB
"""


def seed_text(name):
    """The text of a file of ``tests/data/seed``."""
    with open(os.path.join(SEED, name), encoding="utf-8") as fh:
        return fh.read()


def chain(*layers):
    """LayerSpecs for a chain: (name, kind, args) triples, each fed by the one before."""
    specs, prev = [], ()
    for name, kind, args in layers:
        specs.append(LayerSpec(name, kind, prev, dict(args)))
        prev = (name,)
    return specs


def single_layer(kind, args, inputs):
    """LayerSpecs of one layer ``x`` fed by InputLayers of the shapes ``inputs``."""
    specs = [LayerSpec("in%d" % i if i else "in", "InputLayer", (), {"shape": shape})
             for i, shape in enumerate(inputs)]
    if kind == "EmbeddingLayer":
        specs[0].args["dtype"] = "int32"
    return specs + [LayerSpec("x", kind, tuple(s.name for s in specs), dict(args))]


def derive_one(kind, args, *input_shapes, version=None):
    """Derive one layer fed by InputLayers of ``input_shapes``; return its row.

    ``version``: the Lasagne version whose semantics apply (default: the installed one's).
    """
    from lasagne_params import derive
    return derive(single_layer(kind, args, input_shapes), version).layers[-1]


def assert_row_formulas_evaluate(row):
    """A row's parameter formula evaluates to its count, each shape derivation to its value."""
    if row.param_formula:
        assert eval(row.param_formula, {}) == row.params, (row.name, row.param_formula)
    elif row.params:
        raise AssertionError("%s has %d parameters but no formula" % (row.name, row.params))
    derivation = row.shape_formula.rpartition(" -> ")[0]
    for part in filter(None, derivation.split(", ")):
        lhs, _, value = part.rpartition("=")
        assert eval(lhs, {"max": max, "len": len, "range": range}) == int(value), (
            row.name, part)


def assert_formulas_evaluate(report):
    """assert_row_formulas_evaluate for every derived row of ``report``."""
    for row in report.layers:
        if row.derived:
            assert_row_formulas_evaluate(row)


def cli(*args, cwd=ROOT):
    assert SCRIPT, "the lasagne-params console script is not installed next to python"
    return subprocess.run([SCRIPT, *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300)


def run_cli(capsys, *args):
    """The command line run in this process (quicker than :func:`cli`): status, stdout, stderr."""
    import types
    from lasagne_params.cli import main
    capsys.readouterr()
    status = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return types.SimpleNamespace(returncode=status, stdout=out, stderr=err)


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


SVG = "{http://www.w3.org/2000/svg}"


def svg_texts_and_edges(path):
    """Every text line in the SVG, and its edges as (from, to) node ids."""
    root = ET.parse(path).getroot()
    assert root.tag == SVG + "svg"
    texts = [t.text for t in root.iter(SVG + "text")]
    edges = [tuple(g.find(SVG + "title").text.split("->"))
             for g in root.iter(SVG + "g") if g.get("class") == "edge"]
    return texts, edges


def png_size(path):
    with open(path, "rb") as fh:
        head = fh.read(24)
    assert head[:8] == b"\x89PNG\r\n\x1a\n" and head[12:16] == b"IHDR"
    return struct.unpack(">II", head[16:24])


def check_network(specs, sinks, version=None):
    """Build ``specs`` in the installed Lasagne and assert the derivation agrees everywhere
    (every layer, the totals, the spec-derived figures, every formula); return the outputs
    and the Comparison.  ``version`` is the Lasagne version the specs are derived for."""
    import lasagne_params as lp
    from lasagne_params.backend.networks.build import build_layers
    layers = build_layers(specs)
    outputs = [layers[name] for name in sinks]
    comparison = lp.compare(outputs)
    assert comparison.ok, lp.render(comparison)
    assert_formulas_evaluate(comparison.derived)
    for layer in lp.derive_costs(specs, lasagne_version=version).layers:
        for op in layer.ops:          # every kind has a cost rule
            assert op.count is None or eval(op.formula) == op.count, (layer.name, op)
    from_specs = {row.name: row for row in lp.derive(specs, version).layers}
    for row in comparison.derived.layers:
        mine = from_specs[row.name]
        assert (mine.output_shape, mine.params, mine.trainable_params, mine.param_formula,
                mine.shape_formula) == (row.output_shape, row.params, row.trainable_params,
                                        row.param_formula, row.shape_formula), row.name
    return outputs, comparison


def forward_shapes(outputs, batch=2):
    """The shape of every layer's array in one compiled forward pass on random inputs
    (zeros for integer inputs), in ``get_all_layers`` order."""
    import numpy as np
    import theano
    from lasagne import layers as L
    all_layers = L.get_all_layers(outputs)
    inputs = [layer for layer in all_layers if isinstance(layer, L.InputLayer)]
    f = theano.function([layer.input_var for layer in inputs],
                        L.get_output(all_layers, deterministic=True),
                        on_unused_input="ignore")
    rng = np.random.RandomState(0)
    data = []
    for layer in inputs:
        shape = tuple(batch if d is None else d for d in layer.shape)
        if str(layer.input_var.dtype).startswith("int"):
            data.append(np.zeros(shape, dtype=layer.input_var.dtype))
        else:
            data.append(rng.rand(*shape).astype(theano.config.floatX))
    return [a.shape for a in f(*data)]


#: LSTM gates, a shared gate array, an untagged bias, hid_init=None and a
#: CustomRecurrentLayer's sub-networks, as a spec list.
RECURRENT_SPECS = [
    LayerSpec("in", "InputLayer", (), {"shape": (None, 5, 3)}),
    LayerSpec("mask", "InputLayer", (), {"shape": (None, 5)}),
    LayerSpec("lstm", "LSTMLayer", ("in", "mask"), {"num_units": 4}),
    LayerSpec("custom", "CustomRecurrentLayer", ("lstm",), {
        "input_to_hidden": [LayerSpec("i2h_in", "InputLayer", (), {"shape": (None, 4)}),
                            LayerSpec("i2h", "DenseLayer", ("i2h_in",), {"num_units": 6})],
        "hidden_to_hidden": [LayerSpec("h2h_in", "InputLayer", (), {"shape": (None, 6)}),
                             LayerSpec("h2h", "DenseLayer", ("h2h_in",),
                                       {"num_units": 6, "b": None})]}),
    LayerSpec("tied", "LSTMLayer", ("custom",), {
        "num_units": 4, "peepholes": False, "hid_init": None,
        "W_hid_to_ingate": {"shared": "lstm.W_hid_to_ingate"},
        "b_ingate": {"trainable": False}}),
]


def cli_process(*args, env=None, timeout=120, **options):
    """The command line in a subprocess, bytes out (for tests of odd environments)."""
    assert SCRIPT, "the lasagne-params console script is not installed next to python"
    full_env = dict(os.environ, **(env or {}))
    return subprocess.run([SCRIPT, *args], env=full_env, timeout=timeout,
                          capture_output="stdout" not in options, **options)


def assert_one_error_line(done, *fragments):
    """Exit status 2, one ``lasagne-params: error:`` line on stderr holding every fragment."""
    err = done.stderr.decode("utf-8", "replace") if isinstance(done.stderr, bytes) \
        else done.stderr
    assert done.returncode == 2, (done.returncode, err)
    assert "Traceback" not in err, err
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("lasagne-params: error: "), err
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    return lines[0]


def layer_list(*layers):
    """A spec file's data in the layer-list form."""
    return {"layers": list(layers)}


def input_layer(shape=(None, 4), name="in"):
    return {"name": name, "kind": "InputLayer", "shape": list(shape)}


def dense_layer(units=2, name="d", **args):
    return dict({"name": name, "kind": "DenseLayer", "num_units": units}, **args)


def write_json(tmp_path, name, data):
    import json
    path = tmp_path / name
    path.write_text(json.dumps(data))
    return str(path)


# ---------------------------------------------------------------- Python 2 pickles

def python2_pickle(value):
    """``value`` pickled as Python 2's cPickle wrote it with protocol 2 (nolearn's
    ``save_params_to``): byte strings as Python 2 ``str`` (SHORT_BINSTRING /
    BINSTRING, read back as latin-1), numpy arrays as Python 2's numpy reduced them
    (``numpy.core.multiarray._reconstruct`` and a state tuple holding the raw
    bytes as a ``str``), OrderedDicts as ``OrderedDict([[key, value], ...])``.

    Written opcode by opcode (``pickle``'s names for them), since Python 3 cannot
    write a Python 2 ``str``."""
    import collections
    import pickle
    import struct

    import numpy

    out = [pickle.PROTO + b"\x02"]

    def text(data):                     # a Python 2 str: bytes the reader decodes
        data = data.encode("latin-1") if isinstance(data, str) else data
        if len(data) < 256:
            out.append(pickle.SHORT_BINSTRING + bytes([len(data)]) + data)
        else:
            out.append(pickle.BINSTRING + struct.pack("<i", len(data)) + data)

    def glob(module, name):
        out.append(pickle.GLOBAL + module.encode() + b"\n" + name.encode() + b"\n")

    def tuple_of(items):
        out.append(pickle.MARK)
        for item in items:
            emit(item)
        out.append(pickle.TUPLE)

    def dtype(value):
        glob("numpy", "dtype")
        tuple_of([value.str[1:], 0, 1])                     # dtype('f4', 0, 1)
        out.append(pickle.REDUCE)
        tuple_of([3, value.str[0], None, None, None, -1, -1, 0])
        out.append(pickle.BUILD)

    def emit(item):
        if item is None:
            out.append(pickle.NONE)
        elif isinstance(item, bool):
            out.append(pickle.NEWTRUE if item else pickle.NEWFALSE)
        elif isinstance(item, int):
            out.append(pickle.BININT + struct.pack("<i", item))
        elif isinstance(item, (str, bytes)):
            text(item)
        elif isinstance(item, numpy.dtype):
            dtype(item)
        elif isinstance(item, numpy.ndarray):
            glob("numpy.core.multiarray", "_reconstruct")
            out.append(pickle.MARK)
            glob("numpy", "ndarray")
            tuple_of([0])
            text("b")
            out.append(pickle.TUPLE + pickle.REDUCE)
            out.append(pickle.MARK)
            emit(1)
            tuple_of(list(item.shape))
            dtype(item.dtype)
            out.append(pickle.NEWFALSE)
            text(numpy.ascontiguousarray(item).tobytes())
            out.append(pickle.TUPLE + pickle.BUILD)
        elif isinstance(item, tuple):
            tuple_of(item)
        elif isinstance(item, collections.OrderedDict):
            glob("collections", "OrderedDict")
            out.append(pickle.MARK)
            emit([[key, value] for key, value in item.items()])
            out.append(pickle.TUPLE + pickle.REDUCE)
        elif isinstance(item, list):
            out.append(pickle.EMPTY_LIST + pickle.MARK)
            for element in item:
                emit(element)
            out.append(pickle.APPENDS)
        elif isinstance(item, dict):
            out.append(pickle.EMPTY_DICT + pickle.MARK)
            for key, element in item.items():
                emit(key)
                emit(element)
            out.append(pickle.SETITEMS)
        else:
            raise TypeError("python2_pickle writes no %s" % type(item).__name__)

    emit(value)
    out.append(pickle.STOP)
    return b"".join(out)


def gadget_pickle(module, name, *args):
    """A pickle whose loading calls ``module.name(*args)`` (a ``__reduce__`` gadget),
    inside a list of arrays as a weights file would hold it."""
    import pickle
    import struct
    call = (pickle.GLOBAL + module.encode() + b"\n" + name.encode() + b"\n" + pickle.MARK
            + b"".join(pickle.BINUNICODE + struct.pack("<I", len(a.encode())) + a.encode()
                       for a in args)
            + pickle.TUPLE + pickle.REDUCE)
    return (pickle.PROTO + b"\x02" + pickle.EMPTY_LIST + pickle.MARK + call + pickle.APPENDS
            + pickle.STOP)


def correlate(x, w, pad, stride):
    """numpy cross-correlation of (N, C, H, W) with (F, C, fh, fw), as a GPU convolution
    computes it by default (no filter flip): the reference the GPU stand-ins are held to."""
    import numpy as np
    x = np.pad(x, ((0, 0), (0, 0), (pad[0], pad[0]), (pad[1], pad[1])))
    fh, fw = w.shape[2:]
    rows = range(0, x.shape[2] - fh + 1, stride[0])
    cols = range(0, x.shape[3] - fw + 1, stride[1])
    out = np.empty((x.shape[0], w.shape[0], len(rows), len(cols)))
    for i, r in enumerate(rows):
        for j, c in enumerate(cols):
            out[:, :, i, j] = np.tensordot(x[:, :, r:r + fh, c:c + fw], w,
                                           axes=([1, 2, 3], [1, 2, 3]))
    return out
