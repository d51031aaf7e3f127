"""Messy data files: each gives exit status 2 and one line naming the file and the column or
row at fault."""

import pytest

import ffnn
from ffnn.cli import main


def _fail(capsys, path, *extra, target="y"):
    status = main(["fit", str(path), "--target", target, "-o", str(path.with_suffix(".ffnn")),
                   *extra])
    err = capsys.readouterr().err.strip().splitlines()
    assert status == 2 and len(err) == 1, err
    assert err[0].startswith("ffnn: error: ") and path.name in err[0]
    assert not path.with_suffix(".ffnn").exists()
    return err[0]


def test_empty_file(tmp_path, capsys):
    (tmp_path / "e.csv").write_text("")
    assert "empty" in _fail(capsys, tmp_path / "e.csv")


def test_header_only(tmp_path, capsys):
    (tmp_path / "h.csv").write_text("a,b,y\n")
    assert "no data rows" in _fail(capsys, tmp_path / "h.csv")


def test_header_only_with_spaces_in_its_names(tmp_path, capsys):
    # one line gives nothing to tell the separator by but its fields: whitespace splits
    # "sepal length,y" into more of them than the comma does, and was taken for the separator
    (tmp_path / "h.csv").write_text("sepal length (cm),petal length (cm),y\n")
    assert "no data rows" in _fail(capsys, tmp_path / "h.csv")
    data = tmp_path / "d.csv"
    data.write_text("sepal length (cm),petal length (cm),y\n"
                    + "".join(f"{i % 7 * 0.5},{i % 3},{i % 5 * 1.5}\n" for i in range(40)))
    assert main(["fit", str(data), "--target", "y", "--epochs", "2", "-q",
                 "-o", str(tmp_path / "m.ffnn")]) == 0
    capsys.readouterr()
    for command in ("predict", "evaluate"):
        assert main([command, str(tmp_path / "m.ffnn"), str(tmp_path / "h.csv")]) == 2
        err = capsys.readouterr().err
        assert "no data rows" in err and "more than once" not in err, err


def test_ragged_rows(tmp_path, capsys):
    (tmp_path / "r.csv").write_text("a,b,y\n1,2,3\n4,5,6\n7,8,9,10\n")
    line = _fail(capsys, tmp_path / "r.csv")
    assert "row 3 (line 4) has 4 field(s) but the header has 3" in line


@pytest.mark.parametrize("text, said", [
    ("a,b,y\n1,2,3\n\n\n4,5,6\n7,8,9,10\n", "row 3 (line 6)"),         # blank lines
    ('a,b,y\n"1\nz",2,3\n4,5,6\n7,8,9,10\n', "row 3 (line 5)"),         # a quoted line end
])
def test_a_long_row_is_named_by_its_row_and_line_in_the_file(tmp_path, capsys, text, said):
    # pandas counts a blank line as a row, and a line end inside quotes as no line
    (tmp_path / "r.csv").write_text(text)
    line = _fail(capsys, tmp_path / "r.csv")
    assert f"{said} has 4 field(s) but the header has 3" in line


@pytest.mark.parametrize("sep, quoted", [(",", False), (",", True), (" ", False)])
def test_rows_shorter_than_the_header(tmp_path, capsys, sep, quoted):
    # pandas reads the fields a row lacks as missing, which --impute would fill in silently:
    # a lost field in the middle shifts the row's values into the wrong columns
    rows = [sep.join(map(str, (i, i % 3, 2 * i))) for i in range(30)]
    rows[12] = sep.join(["12", "24"])
    if quoted:  # a quoted field may hold separators and line ends: csv counts the fields
        rows[0] = '"0",0,0'
    (tmp_path / "s.csv").write_text(sep.join("aby") + "\n\n" + "\n".join(rows) + "\n")
    line = _fail(capsys, tmp_path / "s.csv", "--impute")
    assert "row 13 (line 15) has 2 field(s) but the header has 3" in line


def test_non_utf8_file(tmp_path, capsys):
    (tmp_path / "l.csv").write_bytes("a,b,y\n1,2,3\ncafé,2,3\n".encode("latin-1"))
    line = _fail(capsys, tmp_path / "l.csv")
    assert "not UTF-8" in line and "line 3" in line


def test_standard_input_and_devices_are_not_taken_for_empty_files(tmp_path, capsys):
    # A data file is read more than once: a pipe's rows would be gone after the first read,
    # and the file said to be empty.
    for data, words in (("/dev/null", "is a pipe or a device"),
                        ("-", "standard input is not read")):
        status = main(["fit", data, "--target", "y", "-o", str(tmp_path / "m.ffnn")])
        err = capsys.readouterr().err.strip().splitlines()
        assert status == 2 and len(err) == 1 and words in err[0], err
        assert "empty" not in err[0]


def test_utf16_file_is_said_to_be_utf16_not_binary(tmp_path, capsys):
    (tmp_path / "u.csv").write_bytes("a\tb\ty\n1\t2\t3\n4\t5\t6\n".encode("utf-16"))
    line = _fail(capsys, tmp_path / "u.csv")
    assert "UTF-16" in line and "binary" not in line


@pytest.mark.parametrize("name, words", [("d.csv.gz", "gzip-compressed; decompress it"),
                                          ("d.zip", "zip archive"),
                                          ("d.parq", "Parquet file; give it a .parquet suffix")])
def test_a_packed_file_is_named_for_what_it_is(tmp_path, capsys, name, words):
    import gzip
    import io
    import zipfile

    import pandas as pd

    frame = pd.DataFrame({"a": [1.0, 2.0, 3.0], "y": [2.0, 4.0, 6.0]})
    path = tmp_path / name
    if name.endswith(".gz"):
        path.write_bytes(gzip.compress(frame.to_csv(index=False).encode()))
    elif name.endswith(".zip"):
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("d.csv", frame.to_csv(index=False))
    else:
        buffer = io.BytesIO()
        frame.to_parquet(buffer)
        path.write_bytes(buffer.getvalue())
    line = _fail(capsys, path)
    assert words in line and "binary data" not in line


def test_target_all_missing(tmp_path, capsys):
    (tmp_path / "t.csv").write_text("a,b,y\n1,2,\n3,4,\n")
    assert "'y' has no values" in _fail(capsys, tmp_path / "t.csv")


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_a_target_made_missing_by_na_values_names_the_markers(tmp_path, capsys, suffix):
    """--na-values yes made a target of yes/no missing in half its rows: the refusal said only
    to drop those rows, not that the marker given had made them missing."""
    import pandas as pd

    path = tmp_path / f"t{suffix}"
    frame = pd.DataFrame({"a": range(12), "y": ["yes", "no", "?", "no"] * 3,
                          "n": [1.0, -999.0, 2.0, 3.0] * 3})
    frame.loc[3, "y"] = None  # an empty field or a null, which no marker made missing
    frame.to_csv(path, index=False) if suffix == ".csv" else frame.to_parquet(path)
    line = _fail(capsys, path, "--na-values", "yes,?,maybe")
    assert line.endswith("the target column 'y' is missing in 7 row(s) (first: row 1); drop "
                         "those rows (of them, markers given to --na-values: 'yes' (3 rows), "
                         "'?' (3 rows); if they are values of the target, leave them out of "
                         "--na-values)"), line
    # a number given as a marker: '-999.0' in the CSV file, -999.0 in the Parquet file
    line = _fail(capsys, path, "--na-values", "-999", target="n")
    assert line.endswith("the target column 'n' is missing in 3 row(s) (first: row 2); drop "
                         "those rows (of them, markers given to --na-values: '-999' (3 rows); "
                         "if it is a value of the target, leave it out of --na-values)"), line
    line = _fail(capsys, path, "--na-values", "yes,no,?", "--drop", "n")
    assert line.endswith("the target column 'y' has no values (all 12 are missing; of them, "
                         "markers given to --na-values: 'no' (5 rows), 'yes' (3 rows), '?' "
                         "(3 rows); if they are values of the target, leave them out of "
                         "--na-values)"), line


def test_numeric_column_with_a_few_strings(tmp_path, capsys):
    rows = "\n".join(f"{i},{i * 2},{i % 2}" for i in range(40))
    text = "a,b,y\n" + rows.replace("\n17,34", "\n17,oops", 1) + "\n"
    (tmp_path / "n.csv").write_text(text)
    line = _fail(capsys, tmp_path / "n.csv", "--validation-fraction", "0")
    assert "column 'b'" in line and "row(s) 18 ('oops')" in line


@pytest.mark.parametrize("values, sep, shown", [
    (['"1,500"', '"12,250.5"', "950"], ",", "'1,500'"),            # thousands separators
    (["1.250,75", "999,5", "3.400,25"], ";", "'1.250,75'"),         # and a decimal comma
    (["15%", "7.5%", "20%"], ",", "'15%'"),
    (['"$1,200"', "$85", "$99.95"], ",", "'$1,200'"),
    (["\u22121.5", "2.25", "\u22123"], ",", "'\u22121.5'"),        # a typographic minus sign
    (["(120.50)", "85", "($3)"], ",", "'(120.50)'"),               # negatives in parentheses
    (['"2,671e-05"', '"1,5E+03"', "3"], ",", "'2,671e-05'"),      # a decimal comma, a power
])
def test_formatted_numbers_are_not_taken_for_categories(tmp_path, capsys, values, sep, shown):
    # Read as text, each number would be one-hot encoded as a category of its own.
    rows = [sep.join([values[i % 3], str(i), str(i % 7)]) for i in range(30)]
    (tmp_path / "f.csv").write_text(sep.join(["price", "a", "y"]) + "\n" + "\n".join(rows)
                                    + "\n")
    line = _fail(capsys, tmp_path / "f.csv")
    assert "column 'price'" in line and shown in line and "plain numbers" in line
    line = _fail(capsys, tmp_path / "f.csv", "--drop", "a", target="price")
    assert "target column 'price'" in line and "--task classification" in line


def test_codes_in_parentheses_are_refused_naming_categorical_which_reads_them(tmp_path,
                                                                           capsys):
    # (1), (2), (3) look like negatives in parentheses, and may as well be answer codes
    rows = "\n".join(f"({i % 3 + 1}),{i},{i % 7}" for i in range(30))
    (tmp_path / "f.csv").write_text("answer,a,y\n" + rows + "\n")
    line = _fail(capsys, tmp_path / "f.csv")
    assert "'(1)'" in line and "--categorical" in line, line
    assert main(["fit", str(tmp_path / "f.csv"), "--target", "y", "--categorical", "answer",
                 "--epochs", "2", "-q", "-o", str(tmp_path / "m.ffnn")]) == 0


def test_text_that_only_looks_like_formatted_numbers_in_part_is_a_category(tmp_path, capsys):
    rows = "\n".join(f'{["1,500", "2nd", "A-12"][i % 3]},{i},{i % 7}' for i in range(30))
    (tmp_path / "c.csv").write_text("code,a,y\n" + rows.replace("1,500", '"1,500"') + "\n")
    model = tmp_path / "c.ffnn"
    assert main(["fit", str(tmp_path / "c.csv"), "--target", "y", "--epochs", "2", "-q",
                 "-o", str(model)]) == 0, capsys.readouterr().err


def test_single_class(tmp_path, capsys):
    (tmp_path / "s.csv").write_text("a,y\n1,cat\n2,cat\n3,cat\n")
    line = _fail(capsys, tmp_path / "s.csv")
    assert "'y'" in line and "single class" in line


def test_duplicate_column_names(tmp_path, capsys):
    (tmp_path / "d.csv").write_text("a,a,y\n1,2,3\n4,5,6\n")
    assert "'a' appear more than once" in _fail(capsys, tmp_path / "d.csv")


def test_file_that_looks_like_a_gigabyte(tmp_path, capsys):
    path = tmp_path / "big.csv"
    path.write_text("a,y\n1,2\n3,4\n")
    with open(path, "r+b") as handle:
        handle.truncate(2**30)  # a sparse file: 1 GiB on paper, a few bytes on disk
    line = _fail(capsys, path)
    assert "NUL byte at offset 12" in line


@pytest.mark.parametrize("content, words", [
    ("a,y\n1,2\n2,\n3,4\n", "missing in 1 row(s) (first: row 2)"),
    ("a,y\n1,x\n2,3.5\n3,4.25\n4,1.5\n5,2.5\n6,3.75\n7,9.5\n8,1.25\n9,2.5\n10,3.5\n11,4.5\n"
     "12,5.5\n13,6.5\n14,7.5\n15,8.5\n16,9.5\n17,1.5\n18,2.5\n19,3.5\n20,4.5\n21,5.75\n",
     "'y' is not numeric (row 1"),
    # 'NA' (North America) is a class that pandas reads as missing: said so, not only "drop"
    ("a,y\n1,EU\n2,NA\n3,AS\n4,NA\n", "missing in 2 row(s) (first: row 2); drop those rows "
     "(of them, words that pandas reads as missing: 'NA' (2 rows); if they name classes"),
    # a spreadsheet's export may end with rows of bare separators: said so, not only "drop"
    ("a;b;y\n1;2;3\n4;5;6\n7;8;9\n;;\n;;\n", "missing in 2 row(s) (first: row 4); drop those "
     "rows (2 of them hold no value in any column, such as the rows of bare separators"),
])
def test_target_problems_name_the_row(tmp_path, capsys, content, words):
    (tmp_path / "x.csv").write_text(content)
    extra = ["--task", "regression"] if "x\n" in content else []
    assert words in _fail(capsys, tmp_path / "x.csv", *extra)


@pytest.mark.parametrize("value", ["inf", "-inf", "1e400"])
def test_an_infinite_target_is_named_by_its_column_and_row(tmp_path, capsys, value):
    rows = [f"{i},{2.5 * i}" for i in range(30)]
    rows[6] = f"6,{value}"
    (tmp_path / "x.csv").write_text("a,y\n" + "\n".join(rows) + "\n")
    line = _fail(capsys, tmp_path / "x.csv")
    assert "the target column 'y' has infinite values in row(s) 7" in line
    rows[6] = "6,15.0"
    (tmp_path / "ok.csv").write_text("a,y\n" + "\n".join(rows) + "\n")
    from ffnn.cli import main

    assert main(["fit", str(tmp_path / "ok.csv"), "--target", "y", "--epochs", "2", "-q", "-o",
                 str(tmp_path / "m.ffnn")]) == 0
    capsys.readouterr()
    status = main(["evaluate", str(tmp_path / "m.ffnn"), str(tmp_path / "x.csv")])
    err = capsys.readouterr().err.strip().splitlines()
    assert status == 2 and len(err) == 1, err
    assert "x.csv: the target column 'y' has infinite values in row(s) 7" in err[0]


def test_typos_and_missing_values_are_found_in_every_row_not_only_the_training_rows(tmp_path,
                                                                                   capsys):
    # Whatever rows the split sends to validation, every bad row is named and every missing
    # value counted; a numeric column whose only typo falls outside the training rows is not
    # taken for text.
    rows = [f"{i},{i * 2 % 7},{'red' if i % 3 else 'blue'},{i % 2}" for i in range(60)]
    for k in (3, 7, 11, 40, 52):
        rows[k] = rows[k].replace(f"{k},", "?,", 1)
    rows[20] = rows[20].replace("red", "").replace("blue", "")
    path = tmp_path / "q.csv"
    path.write_text("a,b,c,y\n" + "\n".join(rows) + "\n")
    for fraction in ("0.5", "0.1", "0"):
        line = _fail(capsys, path, "--validation-fraction", fraction)
        assert "'c' (1)" in line  # the blank in row 21
    for fraction in ("0.5", "0.1"):
        line = _fail(capsys, path, "--validation-fraction", fraction, "--impute")
        assert "column 'a'" in line and "row(s) 4, 8, 12, 41, 53 ('?')" in line
        line = _fail(capsys, path, "--validation-fraction", fraction, "--na-values", "?")
        assert "'a' (5), 'c' (1)" in line


def test_quoted_values_with_spaces_are_one_field_in_a_whitespace_separated_file(tmp_path):
    """pandas reads "New York" as one field where whitespace separates them; the scan for rows
    of other lengths than the header (every file of --dask, longer rows too) counted it as two
    and refused the file, telling to quote the values that were quoted."""
    from ffnn.exceptions import DataError
    from ffnn.tabular import ReadOptions
    from ffnn.tabular.rows import check_fields

    path = tmp_path / "cities.txt"
    path.write_text('city x y\n"New York" 1 2\n"Boston" 3 4\n')
    check_fields(path, ReadOptions(sep=r"\s+"), 3, longer=True)
    path.write_text('city x y\n"New York" 1 2\n"Boston" 3\n')
    with pytest.raises(DataError, match=r"row 2 \(line 3\) has 2 field\(s\) but the header "
                                        "has 3"):
        check_fields(path, ReadOptions(sep=r"\s+"), 3, longer=True)


def test_a_quoted_line_break_in_a_whitespace_separated_file_read_in_blocks_is_refused(tmp_path):
    """A file read in blocks cut at line breaks (with --dask, one over the block size) is
    refused where a quoted value holds a line break, whitespace-separated as comma-separated:
    a quote left open on a line was read as a blank line, and the file passed."""
    from ffnn.exceptions import DataError
    from ffnn.tabular import ReadOptions
    from ffnn.tabular.rows import check_fields

    path = tmp_path / "notes.txt"
    path.write_text('note x y\n"one" 1 2\n"two\nlines" 3 4\n"three" 5 6\n')
    check_fields(path, ReadOptions(sep=r"\s+"), 3, longer=True, block=10**6)  # one block
    with pytest.raises(DataError, match=r"notes.txt: row 2 \(line 3\) holds a line break inside "
                                        r"a quoted value, and the file is read in blocks of 10 "):
        check_fields(path, ReadOptions(sep=r"\s+"), 3, longer=True, block=10)


def test_a_quoted_line_break_in_a_header_read_in_blocks_is_said_of_the_header(tmp_path):
    from ffnn.exceptions import DataError
    from ffnn.tabular import ReadOptions
    from ffnn.tabular.rows import check_fields

    path = tmp_path / "notes.csv"
    path.write_text('"the\nnote",x\none,1\ntwo,2\n')
    with pytest.raises(DataError, match=r"notes.csv: the header \(line 1\) holds a line break "):
        check_fields(path, ReadOptions(sep=","), 2, longer=True, block=10)


def test_one_row_is_said_in_the_singular_and_values_as_written(tmp_path, capsys):
    (tmp_path / "one.csv").write_text("a,y\n1,2\n")
    assert "one.csv: 1 row is too few to hold out 20% as validation rows" in _fail(
        capsys, tmp_path / "one.csv")
    # the fraction as given, not rounded up to a whole percent (99.9%, not 100%)
    (tmp_path / "ten.csv").write_text("a,y\n" + "".join(f"{k},{k}\n" for k in range(10)))
    for fraction, said in (("0.999", "99.9%"), ("0.99999", "99.999%")):
        assert f"10 rows are too few to hold out {said} as test rows" in _fail(
            capsys, tmp_path / "ten.csv", "--test-size", fraction)
    # a number in an error is written as in the file, not as numpy's repr (np.float64(32.1))
    (tmp_path / "f.csv").write_text("a,y\n1,32.1\n2,3\n3,4\n")
    line = _fail(capsys, tmp_path / "f.csv", "--task", "classification")
    assert "numbers that are not whole (row 1: 32.1)" in line and "np." not in line


def test_a_few_markers_among_decimal_comma_numbers_are_refused_as_among_numbers(tmp_path,
                                                                                capsys):
    # 2,7 is text to pandas where the column holds '?' too: the column was one-hot encoded, a
    # category per number, where a column of numbers with a few '?' is refused
    rows = [f"{'?' if i % 6 == 0 else str(round(i * 0.37 - 9, 1)).replace('.', ',')};{i % 7}"
            for i in range(60)]
    (tmp_path / "d.csv").write_text("x;y\n" + "\n".join(rows) + "\n")
    line = _fail(capsys, tmp_path / "d.csv")
    assert "column 'x' holds numbers except in row(s)" in line and "'?'" in line, line
    assert main(["fit", str(tmp_path / "d.csv"), "--target", "y", "--na-values", "?",
                 "--impute", "--epochs", "2", "-q", "-o", str(tmp_path / "m.ffnn")]) == 0


def test_counted_values_of_a_cluster_s_column_are_refused_alike():
    # fit --dask judges a column by its counted values: the same rule (once an error on
    # read-only counts)
    from ffnn.exceptions import DataError
    from ffnn.tabular.values import check_counts_not_mostly_numeric

    with pytest.raises(DataError, match=r"holds numbers except in 2 row\(s\) \('\?'\)"):
        check_counts_not_mostly_numeric({"2,7": 5, "-0,5": 6, "?": 2}, "x")
    check_counts_not_mostly_numeric({"007": 5, "1.0": 6, "?": 2, "a": 3}, "code")  # text



@pytest.mark.parametrize("value", ["1e400", "9" * 400, "-" + "9" * 400])
def test_a_number_beyond_a_float_is_infinite_not_an_internal_error(tmp_path, capsys, value):
    # pandas reads a whole number of 400 digits as a Python int that it cannot make a float:
    # such a value is infinite, as 1e400 is, in a numeric column and a regression target.
    rows = [f"{i},{i % 3},{i % 5}" for i in range(30)]
    (tmp_path / "ok.csv").write_text("a,b,y\n" + "\n".join(rows) + "\n")
    rows[6] = f"{value},0,1"
    (tmp_path / "x.csv").write_text("a,b,y\n" + "\n".join(rows) + "\n")
    model = tmp_path / "m.ffnn"
    assert main(["fit", str(tmp_path / "ok.csv"), "--target", "y", "--task", "regression",
                 "--epochs", "2", "-q", "-o", str(model)]) == 0
    capsys.readouterr()
    for command in ("predict", "evaluate"):
        status = main([command, str(model), str(tmp_path / "x.csv")])
        err = capsys.readouterr().err.strip().splitlines()
        assert status == 2 and len(err) == 1, err
        assert "column 'a' has infinite values in row(s) 7" in err[0]
    rows[6] = f"6,0,{value}"
    (tmp_path / "t.csv").write_text("a,b,y\n" + "\n".join(rows) + "\n")
    line = _fail(capsys, tmp_path / "t.csv", "--task", "regression")
    assert "the target column 'y' has infinite values in row(s) 7" in line


def test_whole_numbers_beyond_64_bits_keep_their_column_numeric(tmp_path, capsys):
    """pandas reads a column holding a whole number of 20 digits as Python ints (as objects),
    which was read as text, a category for every number (and an identifier warned of); it is a
    numeric column, as with 19 digits, and one of 400 digits is infinite, refused by name."""
    rows = [f"{i},{i % 3},{(i % 5) * 0.5}" for i in range(30)]
    rows[6] = f"{'9' * 20},0,1"
    (tmp_path / "x.csv").write_text("a,b,y\n" + "\n".join(rows) + "\n")
    model = tmp_path / "m.ffnn"
    assert main(["fit", str(tmp_path / "x.csv"), "--target", "y", "--epochs", "2", "-q",
                 "-o", str(model)]) == 0
    assert "distinct values" not in capsys.readouterr().err
    assert [name for name, *_ in ffnn.load(model).preprocessor.numeric] == ["a", "b"]
    rows[6] = f"-{'9' * 400},0,1"
    (tmp_path / "x.csv").write_text("a,b,y\n" + "\n".join(rows) + "\n")
    line = _fail(capsys, tmp_path / "x.csv")
    assert "'a' contain infinite values" in line



@pytest.mark.parametrize("options", [["--names", "x,z,y"], ["--no-header", "--names", "x,z,y"]])
def test_a_header_read_as_data_is_pointed_out(tmp_path, capsys, options):
    # a file with a header (its names not those given), read as one without: its first line
    # is the only text in a numeric column, and the fix is the header, not the values,
    # --na-values or --categorical
    rows = [f"{i * 0.5},{i % 5},{'ab'[i % 2]}" for i in range(40)]
    (tmp_path / "h.csv").write_text("length,count,kind\n" + "\n".join(rows) + "\n")
    line = _fail(capsys, tmp_path / "h.csv", *options)
    assert "holds numbers except in row(s) 1 ('length')" in line, line
    assert "first line" in line and "leave out --no-header and --names" in line, line
