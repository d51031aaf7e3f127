"""Atomic replacement of a file: write a temporary file beside the target, flush it to disk,
rename it over the target. A reader sees the old file or the new one, never a mixture; a writer
killed half-way leaves only its temporary, which the next save removes. Saves to one path may
run at once, from any number of processes: each succeeds, and the last rename wins.

A temporary is named ".<target>.<16 hex digits>.ffnn-tmp" (a target name too long for that is
cut, and told apart from others by its hash) and locked (flock) by its writer for
as long as it is written. The next save removes a temporary of its target only if it can take
that lock, which means the writer is dead: the operating system drops a dead process's locks.
"""

import contextlib
import hashlib
import os
import re
import secrets
import stat
import time
from pathlib import Path

TEMP_SUFFIX = ".ffnn-tmp"
MAX_ATTEMPTS = 100


def write_atomically(path, payload):
    with atomic_file(path) as handle:
        handle.write(payload)


@contextlib.contextmanager
def atomic_file(path):
    """A binary handle whose contents replace `path` once the block ends without an exception
    (flushed to disk, then renamed into place); an exception removes them, leaving `path` as
    it was."""
    path = replaced_file(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():  # said of the path asked for, not of the temporary file beside it
        raise FileNotFoundError(f"cannot save to {path}: the folder {folder} does not exist; "
                                "create it first")
    handle, temporary = _locked_temporary(folder, path)
    try:
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
            os.replace(temporary, path)
    except OSError as error:
        _unlink(temporary)
        raise _said_of(error, path) from None
    except BaseException:
        _unlink(temporary)
        raise
    _fsync_folder(folder)


def _locked_temporary(folder, path):
    """(an open binary handle, its path): a new temporary file beside `path`, locked by this
    process, with the mode of the file it replaces."""
    stem = _temporary_stem(folder, path.name)
    _remove_stale_temporaries(folder, stem)
    mode = _file_mode(path)
    for _ in range(MAX_ATTEMPTS):
        temporary = folder / f".{stem}.{secrets.token_hex(8)}{TEMP_SUFFIX}"
        # A new file's mode is a plain open()'s, 0o666 less the umask, which the system applies
        # (reading the umask means setting it: a change to the whole process); a replaced
        # file's mode is set once the temporary is private to this save.
        try:
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(
                os, "O_BINARY", 0), 0o666 if mode is None else 0o600)
        except OSError as error:
            raise _said_of(error, path) from None
        handle = os.fdopen(fd, "wb")
        try:
            # Between the creation and the lock, another save's sweep may take the file for
            # a dead writer's and remove it (or hold its lock while it does): then start
            # again with a new temporary. Once locked and still linked, it is this save's.
            if not _lock(handle) or os.fstat(handle.fileno()).st_nlink == 0:
                handle.close()
                _unlink(temporary)
                continue
            if mode is not None:
                _set_mode(handle, temporary, mode)
        except BaseException as error:
            handle.close()
            _unlink(temporary)
            if isinstance(error, OSError):
                raise _said_of(error, path) from None
            raise
        return handle, temporary
    raise OSError(f"could not save {path}: {MAX_ATTEMPTS} temporary files in a row were taken "
                  "by other saves")


def _said_of(error, path):
    """`error`, an OSError of the temporary file, said of the file asked for: the same kind of
    error, number and words, naming `path` ("[Errno 13] Permission denied: 'PATH'")."""
    if error.errno is None:
        return error
    return type(error)(error.errno, error.strerror, str(path))


class NotReplaceable(ValueError):
    """A path that a save cannot write to; `reason` says why, without the path."""

    def __init__(self, path, reason):
        super().__init__(f"cannot save to {path}: {reason}")
        self.reason = reason


def replaced_file(path):
    """The file that writing to `path` replaces: where `path` is a symbolic link, the file it
    points to (renaming over the link would replace the link, leaving its file as it was); and
    only a regular file or none (NotReplaceable, a ValueError, for a pipe, a device, a socket or
    a folder, which a rename would replace by a file)."""
    name = os.fspath(path)  # as given: Path drops a final slash
    given, path = Path(path), Path(path)
    if "\0" in str(path):  # the system's own error names no file
        raise NotReplaceable(repr(str(path)), "a file name cannot hold a NUL character")
    if isinstance(name, str) and name.endswith(tuple(filter(None, (os.sep, os.altsep)))):
        # a folder's name: writing the file without the slash would write another name
        raise NotReplaceable(name, "the name ends in a slash, which names a folder; give a file "
                                   "name")
    if path.is_symlink():
        path = Path(os.path.realpath(path))
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        if path != given and not path.parent.is_dir():
            raise NotReplaceable(given, f"it is a link to {path}, in a folder that does not "
                                        "exist") from None
        return path
    except OSError as error:  # a loop of links, say
        raise NotReplaceable(given, error.strerror) from None
    if not stat.S_ISREG(mode):
        kind = ("a folder" if stat.S_ISDIR(mode) else "a named pipe" if stat.S_ISFIFO(mode)
                else "a socket" if stat.S_ISSOCK(mode) else "a device")
        raise NotReplaceable(path, f"it is {kind}, not a regular file; a model file is written "
                                   "beside it and renamed into place, which would replace it; "
                                   "give a file name")
    return path


def _file_mode(path):
    """The target's mode, which its replacement keeps, or None if there is no target."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        return None


def _set_mode(handle, temporary, mode):
    if hasattr(os, "fchmod"):
        os.fchmod(handle.fileno(), mode)  # the file held, whatever happens to its name
    else:
        os.chmod(temporary, mode)


def _lock(handle):
    """Take the temporary's lock; False if another process holds it."""
    try:
        import fcntl
    except ImportError:  # not on POSIX: stale temporaries are then removed by age only
        return True
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _unlink(path):
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def _temporary_stem(folder, name):
    """What a temporary of `name` is named after: `name` itself, or, where the temporary's name
    would be longer than the folder's file names may be, its first characters and a hash of it
    (16 hex digits) in as many bytes as fit."""
    try:
        limit = os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError, AttributeError):  # not POSIX, or no limit said
        limit = 255
    room = limit - len(f"..{'0' * 16}{TEMP_SUFFIX}")  # the bytes a stem may take
    if len(os.fsencode(name)) <= room:
        return name
    digest = hashlib.sha256(os.fsencode(name)).hexdigest()[:16]
    cut = name
    while len(os.fsencode(cut)) > room - len(digest) - 1:
        cut = cut[:-1]
    return f"{cut}~{digest}"


def _temporary_name(name):
    """The exact names of `name`'s temporaries (a regular expression, `name` escaped: no glob),
    with mkstemp's 8 characters for those written by earlier versions of ffnn."""
    return re.compile(re.escape(f".{name}.") + r"(?:[0-9a-f]{16}|[a-z0-9_]{8})"
                      + re.escape(TEMP_SUFFIX))


def _remove_stale_temporaries(folder, name):
    """Remove temporaries of earlier saves of `name` that were killed before their rename.

    A temporary still being written by a live process is locked; one whose writer died is not
    (the operating system drops a dead process's locks), or, without locks, is over an hour old.
    Only regular files are touched, and none is opened before its status says it is one: a
    FIFO given a temporary's name would block the open.
    """
    try:
        import fcntl
    except ImportError:
        fcntl = None
    pattern = _temporary_name(name)
    try:
        entries = [entry.name for entry in os.scandir(folder) if pattern.fullmatch(entry.name)]
    except OSError:
        return
    for entry in entries:
        candidate = folder / entry
        try:
            status = os.lstat(candidate)
            if not stat.S_ISREG(status.st_mode):
                continue
            if fcntl is None:
                if time.time() - status.st_mtime > 3600:
                    candidate.unlink()
                continue
            fd = os.open(candidate, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
            try:
                held = os.fstat(fd)
                if (held.st_ino, held.st_dev) != (status.st_ino, status.st_dev):
                    continue  # replaced since the look: not the file looked at
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except OSError:
                    continue  # a live save owns it
                # Locked: its writer is dead. Remove the name only if it is still this file
                # (a save that finished renamed it over its target, which must stay).
                now = os.lstat(candidate)
                if (now.st_ino, now.st_dev) == (held.st_ino, held.st_dev):
                    candidate.unlink()
            finally:
                os.close(fd)
        except OSError:
            continue


def _fsync_folder(folder):
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
