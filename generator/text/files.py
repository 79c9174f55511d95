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
import stat
import tempfile
from pathlib import Path

from generator.model import Problem

# C0 and C1 control characters other than tab and line ends, DEL, the two
# noncharacters, and the bidirectional embeddings, overrides and isolates (U+202A-202E,
# U+2066-2069: a right-to-left override shows a title's letters in another order than
# they are stored, in <title>, feeds and search): never part of a title, an abstract or
# a YAML value. Other invisible format characters (soft hyphen, zero-width space) are
# harmless and are folded away where text is matched (generator/text/fold.py).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\u202a-\u202e\u2066-\u2069]")
# How many lines with control characters are named before "and N more".
SHOWN_LINES = 5

_SAVE_AS_UTF8 = "save it as UTF-8 text (in most editors: Save As → Encoding: UTF-8)"


class Disk:
    """The data files as they are on disk now, each read when asked: for one-off reads
    (a tool, a test). A build reads a :class:`Snapshot` instead."""

    def is_link(self, path: Path) -> bool:
        return path.is_symlink()

    def is_file(self, path: Path) -> bool:
        return path.is_file()

    def is_dir(self, path: Path) -> bool:
        return path.is_dir()

    def exists(self, path: Path) -> bool:
        """A file, folder or symbolic link (even a broken one) is there."""
        return path.exists() or path.is_symlink()

    def children(self, folder: Path) -> list[Path]:
        return sorted(folder.iterdir())

    def size(self, path: Path) -> int:
        return path.stat().st_size

    def read(self, path: Path) -> bytes:
        return path.read_bytes()


DISK = Disk()


def read_regular(path: Path) -> bytes:
    """The bytes of a regular file, never a link's target: a file swapped for a link
    since its folder was listed is refused, not followed out of the repository."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise FileNotFoundError(f"{path} is no longer a regular file")
        with os.fdopen(fd, "rb", closefd=False) as f:
            return f.read()
    finally:
        os.close(fd)


class Snapshot(Disk):
    """A data folder read once: every regular file's bytes and every link's target,
    taken together before anything is parsed. A build computes its cache key and
    every result from the same snapshot, so what it stores under a key is what those
    very bytes give, whatever is written to the folder while it runs."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.files: dict[Path, bytes] = {}
        self.links: dict[Path, str] = {}
        self.dirs: dict[Path, list[Path]] = {}
        # Files and folders the build may not read (permissions), with the system's
        # reason: reported as errors at each path instead of a traceback.
        self.unreadable: dict[Path, str] = {}
        self._take(folder)

    def _take(self, folder: Path) -> None:
        self.dirs[folder] = entries = []
        try:
            with os.scandir(folder) as listing:
                found = sorted(listing, key=lambda e: e.name)
        except (FileNotFoundError, NotADirectoryError):
            return  # no data folder (the caller reports it), or one removed meanwhile
        except PermissionError as error:
            self.unreadable[folder] = error.strerror or "permission denied"
            return
        for entry in found:
            path = folder / entry.name
            try:
                if entry.is_symlink():
                    self.links[path] = os.readlink(path)
                elif entry.is_dir(follow_symlinks=False):
                    self._take(path)
                elif entry.is_file(follow_symlinks=False):
                    self.files[path] = read_regular(path)
                else:
                    continue  # a pipe or a device: nothing a build reads
            except FileNotFoundError:
                continue  # gone (or replaced by a link) since listed: as if never there
            except PermissionError as error:
                self.unreadable[path] = error.strerror or "permission denied"
                continue
            entries.append(path)

    def key(self) -> list[bytes]:
        """What the snapshot holds, as parts of a cache key: each path (from the data
        folder's parent, as messages show it), what it is, and its bytes or target."""
        parts = []
        for path in sorted([*self.files, *self.links]):
            name = path.relative_to(self.folder.parent).as_posix()
            if path in self.links:
                parts += [f"link\0{name}".encode(), self.links[path].encode()]
            else:
                parts += [f"file\0{name}".encode(), self.files[path]]
        for path in sorted(self.unreadable):
            parts.append(f"unreadable\0{path.relative_to(self.folder.parent).as_posix()}".encode())
        return parts

    def forget(self, paths: list[Path]) -> None:
        """Drop bytes read already: in a big catalogue the dumps are the largest thing
        the rest of the build does not need."""
        for path in paths:
            self.files.pop(path, None)

    def is_link(self, path: Path) -> bool:
        return path in self.links

    def is_file(self, path: Path) -> bool:
        return path in self.files

    def is_dir(self, path: Path) -> bool:
        return path in self.dirs

    def exists(self, path: Path) -> bool:
        return path in self.files or path in self.links or path in self.dirs

    def children(self, folder: Path) -> list[Path]:
        return list(self.dirs.get(folder, []))

    def size(self, path: Path) -> int:
        return len(self.read(path))

    def read(self, path: Path) -> bytes:
        if path not in self.files:
            raise FileNotFoundError(f"{path} is not in the snapshot of {self.folder}")
        return self.files[path]


def link_problem(
    path: Path, shown: str, files: Disk = DISK, what: str = "data files"
) -> Problem | None:
    """A symbolic link is refused, wherever it points: its target is not under review."""
    if files.is_link(path):
        return Problem(
            shown,
            0,
            f"this is a symbolic link; {what} must be regular files in the repository",
            "replace the link by the file itself (a link's target is not part of the review)",
        )
    return None


def regular_files(
    folder: Path, suffixes: tuple[str, ...], root: Path, files: Disk = DISK
) -> tuple[list[Path], list[Problem]]:
    """The files in ``folder`` with one of ``suffixes``, by name; symbolic links among
    them (or the folder itself being one) are reported, not followed."""
    if problem := link_problem(folder, _shown(folder, root), files):
        return [], [problem]
    if not files.is_dir(folder):
        return [], []
    found, problems = [], []
    for path in files.children(folder):
        if path.suffix not in suffixes:
            continue
        if problem := link_problem(path, _shown(path, root), files):
            problems.append(problem)
        elif files.is_file(path):
            found.append(path)
    return found, problems


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


def read_text(
    path: Path, shown: str, limit: int, files: Disk = DISK
) -> tuple[str | None, list[Problem]]:
    """Read a data file the way :func:`decode` does, refusing links and files over ``limit``."""
    if problem := link_problem(path, shown, files):
        return None, [problem]
    size = files.size(path)
    if size > limit:
        return None, [
            Problem(
                shown,
                0,
                f"this file is {size / 1e6:.1f} MB; data files stop at {limit / 1e6:.1f} MB",
                "split it, or check it is the file you meant to add",
            )
        ]
    return decode(files.read(path), shown)


def links_under(folder: Path, root: Path, what: str) -> list[Problem]:
    """Every symbolic link at or under ``folder`` (the folder itself included), as a
    problem naming it relative to ``root`` (absolute if outside it). None is followed:
    a link to a folder is one problem, and nothing behind it is read."""

    def shown(path: Path) -> str:
        return str(path.relative_to(root)) if path.is_relative_to(root) else str(path)

    if problem := link_problem(folder, shown(folder), what=what):
        return [problem]
    problems = []
    for here, folders, names in os.walk(folder):  # os.walk does not follow links
        for name in sorted(folders + names):
            path = Path(here) / name
            if problem := link_problem(path, shown(path), what=what):
                problems.append(problem)
    return sorted(problems)


def write_whole(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` whole or not at all (a temporary file beside it, then
    one rename): an interrupted ``enrich``, ``fetch`` or cache write never leaves half
    a file for the next build to read."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
    os.replace(tmp, path)
