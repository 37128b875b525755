"""lasagne-params: the command line.  Load -> derive (and compare) -> render -> print.

    lasagne-params --version
    lasagne-params show NET [--format summary|answer|nolearn|markdown|json|csv]
                            [--thousands SEP] [--check] [--explain]
                            [--columns params,macs,memory,rf | --costs]
                            [--batch-size N] [--floatx float32|float64|float16]
    lasagne-params draw NET -o net.svg|net.png|net.pdf [--costs] [--layout auto|graphviz|builtin]
    lasagne-params snapshot NET -o net.params.json
    lasagne-params check NET --against net.params.json
    lasagne-params run [--report FILE.json] [--no-report] [--strict] SCRIPT [ARGS...]
    lasagne-params weights FILE --against NET [--format text|json] [--trusted]

NET is a spec file (``.json``, ``.yaml``, ``.yml``), ``path/to/module.py:NAME``
(a function called without arguments, or a module-level variable, giving a
Lasagne layer, a list/tuple/dict of layers or a NeuralNet),
``path/to/module.py`` (every network the module defines), or ``--zoo NAME``;
``--output-layer NAME`` picks one of several networks (docs/cli.md's synopsis lists
every option, checked against this parser by tests/test_docs.py; see
:mod:`lasagne_params.targets`; Python files are the user's code, run as
:mod:`lasagne_params.usercode` says).  A spec file is read without importing
Theano, Lasagne or numpy (unless ``--check``).  ``run`` runs a historical
script unchanged (see :mod:`lasagne_params.run`).

``--columns`` (or ``--costs``, the default columns) derives compute cost,
memory and receptive field too: the chosen-columns table, or with
``--format json`` the JSON's ``costs`` section.

``--format`` offers the output formats declared in
:mod:`lasagne_params.render.formats`; ``show`` asks their records what goes
with what (``--explain``, costs, several networks, where ``--check``'s table
goes), never a format's name.

Exit status: 0 fine; 1 a ``--check`` or ``check`` found differences; 2 bad
input, a limit reached, an output that cannot be written or an internal error,
reported as one line naming the file, layer and field (``--debug`` adds the
traceback and keeps the status); 130 interrupted (Ctrl-C); 141 when a write
found the reader of standard output gone (``| head`` before a long output was
written: quietly, no traceback); ``run``: the script's.

Spec and snapshot files larger than ``--max-input-bytes`` (16 MiB) are
refused, and so is a ``--check`` whose build would take more than
``--max-build-bytes`` (4 GiB); files are written atomically and never over
the command's own input.  See docs/reliability.md.
"""
import argparse
import contextlib
import dataclasses
import os
import sys
import traceback

from . import __version__
from .api import check_weights, compare, derive, derive_costs
from .core.cost_records import FLOATX_BYTES
from .core.errors import ArgumentError, Interrupted, LasagneParamsError, OutputError
from .core.text import printable_lines, shown, thousands
from .core.versions import canonical
from .describe.snapshot import diff_snapshot, read_snapshot, write_snapshot
from .describe.spec import PARSERS
from .render import DEFAULT_FORMAT, FORMATS, render, render_json
from .render.columns import DEFAULT_COLUMNS, Column, parse_columns
from .render.compare import render_changes
from .run import run_script
from .targets import resolve, resolve_one
from .usercode import Target, python2, split_target, stub_missing
from .usercode.running import imported_files, unraisables_quiet

__all__ = ["main"]


def _inputs(args):
    """The files this command reads (never to be written over)."""
    files = list(args.kinds or ()) + [getattr(args, "against", None)]
    if args.network is not None:
        path = args.network
        if os.path.splitext(path)[1].lower() not in PARSERS:
            path = split_target(path)[0]                # module.py:NAME
        files.append(path)
    return [f for f in files if f] + imported_files()


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
        with self._writing() as stream:
            try:
                stream.write(text)
            except UnicodeEncodeError:
                encoding = getattr(stream, "encoding", None) or "ascii"
                stream.write(text.encode(encoding, "backslashreplace").decode(encoding))

    def flush(self):
        with self._writing() as stream:
            stream.flush()

    @contextlib.contextmanager
    def _writing(self):
        """The stream, its failures as _ReaderGone or one OutputError line."""
        if self.stream is None:
            raise OutputError("cannot write: it is closed", file="standard output")
        try:
            yield self.stream
        except BrokenPipeError:
            raise _ReaderGone() from None
        except (OSError, ValueError) as exc:        # ValueError: writing to a closed file
            raise OutputError("cannot write: %s" % (getattr(exc, "strerror", None) or exc),
                              file="standard output") from None


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
    try:
        return canonical(text)
    except ArgumentError as exc:
        raise argparse.ArgumentTypeError(exc.message) from None


def _show_parser(sub, parents, formats):
    show = sub.add_parser("show", parents=parents, help="derive a network and print its table")
    show.add_argument("--format", default=DEFAULT_FORMAT,
                      choices=[f.name for f in formats.values() if f.offered], help=(
                          "summary (default: Keras's and torchinfo's layout, with kind and "
                          "total, trainable and non-trainable parameters), answer (the Stack "
                          "Overflow answer's table), nolearn, markdown, json or csv"))
    show.add_argument("--thousands", metavar="SEP", help=(
        "group digits with SEP (default: ',' in the summary, costs and --check tables, "
        "the answer's ' in --format answer; '' for none)"))
    show.set_defaults(formats=formats)
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
        "draw the network, one box per layer (Graphviz's dot when installed, else a "
        "built-in layout)"))
    draw.add_argument("-o", "--output", required=True, metavar="FILE",
                      help="the picture: .svg, .png or .pdf")
    draw.add_argument("--costs", action="store_true",
                      help="also put each layer's MACs and receptive field in its box")
    draw.add_argument("--layout", choices=("auto", "graphviz", "builtin"), default="auto",
                      help="who lays the picture out: auto (default) is graphviz when its "
                           "package and dot program are installed, else builtin (SVG and PDF "
                           "need nothing more, PNG needs matplotlib)")


def _snapshot_parser(sub, parents):
    snap = sub.add_parser("snapshot", parents=parents,
                          help="record the shapes and counts in a JSON file")
    snap.add_argument("-o", "--output", required=True, metavar="FILE")


def _check_parser(sub, parents):
    check = sub.add_parser("check", parents=parents,
                           help="compare with a snapshot; exit 1 on any change")
    check.add_argument("--against", required=True, metavar="FILE")


def _run_parser(sub, parents):
    run = sub.add_parser("run", parents=parents, help=(
        "run a historical script unchanged (nolearn importable, Lasagne bridged), then check "
        "every network it built"), description=(
        "Runs SCRIPT as 'python SCRIPT ARGS...' would, after the compatibility bridges and "
        "with nolearn.lasagne served; then prints, on stderr, each network the script built "
        "with the derived figures beside Lasagne's.  Exit status: the script's."))
    run.add_argument("--report", metavar="FILE.json", help=(
        "also write the networks' comparisons as a JSON list (show --check --format json's "
        "objects, each with a \"network\" key); '-' writes it to stdout after the script's "
        "output"))
    run.add_argument("--no-report", action="store_true",
                     help="print no comparison on stderr")
    run.add_argument("--strict", action="store_true", help=(
        "exit 1 when the script succeeded but a network disagrees with Lasagne or was not "
        "derived"))
    run.add_argument("script", metavar="SCRIPT", help="the Python script to run")
    run.add_argument("args", nargs=argparse.REMAINDER, metavar="ARGS",
                     help="the script's own arguments")


def _weights_parser(sub, parents):
    weights = sub.add_parser("weights", parents=parents, help=(
        "does a weights file (nolearn's, Recipes', np.savez's, a pickled list) fit a "
        "network? exit 1 when it does not"), description=(
        "Sets each array of FILE beside the shape the network's hyper-parameters give it "
        "(no build) and names the first difference, with what Lasagne's "
        "set_all_param_values or nolearn's load_params_from would have said.  A pickle "
        "is read as data (numpy arrays and plain containers only) unless --trusted."))
    weights.add_argument("weights", metavar="FILE", help="the weights file (.npz or a pickle)")
    weights.add_argument("--against", dest="network", metavar="NET", help=(
        "the network: SPEC.json, SPEC.yaml, path/to/module.py:NAME (or --zoo NAME)"))
    weights.add_argument("--format", default="text", choices=("text", "json"))
    weights.add_argument("--trusted", action="store_true", help=(
        "unpickle the file in full, running whatever it asks for: only for a file you "
        "made yourself"))
    weights.add_argument("--max-weights-bytes", type=_byte_count, metavar="N", help=(
        "refuse a weights file (or .npz arrays inflating to) more than N bytes "
        "(default 1GiB)"))

#: The commands that take a network (NET, --zoo, --kinds, --output-layer).
NETWORK_COMMANDS = ("show", "draw", "snapshot", "check")
#: The commands that take a network's options but name it with --against.
AGAINST_COMMANDS = ("weights",)


def _parser(formats=FORMATS):
    """The argument parser; ``show --format`` offers the ``formats`` that say so."""
    common = _Parser(add_help=False)
    common.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                        help="show tracebacks")
    user_code = _Parser(add_help=False)
    user_code.add_argument("--python2", action="store_true", help=(
        "read the Python files as Python 2 even where they compile as Python 3: "
        "translated in memory, and / divides integers to an integer as Python 2 did "
        "(a file that does not compile as Python 3 is read so without it)"))
    user_code.add_argument("--stub-missing", action="store_true", help=(
        "serve inert stand-ins for the modules the Python files import that are not "
        "installed (a script's data loading: h5py, cv2...); a value from one raises where "
        "the network would use it"))
    net = _Parser(add_help=False)
    net.add_argument("network", nargs="?", help=(
        "SPEC.json, SPEC.yaml, path/to/module.py:NAME (a function without arguments or a "
        "variable) or path/to/module.py (every network it defines)"))
    options = _network_options(_Parser(add_help=False))
    parser = _Parser(prog="lasagne-params", parents=[common], description=(
        "Each Lasagne layer's output shape and learnable parameters, derived."))
    parser.add_argument("--version", action="version", version="%(prog)s " + __version__)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    network = [common, net, options, user_code]
    _show_parser(sub, network, formats)              # in the order --help lists them
    _draw_parser(sub, network)
    _snapshot_parser(sub, network)
    _check_parser(sub, network)
    _run_parser(sub, [common, user_code])
    _weights_parser(sub, [common, options, user_code])
    return parser


def _network_options(net):
    """The options of the commands that take a network, besides the network itself."""
    net.add_argument("--output-layer", metavar="NAME", help=(
        "of several networks (outputs), the one whose output is NAME (a dict key or a "
        "layer's name); any layer's name makes it the output"))
    net.add_argument("--zoo", metavar="NAME", help="a network of lasagne_params.zoo")
    net.add_argument("--keep-going", action="store_true", help=(
        "a Python file's top-level statements (a notebook's cells) that fail are skipped, "
        "each said on stderr, and the rest run (a script loading data files that are not "
        "there)"))
    net.add_argument("--lasagne", type=_lasagne_version, metavar="VERSION", help=(
        "derive with this Lasagne version's semantics: 0.1 or master (default: the "
        "spec file's, else the installed Lasagne's, else master)"))
    net.add_argument("--kinds", metavar="FILE.py", action="append", help=(
        "a Python file declaring layer kinds of your own with "
        "lasagne_params.register_kind (may be repeated)"))
    net.add_argument("--max-input-bytes", type=_byte_count, metavar="N", help=(
        "refuse spec and snapshot files larger than N bytes (default 16MiB)"))
    return net


def _cost_options(args, fmt):
    """Whether ``show`` derives costs; its cost options checked against its format."""
    wanted = args.costs or args.columns is not None
    given = [flag for flag, value in (("--batch-size", args.batch_size),
                                      ("--floatx", args.floatx)) if value is not None]
    if given and not wanted:
        raise ArgumentError("goes with --columns or --costs", field=given[0])
    if wanted and fmt.costs is None:
        carriers = ["the default table" if f.name == DEFAULT_FORMAT else "--format " + f.name
                    for f in args.formats.values() if f.offered and f.costs is not None]
        raise ArgumentError("goes with %s, not %s" % (" or ".join(carriers), fmt.name),
                            field="--columns" if args.columns is not None else "--costs")
    return wanted


def _show_one(network, args, fmt, out):
    """Show one network; return (exit status, its document if ``fmt`` collects several
    networks into one, else None: then everything is written)."""
    version = args.lasagne
    comparison = compare(network, version, args.max_build_bytes) if args.check else None
    costs = derive_costs(network, batch_size=args.batch_size, floatx=args.floatx or "float32",
                         lasagne_version=version) if _cost_options(args, fmt) else None
    if costs is not None:
        report = costs.report
    elif comparison is not None:
        report = comparison.derived
    else:
        report = derive(network, version)
    status = 0 if comparison is None or comparison.ok else 1
    if comparison is not None and fmt.takes(comparison):
        document, comparison = fmt.render(comparison, costs=costs), None   # it holds both
    elif costs is not None:
        shown_as = args.formats[fmt.costs]
        document = shown_as.render(costs, **_options(shown_as, args))
    else:
        document = fmt.render(report, **_options(fmt, args))
    if fmt.collect is not None:
        return status, document
    out.write(document)
    if args.explain:
        out.write("\n" + render(report, "explain"))
    if comparison is not None:
        stream = sys.stderr if fmt.comparison_stream == "stderr" else out
        options = {} if args.thousands is None else {"thousands": args.thousands}
        stream.write("\n" + fmt.verbatim % render(comparison, **options))
    return status, None


def _options(fmt, args):
    """The renderer options of ``fmt`` the command line set (``--columns``, ``--thousands``)."""
    return {name: getattr(args, name) for name in fmt.command_line_options
            if getattr(args, name, None) is not None}


def _whole_networks(targets):
    """Targets with the several outputs of one network (a builder's list or dict of
    output layers) made one Target, whose network is the list of those outputs."""
    whole, by_value = [], {}
    for target in targets:
        if target.outputs_of is None:
            whole.append(target)
        elif target.outputs_of in by_value:
            by_value[target.outputs_of].network.append(target.network)
        else:
            by_value[target.outputs_of] = Target(target.outputs_of, [target.network])
            whole.append(by_value[target.outputs_of])
    return whole


def _show(args, out):
    """One network as before; several (``FILE.py``, several outputs) one after another,
    as the format says (each under a heading, or collected into one document)."""
    fmt = args.formats[args.format]
    if args.explain and not fmt.text:
        raise ArgumentError("--explain goes with a text format (%s)" % ", ".join(
            f.name for f in args.formats.values() if f.offered and f.text), field="--explain")
    _cost_options(args, fmt)
    targets = resolve(args)
    if fmt.whole_network:
        targets = _whole_networks(targets)
    if len(targets) == 1:
        status, document = _show_one(targets[0].network, args, fmt, out)
        if document is not None:
            out.write(document)
        return status
    if fmt.heading is None and fmt.collect is None:
        raise ArgumentError("%s gives %d networks and --format %s holds one; choose one with "
                            "--output-layer NAME or FILE.py:NAME"
                            % (args.network, len(targets), fmt.name), field="--format")
    statuses, collected = [], []
    for index, target in enumerate(targets):
        if fmt.heading is not None:
            out.write(("\n" if index else "") + fmt.heading % target.label)
        status, document = _show_one(target.network, args, fmt, out)
        statuses.append(status)
        if document is not None:
            collected.append((target.label, document))
    if fmt.collect is not None:
        out.write(fmt.collect(collected))
    return max(statuses)


def _wrote(path, report):
    return "wrote %s: %s layers, %s parameters\n" % (shown(path), thousands(len(report.layers)),
                                                     thousands(report.total_params))


def _snapshot(args, out):
    report = derive(resolve_one(args), args.lasagne)
    write_snapshot(report, args.output, protect=_inputs(args))
    out.write(_wrote(args.output, report))
    return 0


def _draw(args, out):
    # Imported here: it costs show SPEC's start-up a clear share (docs/performance.md).
    from .render.picture import draw as draw_picture, file_format
    file_format(args.output)                  # a bad extension fails before any loading
    network = resolve_one(args)
    drawn = derive_costs(network, lasagne_version=args.lasagne) if args.costs \
        else derive(network, args.lasagne)
    draw_picture(drawn, args.output, protect=_inputs(args), layout=args.layout)
    out.write(_wrote(args.output, drawn.report if args.costs else drawn))
    return 0


def _check(args, out):
    recorded = read_snapshot(args.against, args.max_input_bytes)
    changes = diff_snapshot(recorded, derive(resolve_one(args), args.lasagne))
    out.write(render_changes(changes, args.against))
    return 1 if changes else 0


def _run(args, out):
    return run_script(args.script, args.args, report=args.report,
                      text_report=not args.no_report, strict=args.strict)


def _weights(args, out):
    network = resolve_one(args)
    checked = check_weights(network, args.weights, trusted=args.trusted,
                            max_bytes=args.max_weights_bytes, lasagne_version=args.lasagne)
    if args.network is not None:
        checked = dataclasses.replace(checked, network=args.network)
    out.write(render_json(checked) if args.format == "json" else render(checked))
    return 0 if checked.ok else 1


COMMANDS = {"show": _show, "draw": _draw, "snapshot": _snapshot, "check": _check,
            "run": _run, "weights": _weights}


# Library argument names -> the options that set them, for errors naming a limit.
_OPTIONS = {"max_input_bytes": "--max-input-bytes", "max_build_bytes": "--max-build-bytes",
            "max_weights_bytes": "--max-weights-bytes"}


def _traceback(debug):
    """With ``--debug``, the traceback of the exception being handled, on stderr.

    The exit status stays the one the error has without ``--debug`` (2, or 130 for
    Ctrl-C): 1 means "differences found", and an uncaught exception would exit 1.
    """
    if debug:
        try:
            traceback.print_exc()
        except (AttributeError, OSError, ValueError):      # no stderr to write to
            pass


def _say(line, prefix="lasagne-params: error: "):
    """One line on stderr, if there is a stderr to write to."""
    try:
        print("%s%s" % (prefix, line), file=sys.stderr)
    except (AttributeError, OSError, ValueError):
        pass


def _silence_stdout():
    """Point file descriptor 1 at /dev/null, so that the interpreter's last flush of
    output nobody can receive fails no more (nothing when stdout is not a real file)."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (AttributeError, OSError, ValueError):
        pass


#: The command-line paths used after user code has run (the files written, the files
#: compared with): made absolute first, so that a module calling os.chdir cannot move
#: them (the working folder is also restored after user code, usercode/running.py).
_LATER_PATHS = ("output", "against", "weights", "report")


def _absolute_paths(args):
    for name in _LATER_PATHS:
        value = getattr(args, name, None)
        if isinstance(value, str) and value and value != "-":
            trailing = value.endswith(("/", os.sep))
            setattr(args, name, os.path.abspath(value) + (os.sep if trailing else ""))


def _user_code_scope(args):
    """``--python2`` and ``--stub-missing``: how users' files are read while the command
    runs."""
    scope = contextlib.ExitStack()
    scope.enter_context(unraisables_quiet())    # user objects' __del__ after the code ran
    if getattr(args, "python2", False):
        scope.enter_context(python2())
    if getattr(args, "stub_missing", False):
        scope.enter_context(stub_missing())
    return scope


def main(argv=None, formats=FORMATS):
    """Run the command line; return the exit status.

    ``formats`` (name -> :class:`~lasagne_params.render.Format`) are the output
    formats this run knows, :data:`lasagne_params.render.FORMATS` unless given.
    """
    parser = _parser(formats)
    args = parser.parse_args(argv)
    if args.command in NETWORK_COMMANDS + AGAINST_COMMANDS and (
            args.network is None) == (args.zoo is None):
        parser.error("give one network: %sSPEC.json, SPEC.yaml, path/to/module.py:function "
                     "or --zoo NAME" % ("--against " if args.command in AGAINST_COMMANDS
                                        else ""))
    _absolute_paths(args)
    debug = getattr(args, "debug", False)
    out = _Output(sys.stdout)
    try:
        with _user_code_scope(args):
            status = COMMANDS[args.command](args, out)
        out.flush()
        return status
    except _ReaderGone:
        # The reader stopped early (``| head``): no traceback, and the status a
        # program killed by SIGPIPE has; stdout goes nowhere so exit cannot fail again.
        _silence_stdout()
        return 128 + 13
    except Interrupted as exc:
        _traceback(debug)
        _say(exc, prefix="lasagne-params: ")
        return 128 + 2
    except KeyboardInterrupt:
        _traceback(debug)
        _say("interrupted (Ctrl-C)", prefix="lasagne-params: ")
        return 128 + 2
    except LasagneParamsError as exc:
        _traceback(debug)
        if exc.field in _OPTIONS:
            exc = exc.located()
            exc.field = _OPTIONS[exc.field]
        _say(exc)
        if isinstance(exc, OutputError) and exc.file == "standard output":
            _silence_stdout()
        return 2
    except (MemoryError, RecursionError) as exc:
        _traceback(debug)
        _say("%s: the input is too large or too deeply nested for this machine"
             % type(exc).__name__)
        return 2
    except Exception as exc:   # a bug: still one line, the traceback with --debug
        _traceback(debug)
        _say("internal error %s: %s (run with --debug for the traceback, and please "
             "report it)" % (type(exc).__name__, printable_lines(str(exc)).replace("\n", " ")))
        return 2


if __name__ == "__main__":
    sys.exit(main())
