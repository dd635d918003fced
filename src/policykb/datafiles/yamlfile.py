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

import errno
import re
import stat
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml._yaml import CParser

from policykb.datafiles.yamlsyntax import explain
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


# The tags the loader resolves are its own, never YAML's: libyaml hands an explicit tag
# (``!!int "0x7E3"``, ``!!str``) over as it is written, and a YAML tag reaching ``build`` is
# therefore one the file wrote, refused like any other tag.
_CORE = "tag:yaml.org,2002:"
_STR = "tag:policykb,2026:str"
_MAP = "tag:policykb,2026:map"
_SEQ = "tag:policykb,2026:seq"
_NULL = "tag:policykb,2026:null"
_BOOL = "tag:policykb,2026:bool"
_INT = "tag:policykb,2026:int"
_FLOAT = "tag:policykb,2026:float"

#: first character -> (tag, pattern) to try in order; first match wins, YAML 1.1 forms first
_RESOLVERS: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
for _tag, _pattern, _first in (
    (_AMBIGUOUS_TAG, _YAML11_ONLY, "yYnNoO-+0123456789."),
    (_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), "tTfF"),
    (_INT, re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), "-+0123456789"),
    (
        _FLOAT,
        re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)(?:[eE][-+]?[0-9]+)?$"),
        "-+.0123456789",
    ),
    (_NULL, re.compile(r"^(?:~|null|Null|NULL)$"), "~nN"),
):
    for _char in _first:
        _RESOLVERS.setdefault(_char, []).append((_tag, _pattern))

_SCALARS: dict[str, Any] = {
    _STR: str,
    _INT: int,
    _FLOAT: float,
    _BOOL: lambda text: text.lower() == "true",
    _NULL: lambda text: None,
}


class _Loader(CParser):
    """libyaml composes the nodes; tags are resolved and values built here, narrowly.

    Only ``true``/``false``, ``null``, decimal numbers, strings, lists and mappings exist. What
    PyYAML would silently accept (repeated keys, aliases, explicit tags) becomes a problem with
    its position instead, and an alias is never expanded, so an alias bomb cannot grow.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.problems: list[tuple[str, str, Any, str | None]] = []
        self.alias_seen = False
        self._seen: set[int] = set()
        # An alias needs an anchor, and an anchor needs '&': without one, no node can be reached
        # twice, so the per-node bookkeeping (and the call per plain string) can be skipped.
        self._track = "&" in stream

    # libyaml's composer calls these three for every node (PyYAML's resolver interface).
    def resolve(self, kind: type, value: str, implicit: tuple[bool, bool]) -> str:
        """The tag of a node: a plain scalar by its look, anything else by its kind."""
        if kind is yaml.ScalarNode:
            if implicit[0]:
                if not value:
                    return _NULL
                for tag, pattern in _RESOLVERS.get(value[0], ()):
                    if pattern.match(value):
                        return tag
            return _STR
        return _SEQ if kind is yaml.SequenceNode else _MAP

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        """No path-dependent resolution."""

    def ascend_resolver(self) -> None:
        """No path-dependent resolution."""

    def build(self, node: Any, depth: int = 0) -> Any:
        """Plain data for ``node``: dicts, lists, str, int, float, bool and None."""
        if depth > MAX_DEPTH:
            raise _TooDeepError(node.start_mark)
        if self._track:
            if id(node) in self._seen:
                # libyaml hands back the anchored node itself for an alias: never expand it
                self.alias_seen = True
                return None
            self._seen.add(id(node))
        tag = node.tag
        if tag == _MAP and isinstance(node, yaml.MappingNode):
            return self._mapping(node, depth)
        if tag == _SEQ and isinstance(node, yaml.SequenceNode):
            if self._track:
                return [self.build(child, depth + 1) for child in node.value]
            return [
                child.value
                if child.tag == _STR and child.__class__ is yaml.ScalarNode
                else self.build(child, depth + 1)
                for child in node.value
            ]
        convert = _SCALARS.get(tag)
        if convert is not None and isinstance(node, yaml.ScalarNode):
            try:
                return convert(node.value)
            except ValueError:  # an integer of more digits than Python reads (4,300)
                self.problems.append(
                    (
                        "bad-value",
                        f"a number of {len(node.value):,} digits is too long to read",
                        node.start_mark,
                        "quote it if it is text",
                    )
                )
                return None
        if tag == _AMBIGUOUS_TAG:
            self.problems.append(
                (
                    "ambiguous-scalar",
                    f"'{node.value}' is read as a boolean or number by YAML 1.1 tools",
                    node.start_mark,
                    f"quote it: '{node.value}'",
                )
            )
            return node.value
        core = tag.startswith(_CORE)
        self.problems.append(
            (
                "forbidden-tag",
                f"tag {'!!' + tag.removeprefix(_CORE) if core else tag} is not allowed in data "
                "files",
                node.start_mark,
                "remove the tag (quote the value if it is text)"
                if core
                else "remove the tag; policykb never executes YAML tags",
            )
        )
        return None

    def _mapping(self, node: yaml.MappingNode, depth: int) -> dict[str, Any]:
        data: dict[str, Any] = {}
        fast = not self._track
        for key_node, value_node in node.value:
            if fast and key_node.tag == _STR and key_node.__class__ is yaml.ScalarNode:
                key = key_node.value  # the common case, without a call
            else:
                key = self.build(key_node, depth + 1)
            if not isinstance(key, str):
                where = key_node.start_mark
                self.problems.append(
                    ("wrong-type", f"a key must be a string, not {key!r}", where, None)
                )
                continue
            if key in data:
                self.problems.append(
                    (
                        "duplicate-key",
                        f"key '{key}' is repeated: the later value would silently replace "
                        "the first",
                        key_node.start_mark,
                        "keep one of them",
                    )
                )
                continue
            if fast and value_node.tag == _STR and value_node.__class__ is yaml.ScalarNode:
                data[key] = value_node.value
            else:
                data[key] = self.build(value_node, depth + 1)
        return data


@dataclass(slots=True)
class ParsedFile:
    """One data file: its text, its plain data (``None`` when unreadable) and its issues."""

    path: Path
    display: str  # the path as messages show it
    data: dict[str, Any] | None
    issues: list[Issue]
    text: str | None = None
    _root: yaml.Node | None = field(default=None, repr=False)
    #: id of a mapping node -> its keys' and values' nodes by key, made on the first look-up
    _keys: dict[int, dict[str, tuple[yaml.Node, yaml.Node]]] = field(
        default_factory=dict, repr=False
    )

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
            found = self._child(node, step, key=key and step is where[-1])
            if found is None:
                break
            node = found
        return node.start_mark.line + 1, node.start_mark.column + 1

    def _child(self, node: yaml.Node, step: PathPart, *, key: bool) -> yaml.Node | None:
        """The node ``step`` reaches from ``node`` (its key node when ``key``), or ``None``.

        A mapping's keys are indexed on its first look-up, so locating one issue per key of
        a 100,000-key mapping is linear, not quadratic.
        """
        if isinstance(node, yaml.MappingNode) and isinstance(step, str):
            keys = self._keys.get(id(node))
            if keys is None:
                keys = self._keys[id(node)] = {}
                for key_node, value_node in node.value:
                    if isinstance(key_node.value, str):
                        keys.setdefault(key_node.value, (key_node, value_node))  # the first
            pair = keys.get(step)
            if pair is not None:
                return pair[0] if key else pair[1]
        elif (
            isinstance(node, yaml.SequenceNode)
            and isinstance(step, int)
            and 0 <= step < len(node.value)
        ):
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

    special = _not_a_file(path)
    if special is not None:
        return fail("not-a-file", *special)
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
        root = loader.get_single_node()
        data = None if root is None else loader.build(root)
    except _TooDeepError as exc:
        return fail(
            "too-deep", f"the document nests more than {MAX_DEPTH} levels deep", *_mark(exc.mark)
        )
    except RecursionError:
        return fail("too-deep", "the document nests too deeply to read")
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
        explained, at, fix = explain(text, exc)
        return fail("yaml-syntax", explained, *_mark(at), hint=fix)
    except yaml.YAMLError as exc:
        return fail("yaml-syntax", str(exc).splitlines()[0])
    finally:
        loader.dispose()
    for code, message, mark, hint in loader.problems:
        fail(code, message, *_mark(mark), hint=hint)
    if any(code in ("forbidden-tag", "bad-value") for code, *_ in loader.problems):
        return parsed  # a value was dropped: checking the rest would mislead
    if loader.alias_seen:
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


def _not_a_file(path: Path) -> tuple[str, None, None, str] | None:
    """Why ``path`` is no regular file to read (message, no line or column, hint), or None.

    Checked before anything is opened: a FIFO or a device would block or never end.
    """
    fix = "point it at the data file, or remove it"
    try:
        info = path.stat()
    except OSError as exc:
        if not path.is_symlink():
            return None  # gone meanwhile, or unreadable: reading it says why
        if exc.errno == errno.ELOOP:
            return "it is a symbolic link that loops", None, None, fix
        target = path.readlink()
        return f"it is a symbolic link to '{target}', which does not exist", None, None, fix
    if stat.S_ISREG(info.st_mode):
        return None
    if stat.S_ISDIR(info.st_mode):
        return (
            "it is a directory, not a file",
            None,
            None,
            "a data file is a YAML file; rename or move the directory",
        )
    return "it is not a regular file (a FIFO, socket or device)", None, None, fix


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
