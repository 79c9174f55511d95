"""Material's page around paper pages, rendered once a build and filled in per page.

Paper pages are the kind of page there are thousands of, all at the same depth, out of
the navigation, with the same front-matter keys: Material's ``main.html`` around them
differs only in each page's own values. :class:`Shell` renders it once with a
placeholder for each value; the plugin checks the first page of each shape against a
full render and falls back to the theme for any shape where the two differ."""

from __future__ import annotations

import copy
import re

from mkdocs.structure.toc import AnchorLink, TableOfContents

from generator.finish.html_steps import (
    _BLOCK_TAGS,
    _KEEP_WHITESPACE,
    IconSheet,
    fold_whitespace,
)

CACHED_TEMPLATE = "pc-cached.html"  # overrides/: prints page.content, nothing else

# Paper pages: the kind of page there are thousands of, all at the same depth, out of
# the navigation, with the same front-matter keys. Material's page around them differs
# only in each page's own values, so the theme renders it once a build with a
# placeholder for each, and every paper page fills them in (the theme was the slowest
# step left).
SHELL_KINDS = {"paper"}
# The build's placeholder markers come in four families, each spelled in one place:
# PCRAWHTML{n}X (mkdocs_site/raw_html.py), PCSHELL{n}X and PCFOLD{n}X
# (mkdocs_site/shell.py), and the charts' data-pc-chart (render/charts.py).
# A shell's placeholder for its n-th value, and a fold's stand-in for it (Shell.finish).
_SHELL_MARK = "PCSHELL{}X"
_FOLD_MARK = "PCFOLD{}X"
_SHELL_TOKEN = re.compile(r"(?:<h1 )?" + _SHELL_MARK.format(r"(\d+)"))
_SHELL_FIELDS = ("title", "description", "content", "skip", "canonical", "heading")
_OWN_META = {"title", "description", "template"}  # fields above, or MkDocs' own
# Stand-ins for folding a shell (Shell.finish): content opens with its <h1> and closes
# with a block tag; other values are text with no space at either end and no tag.
_FOLD_CONTENT = f"<h1 {_FOLD_MARK.format(2)}></p>"
_FOLDS_ALONE = re.compile(rf"<h1[\s>].*</(?!pre|script\b)(?:{_BLOCK_TAGS})>", re.S)
_PLAIN_VALUE = re.compile(r"[^\s<>]([^<>\n]*[^\s<>])?")
_KEPT_OPEN = re.compile(r"<(?:pre|textarea|script)\b", re.I)
# Front-matter values that are HTML for the head (a paper's citation metadata,
# generator/render/head_meta.py), on one line from its first tag to its last: folding
# leaves such a value as it is, and the shell around it folds as around plain text (a
# line break beside it is beside a block tag either way).
HTML_META = {"head"}
_HTML_VALUE = re.compile(r"<[^\n]*>")


def _value_placeholder(number: int, field: str) -> str:
    """What the shell holds where a page's ``field`` (its ``number``-th value) goes."""
    # Content carries "<h1": Material adds a title to a page's content only when it has none.
    mark = _SHELL_MARK.format(number)
    return f"<h1 {mark}" if field == "content" else mark


class Shell:
    """Material's main.html for pages of one shape, rendered once with a placeholder
    wherever a page's own values go, and filled in for each page by string joins."""

    def __init__(self, template, context: dict, page) -> None:
        # Every text value in the front matter is a placeholder too (paper_id): one that
        # the theme or an override prints is then filled in from each page.
        self.meta = sorted(
            k for k, v in page.meta.items() if isinstance(v, str) and k not in _OWN_META
        )
        ghost = copy.copy(page)
        ghost.meta = {k: v for k, v in page.meta.items() if k != "template"}
        ghost.meta["title"] = _value_placeholder(0, "title")
        if "description" in page.meta:
            ghost.meta["description"] = _value_placeholder(1, "description")
        self.html_slots = set()
        for number, key in enumerate(self.meta, start=len(_SHELL_FIELDS)):
            ghost.meta[key] = _value_placeholder(number, key)
            if key in HTML_META:
                self.html_slots.add(number)
        ghost.content = _value_placeholder(2, "content")
        if page.toc.items:
            ghost.toc = TableOfContents(
                [AnchorLink(_value_placeholder(5, "heading"), _value_placeholder(3, "skip"), 1)]
            )
        if page.canonical_url is not None:
            ghost.canonical_url = _value_placeholder(4, "canonical")
        pieces = _SHELL_TOKEN.split(template.render({**context, "page": ghost}))
        self.texts = pieces[0::2]
        self.slots = [int(n) for n in pieces[1::2]]
        self.folded: list[str] = []  # the texts final, once finish() made them so
        self.icon_ids: tuple[str, ...] = ()

    def values(self, page) -> list[str]:
        """What a page puts in each placeholder: all printed raw by Material (the title
        and description are escaped in the front matter)."""
        return [
            page.meta["title"],
            page.meta.get("description", ""),
            page.content,
            page.toc.items[0].id if page.toc.items else "",
            page.canonical_url or "",
            page.toc.items[0].title if page.toc.items else "",
            *(page.meta[k] for k in self.meta),
        ]

    def fill(self, page) -> str:
        values = self.values(page)
        out = [self.texts[0]]
        for slot, text in zip(self.slots, self.texts[1:], strict=True):
            out += [values[slot], text]
        return "".join(out)

    def finish(self, icons: IconSheet, root: str) -> None:
        """Reference the shell's icons and fold its whitespace once, so that each page
        does it for its content only (folding the whole page again was a cost on every
        paper page). Folding is local to whitespace runs and to the tags beside them, so the
        shell is folded around stand-ins shaped like the values at their edges: the
        content opens with its title and closes with a block tag; every other value is
        text without spaces at its ends. :meth:`finished` turns down a page whose values
        are not shaped so, and the first page of each shape is compared in full."""
        marks = [_FOLD_CONTENT if slot == 2 else _FOLD_MARK.format(slot) for slot in self.slots]
        joined = [self.texts[0]]
        for mark, text in zip(marks, self.texts[1:], strict=True):
            joined += [mark, text]
        html, self.icon_ids = icons.replace("".join(joined), root)
        html = fold_whitespace(html)
        folded = []
        for mark in marks:
            before, found, html = html.partition(mark)
            if not found:
                return  # a stand-in was changed by folding: pages are folded whole
            folded.append(before)
        self.folded = [*folded, html]

    def finished(self, page, icons: IconSheet, root: str) -> tuple[str, tuple[str, ...]] | None:
        """The page with its icons referenced and its whitespace folded (as
        :func:`fold_whitespace` of the full page gives it), and the icons it uses; None
        if a value is not shaped as :meth:`finish` assumed."""
        values = self.values(page)
        content, content_icons = icons.replace(values[2], root)
        if not _FOLDS_ALONE.fullmatch(content) or _KEPT_OPEN.search(
            _KEEP_WHITESPACE.sub("", content)
        ):
            return None
        values[2] = fold_whitespace(content)
        out = [self.folded[0]]
        for slot, text in zip(self.slots, self.folded[1:], strict=True):
            value = values[slot]
            shaped = _HTML_VALUE if slot in self.html_slots else _PLAIN_VALUE
            if slot != 2 and not shaped.fullmatch(value):
                return None
            out += [value, text]
        return "".join(out), tuple(dict.fromkeys(self.icon_ids + content_icons))


def shell_shape(page) -> tuple:
    """Pages of one shape take the theme's same branches with the same values outside
    the placeholders; each shape has its own shell, checked on its first page."""
    return (
        tuple(sorted((k, type(v).__name__) for k, v in page.meta.items() if k != "template")),
        tuple((k, repr(v)) for k, v in sorted(page.meta.items()) if not isinstance(v, str)),
        bool(page.toc.items),
        page.canonical_url is not None,
        "<h1" in page.content,
        page.edit_url,
        page.url.count("/"),
        page.is_homepage,
        page.parent is None and page.previous_page is None and page.next_page is None,
    )
