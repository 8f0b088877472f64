"""The examples in README.md and docs/*.md run, and print what the pages show.

- A ```python block runs (exec, in a fresh namespace, in a temporary folder holding a copy of examples/). When a
  ```text block follows it directly, that is what it prints.
- A ```console or ```sh block whose first line is `$ kj-budget …` runs command by command, in order, in one
  temporary folder (so one command can read what the one before wrote), through `workbook_builder.cli.main`.
  Each must exit 0, or the code its line states (`$ kj-budget … # exit code 1`). The lines under a command are
  its output (standard output, then standard error).

Shown output is compared line by line, blank lines left aside; a line `...` stands for any lines left out, and
`...` inside a line for any text (a time, a date). Without `...` at the start or the end, the output must start
or end there too.
"""

from __future__ import annotations

import contextlib
import io
import re
import shlex
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from workbook_builder.cli.main import main

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^```([\w-]*)[^\n]*\n(.*?)^```[ \t]*$", re.M | re.S)
EXIT = re.compile(r"#\s*exit code (\d+)\s*$")


@dataclass
class Example:
    page: str
    line: int
    kind: str  # python | console
    code: str
    expected: list[str] | None  # python: the text block after it; console: unused (in `code`)

    @property
    def id(self) -> str:
        return f"{self.page}:{self.line}"


def examples() -> list[Example]:
    found = []
    for path in PAGES:
        text = path.read_text(encoding="utf-8")
        fences = list(FENCE.finditer(text))
        for k, m in enumerate(fences):
            lang, body = m.group(1), m.group(2)
            line = text.count("\n", 0, m.start()) + 1
            page = str(path.relative_to(ROOT))
            if lang == "python":
                after = fences[k + 1] if k + 1 < len(fences) else None
                shown = (after.group(2).splitlines() if after and after.group(1) == "text"
                         and not text[m.end():after.start()].strip() else None)
                found.append(Example(page, line, "python", body, shown))
            elif lang in ("console", "sh") and body.lstrip().startswith("$ kj-budget"):
                found.append(Example(page, line, "console", body, None))
    return found


EXAMPLES = examples()


def same(want: str, got: str) -> bool:
    if "..." not in want:
        return want == got
    return re.fullmatch(".*".join(map(re.escape, want.split("..."))), got) is not None


def compare(where: str, expected: list[str], output: str) -> None:
    """The shown lines appear in the output: in order, adjacent unless `...` stands between them."""
    want = [ln.rstrip() for ln in expected if ln.strip()]
    got = [ln.rstrip() for ln in output.splitlines() if ln.strip()]
    segments: list[list[str]] = [[]]
    for ln in want:
        if ln.strip() == "...":
            segments.append([])
        else:
            segments[-1].append(ln)
    anchored_end = bool(segments[-1])
    pos = 0
    for k, seg in enumerate(segments):
        if not seg:
            continue
        if k == 0:
            starts = [0]
        elif k == len(segments) - 1 and anchored_end:
            starts = [len(got) - len(seg)]
        else:
            starts = range(pos, len(got) - len(seg) + 1)
        for s in starts:
            if s >= pos and len(got[s:s + len(seg)]) == len(seg) and all(map(same, seg, got[s:s + len(seg)])):
                pos = s + len(seg)
                break
        else:
            pytest.fail(f"{where}: these lines are not in the output{' at its start' if k == 0 else ''}"
                        f"{' at its end' if k == len(segments) - 1 and anchored_end and k else ''}:\n"
                        + "\n".join(seg) + "\n--- output ---\n" + output)
    if anchored_end and len(segments) == 1 and pos != len(got):
        pytest.fail(f"{where}: the output goes on after the lines shown:\n{output}")


@pytest.fixture
def folder(tmp_path, monkeypatch) -> Path:
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "80")
    return tmp_path


def run(argv: list[str], capsys) -> tuple[int, str]:
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse's own exits (--help)
        code = exc.code if isinstance(exc.code, int) else 1
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_the_pages_have_examples_of_both_kinds():
    kinds = [e.kind for e in EXAMPLES]
    assert kinds.count("python") >= 3 and kinds.count("console") >= 8
    assert sum(e.expected is not None for e in EXAMPLES if e.kind == "python") >= 3


def test_the_comparison_can_fail():
    """The comparison itself: order, adjacency, anchoring and `...`."""
    compare("ok", ["a", "...", "c"], "a\nb\nc\n")
    compare("ok", ["...", "b", "..."], "a\nb\nc\n")
    compare("ok", ["a", "took ... s."], "a\ntook 3.4 s.\n")
    for expected, output in ((["a", "c"], "a\nb\nc\n"), (["b"], "a\nb\n"), (["a"], "a\nb\n"),
                             (["...", "c", "b"], "a\nb\nc\n"), (["...", "x", "..."], "a\n"),
                             (["took ... s."], "took 3 min\n")):
        with pytest.raises(pytest.fail.Exception):
            compare("bad", expected, output)


@pytest.mark.parametrize("example", [e for e in EXAMPLES if e.kind == "python"], ids=lambda e: e.id)
def test_python_example(example: Example, folder, capsys):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(example.code, example.id, "exec"), {"__name__": "__docs__"})  # noqa: S102 - our own pages
    if example.expected is not None:
        compare(example.id, example.expected, out.getvalue())


@pytest.mark.parametrize("example", [e for e in EXAMPLES if e.kind == "console"], ids=lambda e: e.id)
def test_console_example(example: Example, folder, capsys):
    commands: list[tuple[str, list[str]]] = []
    for ln in example.code.splitlines():
        if ln.startswith("$ "):
            assert ln.startswith("$ kj-budget "), f"{example.id}: only kj-budget commands run here: {ln}"
            commands.append((ln[2:], []))
        else:
            commands[-1][1].append(ln)
    for command, shown in commands:
        m = EXIT.search(command)
        argv = shlex.split(command, comments=True)[1:]
        code, output = run(argv, capsys)
        assert code == (int(m.group(1)) if m else 0), f"{example.id}: {command} exited {code}:\n{output}"
        if any(ln.strip() for ln in shown):
            compare(f"{example.id}: {command}", shown, output)


LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def anchors(path: Path) -> set[str]:
    """GitHub's anchors for the headings of a page: lower case, punctuation dropped, spaces to hyphens."""
    text = FENCE.sub("", path.read_text(encoding="utf-8"))
    out = set()
    for heading in re.findall(r"^#+ (.+)$", text, flags=re.M):
        plain = re.sub(r"[`*_]|\[([^\]]*)\]\([^)]*\)", r"\1", heading).strip().lower()
        out.add(re.sub(r"[^\w\- ]", "", plain).replace(" ", "-"))
    return out


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_links_between_the_pages_resolve(page):
    """Every relative link names a file that exists, and an anchor that one of its headings makes."""
    text = FENCE.sub("", page.read_text(encoding="utf-8"))
    for target in LINK.findall(text):
        if re.match(r"[a-z]+:", target):
            continue
        file, _, anchor = target.partition("#")
        dest = (page.parent / file).resolve() if file else page
        assert dest.exists(), f"{page.name}: link to a missing file: {target}"
        if anchor and dest.suffix == ".md":
            assert anchor in anchors(dest), f"{page.name}: no heading makes the anchor #{anchor} in {dest.name}"


def test_the_cli_reference_names_every_command_and_option(capsys):
    """docs/cli.md has a section for each command of `kj-budget --help` and names each option of its --help."""
    from workbook_builder.cli.commands import HELP

    reference = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for command in HELP:
        assert re.search(rf"^##+ {command}: ", reference, flags=re.M), f"no section for {command}"
        code, text = run([command, "--help"], capsys)
        assert code == 0
        for option in sorted(set(re.findall(r"(?<![\w-])(--[a-z][a-z-]*)", text)) - {"--help"}):
            assert f"`{option}" in reference or f"{option} " in reference, f"{command} {option}"
