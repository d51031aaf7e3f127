"""The command line's grammar: every command, option and example, and the checks of option values.
A bad command line raises UsageError, which `main` reports in one line."""

import argparse

import numpy as np

from .. import __version__
from ..activations import ALIASES, HIDDEN_ACTIVATIONS
from ..training import SOLVERS, Settings, suggested_learning_rate

DEFAULTS = Settings()
ACTIVATION_CHOICES = HIDDEN_ACTIVATIONS + tuple(ALIASES)
COMMANDS = ("fit", "predict", "evaluate", "summary", "plot", "demo")


class UsageError(Exception):
    """A bad command line; reported in one line with exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise UsageError(f"{message} (see '{self.prog} --help')")


def _positive_int(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return value


def _number(low, high=None, low_open=False):
    def parse(text):
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
        if not np.isfinite(value) or (value <= low if low_open else value < low) or (
                high is not None and value >= high):
            bounds = f"{'(' if low_open else '['}{low}, {high if high is not None else '∞'})"
            raise argparse.ArgumentTypeError(f"expected a number in {bounds}, got {text!r}")
        return value
    return parse


def _hidden(text):
    if text.strip() in ("", "none"):
        return ()
    try:
        sizes = tuple(int(part) for part in text.split(","))
    except ValueError:
        sizes = ()
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError(
            f"expected comma-separated positive integers such as 64,32 (or 'none'), got {text!r}")
    return sizes


def _activation(text):
    names = [part.strip() for part in text.split(",")]
    for name in names:
        if name not in ACTIVATION_CHOICES:
            raise argparse.ArgumentTypeError(
                f"unknown activation {name!r}; choose from {', '.join(ACTIVATION_CHOICES)}")
    return names[0] if len(names) == 1 else names


def _batch_size(text):
    return "auto" if text == "auto" else _positive_int(text)


def _columns(text):
    return [name for name in (part.strip() for part in text.split(",")) if name]


# -- the parser -----------------------------------------------------------------------------

EXAMPLES = {
    "fit": """examples:
  ffnn fit houses.csv --target price -o houses.ffnn
  ffnn fit iris.csv --target species --hidden 16,8 --epochs 300 -o iris.ffnn
  ffnn fit data.parquet --target y --solver lbfgs --drop id --impute --seed 1 -o model.ffnn""",
    "predict": """examples:
  ffnn predict houses.ffnn new_houses.csv                      # CSV on standard output
  ffnn predict iris.ffnn flowers.csv --proba --keep id -o predictions.csv""",
    "evaluate": """examples:
  ffnn evaluate houses.ffnn test.csv""",
    "summary": """examples:
  ffnn summary houses.ffnn""",
    "plot": """examples:
  ffnn plot houses.ffnn --kind loss -o loss.png
  ffnn plot houses.ffnn --kind network -o network.png
  ffnn plot houses.ffnn --kind fit --data test.csv -o fit.png""",
    "demo": """examples:
  ffnn demo
  ffnn demo --out /tmp/ffnn-demo""",
}


def build_parser():
    parser = _Parser(
        prog="ffnn", formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Feedforward neural networks from the mathematics up: train on a CSV file, "
                    "predict, evaluate, plot.",
        epilog="examples:\n  ffnn demo\n  ffnn fit data.csv --target y -o model.ffnn\n"
               "  ffnn predict model.ffnn new.csv -o predictions.csv\n"
               "run 'ffnn COMMAND --help' for each command's options and examples")
    parser.add_argument("--version", action="version", version=f"ffnn {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def add(name, help_text):
        p = commands.add_parser(name, help=help_text, description=help_text,
                                epilog=EXAMPLES[name],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
        p.add_argument("--debug", action="store_true", help="show tracebacks on errors")
        return p

    p = add("fit", "train a network on a CSV or Parquet file and save it")
    p.add_argument("data", help="training data (.csv, or .parquet)")
    p.add_argument("--target", required=True, help="the column to predict")
    p.add_argument("-o", "--output", required=True, help="where to save the model")
    p.add_argument("--task", choices=("auto", "regression", "classification"), default="auto",
                   help="default: classification for text, booleans or few integer values")
    p.add_argument("--hidden", type=_hidden, default=(64, 32),
                   help="hidden layer sizes, e.g. 64,32 (default), or 'none'")
    p.add_argument("--activation", type=_activation, default="relu",
                   help="hidden activation, or one per layer such as tanh,relu (default relu)")
    p.add_argument("--solver", choices=SOLVERS, default=DEFAULTS.solver,
                   help=f"default {DEFAULTS.solver}")
    p.add_argument("--epochs", type=_positive_int, default=DEFAULTS.max_iter,
                   help=f"maximum epochs (L-BFGS: iterations); default {DEFAULTS.max_iter}")
    p.add_argument("--batch-size", type=_batch_size, default=DEFAULTS.batch_size,
                   help="minibatch size, or auto = min(200, rows) (default)")
    p.add_argument("--lr", type=_number(0, low_open=True), default=None,
                   help=f"initial learning rate (default {DEFAULTS.learning_rate_init}; "
                        f"{suggested_learning_rate('gd')} for gd, whose one step per epoch "
                        "needs larger steps)")
    p.add_argument("--alpha", type=_number(0), default=DEFAULTS.alpha,
                   help=f"L2 penalty (default {DEFAULTS.alpha:g})")
    p.add_argument("--tol", type=_number(0), default=DEFAULTS.tol,
                   help=f"stop when the loss improves less than this for "
                        f"{DEFAULTS.n_iter_no_change} epochs (default {DEFAULTS.tol:g}; 0 trains "
                        "every epoch unless the loss rises)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument("--validation-fraction", type=_number(0, 1), default=0.2,
                   help="rows held out to report validation metrics (default 0.2; 0 for none)")
    p.add_argument("--early-stopping", action="store_true",
                   help="stop when the validation score stalls and keep the best epoch")
    p.add_argument("--drop", type=_columns, default=[], help="columns to ignore, e.g. id,name")
    p.add_argument("--impute", action="store_true",
                   help="fill missing values (mean for numbers, most frequent for categories)")
    p.add_argument("--checkpoint", default=None,
                   help="if training is interrupted (Ctrl-C), save the best model so far here")
    p.add_argument("-q", "--quiet", action="store_true", help="print no progress")

    p = add("predict", "predict with a saved model; CSV with a header on standard output")
    p.add_argument("model")
    p.add_argument("data")
    p.add_argument("-o", "--output", help="write the predictions to this CSV file")
    p.add_argument("--proba", action="store_true", help="add class probabilities")
    p.add_argument("--keep", type=_columns, default=[], help="input columns to copy to the output")

    p = add("evaluate", "score a saved model on data that has the target column")
    p.add_argument("model")
    p.add_argument("data")

    p = add("summary", "the architecture, parameter counts and how the model was trained")
    p.add_argument("model")

    p = add("plot", "draw the loss curve, the network, or the fit to data as a PNG")
    p.add_argument("model")
    p.add_argument("--kind", choices=("loss", "network", "fit"), required=True)
    p.add_argument("--data", help="data with the target column (for --kind fit)")
    p.add_argument("-o", "--output", required=True, help="the PNG file to write")

    p = add("demo", "the chapter's examples on embedded data: no files needed")
    p.add_argument("--out", default="ffnn-demo", help="folder for models and plots (ffnn-demo)")
    p.add_argument("-q", "--quiet", action="store_true", help="print no training progress")
    return parser
