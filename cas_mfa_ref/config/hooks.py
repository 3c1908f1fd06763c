"""Python hooks standing for CAS's Groovy scripts.

CAS runs Groovy; the reference cannot. A profile that names a Groovy script (``file:trigger.groovy``)
ships a Python file of the same name beside it (``trigger.py``) whose ``run`` function has the script's
shape. The profile stays loadable by a real CAS, which runs the Groovy file; the reference runs the
Python one. A missing or broken hook is a profile error naming the property.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cas_mfa_ref.config.files import check_name, exists, resource_path
from cas_mfa_ref.config.properties import CasProperties
from cas_mfa_ref.errors import Origin, ProfileError


@dataclass(frozen=True)
class Hook:
    """A loaded ``run`` function and the Groovy script it stands for."""

    script: Path
    run: Callable[..., Any]


def load_hook(props: CasProperties, name: str, root: Path) -> Hook | None:
    entry = props.entry(name)
    if entry is None or not props.text_of(entry).strip():
        return None
    script = resource_path(props.text_of(entry), root, entry.origin)
    return _load(_counterpart(script, entry.origin), script, entry.origin)


def load_script(location: str, root: Path, origin: Origin) -> Hook:
    """The Python counterpart of a Groovy script named in a JSON field (a service's ``script``)."""
    script = resource_path(location, root, origin)
    return _load(_counterpart(script, origin), script, origin)


def load_python(location: str, root: Path, origin: Origin) -> Hook:
    """A Python hook the profile names directly (a reference-only setting, no Groovy beside it)."""
    path = resource_path(location, root, origin)
    if path.suffix != ".py" or not _is_file(path, origin):
        raise ProfileError(origin, f"{path.name}: expected a Python file with a run() function")
    return _load(path, path, origin)


def _counterpart(script: Path, origin: Origin) -> Path:
    """The Python file beside a Groovy script: same name, ``.py``."""
    if not script.name or script.name in (".", ".."):
        raise ProfileError(origin, f"{script}: names a directory, not a script")
    path = script.with_suffix(".py")
    check_name(path, origin)
    return path


def _is_file(path: Path, origin: Origin) -> bool:
    return exists(path, origin) and path.is_file()


def _load(path: Path, script: Path, origin: Origin) -> Hook:
    if not _is_file(path, origin):
        raise ProfileError(
            origin,
            f"{script.name} is a Groovy script; the reference needs {path.name} beside it "
            "with a Python run() of the same shape",
        )
    spec = importlib.util.spec_from_file_location(f"cas_mfa_hook_{abs(hash(path))}", path)
    if spec is None or spec.loader is None:
        raise ProfileError(origin, f"{path} cannot be loaded as Python")
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception as error:  # the user's hook: report it, never a traceback
        raise ProfileError(Origin(path), f"the hook does not load: {type(error).__name__}: {error}") from None
    run = getattr(module, "run", None)
    if not callable(run):
        raise ProfileError(Origin(path), "the hook defines no run() function")
    return Hook(script, run)
