"""Differential fuzzing of the ways a table comes in: the same rows, the same predictions.

    python benchmarks/fuzz_tables.py [--cases 100] [--seed 0] [--first 0] [--keep DIR]

Each case draws a random small table (30 to 120 rows) of random columns: floats, integers,
whole floats, text categories (some that look like numbers: '007', '1.0', '1,5', declared
with --categorical, as such codes must be for a CSV file to keep them), booleans, dates with and
without a time, constant columns, identifiers, and missing values spelled in every way ffnn
reads ('', 'NA', '?', None, a number such as -999 with --na-values), with a numeric, integer,
text or boolean target. The table is written as CSV (separator ',', ';' or tab, a decimal comma
sometimes, with a header or without one and read with --names) and as Parquet (typed columns,
missing values as nulls, '?' as text), one file each and split into 2 or 3 files for --dask. A
small model (--hidden 4 --epochs 3) is fitted on one form (CSV or Parquet, in memory or with
--dask) with random --solver, --impute, --na-values, --categorical and --drop, and on the
other form the same way (CSV and Parquet in memory, or both with --dask), which must give the
same model (the same predictions) and the same warnings. Then a fresh table from the same
generator (so that unseen categories and missing values occur) is predicted by every path:
`ffnn predict` in memory on the CSV and Parquet files, `ffnn predict --dask` on the split
Parquet and CSV files, and `ffnn.load(model).predict(frame)` on the frame pandas reads from the
Parquet file. Every path must give the same predictions (labels equal, numbers equal to 1e-12
relative) and the same warnings (their kind and the columns they name), or every path refuse
the rows; a path that predicts where another refuses, a difference in numbers, or a warning on
one path but not on another is a failure, printed with the case that reproduces it (`--seed S
--first N --cases 1`, `--keep DIR` to look at its files). Outcomes that are not failures: a fit
refused on both forms (missing values without --impute, say), and a refusal by the paths of one
form alone with a one-line error, where the forms spell a value differently (a CSV file's
'1,5' is a number written with a decimal comma where the file's numbers are; Parquet's is
text). Warnings about how one form spells a value ('NA' in a CSV file read as missing) are left
out of the comparison. The commands run in this process, on one Dask LocalCluster (one worker
of one thread) for the whole run.
"""

import argparse
import contextlib
import csv
import io
import re
import shutil
import sys
import tempfile
import time
import traceback
import warnings
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

import ffnn
from ffnn.cli import main as ffnn_main

WORDS = ["red", "green", "blue", "amber", "teal", "plum", "ochre"]
NUMERIC_TEXT = ["007", "1.0", "1,5", "12", "0.5", "010", "3"]
KINDS = ["float", "int", "whole", "text", "numeric_text", "bool", "date", "datetime",
         "constant", "id"]
MARKERS = ["", "NA", "?", None, -999]  # '' and None: an empty field, NaN in Parquet


class Spec:
    """How one case draws its tables: the columns, their kinds and parameters, the target."""

    def __init__(self, rng):
        self.task = rng.choice(["regression", "int", "text", "bool"])
        count = int(rng.integers(1, 6))
        self.columns = []
        for i in range(count):
            kind = str(rng.choice(KINDS))
            params = {"scale": 10.0 ** int(rng.integers(-2, 4)), "digits": int(rng.integers(0, 17)),
                      "words": list(rng.choice(WORDS, size=int(rng.integers(2, 5)),
                                               replace=False)),
                      "numbers": list(rng.choice(NUMERIC_TEXT, size=int(rng.integers(2, 5)),
                                                 replace=False)),
                      "missing": float(rng.choice([0, 0, 0.1, 0.3])),
                      "marker": MARKERS[int(rng.integers(len(MARKERS)))],
                      "value": [7, "x", 1.5][int(rng.integers(3))]}
            self.columns.append((f"c{i}_{kind}", kind, params))
        self.target = "y"

    def markers(self):
        return sorted({str(p["marker"]) for _, _, p in self.columns
                       if p["missing"] and p["marker"] in ("?", -999)})

    def draw(self, rng, n):
        """A table of n rows: {name: list of Python values (None missing)}."""
        table = {}
        for name, kind, p in self.columns:
            table[name] = [_value(rng, kind, p, i) for i in range(n)]
            if p["missing"]:
                for i in np.flatnonzero(rng.random(n) < p["missing"]):
                    table[name][i] = ("MISSING", p["marker"])
        x = next((v for name, kind, _ in self.columns if kind in ("float", "int", "whole")
                  for v in [table[name]]), None)
        base = [v if isinstance(v, (int, float)) else 0.0 for v in x] if x else [0.0] * n
        noise = rng.normal(size=n)
        if self.task == "regression":
            table["y"] = [float(b) * 0.5 + float(e) for b, e in zip(base, noise)]
        elif self.task == "int":
            table["y"] = [int(e > 0) + int(e > 1) for e in noise]
        elif self.task == "text":
            table["y"] = [["lo", "mid", "hi"][int(e > 0) + int(e > 1)] for e in noise]
        else:
            table["y"] = [bool(e > 0) for e in noise]
        return table


def _value(rng, kind, p, i):
    if kind == "float":
        return round(float(rng.normal() * p["scale"]), p["digits"])
    if kind == "int":
        return int(rng.integers(-50, 1000))
    if kind == "whole":
        return float(rng.integers(0, 40))
    if kind == "text":
        return str(rng.choice(p["words"]))
    if kind == "numeric_text":
        return str(rng.choice(p["numbers"]))
    if kind == "bool":
        return bool(rng.random() < 0.5)
    if kind in ("date", "datetime"):
        day = pd.Timestamp("2024-01-01") + pd.Timedelta(days=int(rng.integers(0, 6)))
        if kind == "datetime":
            day += pd.Timedelta(hours=int(rng.integers(0, 3)) * 6)
            return day.strftime("%Y-%m-%d %H:%M:%S")
        return day.strftime("%Y-%m-%d")
    if kind == "constant":
        return p["value"]
    return f"id-{i:05d}" if p["digits"] % 2 else 100000 + i  # id


class Layout:
    """How the CSV files are written and read."""

    def __init__(self, rng):
        self.sep = str(rng.choice([",", ";", "\t"]))
        self.decimal = "," if self.sep != "," and rng.random() < 0.4 else "."
        self.header = bool(rng.random() < 0.7)
        self.give_sep = bool(rng.random() < 0.5)
        self.dates_typed = bool(rng.random() < 0.5)  # dates as timestamps in Parquet

    def read_options(self, names):
        options = ["--sep", {"\t": "tab", ";": "semicolon", ",": "comma"}[self.sep]] \
            if self.give_sep else []
        if not self.header:
            options += ["--no-header", "--names", ",".join(names)]
        return options


def _text(value, layout):
    if isinstance(value, tuple):  # a missing value
        marker = value[1]
        return "" if marker is None else str(marker)
    if isinstance(value, float):
        text = repr(value)
        return text.replace(".", ",") if layout.decimal == "," else text
    return str(value)


def write_csv(table, path, layout):
    with open(path, "w", newline="") as f:
        writer = csv.writer(f, delimiter=layout.sep, lineterminator="\n")
        if layout.header:
            writer.writerow(list(table))
        n = len(next(iter(table.values())))
        for i in range(n):
            writer.writerow([_text(table[c][i], layout) for c in table])


def frame(table, spec, layout):
    """The table as typed columns: numbers as numbers where a column holds nothing else (a
    numeric marker stays a number), text otherwise (numbers as the CSV file spells them: a text
    column's 1,5 stays 1,5 where pandas reads it); '', None and 'NA' (missing in CSV files as
    pandas reads them) missing, '?' the text it is."""
    kinds = {name: kind for name, kind, _ in spec.columns}
    columns = {}
    for name, values in table.items():
        present = [v for v in values if not isinstance(v, tuple)]
        values = [(v[0], None) if isinstance(v, tuple) and v[1] == "NA" else v for v in values]
        marks = {v[1] for v in values if isinstance(v, tuple)}
        textual = "?" in marks or any(isinstance(v, str) for v in present) or (
            -999 in marks and any(isinstance(v, bool) for v in present))
        if textual:
            out = [None if isinstance(v, tuple) and v[1] in ("", None) else _text(v, layout)
                   for v in values]
            column = pd.Series(out, dtype=object)
            if kinds.get(name) in ("date", "datetime") and layout.dates_typed and not marks - {
                    "", None}:
                column = pd.to_datetime(column)
        elif all(isinstance(v, bool) for v in present) and present:
            out = [None if isinstance(v, tuple) and v[1] in ("", None) else
                   (v[1] if isinstance(v, tuple) else v) for v in values]
            column = pd.Series(out, dtype=object if None in out or len(marks - {"", None})
                               else bool)
        else:
            out = [np.nan if isinstance(v, tuple) and v[1] in ("", None) else
                   (float(v[1]) if isinstance(v, tuple) else v) for v in values]
            integral = all(isinstance(v, int) and not isinstance(v, bool) for v in present)
            column = pd.Series(out, dtype=np.int64 if integral and not marks else np.float64)
        columns[name] = column
    return pd.DataFrame(columns)


def split(n, rng):
    parts = int(rng.integers(2, 4))
    cuts = sorted(rng.choice(np.arange(5, n - 5), size=parts - 1, replace=False))
    return np.split(np.arange(n), cuts)


def write_forms(table, spec, layout, folder, stem, rng):
    """CSV and Parquet files of `table`: (csv path, parquet path, csv glob, parquet glob)."""
    folder.mkdir(parents=True, exist_ok=True)
    write_csv(table, folder / f"{stem}.csv", layout)
    df = frame(table, spec, layout)
    df.to_parquet(folder / f"{stem}.parquet", index=False)
    parts = folder / f"{stem}_parts"
    parts.mkdir()
    n = len(df)
    for k, rows in enumerate(split(n, rng)):
        df.iloc[rows].to_parquet(parts / f"part{k}.parquet", index=False)
        write_csv({c: [v[i] for i in rows] for c, v in table.items()}, parts / f"part{k}.csv",
                  layout)
    return (folder / f"{stem}.csv", folder / f"{stem}.parquet", str(parts / "*.csv"),
            str(parts / "*.parquet"))


def run_cli(argv):
    """(status, stdout, stderr) of the command line, run in this process."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = ffnn_main([str(a) for a in argv])
    return status, out.getvalue(), err.getvalue()


def messages(err):
    """The warnings and errors a command printed, without notes and progress."""
    lines = []
    for line in err.splitlines():
        # not those about how one form spells values ('NA' in a CSV file, read as missing)
        form = "(pandas' markers of missing values)" in line or "that CSV files read as" in line
        if line.startswith(("warning:", "ffnn: error:", "ffnn: internal error")) and not form:
            lines.append(line)
    return lines


def warning_kind(text):
    """What a warning is about, comparable across paths: its kind and the columns it names."""
    lowered = text.lower()
    kind = ("unseen" if "not seen" in lowered or "unseen" in lowered else
            "far" if "far from" in lowered else
            "constant" if "never varied" in lowered else
            "missing" if "missing" in lowered else "other")
    return kind, tuple(sorted(set(re.findall(r"'(c\d+_[a-z_]+)'", text))))


def read_predictions(path, task):
    if task == "regression":
        text = pd.read_csv(path, dtype=str).iloc[:, -1]
        return np.array([float(v) for v in text], dtype=np.float64)  # exactly as written
    return pd.read_csv(path, dtype=str, keep_default_na=False).iloc[:, -1].to_numpy(object)


def as_text(labels):
    return np.array([str(v) for v in labels], dtype=object)


def same(a, b, task):
    if a.shape != b.shape:
        return False
    if task == "regression":
        return bool(np.all(np.abs(a - b) <= 1e-12 * np.maximum(np.abs(a), np.abs(b)) + 1e-300))
    return bool(np.all(as_text(a) == as_text(b)))


def run_case(case_seed, address, root):
    """None, or a description of the difference found."""
    rng = np.random.default_rng(case_seed)
    spec, layout = Spec(rng), Layout(rng)
    names = [name for name, _, _ in spec.columns] + ["y"]
    train = spec.draw(rng, int(rng.integers(30, 121)))
    new = spec.draw(rng, int(rng.integers(30, 121)))
    folder = root / f"case{case_seed}"
    t_csv, t_pq, t_csv_glob, t_pq_glob = write_forms(train, spec, layout, folder, "train", rng)
    p_csv, p_pq, p_csv_glob, p_pq_glob = write_forms(new, spec, layout, folder, "new", rng)
    options = ["--hidden", "4", "--epochs", "3", "--solver", str(rng.choice(["lbfgs", "adam"])),
               "--seed", str(int(rng.integers(0, 100))), "-q"]
    if spec.task in ("int", "text", "bool"):
        options += ["--task", "classification"]
    if rng.random() < 0.85:
        options.append("--impute")
    markers = spec.markers()
    if markers and rng.random() < 0.8:
        options.append("--na-values=" + ",".join(markers))
    drops = [n for n, kind, _ in spec.columns if kind == "id" or rng.random() < 0.1]
    if not (drops and len(drops) < len(spec.columns) and rng.random() < 0.7):
        drops = []
    if drops:
        options += ["--drop", ",".join(drops)]
    # categories that look like numbers are declared so (else CSV reads them as numbers, and
    # Parquet as the text they are: not the same rows); integers sometimes
    chosen = [n for n, kind, _ in spec.columns if n not in drops and (
        kind == "numeric_text" or kind in ("int", "id") and rng.random() < 0.5)]
    if chosen:
        options += ["--categorical", ",".join(chosen)]
    form = str(rng.choice(["csv", "parquet", "dask-parquet", "dask-csv"]))
    files = {"csv": t_csv, "parquet": t_pq, "dask-parquet": t_pq_glob, "dask-csv": t_csv_glob}

    def fit(form, model):
        read = layout.read_options(names) if "csv" in form else []
        dask = ["--dask", address] if form.startswith("dask") else []
        status, _, err = run_cli(["fit", files[form], "--target", "y", "-o", model, *options,
                                  *read, *dask])
        return status, messages(err), f"fit {form} {' '.join(options)} {' '.join(read)}"

    model, twin = folder / "model.ffnn", folder / "twin.ffnn"
    status, said, fit_line = fit(form, model)
    # the same rows in the other form, fitted the same way, must give the same model
    twin_form = SIBLING[form]
    twin_status, twin_said, _ = fit(twin_form, twin)
    if (status == 0) != (twin_status == 0):
        return "refused by form", fit_line, f"fit {twin_form}: {twin_said or 'fitted'}", said
    if status != 0:
        return "fit refused", fit_line, said
    if [warning_kind(s) for s in said] != [warning_kind(s) for s in twin_said]:
        return "difference", fit_line, [f"fit {twin_form} warned otherwise"], said, twin_said
    frame_new = pd.read_parquet(p_pq)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            mine, other = (np.asarray(ffnn.load(m).predict(frame_new)) for m in (model, twin))
        except (ValueError, TypeError):
            mine = other = None
    if mine is not None and not same(mine, other, _task(spec)):
        return "difference", fit_line, [f"the model fitted on {twin_form} predicts otherwise"]
    results = {}
    csv_read = layout.read_options(names)
    for path, data, extra in [("csv", p_csv, csv_read), ("parquet", p_pq, []),
                              ("dask-csv", p_csv_glob, csv_read + ["--dask", address]),
                              ("dask-parquet", p_pq_glob, ["--dask", address])]:
        out = folder / f"pred_{path}.csv"
        status, _, err = run_cli(["predict", model, data, "-o", out, *extra])
        said = messages(err)
        results[path] = (read_predictions(out, _task(spec)) if status == 0 else None, said)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            predicted = np.asarray(ffnn.load(model).predict(pd.read_parquet(p_pq)))
            said = []
        except (ValueError, TypeError) as error:
            predicted, said = None, [f"error: {error}"]
    said += [f"warning: {w.message}" for w in caught if not issubclass(
        w.category, (DeprecationWarning, FutureWarning))]
    results["python"] = (predicted, said)
    return compare(results, _task(spec), fit_line)


def _task(spec):
    return "regression" if spec.task == "regression" else "classification"


SIBLING = {"csv": "parquet", "parquet": "csv", "dask-csv": "dask-parquet",
           "dask-parquet": "dask-csv"}
FAMILY = {"csv": "csv", "dask-csv": "csv", "parquet": "parquet", "dask-parquet": "parquet",
          "python": "parquet"}


def compare(results, task, fit_line):
    """None where every path agrees; ("refused by form", ...) where the paths of one form (CSV,
    or Parquet and Python) refuse the rows with a one-line error and those of the other
    predict (the two forms spell some values differently: '1,5' is a number in a CSV file of
    decimal commas, text in Parquet); ("difference", ...) otherwise."""
    reference_path = "parquet"
    ref, ref_said = results[reference_path]
    problems, by_form = [], False
    for path, (values, said) in results.items():
        if path == reference_path:
            continue
        if (values is None) != (ref is None):
            refused = [p for p, (v, _) in results.items() if v is None]
            if {FAMILY[p] for p in refused} == {"csv"} and len(refused) == 2 or (
                    {FAMILY[p] for p in refused} == {"parquet"} and len(refused) == 3):
                by_form = True
                continue
            problems.append(f"{path} {'refused' if values is None else 'predicted'} where "
                            f"{reference_path} {'refused' if ref is None else 'predicted'}")
        elif values is not None and not same(values, ref, task):
            problems.append(f"{path} predicted otherwise than {reference_path}")
        if by_form:
            continue
        kinds = sorted(warning_kind(s) for s in said if s.startswith("warning"))
        ref_kinds = sorted(warning_kind(s) for s in ref_said if s.startswith("warning"))
        if kinds != ref_kinds:
            problems.append(f"{path} warned {kinds}, {reference_path} {ref_kinds}")
    said = {path: results[path][1] for path in results}
    if problems:
        return "difference", fit_line, problems, said
    return ("refused by form", fit_line, said) if by_form else None


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--first", type=int, default=0, help="the first case's number")
    parser.add_argument("--keep", type=Path, help="keep the files of each case in this folder")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    import logging

    import distributed

    logging.getLogger("distributed").setLevel(logging.CRITICAL)

    start = time.perf_counter()
    root = args.keep or Path(tempfile.mkdtemp(prefix="ffnn-fuzz-tables-"))
    outcomes, failures = Counter(), []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cluster = distributed.LocalCluster(processes=False, n_workers=1, threads_per_worker=1,
                                           dashboard_address=None)
    try:
        for case in range(args.first, args.first + args.cases):
            case_seed = args.seed * 1_000_000 + case
            try:
                found = run_case(case_seed, cluster.scheduler_address, root)
            except Exception as error:  # noqa: BLE001 (a crash of the fuzzer's own is a failure)
                found = ("crash", "", [f"{type(error).__name__}: {error}"])
                if args.verbose:
                    traceback.print_exc()
            outcome = "same" if found is None else found[0]
            outcomes[outcome] += 1
            if found is not None and found[0] == "difference" or outcome == "crash":
                failures.append((case, found))
            if args.verbose and found is not None:
                print(case, found, flush=True)
    finally:
        cluster.close()
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)
    seconds = time.perf_counter() - start
    print(f"{args.cases} cases (seed {args.seed}, from case {args.first}) in {seconds:.0f} s: "
          f"{outcomes['same']} the same on every path, {outcomes['refused by form']} refused by "
          f"the paths of one form alone, {outcomes['fit refused']} fits refused, "
          f"{len(failures)} failures")
    for case, found in failures[:20]:
        print(f"case {case} (--seed {args.seed} --first {case} --cases 1): {found[0]}; "
              f"{found[1]}")
        for line in found[2:]:
            print(f"    {line}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
