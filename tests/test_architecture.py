"""The house rules of DESIGN.md, checked on the source: who may import whom, and module sizes."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("cas_mfa_ref", "mocks", "steps")
# A module past this has more than one job; split it by concern (the issue that set it: ~400 lines).
MAX_LINES = 420
# A version compared or spelled outside cas_mfa_ref/versions.py: `profile.version < V7`, `== "6.4"`.
VERSION_COMPARISON = re.compile(
    r"\bversion\s*(==|!=|<=|>=|<|>)\s*V|"
    r"\b(profile|provider|self)\.version\s*(==|!=|<|>|\bin\b)|\bV(6_[245]|7)\b\s*[<>=]|\"6\.[2-6]\""
)


def _modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [("cas_mfa_ref", ("mocks", "steps")), ("mocks", ("cas_mfa_ref", "steps"))],
)
def test_the_reference_and_the_mocks_import_neither_each_other_nor_the_steps(
    package: str, forbidden: tuple[str, ...]
) -> None:
    offences = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in _modules(package)
        for name in _imports(path)
        if name.split(".")[0] in forbidden
    ]
    assert not offences, offences


def test_the_steps_reach_the_reference_through_its_public_api_only() -> None:
    """A bug in a reference internal must not be able to pass on both sides: the suite imports only what
    ``cas_mfa_ref.__all__`` offers to run the reference, never an internal module."""
    offences = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in _modules("steps")
        for name in _imports(path)
        if name.startswith("cas_mfa_ref.")
    ]
    assert not offences, offences


def test_only_the_reference_target_runs_the_reference() -> None:
    users = sorted(
        str(path.relative_to(ROOT))
        for path in _modules("steps")
        if any(name.split(".")[0] == "cas_mfa_ref" for name in _imports(path))
    )
    assert users == ["steps/targets/reference.py"]


def test_no_module_is_past_the_size_of_one_job() -> None:
    sizes = {
        str(path.relative_to(ROOT)): len(path.read_text(encoding="utf-8").splitlines())
        for package in PACKAGES
        for path in _modules(package)
    }
    large = {name: lines for name, lines in sizes.items() if lines > MAX_LINES}
    assert not large, f"split these by concern (over {MAX_LINES} lines): {large}"


def test_version_rules_are_stated_in_one_module() -> None:
    offences = [
        f"{path.relative_to(ROOT)}"
        for path in _modules("cas_mfa_ref")
        if path.name != "versions.py" and "VersionRule(" in path.read_text(encoding="utf-8")
    ]
    assert not offences, offences


def test_versions_are_compared_in_one_module() -> None:
    """Every rule that holds for some CAS versions only is a VersionRule of cas_mfa_ref/versions.py; no
    other module compares versions or spells one."""
    offences = []
    for path in _modules("cas_mfa_ref"):
        if path.name == "versions.py":
            continue
        text = path.read_text(encoding="utf-8")
        offences.extend(f"{path.relative_to(ROOT)}: {m.group(0)}" for m in VERSION_COMPARISON.finditer(text))
    assert not offences, offences
