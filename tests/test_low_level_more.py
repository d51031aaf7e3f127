"""The low-level surface as a reader of the chapter uses it: the network's parameter vector, the
names of activations and losses, and the trainer's settings checked before any weight moves."""

import numpy as np
import pytest
import scipy.sparse as sp

import ffnn
from ffnn import activations, losses
from ffnn.exceptions import InvalidParameterError
from ffnn.training import Settings, Trainer


def _net(**kwargs):
    return ffnn.Network([2, 3, 1], ["relu", "linear"], "rss", random_state=0, **kwargs)


def test_assigning_params_writes_into_the_layers():
    net = _net()
    net.params = np.zeros_like(net.params)
    assert np.array_equal(net.forward(np.ones((2, 2))), np.zeros((2, 1)))
    assert np.shares_memory(net.params, net.layers[0].W)


def test_assigning_params_of_another_length_is_refused():
    net = _net()
    before = net.params.copy()
    with pytest.raises(ValueError, match=r"params must have shape \(13,\)"):
        net.params = np.zeros(12)
    assert np.array_equal(net.params, before)


@pytest.mark.parametrize("attribute, value, said", [
    ("W", np.full((3, 2), 1 + 2j), r"W must hold numbers, got an array of dtype complex128"),
    ("c", np.ma.masked_array([1.0, 2.0, 3.0], mask=[0, 1, 0]),
     r"c is a masked array with 1 masked value\(s\)"),
    ("c", np.array(["1", "2", "3"]), r"c must hold numbers, got an array of dtype <U1"),
    ("W", sp.csr_matrix(np.ones((3, 2))), r"W is a sparse matrix"),
])
def test_parameters_that_are_not_plain_numbers_are_refused_not_cast(attribute, value, said):
    """A complex W lost its imaginary part, a masked c the mask over its entries (the number
    under it used), and a c of strings was parsed as numbers, each without a word."""
    net = _net()
    before = net.params.copy()
    with pytest.raises(ValueError, match=said):
        setattr(net.layers[0], attribute, value)
    with pytest.raises(ValueError, match="params must hold numbers, got an array of dtype "
                                         "complex128"):
        net.params = net.params + 1j
    assert np.array_equal(net.params, before)


def test_assigning_grad_keeps_the_layers_views():
    net = _net()
    net.grad = np.zeros_like(net.grad)
    net.gradients(np.ones((2, 2)), np.ones(2))
    assert np.array_equal(net.grad[:6].reshape(2, 3).T, net.layers[0].dW)
    assert net.grad.any()


@pytest.mark.parametrize("get, given, said", [
    (activations.get, activations.ReLU, r"pass an instance, ReLU\(\)"),
    (losses.get, losses.RSS, r"pass an instance, RSS\(\)"),
])
def test_a_class_given_for_an_instance_is_named(get, given, said):
    with pytest.raises(ValueError, match=said):
        get(given)


_X = np.random.default_rng(0).normal(size=(20, 2))
_Y = _X @ np.array([[1.0], [-2.0]])


# each setting's range as the refusal says it: "[" and "]" include a bound, "(" and ")" leave it out
RANGES = {"alpha": "a number in [0, inf)", "learning_rate_init": "a number in (0, inf)",
          "power_t": "a number in [0, inf)", "max_iter": "an int in [1, inf]",
          "tol": "a number in [0, inf)", "momentum": "a number in [0, 1]",
          "beta_1": "a number in [0, 1)", "beta_2": "a number in [0, 1)",
          "epsilon": "a number in (0, inf)", "n_iter_no_change": "an int in [1, inf]",
          "max_fun": "an int in [1, inf]", "batch_size": "an int in [1, inf]",
          "shuffle": "True or False", "nesterovs_momentum": "True or False",
          "solver": "one of sgd, adam, gd, lbfgs"}


@pytest.mark.parametrize("name, value", [
    ("alpha", -1.0), ("alpha", float("nan")), ("alpha", float("inf")), ("learning_rate_init", 0.0),
    ("learning_rate_init", -0.1), ("learning_rate_init", float("inf")), ("power_t", -1.0),
    ("power_t", float("inf")), ("max_iter", 0), ("max_iter", 2.5), ("tol", -1.0),
    ("tol", float("inf")), ("momentum", 1.5), ("momentum", -0.5), ("beta_1", 1.0),
    ("beta_2", -0.1), ("beta_2", 1.0), ("epsilon", 0.0), ("epsilon", float("inf")),
    ("n_iter_no_change", 0), ("n_iter_no_change", 1.5), ("max_fun", 0), ("max_fun", 1.5),
    ("batch_size", 0), ("batch_size", 2.5), ("batch_size", "big"), ("batch_size", True),
    ("max_iter", True), ("shuffle", "no"), ("nesterovs_momentum", 1), ("solver", "newton"),
])
def test_a_setting_out_of_range_is_refused_before_any_weight_moves(name, value):
    net = _net()
    before = net.params.copy()
    trainer = Trainer(net, Settings(**{name: value}), np.random.default_rng(0))
    with pytest.raises(InvalidParameterError) as refused:
        trainer.run(_X, _Y)
    assert str(refused.value) == f"{name} must be {RANGES[name]}, got {value!r}"
    assert np.array_equal(net.params, before)
    assert trainer.history.loss_curve == []


@pytest.mark.parametrize("name, value", [
    ("n_iter_no_change", np.inf), ("n_iter_no_change", 1), ("batch_size", np.int64(5)),
    ("batch_size", 1), ("max_iter", np.int32(1)), ("max_fun", 1), ("momentum", 1),
    ("momentum", 0), ("beta_1", 0), ("beta_2", 0), ("tol", 0), ("alpha", 0), ("power_t", 0),
    ("learning_rate_init", 1e-300), ("epsilon", 1e-300), ("shuffle", np.True_),
])
def test_settings_on_the_edges_of_their_ranges_train(name, value):
    net = _net()
    Trainer(net, Settings(**{"max_iter": 2, name: value}), np.random.default_rng(0)).run(_X, _Y)
    assert np.isfinite(net.params).all()


def _bad_rows():
    nan_X = _X.copy()
    nan_X[3, 1] = np.nan
    return [
        (_X, _Y[:15], None, r"^Y must have shape \(20, 1\), a row per row of X; got \(15, 1\)$"),
        (_X, np.ones((20, 2)), None, r"^Y must have shape \(20, 1\)"),
        (_X[:, :1], _Y, None, r"^X must have shape \(n_samples, 2\) for this network; got \(20, 1\)$"),
        (_X, _Y, np.ones(15), r"^the sample weights must have shape \(20,\), one per row of X; "
                              r"got \(15,\)$"),
        (nan_X, _Y, None, "^X contains NaN or infinity; remove or impute those rows$"),
        (sp.csr_matrix(nan_X), _Y, None, "^X contains NaN"),
        (_X, np.where(_Y > 0, np.inf, _Y), None, "^Y contains NaN"),
        (_X, _Y, np.full(20, np.nan), "^the sample weights contain NaN"),
        (_X, _Y, -np.ones(20), "^the sample weights must be >= 0; drop the rows of negative weight$"),
        (_X, _Y, np.zeros(20), "^the sample weights sum to 0, so that no row counts; give some "
                               "rows a positive weight$"),
        # a masked value was read as the number under its mask, a complex weight as its real
        # part (NumPy's ComplexWarning the only word), text and objects failed inside NumPy
        (_masked(_X, 3, 1e6), _Y, None, r"^X is a masked array with 1 masked value\(s\) in 1 "
                                        r"row\(s\) \(first: row 3\); fill them \(X.filled\(v\)\)"),
        (_X, _masked(_Y, 3, 1e6), None, r"^Y is a masked array with 1 masked value\(s\)"),
        (_X, _Y, _masked(np.ones(20), 3, 1e6), r"^weights is a masked array with 1 masked"),
        (_X, _Y, np.ones(20) + 0j, "^weights must hold numbers, got an array of dtype complex128"),
        (_X, _Y.astype(str), None, "^Y must hold numbers, got an array of dtype <U"),
        (_X.astype(object), _Y, None, "^X must hold numbers, got an array of dtype object"),
    ]


def _masked(A, row, hidden):
    """A with the first value of `row` masked, and `hidden` under the mask."""
    A = np.ma.masked_array(A.copy(), mask=np.zeros(A.shape, bool))
    A.data.flat[row * (A.size // len(A))] = hidden
    A.mask.flat[row * (A.size // len(A))] = True
    return A


@pytest.mark.parametrize("solver", ["adam", "lbfgs"])
@pytest.mark.parametrize("case", range(len(_bad_rows())))
def test_training_rows_out_of_step_or_not_finite_are_refused(solver, case):
    X, Y, weights, said = _bad_rows()[case]
    net = _net()
    before = net.params.copy()
    trainer = Trainer(net, Settings(solver=solver, max_iter=2), np.random.default_rng(0))
    with pytest.raises(ValueError, match=said):
        trainer.run(X, Y, weights)
    assert np.array_equal(net.params, before)


def test_sample_weights_summing_to_less_than_one_train():
    net = _net()
    Trainer(net, Settings(max_iter=2), np.random.default_rng(0)).run(_X, _Y, np.full(20, 0.01))
    assert not np.array_equal(net.params, _net().params)


def test_a_one_dimensional_target_trains_as_its_column():
    one, two = _net(), _net()
    for net, Y in ((one, _Y.ravel()), (two, _Y)):
        Trainer(net, Settings(max_iter=3), np.random.default_rng(0)).run(_X, Y)
    assert np.array_equal(one.params, two.params)


def test_a_built_in_loss_with_an_attribute_changed_is_not_saved_as_the_built_in(tmp_path):
    net = _net()
    net.loss_function.factor = 3.0  # no longer the RSS that loading would rebuild
    with pytest.raises(ValueError, match=r"cannot save the custom loss .*pickle keeps"):
        ffnn.save(net, tmp_path / "m.ffnn")
    assert not (tmp_path / "m.ffnn").exists()


class _HardSigmoid(activations.Sigmoid):
    """Another function under the sigmoid's name: clip(h/5 + 1/2, 0.01, 0.99)."""

    derivative_from_output = False

    def value(self, H, out=None):
        return np.clip(H / 5 + 0.5, 0.01, 0.99)

    def derivative(self, H, Z=None, out=None):
        return np.where(np.abs(H / 5) < 0.49, 0.2, 0.0)


class _NamedSigmoid(activations.Sigmoid):
    """The sigmoid itself, under a class of one's own."""


def test_an_output_named_sigmoid_that_is_another_function_gets_its_own_gradient():
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(5, 2)), rng.integers(0, 2, (5, 1)).astype(float)
    net = ffnn.Network([2, 3, 1], ["tanh", _HardSigmoid()], "log_loss", random_state=0)
    for (dW, dc), (rW, rc) in zip(net.gradients(X, Y), ffnn.reference.gradients(net, X, Y)):
        assert np.allclose(dW, rW) and np.allclose(dc, rc)
    assert not net.fused_output()
    assert ffnn.Network([2, 3, 1], ["tanh", _NamedSigmoid()], "log_loss").fused_output()


class _Doubled(activations.Linear):
    """A subclass of the linear activation with another formula: f(h) = 2h."""

    def value(self, H, out=None):
        return 2 * H

    def derivative(self, H, Z=None, out=None):
        return np.full_like(H, 2.0)


class _Cubed(activations.Activation):
    """An activation of one's own that calls itself "linear": f(h) = h³."""

    name = "linear"

    def value(self, H, out=None):
        return H**3

    def derivative(self, H, Z=None, out=None):
        return 3 * H**2


@pytest.mark.parametrize("hidden", [_Doubled(), _Cubed()])
def test_an_activation_named_linear_with_another_derivative_is_multiplied_by_it(hidden):
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(5, 2)), rng.normal(size=(5, 1))
    net = ffnn.Network([2, 3, 1], [hidden, "linear"], "rss", random_state=0)
    for (dW, dc), (rW, rc) in zip(net.gradients(X, Y), ffnn.reference.gradients(net, X, Y)):
        assert np.allclose(dW, rW) and np.allclose(dc, rc)
    assert net.derivatives_kept() == [True, False]


def test_a_copy_owns_its_activations_and_loss():
    net = ffnn.Network([2, 3, 1], ["leaky_relu", "linear"], "rss", random_state=0)
    X = -5 * np.ones((1, 2))
    before = net.forward(X)
    twin = net.copy()
    twin.activations[0].slope = 0.5
    twin.loss_function.factor = 3.0
    assert np.array_equal(net.forward(X), before)
    assert net.layers[0].activation.slope == 0.01 and "factor" not in vars(net.loss_function)
    assert np.array_equal(twin.params, net.params) and not np.shares_memory(twin.params, net.params)


def test_the_activations_are_fixed_when_the_network_is_built():
    net = ffnn.Network([2, 3, 1], ["linear", "linear"], "rss", random_state=0)
    with pytest.raises(AttributeError, match="fixed when the network is built"):
        net.layers[0].activation = activations.Tanh()
    with pytest.raises(AttributeError, match="fixed when the network is built"):
        net.activations = [activations.Tanh(), activations.Linear()]
    with pytest.raises(TypeError):
        net.activations[0] = activations.Tanh()
    assert [layer.activation.name for layer in net.layers] == ["linear", "linear"]
    assert net.activations == (net.layers[0].activation, net.layers[1].activation)


class _NoDerivative(activations.Activation):
    name = "no_derivative"

    def value(self, H, out=None):
        return H


class _NoGradient(losses.Loss):
    name = "no_gradient"

    def pointwise(self, Y, Yhat, out=None, scratch=None):
        return (Yhat - Y) ** 2


def test_a_subclass_missing_a_method_is_told_which_and_what_it_computes():
    X, Y = np.ones((2, 2)), np.ones((2, 1))
    net = ffnn.Network([2, 3, 1], [_NoDerivative(), "linear"], "rss")
    with pytest.raises(NotImplementedError, match=r"_NoDerivative must define derivative\(H"):
        net.gradients(X, Y)
    net = ffnn.Network([2, 3, 1], ["relu", "linear"], _NoGradient())
    with pytest.raises(NotImplementedError, match=r"_NoGradient must define gradient\(Y, Yhat"):
        net.gradients(X, Y)


def test_a_subclass_missing_its_formula_is_told_which_method_to_define():
    class NoValue(activations.Activation):
        pass

    class NoPointwise(losses.Loss):
        pass

    H = np.ones((2, 3))
    with pytest.raises(NotImplementedError) as missing:
        NoValue().value(H)
    assert str(missing.value) == ("NoValue must define value(H, out=None) (see the base "
                                  "class's docstring)")
    with pytest.raises(NotImplementedError) as missing:
        NoPointwise().pointwise(H, H)
    assert str(missing.value) == ("NoPointwise must define pointwise(Y, Yhat, out=None, "
                                  "scratch=None) (see the base class's docstring)")


@pytest.mark.parametrize("bad, said", [
    (dict(report_every=0), r"report_every must be an int >= 1, got 0"),
    (dict(steps=-1), r"steps must be an int >= 0, got -1"),
    (dict(learning_rate=-0.1), r"learning_rate must be a number > 0, got -0.1"),
    (dict(learning_rate=float("nan")), r"learning_rate must be a number > 0, got nan"),
])
def test_the_chapter_s_fit_refuses_settings_that_cannot_fit(bad, said):
    from ffnn.chapter import abs_data, fit_abs

    x, y = abs_data(10)
    with pytest.raises(ValueError, match=said):
        fit_abs(x, y, **{"steps": 3, **bad})


def test_help_on_the_network_class_reads_its_attributes():
    """help(Network) reads params, grad and activations on the class itself, where they are
    the descriptors that say what assigning them does."""
    import pydoc

    text = pydoc.render_doc(ffnn.Network)
    assert "params" in text and "activations" in text
    assert isinstance(ffnn.Network.activations, type(vars(ffnn.Network)["activations"]))
    assert ffnn.Network.params is vars(ffnn.Network)["params"]


@pytest.mark.parametrize("seed", [-1, 1.5, "a", [1, -2]])
def test_a_seed_numpy_cannot_use_is_refused_with_what_it_may_be(seed):
    with pytest.raises(ValueError, match=r"^random_state must be None, a non-negative integer"):
        ffnn.Network([2, 3, 1], ["relu", "linear"], "rss", random_state=seed)


@pytest.mark.parametrize("seed", [None, 0, 2**70, np.int64(3), np.random.default_rng(1)])
def test_the_seeds_numpy_takes_draw_weights(seed):
    net = ffnn.Network([2, 3, 1], ["relu", "linear"], "rss", random_state=seed)
    assert np.isfinite(net.params).all() and np.any(net.params != 0)


def test_assigned_parameters_too_large_for_the_network_are_refused_not_made_infinite():
    """1e39 assigned to a float32 network's W became inf without a word; NaN or inf assigned as
    such is the user's own, and kept."""
    net = ffnn.Network([2, 3, 1], ["relu", "linear"], "squared_error", dtype=np.float32)
    with pytest.raises(ValueError, match=r"W holds 2 numbers too large for float32 \(beyond "
                                         r"±3\.403e\+38\); scale them, or use a float64 network"):
        net.layers[0].W = [[1e39, 0.0], [0.0, -1e39], [0.0, 0.0]]
    assert np.all(net.layers[0].W != np.inf)
    with pytest.raises(ValueError, match="params holds 1 number too large for float32"):
        net.params = np.r_[1e39, np.zeros(net.params.size - 1)]
    net.layers[1].c = [np.inf]
    assert net.layers[1].c[0] == np.inf


def test_a_weight_gradient_that_overflows_beside_a_finite_bias_gradient_is_refused():
    """ŷ = 1e-308 · x + 0 with x = 1.7e308 is 1.7, but ∂L/∂W = (ŷ − y) x overflows while ∂L/∂c
    = ŷ − y stays finite: the gradients are refused, not returned with an infinity in them."""
    net = ffnn.Network([1, 1], ["linear"], "squared_error")
    net.layers[0].W, net.layers[0].c = [[1e-308]], [0.0]
    with pytest.raises(ValueError, match="gradient"):
        net.gradients(np.array([[1.7e308]]), np.array([[0.0]]))


@pytest.mark.skipif(np.finfo(np.longdouble).max <= np.finfo(np.float64).max,
                    reason="long double is float64 here")
def test_a_float64_network_refusing_a_long_double_does_not_advise_a_float64_network():
    net = ffnn.Network([1, 1], ["linear"], "squared_error")
    with pytest.raises(ValueError, match=r"c holds 1 number too large for float64 "
                                         r"\(beyond ±1\.798e\+308\); scale them$"):
        net.layers[0].c = np.array(["1e400"]).astype(np.longdouble)
