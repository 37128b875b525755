"""Try the command line with hostile and careless inputs; report what each one got.

    python tools/hostile.py [--only SUBSTRING] [--verbose]

Every case runs ``lasagne-params`` in a subprocess (a time limit, a scratch
folder) and is judged: **handled** is exit 0/1 with a result, or exit 2
with exactly one ``lasagne-params: error:`` line and no traceback, with no
file lost or half-written and (for cases that say so) the expected exit
status or message; anything else (a traceback, a hang, a crash, a silently
wrong count, a lost file) is **not handled**.  The cases are the attacks of
issue 13 and more found since; add new ones here.  Not part of the test
suite (it takes a few minutes); ``tests/test_hostile.py`` keeps the
essential ones in CI.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

SCRIPT = shutil.which("lasagne-params", path=os.path.dirname(sys.executable)) or "lasagne-params"
#: The command tried: ``lasagne-params`` beside this Python, or ``--command`` (say
#: ``"env PYTHONPATH=/other/checkout python -m lasagne_params"`` to try another version).
COMMAND = [SCRIPT]
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
QUESTION_YAML = os.path.join(ROOT, "tests", "data", "question_layers.yaml")
QUESTION_JSON = os.path.join(ROOT, "tests", "data", "question_nolearn.json")


def layer_list(*layers, **top):
    return dict({"layers": list(layers)}, **top)


def inp(shape=(None, 4), name="in"):
    return {"name": name, "kind": "InputLayer", "shape": list(shape)}


def dense(units=2, name="d", **args):
    return dict({"name": name, "kind": "DenseLayer", "num_units": units}, **args)


def chain(n, units=3):
    return layer_list(inp((None, units)), *[dense(units, "d%d" % i) for i in range(n)])


def nested_recurrent(depth):
    net = [inp((None, 2)), dense(3, "h")]
    for level in range(depth):
        net = [inp((None, 5, 3), "x%d" % level),
               {"name": "r%d" % level, "kind": "CustomRecurrentLayer",
                "input_to_hidden": [inp((None, 3), "i"), dense(3, "i2h", incoming="i")],
                "hidden_to_hidden": net}]
    return layer_list(*net)


# (name, files {name: text or bytes or callable(folder)}, argv, checks)
# argv entries "{d}" are replaced by the scratch folder.  checks: {"status": n,
# "stderr": substring, "stdout": substring, "unchanged": file, "absent": file,
# "env": {...}, "stdin": bytes, "stdout_file": path, "timeout": s}.
def cases():
    big = "1" + "0" * 5000
    q = open(QUESTION_YAML, encoding="utf-8").read()
    j = open(QUESTION_JSON, encoding="utf-8").read()
    out = []

    def spec(name, data, suffix=".json", status=2, stderr=None, argv=("show",), **more):
        text = data if isinstance(data, (str, bytes)) else json.dumps(data)
        files = {"net" + suffix: text}
        out.append((name, files, list(argv) + ["{d}/net" + suffix] + more.pop("extra", []),
                    dict(more, status=status, stderr=stderr)))

    # --- malformed files
    spec("empty json", "")
    spec("empty yaml", "", ".yaml")
    spec("json null", "null")
    spec("json list", "[]")
    spec("json string", '"layers"')
    spec("json NaN", '{"layers": [{"name": "in", "kind": "InputLayer", "shape": [null, NaN]}]}',
         stderr="NaN")
    spec("json Infinity units", json.dumps(layer_list(inp(), dense(2))).replace('"num_units": 2', '"num_units": Infinity'))
    spec("json BOM", "\ufeff" + json.dumps(chain(1)), status=0)
    spec("latin-1 bytes", b'{"layers": [{"name": "\xe9", "kind": "InputLayer", "shape": [null, 4]}]}',
         stderr="not UTF-8")
    spec("nul bytes", b"\x00" * 100)
    spec("binary garbage", os.urandom(4096))
    spec("deep json list", "[" * 100000 + "]" * 100000)
    spec("deep json dict", '{"a":' * 50000 + "1" + "}" * 50000)
    spec("deep yaml flow", "[" * 100000 + "]" * 100000, ".yaml")
    spec("deep yaml block", "- " * 5000 + "a", ".yaml")
    spec("yaml self anchor", "layers: &a [*a]\n", ".yaml", stderr="contains itself")
    spec("yaml anchor in mapping", "a: &a {b: *a}\nlayers: []\n", ".yaml")
    spec("yaml billion laughs", "a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
         "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
         "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
         "layers: *f\n", ".yaml", stderr="more values than the file has characters")
    spec("yaml python tag", "!!python/object/apply:os.system ['echo PWNED']\n", ".yaml")
    spec("yaml python name", "layers: !!python/name:os.system\n", ".yaml")
    spec("yaml binary", "layers: !!binary aGVsbG8=\n", ".yaml")
    spec("yaml set", "layers: !!set {a, b}\n", ".yaml")
    spec("yaml date key", "2001-01-01: 1\nlayers: []\n", ".yaml")
    spec("yaml bad date", "layers: 2001-02-30\n", ".yaml")
    spec("yaml duplicate key", "layers:\n- {name: in, kind: InputLayer, shape: [null, 4]}\n"
         "- {name: d, kind: DenseLayer, num_units: 2, num_units: 3000}\n", ".yaml",
         stderr="duplicate key")
    spec("yaml duplicate top key", "layers: []\nlayers:\n- {name: in, kind: InputLayer, shape: [null, 4]}\n",
         ".yaml", stderr="duplicate key")
    spec("json duplicate key", '{"layers": [{"name": "in", "kind": "InputLayer", "shape": [null, 4]},'
         '{"name": "d", "kind": "DenseLayer", "num_units": 2, "num_units": 3}]}', stderr="duplicate key")
    spec("yaml merge key ok", "base: &b {kind: DenseLayer, num_units: 2}\nlayers:\n"
         "- {name: in, kind: InputLayer, shape: [null, 4]}\n", ".yaml", status=2)
    spec("yaml huge int", "layers:\n- {name: in, kind: InputLayer, shape: [null, %s]}\n" % big, ".yaml")
    spec("yaml tab indent", "layers:\n\t- {name: in}\n", ".yaml")
    spec("yaml multi document", q + "\n---\n" + q, ".yaml")
    spec("yaml lone surrogate", 'layers:\n- {name: "\\ud800", kind: InputLayer, shape: [null, 4]}\n'
         '- {name: d, kind: DenseLayer, num_units: 2}\n', ".yaml", stderr="escape")
    # --- values and counts
    spec("json huge int units", json.dumps(layer_list(inp(), dense(2))).replace('"num_units": 2', '"num_units": ' + big))
    spec("huge dims product", layer_list(inp((None, 10 ** 1000, 10 ** 1000, 10 ** 1000, 10 ** 1000, 10 ** 1000)),
                                         {"name": "f", "kind": "FlattenLayer"}), stderr="more digits")
    spec("huge count json", layer_list(inp((None, 10 ** 2500)), dense(10 ** 2500)), status=0,
         argv=("show", "--format", "json"))
    spec("huge count csv", layer_list(inp((None, 10 ** 2500)), dense(10 ** 2500)), status=0,
         argv=("show", "--format", "csv"))
    spec("huge count markdown", layer_list(inp((None, 10 ** 2500)), dense(10 ** 2500)), status=0,
         argv=("show", "--format", "markdown"))
    spec("huge count explain", layer_list(inp((None, 10 ** 2500)), dense(10 ** 2500)), status=0,
         argv=("show", "--explain"))
    spec("huge count costs", layer_list(inp((None, 10 ** 2500)), dense(10 ** 2500)), status=0,
         argv=("show", "--costs"))
    spec("huge count costs json", layer_list(inp((None, 10 ** 2500)), dense(10 ** 2500)), status=0,
         argv=("show", "--costs", "--format", "json"))
    spec("huge units costs", layer_list(inp((None, 10 ** 200)), dense(10 ** 200)), status=0,
         argv=("show", "--costs", "--batch-size", "9" * 300))
    spec("huge batch size", chain(2), status=2, argv=("show", "--costs", "--batch-size", "9" * 5000))
    spec("float units", layer_list(inp(), dense(2.0)))
    spec("negative units", layer_list(inp(), dense(-2)))
    spec("zero units", layer_list(inp(), dense(0)))
    spec("bool units", layer_list(inp(), dense(True)))
    spec("string units", layer_list(inp(), dense("2")))
    spec("list units", layer_list(inp(), dense([2])))
    spec("shape of strings", layer_list(inp(("a", "b"))))
    spec("shape negative", layer_list(inp((None, -4)), dense(2)))
    spec("shape zero", layer_list(inp((None, 0)), dense(2)))
    spec("shape bool", layer_list(inp((None, True)), dense(2)))
    spec("shape nested", layer_list(inp((None, [4])), dense(2)))
    spec("shape empty", layer_list(inp(()), dense(2)))
    spec("b false", layer_list(inp(), dense(2, b=False)), stderr="b: expected")
    spec("b no yaml", "layers:\n- {name: in, kind: InputLayer, shape: [null, 4]}\n"
         "- {name: d, kind: DenseLayer, num_units: 2, b: no}\n", ".yaml", stderr="b: expected")
    spec("b true", layer_list(inp(), dense(2, b=True)), stderr="b: expected")
    spec("W null", layer_list(inp(), dense(2, W=None)), stderr="W: is None")
    spec("W list", layer_list(inp(), dense(2, W=[[1, 2]])), stderr="W: expected")
    spec("W unknown init", layer_list(inp(), dense(2, W="Banana")), stderr="unknown initializer")
    spec("W init ok", layer_list(inp(), dense(2, W="GlorotUniform")), status=0, stdout="(4+1)*2")
    spec("b init 1D orthogonal", layer_list(inp(), dense(2, b="Orthogonal")), stderr="cannot initialize")
    spec("W number ok", layer_list(inp(), dense(2, W=0.5)), status=0)
    spec("b null ok", layer_list(inp(), dense(2, b=None)), status=0, stdout="4*2")
    spec("share missing array", layer_list(inp(), dense(2, W={"shared": "in.W"})), stderr="no earlier layer holds")
    spec("share bad key", layer_list(inp(), dense(2, W={"shared": 5})))
    spec("share trainable string", layer_list(inp(), dense(2, name="a"), dense(2, name="b2", W={"trainable": "no"})),
         stderr="trainable")
    spec("share self", layer_list(inp(), dense(2, W={"shared": "d.b"})))
    spec("share later layer", layer_list(inp(), dense(2, "a", W={"shared": "b.W"}), dense(2, "b", incoming="in")),
         status=0, stdout="b.W: b, a")
    spec("gate W_in false", layer_list(inp((None, 5, 3)), {"name": "l", "kind": "LSTMLayer", "num_units": 2,
                                                            "ingate": {"W_in": False}}), stderr="W_in")
    spec("gate null", layer_list(inp((None, 5, 3)), {"name": "l", "kind": "LSTMLayer", "num_units": 2,
                                                      "ingate": None}))
    spec("gate unknown part", layer_list(inp((None, 5, 3)), {"name": "l", "kind": "LSTMLayer", "num_units": 2,
                                                              "ingate": {"X": 1}}))
    spec("nonlinearity false", layer_list(inp(), dense(2, nonlinearity=False)), stderr="nonlinearity")
    spec("nonlinearity number", layer_list(inp(), dense(2, nonlinearity=3)), stderr="nonlinearity")
    spec("peepholes string", layer_list(inp((None, 5, 3)), {"name": "l", "kind": "LSTMLayer", "num_units": 2,
                                                             "peepholes": "no"}))
    spec("hid_init false", layer_list(inp((None, 5, 3)), {"name": "l", "kind": "GRULayer", "num_units": 2,
                                                           "hid_init": False}), stderr="hid_init")
    # --- names
    spec("ansi name", layer_list(inp(name="\x1b[31mred\x1b[0m"), dense(2)), status=0, stdout="\\x1b[31m")
    spec("newline name", layer_list(inp(name="a\nb: forged line"), dense(2)), status=0, stdout="a\\nb")
    spec("carriage return name", layer_list(inp(name="ok\rfake"), dense(2)), status=0, stdout="\\x0d")
    spec("bidi override name", layer_list(inp(name="abc\u202edef"), dense(2)), status=0, stdout="\\u202e")
    spec("lone surrogate name", '{"layers": [{"name": "\\ud800", "kind": "InputLayer", "shape": [null, 4]},'
         '{"name": "d", "kind": "DenseLayer", "num_units": 2}]}', status=0)
    spec("emoji name", layer_list(inp(name="\U0001F600"), dense(2)), status=0)
    spec("empty name", layer_list(inp(name=""), dense(2)))
    spec("number name", layer_list(inp(name=5), dense(2)))
    spec("huge name", layer_list(inp(name="x" * 5000000), dense(2)), status=0)
    spec("huge missing ref", layer_list(inp(name="x" * 100000), dense(2, incoming="y" * 100000)))
    spec("ansi name error", layer_list(inp(), dense(2, name="\x1b]0;pwn\x07", incoming="nope")))
    spec("ansi kind", layer_list(inp(), {"name": "d", "kind": "\x1b[31mDense"}))
    spec("ansi keyword", layer_list(inp(), dense(2, **{"\x1b[2Jx": 1})))
    spec("name with dot", layer_list(inp(), dense(2, "a.b"), dense(2, "c", incoming="in",
                                                                   W={"shared": "a.b.W"})),
         status=0, stdout="a.b.W: a.b, c")
    spec("duplicate layer names", layer_list(inp(), dense(2), dense(2)))
    # --- structure
    spec("no layers", {"layers": []})
    spec("layers not list", {"layers": {"a": 1}})
    spec("mixed forms", {"layers": [inp(), ["d", "DenseLayer"]]})
    spec("unknown kind", layer_list(inp(), {"name": "d", "kind": "DensLayer"}))
    spec("kind list", layer_list(inp(), {"name": "d", "kind": ["DenseLayer"]}))
    spec("self incoming", layer_list(inp(), dense(2, incoming="d")))
    spec("cycle", layer_list(inp(), dense(2, "a", incoming="b"), dense(2, "b", incoming="a")))
    spec("incoming list of lists", layer_list(inp(), dense(2, incoming=[["in"]])))
    spec("two inputs to dense", layer_list(inp(), inp(name="in2"), dense(2, incoming=["in", "in2"])),
         stderr="takes one incoming layer")
    spec("lstm input and mask", layer_list(inp((None, 5, 3)), inp((None, 5), "m"),
                                           {"name": "l", "kind": "LSTMLayer", "num_units": 2,
                                            "incoming": ["in", "m"]}), status=0)
    spec("gate options", layer_list(inp((None, 5, 3)), {"name": "l", "kind": "LSTMLayer", "num_units": 2,
                                                         "ingate": {"b": None}}),
         stderr="ingate: is None")
    spec("gate options ok", layer_list(inp((None, 5, 3)), {"name": "l", "kind": "LSTMLayer", "num_units": 2,
                                                            "ingate": {"W_in": "Normal", "b": 0}}), status=0)
    spec("input incoming", layer_list(dict(inp(), incoming="x")))
    spec("many layers chain", chain(20000), status=0, timeout=60)
    spec("nested recurrent 5", nested_recurrent(5))
    spec("nested recurrent 40", nested_recurrent(40))
    spec("subnetwork not list", layer_list(inp((None, 5, 3)), {"name": "r", "kind": "CustomRecurrentLayer",
                                                                "input_to_hidden": 5, "hidden_to_hidden": []}))
    # nolearn form
    spec("nolearn unknown keyword", {"layers": [["in", "InputLayer"], ["d", "DenseLayer"]],
                                     "in_shape": [None, 4], "d_num_unit": 2})
    spec("nolearn many layers", {"layers": [["in", "InputLayer"]] + [["d%d" % i, "DenseLayer"] for i in range(15000)],
                                 "in_shape": [None, 3], **{"d%d_num_units" % i: 3 for i in range(15000)}},
         status=0, timeout=60)
    spec("nolearn long underscore keys", {"layers": [["_" * n, "DenseLayer"] for n in range(1, 600)]
                                          + [["in", "InputLayer"]],
                                          **{"_" * 700 + "x%d" % i: 1 for i in range(3000)}}, timeout=60)
    spec("nolearn W string share", {"layers": [["in", "InputLayer"], ["a", "DenseLayer"], ["b", "DenseLayer"]],
                                    "in_shape": [None, 4], "a_num_units": 4, "b_num_units": 4, "b_W": "a"},
         status=0)
    spec("nolearn W share missing", {"layers": [["in", "InputLayer"], ["b", "DenseLayer"]],
                                     "in_shape": [None, 4], "b_num_units": 4, "b_W": "in"})
    spec("nolearn more_params list", {"layers": [["in", "InputLayer"]], "in_shape": [None, 4],
                                      "more_params": [1]})
    spec("nolearn pair bad", {"layers": [["in"]]})
    spec("nolearn kind dict", {"layers": [[{"a": 1}, {"name": "x"}]]})
    # --- files
    out.append(("dev zero json", {}, ["show", "/dev/zero.json"], {"status": 2}))
    out.append(("dev zero symlink", {"z.json": lambda d: os.symlink("/dev/zero", os.path.join(d, "z.json"))},
                ["show", "{d}/z.json"], {"status": 2, "stderr": "not a regular file", "timeout": 10}))
    out.append(("fifo json", {"f.json": lambda d: os.mkfifo(os.path.join(d, "f.json"))},
                ["show", "{d}/f.json"], {"status": 2, "stderr": "not a regular file", "timeout": 10}))
    out.append(("directory json", {"dir.json": lambda d: os.mkdir(os.path.join(d, "dir.json"))},
                ["show", "{d}/dir.json"], {"status": 2}))
    out.append(("unreadable json", {"u.json": lambda d: _unreadable(d)},
                ["show", "{d}/u.json"], {"status": 2, "not_root": True}))
    out.append(("too large json", {"big.json": " " * (17 * 1024 * 1024) + json.dumps(chain(1))},
                ["show", "{d}/big.json"], {"status": 2, "stderr": "--max-input-bytes"}))
    out.append(("too large json raised", {"big.json": " " * (17 * 1024 * 1024) + json.dumps(chain(1))},
                ["show", "{d}/big.json", "--max-input-bytes", "64MiB"], {"status": 0}))
    out.append(("bad max-input-bytes", {}, ["show", QUESTION_YAML, "--max-input-bytes", "-5"], {"status": 2}))
    out.append(("small max-input-bytes", {}, ["show", QUESTION_YAML, "--max-input-bytes", "10"],
                {"status": 2, "stderr": "larger than"}))
    out.append(("snapshot over own input", {"net.yaml": q}, ["snapshot", "{d}/net.yaml", "-o", "{d}/net.yaml"],
                {"status": 2, "unchanged": "net.yaml", "stderr": "input"}))
    out.append(("snapshot over own input via link", {"net.yaml": q, "link.json": lambda d: os.symlink(
        os.path.join(d, "net.yaml"), os.path.join(d, "link.json"))},
        ["snapshot", "{d}/net.yaml", "-o", "{d}/link.json"], {"status": 2, "unchanged": "net.yaml"}))
    out.append(("draw over own input", {"net.yaml": q}, ["draw", "{d}/net.yaml", "-o", "{d}/net.yaml.svg"],
                {"status": 0}))
    out.append(("snapshot over against", {"net.yaml": q, "s.json": lambda d: _snapshot(d, "s.json")},
                ["snapshot", "{d}/net.yaml", "-o", "{d}/s.json"], {"status": 0}))
    out.append(("snapshot into missing folder", {"net.yaml": q}, ["snapshot", "{d}/net.yaml", "-o", "{d}/no/s.json"],
                {"status": 2}))
    out.append(("snapshot into a directory", {"net.yaml": q}, ["snapshot", "{d}/net.yaml", "-o", "{d}"],
                {"status": 2}))
    out.append(("snapshot to /dev/full", {"net.yaml": q}, ["snapshot", "{d}/net.yaml", "-o", "/dev/full"],
                {"status": 2}))
    out.append(("snapshot to /dev/null", {"net.yaml": q}, ["snapshot", "{d}/net.yaml", "-o", "/dev/null"],
                {"status": 0}))
    out.append(("snapshot to /dev/stdout", {"net.yaml": q}, ["snapshot", "{d}/net.yaml", "-o", "/dev/stdout"],
                {"status": 0, "stdout": "lasagne-params snapshot"}))
    out.append(("snapshot huge count", {"net.json": json.dumps(layer_list(inp((None, 10 ** 2500)), dense(10 ** 2500)))},
                ["snapshot", "{d}/net.json", "-o", "{d}/s.json"], {"status": 0}))
    out.append(("check huge count", {"net.json": json.dumps(layer_list(inp((None, 10 ** 2500)), dense(10 ** 2500))),
                                     "s.json": lambda d: _cli("snapshot", os.path.join(d, "net.json"), "-o",
                                                              os.path.join(d, "s.json"))},
                ["check", "{d}/net.json", "--against", "{d}/s.json"], {"status": 0, "stdout": "no change"}))
    out.append(("snapshot read-only target", {"net.yaml": q, "s.json": lambda d: _readonly_snapshot(d)},
                ["snapshot", "{d}/net.yaml", "-o", "{d}/s.json"],
                {"status": 2, "unchanged": "s.json", "not_root": True}))
    out.append(("snapshot read-only folder", {"net.yaml": q, "ro": lambda d: _readonly_folder(d)},
                ["snapshot", "{d}/net.yaml", "-o", "{d}/ro/s.json"],
                {"status": 2, "unchanged": "ro/s.json", "not_root": True}))
    out.append(("check deep snapshot", {"s.json": "[" * 100000 + "]" * 100000},
                ["check", QUESTION_YAML, "--against", "{d}/s.json"], {"status": 2}))
    out.append(("check forged snapshot names", {"s.json": json.dumps({
        "format": "lasagne-params snapshot", "version": 1, "total_params": 0, "trainable_params": 0,
        "layers": [{"name": "x\n  all good\x1b[2J", "kind": "InputLayer", "output_shape": [None],
                    "params": 0, "trainable_params": 0}]})},
                ["check", QUESTION_YAML, "--against", "{d}/s.json"], {"status": 1, "stdout": "x\\n  all good\\x1b"}))
    out.append(("check snapshot bool counts", {"s.json": json.dumps({
        "format": "lasagne-params snapshot", "version": 1, "total_params": True, "trainable_params": 0,
        "layers": []})}, ["check", QUESTION_YAML, "--against", "{d}/s.json"], {"status": 2}))
    out.append(("check snapshot is dev zero", {}, ["check", QUESTION_YAML, "--against", "/dev/zero"],
                {"status": 2, "timeout": 10}))
    out.append(("draw 2000 layers", {"net.json": json.dumps(layer_list(inp((None, 1000)), *[
        dense(1000, "d%d" % i) for i in range(2000)]))}, ["draw", "{d}/net.json", "-o", "{d}/n.svg"],
        {"status": 0, "timeout": 300, "needs_dot": True}))
    out.append(("draw long name", {"net.json": json.dumps(layer_list(inp(name="n" * 40000), dense(2)))},
                ["draw", "{d}/net.json", "-o", "{d}/n.svg"], {"status": 0, "needs_dot": True}))
    out.append(("draw control names", {"net.json": json.dumps(layer_list(inp(name="\x00\x1b\ud800<>&\""), dense(2)))},
                ["draw", "{d}/net.json", "-o", "{d}/n.svg"], {"status": 0, "needs_dot": True}))
    out.append(("draw over existing on failure", {"net.json": json.dumps(chain(1)), "n.svg": "OLD",
                                                  "bin": lambda d: _fake_dot(d)},
                ["draw", "{d}/net.json", "-o", "{d}/n.svg"],
                {"status": 2, "unchanged": "n.svg", "env": {"PATH": "{d}/bin"}, "stderr": "dot failed"}))
    out.append(("draw unknown format", {}, ["draw", QUESTION_YAML, "-o", "{d}/n.gif"], {"status": 2}))
    out.append(("draw to /dev/full", {"n.svg": lambda d: os.symlink("/dev/full", os.path.join(d, "n.svg"))},
                ["draw", QUESTION_YAML, "-o", "{d}/n.svg"], {"status": 2, "needs_dot": True}))
    # --- environment
    out.append(("stdout full", {}, ["show", QUESTION_YAML], {"status": 2, "stdout_file": "/dev/full",
                                                            "stderr": "standard output"}))
    out.append(("stdout closed", {}, ["show", QUESTION_YAML], {"status": 2, "stdout_file": None}))
    out.append(("stdout closed snapshot", {"net.yaml": q}, ["snapshot", "{d}/net.yaml", "-o", "{d}/s.json"],
                {"status": 2, "stdout_file": None}))
    out.append(("stdout ascii", {"net.json": json.dumps(layer_list(inp(name="caf\u00e9"), dense(2)))},
                ["show", "{d}/net.json"], {"status": 0, "env": {"PYTHONIOENCODING": "ascii"}}))
    out.append(("stdout ascii json", {"net.json": json.dumps(layer_list(inp(name="caf\u00e9"), dense(2)))},
                ["show", "{d}/net.json", "--format", "json"], {"status": 0, "env": {"PYTHONIOENCODING": "ascii"}}))
    out.append(("LANG=C", {"net.json": json.dumps(layer_list(inp(name="caf\u00e9"), dense(2)))},
                ["show", "{d}/net.json", "--explain"], {"status": 0, "env": {"LANG": "C", "LC_ALL": "C"}}))
    out.append(("stdout broken pipe", {"net.json": json.dumps(chain(20000))}, ["show", "{d}/net.json"],
                {"status": 141, "head": True}))
    out.append(("stderr closed", {}, ["show", "{d}/missing.json"], {"status": 2, "stderr_file": None}))
    out.append(("non-utf8 path", {}, ["show", os.fsdecode(b"/tmp/\xff\xfe.json")], {"status": 2}))
    out.append(("argv control chars", {}, ["show", "\x1b[31m.json"], {"status": 2}))
    out.append(("file size limit", {"net.yaml": q, "s.json": lambda d: _snapshot(d, "s.json")},
                ["snapshot", "{d}/net.yaml", "-o", "{d}/s.json"],
                {"status": 2, "unchanged": "s.json", "fsize": 100}))
    # A spec's cross-check builds shape-only arrays and allocates no weights, so no build
    # limit applies (docs/reliability.md): 10**10 parameters are checked, not refused.
    out.append(("memory build limit", {"net.json": json.dumps(layer_list(inp((None, 100000)), dense(100000)))},
                ["show", "{d}/net.json", "--check"],
                {"status": 0, "stdout": "all 2 layers agree"}))
    out.append(("memory build limit small", {}, ["show", QUESTION_YAML, "--check", "--max-build-bytes", "1000"],
                {"status": 0}))
    out.append(("bad max-build-bytes", {}, ["show", QUESTION_YAML, "--check", "--max-build-bytes", "lots"],
                {"status": 2}))
    out.append(("json from nolearn question", {"net.json": j}, ["show", "{d}/net.json", "--format", "json"],
                {"status": 0}))
    # --- found since issue 13
    spec("yaml empty timestamp", "layers: !!timestamp ''\n", ".yaml")
    spec("yaml unhashable key", "? [a, b]\n: 1\nlayers: []\n", ".yaml")
    spec("yaml merge of a list", "a: &a [1]\nb: {<<: *a}\nlayers: []\n", ".yaml")
    spec("yaml omap layers", "layers: !!omap [{a: 1}]\n", ".yaml")
    spec("json 1e999 units", json.dumps(layer_list(inp(), dense(2))).replace('"num_units": 2', '"num_units": 1e999'))
    spec("one huge name widens no table", layer_list(inp(name="n" * 1000000), *[
        dense(3, "d%d" % i) for i in range(3000)]), status=0, timeout=60, max_stdout=3000 * 400)
    spec("concat of 5000 inputs", layer_list(*[inp((None, 2), "i%d" % i) for i in range(5000)],
                                             {"name": "c", "kind": "ConcatLayer",
                                              "incomings": ["i%d" % i for i in range(5000)]}),
         status=0, timeout=60, max_stdout=5001 * 600)
    spec("nolearn duplicate layer names", {"layers": [["in", "InputLayer"], ["in", "DenseLayer"]],
                                           "in_shape": [None, 4], "in_num_units": 2})
    spec("huge single string value", layer_list(inp(), dense(2, nonlinearity="x" * 8000000)),
         timeout=60)
    spec("snapshot version 2", {"format": "lasagne-params snapshot", "version": 2},
         argv=("check", QUESTION_YAML, "--against"))
    spec("snapshot duplicate names", {"format": "lasagne-params snapshot", "version": 1,
                                      "total_params": 0, "trainable_params": 0, "layers": [
                                          {"name": "a", "kind": "InputLayer", "output_shape": [None],
                                           "params": 0, "trainable_params": 0}] * 2},
         argv=("check", QUESTION_YAML, "--against"), stderr="two layers have this name")
    out.append(("sparse 100G spec", {"s.json": lambda d: os.truncate(_touch(d, "s.json"), 100 * 1024 ** 3)},
                ["show", "{d}/s.json"], {"status": 2, "stderr": "larger than", "timeout": 10}))
    out.append(("symlink loop spec", {"l.json": lambda d: os.symlink(os.path.join(d, "l.json"),
                                                                     os.path.join(d, "l.json"))},
                ["show", "{d}/l.json"], {"status": 2}))
    out.append(("dangling symlink spec", {"l.json": lambda d: os.symlink("/nowhere.json", os.path.join(d, "l.json"))},
                ["show", "{d}/l.json"], {"status": 2, "stderr": "no such file"}))
    out.append(("output path with newline", {}, ["snapshot", QUESTION_YAML, "-o", "{d}/a\nwrote b.json"],
                {"status": 0, "stdout": "a\\nwrote b.json", "max_lines": 1}))
    out.append(("output path too long", {}, ["snapshot", QUESTION_YAML, "-o", "{d}/" + "x" * 300 + ".json"],
                {"status": 2, "stderr": "File name too long"}))
    out.append(("output parent is a file", {"f": "x"}, ["snapshot", QUESTION_YAML, "-o", "{d}/f/s.json"],
                {"status": 2}))
    out.append(("output over a kinds file", {"k.py": "", "net.yaml": q},
                ["snapshot", "{d}/net.yaml", "--kinds", "{d}/k.py", "-o", "{d}/k.py"],
                {"status": 2, "unchanged": "k.py"}))
    out.append(("output over the module", {"m.py": "import lasagne_params\n"},
                ["snapshot", "{d}/m.py:net", "-o", "{d}/m.py"], {"status": 2, "unchanged": "m.py"}))
    out.append(("columns huge", {}, ["show", QUESTION_YAML, "--columns", "x" * 100000], {"status": 2}))
    out.append(("zoo control chars", {}, ["show", "--zoo", "vgg\x1b[2J"], {"status": 2}))
    out.append(("max-input-bytes huge", {}, ["show", QUESTION_YAML, "--max-input-bytes", "9" * 5000],
                {"status": 2}))
    out.append(("network is a dash", {}, ["show", "-"], {"status": 2}))
    out.append(("network empty function", {}, ["show", "x.json:"], {"status": 2}))
    out.append(("theano flags hostile", {}, ["show", QUESTION_YAML, "--check"],
                {"env": {"THEANO_FLAGS": "device=cuda9,floatX=float128"}, "timeout": 300}))
    out.append(("home unwritable check", {}, ["show", QUESTION_YAML, "--check"],
                {"env": {"HOME": "/nonexistent", "THEANO_FLAGS": "base_compiledir=/proc/nope"},
                 "timeout": 300}))
    out.append(("snapshot to a FIFO nobody reads", {"f.json": lambda d: os.mkfifo(os.path.join(d, "f.json"))},
                ["snapshot", QUESTION_YAML, "-o", "{d}/f.json"],
                {"status": 2, "stderr": "a FIFO nobody reads", "timeout": 20}))
    out.append(("concurrent snapshots", {"a.yaml": q}, ["snapshot", "{d}/a.yaml", "-o", "{d}/s.json"],
                {"status": 0, "concurrent": 4, "valid_json": "s.json"}))
    return out


# ---------------------------------------------------------------- issue 20

def _pickle_call(module, name, *args):
    """A pickle of a list whose item is ``module.name(*args)``: a gadget."""
    import pickle
    import struct
    call = pickle.GLOBAL + ("%s\n%s\n" % (module, name)).encode() + pickle.MARK
    for arg in args:
        if isinstance(arg, list):
            call += pickle.EMPTY_LIST + pickle.MARK
            for item in arg:
                call += pickle.BINUNICODE + struct.pack("<I", len(item.encode())) + item.encode()
            call += pickle.APPENDS
        else:
            call += pickle.BINUNICODE + struct.pack("<I", len(arg.encode())) + arg.encode()
    return (pickle.PROTO + b"\x02" + pickle.EMPTY_LIST + pickle.MARK + call + pickle.TUPLE
            + pickle.REDUCE + pickle.APPENDS + pickle.STOP)


def _deep_pickle(depth):
    import pickle
    return pickle.PROTO + b"\x02" + pickle.EMPTY_LIST * depth + pickle.STOP


def _nested_pickle(depth):
    """[[[...]]] ``depth`` deep, the way pickle writes nested lists."""
    import pickle
    return (pickle.PROTO + b"\x02" + (pickle.EMPTY_LIST + pickle.MARK) * depth
            + pickle.APPENDS * depth + pickle.STOP)


def _npz_bomb(folder):
    import numpy
    numpy.savez_compressed(os.path.join(folder, "w.npz"), numpy.zeros(300 * 1024 ** 2, "uint8"))


def _npz_objects(folder):
    import numpy
    numpy.savez(os.path.join(folder, "w.npz"), numpy.array([{"a": 1}], dtype=object))


def _question_weights(folder, drop=None, layout="npz"):
    import pickle
    import numpy
    shapes = [(32, 1, 5, 5), (32,), (32, 32, 3, 3), (32,), (800, 256), (256,), (256, 10), (10,)]
    arrays = [numpy.zeros(shape, "float32") for i, shape in enumerate(shapes) if i != drop]
    if layout == "npz":
        numpy.savez(os.path.join(folder, "w.npz"), *arrays)
    else:
        with open(os.path.join(folder, "w.pkl"), "wb") as handle:
            pickle.dump({"param values": arrays}, handle, protocol=2)


_KIND = ("import os, sys\nimport lasagne_params as lp\nfrom lasagne_params import Result\n"
         "def rule(context):\n    %s\nlp.register_kind('OddLayer', rule)\n")
_ODD_NET = json.dumps(layer_list(inp(), {"name": "odd", "kind": "OddLayer"}, dense(2, "out")))
_MODULE = ("import os, helper\nfrom lasagne.layers import InputLayer, DenseLayer\n"
           "os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'sub'))\n"
           "net = DenseLayer(InputLayer((None, 4)), helper.UNITS)\n")


def _module_project(folder):
    os.mkdir(os.path.join(folder, "sub"))
    for name, text in (("helper.py", "UNITS = 3\n"), ("model.py", _MODULE),
                       ("script.py", _MODULE.replace("net =", "import lasagne\nnet ="))):
        with open(os.path.join(folder, name), "w") as handle:
            handle.write(text)


def _many_networks(count):
    return ("from lasagne.layers import InputLayer, DenseLayer\n"
            "inp = InputLayer((None, 3))\n"
            "nets = [DenseLayer(inp, 2, name='d%%d' %% i) for i in range(%d)]\n" % count)


def issue20_cases():
    """Untrusted files and careless scripts (issue 20): weights files, --kinds rules,
    expressions, module targets and scripts that change folder, notebooks, run."""
    q = open(QUESTION_YAML, encoding="utf-8").read()
    out = []
    weights = ["weights", "{d}/w.pkl", "--against", QUESTION_YAML]
    gadgets = [("os system", ("os", "system", "touch {d}/PWNED")),
               ("posix system", ("posix", "system", "touch {d}/PWNED")),
               ("subprocess Popen", ("subprocess", "Popen", ["touch", "{d}/PWNED"])),
               ("builtins eval", ("builtins", "eval", "open('{d}/PWNED', 'w')")),
               ("builtins exec", ("builtins", "exec", "open('{d}/PWNED', 'w')")),
               ("sys exit", ("sys", "exit", "0")),
               ("os _exit", ("os", "_exit", "0"))]
    for label, (module, name, arg) in gadgets:
        out.append(("weights gadget " + label,
                    {"w.pkl": lambda d, m=module, n=name, a=arg: _write(
                        d, "w.pkl", _pickle_call(m, n, *[_in(a, d)]))},
                    weights, {"status": 2, "stderr": "asks for the global %s.%s" % (module, name),
                              "absent": "PWNED"}))
    script = ("from nolearn.lasagne import NeuralNet\nfrom lasagne import layers\n"
              "net = NeuralNet(layers=[('input', layers.InputLayer), ('out', layers.DenseLayer)],"
              " input_shape=(None, 4), out_num_units=2, update_learning_rate=0.1)\n"
              "net.load_params_from(%r)\n")
    out.append(("run script loading a gadget with nolearn", {
        "w.pkl": lambda d: _write(d, "w.pkl", _pickle_call("os", "system", "touch %s/PWNED" % d)),
        "s.py": lambda d: _write(d, "s.py", (script % os.path.join(d, "w.pkl")).encode())},
        ["run", "--no-report", "{d}/s.py"],
        {"status": 1, "absent": "PWNED", "traceback_ok": True, "timeout": 300}))
    out.append(("weights gadget in an npz", {"w.npz": _npz_objects},
                ["weights", "{d}/w.npz", "--against", QUESTION_YAML],
                {"status": 2, "stderr": "holds Python objects"}))
    out.append(("weights npz bomb", {"w.npz": _npz_bomb},
                ["weights", "{d}/w.npz", "--against", QUESTION_YAML, "--max-weights-bytes",
                 "64MiB"], {"status": 2, "stderr": "would inflate to", "timeout": 30}))
    out.append(("weights /dev/zero", {}, ["weights", "/dev/zero", "--against", QUESTION_YAML],
                {"status": 2, "stderr": "not a regular file", "timeout": 20}))
    out.append(("weights FIFO", {"w.pkl": lambda d: os.mkfifo(os.path.join(d, "w.pkl"))},
                weights, {"status": 2, "stderr": "not a regular file", "timeout": 20}))
    out.append(("weights directory", {}, ["weights", "{d}", "--against", QUESTION_YAML],
                {"status": 2}))
    for label, data in (("empty", b""), ("garbage", os.urandom(4096)),
                        ("truncated", _pickle_call("os", "system", "x")[:-5]),
                        ("nested", _nested_pickle(100000)), ("text", b"layers: []\n")):
        out.append(("weights " + label, {"w.pkl": data}, weights, {"status": 2}))
    out.append(("weights stack of lists", {"w.pkl": _deep_pickle(100000)}, weights,
                {"status": 1, "stdout": "does not fit"}))
    out.append(("weights fit", {"w.npz": _question_weights},
                ["weights", "{d}/w.npz", "--against", QUESTION_YAML],
                {"status": 0, "stdout": "fits"}))
    out.append(("weights missing bias", {"w.npz": lambda d: _question_weights(d, drop=1)},
                ["weights", "{d}/w.npz", "--against", QUESTION_YAML],
                {"status": 1, "stdout": "layer 'conv2d1' (Conv2DLayer): b: the file has no bias"}))
    out.append(("weights recipes json", {"w.pkl": lambda d: _question_weights(d, 6, "pkl")},
                weights + ["--format", "json"], {"status": 1, "stdout": '"fits": false'}))
    out.append(("weights trusted gadget", {"w.pkl": lambda d: _write(
        d, "w.pkl", _pickle_call("os", "system", "true"))}, weights + ["--trusted"],
        {"status": 2, "stderr": "not an array"}))
    # --kinds rules
    for label, body in (("negative size", "return Result((None, -5))"),
                        ("float size", "return Result((None, 4.5))"),
                        ("bool size", "return Result((None, True))"),
                        ("raises", "raise KeyError('x')"),
                        ("sys.exit(0)", "sys.exit(0)"), ("os._exit(0)", "os._exit(0)"),
                        ("returns a tuple", "return (None, 4)"),
                        ("closes stdout", "sys.stdout.close(); return Result((None, 4))")):
        for command in ("show", "check", "snapshot"):
            argv = [command, "{d}/net.json", "--kinds", "{d}/k.py"] + (
                ["--against", "{d}/s.json"] if command == "check" else
                ["-o", "{d}/out.json"] if command == "snapshot" else [])
            out.append(("kinds rule %s %s" % (label, command),
                        {"k.py": _KIND % body, "net.json": _ODD_NET,
                         "s.json": lambda d: _snapshot(d, "s.json")},
                        argv, {"status": 2, "stderr": "OddLayer", "absent": "out.json"}))
    out.append(("kinds file sys.exit(0)", {"k.py": "import sys\nsys.exit(0)\n"},
                ["check", QUESTION_YAML, "--kinds", "{d}/k.py", "--against", "{d}/k.py"],
                {"status": 2}))
    out.append(("kinds file os._exit(0)", {"k.py": "import os\nos._exit(0)\n",
                                           "s.json": lambda d: _snapshot(d, "s.json")},
                ["check", QUESTION_YAML, "--kinds", "{d}/k.py", "--against", "{d}/s.json"],
                {"status": 2}))
    out.append(("kinds register not callable", {"k.py": "import lasagne_params as lp\n"
                                                       "lp.register_kind('X', 5)\n"},
                ["show", QUESTION_YAML, "--kinds", "{d}/k.py"],
                {"status": 2, "stderr": "rule: expected a function"}))
    # expressions
    enc = [inp((None, 8)), dense(4, "enc")]
    for label, tied, status in (
            ("transposed W as bias", {"b": {"shared": "enc.W", "expression": "enc.W.T"}}, 2),
            ("typo .t", {"W": {"shared": "enc.W", "expression": "enc.W.t"}}, 2),
            ("python code", {"W": {"shared": "enc.W", "expression": "__import__('os')"}}, 2),
            ("bad dimshuffle", {"W": {"shared": "enc.W",
                                      "expression": "enc.W.dimshuffle(0, 0)"}}, 2),
            ("wrong shape", {"W": {"shared": "enc.W", "expression": "enc.W"}}, 2)):
        out.append(("expression " + label, {"net.json": json.dumps(layer_list(
            *enc, dense(8, "dec", **tied)))}, ["show", "{d}/net.json", "--lasagne", "master"],
            {"status": status}))
    out.append(("expression tie of a tie", {"net.json": json.dumps(layer_list(
        *enc, dense(8, "dec", W={"shared": "enc.W", "expression": "enc.W.T"}),
        dense(4, "again", W={"shared": "dec.W", "expression": "dec.W.T"})))},
        ["show", "{d}/net.json", "--lasagne", "master"], {"status": 0, "stdout": "total"}))
    # paths: user code that changes folder, outputs over imported files
    for label, argv, written in (
            ("snapshot", ["snapshot", "model.py:net", "-o", "out.json"], "out.json"),
            ("draw", ["draw", "model.py:net", "-o", "out.svg", "--layout", "builtin"],
             "out.svg"),
            ("run report", ["run", "--no-report", "--report", "out.json", "script.py"],
             "out.json")):
        out.append(("chdir module " + label, {"m": _module_project}, argv,
                    {"status": 0, "cwd": "{d}", "exists": written}))
    out.append(("run report over an imported module", {"m": _module_project},
                ["run", "--no-report", "--report", "helper.py", "script.py"],
                {"status": 2, "cwd": "{d}", "unchanged": "helper.py",
                 "stderr": "is an input of this command"}))
    out.append(("snapshot over an imported module", {"m": _module_project},
                ["snapshot", "model.py:net", "-o", "helper.py"],
                {"status": 2, "cwd": "{d}", "stderr": "is an input of this command"}))
    out.append(("output a folder", {}, ["snapshot", QUESTION_YAML, "-o", "{d}/new/"],
                {"status": 2, "stderr": "names a folder", "absent": "new"}))
    # notebooks and targets
    for label, text in (("cells not a list", '{"cells": {"a": 1}}'),
                        ("cell not a mapping", '{"cells": [5]}'),
                        ("source of ints", '{"cells": [{"cell_type": "code", "source": [1]}]}'),
                        ("not json", "{"), ("deep", "[" * 100000 + "]" * 100000)):
        out.append(("notebook " + label, {"n.ipynb": text}, ["show", "{d}/n.ipynb:net"],
                    {"status": 2}))
    out.append(("target FIFO", {"f.py": lambda d: os.mkfifo(os.path.join(d, "f.py"))},
                ["show", "{d}/f.py:net"], {"status": 2, "timeout": 20}))
    # linear time
    out.append(("spec of a 3,000,000-digit size", {"net.json": '{"layers": [{"name": "in", '
                '"kind": "InputLayer", "shape": [null, %s]}]}' % ("9" * 3000000)},
                ["show", "{d}/net.json"], {"status": 2, "stderr": "digits", "max_seconds": 10}))
    out.append(("snapshot of a 3,000,000-digit count", {"s.json": '{"format": "lasagne-params '
                'snapshot", "version": 1, "total_params": %s}' % ("9" * 3000000)},
                ["check", QUESTION_YAML, "--against", "{d}/s.json"],
                {"status": 2, "max_seconds": 10}))
    out.append(("json spec of 20,000 layers", {"net.json": json.dumps(chain(20000))},
                ["show", "{d}/net.json", "--format", "json"], {"status": 0, "timeout": 120}))
    out.append(("run report of 5,000 networks", {"s.py": _many_networks(5000)},
                ["run", "--no-report", "--report", "{d}/r.json", "{d}/s.py"],
                {"status": 0, "timeout": 300, "valid_json": "r.json"}))
    # leftovers
    out.append(("snapshot version true", {"s.json": json.dumps({
        "format": "lasagne-params snapshot", "version": True, "total_params": 0,
        "trainable_params": 0, "layers": []})},
        ["check", QUESTION_YAML, "--against", "{d}/s.json"],
        {"status": 2, "stderr": "version"}))
    out.append(("columns twice", {}, ["show", QUESTION_YAML, "--columns", "params,params"],
                {"status": 2}))
    return out


def _in(value, folder):
    if isinstance(value, list):
        return [v.replace("{d}", folder) for v in value]
    return value.replace("{d}", folder)


def _write(folder, name, data):
    with open(os.path.join(folder, name), "wb") as handle:
        handle.write(data)


def _touch(folder, name):
    path = os.path.join(folder, name)
    open(path, "w").close()
    return path


def _unreadable(folder):
    path = os.path.join(folder, "u.json")
    with open(path, "w") as handle:
        handle.write("{}")
    os.chmod(path, 0)


def _cli(*argv):
    subprocess.run(COMMAND + list(argv), capture_output=True, check=True)


def _snapshot(folder, name):
    _cli("snapshot", QUESTION_YAML, "-o", os.path.join(folder, name))


def _readonly_snapshot(folder):
    _snapshot(folder, "s.json")
    os.chmod(os.path.join(folder, "s.json"), 0o444)


def _readonly_folder(folder):
    os.mkdir(os.path.join(folder, "ro"))
    _snapshot(os.path.join(folder, "ro"), "s.json")
    os.chmod(os.path.join(folder, "ro"), 0o555)


def _fake_dot(folder):
    os.mkdir(os.path.join(folder, "bin"))
    path = os.path.join(folder, "bin", "dot")
    with open(path, "w") as handle:
        handle.write("#!/bin/sh\ncat > /dev/null\necho 'Error: out of luck' >&2\nexit 3\n")
    os.chmod(path, 0o755)


def _limit_file_size(limit):
    def set_limit():
        import resource
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return set_limit


def run_case(name, files, argv, checks, verbose=False):
    folder = tempfile.mkdtemp(prefix="hostile-")
    try:
        for fname, content in files.items():
            if callable(content):
                try:
                    content(folder)
                except (OSError, subprocess.CalledProcessError) as exc:
                    return "NOT handled: setup failed", str(exc)[:200]
                continue
            with open(os.path.join(folder, fname), "wb") as handle:
                handle.write(content.encode("utf-8", "surrogatepass")
                             if isinstance(content, str) else content)
        before = {}
        if "unchanged" in checks:
            with open(os.path.join(folder, checks["unchanged"]), "rb") as handle:
                before[checks["unchanged"]] = handle.read()
        if checks.get("needs_dot") and shutil.which("dot") is None:
            return "skipped", "no dot"
        if checks.get("not_root") and os.geteuid() == 0:
            return "skipped", "root ignores file permissions"
        argv = [a.replace("{d}", folder) for a in argv]
        env = dict(os.environ)
        for key, value in checks.get("env", {}).items():
            env[key] = value.replace("{d}", folder)
        if "PATH" in checks.get("env", {}):
            env["PATH"] += os.pathsep + os.path.dirname(sys.executable)
        stdout = subprocess.PIPE
        if "stdout_file" in checks:
            stdout = subprocess.DEVNULL if checks["stdout_file"] is None else open(checks["stdout_file"], "w")
        stderr = subprocess.PIPE
        start = time.monotonic()
        command = COMMAND + argv
        if checks.get("stdout_file", "x") is None:
            command = ["sh", "-c", 'exec "$@" >&-', "sh"] + command
        if checks.get("stderr_file", "x") is None:
            command = ["sh", "-c", 'exec "$@" 2>&-', "sh"] + command
        if checks.get("head"):
            command = ["bash", "-c", 'set -o pipefail; "$@" | true', "bash"] + \
                COMMAND + argv
        try:
            extra = [subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                      env=env) for _ in range(checks.get("concurrent", 1) - 1)]
            done = subprocess.run(command, stdout=stdout, stderr=stderr, env=env,
                                  cwd=checks["cwd"].replace("{d}", folder) if "cwd" in checks
                                  else None,
                                  timeout=checks.get("timeout", 120),
                                  preexec_fn=_limit_file_size(checks["fsize"]) if "fsize" in checks else None)
            for process in extra:
                process.wait(timeout=120)
        except subprocess.TimeoutExpired:
            return "NOT handled", "timeout after %ss" % checks.get("timeout", 120)
        elapsed = time.monotonic() - start
        out = done.stdout.decode("utf-8", "replace") if isinstance(done.stdout, bytes) else ""
        err = done.stderr.decode("utf-8", "replace") if done.stderr else ""
        problems = []
        if ("Traceback" in err or "Exception ignored" in err) and not checks.get("traceback_ok"):
            problems.append("traceback")
        if done.returncode < 0:
            problems.append("killed by signal %d" % -done.returncode)
        if done.returncode == 2 and checks.get("stderr_file", "x") is not None:
            lines = err.splitlines()
            if len(lines) != 1 or not lines[0].startswith("lasagne-params") \
                    or ": error: " not in lines[0]:
                problems.append("not one error line: %r" % err[:300])
        if "status" in checks and done.returncode != checks["status"]:
            problems.append("exit %d, expected %d" % (done.returncode, checks["status"]))
        if checks.get("stderr") and checks["stderr"] not in err:
            problems.append("stderr lacks %r" % checks["stderr"])
        if checks.get("stdout") and checks["stdout"] not in out:
            problems.append("stdout lacks %r" % checks["stdout"])
        if "\x1b" in out or "\x1b" in err:
            problems.append("raw escape character in the output")
        for fname, content in before.items():
            try:
                with open(os.path.join(folder, fname), "rb") as handle:
                    if handle.read() != content:
                        problems.append("%s changed" % fname)
            except OSError:
                problems.append("%s lost" % fname)
        if "absent" in checks and os.path.exists(os.path.join(folder, checks["absent"])):
            problems.append("%s exists: code ran" % checks["absent"])
        if "exists" in checks and not os.path.exists(os.path.join(folder, checks["exists"])):
            problems.append("%s was not written where the command was given"
                            % checks["exists"])
        if "max_seconds" in checks and elapsed > checks["max_seconds"]:
            problems.append("%.1f s, more than %s s" % (elapsed, checks["max_seconds"]))
        if "max_stdout" in checks and len(out) > checks["max_stdout"]:
            problems.append("%d characters of output" % len(out))
        if "max_lines" in checks and out.count("\n") > checks["max_lines"]:
            problems.append("%d lines of output" % out.count("\n"))
        if "valid_json" in checks:
            try:
                with open(os.path.join(folder, checks["valid_json"])) as handle:
                    json.load(handle)
            except (OSError, ValueError) as exc:
                problems.append("%s is not whole: %s" % (checks["valid_json"], exc))
        leftovers = [f for _, _, fs in os.walk(folder) for f in fs if f.endswith(".tmp")]
        if leftovers:
            problems.append("temporary files left: %s" % leftovers)
        summary = "exit %d in %.1fs: %s" % (done.returncode, elapsed, (err or out).strip()[:160])
        if verbose:
            summary += "\n    " + out[:300].replace("\n", "\n    ")
        return ("NOT handled: " + "; ".join(problems) if problems else "handled"), summary
    finally:
        subprocess.run(["chmod", "-R", "u+rwx", folder], capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="run the cases whose name holds this")
    parser.add_argument("--skip", action="append", default=[],
                        help="leave out the cases whose name holds this (may be repeated)")
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--command", help="the command to try, split on blanks (default: "
                                          "lasagne-params beside this Python)")
    parser.add_argument("--issue20", action="store_true",
                        help="only the cases of issue 20 (untrusted files, careless scripts)")
    args = parser.parse_args()
    if args.command:
        COMMAND[:] = args.command.split()
    counts = {}
    for name, files, argv, checks in (issue20_cases() if args.issue20
                                      else cases() + issue20_cases()):
        if args.only not in name or any(part in name for part in args.skip):
            continue
        verdict, summary = run_case(name, files, argv, checks, args.verbose)
        key = verdict.split(":")[0]
        counts[key] = counts.get(key, 0) + 1
        print("%-34s %-12s %s" % (name, verdict if key != "handled" else "handled", summary))
    print("\n" + ", ".join("%s: %d" % item for item in sorted(counts.items())))
    return 0 if set(counts) <= {"handled", "skipped"} else 1


if __name__ == "__main__":
    sys.exit(main())
