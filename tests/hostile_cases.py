"""Hostile inputs for the estimators, as Hypothesis strategies (`cases`), and the property every
case must hold (`run_case`): it ends in finite predictions or a ValueError that names the problem.
tests/test_hostile_inputs.py runs a few hundred cases; benchmarks/hostile_inputs.py many more."""

import traceback
import warnings

import numpy as np
from hypothesis import strategies as st

CATEGORIES = ("shapes", "dtypes", "non-finite", "extreme", "degenerate")
SPECIAL = {"nan": np.nan, "inf": np.inf, "-inf": -np.inf, "huge": 1e300, "-huge": -1e300,
           "denormal": 5e-324, "tiny": 1e-300}


@st.composite
def cases(draw, category=None):
    """(category, X, y, estimator name, estimator parameters)."""
    category = category or draw(st.sampled_from(CATEGORIES))
    n = draw(st.integers(1, 25))
    d = draw(st.integers(1, 5))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    X = rng.normal(size=(n, d)) * draw(st.sampled_from([1.0, 10.0, 0.01]))
    estimator = draw(st.sampled_from(["regressor", "classifier", "network"]))
    outputs = draw(st.sampled_from([1, 1, 2, 7]))
    if category == "dtypes":
        kind = draw(st.sampled_from(["float32", "float64", "int64", "int8", "bool", "object",
                                     "strings", "float16", "uint8"]))
        if kind == "bool":
            X = X > 0
        elif kind == "object":
            X = X.astype(object)
        elif kind == "strings":
            X = np.array([[f"v{v:.1f}" for v in row] for row in X])
        else:
            X = (X * 10).astype(kind)
    elif category in ("non-finite", "extreme"):
        names = ["nan", "inf", "-inf"] if category == "non-finite" else [
            "huge", "-huge", "denormal", "tiny"]
        for _ in range(draw(st.integers(1, 3))):
            X[rng.integers(n), rng.integers(d)] = SPECIAL[draw(st.sampled_from(names))]
    elif category == "degenerate":
        shape = draw(st.sampled_from(["constant column", "all constant", "duplicated rows",
                                      "single row"]))
        if shape == "constant column":
            X[:, rng.integers(d)] = draw(st.sampled_from([0.0, 3.0, 1e6]))
        elif shape == "all constant":
            X[:] = 1.0
        elif shape == "duplicated rows":
            X[:] = X[0]
        else:
            X = X[:1]
            n = 1
    y = _targets(draw, rng, estimator, n, outputs, category)
    params = {"solver": draw(st.sampled_from(["adam", "sgd", "lbfgs", "gd"])),
              "hidden_layer_sizes": draw(st.sampled_from([(), (3,), (4, 2)])), "max_iter": 5,
              "random_state": 0}
    return category, X, y, estimator, params


def _targets(draw, rng, estimator, n, outputs, category):
    if estimator == "classifier":
        kind = draw(st.sampled_from(["ints", "strings", "bools", "one class", "multilabel"]))
        if kind == "multilabel":
            return rng.integers(0, 2, size=(n, max(outputs, 2)))
        labels = {"ints": [3, 7, 9], "strings": ["a", "b", "c"], "bools": [False, True],
                  "one class": ["only"]}[kind]
        return np.array(labels)[rng.integers(0, len(labels), size=n)]
    y = rng.normal(size=(n, outputs)) if outputs > 1 else rng.normal(size=n)
    if category == "non-finite" and draw(st.booleans()):
        y.flat[rng.integers(y.size)] = SPECIAL[draw(st.sampled_from(["nan", "inf"]))]
    if category == "extreme" and draw(st.booleans()):
        y.flat[rng.integers(y.size)] = 1e300
    if category == "dtypes" and draw(st.booleans()):
        y = y.astype(object) if draw(st.booleans()) else np.array([f"y{v:.2f}" for v in y.ravel()])
    return y


def _raised_inside_numpy(error):
    frames = traceback.extract_tb(error.__traceback__)
    return bool(frames) and any(part in frames[-1].filename for part in ("/numpy/", "/scipy/"))


def run_case(X, y, estimator, params):
    """'fit and predict' or 'ValueError: <first words>'; raises AssertionError for a failure."""
    import ffnn

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if estimator == "network":
                net = ffnn.Network([X.shape[1], *params["hidden_layer_sizes"],
                                    np.atleast_2d(y.T).shape[0]],
                                   ["relu"] * len(params["hidden_layer_sizes"]) + ["linear"],
                                   "rss", random_state=0)
                Y = y if np.ndim(y) == 2 else np.reshape(y, (-1, 1))
                net.gradients(X, Y)
                predictions = net.forward(X)
            else:
                cls = ffnn.FFNNRegressor if estimator == "regressor" else ffnn.FFNNClassifier
                model = cls(**params).fit(X, y)
                predictions = model.predict(X)
                if estimator == "classifier":
                    predictions = model.predict_proba(X)
    except ValueError as error:
        message = str(error).strip()
        assert message, "a ValueError without a message"
        assert not _raised_inside_numpy(error), f"raised inside NumPy/SciPy: {message}"
        return "ValueError"
    except Exception as error:
        raise AssertionError(f"{type(error).__name__} escaped: {error}") from error
    finite_input = np.asarray(X).dtype.kind in "biuf" and np.isfinite(
        np.asarray(X, dtype=float)).all()
    if finite_input:
        assert np.isfinite(np.asarray(predictions, dtype=float)).all(), \
            "NaN or infinite predictions from finite input after a successful fit"
    return "fit and predict"
