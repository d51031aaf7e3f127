"""The command line with --dask against the in-memory commands: the same messages for bad
input, the same counts, outputs in the order documented, and paths that the workers read as the
command does."""

import numpy as np
import pandas as pd
import pytest
from cli_runs import one_error, run

pytest.importorskip("dask.dataframe")
pytest.importorskip("distributed")


@pytest.mark.parametrize("seed", range(6))
def test_targets_missing_in_test_rows_are_refused_and_counted_as_in_memory(client, tmp_path,
                                                                          capsys, seed):
    """A target missing in a row that --test-size holds out is refused as in memory: the count
    was that of the other rows, and where every such row was a test row, fit trained and
    printed test scores of NaN (said to be of a single row)."""
    x = np.random.default_rng(0).normal(size=60)
    frame = pd.DataFrame({"x": x, "y": 2 * x})
    frame.loc[[7, 41], "y"] = np.nan
    for i in range(3):
        frame.iloc[20 * i:20 * (i + 1)].to_csv(tmp_path / f"p{i}.csv", index=False)
    status, _, err = run(capsys, "fit", tmp_path / "p*.csv", "--target", "y", "--test-size",
                         "0.5", "--seed", seed, "--epochs", "2", "-q", "-o", tmp_path / "m.ffnn",
                         "--dask", client.scheduler.address)
    assert status == 2 and "the target column 'y' is missing in 2 row(s)" in err, err


@pytest.mark.parametrize("suffix", ["csv", "parquet"])
def test_a_target_made_missing_by_na_values_names_the_markers_as_in_memory(client, tmp_path,
                                                                           capsys, suffix):
    """--na-values yes made a target of yes/no missing: fit --dask and evaluate --dask said only
    to drop those rows, not that the marker given had made them missing."""
    frame = pd.DataFrame({"a": np.arange(24.0), "y": ["yes", "no", "?", "no"] * 6,
                          "n": [1.0, -999.0, 2.0, 3.0] * 6})
    frame.loc[3, "y"] = None  # an empty field or a null, which no marker made missing
    files = _pieces(frame, tmp_path / "in", 3, suffix)
    common = ["-q", "--epochs", "1", "--dask", client.scheduler.address]

    def refusal(*argv):  # the error, after the line that names the cluster
        status, _, err = run(capsys, *argv)
        assert status == 2 and err.count("ffnn: error: ") == 1, err
        return err.strip().splitlines()[-1]

    line = refusal("fit", files, "--target", "y", "--na-values", "yes,?,maybe",
                     "-o", tmp_path / "m.ffnn", *common)
    assert line.endswith("the target column 'y' is missing in 13 row(s); drop those rows (of "
                         "them, markers given to --na-values: 'yes' (6 rows), '?' (6 rows); if "
                         "they are values of the target, leave them out of --na-values)"), line
    # a number given as a marker: '-999.0' in the CSV files, -999.0 in the Parquet files
    line = refusal("fit", files, "--target", "n", "--na-values", "-999", "--drop",
                     "y", "-o", tmp_path / "m.ffnn", *common)
    assert line.endswith("the target column 'n' is missing in 6 row(s); drop those rows (of "
                         "them, markers given to --na-values: '-999' (6 rows); if it is a value "
                         "of the target, leave it out of --na-values)"), line
    status, _, err = run(capsys, "fit", files, "--target", "n", "--drop", "y", "-o",
                         tmp_path / "m.ffnn", *common)
    assert status == 0, err
    line = refusal("evaluate", tmp_path / "m.ffnn", files, "--na-values", "-999",
                     *common[-2:])
    assert line.endswith("the target column 'n' is missing in 6 row(s); drop those rows (of "
                         "them, markers given to --na-values: '-999' (6 rows); if it is a value "
                         "of the target, leave it out of --na-values)"), line


def _pieces(frame, folder, n, suffix):
    """`frame` written to n files of `folder`, p0 to p{n-1}, in the order of its rows."""
    folder.mkdir()
    for k, rows in enumerate(np.array_split(np.arange(len(frame)), n)):
        part = frame.iloc[rows]
        if suffix == "parquet":
            part.to_parquet(folder / f"p{k}.parquet", index=False)
        else:
            part.to_csv(folder / f"p{k}.csv", index=False)
    return folder / f"p*.{suffix}"


@pytest.mark.parametrize("suffix", ["parquet", "csv"])
def test_predictions_of_eleven_files_come_in_the_order_dask_reads_them(client, tmp_path,
                                                                      capsys, suffix):
    """Dask reads Parquet files in the order of their names with numbers as numbers (p2 before
    p10), whatever order it is given: the glob's files are taken in that order, for CSV files
    too, and the predictions match the in-memory ones row for row (they were in p0, p1, p2
    order for Parquet and p0, p1, p10 for CSV, where the docs promised the latter)."""
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"x": rng.normal(size=66), "z": rng.normal(size=66)})
    frame["y"] = frame.x - frame.z
    frame.to_csv(tmp_path / "all.csv", index=False)
    glob = _pieces(frame, tmp_path / "parts", 11, suffix)
    model = tmp_path / "m.ffnn"
    assert run(capsys, "fit", tmp_path / "all.csv", "--target", "y", "--epochs", "2", "-q",
               "-o", model)[0] == 0
    assert run(capsys, "predict", model, tmp_path / "all.csv", "-o", tmp_path / "m.csv",
               "--keep", "x")[0] == 0
    for output in (tmp_path / "d.csv", tmp_path / "folder"):
        status, _, err = run(capsys, "predict", model, glob, "-o", output, "--keep", "x",
                             "--dask", client.scheduler.address)
        assert status == 0 and f"wrote 66 predictions to {output}" in err, err
        written = pd.read_csv(output) if output.suffix else pd.read_parquet(output)
        pd.testing.assert_frame_equal(written, pd.read_csv(tmp_path / "m.csv"), rtol=1e-12)


def test_a_class_left_to_the_test_rows_alone_is_warned_of(client, tmp_path, capsys):
    """The test rows are not drawn by class on a cluster: a rare class may land in them alone,
    and the model then knows no such class. fit said nothing, and printed the test accuracy
    with the row counted as an error."""
    x = np.random.default_rng(0).normal(size=90)
    frame = pd.DataFrame({"x": x, "y": np.where(x > 0, "pos", "neg")})
    frame.loc[50, "y"] = "rare"
    for i in range(3):
        frame.iloc[30 * i:30 * (i + 1)].to_csv(tmp_path / f"p{i}.csv", index=False)
    said = []
    for seed in range(8):
        status, _, err = run(capsys, "fit", tmp_path / "p*.csv", "--target", "y", "--test-size",
                             "0.3", "--seed", seed, "--epochs", "1", "-q", "-o",
                             tmp_path / "m.ffnn", "--force", "--validation-fraction", "0",
                             "--dask", client.scheduler.address)
        assert status == 0, err
        warned = "warning: 1 of the 27 test rows has a label that no training or validation " \
                 "row holds: 'rare' (1 row)" in err
        import ffnn

        assert warned == ("rare" not in ffnn.load(tmp_path / "m.ffnn").classes_), err
        said.append(warned)
    assert any(said) and not all(said)


def test_a_class_left_to_the_validation_rows_alone_is_refused_saying_why(client, tmp_path,
                                                                        capsys):
    """The validation rows are not drawn by class on a cluster either: where a class's rows all
    fall to them, the estimator's refusal is said with its cause and what to do."""
    x = np.random.default_rng(0).normal(size=90)
    frame = pd.DataFrame({"x": x, "y": np.where(x > 0, "pos", "neg")})
    frame.loc[50, "y"] = "rare"
    for i in range(3):
        frame.iloc[30 * i:30 * (i + 1)].to_csv(tmp_path / f"p{i}.csv", index=False)
    refused = 0
    for seed in range(8):
        status, _, err = run(capsys, "fit", tmp_path / "p*.csv", "--target", "y",
                             "--validation-fraction", "0.3", "--seed", seed, "--epochs", "1",
                             "-q", "-o", tmp_path / "m.ffnn", "--force", "--dask",
                             client.scheduler.address)
        if status:
            refused += 1
            assert "with --dask the validation rows are not drawn by class" in err, err
            assert "give another --seed or a smaller --validation-fraction" in err
    assert 0 < refused < 8


def _three_files(frame, tmp_path):
    """`frame` in one CSV file and in three (a glob of them)."""
    frame.to_csv(tmp_path / "all.csv", index=False)
    return tmp_path / "all.csv", _pieces(frame, tmp_path / "parts", 3, "csv")


def test_impute_says_what_it_filled_as_in_memory(client, tmp_path, capsys):
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"x": rng.normal(size=60), "c": rng.choice(["u", "v"], 60)})
    frame["y"] = frame.x
    frame.loc[[3, 44], "x"] = np.nan
    frame.loc[[50], "c"] = np.nan
    frame.loc[[20], ["x", "c"]] = np.nan
    one, glob = _three_files(frame, tmp_path)
    said = "filled 5 missing value(s) (--impute: the training mean, or most frequent " \
           "category), in 'x' (3), 'c' (2); 1 row had no value in any column the model reads"
    for data, dask in ((one, []), (glob, ["--dask", client.scheduler.address])):
        status, _, err = run(capsys, "fit", data, "--target", "y", "--impute", "--epochs", "1",
                             "-q", "-o", tmp_path / "m.ffnn", "--force", *dask)
        assert status == 0 and f"note: {data}: {said}" in err, err


@pytest.mark.parametrize("option", ["--target", "--drop", "--categorical"])
def test_a_column_named_wrongly_is_said_as_in_memory(client, tmp_path, capsys, option):
    """The in-memory hint where the files seem read in the wrong layout (another separator),
    and the columns listed, then the closest name; the columns named are looked for in the
    same order."""
    frame = pd.DataFrame({"x": np.arange(30.0), "y": np.arange(30.0) % 7})
    one, glob = _three_files(frame, tmp_path)
    for more, said in (([], "; the columns are x, y (did you mean 'y'?)"),
                       (["--sep", ";"], "; the column name 'x,y' holds ',' characters: the file "
                                        "seems separated by ','; pass --sep ,")):
        args = ["--target", "y", option, "yy"] if option != "--target" else ["--target", "yy"]
        for data, dask in ((one, []), (glob, ["--dask", client.scheduler.address])):
            status, _, err = run(capsys, "fit", data, *args, *more, "-o", tmp_path / "m.ffnn",
                                 "--dask" if dask else "-q", *dask[1:])
            # in the order of the in-memory command: --categorical, --target, --drop
            named = "--target names no column 'y'" if more and option == "--drop" else \
                f"{option} names no column 'yy'"
            wanted = f"ffnn: error: {data}: {named}"
            assert status == 2 and wanted + said in err, err


def test_workers_read_the_files_a_relative_glob_names_by_absolute_paths(client, tmp_path,
                                                                       capsys, monkeypatch):
    """A worker's working directory may be another than the command's (a scheduler started
    elsewhere): the scan of the files' rows took the glob's relative paths there, and read
    other files of those names, or none ("No such file or directory"). Its refusals still name
    the files as the glob does."""
    from ffnn.tabular import rows

    frame = pd.DataFrame({"x": np.arange(30.0), "y": np.arange(30.0) % 7})
    _three_files(frame, tmp_path)
    scanned = []
    odd_row = rows._odd_row
    monkeypatch.setattr(rows, "_odd_row", lambda path, *a: scanned.append(path) or odd_row(
        path, *a))
    monkeypatch.chdir(tmp_path)
    status, _, err = run(capsys, "fit", "parts/p*.csv", "--target", "y", "--epochs", "1", "-q",
                         "-o", "m.ffnn", "--dask", client.scheduler.address)
    assert status == 0, err
    assert sorted(scanned) == [str(tmp_path / "parts" / f"p{k}.csv") for k in range(3)]
    with open(tmp_path / "parts" / "p1.csv", "a") as handle:
        handle.write("1.5\n")
    status, _, err = run(capsys, "fit", "parts/p*.csv", "--target", "y", "--epochs", "1", "-q",
                         "-o", "m.ffnn", "--force", "--dask", client.scheduler.address)
    assert status == 2 and "ffnn: error: parts/p1.csv: row 11 (line 12) has 1 field(s)" in err, err


@pytest.mark.parametrize("name", ["out.json", "out.xlsx", "out.csv.gz", "out.zip"])
def test_outputs_named_as_another_format_are_refused(client, tmp_path, capsys, name):
    """-o and --test-out write a .csv file or else a folder of Parquet files: out.json and
    out.csv.gz were made folders of Parquet files of those names."""
    frame = pd.DataFrame({"x": np.arange(30.0), "y": np.arange(30.0) % 7})
    _, glob = _three_files(frame, tmp_path)
    dask = ["--dask", client.scheduler.address]
    status, _, err = run(capsys, "fit", glob, "--target", "y", "--test-size", "0.2",
                         "--test-out", tmp_path / name, "-o", tmp_path / "m.ffnn", *dask)
    assert status == 2 and f"--test-out {tmp_path / name}: with --dask" in err, err
    assert run(capsys, "fit", glob, "--target", "y", "--epochs", "1", "-q", "-o",
               tmp_path / "m.ffnn", *dask)[0] == 0
    status, _, err = run(capsys, "predict", tmp_path / "m.ffnn", glob, "-o", tmp_path / name,
                         *dask)
    assert status == 2 and f"-o {tmp_path / name}: with --dask, -o writes a .csv file" in err
    assert not (tmp_path / name).exists()


@pytest.mark.parametrize("suffix", ["csv", "parquet"])
def test_predict_refuses_files_without_rows_as_in_memory(client, tmp_path, capsys, suffix):
    """Files of a header alone (or empty) were predicted into an output of a header alone,
    said to be written; in memory such a file is refused, and it is here too, before any
    output."""
    frame = pd.DataFrame({"x": np.arange(30.0), "y": np.arange(30.0) % 7})
    one, _ = _three_files(frame, tmp_path)
    assert run(capsys, "fit", one, "--target", "y", "--epochs", "1", "-q", "-o",
               tmp_path / "m.ffnn")[0] == 0
    (tmp_path / "empty").mkdir()
    for k in range(2):
        if suffix == "csv":
            (tmp_path / "empty" / f"p{k}.csv").write_text("x,y\n" if k else "")
        else:
            frame.iloc[:0].to_parquet(tmp_path / "empty" / f"p{k}.parquet", index=False)
    glob = tmp_path / "empty" / f"p*.{suffix}"
    status, _, err = run(capsys, "predict", tmp_path / "m.ffnn", glob, "-o",
                         tmp_path / "out.csv", "--dask", client.scheduler.address)
    assert status == 2 and f"ffnn: error: {glob}: the files hold no data rows" in err, err
    assert not (tmp_path / "out.csv").exists()


def test_files_lacking_a_model_s_columns_are_refused_as_in_memory(client, tmp_path, capsys):
    """A column the model reads, missing from every file, was refused "in one of its partitions
    (rows counted within it)", without the columns the files hold; a missing target was
    refused without them too."""
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"x": rng.normal(size=30), "z": rng.normal(size=30)})
    frame["y"] = frame.x
    one, _ = _three_files(frame, tmp_path)
    assert run(capsys, "fit", one, "--target", "y", "--epochs", "1", "-q", "-o",
               tmp_path / "m.ffnn")[0] == 0
    for lacking, said in (("x", "column(s) 'x' that the model was trained on are missing from "
                                "the data; the columns are z, y"),
                          ("y", "the target column 'y' is not in the data; columns are x, z")):
        less = frame.drop(columns=[lacking])
        less.to_csv(tmp_path / f"no_{lacking}.csv", index=False)
        glob = _pieces(less, tmp_path / f"no_{lacking}", 3, "csv")
        for command in ("predict", "evaluate"):
            if command == "predict" and lacking == "y":
                continue
            for data, more in ((tmp_path / f"no_{lacking}.csv", []),
                               (glob, ["--dask", client.scheduler.address])):
                output = ["-o", tmp_path / "out.csv"] if command == "predict" else []
                status, _, err = run(capsys, command, tmp_path / "m.ffnn", data, *output, *more)
                assert status == 2 and f"ffnn: error: {data}: {said}\n" in err, err


def test_files_without_a_header_read_with_one_are_pointed_to_no_header(client, tmp_path,
                                                                      capsys):
    frame = pd.DataFrame({"x": np.arange(30.0), "y": np.arange(30.0) % 7 + 0.5})
    glob = _pieces(frame, tmp_path / "parts", 3, "csv")
    for path in (tmp_path / "parts").iterdir():
        path.write_text("".join(path.read_text().splitlines(True)[1:]))
    status, _, err = run(capsys, "fit", glob, "--target", "1", "-o", tmp_path / "m.ffnn",
                         "--dask", client.scheduler.address)
    assert status == 2 and "The first lines look like data, not column names: if the files " \
        "have no header, pass --no-header (columns are then named 0, 1, 2, ...)" in err, err


def test_files_that_disagree_on_a_column_s_type_are_named(client, tmp_path, capsys):
    """Dask's refusal of a value that the first rows' type cannot hold is said of the glob, as
    every other refusal of its files is."""
    frame = pd.DataFrame({"x": np.arange(30.0) + 0.5, "y": np.arange(30.0) % 7})
    glob = _pieces(frame, tmp_path / "parts", 3, "csv")
    text = (tmp_path / "parts" / "p2.csv").read_text().replace("25.5,", "?,")
    (tmp_path / "parts" / "p2.csv").write_text(text)
    status, _, err = run(capsys, "fit", glob, "--target", "y", "-o", tmp_path / "m.ffnn",
                         "--dask", client.scheduler.address)
    assert status == 2 and f"ffnn: error: {glob}: the files disagree with their first rows " \
        "on column types (column 'x' is float64 in the first rows but holds str values" in err


def test_a_large_file_with_line_breaks_in_quoted_values_is_refused(client, tmp_path, capsys,
                                                                   monkeypatch):
    """Dask reads a CSV file larger than its block size in blocks cut at line breaks, quotes or
    not: a quoted value holding a line break would be cut in two, its halves read as rows of
    their own (or refused with a message about column types). Such a file is refused, saying
    why and what reads it; a file within one block is read whole, as in memory."""
    from ffnn.cli import distributed_files

    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"note": [f"line {k}\nand more" for k in range(40)],
                          "x": rng.normal(size=40)})
    frame["y"] = 2 * frame.x
    frame.to_csv(tmp_path / "notes.csv", index=False)
    monkeypatch.setattr(distributed_files, "CSV_BLOCK", 10**6)
    args = ("fit", tmp_path / "notes.csv", "--target", "y", "--drop", "note", "--epochs", "1",
            "-q", "-o", tmp_path / "m.ffnn", "--dask", client.scheduler.address)
    assert run(capsys, *args)[0] == 0  # one block: read whole
    monkeypatch.setattr(distributed_files, "CSV_BLOCK", 400)
    status, _, err = run(capsys, *args)
    assert status == 2, err
    assert "row 1 (line 2) holds a line break inside a quoted value" in err, err
    assert "Parquet" in err and "blocks of 400 bytes" in err, err


def test_a_large_file_of_one_column_with_line_breaks_in_quoted_values_is_refused(
        client, tmp_path, capsys, monkeypatch):
    """The files of a model of one column, read in blocks, are checked for quoted line breaks
    too: the check ran only beside the one for rows of other lengths, for files of two columns
    or more, and a value cut in two was predicted as two rows."""
    from ffnn.cli import distributed_files

    notes = pd.DataFrame({"note": [f"line {k % 3}\nand more" for k in range(40)]})
    notes.assign(y=np.arange(40.0) % 3).to_csv(tmp_path / "train.csv", index=False)
    notes.to_csv(tmp_path / "notes.csv", index=False)
    assert run(capsys, "fit", tmp_path / "train.csv", "--target", "y", "--epochs", "1", "-q",
               "-o", tmp_path / "m.ffnn")[0] == 0
    monkeypatch.setattr(distributed_files, "CSV_BLOCK", 400)
    status, _, err = run(capsys, "predict", tmp_path / "m.ffnn", tmp_path / "notes.csv", "-o",
                         tmp_path / "p.csv", "--dask", client.scheduler.address)
    assert status == 2, err
    assert "row 1 (line 2) holds a line break inside a quoted value" in err, err
    assert not (tmp_path / "p.csv").exists()


def test_test_rows_of_files_whose_columns_come_in_other_orders_are_written_by_name(client,
                                                                                  tmp_path,
                                                                                  capsys):
    """The files of a glob may name their columns in any order: a CSV file of test rows puts
    each value under its own column's name. Each file's rows were written in the order of
    its own columns under the first file's header (a label under 'x', a number under 'y'),
    which evaluate then refused or, of columns alike, scored wrongly."""
    x = np.arange(40.0)
    frame = pd.DataFrame({"x": x, "z": -x, "y": 3 * x})
    frame.iloc[:20].to_csv(tmp_path / "p0.csv", index=False)
    frame.iloc[20:][["y", "x", "z"]].to_csv(tmp_path / "p1.csv", index=False)
    status, _, err = run(capsys, "fit", tmp_path / "p*.csv", "--target", "y", "--test-size",
                         "0.5", "--test-out", tmp_path / "t.csv", "--epochs", "1", "-q", "-o",
                         tmp_path / "m.ffnn", "--dask", client.scheduler.address)
    assert status == 0, err
    written = pd.read_csv(tmp_path / "t.csv")
    assert list(written.columns) == ["x", "z", "y"] and len(written) == 20
    np.testing.assert_array_equal(written.z, -written.x)
    np.testing.assert_array_equal(written.y, 3 * written.x)
    assert (written.x >= 20).any() and (written.x < 20).any()


@pytest.mark.parametrize("more", [[], ["--na-values", "?"]])
def test_a_target_of_whole_numbers_missing_further_on_is_said_to_be_missing(client, tmp_path,
                                                                            capsys, more):
    """A target of whole numbers in the first rows and missing further on (an empty field, or
    a marker that --na-values names) makes those files' targets floats. The refusal said to fix
    the values or read markers as missing with --na-values, which the user had done, and which
    leaves the target missing: it now says that a missing target may be the cause, and to drop
    those rows, as in memory."""
    x = np.arange(40.0)
    frame = pd.DataFrame({"x": x, "y": (x % 3).astype(int).astype(str)})
    frame.loc[33, "y"] = "?" if more else ""
    glob = _pieces(frame, tmp_path / "parts", 2, "csv")
    status, _, err = run(capsys, "fit", glob, "--target", "y", *more, "-o", tmp_path / "m.ffnn",
                         "--dask", client.scheduler.address)
    assert status == 2, err
    assert "the target column 'y' is int64 in the first rows but holds float64 values further " \
        "on (a fraction, or a missing value, which makes whole numbers floats)" in err, err
    assert "drop the rows whose target is missing" in err
    assert "--na-values" not in err


def test_decimal_commas_after_a_first_file_of_whole_numbers_are_pointed_to_decimal(client,
                                                                                   tmp_path,
                                                                                   capsys):
    """The decimal mark is detected from the first file: one of whole numbers says none, and
    a later file's 0,5 is refused. The refusal named --categorical and --na-values only; it
    now names --decimal too, which reads the files as in memory."""
    (tmp_path / "p0.csv").write_text("x;y\n" + "".join(f"{i};{2 * i}\n" for i in range(20)))
    (tmp_path / "p1.csv").write_text("x;y\n" + "".join(f"{i},5;{2 * i + 1}\n" for i in range(20)))
    fit = ["fit", tmp_path / "p*.csv", "--target", "y", "--epochs", "2", "-q", "-o",
           tmp_path / "m.ffnn", "--dask", client.scheduler.address]
    status, _, err = run(capsys, *fit)
    assert status == 2 and "holds '0,5' further on" in err, err
    assert "if the files write numbers with a decimal comma, pass --decimal ," in err
    assert run(capsys, *fit, "--decimal", ",")[0] == 0


def test_a_batch_size_beyond_every_partition_s_rows_is_warned_of(client, tmp_path, capsys):
    """No minibatch spans two partitions: a --batch-size beyond the training rows of the
    largest partition takes one step per partition, which fit said nothing of (in memory it
    warns of a batch size beyond all the training rows)."""
    x = np.linspace(0, 1, 60)
    glob = _pieces(pd.DataFrame({"x": x, "y": 2 * x}), tmp_path / "parts", 3, "csv")
    fit = ["fit", glob, "--target", "y", "--validation-fraction", "0", "--epochs", "1", "-q",
           "-o", tmp_path / "m.ffnn", "--dask", client.scheduler.address, "--batch-size"]
    status, _, err = run(capsys, *fit, "30")
    assert status == 0 and "warning: --batch-size 30 has no effect beyond the 20 training rows " \
        "of the largest partition: with --dask each epoch takes one step per partition (no " \
        "batch spans two)" in err, err
    status, _, err = run(capsys, *fit, "20")
    assert status == 0 and "--batch-size" not in err, err


def test_evaluate_names_the_target_among_columns_typed_otherwise_further_on(client, tmp_path,
                                                                            capsys):
    """A regression target that a later file writes as a word is said to be the target, as in
    memory, not as a column whose markers --na-values would read as missing (which leaves the
    target missing, refused in turn)."""
    x = np.linspace(0, 1, 40)
    frame = pd.DataFrame({"x": x, "y": 2 * x})
    frame.to_csv(tmp_path / "train.csv", index=False)
    assert run(capsys, "fit", tmp_path / "train.csv", "--target", "y", "--epochs", "1", "-q",
               "-o", tmp_path / "m.ffnn")[0] == 0
    glob = _pieces(frame.astype({"y": object}).assign(y=frame.y.where(frame.index != 30, "n/d")),
                   tmp_path / "parts", 2, "csv")
    status, _, err = run(capsys, "evaluate", tmp_path / "m.ffnn", glob, "--dask",
                         client.scheduler.address)
    assert status == 2 and "(the target column 'y' is float64 in the first rows but holds str " \
        "values further on); fix or drop those rows" in err, err
    assert "--na-values" not in err


@pytest.mark.parametrize("command", ["fit", "predict", "evaluate"])
def test_a_compressed_or_utf16_file_under_a_csv_name_is_named_as_in_memory(client, tmp_path,
                                                                           capsys, command):
    """A file of the glob that is gzip-compressed or UTF-16 text under a .csv name is refused
    as in memory, by name, saying what it is; Dask's own error named no file ('utf-8' codec
    can't decode byte 0x8b in position 1)."""
    import gzip

    x = np.linspace(0, 1, 40)
    frame = pd.DataFrame({"x": x, "y": 2 * x})
    frame.to_csv(tmp_path / "train.csv", index=False)
    model = tmp_path / "m.ffnn"
    assert run(capsys, "fit", tmp_path / "train.csv", "--target", "y", "--epochs", "1", "-q",
               "-o", model)[0] == 0
    glob = _pieces(frame, tmp_path / "parts", 3, "csv")
    p1, p2 = tmp_path / "parts" / "p1.csv", tmp_path / "parts" / "p2.csv"
    p1.write_bytes(gzip.compress(p1.read_bytes()))
    p2.write_text(p2.read_text(), encoding="utf-16")
    argv = {"fit": ["fit", glob, "--target", "y", "-o", tmp_path / "n.ffnn"],
            "predict": ["predict", model, glob, "-o", tmp_path / "p.csv"],
            "evaluate": ["evaluate", model, glob]}[command]
    status, _, err = run(capsys, *argv, "--dask", client.scheduler.address)
    assert status == 2 and f"ffnn: error: {p1}: is gzip-compressed; decompress it first " \
        "(gunzip -k FILE)" in err, err
    p1.write_text(frame.iloc[14:27].to_csv(index=False))
    status, _, err = run(capsys, *argv, "--dask", client.scheduler.address)
    assert status == 2 and f"ffnn: error: {p2}: is UTF-16 text, not UTF-8; save it as UTF-8 " \
        "(CSV UTF-8 in Excel)" in err, err


@pytest.mark.parametrize("which", [0, 1])
def test_a_file_that_is_not_utf8_is_named_with_its_line(client, tmp_path, capsys, which):
    """A file of the glob saved in Latin-1 is refused naming the file and its first line that
    is not UTF-8, as in memory; the command said only 'UnicodeDecodeError' where a worker read
    it, and Python's decoding error, naming no file, where the command read its first lines."""
    frame = pd.DataFrame({"x": np.linspace(0, 1, 40), "c": ["é", "b"] * 20})
    frame["y"] = frame.x
    glob = _pieces(frame, tmp_path / "parts", 2, "csv")
    bad = tmp_path / "parts" / f"p{which}.csv"
    bad.write_bytes(bad.read_text(encoding="utf-8").encode("latin-1"))
    status, _, err = run(capsys, "fit", glob, "--target", "y", "-o", tmp_path / "m.ffnn",
                         "--dask", client.scheduler.address)
    assert status == 2 and f"ffnn: error: {bad}: line 2 is not UTF-8 text (byte 0xe9 at " \
        "offset " in err and "save the file as UTF-8" in err, err


def test_compressed_csv_files_are_told_to_be_decompressed(client, tmp_path, capsys):
    """A glob of .csv.gz files is refused before a cluster starts, as in memory, saying how to
    read them: decompressed (it said only which suffixes --dask reads)."""
    pd.DataFrame({"x": [1.0, 2.0], "y": [2.0, 4.0]}).to_csv(tmp_path / "p0.csv.gz", index=False)
    line = one_error(capsys, "fit", tmp_path / "p*.csv.gz", "--target", "y", "-o",
                     tmp_path / "m.ffnn", "--dask", client.scheduler.address)
    assert line.endswith("not .gz: decompress them first (gunzip -k FILE)"), line


def test_headers_of_files_read_without_one_are_refused(client, tmp_path, capsys):
    """--names reads files without a header: files that have one, in other orders of the
    columns, had each header read as a row and each file's columns named by position, so that
    a column held another's values in some files, and fit trained on them without a word (in
    memory, one file's header is refused as text among numbers)."""
    x = np.linspace(0, 1, 40)
    frame = pd.DataFrame({"x": x, "c": ["u", "v"] * 20, "y": 2 * x})
    (tmp_path / "parts").mkdir()
    frame.iloc[:20].to_csv(tmp_path / "parts" / "p0.csv", index=False)
    frame.iloc[20:][["y", "c", "x"]].to_csv(tmp_path / "parts" / "p1.csv", index=False)
    line = one_error(capsys, "fit", tmp_path / "parts" / "p*.csv", "--target", "b", "--names",
                     "a,b,cc", "-o", tmp_path / "m.ffnn", "--dask", client.scheduler.address)
    assert line.endswith("p*.csv: the first line of every file names the same columns (x, c, y) "
                         "but is read as data: the files have a header; leave out --no-header "
                         "and --names"), line
    frame.to_csv(tmp_path / "parts" / "p1.csv", index=False, header=False)  # a row of text
    frame.iloc[:1].assign(x=["a"], y=["b"]).to_csv(tmp_path / "parts" / "p0.csv", index=False,
                                                  header=False)
    status, _, err = run(capsys, "fit", tmp_path / "parts" / "p*.csv", "--target", "cc",
                         "--names", "a,b,cc", "-o", tmp_path / "m.ffnn", "--dask",
                         client.scheduler.address)
    assert "names the same columns" not in err, err


def test_headers_of_files_that_a_model_reads_without_one_are_pointed_to_header(client,
                                                                               tmp_path,
                                                                               capsys):
    """A model trained on files without a header reads new files so: files that have one are
    refused, saying to pass --header."""
    x = np.linspace(0, 1, 40)
    frame = pd.DataFrame({"x": x, "y": 2 * x})
    frame.to_csv(tmp_path / "train.csv", index=False, header=False)
    model = tmp_path / "m.ffnn"
    assert run(capsys, "fit", tmp_path / "train.csv", "--no-header", "--names", "x,y",
               "--target", "y", "--epochs", "1", "-q", "-o", model)[0] == 0
    glob = _pieces(frame.rename(columns={"x": "a", "y": "b"}), tmp_path / "parts", 2, "csv")
    line = one_error(capsys, "evaluate", model, glob, "--dask", client.scheduler.address)
    assert line.endswith("the files have a header; pass --header"), line


def test_a_file_of_one_column_with_decimal_commas_is_refused_not_read_as_row_numbers(
        client, tmp_path, capsys):
    """Files of one column were never checked for rows of other lengths: 1,5 and 2,0 in one
    separated by commas are two fields a row, which pandas read as row numbers 1 and 2 beside
    the values 5 and 0, and predict --dask predicted from those, without a word (as in memory,
    where such row numbers were let through)."""
    x = np.linspace(0, 3, 30)
    pd.DataFrame({"x": x, "y": 2 * x}).to_csv(tmp_path / "train.csv", index=False)
    model = tmp_path / "m.ffnn"
    assert run(capsys, "fit", tmp_path / "train.csv", "--target", "y", "--epochs", "2", "-q",
               "-o", model)[0] == 0
    (tmp_path / "new.csv").write_text("x\n1,5\n2,0\n")
    status, _, err = run(capsys, "predict", model, tmp_path / "new.csv", "-o",
                         tmp_path / "p.csv", "--dask", client.scheduler.address)
    assert status == 2 and "new.csv: row 1 (line 2) has 2 field(s) but the header has 1" in err
    assert not (tmp_path / "p.csv").exists()


def test_a_target_of_one_value_is_warned_of_as_in_memory(client, tmp_path, capsys):
    x = np.linspace(-1, 1, 40)
    pd.DataFrame({"x": x, "y": 0.1}).to_csv(tmp_path / "d.csv", index=False)
    status, _, err = run(capsys, "fit", tmp_path / "d.csv", "--target", "y", "--epochs", "2",
                         "-q", "-o", tmp_path / "m.ffnn", "--dask", client.scheduler.address)
    assert status == 0
    assert ("warning: the target column 'y' holds one value (0.1) in every training row: there "
            "is nothing for the network to learn") in err, err


def test_rows_of_boolean_labels_spelled_1_and_0_are_known_as_in_memory(client, tmp_path,
                                                                        capsys):
    """Labels 1 and 0 name the classes True and False (as in memory, where evaluate says the
    rows are the training rows); on the cluster they were read as neither, and the training
    rows of a copy spelling them so were scored as new, without the note."""
    x = np.linspace(-1, 1, 40)
    pd.DataFrame({"x": x, "y": x > 0}).to_csv(tmp_path / "train.csv", index=False)
    model = tmp_path / "m.ffnn"
    assert run(capsys, "fit", tmp_path / "train.csv", "--target", "y", "--epochs", "2", "-q",
               "-o", model)[0] == 0
    pd.DataFrame({"x": x, "y": (x > 0).astype(int)}).to_csv(tmp_path / "ints.csv", index=False)
    note = "note: all 40 rows of"
    status, out, _ = run(capsys, "evaluate", model, tmp_path / "ints.csv")
    assert status == 0 and note in out, out
    status, out, _ = run(capsys, "evaluate", model, tmp_path / "ints.csv", "--dask",
                         client.scheduler.address)
    assert status == 0 and note in out, out


def test_the_note_on_a_training_file_scored_on_the_cluster_names_the_fit_that_made_the_model(
        client, tmp_path, capsys):
    # a model trained in memory was told to hold out test rows with 'ffnn fit --dask'
    x = np.linspace(-1, 1, 40)
    pd.DataFrame({"x": x, "y": 2 * x}).to_csv(tmp_path / "train.csv", index=False)
    model = tmp_path / "m.ffnn"
    assert run(capsys, "fit", tmp_path / "train.csv", "--target", "y", "--epochs", "2", "-q",
               "-o", model)[0] == 0
    status, out, _ = run(capsys, "evaluate", model, tmp_path / "train.csv", "--dask",
                         client.scheduler.address)
    assert status == 0 and "hold out test rows with 'ffnn fit --test-size 0.2 --test-out " \
        "FILE'" in out, out


def test_proba_of_a_regression_model_is_refused_as_in_memory(client, tmp_path, capsys):
    x = np.linspace(-1, 1, 40)
    pd.DataFrame({"x": x, "y": 2 * x}).to_csv(tmp_path / "train.csv", index=False)
    model = tmp_path / "m.ffnn"
    assert run(capsys, "fit", tmp_path / "train.csv", "--target", "y", "--epochs", "2", "-q",
               "-o", model)[0] == 0
    line = one_error(capsys, "predict", model, tmp_path / "train.csv", "--proba", "-o",
                     tmp_path / "p.csv", "--dask", client.scheduler.address)
    assert line.startswith("ffnn: error: --proba: ") and "leave out --proba" in line, line


def test_markers_are_counted_only_in_the_target_fields_they_made_missing(client, tmp_path, capsys):
    """' ?' is a category, not the marker '?' (pandas matches a field as written): the refusal
    counted it among the fields '?' made missing, 12 where in memory it says 6."""
    frame = pd.DataFrame({"a": np.arange(24.0), "y": ["a", "?", " ?", "b"] * 6})
    files = _pieces(frame, tmp_path / "in", 3, "csv")
    said = []
    for where in ([], ["--dask", client.scheduler.address]):
        status, _, err = run(capsys, "fit", files if where else tmp_path / "in" / "p0.csv", "--target",
                             "y", "--na-values", "?", "--task", "classification", "-q", "--epochs",
                             "1", "-o", tmp_path / "m.ffnn", *where)
        assert status == 2, err
        said.append(err.strip().splitlines()[-1])
    assert "markers given to --na-values: '?' (2 rows)" in said[0], said[0]
    assert "markers given to --na-values: '?' (6 rows)" in said[1], said[1]
