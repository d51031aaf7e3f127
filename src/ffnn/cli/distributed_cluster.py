"""The cluster of a `--dask` command: a Client of the scheduler at an address, or of a local
cluster sized to this machine, said on standard error (workers, threads, memory, dashboard)."""

import contextlib
import importlib.util
import logging
import os
import re
import sys
import threading

from ..exceptions import DataError
from ..tabular.values import counted
from .options import LOCAL


def _client(address, seconds=30.0):
    """Client(address), made on a thread of its own that is given `seconds`: a server that
    accepts the connection and never answers as a scheduler does would hang the command."""
    from distributed import Client

    made = {}

    def make():
        try:
            made["client"] = Client(address, timeout="10s")
        except BaseException as error:  # raised again on the calling thread
            made["error"] = error

    thread = threading.Thread(target=make, daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        raise DataError(f"no answer from a Dask scheduler at {address} within {seconds:g} s: is "
                        "it the scheduler's address and port (8786 by default)?")
    if "error" in made:
        raise made["error"]
    return made["client"]


def _restore_environment(before):
    """Give the variables of the environment that changed since `before` their values then."""
    for key in set(os.environ) - set(before):
        del os.environ[key]
    for key, value in before.items():
        if os.environ.get(key) != value:
            os.environ[key] = value


@contextlib.contextmanager
def connect(address, stream=None, fit=False, target=None, where=None):
    """A distributed Client: to the scheduler at `address`, or to a new LocalCluster. `fit`:
    for `ffnn fit`, whose --categorical reads a column as categories (an error may say so);
    `target`: the name of the target column, whose types an error says apart; `where`: the
    glob of the files read, which such an error names."""
    from distributed import Client, LocalCluster

    from ..training.dask_engine import memory_limit
    from ..training.dask_engine import workers as every_worker

    with contextlib.ExitStack() as stack:
        # The cluster's own log lines (shuffles started, workers leaving at the end) are not
        # for the command line's user: the dashboard shows them.
        logger = logging.getLogger("distributed")
        stack.callback(logger.setLevel, logger.level)
        logger.setLevel(logging.ERROR)
        if address == LOCAL:
            # Each nanny sets variables of this process's environment for the worker process
            # it starts (OMP_NUM_THREADS=1, ...) and leaves them: put back, once the cluster
            # has closed, the environment a program calling the command line had.
            stack.callback(_restore_environment, dict(os.environ))
            # (a task that fails is reported by the command, not by the worker's log)
            cluster = stack.enter_context(LocalCluster(silence_logs=logging.CRITICAL))
            client = stack.enter_context(Client(cluster))
        else:
            try:
                client = stack.enter_context(_client(address))
            except (OSError, TimeoutError) as error:
                raise DataError(f"cannot reach a Dask scheduler at {address} ({error}); start "
                                "one with 'dask scheduler', or leave out the address for a "
                                "local cluster") from None
            except MemoryError:  # a length read from bytes that were no Dask message
                raise DataError(f"{address} answered, but not as a Dask scheduler does: is it "
                                "the scheduler's address and port (8786 by default)?") from None
        known = every_worker(client)
        workers, limit = known.values(), memory_limit(known)
        # a worker started with --memory-limit 0 has no limit: the total is not a number
        memory = "no memory limit" if limit is None else f"{limit / 2**30:.1f} GiB"
        # A scheduler serves its dashboard's address without bokeh, and a page saying that the
        # dashboard needs it: the local cluster's link is given only where it works.
        dashboard = (client.dashboard_link if address != LOCAL or
                     importlib.util.find_spec("bokeh") is not None else
                     "none (Dask's dashboard needs bokeh: pip install bokeh)")
        threads = sum(w["nthreads"] for w in workers)
        print(f"Dask: {counted(len(workers), 'worker')}, {counted(threads, 'thread')}, "
              f"{memory}; dashboard {dashboard}", file=stream or sys.stderr)
        try:
            yield client
        except UnicodeDecodeError as error:  # (a worker's names no file, nor the message)
            raise _not_utf8(where) or error from None
        except ValueError as error:
            disagree = _files_disagree(error, fit, target)
            if disagree is not None and where is not None:
                disagree = DataError(f"{where}: {disagree}")
            raise disagree or error from None


def _not_utf8(where):
    """The DataError of the first file of the glob `where` that is not UTF-8 text, or None."""
    from ..tabular.encoding import first_not_utf8
    from .distributed_files import files_of, reads_parquet

    return None if where is None or reads_parquet(where) else first_not_utf8(files_of(where))


def warn_of_little_memory(client, stream=None, share=0.6):
    """Warn (on stderr) of workers that hold more than `share` of their memory limit once they
    have read the data's statistics (pandas, pyarrow and ffnn loaded): Dask pauses a worker at
    its pause threshold (80% of the limit by default), and a paused worker runs no task, so a
    fit would wait on it without an end and without a word."""
    import dask

    from ..training.dask_engine import workers as every_worker

    pause = dask.config.get("distributed.worker.memory.pause", 0.8)
    if not pause:  # pausing switched off: no worker waits for memory
        return
    used = {address: ((w.get("metrics") or {}).get("memory") or 0, w.get("memory_limit"))
            for address, w in every_worker(client).items()}
    tight = [(address, memory, limit) for address, (memory, limit) in used.items()
             if limit and memory > share * limit]
    if tight:
        address, used, limit = max(tight, key=lambda t: t[1] / t[2])
        uses = "uses" if len(tight) == 1 else "use"
        their = "its" if len(tight) == 1 else "their"
        print(f"warning: {counted(len(tight), 'Dask worker')} already {uses} more than "
              f"{share:.0%} of {their} memory limit (worker {address}: {used / 2**20:,.0f} of "
              f"{limit / 2**20:,.0f} MiB); Dask pauses a worker at {pause:.0%} of its limit, "
              "and a paused worker runs no task, so training may wait without end: give the "
              "workers a larger memory limit", file=stream or sys.stderr)


def _files_disagree(error, fit=False, target=None):
    """A DataError for dask's "Mismatched dtypes" (a column read as numbers from the first rows
    of the first file holds other values further on), and for pandas' refusal of a field that
    a column typed so cannot hold (typed numbers or True/False, which --categorical reads as
    text, as a file read whole in memory would be), or None for another error."""
    message = str(error)
    field = re.fullmatch(r"could not convert string to float: (.*)|(.*) cannot be cast to bool",
                         message, re.DOTALL)
    if field is not None:
        kind = "numbers" if field[1] is not None else "True/False"
        shown = field[1] if field[1] is not None else repr(field[2])
        categories = "if the column holds categories, name it with --categorical; else " if fit \
            else ""
        # the decimal mark is detected from the first file, which whole numbers say nothing of
        decimal = ("; if the files write numbers with a decimal comma, pass --decimal ,"
                   if re.fullmatch(r"'[-+]?\d*,\d+'", shown) else "")
        return DataError(f"the files disagree with their first rows on column types (a column "
                         f"of {kind} in the first rows holds {shown} further on); {categories}"
                         "fix those values, or read such markers as missing with --na-values"
                         f"{decimal}")
    if not message.startswith("Mismatched dtypes found"):
        return None
    rows = re.findall(r"\|\s*(\S+)\s*\|\s*(\S+)\s*\|\s*(\S+)\s*\|", message)[1:]
    found = {name: found for name, found, _ in rows}
    # whole numbers first, then floats: fractions, or a missing value (an empty field, or a
    # marker of --na-values), which makes pandas read a file's whole numbers as floats
    floated = found.get(target) == "float64"
    said = "; ".join(f"{'the target column' if name == target else 'column'} {name!r} is "
                     f"{expected} in the first rows but holds {found} values further on"
                     + (" (a fraction, or a missing value, which makes whole numbers floats)"
                        if name == target and floated else "")
                     for name, found, expected in rows[:5])
    # A column of text in later files (none in the first rows: empty there, say) holds
    # categories, which --categorical reads as text; labels of two types are no categories
    text = [name for name, found, _ in rows if found in ("str", "object") and name != target]
    # (markers read as missing leave a target missing, which no fit takes)
    fix = ("if the column holds categories, name it with --categorical; else " if fit and text
           else "") + ("fix those values, or read such markers as missing with --na-values"
                       if set(found) - {target} else "fix or drop those rows")
    if floated:
        fix = (("" if set(found) == {target} else fix + "; ")
               + "drop the rows whose target is missing; a target of quantities: pass --task "
               "regression, which reads whole numbers and fractions alike; of class labels: "
               "write each alike in every file")
    elif target in found:
        fix += "; give the target the same type in every file (a number, or a word)"
    return DataError(f"the files disagree with their first rows on column types ({said}); {fix}")
