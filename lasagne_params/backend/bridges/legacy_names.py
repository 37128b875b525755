"""Old names inside modules that still exist: ``theano.Op``, ``scipy.misc.imread``...

Where a whole module is gone, :mod:`.legacy_modules` serves it; here the
module is there but a name historical code takes from it is not.  Each name
is one :class:`LegacyName` record of :data:`LEGACY_NAMES` (the module, the
name, what stands in for it); :func:`install_legacy_names` (called by
``install_compat``) sets each one that is missing, never one that exists,
and lists it in the CompatReport.  Found on real code: the unseen-code
corpus (docs/historical-code.md) had ``theano.Op``/``theano.gof.Op`` in
custom ops and ``scipy.misc.imread`` (removed in SciPy 1.2) in three
repositories' data loading.
"""
import importlib
import importlib.util
from dataclasses import dataclass
from typing import Tuple

__all__ = ["LegacyName", "LEGACY_NAMES", "install_legacy_names"]


@dataclass(frozen=True, slots=True)
class LegacyName:
    """``module.name``, gone from today's library: ``source`` (``"module:attribute"``) is
    what stands in for it; ``requires`` the top-level packages it needs beyond the module."""

    module: str
    name: str
    source: str
    requires: Tuple[str, ...] = ()

    def value(self):
        where, _, attribute = self.source.partition(":")
        return getattr(importlib.import_module(where), attribute)


_THEANO_GRAPH = (("Op", "theano.graph.op:Op"), ("Apply", "theano.graph.basic:Apply"),
                 ("Constant", "theano.graph.basic:Constant"),
                 ("Type", "theano.graph.type:Type"))
_SCIPY_IMAGES = ("imread", "imsave", "imresize", "imshow", "toimage", "bytescale",
                 "fromimage")

LEGACY_NAMES = tuple(
    [LegacyName(owner, name, source) for owner in ("theano", "theano.gof")
     for name, source in _THEANO_GRAPH]
    + [LegacyName("scipy.misc", name, "lasagne_params.backend.bridges.legacy_scipy:" + name,
                  requires=("PIL",)) for name in _SCIPY_IMAGES])


def _installed(top):
    return importlib.util.find_spec(top) is not None


def install_legacy_names(report):
    """Set each missing name of :data:`LEGACY_NAMES` whose module imports; say so in
    ``report`` (applied once, then present)."""
    for record in LEGACY_NAMES:
        label = "%s.%s" % (record.module, record.name)
        try:
            module = importlib.import_module(record.module)
        except ImportError:
            continue
        if hasattr(module, record.name):
            report.present.append(label)
        elif all(_installed(top) for top in record.requires):
            setattr(module, record.name, record.value())
            report.applied.append("%s -> %s" % (label, record.source.replace(":", ".")))
