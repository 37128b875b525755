"""Weights files read as data, never as code: the one reader every loader uses.

A weights file comes from outside (a Kaggle solution's ``weights.pkl``, a
model zoo's download, a colleague's ``.npz``), and ``pickle.load`` on such a
file runs whatever the file asks for (a ``__reduce__`` gadget calling
``os.system``).  So every loader — :meth:`NeuralNet.load_params_from
<lasagne_params.backend.nolearn.neuralnet.NeuralNet.load_params_from>`,
:meth:`Trainer.load_params_from
<lasagne_params.backend.training.trainer.Trainer.load_params_from>` and the
weights checker (``lasagne-params weights``) — reads through
:func:`read_weights`:

* the file is refused before a byte is read unless it is a regular file
  (a FIFO, ``/dev/zero``, a directory are not) no larger than the limit
  (:data:`DEFAULT_MAX_WEIGHTS_BYTES`, ``max_bytes=``, ``--max-weights-bytes``);
* ``.npz``: every member's uncompressed size is read from the zip directory
  and the total checked against the same limit before anything is inflated;
  members are read with ``allow_pickle=False``;
* pickles (nolearn's ``save_params_to``, Lasagne Recipes' modelzoo files,
  ``pickle.dump(get_all_param_values(net))``), Python 2's included (their
  byte strings read as latin-1, as numpy documents), go through a
  restricted unpickler whose ``find_class`` admits numpy's array
  reconstruction (``_reconstruct``, ``ndarray``, ``dtype``, ``scalar``,
  ``_frombuffer``, under numpy 1's and numpy 2's module names),
  ``collections.OrderedDict`` and latin-1 bytes (``_codecs.encode``, as
  Python 3 writes bytes in protocols 0 to 2), nothing else: any other global is refused
  with one line naming the file and the global, and nothing runs;
* ``trusted=True`` (``--trusted``) unpickles in full, for a file you made
  yourself (a whole pickled NeuralNet).

What comes out is a :class:`WeightsFile`: the arrays, flat (in Lasagne's
``get_all_params`` order) or by layer name (nolearn's), and the layout.
"""
import collections
import io
import os
import pickle
import zipfile
from dataclasses import dataclass
from typing import Optional, Tuple

from ...core.errors import LimitError, SpecError
from ...core.files import read_bytes
from ...core.text import thousands

__all__ = ["DEFAULT_MAX_WEIGHTS_BYTES", "WeightsFile", "read_weights", "LAYOUTS"]

#: The largest weights file read (and the most its ``.npz`` members may inflate to)
#: unless the caller raises it: 1 GiB holds VGG-19's 548 MB of float32 weights.
DEFAULT_MAX_WEIGHTS_BYTES = 1024 ** 3

#: layout -> what it is, as the checker's report says it.
LAYOUTS = {
    "nolearn": "nolearn's save_params_to: {layer name: [arrays]}, matched by name",
    "named npz": "lasagne_params' save_params_to: .npz of <layer>:<position>, by name",
    "recipes": "Lasagne Recipes' modelzoo: {'param values': [arrays]}, in get_all_params "
               "order",
    "flat npz": "np.savez(f, *get_all_param_values(net)): arr_0 ... arr_N, in "
                "get_all_params order",
    "npz": ".npz of named arrays, taken in the file's order",
    "list": "a pickled list of arrays, in get_all_params order",
    "neuralnet": "a whole pickled NeuralNet (trusted)",
}


@dataclass(frozen=True)
class WeightsFile:
    """The arrays of a weights file: ``flat`` (a tuple of arrays) or ``named`` (a tuple
    of ``(layer name, (arrays...))``), the other None; ``layout`` a key of
    :data:`LAYOUTS`."""

    path: str
    layout: str
    flat: Optional[Tuple] = None
    named: Optional[Tuple] = None
    keys: Tuple[str, ...] = ()          # an .npz's member names, in the file's order

    def by_name(self):
        """``{layer name: [arrays]}`` (an OrderedDict), for a named layout."""
        return collections.OrderedDict((name, list(arrays)) for name, arrays in self.named)


def _numpy_globals():
    """(module, name) -> the object, for the globals a pickled array may name.

    numpy 2 moved ``numpy.core`` to ``numpy._core``; files written under
    either name are read under both.
    """
    import numpy
    core = getattr(numpy, "_core", None) or numpy.core
    multiarray, numeric = core.multiarray, core.numeric
    allowed = {("numpy", "ndarray"): numpy.ndarray, ("numpy", "dtype"): numpy.dtype,
               ("collections", "OrderedDict"): collections.OrderedDict}
    reconstruct = _plain_arrays(multiarray._reconstruct)
    for package in ("numpy.core", "numpy._core"):
        allowed[(package + ".multiarray", "_reconstruct")] = reconstruct
        allowed[(package + ".multiarray", "scalar")] = multiarray.scalar
        if hasattr(numeric, "_frombuffer"):
            allowed[(package + ".numeric", "_frombuffer")] = numeric._frombuffer
    allowed[("_codecs", "encode")] = _latin1_bytes
    return allowed


def _latin1_bytes(text, encoding="latin1"):
    """``_codecs.encode``, as Python 3's pickles of protocols 0-2 use it to write bytes:
    latin-1 only (no other codec is run)."""
    if encoding not in ("latin1", "latin-1") or not isinstance(text, str):
        raise pickle.UnpicklingError("bytes in the codec %r" % (encoding,))
    return text.encode("latin-1")


def _plain_arrays(reconstruct):
    """numpy's ``_reconstruct`` (what a pickled ndarray calls before its state — shape,
    dtype, bytes — is set), for plain arrays only and never allocating: numpy's
    pickles ask for shape ``(0,)``, and the state sizes the array from its bytes."""
    import numpy

    def plain(subtype, shape, dtype):
        if subtype is not numpy.ndarray:
            raise pickle.UnpicklingError("an array of class %r" % (subtype,))
        return reconstruct(subtype, (0,), dtype)
    return plain


class _DataOnly(pickle.Unpickler):
    """An unpickler that builds numpy arrays and plain containers and refuses the rest."""

    def __init__(self, data, path):
        super().__init__(io.BytesIO(data), encoding="latin1")
        self.path = path
        self.allowed = _numpy_globals()

    def find_class(self, module, name):
        found = self.allowed.get((module, name))
        if found is None:
            raise SpecError("asks for the global %s.%s: refusing to run it (a weights file "
                            "is read as numpy arrays and plain containers only; pass "
                            "trusted=True, or --trusted, for a file you made yourself)"
                            % (module, name), file=self.path)
        return found


def read_weights(path, trusted=False, max_bytes=None, field="max_weights_bytes"):
    """The arrays of the weights file ``path``, read as data (see the module's docstring).

    Raises
    ------
    SpecError
        Naming the file: it does not exist or is not a regular file, it asks
        for a global outside the allow-list (the global is named), it is
        neither an ``.npz`` nor a pickle, or it holds something other than
        arrays in a layout the module lists.
    LimitError
        The file, or what its ``.npz`` members inflate to, is larger than
        ``max_bytes`` (default :data:`DEFAULT_MAX_WEIGHTS_BYTES`).
    """
    path = os.fspath(path)
    limit = DEFAULT_MAX_WEIGHTS_BYTES if max_bytes is None else max_bytes
    data = read_bytes(path, limit, field)
    if data[:4] == b"PK\x03\x04" or data[:4] == b"PK\x05\x06":
        return _from_npz(path, data, limit, field, trusted)
    if data[:6] == b"\x93NUMPY":
        return _from_npy(path, data, trusted)
    return _from_pickle(path, data, trusted)


def _from_npz(path, data, limit, field, trusted):
    import numpy
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError) as exc:
        raise SpecError("not a readable .npz file (%s)" % exc, file=path) from None
    inflated = sum(member.file_size for member in members)
    if inflated > limit:
        raise LimitError("its arrays would inflate to %s bytes, more than the limit of %s; "
                         "refusing to read it (raise the limit if the file is right)"
                         % (thousands(inflated), thousands(limit)), file=path, field=field)
    arrays = []
    for member in members:
        name = member.filename[:-4] if member.filename.endswith(".npy") else member.filename
        try:
            with archive.open(member) as handle:
                array = numpy.lib.format.read_array(handle, allow_pickle=trusted)
        except ValueError as exc:
            if "allow_pickle" in str(exc) or "Object arrays" in str(exc):
                raise SpecError("array %r holds Python objects (a pickle inside the .npz); "
                                "refusing to unpickle it (pass trusted=True, or --trusted, "
                                "for a file you made yourself)" % name, file=path) from None
            raise SpecError("array %r is not a readable .npy member (%s)" % (name, exc),
                            file=path) from None
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError) as exc:
            raise SpecError("array %r cannot be read (%s)" % (name, exc), file=path) from None
        arrays.append((name, array))
    return _npz_layout(path, arrays)


def _npz_layout(path, arrays):
    names = [name for name, _ in arrays]
    flat_names = ["arr_%d" % i for i in range(len(arrays))]
    if names and sorted(names) == sorted(flat_names):
        by_name = dict(arrays)
        return WeightsFile(path, "flat npz", flat=tuple(by_name[n] for n in flat_names))
    split = [name.rpartition(":") for name in names]
    if names and all(layer and position.isdigit() for layer, _, position in split):
        layers = collections.OrderedDict()
        for (layer, _, position), (_, array) in zip(split, arrays):
            layers.setdefault(layer, []).append((int(position), array))
        return WeightsFile(path, "named npz", named=tuple(
            (layer, tuple(a for _, a in sorted(pairs, key=lambda p: p[0])))
            for layer, pairs in layers.items()))
    return WeightsFile(path, "npz", flat=tuple(array for _, array in arrays),
                       keys=tuple(names))


def _from_npy(path, data, trusted):
    import numpy
    try:
        value = numpy.lib.format.read_array(io.BytesIO(data), allow_pickle=trusted)
    except ValueError as exc:
        if "allow_pickle" in str(exc) or "Object arrays" in str(exc):
            raise SpecError("a .npy file holding Python objects (np.save of a list of "
                            "arrays pickles it); refusing to unpickle it (pass trusted=True, "
                            "or --trusted, for a file you made yourself)", file=path) from None
        raise SpecError("not a readable .npy file (%s)" % exc, file=path) from None
    if value.dtype == object:
        return _layout(path, list(value), "list")
    raise SpecError("holds one array of shape %r, not a network's parameters"
                    % (value.shape,), file=path)


def _from_pickle(path, data, trusted):
    try:
        if trusted:
            loaded = pickle.loads(data, encoding="latin1")
        else:
            loaded = _DataOnly(data, path).load()
    except SpecError:
        raise
    except RecursionError:
        raise SpecError("neither an .npz file nor a readable pickle (nested too deeply)",
                        file=path) from None
    except MemoryError:
        raise SpecError("neither an .npz file nor a readable pickle (it asks for more "
                        "memory than there is)", file=path) from None
    except Exception as exc:        # pickle fails in many ways on a file that is no pickle
        raise SpecError("neither an .npz file nor a readable pickle (%s: %s)"
                        % (type(exc).__name__, str(exc)[:200]), file=path) from None
    return _layout(path, loaded)


def _is_array(value):
    import numpy
    return isinstance(value, numpy.ndarray) and value.dtype != object


def _arrays(path, values, where):
    values = list(values)
    for index, value in enumerate(values):
        if not _is_array(value):
            raise SpecError("%s[%d] is %s, not an array of numbers"
                            % (where, index, _what(value)), file=path)
    return tuple(values)


def _what(value):
    import numpy
    if isinstance(value, numpy.ndarray):
        return "an array of Python objects"
    name = type(value).__name__
    return "%s %s" % ("an" if name[:1] in "aeiou" else "a", name)


def _layout(path, loaded, layout=None):
    """The WeightsFile of what a pickle held."""
    if hasattr(loaded, "get_all_params_values") and callable(loaded.get_all_params_values):
        loaded = loaded.get_all_params_values()         # a trusted, pickled NeuralNet
        layout = "neuralnet"
    if isinstance(loaded, (list, tuple)):
        return WeightsFile(path, layout or "list", flat=_arrays(path, loaded, "item"))
    if isinstance(loaded, dict):
        if "param values" in loaded:
            values = loaded["param values"]
            if not isinstance(values, (list, tuple)):
                raise SpecError("'param values' is %s, not a list of arrays" % _what(values),
                                file=path)
            return WeightsFile(path, "recipes", flat=_arrays(path, values, "'param values'"))
        named = []
        for name, arrays in loaded.items():
            if not isinstance(name, str) or not isinstance(arrays, (list, tuple)):
                raise SpecError("expected nolearn's {layer name: [arrays]}, Recipes' "
                                "{'param values': [arrays]} or a list of arrays; got a "
                                "mapping of %s to %s" % (type(name).__name__, _what(arrays)),
                                file=path)
            named.append((name, _arrays(path, arrays, repr(name))))
        return WeightsFile(path, layout or "nolearn", named=tuple(named))
    raise SpecError("expected nolearn's {layer name: [arrays]}, Recipes' {'param values': "
                    "[arrays]} or a list of arrays; got %s" % _what(loaded), file=path)
