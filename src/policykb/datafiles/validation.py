"""``policykb validate``: every check on one or more data directories or files, as a report.

Validation never raises for bad data and never writes a data file; it returns a
:class:`ValidationReport` whose JSON form is the CLI's ``--format json`` output.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from policykb.datafiles import datadir, loader
from policykb.errors import DataDirError, Issue


@dataclass(frozen=True, slots=True)
class ValidationReport:
    """The outcome of validating: issues of all files, sorted by file, line and column."""

    files: int
    issues: tuple[Issue, ...] = ()
    corpora: tuple[loader.Corpus, ...] = field(default=(), compare=False, repr=False)

    @property
    def valid(self) -> bool:
        """True when no issue is an error (warnings do not fail validation)."""
        return not any(i.severity == "error" for i in self.issues)

    def as_dict(self) -> dict[str, Any]:
        """The JSON form of DESIGN §7: ``{valid, files, issues: [...]}``."""
        return {
            "valid": self.valid,
            "files": self.files,
            "issues": [i.as_dict() for i in self.issues],
        }


def data_root(path: Path) -> Path:
    """The data directory (holding frameworks/ and reports/) that a file or folder belongs to."""
    path = path.resolve()
    for candidate in (path, *path.parents):
        if candidate.is_dir() and any((candidate / d).is_dir() for d in ("frameworks", "reports")):
            return candidate
    if path.is_dir():
        return path
    raise DataDirError(
        f"'{path}' is not inside a policykb data directory",
        "a data directory holds frameworks/ and reports/ folders",
    )


def validate(paths: Sequence[Path]) -> ValidationReport:
    """Validate data directories and files; a file is checked in the context of its directory."""
    groups: dict[Path, list[Path]] = {}
    for path in paths:
        if not path.exists():
            raise DataDirError(f"'{path}' does not exist")
        root = data_root(path)
        named = groups.setdefault(root, [])
        if path.is_file():
            if datadir.file_kind(path.resolve(), root) is None:
                raise DataDirError(
                    f"'{path}' is not a policykb data file",
                    "data files are organisations.yaml and */*.yaml under "
                    "frameworks/, reports/ and mappings/",
                )
            named.append(path)
    corpora = []
    issues: list[Issue] = []
    files = 0
    for root, named in groups.items():
        corpus = loader.read(root, only=named)
        corpora.append(corpus)
        issues += corpus.issues
        files += len(named) if named else len(corpus.files)
    issues.sort(key=lambda i: (i.file, i.line or 0, i.column or 0, i.code))
    return ValidationReport(files, tuple(issues), tuple(corpora))
