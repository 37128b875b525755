"""The public entry points: derive, derive_costs, build, from_lasagne, compare, assert_matches, draw.

A *network* is any of: a Lasagne output layer (or a list of them), a list
of LayerSpecs, a spec file's path, or an object with ``to_specs()`` (a
:class:`~lasagne_params.NeuralNet`).  ``derive`` imports Lasagne only for a
Lasagne layer, and only through ``backend/``.

Each entry point takes ``kinds=``, a :class:`~lasagne_params.Registry` of
layer kinds declared for that call only (see ``core/registry.py``).
"""
import os
from typing import TYPE_CHECKING, Any, Optional, Union

from .core.compare import Comparison, compare_reports, in_order, with_notes
from .core.cost_records import CostReport
from .core.costs import cost_report
from .core.derive import derive_specs
from .core.errors import ArgumentError, LasagneParamsError, UnsupportedLayerError
from .core.files import byte_limit
from .core.records import LayerSpec, Report
from .core.runtime_check import RuntimeCheck
from .core.weights import check_weights as check_shapes
from .core.registry import Registry, using
from .core.weights import WeightsCheck
from .describe.spec import read_spec_file
from .render.compare import mismatch_line
from .usercode import load_network, split_target

if TYPE_CHECKING:                      # for the annotations only: drawing is imported late
    from .render.picture import Picture

__all__ = ["derive", "derive_costs", "build", "from_lasagne", "compare", "assert_matches",
           "draw", "verify_runtime"]

_WHAT = ("a Lasagne layer, a NeuralNet, a spec file, a Python target (FILE.py:NAME) or "
         "a list of LayerSpecs")
#: What the entry points take as a network (_WHAT); Lasagne's classes have no types.
Network = Any


def _is_lasagne(network):
    from .backend.networks.read import is_lasagne_network
    return is_lasagne_network(network)


def _loaded(network):
    """``network``, or for a Python target (``"FILE.py:NAME"``, ``"FILE.ipynb:NAME"``) the
    one network it names, read as the command line reads it (:mod:`lasagne_params.usercode`)."""
    if isinstance(network, (str, os.PathLike)):
        path = os.fspath(network)
        if split_target(path)[0].lower().endswith((".py", ".ipynb")):
            return load_network(path)
    return network


def _describe(network, version=None):
    """(LayerSpecs, file or None, Lasagne version or None) of ``network``.

    The version is ``version`` if given, else the one the description names
    (a spec file's ``"lasagne"``, a built network's Lasagne), else None (the
    derivation then takes the installed Lasagne's, see ``core/versions.py``).
    """
    specs, file, named = _described(network)
    return specs, file, version if version is not None else named


def _described(network):
    if isinstance(network, (list, tuple)) and network and all(
            isinstance(s, LayerSpec) for s in network):
        return list(network), None, None
    if isinstance(network, (str, os.PathLike)):
        network = read_spec_file(network)
    if hasattr(network, "path") and hasattr(network, "to_specs"):      # a SpecFile
        return network.to_specs(), network.path, getattr(network, "version", None)
    if hasattr(network, "to_specs"):
        return network.to_specs(), None, None
    if _is_lasagne(network):
        from .backend.networks.read import network_version, specs_from_lasagne
        return specs_from_lasagne(network), None, network_version()
    raise ArgumentError("expected %s, got %s" % (_WHAT, _type_name(network)),
                        field="network")


def _own_code(network):
    """{layer name: rule} deriving the layers of a built network whose class has no
    declared kind from the class's own code; None for anything but a built network."""
    if not _is_lasagne(network):
        return None
    from .backend.networks.class_code import class_code_rules
    return class_code_rules(network)


def _type_name(value):
    return "None" if value is None else (
        "an empty %s" % type(value).__name__ if isinstance(value, (list, tuple)) and not value
        else type(value).__name__)


def _derived(specs, file, **options):
    """``derive_specs(specs)``, its errors naming ``file``."""
    try:
        return derive_specs(specs, **options)
    except LasagneParamsError as exc:
        raise exc.located(file=file) from None


def derive(network: Network, lasagne_version: Optional[str] = None,
           kinds: Optional[Registry] = None) -> Report:
    """Derive every layer's output shape and parameter counts from first principles.

    Parameters
    ----------
    network : lasagne Layer, list of Layers, list of LayerSpec, spec file, NeuralNet or target
        For a Lasagne network only the hyper-parameters are read; Lasagne's
        own shape inference and parameter arrays are never consulted.  A
        layer whose class has no declared kind is derived from the class's
        own code, run again on the derived input shapes
        (docs/custom-kinds.md).  A
        target (``"model.py:build_model"``, ``"tutorial.ipynb:net0"``) is read
        as the command line reads it (docs/historical-code.md).
    lasagne_version : str, optional
        Whose semantics apply: ``"0.1"`` or ``"master"``.  Default: the one
        the network names (a spec file's ``"lasagne"``, a built network's
        Lasagne), else the installed Lasagne's, else master (see
        ``docs/lasagne-versions.md``).
    kinds : Registry, optional
        Layer kinds of your own for this call only, found before the ones
        ``register_kind`` declared (``docs/custom-kinds.md``).

    Returns
    -------
    Report

    Examples
    --------
    >>> from lasagne_params import LayerSpec, derive
    >>> report = derive([LayerSpec("in", "InputLayer", (), {"shape": (None, 20)}),
    ...                  LayerSpec("out", "DenseLayer", ("in",), {"num_units": 50})])
    >>> report.total_params          # 20 inputs * 50 units + 50 biases
    1050
    >>> report.layers[1].param_formula
    '(20+1)*50'
    """
    with using(kinds):
        network = _loaded(network)
        specs, file, version = _describe(network, lasagne_version)
        return _derived(specs, file, version=version, own_code=_own_code(network))


def derive_costs(network: Network, batch_size: Optional[int] = None, floatx: str = "float32",
                 lasagne_version: Optional[str] = None,
                 kinds: Optional[Registry] = None) -> CostReport:
    """Derive every layer's compute cost, memory and receptive field, with formulas.

    Parameters
    ----------
    network : as for :func:`derive`
        Hyper-parameters only.
    batch_size : int, optional
        Examples per batch for the totals (default: the declared batch size
        of the InputLayers, else 1).  Per-layer figures are per example.
    floatx : {'float32', 'float64', 'float16'}
        Element type for the byte counts (Theano's ``floatX``).
    kinds : Registry, optional
        As for :func:`derive`.

    Returns
    -------
    CostReport
        ``.report`` is the :class:`Report` that :func:`derive` returns.

    Examples
    --------
    >>> from lasagne_params import LayerSpec, derive_costs
    >>> costs = derive_costs([
    ...     LayerSpec("in", "InputLayer", (), {"shape": (None, 1, 28, 28)}),
    ...     LayerSpec("conv", "Conv2DLayer", ("in",), {"num_filters": 32, "filter_size": 5})])
    >>> conv = costs.layer("conv")
    >>> conv.formula("mac"), conv.macs      # 24*24 positions * 32 filters * 5*5*1 weights
    ('(32*24*24)*(5*5*1)', 460800)
    >>> conv.receptive_field[0].size
    5
    """
    with using(kinds):
        network = _loaded(network)
        specs, file, version = _describe(network, lasagne_version)
        return cost_report(specs, _derived(specs, file, version=version,
                                           own_code=_own_code(network)),
                           batch_size=batch_size, floatx=floatx)


def build(network: Network, kinds: Optional[Registry] = None) -> Any:
    """Build a network description in Lasagne; return its output layer.

    Parameters
    ----------
    network : list of LayerSpec, spec file path, or NeuralNet
        Each layer's class is the one its kind declares (``lasagne.layers``
        for Lasagne's own); ``"nonlinearity": "rectify"`` is looked up in
        ``lasagne.nonlinearities``; ``{"shared": "a.W"}`` becomes layer a's W.
    kinds : Registry, optional
        As for :func:`derive`: a kind's ``factory`` builds its layers.

    Returns
    -------
    lasagne Layer, or a list of them when several layers feed no other.
    """
    with using(kinds):
        if hasattr(network, "initialize_layers"):
            outputs = network.initialize_layers()
        else:
            specs, file, _ = _describe(network)
            outputs = _built(specs, file)
    return outputs[0] if len(outputs) == 1 else outputs


def _built(specs, file, shape_only=False):
    """The output layers of ``specs`` built in Lasagne, its errors naming ``file``.

    ``shape_only``: arrays with their shapes and no memory (for reading
    Lasagne's figures only; see ``backend/networks/shape_only.py``).
    """
    from .backend.networks.build import build_layers, output_layers
    from .backend.networks.shape_only import build_shape_only
    try:
        return output_layers(specs, (build_shape_only if shape_only else build_layers)(specs))
    except LasagneParamsError as exc:
        raise exc.located(file=file) from None
    except RecursionError:
        raise ArgumentError("sub-networks nested too deeply to build", file=file,
                            field="network") from None


def from_lasagne(output_layer: Any) -> Report:
    """Lasagne's own figures for a built network, as a Report (source ``"lasagne"``).

    Raises
    ------
    ArgumentError
        Unless ``output_layer`` is a Lasagne layer or a list of them.
    """
    if not _is_lasagne(output_layer):
        raise ArgumentError("expected a Lasagne layer or a list of them, got %s"
                            % _type_name(output_layer), field="output_layer")
    from .backend.networks.read import report_from_lasagne
    return report_from_lasagne(output_layer)


def compare(network: Network, lasagne_version: Optional[str] = None,
            max_build_bytes: Optional[int] = None,
            kinds: Optional[Registry] = None) -> Comparison:
    """Derive a network and put Lasagne's own figures beside it; return the Comparison.

    A Lasagne network is read as it is; a NeuralNet's own layers are used
    (built first if it has none yet); a spec file, LayerSpecs or a zoo
    network is built by Lasagne's own classes with parameter arrays that
    have their shapes but no memory (read-only zeros: Lasagne decides every
    shape, the weights are never allocated; see docs/performance.md).  Rows
    are paired with Lasagne's by name.  A build with real arrays (a
    NeuralNet building its layers) is refused when they would not fit in
    ``max_build_bytes`` (default 4 GiB, see
    :mod:`lasagne_params.backend.networks.memory`): a LimitError is raised before
    Theano allocates anything; the shape-only build needs no such limit.

    On a Lasagne network a layer whose class has no declared kind is derived
    from the class's own code (its constructor and ``get_output_shape_for``
    run again on the derived input shapes: docs/custom-kinds.md), and
    compared like any other.  It never fails on a layer it cannot derive (a
    class whose code cannot be run again, or a configuration the rule
    rejects although Lasagne built it): that row shows Lasagne's figures,
    marked "not derived" with the reason, and the layers after it are
    derived from Lasagne's output shape for it.  A NeuralNet holding a class
    without a kind is compared the same way, from its built layers (built
    first if need be, without the memory check, which needs every layer
    derived).

    ``kinds`` (a Registry) declares layer kinds for this call only, as for
    :func:`derive`.
    """
    with using(kinds):
        return _compare(network, lasagne_version, max_build_bytes)


def _compare(network, lasagne_version, max_build_bytes):
    byte_limit(max_build_bytes, None, "max_build_bytes")    # a bad limit fails on any path
    network = _loaded(network)
    if _is_lasagne(network):
        from .backend.networks.read import report_from_lasagne
        specs, _, version = _describe(network, lasagne_version)
        reported = report_from_lasagne(network)
        derived = derive_specs(specs, fallback={row.name: row for row in reported.layers},
                               version=version, own_code=_own_code(network))
        return compare_reports(derived, reported)
    if hasattr(network, "output_layers"):              # a NeuralNet builds itself, once
        try:
            derived = derive(network, lasagne_version)
        except UnsupportedLayerError:   # a class of the user's: its layers as built, read
            outputs = network.output_layers()
            return _compare(outputs[0] if len(outputs) == 1 else list(outputs),
                            lasagne_version, max_build_bytes)
        if getattr(network, "_output_layers", None) is None:     # not built yet
            _check_build(derived, max_build_bytes)
        return _compare_built(derived, network.output_layers())
    if hasattr(network, "initialize_layers"):
        derived = derive(network, lasagne_version)
        _check_build(derived, max_build_bytes)
        built = build(network)
    else:
        specs, file, version = _describe(network, lasagne_version)   # read once
        if version is None:         # for the installed Lasagne, which must build it
            from .backend.bridges.master_only import require_installed_classes
            try:
                require_installed_classes(specs)
            except LasagneParamsError as exc:
                raise exc.located(file=file) from None
        derived = _derived(specs, file, version=version)
        built = _built(specs, file, shape_only=True)
    return _compare_built(derived, built)


def _compare_built(derived, built):
    """The Comparison of a description's derivation with the network built from it; the
    derived rows take what only the build knows (a GPU class built as a CPU stand-in)."""
    from .backend.networks.read import layer_notes
    reported = from_lasagne(built)
    return compare_reports(with_notes(derived, layer_notes(built)),
                           in_order(reported, [r.name for r in derived.layers]))


def _check_build(report, max_build_bytes):
    """Refuse a build whose arrays would not fit in ``max_build_bytes`` (one place, so
    that a build allocating no weights can skip it)."""
    from .backend.networks.memory import check_build
    check_build(report, max_build_bytes)


def assert_matches(network: Network, max_build_bytes: Optional[int] = None,
                   kinds: Optional[Registry] = None) -> Comparison:
    """Raise AssertionError listing each disagreement and each layer not derived."""
    result = compare(network, max_build_bytes=max_build_bytes, kinds=kinds)
    if not result.ok:
        lines = ["  " + mismatch_line(m) for m in result.mismatches]
        lines += ["  %s: %s" % (name, result.derived.layer(name).note)
                  for name in result.not_derived]
        raise AssertionError("derived figures differ from Lasagne's:\n" + "\n".join(lines))
    return result


def verify_runtime(network: Network, batch: Any, source: str = "",
                   max_build_bytes: Optional[int] = None,
                   kinds: Optional[Registry] = None) -> RuntimeCheck:
    """Run a real batch through ``network`` and put each layer's runtime shape beside
    the derived one and Lasagne's; return the RuntimeCheck (``print(check)``: its table).

    ``network`` is anything :func:`derive` takes: a Lasagne output layer, a NeuralNet
    (its layers, built first if need be), a spec file's path or LayerSpecs (built in
    Lasagne with real arrays, refused first when they would not fit in
    ``max_build_bytes``), or a Python target (``"model.py:build_model"``).  It must
    have one output and one InputLayer.  See
    :func:`lasagne_params.backend.networks.runtime.verify_runtime` for the check itself
    (``deterministic=True``, the batch cast to ``floatX``).  ``kinds`` (a Registry)
    declares layer kinds for this call only, as for :func:`derive`.

    Raises
    ------
    ArgumentError
        For anything else given as a network, or a network with several outputs.
    SpecError
        A malformed description, several InputLayers, or a batch that does not fit.
    LimitError
        The arrays (or the batch's outputs) would take more than ``max_build_bytes``.
    """
    from .backend.networks.runtime import verify_runtime as run_and_check
    with using(kinds):
        layer = _output_layer(_loaded(network), max_build_bytes)
        return run_and_check(layer, batch, source, max_build_bytes)


def _output_layer(network, max_build_bytes):
    """The one Lasagne output layer of ``network`` (a built layer, a NeuralNet's, or a
    description built here)."""
    if _is_lasagne(network):
        outputs = list(network) if isinstance(network, (list, tuple)) else [network]
    elif hasattr(network, "output_layers"):                 # a NeuralNet: its own layers
        if getattr(network, "_output_layers", None) is None:
            _check_build(derive(network), max_build_bytes)
        outputs = list(network.output_layers())
    else:
        specs, file, _ = _describe(network)
        _check_build(_derived(specs, file), max_build_bytes)
        outputs = _built(specs, file)
    if len(outputs) != 1:
        raise ArgumentError("a runtime check runs a network with one output; this one has "
                            "%d (%s): give one output layer"
                            % (len(outputs), ", ".join(str(getattr(layer, "name", None))
                                                       for layer in outputs)),
                            field="network")
    return outputs[0]


def draw(network: Network, path: Union[str, "os.PathLike[str]", None] = None,
         fmt: Optional[str] = None, layout: str = "auto",
         kinds: Optional[Registry] = None) -> Union[str, "os.PathLike[str]", "Picture"]:
    """Write a picture of ``network`` to ``path`` (.svg, .png or .pdf); return ``path``.

    ``network`` is anything :func:`derive` takes, or a Report, or a
    CostReport (``derive_costs``: each box then also shows the layer's MACs
    and receptive field).  Without ``path``, returns the picture itself (a
    :class:`~lasagne_params.render.picture.Picture`: Jupyter shows it as
    SVG, ``.save(path)`` writes it).  ``layout`` is who lays it out:
    ``"graphviz"`` (its ``dot`` program), ``"builtin"`` (this package's own
    layered layout: SVG and PDF need nothing more, PNG needs matplotlib) or
    ``"auto"``, Graphviz when it is installed, else the built-in one.  See
    :func:`lasagne_params.render.picture.draw`.  ``kinds`` (a Registry)
    declares layer kinds for this call only, as for :func:`derive`.
    """
    # Imported here: it costs show SPEC's start-up a clear share (docs/performance.md).
    from .render.picture import chosen_layout, draw as draw_picture, file_format, picture
    if path is not None:
        file_format(path, fmt)                # a bad extension fails before any deriving
    chosen_layout(layout)                     # so does a bad layout
    protect = []                              # never drawn over its own spec file
    with using(kinds):
        if not isinstance(network, (Report, CostReport)):
            network = _loaded(network)
            specs, file, version = _describe(network)
            network, protect = _derived(specs, file, version=version,
                                        own_code=_own_code(network)), [file]
        return picture(network, layout) if path is None else \
            draw_picture(network, path, fmt, protect=protect, layout=layout)


def check_weights(network: Network, path: Union[str, "os.PathLike[str]"], trusted: bool = False,
                  max_bytes: Optional[int] = None,
                  lasagne_version: Optional[str] = None) -> WeightsCheck:
    """Does the weights file ``path`` fit ``network``?  Layer by layer, without a build.

    Each parameter array's shape is derived from the hyper-parameters and set
    beside the file's array (matched by layer name in nolearn's files, by
    position in Lasagne's ``get_all_params`` order in flat ones); the first
    divergence is named (a missing bias, a transposed or ``c01b``-ordered
    array, another class count, an extra or missing layer), with what
    Lasagne's ``set_all_param_values`` (or nolearn's ``load_params_from``)
    would have said.  The file is read as data: a pickle may hold numpy
    arrays and plain containers only, unless ``trusted`` (see
    ``docs/security.md``).

    Returns
    -------
    WeightsCheck
        ``.ok`` when it fits; ``render(check)`` is its table,
        ``render(check, "json")`` its JSON.

    Raises
    ------
    LasagneParamsError
        The network is malformed, or the file cannot be read as weights
        (naming the file, and the global a pickle asked for).
    """
    from .backend.networks.weights import LAYOUTS, read_weights
    report = derive(network, lasagne_version)
    limit = byte_limit(max_bytes, None, "max_bytes")
    weights = read_weights(path, trusted=trusted, max_bytes=limit)
    if weights.named is not None:
        shapes = [(name, [a.shape for a in arrays]) for name, arrays in weights.named]
    else:
        shapes = [a.shape for a in weights.flat]
    return check_shapes(report, shapes, file=os.fspath(path), layout=weights.layout,
                 layout_text=LAYOUTS[weights.layout], network=_network_name(network))


def _network_name(network):
    """How the weights table names the network: its file or target, else its type."""
    if isinstance(network, (str, os.PathLike)):
        return os.fspath(network)
    return _type_name(network)
