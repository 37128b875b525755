"""Theano's C module cache for ops with no properties (Dot22, the softmax ops, Alloc, ...).

Theano-PyMC 1.1.2 builds each C module's cache key from the version of every
op and type in it (``CLinker.cmodule_key_``) and, for ops with
``__props__``, appends the tuple of property names too.  An op whose
``__props__`` is empty (``Dot22``, ``Dot22Scalar``, ``SoftmaxWithBias``,
``CrossentropySoftmaxArgmax1HotWithBias``, ``CrossentropySoftmax1HotWithBiasDx``,
``Alloc``, ``ScalarFromTensor``, ...) thereby adds ``()``, which the same
function reads as "an unversioned op": the module is compiled again in every
process (about a second of g++ each) and never kept in the compile cache,
although each of these ops declares a ``c_code_cache_version``.  A dense
layer's training step pays it in every interpreter that compiles one (the
Trainer's warm compile: 9 modules, every time).

:func:`bridge_empty_props_versioning` (called by ``install_compat``) wraps
``cmodule_key_``: where Theano's key came out unversioned, the versions are
collected again leaving out the empty property tuples (the fix Aesara made,
aesara-devs/aesara#1108); if every op and type is then versioned, that
version is the key's, otherwise the key stays unversioned as Theano made it.
The signature part of the key (ops, types, compile flags) is Theano's
unchanged, so no two different modules share a key.  Feature-detected: only
where ``cmodule_key_``'s source appends ``__props__`` to the versions, and
idempotent.
"""
import inspect

__all__ = ["bridge_empty_props_versioning", "versions"]

_MARK = "__lasagne_params_compat__"
#: The line of Theano-PyMC 1.1.2's ``cmodule_key_`` that puts ``()`` among the versions.
BUGGY_LINE = "version.append(node.op.__props__)"


def versions(order):
    """The version tuple ``cmodule_key_`` collects for the nodes ``order``, without
    empty ``__props__`` (Theano's own entries otherwise, in its order)."""
    from theano.link.c.interface import CLinkerObject
    found = []
    for node in order:
        if hasattr(node.op, "c_code_cache_version_apply"):
            found.append(node.op.c_code_cache_version_apply(node))
        if getattr(node.op, "__props__", ()):
            found.append(node.op.__props__)
        for variable in list(node.inputs) + list(node.outputs):
            if isinstance(variable.type, CLinkerObject):
                found.append(variable.type.c_code_cache_version())
    return tuple(found)


def _has_the_bug(method):
    try:
        return BUGGY_LINE in inspect.getsource(method)
    except (OSError, TypeError):        # no source shipped: cannot tell, leave it
        return False


def bridge_empty_props_versioning(report):
    """Let C modules of ops with empty ``__props__`` be cached (see the module docstring)."""
    from theano.link.c.basic import CLinker
    name = "C module cache keys of ops without properties"
    if getattr(CLinker.cmodule_key_, _MARK, False):
        report.present.append(name + " (bridged)")
        return
    if not _has_the_bug(CLinker.cmodule_key_):
        report.present.append(name)
        return
    original = CLinker.cmodule_key_

    def cmodule_key_(self, fgraph, no_recycling, *args, **kwargs):
        key = original(self, fgraph, no_recycling, *args, **kwargs)
        if key is None or key[0] != ():
            return key
        version = versions(self.schedule(fgraph))
        return (version, key[1]) if all(version) else key

    cmodule_key_.__doc__ = original.__doc__
    cmodule_key_.__wrapped__ = original
    setattr(cmodule_key_, _MARK, True)
    CLinker.cmodule_key_ = cmodule_key_
    report.applied.append(name + ": versioned as their c_code_cache_version says")
