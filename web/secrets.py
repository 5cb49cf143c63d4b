"""The secret key of an installation that did not configure one: generated once, kept."""

from __future__ import annotations

import os
import secrets
import time
from pathlib import Path


def secret_key_in(folder: Path) -> str:
    """The key stored in ``folder/secret_key``, created (mode 0600) on first use.

    Several processes may start at once: the file is created exclusively, and whoever loses
    the race reads the winner's key.
    """
    path = folder / "secret_key"
    folder.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        for _attempt in range(50):
            key = path.read_text().strip()
            if key:
                return key
            time.sleep(0.02)
        msg = f"{path} is empty: delete it to generate a new key."
        raise RuntimeError(msg) from None
    key = secrets.token_urlsafe(50)
    with os.fdopen(descriptor, "w") as out:
        out.write(key + "\n")
    return key
