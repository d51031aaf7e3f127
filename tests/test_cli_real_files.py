"""Files as they come from spreadsheets and other programs, through the command line: what each
reads as, or the one-line error that says why it is refused and what reads it."""

import numpy as np
import pandas as pd
import pytest
from cli_runs import one_error, run


def _rows(sep, mark, n=40):
    """Prices below and above 1,000, those above grouped in thousands by `mark` (761, 2.027)."""
    lines = [sep.join(["rooms", "city", "price"])]
    for i in range(n):
        rooms, price = i % 5 + 1, (i % 5 + 1) * 400 + i % 7
        lines.append(sep.join([str(rooms), "Lyon" if i % 2 else "Nice",
                               f"{price:,}".replace(",", mark)]))
    return "\n".join(lines) + "\n"


def test_numbers_grouped_in_thousands_are_not_read_as_decimals(tmp_path, capsys):
    # 2.027 beside 761 in one column: thousands grouped by a point (or, in a file not separated
    # by commas, by a comma), which pandas reads as a decimal mark, two thousand as two
    for name, sep, mark in (("semi.csv", ";", "."), ("tab.tsv", "\t", ","),
                            ("comma.csv", ",", ".")):
        data = tmp_path / name
        data.write_text(_rows(sep, mark))
        for target in ("price", "rooms"):  # as the target, and as a feature
            line = one_error(capsys, "fit", data, "--target", target, "--epochs", "1",
                             "-o", tmp_path / "m.ffnn")
            assert f"{name}: column 'price' holds numbers written such as '1{mark}202'" in line
            assert "beside whole numbers below 1,000 such as '400'" in line
            assert f"1{mark}202 is read as 1.202, not 1202" in line
            assert f"pass --decimal {mark}" in line, line
        assert not (tmp_path / "m.ffnn").exists()


def test_numbers_grouped_in_thousands_read_as_decimals_when_told(tmp_path, capsys):
    data = tmp_path / "semi.csv"
    data.write_text(_rows(";", "."))
    status, _, err = run(capsys, "fit", data, "--target", "price", "--decimal", ".",
                         "--epochs", "1", "-q", "-o", tmp_path / "m.ffnn")
    assert status == 0, err
    # a model told so reads its files so again, and a file of only whole numbers is no question
    assert run(capsys, "predict", tmp_path / "m.ffnn", data, "--decimal", ".")[0] == 0
    plain = tmp_path / "plain.csv"
    plain.write_text("rooms;city;price\n1;Lyon;401\n2;Nice;802\n")
    assert run(capsys, "predict", tmp_path / "m.ffnn", plain)[0] == 0


def test_decimals_of_three_places_are_not_taken_for_thousands(tmp_path, capsys):
    # 0.125 is no group of thousands (none starts with 0), nor 1.25 beside 2.027
    for values in (["0.125", "3", "0.250", "1"], ["1.25", "2.027", "3", "4"]):
        data = tmp_path / "d.csv"
        data.write_text("x,y\n" + "".join(f"{v},{k % 3}.5\n" for k, v in
                                          enumerate(values * 10)))
        status, _, err = run(capsys, "fit", data, "--target", "y", "--epochs", "1", "-q",
                             "-o", tmp_path / "m.ffnn")
        assert status == 0, err


def test_missing_value_markers_typed_with_spaces_after_the_commas(tmp_path, capsys):
    # '?, -' as a list is typed: the markers are '?' and '-', as the file writes them
    data = tmp_path / "d.csv"
    data.write_text("x,z,y\n" + "".join(
        f"{'?' if k % 9 == 3 else k % 7},{'-' if k % 11 == 4 else k % 5},{k % 3}.5\n"
        for k in range(40)))
    status, _, err = run(capsys, "fit", data, "--target", "y", "--na-values", "?, -",
                         "--impute", "--epochs", "1", "-q", "-o", tmp_path / "m.ffnn")
    assert status == 0, err
    assert "in 'x' (5), 'z' (4)" in err
    # and the file's own spaces before a marker still match the marker typed with them
    data.write_text("x,z,y\n" + "".join(f"{k % 7}, {'-' if k % 11 == 4 else k % 5},{k % 3}.5\n"
                                        for k in range(40)))
    status, _, err = run(capsys, "fit", data, "--target", "y", "--na-values", " -",
                         "--impute", "--epochs", "1", "-q", "-o", tmp_path / "m.ffnn")
    assert status == 0 and "in 'z' (4)" in err, err


def test_data_and_compressed_files_given_as_the_model_are_named_for_what_they_are(tmp_path,
                                                                                 capsys):
    import bz2
    import lzma

    import pandas as pd

    text = "a,b,y\n" + "".join(f"{k},{k % 3},{k % 2}\n" for k in range(30))
    pd.read_csv(__import__("io").StringIO(text)).to_parquet(tmp_path / "d.parquet")
    (tmp_path / "d.csv.bz2").write_bytes(bz2.compress(text.encode()))
    (tmp_path / "d.csv.xz").write_bytes(lzma.compress(text.encode()))
    for name, kind in (("d.parquet", "a Parquet data file"),
                       ("d.csv.bz2", "a bzip2-compressed file"),
                       ("d.csv.xz", "an xz-compressed file")):
        line = one_error(capsys, "summary", tmp_path / name)
        assert f"{name}: file: is {kind}, not a model file" in line, line
        assert "text file" not in line and "truncated" not in line


def test_negatives_written_with_the_minus_sign_after_them_are_not_categories(tmp_path, capsys):
    # accounting exports write -53.57 as 53.57-: read as text, each number was a category
    data = tmp_path / "sap.csv"
    data.write_text("amount,x,y\n" + "".join(
        f"{k * 7 % 50 + 0.25:.2f}{'-' if k % 2 else ''},{k % 5},{k % 3}.5\n" for k in range(40)))
    for target, what in (("y", "column 'amount'"), ("amount", "the target column 'amount'")):
        line = one_error(capsys, "fit", data, "--target", target, "--epochs", "1",
                         "-o", tmp_path / "m.ffnn")
        assert f"{what} holds numbers written with" in line and "'7.25-'" in line, line
        assert "a minus sign after them" in line


def _marked(marker):
    """A column 'a' of numbers, a third of them written `marker` (a missing value)."""
    return "a,x,y\n" + "".join(f"{marker if k % 3 == 0 else round(k * 0.37, 2)},{k % 5},{k % 4}.5\n"
                               for k in range(60))


def test_numbers_with_many_missing_value_markers_are_not_categories(tmp_path, capsys):
    # a third of the rows '-': read as text, each of the 40 numbers was a category of its own
    # (and the column was pointed out as an identifier)
    data = tmp_path / "d.csv"
    for marker in ("-", "?"):
        data.write_text(_marked(marker))
        line = one_error(capsys, "fit", data, "--target", "y", "--epochs", "1",
                         "-o", tmp_path / "m.ffnn")
        assert (f"column 'a' holds numbers except for '{marker}' in 20 row(s) (1, 4, 7, 10, 13 "
                "and 15 more)") in line, line
        assert f"pass --na-values '{marker}'" in line and "--categorical" in line
        line = one_error(capsys, "fit", data, "--target", "a", "--drop", "x", "--epochs", "1",
                         "-o", tmp_path / "m.ffnn")
        assert f"the target column 'a' holds numbers except for '{marker}'" in line, line
    status, _, err = run(capsys, "fit", data, "--target", "y", "--na-values", "?", "--impute",
                         "--epochs", "1", "-q", "-o", tmp_path / "m.ffnn")
    assert status == 0 and "in 'a' (20)" in err, err
    # words among numbers of few values are categories, as before ('none' beside 1, 2, 3)
    data.write_text("a,y\n" + "".join(f"{['none', 1, 2, 3][k % 4]},{k % 3}.5\n"
                                      for k in range(40)))
    assert run(capsys, "fit", data, "--target", "y", "--epochs", "1", "-q",
               "-o", tmp_path / "m.ffnn")[0] == 0


def test_a_quote_left_open_is_named_where_it_opens(tmp_path, capsys):
    # 'Lyon,100 with no closing quote runs on to the end of the file: the row is the line
    # where the quote opened, not the last line of the file
    lines = ["a,b,city,y"] + [f"{k},{k % 3},Nice,{k}.5" for k in range(30)]
    lines[10] = '12.5,3,"Lyon,100'
    data = tmp_path / "d.csv"
    data.write_text("\n".join(lines) + "\n")
    line = one_error(capsys, "fit", data, "--target", "y", "-o", tmp_path / "m.ffnn")
    assert "row 10 (lines 11 to 31: a quoted value runs over them) has 3 field(s) but the " \
        "header has 4" in line, line
    assert "a quote left open in line 11 takes the rows after it into its value: close it, " \
        "or double a quote that is part of a value" in line


def test_rows_taken_into_a_value_by_a_stray_quote_are_not_lost(tmp_path, capsys):
    # '"oops' opens a quote that 'again"' closes 40 lines later: the rows between were read as
    # one note, and the file of 60 rows as one of 21
    lines = ["a,b,y,note"] + [f"{k},{k % 3},{k}.5,ok" for k in range(60)]
    lines[10], lines[50] = lines[10][:-2] + '"oops', lines[50][:-2] + 'again"'
    data = tmp_path / "d.csv"
    data.write_text("\n".join(lines) + "\n")
    line = one_error(capsys, "fit", data, "--target", "y", "-o", tmp_path / "m.ffnn")
    assert "d.csv: row 10 (line 11) holds in column 'note' a quoted value of 41 lines, 40 " \
        "of which read as rows of the file ('10,1,10.5,ok')" in line, line
    assert "close it, or double a quote that is part of a value" in line
    # a value over lines that are not rows is one value, as written
    lines[10], lines[50] = lines[10][:-5] + '"two\nlines"', lines[50][:-6] + "ok"
    data.write_text("\n".join(lines) + "\n")
    assert run(capsys, "fit", data, "--target", "y", "--drop", "note", "--epochs", "1", "-q",
               "-o", tmp_path / "m.ffnn")[0] == 0


def test_a_column_the_model_does_not_read_is_not_checked_for_grouped_thousands(tmp_path,
                                                                               capsys):
    data = tmp_path / "semi.csv"
    data.write_text(_rows(";", "."))
    status, _, err = run(capsys, "fit", data, "--target", "rooms", "--drop", "price",
                         "--decimal", ".", "--epochs", "1", "-q", "-o", tmp_path / "m.ffnn")
    assert status == 0, err
    # extra columns are ignored: price is none of the model's
    status, out, err = run(capsys, "predict", tmp_path / "m.ffnn", data)
    assert status == 0 and len(out.splitlines()) == 41, err
    assert run(capsys, "evaluate", tmp_path / "m.ffnn", data)[0] == 0


def test_text_in_a_regression_target_at_evaluate_is_counted_with_the_fix(tmp_path, capsys):
    data = tmp_path / "d.csv"
    data.write_text("a,y\n" + "".join(f"{k},{k * 1.5}\n" for k in range(30)))
    assert run(capsys, "fit", data, "--target", "y", "--epochs", "1", "-q",
               "-o", tmp_path / "m.ffnn")[0] == 0
    data.write_text("a,y\n" + "".join(f"{k},{'-' if k % 3 == 0 else k * 1.5}\n"
                                      for k in range(30)))
    line = one_error(capsys, "evaluate", tmp_path / "m.ffnn", data)
    assert line.endswith("the target column 'y' is not numeric (row 1: '-', and 9 more rows "
                         "holding '-'); fix or drop those rows"), line


def test_addresses_over_lines_are_values_not_rows_taken_in(tmp_path, capsys):
    # lines holding as many commas as a row, but words where the file has numbers
    data = tmp_path / "d.csv"
    address = '"Acme, Inc., Dept 5\nSpringfield, IL, USA\nNorth, Side, Lane"'
    data.write_text("a,address,y\n" + "".join(f"{k},{address},{k % 3}.5\n" for k in range(30)))
    status, _, err = run(capsys, "fit", data, "--target", "y", "--epochs", "1", "-q",
                         "-o", tmp_path / "m.ffnn")
    assert status == 0, err


def test_an_empty_column_of_a_parquet_file_is_not_blamed_on_csv_lines(tmp_path, capsys):
    import pandas as pd

    frame = pd.DataFrame({"a": [float(k) for k in range(20)], "gap": [None] * 20,
                          "y": [k % 3 + 0.5 for k in range(20)]})
    frame.to_parquet(tmp_path / "d.parquet")
    line = one_error(capsys, "fit", tmp_path / "d.parquet", "--target", "y",
                     "-o", tmp_path / "m.ffnn")
    assert line.endswith("d.parquet: column 'gap' holds no value at all, to learn from or to "
                         "fill with: --drop gap"), line


def test_numbers_followed_by_a_unit_are_not_categories(tmp_path, capsys):
    # '58 kg': read as text, each weight was a category of its own (and one never seen, such
    # as '61 kg', no weight at all)
    data = tmp_path / "d.csv"
    data.write_text("weight,x,y\n" + "".join(f"{50 + k % 9} kg,{k % 4},{k % 5}.5\n"
                                             for k in range(40)))
    for target, what in (("y", "column 'weight'"), ("weight", "the target column 'weight'")):
        line = one_error(capsys, "fit", data, "--target", target, "--epochs", "1",
                         "-o", tmp_path / "m.ffnn")
        assert f"{what} holds numbers followed by the unit 'kg' ('50 kg', '51 kg'" in line, line
        assert "write the numbers alone (the unit in the column's name)" in line
    # words after few numbers are categories, as before: drive types, say; ordinals, hours
    # and so are codes of a number and a letter or two, which name no unit of measure: car
    # models, seats, terms, decades, zoom factors
    for values in (["2WD", "4WD"], ["4th", "5th", "6th", "7th", "8th", "9th"],
                   ["7am", "8am", "9am", "10am", "11am"],
                   ["318i", "320i", "325i", "328i", "335i"], ["12A", "14A", "16A", "18A", "20A"],
                   ["3M", "6M", "9M", "12M", "24M"], ["1950s", "1960s", "1970s", "1980s", "1990s"],
                   ["2x", "3x", "4x", "5x", "8x"]):
        data.write_text("kind,y\n" + "".join(f"{values[k % len(values)]},{k % 5}.5\n"
                                             for k in range(40)))
        assert run(capsys, "fit", data, "--target", "y", "--epochs", "1", "-q",
                   "-o", tmp_path / "m.ffnn")[0] == 0


def _huge_targets(tmp_path):
    rng = np.random.default_rng(0)
    path = tmp_path / "huge.csv"
    pd.DataFrame({"x": rng.normal(size=60), "y": rng.normal(size=60) * 1e307}).to_csv(
        path, index=False)
    return path


def _refused_as_too_large(capsys, tmp_path, *extra):
    status, _, err = run(capsys, "fit", _huge_targets(tmp_path), "--target", "y", "--epochs", "2",
                         "-q", "-o", tmp_path / "m.ffnn", *extra)
    line = err.strip().splitlines()[-1]  # (after the cluster's line, with --dask)
    assert status == 2 and line.startswith("ffnn: error: ") and "epoch" not in err
    assert "the target column 'y' has values too large to standardise" in line
    assert "divide them by a power of ten" in line
    assert not (tmp_path / "m.ffnn").exists()


def test_a_target_too_large_to_standardise_is_refused_before_training(tmp_path, capsys):
    """Targets near 1e307 have a spread that overflows float64: training went on with
    standardised targets of 0 (or NaN) and the fit failed only at the end."""
    _refused_as_too_large(capsys, tmp_path)


def test_a_target_too_large_to_standardise_is_refused_on_a_cluster(tmp_path, capsys, client):
    _refused_as_too_large(capsys, tmp_path, "--dask", client.scheduler.address)


def test_decimals_below_one_spare_the_second_reading_of_the_file(tmp_path, monkeypatch):
    # 0.512 is spelled neither as a whole number nor as thousands grouped (2.027): a column
    # holding one is no question, and the file is not read again for its spelling
    from ffnn.tabular import files

    data = tmp_path / "d.csv"
    data.write_text("x,z,y\n" + "".join(f"{v},{k % 4 + 1}.125,{k % 3}.5\n" for k, v in
                                        enumerate(["0.512", "3", "2.027", "1.375"] * 10)))
    readings = []
    real = files.read_csv
    monkeypatch.setattr(files, "read_csv", lambda *a, **k: readings.append(k) or real(*a, **k))
    table = files.read(data)
    assert table.frame["x"].tolist()[:4] == [0.512, 3.0, 2.027, 1.375]
    assert len(readings) == 1, readings


def test_text_over_lines_in_a_file_of_text_alone_is_a_value_not_rows_taken_in(tmp_path,
                                                                               capsys):
    # no column of numbers to tell rows from text: the lines of a review, a comma in each, are
    # no rows where their last fields are none of the labels the file has
    review = '"Arrived late, box damaged\nWorks fine though, happy\nWould order again, maybe"'
    data = tmp_path / "d.csv"
    data.write_text("review,label\n" + "".join(
        f"{review if k % 5 == 0 else f'ok {k}'},{'pos' if k % 2 else 'neg'}\n" for k in range(30)))
    status, _, err = run(capsys, "fit", data, "--target", "label", "--epochs", "1", "-q",
                         "-o", tmp_path / "m.ffnn")
    assert status == 0, err
    # and rows taken in by a quote left open still are: their labels are the file's
    data.write_text("review,label\n" + "".join(
        f"{chr(34) if k == 4 else ''}ok {k},{'pos' if k % 2 else 'neg'}\n"
        for k in range(30)) + 'end",pos\n')
    line = one_error(capsys, "fit", data, "--target", "label", "-o", tmp_path / "m.ffnn")
    assert "d.csv: row 5 (line 6) holds in column 'review' a quoted value of 27 lines, 25 of " \
        "which read as rows of the file ('ok 5,pos')" in line, line


def test_a_file_of_a_line_per_row_is_not_searched_for_values_over_lines(tmp_path, monkeypatch):
    # each of its 40 rows on a line of its own: no value spans lines, and its text columns are
    # not searched for line breaks one by one (a file of 5,000 of them took twice as long)
    import pandas as pd

    from ffnn.tabular import files

    data = tmp_path / "d.csv"
    data.write_text(",".join(f"c{j}" for j in range(30)) + ",y\n" + "".join(
        ",".join("abc"[(k + j) % 3] for j in range(30)) + f",{k % 3}.5\n" for k in range(40)))
    searched = []
    real = pd.core.strings.accessor.StringMethods.contains
    monkeypatch.setattr(pd.core.strings.accessor.StringMethods, "contains",
                        lambda self, *a, **k: searched.append(a) or real(self, *a, **k))
    frame = files.read(data).frame
    assert frame.shape == (40, 31) and frame["c1"].tolist()[:3] == ["b", "c", "a"]
    assert searched == []


def test_whole_numbers_spelled_with_a_decimal_spare_the_reading_of_the_whole_file(
        tmp_path, monkeypatch):
    # 12.0 beside 2.027, as pandas writes whole floats, is no thousands grouped: the first rows
    # tell, and the file's 3,000 rows are not read again for their spelling
    from ffnn.tabular import files

    data = tmp_path / "d.csv"
    data.write_text("x,y\n" + "".join(f"{'12.0' if k % 7 == 0 else f'{1 + k % 9}.{k % 900 + 100}'},"
                                      f"{k % 3}.5\n" for k in range(3000)))
    readings = []
    real = files.read_csv
    monkeypatch.setattr(files, "read_csv", lambda *a, **k: readings.append(k) or real(*a, **k))
    assert files.read(data).frame["x"].tolist()[:2] == [12.0, 2.101]
    assert [k.get("nrows") for k in readings] == [None]
    # and a column the first rows leave open is read whole, and refused where it is grouped
    data.write_text("x,y\n" + "".join(f"{1 + k % 9}.{k % 900 + 100},{k % 3}.5\n"
                                      for k in range(2999)) + "761,0.5\n")
    readings.clear()
    with pytest.raises(files.DataError, match="such as '761': thousands grouped by '.'"):
        files.read(data)
    assert [k.get("nrows") for k in readings] == [None, None]


def test_columns_of_more_decimals_are_judged_by_their_first_rows(tmp_path, monkeypatch):
    # 1.2345 in the first rows rules its column out; the 3,000 rows are not judged whole, and
    # a file without text columns is not searched for values over lines
    from ffnn.tabular import files, grouping, rows

    data = tmp_path / "d.csv"
    data.write_text("x,z,y\n" + "".join(f"{k % 9 + 1}.{k % 9000 + 1000},{k % 5},{k % 3}.125\n"
                                        for k in range(3000)))
    shapes, real = [], grouping._candidates
    monkeypatch.setattr(grouping, "_candidates", lambda v, **k: shapes.append(v.shape) or
                        real(v, **k))
    monkeypatch.setattr(rows, "_lines_at_most", lambda *a: pytest.fail("lines counted"))
    assert files.read(data).frame["x"].tolist()[:2] == [1.1, 2.1001]
    assert shapes == [(1000, 2)]


def test_the_spelling_of_many_columns_is_judged_at_once(tmp_path, monkeypatch):
    # 300 columns of 2.125 beside 5.0 (as pandas writes whole floats): their spellings are
    # read with the first rows' fields, not by pandas as columns of text one by one, and
    # judged all at once (30,000 columns took 20 s)
    import pandas as pd

    from ffnn.tabular import files

    data = tmp_path / "d.csv"
    data.write_text(",".join(f"c{j}" for j in range(300)) + ",y\n" + "".join(
        ",".join("5.0" if k % 4 == 0 else f"{j % 8 + 1}.{k + 101}" for j in range(300))
        + f",{k % 3}.5\n" for k in range(20)))
    matched, readings = [], []
    real, real_read = pd.core.strings.accessor.StringMethods.match, files.read_csv
    monkeypatch.setattr(pd.core.strings.accessor.StringMethods, "match",
                        lambda self, *a, **k: matched.append(a) or real(self, *a, **k))
    monkeypatch.setattr(files, "read_csv",
                        lambda *a, **k: readings.append(k) or real_read(*a, **k))
    assert files.read(data).frame["c1"].tolist()[:2] == [5.0, 2.102]
    assert matched == [] and len(readings) == 1
    # a column of them beside 761, among the others, is still found
    data.write_text(",".join(f"c{j}" for j in range(300)) + ",y\n" + "".join(
        ",".join("761" if j == 7 and k % 4 == 0 else "5.0" if k % 4 == 0 else
                 f"{j % 8 + 1}.{k + 101}" for j in range(300)) + f",{k % 3}.5\n"
        for k in range(20)))
    with pytest.raises(files.DataError, match="column 'c7' holds numbers written such as "
                                              "'8.102', '8.103' beside whole numbers below "
                                              "1,000 such as '761'"):
        files.read(data)


def test_grouped_thousands_in_the_first_field_of_a_file_that_starts_with_a_mark(tmp_path):
    # Excel's UTF-8 files start with a byte order mark, before the first field of a file
    # without a header: 761 there is still a whole number
    from ffnn.tabular import files
    from ffnn.tabular.dialect import ReadOptions

    data = tmp_path / "d.csv"
    data.write_text("\ufeff761,1.5\n2.027,2.5\n5,3.5\n3,4.5\n", encoding="utf-8")
    with pytest.raises(files.DataError, match="such as '761', '5': thousands grouped by '.'"):
        files.read(data, ReadOptions(header=False))


def test_three_decimal_values_beside_small_whole_numbers_are_not_taken_for_thousands(tmp_path):
    """Means of three ratings (4.333 beside 5) and prices of three decimals beside 0 are spelled
    as thousands grouped by a point would be, but no whole number of the column comes near
    1,000: grouped thousands begin where the numbers below 1,000 leave off (761 beside 2.027)."""
    from ffnn.tabular import files

    ratings = ["4.333", "3.667", "5", "2.333", "4", "1.667", "3"] * 6
    prices = ["1.759", "1.859", "0", "1.699", "1.779", "0", "1.819"] * 6
    path = tmp_path / "r.csv"
    path.write_text("score,e5,y\n" + "".join(f"{a},{b},{k % 3}\n"
                                             for k, (a, b) in enumerate(zip(ratings, prices))))
    frame = files.read(path).frame
    assert frame["score"].tolist()[:3] == [4.333, 3.667, 5.0]
    assert frame["e5"].tolist()[:3] == [1.759, 1.859, 0.0]


def test_an_empty_name_among_names_is_refused_by_its_place(tmp_path, capsys):
    # 'a,b,,y' gave three names, each of the last two then naming the column before its own
    data = tmp_path / "d.csv"
    data.write_text("".join(f"{k},{k % 3},{k % 5},{k % 4}.5\n" for k in range(30)))
    line = one_error(capsys, "fit", data, "--no-header", "--names", "a,b,,y", "--target", "y",
                     "-o", tmp_path / "m.ffnn")
    assert line == ("ffnn: error: argument --names: name 3 of 4 is empty in 'a,b,,y': give "
                    "every column a name (see 'ffnn fit --help')"), line


def test_a_header_read_with_no_header_is_pointed_at(tmp_path, capsys):
    # the first line names the columns, and --target names one of them: the columns were
    # listed as 0, 1, 2 without a word of why
    data = tmp_path / "h.csv"
    data.write_text("a,b,price\n" + "".join(f"{k},{k % 3},{k % 4}.5\n" for k in range(30)))
    line = one_error(capsys, "fit", data, "--no-header", "--target", "price",
                     "-o", tmp_path / "m.ffnn")
    assert line.endswith("--target names no column 'price'; the first line holds 'price': it "
                         "seems to name the columns; leave out --no-header"), line
