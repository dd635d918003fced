"""Issue #16.10 and #16.14: control characters never pass validation nor reach a terminal raw,
and data prints as it stands (no emoji codes, no markup)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import INVALID, VALID
from policykb.controls import visible

ESC = "\x1b"


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``python ARGS`` in a real process, its output piped."""
    return subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


@pytest.fixture
def tree_with_esc(tmp_path: Path) -> Path:
    """The valid tree whose report holds ESC, \\x01 and \\uFFFE in double-quoted escapes."""
    root = tmp_path / "data"
    shutil.copytree(VALID, root)
    shutil.copyfile(
        INVALID / "reports" / "control-character.yaml", root / "reports" / "tiny-report.yaml"
    )
    return root


def test_issue16_esc_in_a_recommendation_text_is_a_located_issue(tree_with_esc: Path) -> None:
    """validate names each control character at its line; its output holds none raw."""
    done = run("-m", "policykb", "--data", str(tree_with_esc), "validate")
    assert done.returncode == 1
    lines = [line for line in done.stdout.splitlines() if "control-character" in line]
    assert [line.split(":")[1] for line in lines] == ["2", "13", "15"]
    assert "U+001B (ESC)" in lines[1] and "U+FFFE" in lines[2]
    assert ESC not in done.stdout + done.stderr


def test_issue16_data_with_control_characters_is_not_exported(tree_with_esc: Path) -> None:
    """The RDF/XML export refuses the invalid data (exit 1) instead of writing ill-formed XML."""
    done = run(
        "-m", "policykb", "--data", str(tree_with_esc), "--no-cache", "export", "-F", "rdfxml"
    )
    assert done.returncode == 1
    assert done.stdout == ""


#: A knowledge base made in Python (no validation) with control characters, emoji codes and
#: markup in its text, printed as the CLI prints a table: to a pipe, then forced to colour.
_TABLE = """
import dataclasses, sys
from pathlib import Path
from policykb import query, render
from policykb.cli.app import out
from policykb.datafiles.loader import load

kb = load(Path(sys.argv[1]))
report = kb.reports[0]
rec = dataclasses.replace(
    report.recommendations[0], text=sys.argv[2]
)
report = dataclasses.replace(report, recommendations=(rec, *report.recommendations[1:]))
kb = dataclasses.replace(kb, reports=(report, *kb.reports[1:]))
out().print(render.recommendations_table(query.recommendations(kb)), crop=False)
table = render.recommendations_table(query.recommendations(kb))
sys.stdout.write("--plain--\\n" + render.plain_text(table))
"""


@pytest.mark.parametrize("colour", [False, True], ids=["piped", "forced colour"])
def test_issue16_a_table_of_text_with_controls_prints_no_raw_escape(colour: bool) -> None:
    """ESC, \\x01, CR and U+FFFE in a table cell print as escapes; rich's own styling stays."""
    text = f"{ESC}[31mred{ESC}[0m \x01 one\rtwo \ufffe :100: [bold]x[/bold]"
    env = {"FORCE_COLOR": "1", "COLUMNS": "200"} if colour else {"COLUMNS": "200"}
    env["NO_COLOR"] = ""
    done = run("-c", _TABLE, str(VALID), text, env=env)
    assert done.returncode == 0, done.stderr
    assert f"{ESC}[31mred" not in done.stdout
    shown = done.stdout.replace("\n", "")
    assert "\\x1b[31mred\\x1b[0m \\x01 one" in shown  # CR: rich drops it from a Text
    assert "two \\ufffe" in shown
    assert "\r" not in done.stdout and "\x01" not in done.stdout and "\ufffe" not in done.stdout
    assert ":100:" in done.stdout and "💯" not in done.stdout  # issue #16.14
    assert "[bold]x[/bold]" in done.stdout
    if colour:
        assert ESC in done.stdout.split("--plain--")[0]  # rich still styles the table
    else:
        assert ESC not in done.stdout


def test_issue16_a_sparql_result_with_esc_prints_escaped() -> None:
    """A SPARQL literal made with ESC prints as an escape in the table."""
    query = 'SELECT ?x WHERE { BIND("\\u001B[31mred" AS ?x) }'
    fixture = str(Path(__file__).parent / "data" / "rdf" / "kb")
    done = run("-m", "policykb", "--data", fixture, "--no-cache", "sparql", query)
    assert done.returncode == 0, done.stderr
    assert ESC not in done.stdout
    assert "\\x1b[31mred" in done.stdout


def test_issue16_an_argument_echoed_in_a_message_prints_escaped() -> None:
    """A country given with ESC in it comes back in the error message as an escape."""
    done = run("-m", "policykb", "--data", str(VALID), "--no-cache", "recs", "-c", f"{ESC}[31mX")
    assert done.returncode == 2
    assert ESC not in done.stderr
    assert "\\x1b[31mX" in done.stderr


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("plain", "plain"),
        ("tab\tand\nline", "tab\tand\nline"),
        (f"{ESC}]0;title\x07", "\\x1b]0;title\\x07"),
        ("\x9b31m", "\\x9b31m"),
        ("abc\u202edef", "abc\\u202edef"),
        ("\ufffe\uffff", "\\ufffe\\uffff"),
    ],
)
def test_visible_escapes_control_characters_and_keeps_tab_and_newline(
    text: str, shown: str
) -> None:
    """C0 (but tab and line feed), DEL, C1, bidi overrides and U+FFFE/FFFF become escapes."""
    assert visible(text) == shown


def _on_a_terminal(args: list[str], cwd: Path) -> str:
    """What ``python ARGS`` prints with its stdout on a pseudo-terminal (rich's own path)."""
    import pty

    leader, follower = pty.openpty()
    env = {**os.environ, "COLUMNS": "200", "TERM": "xterm"}
    with subprocess.Popen(
        [sys.executable, *args], stdout=follower, stderr=follower, cwd=cwd, env=env
    ) as process:
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal closed: the process is done
                break
            if not chunk:
                break
            chunks.append(chunk)
        process.wait(timeout=60)
    os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_issue16_emoji_codes_and_markup_in_locations_and_data_print_as_written(
    tmp_path: Path,
) -> None:
    """Issue #16.14: ':100:' and '[bold]' in a data directory's name and in a label print as
    written on a terminal, in validate's locations and summary and in a framework's tree."""
    root = tmp_path / "d:warning:[bold]x"
    shutil.copytree(VALID, root)
    framework = root / "frameworks" / "tiny-framework.yaml"
    framework.write_text(
        framework.read_text(encoding="utf-8").replace("label: ", "label: :100: [bold]", 1),
        encoding="utf-8",
    )
    shutil.copyfile(
        INVALID / "reports" / "unknown-country.yaml", root / "reports" / "tiny-report.yaml"
    )
    shown = _on_a_terminal(
        ["-m", "policykb", "--data", root.name, "--no-cache", "validate"], tmp_path
    )
    assert "d:warning:[bold]x/reports/tiny-report.yaml" in shown
    assert "files in d:warning:[bold]x" in shown
    assert "⚠" not in shown and "💯" not in shown
    (root / "reports" / "tiny-report.yaml").unlink()
    shown = _on_a_terminal(
        ["-m", "policykb", "--data", root.name, "--no-cache", "framework", "tiny-framework"],
        tmp_path,
    )
    assert ":100: [bold]" in shown and "💯" not in shown
