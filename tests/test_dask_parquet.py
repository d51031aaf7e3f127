"""Parquet files on a cluster (`--dask`) read as the in-memory commands read one file of the
same rows (tests/test_parquet_types.py): the same model, predictions and metrics, or the same
refusal."""

import decimal

import numpy as np
import pandas as pd
import pytest
from cli_runs import one_error, run
from priced_frames import priced_frame

import ffnn

pytest.importorskip("dask.dataframe")
pytest.importorskip("distributed")
pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

SOLVED = ["--solver", "lbfgs", "--validation-fraction", "0", "--epochs", "20", "--seed", "0",
          "-q"]


def _written(table, tmp_path):
    """(one Parquet file of `table`, a glob of three files of its rows, in order)."""
    if isinstance(table, pd.DataFrame):
        table = pa.Table.from_pandas(table, preserve_index=False)
    pq.write_table(table, tmp_path / "one.parquet")
    (tmp_path / "parts").mkdir()
    for k, start in enumerate(range(0, table.num_rows, 40)):
        pq.write_table(table.slice(start, 40), tmp_path / "parts" / f"p{k}.parquet")
    return tmp_path / "one.parquet", str(tmp_path / "parts" / "*.parquet")


def _fits_alike(capsys, client, one, files, tmp_path, *more):
    """The models of one file in memory and of the files on the cluster, loaded."""
    for data, dask in ((one, []), (files, ["--dask", client.scheduler.address])):
        status, _, err = run(capsys, "fit", data, "--target", "y", *SOLVED, *more, *dask, "-o",
                             tmp_path / f"{'dask' if dask else 'memory'}.ffnn")
        assert status == 0, err
    memory, dask = ffnn.load(tmp_path / "memory.ffnn"), ffnn.load(tmp_path / "dask.ffnn")
    assert dask.preprocessor.categorical == memory.preprocessor.categorical
    np.testing.assert_allclose(dask.estimator.network_.params,
                               memory.estimator.network_.params, rtol=1e-10, atol=1e-12)
    return memory, dask


@pytest.mark.parametrize("kind", ["lists", "structs", "a name given twice"])
def test_nested_columns_and_names_given_twice_are_refused_on_a_cluster(client, tmp_path,
                                                                       capsys, kind):
    # a column of lists trained as one category ('[1 2]'); two columns 'a' were refused with
    # Dask's "Can't unify schema with duplicate field names"
    frame = priced_frame()
    if kind == "a name given twice":
        table = pa.table([frame["a"], frame["price"], frame["y"]], names=["a", "a", "y"])
    else:
        values = [[1, 2]] * 120 if kind == "lists" else [{"p": 1, "q": "x"}] * 120
        table = pa.Table.from_pandas(frame, preserve_index=False).append_column(
            "nested", pa.array(values))
    one, files = _written(table, tmp_path)
    in_memory = one_error(capsys, "fit", one, "--target", "y", "-o", tmp_path / "m.ffnn")
    on_cluster = one_error(capsys, "fit", files, "--target", "y", "--dask",
                           client.scheduler.address, "-o", tmp_path / "m.ffnn")
    part = str(tmp_path / "parts" / "p0.parquet")
    assert on_cluster == in_memory.replace(str(one), part)


def _decimals(table, names, digits=2):
    for name in names:
        values = pa.array([decimal.Decimal(f"{v:.{digits}f}") for v in table[name].to_pylist()],
                          type=pa.decimal128(10, digits))
        table = table.set_column(table.schema.get_field_index(name), name, values)
    return table


def test_decimal_columns_are_float64_numbers_on_a_cluster_as_in_memory(client, tmp_path,
                                                                        capsys):
    # Dask read them as pyarrow decimals: a decimal target of classes was an internal error
    # ("Cannot interpret 'decimal128(10, 2)[pyarrow]' as a data type"), and a kept decimal
    # column written 48.00 where in memory it is 48.0
    frame = priced_frame().assign(y=np.resize([1.0, 2.0, 3.0], 120), price=lambda f: f["price"]
                            .round())
    one, files = _written(_decimals(pa.Table.from_pandas(frame, preserve_index=False),
                                    ["price", "y"]), tmp_path)
    memory, dask = _fits_alike(capsys, client, one, files, tmp_path, "--task", "classification")
    assert list(dask.classes_) == list(memory.classes_) == [1.0, 2.0, 3.0]
    address = client.scheduler.address
    for data, dask, out in ((one, [], "m.csv"), (files, ["--dask", address], "d.csv")):
        status, _, err = run(capsys, "predict", tmp_path / "memory.ffnn", data, "--keep",
                             "price", "-o", tmp_path / out, *dask)
        assert status == 0, err
    assert (tmp_path / "d.csv").read_text() == (tmp_path / "m.csv").read_text()


def test_binary_columns_are_utf8_text_on_a_cluster_as_in_memory(client, tmp_path, capsys):
    # Dask read bytes: test rows written to a CSV file held b'red', which the model reads as a
    # category it never saw; bytes that are not UTF-8 were pandas' UnicodeDecodeError alone
    colours = np.resize(["red", "green", "blue"], 120)
    table = pa.Table.from_pandas(priced_frame(), preserve_index=False).append_column(
        "colour", pa.array([c.encode() for c in colours], type=pa.binary()))
    one, files = _written(table, tmp_path)
    _fits_alike(capsys, client, one, files, tmp_path)
    status, _, err = run(capsys, "fit", files, "--target", "y", "--epochs", "2", "-q",
                         "--test-size", "0.2", "--test-out", tmp_path / "test.csv", "--dask",
                         client.scheduler.address, "-o", tmp_path / "t.ffnn")
    assert status == 0, err
    assert set(pd.read_csv(tmp_path / "test.csv")["colour"]) == {"blue", "green", "red"}
    (tmp_path / "raw").mkdir()
    for k in range(2):
        pq.write_table(table.slice(60 * k, 60).append_column("raw", pa.array(
            [bytes([0xFF if k else 0x41, j % 3]) for j in range(60)], type=pa.binary())),
            tmp_path / "raw" / f"p{k}.parquet")
    status, _, err = run(capsys, "fit", tmp_path / "raw" / "*.parquet", "--target", "y",
                         "--dask", client.scheduler.address, "-o", tmp_path / "r.ffnn")
    assert status == 2 and "column 'raw' holds bytes that are not UTF-8 text (row 1: " \
        "b'\\xff\\x00')" in err and "in one of its partitions" in err, err


@pytest.mark.parametrize("values, odd", [
    (pd.Timestamp("2024-01-01") + pd.to_timedelta(np.arange(120) % 3, "D"),
     pd.Timestamp("2024-01-02 12:00")),
    (pd.to_timedelta(np.arange(120) % 3, "D"), pd.Timedelta("1 days 02:00:00"))])
def test_a_date_is_one_category_on_a_cluster_whatever_each_file_holds(client, tmp_path,
                                                                       capsys, values, odd):
    # each partition spelled its dates apart: '2024-01-02' in files where every one is at
    # midnight, '2024-01-02 00:00:00' in the file with a time of day, two categories of one
    # date (a model of 7 categories where in memory it has 4)
    frame = priced_frame().assign(day=values)
    frame.loc[100, "day"] = odd
    one, files = _written(frame, tmp_path)
    memory, _ = _fits_alike(capsys, client, one, files, tmp_path, "--impute")
    assert len(memory.preprocessor.categorical[0][1]) == 4


def test_a_model_s_markers_of_missing_values_read_parquet_files_on_a_cluster(client, tmp_path,
                                                                            capsys):
    # the markers a model of a Parquet file recorded were not read as missing on a cluster:
    # '?' in a text column was a category never seen (other predictions than in memory), in
    # a numeric column text among numbers, whose refusal offered --na-values, which --dask
    # refused of Parquet files
    frame = priced_frame().astype({"price": str})
    frame["colour"] = np.resize(["red", "green", "blue", "red"], 120)
    frame.loc[[3, 50], "price"] = "?"
    frame.loc[[5, 90], "colour"] = "?"
    one, files = _written(frame, tmp_path)
    status, _, err = run(capsys, "fit", one, "--target", "y", *SOLVED, "--na-values", "?",
                         "--impute", "-o", tmp_path / "m.ffnn")
    assert status == 0, err
    address = client.scheduler.address
    said = {}
    for data, dask, out in ((one, [], "m.csv"), (files, ["--dask", address], "d.csv")):
        status, _, err = run(capsys, "predict", tmp_path / "m.ffnn", data, "--keep", "colour",
                             "-o", tmp_path / out, *dask)
        assert status == 0, err
        said[out] = [line.replace(str(data), "FILES") for line in err.splitlines()
                     if not line.startswith("Dask:") and not line.startswith("wrote")]
        status, said[data], err = run(capsys, "evaluate", tmp_path / "m.ffnn", data, *dask)
        assert status == 0, err
    assert said["d.csv"] == said["m.csv"] and "filled 4 missing value(s)" in said["m.csv"][0]
    memory, dask = pd.read_csv(tmp_path / "m.csv"), pd.read_csv(tmp_path / "d.csv")
    assert list(dask["colour"].isna()) == list(memory["colour"].isna())
    np.testing.assert_allclose(dask["y"], memory["y"], rtol=1e-12)
    metrics = [next(line for line in said[data].splitlines() if "RMSE" in line)
               for data in (one, files)]
    assert metrics[0] == metrics[1]


def test_a_marker_that_is_a_number_is_missing_in_numeric_columns_on_a_cluster(client, tmp_path,
                                                                              capsys):
    frame = priced_frame().assign(t=np.resize([10, 20, -999, 30], 120))
    one, files = _written(frame, tmp_path)
    status, _, err = run(capsys, "fit", one, "--target", "y", *SOLVED, "--na-values=-999",
                         "--impute", "-o", tmp_path / "m.ffnn")
    assert status == 0, err
    for data, dask, out in ((one, [], "m.csv"), (files, ["--dask", client.scheduler.address],
                                                 "d.csv")):
        status, _, err = run(capsys, "predict", tmp_path / "m.ffnn", data, "-o", tmp_path / out,
                             *dask)
        assert status == 0 and "in 't' (30)" in err, err
    memory, dask = pd.read_csv(tmp_path / "m.csv"), pd.read_csv(tmp_path / "d.csv")
    np.testing.assert_allclose(dask["y"], memory["y"], rtol=1e-12)


def _marked_frame():
    """priced_frame's rows with markers of missing values in some of its three files only:
    '?' in 'price' (text of numbers) in the first file, in 'colour' in the last; in 'code'
    (numbers in the first two files, words in the last) in the first; -999 in the second
    file's 't' (whole numbers)."""
    frame = priced_frame().astype({"price": str})
    frame["colour"] = np.resize(["red", "green", "blue", "red"], 120)
    frame["code"] = np.resize(["01", "02", "03"], 120)
    frame.loc[80:, "code"] = np.resize(["x", "y", "z"], 40)
    frame["t"] = np.resize([10, 20, 30, 40], 120)
    frame.loc[[3, 17], "price"] = "?"
    frame.loc[[85, 110], "colour"] = "?"
    frame.loc[[5, 30], "code"] = "?"
    frame.loc[[44, 70], "t"] = -999
    return frame


def test_fit_reads_markers_of_missing_values_in_parquet_files_on_a_cluster(client, tmp_path,
                                                                           capsys):
    # --na-values was refused of Parquet files with --dask; marked partition by partition, a
    # column whose markers sit in some files only was numbers in those, text in the others
    one, files = _written(_marked_frame(), tmp_path)
    memory, dask = _fits_alike(capsys, client, one, files, tmp_path, "--na-values", "?",
                               "--na-values=-999", "--impute")
    categories = {name: list(values) for name, values, _ in memory.preprocessor.categorical}
    assert categories == {"colour": ["blue", "green", "red"],
                          "code": ["01", "02", "03", "x", "y", "z"]}
    assert dask.read_options.na_values == memory.read_options.na_values == ["?", "-999"]
    said = {}
    for name in ("memory", "dask"):  # each model, in memory and on the cluster
        for data, on in ((one, []), (files, ["--dask", client.scheduler.address])):
            out = tmp_path / f"{name}-{'dask' if on else 'memory'}.csv"
            status, _, err = run(capsys, "predict", tmp_path / f"{name}.ffnn", data, "-o", out,
                                 *on)
            assert status == 0, err
            said[out.name] = pd.read_csv(out)["y"]
    for predicted in said.values():
        np.testing.assert_allclose(predicted, said["memory-memory.csv"], rtol=1e-10)


def test_declared_categories_stay_text_where_markers_make_numbers(client, tmp_path, capsys):
    # a text column of codes ('007', '1.0') with a marker '?' and nothing else but numbers was
    # made numbers by --na-values although --categorical declared it: categories '7' and '1',
    # in memory and on a cluster, where a CSV file of the same rows keeps '007' and '1.0'
    rng = np.random.default_rng(7)
    code = rng.choice(["007", "1.0", "12", "?"], 120)
    x = rng.normal(size=120)
    frame = pd.DataFrame({"x": x, "code": code, "y": x + (code == "007")})
    one, files = _written(frame, tmp_path)
    memory, _ = _fits_alike(capsys, client, one, files, tmp_path, "--na-values", "?",
                            "--impute", "--categorical", "code")
    assert memory.preprocessor.categorical[0][:2] == ("code", ["007", "1.0", "12"])
    frame.to_csv(tmp_path / "one.csv", index=False)
    status, _, err = run(capsys, "fit", tmp_path / "one.csv", "--target", "y", *SOLVED,
                         "--na-values", "?", "--impute", "--categorical", "code", "-o",
                         tmp_path / "csv.ffnn")
    assert status == 0, err
    assert ffnn.load(tmp_path / "csv.ffnn").preprocessor.categorical == \
        memory.preprocessor.categorical


def test_a_model_s_markers_type_a_column_as_all_the_files_do_on_a_cluster(client, tmp_path,
                                                                          capsys):
    # the markers recorded by a model of one file were applied to each partition apart: 'code',
    # a marker among numbers in the first file and words in the last, was numbers in the
    # first partition (1.0 for '01', a category never seen) where in memory it is text
    # throughout
    one, files = _written(_marked_frame(), tmp_path)
    status, _, err = run(capsys, "fit", one, "--target", "y", *SOLVED, "--na-values", "?",
                         "--na-values=-999", "--impute", "-o", tmp_path / "m.ffnn")
    assert status == 0, err
    said, predicted = {}, {}
    for data, on in ((one, []), (files, ["--dask", client.scheduler.address])):
        out = tmp_path / f"{'dask' if on else 'memory'}.csv"
        status, _, err = run(capsys, "predict", tmp_path / "m.ffnn", data, "--keep", "code",
                             "--keep", "price", "-o", out, *on)
        assert status == 0, err
        said[out.name] = [line for line in err.splitlines() if line.startswith("warning")]
        predicted[out.name] = pd.read_csv(out, dtype={"code": str})
    assert said["dask.csv"] == said["memory.csv"] == []
    memory, dask = predicted["memory.csv"], predicted["dask.csv"]
    assert list(dask["code"].fillna("")) == list(memory["code"].fillna(""))
    np.testing.assert_allclose(dask["price"], memory["price"])
    np.testing.assert_allclose(dask["y"], memory["y"], rtol=1e-10)


@pytest.mark.parametrize("suffix", ["csv", "parquet"])
@pytest.mark.parametrize("change", ["lacks", "renames", "adds"])
def test_files_naming_other_columns_than_the_first_are_refused_on_a_cluster(client, tmp_path,
                                                                            capsys, suffix,
                                                                            change):
    """A file that lacks a column of the first, names it otherwise, or holds one more is named
    with the columns that differ, for fit, predict and evaluate alike: Dask takes the first
    file's columns for all, so a lacking column failed with pandas' KeyError (or was taken for
    a short row), and one more was passed over in silence (in memory, one file of all the rows
    holds it, missing elsewhere). Columns in another order are the same columns."""
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"a": rng.normal(size=60), "b": rng.normal(size=60)})
    frame["y"] = frame.a - frame.b
    other = {"lacks": frame.drop(columns="b"), "renames": frame.rename(columns={"b": "bb"}),
             "adds": frame.assign(extra=1.0)}[change]
    for k, part in enumerate([frame[:20], frame[20:40][["y", "b", "a"]], other[40:]]):
        path = tmp_path / f"p{k}.{suffix}"
        part.to_csv(path, index=False) if suffix == "csv" else part.to_parquet(path, index=False)
    frame.to_csv(tmp_path / "one.csv", index=False)
    model, files, address = tmp_path / "m.ffnn", str(tmp_path / f"p*.{suffix}"), \
        client.scheduler.address
    assert run(capsys, "fit", tmp_path / "one.csv", "--target", "y", *SOLVED, "-o", model)[0] == 0
    differs = {"lacks": "lacks 'b'", "renames": "lacks 'b' and holds 'bb'",
               "adds": "holds 'extra'"}[change]
    for command in (["fit", files, "--target", "y", *SOLVED, "-o", tmp_path / "n.ffnn"],
                    ["predict", model, files, "-o", tmp_path / "out.csv"],
                    ["evaluate", model, files]):
        error = one_error(capsys, *command, "--dask", address)
        assert f"p2.{suffix}: its columns are not those of " in error, error
        assert f"p0.{suffix}: it {differs}" in error, error
    assert not (tmp_path / "n.ffnn").exists() and not (tmp_path / "out.csv").exists()


def test_a_declared_category_typed_otherwise_in_the_first_file_is_read_per_file(client,
                                                                                tmp_path,
                                                                                capsys):
    """A column of categories that the first Parquet file holds no value of (pandas writes it
    as doubles) and later files hold as text: --categorical, which the refusal without it
    advises, trained as in memory on one file of the rows, where it failed inside pyarrow."""
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"a": rng.normal(size=120), "c": rng.choice(["u", "v"], 120)})
    frame["y"] = frame.a + (frame.c == "u")
    frame.loc[:39, "c"] = np.nan
    frame.to_csv(tmp_path / "one.csv", index=False)
    (tmp_path / "parts").mkdir()
    for k in range(3):
        part = frame[40 * k:40 * (k + 1)]
        part = part.astype({"c": float}) if k == 0 else part  # as pandas reads an empty column
        part.to_parquet(tmp_path / "parts" / f"p{k}.parquet", index=False)
    assert str(pq.read_schema(tmp_path / "parts" / "p0.parquet").field("c").type) == "double"
    files = str(tmp_path / "parts" / "*.parquet")
    status, _, err = run(capsys, "fit", files, "--target", "y", *SOLVED, "--impute", "--dask",
                         client.scheduler.address, "-o", tmp_path / "n.ffnn")
    assert status == 2 and "name it with --categorical" in err, err
    memory, dask = _fits_alike(capsys, client, tmp_path / "one.csv", files, tmp_path,
                               "--impute", "--categorical", "c")
    assert memory.preprocessor.categorical[0][:2] == ("c", ["u", "v"])


def test_a_parquet_file_without_rows_first_in_the_glob_types_no_column(client, tmp_path,
                                                                       capsys):
    """pandas writes the columns of a frame without rows as doubles: first in the glob, Dask
    typed the text column so from it and refused the other files' words. Such a file adds no
    rows and types nothing: the files fit as in memory on one file of their rows."""
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"a": rng.normal(size=80), "c": rng.choice(["u", "v"], 80)})
    frame["y"] = frame.a + (frame.c == "u")
    frame.to_csv(tmp_path / "one.csv", index=False)
    (tmp_path / "parts").mkdir()
    pd.DataFrame({"a": [], "c": [], "y": []}).to_parquet(tmp_path / "parts" / "a.parquet",
                                                        index=False)
    assert str(pq.read_schema(tmp_path / "parts" / "a.parquet").field("c").type) == "double"
    for k in range(2):
        frame[40 * k:40 * (k + 1)].to_parquet(tmp_path / "parts" / f"p{k}.parquet", index=False)
    memory, dask = _fits_alike(capsys, client, tmp_path / "one.csv",
                               str(tmp_path / "parts" / "*.parquet"), tmp_path)
    assert memory.preprocessor.categorical[0][:2] == ("c", ["u", "v"])


def test_evaluate_on_a_cluster_counts_rows_of_boolean_labels_that_trained_the_model(client,
                                                                                    tmp_path,
                                                                                    capsys):
    """A Parquet file keeps booleans as booleans: evaluate --dask of a model trained in memory
    on the same rows counts them as trained on, as in memory. It stopped with an internal error
    (booleans have no text to read as true or false)."""
    x = np.linspace(-1, 1, 40)
    frame = pd.DataFrame({"x": x, "y": x > 0.1})
    frame.to_parquet(tmp_path / "one.parquet", index=False)
    model = tmp_path / "m.ffnn"
    assert run(capsys, "fit", tmp_path / "one.parquet", "--target", "y", *SOLVED, "-o",
               model)[0] == 0
    memory = run(capsys, "evaluate", model, tmp_path / "one.parquet")
    status, out, err = run(capsys, "evaluate", model, tmp_path / "one.parquet", "--dask",
                           client.scheduler.address)
    assert status == 0, err
    assert "40 of its 40 rows trained the network" in memory[1]
    assert "40 of its 40 rows trained the network" in out
    assert "accuracy 1.0000" in out and "accuracy 1.0000" in memory[1]
