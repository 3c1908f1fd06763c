"""Reading a known-deviations file: every mistake is one line naming the file and the entry."""

from __future__ import annotations

from pathlib import Path

import pytest

from steps.reports.deviations import Deviation, DeviationFileError, load


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "known.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_entries_in_file_order(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[[deviation]]\nscenario = "closed"\nreason = " no view "\n\n'
        '[[deviation]]\nrequirement = "FM-08"\nreason = "no PHANTOM"\n',
    )
    assert load(path) == [
        Deviation(1, "no view", scenario="closed"),
        Deviation(2, "no PHANTOM", requirement="FM-08"),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[deviation]]\nscenario = "s"\n', "deviation 1: 'reason' is missing"),
        ('[[deviation]]\nreason = "r"\n', "deviation 1: give exactly one of 'scenario' or 'requirement'"),
        (
            '[[deviation]]\nscenario = "s"\nrequirement = "FM-01"\nreason = "r"\n',
            "deviation 1: give exactly one",
        ),
        (
            '[[deviation]]\nscenario = "s"\nreason = "r"\n[[deviation]]\nrequirement = "FM-99"\nreason = "r"\n',
            "deviation 2: unknown requirement 'FM-99'",
        ),
        ('[[deviation]]\nscenario = "s"\nreason = "r"\nwhy = "w"\n', "deviation 1: unknown key 'why'"),
        (
            '[[deviation]]\nscenario = ""\nreason = "r"\n',
            "deviation 1: 'scenario' must be a non-empty string",
        ),
        ('[[deviation]]\nscenario = 3\nreason = "r"\n', "deviation 1: 'scenario' must be a non-empty string"),
        ('deviation = ["s"]\n', "deviation 1: expected a table"),
        ('deviation = "s"\n', "'deviation' must be an array of tables"),
        ('[[deviations]]\nscenario = "s"\n', "unknown key 'deviations'"),
        ("[[deviation]\n", "not valid TOML"),
    ],
)
def test_a_bad_file_is_one_line_naming_file_and_entry(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(DeviationFileError) as raised:
        load(write(tmp_path, text))
    assert str(raised.value).startswith(f"{tmp_path / 'known.toml'}: ")
    assert message in str(raised.value) and "\n" not in str(raised.value)


def test_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DeviationFileError, match=r"absent\.toml: cannot read"):
        load(tmp_path / "absent.toml")


def test_matching_by_node_id_scenario_name_or_requirement() -> None:
    by_scenario = Deviation(1, "r", scenario="when_down[CLOSED")
    assert by_scenario.matches("steps/t.py::test_when_down[CLOSED]", "<mode> when down", [])
    assert not by_scenario.matches("steps/t.py::test_when_down[OPEN]", "<mode> when down", [])
    assert Deviation(1, "r", scenario="<mode> when").matches("x", "<mode> when down", [])
    assert Deviation(1, "r", requirement="FM-08").matches("x", None, ["FM-07", "FM-08"])
    assert not Deviation(1, "r", requirement="FM-08").matches("FM-08", "FM-08", ["FM-07"])
