"""What the command line writes: never over one of its inputs, only where it can, checked before
any work; predictions beside the observed target; running out of memory said in one line."""

import io

import numpy as np
import pandas as pd
import pytest
from cli_runs import one_error, run

import ffnn


@pytest.fixture()
def files(tmp_path, capsys):
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"x": rng.normal(size=60), "colour": rng.choice(["red", "blue"], 60)})
    frame["y"] = 2 * frame["x"] + (frame["colour"] == "red") + rng.normal(0, 0.1, 60)
    data, model = tmp_path / "same.csv", tmp_path / "m.ffnn"
    frame.to_csv(data, index=False)
    assert run(capsys, "fit", data, "--target", "y", "--epochs", "3", "-q", "-o", model)[0] == 0
    return data, model, frame


class TestNeverDestroyAnInput:
    def test_fit_output_over_its_data(self, files, capsys):
        data, _, _ = files
        before = data.read_bytes()
        line = one_error(capsys, "fit", data, "--target", "y", "-o", data)
        assert "is the data file" in line and data.read_bytes() == before

    def test_fit_output_over_its_data_by_another_path(self, files, capsys, tmp_path):
        data, _, _ = files
        link = tmp_path / "link.csv"
        link.symlink_to(data)
        before = data.read_bytes()
        one_error(capsys, "fit", data, "--target", "y", "-o", link)
        one_error(capsys, "fit", data, "--target", "y", "--test-out", data, "-o",
                   tmp_path / "n.ffnn")
        assert data.read_bytes() == before

    @pytest.mark.parametrize("which", ["model", "data"])
    def test_predict_output_over_an_input(self, files, capsys, which):
        data, model, _ = files
        target = model if which == "model" else data
        before = target.read_bytes()
        line = one_error(capsys, "predict", model, data, "-o", target)
        assert f"is the {which} file" in line and target.read_bytes() == before

    def test_plot_output_over_an_input(self, files, capsys):
        data, model, _ = files
        before = data.read_bytes()
        one_error(capsys, "plot", model, "--kind", "fit", "--data", data, "-o", data)
        assert data.read_bytes() == before

    def test_fit_replaces_only_a_model_file_unless_forced(self, files, capsys, tmp_path):
        data, model, _ = files
        notes = tmp_path / "notes.txt"
        notes.write_text("my notes\n")
        line = one_error(capsys, "fit", data, "--target", "y", "-o", notes)
        assert "not an ffnn model file" in line and "--force" in line
        assert notes.read_text() == "my notes\n"
        assert run(capsys, "fit", data, "--target", "y", "--epochs", "2", "-q", "-o",
                    model)[0] == 0  # a model file may be replaced
        assert run(capsys, "fit", data, "--target", "y", "--epochs", "2", "-q", "--force",
                    "-o", notes)[0] == 0
        assert ffnn.load(notes).target == "y"

    def test_only_model_outputs_write_over_a_model_file(self, files, capsys, tmp_path):
        """predict -o over another model (not one of its inputs) replaced it with a CSV file;
        a copy of a model under another name, with another suffix, is still a model."""
        data, model, _ = files
        other = tmp_path / "other.model"
        other.write_bytes(model.read_bytes())
        before = other.read_bytes()
        line = one_error(capsys, "predict", model, data, "-o", other)
        assert line.endswith(f"-o {other} holds an ffnn model: writing there would destroy "
                             "it; choose another file name")
        line = one_error(capsys, "fit", data, "--target", "y", "--test-size", "0.2",
                         "--test-out", other, "-o", tmp_path / "n.ffnn")
        assert f"--test-out {other} holds an ffnn model" in line
        assert other.read_bytes() == before
        assert run(capsys, "predict", model, data, "-o", tmp_path / "p.csv")[0] == 0
        assert run(capsys, "predict", model, data, "-o", tmp_path / "p.csv")[0] == 0  # again
        assert run(capsys, "fit", data, "--target", "y", "--epochs", "2", "-q",
                   "-o", other)[0] == 0  # fit may replace a model

    def test_predictions_never_replace_the_model_s_training_or_test_rows(self, files, capsys,
                                                                         tmp_path):
        """Not inputs of predict, yet data the user cannot get back: a model's training file
        and its test rows, known by their fingerprints (under any name)."""
        data, _, _ = files
        model = tmp_path / "t.ffnn"
        assert run(capsys, "fit", data, "--target", "y", "--epochs", "2", "-q", "--test-size",
                   "0.2", "--test-out", tmp_path / "test.csv", "-o", model)[0] == 0
        copy = tmp_path / "copy.csv"
        copy.write_bytes(data.read_bytes())
        for target, what in ((copy, "the file this model was trained on"),
                             (tmp_path / "test.csv", "the test rows this model's fit held out")):
            before = target.read_bytes()
            line = one_error(capsys, "predict", model, data, "-o", target)
            assert f"-o {target} holds {what}: writing there would destroy it" in line
            assert target.read_bytes() == before


class TestTheOutputPlaceIsCheckedFirst:
    def test_a_missing_folder(self, files, capsys, tmp_path):
        data, _, _ = files
        status, out, err = run(capsys, "fit", data, "--target", "y", "-o",
                                tmp_path / "models" / "m.ffnn")
        lines = err.strip().splitlines()
        assert status == 2 and len(lines) == 1  # nothing trained: no progress, no "training a"
        assert "does not exist" in lines[0] and "mkdir -p" in lines[0]
        assert "tmp" not in lines[0].split("models")[-1]  # names the file asked for

    def test_a_folder_given_as_the_output(self, files, capsys, tmp_path):
        data, _, _ = files
        line = one_error(capsys, "fit", data, "--target", "y", "-o", tmp_path)
        assert "is a folder" in line

    def test_a_folder_given_as_the_output_is_answered_with_a_name_of_what_is_written(
            self, files, capsys, tmp_path):
        """The file name suggested inside the folder is one that the command writes: no model
        name for predictions, which would then write CSV text into a .ffnn file."""
        data, model, _ = files
        folder = tmp_path / "out"
        folder.mkdir()
        cases = [(("fit", data, "--target", "y", "-o", folder), "model.ffnn"),
                 (("fit", data, "--target", "y", "--checkpoint", folder, "-o", tmp_path / "n"),
                  "model.ffnn"),
                 (("fit", data, "--target", "y", "--test-out", folder, "-o", tmp_path / "n"),
                  "test.csv"),
                 (("predict", model, data, "-o", folder), "predictions.csv"),
                 (("plot", model, "--kind", "loss", "-o", folder), "loss.png")]
        for argv, name in cases:
            line = one_error(capsys, *argv)
            assert line.endswith(f"is a folder; give a file name inside it, such as "
                                 f"{folder / name}"), line
        advised = one_error(capsys, "predict", model, data, "-o", folder).split("such as ")[1]
        assert run(capsys, "predict", model, data, "-o", advised)[0] == 0

    def test_a_folder_that_cannot_be_written(self, files, capsys, tmp_path):
        import os

        data, _, _ = files
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(0o500)
        try:
            if os.access(locked, os.W_OK):
                pytest.skip("running as a user who can write anywhere")
            line = one_error(capsys, "fit", data, "--target", "y", "-o", locked / "m.ffnn")
            assert "cannot write" in line
        finally:
            locked.chmod(0o700)

    def test_a_folder_that_even_root_cannot_write_is_found_before_training(self, files,
                                                                            capsys):
        """os.access says yes to root everywhere, and to anyone in /proc: the check creates a
        file instead, so the model is not lost after training (no progress line is printed)."""
        import os

        folder = "/proc"
        try:
            os.close(os.open(os.path.join(folder, "ffnn-probe"), os.O_CREAT | os.O_WRONLY))
            pytest.skip(f"{folder} can be written here")
        except OSError:
            pass
        data, _, _ = files
        line = one_error(capsys, "fit", data, "--target", "y", "-o", f"{folder}/m.ffnn")
        assert "cannot write in the folder /proc" in line

    @pytest.mark.parametrize("command", ["predict", "plot"])
    def test_other_commands_check_too(self, files, capsys, tmp_path, command):
        data, model, _ = files
        extra = ["--kind", "loss"] if command == "plot" else [data]
        line = one_error(capsys, command, model, *extra, "-o", tmp_path / "nope" / "out.png")
        assert "does not exist" in line


def test_predict_keeps_the_observed_target_beside_the_prediction(files, capsys):
    data, model, frame = files
    status, out, err = run(capsys, "predict", model, data, "--keep", "y,x")
    assert status == 0, err
    table = pd.read_csv(io.StringIO(out))
    assert list(table.columns) == ["y", "x", "y_predicted"]
    np.testing.assert_allclose(table["y"], frame["y"])
    assert not np.allclose(table["y_predicted"], frame["y"])


def test_kept_columns_are_copied_as_the_file_spells_them(files, capsys, tmp_path):
    # pandas reads the identifiers 007 and 0099 as 7 and 99, and a column with a missing value
    # as floats: 7.0, and 12345678901234567 as 1.2345678901234568e+16
    _, model, _ = files
    new = tmp_path / "new.csv"
    new.write_text("id,x,colour\n007,0.5,red\n12345678901234567,1.5,blue\n,2.5,red\n"
                   "0099,3,blue\n")
    status, out, err = run(capsys, "predict", model, new, "--keep", "id,x")
    assert status == 0, err
    lines = out.splitlines()
    assert lines[0] == "id,x,y"
    assert [line.split(",")[:2] for line in lines[1:]] == [
        ["007", "0.5"], ["12345678901234567", "1.5"], ["", "2.5"], ["0099", "3"]]


def test_kept_columns_copy_words_that_pandas_reads_as_missing(files, capsys, tmp_path):
    # 'NA' (Namibia) and 'None' are values of the file, not the empty fields pandas makes them
    _, model, _ = files
    new = tmp_path / "new.csv"
    new.write_text("id,x,colour\nNA,0.5,red\nNone,1.5,blue\n,2.5,red\n")
    status, out, err = run(capsys, "predict", model, new, "--keep", "id")
    assert status == 0, err
    assert [line.split(",")[0] for line in out.splitlines()] == ["id", "NA", "None", ""]


def test_predict_to_dash_writes_standard_output(files, capsys, tmp_path, monkeypatch):
    data, model, frame = files
    monkeypatch.chdir(tmp_path)
    status, out, err = run(capsys, "predict", model, data, "-o", "-")
    assert status == 0, err
    assert len(pd.read_csv(io.StringIO(out))) == len(frame) and not (tmp_path / "-").exists()


@pytest.mark.parametrize("suffix", [".parquet", ".PQ"])
def test_predictions_are_not_written_as_csv_under_a_parquet_name(files, capsys, tmp_path,
                                                                 suffix):
    # every Parquet reader would refuse such a file, the data scientist's script far from here
    data, model, _ = files
    output = tmp_path / f"predictions{suffix}"
    line = one_error(capsys, "predict", model, data, "-o", output)
    assert f"predictions{suffix}" in line and ".csv" in line
    assert not output.exists()


def test_kept_decimal_commas_are_written_with_the_output_s_decimal_point(files, capsys,
                                                                          tmp_path):
    _, model, _ = files
    new = tmp_path / "new.csv"
    new.write_text("id;x;colour\n007;0,50;red\n008;1,5;blue\n")
    status, out, err = run(capsys, "predict", model, new, "--keep", "id,x")
    assert status == 0, err
    assert [line.split(",")[:2] for line in out.splitlines()] == [
        ["id", "x"], ["007", "0.50"], ["008", "1.5"]]


def test_kept_parquet_columns_keep_their_type(files, capsys, tmp_path):
    _, model, _ = files
    new = tmp_path / "new.parquet"
    pd.DataFrame({"id": pd.array([12345678901234567, None, 3], dtype="Int64"),
                  "x": [0.5, 1.5, 2.5], "colour": ["red", "blue", "red"]}).to_parquet(new)
    status, out, err = run(capsys, "predict", model, new, "--keep", "id")
    assert status == 0, err
    assert [line.split(",")[0] for line in out.splitlines()] == ["id", "12345678901234567",
                                                                 "", "3"]


class TestOutOfMemory:
    def test_memory_error_while_encoding_is_one_line(self, files, capsys, monkeypatch):
        from ffnn.tabular import Preprocessor

        def exhausted(self, frame, dtype=np.float64):
            raise MemoryError("Unable to allocate 7.45 GiB for an array with shape (1000000, "
                              "1000) and data type float64")

        monkeypatch.setattr(Preprocessor, "transform", exhausted)
        data, _, _ = files
        line = one_error(capsys, "fit", data, "--target", "y", "-o", data.with_suffix(".x"))
        assert "out of memory while encoding" in line and "7.45 GiB" in line
        assert "--drop" in line and "float32" in line
        # float32 already: the advice is what is left to try
        line = one_error(capsys, "fit", data, "--target", "y", "--dtype", "float32", "-o",
                         data.with_suffix(".x"))
        assert "out of memory while encoding" in line and "--drop" in line
        assert "float32" not in line

    def test_memory_error_anywhere_is_one_line(self, files, capsys, monkeypatch):
        import ffnn.cli

        def exhausted(*args):
            raise MemoryError()

        monkeypatch.setitem(ffnn.cli.RUN, "summary", exhausted)
        assert one_error(capsys, "summary", files[1]) == "ffnn: error: out of memory"
        monkeypatch.setitem(ffnn.cli.RUN, "fit", exhausted)
        line = one_error(capsys, "fit", files[0], "--target", "y", "-o", files[1])
        assert "out of memory" in line and "--drop" in line and "float32" in line
        line = one_error(capsys, "fit", files[0], "--target", "y", "--dtype", "float32", "-o",
                         files[1])
        assert "out of memory" in line and "--drop" in line and "float32" not in line

    def test_memory_error_in_the_handler_of_an_error_is_still_one_line(self, capfd,
                                                                        monkeypatch):
        # Memory so short that even the handlers in main fail: the command still ends with
        # one line and status 2, not a traceback and status 1.
        import ffnn.cli

        def exhausted(argv=None):
            raise MemoryError()

        monkeypatch.setattr(ffnn.cli, "main", exhausted)
        with pytest.raises(SystemExit) as done:
            ffnn.cli.main_entry()
        err = capfd.readouterr().err
        assert done.value.code == 2 and "Traceback" not in err
        assert err.splitlines() == [ffnn.cli.OUT_OF_MEMORY.decode().strip()]

    @pytest.mark.parametrize("command", ["fit", "predict", "evaluate", "plot"])
    def test_memory_error_while_reading_names_the_file(self, files, capsys, monkeypatch,
                                                        tmp_path, command):
        data, model, _ = files

        def exhausted(*args, **kwargs):
            raise MemoryError("Unable to allocate 3.2 GiB for an array")

        monkeypatch.setattr(pd, "read_csv", exhausted)
        argv = {"fit": ["fit", data, "--target", "y", "-o", tmp_path / "n.ffnn"],
                "predict": ["predict", model, data],
                "evaluate": ["evaluate", model, data],
                "plot": ["plot", model, "--kind", "fit", "--data", data, "-o",
                         tmp_path / "f.png"]}[command]
        line = one_error(capsys, *argv)
        assert f"out of memory while reading {data}" in line and "3.2 GiB" in line
        # only fit takes --drop and --dtype; predict and evaluate take --dask
        assert ("--drop" in line) == ("--dtype" in line) == (command == "fit")
        assert ("--dask" in line) == (command in ("predict", "evaluate"))

    def test_parquet_that_exhausts_memory(self, tmp_path, capsys, monkeypatch):
        pytest.importorskip("pyarrow")
        pd.DataFrame({"x": [1.0, 2.0], "y": [3.0, 4.0]}).to_parquet(tmp_path / "d.parquet")

        def exhausted(*args, **kwargs):
            raise MemoryError("malloc of size 8589934592 failed")

        monkeypatch.setattr(pd, "read_parquet", exhausted)
        line = one_error(capsys, "fit", tmp_path / "d.parquet", "--target", "y", "-o",
                          tmp_path / "m.ffnn")
        assert "more memory than is available" in line and "not a readable" not in line

    def test_parquet_that_exhausts_memory_in_pyarrow_s_own_words(self, tmp_path, capsys,
                                                                  monkeypatch):
        """pyarrow reports C++'s std::bad_alloc as an OSError, not as a MemoryError."""
        pytest.importorskip("pyarrow")
        data = tmp_path / "d.parquet"
        pd.DataFrame({"x": [1.0, 2.0], "y": [3.0, 4.0]}).to_parquet(data)

        def exhausted(*args, **kwargs):
            raise OSError("Could not open Parquet input source '<Buffer>': Couldn't "
                          "deserialize thrift: std::bad_alloc")

        monkeypatch.setattr(pd, "read_parquet", exhausted)
        line = one_error(capsys, "fit", data, "--target", "y", "-o", tmp_path / "m.ffnn")
        assert "more memory than is available" in line and "not a readable" not in line

    def test_float32_networks_from_the_command_line(self, files, capsys, tmp_path):
        data, _, _ = files
        assert run(capsys, "fit", data, "--target", "y", "--dtype", "float32", "--epochs", "2",
                    "-q", "-o", tmp_path / "f.ffnn")[0] == 0
        assert ffnn.load(tmp_path / "f.ffnn").estimator.network_.dtype == np.float32


def test_predict_refuses_an_output_name_that_ends_in_a_slash(files, capsys, tmp_path):
    """out.csv/ names a folder: no file out.csv is written in its place."""
    data, model, _ = files
    line = one_error(capsys, "predict", model, data, "-o", f"{tmp_path / 'out.csv'}/")
    assert "folder" in line and not (tmp_path / "out.csv").exists()


def test_save_refuses_a_name_that_ends_in_a_slash(files, tmp_path):
    _, model, _ = files
    with pytest.raises(ValueError, match="ends in"):
        ffnn.save(ffnn.load(model), f"{tmp_path / 'n.ffnn'}/")
    assert not (tmp_path / "n.ffnn").exists()


def test_fit_refuses_a_model_name_that_ends_in_a_slash_before_training(files, capsys, tmp_path):
    data, _, _ = files
    line = one_error(capsys, "fit", data, "--target", "y", "-o", f"{tmp_path / 'n.ffnn'}/")
    assert line.startswith("ffnn: error: -o ") and "ends in a slash" in line
    assert not (tmp_path / "n.ffnn").exists()


@pytest.mark.parametrize("suffix", [".csv.gz", ".csv.zip", ".csv.bz2", ".csv.tar.gz", ".csv.tar.bz2",
                                    ".csv.tar.xz"])
def test_compressed_predictions_read_back_as_the_plain_ones(files, capsys, tmp_path, suffix):
    """A compressed name is written as pandas reads that name: the same table as plain CSV."""
    data, model, _ = files
    plain, packed = tmp_path / "p.csv", tmp_path / f"p{suffix}"
    for path in (plain, packed):
        assert run(capsys, "predict", model, data, "-o", path)[0] == 0
    pd.testing.assert_frame_equal(pd.read_csv(packed), pd.read_csv(plain))


@pytest.mark.parametrize("suffix", [".tsv", ".tsv.gz", ".TSV", ".tsv.zip", ".tsv.tar",
                                    ".tsv.tar.gz", ".tsv.tar.bz2", ".tsv.tar.xz"])
def test_predictions_under_a_tsv_name_are_separated_by_tabs(files, capsys, tmp_path, suffix):
    """A .tsv name says tab-separated values: such a file was written with commas. An archive
    of one (p.tsv.zip, p.tsv.tar.gz) holds p.tsv, tab-separated too."""
    data, model, _ = files
    plain, tabbed = tmp_path / "p.csv", tmp_path / f"p{suffix}"
    for path in (plain, tabbed):
        assert run(capsys, "predict", model, data, "--keep", "x", "-o", path)[0] == 0
    with open(tabbed, "rb") as handle:
        head = handle.read(2)
    text = pd.read_csv(tabbed, sep="\t").to_csv(index=False)
    assert text == plain.read_text() and (head == b"\x1f\x8b") == suffix.endswith(".gz")


@pytest.mark.parametrize("source", ["csv", "parquet"])
def test_test_rows_under_a_tsv_name_are_separated_by_tabs(files, capsys, tmp_path, source):
    """fit --test-out rows.tsv writes tab-separated values, as predict -o does under such a
    name: it wrote the training file's commas into a file named for tabs. evaluate reads the
    rows back and knows them as the test rows."""
    data, _, frame = files
    if source == "parquet":
        pytest.importorskip("pyarrow")
        data = tmp_path / "same.parquet"
        frame.to_parquet(data, index=False)
    rows, model = tmp_path / "rows.tsv", tmp_path / "t.ffnn"
    assert run(capsys, "fit", data, "--target", "y", "--epochs", "2", "-q", "--test-out", rows,
               "-o", model)[0] == 0
    written = pd.read_csv(rows, sep="\t")
    assert list(written.columns) == list(frame.columns) and len(written) == 12
    status, out, _ = run(capsys, "evaluate", model, rows)
    assert status == 0 and "test rows" in out


@pytest.mark.parametrize("command", ["predict", "fit", "plot"])
def test_a_write_protected_output_is_refused_not_replaced(files, capsys, tmp_path, command):
    """Outputs are renamed into place, which a folder's permissions allow over a file that is
    itself read-only: such a file is refused, as writing it directly would be."""
    data, model, _ = files
    kept = tmp_path / ("kept.png" if command == "plot" else "kept.csv")
    kept.write_text("mine\n")
    kept.chmod(0o444)
    argv = {"predict": ["predict", model, data, "-o", kept],
            "fit": ["fit", data, "--target", "y", "-o", tmp_path / "n.ffnn", "--test-out", kept],
            "plot": ["plot", model, "--kind", "fit", "--data", data, "-o", kept]}[command]
    line = one_error(capsys, *argv)
    assert "read-only" in line and "chmod u+w" in line and kept.read_text() == "mine\n"


def test_a_zstd_name_without_zstandard_is_refused_before_predicting(files, capsys, tmp_path,
                                                                     monkeypatch):
    """pandas writes .zst through the optional zstandard package: without it the name is refused
    at once, saying what to install, not by an internal error once the predictions are made."""
    import sys

    monkeypatch.setitem(sys.modules, "zstandard", None)  # as where it is not installed
    data, model, _ = files
    line = one_error(capsys, "predict", model, data, "-o", tmp_path / "p.csv.zst")
    assert "zstandard" in line and "pip install zstandard" in line and ".gz" in line
    assert not (tmp_path / "p.csv.zst").exists()


@pytest.mark.parametrize("name", ["p.csv.gz", "p.csv.zip", "p.xlsx", "p.tsv", "p.txt"])
def test_predict_dask_refuses_a_file_name_it_would_make_a_parquet_folder(files, capsys, tmp_path,
                                                                        name):
    """With --dask, -o writes one .csv file or else a folder of Parquet files: a compressed CSV
    name, or another format's, would silently become a folder of that name; it is refused
    before a cluster starts."""
    pytest.importorskip("dask")
    data, model, _ = files
    line = one_error(capsys, "predict", model, data, "--dask", "-o", tmp_path / name)
    assert "--dask" in line and ".csv" in line and "folder" in line
    assert not (tmp_path / name).exists()


@pytest.mark.parametrize("name", ["t.csv.gz", "t.xlsx", "t.tsv"])
def test_fit_dask_refuses_test_rows_under_a_name_it_would_make_a_parquet_folder(files, capsys,
                                                                              tmp_path, name):
    """fit --dask --test-out writes a .csv file or else a folder of Parquet files: a compressed
    CSV name or another format's is refused before a cluster starts, as in memory."""
    pytest.importorskip("dask")
    data, _, _ = files
    line = one_error(capsys, "fit", data, "--target", "y", "--dask", "--test-out",
                     tmp_path / name, "-o", tmp_path / "n.ffnn")
    assert "--test-out" in line and ".csv" in line and "folder" in line
    assert not (tmp_path / name).exists() and not (tmp_path / "n.ffnn").exists()


@pytest.mark.parametrize("name, format", [("p.json.gz", ".json"), ("p.xlsx.zip", ".xlsx"),
                                          ("p.parquet.gz", ".parquet"), ("p.pq.tar.gz", ".pq")])
def test_predict_refuses_a_compressed_name_of_another_format(files, capsys, tmp_path, name,
                                                             format):
    """p.json.gz names gzipped JSON, p.parquet.gz gzipped Parquet: CSV text under such a name
    is refused, as under p.json or p.parquet, not written for a reader of that format."""
    data, model, _ = files
    line = one_error(capsys, "predict", model, data, "-o", tmp_path / name)
    assert line.startswith(f"ffnn: error: -o {tmp_path / name}: predict writes CSV")
    assert format in line and ".csv" in line and not (tmp_path / name).exists()
