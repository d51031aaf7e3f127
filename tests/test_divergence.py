"""Huge learning rates, warm starts after divergence, and interrupted training."""

import os
import re
import signal
import subprocess
import sys
import warnings

import numpy as np
import pandas as pd
import pytest

import ffnn
from ffnn.cli import main


def _unscaled(seed=0, n=120):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 4)) * [1, 100, 1000, 10000]
    return X, X @ [3.0, -0.02, 0.001, 1e-4] * 50 + 500


def _finite(model):
    return all(np.isfinite(c).all() for c in model.coefs_ + model.intercepts_)


@pytest.mark.parametrize("solver", ["sgd", "adam", "gd", "lbfgs"])
@pytest.mark.parametrize("learning_rate", [1e1, 1e2, 1e3, 1e4, 1e5, 1e6])
def test_huge_learning_rates_converge_or_name_the_epoch(solver, learning_rate):
    X, y = _unscaled()
    model = ffnn.FFNNRegressor(solver=solver, learning_rate_init=learning_rate, max_iter=15,
                               hidden_layer_sizes=(6,), random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            model.fit(X, y)
        except ffnn.DivergenceError as error:
            assert re.search(r"diverged at epoch \d+", str(error)) and error.epoch >= 1
            assert "learning_rate_init" in str(error)
    assert _finite(model)


def test_warm_start_keeps_the_last_finite_weights():
    X, y = _unscaled()
    model = ffnn.FFNNRegressor(solver="sgd", learning_rate_init=1e-9, max_iter=3,
                               hidden_layer_sizes=(6,), random_state=0, warm_start=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.fit(X, y)
    before = model.network_.params.copy()
    epochs = len(model.loss_curve_)
    model.set_params(learning_rate_init=1e6)
    with pytest.raises(ffnn.DivergenceError) as error:
        model.fit(X, y)
    assert _finite(model) and np.isfinite(model.network_.params).all()
    assert error.value.epoch > epochs
    if error.value.epoch == epochs + 1:  # diverged in the first new epoch: nothing changed
        np.testing.assert_array_equal(model.network_.params, before)
        model.set_params(learning_rate_init=1e-9)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model.fit(X, y)  # training goes on from the kept weights, with a fresh optimizer
        assert _finite(model)


def test_keyboard_interrupt_keeps_a_usable_estimator_with_the_best_weights():
    X, y = _unscaled()
    X = (X - X.mean(0)) / X.std(0)
    seen = []

    def interrupt(info):
        seen.append((info.loss, ))
        if info.epoch == 4:
            raise KeyboardInterrupt

    model = ffnn.FFNNRegressor(max_iter=50, random_state=0, learning_rate_init=0.01)
    with pytest.warns(UserWarning, match="interrupted by user. It stopped during epoch 5.*best weights"):
        model.fit(X, y, callback=interrupt)
    assert model.interrupted_ == 5 and len(model.loss_curve_) == 4
    assert model.best_loss_ == min(model.loss_curve_)
    assert np.isfinite(model.predict(X)).all()
    model.partial_fit(X, y)  # and it can be trained on



def test_an_interrupted_lbfgs_fit_counts_the_iterations_it_completed():
    """n_iter_ was 0 after Ctrl-C in L-BFGS, beside a loss curve of the iterations done."""
    X, y = _unscaled()
    X = (X - X.mean(0)) / X.std(0)

    def interrupt(info):
        if info.epoch == 4:
            raise KeyboardInterrupt

    model = ffnn.FFNNRegressor(solver="lbfgs", max_iter=50, random_state=0)
    with pytest.warns(UserWarning, match="interrupted by user. It stopped during iteration 5"):
        model.fit(X, y, callback=interrupt)
    assert model.n_iter_ == len(model.loss_curve_) == 4

def _csv(path, n=400):
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(rng.normal(size=(n, 3)), columns=["a", "b", "c"])
    frame["y"] = frame["a"] * 2 - frame["b"] + rng.normal(scale=0.1, size=n)
    frame.to_csv(path, index=False)


def test_cli_interrupt_writes_no_model_and_a_checkpoint_if_asked(tmp_path, capsys, monkeypatch):
    from ffnn.cli.progress import Progress

    _csv(tmp_path / "d.csv")
    calls = []

    def interrupting(self, info):
        calls.append(info.epoch)
        if info.epoch == 3:
            raise KeyboardInterrupt

    monkeypatch.setattr(Progress, "__call__", interrupting)
    out, checkpoint = tmp_path / "m.ffnn", tmp_path / "best.ffnn"
    assert main(["fit", str(tmp_path / "d.csv"), "--target", "y", "-o", str(out)]) == 130
    assert not out.exists() and "no model written" in capsys.readouterr().err
    assert main(["fit", str(tmp_path / "d.csv"), "--target", "y", "-o", str(out),
                 "--checkpoint", str(checkpoint)]) == 130
    assert not out.exists() and "saved the best model so far" in capsys.readouterr().err
    model = ffnn.load(checkpoint)
    assert model.estimator.n_iter_ == 3
    assert [p.name for p in tmp_path.iterdir()] == sorted(["d.csv", "best.ffnn"]) or \
        set(p.name for p in tmp_path.iterdir()) == {"d.csv", "best.ffnn"}


@pytest.mark.slow
def test_cli_ctrl_c_in_a_real_process(tmp_path):
    _csv(tmp_path / "d.csv", n=20000)
    out, checkpoint = tmp_path / "m.ffnn", tmp_path / "best.ffnn"
    code = ("import sys; from ffnn.cli import main; sys.exit(main(sys.argv[1:]))")
    child = subprocess.Popen(
        [sys.executable, "-c", code, "fit", str(tmp_path / "d.csv"), "--target", "y",
         "--hidden", "256,256", "--epochs", "500", "-o", str(out), "--checkpoint",
         str(checkpoint)], stderr=subprocess.PIPE, text=True)
    # The child's signal that training is under way: its first epoch line. Ctrl-C then lands in
    # a later epoch, whatever the machine's speed.
    for line in child.stderr:
        if line.startswith("epoch"):
            break
    os.kill(child.pid, signal.SIGINT)
    rest = child.stderr.read()
    assert child.wait(timeout=60) == 130, rest
    assert not out.exists()
    assert ffnn.load(checkpoint).estimator.n_iter_ >= 1


def test_cli_refuses_to_save_a_model_whose_loss_exploded(tmp_path, capsys):
    """SGD at learning rate 10 on this table once ended with training R² of −9e129 and a saved
    model; the loss stayed finite. It is divergence: exit 2, a message, and no model file."""
    from sklearn.datasets import make_regression

    X, y = make_regression(n_samples=500, n_features=13, noise=5, random_state=1)
    frame = pd.DataFrame(X, columns=[f"x{k}" for k in range(13)])
    frame["y"] = y
    frame.to_csv(tmp_path / "d.csv", index=False)
    out = tmp_path / "m.ffnn"
    status = main(["fit", str(tmp_path / "d.csv"), "--target", "y", "--solver", "sgd", "--lr",
                   "10", "--seed", "0", "-q", "-o", str(out)])
    err = capsys.readouterr().err
    assert status == 2 and "diverged at epoch" in err and not out.exists()


def test_a_checkpoint_without_validation_names_the_epoch_whose_weights_it_holds(
        tmp_path, capsys, monkeypatch):
    from ffnn.cli.progress import Progress

    _csv(tmp_path / "d.csv")

    def interrupting(self, info):
        if info.epoch == 15:
            raise KeyboardInterrupt

    monkeypatch.setattr(Progress, "__call__", interrupting)
    checkpoint = tmp_path / "best.ffnn"
    common = ["--target", "y", "--hidden", "8", "--solver", "sgd", "--lr", "0.5",
              "--validation-fraction", "0", "--seed", "0", "--tol", "0"]
    assert main(["fit", str(tmp_path / "d.csv"), *common, "--epochs", "100", "-o",
                 str(tmp_path / "m.ffnn"), "--checkpoint", str(checkpoint)]) == 130
    err = capsys.readouterr().err
    model = ffnn.load(checkpoint)
    curve = model.estimator.loss_curve_
    lowest = int(np.argmin(curve)) + 1
    assert lowest < len(curve) == 15  # the noisy loss was lowest before the last epoch
    assert model.kept_epoch == lowest and f"epoch {lowest}, the lowest training loss" in err
    # the checkpoint holds that epoch's weights: those of a run of that many epochs
    monkeypatch.undo()
    again = tmp_path / "again.ffnn"
    assert main(["fit", str(tmp_path / "d.csv"), *common, "--epochs", str(lowest), "-q",
                 "-o", str(again)]) == 0
    frame = pd.read_csv(tmp_path / "d.csv")
    assert np.array_equal(model.predict(frame), ffnn.load(again).predict(frame))


def test_a_checkpoint_taken_before_any_epoch_ends_says_its_weights_are_untrained(
        tmp_path, capsys, monkeypatch):
    from ffnn.training.optimizers import Adam

    _csv(tmp_path / "d.csv")
    update, starting = Adam.update, []

    def interrupted(self, params, grad, work=None):
        starting.append(params.copy())
        update(self, params, grad, work)  # a step taken, then Ctrl-C within the first epoch
        raise KeyboardInterrupt

    monkeypatch.setattr(Adam, "update", interrupted)
    checkpoint = tmp_path / "best.ffnn"
    assert main(["fit", str(tmp_path / "d.csv"), "--target", "y", "-o", str(tmp_path / "m"),
                 "--checkpoint", str(checkpoint)]) == 130
    err = capsys.readouterr().err
    assert ("interrupted during epoch 1; saved the starting weights, untrained (no epoch "
            f"ended), to {checkpoint}") in err, err
    estimator = ffnn.load(checkpoint).estimator
    assert estimator.n_iter_ == 0
    np.testing.assert_array_equal(estimator.network_.params, starting[0])


def test_an_early_stopping_checkpoint_without_a_finite_score_says_it_holds_the_start(
        tmp_path, capsys, monkeypatch):
    # every validation score -inf (a validation row beyond float range): early stopping holds
    # the starting weights, not those of the lowest training loss
    from ffnn.cli.progress import Progress
    from ffnn.cli.splits import split_rows

    _csv(tmp_path / "d.csv", n=40)
    frame = pd.read_csv(tmp_path / "d.csv")
    frame.loc[split_rows(40, None, 0.2).validation[0], "a"] = 1e300
    frame.to_csv(tmp_path / "d.csv", index=False)

    def interrupting(self, info):
        if info.epoch == 3:
            raise KeyboardInterrupt

    monkeypatch.setattr(Progress, "__call__", interrupting)
    checkpoint = tmp_path / "best.ffnn"
    assert main(["fit", str(tmp_path / "d.csv"), "--target", "y", "-o", str(tmp_path / "m"),
                 "--early-stopping", "--checkpoint", str(checkpoint)]) == 130
    err = capsys.readouterr().err
    assert ("saved the starting weights, untrained (no epoch had a finite validation score), "
            "to") in err, err
    assert ffnn.load(checkpoint).kept_epoch is None
