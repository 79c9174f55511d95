"""Python-Markdown's HTML for pages that are a title and blocks met before.

A generated page's Markdown, once its raw HTML blocks are set aside (placeholders stand
for them), is a title heading and a few fixed blocks: ``## Related papers``, ``## Cite``,
placeholders. Pages of one kind differ in their title and in which of those blocks
they have, so a few texts after the title (*shapes*) serve every paper page. Python-
Markdown spent most of a cold build's page conversion creating an instance per page and
parsing the same blocks again. Here a shape is converted once, each title alone on one
reused instance, and the two joined.

That join is only trusted where it was seen to be right: the first page of each shape
is converted whole by the caller (MkDocs, with every extension it adds), and the shape
is used only if its pieces give that page's HTML byte for byte. A title whose anchor
would clash with a section's (the toc extension would then rename the section's) is
converted whole. So a theme, an extension or a template that makes the pieces differ
turns this off for that shape; it never changes a page. (A title cannot reach into the
blocks after it, say to a link definition there: the page templates escape titles.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import markdown

# A link or image in a title (the toc extension's own permalink aside).
_LINKS = re.compile(r'<a\b(?! class="headerlink")|<img\b')


@dataclass(frozen=True)
class _Shape:
    html: str  # the blocks after the title, converted
    ids: frozenset[str]  # the anchors they define


@dataclass(frozen=True)
class Titled:
    """A page converted from its pieces: its HTML and its title's toc entry."""

    html: str
    title: dict  # the toc extension's token for the title (level, id, name, children)


class Shapes:
    """Converts pages of shapes seen and checked before; see the module docstring."""

    def __init__(self, extensions: list, configs: dict) -> None:
        self.md = markdown.Markdown(extensions=extensions, extension_configs=configs)
        self.shapes: dict[str, _Shape | None] = {}  # None: its pieces did not give the page

    def convert(self, text: str) -> Titled | None:
        """The page from its pieces, or None: convert it whole (and :meth:`learn`)."""
        pieces = _split(text)
        if pieces is None:
            return None
        shape = self.shapes.get(pieces[1])
        if shape is None:
            return None
        html, title = self._title(pieces[0])
        if title is None or title["id"] in shape.ids or _LINKS.search(html):
            return None  # no toc; a clash; a link MkDocs would check and may rewrite
        return Titled(_join(html, shape.html), title)

    def is_new(self, text: str) -> bool:
        """Whether this page's shape is still to be learnt from its whole conversion."""
        pieces = _split(text)
        return pieces is not None and pieces[1] not in self.shapes

    def learn(self, text: str, whole: str, title: tuple[str, str, int] | None) -> None:
        """Keep this page's shape if its pieces give ``whole``, the page converted whole,
        and ``title``, the (name, id, level) of the first entry of that page's toc."""
        pieces = _split(text)
        if pieces is None or pieces[1] in self.shapes:
            return
        self.md.reset()
        rest = self.md.convert(pieces[1])
        ids = frozenset(_ids(getattr(self.md, "toc_tokens", [])))
        html, token = self._title(pieces[0])
        usable = (
            token is not None
            and title == (token["name"], token["id"], token["level"])
            and token["id"] not in ids
            and _join(html, rest) == whole
        )
        self.shapes[pieces[1]] = _Shape(rest, ids) if usable else None

    def _title(self, line: str) -> tuple[str, dict | None]:
        """The title line's HTML and toc token (None without the toc extension)."""
        self.md.reset()
        html = self.md.convert(line)
        tokens = getattr(self.md, "toc_tokens", [])
        return html, tokens[0] if tokens else None


def _split(text: str) -> tuple[str, str] | None:
    """A page's title line and the text after it; None if it does not open with one
    (``# `` and a single line, then a blank line)."""
    head, blank, rest = text.partition("\n\n")
    if not head.startswith("# ") or "\n" in head or not blank:
        return None
    return head, rest


def _join(title: str, rest: str) -> str:
    return f"{title}\n{rest}" if rest else title


def _ids(tokens: list[dict]) -> list[str]:
    return [i for t in tokens for i in (t["id"], *_ids(t["children"]))]
