"""Fixtures shared by several test files."""

import os
import sys

import pytest

_opened = []  # recording while it is not empty
_hooked = False


def _record_opens(event, args):
    if event == "open" and _opened and args and isinstance(args[0], (str, bytes, os.PathLike)):
        _opened.append(os.fsdecode(args[0]))


@pytest.fixture()
def opens():
    """The paths opened while a test runs, after a first item the test may set (an audit hook
    stays for the process's life; it records only while a test asks)."""
    global _hooked
    if not _hooked:
        sys.addaudithook(_record_opens)
        _hooked = True
    _opened[:] = ["<start>"]
    yield _opened
    _opened.clear()


@pytest.fixture()
def figures(monkeypatch):
    """The matplotlib figures saved while the test runs, with the files they were saved to."""
    from matplotlib.figure import Figure

    saved = []
    original = Figure.savefig

    def savefig(self, path, *args, **kwargs):
        saved.append((self, path))
        return original(self, path, *args, **kwargs)

    monkeypatch.setattr(Figure, "savefig", savefig)
    return saved


@pytest.fixture(scope="module")
def client():
    """A Dask cluster in this process (two workers of one thread each) and its client, one for
    each test file that asks."""
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(processes=False, n_workers=2, threads_per_worker=1,
                                  dashboard_address=":0") as cluster, \
            distributed.Client(cluster) as client:
        yield client
