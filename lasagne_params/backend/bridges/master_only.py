"""A clear word when code written for Lasagne master meets Lasagne 0.1.

Most historical Lasagne code was written against Lasagne's master branch
(0.2.dev1); PyPI's Lasagne is 0.1.  On 0.1 such code fails with a bare
``ImportError: cannot import name 'BatchNormLayer'``, ``AttributeError:
module 'lasagne.layers' has no attribute 'batch_norm'`` or ``TypeError:
Layer.__init__() got an unexpected keyword argument 'flip_filters'``.
:func:`explain` turns such an error into one line naming what is missing
and how to install master::

    lasagne.layers.BatchNormLayer is in Lasagne master (0.2.dev1), not in the
    installed Lasagne 0.1; install master: pip install --no-deps https://...

What counts as master's: the layer classes and keywords the kind
declarations mark ``since`` master (``core/layers``), and the few other
names below.  It is said only when the installed Lasagne really lacks the
name or keyword (looked up, never a version check), so on master, or for a
plain typo, :func:`explain` returns None and the original error stands.

The command line applies it where it runs a user's module (``show
FILE.py:function``), ``build_layers`` where Lasagne refuses a spec's
class or keyword, and ``compare`` (``show --check``) before deriving a
description for the installed Lasagne (:func:`require_installed_classes`);
no import hook is installed.
"""
import inspect
import re
import sys

from ...core import versions
from ...core.errors import SpecError
from ...core.registry import find_kind
from ...describe.keywords import MASTER_NONLINEARITIES
from .compat import import_lasagne

__all__ = ["INSTALL_MASTER", "MASTER_NAMES", "explain", "missing_name", "missing_keyword",
           "require_installed_classes"]

#: How to install Lasagne master at the commit this project supports (MIT).
INSTALL_MASTER = versions.INSTALL_MASTER

#: Master's public names that are not layer classes (those are in the kind declarations).
MASTER_NAMES = {
    "lasagne.layers": ("autocrop", "autocrop_array_shapes", "batch_norm", "dropout_channels",
                       "dropout_locations", "instance_norm", "layer_norm", "prelu", "rrelu",
                       "spatial_dropout", "standardize", "local", "special"),
    "lasagne.layers.dnn": ("batch_norm_dnn",),
    "lasagne.nonlinearities": MASTER_NONLINEARITIES + ("SELU", "ScaledTanH", "ScaledTanh"),
    "lasagne.updates": ("adamax", "amsgrad"),
    "lasagne.objectives": ("align_targets", "binary_accuracy", "binary_hinge_loss",
                           "categorical_accuracy", "huber_loss", "multiclass_hinge_loss"),
    "lasagne.utils": ("collect_shared_vars", "inspect_kwargs", "int_types"),
}

_IMPORT_NAME = re.compile(r"cannot import name '(\w+)' from '(lasagne[\w.]*)'")
_ATTRIBUTE = re.compile(r"module '(lasagne[\w.]*)' has no attribute '(\w+)'")
_KEYWORD = re.compile(r"(?:(\w+)\.)?__init__\(\) got an unexpected keyword argument '(\w+)'")


def require_installed_classes(specs):
    """Raise the one line saying how to install master for the first layer of ``specs``
    whose class is master's and missing from the installed Lasagne.

    For checking a description against Lasagne (``compare``, ``show --check``): Lasagne
    must build it, so what the installed Lasagne lacks is said first, before any rule's
    "derive for master".  Nested sub-networks are looked at too.
    """
    import importlib
    import_lasagne()
    for spec in specs:
        kind = find_kind(spec.kind)
        if kind is None or kind.factory is not None:
            continue
        try:
            module = importlib.import_module(kind.module)
        except ImportError:
            module = None
        if module is None or not hasattr(module, spec.kind):
            line = missing_name(kind.module, spec.kind)
            if line:
                raise SpecError(line, layer=spec.name, kind=spec.kind, field="kind")
        for field in kind.subnetworks:
            nested = spec.args.get(field)
            if isinstance(nested, (list, tuple)):
                require_installed_classes(nested)


def _installed_label():
    version = getattr(sys.modules.get("lasagne"), "__version__", None)
    return "Lasagne %s" % version if version else "Lasagne"


def _class_since(name):
    kind = find_kind(name)
    return kind.since if kind is not None else None


def _is_master_name(module, name):
    """Master's ``name`` in ``module``; a layer helper or class also in the submodule of
    ``lasagne.layers`` defining it (``lasagne.layers.normalization.batch_norm``)."""
    if name in MASTER_NAMES.get(module, ()):
        return True
    return module.startswith("lasagne.layers") and (
        name in MASTER_NAMES["lasagne.layers"] or _class_since(name) == versions.MASTER)


def _present(module, name):
    """Whether the installed Lasagne has ``module.name`` (a module already imported, or not)."""
    loaded = sys.modules.get(module)
    if loaded is not None and hasattr(loaded, name):
        return True
    return sys.modules.get("%s.%s" % (module, name)) is not None


def missing_name(module, name):
    """The line for master's ``module.name`` missing here, else None."""
    if not _is_master_name(module, name) or _present(module, name):
        return None
    return "%s.%s is in Lasagne master (%s), not in the installed %s; install master: %s" % (
        module, name, versions.MASTER, _installed_label(), INSTALL_MASTER)


def _accepts(cls, keyword):
    params = inspect.signature(cls.__init__).parameters
    return keyword in params


def missing_keyword(cls, keyword):
    """The line for master's keyword ``keyword`` of ``cls`` (a class or class name), else None.

    ``cls`` is the class used (a user's subclass too: its Lasagne bases are
    looked up); the keyword must be one that a declaration marks as
    master's and that the installed class does not take.
    """
    classes = cls.__mro__ if inspect.isclass(cls) else ()
    names = [c.__name__ for c in classes] or [cls]
    for name in names:
        kind = find_kind(name)
        since = kind.keywords.since(keyword) if kind and kind.keywords else None
        if since != versions.MASTER:
            continue
        if classes and _accepts(classes[names.index(name)], keyword):
            return None
        return ("%s's keyword %s= is in Lasagne master (%s), not in the installed %s; "
                "install master: %s" % (name, keyword, versions.MASTER, _installed_label(),
                                        INSTALL_MASTER))
    return None


def _constructed_class(exc):
    """The class whose constructor raised ``exc`` (innermost ``__init__`` with a ``self``)."""
    tb, found = exc.__traceback__, None
    while tb is not None:
        frame = tb.tb_frame
        if frame.f_code.co_name == "__init__" and "self" in frame.f_locals:
            found = type(frame.f_locals["self"])
        tb = tb.tb_next
    return found


def explain(exc):
    """One line for an error that Lasagne-master code raises on Lasagne 0.1, else None.

    Understands ``ImportError``/``ModuleNotFoundError`` and ``AttributeError``
    naming a master-only name of a ``lasagne`` module, and ``TypeError`` for
    a master-only keyword of a layer class.
    """
    text = str(exc)
    if isinstance(exc, ModuleNotFoundError) and (exc.name or "").startswith("lasagne."):
        module, _, name = exc.name.rpartition(".")
        return missing_name(module, name)
    if isinstance(exc, ImportError):
        match = _IMPORT_NAME.search(text)
        return missing_name(match.group(2), match.group(1)) if match else None
    if isinstance(exc, AttributeError):
        match = _ATTRIBUTE.search(text)
        return missing_name(match.group(1), match.group(2)) if match else None
    if isinstance(exc, TypeError):
        match = _KEYWORD.search(text)
        if match is None:
            return None
        cls = _constructed_class(exc) or match.group(1)
        return missing_keyword(cls, match.group(2)) if cls else None
    return None
