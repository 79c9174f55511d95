"""Make untrusted text (titles, abstracts, curator input) inert in Markdown and HTML.

Real abstracts contain ``<RET>``, ``<projektor>``, LaTeX such as ``\\(W\\)``,
backticks used as quotes and bare URLs. Written into a page unescaped, the tags
vanish, the backslashes are eaten and stray ``*``/``_`` turn into emphasis. All
of that is handled here and nowhere else: the template environment runs every
``{{ value }}`` through :func:`markdown_text` unless the value is already
:class:`~markupsafe.Markup` (our own links and front matter), so a template
cannot forget to escape.

Jinja syntax in data (``{{ x }}``, ``{% if %}``) needs nothing special: data is
only ever a template *value*, never template source, and MkDocs does not run
Jinja over page Markdown.
"""

from __future__ import annotations

import html
import json
import re
from urllib.parse import urlsplit

from markupsafe import Markup

# Characters with inline meaning to Python-Markdown (with the ``tables`` and
# ``attr_list`` extensions mkdocs.yml enables). Each is in Markdown's
# ESCAPED_CHARS, so a backslash before it renders as the bare character; a
# backslash before any other character would show, so nothing else is escaped.
_INLINE = re.compile(r"([\\`*_\[\]{}|])")
# Only at the start of a line: headings, bullets, admonitions ("!!! note"),
# "1." / "1)" ordered lists.
_LINE_START = re.compile(r"^(\s*)(?:([#+!-])|(\d+)([.)]))")
_URL = re.compile(r"https?://[^\s<>\"'{}|\\^`\[\]]+")
_TRAILING = ".,;:!?'\"*"


# Schemes a curator's URL may have; anything else (javascript:, data:, vbscript:) is
# dropped where it would be written, whatever a schema let through.
URL_SCHEMES = frozenset({"http", "https"})
# Characters percent-encoded in a written URL: none is valid in one (RFC 3986), and each
# means something to Markdown's inline parser, which sees raw HTML before stashing it
# (a backtick opens code, "[...](" a link, a backslash an escape).
_URL_UNSAFE = re.compile(r"[\x00-\x20\x7f-\x9f\u2028\u2029\"'<>\\`\[\](){}]")


_WHITESPACE_RUN = re.compile(r"\s+")


def one_line(text: str) -> str:
    """Every run of whitespace (newlines, tabs, U+2028...) as one space: a value written
    into Markdown can then never start a block (a heading, an admonition, a rule). The
    ends keep their space: a separator such as " · " stays as the template wrote it."""
    return _WHITESPACE_RUN.sub(" ", text)


def safe_url(url: str) -> str | None:
    """``url`` ready for an ``href`` (before HTML escaping), or None when it may not be
    linked: a scheme other than http(s), or a relative URL that a browser would read as
    one (``java\tscript:``). Characters no URL may hold are percent-encoded."""
    cleaned = _URL_UNSAFE.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode()), url)
    if re.match(r"[a-z][a-z0-9+.-]*:", url.strip(), re.I):
        scheme = url.strip().split(":", 1)[0].lower()
        return cleaned if scheme in URL_SCHEMES and urlsplit(cleaned).netloc else None
    # No scheme: relative. A control character or space before a colon could still make
    # a browser see one, so a colon before the first "/", "?" or "#" is refused.
    head = re.split(r"[/?#]", cleaned, maxsplit=1)[0]
    return None if ":" in head else cleaned


def url_attr(url: str) -> str | None:
    """``url`` escaped for an HTML attribute, or None when it may not be linked."""
    safe = safe_url(url)
    return None if safe is None else html_text(safe)


def html_text(text: str) -> str:
    """Escape for HTML text and attribute values alike."""
    return html.escape(text, quote=True)


# Characters JSON may hold as they are that an HTML parser would read inside a <script>
# element: "</script>" ends it, "<!--" starts the script-data escape state; U+2028/9 end
# a line in older JavaScript. Escaped (\u003c) they are the same JSON, inert to HTML.
_SCRIPT_UNSAFE = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
_SCRIPT_UNSAFE_RE = re.compile("[<>&\u2028\u2029]")


def json_script(value: object) -> str:
    """``value`` as JSON to write inside a ``<script type="application/ld+json">``
    element: no curator's text can close the element or open a comment in it."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=False, separators=(",", ":"))
    return _SCRIPT_UNSAFE_RE.sub(lambda m: _SCRIPT_UNSAFE[m.group()], text)


def _escape_line_start(match: re.Match[str]) -> str:
    indent, marker, number, dot = match.groups()
    return f"{indent}\\{marker}" if marker else f"{indent}{number}\\{dot}"


def markdown_text(text: str, line_start: bool = True) -> Markup:
    """Escape for Markdown inline text: renders as exactly ``text``.

    ``<``/``>``/``&`` become entities (Python-Markdown passes entities through),
    inline syntax characters get a backslash, and a line-start list or heading
    marker is escaped too. Only what has meaning is escaped, so exported Markdown
    stays readable. ``line_start=False`` is for text that continues a line.
    """
    escaped = _INLINE.sub(r"\\\1", html.escape(text, quote=False))
    return Markup(_LINE_START.sub(_escape_line_start, escaped) if line_start else escaped)


def _split_url(candidate: str) -> tuple[str, str]:
    """Cut trailing sentence punctuation (and an unbalanced ')') off a URL."""
    url = candidate
    while url:
        unbalanced = url[-1] == ")" and url.count("(") < url.count(")")
        if url[-1] in _TRAILING or unbalanced:
            url = url[:-1]
        else:
            break
    return url, candidate[len(url) :]


def _linkable(url: str) -> bool:
    """A host with a dot: ``https://github. com/x`` (a broken paste) is left as text."""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return False
    return "." in host and not host.endswith(".")


def _html_run(text: str, line_start: bool = True) -> str:
    """Text for HTML content, as Python-Markdown renders :func:`markdown_text` of it."""
    return html.escape(text, quote=False)


def linkify(text: str, line_start: bool = True, *, for_html: bool = False) -> Markup:
    """Escape ``text`` for Markdown and turn bare http(s) URLs into links.
    ``line_start=False`` is for text that continues a line (see :func:`markdown_text`);
    ``for_html``: escaped for HTML instead, for a raw HTML block (the same HTML)."""
    escape = _html_run if for_html else markdown_text
    out: list[str] = []
    pos = 0
    for match in _URL.finditer(text):
        url, _ = _split_url(match.group())
        if not _linkable(url):
            continue
        out.append(escape(text[pos : match.start()], line_start=line_start and not out))
        # Raw inline HTML: Python-Markdown leaves the tags alone; the link text is
        # escaped like the rest (for Markdown, so '_' or '*' in a URL cannot start
        # emphasis).
        out.append(f'<a href="{html_text(url)}">{escape(url)}</a>')
        pos = match.start() + len(url)
    out.append(escape(text[pos:], line_start=line_start and not out))
    return Markup("".join(out))


__all__ = [
    "html_text",
    "json_script",
    "linkify",
    "markdown_text",
    "one_line",
    "safe_url",
    "url_attr",
]
