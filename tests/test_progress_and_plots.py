"""Progress display modes (a bar on a terminal, at most about twenty lines elsewhere), and what
the plots say: the network drawing with its inputs named and its edges sampled, the fit plot
naming its target and parts, the loss plot its metric and units, ROC curves told apart by line
style, and the format chosen by the file's suffix."""

import io
import sys

import numpy as np
import pandas as pd
import pytest
from cli_runs import run
from PIL import Image
from sklearn.exceptions import NotFittedError

import ffnn
from ffnn.cli import fit_plots, main, plots
from ffnn.cli.progress import Progress
from ffnn.training import EpochInfo


def test_progress_bar_on_a_terminal_lines_elsewhere_nothing_when_quiet():
    infos = [EpochInfo(k, 1.0 / k, validation_score=0.5 + k / 10) for k in (1, 2, 3)]
    stream = io.StringIO()
    bar = Progress(3, "accuracy", stream=stream, bar=True)
    for info in infos:
        bar(info)
    bar.close()
    text = stream.getvalue()
    assert "3/3" in text and "loss=0.333" in text and "val accuracy=0.8000" in text
    stream = io.StringIO()
    lines = Progress(3, "R²", stream=stream)  # a StringIO is not a terminal
    for info in infos:
        lines(info)
    assert stream.getvalue().splitlines() == [
        "epoch 1/3  loss 1  val R² 0.6000  (best)", "epoch 2/3  loss 0.5  val R² 0.7000  (best)",
        "epoch 3/3  loss 0.33333  val R² 0.8000  (best)"]
    stream = io.StringIO()
    quiet = Progress(3, stream=stream, quiet=True)
    for info in infos:
        quiet(info)
    assert stream.getvalue() == ""


def test_network_drawing_elides_large_layers(tmp_path):
    net = ffnn.Network([300, 100, 3], ["relu", "softmax"], "cross_entropy", random_state=0)
    from ffnn.cli import drawing

    path = plots.network(net, tmp_path / "big.png")
    with Image.open(path) as image:
        assert image.size[0] > 300 and image.size[1] > 300
    drawn = drawing.drawn(100)
    assert len(drawn) <= drawing.MAX_DRAWN and None in drawn and drawn[0] == 0 and drawn[-1] == 99
    assert drawing.drawn(5) == [0, 1, 2, 3, 4]


def test_loss_curve_needs_a_trained_model(tmp_path):
    with pytest.raises(ValueError, match="no loss curve"):
        plots.loss_curve(ffnn.FFNNRegressor(), tmp_path / "x.png")
    assert not (tmp_path / "x.png").exists()


def test_plotting_an_unfitted_estimator_says_to_fit_it(tmp_path):
    # not that it "was not trained by ffnn", nor that "summary" needs a fitted one
    for draw in (plots.loss_curve, plots.network):
        with pytest.raises(NotFittedError, match=r"^this FFNNClassifier is not fitted yet: it has "
                                                 r"no (loss curve|network) to plot; call fit"):
            draw(ffnn.FFNNClassifier(), tmp_path / "x.png")
    net = ffnn.Network([2, 3, 1], ["relu", "linear"], "rss", random_state=0)
    with pytest.raises(ValueError, match="a Network keeps no loss curve: plot that of a fitted "):
        plots.loss_curve(net, tmp_path / "x.png")
    assert not (tmp_path / "x.png").exists()


def test_the_loss_plot_of_a_saved_network_names_its_file_and_what_the_command_takes(tmp_path,
                                                                                    capsys):
    """`ffnn plot NET --kind loss` said "a Network keeps no loss curve", naming no file."""
    from cli_runs import one_error

    path = tmp_path / "net.ffnn"
    ffnn.save(ffnn.Network([2, 3, 1], ["relu", "linear"], "rss", random_state=0), path)
    line = one_error(capsys, "plot", path, "--kind", "loss", "-o", tmp_path / "x.png")
    assert line == (f"ffnn: error: {path} holds a Network, which keeps no loss curve: plot that "
                    "of a fitted FFNNRegressor or FFNNClassifier, or of a model 'ffnn fit' wrote "
                    "(--kind network draws any)")
    assert not (tmp_path / "x.png").exists()


def test_plotting_an_unfitted_scikit_learn_estimator_says_to_fit_it(tmp_path):
    # not that an MLPRegressor "keeps no loss curve": fitted with adam, it keeps one
    from sklearn.neural_network import MLPRegressor

    with pytest.raises(NotFittedError, match=r"^this MLPRegressor is not fitted yet: it has no "
                                             r"loss curve to plot; call fit first"):
        plots.loss_curve(MLPRegressor(), tmp_path / "x.png")
    assert not (tmp_path / "x.png").exists()


def test_the_loss_plot_of_a_fit_interrupted_before_recording_a_loss_says_so(tmp_path,
                                                                           monkeypatch):
    # not that an FFNNRegressor "keeps no loss curve", to be plotted from a fitted one
    import scipy.optimize

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(scipy.optimize, "minimize", interrupted)
    X = np.random.default_rng(0).normal(size=(20, 2))
    with pytest.warns(UserWarning, match="interrupted"):
        model = ffnn.FFNNRegressor(hidden_layer_sizes=(3,), solver="lbfgs").fit(X, X[:, 0])
    with pytest.raises(ValueError, match=r"^this FFNNRegressor recorded no loss: its fit was "
                                         r"interrupted during iteration 1, before recording one; "
                                         r"fit it again to plot its loss curve"):
        plots.loss_curve(model, tmp_path / "x.png")
    assert not (tmp_path / "x.png").exists()


# -- progress from the command line ------------------------------------------------------------

def _table(path, n=60, seed=0):
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({"area": rng.uniform(40, 200, n), "rooms": rng.integers(1, 7, n)})
    frame["price"] = 3 * frame["area"] + 20 * frame["rooms"] + rng.normal(0, 10, n)
    frame.to_csv(path, index=False)
    return frame


class _Terminal(io.StringIO):
    def isatty(self):
        return True


def test_on_a_terminal_the_bar_follows_whole_lines(tmp_path, monkeypatch):
    """The bar never cuts the lines printed before training ("…epoch/s]t / raining a …")."""
    _table(tmp_path / "h.csv")
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    status = main(["fit", str(tmp_path / "h.csv"), "--target", "price", "--epochs", "30",
                   "-o", str(tmp_path / "m.ffnn")])
    text = terminal.getvalue()
    assert status == 0, text
    before_bar = text.split("\r")[0]  # tqdm starts each drawing of the bar with \r
    training = [line for line in before_bar.split("\n") if "training a" in line]
    assert len(training) == 1 and training[0].startswith("training a regression network")
    assert training[0].endswith("standardised target)") and before_bar.endswith("\n")
    assert "30/30" in text and "epoch" in text.split("\r", 1)[1]
    assert not any(line.startswith("epoch ") for line in text.splitlines())  # no log lines


@pytest.mark.parametrize("target, sizes", [("price", "[2, 5, 4, 1]"), ("two", "[2, 5, 4, 1]"),
                                           ("three", "[2, 5, 4, 3]")])
def test_the_network_said_before_training_has_every_layer(tmp_path, capsys, target, sizes):
    """The sizes said before training are the network's, the output layer too, as `summary`,
    the network drawing and the demo's [1, 8, 1] give them: one output for a regression or two
    classes, one per class for more."""
    frame = _table(tmp_path / "h.csv")
    frame["two"] = np.where(frame["price"] > frame["price"].median(), "high", "low")
    frame["three"] = np.array(["a", "b", "c"])[np.arange(len(frame)) % 3]
    others = [c for c in ("price", "two", "three") if c != target]
    frame.drop(columns=others).to_csv(tmp_path / "t.csv", index=False)
    status, _, err = run(capsys, "fit", tmp_path / "t.csv", "--target", target, "--hidden", "5,4",
                         "--epochs", "2", "-o", tmp_path / "m.ffnn")
    assert status == 0, err
    assert f" network {sizes} on " in err


def test_off_a_terminal_a_long_fit_prints_about_twenty_lines(tmp_path, capsys):
    _table(tmp_path / "h.csv", n=40)
    status = main(["fit", str(tmp_path / "h.csv"), "--target", "price", "--hidden", "4",
                   "--epochs", "1000", "--tol", "0", "-o", str(tmp_path / "m.ffnn")])
    err = capsys.readouterr().err
    assert status == 0, err
    progress = [line for line in err.splitlines() if line.startswith("epoch ")]
    assert 10 <= len(progress) <= 22, progress
    assert progress[0].startswith("epoch    1/1000") and progress[-1].startswith("epoch 1000/1000")


# -- plots: what they say, read off the figures the command line saves --------------------------


def _texts(fig):
    """Every piece of text on a figure: titles, labels, legends, annotations."""
    from matplotlib.text import Text

    return [t.get_text() for t in fig.findobj(Text) if t.get_text()]


def _fit(tmp_path, capsys, frame, target, *extra):
    data, model = tmp_path / "d.csv", tmp_path / "m.ffnn"
    frame.to_csv(data, index=False)
    status, _, err = run(capsys, "fit", data, "--target", target, "--epochs", "15", "-q",
                          *extra, "-o", model)
    assert status == 0, err
    return data, model



def test_the_network_drawing_names_its_inputs_and_fills_its_width(tmp_path, capsys, figures):
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(rng.normal(size=(40, 300)),
                         columns=[f"measurement_number_{k}" for k in range(300)])
    frame["y"] = frame.iloc[:, 0] - frame.iloc[:, 1]
    data, model = _fit(tmp_path, capsys, frame, "y", "--hidden", "64,32")
    assert run(capsys, "plot", model, "--kind", "network", "-o", tmp_path / "n.png")[0] == 0
    fig, _ = figures[-1]
    texts = _texts(fig)
    labels = [t for t in texts if t.startswith("measure")]
    assert "measurement_number_0" in labels and len(labels) == 10
    # shortened in the middle, so that the last inputs stay told apart
    assert len(set(labels)) == 10 and all(label.endswith(("_295", "_296", "_297", "_298",
                                                          "_299")) for label in labels[5:])
    assert any(t.startswith("Network 300 → 64 → 32 → 1") for t in texts)  # a title
    caption = next(t for t in texts if "drawn" in t)
    assert "40 of 19,200" in caption and "40 of 2,048" in caption  # a sample of the edges
    # a table of short names leaves no empty band on the left: its labels start near the edge
    frame = pd.DataFrame({"a": rng.normal(size=40), "b": rng.normal(size=40)})
    frame["y"] = frame["a"] + frame["b"]
    _, small = _fit(tmp_path, capsys, frame, "y")
    for model in (model, small):
        assert run(capsys, "plot", model, "--kind", "network", "-o", tmp_path / "n.png")[0] == 0
        fig, _ = figures[-1]
        fig.draw_without_rendering()  # lay the figure out as it was saved
        width = fig.bbox.width
        left = min(t.get_window_extent().x0 for t in fig.axes[0].texts
                   if t.get_text() and t.get_text()[0] in "abm")
        assert left < 0.12 * width, (left, width)


def test_the_network_drawing_says_what_each_output_computes(tmp_path, capsys, figures):
    rng = np.random.default_rng(2)
    frame = pd.DataFrame({"a": rng.normal(size=60), "b": rng.normal(size=60)})
    frame["kind"] = np.array(["setosa", "versicolor", "virginica"])[np.arange(60) % 3]
    frame["big"] = np.where(frame["a"] > 0, "yes", "no")
    frame["size"] = frame["a"] + frame["b"]
    expected = {"kind": ["P(setosa)", "P(versicolor)", "P(virginica)"], "big": ["P(yes)"],
                "size": ["size"]}
    for target, outputs in expected.items():
        others = [c for c in expected if c != target]
        _, model = _fit(tmp_path, capsys, frame, target, "--drop", ",".join(others))
        assert run(capsys, "plot", model, "--kind", "network", "-o", tmp_path / "n.png")[0] == 0
        texts = [t.get_text() for t in figures[-1][0].axes[0].texts]
        assert texts[-len(outputs):] == outputs, texts


def test_the_fit_plot_names_the_target_and_the_parts(tmp_path, capsys, figures):
    rng = np.random.default_rng(1)
    frame = pd.DataFrame({"area": rng.uniform(40, 200, 120)})
    frame["price"] = 3 * frame["area"] + rng.normal(0, 10, 120)
    data, model = _fit(tmp_path, capsys, frame, "price", "--test-size", "0.25", "--test-out",
                       tmp_path / "test.csv")
    assert run(capsys, "plot", model, "--kind", "fit", "--data", data, "-o",
                tmp_path / "f.png")[0] == 0
    texts = _texts(figures[-1][0])
    title = next(t for t in texts if "predicted against observed" in t)
    assert title.startswith("price") and "R² " in title and "on test rows" in title
    assert "observed price" in texts and "predicted price" in texts
    assert any(t.startswith("training rows (72)") for t in texts)
    assert any(t.startswith("test rows (30)") for t in texts)
    # on the test file alone, only the test rows, and no score of rows that are not there
    assert run(capsys, "plot", model, "--kind", "fit", "--data", tmp_path / "test.csv", "-o",
                tmp_path / "f.png")[0] == 0
    texts = _texts(figures[-1][0])
    title = next(t for t in texts if "predicted against observed" in t)
    assert "nan" not in title and "training" not in title and "on test rows" in title


def test_the_fit_plot_names_a_column_of_a_file_without_a_header_by_its_position(
        tmp_path, capsys, figures):
    rng = np.random.default_rng(3)
    frame = pd.DataFrame({"a": rng.normal(size=60), "b": rng.normal(size=60)})
    frame["c"] = frame["a"] - frame["b"]
    data, model = tmp_path / "d.csv", tmp_path / "m.ffnn"
    frame.to_csv(data, index=False, header=False)
    assert run(capsys, "fit", data, "--no-header", "--target", "2", "--epochs", "5", "-q",
               "-o", model)[0] == 0
    assert run(capsys, "plot", model, "--kind", "fit", "--data", data, "-o",
                tmp_path / "f.png")[0] == 0
    texts = _texts(figures[-1][0])
    assert "observed column 2" in texts and "predicted column 2" in texts


def test_the_confusion_matrix_counts_test_rows_not_validation_rows(tmp_path, capsys, figures):
    """Validation rows chose the epoch: they are not lumped with the test rows, which never
    took part in training; each part has its own ROC curve."""
    rng = np.random.default_rng(4)
    frame = pd.DataFrame({"x": rng.normal(size=200)})
    frame["kind"] = np.where(frame["x"] + rng.normal(0, 0.5, 200) > 0, "up", "down")
    data, model = _fit(tmp_path, capsys, frame, "kind", "--test-size", "0.25", "--test-out",
                       tmp_path / "test.csv")
    for extra, shown in ((["--data", data], "test rows (50)"),
                         (["--data", tmp_path / "test.csv"], "test rows (50)")):
        assert run(capsys, "plot", model, "--kind", "fit", *extra, "-o",
                   tmp_path / "f.png")[0] == 0
        matrix, roc = figures[-1][0].axes[:2]
        assert matrix.get_title().startswith(f"Confusion matrix, {shown}:")
        assert int(sum(int(t.get_text()) for t in matrix.texts)) == 50
    _, model = _fit(tmp_path, capsys, frame, "kind")  # validation rows, no test rows
    assert run(capsys, "plot", model, "--kind", "fit", "--data", data, "-o",
               tmp_path / "f.png")[0] == 0
    matrix, roc = figures[-1][0].axes[:2]
    assert matrix.get_title().startswith("Confusion matrix, validation rows (40):")
    legends = [t.get_text() for t in roc.get_legend().get_texts()]
    assert [t.split(" (")[0] for t in legends] == ["validation rows", "training rows"]


def test_the_loss_plot_names_its_metric_and_units(tmp_path, capsys, figures):
    rng = np.random.default_rng(2)
    frame = pd.DataFrame({"x": rng.normal(size=80)})
    frame["y"] = 2 * frame["x"] + rng.normal(0, 0.1, 80)
    frame["kind"] = np.where(frame["x"] > 0, "up", "down")
    _, model = _fit(tmp_path, capsys, frame.drop(columns="kind"), "y")
    assert run(capsys, "plot", model, "--kind", "loss", "-o", tmp_path / "l.png")[0] == 0
    texts = _texts(figures[-1][0])
    assert "validation R²" in texts and any("standardised" in t for t in texts)
    assert any("best validation R²" in t for t in texts)
    _, model = _fit(tmp_path, capsys, frame.drop(columns="y"), "kind")
    assert run(capsys, "plot", model, "--kind", "loss", "-o", tmp_path / "l.png")[0] == 0
    texts = _texts(figures[-1][0])
    assert "validation accuracy" in texts and not any("standardised" in t for t in texts)


def test_overlapping_roc_curves_differ_in_line_style(tmp_path, capsys, figures):
    rng = np.random.default_rng(3)
    label = rng.integers(0, 3, 150)
    frame = pd.DataFrame({"x1": rng.normal(size=150) + 4 * label,
                          "x2": rng.normal(size=150) - 4 * label})
    frame["kind"] = np.array(["a", "b", "c"])[label]
    data, model = _fit(tmp_path, capsys, frame, "kind", "--lr", "0.01")
    assert run(capsys, "plot", model, "--kind", "fit", "--data", data, "-o",
                tmp_path / "f.png")[0] == 0
    roc = figures[-1][0].axes[1]
    curves = [line for line in roc.get_lines() if line.get_label().endswith(")")]
    assert len(curves) == 3
    assert len({line.get_linestyle() for line in curves}) == 3
    assert "first 10" not in roc.get_title()


def test_a_roc_panel_of_many_classes_says_it_shows_the_first_ten(tmp_path, capsys, figures):
    rng = np.random.default_rng(5)
    label = np.arange(240) % 12
    frame = pd.DataFrame({"x": label + rng.normal(0, 0.3, 240)})
    frame["kind"] = np.array([f"k{i:02d}" for i in range(12)])[label]
    data, model = _fit(tmp_path, capsys, frame, "kind", "--epochs", "3")
    assert run(capsys, "plot", model, "--kind", "fit", "--data", data, "-o",
               tmp_path / "f.png")[0] == 0
    roc = figures[-1][0].axes[1]
    assert "(the first 10 of 12 classes, " in roc.get_title(), roc.get_title()
    assert len([line for line in roc.get_lines() if line.get_label().endswith(")")]) <= 10


@pytest.mark.parametrize("suffix, magic", [(".svg", b"<?xml"), (".pdf", b"%PDF"),
                                           (".jpg", b"\xff\xd8\xff"), (".png", b"\x89PNG")])
def test_the_suffix_chooses_the_format(tmp_path, capsys, suffix, magic):
    net = ffnn.Network([2, 3, 1], ["relu", "linear"], "rss", random_state=0)
    ffnn.save(net, tmp_path / "n.ffnn")
    out = tmp_path / f"drawing{suffix}"
    assert run(capsys, "plot", tmp_path / "n.ffnn", "--kind", "network", "-o", out)[0] == 0
    assert out.read_bytes().startswith(magic)


def test_the_epochs_marked_best_are_the_epochs_whose_weights_are_kept():
    from types import SimpleNamespace

    from ffnn.cli.stopping import BestEpoch

    scores = [0.5, 0.7, 0.7, 0.7, 0.6, 0.7, 0.8, 0.8]
    losses = [0.9, 0.5, 0.4, 0.45, 0.3, 0.2, 0.3, 0.3]
    best = BestEpoch(SimpleNamespace(network_=SimpleNamespace(params=np.zeros(2))))
    stream = io.StringIO()
    progress = Progress(len(scores), "accuracy", stream=stream)
    kept = []
    for epoch, (score, loss) in enumerate(zip(scores, losses), start=1):
        info = EpochInfo(epoch, 1.0, validation_score=score, validation_loss=loss)
        before = best.epoch
        best(info)
        progress(info)
        if best.epoch != before:
            kept.append(epoch)
    marked = [int(line.split()[1].split("/")[0]) for line in stream.getvalue().splitlines()
              if line.endswith("(best)")]
    assert marked == kept == [1, 2, 3, 6, 7]


def test_the_outputs_of_a_multilabel_network_are_named_per_label_column(tmp_path, figures):
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(40, 2)), (rng.random((40, 2)) < 0.5).astype(int)
    model = ffnn.FFNNClassifier(hidden_layer_sizes=(3,), solver="lbfgs", random_state=0)
    model.fit(X, Y)
    ffnn.save(model, tmp_path / "m.ffnn")
    for fitted in (model, ffnn.load(tmp_path / "m.ffnn")):
        plots.network(fitted, tmp_path / "n.png")
        texts = [t.get_text() for t in figures[-1][0].axes[0].texts]
        # each output is the probability that its label column holds 1, not that of a class
        assert texts[-2:] == ["P(y[0] = 1)", "P(y[1] = 1)"], texts


def test_classes_that_share_a_long_beginning_keep_apart_in_the_fit_plot(tmp_path, figures):
    classes = np.array(["measurement_group_a", "measurement_group_b", "measurement_group_c"])
    y = np.arange(30) % 3
    P = np.eye(3)[(y + (np.arange(30) % 5 == 0)) % 3] * 0.8 + 0.2 / 3
    fit_plots.fit(classes[y], classes[P.argmax(axis=1)], tmp_path / "f.png", probabilities=P,
              classes=classes)
    left, right = figures[-1][0].axes[:2]
    rows = [t.get_text() for t in left.get_yticklabels()]
    columns = [t.get_text() for t in left.get_xticklabels()]
    assert len(set(rows)) == len(set(columns)) == 3, (rows, columns)
    assert rows[0].endswith("a") and rows[2].endswith("c")
    curves = [line.get_label().split(" (AUC")[0] for line in right.get_lines()[:3]]
    assert curves == rows


def test_the_output_of_a_one_class_network_is_not_named_the_probability_of_its_class(
        tmp_path, figures):
    # With one class the output neuron is trained towards 0 (no second class to be the
    # probability of) while predict_proba gives 1 for the class: "P(only)" beside it misleads.
    rng = np.random.default_rng(0)
    X = rng.normal(size=(30, 2))
    model = ffnn.FFNNClassifier(hidden_layer_sizes=(3,), solver="lbfgs", random_state=0)
    model.fit(X, np.full(30, "only"))
    assert model.predict_proba(X[:1]).tolist() == [[1.0]]
    ffnn.save(model, tmp_path / "m.ffnn")
    for fitted in (model, ffnn.load(tmp_path / "m.ffnn")):
        plots.network(fitted, tmp_path / "n.png")
        texts = [t.get_text() for t in figures[-1][0].axes[0].texts]
        assert not any(text.startswith("P(") for text in texts), texts


def test_the_loss_plot_counts_the_iterations_as_the_summary_does(tmp_path, figures):
    """A warm L-BFGS run that makes no iteration records its starting loss: the curve has one
    point more than the iterations made, which the summary does not count and the plot's title
    did (20 iterations beside the summary's 19)."""
    import warnings

    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 3))
    model = ffnn.FFNNRegressor(hidden_layer_sizes=(3,), solver="lbfgs", max_iter=500, tol=1e-2,
                               warm_start=True, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.fit(X, X[:, 0] - X[:, 1])
        first = model.n_iter_
        model.fit(X, X[:, 0] - X[:, 1])
    assert model.n_iter_ == 0 and len(model.loss_curve_) == first + 1
    plots.loss_curve(model, tmp_path / "loss.png")
    title = figures[-1][0].axes[0].get_title()
    assert title == f"Training: lbfgs, {first} iterations", title
    assert f"trained: solver lbfgs, {first} iterations (the last call" in ffnn.summary(model)


def test_a_search_or_ensemble_is_not_summarised_or_drawn_as_its_template(tmp_path, figures):
    """A GridSearchCV's (or a BaggingRegressor's) `estimator` is the template it copies, not the
    model it fitted: summary and the plots showed the template's network, fitted or not."""
    import warnings

    from sklearn.model_selection import GridSearchCV

    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 3))
    y = X[:, 0] - X[:, 1]
    template = ffnn.FFNNRegressor(hidden_layer_sizes=(3,), max_iter=5, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        template.fit(X, y)
        search = GridSearchCV(template, {"hidden_layer_sizes": [(7,)]}, cv=2).fit(X, y)
    for show in (ffnn.summary, lambda m: plots.network(m, tmp_path / "n.png")):
        with pytest.raises(ValueError, match=r"got GridSearchCV; pass the ffnn model itself "
                                             r"\(search.best_estimator_\)"):
            show(search)
    with pytest.raises(ValueError, match="a GridSearchCV keeps no loss curve"):
        plots.loss_curve(search, tmp_path / "l.png")
    assert "hidden 1  W 7×3" in ffnn.summary(search.best_estimator_)


def test_the_fit_plot_refuses_several_targets_rather_than_pooling_them(tmp_path, figures):
    # Pooled, three outputs of 20 rows drew as "R² … on 60 rows": neither a row count nor an R²
    # (r2_score averages the outputs' R²) of the data.
    Y = np.arange(60.0).reshape(20, 3)
    with pytest.raises(ValueError, match=r"y_true has 3 columns.*fit\(y_true\[:, k\]"):
        fit_plots.fit(Y, Y + 1, tmp_path / "f.png")
    assert not figures and not (tmp_path / "f.png").exists()
    fit_plots.fit(Y[:, :1], Y[:, :1] + 1, tmp_path / "f.png")  # one column is one target
    assert "on 20 rows" in figures[-1][0].axes[0].get_title()


def test_the_fit_plot_of_classes_needs_their_probabilities(tmp_path, figures):
    y = np.array(["a", "b", "a", "b"])
    with pytest.raises(ValueError, match="probabilities"):
        fit_plots.fit(y, y, tmp_path / "f.png", classes=["a", "b"])


def test_the_loss_plot_of_a_fitted_scikit_learn_estimator_draws_its_curves(tmp_path, figures):
    # scikit-learn keeps no validation_loss_curve_: its curves are drawn without one
    from sklearn.neural_network import MLPClassifier

    X = np.random.default_rng(0).normal(size=(60, 2))
    y = X[:, 0] > 0
    with pytest.warns(Warning):
        model = MLPClassifier(hidden_layer_sizes=(3,), max_iter=5, early_stopping=True,
                              random_state=0).fit(X, y)
    plots.loss_curve(model, tmp_path / "x.png")
    fig = figures[-1][0]
    assert np.allclose(fig.axes[0].get_lines()[0].get_ydata(), model.loss_curve_)
    assert np.allclose(fig.axes[1].get_lines()[0].get_ydata(), model.validation_scores_)
    assert fig.axes[0].get_title() == (f"Training: adam, 5 epochs, best validation accuracy "
                                       f"{max(model.validation_scores_):.4f}")


def test_a_confusion_matrix_of_rows_that_all_trained_the_network_says_so(tmp_path, capsys,
                                                                        figures):
    # no validation nor test rows: every row of the file trained the network, which the title
    # says rather than "all rows"
    rng = np.random.default_rng(4)
    frame = pd.DataFrame({"x": rng.normal(size=60)})
    frame["kind"] = np.where(frame["x"] > 0, "up", "down")
    data, model = _fit(tmp_path, capsys, frame, "kind", "--validation-fraction", "0")
    assert run(capsys, "plot", model, "--kind", "fit", "--data", data, "-o",
               tmp_path / "f.png")[0] == 0
    matrix, roc = figures[-1][0].axes[:2]
    assert matrix.get_title().startswith("Confusion matrix, training rows (60):")
    assert [t.get_text().split(" (")[0] for t in roc.get_legend().get_texts()] == ["training rows"]
