"""Honest numbers from the command line: test rows held out from training and from choosing
the epoch, scores on the training file flagged as such, the best validation epoch's weights
kept, and one line saying why training stopped."""

import io
import re

import numpy as np
import pandas as pd
import pytest
from cli_runs import one_error, run

import ffnn


def _houses(path, n=300, seed=0):
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({"area": rng.uniform(40, 200, n), "rooms": rng.integers(1, 7, n),
                          "city": rng.choice(["north", "south", "east"], n)})
    bonus = frame["city"].map({"north": 50.0, "south": 0.0, "east": -30.0})
    frame["price"] = 3.0 * frame["area"] + 20 * frame["rooms"] + bonus + rng.normal(0, 30, n)
    frame.to_csv(path, index=False)
    return frame


def _metric(line, name):
    return float(line.split(name)[1].split()[0])


def test_test_rows_are_held_out_written_and_recognised(tmp_path, capsys):
    data, model, test = tmp_path / "houses.csv", tmp_path / "m.ffnn", tmp_path / "test.csv"
    frame = _houses(data)
    status, out, err = run(capsys, "fit", data, "--target", "price", "--test-size", "0.25",
                            "--test-out", test, "--epochs", "40", "--lr", "0.01", "-o", model)
    assert status == 0, err
    written = pd.read_csv(test)
    assert len(written) == 75 and list(written.columns) == list(frame.columns)
    loaded = ffnn.load(model)
    d = loaded.data
    assert (d.rows, d.training_rows, d.validation_rows, d.test_rows) == (300, 180, 45, 75)
    assert d.name == "houses.csv" and d.test_name == "test.csv"
    assert set(loaded.metrics) == {"training", "validation", "test"}
    test_line = next(line for line in out.splitlines() if line.startswith("test:"))
    # evaluate on the test file: the same score, and the note that none of it was trained on
    status, out, err = run(capsys, "evaluate", model, test)
    assert status == 0, err
    assert "held out" in out and "none trained the network" in out
    assert _metric(out, "R² ") == pytest.approx(_metric(test_line, "R² "), abs=1e-4)
    # evaluate on the training file: a notice, and the parts scored apart
    status, out, err = run(capsys, "evaluate", model, data)
    assert status == 0, err
    assert "is the file this model was trained on" in out and "optimistic" in out
    parts = {line.split()[0]: line for line in out.splitlines()
             if line.split()[0] in ("training", "validation", "test") and " rows " in line}
    assert set(parts) == {"training", "validation", "test"}
    assert _metric(parts["test"], "R² ") == pytest.approx(_metric(test_line, "R² "), abs=1e-4)
    # the plot on the training file says so too
    status, _, err = run(capsys, "plot", model, "--kind", "fit", "--data", data, "-o",
                          tmp_path / "fit.png")
    assert status == 0 and "trained on" in err


@pytest.mark.parametrize("sep, header", [(",", True), (";", True), (" ", True), (",", False)])
def test_test_rows_are_written_as_the_file_spells_them(tmp_path, capsys, sep, header):
    # pandas' values written out turned the id 00007 into 7.0 (its column has a missing value),
    # the marker '?' into an empty field, 2.50 into 2.5, and a decimal comma into a point
    rng = np.random.default_rng(0)
    decimal = "," if sep == ";" else "."
    lines = [sep.join(["id", "size", "colour", "price"])] if header else []
    for i in range(60):
        size = f"{rng.uniform(1, 9):.2f}".replace(".", decimal)
        colour = "?" if i % 9 == 0 else ["red", "blue"][i % 2]
        lines.append(sep.join(["" if i == 3 and sep != " " else f"{i:05d}", size, colour,
                               f"{i / 2 + (i % 2):.2f}".replace(".", decimal)]))
    data, model, test = tmp_path / "d.csv", tmp_path / "m.ffnn", tmp_path / "test.csv"
    data.write_text("\n".join(lines) + "\n")
    target, drop = ("price", "id") if header else ("3", "0")
    status, out, err = run(capsys, "fit", data, "--target", target, "--drop", drop,
                            "--impute", "--na-values", "?", "--test-size", "0.25", "--test-out",
                            test, "--epochs", "5", "-o", model,
                            *([] if header else ["--no-header"]))
    assert status == 0, err
    written = test.read_text().splitlines()
    fields = [line.split("\t" if sep == " " else sep) for line in written]
    original = [line.split(sep) for line in lines]
    assert fields[0] == original[0] if header else True
    assert len(fields) == 15 + header and all(row in original for row in fields)
    test_line = next(line for line in out.splitlines() if line.startswith("test:"))
    status, out, err = run(capsys, "evaluate", model, test)
    assert status == 0, err
    assert out.splitlines()[-1].split()[3:] == test_line.split()[1:]


def test_a_changed_file_is_not_taken_for_the_training_file(tmp_path, capsys):
    data, model = tmp_path / "houses.csv", tmp_path / "m.ffnn"
    frame = _houses(data)
    assert run(capsys, "fit", data, "--target", "price", "--epochs", "3", "-q", "-o",
                model)[0] == 0
    frame.iloc[:-1].to_csv(tmp_path / "other.csv", index=False)
    status, out, _ = run(capsys, "evaluate", model, tmp_path / "other.csv")
    assert status == 0 and "trained on" not in out


def test_a_record_knows_files_by_the_fingerprint_their_fit_took(tmp_path):
    from ffnn.tabular import file_hash, files_hash
    from ffnn.tabular.provenance import Provenance

    one, two, test = (tmp_path / name for name in ("a.csv", "b.csv", "test.csv"))
    for i, path in enumerate((one, two, test)):
        path.write_text(f"x,y\n{i},{i}\n")

    def record(sha256, test_sha256):
        return Provenance("data", sha256, 10, 0, 0.1, 0.2, 7, 1, 2, "test.csv", test_sha256)

    in_memory = record(file_hash(one), file_hash(test))
    assert in_memory.role_of([one]) == ("training", "bytes")
    assert in_memory.role_of([test]) == ("test", "bytes")
    assert in_memory.role_of([two]) == (None, None)
    assert in_memory.role_of([one, two]) == (None, None)
    cluster = record(files_hash([one, two]), files_hash([test]))
    assert cluster.role_of([two, one]) == ("training", "files")
    assert cluster.role_of([one]) == (None, None)
    assert cluster.role_of([test]) == ("test", "files")
    assert record(files_hash([one]), None).role_of([one]) == ("training", "files")


def test_the_best_validation_epoch_is_kept_unless_keep_last(tmp_path, capsys):
    data = tmp_path / "houses.csv"
    _houses(data, n=120)
    # A large network on few rows overfits: the validation score peaks and falls.
    argv = ["fit", data, "--target", "price", "--hidden", "64,64", "--lr", "0.01",
            "--epochs", "100", "--alpha", "0", "--tol", "0", "-o"]
    status, out, err = run(capsys, *argv, tmp_path / "best.ffnn")
    assert status == 0, err
    best = ffnn.load(tmp_path / "best.ffnn")
    scores = best.estimator.validation_scores_
    k = int(np.argmax(scores)) + 1
    assert k < len(scores) and best.kept_epoch == k
    assert f"kept the weights of epoch {k}, the best validation R² {max(scores):.4f}" in out
    assert "--keep-last" in out
    assert best.metrics["validation"]["R²"] == pytest.approx(max(scores), abs=1e-9)
    status, out, err = run(capsys, *argv, tmp_path / "last.ffnn", "--keep-last")
    assert status == 0, err
    last = ffnn.load(tmp_path / "last.ffnn")
    assert last.kept_epoch == len(scores) and "kept the last epoch's weights" in out
    assert last.metrics["validation"]["R²"] == pytest.approx(scores[-1], abs=1e-9)


@pytest.mark.parametrize("argv, words", [
    (["--epochs", "5"], "trained all 5 epochs"),
    (["--epochs", "1500", "--tol", "5"],
     "of 1500: the training loss did not beat its best by at least tol=5 in any of the last "
     "11 epochs"),
    (["--epochs", "300", "--early-stopping", "--tol", "0.5"],
     "of 300: the validation R² did not beat its best by at least tol=0.5 in any of the last "
     "11 epochs"),
    (["--solver", "lbfgs", "--hidden", "8", "--epochs", "500", "--tol", "1e-3"],
     "L-BFGS converged at iteration"),
    (["--solver", "lbfgs", "--hidden", "8", "--epochs", "3"],
     "trained all 3 iterations (the last iteration was the best: more --epochs"),
    (["--validation-fraction", "0", "--epochs", "4"],
     "kept the last epoch's weights (no validation rows to choose another)"),
])
def test_why_training_stopped_is_one_line(tmp_path, capsys, argv, words):
    data = tmp_path / "houses.csv"
    _houses(data, n=120)
    status, out, err = run(capsys, "fit", data, "--target", "price", *argv, "-q", "-o",
                            tmp_path / "m.ffnn")
    assert status == 0, err
    lines = [line for line in out.splitlines() if words in line]
    assert len(lines) == 1 and "kept" in lines[0], out
    assert ffnn.load(tmp_path / "m.ffnn").stopped == lines[0]


def test_the_epochs_said_not_to_improve_are_counted_from_the_loss_curve(tmp_path, capsys):
    """scikit-learn's rule stops once more than n_iter_no_change epochs in a row have not beaten
    the best loss by tol: the line says how many, as the model's own curve counts them."""
    data = tmp_path / "houses.csv"
    _houses(data, n=120)
    assert run(capsys, "fit", data, "--target", "price", "--epochs", "1500", "--tol", "5",
               "-q", "-o", tmp_path / "m.ffnn")[0] == 0
    model = ffnn.load(tmp_path / "m.ffnn")
    best, count = np.inf, 0
    for loss in model.estimator.loss_curve_:
        count = count + 1 if loss > best - 5 else 0
        best = min(best, loss)
    assert f"in any of the last {count} epochs" in model.stopped, model.stopped


def test_validation_rows_without_a_score_are_said(tmp_path, capsys):
    # R² of one validation row is no number: no epoch could be chosen by it, and the last
    # epoch's weights were kept without a word why
    (tmp_path / "tiny.csv").write_text("x,y\n1,2.5\n2,4.1\n3,6.2\n4,8.3\n")
    status, out, err = run(capsys, "fit", tmp_path / "tiny.csv", "--target", "y", "--epochs",
                           "3", "-q", "-o", tmp_path / "m.ffnn")
    assert status == 0, err
    assert "kept the last epoch's weights (no epoch had a validation R² to choose another by)" \
        in out


def test_divergence_is_said_in_one_line(tmp_path, capsys):
    """gd at learning rate 2 on this table diverges at epoch 6: no model is written, and the line
    says why and what the best epoch before it scored; with early stopping, which goes back to
    the best-scoring epoch as scikit-learn does, the model is saved and the line says so."""
    from sklearn.datasets import make_regression

    X, y = make_regression(n_samples=400, n_features=8, noise=5, random_state=0)
    frame = pd.DataFrame(X, columns=[f"x{k}" for k in range(8)]).assign(y=y)
    frame.to_csv(tmp_path / "d.csv", index=False)
    argv = ["fit", tmp_path / "d.csv", "--target", "y", "--solver", "gd", "--lr", "2",
            "--epochs", "200", "-q", "-o", tmp_path / "m.ffnn"]
    status, out, err = run(capsys, *argv)
    lines = err.strip().splitlines()
    assert status == 2 and len(lines) == 1 and not (tmp_path / "m.ffnn").exists()
    assert "training diverged at epoch 6" in lines[0] and "at epoch 1" in lines[0]
    assert "lower --lr (now 2)" in lines[0]
    status, out, err = run(capsys, *argv, "--early-stopping")
    assert status == 0, err
    line = next(line for line in out.splitlines() if "diverged" in line)
    assert line.startswith("training diverged at epoch 6 of 200") and "kept the weights of " \
        "epoch 1" in line
    assert np.isfinite(ffnn.load(tmp_path / "m.ffnn").predict(frame)).all()


@pytest.mark.parametrize("seed", range(10))
def test_a_class_with_a_single_row_stays_in_training_for_every_seed(tmp_path, capsys, seed):
    rng = np.random.default_rng(1)
    n = 60
    frame = pd.DataFrame({"x1": rng.normal(size=n), "x2": rng.normal(size=n)})
    frame["kind"] = np.where(frame["x1"] > 0, "big", "small")
    frame.loc[17, "kind"] = "rare"
    frame.to_csv(tmp_path / "d.csv", index=False)
    status, out, err = run(capsys, "fit", tmp_path / "d.csv", "--target", "kind", "--epochs",
                            "2", "--seed", seed, "-q", "-o", tmp_path / "m.ffnn")
    assert status == 0, err
    assert "warning: class 'rare' has a single row: kept in training" in err
    assert "rare" in list(ffnn.load(tmp_path / "m.ffnn").classes_)
    status, _, err = run(capsys, "fit", tmp_path / "d.csv", "--target", "kind", "--epochs",
                          "2", "--seed", seed, "--test-size", "0.3", "-q", "-o",
                          tmp_path / "m.ffnn")
    assert status == 0 and "kept in training, so the test rows cannot score it" in err


def test_a_split_that_would_leave_a_class_without_training_rows(tmp_path, capsys):
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"x": rng.normal(size=40)})
    frame["kind"] = ["a"] * 19 + ["b"] * 19 + ["c"] * 2
    frame.to_csv(tmp_path / "d.csv", index=False)
    for seed in range(5):
        status, _, err = run(capsys, "fit", tmp_path / "d.csv", "--target", "kind",
                              "--validation-fraction", "0.9", "--seed", seed, "--epochs", "2",
                              "-q", "-o", tmp_path / "m.ffnn")
        assert status == 0, err


@pytest.mark.parametrize("option", ["--validation-fraction", "--test-size"])
def test_a_split_that_leaves_fewer_training_rows_than_classes_names_its_option(tmp_path, capsys,
                                                                               option):
    """99% of 150 rows held out leaves 1 row for 3 classes: refused with the option to lower,
    not with scikit-learn's words on train_size."""
    frame = pd.DataFrame({"x": np.arange(150.0), "kind": ["a", "b", "c"] * 50})
    frame.to_csv(tmp_path / "d.csv", index=False)
    line = one_error(capsys, "fit", tmp_path / "d.csv", "--target", "kind", option, "0.9925",
                     "-o", tmp_path / "m.ffnn")
    assert "leaves 1 to train on, fewer than the 3 classes" in line and f"lower {option}" in line
    assert "holding out 99.25% of 150 rows" in line  # as given, not rounded to 99%
    assert "train_size" not in line


def test_predictions_read_back(tmp_path, capsys):
    data, model = tmp_path / "houses.csv", tmp_path / "m.ffnn"
    _houses(data, n=80)
    assert run(capsys, "fit", data, "--target", "price", "--epochs", "3", "-q", "-o",
                model)[0] == 0
    status, out, _ = run(capsys, "predict", model, data)
    assert status == 0 and len(pd.read_csv(io.StringIO(out))) == 80


def test_rows_of_the_training_file_in_another_file_are_known_by_their_values(tmp_path, capsys):
    """Another copy of training rows (line endings, separator, column order, a subset, shuffled)
    was scored as if new: optimistic numbers without a word."""
    data, model = tmp_path / "houses.csv", tmp_path / "m.ffnn"
    frame = _houses(data)
    assert run(capsys, "fit", data, "--target", "price", "--epochs", "3", "-q", "--test-size",
               "0.2", "--test-out", tmp_path / "test.csv", "-o", model)[0] == 0
    record = ffnn.load(model).data
    assert record.seen_rows == len(record.seen_hashes) == 240  # training and validation rows
    frame.to_csv(tmp_path / "crlf.csv", index=False, lineterminator="\r\n")
    frame[frame.columns[::-1]].to_csv(tmp_path / "semicolons.csv", index=False, sep=";")
    for name in ("crlf.csv", "semicolons.csv"):
        status, out, _ = run(capsys, "evaluate", model, tmp_path / name)
        assert status == 0
        assert f"note: 240 of the 300 rows of {tmp_path / name} are identical to rows that " \
               "trained or validated this model" in out
        assert "seen rows          240" in out and "unseen rows         60" in out
    test = pd.read_csv(tmp_path / "test.csv")
    mixed = pd.concat([frame.iloc[:30], test.iloc[:10]]).sample(frac=1, random_state=0)
    mixed.to_csv(tmp_path / "mixed.csv", index=False)
    status, out, _ = run(capsys, "evaluate", model, tmp_path / "mixed.csv")
    seen = 30 - len(_test_rows(frame.iloc[:30], test))  # the first rows held test rows too
    assert f"note: {seen} of the 40 rows of" in out
    assert re.search(rf"^unseen rows +{40 - seen}  R²", out, re.MULTILINE)
    _houses(tmp_path / "new.csv", seed=1)
    status, out, _ = run(capsys, "evaluate", model, tmp_path / "new.csv")
    assert status == 0 and "note:" not in out and "seen rows" not in out


def _test_rows(frame, test):
    """The index of the training file's rows that the test file holds."""
    keys = test.round(9).astype(str).agg("|".join, axis=1)
    return frame.index[frame.round(9).astype(str).agg("|".join, axis=1).isin(keys)]


def test_rows_are_hashed_alike_in_chunks_and_in_any_column_order():
    from ffnn.tabular import row_hashes

    frame = _houses(io.StringIO(), n=50)
    whole = row_hashes(frame, ["area", "rooms", "city", "price"])
    np.testing.assert_array_equal(row_hashes(frame, ["price", "city", "rooms", "area"], chunk=7),
                                  whole)
    assert len(np.unique(whole)) == 50
    # numbers apart beyond float32's precision are other rows (timestamps, coordinates, ids)
    close = pd.DataFrame({"t": [1.7e9, 1.7e9 + 50], "lat": [37.7749295, 37.7749299],
                          "id": [123456789, 123456790]})
    hashes = row_hashes(close, ["t", "lat", "id"])
    assert hashes[0] != hashes[1]


def test_a_large_training_set_s_overlap_is_estimated_from_a_sample():
    from ffnn.tabular.provenance import SKETCH, Provenance

    rng = np.random.default_rng(0)
    trained = rng.integers(0, 2**64, 20_000, dtype=np.uint64)
    record = Provenance("d", "0" * 64, 25_000, 0, 0.1, 0.2, 18_000, 2_000, 5_000)
    record.keep_rows(trained)
    assert len(record.seen_hashes) == SKETCH and record.seen_rows == 20_000
    table = np.concatenate([trained[:5_000], rng.integers(0, 2**64, 5_000, dtype=np.uint64)])
    seen, exact, certain = record.overlap(table)
    assert not exact and abs(seen - 5_000) < 4 * np.sqrt(5_000 * SKETCH / 20_000) * 20_000 / SKETCH
    assert certain == round(seen * SKETCH / 20_000) or abs(certain - seen * SKETCH / 20_000) < 1
    again = Provenance.from_state(record.state())
    assert again.overlap(table) == (seen, exact, certain)
    small = Provenance("d", "0" * 64, 10, 0, 0.1, 0.2, 7, 1, 2).keep_rows(trained[:8])
    assert small.overlap(np.concatenate([trained[:3], trained[:3], trained[50:60]])) == (
        6, True, 6)


@pytest.mark.parametrize("change, message", [
    ({"seen_hashes": ["0" * 15]}, "16 hexadecimal digits"),
    ({"seen_hashes": ["0" * 16, "0" * 16], "seen_rows": 2}, "distinct hashes in order"),
    ({"seen_hashes": ["1" * 16, "0" * 16], "seen_rows": 2}, "distinct hashes in order"),
    ({"seen_hashes": [], "seen_rows": 0}, "distinct hashes in order"),
    ({"seen_rows": 5}, "seen_rows must count"),
    ({"seen_rows": True}, "seen_rows must count"),
    ({"seen_hashes": None}, "16 hexadecimal digits"),
])
def test_a_record_s_row_hashes_are_checked(change, message):
    from ffnn.tabular.provenance import Provenance

    state = Provenance("d", "0" * 64, 10, 0, 0.1, 0.2, 7, 1, 2).keep_rows(
        np.arange(8, dtype=np.uint64)).state()
    assert Provenance.from_state(state).seen_rows == 8
    with pytest.raises(ValueError, match=message):
        Provenance.from_state({**state, **change})
    older = {k: v for k, v in state.items() if not k.startswith("seen_")}
    assert Provenance.from_state(older).overlap(np.arange(3, dtype=np.uint64)) is None
    with pytest.raises(ValueError, match="must give"):
        Provenance.from_state({k: v for k, v in state.items() if k != "seen_rows"})


def test_rows_of_labels_kept_as_spelled_are_known_too(tmp_path, capsys):
    """Labels '007' and '7' are kept as text: the rows are hashed with them as later files are
    read for the model, not as the numbers pandas first read."""
    rng = np.random.default_rng(5)
    frame = pd.DataFrame({"x": rng.normal(size=90)})
    frame["code"] = np.where(frame["x"] > 0.5, "007", np.where(frame["x"] < -0.5, "7", "010"))
    frame.to_csv(tmp_path / "codes.csv", index=False)
    model = tmp_path / "m.ffnn"
    assert run(capsys, "fit", tmp_path / "codes.csv", "--target", "code", "--epochs", "3", "-q",
               "--test-size", "0.2", "-o", model)[0] == 0
    frame.to_csv(tmp_path / "copy.csv", index=False, sep=";")
    status, out, _ = run(capsys, "evaluate", model, tmp_path / "copy.csv")
    assert status == 0 and "72 of the 90 rows of" in out


def test_rows_are_known_in_a_file_whose_labels_pandas_reads_as_text(tmp_path, capsys):
    """One label that names no class ('unknown') makes pandas read the integer labels 0 and 1
    as text: the other rows are still the training rows, hashed by the classes they name."""
    rng = np.random.default_rng(6)
    frame = pd.DataFrame({"x": rng.normal(size=90).round(3)})
    frame["y"] = (frame["x"] > 0).astype(int)
    frame.to_csv(tmp_path / "train.csv", index=False)
    model = tmp_path / "m.ffnn"
    assert run(capsys, "fit", tmp_path / "train.csv", "--target", "y", "--epochs", "3", "-q",
               "--test-size", "0.2", "-o", model)[0] == 0
    later = frame.astype({"y": object})
    later.loc[0, "y"] = "unknown"
    later.to_csv(tmp_path / "later.csv", index=False)
    status, out, _ = run(capsys, "evaluate", model, tmp_path / "later.csv")
    seen = int(re.search(r"note: (\d+) of the 90 rows of", out).group(1))
    assert status == 0 and seen in (71, 72)  # 72 trained or validated, less row 0 if it did


def test_rows_of_few_possible_values_are_said_to_repeat_by_chance(tmp_path, capsys):
    """Independent rows of three small-valued columns are mostly identical to training rows:
    said so, not only as optimistic."""
    rng = np.random.default_rng(0)

    def draw(n):
        frame = pd.DataFrame({"a": rng.integers(0, 3, n), "b": rng.choice(["x", "y"], n)})
        frame["y"] = frame["a"] + 2 * (frame["b"] == "x")
        return frame

    draw(500).to_csv(tmp_path / "train.csv", index=False)
    draw(100).to_csv(tmp_path / "new.csv", index=False)
    model = tmp_path / "m.ffnn"
    assert run(capsys, "fit", tmp_path / "train.csv", "--target", "y", "--epochs", "2", "-q",
               "-o", model)[0] == 0
    status, out, _ = run(capsys, "evaluate", model, tmp_path / "new.csv")
    assert status == 0 and "all 100 rows of" in out
    assert "its rows repeat themselves too (6 distinct among 500), so rows of new data can be " \
           "identical to them by chance" in out
    # the test rows of such data are copies of training rows too: the note on them says so
    assert run(capsys, "fit", tmp_path / "train.csv", "--target", "y", "--epochs", "2", "-q",
               "--test-size", "0.2", "--test-out", tmp_path / "test.csv", "-o", model)[0] == 0
    status, out, _ = run(capsys, "evaluate", model, tmp_path / "test.csv")
    assert "none trained the network or chose the epoch kept; but 100 of them are identical " \
           "to rows that did (the data repeat rows)" in out


def test_metrics_a_file_leaves_undefined_are_said_so(tmp_path, capsys):
    data, model = tmp_path / "houses.csv", tmp_path / "m.ffnn"
    frame = _houses(data)
    assert run(capsys, "fit", data, "--target", "price", "--epochs", "2", "-q", "-o",
               model)[0] == 0
    frame.head(1).to_csv(tmp_path / "one.csv", index=False)
    status, out, err = run(capsys, "evaluate", model, tmp_path / "one.csv")
    assert status == 0 and "R² nan" in out
    assert "note: R² is not defined on a single row" in err
    frame["north"] = frame["city"] == "north"
    frame.drop(columns="price").to_csv(tmp_path / "kinds.csv", index=False)
    assert run(capsys, "fit", tmp_path / "kinds.csv", "--target", "north", "--epochs", "2",
               "-q", "-o", model)[0] == 0
    frame[frame["north"]].drop(columns="price").to_csv(tmp_path / "north.csv", index=False)
    status, out, err = run(capsys, "evaluate", model, tmp_path / "north.csv")
    assert status == 0 and "ROC AUC" not in out
    assert "note: ROC AUC needs rows of both classes; these rows hold one" in err


def test_errors_of_a_target_in_millionths_are_not_printed_as_zero(tmp_path, capsys):
    data, model, test = tmp_path / "small.csv", tmp_path / "m.ffnn", tmp_path / "test.csv"
    frame = _houses(tmp_path / "houses.csv")
    frame.assign(price=frame["price"] * 1e-8).to_csv(data, index=False)
    status, out, err = run(capsys, "fit", data, "--target", "price", "--epochs", "3", "-q",
                           "--test-out", test, "-o", model)
    assert status == 0, err
    for text in (out, run(capsys, "evaluate", model, test)[1],
                 run(capsys, "summary", model)[1]):
        rmse = [_metric(line, "RMSE ") for line in text.splitlines() if "RMSE " in line]
        assert rmse and all(1e-8 < value < 1e-5 for value in rmse), text


def test_a_file_refused_gets_no_note_of_its_training_rows_first(tmp_path, capsys):
    data, model = tmp_path / "houses.csv", tmp_path / "m.ffnn"
    frame = _houses(data)
    assert run(capsys, "fit", data, "--target", "price", "--epochs", "2", "-q", "-o",
               model)[0] == 0
    frame.loc[5, "area"] = np.inf  # the other rows are the training file's
    frame.to_csv(tmp_path / "bad.csv", index=False)
    for argv in (["evaluate", model, tmp_path / "bad.csv"],
                 ["plot", model, "--kind", "fit", "--data", tmp_path / "bad.csv", "-o",
                  tmp_path / "fit.png"]):
        status, out, err = run(capsys, *argv)
        assert status == 2 and out == "" and err.count("\n") == 1, (out, err)
        assert "infinite values in row(s) 6" in err


def test_a_fit_says_which_of_its_parts_leave_a_metric_undefined(tmp_path, capsys):
    data = tmp_path / "houses.csv"
    _houses(data).head(5).to_csv(data, index=False)  # 4 training rows, 1 validation row
    status, out, err = run(capsys, "fit", data, "--target", "price", "--epochs", "2", "-q",
                           "-o", tmp_path / "m.ffnn")
    assert status == 0 and "validation: R² nan" in out, err
    assert "note: validation rows: R² is not defined on a single row" in err
    assert "training rows" not in err


@pytest.mark.parametrize("solver, unit", [("lbfgs", "iteration"), ("adam", "epoch")])
def test_the_note_on_test_rows_names_the_solver_s_step(tmp_path, capsys, solver, unit):
    """An L-BFGS model keeps an iteration, as fit says, not an epoch."""
    _houses(tmp_path / "h.csv")
    model, test = tmp_path / "m.ffnn", tmp_path / "test.csv"
    assert run(capsys, "fit", tmp_path / "h.csv", "--target", "price", "--solver", solver,
               "--epochs", "3", "-q", "--test-size", "0.2", "--test-out", test,
               "-o", model)[0] == 0
    status, out, _ = run(capsys, "evaluate", model, test)
    assert status == 0 and f"none trained the network or chose the {unit} kept" in out, out


def test_early_stopping_without_a_finite_validation_score_says_it_kept_the_starting_weights(
        tmp_path, capsys):
    # One validation row far beyond float range overflows every epoch's score (-inf): early
    # stopping then goes back to where training started, which is what fit must say.
    from ffnn.cli.splits import split_rows

    rng = np.random.default_rng(0)
    frame = pd.DataFrame(rng.normal(size=(40, 2)), columns=["a", "b"])
    frame["y"] = frame["a"] * 3 + frame["b"]
    frame.loc[split_rows(40, None, 0.2).validation[0], "a"] = 1e300
    frame.to_csv(tmp_path / "d.csv", index=False)
    status, out, err = run(capsys, "fit", tmp_path / "d.csv", "--target", "y", "--epochs", "3",
                           "--early-stopping", "-q", "-o", tmp_path / "m.ffnn")
    assert status == 0, err
    assert "kept the starting weights, untrained (every validation R² was -inf or NaN" in out
    assert "kept the last epoch's weights" not in out
    model = ffnn.load(tmp_path / "m.ffnn")
    assert model.kept_epoch is None and len(model.estimator.loss_curve_) == 3
