"""Whose semantics a derivation follows: Lasagne 0.1 (the PyPI release) or master (0.2.dev1).

The two Lasagne versions people ran differ in what they accept and in a few
figures (see ``docs/lasagne-versions.md``).  A derivation follows one
*target version*, chosen in this order:

1. an explicit choice: ``derive(..., lasagne_version="0.1")``, a spec file's
   top-level ``"lasagne": "master"``, the command line's ``--lasagne``;
2. a built Lasagne network's own ``lasagne.__version__`` (when one is read);
3. the installed Lasagne distribution's version, read from its metadata
   (:func:`installed`; Lasagne is never imported for it);
4. :data:`DEFAULT`: master, the version Lasagne's own installation guide told
   its users to install, which accepts every name and keyword 0.1 does.

What differs is declared, never tested for by version string in the rules:
a kind's class and keywords carry the version that introduced them
(``LayerKind.since``, ``keyword@master`` in its signature), its defaults
that changed carry one value per version (``LayerKind.version_defaults``),
and the few behaviours that changed are the named fields of
:class:`Behaviour`, one per version in :data:`BEHAVIOURS`.

Pure: the standard library only (``importlib.metadata`` reads a file).
"""
import os
import sys
from dataclasses import dataclass
from functools import lru_cache

from .errors import ArgumentError

__all__ = ["RELEASE", "MASTER", "VERSIONS", "DEFAULT", "INSTALL_MASTER", "canonical",
           "at_least", "version_label", "installed", "target", "Behaviour", "BEHAVIOURS"]

RELEASE = "0.1"
MASTER = "0.2.dev1"
#: How to install Lasagne master at the commit this project supports (MIT), in every
#: message that says to.
INSTALL_MASTER = ("pip install --no-deps https://github.com/Lasagne/Lasagne/archive/"
                  "5d3c63cb315c50b1cbd27a6bc8664b406f34dd99.zip")
#: Oldest first.
VERSIONS = (RELEASE, MASTER)
DEFAULT = MASTER

_ALIASES = {"0.1": RELEASE, "0.1.0": RELEASE, "release": RELEASE,
            "master": MASTER, "0.2": MASTER, "dev": MASTER}


def canonical(version, field="lasagne_version"):
    """``"master"``, ``"0.2"``, ``"0.2.dev1"`` -> ``"0.2.dev1"``; ``"0.1"`` -> ``"0.1"``.

    >>> canonical("master"), canonical("0.1")
    ('0.2.dev1', '0.1')
    """
    text = str(version).strip().lower() if isinstance(version, (str, int, float)) else None
    if text in _ALIASES:
        return _ALIASES[text]
    if text and text.startswith("0.2"):
        return MASTER
    raise ArgumentError("expected a Lasagne version: 0.1 or master (0.2.dev1), got %r"
                        % (version,), field=field)


def at_least(version, since):
    """True when ``version`` has what ``since`` introduced."""
    return VERSIONS.index(version) >= VERSIONS.index(since)


def version_label(version):
    """``"0.1"`` or ``"master (0.2.dev1)"``: how messages name a version."""
    return "master (%s)" % MASTER if version == MASTER else version


def _metadata_version(folder):
    """The ``Version:`` of the first Lasagne ``.dist-info``/``.egg-info`` in ``folder``.

    What ``importlib.metadata.version`` reads, found by listing one folder:
    importing ``importlib.metadata`` (with ``email``, ``zipfile``, ``csv``) is
    30% of ``lasagne-params show SPEC``'s own work (docs/performance.md, "What
    the start-up tricks bought"), so this start-up choice is kept.
    """
    try:
        names = sorted(os.listdir(folder or "."))
    except OSError:                     # a zip file on sys.path, a missing folder
        return None
    for name in names:
        low = name.lower()
        if not (low.startswith("lasagne-") and low.endswith((".dist-info", ".egg-info"))):
            continue
        path = os.path.join(folder or ".", name)
        if os.path.isdir(path):
            path = os.path.join(path, "METADATA" if low.endswith(".dist-info") else "PKG-INFO")
        try:
            with open(path, encoding="utf-8", errors="replace") as handle:
                for line in handle:
                    if line.startswith("Version:"):
                        return line.split(":", 1)[1].strip()
                    if not line.strip():
                        break           # the headers end at the first blank line
        except OSError:
            continue
    return None


@lru_cache(maxsize=1)
def installed():
    """The installed Lasagne distribution's version (canonical), or None.

    Read from the distribution's metadata, without importing Lasagne: the
    first Lasagne ``.dist-info``/``.egg-info`` along ``sys.path``, as
    ``importlib.metadata`` finds it (which is asked only where Lasagne is
    importable in some other form, an egg for instance).
    """
    text = None
    for folder in sys.path:
        text = _metadata_version(folder)
        if text is not None:
            break
    if text is None:
        import importlib.util
        if importlib.util.find_spec("lasagne") is None:
            return None
        from importlib import metadata
        try:
            text = metadata.version("Lasagne")
        except metadata.PackageNotFoundError:
            return None
    try:
        return canonical(text)
    except ArgumentError:
        return None


def target(explicit=None):
    """The version a derivation follows: ``explicit``, else the installed one, else DEFAULT."""
    if explicit is not None:
        return canonical(explicit)
    return installed() or DEFAULT


@dataclass(frozen=True)
class Behaviour:
    """The behaviours that changed between Lasagne versions, by name.

    even_filter_same : str
        What ``pad='same'`` does with an even filter size: ``"pads"`` (0.1:
        ``f//2`` before and ``(f-1)//2`` after on the CPU layers, ``(f-1)//2``
        on both sides on the GPU ones) or ``"raises"`` (master:
        NotImplementedError).
    merge_fills_unknown : bool
        Concat and elementwise merges accept ``None`` beside a number on an
        axis and take the number (master); 0.1 requires equal shapes as
        written (ElemwiseSum/Merge) and keeps the first input's axes (Concat).
    expression_params : bool
        A parameter may be a Theano expression of arrays (master's
        ``W=enc.W.T``: the layer holds the arrays it is computed from);
        0.1's ``create_param`` refuses anything but an array, a shared
        variable or a callable.
    state_layers : bool
        A recurrent layer's ``hid_init``/``cell_init`` may be a layer
        (master); 0.1 takes an array, an initializer or a Theano expression.
    """

    version: str
    even_filter_same: str
    merge_fills_unknown: bool
    expression_params: bool
    state_layers: bool


#: Each version's behaviours.
BEHAVIOURS = {
    RELEASE: Behaviour(RELEASE, even_filter_same="pads", merge_fills_unknown=False,
                       expression_params=False, state_layers=False),
    MASTER: Behaviour(MASTER, even_filter_same="raises", merge_fills_unknown=True,
                      expression_params=True, state_layers=True),
}
