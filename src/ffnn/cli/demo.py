"""`ffnn demo`: the chapter's two examples on embedded data, with no files needed.

1. The |x| network of section 1.3, built from its printed weights; then learned from noisy
   data, first by the chapter's own gradient descent with `Network.gradients`, then by
   `ffnn fit` on a CSV file the demo writes.
2. The breast-cancer classification: one hidden layer of 8 ReLU units, a sigmoid output with log
   loss, full-batch gradient descent, 25% of the rows held out as a test set (written to a CSV
   file), features standardised on the training part.

Every model and plot the demo saves is made by running the `ffnn` commands it prints at the
end, so running those commands again reproduces them exactly.
"""

import shlex
import sys
from pathlib import Path

import numpy as np

from ..chapter import abs_data, abs_network, fit_abs
from ..persistence import load, save
from ..rounding import fixed
from . import commands, plots
from .fit import fit_table
from .parser import UsageError, build_parser

ABS_ARGS = ["--target", "y", "--hidden", "8", "--solver", "gd", "--lr", "0.1", "--epochs", "2000",
            "--alpha", "0", "--tol", "0", "--validation-fraction", "0", "--seed", "0"]
BREAST_CANCER_ARGS = ["--target", "diagnosis", "--hidden", "8", "--activation", "relu",
                      "--solver", "gd", "--lr", "0.5", "--epochs", "1000", "--alpha", "0",
                      "--tol", "0", "--test-size", "0.25", "--validation-fraction", "0",
                      "--seed", "0"]
RUN = {"fit": fit_table, "predict": commands.predict, "plot": commands.plot}


def command(args):
    """The `ffnn demo` command."""
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out} is a file, not a folder; give the name of a folder for "
                         "the demo's models, data and plots")
    return run_demo(out, quiet=args.quiet)


def run_demo(out, quiet=False, stream=None):
    stream = stream if stream is not None else sys.stdout
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)

    def say(text=""):
        print(text, file=stream, flush=True)

    say("Part 1. The chapter's |x| network (section 1.3)")
    say("  W1 = (1, -1)^T, c1 = (0, 0)^T, W2 = (1 1), c2 = 0, ReLU hidden layer, linear output")
    net = abs_network()
    x = np.linspace(-2, 2, 9).reshape(-1, 1)
    yhat = net.forward(x)
    say("  " + "  ".join(f"f({v:+.1f}) = {p:.1f}" for v, p in zip(x.ravel(), yhat.ravel())))
    say(f"  computes |x| exactly on this grid: {bool(np.array_equal(yhat, np.abs(x)))}")
    save(net, out / "abs_exact.ffnn")
    plots.network(net, out / "abs_exact_network.png", input_names=["x"])

    say("\n  Learning it instead: y = |x| + noise (200 points, noise sd 0.1), a [1, 8, 1] ReLU "
        "network,\n  by the chapter's full-batch gradient descent on the summed RSS (learning "
        "rate 0.05, 2000 steps)")
    X, y = abs_data()

    def report(step, mse):
        if not quiet:
            say(f"  step {step:5d}   mean squared error {mse:.5f}")

    by_hand, history = fit_abs(X, y, report_every=500, on_report=report)
    grid = np.array([[-1.5], [-0.5], [0.0], [0.5], [1.5]])
    say("  fitted: " + "  ".join(f"f({v:+.1f}) = {p:.3f}"
                                 for v, p in zip(grid.ravel(), by_hand.forward(grid).ravel())))
    say(f"  final training MSE {history[-1][1]:.5f} (the noise variance is 0.01)")
    abs_csv, abs_model = out / "abs.csv", out / "abs_fitted.ffnn"
    np.savetxt(abs_csv, np.column_stack([X, y]), delimiter=",", header="x,y", comments="",
               fmt="%.8f")
    say(f"\n  The same with the command line, from {abs_csv} (ffnn fit standardises x and y, so "
        "its\n  learning rate differs):")
    steps = [["fit", str(abs_csv), *ABS_ARGS, "-o", str(abs_model)],
             ["plot", str(abs_model), "--kind", "network", "-o",
              str(out / "abs_fitted_network.png")]]
    status = _run(steps, quiet)
    if status != 0:
        return status
    fitted = load(abs_model)
    import pandas as pd

    predicted = fitted.predict(pd.DataFrame({"x": grid.ravel()}))
    say("  fitted: " + "  ".join(f"f({v:+.1f}) = {p:.3f}" for v, p in zip(grid.ravel(),
                                                                            predicted)))

    say("\nPart 2. Breast cancer (the chapter's classification): 8 ReLU units, sigmoid output, "
        "log loss,\n  full-batch gradient descent; 25% held out as the test set, features "
        "standardised on the training part")
    cancer_csv, test_csv = out / "breast_cancer.csv", out / "breast_cancer_test.csv"
    model_path = out / "breast_cancer.ffnn"
    _write_breast_cancer(cancer_csv)
    cancer_steps = [
        ["fit", str(cancer_csv), *BREAST_CANCER_ARGS, "--test-out", str(test_csv),
         "-o", str(model_path)],
        ["predict", str(model_path), str(test_csv), "--proba", "--keep", "diagnosis",
         "-o", str(out / "predictions.csv")],
        ["plot", str(model_path), "--kind", "loss", "-o", str(out / "breast_cancer_loss.png")],
        ["plot", str(model_path), "--kind", "network", "-o",
         str(out / "breast_cancer_network.png")],
        ["plot", str(model_path), "--kind", "fit", "--data", str(test_csv), "-o",
         str(out / "breast_cancer_fit.png")]]
    status = _run(cancer_steps, quiet)
    if status != 0:
        return status
    test = load(model_path).metrics["test"]
    say(f"  test accuracy {fixed(test['accuracy'])}, log loss {fixed(test['log loss'])}, "
        f"ROC AUC {fixed(test['ROC AUC'])}")

    say(f"\nSaved in {out}/: abs_exact.ffnn, abs_fitted.ffnn, breast_cancer.ffnn, the CSV files "
        "and the plots.")
    say("To redo each step from the CSV files:")
    for step in steps + cancer_steps:
        say("  ffnn " + shlex.join(step))
    say("To look at the results:")
    say(f"  ffnn evaluate {shlex.quote(str(model_path))} {shlex.quote(str(test_csv))}")
    say(f"  ffnn summary {shlex.quote(str(model_path))}")
    return 0


def _run(steps, quiet):
    """Run `ffnn` commands, as the command line would; the first non-zero status, or 0."""
    parser = build_parser()
    for step in steps:
        argv = step + (["-q"] if quiet and step[0] == "fit" else [])
        status = RUN[step[0]](parser.parse_args(argv))
        if status != 0:
            return status
    return 0


def _write_breast_cancer(path):
    from sklearn.datasets import load_breast_cancer

    data = load_breast_cancer(as_frame=True)
    frame = data.frame.rename(columns={"target": "diagnosis"})
    # scikit-learn codes malignant as 0 and benign as 1; the CSV carries the names.
    frame["diagnosis"] = np.array(["malignant", "benign"])[data.target]
    frame.to_csv(path, index=False)
