"""`ffnn demo`: the chapter's two examples on embedded data, with no files needed.

1. The |x| network of section 1.3, built from its printed weights, then learned from noisy data
   by plain gradient descent with `Network.gradients`.
2. The breast-cancer classification: one hidden layer of 8 ReLU units, a sigmoid output with log
   loss, full-batch gradient descent, a 25% test split standardised on the training part. It runs
   through `ffnn fit` itself, on a CSV the demo writes, so the printed commands reproduce it.

Models, data and plots go to the output folder; the last lines are the commands that redo each
step from the CSV files.
"""

import sys
from pathlib import Path

import numpy as np

from ..chapter import abs_data, abs_network, fit_abs
from ..persistence import load, save
from . import plots
from .fit import fit_table, split_rows
from .parser import build_parser

BREAST_CANCER_ARGS = ["--target", "diagnosis", "--hidden", "8", "--activation", "relu",
                      "--solver", "gd", "--lr", "0.5", "--epochs", "1000", "--alpha", "0",
                      "--tol", "0", "--validation-fraction", "0.25", "--seed", "0"]


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
        "network,\n  full-batch gradient descent on the summed RSS (learning rate 0.05, 2000 steps)")
    X, y = abs_data()

    def report(step, mse):
        if not quiet:
            say(f"  step {step:5d}   mean squared error {mse:.5f}")

    fitted, history = fit_abs(X, y, report_every=500, on_report=report)
    grid = np.array([[-1.5], [-0.5], [0.0], [0.5], [1.5]])
    say("  fitted: " + "  ".join(f"f({v:+.1f}) = {p:.3f}"
                                 for v, p in zip(grid.ravel(), fitted.forward(grid).ravel())))
    say(f"  final training MSE {history[-1][1]:.5f} (the noise variance is 0.01)")
    save(fitted, out / "abs_fitted.ffnn")
    plots.network(fitted, out / "abs_fitted_network.png", input_names=["x"])
    abs_csv = out / "abs.csv"
    np.savetxt(abs_csv, np.column_stack([X, y]), delimiter=",", header="x,y", comments="",
               fmt="%.8f")

    say("\nPart 2. Breast cancer (the chapter's classification): 8 ReLU units, sigmoid output, "
        "log loss,\n  full-batch gradient descent; 25% held out as the test set, features "
        "standardised on the training part")
    cancer_csv = out / "breast_cancer.csv"
    _write_breast_cancer(cancer_csv)
    model_path = out / "breast_cancer.ffnn"
    status = fit_table(build_parser().parse_args(
        ["fit", str(cancer_csv), *BREAST_CANCER_ARGS, "-o", str(model_path)]
        + (["-q"] if quiet else [])))
    if status != 0:
        return status
    model = load(model_path)
    test = model.metrics["validation"]
    say(f"  test accuracy {test['accuracy']:.4f}, log loss {test['log loss']:.4f}, "
        f"ROC AUC {test['ROC AUC']:.4f}")
    plots.loss_curve(model, out / "breast_cancer_loss.png")
    plots.network(model, out / "breast_cancer_network.png")
    _plot_test_fit(model, cancer_csv, out / "breast_cancer_fit.png")

    say(f"\nSaved in {out}/: abs_exact.ffnn, abs_fitted.ffnn, breast_cancer.ffnn, the CSV files "
        "and PNG plots.")
    say("To redo each step from the CSV files:")
    say(f"  ffnn fit {abs_csv} --target y --hidden 8 --solver gd --lr 0.1 --epochs 2000 "
        f"--alpha 0 --tol 0 --validation-fraction 0 -o {out / 'abs.ffnn'}")
    say(f"  ffnn fit {cancer_csv} {' '.join(BREAST_CANCER_ARGS)} -o {model_path}")
    say(f"  ffnn evaluate {model_path} {cancer_csv}")
    say(f"  ffnn predict {model_path} {cancer_csv} --proba -o {out / 'predictions.csv'}")
    say(f"  ffnn summary {model_path}")
    say(f"  ffnn plot {model_path} --kind loss -o {out / 'breast_cancer_loss.png'}")
    say(f"  ffnn plot {model_path} --kind network -o {out / 'breast_cancer_network.png'}")
    say(f"  ffnn plot {model_path} --kind fit --data {cancer_csv} -o "
        f"{out / 'breast_cancer_fit.png'}")
    return 0


def _write_breast_cancer(path):
    from sklearn.datasets import load_breast_cancer

    data = load_breast_cancer(as_frame=True)
    frame = data.frame.rename(columns={"target": "diagnosis"})
    # scikit-learn codes malignant as 0 and benign as 1; the CSV carries the names.
    frame["diagnosis"] = np.array(["malignant", "benign"])[data.target]
    frame.to_csv(path, index=False)


def _plot_test_fit(model, csv_path, png_path):
    """The fit on the held-out rows: the same split as `ffnn fit` made."""
    import pandas as pd

    frame = pd.read_csv(csv_path)
    _, test = split_rows(len(frame), frame["diagnosis"].to_numpy().astype(str), 0.25, 0)
    plots.table_fit(model, frame.iloc[test], png_path, csv_path)
