"""Fits, predictions and scores on Dask inputs against the in-memory estimator on the same rows:
where the two could part without a word (names of features, early stopping's held-out rows)."""

import warnings

import numpy as np
import pytest

da = pytest.importorskip("dask.array")
dd = pytest.importorskip("dask.dataframe")
pytest.importorskip("distributed")

import pandas as pd  # noqa: E402

from ffnn import FFNNRegressor  # noqa: E402


@pytest.fixture(scope="module")
def rows():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 3))
    return X, X @ [1.0, -1.0, 0.5]


def quiet(fit, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fit(*args, **kwargs)


PARAMS = dict(hidden_layer_sizes=(3,), solver="lbfgs", max_iter=2, random_state=0)


def test_column_names_of_numpy_strings_name_no_features_as_in_memory(client, rows):
    """scikit-learn takes a table's column names for feature names only where all are of type
    str: NumPy's str_ names none, and a mix of the two is refused. The cluster took both for
    names, so that the model then warned of the same table in memory."""
    X, y = rows
    numpy_names = pd.DataFrame(X, columns=pd.Index([np.str_(c) for c in "abc"], dtype=object))
    memory = quiet(FFNNRegressor(**PARAMS).fit, numpy_names, y)
    cluster = quiet(FFNNRegressor(**PARAMS).fit, dd.from_pandas(numpy_names, npartitions=2), y)
    assert not hasattr(memory, "feature_names_in_")
    assert not hasattr(cluster, "feature_names_in_")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no word of feature names, as for the memory's model
        np.testing.assert_allclose(cluster.predict(numpy_names), memory.predict(numpy_names),
                                   rtol=1e-10)
    mixed = pd.DataFrame(X, columns=pd.Index(["a", np.str_("b"), "c"], dtype=object))
    for given in (mixed, dd.from_pandas(mixed, npartitions=2)):
        with pytest.raises(TypeError, match=r"only supported if all input features have string "
                                            r"names, but your input has \['str', 'str_'\]"):
            quiet(FFNNRegressor(**PARAMS).fit, given, y)
