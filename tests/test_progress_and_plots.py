"""Progress display modes, and the network drawing of layers too large to draw in full."""

import io

import pytest
from PIL import Image

import ffnn
from ffnn.cli import drawing, plots
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
