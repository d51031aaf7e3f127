"""The core's checks (checks, and the name registries of activations, losses and update rules):
what they accept, and the exact words of every refusal, which are the library's interface with a
person who got something wrong."""

import re
import warnings

import numpy as np
import pytest

import ffnn
from ffnn import activations, checks, losses
from ffnn.training import optimizers

MESSAGES = [
    (lambda: checks.check_X([[1.0, 2.0], [3.0]], 2, np.float64),
     "X could not be read as a numeric array: setting an array element with a sequence. The "
     "requested array has an inhomogeneous shape after 1 dimensions. The detected shape was "
     "(2,) + inhomogeneous part."),
    (lambda: checks.check_X([["a", "b"]], 2, np.float64),
     "X must hold numbers, got an array of dtype <U1; convert or encode it first"),
    (lambda: checks.check_X([1.0, 2.0], 2, np.float64),
     "X must be 2-D, (n_samples, 2); got shape (2,). Reshape a single feature with "
     "X.reshape(-1, 1), a single sample with X.reshape(1, -1)"),
    (lambda: checks.check_X(np.ones((3, 4)), 2, np.float64),
     "X has 4 features per sample, but the network expects 2"),
    (lambda: checks.check_X(np.ones((0, 2)), 2, np.float64),
     "X has no samples (0 rows); at least one is required"),
    (lambda: checks.check_X([[1.0, 2.0], [np.nan, 1.0], [np.inf, np.nan], [1.0, -np.inf]], 2,
                            np.float64),
     "X contains NaN and infinity in 3 row(s) (first: row 1); remove or impute them"),
    (lambda: checks.check_X([[1.0, np.inf], [2.0, 1.0]], 2, np.float64),
     "X contains infinity in 1 row(s) (first: row 0); remove or impute them"),
    (lambda: checks.check_X([[1.0, 2.0], [3.0, 1.0], [1.0, np.nan]], 2, np.float64),
     "X contains NaN in 1 row(s) (first: row 2); remove or impute them"),
    # numbers that are finite as given but beyond a float32 network's range are not "infinity"
    (lambda: checks.check_X([[1.0, 2.0], [1e39, -1e39]], 2, np.float32),
     "X holds numbers too large for float32 (beyond ±3.403e+38) in 1 row(s) (first: row 1); "
     "scale them, or use a float64 network"),
    (lambda: checks.check_Y([1.0, 4e38], 2, 1, np.float32),
     "Y holds numbers too large for float32 (beyond ±3.403e+38) in 1 row(s) (first: row 1); "
     "scale them, or use a float64 network"),
    # (a vector of targets, each row's number told apart from the other rows')
    (lambda: checks.check_Y([np.inf, 4e38], 2, 1, np.float32),
     "Y holds numbers too large for float32 (beyond ±3.403e+38) in 1 row(s) (first: row 1); "
     "scale them, or use a float64 network"),
    (lambda: checks.check_Y(np.ones((3, 2)), 3, 1, np.float64),
     "Y must have shape (3, 1), one column per output; got (3, 2)"),
    (lambda: checks.check_Y(np.ones(3), 3, 2, np.float64),
     "Y must have shape (3, 2), one column per output; got (3,)"),
    (lambda: checks.check_Y(np.ones((4, 1)), 3, 1, np.float64),
     "X has 3 samples but Y has 4; they must match row for row"),
    (lambda: checks.check_Y([[1.0], [np.nan]], 2, 1, np.float64),
     "Y contains NaN in 1 row(s) (first: row 1); remove or impute them"),
    (lambda: checks.check_Y([["x"]], 1, 1, np.float64),
     "Y must hold numbers, got an array of dtype <U1; convert or encode it first"),
    (lambda: checks.check_layer_sizes([4, "eight", 1]),
     "layer_sizes must be a list of positive integers such as [4, 8, 1], got [4, 'eight', 1]"),
    (lambda: checks.check_layer_sizes(7),
     "layer_sizes must be a list of positive integers such as [4, 8, 1], got 7"),
    (lambda: checks.check_layer_sizes([4]),
     "layer_sizes must list at least the input and output sizes as positive integers (e.g. "
     "[D_x, 8, D_y]), got [4]"),
    (lambda: checks.check_layer_sizes([4, float("inf"), 1]),
     "layer_sizes must be a list of positive integers such as [4, 8, 1], got [4, inf, 1]"),
    # a set has no order: {8, 1, 4} would have been read as [8, 1, 4], or [1, 4, 8]
    (lambda: checks.check_layer_sizes({1, 4}),
     "layer_sizes must be a list of positive integers such as [4, 8, 1], got {1, 4}"),
    # True is 1 to int(): a flag where a size belongs is a mistake, not a layer of one neuron
    (lambda: checks.check_layer_sizes([2, True, 1]),
     "layer_sizes must be a list of positive integers such as [4, 8, 1], got [2, True, 1]"),
    (lambda: checks.check_layer_sizes([2, np.True_, 1]),
     f"layer_sizes must be a list of positive integers such as [4, 8, 1], got {[2, np.True_, 1]}"),
    (lambda: checks.check_layer_sizes([4, 2.5, 1]),
     "layer_sizes must list at least the input and output sizes as positive integers (e.g. "
     "[D_x, 8, D_y]), got [4, 2.5, 1]"),
    (lambda: checks.check_layer_sizes([4, 0, 1]),
     "layer_sizes must list at least the input and output sizes as positive integers (e.g. "
     "[D_x, 8, D_y]), got [4, 0, 1]"),
    (lambda: checks.check_activations("relu", 3),
     "activations must be a list with one entry per layer after the input (3), e.g. ['relu', "
     "'relu', 'linear']; got the single value 'relu'"),
    (lambda: checks.check_activations(activations.ReLU(), 2),
     "activations must be a list with one entry per layer after the input (2), e.g. ['relu', "
     "'linear']; got the single value ReLU()"),
    (lambda: checks.check_activations(["relu", "linear"], 3),
     "got 2 activations for 3 layers: give one activation per layer after the input (hidden "
     "layers and the output layer)"),
    (lambda: checks.check_activations(["relu", "softmax", "linear"], 3),
     "softmax is only allowed in the output layer, but layer 2 is hidden; use one of relu, "
     "sigmoid, linear, tanh, leaky_relu there"),
    (lambda: checks.check_output(activations.Linear(), losses.LogLoss(), 1),
     "the log_loss loss needs a sigmoid output layer, but the last activation is linear; change "
     "the last activation to 'sigmoid' or choose another loss"),
    (lambda: checks.check_output(activations.Softmax(), losses.RSS(), 3),
     "a softmax output layer needs the cross_entropy loss (got rss); change the loss or the "
     "output activation"),
    (lambda: checks.check_output(activations.Softmax(), losses.CrossEntropy(), 1),
     "a softmax output layer needs at least 2 neurons (one per class); for two classes either "
     "use 2 softmax outputs or 1 sigmoid output with log_loss"),
    (lambda: checks.check_X(__import__("scipy.sparse").sparse.eye(3, format="csr"), 3,
                            np.float64),
     "X is a sparse matrix, and the network's passes take dense arrays: give X.toarray() (the "
     "estimators take sparse X as it is)"),
    (lambda: checks.check_dtype("float16"), "dtype must be 'float32' or 'float64', got 'float16'"),
    (lambda: checks.check_dtype("bogus"), "dtype must be 'float32' or 'float64', got 'bogus'"),
    (lambda: activations.get("swish"),
     "unknown activation 'swish'; valid names are exp, leaky_relu, linear, relu, sigmoid, "
     "softmax, tanh (and scikit-learn's identity, logistic)"),
    (lambda: activations.get(3),
     "unknown activation 3; valid names are exp, leaky_relu, linear, relu, sigmoid, softmax, "
     "tanh (and scikit-learn's identity, logistic)"),
    (lambda: activations.LeakyReLU(float("nan")),
     "the leaky ReLU's slope must be a finite number, got nan"),
    (lambda: activations.Softmax().derivative(np.zeros((2, 1))),
     "softmax has no elementwise derivative; its Jacobian is diag(z) - z z^T (see "
     "Softmax.jacobian), and networks use it only together with cross-entropy"),
    (lambda: losses.get("hinge"),
     "unknown loss 'hinge'; valid names are cross_entropy, log_loss, poisson, rss, "
     "squared_error"),
    (lambda: optimizers.make("lbfgs", 0.1),
     "unknown solver 'lbfgs'; valid names are adam, gd, sgd (and lbfgs, which is not an update "
     "rule)"),
    (lambda: ffnn.Network([2, 3], ["relu"], "rss").initialize(0, "xavier"),
     "unknown initialisation 'xavier'; valid names are he, glorot"),
]


@pytest.mark.parametrize("call, message", MESSAGES, ids=[m[:40] for _, m in MESSAGES])
def test_refusals_say_what_is_wrong(call, message):
    with pytest.raises(ValueError) as error:
        call()
    assert str(error.value) == message


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_accepted_inputs_come_back_as_float_arrays_of_the_dtype_asked(dtype):
    X = checks.check_X([[1, 2], [3, 4]], 2, dtype)
    assert X.dtype == dtype and X.shape == (2, 2) and X[1, 0] == 3
    assert checks.check_X(np.array([[True, False]]), 2, dtype).dtype == dtype
    Y = checks.check_Y([1, 2], 2, 1, dtype)
    assert Y.dtype == dtype and Y.shape == (2, 1)
    assert checks.check_Y([[1, 2]], 1, 2, dtype).shape == (1, 2)
    assert checks.check_dtype(dtype) == np.dtype(dtype)
    assert checks.check_dtype(np.dtype(dtype).name) == np.dtype(dtype)


def test_architecture_checks_accept_what_they_should():
    assert checks.check_layer_sizes([3, 4.0, np.int64(2)]) == [3, 4, 2]
    assert checks.check_layer_sizes((1, 1)) == [1, 1]
    acts = checks.check_activations(["relu", activations.Sigmoid(), "logistic"], 3)
    assert [f.name for f in acts] == ["relu", "sigmoid", "sigmoid"]
    assert checks.check_activations(["exp", "softmax"], 2)[0].name == "exp"
    checks.check_output(activations.Softmax(), losses.CrossEntropy(), 2)
    checks.check_output(activations.Sigmoid(), losses.RSS(), 1)
    checks.check_output(activations.Linear(), losses.SquaredError(), 5)


def test_numbers_too_large_for_float32_are_refused_without_numpys_overflow_warning():
    """The cast to float32 that finds them would warn of an overflow first: the refusal is
    the one thing said."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match="too large for float32"):
            checks.check_X([[1.0, 2.0], [1e39, -1e39]], 2, np.float32)


def test_numbers_too_large_for_float64_are_not_told_to_use_a_float64_network():
    """A long double beyond float64's range was refused with the advice to use the float64
    network that refused it."""
    big = np.array([[np.longdouble("1e400"), 1.0]])
    if not np.isfinite(big).all():
        pytest.skip("long double is float64 on this platform")
    with pytest.raises(ValueError) as refused:
        checks.check_X(big, 2, np.float64)
    assert str(refused.value).endswith("too large for float64 (beyond ±1.798e+308) in 1 row(s) "
                                       "(first: row 0); scale them")


def test_as_numbers_says_how_to_mend_masked_and_ragged_input():
    """A masked value is named with what to do about it; ragged nested lists, which np.asarray
    refuses, are said not to be a numeric array, with NumPy's reason."""
    masked = np.ma.masked_array([[1.0, 2.0], [3.0, 4.0]], mask=[[False, False], [False, True]])
    with pytest.raises(ValueError, match=re.escape(
            "X is a masked array with 1 masked value(s) in 1 row(s) (first: row 1); fill them "
            "(X.filled(v)) or drop those rows")):
        checks.as_numbers(masked, "X")
    with pytest.raises(ValueError, match=r"^X could not be read as a numeric array: .*inhomogeneous"):
        checks.as_numbers([[1.0, 2.0], [3.0]], "X")
    assert checks.as_numbers(np.ma.masked_array([1.0, 2.0]), "X").tolist() == [1.0, 2.0]


def test_numbers_beyond_float32_are_refused_in_words_not_warned_of_by_numpy():
    """The cast to float32 that makes them infinite is NumPy's overflow, which it warns of (an
    error where warnings are): the check refuses them in its own words alone."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match="X holds numbers too large for float32"):
            checks.check_X(np.array([[1e39]]), 1, np.float32)
