"""The command line's grammar: every command, option and example, and the checks of option values.
A bad command line raises UsageError, which `main` reports in one line."""

import argparse

from ..training import SOLVERS, Settings, suggested_learning_rate
from ..version import __version__
from . import options as o

DEFAULTS = Settings()
COMMANDS = ("fit", "predict", "evaluate", "summary", "plot", "demo")
TASKS = ("auto", "regression", "classification")
PLOT_KINDS = ("loss", "network", "fit")


class UsageError(Exception):
    """A bad command line; reported in one line with exit status 2."""


class _Parser(argparse.ArgumentParser):
    commands = None  # the top-level parser's: {command: its parser}

    def error(self, message):
        raise UsageError(f"{message} (see '{self.prog} --help')")

    def misspelt_option(self, argv):
        """For a command line that failed to parse: UsageError naming the first option that its
        command does not have, with the closest it has. (argparse reports a misspelt
        `--traget y` as the missing `--target`, or as unrecognized by `ffnn` itself.)"""
        # ffnn's own options (--debug) may come before the command; none takes a value
        argv = list(argv)
        while argv and argv[0].startswith("-") and argv[0] != "--":
            argv.pop(0)
        name = argv[0] if argv else None
        command = (self.commands or {}).get(name)
        if command is None:
            if name and name != "--" and self.commands:
                choices = list(self.commands)
                raise UsageError(f"unknown command {name!r}{o.did_you_mean(name, choices, n=1)};"
                                 f" choose from {', '.join(choices)} (see 'ffnn --help')")
            return
        known = [s for action in command._actions for s in action.option_strings]
        for token in argv[1:]:
            if token == "--":
                return
            option = token.split("=", 1)[0]
            if option.startswith("--") and not any(k.startswith(option) for k in known):
                raise UsageError(f"'ffnn {name}' has no option {option}"
                                 f"{o.did_you_mean(option, known)} (see 'ffnn {name} --help')")


# -- the parser -----------------------------------------------------------------------------

EXAMPLES = {
    "fit": """examples:
  ffnn fit houses.csv --target price -o houses.ffnn
  ffnn fit iris.csv --target species --hidden 16,8 --epochs 300 -o iris.ffnn
  ffnn fit data.parquet --target y --solver lbfgs --drop id --impute --seed 1 -o model.ffnn
  ffnn fit boston.txt --no-header --target -1 -o boston.ffnn        # the last column
  ffnn fit cars.csv --na-values '?' --impute --target mpg --drop name -o cars.ffnn
  ffnn fit houses.csv --target price --test-size 0.2 --test-out test.csv -o houses.ffnn
  ffnn evaluate houses.ffnn test.csv                                # rows never trained on
  ffnn fit 'data/*.parquet' --target y --dask -o big.ffnn             # on a local Dask cluster
  ffnn fit 'data/*.parquet' --target y --dask tcp://10.0.0.5:8786 -o big.ffnn""",
    "predict": """examples:
  ffnn predict houses.ffnn new_houses.csv                      # CSV on standard output
  ffnn predict iris.ffnn flowers.csv --proba --keep id -o predictions.csv
  ffnn predict houses.ffnn test.csv --keep price      # observed price beside price_predicted
  ffnn predict big.ffnn 'new/*.parquet' --dask -o predictions/     # a folder of Parquet files""",
    "evaluate": """examples:
  ffnn evaluate houses.ffnn test.csv
  ffnn evaluate big.ffnn 'test/*.parquet' --dask""",
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
        description="Feedforward neural networks from the mathematics up: train on a CSV or "
                    "Parquet file, predict, evaluate, plot.",
        epilog="examples:\n  ffnn demo\n  ffnn fit data.csv --target y -o model.ffnn\n"
               "  ffnn predict model.ffnn new.csv -o predictions.csv\n"
               "run 'ffnn COMMAND --help' for each command's options and examples")
    parser.add_argument("--version", action="version", version=f"ffnn {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    parser.commands = {}

    def add(name, help_text):
        p = commands.add_parser(name, help=help_text, description=help_text,
                                epilog=EXAMPLES[name],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
        parser.commands[name] = p
        p.add_argument("--debug", action="store_true", help="show tracebacks on errors")
        return p

    p = add("fit", "train a network on a CSV or Parquet file and save it")
    p.add_argument("data", help="training data: a CSV file, or Parquet (.parquet, .pq); with "
                                "--dask, a quoted glob of them")
    p.add_argument("--target", required=True, action=o.Once,
                   help="the column to predict: its name, or its position (0 the first, -1 the "
                        "last)")
    p.add_argument("-o", "--output", required=True, help="where to save the model")
    p.add_argument("--force", action="store_true",
                   help="replace an existing -o (or --checkpoint) file even if it is not an "
                        "ffnn model")
    p.add_argument("--task", type=o.choice(*TASKS), default="auto", metavar="{" + ",".join(TASKS)
                   + "}", help="default: classification for text, booleans or few integer values "
                   "(at most 20, each seen twice on average)")
    p.add_argument("--hidden", type=o.hidden, default=(64, 32),
                   help="hidden layer sizes, such as 16 or 64,32, or 'none' (default: 64,32)")
    p.add_argument("--activation", type=o.activation, default=None,
                   help="hidden activation, or one per layer such as tanh,relu (default relu)")
    p.add_argument("--solver", type=o.choice(*SOLVERS), default=DEFAULTS.solver,
                   metavar="{" + ",".join(SOLVERS) + "}", help=f"default {DEFAULTS.solver}")
    p.add_argument("--epochs", type=o.positive_int, default=DEFAULTS.max_iter,
                   help=f"maximum epochs (L-BFGS: iterations); default {DEFAULTS.max_iter}")
    p.add_argument("--batch-size", type=o.batch_size, default=None,
                   help="minibatch size, or auto = min(200, rows) (default)")
    p.add_argument("--lr", type=o.number(0, low_open=True), default=None,
                   help=f"initial learning rate (default {DEFAULTS.learning_rate_init}; "
                        f"{suggested_learning_rate('gd')} for gd, whose one step per epoch "
                        "needs larger steps)")
    p.add_argument("--alpha", type=o.number(0), default=DEFAULTS.alpha,
                   help=f"L2 penalty (default {DEFAULTS.alpha:g})")
    p.add_argument("--tol", type=o.number(0), default=DEFAULTS.tol,
                   help=f"stop once {DEFAULTS.n_iter_no_change + 1} epochs in a row have not "
                        f"beaten the best loss by this much (default {DEFAULTS.tol:g}; 0 stops "
                        f"only when the loss has not improved on its best for "
                        f"{DEFAULTS.n_iter_no_change + 1} epochs in a row)")
    p.add_argument("--seed", type=o.seed, default=0, help="random seed (default 0)")
    p.add_argument("--test-size", type=o.number(0, 1), default=None,
                   help="rows held out before anything else, never used for training or to "
                        "choose the epoch (default 0, or 0.2 with --test-out)")
    p.add_argument("--test-out", default=None,
                   help="write the held-out test rows to this file, for 'ffnn evaluate': CSV "
                        "(tab-separated for a .tsv name), or Parquet for a .parquet or .pq "
                        "name (with --dask: a .csv file, or else a folder of Parquet files)")
    p.add_argument("--validation-fraction", type=o.number(0, 1), default=0.2,
                   help="of the rows left after --test-size, those scored every epoch to report "
                        "validation metrics and choose the epoch kept (default 0.2; 0 for none)")
    p.add_argument("--early-stopping", action="store_true",
                   help="stop when the validation score stalls")
    p.add_argument("--keep-last", action="store_true",
                   help="save the last epoch's weights, not those of the best validation score")
    # each list option gathers what every use of it gives: a second --drop adds to the first
    p.add_argument("--drop", type=o.columns, default=[], action="extend",
                   help="columns to ignore, e.g. id,name (given again, it adds more)")
    p.add_argument("--categorical", type=o.columns, default=[], action="extend",
                   help="columns to one-hot encode as categories even where they hold numbers, "
                        "e.g. zip,code (values as the file spells them: 02139 stays 02139)")
    p.add_argument("--impute", action="store_true",
                   help="fill missing values (mean for numbers, most frequent for categories)")
    p.add_argument("--dtype", type=o.choice("float64", "float32"), default="float64",
                   metavar="{float64,float32}",
                   help="the network's numbers (float32 halves the memory; default float64)")
    p.add_argument("--checkpoint", default=None,
                   help="if training is interrupted (Ctrl-C), save the best model so far here")
    p.add_argument("-q", "--quiet", action="store_true", help="print no progress")
    _dask_option(p)
    _file_options(p)

    p = add("predict", "predict with a saved model; CSV with a header on standard output")
    p.add_argument("model")
    p.add_argument("data")
    p.add_argument("-o", "--output",
                   help="write the predictions to this CSV file ('-': standard output, the "
                        "default; with --dask: a .csv file or a new folder for Parquet files)")
    p.add_argument("--proba", action="store_true", help="add class probabilities")
    p.add_argument("--keep", type=o.columns, default=[], action="extend",
                   help="input columns to copy to the output (the target column too: the "
                        "prediction is then named <target>_predicted)")
    _dask_option(p)
    _file_options(p, model=True)

    p = add("evaluate", "score a saved model on data that has the target column")
    p.add_argument("model")
    p.add_argument("data")
    _dask_option(p)
    _file_options(p, model=True)

    p = add("summary", "the architecture, parameter counts and how the model was trained")
    p.add_argument("model")

    p = add("plot", "draw the loss curve, the network, or the fit to data (PNG, SVG, PDF, JPEG)")
    p.add_argument("model")
    p.add_argument("--kind", type=o.choice(*PLOT_KINDS), required=True,
                   metavar="{" + ",".join(PLOT_KINDS) + "}")
    p.add_argument("--data", help="data with the target column (for --kind fit)")
    p.add_argument("-o", "--output", required=True,
                   help="the file to write; its suffix chooses the format (.png, .svg, .pdf, .jpg)")
    _file_options(p, model=True)

    p = add("demo", "the chapter's examples on embedded data: no files needed")
    p.add_argument("--out", default="ffnn-demo", help="folder for models and plots (ffnn-demo)")
    p.add_argument("-q", "--quiet", action="store_true", help="print no training progress")
    return parser


def _dask_option(p):
    p.add_argument("--dask", nargs="?", const=o.LOCAL, default=None, metavar="SCHEDULER",
                   help="read DATA (a glob of Parquet or CSV files, quoted) with Dask and work "
                        "on a Dask cluster: the scheduler at this address (tcp://host:8786), or "
                        "without one a local cluster sized to this machine; needs "
                        "pip install 'ffnn[dask]'")


def _file_options(p, model=False):
    """How to read CSV files: the same options for every command that reads data; a model's
    commands read the header and names as recorded when the model was trained."""
    group = p.add_argument_group("reading CSV files")
    group.add_argument("--sep", type=o.separator, default=None,
                       help="the separator: one character, or comma, semicolon, tab, "
                            "whitespace (default: detected from the first lines"
                            + ("; the model's where they give nothing to go on)" if model
                               else ")"))
    group.add_argument("--decimal", type=o.decimal_mark, default=None, metavar="{.,,}",
                       help="the decimal mark of numbers: . (1.5) or , (1,5) (default: "
                            "detected from the first lines"
                            + ("; the model's where they give nothing to go on)" if model
                               else ")"))
    header_default = "as in the file the model was trained on" if model else "yes"
    group.add_argument("--header", action=argparse.BooleanOptionalAction, default=None,
                       help=f"whether the first line names the columns (default: "
                            f"{header_default}); without one, columns are named 0, 1, 2, ... "
                            "or by --names")
    group.add_argument("--names", type=o.names, default=None, action="extend",
                       help="names of the columns of a file without a header, e.g. a,b,y"
                            + (" (default: the model's)" if model else ""))
    group.add_argument("--na-values", type=o.values, default=None, action="extend",
                       metavar="VALUES",
                       help="more markers of missing values besides pandas' own (empty, NA, "
                            "nan, null, ...), e.g. '?' or '?,-'"
                            + (" (added to the model's)" if model else ""))
