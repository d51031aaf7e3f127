"""Running the command line inside a test: its exit status and what it printed."""

from ffnn.cli import main


def run(capsys, *argv):
    """(exit status, standard output, standard error) of `ffnn ARGV`."""
    status = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, out, err


def one_error(capsys, *argv):
    """The one line a refused command prints (exit status 2, never an internal error)."""
    status, _, err = run(capsys, *argv)
    lines = err.strip().splitlines()
    assert status == 2 and len(lines) == 1 and lines[0].startswith("ffnn: error: "), err
    assert "internal error" not in err
    return lines[0]
