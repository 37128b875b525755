"""``scipy.misc``'s image functions, removed in SciPy 1.2, over Pillow (what they used).

Historical data loading calls ``scipy.misc.imread(path)``,
``imresize(image, (64, 64))`` and ``imsave(path, array)``.  These are this
package's own versions with the old signatures and conventions: arrays are
scaled to bytes between their minimum and maximum (``bytescale``) unless
already ``uint8``; a 2-D array is a grey image, a trailing (or leading) axis
of 3 or 4 is RGB or RGBA; ``imresize`` takes a percentage (int), a fraction
(float) or ``(rows, columns)``, and returns bytes.  Served by
:mod:`.legacy_names` only where ``scipy.misc`` lacks them and Pillow is
installed (matplotlib brings it).
"""
import numpy as np
from PIL import Image

__all__ = ["imread", "imsave", "imresize", "imshow", "toimage", "bytescale", "fromimage"]

#: The old ``interp`` names -> Pillow's resampling filters.
RESAMPLING = {"nearest": Image.NEAREST, "lanczos": Image.LANCZOS, "bilinear": Image.BILINEAR,
              "bicubic": Image.BICUBIC, "cubic": Image.BICUBIC}


def bytescale(data, cmin=None, cmax=None, high=255, low=0):
    """``data`` as ``uint8``: ``cmin..cmax`` (default its range) mapped onto ``low..high``."""
    data = np.asarray(data)
    if data.dtype == np.uint8:
        return data
    cmin = data.min() if cmin is None else cmin
    cmax = data.max() if cmax is None else cmax
    span = (cmax - cmin) or 1
    scaled = (data - cmin) * (float(high - low) / span) + low
    return (np.clip(scaled, low, high) + 0.5).astype(np.uint8)


def toimage(arr, high=255, low=0, cmin=None, cmax=None, mode=None, channel_axis=None):
    """A Pillow image of an array: grey for 2-D, RGB/RGBA for a channel axis of 3 or 4."""
    arr = np.asarray(arr)
    if arr.ndim == 3:
        axis = channel_axis if channel_axis is not None else (
            arr.ndim - 1 if arr.shape[-1] in (3, 4) else 0)
        arr = np.moveaxis(arr, axis, -1)
        if arr.shape[-1] not in (3, 4):
            raise ValueError("a 3-D image needs 3 or 4 channels, got shape %r" % (arr.shape,))
    elif arr.ndim != 2:
        raise ValueError("expected a 2-D or 3-D array, got %d-D" % arr.ndim)
    if mode == "F":
        return Image.fromarray(arr.astype(np.float32), "F")
    image = Image.fromarray(bytescale(arr, cmin, cmax, high, low))
    return image.convert(mode) if mode else image


def fromimage(image, flatten=False, mode=None):
    """The array of a Pillow image (``flatten``: one float luminance plane)."""
    if mode is not None:
        image = image.convert(mode)
    if flatten:
        image = image.convert("F")
    return np.array(image)


def imread(name, flatten=False, mode=None):
    """The image file ``name`` as an array."""
    with Image.open(name) as image:
        return fromimage(image, flatten, mode)


def imsave(name, arr, format=None):
    """Write ``arr`` (scaled to bytes) as an image file."""
    toimage(arr).save(name, format)


def imresize(arr, size, interp="bilinear", mode=None):
    """``arr`` resized: ``size`` a percentage (int), a fraction (float) or (rows, columns)."""
    image = toimage(arr, mode=mode)
    if isinstance(size, (int, np.integer)):
        width, height = (np.array(image.size) * (size / 100.0)).astype(int)
    elif isinstance(size, (float, np.floating)):
        width, height = (np.array(image.size) * size).astype(int)
    else:
        height, width = size[0], size[1]
    return fromimage(image.resize((int(width), int(height)), resample=RESAMPLING[interp]))


def imshow(arr):
    """Showed the image in an external viewer; here nothing is shown (one warning, once):
    scripts call it to look at their data, and the network does not depend on it."""
    import warnings
    warnings.warn("scipy.misc.imshow (removed in SciPy 1.2): nothing shown", stacklevel=2)
