"""LaTeX in titles and abstracts, turned into text a reader reads.

Abstracts copied from arXiv keep their authors' LaTeX: ``T\\"ulu 3``, ``60\\%``,
``\\textmu P``, ``{\\em persistent homology}``, ``PanGu-$α$``, ``\\( \\Delta W \\)``.
pylatexenc parses the text and knows what each accent and symbol macro stands for;
this module decides *what* to convert, because scraped text is not a LaTeX document:
a bare ``%`` is a percent sign (not a comment), braces and ``{{ }}`` are text, ``$5
and $10`` is money, ``~10%`` means "about". Only what is clearly LaTeX is converted:

* a macro pylatexenc knows (accents, ``\\%``, ``\\textmu``, ``\\lambda``, ``\\emph{…}``)
  or an abbreviation papers define (``\\ie``, ``\\eg``, ``\\aka``); an unknown
  ``\\macro`` stays as written;
* ``\\( … \\)``, ``\\[ … \\]``, and ``$…$`` where pandoc would see math (no space inside
  either dollar, no digit after the closing one, not a run of sentences);
* a brace group holding either (``{\\em …}``, ``{\\lambda}``): its braces go, as in TeX.

Everything else — characters, braces, ``%``, ``~``, ``--``, HTML — is copied
exactly. The result is a list of :class:`Piece` values: :func:`plain` joins them as
plain Unicode text (what search, tags, related papers, feeds and the A–Z see) and
:func:`to_html` renders emphasis and math with escaped text (what a paper page shows).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache

from pylatexenc.latex2text import LatexNodes2Text, get_default_latex_context_db
from pylatexenc.latexwalker import (
    LatexCharsNode,
    LatexGroupNode,
    LatexMacroNode,
    LatexMathNode,
    LatexWalker,
)

from generator.model import Paper

# A percent sign is text in an abstract; pylatexenc would read it as a comment to the
# end of the line (and lose a closing brace with it). It is hidden from the parser.
_PERCENT, _HIDDEN_PERCENT = "%", "\ue000"
_BARE_PERCENT = re.compile(r"(?<!\\)%")

# Macros papers define for themselves (CVPR's and NeurIPS' style files).
ABBREVIATIONS = {
    "ie": "i.e.",
    "eg": "e.g.",
    "aka": "a.k.a.",
    "etal": "et al.",
    "wrt": "w.r.t.",
    "cf": "cf.",
    "vs": "vs.",
    "etc": "etc.",
    "dof": "d.o.f.",
}
# Style macros with an argument, and the switches written inside a group ({\em …}).
STYLE_MACROS = {
    "emph": "em",
    "textit": "em",
    "textsl": "em",
    "textbf": "strong",
    "texttt": "code",
    "textsc": "sc",
    "textrm": "",
    "textsf": "",
    "textup": "",
    "textnormal": "",
    "text": "",
    "mbox": "",
    "mathrm": "",
    "mathbf": "strong",
    "mathit": "em",
}
SWITCHES = {
    "em": "em",
    "it": "em",
    "sl": "em",
    "itshape": "em",
    "bf": "strong",
    "bfseries": "strong",
    "tt": "code",
    "ttfamily": "code",
    "sc": "sc",
    "scshape": "sc",
    "rm": "",
    "sf": "",
    "normalfont": "",
}
SPACES = {"\\": " ", " ": " ", ",": " ", ";": " ", ":": " ", "quad": " ", "qquad": " "}
# Unicode's micro sign (what pylatexenc gives for \textmu) is the Greek mu of μP.
_SAME_LETTER = str.maketrans({"\u00b5": "\u03bc"})
# "$…$" is math only if it reads as math: not a sentence break inside, not a page long.
_SENTENCES = re.compile(r"[.!?]\s+[A-Z]")
MAX_INLINE_MATH = 150


@dataclass(frozen=True)
class Piece:
    """A run of text with one style: "" (plain), em, strong, code, sc, math,
    display (display math), sub, sup. Styled pieces hold their content as pieces."""

    style: str
    text: str = ""
    children: tuple[Piece, ...] = ()


def _looks_latex(text: str) -> bool:
    return "\\" in text or "$" in text


# Most LaTeX in abstracts is an escaped character and nothing else ("60\\%"): that is
# read without the parser, the slowest step of reading a text.
_ESCAPED = re.compile(r"\\([%&#_$])")


def _only_escapes(text: str) -> bool:
    rest = _ESCAPED.sub("", text)
    return "\\" not in rest and "$" not in rest


@cache
def _converter() -> LatexNodes2Text:
    return LatexNodes2Text(math_mode="text", strict_latex_spaces=True)


@cache
def _known() -> object:
    return get_default_latex_context_db()


class _Reader:
    """Walks pylatexenc's nodes over one text, keeping the source of what it leaves."""

    def __init__(self, source: str):
        self.source = source

    def verbatim(self, node) -> str:
        return self.source[node.pos : node.pos + node.len]

    def macro_text(self, node: LatexMacroNode) -> str | None:
        """What a known macro stands for, or None to leave it as written."""
        name = node.macroname
        if name in ABBREVIATIONS:
            return ABBREVIATIONS[name]
        if name in SPACES:
            return SPACES[name]
        if _known().get_macro_spec(name) is None:
            return None
        text = _converter().nodelist_to_text([node]).translate(_SAME_LETTER)
        return unicodedata.normalize("NFC", text) or None

    def is_latex(self, node) -> bool:
        """Whether the node (or, for a group, anything in it) is clearly LaTeX."""
        if isinstance(node, LatexMacroNode):
            return (
                node.macroname in STYLE_MACROS
                or node.macroname in SWITCHES
                or self.macro_text(node) is not None
            )
        if isinstance(node, LatexMathNode):
            return self.is_math(node)
        if isinstance(node, LatexGroupNode):
            return any(self.is_latex(n) for n in node.nodelist)
        return False

    def closed(self, node: LatexMathNode) -> bool:
        opening, closing = node.delimiters
        written = self.verbatim(node)
        return len(written) >= len(opening) + len(closing) and written.endswith(closing)

    def is_math(self, node: LatexMathNode) -> bool:
        if not self.closed(node):
            return False  # a lone "$" (or "\(") opens nothing
        if node.delimiters[0] != "$":
            return True  # \( \), \[ \], $$ $$: nothing else writes those
        inner = self.source[node.pos + 1 : node.pos + node.len - 1]
        after = self.source[node.pos + node.len : node.pos + node.len + 1]
        return (
            bool(inner.strip())
            and inner == inner.strip()
            and not after.isdigit()
            and len(inner) <= MAX_INLINE_MATH
            and not _SENTENCES.search(inner)
        )

    def text(self, nodes) -> list[Piece]:
        out: list[Piece] = []
        for node in nodes:
            if isinstance(node, LatexMacroNode):
                out.extend(self.macro(node))
            elif isinstance(node, LatexMathNode):
                out.extend(self.math_node(node))
            elif isinstance(node, LatexGroupNode):
                out.extend(self.group(node))
            else:
                out.append(Piece("", self.verbatim(node)))
        return out

    def macro(self, node: LatexMacroNode) -> list[Piece]:
        name = node.macroname
        inner = _styled(node)
        if inner is not None:
            return [Piece(STYLE_MACROS[name], children=tuple(self.text(inner)))]
        if name in SWITCHES:
            return []  # a bare switch outside a group: its effect is not shown
        text = self.macro_text(node)
        if text is None:
            return [Piece("", self.verbatim(node))]
        # TeX eats the space after a control word (\textmu P -> μP); a paper's own
        # abbreviations are defined with \xspace, which puts it back (\ie and).
        space = node.macro_post_space if name in ABBREVIATIONS else ""
        return [Piece("", text + space)]

    def group(self, node: LatexGroupNode) -> list[Piece]:
        closed = self.verbatim(node).endswith("}")
        if not self.is_latex(node):
            return [Piece("", self.verbatim(node))]
        if not closed:  # an unbalanced brace is text: keep it, read what follows
            return [Piece("", "{"), *self.text(node.nodelist)]
        nodes = node.nodelist
        first = next((k for k, n in enumerate(nodes) if not _blank(n)), None)
        if first is not None and isinstance(nodes[first], LatexMacroNode):
            style = SWITCHES.get(nodes[first].macroname)
            if style is not None:
                return [Piece(style, children=tuple(self.text(nodes[first + 1 :])))]
        return self.text(nodes)

    def math_node(self, node: LatexMathNode) -> list[Piece]:
        if not self.is_math(node):
            # Money or a stray dollar: the dollars are text, what is between them is read.
            opening, closing = node.delimiters
            end = [Piece("", closing)] if self.closed(node) else []
            return [Piece("", opening), *self.text(node.nodelist), *end]
        style = "math" if node.displaytype == "inline" else "display"
        return [Piece(style, children=tuple(_strip(self.math(node.nodelist))))]

    def math(self, nodes) -> list[Piece]:
        """Math content: symbols converted, ``_x`` and ``^{…}`` as sub- and superscripts."""
        items: list = []
        for node in nodes:
            if isinstance(node, LatexCharsNode):
                items.extend(self.verbatim(node))
            else:
                items.append(node)
        out: list[Piece] = []
        i = 0
        while i < len(items):
            item = items[i]
            if isinstance(item, str) and item in "_^" and i + 1 < len(items):
                target = items[i + 1]
                if isinstance(target, str):
                    inner = [Piece("", target)]
                elif isinstance(target, LatexGroupNode):
                    inner = self.math(target.nodelist)
                else:
                    inner = self.math([target])
                out.append(Piece("sub" if item == "_" else "sup", children=tuple(inner)))
                i += 2
                continue
            if isinstance(item, str):
                out.append(Piece("", item))
            elif isinstance(item, LatexGroupNode):
                out.extend(self.math(item.nodelist))
            elif isinstance(item, LatexMacroNode):
                inner = _styled(item)
                if inner is not None:
                    style = STYLE_MACROS[item.macroname]
                    out.append(Piece(style, children=tuple(self.math(inner))))
                else:
                    text = self.macro_text(item)
                    out.append(Piece("", self.verbatim(item) if text is None else text))
                    # TeX sets "\Delta W" as ΔW and "\mu + x" as μ + x.
                    following = items[i + 1] if i + 1 < len(items) else None
                    if item.macro_post_space and not (
                        isinstance(following, str) and following.isalnum()
                    ):
                        out.append(Piece("", " "))
            else:
                out.extend(self.text([item]))
            i += 1
        return _merge(out)


def _styled(node: LatexMacroNode) -> list | None:
    """The nodes a style macro (\\emph{…}, \\textbf{…}) applies to, or None when the
    macro is not one, or has no argument."""
    if node.macroname not in STYLE_MACROS or node.nodeargd is None:
        return None
    args = [a for a in node.nodeargd.argnlist if a is not None]
    if not args:
        return None
    return args[-1].nodelist if isinstance(args[-1], LatexGroupNode) else [args[-1]]


def _blank(node) -> bool:
    return isinstance(node, LatexCharsNode) and not node.chars.strip()


def _merge(pieces: list[Piece]) -> list[Piece]:
    """Adjacent plain pieces as one (for readable output and stable tests)."""
    out: list[Piece] = []
    for piece in pieces:
        if piece.style == "" and out and out[-1].style == "" and not out[-1].children:
            out[-1] = Piece("", out[-1].text + piece.text)
        elif piece.style == "" and not piece.text:
            continue
        else:
            out.append(piece)
    return out


def _strip(pieces: list[Piece]) -> list[Piece]:
    """Math content without the spaces just inside its delimiters."""
    if pieces and pieces[0].style == "":
        pieces[0] = Piece("", pieces[0].text.lstrip())
    if pieces and pieces[-1].style == "":
        pieces[-1] = Piece("", pieces[-1].text.rstrip())
    return [p for p in pieces if p.style or p.text]


@cache
def _read(text: str) -> tuple[tuple[Piece, ...], bool]:
    """(the text as styled pieces, whether the parser failed on it)."""
    if not _looks_latex(text):
        return (Piece("", text),), False
    if _only_escapes(text):
        return (Piece("", _ESCAPED.sub(r"\1", text)),), False
    hidden = _BARE_PERCENT.sub(_HIDDEN_PERCENT, text)
    try:
        nodes, _, _ = LatexWalker(hidden, tolerant_parsing=True).get_latex_nodes()
        out = _merge(_Reader(hidden).text(nodes))
    except Exception:
        # pylatexenc raises IndexError or KeyError (and may raise others) on a known
        # macro without its arguments: a bare \sqrt, \footnote, \textcolor, or \href
        # with one argument. Scraped text is not a document: one such text is kept as
        # written (the caller reports it), and never stops the build.
        return (Piece("", text),), True
    return tuple(_unhide(p) for p in out), False


def pieces(text: str) -> tuple[Piece, ...]:
    """The text as styled pieces; text with no backslash or dollar is one plain piece,
    and so is a text the parser cannot read (:func:`unreadable`), exactly as written."""
    return _read(text)[0]


def unreadable(text: str) -> bool:
    """Whether the LaTeX parser failed on ``text`` (it is then shown as written)."""
    return _read(text)[1]


def _unhide(piece: Piece) -> Piece:
    return Piece(
        piece.style,
        piece.text.replace(_HIDDEN_PERCENT, _PERCENT),
        tuple(_unhide(c) for c in piece.children),
    )


def _plain(items: tuple[Piece, ...] | list[Piece]) -> str:
    out = []
    for piece in items:
        inner = piece.text + _plain(piece.children)
        if piece.style == "sub":
            inner = f"_{inner}"
        elif piece.style == "sup":
            inner = f"^{inner}"
        out.append(inner)
    return "".join(out)


def plain(text: str) -> str:
    """The text as a reader reads it, in plain Unicode: ``T\\"ulu`` -> ``Tülu``,
    ``60\\%`` -> ``60%``, ``PanGu-$α$`` -> ``PanGu-α``. Text without LaTeX is returned
    unchanged; whitespace runs that LaTeX removal leaves are folded to one space."""
    if not _looks_latex(text) or unreadable(text):
        return text
    return re.sub(r"[ \t]{2,}", " ", _plain(pieces(text))).strip()


def needs_parser(text: str) -> bool:
    """Whether :func:`plain` reads ``text`` with the LaTeX parser (slow), not
    just returns it or unescapes it: what is worth remembering between builds."""
    return _looks_latex(text) and not _only_escapes(text)


def readable(paper: Paper, plain_of: Callable[[str], str] = plain) -> Paper:
    """The paper with its title and abstract as a reader reads them; what was written
    is kept beside (``title_source``, ``abstract_source``) when it differs.
    ``plain_of``: :func:`plain`, or one that remembers (the build's cache)."""
    title, abstract = paper.written_title, paper.written_abstract
    shown_title, shown_abstract = plain_of(title), plain_of(abstract)
    return replace(
        paper,
        title=shown_title,
        abstract=shown_abstract,
        title_source=None if shown_title == title else title,
        abstract_source=None if shown_abstract == abstract else abstract,
    )


TAGS = {
    "em": ("<em>", "</em>"),
    "strong": ("<strong>", "</strong>"),
    "code": ("<code>", "</code>"),
    "sc": ('<span class="pc-sc">', "</span>"),
    "math": ('<span class="pc-math">', "</span>"),
    "display": ('<span class="pc-math pc-display">', "</span>"),
    "sub": ("<sub>", "</sub>"),
    "sup": ("<sup>", "</sup>"),
}


def render(items, text_of) -> str:
    """Pieces as HTML: ``text_of`` escapes (and may link) each plain run."""
    out = []
    for piece in items:
        if piece.style in TAGS:
            start, end = TAGS[piece.style]
            out.append(start + render(piece.children, text_of) + end)
        elif piece.children:
            out.append(render(piece.children, text_of))
        else:
            out.append(text_of(piece.text))
    return "".join(out)


__all__ = ["Piece", "needs_parser", "pieces", "plain", "readable", "render", "unreadable"]
