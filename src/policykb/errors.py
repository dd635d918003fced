"""Two error channels: ``Issue`` values for problems in the data, ``PolicykbError`` to stop a run.

Every issue code is listed once in :data:`CODES` with its severity and what it means; the
README's table of codes is generated from the same table, and tests check that every code the
validator emits is listed here.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum
from typing import Literal

Severity = Literal["error", "warning"]


class ExitCode(IntEnum):
    """The exit codes every command shares."""

    OK = 0
    DATA_ISSUES = 1  # validate found issues, an export is stale, or a command's data is invalid
    USAGE = 2  # bad option, unknown country/concept/id, unreadable input, unreachable endpoint
    INTERNAL = 70  # a bug in policykb: reported without a traceback unless POLICYKB_DEBUG is set


#: code -> (severity, what it means). Codes are stable: tools may match on them.
CODES: dict[str, tuple[Severity, str]] = {
    "file-too-large": ("error", "the file is over the size limit for a data file"),
    "binary-file": ("error", "the file holds NUL bytes: it is not a text file"),
    "encoding": ("error", "the file is not valid UTF-8"),
    "empty-file": ("error", "the file holds no YAML document"),
    "not-a-file": (
        "error",
        "a data file's name is a directory, a dangling or looping symlink or a special file",
    ),
    "control-character": (
        "error",
        "a text holds a control character (other than tab and line feed) or U+FFFE/U+FFFF",
    ),
    "yaml-syntax": ("error", "the YAML cannot be parsed"),
    "tab-indent": ("error", "a tab is used where YAML needs spaces"),
    "forbidden-tag": ("error", "an explicit YAML tag (such as !!python/object) is not allowed"),
    "alias": ("error", "YAML anchors and aliases are not allowed in data files"),
    "too-deep": ("error", "the document nests deeper than any data file needs"),
    "duplicate-key": ("error", "a mapping repeats a key: the later value would silently win"),
    "ambiguous-scalar": (
        "error",
        "an unquoted value that YAML 1.1 tools read as a boolean or number (NO, 0123, 12:30)",
    ),
    "not-a-mapping": ("error", "the file's top level must be a mapping"),
    "unknown-field": ("error", "a field the schema does not know"),
    "missing-field": ("error", "a required field is missing"),
    "wrong-type": ("error", "a value has the wrong type"),
    "empty-value": ("error", "a text or list that must not be empty is empty"),
    "bad-value": ("error", "a value is not one of those allowed"),
    "bad-format": ("error", "a value does not have the required form (URL, DOI, ISBN, date)"),
    "bad-id": ("error", "an id is not a slug ^[a-z0-9]+(-[a-z0-9]+)*$"),
    "duplicate-id": ("error", "an id is used twice in its scope"),
    "id-mismatch": ("warning", "a file's name does not match the id it holds"),
    "unknown-reference": ("error", "a reference to a framework, concept, report or organisation"),
    "unknown-country": ("error", "not an ISO 3166-1 alpha-3 country code"),
    "duplicate-label": ("error", "two concepts under the same parent share a label"),
    "duplicate-value": ("warning", "a list repeats a value"),
    "inconsistent-definition": (
        "warning",
        "a framework's defined_in and its report's defines disagree",
    ),
    "inconsistent-grade": (
        "error",
        "reported_by is given on a recommendation that is not secondary",
    ),
    "adherents-not-instrument": (
        "error",
        "adherents are listed on a report that is no legal instrument",
    ),
    "uses-with-pillars": ("error", "a framework uses another's concepts and also has pillars"),
    "self-reference": ("error", "a framework replaces or uses itself"),
    "foreign-dimension": ("error", "a score is on a concept that is not a dimension of its index"),
    "same-scheme-match": ("error", "a crosswalk links two concepts of the same framework"),
    "conflicting-match": ("error", "a pair of concepts is both exactMatch and another relation"),
    "skos-cycle": ("error", "broad/narrow matches form a cycle"),
    "shacl-violation": ("error", "the RDF export breaks one of the SHACL shapes"),
}


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem in the data, located like a compiler message."""

    code: str
    message: str
    file: str
    line: int | None = None
    column: int | None = None
    hint: str | None = None
    severity: Severity = "error"

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        text = f"{where}: {self.code}: {self.message}"
        if self.severity == "warning":
            text = f"{where}: warning: {self.code}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text

    def as_dict(self) -> dict[str, str | int | None]:
        """The JSON form of DESIGN §7: code, severity, message, file, line, column, hint."""
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "hint": self.hint,
        }


def make_issue(
    code: str,
    message: str,
    file: str,
    line: int | None = None,
    column: int | None = None,
    hint: str | None = None,
) -> Issue:
    """An issue whose severity comes from :data:`CODES`, the one place severities are set."""
    return Issue(code, message, file, line, column, hint, CODES[code][0])


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """The hint ``did you mean 'x'?`` for the closest of ``choices``, or ``None``."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else None


class PolicykbError(Exception):
    """A problem that stops a command; the CLI prints it and exits with ``exit_code``."""

    exit_code: ExitCode = ExitCode.USAGE

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class DataDirError(PolicykbError):
    """The data directory or a named data file cannot be found or read."""


class NotFoundError(PolicykbError):
    """An id, country, concept or report named on the command line does not exist."""


class AmbiguousError(PolicykbError):
    """A name given on the command line matches more than one thing."""


class UsageError(PolicykbError):
    """Options that do not make sense together, or a malformed query."""


class EndpointError(PolicykbError):
    """A SPARQL endpoint is unreachable or refused the request."""


class InvalidDataError(PolicykbError):
    """The data has issues; ``issues`` holds them all."""

    exit_code = ExitCode.DATA_ISSUES

    def __init__(self, issues: list[Issue]) -> None:
        errors = [i for i in issues if i.severity == "error"]
        super().__init__(
            f"the data has {len(errors)} error(s)", "run 'policykb validate' to see them all"
        )
        self.issues = issues
