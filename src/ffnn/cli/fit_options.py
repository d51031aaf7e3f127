"""What `ffnn fit`'s options ask for, checked before any work: the share of test rows, the
options that cannot go together, the roles of the columns they name, and the estimator they
build (said where it would not use an option given)."""

import sys

from ..exceptions import DataError
from ..tabular.values import listed
from ..training import suggested_learning_rate
from .parser import DEFAULTS, UsageError


def test_fraction(args):
    """The share of rows held out as test rows: --test-size, or 0.2 where only --test-out is
    given."""
    return args.test_size if args.test_size is not None else (0.2 if args.test_out else 0)


def check_roles(target, drop, categorical):
    """The target, the dropped columns and the declared categories are apart."""
    if target in drop:
        raise DataError(f"--drop includes the target column {target!r}, which is never a "
                        "feature: take it out of --drop")
    if target in categorical:
        raise DataError(f"--categorical includes the target column {target!r}; a target of "
                        "classes is given by --task classification")
    both = [name for name in categorical if name in drop]
    if both:
        raise DataError(f"--categorical and --drop both name {listed(both)}; a dropped column "
                        "is not read: take it out of one of them")


def check_options(args, test_size):
    if args.test_out and test_size == 0:
        raise UsageError("--test-out needs test rows; leave out --test-size 0")
    if args.early_stopping and args.validation_fraction == 0:
        raise UsageError("--early-stopping needs validation rows; set --validation-fraction > 0")
    if args.early_stopping and args.keep_last:
        raise UsageError("--early-stopping keeps the best validation epoch's weights; leave out "
                         "--keep-last")


def make_estimator(task, args, stream=None, n_train=None, largest=None):
    """The estimator that the options ask for; each option that it would ignore (with
    `n_train` training rows, where known, or on a cluster `largest`, the training rows of the
    largest partition) is said (on stderr) rather than dropped without a word."""
    from ..estimators import FFNNClassifier, FFNNRegressor

    for option in _ignored_options(args, n_train, largest):
        print(f"warning: {option}", file=stream if stream is not None else sys.stderr)
    learning_rate = args.lr if args.lr is not None else suggested_learning_rate(args.solver)
    cls = FFNNClassifier if task == "classification" else FFNNRegressor
    return cls(hidden_layer_sizes=args.hidden,
               activation=args.activation if args.activation is not None else "relu",
               solver=args.solver, max_iter=args.epochs,
               batch_size=args.batch_size if args.batch_size is not None else DEFAULTS.batch_size,
               learning_rate_init=learning_rate, alpha=args.alpha, tol=args.tol,
               random_state=args.seed, early_stopping=args.early_stopping)


def layer_sizes(n_features, args, n_classes=0):
    """The sizes of the network's layers, inputs to outputs, as fit will build them (and
    `summary` and the network drawing give them): one output for a regression (`n_classes`
    0) or two classes, one per class for more."""
    return [n_features, *args.hidden, n_classes if n_classes > 2 else 1]


def _ignored_options(args, n_train=None, largest=None):
    """What the options given say that training will not do, one line each."""
    full_batch = args.solver in ("gd", "lbfgs")
    said = []
    if args.batch_size is not None and not full_batch and largest and args.batch_size > largest:
        said.append(f"--batch-size {args.batch_size} has no effect beyond the {largest} training "
                    "rows of the largest partition: with --dask each epoch takes one step per "
                    "partition (no batch spans two)")
    if args.batch_size is not None and not full_batch and n_train and args.batch_size > n_train:
        # the estimator clips it, as scikit-learn does, with a warning the command line hides
        said.append(f"--batch-size {args.batch_size} has no effect beyond the {n_train} training "
                    "rows: each epoch takes one step over all of them")
    if args.activation is not None and not args.hidden:
        said.append("--activation has no effect with --hidden none: the network has no hidden "
                    "layer (the output layer's activation follows the task)")
    if args.batch_size is not None and full_batch:
        said.append(f"--batch-size has no effect with --solver {args.solver}, which takes every "
                    "training row at each step")
    if args.lr is not None and args.solver == "lbfgs":
        said.append("--lr has no effect with --solver lbfgs, whose line search chooses each step")
    if args.early_stopping and args.solver == "lbfgs":
        said.append("--early-stopping has no effect with --solver lbfgs (as in scikit-learn): "
                    "it trains until it converges or --epochs, and the weights of the best "
                    "validation iteration are kept, as without --early-stopping")
    if args.keep_last and args.validation_fraction == 0:
        said.append("--keep-last has no effect with --validation-fraction 0: without validation "
                    "rows no epoch is chosen by its score, and the last one's weights are kept")
    return said
