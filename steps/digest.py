"""The content hash that names a deployment profile group (``profile-group`` in a target file).

``cas-mfa-ref profile export`` names each exported directory by this digest, and the HTTP target compares
it with the digest of the profile a scenario would write, so both sides must compute it the same way:
SHA-256 over the directory's files in the order of their sorted relative paths (POSIX separators), each
contributing its relative path, a NUL byte, its bytes and a NUL byte; the first 12 hexadecimal digits.
Only regular files count: an empty folder changes nothing. Standard library only, so any part of the
project (or an operator's script) can use it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

DIGEST_LENGTH = 12


def profile_digest(directory: Path | str) -> str:
    """The group id of a profile directory: 12 hex digits of SHA-256 over paths and bytes."""
    root = Path(directory)
    if not root.is_dir():
        raise NotADirectoryError(f"{root}: not a directory")
    files = sorted((path.relative_to(root).as_posix(), path) for path in root.rglob("*") if path.is_file())
    digest = hashlib.sha256()
    for relative, path in files:
        digest.update(relative.encode("utf-8") + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:DIGEST_LENGTH]
