"""Held-out scores of ffnn's estimators beside scikit-learn's MLP, with the same defaults, split,
preprocessing (features, and regression targets, standardised on the training part) and seeds.

    python benchmarks/accuracy.py [--seeds 5]

Prints a markdown table: accuracy for classifiers, R² for regressors, the mean over the seeds
(each seed draws its own split and initialisation for both libraries), and the difference. Also
reproduces the chapter's classification setting on breast_cancer: one hidden layer of 8 ReLU
units, a sigmoid output with log loss, trained by full-batch gradient descent.
"""

import argparse
import time
import warnings

import numpy as np
from sklearn.compose import TransformedTargetRegressor
from sklearn.datasets import (
    load_breast_cancer,
    load_diabetes,
    load_digits,
    load_iris,
    load_linnerud,
    load_wine,
    make_regression,
)
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.preprocessing import StandardScaler

import ffnn


def data_sets():
    """(name, X, y, task); the test fraction is 25% (the chapter's split) for all."""
    X_reg, y_reg = make_regression(n_samples=1000, n_features=20, n_informative=10, noise=10.0,
                                   random_state=0)
    return [
        ("breast_cancer", *load_breast_cancer(return_X_y=True), "classification"),
        ("digits", *load_digits(return_X_y=True), "classification"),
        ("wine", *load_wine(return_X_y=True), "classification"),
        ("iris", *load_iris(return_X_y=True), "classification"),
        ("diabetes", *load_diabetes(return_X_y=True), "regression"),
        ("linnerud", *load_linnerud(return_X_y=True), "regression"),
        ("make_regression", X_reg, y_reg, "regression"),
    ]


def split(X, y, task, seed):
    stratify = y if task == "classification" else None
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=seed,
                                                        stratify=stratify)
    scaler = StandardScaler().fit(X_train)
    return scaler.transform(X_train), scaler.transform(X_test), y_train, y_test


def score_pair(X, y, task, seed):
    X_train, X_test, y_train, y_test = split(X, y, task, seed)
    if task == "classification":
        models = ffnn.FFNNClassifier(random_state=seed), MLPClassifier(random_state=seed)
    else:
        # Regression targets are standardised too (on the training part), and R² is computed
        # on the original scale.
        models = (TransformedTargetRegressor(ffnn.FFNNRegressor(random_state=seed),
                                             transformer=StandardScaler()),
                  TransformedTargetRegressor(MLPRegressor(random_state=seed),
                                             transformer=StandardScaler()))
    scores = []
    for model in models:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            model.fit(X_train, y_train)
        scores.append(model.score(X_test, y_test))
    return scores


def chapter_setting(seed):
    """The chapter's breast_cancer network: 8 ReLU units, sigmoid + log loss, full-batch GD."""
    X, y = load_breast_cancer(return_X_y=True)
    X_train, X_test, y_train, y_test = split(X, y, "classification", seed)
    # Like the chapter's loop, a fixed number of full-batch steps (no early stop on a plateau).
    model = ffnn.FFNNClassifier(hidden_layer_sizes=(8,), activation="relu", solver="gd",
                                learning_rate_init=0.5, alpha=0.0, max_iter=1000,
                                n_iter_no_change=np.inf, random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X_train, y_train)
    assert model.out_activation_ == "logistic" and model.network_.loss_function.name == "log_loss"
    return model.score(X_test, y_test), model.n_iter_


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5, help="number of seeds to average over")
    args = parser.parse_args(argv)
    seeds = range(args.seeds)
    started = time.perf_counter()
    print(f"Held-out scores, mean over {args.seeds} seeds (25% test split; features, and "
          "regression targets, standardised on the training part; default parameters for both)\n")
    print("| data set | metric | ffnn | scikit-learn MLP | ffnn − sklearn | "
          "largest seed difference |")
    print("|---|---|---|---|---|---|")
    for name, X, y, task in data_sets():
        pairs = np.array([score_pair(X, y, task, seed) for seed in seeds])
        ours, theirs = pairs.mean(axis=0)
        differences = pairs[:, 0] - pairs[:, 1]
        largest = differences[np.argmax(np.abs(differences))]  # with its sign
        metric = "accuracy" if task == "classification" else "R²"
        print(f"| {name} | {metric} | {ours:.4f} | {theirs:.4f} | {ours - theirs:+.4f} | "
              f"{largest:+.4f} |")
    results = [chapter_setting(seed) for seed in seeds]
    accuracy = np.mean([r[0] for r in results])
    print(f"\nThe chapter's setting on breast_cancer (8 ReLU units, sigmoid output, log loss, "
          f"full-batch gradient descent, learning rate 0.5, 1000 steps): test accuracy {accuracy:.4f} "
          f"(per seed: {', '.join(f'{r[0]:.4f}' for r in results)})")
    print(f"\n({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
