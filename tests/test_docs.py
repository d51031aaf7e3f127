"""docs/chapter.md stays true: every cited `file:line` holds the quoted code, every block runs."""

import re
import shlex
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHAPTER = ROOT / "docs" / "chapter.md"
CITATION = re.compile(r"`(src/ffnn/[\w/]+\.py):(\d+)` — `([^`]+)`")


def test_every_citation_points_at_its_code():
    text = CHAPTER.read_text(encoding="utf-8")
    citations = CITATION.findall(text)
    assert len(citations) >= 25
    for path, line, code in citations:
        lines = (ROOT / path).read_text(encoding="utf-8").splitlines()
        found = [i + 1 for i, source in enumerate(lines) if code in source]
        assert code in lines[int(line) - 1], f"{path}:{line} should be line {found} for {code!r}"


def test_code_blocks_run_in_order(capsys):
    """Each block runs, after those before it, and prints what the comments of its `print`
    lines show, spaces and line breaks aside (`1.333...`: any further digits)."""
    blocks = re.findall(r"```python\n(.*?)```", CHAPTER.read_text(encoding="utf-8"), re.S)
    assert len(blocks) >= 8
    namespace, checked = {}, 0
    for block in blocks:
        capsys.readouterr()
        exec(compile(block, str(CHAPTER), "exec"), namespace)
        shown = re.findall(r"^print\(.*?\)\s+# (\[.*\])", block, re.M)
        printed = re.sub(r"\s", "", capsys.readouterr().out)
        pattern = re.escape(re.sub(r"\s", "", "".join(shown))).replace(r"\.\.\.", r"\d*")
        assert re.fullmatch(pattern, printed), (shown, printed)
        checked += len(shown)
    assert checked >= 8


@pytest.mark.parametrize("path", ["README.md"])
def test_readme_python_blocks_run(path, tmp_path, monkeypatch, capsys):
    """Each block runs, and prints the values its comments give (`print(...)  # 0.965`)."""
    monkeypatch.chdir(tmp_path)  # the examples write model files
    text = (ROOT / path).read_text(encoding="utf-8")
    shown = re.compile(r"^print\(.*?\)\s+# ([-\d\[][^(]*?)\s*(?:\(.*)?$", re.M)
    checked = 0
    for block in re.findall(r"```python\n(.*?)```", text, re.S):
        capsys.readouterr()
        exec(compile(block, path, "exec"), {})
        printed = capsys.readouterr().out.splitlines()
        for value in shown.findall(block):
            assert value in printed, (value, printed)
            checked += 1
    assert checked >= 4


def test_readme_starts_with_the_two_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = re.search(r"```sh\n(.*?)```", text, re.S).group(1).splitlines()
    assert "pip install ." in first_block[0] and "ffnn demo" in first_block[0]
    assert 'pip install ".[test]"' in first_block[1] and "pytest" in first_block[1]


def test_testing_page_names_what_mutation_testing_mutates_and_runs():
    """docs/testing.md's lists of mutated modules and of the tests run against them are
    pyproject's [tool.mutmut] ones."""
    config = (ROOT / "pyproject.toml").read_text(encoding="utf-8").split("[tool.mutmut]")[1]

    def stems(key):  # the file names of a list of paths (tomllib is not in Python 3.10)
        listed = re.search(key + r" = \[(.*?)\]", config, re.S).group(1)
        return {Path(path).stem for path in re.findall(r'"([^"]+)"', listed)}

    mutated = stems("only_mutate") - {"__init__"}
    selected = stems("pytest_add_cli_args_test_selection")
    text = (ROOT / "docs" / "testing.md").read_text(encoding="utf-8")
    modules, tests = re.search(r"core and training\s*\((.*?)\), against their fast unit\s*tests "
                               r"\((.*?)\)\.", text, re.S).groups()
    assert set(re.findall(r"`(\w+)`", modules)) == mutated
    assert set(re.findall(r"`(\w+)`", tests)) == selected


def test_testing_page_names_every_file_that_holds_a_slow_test():
    """docs/testing.md says what `-m "not slow"` leaves out: it names each test file holding a
    test marked slow, and no other."""
    marked = {path.name for path in (ROOT / "tests").glob("test_*.py")
              if re.search(r"(@pytest\.mark\.slow\b|pytestmark = .*\bslow\b)",
                           path.read_text(encoding="utf-8"))}
    text = (ROOT / "docs" / "testing.md").read_text(encoding="utf-8")
    listed = re.search(r"Tests marked `slow` \((.*?)Tests marked `stress`", text, re.S).group(1)
    assert set(re.findall(r"`(test_\w+\.py)`", listed)) == marked


def test_readme_names_every_format_a_plot_is_written_in():
    """README.md's list of the suffixes of `ffnn plot -o` is the command's own: a name without
    a suffix, which writes PNG, included."""
    from ffnn.cli.plots import FORMATS

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    sentence = re.search(r"The suffix of `-o` chooses the format: (.*?)\.\s", text, re.S).group(1)
    assert set(re.findall(r"`(\.\w+)`", sentence)) == set(FORMATS) - {""}
    assert ("" in FORMATS) == ("without a suffix" in sentence)


def _command_line(line):
    """The command of a README line `$ COMMAND  # comment`, and the lines of output it keeps
    (`| head -3`: 3; None: all)."""
    command = re.sub(r"\s+# .*$", "", line[2:])
    piped = re.search(r"\s*\|\s*head -(\d+)$", command)
    if piped:
        command = command[:piped.start()]
    return command, int(piped.group(1)) if piped else None


def _printed_lines_match(shown, printed):
    """Each line README.md shows is printed, but for `...`, which stands for lines left out,
    and a line ending `  ...`, whose start is printed."""
    for line in shown:
        if not line.strip() or line.strip() == "...":
            continue
        if line.endswith("  ..."):
            assert any(p.startswith(line[:-3]) for p in printed), line
        else:
            assert line in printed, line


@pytest.mark.slow
def test_readme_commands_print_what_it_shows(tmp_path, monkeypatch, capsys):
    """Every `$ .venv/bin/ffnn ...` of README.md, run in order (with the shell's own `tail`
    and `head` and the preparations its text gives), prints the lines it shows."""
    from ffnn.cli import main

    monkeypatch.chdir(tmp_path)
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = []  # each command, with the lines shown after it, up to the next one
    for block in re.findall(r"```text\n(\$ .*?)```", text, re.S):
        for line in block.split("\n"):
            if line.startswith("$ "):
                commands.append((line, []))
            else:
                commands[-1][1].append(line)
    assert len(commands) >= 14
    script = re.search(r'`\.venv/bin/python -c "(.*?)"`', text, re.S).group(1)
    diabetes_fit = " ".join(re.search(r"fitted with\s+`ffnn (fit diabetes\.csv[^`]*)`", text,
                                      re.S).group(1).split())
    for line, shown in commands:
        command, kept = _command_line(line)
        if "diabetes" in command and not (tmp_path / "diabetes.ffnn").exists():
            exec(script, {})
            assert main(shlex.split(diabetes_fit)) == 0
            capsys.readouterr()
        if not command.startswith(".venv/bin/ffnn "):
            subprocess.run(command, shell=True, check=True)
            continue
        main(shlex.split(command)[1:])
        out, err = capsys.readouterr()
        printed = (out.splitlines()[:kept] if kept else out.splitlines()) + err.splitlines()
        _printed_lines_match(shown, printed)


def test_readme_table_of_mutated_model_files_is_the_fuzzers_and_adds_up():
    """README.md's table of the model-file fuzzer names each of its families once, counts
    them as its text says, and each row's outcomes add up to its mutations, as the last row's
    to the column sums."""
    from model_file_mutations import FAMILIES

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = re.search(r"\n(\| family \| mutations .*?)\n\n", text, re.S).group(1).splitlines()[2:]
    rows = {cells[0]: [int(n) for n in cells[1:]]
            for cells in ([c.strip() for c in line.strip("|").split("|")] for line in table)}
    total = rows.pop("all")
    assert set(rows) == set(FAMILIES) and len(table) == len(FAMILIES) + 1
    assert f"100 of each of the {len(FAMILIES)} families" in " ".join(text.split())
    assert total[0] == 30_000 + 100 * len(FAMILIES)  # --mutations 30000 --every-family 100
    assert all(counts[0] == sum(counts[1:]) for counts in rows.values())
    assert total == [sum(column) for column in zip(*rows.values())]


def test_testing_page_mutation_scores_add_up_and_list_every_survivor():
    """docs/testing.md's table of mutation scores adds up (killed + survived = mutants, the
    score killed ÷ mutants, the last row the sums), and its table of survivors holds as many
    of each module as the scores count."""
    text = (ROOT / "docs" / "testing.md").read_text(encoding="utf-8")
    scores = {}
    for module, *counts, score in re.findall(
            r"^\| (?:`|\*\*)(ffnn\.[\w.]+|all)(?:`|\*\*) \| (\d+) \| (\d+) \| (\d+) \| "
            r"\**([\d.]+)%\**", text, re.M):
        mutants, killed, survived = map(int, counts)
        assert killed + survived == mutants and f"{100 * killed / mutants:.1f}" == score
        scores[module] = survived
    assert scores.pop("all") == sum(scores.values())
    listed = {}
    for name in re.findall(r"^\| ([\w.]+)(?:\.\w+)* #\d+ \|", text, re.M):
        parts = name.split(".")
        module = "ffnn." + ".".join(parts[:2] if parts[0] == "training" else parts[:1])
        listed[module] = listed.get(module, 0) + 1
    assert listed == {module: n for module, n in scores.items() if n}
