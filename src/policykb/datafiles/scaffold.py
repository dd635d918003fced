"""New data: a commented template for a report or a framework, a new data directory, and the
JSON Schemas copied into a data directory so editors find them wherever the folder goes.

Every data file starts with a modeline naming its schema by a path inside its own data
directory (``../schemas/report.json``; ``./schemas/organisations.json`` at the top), so a copied
or cloned data folder keeps its editor support. :func:`write_schemas` puts the package's schemas
there. Nothing here overwrites a data file: a template or a new directory refuses to replace
what exists, and every file is written whole (a temporary file, then a rename or a link).
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from policykb.datafiles.datadir import DataDir, shown
from policykb.errors import UsageError

#: the first line of every data file up to the schema's path
MODELINE = "# yaml-language-server: $schema="
#: where a data directory keeps its copy of the schemas
SCHEMAS = "schemas"
#: the kinds ``policykb new`` writes, and their folders
FOLDERS = {"report": "reports", "framework": "frameworks"}
_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def modeline(kind: str, *, top: bool = False) -> str:
    """The schema line of a data file of ``kind``: in a folder (``top``: beside the schemas)."""
    return f"{MODELINE}{'.' if top else '..'}/{SCHEMAS}/{kind}.json"


def package_schemas() -> dict[str, str]:
    """Every JSON Schema the package ships, by file name (``report.json``: its text)."""
    folder = resources.files("policykb").joinpath("schemas")
    return {
        entry.name: entry.read_text("utf-8")
        for entry in sorted(folder.iterdir(), key=lambda e: e.name)
        if entry.name.endswith(".json")
    }


@dataclass(frozen=True, slots=True)
class Written:
    """A file this module wrote (``changed`` False: it already held the same text)."""

    path: Path
    changed: bool = True

    def __str__(self) -> str:
        return f"wrote {shown(self.path)}" if self.changed else f"{shown(self.path)}: unchanged"


def write_schemas(root: Path) -> list[Written]:
    """Copy the package's JSON Schemas into ``root/schemas/`` (an unchanged file is left be)."""
    if not root.is_dir():
        raise UsageError(f"'{root}' is not a directory", "create it, or run 'policykb init DIR'")
    target = root / SCHEMAS
    target.mkdir(exist_ok=True)
    written = []
    for name, text in package_schemas().items():
        path = target / name
        if path.is_file() and path.read_text("utf-8") == text:
            written.append(Written(path, changed=False))
            continue
        _replace(path, text)
        written.append(Written(path))
    return written


def writable_root(found: DataDir) -> Path:
    """The directory new files go into; refuses the shipped data when it was not asked for."""
    if found.origin == "shipped":
        raise UsageError(
            "no data directory here or above the current directory",
            "cd into one, pass --data DIR, or start one with 'policykb init DIR'",
        )
    return found.root


def new_file(root: Path, kind: str, ident: str) -> list[Written]:
    """Write the template of a ``kind`` (report or framework) named ``ident`` into ``root``.

    Refuses an id that is not a slug and a file that exists. The schemas are copied into the
    data directory too when its copy lacks the one the template's modeline names.
    """
    if kind not in FOLDERS:
        raise UsageError(f"cannot make a new '{kind}'", f"one of: {', '.join(FOLDERS)}")
    if not _SLUG.match(ident):
        raise UsageError(
            f"'{ident}' is not an id",
            "ids are slugs: lower-case letters and digits in hyphen-separated runs",
        )
    folder = root / FOLDERS[kind]
    folder.mkdir(exist_ok=True)
    path = folder / f"{ident}.yaml"
    _create(path, template(kind, ident))
    written = [Written(path)]
    if not (root / SCHEMAS / f"{kind}.json").is_file():
        written += [w for w in write_schemas(root) if w.changed]
    return written


def init(directory: Path) -> list[Written]:
    """Start a data directory in ``directory`` (made if missing); refuses to replace anything."""
    files = {
        "organisations.yaml": _ORGANISATIONS,
        "README.md": _README,
        **{f"{folder}/.gitkeep": "" for folder in ("frameworks", "reports", "mappings")},
    }
    taken = [name for name in (*files, SCHEMAS) if (directory / name).exists()]
    if taken:
        raise UsageError(
            f"'{directory}' already holds {', '.join(taken)}",
            "init starts a new data directory: choose an empty or new folder",
        )
    if directory.exists() and not directory.is_dir():
        raise UsageError(f"'{directory}' is a file, not a directory")
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in files.items():
        path = directory / name
        path.parent.mkdir(exist_ok=True)
        _create(path, text)
        written.append(Written(path))
    return written + write_schemas(directory)


def template(kind: str, ident: str) -> str:
    """The commented template of a new ``kind`` file: every value to fill in is left empty."""
    id_line = f"id: {ident}".ljust(25)
    if kind == "framework":
        return _FRAMEWORK.format(modeline=modeline("framework"), id_line=id_line)
    import textwrap

    from policykb.datafiles.schema import schema

    report = schema("report")
    types = textwrap.fill(
        "type is one of: " + ", ".join(report["properties"]["type"]["enum"]),
        width=98,
        initial_indent="# ",
        subsequent_indent="#   ",
        break_on_hyphens=False,
    )
    grades = " | ".join(report["$defs"]["recommendation"]["properties"]["grade"]["enum"])
    return _REPORT.format(modeline=modeline("report"), id_line=id_line, types=types, grades=grades)


def _create(path: Path, text: str) -> None:
    """Write a new file whole; refuses (exit 2) when ``path`` exists, even if made meanwhile."""
    with _temporary(path, text) as temporary:
        try:
            os.link(temporary, path)  # atomic, and fails rather than replace an existing file
        except FileExistsError:
            raise UsageError(
                f"'{shown(path)}' already exists", "choose another id, or edit that file"
            ) from None
        except OSError:  # a file system without hard links
            try:
                with path.open("x", encoding="utf-8", newline="\n") as file:
                    file.write(text)
            except FileExistsError:
                raise UsageError(f"'{shown(path)}' already exists") from None


def _replace(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` all at once: a reader sees the old file or the new one."""
    with _temporary(path, text) as temporary:
        temporary.replace(path)


@contextmanager
def _temporary(path: Path, text: str) -> Iterator[Path]:
    """A temporary file beside ``path`` holding ``text``, removed at the end if still there."""
    try:
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
    except OSError as exc:
        raise UsageError(f"cannot write '{shown(path)}': {exc.strerror or exc}") from None
    temporary = Path(name)
    try:
        temporary.chmod(0o644)
        yield temporary
    finally:
        temporary.unlink(missing_ok=True)


_REPORT = """\
{modeline}
# A report: one publication and the recommendations it makes to countries.
# Fill in every empty value ('policykb validate' points at each one left), delete the optional
# lines you do not need, and record only what the source says: what is known to be missing
# goes under gaps. See 'Adding a report' in policykb's docs/maintainers.md.
{id_line} # the file's name is its id
title:                    # as printed on the publication
{types}
type: report
publisher:                # an organisation id from organisations.yaml (add a new one there)
year:                     # of publication; leave it out when unknown and say so under gaps
url:                      # https://… the publication's page
countries:                # the subject countries, ISO 3166-1 alpha-3, as [PAN] or [CHL, PER]
applies:                  # ids of the frameworks it applies, as [data-driven-public-sector]
# doi: 10.1787/…
# contributors: [{{name: …, role: author}}]
# compares: [AUT, CAN]    # the countries it formally compares
# defines: [framework-id] # frameworks it defines (each in frameworks/)
source:
  url:                    # https://… the page you read
gaps: []                  # what is known to be missing from this record, and why
recommendations:
  - id: r01               # unique in this report; the source's own numbering when it has one
    text:                 # the recommendation, faithfully and concisely in your own words
    concepts:             # framework-id/concept-id, as [data-driven-public-sector/trust]
    # countries: [PAN]    # when it is not the report's one country
    # actors: [org-id]    # organisations the text names
    source:
      section:            # the heading it stands under in the source
      page:               # a page or range: 14, or "14-15"
    mapping: inferred     # stated when the source itself ties it to the concepts
    grade: listed         # {grades}
"""

_FRAMEWORK = """\
{modeline}
# A framework: its pillars and their elements, in the source's order and words.
# Fill in every empty value ('policykb validate' points at each one left) and delete the
# optional lines you do not need. A one-level framework has pillars and no elements.
{id_line} # the file's name is its id
title:                    # as the source names it
defined_in:               # the id of the report that defines it (in reports/)
pillar_term: pillar       # the source's word for the upper level (dimension, principle, …)
element_term: element     # and for the lower level
description:              # in your own words
source:
  report:                 # the id of the report you read it in
  section:                # where in that report
  # url: https://…        # the page you read
pillars:
  - id:                   # a slug: lower-case letters, digits and hyphens
    label:                # as the source words it
    # notation: "1"       # the source's own numbering, quoted
    elements:
      - id:
        label:
"""

_ORGANISATIONS = f"""\
{modeline("organisations", top=True)}
# Every publisher and actor the reports name, one entry each, as in:
#   - id: oecd
#     label: Organisation for Economic Co-operation and Development
#     acronym: OECD
#     url: https://www.oecd.org
organisations: []
"""

_README = """\
# policykb data

A policykb data directory: public-policy frameworks, the reports that define or apply them, the
recommendations those reports make to countries, and the organisations they name.

| path | holds |
|---|---|
| `frameworks/ID.yaml` | one framework: its pillars and their elements |
| `reports/ID.yaml` | one publication and its recommendations |
| `mappings/ID.yaml` | a crosswalk between concepts of different frameworks |
| `organisations.yaml` | every publisher and actor the files name |
| `schemas/` | the JSON Schemas editors check the files against (`policykb schema --write .`) |

From this directory:

```console
$ policykb new report my-report      # writes reports/my-report.yaml, a template to fill in
$ policykb validate                  # every problem of every file, as file:line:column
```

Each file's first line names its schema in `schemas/`, so an editor with the YAML language
server checks the file as you type.
"""
