"""The package is typed (PEP 561): what it exports, and LayerContext, carry annotations.

mypy checks the annotations themselves in a lane of ``.ci/run`` (``[mypy]`` in
setup.cfg, docs/testing.md); these tests only make sure there is something to check:
every function and class ``lasagne_params.__all__`` names is annotated in full, the
annotations resolve at run time, and the ``py.typed`` marker is installed with the
package.
"""
import configparser
import inspect
import os
import typing

import lasagne_params
from lasagne_params.render.picture import Picture

from helpers import ROOT

# Names only ``if TYPE_CHECKING:`` imports (drawing is imported late): resolved here.
_LATE = {"Picture": Picture}


def _public_functions():
    """(label, function) for every exported function, and every method, property and
    constructor that an exported class defines itself (``_private`` ones left out)."""
    for name in lasagne_params.__all__:
        value = getattr(lasagne_params, name)
        if inspect.isclass(value):
            for attr, member in vars(value).items():
                if attr.startswith("_") and attr != "__init__":
                    continue
                function = member.fget if isinstance(member, property) else getattr(
                    member, "__func__", member)
                if inspect.isfunction(function):
                    yield "%s.%s" % (name, attr), function
        elif callable(value):
            yield name, value


def _unannotated(function):
    signature = inspect.signature(function)         # a context manager's: the generator's
    missing = [p.name for p in signature.parameters.values()
               if p.name not in ("self", "cls") and p.annotation is p.empty]
    if signature.return_annotation is signature.empty and function.__name__ != "__init__":
        missing.append("return")
    return missing


def test_every_exported_function_and_method_is_annotated():
    missing = {label: found for label, function in _public_functions()
               if (found := _unannotated(function))}
    assert missing == {}


def test_the_extension_api_is_among_them():
    """LayerContext's accessors (what a custom kind's rule calls) are checked above."""
    labels = {label for label, _ in _public_functions()}
    assert {"LayerContext.get", "LayerContext.positive_int", "LayerContext.param_array",
            "LayerContext.subnetwork", "CostContext.per_element", "CostContext.window",
            "register_kind", "Registry.register", "NeuralNet.fit", "Trainer.fit"} <= labels


def test_the_annotations_resolve():
    """Every annotation names something that exists (mypy reads the Theano side's
    signatures without checking that part, so a wrong name there would pass it)."""
    for label, function in _public_functions():
        typing.get_type_hints(function, localns=_LATE)
    for name in lasagne_params.__all__:
        value = getattr(lasagne_params, name)
        if inspect.isclass(value):
            typing.get_type_hints(value)          # the records' fields


def test_the_package_says_it_is_typed():
    assert os.path.isfile(os.path.join(ROOT, "lasagne_params", "py.typed"))
    setup = configparser.ConfigParser()
    setup.read(os.path.join(ROOT, "setup.cfg"))
    shipped = [p.strip() for p in setup["options.package_data"]["lasagne_params"].split(",")]
    assert "py.typed" in shipped
    assert setup["mypy"]["files"].strip() == "lasagne_params"
