"""Read one YAML data file safely into plain data, with every problem as a located :class:`Issue`.

The fast path parses with libyaml (``yaml.CSafeLoader``) through a loader that knows fewer
types than PyYAML's: only ``true``/``false``, ``null``, decimal integers and floats, strings,
mappings and sequences. It refuses what PyYAML would silently accept (repeated keys, aliases,
explicit tags) and flags plain scalars that YAML 1.1 tools would read as something else
(``NO`` as ``False``, ``0123`` as 83, ``12:30`` as 750); those stay strings here but are issues,
so the file means the same thing to every tool. Node positions are only looked up when a later
check finds a problem: :meth:`ParsedFile.locate` re-composes the file then.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from policykb.errors import Issue, make_issue

#: The largest data file read, in bytes. The biggest real report file is a few tens of KiB.
MAX_FILE_BYTES = 4 * 1024 * 1024
#: The deepest nesting a data file may have (a report is about six levels deep).
MAX_DEPTH = 64

_AMBIGUOUS_TAG = "tag:policykb,2026:ambiguous"
_YAML11_ONLY = re.compile(
    r"""^(?:
        y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF     # YAML 1.1 booleans
      | [-+]?0[0-9_]+                                         # octal / leading zero
      | [-+]?0x[0-9a-fA-F_]+ | [-+]?0b[01_]+                   # hex, binary
      | [-+]?[0-9][0-9_]*_[0-9_]*                             # digits with underscores
      | [-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?       # sexagesimal 12:30
      | [-+]?\.(?:inf|Inf|INF) | \.(?:nan|NaN|NAN)            # special floats
    )$""",
    re.VERBOSE,
)
PathPart = str | int
JsonPath = tuple[PathPart, ...]


class _TooDeepError(Exception):
    """The document nests deeper than :data:`MAX_DEPTH`."""

    def __init__(self, mark: yaml.Mark) -> None:
        super().__init__("too deep")
        self.mark = mark


class _Loader(yaml.CSafeLoader):
    """libyaml parsing with a narrow set of types and an issue list instead of silent choices."""

    yaml_implicit_resolvers = {}  # noqa: RUF012 - PyYAML's class-level registries, ours alone
    yaml_constructors = {}  # noqa: RUF012
    yaml_multi_constructors = {}  # noqa: RUF012

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.problems: list[tuple[str, str, yaml.Mark | None, str | None]] = []
        self._depth = 0
        self._alias_seen = False

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        if node in self.constructed_objects or node in self.recursive_objects:
            # libyaml hands back the anchored node itself for an alias: refuse to expand it,
            # which also keeps an alias bomb from growing.
            self._alias_seen = True
            return None
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise _TooDeepError(node.start_mark)
        try:
            return super().construct_object(node, deep=True)
        finally:
            self._depth -= 1


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> dict[Any, Any]:
    data: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node)
        if not isinstance(key, str):
            loader.problems.append(
                ("wrong-type", f"a key must be a string, not {key!r}", key_node.start_mark, None)
            )
            continue
        if key in data:
            loader.problems.append(
                (
                    "duplicate-key",
                    f"key '{key}' is repeated: the later value would silently replace the first",
                    key_node.start_mark,
                    "keep one of them",
                )
            )
            continue
        data[key] = loader.construct_object(value_node)
    return data


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> list[Any]:
    return [loader.construct_object(child) for child in node.value]


def _construct_ambiguous(loader: _Loader, node: yaml.ScalarNode) -> str:
    value = str(node.value)
    loader.problems.append(
        (
            "ambiguous-scalar",
            f"'{value}' is read as a boolean or number by YAML 1.1 tools",
            node.start_mark,
            f"quote it: '{value}'",
        )
    )
    return value


def _construct_undefined(loader: _Loader, node: yaml.Node) -> None:
    loader.problems.append(
        (
            "forbidden-tag",
            f"tag {node.tag} is not allowed in data files",
            node.start_mark,
            "remove the tag; policykb never executes YAML tags",
        )
    )


def _construct_int(loader: _Loader, node: yaml.ScalarNode) -> int:
    return int(str(node.value))


def _construct_float(loader: _Loader, node: yaml.ScalarNode) -> float:
    return float(str(node.value))


def _construct_bool(loader: _Loader, node: yaml.ScalarNode) -> bool:
    return str(node.value).lower() == "true"


def _construct_null(loader: _Loader, node: yaml.ScalarNode) -> None:
    return None


def _construct_str(loader: _Loader, node: yaml.ScalarNode) -> str:
    return str(node.value)


def _register() -> None:
    add = _Loader.add_implicit_resolver
    # First match wins among resolvers sharing a first character, so the YAML 1.1 forms go first.
    add(_AMBIGUOUS_TAG, _YAML11_ONLY, list("yYnNoO-+0123456789."))
    add(
        "tag:yaml.org,2002:bool",
        re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
        list("tTfF"),
    )
    add("tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789"))
    add(
        "tag:yaml.org,2002:float",
        re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)(?:[eE][-+]?[0-9]+)?$"),
        list("-+.0123456789"),
    )
    add("tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""])
    for tag, constructor in (
        ("tag:yaml.org,2002:map", _construct_mapping),
        ("tag:yaml.org,2002:seq", _construct_sequence),
        ("tag:yaml.org,2002:str", _construct_str),
        ("tag:yaml.org,2002:int", _construct_int),
        ("tag:yaml.org,2002:float", _construct_float),
        ("tag:yaml.org,2002:bool", _construct_bool),
        ("tag:yaml.org,2002:null", _construct_null),
        (_AMBIGUOUS_TAG, _construct_ambiguous),
        (None, _construct_undefined),  # any other tag, !!python/... included
    ):
        _Loader.add_constructor(tag, constructor)


_register()


@dataclass(slots=True)
class ParsedFile:
    """One data file: its text, its plain data (``None`` when unreadable) and its issues."""

    path: Path
    display: str  # the path as messages show it
    data: dict[str, Any] | None
    issues: list[Issue]
    text: str | None = None
    _root: yaml.Node | None = field(default=None, repr=False)

    def issue(
        self,
        code: str,
        message: str,
        where: JsonPath = (),
        *,
        key: bool = False,
        hint: str | None = None,
    ) -> Issue:
        """An issue located at the node reached by ``where`` (at its key when ``key``)."""
        line, column = self.locate(where, key=key)
        return make_issue(code, message, self.display, line, column, hint)

    def locate(
        self, where: Sequence[PathPart], *, key: bool = False
    ) -> tuple[int | None, int | None]:
        """1-based line and column of the node at ``where``, or the nearest enclosing node."""
        if self.text is None:
            return None, None
        if self._root is None:
            try:
                self._root = yaml.compose(self.text, Loader=yaml.CSafeLoader)
            except yaml.YAMLError:
                return None, None
            if self._root is None:
                return 1, 1
        node = self._root
        for step in where:
            found = _child(node, step, key=key and step is where[-1])
            if found is None:
                break
            node = found
        return node.start_mark.line + 1, node.start_mark.column + 1


def _child(node: yaml.Node, step: PathPart, *, key: bool) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode) and isinstance(step, str):
        for key_node, value_node in node.value:
            if key_node.value == step:
                return key_node if key else value_node  # type: ignore[no-any-return]
    elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
        return node.value[step]  # type: ignore[no-any-return]
    return None


def read_yaml_file(path: Path, display: str | None = None) -> ParsedFile:
    """Parse ``path``; never raises for bad content, only collects issues."""
    shown = display or str(path)
    parsed = ParsedFile(path, shown, None, [])

    def fail(
        code: str,
        message: str,
        line: int | None = None,
        column: int | None = None,
        hint: str | None = None,
    ) -> ParsedFile:
        parsed.issues.append(make_issue(code, message, shown, line, column, hint))
        return parsed

    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return fail(
                "file-too-large",
                f"{size:,} bytes is over the {MAX_FILE_BYTES:,}-byte limit for a data file",
                hint="split it, or check that it is the file you meant",
            )
        raw = path.read_bytes()
    except OSError as exc:
        return fail("encoding", f"cannot read the file: {exc.strerror or exc}")
    if b"\x00" in raw:
        line, column = _position(raw, raw.index(b"\x00"))
        return fail(
            "binary-file", "the file holds NUL bytes: it is not a YAML text file", line, column
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, column = _position(raw, exc.start)
        return fail(
            "encoding",
            f"byte 0x{raw[exc.start]:02x} is not valid UTF-8",
            line,
            column,
            "save the file as UTF-8",
        )
    parsed.text = text
    loader = _Loader(text)
    try:
        data = loader.get_single_data()
    except _TooDeepError as exc:
        return fail(
            "too-deep", f"the document nests more than {MAX_DEPTH} levels deep", *_mark(exc.mark)
        )
    except RecursionError:
        return fail("too-deep", "the document nests too deeply to read")
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        tag = str(exc.problem).split("'")[1] if "'" in str(exc.problem) else str(exc.problem)
        return fail(
            "forbidden-tag",
            f"tag {tag} is not allowed in data files",
            *_mark(mark),
            hint="remove the tag; policykb never executes YAML tags",
        )
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "cannot be parsed"
        if _is_tab(text, mark) or "tab" in problem:
            return fail(
                "tab-indent",
                "a tab character is used for indentation",
                *_mark(mark),
                hint="indent with spaces",
            )
        return fail("yaml-syntax", problem, *_mark(mark))
    except yaml.YAMLError as exc:
        return fail("yaml-syntax", str(exc).splitlines()[0])
    finally:
        loader.dispose()
    for code, message, mark, hint in loader.problems:
        fail(code, message, *_mark(mark), hint=hint)
    if any(code == "forbidden-tag" for code, *_ in loader.problems):
        return parsed  # a tagged value was dropped: checking the rest would mislead
    if loader._alias_seen:
        # the data holds placeholders where aliases were: checking it further would mislead
        return fail(
            "alias",
            "YAML anchors and aliases are not allowed in data files",
            *_first_alias(text),
            hint="write the value out where it is needed",
        )
    if data is None:
        return fail(
            "empty-file",
            "the file holds no data",
            1,
            1,
            "a data file is one YAML mapping; see 'policykb schema'",
        )
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"a {type(data).__name__}"
        return fail(
            "not-a-mapping",
            f"the top level is {kind}, not a mapping",
            1,
            1,
            "a data file holds one mapping of fields (id: …, title: …)",
        )
    parsed.data = data
    return parsed


def _mark(mark: Any) -> tuple[int | None, int | None]:
    if mark is None:
        return None, None
    return mark.line + 1, mark.column + 1


def _position(raw: bytes, offset: int) -> tuple[int, int]:
    before = raw[:offset]
    line = before.count(b"\n") + 1
    column = offset - (before.rfind(b"\n") + 1) + 1
    return line, column


def _is_tab(text: str, mark: yaml.Mark | None) -> bool:
    if mark is None:
        return False
    lines = text.splitlines()
    return mark.line < len(lines) and "\t" in lines[mark.line][: mark.column + 1]


def _first_alias(text: str) -> tuple[int | None, int | None]:
    try:
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            if isinstance(event, yaml.AliasEvent):
                return _mark(event.start_mark)
    except yaml.YAMLError:
        pass
    return None, None
