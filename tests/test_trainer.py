"""The epoch loop (training.trainer): what a run computes and records, scikit-learn's rules for
stopping and for the learning-rate schedules, divergence, interruption, and the L-BFGS path."""

import warnings

import numpy as np
import pytest

import ffnn
from ffnn.exceptions import InvalidParameterError
from ffnn.training import (
    DIVERGENCE_FACTOR,
    Objective,
    Settings,
    Trainer,
    Validation,
    mean_loss,
    optimizers,
    suggested_learning_rate,
)
from ffnn.training.epochs import HostEpochs


def _problem(seed=0, N=30, D_x=3, D_y=2, scale=1.0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(N, D_x))
    Y = np.column_stack([np.sin(X[:, 0]), X[:, 1] * X[:, 2]])[:, :D_y] * scale
    net = ffnn.Network([D_x, 5, D_y], ["tanh", "linear"], "squared_error", random_state=seed)
    return rng, X, Y, net


def _trainer(net, seed=1, **settings):
    return Trainer(net, Settings(**settings), np.random.default_rng(seed))


def _validation(X, Y, early_stopping=True, weights=None):
    def score(net):  # negative mean squared error: higher is better
        return -float(np.mean((net.predict_rows(X) - Y) ** 2))
    return Validation(X, Y, weights, score, early_stopping)


def _recorder():
    seen = []

    def callback(info):
        seen.append(info)
    return seen, callback


# -- what a run computes and records ---------------------------------------------------------


def test_full_batch_gd_takes_the_steps_of_the_formula():
    """gd: θ ← θ − η ∇J(θ) once per epoch, J over all rows; the recorded loss is J before the step."""
    _, X, Y, net = _problem()
    twin = net.copy()
    result = _trainer(net, solver="gd", learning_rate_init=0.3, alpha=0.2, max_iter=4,
                      n_iter_no_change=100).run(X, Y)
    objective = Objective(twin, 0.2, len(X))
    curve = []
    for _ in range(4):
        J, grad = objective(X, Y)
        curve.append(J)
        twin.params -= 0.3 * grad
    np.testing.assert_allclose(net.params, twin.params, rtol=1e-12)
    trainer_curve = _trainer(net.copy(), solver="gd", learning_rate_init=0.3, alpha=0.2,
                             max_iter=4).run(X, Y)
    assert trainer_curve.stopped == "max_iter"
    assert result.stopped == "max_iter" and result.epoch == 4 and result.message is None


def test_history_counts_epochs_samples_and_the_best_loss():
    _, X, Y, net = _problem()
    trainer = _trainer(net, solver="sgd", learning_rate_init=0.05, batch_size=7, max_iter=5,
                       n_iter_no_change=100)
    seen, callback = _recorder()
    trainer.run(X, Y, callback=callback)
    h = trainer.history
    assert h.n_iter == 5 and h.t == 150 and len(h.loss_curve) == 5
    assert [info.epoch for info in seen] == [1, 2, 3, 4, 5]
    assert [info.samples_seen for info in seen] == [30, 60, 90, 120, 150]
    assert [info.loss for info in seen] == h.loss_curve and trainer.loss == h.loss_curve[-1]
    assert all(info.learning_rate == 0.05 and 0 < info.seconds < 60 for info in seen)
    assert all(info.validation_score is None and info.note is None for info in seen)
    assert h.best_loss == min(h.loss_curve)
    trainer.run(X, Y)  # a second run adds to the history, and counts its own epochs
    assert h.n_iter == 5 and h.t == 300 and len(h.loss_curve) == 10


def test_sample_weights_count_as_repeated_rows():
    rng, X, Y, net = _problem(N=12)
    counts = rng.integers(1, 4, size=12)
    repeated = net.copy()
    _trainer(net, solver="gd", learning_rate_init=0.2, alpha=0.3, max_iter=3).run(
        X, Y, counts.astype(float))
    _trainer(repeated, solver="gd", learning_rate_init=0.2, alpha=0.3, max_iter=3).run(
        np.repeat(X, counts, axis=0), np.repeat(Y, counts, axis=0))
    np.testing.assert_allclose(net.params, repeated.params, rtol=1e-10)


@pytest.mark.parametrize("solver, batch_size, n, expected", [
    ("gd", 5, 30, 30), ("sgd", "auto", 30, 30), ("adam", "auto", 500, 200), ("sgd", 7, 30, 7),
    ("adam", 100, 30, 30), ("sgd", 1, 30, 1), ("sgd", 0, 30, 1),
])
def test_batch_size(solver, batch_size, n, expected):
    trainer = _trainer(None, solver=solver, batch_size=batch_size)
    assert trainer.batch_size(n) == expected


def test_gd_never_shuffles_and_sgd_shuffles_only_if_asked():
    """With shuffle=False the batches are the rows in order, so a full-batch sgd run without
    momentum is gd's; shuffled, the batches differ and so do the weights."""
    _, X, Y, net = _problem()
    results = {}
    for name, settings in {"gd": dict(solver="gd", shuffle=True),
                           "in order": dict(solver="sgd", momentum=0.0, shuffle=False,
                                            batch_size=30),
                           "gd unshuffled": dict(solver="gd", shuffle=False)}.items():
        twin = net.copy()
        _trainer(twin, learning_rate_init=0.1, max_iter=3, **settings).run(X, Y)
        results[name] = twin.params
    np.testing.assert_array_equal(results["gd"], results["gd unshuffled"])
    np.testing.assert_allclose(results["gd"], results["in order"], rtol=1e-12)
    small = {}
    for shuffle in (False, True):
        twin = net.copy()
        _trainer(twin, solver="sgd", learning_rate_init=0.1, max_iter=2, batch_size=5,
                 shuffle=shuffle).run(X, Y)
        small[shuffle] = twin.params
    assert not np.allclose(small[False], small[True])


def test_a_run_starts_a_fresh_update_rule_and_an_incremental_run_continues_it():
    _, X, Y, net = _problem()
    trainer = _trainer(net, solver="adam", max_iter=2)
    trainer.run(X, Y)
    first = trainer.optimizer
    assert first.t == 2  # one batch of 30 per epoch
    trainer.run(X, Y)
    assert trainer.optimizer is not first and trainer.optimizer.t == 2
    second = trainer.optimizer
    result = trainer.run(X, Y, incremental=True)
    assert trainer.optimizer is second and second.t == 3
    assert result.stopped == "epoch" and result.epoch == 5 and trainer.history.n_iter == 1
    trainer.settings = Settings(solver="sgd", learning_rate_init=0.01, momentum=0.5,
                                nesterovs_momentum=False)
    trainer.run(X, Y, incremental=True)  # another solver: its own update rule
    rule = trainer.optimizer
    assert isinstance(rule, optimizers.SGD) and rule.momentum == 0.5 and not rule.nesterov
    assert rule.learning_rate == 0.01


def test_sgd_takes_nesterovs_momentum_by_default():
    _, X, Y, net = _problem()
    trainer = _trainer(net, solver="sgd", max_iter=1)
    trainer.run(X, Y)
    assert trainer.optimizer.nesterov is True and trainer.optimizer.momentum == 0.9


def test_the_update_rule_gets_every_setting():
    trainer = _trainer(None, solver="adam", learning_rate_init=0.02, beta_1=0.8, beta_2=0.99,
                       epsilon=1e-6)
    _, X, Y, net = _problem()
    trainer.net = net
    trainer.run(X, Y, incremental=True)
    adam = trainer.optimizer
    assert (adam.learning_rate, adam.beta_1, adam.beta_2, adam.epsilon) == (0.02, 0.8, 0.99, 1e-6)


def test_invscaling_divides_the_learning_rate_after_each_epoch_but_not_adams():
    _, X, Y, net = _problem()
    seen, callback = _recorder()
    _trainer(net, solver="sgd", learning_rate="invscaling", learning_rate_init=0.1,
             power_t=0.4, max_iter=3, n_iter_no_change=100).run(X, Y, callback=callback)
    assert [info.learning_rate for info in seen] == [0.1, 0.1 / 31**0.4, 0.1 / 61**0.4]
    seen, callback = _recorder()
    _trainer(net, solver="adam", learning_rate="invscaling", learning_rate_init=0.1,
             max_iter=3, n_iter_no_change=100).run(X, Y, callback=callback)
    assert [info.learning_rate for info in seen] == [0.1, 0.1, 0.1]


# -- stopping ---------------------------------------------------------------------------------


def test_training_stops_after_n_iter_no_change_epochs_without_improvement():
    """scikit-learn's rule: an epoch counts when it does not beat the best loss by tol; training
    stops once the count exceeds n_iter_no_change."""
    _, X, Y, net = _problem()
    seen, callback = _recorder()
    trainer = _trainer(net, solver="sgd", learning_rate_init=1e-3, tol=100.0,
                       n_iter_no_change=3, max_iter=50)
    result = trainer.run(X, Y, callback=callback)
    message = ("Training loss did not improve more than tol=100.000000 for 3 consecutive "
               "epochs. Stopping.")
    # The first epoch beats the starting best loss, infinity; the next four do not.
    assert len(seen) == 5 and result.stopped == "no_improvement" and result.epoch == 5
    assert result.message == message == seen[-1].note
    assert [info.note for info in seen[:-1]] == [None, None, None, None]
    assert trainer.history.no_improvement_count == 4


def test_improving_epochs_reset_the_count():
    _, X, Y, net = _problem()
    trainer = _trainer(net, solver="gd", learning_rate_init=0.5, tol=0.0, n_iter_no_change=1,
                       max_iter=20)
    result = trainer.run(X, Y)
    assert result.stopped == "max_iter" and trainer.history.no_improvement_count == 0


def test_the_adaptive_schedule_divides_by_five_until_the_rate_is_tiny():
    _, X, Y, net = _problem()
    seen, callback = _recorder()
    trainer = _trainer(net, solver="sgd", learning_rate="adaptive", learning_rate_init=1e-4,
                       tol=100.0, n_iter_no_change=1, max_iter=200)
    result = trainer.run(X, Y, callback=callback)
    notes = [info.note for info in seen if info.note]
    rates = [1e-4 / 5**k for k in range(1, 4)]
    assert notes == [
        "Training loss did not improve more than tol=100.000000 for 1 consecutive epochs. "
        f"Setting learning rate to {rate:f}" for rate in rates] + [
        "Training loss did not improve more than tol=100.000000 for 1 consecutive epochs. "
        "Learning rate too small. Stopping."]
    # Epochs 3, 5, 7 and 9 trigger (after the first, the count must exceed 1 and restarts at
    # 0); the rate is divided by 5 at the first three.
    assert [info.learning_rate for info in seen] == pytest.approx(
        [1e-4] * 3 + [2e-5] * 2 + [4e-6] * 2 + [8e-7] * 2, rel=1e-12)
    assert trainer.optimizer.learning_rate == pytest.approx(8e-7)
    assert result.stopped == "no_improvement" and result.epoch == 9


def test_a_learning_rate_of_exactly_1e_6_is_too_small_to_divide():
    _, X, Y, net = _problem()
    result = _trainer(net, solver="sgd", learning_rate="adaptive", learning_rate_init=1e-6,
                      tol=100.0, n_iter_no_change=1, max_iter=50).run(X, Y)
    assert result.epoch == 3 and result.message.endswith("Learning rate too small. Stopping.")


def test_adam_ignores_the_adaptive_schedule():
    _, X, Y, net = _problem()
    result = _trainer(net, solver="adam", learning_rate="adaptive", tol=100.0,
                      n_iter_no_change=1, max_iter=50).run(X, Y)
    assert result.stopped == "no_improvement" and result.epoch == 3
    assert result.message.endswith("Stopping.") and "Setting" not in result.message


def test_early_stopping_scores_every_epoch_and_keeps_the_best_weights():
    rng, X, Y, net = _problem(N=60)
    w_val = rng.uniform(0.5, 2.0, size=20)
    validation = _validation(X[40:], Y[40:], weights=w_val)
    seen, callback = _recorder()
    snapshots = []

    def remember(info):
        callback(info)
        snapshots.append(net.params.copy())

    trainer = _trainer(net, solver="sgd", learning_rate_init=0.3, momentum=0.9, tol=1e-3,
                       n_iter_no_change=3, max_iter=40)
    result = trainer.run(X[:40], Y[:40], validation=validation, callback=remember)
    h = trainer.history
    scores = [info.validation_score for info in seen]
    assert h.validation_scores == scores and len(scores) == len(seen)
    assert [info.validation_loss for info in seen] == h.validation_loss_curve
    assert h.validation_loss_curve[-1] == pytest.approx(
        mean_loss(_with(net, snapshots[-1]), X[40:], Y[40:], w_val), rel=1e-12)
    best = int(np.argmax(scores))
    assert h.best_validation_score == scores[best]
    np.testing.assert_array_equal(net.params, snapshots[best])
    assert result.stopped in ("no_improvement", "max_iter")
    if result.stopped == "no_improvement":
        assert result.message.startswith("Validation score did not improve more than "
                                         "tol=0.001000 for 3 consecutive epochs.")


def _with(net, params):
    twin = net.copy()
    twin.params[...] = params
    return twin


def test_validation_without_early_stopping_is_only_recorded():
    _, X, Y, net = _problem(N=60)
    trainer = _trainer(net, solver="gd", learning_rate_init=0.3, max_iter=6, tol=0.0)
    snapshots = []
    trainer.run(X[:40], Y[:40], validation=_validation(X[40:], Y[40:], early_stopping=False),
                callback=lambda info: snapshots.append(net.params.copy()))
    h = trainer.history
    assert len(h.validation_scores) == 6 and h.best_validation_score == max(h.validation_scores)
    np.testing.assert_array_equal(net.params, snapshots[-1])  # the last weights, not the best


# -- divergence --------------------------------------------------------------------------------


def test_a_non_finite_loss_raises_naming_the_epoch_and_keeps_the_weights_before_it():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(50, 3))
    Y = rng.normal(size=(50, 1))
    net = ffnn.Network([3, 8, 1], ["relu", "linear"], "squared_error", random_state=0)
    trainer = _trainer(net, solver="sgd", learning_rate_init=10.0, max_iter=50)
    snapshots = []
    X[7] = 1e200  # one row that overflows the loss in the first epoch that meets it
    with pytest.raises(ffnn.DivergenceError) as error:
        trainer.run(X, Y, callback=lambda info: snapshots.append(net.params.copy()))
    epoch = error.value.epoch
    loss = str(error.value).split("the loss became ")[1].split(".")[0]
    assert loss in ("inf", "nan")
    assert str(error.value) == (
        "Solver produced non-finite parameter weights. The input data may contain large values "
        f"and need to be preprocessed. Training diverged at epoch {epoch}: the loss became "
        f"{loss}. The weights of epoch {epoch - 1} are kept. Lower learning_rate_init (now "
        "10.0), standardise the features (e.g. with StandardScaler), or scale the targets")
    assert np.isfinite(net.params).all() and trainer.optimizer is None
    assert trainer.history.n_iter == epoch - 1 == len(trainer.history.loss_curve)
    assert trainer.history.t == 50 * (epoch - 1)
    if snapshots:
        np.testing.assert_array_equal(net.params, snapshots[-1])



def test_incremental_runs_keep_the_first_reference_of_the_divergence_rule():
    """Each partial_fit is a run of one epoch, whose first batch's loss was its reference: a
    loss growing from run to run was always within 10⁴ times its own start. The reference of
    the first run carries over (raised to J at θ = 0 on the new data, were that larger)."""
    _, X, Y, net = _problem()
    trainer = _trainer(net, solver="sgd", learning_rate_init=1e-3, momentum=0.0,
                       n_iter_no_change=100, batch_size=len(X))
    trainer.run(X, Y, incremental=True)
    first = trainer.history.divergence_reference
    assert first == pytest.approx(max(trainer.history.loss_curve[0],
                                      Objective(net, 0.0001, len(X)).at_zero(Y, None)), rel=0.5)
    net.params *= 1e3  # the loss far above the first run's, every number finite
    with pytest.raises(ffnn.DivergenceError, match="is more than 1e[+]04 times"):
        trainer.run(X, Y, incremental=True)
    assert trainer.history.divergence_reference == first

def test_a_finite_explosion_of_sgd_is_divergence_and_of_adam_is_not():
    _, X, Y, net = _problem()
    for solver, diverges in (("sgd", True), ("gd", True), ("adam", False)):
        twin = net.copy()
        trainer = _trainer(twin, solver=solver, learning_rate_init=1e-3, max_iter=5,
                           n_iter_no_change=100)

        def blow_up(info, twin=twin):
            if info.epoch == 2:
                twin.params *= 1e3  # about 10¹² times the loss, every number finite
        if not diverges:
            result = trainer.run(X, Y, callback=blow_up)
            assert result.stopped == "max_iter"
            continue
        with pytest.raises(ffnn.DivergenceError) as error:
            trainer.run(X, Y, callback=blow_up)
        message = str(error.value)
        assert error.value.epoch == 3 and message.startswith("Training diverged at epoch 3: the loss ")
        loss = float(message.split("the loss ")[1].split()[0])
        reference = float(message.split(" times ")[1].split(",")[0])
        assert loss > DIVERGENCE_FACTOR * reference and np.isfinite(loss)
        assert f"is more than {DIVERGENCE_FACTOR:.0e} times" in message
        assert message.endswith("the larger of the objective at the weights training started "
                                "from and that of a network that predicts a constant. The "
                                "weights of epoch 2 "
                                "are kept. Lower learning_rate_init (now 0.001), standardise the "
                                "features (e.g. with StandardScaler), or scale the targets")


def test_the_reference_is_the_larger_of_the_start_and_the_constant_prediction():
    """Targets near zero: the network's starting loss is far above J(0), and it is the start that
    counts; a warm start from a near-perfect fit: J(0) counts. An explosion to just under the
    factor times the reference is allowed, just over it is not."""
    _, X, Y, net = _problem(scale=1e-4)
    objective = Objective(net, 1e-4, len(X))
    start = objective(X, Y)[0]
    assert start > 100 * objective.at_zero(Y)
    for factor, diverges in ((0.5, False), (2.0, True)):
        twin = net.copy()
        trainer = _trainer(twin, solver="gd", learning_rate_init=1e-12, max_iter=3)
        target = factor * DIVERGENCE_FACTOR * start

        def jump(info, twin=twin, target=target):
            if info.epoch == 1:  # scale the output layer until the loss is near the target
                last = twin.layers[-1]
                last.c[...] = np.sqrt(2 * target / Y.shape[1])
                last.W[...] = 0
        if diverges:
            with pytest.raises(ffnn.DivergenceError, match="epoch 2"):
                trainer.run(X, Y, callback=jump)
        else:
            assert trainer.run(X, Y, callback=jump).stopped in ("max_iter", "no_improvement")


def test_divergence_with_early_stopping_goes_back_to_the_best_scoring_weights():
    _, X, Y, net = _problem(N=60)
    trainer = _trainer(net, solver="sgd", learning_rate_init=0.01, max_iter=10,
                       n_iter_no_change=100)
    snapshots = []

    def blow_up(info):
        snapshots.append(net.params.copy())
        if info.epoch == 3:
            net.params *= 1e3
    result = trainer.run(X[:40], Y[:40], validation=_validation(X[40:], Y[40:]), callback=blow_up)
    h = trainer.history
    assert result.stopped == "diverged" and result.epoch == 4
    best = int(np.argmax(h.validation_scores[:3])) + 1
    assert result.message.startswith("Training diverged at epoch 4: the loss ")
    assert f"The weights of epoch {best}, the best validation score, are kept." in result.message
    assert np.isnan(h.validation_scores[-1]) and np.isnan(h.validation_loss_curve[-1])
    assert h.loss_curve[-1] > DIVERGENCE_FACTOR * h.loss_curve[0]
    assert len(h.loss_curve) == len(h.validation_scores) == 4 and h.n_iter == 4
    np.testing.assert_array_equal(net.params, snapshots[best - 1])
    assert trainer.optimizer is None


def test_divergence_before_any_validation_score_raises():
    _, X, Y, net = _problem(N=60)
    trainer = _trainer(net, solver="sgd", learning_rate_init=0.01, max_iter=5)
    net.params *= 1e200  # the first epoch overflows
    with pytest.raises(ffnn.DivergenceError, match="epoch 1"):
        trainer.run(X[:40], Y[:40], validation=_validation(X[40:], Y[40:]))


def test_divergence_after_epochs_of_no_validation_score_raises_keeping_finite_weights():
    # Every score NaN (the held-out outputs overflowed): no epoch to go back to, so the run
    # raises as without validation, rather than failing in nanargmax with the diverged weights
    _, X, Y, net = _problem(N=60)
    trainer = _trainer(net, solver="sgd", learning_rate_init=0.01, max_iter=10,
                       n_iter_no_change=100)
    kept = []

    def blow_up(info):
        if info.epoch == 2:
            net.params *= 1e200
            kept.append(net.params.copy())
    with pytest.raises(ffnn.DivergenceError, match="epoch 3"):
        trainer.run(X[:40], Y[:40], validation=_scripted([np.nan] * 10), callback=blow_up)
    np.testing.assert_array_equal(net.params, kept[0])


def test_ctrl_c_keeps_the_best_weights_and_says_when():
    _, X, Y, net = _problem()
    trainer = _trainer(net, solver="adam", learning_rate_init=0.05, max_iter=100)
    snapshots = []

    def callback(info):
        snapshots.append((info.loss, net.params.copy()))
        if info.epoch == 5:
            raise KeyboardInterrupt

    result = trainer.run(X, Y, callback=callback)
    assert result.stopped == "interrupted" and result.epoch == 6
    best_loss, best_params = min(snapshots, key=lambda s: s[0])
    np.testing.assert_array_equal(net.params, best_params)
    assert trainer.history.best_loss == best_loss


def test_ctrl_c_in_a_warm_start_counts_that_run_s_epochs_and_rows():
    """n_iter counts the epochs of the run interrupted, t_ adds its rows to the earlier runs'."""
    _, X, Y, net = _problem()
    trainer = _trainer(net, solver="sgd", max_iter=4)
    trainer.run(X, Y)
    assert trainer.history.t == 4 * len(X)

    def callback(info):
        if info.epoch == 6:  # the second epoch of this run
            raise KeyboardInterrupt

    result = trainer.run(X, Y, callback=callback)
    assert result.stopped == "interrupted"
    assert trainer.history.n_iter == 2 and trainer.history.t == 6 * len(X)


def test_validation_curves_keep_one_entry_per_epoch_across_runs():
    """Epochs of runs without validation rows are NaN in the validation curves, before and
    after the scored ones: entry i is epoch i + 1 in every curve."""
    _, X, Y, net = _problem()
    trainer = _trainer(net, solver="adam", max_iter=2, tol=0.0)
    trainer.run(X, Y)
    trainer.run(X, Y, validation=_validation(X[:10], Y[:10], early_stopping=False))
    trainer.run(X, Y)
    h = trainer.history
    assert len(h.loss_curve) == len(h.validation_scores) == len(h.validation_loss_curve) == 6
    for curve in (h.validation_scores, h.validation_loss_curve):
        assert np.isnan(curve[:2]).all() and np.isfinite(curve[2:4]).all()
        assert np.isnan(curve[4:]).all()


def test_no_warning_escapes_a_diverging_run():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(50, 3)) * 1e150
    net = ffnn.Network([3, 8, 1], ["relu", "linear"], "squared_error", random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ffnn.DivergenceError):
            _trainer(net, solver="sgd", learning_rate_init=1.0).run(X, X[:, :1])


def test_suggested_learning_rates():
    assert suggested_learning_rate("gd") == 0.1
    assert [suggested_learning_rate(s) for s in ("sgd", "adam", "lbfgs")] == [0.001] * 3
    assert Settings().learning_rate_init == 0.001


# -- L-BFGS --------------------------------------------------------------------------------------


def test_lbfgs_records_every_iteration_and_reports_how_it_stopped():
    _, X, Y, net = _problem()
    seen, callback = _recorder()
    trainer = _trainer(net, solver="lbfgs", max_iter=5, alpha=0.01)
    result = trainer.run(X, Y, callback=callback)
    h = trainer.history
    assert result.stopped == "max_iter" and result.epoch == 5 and h.n_iter == 5
    assert result.evaluations >= 5
    assert [info.epoch for info in seen] == [1, 2, 3, 4, 5]
    assert [info.loss for info in seen] == h.loss_curve[:5]
    assert h.loss_curve[-1] == pytest.approx(Objective(net, 0.01, len(X))(X, Y)[0], rel=1e-12)
    assert h.best_loss == min(h.loss_curve) and trainer.loss == h.loss_curve[-1]
    assert all(info.samples_seen == 0 and 0 < info.seconds < 60 for info in seen)
    converged = _trainer(net.copy(), solver="lbfgs", max_iter=10_000, tol=1e-3).run(X, Y)
    assert converged.stopped == "converged"
    capped = _trainer(net.copy(), solver="lbfgs", max_iter=10_000, max_fun=3).run(X, Y)
    assert capped.stopped == "max_fun" and capped.evaluations <= 4


def test_lbfgs_counts_the_run_s_iterations_as_they_happen_warm_start_included():
    """history.n_iter, which a callback may read (a model saved from it keeps it), counts the
    iterations of this run so far, not the curve's entries from runs before it."""
    _, X, Y, net = _problem()
    trainer = _trainer(net, solver="lbfgs", max_iter=3)
    counts = []
    trainer.run(X, Y, callback=lambda info: counts.append(trainer.history.n_iter))
    trainer.run(X, Y, incremental=True,
                callback=lambda info: counts.append(trainer.history.n_iter))
    assert len(trainer.history.loss_curve) == 6 and counts == [1, 2, 3, 1, 2, 3]


def test_lbfgs_scores_validation_data_after_every_iteration():
    _, X, Y, net = _problem(N=60)
    seen, callback = _recorder()
    trainer = _trainer(net, solver="lbfgs", max_iter=4)
    trainer.run(X[:40], Y[:40], validation=_validation(X[40:], Y[40:]), callback=callback)
    h = trainer.history
    assert [info.validation_score for info in seen] == h.validation_scores and len(seen) == 4
    assert h.best_validation_score == max(h.validation_scores)
    assert h.validation_scores[-1] == _validation(X[40:], Y[40:]).score(net)


def test_lbfgs_with_sample_weights_minimises_the_weighted_objective():
    rng, X, Y, net = _problem(N=12)
    counts = rng.integers(1, 4, size=12)
    repeated = net.copy()
    _trainer(net, solver="lbfgs", max_iter=30, alpha=0.1).run(X, Y, counts.astype(float))
    _trainer(repeated, solver="lbfgs", max_iter=30, alpha=0.1).run(
        np.repeat(X, counts, axis=0), np.repeat(Y, counts, axis=0))
    np.testing.assert_allclose(net.params, repeated.params, rtol=1e-6, atol=1e-9)


def test_an_interrupted_run_after_lbfgs_goes_back_to_lbfgs_weights_not_an_earlier_run_s():
    # L-BFGS lowers the best loss: the weights that reach it are the best to go back to, not
    # those of the worse minibatch run before it
    _, X, Y, net = _problem()
    trainer = _trainer(net, solver="sgd", learning_rate_init=0.01, max_iter=5)
    trainer.run(X, Y)
    trainer.settings = Settings(solver="lbfgs", max_iter=200)
    trainer.run(X, Y)
    fitted, best_loss = net.params.copy(), trainer.history.best_loss
    np.testing.assert_array_equal(trainer.history.best_params, fitted)
    trainer.settings = Settings(solver="sgd", learning_rate_init=0.2, max_iter=5)
    epochs = []

    def interrupt_second(info):
        epochs.append(info.loss)
        if len(epochs) == 2:
            raise KeyboardInterrupt
    assert trainer.run(X, Y, callback=interrupt_second).stopped == "interrupted"
    assert min(epochs) >= best_loss  # no epoch of this run did better
    np.testing.assert_array_equal(net.params, fitted)
    assert trainer.history.best_loss == best_loss


def test_lbfgs_ctrl_c_keeps_the_last_accepted_iterate():
    _, X, Y, net = _problem()
    snapshots = []

    def callback(info):
        snapshots.append(net.params.copy())
        if info.epoch == 3:
            raise KeyboardInterrupt

    result = _trainer(net, solver="lbfgs", max_iter=50).run(X, Y, callback=callback)
    assert result.stopped == "interrupted" and result.epoch == 4 and result.evaluations >= 3
    np.testing.assert_array_equal(net.params, snapshots[-1])


def test_lbfgs_divergence_names_the_iteration():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(20, 2)) * 1e200
    net = ffnn.Network([2, 3, 1], ["relu", "linear"], "squared_error", random_state=0)
    with pytest.raises(ffnn.DivergenceError) as error:
        _trainer(net, solver="lbfgs", max_iter=5).run(X, X[:, :1])
    assert error.value.epoch == 0  # the starting weights already overflow
    assert str(error.value).startswith(
        "Solver produced non-finite parameter weights. The input data may contain large values "
        "and need to be preprocessed. L-BFGS diverged at iteration ")
    assert str(error.value).endswith("The last finite weights are kept; standardise the "
                                     "features (e.g. with StandardScaler) or scale the targets")
    assert np.isfinite(net.params).all()


# -- memory ------------------------------------------------------------------------------------


@pytest.mark.parametrize("solver", ["adam", "sgd", "gd"])
@pytest.mark.parametrize("output, loss", [("linear", "squared_error"), ("sigmoid", "log_loss"),
                                          ("softmax", "cross_entropy"), ("exp", "poisson"),
                                          ("tanh", "rss")])
@pytest.mark.parametrize("weighted", [False, True])
def test_an_epoch_allocates_nothing_the_size_of_a_batch(solver, output, loss, weighted):
    """README.md's promise ("Where the speed comes from"): buffers for a batch are allocated
    once; the steady state of an epoch allocates nothing proportional to the batch, nor to θ.
    Here one batch-sized array of the output layer is 0.8 MB and θ 0.54 MB; an epoch may
    allocate at most 0.3 MB at its peak (NumPy keeps an 8192-element buffer for broadcasting,
    and the softmax's row sums are a vector)."""
    import tracemalloc

    rng = np.random.default_rng(0)
    N, D_x, D_y = 2000, 30, 100
    X = rng.normal(size=(N, D_x))
    if loss == "cross_entropy":
        Y = np.eye(D_y)[rng.integers(0, D_y, N)]
    elif loss in ("log_loss", "poisson"):
        Y = rng.integers(0, 2, size=(N, D_y)).astype(float)
    else:
        Y = rng.normal(size=(N, D_y))
    weights = rng.uniform(0.5, 2.0, size=N) if weighted else None
    net = ffnn.Network([D_x, 512, D_y], ["leaky_relu", output], loss, random_state=0)
    trainer = _trainer(net, solver=solver, batch_size=1000, learning_rate_init=1e-4, alpha=0.1,
                       max_iter=2, n_iter_no_change=100)
    peaks = []

    def measure(info):  # from the end of epoch 1, when the buffers exist, to the end of epoch 2
        if info.epoch == 1:
            tracemalloc.start()
        else:
            peaks.append(tracemalloc.get_traced_memory()[1])
            tracemalloc.stop()

    try:
        trainer.run(X, Y, weights, callback=measure)
    finally:
        tracemalloc.stop()
    assert len(peaks) == 1 and peaks[0] < 300_000, peaks


def test_the_recorded_loss_of_an_epoch_is_the_mean_of_its_batches():
    """At a fixed θ (a learning rate of 1e-300 moves nothing) the epoch's loss, Σ_B |B| J_B / N,
    is J itself, whatever the batches; the first step's J_B is the one at the starting weights."""
    rng, X, Y, net = _problem(N=30)
    w = rng.uniform(0.5, 2.0, size=30)
    J = Objective(net.copy(), 0.3, 30, w.sum())(X, Y, w)[0]
    for solver, batch_size in (("gd", "auto"), ("sgd", 7), ("adam", 4)):
        trainer = _trainer(net.copy(), solver=solver, batch_size=batch_size, alpha=0.3,
                           learning_rate_init=1e-300, max_iter=2, tol=0.0)
        trainer.run(X, Y, w)
        assert trainer.history.loss_curve == pytest.approx([J, J], rel=1e-12)


def test_a_loss_that_stays_level_is_not_an_improvement_and_not_a_stall_with_tol_zero():
    """With tol = 0 an epoch that only equals the best neither improves nor counts as failing to:
    scikit-learn's strict comparisons."""
    _, X, Y, net = _problem()
    trainer = _trainer(net, solver="gd", learning_rate_init=1e-300, tol=0.0, n_iter_no_change=1,
                       max_iter=6)
    assert trainer.run(X, Y).stopped == "max_iter"
    assert trainer.history.no_improvement_count == 0


def test_early_stopping_counts_scores_of_minus_infinity_as_no_improvement():
    """Held-out outputs that overflow score an R² of -inf (not NaN) while the best is still
    -inf: compared as `score >= best + tol`, every such epoch reset the count, and the run never
    stopped early."""
    _, X, Y, net = _problem()
    trainer = _trainer(net, solver="sgd", learning_rate_init=0.01, tol=0.0, n_iter_no_change=2,
                       max_iter=6)
    result = trainer.run(X, Y, validation=_scripted([-np.inf] * 6))
    assert (result.stopped, trainer.history.no_improvement_count) == ("no_improvement", 3)
    assert len(trainer.history.loss_curve) == 3


def _scripted(scores):
    """A validation whose scores are given in advance, one per epoch."""
    sequence = iter(scores)
    return Validation(np.zeros((2, 3)), np.zeros((2, 2)), None, lambda net: next(sequence))


@pytest.mark.parametrize("scores, tol, patience, epochs, best", [
    ([0.5, 0.5, 0.5, 0.5, 0.5, 0.5], 0.0, 1, 6, 1),     # level: never a stall (tol 0), first kept
    ([0.1, 0.2, 0.3, 0.4, 0.5, 0.6], 0.5, 2, 4, 4),     # rising by less than tol: a stall
    ([0.1, 0.7, 0.2, 0.7, 0.3, 0.2], 0.0, 2, 6, 2),     # the first of two equal bests is kept
    ([0.9, 0.1, 0.2, 0.95, 0.1, 0.1], 0.0, 2, 6, 4),    # an improvement resets the count
    ([0.5, np.nan, np.nan, np.nan, np.nan, np.nan], 0.0, 2, 4, 1),  # no score: no improvement
])
def test_early_stopping_follows_scikit_learns_rule(scores, tol, patience, epochs, best):
    _, X, Y, net = _problem()
    snapshots = []
    trainer = _trainer(net, solver="sgd", learning_rate_init=0.01, tol=tol,
                       n_iter_no_change=patience, max_iter=6)
    result = trainer.run(X, Y, validation=_scripted(scores),
                         callback=lambda info: snapshots.append(net.params.copy()))
    assert len(snapshots) == epochs
    assert result.stopped == ("no_improvement" if epochs < 6 else "max_iter")
    np.testing.assert_array_equal(net.params, snapshots[best - 1])
    assert trainer.history.best_validation_score == max(scores[:epochs])


def test_weights_that_overflow_after_a_finite_loss_are_named():
    """The loss of an epoch is taken before its step: a step that overflows the weights shows in
    the weights, not in the loss."""
    _, X, Y, net = _problem(scale=1e3)  # gradients of about 10³: a step of 10³⁰⁸ overflows
    with pytest.raises(ffnn.DivergenceError) as error:
        _trainer(net, solver="gd", learning_rate_init=1e308, max_iter=3).run(X, Y)
    assert "Training diverged at epoch 1: the weights became non-finite. The weights of epoch 0 " \
           "are kept." in str(error.value)


def test_sample_weights_set_the_reference_of_the_divergence_rule():
    """A row of huge target but tiny weight hardly counts: the reference is J(0) with the weights,
    so a jump to 10⁴ times that weighted reference is divergence though far below the
    unweighted one."""
    rng, X, Y, net = _problem(N=30)
    Y = Y * 1e-3
    Y[0] = 1e4
    w = np.ones(30)
    w[0] = 1e-12
    objective = Objective(net, 1e-4, 30, w.sum())
    reference = max(objective(X, Y, w)[0], objective.at_zero(Y, w))
    assert objective.at_zero(Y) > 1e5 * reference  # unweighted, the row dominates

    def jump(info):
        if info.epoch == 1:
            net.layers[-1].W[...] = 0
            net.layers[-1].c[...] = np.sqrt(2 * 100 * DIVERGENCE_FACTOR * reference / 2)
    with pytest.raises(ffnn.DivergenceError, match="epoch 2"):
        _trainer(net, solver="gd", learning_rate_init=1e-12, max_iter=3).run(X, Y, w,
                                                                            callback=jump)


def test_lbfgs_reports_the_samples_seen_before_it():
    _, X, Y, net = _problem()
    trainer = _trainer(net, solver="sgd", learning_rate_init=0.01, max_iter=2)
    trainer.run(X, Y)
    trainer.settings = Settings(solver="lbfgs", max_iter=2)
    seen, callback = _recorder()
    trainer.run(X, Y, callback=callback)
    assert [info.samples_seen for info in seen] == [60, 60] and trainer.history.t == 60


def test_an_lbfgs_run_that_starts_at_its_optimum_still_records_its_loss():
    _, X, Y, net = _problem()
    trainer = _trainer(net, solver="lbfgs", max_iter=500, tol=1e-4)
    trainer.run(X, Y)
    curve = list(trainer.history.loss_curve)
    trainer.settings = Settings(solver="lbfgs", tol=0.1)
    result = trainer.run(X, Y)  # the gradient is already within tol: no iteration
    assert result.stopped == "converged" and result.epoch == 0 and trainer.history.n_iter == 0
    assert trainer.history.loss_curve == curve + [pytest.approx(curve[-1], rel=1e-12)]
    assert trainer.history.best_loss == min(curve)


def test_lbfgs_reports_how_scipy_stopped_when_it_is_neither_a_limit_nor_convergence():
    """A gradient that contradicts the loss (here its opposite) makes the line search fail:
    SciPy's abnormal termination comes back as "stopped", with SciPy's own words."""
    from ffnn.training import objective as objective_module

    _, X, Y, net = _problem()
    trainer = _trainer(net, solver="lbfgs", max_iter=50)
    real = objective_module.Objective.__call__

    def wrong_gradient(self, X, Y, weights=None):
        J, grad = real(self, X, Y, weights)
        grad *= -1
        return J, grad

    objective_module.Objective.__call__ = wrong_gradient
    try:
        result = trainer.run(X, Y)
    finally:
        objective_module.Objective.__call__ = real
    assert result.stopped == "stopped" and "ABNORMAL" in result.message


def test_the_compiled_engine_without_jax_says_how_to_install_it(monkeypatch):
    import sys
    monkeypatch.setitem(sys.modules, "jax", None)  # as if JAX were not installed
    monkeypatch.setitem(sys.modules, "ffnn.training.jax_engine", None)
    monkeypatch.delattr(ffnn.training, "jax_engine", raising=False)  # imported by an earlier test
    _, X, Y, net = _problem()
    trainer = _trainer(net, backend="jax", max_iter=2)
    with pytest.raises(ImportError, match=r"backend='jax' needs JAX .*pip install 'ffnn\[jax\]', "
                                          r"or train with backend='numpy'$"):
        trainer.run(X, Y)


@pytest.mark.parametrize("setting, message", [
    (dict(backend="JAX"), "backend must be one of numpy, jax, got 'JAX'"),
    (dict(backend="cuda", solver="lbfgs"), "backend must be one of numpy, jax, got 'cuda'"),
    (dict(backend="jax", precision="bf16"), "precision must be one of highest, tf32, got 'bf16'"),
    (dict(solver="sgd", learning_rate="bogus"),
     "learning_rate must be one of constant, invscaling, adaptive, got 'bogus'")])
def test_an_unknown_engine_or_precision_is_refused_before_training(setting, message):
    """A Network trained through Settings names its engine there: a name the Trainer does not
    know trained with the NumPy engine, unsaid, an unknown precision failed as a KeyError, and
    an unknown schedule trained at a constant learning rate. The refusal is an
    InvalidParameterError, as that of any other setting and as the estimators' own."""
    _, X, Y, net = _problem()
    before = net.params.copy()
    with pytest.raises(InvalidParameterError, match=message):
        _trainer(net, max_iter=2, **setting).run(X, Y)
    np.testing.assert_array_equal(net.params, before)


@pytest.mark.parametrize("shuffle", [True, False])
def test_partitions_train_as_their_batches_taken_one_by_one(shuffle):
    """Settings.partitions: the epochs take PartitionedBatches's batches (as a cluster does),
    each a step of the rule on J_B."""
    from ffnn.training.batches import PartitionedBatches

    _, X, Y, net = _problem(N=53)
    w = np.linspace(0.5, 2.0, 53)
    twin = ffnn.Network([3, 5, 2], ["tanh", "linear"], "squared_error", random_state=0)
    twin.params[...] = net.params
    parts = (20, 13, 20)
    _trainer(net, solver="sgd", batch_size=8, max_iter=3, shuffle=shuffle, alpha=0.01,
             partitions=parts, tol=0.0).run(X, Y, w)
    objective = Objective(twin, 0.01, 53, float(w.sum()))
    rule, rng = optimizers.make("sgd", 0.001), np.random.default_rng(1)
    for _ in range(3):
        for X_B, Y_B, w_B in PartitionedBatches(X, Y, w, 8, shuffle, rng, parts):
            rule.update(twin.params, objective(X_B, Y_B, w_B)[1])
    np.testing.assert_array_equal(net.params, twin.params)


def test_partitions_take_the_automatic_batch_size():
    _, X, Y, net = _problem(N=53)
    epochs = []
    _trainer(net, solver="sgd", max_iter=1, partitions=(20, 33)).run(X, Y, callback=epochs.append)
    assert len(epochs) == 1 and epochs[0].samples_seen == 53


def test_full_batch_gradient_descent_takes_every_row_whatever_the_partitions():
    _, X, Y, net = _problem(N=53)
    twin = ffnn.Network([3, 5, 2], ["tanh", "linear"], "squared_error", random_state=0)
    twin.params[...] = net.params
    _trainer(net, solver="gd", max_iter=3, partitions=(20, 33)).run(X, Y)
    _trainer(twin, solver="gd", max_iter=3).run(X, Y)
    np.testing.assert_array_equal(net.params, twin.params)


def test_the_engines_are_given_the_runs_data_batches_and_settings(monkeypatch):
    """Which engine runs the epochs, and with what: the compiled one (backend="jax") and data
    held on a cluster, each replaced here by a stand-in that records its arguments."""
    from types import SimpleNamespace

    from ffnn.training import engines
    from ffnn.training.batches import Batches

    class Stop(Exception):
        pass

    seen = {}

    def record(*args, **kwargs):
        seen["args"], seen["kwargs"] = args, kwargs
        raise Stop

    monkeypatch.setattr(engines, "jax_engine", lambda: SimpleNamespace(Epochs=record))
    _, X, Y, net = _problem(N=30)
    w = np.ones(30)
    # (partitions are the NumPy engine's alone: test_jax_backend.py checks their refusal)
    for kind, size, B, solver in ((Batches, 7, 7, "adam"), (Batches, "auto", 30, "sgd"),
                                  (Batches, 7, 30, "gd")):
        trainer = _trainer(net, backend="jax", batch_size=size, precision="tf32", solver=solver)
        with pytest.raises(Stop):
            trainer.run(X, Y, w)
        got_net, objective, got_X, got_Y, got_w, got_B, batches, precision = seen["args"]
        assert (got_net, got_X, got_Y, got_w, got_B, precision) == (net, X, Y, w, B, "tf32")
        assert isinstance(objective, Objective) and type(batches) is kind
        assert batches.B == B and batches.rng is trainer.rng and batches.n == 30
        assert seen["kwargs"] == {"full_batch": solver == "gd"}

    monkeypatch.setattr(engines, "jax_engine",
                        lambda: SimpleNamespace(FullObjective=record))
    trainer = _trainer(net, solver="lbfgs", backend="jax", precision="tf32")
    with pytest.raises(Stop):
        trainer.run(X, Y, w)
    got_net, objective, got_X, got_Y, got_w, precision = seen["args"]
    assert (got_net, got_X, got_Y, got_w, precision) == (net, X, Y, w, "tf32")
    assert isinstance(objective, Objective) and objective.sum_weights == 30.0

    held = SimpleNamespace(distributed=True, n=30, sum_weights=12.5, epochs=record,
                           full_objective=record)
    # the workers run the NumPy engine, whatever the backend: JAX is not asked for
    monkeypatch.setattr(engines, "jax_engine", lambda: pytest.fail("JAX asked for"))
    for solver, size, shuffled, full in (("adam", 7, True, False), ("gd", 30, False, True)):
        trainer = _trainer(net, solver=solver, batch_size=7, backend="jax")
        with pytest.raises(Stop):
            trainer.run(held, None)
        (objective, B, shuffle, rng), kwargs = seen["args"], seen["kwargs"]
        assert (B, shuffle, rng, kwargs) == (size, shuffled, trainer.rng, {"full_batch": full})
        assert objective.n_samples == 30 and objective.sum_weights == 12.5
    with pytest.raises(Stop):
        _trainer(net, solver="lbfgs").run(held, None)
    (objective,) = seen["args"]
    assert isinstance(objective, Objective) and objective.n_samples == 30

    class Held:  # a cluster's epochs: each returns (mean J_B, first J_B) and moves θ a little
        distributed, n, sum_weights = True, 30, 30.0
        zero_calls = 0

        def epochs(self, objective, B, shuffle, rng, full_batch):
            engine = HostEpochs(net)
            engine.epoch, engine.finish = self.epoch, finished.append
            return engine

        def epoch(self, rule):
            net.params[...] += 0.01
            return 0.5, 0.6

        def at_zero(self):
            Held.zero_calls += 1
            return 2.0

    finished = []
    trainer = _trainer(net, solver="sgd", max_iter=3, tol=0.0)
    validation = Validation(None, None, None, score=lambda model: 0.25,  # rows on the cluster
                            loss=lambda model: 0.125 if model is net else None)
    assert trainer.run(Held(), None, validation=validation).stopped == "max_iter"
    assert trainer.history.loss_curve == [0.5, 0.5, 0.5] and Held.zero_calls == 1
    assert trainer.history.validation_loss_curve == [0.125] * 3
    assert finished == [trainer.optimizer]  # the rule's state brought back, once, at the end


def test_an_interrupted_run_goes_back_to_the_lowest_loss_not_to_a_later_epoch():
    """Without held-out data the weights kept are those of the epoch of lowest training loss:
    epoch 4 here, whose weights a callback then doubles, so that epoch 5 (interrupted at its
    end) is worse. Neither epoch 5's weights nor its copy may be what is kept."""
    _, X, Y, net = _problem()
    trainer = _trainer(net, solver="sgd", learning_rate_init=0.01, batch_size=10, max_iter=10)
    losses, fourth = [], []

    def callback(info):
        losses.append(info.loss)
        if info.epoch == 4:
            fourth.append(net.params.copy())
            net.params[...] *= 2.0
        if info.epoch == 5:
            raise KeyboardInterrupt

    assert trainer.run(X, Y, callback=callback).stopped == "interrupted"
    assert np.argmin(losses) == 3 and losses[4] > losses[3]
    np.testing.assert_array_equal(net.params, fourth[0])
    np.testing.assert_array_equal(trainer.history.best_params, fourth[0])


def test_the_best_weights_reach_the_history_even_if_the_engine_is_interrupted_finishing(
        monkeypatch):
    """A second Ctrl-C while the engine brings its state home must not leave the history with
    the best loss of this run and the weights of another."""
    from ffnn.training import epochs

    _, X, Y, net = _problem()
    trainer = _trainer(net, solver="sgd", learning_rate_init=0.01, batch_size=10, max_iter=6)
    seen = []
    trainer_callback = lambda info: seen.append((info.loss, net.params.copy()))  # noqa: E731

    def interrupted(self, rule):
        raise KeyboardInterrupt

    monkeypatch.setattr(epochs.NumpyEpochs, "finish", interrupted)
    with pytest.raises(KeyboardInterrupt):
        trainer.run(X, Y, callback=trainer_callback)
    best_loss, best_params = min(seen, key=lambda s: s[0])
    assert trainer.history.best_loss == best_loss
    np.testing.assert_array_equal(trainer.history.best_params, best_params)


def test_an_engine_cannot_undo_an_epoch_it_did_not_remember():
    from ffnn.training.epochs import HostEpochs

    net = ffnn.Network([2, 1], ["linear"], "rss", random_state=0)
    start = net.params.copy()
    engine = HostEpochs(net)
    with pytest.raises(RuntimeError, match=r"^no epoch to undo: .*remember"):
        engine.undo()
    np.testing.assert_array_equal(net.params, start)  # not filled with NaN
    engine.remember()
    net.params[...] += 1.0
    engine.undo()
    np.testing.assert_array_equal(net.params, start)


@pytest.mark.parametrize("solver", ["adam", "lbfgs"])
def test_a_callback_runs_with_the_callers_numpy_error_handling(solver):
    """Training runs its epochs with NumPy's floating-point warnings off (it judges non-finite
    numbers itself); a callback, the caller's code, ran so too, its own 1/0 unwarned."""
    _, X, Y, net = _problem()
    said = []

    def callback(info):
        said.append(np.geterr())
        assert info.epoch == len(said)
        if len(said) == 1:
            with pytest.warns(RuntimeWarning, match="divide by zero"):
                np.float64(1.0) / np.zeros(1)

    with np.errstate(all="warn", under="ignore"):
        _trainer(net, solver=solver, max_iter=2).run(X, Y, callback=callback)
    assert said and all(state == dict(divide="warn", over="warn", under="ignore",
                                      invalid="warn") for state in said)


@pytest.mark.parametrize("loss, output, bad", [("poisson", "exp", -1.0),
                                               ("log_loss", "sigmoid", 1.5)])
def test_targets_outside_the_loss_s_range_are_refused_before_training(loss, output, bad):
    """Network.loss refuses them, and so does training: a Poisson loss of y = −1 is a number
    (711 per row), which training went on lowering without a word."""
    net = ffnn.Network([1, 3, 1], ["relu", output], loss, random_state=0)
    X = np.linspace(0, 1, 20).reshape(-1, 1)
    Y = np.full((20, 1), 0.5)
    Y[3] = bad
    before = net.params.copy()
    trainer = Trainer(net, Settings(solver="gd", max_iter=3), np.random.default_rng(0))
    with pytest.raises(ValueError, match=rf"the {loss} loss needs targets in .*1 row\(s\) "
                                         r"\(first: row 3\)"):
        trainer.run(X, Y)
    np.testing.assert_array_equal(net.params, before)
    Y[3] = 0.5
    assert trainer.run(X, Y).stopped == "max_iter"


@pytest.mark.parametrize("solver", ["adam", "sgd"])
def test_a_trainer_pickled_from_a_callback_trains_on_as_the_original(solver):
    """A copy taken during a run (a checkpoint from a callback) holds the update rule's state as
    the epoch left it: one more incremental epoch of the copy is the original's next epoch. A
    trainer pickles after its run too, and its copy trains on."""
    import pickle

    _, X, Y, net = _problem()
    trainer = _trainer(net, solver=solver, learning_rate_init=0.05, batch_size=7, max_iter=3,
                       momentum=0.9)
    copies = []
    trainer.run(X, Y, callback=lambda info: copies.append(pickle.dumps(trainer))
                if info.epoch == 2 else None)
    checkpoint = pickle.loads(copies[0])
    checkpoint.run(X, Y, incremental=True)
    np.testing.assert_array_equal(checkpoint.net.params, trainer.net.params)
    assert checkpoint.history.loss_curve == trainer.history.loss_curve
    after = pickle.loads(pickle.dumps(trainer))
    after.run(X, Y, incremental=True)
    trainer.run(X, Y, incremental=True)
    np.testing.assert_array_equal(after.net.params, trainer.net.params)


def test_a_trainer_copied_mid_run_holds_the_runs_best_weights_so_far():
    """The run keeps its best weights in its engine until it ends: a copy taken from a callback
    gets them written into its history first, not the weights the run started from."""
    import copy

    _, X, Y, net = _problem()
    trainer = _trainer(net, solver="adam", learning_rate_init=0.05, batch_size=10, max_iter=4,
                       n_iter_no_change=10)
    start, copies, seen = net.params.copy(), [], []

    def callback(info):
        seen.append(net.params.copy())
        if info.epoch == 3:
            copies.append(copy.deepcopy(trainer))

    trainer.run(X, Y, validation=_scripted([0.1, 0.7, 0.2, 0.3]), callback=callback)
    kept = copies[0].history.best_params
    np.testing.assert_array_equal(kept, seen[1])  # epoch 2's, the best of the first three
    assert not np.array_equal(kept, start)
