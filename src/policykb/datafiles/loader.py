"""Data directory -> knowledge base, with a source map and every issue located.

``read(root)`` never raises for bad data: it returns a :class:`Corpus` holding the knowledge
base built from the valid parts, every issue of every file, and where each item came from.
``load(root)`` is the strict form the queries use: it raises :class:`InvalidDataError` when
any file has an error.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from policykb.datafiles import build, checks, schema
from policykb.datafiles.datadir import (  # noqa: F401  (find_data_dir and friends are public here too)
    ENV_VAR,
    data_files,
    file_kind,
    find_data_dir,
    shipped_data_dir,
)
from policykb.datafiles.yamlfile import JsonPath, ParsedFile, read_yaml_file
from policykb.errors import DataDirError, InvalidDataError, Issue
from policykb.gcpause import no_gc
from policykb.model import (
    Crosswalk,
    Dataset,
    Framework,
    KnowledgeBase,
    Organisation,
    Region,
    Report,
    ScoreSet,
)


def display_path(path: Path, cwd: Path | None = None) -> str:
    """``path`` relative to the working directory when it is below it, as messages show it."""
    try:
        return str(path.absolute().relative_to(cwd or Path.cwd()))
    except ValueError:
        return str(path)


@dataclass(slots=True)
class Corpus:
    """A data directory read: its knowledge base, files, issues and where each item came from."""

    root: Path
    kb: KnowledgeBase
    files: list[ParsedFile]
    issues: list[Issue]
    origins: dict[str, tuple[ParsedFile, JsonPath]] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        """Whether no issue is an error (warnings allowed)."""
        return not any(i.severity == "error" for i in self.issues)

    def where(self, key: str, path: JsonPath = ()) -> tuple[str, int | None, int | None]:
        """File, line and column of an item (``report:ID``, ``recommendation:REPORT/ID``, …)."""
        if key.startswith("recommendation:"):
            report_id, rec_id = key.split(":", 1)[1].split("/", 1)
            parsed, base = self.origins[f"report:{report_id}"]
            report = self.kb.report(report_id)
            index = (
                next((i for i, r in enumerate(report.recommendations) if r.id == rec_id), 0)
                if report
                else 0
            )
            base = (*base, "recommendations", index)
        elif key.startswith("concept:"):
            framework_id, concept_id = key.split(":", 1)[1].split("/", 1)
            parsed, base = self.origins[f"framework:{framework_id}"]
            base = (*base, *_concept_path(self.kb.framework(framework_id), concept_id))
        else:
            parsed, base = self.origins[key]
        line, column = parsed.locate((*base, *path))
        return parsed.display, line, column


def _concept_path(framework: Framework | None, concept_id: str) -> JsonPath:
    for i, pillar in enumerate(framework.pillars if framework else ()):
        if pillar.id == concept_id:
            return ("pillars", i)
        for j, element in enumerate(pillar.elements):
            if element.id == concept_id:
                return ("pillars", i, "elements", j)
    return ()


def read(root: Path, only: Iterable[Path] = ()) -> Corpus:
    """Read every data file under ``root``; keep only issues of the files in ``only`` if given."""
    if not root.is_dir():
        raise DataDirError(f"'{root}' is not a directory")
    with no_gc():  # parsed documents and the model hold no cycles (see policykb.gcpause)
        return _read(root, only)


def _read(root: Path, only: Iterable[Path]) -> Corpus:
    cwd = Path.cwd()
    parsed = [read_yaml_file(p, display_path(p, cwd)) for p in data_files(root)]
    corpus = Corpus(root, KnowledgeBase(), parsed, [])
    items: dict[str, list[Any]] = {
        "framework": [],
        "report": [],
        "organisation": [],
        "crosswalk": [],
        "region": [],
        "scores": [],
        "dataset": [],
    }
    unreadable: set[str] = set()
    for file in parsed:
        if file.data is not None and file.text is not None:
            file.issues += [
                file.issue("control-character", message, path, key=at_key, hint=_CONTROL_HINT)
                for path, at_key, message in checks.control_characters(file.data, file.text)
            ]
        corpus.issues += file.issues
        kind = file_kind(file.path, root)
        assert kind is not None
        problems = [] if file.data is None else schema.check(file.data, kind)
        for p in problems:
            corpus.issues.append(file.issue(p.code, p.message, p.path, key=p.key, hint=p.hint))
        if file.data is None or problems or any(i.severity == "error" for i in file.issues):
            # a file with errors adds nothing: its other checks would only mislead
            unreadable.add(_unreadable_key(file, kind))
            continue
        for key, item, path in _build(file.data, kind):
            _add(corpus, items, key, item, file, path)
    corpus.kb = KnowledgeBase(
        frameworks=tuple(sorted(items["framework"], key=lambda x: x.id)),
        reports=tuple(sorted(items["report"], key=lambda x: x.id)),
        organisations=tuple(sorted(items["organisation"], key=lambda x: x.id)),
        crosswalks=tuple(sorted(items["crosswalk"], key=lambda x: x.id)),
        regions=tuple(sorted(items["region"], key=lambda x: x.id)),
        scores=tuple(sorted(items["scores"], key=lambda x: x.id)),
        dataset=items["dataset"][0] if items["dataset"] else Dataset(),
    )
    defining = {"organisation": display_path(root / "organisations.yaml", cwd)}
    for finding in checks.check(corpus.kb, unreadable, defining):
        file, base = corpus.origins[finding.key]
        corpus.issues.append(
            file.issue(
                finding.code,
                finding.message,
                (*base, *finding.path),
                key=finding.at_key,
                hint=finding.hint,
            )
        )
    for file in parsed:
        if file.data is not None and "id" in file.data and file.path.stem != file.data["id"]:
            kind = file_kind(file.path, root)
            if kind in ("framework", "report", "mapping", "scores"):
                corpus.issues.append(
                    file.issue(
                        "id-mismatch",
                        f"the file is named '{file.path.name}' but holds id '{file.data['id']}'",
                        ("id",),
                        hint=f"rename it {file.data['id']}.yaml",
                    )
                )
    if only:
        wanted = {p.resolve() for p in only}
        shown = {display_path(p) for p in wanted}
        corpus.issues = [i for i in corpus.issues if i.file in shown]
    return corpus


_CONTROL_HINT = "remove it: a tab or a line break is fine, other controls reach terminals raw"


def _unreadable_key(file: ParsedFile, kind: str) -> str:
    """The item key a broken file would have defined (``organisation:*`` for organisations)."""
    if kind == "organisations":
        return "organisation:*"
    if kind == "regions":
        return "region:*"
    if kind == "dataset":
        return "dataset:dataset"
    ident = file.data.get("id") if file.data else None
    name = {"mapping": "crosswalk"}.get(kind, kind)
    return f"{name}:{ident if isinstance(ident, str) else file.path.stem}"


def _build(data: dict[str, Any], kind: str) -> Iterator[tuple[str, Any, JsonPath]]:
    if kind == "framework":
        yield f"framework:{data['id']}", build.framework(data), ()
    elif kind == "report":
        yield f"report:{data['id']}", build.report(data), ()
    elif kind == "mapping":
        yield f"crosswalk:{data['id']}", build.crosswalk(data), ()
    elif kind == "scores":
        yield f"scores:{data['id']}", build.score_set(data), ()
    elif kind == "dataset":
        yield "dataset:dataset", build.dataset(data), ()
    elif kind == "regions":
        for index, region in enumerate(build.regions(data)):
            yield f"region:{region.id}", region, ("regions", index)
    else:
        for index, organisation in enumerate(build.organisations(data)):
            yield f"organisation:{organisation.id}", organisation, ("organisations", index)


def _add(
    corpus: Corpus,
    items: dict[str, list[Any]],
    key: str,
    item: Framework | Report | Organisation | Crosswalk | Region | ScoreSet | Dataset,
    file: ParsedFile,
    path: JsonPath,
) -> None:
    if key in corpus.origins:
        first, first_path = corpus.origins[key]
        line, _ = first.locate((*first_path, "id"))
        kind, ident = key.split(":", 1)
        corpus.issues.append(
            file.issue(
                "duplicate-id",
                f"{kind} id '{ident}' is already used",
                (*path, "id"),
                hint=f"first defined at {first.display}:{line}",
            )
        )
        return
    corpus.origins[key] = (file, path)
    items[key.split(":", 1)[0]].append(item)


def load(root: Path) -> KnowledgeBase:
    """The knowledge base in ``root``; raises :class:`InvalidDataError` when the data has errors."""
    corpus = read(root)
    if not corpus.valid:
        raise InvalidDataError(corpus.issues)
    return corpus.kb
