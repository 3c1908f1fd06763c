"""Every feature file is bound by exactly one test module of steps/features, named after it, so that
``pytest -k <feature file name>`` selects its scenarios and nothing is left unbound."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FEATURES = ROOT / "features"
MODULES = ROOT / "steps" / "features"
_BINDS = re.compile(r'^scenarios\("([^"]+)"\)$', re.MULTILINE)


def test_each_feature_file_has_one_module_named_after_it() -> None:
    features = sorted(p.relative_to(FEATURES).as_posix() for p in FEATURES.rglob("*.feature"))
    bound: dict[str, str] = {}
    for module in sorted(MODULES.glob("test_*.py")):
        for feature in _BINDS.findall(module.read_text(encoding="utf-8")):
            assert feature not in bound, f"{feature} is bound by {bound[feature]} and {module.name}"
            bound[feature] = module.name
    assert sorted(bound) == features, "feature files and steps/features modules differ"
    for feature, module in bound.items():
        assert module == "test_" + feature.removesuffix(".feature").replace("/", "_") + ".py", (
            f"{feature} is bound by {module}; name the module after the feature"
        )
