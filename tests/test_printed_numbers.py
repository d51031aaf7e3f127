"""Numbers as the command line prints and draws them: a score just short of perfect is never
rounded to perfection, and R² of a constant target is scikit-learn's."""

import io

import numpy as np
import pandas as pd
import pytest
from cli_runs import run
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import r2_score, roc_auc_score

import ffnn
from ffnn.cli import fit_plots
from ffnn.cli.evaluation import format_value
from ffnn.cli.progress import Progress
from ffnn.cli.stopping import kept_words
from ffnn.training import EpochInfo


def _near_separable(path, n=400):
    """One column that orders the rows by class but for one pair at the boundary: a model
    monotonic in it scores a ROC AUC of 1 − 1/(n/2)², short of 1."""
    x = np.arange(n, dtype=float)
    label = (x >= n // 2).astype(int)
    label[[n // 2 - 1, n // 2]] = label[[n // 2, n // 2 - 1]]
    pd.DataFrame({"x": x, "y": np.array(["no", "yes"])[label]}).to_csv(path, index=False)
    return x, label


def test_a_score_short_of_perfect_is_not_printed_as_perfect(tmp_path, capsys):
    data, model = tmp_path / "d.csv", tmp_path / "m.ffnn"
    x, label = _near_separable(data)
    status, out, err = run(capsys, "fit", data, "--target", "y", "--hidden", "none",
                           "--validation-fraction", "0", "--epochs", "30", "--lr", "0.1",
                           "-q", "-o", model)
    assert status == 0, err
    auc = roc_auc_score(label, ffnn.load(model).predict_proba(
        pd.DataFrame({"x": x}))[:, 1])
    assert 0.9999 < auc < 1
    for text in (out, run(capsys, "evaluate", model, data)[1],
                 run(capsys, "summary", model)[1]):
        assert "ROC AUC 1.0000" not in text and f"ROC AUC {auc:.5f}" in text, text


def test_values_short_of_a_whole_number_keep_the_digits_that_say_so():
    assert format_value(0.99996) == "0.99996"
    assert format_value(0.9999999) == "0.9999999"
    assert format_value(1.0) == "1.0000" and format_value(0.97804) == "0.9780"
    assert format_value(-0.99996) == "-0.99996"
    assert format_value(2e-5) == "2e-05"  # as before: four significant digits when small


def test_progress_and_the_kept_epoch_do_not_round_a_score_to_perfection():
    stream = io.StringIO()
    progress = Progress(1, "accuracy", stream=stream)
    progress(EpochInfo(1, 0.01, validation_score=0.99996, validation_loss=0.001))
    progress.close()
    assert "val accuracy 0.99996" in stream.getvalue()
    words = kept_words(3, 0.99996, 5, "accuracy", False, True)
    assert "the best validation accuracy 0.99996" in words


def test_plots_do_not_round_a_score_to_perfection(tmp_path, figures):
    n = 4000
    y = np.repeat([0, 1], n // 2)
    scores = np.linspace(0, 1, n)
    scores[[n // 2 - 1, n // 2]] = scores[[n // 2, n // 2 - 1]]  # one pair out of order
    predicted = (scores >= 0.5).astype(int)
    P = np.column_stack([1 - scores, scores])
    fit_plots.fit(y, predicted, tmp_path / "f.png", probabilities=P, classes=np.array([0, 1]))
    left, right = figures[-1][0].axes[:2]
    assert "accuracy 1.000" not in left.get_title()
    labels = [line.get_label() for line in right.get_lines()]
    assert not any("AUC 1.000" in label for label in labels), labels
    y_true = np.linspace(0, 100, 50)
    fit_plots.fit(y_true, y_true + 0.01 * np.sin(y_true), tmp_path / "r.png")
    assert 0.9995 < r2_score(y_true, y_true + 0.01 * np.sin(y_true)) < 1
    assert "R² 1.000 " not in figures[-1][0].axes[0].get_title()


def test_r2_of_a_constant_target_is_scikit_learns(tmp_path, capsys):
    """Rows whose observed values are all equal have no spread: R² is scikit-learn's convention
    (0 unless the predictions are exact), in every line that prints it."""
    from sklearn.metrics import r2_score

    rng = np.random.default_rng(0)
    data, model, test = tmp_path / "c.csv", tmp_path / "m.ffnn", tmp_path / "t.csv"
    pd.DataFrame({"a": rng.normal(size=50), "y": 3.0}).to_csv(data, index=False)
    status, out, err = run(capsys, "fit", data, "--target", "y", "--task", "regression",
                           "--epochs", "3", "-q", "--test-out", test, "-o", model)
    assert status == 0, err
    status, out, err = run(capsys, "predict", model, test, "-o", tmp_path / "p.csv")
    expected = r2_score(pd.read_csv(test)["y"], pd.read_csv(tmp_path / "p.csv")["y"])
    status, out, err = run(capsys, "evaluate", model, test)
    assert status == 0 and f"R² {expected:.4f}" in out, out


def test_the_training_line_counts_one_feature_and_says_the_loss_s_units(tmp_path, capsys):
    rng = np.random.default_rng(1)
    data = tmp_path / "d.csv"
    x = rng.normal(size=40)
    pd.DataFrame({"x": x, "y": 50 * x + 200}).to_csv(data, index=False)
    status, _, err = run(capsys, "fit", data, "--target", "y", "--epochs", "2", "-o",
                         tmp_path / "m.ffnn")
    assert status == 0 and "(1 feature after encoding" in err, err
    # the per-epoch losses are of the standardised target, not in the target's units
    assert "loss in units of the standardised target" in err.splitlines()[1], err


def test_an_early_stopped_fit_does_not_point_to_keep_last_which_it_refuses(tmp_path, capsys):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(300, 2))
    y = 100 + 50 * x[:, 0] - 20 * x[:, 1] ** 2 + rng.normal(0, 5, 300)
    data, model = tmp_path / "d.csv", tmp_path / "m.ffnn"
    pd.DataFrame({"a": x[:, 0], "b": x[:, 1], "y": y}).to_csv(data, index=False)
    status, out, err = run(capsys, "fit", data, "--target", "y", "--hidden", "32", "--lr",
                           "0.05", "--epochs", "300", "--early-stopping", "-q", "-o", model)
    assert status == 0, err
    fitted = ffnn.load(model)
    kept, last = fitted.kept_epoch, len(fitted.estimator.loss_curve_)
    assert kept < last, out  # the run goes on past its best epoch
    assert f"kept the weights of epoch {kept}" in out and f"the last was epoch {last})" in out
    assert "--keep-last" not in out, out
    assert "--keep-last" in kept_words(3, 0.9, 5, "accuracy", False, True)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.UndefinedMetricWarning")
def test_a_summary_claims_no_best_validation_score_where_none_was_a_number():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(20, 2)), rng.normal(size=20)
    model = ffnn.FFNNRegressor(hidden_layer_sizes=(3,), max_iter=3, random_state=0)
    with pytest.warns(ConvergenceWarning):
        model.fit(X, y, validation_data=(X[:1], y[:1]))  # R² of one row: NaN every epoch
    assert np.isnan(model.validation_scores_).all()
    text = ffnn.summary(model)
    assert "inf" not in text and "best validation score" not in text, text
    with pytest.warns(ConvergenceWarning):
        model.fit(X, y, validation_data=(X[:5], y[:5]))
    assert f"best validation score {max(model.validation_scores_):.4f}" in ffnn.summary(model)


def test_the_kept_epoch_s_r2_on_equal_validation_targets_is_the_one_printed():
    # validation rows whose targets are all 0.1 have no spread: r2_score divides the errors by
    # the rounding errors of their mean and scored each epoch some −1e32, which chose the epoch
    # kept and was printed as its "best validation R²" beside a validation line of R² 0
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 2))
    y = X[:, 0] + rng.normal(scale=0.1, size=200)
    y_val = np.full(1000, 0.1)
    assert r2_score(y_val, y_val + 1e-3) < -1e20  # scikit-learn's own result
    with pytest.warns(ConvergenceWarning):
        model = ffnn.FFNNRegressor(hidden_layer_sizes=(4,), max_iter=5, random_state=0).fit(
            X, y, validation_data=(rng.normal(size=(1000, 2)), y_val))
    assert set(model.validation_scores_) == {0.0}
    with pytest.warns(ConvergenceWarning):
        model.set_params(max_iter=1).fit(X, np.c_[y, y], validation_data=(
            X, np.c_[y, np.full(200, 0.1)]))
    assert model.validation_scores_[0] == pytest.approx(
        r2_score(y, model.predict(X)[:, 0]) / 2)


def test_the_note_on_unknown_labels_names_only_the_metrics_evaluate_prints(tmp_path, capsys):
    # three classes: no ROC AUC is printed, so the note says nothing of one
    rng = np.random.default_rng(0)
    x = rng.normal(size=60)
    frame = pd.DataFrame({"x": x, "y": np.array(["a", "b", "c"])[np.arange(60) % 3]})
    frame.to_csv(tmp_path / "d.csv", index=False)
    status, _, err = run(capsys, "fit", tmp_path / "d.csv", "--target", "y", "--epochs", "2",
                         "-q", "-o", tmp_path / "m.ffnn")
    assert status == 0, err
    frame.head(10).assign(y=["a", "b", "c", "d"] * 2 + ["a", "b"]).to_csv(tmp_path / "e.csv",
                                                                         index=False)
    status, out, err = run(capsys, "evaluate", tmp_path / "m.ffnn", tmp_path / "e.csv")
    assert status == 0 and "ROC AUC" not in out, err
    assert ("they count as errors in the accuracy, the log loss is over the other 8 rows, "
            "and the confusion matrix") in err, err
