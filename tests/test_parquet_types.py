"""Parquet files read in memory: each column type read as the same data in a CSV file would
be (where the types agree), or refused with what to do; row numbers counted in the file."""

import decimal
import io

import numpy as np
import pandas as pd
import pytest
from cli_runs import one_error, run
from priced_frames import priced_frame

import ffnn

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")


def _with_decimals(frame, path, names):
    """`frame` written to Parquet with the columns `names` as decimal128(10, 2)."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    for name in names:
        values = pa.array([decimal.Decimal(f"{v:.2f}") for v in frame[name]],
                          type=pa.decimal128(10, 2))
        table = table.set_column(table.schema.get_field_index(name), name, values)
    pq.write_table(table, path)


def _fit(capsys, data, model, *more):
    status, _, err = run(capsys, "fit", data, "--target", "y", "--epochs", "3", "--seed", "0",
                         "-q", "-o", model, *more)
    assert status == 0, err
    return ffnn.load(model)


def test_decimal_columns_are_numbers_as_in_a_csv_file(tmp_path, capsys):
    # pandas reads decimal128 as Python Decimal objects: a price was one-hot encoded, a
    # category per price, and a decimal target taken for classes, one per value
    frame = priced_frame()
    frame.to_csv(tmp_path / "d.csv", index=False)
    _with_decimals(frame, tmp_path / "d.parquet", ["price", "y"])
    from_csv = _fit(capsys, tmp_path / "d.csv", tmp_path / "c.ffnn")
    from_parquet = _fit(capsys, tmp_path / "d.parquet", tmp_path / "p.ffnn")
    assert from_parquet.task == "regression"
    assert from_parquet.preprocessor.state() == from_csv.preprocessor.state()
    assert from_parquet.metrics == from_csv.metrics
    outputs = [run(capsys, "predict", tmp_path / model, tmp_path / data)[1]
               for model in ("c.ffnn", "p.ffnn") for data in ("d.csv", "d.parquet")]
    assert len(set(outputs)) == 1 and len(outputs[0].splitlines()) == 121


@pytest.mark.parametrize("values, kind", [([[1, 2]] * 120, "lists"),
                                          ([{"p": 1, "q": "x"}] * 120, "structs")])
def test_nested_columns_are_refused_by_name(tmp_path, capsys, values, kind):
    table = pa.Table.from_pandas(priced_frame(), preserve_index=False).append_column(
        "nested", pa.array(values))
    pq.write_table(table, tmp_path / "d.parquet")
    line = one_error(capsys, "fit", tmp_path / "d.parquet", "--target", "y", "-o",
                     tmp_path / "m.ffnn")
    assert "'nested'" in line and kind in line


def test_duplicate_column_names_are_said(tmp_path, capsys):
    frame = priced_frame()
    pq.write_table(pa.table([frame["a"], frame["price"], frame["y"]], names=["a", "a", "y"]),
                   tmp_path / "d.parquet")
    line = one_error(capsys, "fit", tmp_path / "d.parquet", "--target", "y", "-o",
                     tmp_path / "m.ffnn")
    assert "'a'" in line and "more than one column" in line and "not a readable" not in line


def test_na_values_leave_columns_without_markers_as_typed(tmp_path, capsys):
    # --na-values made every text column of numbers numeric (zip codes 02139 became 2139) and
    # a column of dates the nanoseconds since 1970
    frame = priced_frame()
    frame["zip"] = np.resize(["02139", "10001", "94105"], len(frame))
    frame["when"] = pd.Timestamp("2024-01-01") + pd.to_timedelta(np.arange(120) % 4, "D")
    frame["rooms"] = np.resize(["3", "4", "?", "5"], len(frame))
    frame.to_parquet(tmp_path / "d.parquet", index=False)
    model = _fit(capsys, tmp_path / "d.parquet", tmp_path / "m.ffnn", "--na-values", "?",
                 "--impute")
    assert [n for n, *_ in model.preprocessor.numeric] == ["a", "price", "rooms"]
    categories = {n: c for n, c, _ in model.preprocessor.categorical}
    assert categories["zip"] == ["02139", "10001", "94105"]
    assert categories["when"][0] == "2024-01-01"


@pytest.mark.parametrize("index", [pd.RangeIndex(1000, 1120), pd.RangeIndex(119, -1, -1)])
def test_rows_are_counted_in_the_file_whatever_the_saved_index(tmp_path, capsys, index):
    # a RangeIndex is stored as metadata, and its labels were said as row numbers
    frame = priced_frame().astype({"a": str})
    frame.loc[3, "a"] = "oops"
    frame.index = index
    frame.to_parquet(tmp_path / "d.parquet")
    assert pd.read_parquet(tmp_path / "d.parquet").index.equals(index)
    line = one_error(capsys, "fit", tmp_path / "d.parquet", "--target", "y", "-o",
                     tmp_path / "m.ffnn")
    assert "row(s) 4 ('oops')" in line


def test_dates_with_a_time_zone_across_summer_time(tmp_path, capsys):
    # their offsets differ (+01:00, +02:00), which pandas' date parser refused with an error
    frame = priced_frame()
    frame["when"] = (pd.Timestamp("2024-01-01") + pd.to_timedelta(np.arange(120) * 3, "D")) \
        .tz_localize("Europe/Paris")
    frame.to_parquet(tmp_path / "d.parquet", index=False)
    status, _, err = run(capsys, "fit", tmp_path / "d.parquet", "--target", "y", "--epochs",
                         "2", "-q", "-o", tmp_path / "m.ffnn")
    assert status == 0 and "column 'when' holds dates" in err, err
    status, out, err = run(capsys, "predict", tmp_path / "m.ffnn", tmp_path / "d.parquet")
    assert status == 0 and len(pd.read_csv(io.StringIO(out))) == 120, err


@pytest.mark.parametrize("values, odd", [
    (pd.Timestamp("2024-01-01") + pd.to_timedelta(np.arange(120) % 3, "D"),
     pd.Timestamp("2024-01-01 12:00")),
    (pd.to_timedelta(np.arange(120) % 3, "D"), pd.Timedelta("1 days 02:00:00"))])
def test_a_date_is_its_category_whatever_the_other_rows_hold(tmp_path, capsys, values, odd):
    # pandas spells a column's dates alike: '2024-01-02' where every one is at midnight, but
    # '2024-01-02 00:00:00' where one has a time of day, which no category spelled; one row
    # with a time made every other row's date unseen, and changed their predictions
    frame = priced_frame().assign(day=values)
    frame.to_parquet(tmp_path / "d.parquet", index=False)
    _fit(capsys, tmp_path / "d.parquet", tmp_path / "m.ffnn")
    frame.loc[0, "day"] = odd
    frame.to_parquet(tmp_path / "new.parquet", index=False)
    frame.iloc[1:].to_parquet(tmp_path / "rest.parquet", index=False)
    status, out, err = run(capsys, "predict", tmp_path / "m.ffnn", tmp_path / "new.parquet")
    assert status == 0 and "(1 row)" in err and "rows)" not in err, err
    status, rest, _ = run(capsys, "predict", tmp_path / "m.ffnn", tmp_path / "rest.parquet")
    assert status == 0
    # alike but for rounding (a matrix of another size may be multiplied in another order)
    np.testing.assert_allclose(pd.read_csv(io.StringIO(out))["y"].iloc[1:],
                               pd.read_csv(io.StringIO(rest))["y"], rtol=1e-12)


@pytest.mark.parametrize("values, spelled", [
    (pd.Timestamp("2024-01-01") + pd.to_timedelta(np.arange(120) % 3, "D"),
     ["2024-01-01 00:00:00", "2024-01-02T00:00:00", "2024-01-03 00:00"]),
    (pd.to_timedelta(np.arange(120) % 3, "D"), ["0 days 00:00:00", "1 days 00:00:00", "2 days"])])
def test_a_csv_file_spelling_a_date_with_its_time_of_day_names_its_category(tmp_path, capsys,
                                                                            values, spelled):
    # a CSV file spells a column's dates as pandas does, '2024-01-02 00:00:00' where one row
    # (of the file, or of a Dask partition that fit --dask --test-out wrote) has a time of day:
    # such rows were encoded as unseen categories, all zeros, and predicted otherwise
    frame = priced_frame().assign(day=values)
    frame.to_parquet(tmp_path / "d.parquet", index=False)
    _fit(capsys, tmp_path / "d.parquet", tmp_path / "m.ffnn")
    status, expected, _ = run(capsys, "predict", tmp_path / "m.ffnn", tmp_path / "d.parquet")
    assert status == 0
    frame.assign(day=np.resize(spelled, 120)).to_csv(tmp_path / "d.csv", index=False)
    status, out, err = run(capsys, "predict", tmp_path / "m.ffnn", tmp_path / "d.csv")
    assert status == 0 and "not seen in training" not in err, err
    np.testing.assert_allclose(pd.read_csv(io.StringIO(out))["y"],
                               pd.read_csv(io.StringIO(expected))["y"], rtol=1e-12)


def test_binary_columns_are_read_as_utf8_text(tmp_path, capsys):
    # as some writers store text; pandas gives bytes, which the test rows and --keep wrote
    # b'red', a category the model never saw
    frame = priced_frame()
    colours = np.resize(["red", "green", "blue"], len(frame))
    table = pa.Table.from_pandas(frame, preserve_index=False).append_column(
        "colour", pa.array([c.encode() for c in colours], type=pa.binary()))
    pq.write_table(table, tmp_path / "d.parquet")
    model = _fit(capsys, tmp_path / "d.parquet", tmp_path / "m.ffnn", "--test-size", "0.2",
                 "--test-out", tmp_path / "test.csv")
    assert model.preprocessor.categorical[0][1] == ["blue", "green", "red"]
    assert set(pd.read_csv(tmp_path / "test.csv")["colour"]) == {"blue", "green", "red"}
    status, out, err = run(capsys, "predict", tmp_path / "m.ffnn", tmp_path / "d.parquet",
                           "--keep", "colour")
    assert status == 0 and list(pd.read_csv(io.StringIO(out))["colour"]) == list(colours), err


def test_binary_columns_that_are_not_utf8_are_refused(tmp_path, capsys):
    frame = priced_frame()
    table = pa.Table.from_pandas(frame, preserve_index=False).append_column(
        "raw", pa.array([bytes([0xFF, k % 3]) for k in range(len(frame))], type=pa.binary()))
    pq.write_table(table, tmp_path / "d.parquet")
    line = one_error(capsys, "fit", tmp_path / "d.parquet", "--target", "y", "-o",
                     tmp_path / "m.ffnn")
    assert "'raw'" in line and "UTF-8" in line and "row 1" in line


def test_a_model_reads_later_parquet_files_with_its_missing_value_markers(tmp_path, capsys):
    # a model of a CSV file records its --na-values; one of a Parquet file recorded none, and
    # refused the markers of its own training file as text among numbers
    frame = priced_frame().astype({"price": str})
    frame.loc[[3, 17], "price"] = "?"
    frame.to_parquet(tmp_path / "d.parquet", index=False)
    _fit(capsys, tmp_path / "d.parquet", tmp_path / "m.ffnn", "--na-values", "?", "--impute")
    status, out, err = run(capsys, "predict", tmp_path / "m.ffnn", tmp_path / "d.parquet")
    assert status == 0 and "filled 2 missing value(s)" in err, err
    assert run(capsys, "predict", tmp_path / "m.ffnn", tmp_path / "d.parquet", "--na-values",
               "?")[1] == out


@pytest.mark.parametrize("categories, dates, unseen", [
    # a day-first file's 1 February, and 13 February: neither is the 2nd of January
    (["01/02/2024", "13/02/2024"], ["2024-01-02", "2024-02-13"], 2),
    # a date without a time zone names no instant: not 01:00 in Paris, nor 23:00 the day before
    (["2024-01-02", "2024-01-03"], ["2024-01-02 01:00+01:00", "2024-01-03 00:00+00:00"], 2),
    # a year is no date
    (["2024", "2025"], ["2024-01-01", "2025-01-01"], 2),
    (["2024-01-02", "2024-01-03"], ["2024-01-02", "2024-01-03 00:00"], 0)])
def test_a_date_is_only_the_category_that_spells_the_same_instant(tmp_path, capsys, categories,
                                                                  dates, unseen):
    frame = priced_frame().assign(day=np.resize(categories, 120))
    frame.to_csv(tmp_path / "d.csv", index=False)
    _fit(capsys, tmp_path / "d.csv", tmp_path / "m.ffnn", "--categorical", "day")
    later = frame.assign(day=pd.Series(np.resize(dates, 120)).map(pd.Timestamp))
    if later["day"].dtype == object:
        later["day"] = pd.to_datetime(later["day"], utc=True)
    later.to_parquet(tmp_path / "new.parquet", index=False)
    status, _, err = run(capsys, "predict", tmp_path / "m.ffnn", tmp_path / "new.parquet")
    assert status == 0, err
    assert err.count("rows)") == unseen, err


def test_a_date_where_no_category_is_a_date_is_unseen(tmp_path, capsys):
    # no category named a date: an internal error (an index into no categories)
    frame = priced_frame().assign(day=np.resize(["red", "green"], 120))
    frame.to_csv(tmp_path / "d.csv", index=False)
    _fit(capsys, tmp_path / "d.csv", tmp_path / "m.ffnn")
    frame.assign(day=pd.Timestamp("2024-01-02")).to_parquet(tmp_path / "new.parquet")
    status, _, err = run(capsys, "predict", tmp_path / "m.ffnn", tmp_path / "new.parquet")
    assert status == 0 and "'2024-01-02' (120 rows)" in err, err


def test_a_decimal_column_reads_categories_spelled_as_decimals(tmp_path, capsys):
    # a model trained before decimal columns were read as numbers one-hot encoded them, its
    # categories spelled as Decimals are ('1.50', '2.00'): the same file read now gives 1.5,
    # which no category spelled, and changed the predictions of three rows in four
    frame = priced_frame().assign(price=np.resize([1.5, 2.0, 3.25, 4.1], 120))
    frame.assign(price=frame["price"].map("{:.2f}".format)).to_csv(tmp_path / "d.csv",
                                                                    index=False)
    model = _fit(capsys, tmp_path / "d.csv", tmp_path / "m.ffnn", "--categorical", "price")
    assert model.preprocessor.categorical[0][1] == ["1.50", "2.00", "3.25", "4.10"]
    _with_decimals(frame, tmp_path / "d.parquet", ["price"])
    outputs = []
    for data in ("d.csv", "d.parquet"):
        status, out, err = run(capsys, "predict", tmp_path / "m.ffnn", tmp_path / data)
        assert status == 0 and "not seen in training" not in err, err
        outputs.append(out)
    assert outputs[0] == outputs[1]


def test_a_marker_that_is_a_number_is_missing_in_numeric_columns_as_in_a_csv_file(tmp_path,
                                                                                   capsys):
    # --na-values -999 left the numbers -999 of a Parquet file's numeric column as numbers
    # (a mean of -250 for values of 10 to 30), and the model, which records the marker, read
    # them as missing in a CSV file of the same rows: other predictions for the same rows
    frame = priced_frame().assign(t=np.resize([10.0, 20.0, -999.0, 30.0], 120))
    frame.to_parquet(tmp_path / "d.parquet", index=False)
    frame.to_csv(tmp_path / "d.csv", index=False)
    model = _fit(capsys, tmp_path / "d.parquet", tmp_path / "m.ffnn", "--na-values=-999",
                 "--impute")
    assert 10 < dict((n, mean) for n, mean, *_ in model.preprocessor.numeric)["t"] < 30
    outputs = [run(capsys, "predict", tmp_path / "m.ffnn", tmp_path / data)
               for data in ("d.parquet", "d.csv")]
    assert all(status == 0 and "in 't' (30)" in err for status, _, err in outputs), outputs
    assert outputs[0][1] == outputs[1][1]
