"""The Jinja environment the pages are written with, and what it escapes.

Safety: the environment escapes every ``{{ value }}`` for Markdown and HTML
(:func:`generator.text.escaping.markdown_text`) unless the value is
:class:`~markupsafe.Markup` — our own links and numbers — so a template cannot forget
to escape a title.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from jinja2 import DictLoader, Environment, StrictUndefined
from markupsafe import Markup

from generator.ingest.listing_meta import date_text
from generator.text.escaping import html_text, linkify, markdown_text, one_line, url_attr

TEMPLATES_DIR = Path(__file__).parent / "templates"


def _finalize(value: object) -> object:
    """Every template output goes through here: untrusted text is escaped. A value is
    one line (a curator's newline would start a heading or an admonition), and a
    line-start marker is escaped wherever it stands, as a template may put the value at
    the start of a line (a description's paragraph, an admonition's body)."""
    if isinstance(value, Markup | int | float):
        return value
    return markdown_text(one_line(str(value)))


def _html(value: object) -> Markup:
    """For raw HTML: one line (a blank line could end the HTML block), escaped."""
    return Markup(html_text(one_line(str(value))))


def _url(value: object) -> Markup:
    """An ``href`` value: http(s) or relative only, escaped for the attribute. Any other
    scheme becomes an empty link target (the schemas refuse it before it gets here)."""
    return Markup(url_attr(str(value)) or "")


@dataclass(frozen=True)
class Templates:
    """A folder of page templates, read once: the rendered pages' cache key and the
    environment that renders them come from the same bytes, so a template edited while a
    build runs can never leave pages of one version stored under the other's key."""

    files: tuple[tuple[str, bytes], ...]  # (name, bytes), by name

    @classmethod
    def read(cls, folder: Path = TEMPLATES_DIR) -> Templates:
        return cls(tuple((p.name, p.read_bytes()) for p in sorted(folder.iterdir())))

    @classmethod
    def of(cls, templates: Path | Templates) -> Templates:
        return templates if isinstance(templates, Templates) else cls.read(templates)

    def key_parts(self) -> list[bytes]:
        """Each template's name and bytes: what a cache key of rendered pages must hold."""
        return [name.encode() + b"\0" + data for name, data in self.files]

    def environment(self) -> Environment:
        """The environment over these very bytes (one per distinct set of templates: a
        long-running ``mkdocs serve`` shows a template edit on the next rebuild)."""
        return _environment(self.files)


@cache
def _environment(files: tuple[tuple[str, bytes], ...]) -> Environment:
    loader = DictLoader({name: data.decode("utf-8") for name, data in files})
    env = Environment(
        loader=loader,
        finalize=_finalize,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        auto_reload=False,  # one template load per build, not a stat() per page
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,  # Markdown, not HTML: _finalize does the escaping
    )
    env.filters["linkify"] = linkify
    env.filters["html"] = _html
    env.filters["url"] = _url
    # Text whose line breaks are its own (a BibTeX entry in <pre>): escaped, not folded.
    env.filters["html_lines"] = lambda v: Markup(html_text(str(v)))
    env.filters["long_date"] = long_date
    return env


def long_date(iso: str) -> Markup:
    """2013-06-19 -> 19 June 2013 (in English, whatever the machine's locale)."""
    return Markup(date_text(iso))
