"""Where the mocks keep secrets on disk: directories readable by their owner only (0700), files too (0600).

A state directory (``--state-dir``) holds Duo's secret key, the YubiKey API key, the RADIUS secret and the
test CA's private key, with which anyone could mint a certificate that the operator's CAS trusts. So the
directory and its ``tls`` subdirectory are made 0700 and every file the mocks write there 0600, whatever
the umask. One that already exists with broader permissions is tightened, with a
:class:`PermissionsWarning` (``cas-mfa-mocks serve`` prints it on stderr once it has started), rather
than refused: the files are the mocks' own, and a start that fixes them serves the operator better than
one that stops. A directory the mocks cannot chmod (another user's) stops the start with that error.
"""

from __future__ import annotations

import os
import stat
import warnings
from pathlib import Path

DIRECTORY_MODE = 0o700
FILE_MODE = 0o600


class PermissionsWarning(UserWarning):
    """A state file or directory was open to other users and has been tightened."""


def private_directory(path: Path) -> Path:
    """``path`` made (with its parents) or kept, as a directory its owner alone may use."""
    path.mkdir(mode=DIRECTORY_MODE, parents=True, exist_ok=True)  # the umask may only narrow this
    tighten(path, DIRECTORY_MODE)
    return path


def write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to a file its owner alone may read: created 0600, so there is no moment when the
    secret sits in a file others can read; an existing file is tightened before it is rewritten."""
    if path.exists():
        tighten(path, FILE_MODE)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    with os.fdopen(descriptor, "wb") as file:
        os.fchmod(file.fileno(), FILE_MODE)  # O_CREAT applies the mode to new files only
        file.write(data)


def tighten(path: Path, mode: int) -> None:
    """Remove every permission beyond ``mode``, and say so when there was one."""
    current = stat.S_IMODE(path.stat().st_mode)
    if current & ~mode:
        path.chmod(current & mode)
        warnings.warn(
            f"{path} had mode {current:04o}, open to other users; changed to {current & mode:04o}",
            PermissionsWarning,
            stacklevel=2,
        )
