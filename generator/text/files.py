"""Read one data file as text, or say in one line why it cannot be read.

A pull request is untrusted input to CI and, once merged, to the Pages build. A
listing or YAML file in one may be a symbolic link to a file outside the
repository (whose text would then be published), a file in another encoding or a
binary (whose garbage would become papers), carry invisible control characters
(which would land in titles, ``<title>`` and ``catalogue.json``), or be large
enough to stall the build. Every data file is read through here, and each of
these is one clear problem naming the file, with nothing read from it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from generator.model import Problem

# C0 and C1 control characters other than tab and line ends, DEL, and the two
# noncharacters: never part of a title, an abstract or a YAML value.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
# How many lines with control characters are named before "and N more".
SHOWN_LINES = 5

_SAVE_AS_UTF8 = "save it as UTF-8 text (in most editors: Save As → Encoding: UTF-8)"


def link_problem(path: Path, shown: str, what: str = "data files") -> Problem | None:
    """A symbolic link is refused, wherever it points: its target is not under review."""
    if path.is_symlink():
        return Problem(
            shown,
            0,
            f"this is a symbolic link; {what} must be regular files in the repository",
            "replace the link by the file itself (a link's target is not part of the review)",
        )
    return None


def regular_files(
    folder: Path, suffixes: tuple[str, ...], root: Path
) -> tuple[list[Path], list[Problem]]:
    """The files in ``folder`` with one of ``suffixes``, by name; symbolic links among
    them (or the folder itself being one) are reported, not followed."""
    if problem := link_problem(folder, _shown(folder, root)):
        return [], [problem]
    if not folder.is_dir():
        return [], []
    files, problems = [], []
    for path in sorted(folder.iterdir()):
        if path.suffix not in suffixes:
            continue
        if problem := link_problem(path, _shown(path, root)):
            problems.append(problem)
        elif path.is_file():
            files.append(path)
    return files, problems


def _shown(path: Path, root: Path) -> str:
    return str(path.relative_to(root))


def _encoding_problem(raw: bytes) -> tuple[str, int] | None:
    """Why ``raw`` is not UTF-8 text, in a contributor's words, and the line it shows
    at (0: the whole file); None if it is UTF-8."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "this looks like UTF-16 text (it starts with a UTF-16 byte order mark)", 0
    head = raw[:4096]
    # UTF-16 without a mark: every other byte of English text is zero.
    if head and max(head[0::2].count(0), head[1::2].count(0)) > len(head) // 4:
        return "this looks like UTF-16 text (every other byte is zero)", 0
    # Text holds a stray control character at most; a binary is full of them.
    if sum(b < 9 or 13 < b < 32 for b in head) > len(head) // 20:
        return "this looks like a binary file, not text", 0
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return (
            f"not valid UTF-8 (byte {raw[exc.start]:#04x}): this file, or this line of it, "
            "looks like Latin-1 or Windows-1252 text",
            raw[: exc.start].count(b"\n") + 1,
        )
    return None


def decode(raw: bytes, shown: str) -> tuple[str | None, list[Problem]]:
    """The text of a data file (BOM dropped, line ends as ``\\n``), or why not.

    A file in another encoding is one problem and no text: decoding it anyway would
    turn every accented letter into a replacement character in published titles.
    Control characters are reported at each line that holds one; the text is still
    returned, so the caller can keep every line that is sound.
    """
    if why := _encoding_problem(raw):
        message, line = why
        return None, [Problem(shown, line, message, _SAVE_AS_UTF8)]
    text = raw.decode("utf-8").removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return text, control_problems(text, shown)


def control_problems(text: str, shown: str) -> list[Problem]:
    """One problem per line holding a control character (the first few lines named)."""
    bad = [
        (n, m.group())
        for n, line in enumerate(text.split("\n"), start=1)
        if (m := CONTROL.search(line))
    ]
    problems = [
        Problem(
            shown,
            n,
            f"invisible control character U+{ord(char):04X} in this line",
            "delete it (most editors do not show it; it often comes from a copy-paste)",
        )
        for n, char in bad[:SHOWN_LINES]
    ]
    if len(bad) > SHOWN_LINES:
        problems.append(
            Problem(
                shown,
                bad[SHOWN_LINES][0],
                f"and {len(bad) - SHOWN_LINES} more lines with control characters",
                "this may not be a text file: " + _SAVE_AS_UTF8,
            )
        )
    return problems


def read_text(path: Path, shown: str, limit: int) -> tuple[str | None, list[Problem]]:
    """Read a data file the way :func:`decode` does, refusing links and files over ``limit``."""
    if problem := link_problem(path, shown):
        return None, [problem]
    size = path.stat().st_size
    if size > limit:
        return None, [
            Problem(
                shown,
                0,
                f"this file is {size / 1e6:.1f} MB; data files stop at {limit / 1e6:.1f} MB",
                "split it, or check it is the file you meant to add",
            )
        ]
    return decode(path.read_bytes(), shown)


def links_under(folder: Path, root: Path, what: str) -> list[Problem]:
    """Every symbolic link at or under ``folder`` (the folder itself included), as a
    problem naming it relative to ``root`` (absolute if outside it). None is followed:
    a link to a folder is one problem, and nothing behind it is read."""

    def shown(path: Path) -> str:
        return str(path.relative_to(root)) if path.is_relative_to(root) else str(path)

    if problem := link_problem(folder, shown(folder), what):
        return [problem]
    problems = []
    for here, folders, files in os.walk(folder):  # os.walk does not follow links
        for name in sorted(folders + files):
            if problem := link_problem(Path(here) / name, shown(Path(here) / name), what):
                problems.append(problem)
    return sorted(problems)
