"""lasagne-params: the command line.  Load -> derive (and compare) -> render -> print.

    lasagne-params show NET [--format answer|nolearn|markdown|json|csv] [--check] [--explain]
                            [--columns params,macs,memory,rf | --costs]
                            [--batch-size N] [--floatx float32|float64|float16]
    lasagne-params draw NET -o net.svg|net.png|net.pdf [--costs]
    lasagne-params snapshot NET -o net.params.json
    lasagne-params check NET --against net.params.json

NET is a spec file (``.json``, ``.yaml``, ``.yml``), ``path/to/module.py:function``
(returning a Lasagne output layer or a NeuralNet), or ``--zoo NAME``.  A spec
file is read without importing Theano, Lasagne or numpy (unless ``--check``).

``--columns`` (or ``--costs``, the default columns) derives compute cost,
memory and receptive field too: the chosen-columns table, or with
``--format json`` the JSON's ``costs`` section.

Exit status: 0 fine; 1 a ``--check`` or ``check`` found differences; 2 bad
input, a limit reached or an output that cannot be written, reported as one
line naming the file, layer and field (``--debug`` shows the traceback);
141 when the reader of standard output went away (``| head``).

Spec and snapshot files larger than ``--max-input-bytes`` (16 MiB) are
refused, and so is a ``--check`` whose build would take more than
``--max-build-bytes`` (4 GiB); files are written atomically and never over
the command's own input.  See docs/reliability.md.
"""
import argparse
import importlib
import importlib.util
import os
import sys

from .core.cost_records import FLOATX_BYTES
from .core.errors import (ArgumentError, LasagneParamsError, OutputError, TargetError,
                          did_you_mean)
from .core.text import printable_lines
from .describe.spec import PARSERS
from .render import render, render_json
from .render.columns import DEFAULT_COLUMNS, Column, parse_columns

__all__ = ["main", "load_network", "zoo_network"]

TEXT_FORMATS = ("answer", "nolearn", "markdown")
FORMAT_CHOICES = TEXT_FORMATS + ("json", "csv")
# The formats that carry costs: the chosen-columns table (in place of the answer's) and JSON.
COST_FORMATS = ("answer", "json")


def _is_network(value):
    from .backend.neuralnet import NeuralNet
    from .backend.read import is_lasagne_network
    return isinstance(value, NeuralNet) or is_lasagne_network(value)


def _failure(exc):
    """What a user's code raised, in one line; for Lasagne-master code on Lasagne 0.1, what
    is missing and how to install master."""
    from .backend.master_only import explain
    return explain(exc) or "%s: %s" % (type(exc).__name__, exc)


def _import_file(path, module_name):
    """Import the Python file ``path`` as ``module_name``; its first import of Theano or
    Lasagne gets the compatibility bridges first."""
    if not os.path.isfile(path):
        raise TargetError("no such file", file=path)
    from .backend.on_import import bridge_on_first_import
    bridge_on_first_import()
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None:
        raise TargetError("is not a Python module", file=path)
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except LasagneParamsError as exc:
        raise exc.located(file=path) from None
    except Exception as exc:  # a user's module may fail in any way
        raise TargetError("does not import: %s" % _failure(exc), file=path) from exc
    return module


def load_network(target):
    """``path/to/module.py:function`` -> the Lasagne layer or NeuralNet the function returns.

    The module is imported after :func:`install_compat`, under a private name.
    """
    path, sep, func = target.rpartition(":")
    if not sep or not path or not func:
        raise TargetError("expected a spec file (.json, .yaml, .yml) or "
                          "path/to/module.py:function", file=target)
    module = _import_file(path, "_lasagne_params_user_module")
    if not callable(getattr(module, func, None)):
        names = [n for n in vars(module) if callable(vars(module)[n]) and not n.startswith("_")]
        raise TargetError("has no function %r%s" % (func, did_you_mean(func, names)),
                          file=path)
    try:
        network = getattr(module, func)()
    except LasagneParamsError as exc:
        raise exc.located(file=path) from None
    except Exception as exc:
        raise TargetError("%s() failed: %s" % (func, _failure(exc)), file=path) from exc
    if not _is_network(network):
        raise TargetError("%s() returned %s, expected a Lasagne layer or a NeuralNet"
                          % (func, type(network).__name__), file=path, field=func)
    return network


def load_kinds(paths):
    """Import each Python file of ``--kinds``: they declare layer kinds with ``register_kind``."""
    for index, path in enumerate(paths or ()):
        _import_file(path, "_lasagne_params_kinds_%d" % index)


def _zoo_entries(zoo):
    """{name: network or zero-argument function}: ``NETWORKS`` if the zoo has it, else ``__all__``."""
    entries = getattr(zoo, "NETWORKS", None)
    if isinstance(entries, dict):
        return entries
    return {name: getattr(zoo, name) for name in getattr(zoo, "__all__", ())
            if callable(getattr(zoo, name, None))}


def zoo_network(name):
    """The network called ``name`` in :mod:`lasagne_params.zoo`."""
    try:
        zoo = importlib.import_module("lasagne_params.zoo")
    except ImportError as exc:
        raise TargetError("the network zoo is not available (%s)" % exc,
                          field="--zoo") from exc
    entries = _zoo_entries(zoo)
    if name not in entries:
        raise ArgumentError("no network %r in the zoo%s; available: %s" % (
            name, did_you_mean(name, entries), ", ".join(sorted(entries)) or "none"),
            field="--zoo")
    entry = entries[name]
    try:
        return entry() if callable(entry) else entry
    except LasagneParamsError:
        raise
    except Exception as exc:
        raise TargetError("building %r failed: %s: %s" % (name, type(exc).__name__, exc),
                          field="--zoo") from exc


def resolve(args):
    """The network the command line names: a SpecFile, LayerSpecs, a Lasagne layer, or a NeuralNet.

    The files of ``--kinds`` are imported first, so their kinds are known.
    """
    load_kinds(args.kinds)
    if args.zoo is not None:
        network = zoo_network(args.zoo)
        zoo = sys.modules.get("lasagne_params.zoo")
        if getattr(args, "lasagne", None) is None and args.zoo in getattr(zoo, "MASTER_ONLY",
                                                                          ()):
            from .core.versions import MASTER
            args.lasagne = MASTER          # the zoo's master networks derive for master
        return network
    if os.path.splitext(args.network)[1].lower() in PARSERS:
        from .describe.spec import read_spec_file
        return read_spec_file(args.network, args.max_input_bytes)
    return load_network(args.network)


def _inputs(args):
    """The files this command reads (never to be written over)."""
    files = list(args.kinds or ()) + [getattr(args, "against", None)]
    if args.network is not None:
        path = args.network
        if os.path.splitext(path)[1].lower() not in PARSERS:
            path = path.rpartition(":")[0] or path      # module.py:function
        files.append(path)
    return [f for f in files if f]


class _ReaderGone(Exception):
    """The reader of standard output closed it (``| head``)."""


class _Output:
    """Standard output for the command's text: escapes control characters, says what
    fails.  A closed pipe is :class:`_ReaderGone`; any other failure (stdout closed,
    a full device) an OutputError; text the terminal's encoding cannot show is
    written with backslash escapes."""

    def __init__(self, stream):
        self.stream = stream

    def write(self, text):
        text = printable_lines(text)
        stream = self._stream()
        try:
            try:
                stream.write(text)
            except UnicodeEncodeError:
                encoding = getattr(stream, "encoding", None) or "ascii"
                stream.write(text.encode(encoding, "backslashreplace").decode(encoding))
        except BrokenPipeError:
            raise _ReaderGone() from None
        except (OSError, ValueError) as exc:        # ValueError: writing to a closed file
            raise OutputError("cannot write: %s" % (getattr(exc, "strerror", None) or exc),
                              file="standard output") from None

    def flush(self):
        stream = self._stream()
        try:
            stream.flush()
        except BrokenPipeError:
            raise _ReaderGone() from None
        except (OSError, ValueError) as exc:
            raise OutputError("cannot write: %s" % (getattr(exc, "strerror", None) or exc),
                              file="standard output") from None

    def _stream(self):
        if self.stream is None:
            raise OutputError("cannot write: it is closed", file="standard output")
        return self.stream


class _Parser(argparse.ArgumentParser):
    """Usage errors as one line, exit status 2, like every other bad input."""

    def error(self, message):
        self.exit(2, "%s: error: %s (see --help)\n" % (self.prog, message))


def _columns(text):
    """``--columns``: the names checked now, before the network is loaded."""
    try:
        return parse_columns(text)
    except ArgumentError as exc:
        raise argparse.ArgumentTypeError(exc.message) from None


def _positive_int(text):
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError("expected a positive int, got %r" % text)
    return value


_BYTE_UNITS = {"": 1, "k": 1000, "m": 1000 ** 2, "g": 1000 ** 3, "t": 1000 ** 4,
               "kib": 1024, "mib": 1024 ** 2, "gib": 1024 ** 3, "tib": 1024 ** 4}


def _byte_count(text):
    """``--max-input-bytes`` and ``--max-build-bytes``: ``1000000``, ``64MiB``, ``8G``."""
    number = text.strip().lower().rstrip("b")
    unit = next((u for u in sorted(_BYTE_UNITS, key=len, reverse=True)
                 if u and number.endswith(u.rstrip("b"))), "")
    digits = number[:len(number) - len(unit.rstrip("b"))] if unit else number
    if not digits.isdigit() or len(digits) > 30 or int(digits) < 1:
        raise argparse.ArgumentTypeError("expected a positive number of bytes such as "
                                         "64MiB or 8G, got %r" % text)
    return int(digits) * _BYTE_UNITS[unit]


def _lasagne_version(text):
    from .core.versions import canonical
    try:
        return canonical(text)
    except ArgumentError as exc:
        raise argparse.ArgumentTypeError(exc.message) from None


def _show_parser(sub, parents):
    show = sub.add_parser("show", parents=parents, help="derive a network and print its table")
    show.add_argument("--format", default="answer", choices=FORMAT_CHOICES)
    show.add_argument("--check", action="store_true",
                      help="also build it in Lasagne and compare; exit 1 on any mismatch")
    show.add_argument("--max-build-bytes", type=_byte_count, metavar="N", help=(
        "with --check, refuse to build a network whose arrays would take more than N "
        "bytes (default 4GiB)"))
    show.add_argument("--explain", action="store_true",
                      help="also explain the derivation in sentences, layer by layer")
    show.add_argument("--columns", type=_columns, metavar="LIST", help=(
        "compute cost, memory and receptive field: a table of these columns, comma-separated "
        "(%s); with --format json, the costs section" % ", ".join(c.value for c in Column)))
    show.add_argument("--costs", action="store_true", help=(
        "the same as --columns %s" % ",".join(c.value for c in DEFAULT_COLUMNS)))
    show.add_argument("--batch-size", type=_positive_int, metavar="N", help=(
        "examples per batch for the cost totals (default: the input's declared batch size, "
        "else 1)"))
    show.add_argument("--floatx", choices=sorted(FLOATX_BYTES), help=(
        "element type for the byte counts (default float32)"))


def _draw_parser(sub, parents):
    draw = sub.add_parser("draw", parents=parents, help=(
        "draw the network, one box per layer (needs the [draw] extra and Graphviz's dot)"))
    draw.add_argument("-o", "--output", required=True, metavar="FILE",
                      help="the picture: .svg, .png or .pdf")
    draw.add_argument("--costs", action="store_true",
                      help="also put each layer's MACs and receptive field in its box")


def _snapshot_parser(sub, parents):
    snap = sub.add_parser("snapshot", parents=parents,
                          help="record the shapes and counts in a JSON file")
    snap.add_argument("-o", "--output", required=True, metavar="FILE")


def _check_parser(sub, parents):
    check = sub.add_parser("check", parents=parents,
                           help="compare with a snapshot; exit 1 on any change")
    check.add_argument("--against", required=True, metavar="FILE")


#: command -> function adding its subparser, in the order ``--help`` lists them.
SUBPARSERS = {"show": _show_parser, "draw": _draw_parser, "snapshot": _snapshot_parser,
              "check": _check_parser}


def _parser(argv=None):
    """The argument parser; with ``argv`` naming a command, only that command's part.

    Building argparse parsers is most of the command line's own start-up time
    (each one looks up translations and terminal size), so a command line
    that names its command gets just that subparser: it parses exactly as
    the full parser would.  Without one (``--help``, a typo) all are built.
    """
    common = _Parser(add_help=False)
    common.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                        help="show tracebacks")
    net = _Parser(add_help=False)
    net.add_argument("network", nargs="?",
                     help="SPEC.json, SPEC.yaml or path/to/module.py:function")
    net.add_argument("--zoo", metavar="NAME", help="a network of lasagne_params.zoo")
    net.add_argument("--lasagne", type=_lasagne_version, metavar="VERSION", help=(
        "derive with this Lasagne version's semantics: 0.1 or master (default: the "
        "spec file's, else the installed Lasagne's, else master)"))
    net.add_argument("--kinds", metavar="FILE.py", action="append", help=(
        "a Python file declaring layer kinds of your own with "
        "lasagne_params.register_kind (may be repeated)"))
    net.add_argument("--max-input-bytes", type=_byte_count, metavar="N", help=(
        "refuse spec and snapshot files larger than N bytes (default 16MiB)"))
    parser = _Parser(prog="lasagne-params", parents=[common], description=(
        "Each Lasagne layer's output shape and learnable parameters, derived."))
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    words = [a for a in (sys.argv[1:] if argv is None else argv) if not a.startswith("-")]
    named = words[0] if words and words[0] in SUBPARSERS else None
    for command, add in SUBPARSERS.items():
        if named in (None, command):
            add(sub, [common, net])
    return parser


def _cost_options(args):
    """Whether ``show`` derives costs; its cost options checked against its format."""
    wanted = args.costs or args.columns is not None
    given = [flag for flag, value in (("--batch-size", args.batch_size),
                                      ("--floatx", args.floatx)) if value is not None]
    if given and not wanted:
        raise ArgumentError("goes with --columns or --costs", field=given[0])
    if wanted and args.format not in COST_FORMATS:
        raise ArgumentError("goes with the default table or --format json, not %s"
                            % args.format,
                            field="--columns" if args.columns is not None else "--costs")
    return wanted


def _show(args, out):
    from .api import compare, derive, derive_costs
    if args.explain and args.format not in TEXT_FORMATS:
        raise ArgumentError("--explain goes with a text format (%s)" % ", ".join(TEXT_FORMATS),
                            field="--explain")
    with_costs = _cost_options(args)
    network = resolve(args)
    version = args.lasagne
    comparison = compare(network, version, args.max_build_bytes) if args.check else None
    costs = derive_costs(network, batch_size=args.batch_size, floatx=args.floatx or "float32",
                         lasagne_version=version) if with_costs else None
    if costs is not None:
        report = costs.report
    elif comparison is not None:
        report = comparison.derived
    else:
        report = derive(network, version)
    if args.format == "json":
        if comparison is not None:
            out.write(render_json(comparison, costs=costs))   # both reports, every mismatch
            return 0 if comparison.ok else 1
        out.write(render_json(costs if costs is not None else report))
        return 0
    if costs is not None:
        out.write(render(costs, "columns", columns=args.columns or DEFAULT_COLUMNS))
    else:
        out.write(render(report, args.format))
    if args.explain:
        out.write("\n" + render(report, "explain"))
    if comparison is not None:
        text = render(comparison)
        if args.format == "markdown":
            text = "```\n%s```\n" % text
        (sys.stderr if args.format == "csv" else out).write("\n" + text)
    return 0 if comparison is None or comparison.ok else 1


def _wrote(path, report):
    from .core.text import shown, thousands
    return "wrote %s: %s layers, %s parameters\n" % (shown(path), thousands(len(report.layers)),
                                                     thousands(report.total_params))


def _snapshot(args, out):
    from .api import derive
    from .describe.snapshot import write_snapshot
    report = derive(resolve(args), args.lasagne)
    write_snapshot(report, args.output, protect=_inputs(args))
    out.write(_wrote(args.output, report))
    return 0


def _draw(args, out):
    from .api import derive, derive_costs
    from .render.picture import draw as draw_picture, file_format
    file_format(args.output)                  # a bad extension fails before any loading
    network = resolve(args)
    drawn = derive_costs(network, lasagne_version=args.lasagne) if args.costs \
        else derive(network, args.lasagne)
    draw_picture(drawn, args.output, protect=_inputs(args))
    out.write(_wrote(args.output, drawn.report if args.costs else drawn))
    return 0


def _check(args, out):
    from .api import derive
    from .render.compare import render_changes
    from .describe.snapshot import diff_snapshot, read_snapshot
    recorded = read_snapshot(args.against, args.max_input_bytes)
    changes = diff_snapshot(recorded, derive(resolve(args), args.lasagne))
    out.write(render_changes(changes, args.against))
    return 1 if changes else 0


COMMANDS = {"show": _show, "draw": _draw, "snapshot": _snapshot, "check": _check}


# Library argument names -> the options that set them, for errors naming a limit.
_OPTIONS = {"max_input_bytes": "--max-input-bytes", "max_build_bytes": "--max-build-bytes"}


def _say(line):
    """One line on stderr, if there is a stderr to write to."""
    try:
        print("lasagne-params: error: %s" % line, file=sys.stderr)
    except (AttributeError, OSError, ValueError):
        pass


def _silence_stdout():
    """Point file descriptor 1 at /dev/null, so that the interpreter's last flush of
    output nobody can receive fails no more (nothing when stdout is not a real file)."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (AttributeError, OSError, ValueError):
        pass


def main(argv=None):
    """Run the command line; return the exit status."""
    parser = _parser(argv)
    args = parser.parse_args(argv)
    if (args.network is None) == (args.zoo is None):
        parser.error("give one network: SPEC.json, SPEC.yaml, path/to/module.py:function "
                     "or --zoo NAME")
    debug = getattr(args, "debug", False)
    out = _Output(sys.stdout)
    try:
        status = COMMANDS[args.command](args, out)
        out.flush()
        return status
    except _ReaderGone:
        # The reader stopped early (``| head``): no traceback, and the status a
        # program killed by SIGPIPE has; stdout goes nowhere so exit cannot fail again.
        _silence_stdout()
        return 128 + 13
    except LasagneParamsError as exc:
        if debug:
            raise
        if exc.field in _OPTIONS:
            exc = exc.located()
            exc.field = _OPTIONS[exc.field]
        _say(exc)
        if isinstance(exc, OutputError) and exc.file == "standard output":
            _silence_stdout()
        return 2
    except (MemoryError, RecursionError) as exc:
        if debug:
            raise
        _say("%s: the input is too large or too deeply nested for this machine"
             % type(exc).__name__)
        return 2
    except Exception as exc:   # a bug: still one line, the traceback with --debug
        if debug:
            raise
        _say("internal error %s: %s (run with --debug for the traceback, and please "
             "report it)" % (type(exc).__name__, printable_lines(str(exc)).replace("\n", " ")))
        return 2


if __name__ == "__main__":
    sys.exit(main())
