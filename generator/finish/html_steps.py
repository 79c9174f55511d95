"""Steps over a finished HTML page: whitespace folded, icons moved to one sprite sheet,
the title's self-link dropped, the preview's problems banner put in.

They read only the HTML, not MkDocs' objects, so they work on whatever built the page."""

from __future__ import annotations

import re

from generator.infra.cache import digest

# Whitespace is significant inside these; everywhere else a run with a line break in
# it renders exactly as one line break does.
_KEEP_WHITESPACE = re.compile(r"(<(pre|textarea|script)\b.*?</\2>)", re.S | re.I)
_INDENTED = re.compile(r"[ \t\r\f\v]*\n\s*")
# Tags that make a block (or are not rendered): a line break beside one of them starts
# or ends a line, where CSS drops white space, so it renders as nothing at all.
# (A test renders pages with and without these breaks and compares every box.)
_BLOCK_TAGS = (
    "html|head|body|meta|link|title|style|div|nav|header|footer|main|article|section|aside"
    "|ul|ol|li|dl|dt|dd|p|h[1-6]|form|table|thead|tbody|tfoot|tr|td|th|hr|figure"
    "|figcaption|blockquote|details|summary|noscript|template|pre|script"
)
_BREAK_BY_BLOCK = re.compile(rf"(</?(?:{_BLOCK_TAGS})\b[^>]*>)\n|\n(?=</?(?:{_BLOCK_TAGS})\b)")


def fold_whitespace(html: str) -> str:
    """The page with each whitespace run that holds a line break cut to one line break
    (a sixth of a paper page), and cut out beside a block's tag (180 bytes more)."""
    parts = _KEEP_WHITESPACE.split(html)
    # split() with two groups yields: text, whole kept element, tag name, text, ...
    out = []
    for i in range(0, len(parts), 3):
        folded = _INDENTED.sub("\n", parts[i])
        folded = _BREAK_BY_BLOCK.sub(lambda m: m.group(1) or "", folded)
        # a kept <pre> or <script> is a block too (a <textarea> is not)
        if i > 0 and parts[i - 1].lower() != "textarea":
            folded = folded.removeprefix("\n")
        if i + 2 < len(parts) and parts[i + 2].lower() != "textarea":
            folded = folded.removesuffix("\n")
        out.append(folded)
        if i + 1 < len(parts):
            out.append(parts[i + 1])
    return "".join(out)


ICONS_FILE = "assets/icons.svg"
_ICON = re.compile(r'<svg xmlns="http://www.w3.org/2000/svg" viewBox="([\d .]+)">(.*?)</svg>', re.S)

_SYMBOL = re.compile(r'<symbol id="([^"]+)" viewBox="([\d .]+)">(.*?)</symbol>', re.S)


class IconSheet:
    """Inline SVG icons moved into one sprite sheet, referenced with ``<use>``."""

    def __init__(self) -> None:
        self.symbols: dict[str, tuple[str, str]] = {}  # id -> (viewBox, inner SVG)

    def replace(self, html: str, root: str) -> tuple[str, tuple[str, ...]]:
        """The page with its icons referenced, and the ids of the icons it uses."""
        used: dict[str, None] = {}

        def use(match: re.Match[str]) -> str:
            view, inner = match.groups()
            sid = "i" + digest(view, inner)[:10]
            self.symbols[sid] = (view, inner)
            used[sid] = None
            return f'<svg viewBox="{view}"><use href="{root}{ICONS_FILE}#{sid}"></use></svg>'

        return _ICON.sub(use, html), tuple(used)

    def read(self, sheet: str) -> None:
        """Take in the symbols of a sheet written before (:meth:`sheet`), so that a
        folder finished twice keeps the icons its pages already reference."""
        for sid, view, inner in _SYMBOL.findall(sheet):
            self.symbols.setdefault(sid, (view, inner))

    def sheet(self) -> str:
        symbols = "".join(
            f'<symbol id="{sid}" viewBox="{view}">{inner}</symbol>'
            for sid, (view, inner) in sorted(self.symbols.items())
        )
        return f'<svg xmlns="http://www.w3.org/2000/svg">{symbols}</svg>\n'


# The permalink the toc extension puts in a page's title links the page to itself.
_TITLE_PERMALINK = re.compile(
    r'(<h1 id="([^"]+)"[^>]*>.*?)<a class="headerlink" href="#\2"[^>]*>[^<]*</a>(?=</h1>)', re.S
)


def without_title_permalink(html: str) -> str:
    """The page without its title's permalink (135 bytes a paper page: a link to the
    page it is on); the sections keep theirs."""
    return _TITLE_PERMALINK.sub(r"\1", html, count=1)


_MAIN = re.compile(r'<main class="md-main"[^>]*>')


def with_banner(html: str, banner: str) -> str:
    """The page with ``banner`` at the top of its main area (unchanged without one)."""
    if not banner:
        return html
    return _MAIN.sub(lambda m: m.group() + banner, html, count=1)
