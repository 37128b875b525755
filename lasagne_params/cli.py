"""lasagne-params: the command line.  Adapter -> derive/compare -> render -> print.

Library errors become one line on stderr and exit status 2 (``--debug``
shows the traceback); a failed ``--check`` exits 1.
"""
import argparse
import importlib.util
import os
import sys

from .errors import LasagneParamsError, SpecError
from .render import FORMATS, render

__all__ = ["main", "load_network"]


def load_network(target):
    """``path/to/module.py:function`` -> what the function returns (a Lasagne layer)."""
    path, sep, func = target.rpartition(":")
    if not sep or not path or not func:
        raise SpecError("expected path/to/module.py:function", file=target)
    if not os.path.isfile(path):
        raise SpecError("no such file", file=path)
    from .compat import install_compat
    install_compat()
    spec = importlib.util.spec_from_file_location("_lasagne_params_user_module", path)
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception as exc:  # a user's module may fail in any way
        raise SpecError("does not import: %s: %s" % (type(exc).__name__, exc),
                        file=path) from exc
    if not callable(getattr(module, func, None)):
        raise SpecError("has no function %r" % func, file=path)
    try:
        return module.__dict__[func]()
    except LasagneParamsError:
        raise
    except Exception as exc:
        raise SpecError("%s() failed: %s: %s" % (func, type(exc).__name__, exc),
                        file=path) from exc


def _parser():
    parser = argparse.ArgumentParser(
        prog="lasagne-params",
        description="Each Lasagne layer's output shape and learnable parameters, derived.")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    sub = parser.add_subparsers(dest="command", required=True)
    show = sub.add_parser("show", help="derive a network and print its table")
    show.add_argument("network", help="path/to/module.py:function returning a Lasagne layer")
    show.add_argument("--format", default="answer", choices=sorted(FORMATS))
    show.add_argument("--check", action="store_true",
                      help="also compare with Lasagne's own figures; exit 1 on any mismatch")
    return parser


def _show(args):
    network = load_network(args.network)
    from .api import compare, derive
    if args.check:
        comparison = compare(network)
        sys.stdout.write(render(comparison.derived, args.format))
        if args.format != "json":
            sys.stdout.write("\n" + str(comparison))
        return 0 if comparison.ok else 1
    sys.stdout.write(render(derive(network), args.format))
    return 0


def main(argv=None):
    args = _parser().parse_args(argv)
    try:
        return _show(args)
    except LasagneParamsError as exc:
        if args.debug:
            raise
        print("lasagne-params: error: %s" % exc, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
