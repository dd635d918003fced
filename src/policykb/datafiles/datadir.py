"""Where the data is: the data directory and the data files in it. Cheap to import (no YAML).

Every command starts here, so this module imports nothing heavier than :mod:`pathlib`; the
load cache uses :func:`data_files` to key its entries without importing the loader.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from policykb.errors import DataDirError

ENV_VAR = "POLICYKB_DATA"
_FOLDERS = {
    "frameworks": "framework",
    "reports": "report",
    "mappings": "mapping",
    "scores": "scores",
}
#: files at the top of the data directory (by stem) and their kinds
_TOP_FILES = {"organisations": "organisations", "regions": "regions", "dataset": "dataset"}
#: the folders and top-level file stems data files are found in, and their suffixes
DATA_FOLDERS = tuple(_FOLDERS)
TOP_FILES = tuple(_TOP_FILES)
SUFFIXES = _SUFFIXES = (".yaml", ".yml")


def shipped_data_dir() -> Path:
    """The copy of the data shipped with the package (or the checkout's ``data/``)."""
    package = Path(__file__).resolve().parent.parent  # src/policykb, or site-packages/policykb
    packaged = package / "data"
    if packaged.is_dir():
        return packaged
    return package.parent.parent / "data"


def is_data_dir(path: Path) -> bool:
    """Whether ``path`` is a data directory: it holds ``frameworks/`` and ``reports/``."""
    return (path / "frameworks").is_dir() and (path / "reports").is_dir()


#: how a data directory was found -> whether a command must say which one it used
_ORIGINS = {
    "--data": False,  # the user named it
    "cwd": False,  # the current directory is one
    "./data": False,  # the current directory holds one
    f"${ENV_VAR}": True,  # set somewhere out of sight
    "parent": True,  # found above the current directory
    "shipped": True,  # none found: the copy shipped with policykb
}


@dataclass(frozen=True, slots=True)
class DataDir:
    """A data directory and how it was found (a key of ``_ORIGINS``)."""

    root: Path
    origin: str

    @property
    def note(self) -> str | None:
        """One line naming the directory when it is not the obvious one, else ``None``."""
        if not _ORIGINS[self.origin]:
            return None
        where = shown(self.root)
        if self.origin == "parent":
            return f"using the data directory {where} (found above the current directory)"
        if self.origin == "shipped":
            return (
                f"using the data shipped with policykb, {where} (no data directory here or "
                "above; pass --data DIR to use another)"
            )
        return f"using the data directory {where} (from {self.origin})"


def locate_data_dir(option: Path | None = None) -> DataDir:
    """The data directory and how it was found.

    In order: ``--data``; ``$POLICYKB_DATA``; the current directory when it is a data
    directory; its ``data/`` when that is one; the nearest directory above the current one that
    is a data directory or holds one as ``data/``; the data shipped with policykb. A data
    directory holds ``frameworks/`` and ``reports/`` (:func:`is_data_dir`).
    """
    if option is not None:
        found = DataDir(option, "--data")
    elif os.environ.get(ENV_VAR):
        found = DataDir(Path(os.environ[ENV_VAR]), f"${ENV_VAR}")
    elif is_data_dir(Path()):
        return DataDir(Path(), "cwd")
    elif is_data_dir(Path("data")):
        return DataDir(Path("data"), "./data")
    else:
        above = _above()
        found = DataDir(above, "parent") if above else DataDir(shipped_data_dir(), "shipped")
    if not found.root.is_dir():
        why = "the shipped data" if found.origin == "shipped" else found.origin
        what = "is not a directory" if os.path.lexists(found.root) else "does not exist"
        raise DataDirError(
            f"data directory '{found.root}' (from {why}) {what}",
            "point --data at a folder holding frameworks/ and reports/",
        )
    return found


def _above() -> Path | None:
    """The nearest data directory above the current one (itself, or its ``data/``)."""
    try:
        here = Path.cwd()
    except OSError:  # the current directory was removed
        return None
    for parent in here.parents:
        for candidate in (parent, parent / "data"):
            if is_data_dir(candidate):
                return candidate
    return None


def find_data_dir(option: Path | None = None) -> Path:
    """The data directory: ``--data``, ``$POLICYKB_DATA``, here, ``./data``, above, shipped."""
    return locate_data_dir(option).root


def shown(path: Path) -> str:
    """``path`` as messages show it: relative when below the current directory, else absolute."""
    try:
        absolute = path.absolute()
        relative = absolute.relative_to(Path.cwd())
    except (OSError, ValueError):
        return str(path.absolute())
    return str(relative) if relative.parts else "."


def holds_data(root: Path) -> bool:
    """Whether ``root`` holds at least one data file (cheaper than :func:`data_files`)."""
    if any((root / f"{stem}{s}").is_file() for stem in _TOP_FILES for s in _SUFFIXES):
        return True
    for folder in _FOLDERS:
        try:
            with os.scandir(root / folder) as scan:
                if any(e.name.endswith(_SUFFIXES) and e.is_file() for e in scan):
                    return True
        except OSError:  # no such folder
            continue
    return False


def empty_warning(root: Path) -> str | None:
    """A warning when ``root`` holds no data files at all (with where the data may be), or None."""
    if holds_data(root):
        return None
    message = f"'{shown(root)}' holds no data files"
    parent = root.absolute().parent
    if root.absolute().name in _FOLDERS and is_data_dir(parent):
        return (
            f"{message}: it is the {root.absolute().name}/ folder of the data directory "
            f"{shown(parent)} (pass --data {shown(parent)})"
        )
    if is_data_dir(root / "data"):
        return f"{message} (its data/ is a data directory: pass --data {shown(root / 'data')})"
    return (
        f"{message} (a data directory holds organisations.yaml and .yaml files under "
        "frameworks/, reports/ and mappings/; start one with 'policykb init DIR')"
    )


def file_kind(path: Path, root: Path) -> str | None:
    """The kind of data file at ``path`` under ``root``, or ``None`` when it is not a data file."""
    if path.suffix not in _SUFFIXES:
        return None
    relative = path.relative_to(root)
    if len(relative.parts) == 1 and path.stem in _TOP_FILES:
        return _TOP_FILES[path.stem]
    if len(relative.parts) == 2 and relative.parts[0] in _FOLDERS:
        return _FOLDERS[relative.parts[0]]
    return None


def data_files(root: Path) -> list[Path]:
    """Every data file under ``root``, in a stable order.

    Every entry with a data file's name counts, whatever it is: a directory named
    ``organisations.yaml`` or a dangling or looping symlink among the reports is then read as
    a data file and reported as such (``not-a-file``), not skipped in silence (issue #16.15).
    """
    found = [
        root / f"{stem}{s}"
        for stem in _TOP_FILES
        for s in _SUFFIXES
        if os.path.lexists(root / f"{stem}{s}")
    ]
    for folder in _FOLDERS:
        directory = root / folder
        if directory.is_dir():
            found += sorted(p for p in directory.iterdir() if p.suffix in _SUFFIXES)
    return found
