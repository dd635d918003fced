"""Where the data is: the data directory and the data files in it. Cheap to import (no YAML).

Every command starts here, so this module imports nothing heavier than :mod:`pathlib`; the
load cache uses :func:`data_files` to key its entries without importing the loader.
"""

from __future__ import annotations

import os
from pathlib import Path

from policykb.errors import DataDirError

ENV_VAR = "POLICYKB_DATA"
_FOLDERS = {"frameworks": "framework", "reports": "report", "mappings": "mapping"}
_SUFFIXES = (".yaml", ".yml")


def shipped_data_dir() -> Path:
    """The copy of the data shipped with the package (or the checkout's ``data/``)."""
    package = Path(__file__).resolve().parent.parent  # src/policykb, or site-packages/policykb
    packaged = package / "data"
    if packaged.is_dir():
        return packaged
    return package.parent.parent / "data"


def find_data_dir(option: Path | None = None) -> Path:
    """The data directory: ``--data``, ``$POLICYKB_DATA``, ``./data`` or the shipped copy."""
    if option is not None:
        chosen, why = option, "--data"
    elif os.environ.get(ENV_VAR):
        chosen, why = Path(os.environ[ENV_VAR]), f"${ENV_VAR}"
    elif (Path("data") / "frameworks").is_dir() and (Path("data") / "reports").is_dir():
        return Path("data")
    else:
        chosen, why = shipped_data_dir(), "the shipped data"
    if not chosen.is_dir():
        raise DataDirError(
            f"data directory '{chosen}' (from {why}) does not exist",
            "point --data at a folder holding frameworks/ and reports/",
        )
    return chosen


def file_kind(path: Path, root: Path) -> str | None:
    """The kind of data file at ``path`` under ``root``, or ``None`` when it is not a data file."""
    if path.suffix not in _SUFFIXES:
        return None
    relative = path.relative_to(root)
    if len(relative.parts) == 1 and path.stem == "organisations":
        return "organisations"
    if len(relative.parts) == 2 and relative.parts[0] in _FOLDERS:
        return _FOLDERS[relative.parts[0]]
    return None


def data_files(root: Path) -> list[Path]:
    """Every data file under ``root``, in a stable order."""
    found = [
        root / f"organisations{s}" for s in _SUFFIXES if (root / f"organisations{s}").is_file()
    ]
    for folder in _FOLDERS:
        directory = root / folder
        if directory.is_dir():
            found += sorted(p for p in directory.iterdir() if p.suffix in _SUFFIXES and p.is_file())
    return found
