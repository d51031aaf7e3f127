"""Activations: values, derivatives against finite differences, ReLU's convention, sigmoid's range."""

import warnings

import numpy as np
import pytest

import ffnn
from ffnn import activations

ELEMENTWISE = ["relu", "sigmoid", "linear", "tanh", "leaky_relu", "exp"]


def test_values_match_definitions():
    H = np.array([[-2.0, -0.5, 0.0, 0.5, 2.0]])
    np.testing.assert_array_equal(activations.get("relu").value(H), [[0, 0, 0, 0.5, 2]])
    np.testing.assert_array_equal(activations.get("linear").value(H), H)
    np.testing.assert_allclose(activations.get("sigmoid").value(H), 1 / (1 + np.exp(-H)))
    np.testing.assert_allclose(activations.get("tanh").value(H), np.tanh(H))
    np.testing.assert_allclose(
        activations.get("leaky_relu").value(H), [[-0.02, -0.005, 0, 0.5, 2]]
    )
    S = activations.get("softmax").value(np.array([[1.0, 0.0], [2.0, 0.0], [3.0, 0.0]]))
    np.testing.assert_allclose(S[:, 0], np.exp([1, 2, 3]) / np.exp([1, 2, 3]).sum())
    np.testing.assert_allclose(S[:, 1], [1 / 3] * 3)


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_derivative_matches_central_differences(name):
    f = activations.get(name)
    rng = np.random.default_rng(0)
    H = rng.normal(size=(4, 6))
    H[np.abs(H) < 1e-3] = 0.5  # away from the kink of the ReLU family
    eps = 1e-6
    numeric = (f.value(H + eps) - f.value(H - eps)) / (2 * eps)
    np.testing.assert_allclose(f.derivative(H), numeric, rtol=1e-7, atol=1e-9)
    # Passing Z = f(H) must give the same derivative.
    np.testing.assert_allclose(f.derivative(H, f.value(H)), f.derivative(H))


def test_relu_derivative_at_zero_is_zero():
    assert activations.get("relu").derivative(np.zeros((1, 1)))[0, 0] == 0.0


def test_softmax_jacobian_matches_central_differences():
    f = activations.get("softmax")
    h = np.array([0.3, -1.2, 2.0])
    eps = 1e-6
    numeric = np.column_stack(
        [(f.value((h + eps * e)[:, None]) - f.value((h - eps * e)[:, None])).ravel() / (2 * eps)
         for e in np.eye(3)]
    )
    np.testing.assert_allclose(f.jacobian(h), numeric, atol=1e-9)


def test_softmax_has_no_elementwise_derivative():
    with pytest.raises(ValueError, match="cross-entropy"):
        activations.get("softmax").derivative(np.zeros((2, 1)))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sigmoid_never_overflows_or_warns(dtype):
    H = np.array([[-1e4, -1e3, -50.0, 0.0, 50.0, 1e3, 1e4]], dtype=dtype)
    f = activations.get("sigmoid")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="raise"):
            Z = f.value(H)
            dZ = f.derivative(H)
    assert Z.dtype == dtype and dZ.dtype == dtype
    assert np.all(np.isfinite(Z)) and np.all(np.isfinite(dZ))
    assert Z[0, 0] == 0 and Z[0, -1] == 1 and Z[0, 3] == 0.5


@pytest.mark.parametrize("name", ELEMENTWISE + ["softmax"])
def test_out_buffer_and_dtype_are_kept(name):
    f = activations.get(name)
    H = np.linspace(-1, 1, 12, dtype=np.float32).reshape(3, 4)
    out = np.empty_like(H)
    assert f.value(H, out=out) is out and out.dtype == np.float32


def test_objects_are_accepted_and_unknown_names_list_the_valid_ones():
    relu = activations.ReLU()
    assert activations.get(relu) is relu
    with pytest.raises(ValueError) as error:
        activations.get("swish")
    for name in ["relu", "sigmoid", "linear", "tanh", "leaky_relu", "softmax"]:
        assert name in str(error.value)


@pytest.mark.parametrize("name", ELEMENTWISE)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_buffers_given_are_the_buffers_written(name, dtype):
    """Training passes its buffers and allocates nothing: value, derivative and both at once
    write where they are told, also in place (Z may be H), and agree with each other."""
    f = activations.get(name)
    H = np.linspace(-2, 2, 12, dtype=dtype).reshape(3, 4)
    Z, dF = np.empty_like(H), np.empty_like(H)
    assert f.value(H, out=Z) is Z and Z.dtype == dtype
    assert f.derivative(H, Z, out=dF) is dF and dF.dtype == dtype
    expected_Z, expected_dF = Z.copy(), dF.copy()
    alone = f.derivative(H)  # without Z, from H alone, in a new array of H's dtype
    assert alone.dtype == dtype
    np.testing.assert_array_equal(alone, expected_dF)
    buffer = np.empty_like(H)
    assert f.derivative(H, out=buffer) is buffer
    np.testing.assert_array_equal(buffer, expected_dF)
    in_place, dF2 = H.copy(), np.empty_like(H)
    Z_both, dF_both = f.value_and_derivative(in_place, in_place, dF2)
    assert Z_both is in_place and dF_both is dF2
    np.testing.assert_array_equal(in_place, expected_Z)
    np.testing.assert_array_equal(dF2, expected_dF)
    value_only = H.copy()
    Z_only, no_derivative = f.value_and_derivative(value_only, value_only, derivative=False)
    assert Z_only is value_only and no_derivative is None
    np.testing.assert_array_equal(value_only, expected_Z)


def test_exact_values_at_the_edges():
    H = np.array([[-np.inf, -1e300, -0.0, 0.0, 1e-300, 1e300]])
    np.testing.assert_array_equal(activations.get("relu").value(H), [[0, 0, 0, 0, 1e-300, 1e300]])
    np.testing.assert_array_equal(activations.get("relu").derivative(H), [[0, 0, 0, 0, 1, 1]])
    np.testing.assert_array_equal(activations.get("linear").derivative(H), np.ones_like(H))
    leaky = activations.LeakyReLU(0.5)
    np.testing.assert_array_equal(leaky.value(H[:, 1:]), [[-5e299, -0.0, 0.0, 1e-300, 1e300]])
    np.testing.assert_array_equal(leaky.derivative(H), [[0.5, 0.5, 0.5, 0.5, 1, 1]])
    with np.errstate(all="raise"):  # exp overflows to inf quietly: training reports it
        np.testing.assert_array_equal(activations.get("exp").value(np.array([[1000.0]])),
                                      [[np.inf]])
    np.testing.assert_array_equal(activations.get("exp").derivative(np.array([[0.0, 1.0]])),
                                  [[1.0, np.e]])
    # Softmax subtracts each column's own maximum: columns far apart still come out right.
    S = activations.get("softmax").value(np.array([[1000.0, 0.0], [1001.0, 1.0]]))
    np.testing.assert_allclose(S, [[1 / (1 + np.e)] * 2, [np.e / (1 + np.e)] * 2])


def test_jacobians_are_the_chapters_matrices():
    h = np.array([-1.0, 0.5, 2.0])
    np.testing.assert_array_equal(activations.get("relu").jacobian(h), np.diag([0.0, 1.0, 1.0]))
    z = activations.get("softmax").value(h.reshape(-1, 1)).ravel()
    np.testing.assert_allclose(activations.get("softmax").jacobian(h),
                               np.diag(z) - np.outer(z, z), rtol=1e-15)


def test_equality_and_hashing_follow_the_definition():
    assert activations.ReLU() == activations.ReLU() and activations.ReLU() != activations.Tanh()
    assert activations.LeakyReLU(0.1) == activations.LeakyReLU(0.1)
    assert activations.LeakyReLU(0.1) != activations.LeakyReLU(0.2)
    assert activations.LeakyReLU(0.1) != activations.ReLU()
    assert len({activations.ReLU(), activations.ReLU(), activations.LeakyReLU(0.1),
                activations.LeakyReLU(0.1), activations.LeakyReLU(0.3)}) == 3
    assert hash(activations.ReLU()) == hash(activations.ReLU())
    assert hash(activations.ReLU()) != hash(activations.Tanh())
    assert hash(activations.LeakyReLU(0.1)) != hash(activations.LeakyReLU(0.3))
    assert repr(activations.Tanh()) == "Tanh()" and repr(activations.LeakyReLU(0.2)) == \
        "LeakyReLU(slope=0.2)"


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("slope", [0.01, 0.3, -0.5, 2.0, -1.138548746646266, 1.879621435201635,
                                   2.336927006094001, -0.6979346744286996])
def test_leaky_relu_is_exactly_h_and_slope_h_for_every_slope(slope, dtype):
    # f'(h) as out·(1 − slope) + slope is 1 where out = 1 only if (1 − slope) + slope rounds to
    # 1; for slopes outside [0, 1] it may not (slope −1.1385…: 1 − 2⁻⁵², so f(1) = 1 − 2⁻⁵²).
    H = np.array([[-3.0, -1.0, -0.0, 0.0, 1e-30, 1.0, 7.5, 1e30]], dtype)
    f = activations.LeakyReLU(slope)
    s = dtype(slope)
    expected_dF = np.where(H > 0, dtype(1), s)
    np.testing.assert_array_equal(f.derivative(H), expected_dF)
    np.testing.assert_array_equal(f.value(H), np.where(H > 0, H, s * H))
    Z, dF = f.value_and_derivative(H.copy(), np.empty_like(H), np.empty_like(H))
    np.testing.assert_array_equal(Z, np.where(H > 0, H, s * H))
    np.testing.assert_array_equal(dF, expected_dF)
    assert Z.dtype == dF.dtype == dtype


class _Softplus(activations.Activation):
    """An activation of one's own, written as the protocol reads: f'(h) from h."""

    name = "softplus"

    def value(self, H, out=None):
        return np.logaddexp(0, H, out=out)

    def derivative(self, H, Z=None, out=None):
        return np.divide(1, 1 + np.exp(-H), out=out)


def test_an_activation_of_ones_own_gets_its_derivative_at_h_in_training():
    """The batched pass writes Z over H: a derivative of h was given Z in its place, and the
    gradients were silently wrong. Only the built-ins that read f'(h) from z say so."""
    net = ffnn.Network([2, 3, 1], [_Softplus(), "linear"], "rss", random_state=0)
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(4, 2)), rng.normal(size=(4, 1))
    for (dW, dc), (rW, rc) in zip(net.gradients(X, Y), ffnn.reference.gradients(net, X, Y)):
        np.testing.assert_allclose(dW, rW, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(dc, rc, rtol=1e-12, atol=1e-14)
    assert [name for name in sorted(activations.ACTIVATIONS)
            if activations.ACTIVATIONS[name].derivative_from_output] == ["exp", "sigmoid", "tanh"]
