"""The `ffnn` command line. `main(argv)` returns the exit status, so tests can call it directly."""

import argparse
import sys

import numpy as np

from . import __version__


def demo(args, out=sys.stdout):
    from .chapter import abs_data, abs_network, fit_abs

    print("1. The chapter's |x| network (section 1.3)", file=out)
    print("   W1 = (1, -1)^T, c1 = (0, 0)^T, W2 = (1 1), c2 = 0", file=out)
    net = abs_network()
    x = np.linspace(-2, 2, 9).reshape(-1, 1)
    yhat = net.forward(x)
    for xi, yi in zip(x.ravel(), yhat.ravel()):
        print(f"   x = {xi:+.2f}   network(x) = {yi:.2f}   |x| = {abs(xi):.2f}", file=out)
    exact = np.array_equal(yhat, np.abs(x))
    print(f"   computes |x| exactly on this grid: {exact}", file=out)

    print("\n2. Gradient descent on y = |x| + noise (200 points, noise sd 0.1)", file=out)
    X, y = abs_data()

    def report(step, mse):
        print(f"   step {step:5d}   mean squared error {mse:.5f}", file=out)

    fitted, history = fit_abs(X, y, report_every=250, on_report=report)
    grid = np.array([[-1.5], [-0.5], [0.0], [0.5], [1.5]])
    print("   fitted network on a few points:", file=out)
    for xi, yi in zip(grid.ravel(), fitted.forward(grid).ravel()):
        print(f"   x = {xi:+.2f}   network(x) = {yi:.3f}   |x| = {abs(xi):.2f}", file=out)
    print(f"   final training MSE {history[-1][1]:.5f} (the noise variance is 0.01)", file=out)
    return 0


def build_parser():
    parser = argparse.ArgumentParser(
        prog="ffnn", description="Feedforward neural networks from the mathematics up."
    )
    parser.add_argument("--version", action="version", version=f"ffnn {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    p = commands.add_parser("demo", help="run the chapter's examples on embedded data")
    p.set_defaults(run=demo)
    return parser


def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "run", None) is None:
        parser.print_help()
        return 2
    return args.run(args)


def main_entry():
    sys.exit(main())
