"""Atomic replacement of a file: write a temporary file beside the target, flush it to disk,
rename it over the target. A reader sees the old file or the new one, never a mixture; a writer
killed half-way leaves only its temporary, which the next save removes."""

import os
import tempfile
import time
from pathlib import Path

TEMP_SUFFIX = ".ffnn-tmp"


def write_atomically(path, payload):
    folder = path.parent if str(path.parent) else Path(".")
    _remove_stale_temporaries(folder, path.name)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=folder)
    try:
        os.chmod(temporary, _file_mode(path))
        with os.fdopen(fd, "wb") as handle:
            _lock(handle)  # held until closed: tells other savers this file is in use
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
            os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
    _fsync_folder(folder)


def _file_mode(path):
    """The target's mode if it exists, else what a plain open() would give (0o666 less umask);
    mkstemp's private 0o600 would otherwise outlive the rename."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _lock(handle):
    try:
        import fcntl
    except ImportError:  # not on POSIX: stale temporaries are then removed by age only
        return
    fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)


def _remove_stale_temporaries(folder, name):
    """Remove temporaries of earlier saves of `name` that were killed before their rename.

    A temporary still being written by a live process is locked; one whose writer died is not
    (the operating system drops a dead process's locks), or, without locks, is over an hour old.
    """
    try:
        import fcntl
    except ImportError:
        fcntl = None
    for candidate in folder.glob(f".{name}.*{TEMP_SUFFIX}"):
        try:
            if fcntl is None:
                if time.time() - candidate.stat().st_mtime > 3600:
                    candidate.unlink()
                continue
            with open(candidate, "rb") as handle:
                try:
                    fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                except OSError:
                    continue  # a live save owns it
                candidate.unlink()
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
