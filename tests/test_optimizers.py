"""Each update rule against its formula, on numbers worked by hand."""

import numpy as np
import pytest

from ffnn import optimizers

THETA = [1.0, -2.0]
G1 = [0.5, 0.25]
G2 = [1.0, -1.0]


def _run(rule, grads):
    theta = np.array(THETA)
    for g in grads:
        rule.update(theta, np.array(g))
    return theta


def test_gradient_descent():
    # θ − η g = (1, −2) − 0.1 (0.5, 0.25) = (0.95, −2.025)
    np.testing.assert_allclose(_run(optimizers.GradientDescent(0.1), [G1]), [0.95, -2.025])


def test_sgd_with_momentum():
    rule = optimizers.SGD(0.1, momentum=0.9, nesterov=False)
    # v1 = −η g1 = (−0.05, −0.025);  θ1 = θ0 + v1 = (0.95, −2.025)
    # v2 = 0.9 v1 − η g2 = (−0.145, 0.0775);  θ2 = θ1 + v2 = (0.805, −1.9475)
    np.testing.assert_allclose(_run(rule, [G1, G2]), [0.805, -1.9475])
    np.testing.assert_allclose(rule.velocity, [-0.145, 0.0775])


def test_sgd_with_nesterov_momentum():
    rule = optimizers.SGD(0.1, momentum=0.9, nesterov=True)
    # step 1: v1 = (−0.05, −0.025);  θ1 = θ0 + 0.9 v1 − η g1 = (0.905, −2.0475)
    # step 2: v2 = (−0.145, 0.0775); θ2 = θ1 + 0.9 v2 − η g2 = (0.905 − 0.2305, −2.0475 + 0.16975)
    np.testing.assert_allclose(_run(rule, [G1]), [0.905, -2.0475])
    np.testing.assert_allclose(_run(optimizers.SGD(0.1, 0.9, True), [G1, G2]), [0.6745, -1.87775])


def test_adam():
    rule = optimizers.Adam(0.1, beta_1=0.9, beta_2=0.999, epsilon=1e-8)
    # t = 1: m = 0.1 g1, v = 0.001 g1², η_1 = 0.1 √0.001 / 0.1; the step is η·sign(g) = 0.1
    # (up to ε):  θ1 = (0.9, −2.1)
    np.testing.assert_allclose(_run(rule, [G1]), [0.9, -2.1], rtol=1e-6)
    # t = 2: m = (0.145, −0.0775), v = (0.00124975, 0.0010624375),
    # η_2 = 0.1 √(1 − 0.999²) / (1 − 0.9²) = 0.0235316725; step = η_2 m / (√v + ε)
    #      = (0.0965181753, −0.0559503322);  θ2 = (0.8034818247, −2.0440496678), up to the
    # ε of step 1, which shortens it by 0.1 ε/√v1 ≈ 6e-8
    rule = optimizers.Adam(0.1, beta_1=0.9, beta_2=0.999, epsilon=1e-8)
    np.testing.assert_allclose(_run(rule, [G1, G2]), [0.8034818247, -2.0440496678], rtol=1e-7)
    assert rule.t == 2
    np.testing.assert_allclose(rule.m, [0.145, -0.0775])
    np.testing.assert_allclose(rule.v, [0.00124975, 0.0010624375])


@pytest.mark.parametrize("name", ["gd", "sgd", "adam"])
def test_float32_parameters_stay_float32(name):
    rule = optimizers.make(name, 0.01)
    theta = np.ones(4, dtype=np.float32)
    rule.update(theta, np.full(4, 0.5, dtype=np.float32))
    assert theta.dtype == np.float32 and np.all(theta < 1)


def test_learning_rate_can_change_between_updates():
    rule = optimizers.GradientDescent(0.1)
    theta = np.zeros(1)
    rule.update(theta, np.ones(1))
    rule.learning_rate = 0.01
    rule.update(theta, np.ones(1))
    np.testing.assert_allclose(theta, [-0.11])


def test_unknown_solver():
    with pytest.raises(ValueError, match="valid names are adam, gd, sgd"):
        optimizers.make("rmsprop", 0.1)


def test_make_passes_every_hyperparameter():
    gd = optimizers.make("gd", 0.3)
    assert type(gd) is optimizers.GradientDescent and gd.learning_rate == 0.3
    sgd = optimizers.make("sgd", 0.2, momentum=0.7, nesterovs_momentum=False)
    assert type(sgd) is optimizers.SGD and (sgd.learning_rate, sgd.momentum, sgd.nesterov) == (
        0.2, 0.7, False)
    assert optimizers.make("sgd", 0.2).nesterov is True and optimizers.make("sgd", 0.2).momentum \
        == 0.9
    adam = optimizers.make("adam", 0.1, beta_1=0.8, beta_2=0.99, epsilon=1e-3)
    assert type(adam) is optimizers.Adam
    assert (adam.learning_rate, adam.beta_1, adam.beta_2, adam.epsilon) == (0.1, 0.8, 0.99, 1e-3)
    made = optimizers.make("adam", 0.1)
    assert (made.beta_1, made.beta_2, made.epsilon) == (0.9, 0.999, 1e-8)
    sgd_default = optimizers.SGD(0.1)
    assert (sgd_default.momentum, sgd_default.nesterov) == (0.9, True)
    default = optimizers.Adam()
    assert (default.learning_rate, default.beta_1, default.beta_2, default.epsilon, default.t) == (
        0.001, 0.9, 0.999, 1e-8, 0)
    assert default.m is None and default.v is None
    assert set(optimizers.RULES) == {"sgd", "adam", "gd"}
    assert [optimizers.RULES[n].steps_bounded for n in ("gd", "sgd", "adam")] == [False, False,
                                                                                  True]


def test_adams_epsilon_enters_as_in_the_formula():
    """A large ε makes its place in θ ← θ − η_t m / (√v + ε) visible: one step from g = 0.5 with
    β₁ = 0.9, β₂ = 0.999: m = 0.05, v = 0.00025, η_1 = η √0.001 / 0.1."""
    rule = optimizers.Adam(0.1, beta_1=0.9, beta_2=0.999, epsilon=0.5)
    theta = np.zeros(1)
    rule.update(theta, np.array([0.5]))
    m, v, eta = 0.05, 0.00025, 0.1 * np.sqrt(0.001) / 0.1
    np.testing.assert_allclose(theta, [-eta * m / (np.sqrt(v) + 0.5)], rtol=1e-12)


@pytest.mark.parametrize("name", ["gd", "sgd", "adam"])
def test_the_scratch_vector_is_the_only_one_touched(name):
    """Training lends the rule a scratch vector; the rule writes there and in θ, nowhere else,
    and gives the same step with or without it."""
    rule, twin = optimizers.make(name, 0.1), optimizers.make(name, 0.1)
    theta, same = np.array([1.0, -2.0]), np.array([1.0, -2.0])
    g = np.array([0.5, 0.25])
    work = np.zeros(2)
    for _ in range(2):
        rule.update(theta, g.copy(), work)
        twin.update(same, g.copy())
    np.testing.assert_array_equal(theta, same)
    assert np.any(work != 0)  # it was used


@pytest.mark.parametrize("name", ["gd", "sgd", "nesterov", "adam"])
def test_the_compiled_engines_functional_steps_are_the_in_place_updates(name):
    """state / rates / step / set_state (what the compiled engine runs) take exactly the steps
    of `update`, and the state they carry goes back into the rule."""
    def rule():
        if name == "gd":
            return optimizers.GradientDescent(0.1)
        if name == "adam":
            return optimizers.Adam(0.01, 0.8, 0.99, 1e-6)
        return optimizers.SGD(0.1, momentum=0.7, nesterov=name == "nesterov")

    rng = np.random.default_rng(0)
    grads = rng.normal(size=(6, 5))
    in_place, functional = rule(), rule()
    theta = rng.normal(size=5)
    expected = theta.copy()
    for g in grads[:3]:
        in_place.update(expected, g)
    state = tuple(np.array(a) for a in functional.state(theta))
    assert all(not a.any() for a in state)  # a fresh rule starts from zero velocity / moments
    got = theta.copy()
    for g, rate in zip(grads[:3], functional.rates(3)):
        got, state = functional.step(got.copy(), g, tuple(a.copy() for a in state), rate)
    np.testing.assert_allclose(got, expected, rtol=1e-15)
    functional.set_state(state)  # then on with update, as after a compiled epoch
    assert all(np.array_equal(a, b) for a, b in zip(functional.state(got), state))
    for g in grads[3:]:
        in_place.update(expected, g)
        functional.update(got, g)
    np.testing.assert_allclose(got, expected, rtol=1e-15)
    assert [type(r) for r in functional.rates(2)] == [float, float]
