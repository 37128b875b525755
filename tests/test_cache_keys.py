"""The cache-key bridge (backend/bridges/cache_keys.py): ops without properties get
versioned C modules, as their c_code_cache_version says; nothing else changes."""


def _key(op, *inputs, original=False):
    from theano.graph.fg import FunctionGraph
    from theano.link.c.basic import CLinker
    graph = FunctionGraph(list(inputs), [op(*inputs)])
    linker = CLinker().accept(graph)
    if not original:
        return linker.cmodule_key()
    return CLinker.cmodule_key_.__wrapped__(
        linker, graph, linker.no_recycling, compile_args=linker.compile_args(),
        libraries=linker.libraries(), header_dirs=linker.header_dirs(),
        c_compiler=linker.c_compiler())


def test_an_op_without_properties_gets_a_versioned_module(lasagne):
    import theano.tensor as T
    from theano.tensor.blas import Dot22
    from lasagne_params.backend.bridges.cache_keys import BUGGY_LINE
    assert Dot22.__props__ == () and Dot22().c_code_cache_version()
    x, y = T.matrix("x"), T.matrix("y")
    theirs, ours = _key(Dot22(), x, y, original=True), _key(Dot22(), x, y)
    assert theirs[0] == ()                      # Theano's: unversioned, compiled every time
    assert ours[0] and all(ours[0])             # versioned: kept in the compile cache
    assert ours[1] == theirs[1]                 # the signature is Theano's, unchanged
    assert Dot22().c_code_cache_version() in ours[0]
    assert BUGGY_LINE                           # what the feature detection looks for


def test_versioned_keys_and_unversioned_ops_are_left_as_theano_makes_them(lasagne):
    import theano.tensor as T
    from theano.tensor.blas import Dot22
    x, y = T.matrix("x"), T.matrix("y")
    add = T.elemwise.Elemwise(T.basic.scal.add)
    assert _key(add, x, y) == _key(add, x, y, original=True)

    class Unversioned(Dot22):
        def c_code_cache_version(self):
            return ()

    assert _key(Unversioned(), x, y)[0] == ()


def test_the_bridge_is_recorded_once(lasagne):
    import lasagne_params
    report = lasagne_params.install_compat()
    assert "C module cache keys of ops without properties (bridged)" in report.present
