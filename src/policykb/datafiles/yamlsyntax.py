"""YAML syntax errors in plain words: what libyaml's message means, where to fix it, and how.

libyaml says "mapping values are not allowed in this context" for an unquoted ': ' in a value and
for a line indented too far; "could not find expected ':'" one line after a key that lacks its
colon. :func:`explain` reads the lines around the error to tell these apart and points at the
line to change; :func:`excerpt` shows that line with a caret, as compilers do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from policykb.errors import Issue

#: codes of problems found while parsing, which an excerpt of the line helps to see
SYNTAX_CODES = frozenset({"yaml-syntax", "tab-indent"})
#: the key of a ``key: value`` line (after any list dashes), up to its colon
_KEY = re.compile(r"^(\s*(?:-\s+)*)([^\s#'\"\[{][^#]*?):(?:\s|$)")


def explain(text: str, exc: yaml.MarkedYAMLError) -> tuple[str, Any, str]:
    """A YAML syntax error in plain words: the message, the mark to point at, and a fix."""
    problem = exc.problem or exc.context or "cannot be parsed"
    mark = exc.problem_mark or exc.context_mark
    context = exc.context_mark
    lines = text.splitlines()
    row = mark.line if mark is not None else 0
    current = lines[row] if row < len(lines) else ""
    generic = "check the indentation and the quoting on this line and the one above"
    if mark is None:
        return problem, None, generic
    if problem.startswith("mapping values are not allowed"):
        key = _KEY.match(current)
        if key and key.end(2) < mark.column:
            value = current[key.end() :].strip()
            if len(value) > 50:
                value = value[:40] + "…"
            quoted = f"'{value}'" if '"' in value else f'"{value}"'
            return (
                f"the value of '{key.group(2)}' contains ': ', which YAML reads as a new key",
                mark,
                f"quote a value that contains ': ', as in {key.group(2)}: {quoted}",
            )
        above = _line_above(lines, row)
        parent = _KEY.match(lines[above]) if above is not None else None
        if above is not None and parent is None:
            return _no_colon(lines[above], above, len(lines[above]) - len(lines[above].lstrip()))
        indent = len(current) - len(current.lstrip())
        if parent is None:
            return problem, mark, generic
        return (
            f"this line is indented more than '{parent.group(2)}' above it, so YAML reads it as "
            f"part of the value of '{parent.group(2)}'",
            _Mark(row, indent),
            f"line it up with '{parent.group(2)}' (column {parent.start(2) + 1}) if it is "
            "another key of the same mapping",
        )
    if problem.startswith("could not find expected ':'") and context is not None:
        line = lines[context.line] if context.line < len(lines) else ""
        return _no_colon(line, context.line, context.column)
    if problem.startswith("did not find expected key"):
        before = current[: mark.column].rstrip()
        if before.endswith(("'", '"')) and _KEY.match(current):
            return (
                "text follows the closing quote of a quoted value",
                mark,
                "put the whole value inside the quotes",
            )
        if current.lstrip().startswith("- "):
            return (
                "a list item stands where a key was expected",
                mark,
                "put the list under a key: the key and ':' on one line, then '- item' lines "
                "indented below it",
            )
        above = _line_above(lines, row)
        indent = len(current) - len(current.lstrip())
        if above is not None and context is not None:
            above_indent = len(lines[above]) - len(lines[above].lstrip())
            if above_indent > indent > context.column:
                return (
                    f"this line is indented less than line {above + 1} above it, but more than "
                    f"the keys of the mapping that starts on line {context.line + 1}",
                    mark,
                    f"indent it to column {above_indent + 1} to go on with line {above + 1}, or "
                    f"to column {context.column + 1} for a key of the mapping of line "
                    f"{context.line + 1}",
                )
        where = f" that starts on line {context.line + 1}" if context is not None else ""
        column = f" (column {context.column + 1})" if context is not None else ""
        return (
            f"this line does not line up with the keys of the mapping{where}",
            mark,
            f"keys of one mapping start in the same column{column}; indent with 2 spaces per level",
        )
    if problem.startswith("did not find expected '-' indicator"):
        return (
            "this line does not line up with the list item above it",
            mark,
            "line the keys of a list item up under its first key, just after '- '",
        )
    if "quoted scalar" in (exc.context or "") and context is not None:
        return (
            "this quoted value is never closed",
            context,
            "end it with the same quote it starts with, or escape the quote inside it",
        )
    if "flow sequence" in (exc.context or "") and context is not None:
        return (
            "the list that starts with '[' here is not closed",
            context,
            "close it with ']' on the same line, with ', ' between the items",
        )
    if "flow mapping" in (exc.context or "") and context is not None:
        return (
            "the mapping that starts with '{' here is not closed",
            context,
            "close it with '}' on the same line, with ', ' between the items",
        )
    if problem.startswith("found character that cannot start any token"):
        character = current[mark.column : mark.column + 1]
        value = current[mark.column :].strip()
        return (
            f"a value cannot start with '{character}' unless it is quoted",
            mark,
            f'quote the value, as in "{value}"',
        )
    return problem, mark, generic


def _no_colon(line: str, row: int, column: int) -> tuple[str, Any, str]:
    """The explanation of a key line without its colon (``title My title``)."""
    words = line[column:].split()
    return (
        f"'{line.strip()}' has no ':' after its key",
        _Mark(row, column + len(words[0]) if words else column),
        "write it as key: value, with a colon and a space after the key",
    )


@dataclass(frozen=True, slots=True)
class _Mark:
    """A 0-based position, like the marks libyaml gives."""

    line: int
    column: int


def _line_above(lines: list[str], row: int) -> int | None:
    """The index of the nearest line above ``row`` that holds more than a comment."""
    for above in range(min(row, len(lines)) - 1, -1, -1):
        stripped = lines[above].strip()
        if stripped and not stripped.startswith("#"):
            return above
    return None


def excerpt(issue: Issue) -> str | None:
    """The line an issue points at with a caret under its column, as compilers show it.

    Reads the issue's file (its path as shown, relative to the current directory); ``None``
    when the issue has no line or the file cannot be read.
    """
    if issue.line is None:
        return None
    try:
        text = Path(issue.file).read_text("utf-8-sig", errors="replace")
    except OSError:
        return None
    lines = text.splitlines()
    if not 0 < issue.line <= len(lines):
        return None
    line = lines[issue.line - 1].replace("\t", "→")
    gutter = f"{issue.line:>5} | "
    caret = " " * (len(gutter) - 2) + "| " + " " * ((issue.column or 1) - 1) + "^"
    return f"{gutter}{line}\n{caret}"
