"""Where the console puts the files it is given (your calendar, your data export): a folder of
your own, never the project's checkout, and never over an earlier file.

The folder is `--out` when given, else `$FOLLOWTHROUGH_DATA_DIR`, else the user data folder of the
system (as platformdirs names it): `$XDG_DATA_HOME/followthrough` or `~/.local/share/followthrough`
on Linux, `~/Library/Application Support/Followthrough` on macOS, `%LOCALAPPDATA%\\Followthrough`
on Windows. A name already taken gets a number: `followthrough-export-2.json`, `-3`, ...
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

APP = "followthrough"
MAX_NUMBER = 10_000


def data_dir(environ: Mapping[str, str] = os.environ, platform: str = sys.platform, home: Path | None = None) -> Path:
    """The folder for files when no `--out` is given."""
    chosen = environ.get("FOLLOWTHROUGH_DATA_DIR", "").strip()
    if chosen:
        return Path(chosen).expanduser()
    home = home or Path.home()
    if platform == "darwin":
        return home / "Library" / "Application Support" / "Followthrough"
    if platform.startswith("win"):
        local = environ.get("LOCALAPPDATA", "").strip()
        return (Path(local) if local else home / "AppData" / "Local") / "Followthrough"
    xdg = environ.get("XDG_DATA_HOME", "").strip()
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else home / ".local" / "share"
    return base / APP


def save_new(folder: Path, filename: str, content: bytes) -> Path:
    """Write `content` as a new file in `folder` (created if needed) and return its path: the name
    asked for, or the first free numbered name after it. An existing file is never touched."""
    folder.mkdir(parents=True, exist_ok=True)
    name = Path(filename).name or "followthrough-file"  # never a path of the sender's choosing
    stem, suffix = _split(name)
    for number in range(1, MAX_NUMBER + 1):
        candidate = folder / (name if number == 1 else f"{stem}-{number}{suffix}")
        try:
            with open(candidate, "xb") as out:  # exclusive: fails if it exists, even if just created
                out.write(content)
        except FileExistsError:
            continue
        return candidate
    raise FileExistsError(f"{folder} already has {MAX_NUMBER} files named like {name}")


def _split(name: str) -> tuple[str, str]:
    """`followthrough-export.json` -> (`followthrough-export`, `.json`); `notes` -> (`notes`, ``)."""
    dot = name.rfind(".")
    if dot <= 0:
        return name, ""
    return name[:dot], name[dot:]
