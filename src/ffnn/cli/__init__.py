"""The `ffnn` command line: fit, predict, evaluate, summary, plot and demo.

`main(argv)` returns the exit status (0 success, 2 a user error explained in one line, 130
interrupted), so tests call it directly. Results go to standard output, progress and messages to
standard error.
"""

import contextlib
import importlib
import os
import sys
import traceback
import warnings

from ..exceptions import DataError, ModelFileError
from . import commands, demo
from .fit import fit_table
from .outputs import OutOfMemory, memory_fix
from .parser import UsageError, build_parser

RUN = {"fit": fit_table, "predict": commands.predict, "evaluate": commands.evaluate,
       "summary": commands.summary, "plot": commands.plot, "demo": demo.command}


def _distributed(args):
    try:
        importlib.import_module("dask.dataframe")  # the modules below import Dask as they run
        importlib.import_module("distributed")
        from . import distributed, distributed_scoring
    except ImportError as error:
        raise DataError(f"--dask needs Dask ({error}); install it with pip install "
                        "'ffnn[dask]'") from None
    from distributed import KilledWorker

    try:
        return {"fit": distributed.fit, "predict": distributed_scoring.predict,
                "evaluate": distributed_scoring.evaluate}[args.command](args)
    except KilledWorker as error:
        # Most often a worker's nanny restarted it past 95% of its memory_limit; a bug would
        # raise its own exception from the task instead
        raise DataError(
            f"the Dask workers died, {error.allowed_failures + 1} times, running the task "
            f"{error.task!r}: most often a worker that runs out of memory is restarted (the "
            "workers' logs say 'exceeded 95% memory budget'); give the workers a larger "
            "memory_limit, or write the data in smaller files (each file is read as one "
            "partition or more)") from None


def _one_line(error):
    if isinstance(error, OSError) and error.filename is not None:
        text = f"{error.filename}: {error.strerror or error}"
    else:
        text = str(error) or type(error).__name__
    return " ".join(text.split())


def main(argv=None):
    parser = build_parser()
    argv = sys.argv[1:] if argv is None else list(argv)
    debug = "--debug" in argv
    try:
        try:
            args = parser.parse_args(argv)
        except UsageError:
            parser.misspelt_option(argv)  # the likelier cause, said instead when there is one
            raise
    except UsageError as error:
        print(f"ffnn: error: {_one_line(error)}", file=sys.stderr)
        return 2
    except SystemExit as done:  # --help and --version
        return done.code if isinstance(done.code, int) else 0
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the command line says what matters in its own words
            if getattr(args, "dask", None) is not None:
                return _distributed(args)
            return RUN[args.command](args)
    except KeyboardInterrupt:
        print("ffnn: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader of our output went away (e.g. `| head`): not an error
        _silence_stdout()
        return 0
    except (UsageError, DataError, ModelFileError, ValueError, OSError, OutOfMemory) as error:
        if debug:
            traceback.print_exc()
        print(f"ffnn: error: {_one_line(error)}", file=sys.stderr)
        return 2
    except MemoryError as error:  # outside the steps that say what they allocate
        if debug:
            traceback.print_exc()
        detail = f" ({_one_line(error)})" if str(error) else ""
        fix = memory_fix(args.command, getattr(args, "dtype", None))
        print(f"ffnn: error: out of memory{detail}{fix}", file=sys.stderr)
        return 2
    except Exception as error:  # a bug, not a user error: say so, and how to see more
        if debug:
            traceback.print_exc()
        print(f"ffnn: internal error: {_one_line(error)} (run with --debug for the traceback)",
              file=sys.stderr)
        return 1


def _silence_stdout():
    import os

    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):
        pass


# What the command says when memory runs out even for the words of the error that said so (a
# handler in `main` failing in turn): bytes made beforehand, written without allocating; the
# options that fit takes are suggested to fit alone.
OUT_OF_MEMORY = b"ffnn: error: out of memory\n"
OUT_OF_MEMORY_FIT = (b"ffnn: error: out of memory; use fewer columns (--drop) or rows, or --dtype "
                     b"float32\n")


def main_entry():
    with contextlib.suppress(BrokenPipeError):
        try:
            status = main()
        except MemoryError:
            os.write(2, OUT_OF_MEMORY_FIT if "fit" in sys.argv else OUT_OF_MEMORY)
            status = 2
        sys.exit(status)
