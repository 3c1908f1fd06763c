"""The files a profile names, checked before they are touched, and read within limits.

Every location a profile gives (``file:people.json``, a registry directory, a script, the trusted-device
database, the truststore) goes through :func:`resource_path`, so a location no file system can hold (a
NUL, a name longer than :data:`NAME_MAX` bytes, a path longer than :data:`PATH_MAX`) is an error naming
the property, not an ``OSError``. Files are read through :func:`read_limited`: only regular files, and
no more than the limit for their kind:

=====================================  ==========
``cas.properties``                     16 MiB
a service definition (``services/``)   1 MiB
a JSON attribute repository            16 MiB
=====================================  ==========

(JSON is also read no deeper than ``jsonfile.MAX_DEPTH`` levels.)
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from cas_mfa_ref.errors import Origin, ProfileError, shown

MiB = 1024 * 1024
PROPERTIES_LIMIT = 16 * MiB
SERVICE_LIMIT = 1 * MiB
ATTRIBUTES_LIMIT = 16 * MiB
NAME_MAX = 255  # bytes in one file name: Linux, macOS and Windows file systems
PATH_MAX = 4096  # bytes in a whole path: Linux's PATH_MAX


def resource_path(location: str, root: Path, origin: Origin) -> Path:
    """A Spring resource location: ``file:`` or a plain path, relative ones against the profile."""
    location = location.strip()
    if location.startswith("classpath:"):
        raise ProfileError(origin, f"{shown(location)}: classpath resources are not available; use file:")
    if location.startswith("file:"):
        location = location[len("file:") :]
        if location.startswith("//"):
            location = location[2:]
    if not location:
        raise ProfileError(origin, "names no file: the location is empty")
    check_name(location, origin)
    path = Path(location)
    path = path if path.is_absolute() else root / path
    check_name(path, origin)
    return path


def check_name(path: str | Path, origin: Origin) -> None:
    """Nothing if a file system could hold ``path``, else a :class:`ProfileError` at ``origin`` saying why."""
    text = str(path)
    if "\x00" in text:
        raise ProfileError(origin, f"{shown(text)}: a file name cannot hold a NUL character")
    try:
        encoded = os.fsencode(text)
    except UnicodeEncodeError:
        raise ProfileError(origin, f"{shown(text)}: not a file name this system can encode") from None
    if len(encoded) > PATH_MAX:
        raise ProfileError(
            origin, f"{shown(text)}: the path is {len(encoded):,} bytes; a path may be at most {PATH_MAX:,}"
        )
    longest = max(encoded.split(os.fsencode(os.sep)), key=len)
    if len(longest) > NAME_MAX:
        name = os.fsdecode(longest)
        raise ProfileError(
            origin,
            f"{shown(name)}: a file name of {len(longest):,} bytes; a name may be at most {NAME_MAX}",
        )


def exists(path: Path, origin: Origin) -> bool:
    """Whether anything is at ``path`` (a file system error other than "not there" names ``origin``)."""
    try:
        path.stat()
    except (FileNotFoundError, NotADirectoryError):
        return False
    except OSError as exc:
        raise ProfileError(origin, f"{path}: cannot be read: {exc.strerror}") from None
    return True


def read_limited(path: Path, limit: int, what: str) -> bytes:
    """The bytes of a regular file no larger than ``limit``; errors name the file and, for size, the limit
    for ``what`` (``"a service definition"``)."""
    check_name(path, Origin(path))
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise ProfileError(path, "is a directory, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise ProfileError(path, "is not a regular file")
        if info.st_size > limit:
            raise ProfileError(path, _too_large(info.st_size, limit, what))
        with path.open("rb") as stream:
            data = stream.read(limit + 1)
    except FileNotFoundError:
        raise ProfileError(path, "file not found") from None
    except OSError as exc:
        raise ProfileError(path, f"cannot be read: {exc.strerror}") from None
    if len(data) > limit:  # it grew while being read
        raise ProfileError(path, _too_large(len(data), limit, what))
    return data


def _too_large(size: int, limit: int, what: str) -> str:
    return f"is {size:,} bytes; {what} may be at most {_size(limit)} ({limit:,} bytes)"


def _size(limit: int) -> str:
    return f"{limit // MiB} MiB" if limit % MiB == 0 else f"{limit:,} bytes"
