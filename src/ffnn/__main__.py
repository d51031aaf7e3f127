"""`python -m ffnn ...` runs the command line, as the `ffnn` command does."""

from .cli import main_entry

if __name__ == "__main__":
    main_entry()
