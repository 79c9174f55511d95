"""What a change does to the catalogue, as Markdown for a pull request's reviewers.

``python -m generator diff BASE HEAD`` takes two git refs (or two folders), builds
the catalogue of each, and reports papers added, removed, hidden and merged,
titles and tags changed, and the papers whose related lists moved most — what a
reviewer needs to judge a curation PR without building the site twice by hand.
CI writes it to the job summary of every pull request.
"""

from __future__ import annotations

import io
import re
import subprocess
import tarfile
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from pathlib import Path

from generator.model import Catalogue, ListingMeta, PaperMeta
from generator.pipeline import build_catalogue
from generator.text.escaping import markdown_text, one_line

SHOWN = 30  # items per section before "and N more"
RELATED_SHOWN = 10


@dataclass
class CatalogueDiff:
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    hidden: list[tuple[str, str]] = field(default_factory=list)  # (id, reason)
    unhidden: list[str] = field(default_factory=list)
    merged: list[tuple[str, str]] = field(default_factory=list)  # (old id, into id)
    retitled: list[tuple[str, str, str]] = field(default_factory=list)  # (id, before, after)
    retagged: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = field(default_factory=list)
    related_moved: list[tuple[str, float]] = field(default_factory=list)  # (id, share changed)
    # (id, field, before, after): a curator's authors, venue, note, links... and a hidden
    # paper's reason; (listing file, field, before, after); (tag or group, field, ...).
    details: list[tuple[str, str, object, object]] = field(default_factory=list)
    listings: list[tuple[str, str, object, object]] = field(default_factory=list)
    taxonomy: list[tuple[str, str, object, object]] = field(default_factory=list)
    before: Catalogue | None = None
    after: Catalogue | None = None

    @property
    def empty(self) -> bool:
        return not any(
            (
                self.added,
                self.removed,
                self.hidden,
                self.unhidden,
                self.merged,
                self.retitled,
                self.retagged,
                self.related_moved,
                self.details,
                self.listings,
                self.taxonomy,
            )
        )


def compare(before: Catalogue, after: Catalogue) -> CatalogueDiff:
    a, b = before.by_id, after.by_id
    diff = CatalogueDiff(before=before, after=after)
    gone = sorted(set(a) - set(b))
    diff.merged = [(pid, after.redirects[pid]) for pid in gone if pid in after.redirects]
    diff.hidden = [(pid, after.hidden[pid][1]) for pid in gone if pid in after.hidden]
    diff.removed = [pid for pid in gone if pid not in after.redirects and pid not in after.hidden]
    diff.added = sorted(set(b) - set(a))
    diff.unhidden = [pid for pid in diff.added if pid in before.hidden]
    diff.added = [pid for pid in diff.added if pid not in before.hidden]
    for pid in sorted(set(a) & set(b)):
        if a[pid].title != b[pid].title:
            diff.retitled.append((pid, a[pid].title, b[pid].title))
        if set(a[pid].tags) != set(b[pid].tags):
            diff.retagged.append((pid, a[pid].tags, b[pid].tags))
        old, new = {r.id for r in a[pid].related}, {r.id for r in b[pid].related}
        if old != new:
            diff.related_moved.append((pid, len(old ^ new) / max(len(old | new), 1)))
    diff.related_moved.sort(key=lambda x: (-x[1], x[0]))
    for pid in sorted(set(before.meta) | set(after.meta)):
        old, new = before.meta.get(pid) or PaperMeta(), after.meta.get(pid) or PaperMeta()
        diff.details += _changed(pid, old, new, PAPER_FIELDS)
    for pid in sorted(set(before.hidden) & set(after.hidden)):
        if before.hidden[pid][1] != after.hidden[pid][1]:
            diff.details.append((pid, "hidden", before.hidden[pid][1], after.hidden[pid][1]))
    for name in sorted(set(before.listing_meta) | set(after.listing_meta)):
        old_l = before.listing_meta.get(name) or ListingMeta()
        new_l = after.listing_meta.get(name) or ListingMeta()
        diff.listings += _changed(name, old_l, new_l, [f.name for f in fields(ListingMeta)])
    if before.vocabulary.groups != after.vocabulary.groups:
        diff.taxonomy.append(
            ("groups", "", ", ".join(before.vocabulary.groups), ", ".join(after.vocabulary.groups))
        )
    old_tags = {t.name: t for t in before.vocabulary.tags}
    new_tags = {t.name: t for t in after.vocabulary.tags}
    for name in sorted(set(old_tags) | set(new_tags)):
        old_t, new_t = old_tags.get(name), new_tags.get(name)
        for key in ("description", "group"):
            was, now = getattr(old_t, key, None), getattr(new_t, key, None)
            if was != now:
                diff.taxonomy.append((name, key, was, now))
    return diff


# What a curator can change of a paper, beyond its title, tags and hiding.
PAPER_FIELDS = ["arxiv", "authors", "year", "venue", "links", "note", "pdf"]


def _changed(name: str, old: object, new: object, keys: list[str]) -> list:
    return [
        (name, key, getattr(old, key), getattr(new, key))
        for key in keys
        if getattr(old, key) != getattr(new, key)
    ]


def code(value: object) -> str:
    """``value`` as inline code no value can break out of: line breaks shown as ␤, other
    control characters as \\xNN, and a fence longer than any run of backticks inside."""
    if value is None or value == () or value == "":
        return "—"
    if isinstance(value, tuple):
        value = "; ".join(": ".join(v) if isinstance(v, tuple) else str(v) for v in value)
    text = str(value)
    for breaker in ("\r\n", *"\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"):
        text = text.replace(breaker, "␤")
    text = "".join(c if c.isprintable() or c == " " else f"\\x{ord(c):02x}" for c in text)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _text(text: str) -> str:
    """Untrusted text on a list item's line: line breaks shown as ␤ (one would start a
    new block in the job summary: a forged heading), Markdown escaped."""
    return markdown_text(one_line(text.replace("\r\n", "␤").replace("\n", "␤")))


def _titles(diff: CatalogueDiff) -> dict[str, str]:
    """Every id's title, the newer catalogue winning, hidden papers included."""
    titles: dict[str, str] = {}
    for cat in (diff.before, diff.after):
        if cat:
            titles.update({pid: paper.title for pid, (paper, _) in cat.hidden.items()})
            titles.update({p.id: p.title for p in cat.papers})
    return titles


def _section(title: str, lines: list[str], limit: int = SHOWN) -> list[str]:
    if not lines:
        return []
    out = [f"### {title} ({len(lines)})", "", *lines[:limit]]
    if len(lines) > limit:
        out.append(f"- … and {len(lines) - limit} more")
    return [*out, ""]


def to_markdown(diff: CatalogueDiff, base: str, head: str) -> str:
    """The summary a reviewer reads (untrusted titles escaped)."""
    before, after = diff.before, diff.after
    lines = [f"## Catalogue changes: `{base}` → `{head}`", ""]
    if before and after:
        lines += [
            f"Papers: {len(before.papers)} → {len(after.papers)} · "
            f"errors in the data: {len(after.errors)}",
            "",
        ]
    if diff.empty:
        return "\n".join([*lines, "No paper, title, tag or related list changes.", ""])
    titles = _titles(diff)
    t = lambda pid: f"{_text(titles.get(pid, pid))} (`{pid}`)"  # noqa: E731
    lines += _section("Added", [f"- {t(p)}" for p in diff.added])
    lines += _section("Removed", [f"- {t(p)}" for p in diff.removed])
    lines += _section("Hidden", [f"- {t(p)}: {_text(r)}" for p, r in diff.hidden])
    lines += _section("Shown again", [f"- {t(p)}" for p in diff.unhidden])
    lines += _section("Merged", [f"- `{old}` → {t(new)}" for old, new in diff.merged])
    lines += _section(
        "Titles changed",
        [f"- `{p}`: {_text(x)} → **{_text(y)}**" for p, x, y in diff.retitled],
    )
    lines += _section(
        "Tags changed",
        [
            f"- {t(p)}: "
            + ", ".join(
                [*(f"+{n}" for n in new if n not in old), *(f"−{n}" for n in old if n not in new)]
            )
            for p, old, new in diff.retagged
        ],
    )
    lines += _section(
        "Paper details changed",
        [f"- {t(p)} {key}: {code(x)} → {code(y)}" for p, key, x, y in diff.details],
    )
    lines += _section(
        "Listing details changed",
        [f"- {code(n)} {key}: {code(x)} → {code(y)}" for n, key, x, y in diff.listings],
    )
    lines += _section(
        "Taxonomy changed",
        [f"- {code(n)} {key}: {code(x)} → {code(y)}" for n, key, x, y in diff.taxonomy],
    )
    lines += _section(
        "Related lists that moved most",
        [f"- {t(p)}: {share:.0%} of the list changed" for p, share in diff.related_moved],
        RELATED_SHOWN,
    )
    return "\n".join(lines)


@contextmanager
def data_at(ref: str, repo: Path):
    """A data folder for a folder path or a git ref (extracted with git archive)."""
    path = Path(ref)
    if path.is_dir():
        yield path / "data" if (path / "data" / "listings").is_dir() else path
        return
    archive = subprocess.run(
        ["git", "-C", str(repo), "archive", "--format=tar", ref, "data"],
        capture_output=True,
        check=False,
    )
    if archive.returncode:
        raise SystemExit(
            f"diff: {ref!r} is neither a folder nor a git ref with a data/ folder:"
            f" {archive.stderr.decode().strip()}"
        )
    with tempfile.TemporaryDirectory() as tmp:
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            tar.extractall(tmp, filter="data")
        yield Path(tmp) / "data"


WORKING_TREE = "the working tree"


def diff_refs(base: str, head: str | None, repo: Path = Path(".")) -> str:
    """``head`` None: the repository's working tree, uncommitted edits included."""
    after = str(repo) if head is None else head
    with data_at(base, repo) as before_dir, data_at(after, repo) as after_dir:
        diff = compare(build_catalogue(before_dir), build_catalogue(after_dir))
    return to_markdown(diff, base, WORKING_TREE if head is None else head)
