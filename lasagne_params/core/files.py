"""The files the tool reads and writes: bounded reads, atomic writes.

Reading (:func:`read_text`) refuses what is not a regular file (a FIFO,
``/dev/zero``, a directory) before reading a byte, and reads in chunks,
stopping as soon as the file is larger than the limit
(:data:`DEFAULT_MAX_INPUT_BYTES` unless the caller says otherwise), so that
no input can take unbounded memory or time.

Writing (:func:`atomic_file`, :func:`write_atomic`) never leaves a
half-written file: the data go to a temporary file in the target's folder,
are flushed and synced to the disk, and the temporary file is renamed over
the target in one step.  If anything fails (a full disk, a file-size limit,
a read-only folder, data that cannot be made) the temporary file is removed,
the old file is intact, and the :class:`OutputError` says so.  A target
that is not a regular file (``/dev/stdout``, ``/dev/null``, a FIFO) is
written directly: there is nothing to replace.  The command's own inputs
are never overwritten (``protect``).

Pure standard library; these functions never change process-wide state.
"""
import contextlib
import errno
import os
import signal
import stat
import threading

from .errors import ArgumentError, LimitError, OutputError, SpecError

__all__ = ["DEFAULT_MAX_INPUT_BYTES", "byte_limit", "read_text", "read_bytes",
           "atomic_file", "write_atomic", "same_file"]

#: The largest spec or snapshot file read unless the caller raises the limit (16 MiB:
#: a snapshot of 50,000 layers, a spec of several hundred thousand; PyYAML's C
#: loader reads a YAML file this size in about a minute).
DEFAULT_MAX_INPUT_BYTES = 16 * 1024 * 1024

_CHUNK = 1024 * 1024


def _mib(n):
    return "%d bytes" % n if n < 1024 * 1024 else "%.1f MiB" % (n / (1024 * 1024))


def byte_limit(value, default, field):
    """``value`` checked as a limit in bytes (a positive int), or ``default`` for None."""
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ArgumentError("expected a positive number of bytes, got %r" % (value,),
                            field=field)
    return value


def read_bytes(path, max_bytes=None, field="max_input_bytes"):
    """The bytes of the regular file ``path``, refusing more than ``max_bytes``.

    Raises
    ------
    SpecError
        Naming the file: it does not exist, is not a regular file or cannot
        be read.
    LimitError
        It is larger than the limit (the message names the option that
        raises it, ``field``).
    """
    limit = byte_limit(max_bytes, DEFAULT_MAX_INPUT_BYTES, field)
    path = os.fspath(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)       # non-blocking: opening a FIFO must not wait
    except FileNotFoundError:
        raise SpecError("no such file", file=path) from None
    except IsADirectoryError:
        raise SpecError("is a directory, not a file", file=path) from None
    except OSError as exc:
        raise SpecError("cannot read: %s" % (exc.strerror or exc), file=path) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise SpecError("is a directory, not a file", file=path)
        if not stat.S_ISREG(info.st_mode):
            raise SpecError("is not a regular file (a device, FIFO or socket); "
                            "refusing to read it", file=path)
        if info.st_size > limit:
            raise _too_large(path, limit, field)
        chunks, total = [], 0
        while True:
            chunk = os.read(fd, min(_CHUNK, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:           # the file grew, or its size was not told
                raise _too_large(path, limit, field)
        return b"".join(chunks)
    except OSError as exc:
        raise SpecError("cannot read: %s" % (exc.strerror or exc), file=path) from None
    finally:
        os.close(fd)


def _too_large(path, limit, field):
    return LimitError("the file is larger than %s; refusing to read it (raise the limit "
                      "if the file is right)" % _mib(limit), file=path, field=field)


def read_text(path, max_bytes=None, field="max_input_bytes"):
    """:func:`read_bytes`, decoded as UTF-8 (a byte-order mark is skipped)."""
    data = read_bytes(path, max_bytes, field)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SpecError("not UTF-8 text (byte %d)" % exc.start, file=os.fspath(path)) from None


def same_file(a, b):
    """True when paths ``a`` and ``b`` name one existing file (links followed)."""
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        return False


def _unchanged(path, existed):
    return "%s is unchanged" % os.path.basename(path) if existed else "nothing written"


@contextlib.contextmanager
def atomic_file(path, protect=()):
    """A binary file object whose content replaces ``path`` when the block ends well.

    ``protect`` lists paths (the command's own inputs) that ``path`` must
    not be.  On any exception in the block or while committing, ``path`` is
    left as it was and the temporary file is removed; an ``OSError`` becomes
    an :class:`OutputError` naming ``path`` and saying the old file is intact.

    >>> import tempfile, os
    >>> folder = tempfile.mkdtemp()
    >>> with atomic_file(os.path.join(folder, "a.txt")) as handle:
    ...     _ = handle.write(b"hello")
    >>> open(os.path.join(folder, "a.txt")).read()
    'hello'
    """
    path = os.fspath(path)
    if path.endswith((os.sep, "/")):
        raise OutputError("names a folder (it ends with %s); give the file to write in it, "
                          "such as %snet.params.json; nothing written" % (os.sep, path),
                          file=path)
    _check_not_input(path, protect)
    try:
        info = os.stat(path)                # through symbolic links
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise OutputError("cannot write: %s; nothing written" % (exc.strerror or exc),
                          file=path) from None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise OutputError("is a directory; nothing written", file=path)
    if info is not None and not stat.S_ISREG(info.st_mode):
        # /dev/stdout, /dev/null, a FIFO: nothing to replace, write straight in.
        try:
            with os.fdopen(_open_special(path), "wb") as handle:
                yield handle
        except OSError as exc:
            raise OutputError("cannot write: %s" % (exc.strerror or exc), file=path) from None
        return
    if info is not None and not os.access(path, os.W_OK):
        raise OutputError("is read-only; %s" % _unchanged(path, True), file=path)
    real = os.path.realpath(path)          # a symbolic link: replace the file it points to
    folder = os.path.dirname(real) or "."
    with _terminations_clean_up(path, info is not None):
        yield from _through_temporary(path, real, folder, info)


def _through_temporary(path, real, folder, info):
    """:func:`atomic_file` for a regular file (a generator yielding the handle once):
    written to a temporary file renamed over ``real``, removed on any failure."""
    temporary, fd = None, None
    try:
        for _ in range(100):
            candidate = os.path.join(folder, ".%s.%s.tmp" % (os.path.basename(real)[:80],
                                                             os.urandom(6).hex()))
            try:    # 0o666 is narrowed by the umask, as open() would
                fd = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            except FileExistsError:
                continue
            temporary = candidate
            break
        else:
            raise FileExistsError("no free temporary name in %s" % folder)
        if info is not None:
            _keep_owner_and_mode(fd, info)
        with os.fdopen(fd, "wb") as handle:
            fd = None
            yield handle
            handle.flush()
            _sync(handle.fileno())
        os.replace(temporary, real)
        temporary = None
        _sync_folder(folder)
    except OSError as exc:
        raise OutputError("cannot write: %s; %s" % (exc.strerror or exc,
                                                    _unchanged(path, info is not None)),
                          file=path) from None
    finally:
        if fd is not None:
            os.close(fd)
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


class _Terminated(BaseException):
    """SIGTERM or SIGHUP arrived while a file was written (raised by the handler that
    :func:`_terminations_clean_up` sets, so that the temporary file is removed)."""

    def __init__(self, signum):
        super().__init__(signum)
        self.signum = signum


_TERMINATIONS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP")
                      if hasattr(signal, name))


@contextlib.contextmanager
def _terminations_clean_up(path, existed):
    """While a temporary file exists, SIGTERM and SIGHUP raise :class:`_Terminated`
    (its ``finally`` removes the file); then the signal goes on as it would have: the
    handler there was before is called, or the process ends by the signal.  Only in
    the main thread (where Python lets a handler be set); the handlers before are
    put back when the block ends."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    def handler(signum, frame):
        raise _Terminated(signum)
    saved = {}
    try:
        for signum in _TERMINATIONS:
            saved[signum] = signal.signal(signum, handler)
    except (ValueError, OSError):
        pass
    try:
        yield
    except _Terminated as stop:
        for signum, previous in saved.items():
            signal.signal(signum, previous)
        saved = {}
        previous = signal.getsignal(stop.signum)
        if callable(previous):
            previous(stop.signum, None)
        elif previous != signal.SIG_IGN:
            os.kill(os.getpid(), stop.signum)       # ends the process, as it would have
        raise OutputError("cannot write: interrupted by %s; %s"
                          % (signal.Signals(stop.signum).name, _unchanged(path, existed)),
                          file=path) from None
    finally:
        for signum, previous in saved.items():
            signal.signal(signum, previous)


def _check_not_input(path, protect):
    """Refuse ``path`` when it is one of the files ``protect`` lists (links and hard links
    followed): one stat of the target, then one of each listed file."""
    try:
        target = os.stat(path)
    except (OSError, ValueError):
        return                          # no such file yet: it overwrites nothing
    for other in protect:
        if other is None:
            continue
        try:
            info = os.stat(other)
        except (OSError, ValueError):
            continue
        if (info.st_dev, info.st_ino) == (target.st_dev, target.st_ino):
            raise OutputError("is an input of this command; refusing to overwrite it "
                              "(write the output to another file)", file=path)


def _open_special(path):
    """A device or FIFO opened for writing without waiting (a FIFO nobody reads is an
    error, not a hang), then made blocking again for the writes."""
    try:
        fd = os.open(path, os.O_WRONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        if exc.errno == errno.ENXIO:
            raise OSError(exc.errno, "a FIFO nobody reads") from None
        raise
    if hasattr(os, "set_blocking"):
        os.set_blocking(fd, True)
    return fd


def _keep_owner_and_mode(fd, info):
    """The replaced file's mode, and its owner where this process may set it."""
    if hasattr(os, "fchmod"):
        os.fchmod(fd, stat.S_IMODE(info.st_mode))
    if hasattr(os, "fchown"):
        try:
            os.fchown(fd, info.st_uid, info.st_gid)
        except OSError:
            pass                # not ours to give away: the writer owns the new file


def _sync(fd):
    """fsync, where the file system has it (some refuse it: that is not a failed write)."""
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
            raise


def _sync_folder(folder):
    """Make the rename itself durable (best effort: not every system allows it)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_atomic(path, data, protect=()):
    """Write ``data`` (bytes, or str as UTF-8) to ``path`` atomically; see :func:`atomic_file`."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    with atomic_file(path, protect) as handle:
        handle.write(data)
    return os.fspath(path)
