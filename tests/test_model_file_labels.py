"""A classifier loaded from a model file has the classes its file lists: a multilabel
classifier's labels are the integers 0 … n − 1 that fit gives them (of whatever integer dtype
the platform's NumPy gave them), and a file giving them as floats or booleans, or other
integers, is not one save wrote."""

import json
import warnings

import numpy as np
import pytest
from model_file_mutations import with_description

import ffnn


@pytest.fixture(scope="module")
def multilabel_file(tmp_path_factory):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(30, 3))
    Y = np.c_[X[:, 0] > 0, X[:, 1] > 0, X[:, 2] > 0].astype(int)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = ffnn.FFNNClassifier(hidden_layer_sizes=(3,), max_iter=3, random_state=0).fit(X, Y)
    path = tmp_path_factory.mktemp("labels") / "multilabel.ffnn"
    ffnn.save(model, path)
    return path


def test_a_saved_multilabel_classifier_comes_back_with_its_integer_labels(multilabel_file):
    model = ffnn.load(multilabel_file)
    assert model.classes_.tolist() == [0, 1, 2]
    assert model.classes_.dtype == np.arange(3).dtype


@pytest.mark.parametrize("dtype", ["<i4", "<i8", "|u1"])
def test_multilabel_labels_of_any_integer_dtype_load(tmp_path, multilabel_file, dtype):
    # save records the dtype of fit's labels, NumPy's default integer: int32 on some platforms
    def change(description):
        description["estimator"]["fitted"]["classes_"] = {"dtype": dtype, "values": [0, 1, 2]}

    path = tmp_path / "m.ffnn"
    path.write_bytes(with_description(multilabel_file.read_bytes(), change))
    assert ffnn.load(path).classes_.tolist() == [0, 1, 2]


@pytest.mark.parametrize("dtype, values", [("<f8", [0.0, 1.0, 2.0]), ("|b1", [False, True]),
                                           ("<i8", [1, 2, 3])])
def test_multilabel_labels_of_another_dtype_are_refused(tmp_path, multilabel_file, dtype,
                                                        values):
    def change(description):
        description["estimator"]["fitted"]["classes_"] = {"dtype": dtype, "values": values}

    path = tmp_path / "m.ffnn"
    path.write_bytes(with_description(multilabel_file.read_bytes(), change))
    assert json.dumps(values) in path.read_bytes().decode("ascii", "replace")
    with pytest.raises(ffnn.ModelFileError, match=r"m\.ffnn: estimator: .*multilabel"):
        ffnn.load(path)
