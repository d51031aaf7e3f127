"""The reference models: each case trains an estimator with a fixed seed and gives its
predictions on fixed inputs. tests/data/reference_models.npz holds them as recorded (by
benchmarks/make_reference_models.py); tests/test_reference_models.py retrains and compares, so
that a change that should not change what training computes can show it does not."""


import numpy as np

CASES = {
    "adam_f64": dict(solver="adam", batch_size=32, dtype="float64"),
    "adam_f32": dict(solver="adam", batch_size=32, dtype="float32"),
    "sgd_nesterov": dict(solver="sgd", batch_size=25, dtype="float64", learning_rate_init=0.01),
    "sgd_invscaling": dict(solver="sgd", batch_size=40, dtype="float64", learning_rate_init=0.05,
                           learning_rate="invscaling", nesterovs_momentum=False),
    "gd": dict(solver="gd", dtype="float64", learning_rate_init=0.1),
    "lbfgs": dict(solver="lbfgs", dtype="float64"),
    "adam_weighted_early": dict(solver="adam", batch_size=50, dtype="float64", weighted=True,
                                early_stopping=True),
}


def data(dtype):
    rng = np.random.default_rng(12345)
    X = rng.normal(size=(300, 6))
    y = np.sin(X[:, 0]) + X[:, 1] * X[:, 2] - 0.5 * X[:, 3] + 0.1 * rng.normal(size=300)
    return X.astype(dtype), y.astype(dtype), rng.uniform(0.5, 2.0, size=300)


def train(name):
    import warnings

    from ffnn import FFNNRegressor

    options = dict(CASES[name])
    dtype = options.pop("dtype")
    weighted = options.pop("weighted", False)
    X, y, w = data(dtype)
    model = FFNNRegressor(hidden_layer_sizes=(16, 8), max_iter=15, random_state=7, tol=0,
                          n_iter_no_change=1000, **options)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.fit(X, y, sample_weight=w if weighted else None)
    return model.predict(X[:50]).astype(np.float64)
