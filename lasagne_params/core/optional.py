"""The optional packages: which extra installs each, and the one error when one is missing.

The derivation needs nothing outside the standard library; everything else
comes with an extra of ``setup.cfg``.  A missing package is never an
"internal error": :func:`require` imports it or raises a
:class:`~lasagne_params.core.errors.DependencyError` naming the extra, and
:func:`install_advice` gives the same advice for a user's code that failed on
one of these imports.
"""
import importlib

from .errors import DependencyError

__all__ = ["EXTRAS", "require", "install_advice", "missing_module"]

#: Top-level module -> (the distribution's name, the extra of lasagne-params bringing it).
EXTRAS = {
    "theano": ("Theano-PyMC", "lasagne"),
    "lasagne": ("Lasagne", "lasagne"),
    "numpy": ("numpy", "lasagne"),
    "scipy": ("scipy", "lasagne"),
    "yaml": ("PyYAML", "yaml"),
    "graphviz": ("graphviz", "draw"),
    "matplotlib": ("matplotlib", "nolearn"),
    "sklearn": ("scikit-learn", "nolearn"),
}


def missing_module(exc):
    """The module of :data:`EXTRAS` a ModuleNotFoundError says is missing, or None (a
    missing submodule, ``lasagne.layers.local`` of an older Lasagne, is no missing package)."""
    name = getattr(exc, "name", None) if isinstance(exc, ModuleNotFoundError) else None
    return name if name in EXTRAS else None


def require(module, purpose):
    """Import ``module`` (a key of :data:`EXTRAS`, or one of its submodules) and return it.

    Raises
    ------
    DependencyError
        When it is not installed: ``"<purpose> needs <distribution>, which is
        not installed: pip install 'lasagne-params[<extra>]'"``.
    """
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        top = missing_module(exc)
        if top is None:
            raise               # a module none of the extras brings: not ours to word
        distribution, extra = EXTRAS[top]
        raise DependencyError("%s needs %s, which is not installed: pip install "
                              "'lasagne-params[%s]'" % (purpose, distribution, extra),
                              extra=extra) from None


def install_advice(exc):
    """``"Theano-PyMC is not installed: pip install 'lasagne-params[lasagne]'"`` for a
    ModuleNotFoundError of one of :data:`EXTRAS`, else ``""``."""
    top = missing_module(exc)
    if top is None:
        return ""
    return "%s is not installed: pip install 'lasagne-params[%s]'" % EXTRAS[top]
