"""Material's front matter for a generated page, by the page's kind.

Plain data, no MkDocs: the site build and ``python -m generator export`` write the same
front matter, so an exported folder builds under MkDocs or a successor that reads
Material's keys (``hide``, ``search.exclude``, ``template``)."""

from __future__ import annotations

import json
import re

from generator.render.pages import Page
from generator.text.escaping import html_text

# Material front matter by page kind. Pages made of paper titles stay out of
# Material's site search: papers have their own index, and these would only echo it.
_OUT_OF_SEARCH = {"search": {"exclude": True}}
_BARE = {"hide": ["navigation", "toc"]}  # no site nav and no toc rendered into each page
MATERIAL_KEYS: dict[str, dict] = {
    "home": {},
    "index": {},
    "a-z": _OUT_OF_SEARCH,
    "a-z-part": _OUT_OF_SEARCH,
    "find": {**_BARE, **_OUT_OF_SEARCH},
    "map": {"hide": ["toc"], **_OUT_OF_SEARCH},  # the map takes the toc's width
    "tag": _OUT_OF_SEARCH,
    "listing": _OUT_OF_SEARCH,
    "paper": {**_BARE, **_OUT_OF_SEARCH},
    "hidden": {**_BARE, **_OUT_OF_SEARCH},
    "redirect": {"template": "redirect.html", **_OUT_OF_SEARCH},
}
IN_NAVIGATION = {"home", "index", "a-z", "find", "map"}
# Kinds whose converted HTML (and toc) is cached: pages no other page links into with
# an anchor, so MkDocs' anchor check loses nothing when it skips their conversion.
HTML_CACHED = {"paper", "hidden", "redirect", "tag", "listing", "a-z", "a-z-part"}
# Kinds whose toc is cut to the title entry: short pages where the toc is hidden.
TITLE_TOC = {"paper", "hidden", "redirect"}


def front_matter(page: Page) -> str:
    """YAML front matter, safe whatever the text.

    Each value is written as JSON, which is valid YAML (a double-quoted scalar or a
    flow sequence): quotes, colons, ``---`` and newlines in a title cannot break out.
    It is also much faster than yaml.safe_dump, which matters as every page has some.
    """
    return front_matter_of(front_fields(page))


def front_fields(page: Page) -> dict[str, object]:
    """What the page's front matter says, as a dict (:func:`front_matter` writes it)."""
    fields: dict[str, object] = {"title": html_text(page.title)}
    if page.description:
        fields["description"] = html_text(page.description)
    fields.update(page.extra)
    fields.update(MATERIAL_KEYS[page.kind])
    return fields


def front_matter_of(fields: dict[str, object]) -> str:
    """:func:`front_matter` of :func:`front_fields`."""
    lines = [f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in fields.items()]
    return "---\n" + "\n".join(lines) + "\n---\n\n"


# Characters a YAML double-quoted scalar reads back as JSON wrote them: YAML's printable
# ones, less its line breaks other than the two JSON escapes (NEL, LS, PS are folded
# into spaces) and the byte order mark. JSON escapes the C0 controls itself.
_READ_AS_WRITTEN = re.compile(
    "[\t\n\r\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]*"
)


def as_read(fields: dict[str, object]) -> dict[str, object] | None:
    """The dict MkDocs reads from :func:`front_matter_of` ``fields`` (its YAML parse),
    made without parsing: a copy, when every key and value is of the kinds JSON and
    YAML write and read alike (text of the characters above, true and false, lists and
    dicts of them; a key written bare that YAML reads as a word, not a boolean or
    null); None otherwise, and the text is parsed. Parsing every page's front matter
    was a share of a big build that grew with the catalogue, not with the change."""
    if not all(_bare_key(key) for key in fields):
        return None
    try:
        return {key: _copy(value) for key, value in fields.items()}
    except _NotPlain:
        return None


# Words PyYAML's resolver reads as a boolean or null, written bare as a key.
_YAML_WORDS = {"yes", "no", "true", "false", "on", "off", "null"}


def _bare_key(key: object) -> bool:
    return (
        isinstance(key, str)
        and re.fullmatch("[a-z_]+", key) is not None
        and (key not in _YAML_WORDS)
    )


class _NotPlain(Exception):
    """A value YAML may not read back as JSON wrote it."""


def _copy(value: object) -> object:
    """A fresh copy (each page's meta is its own, as a parse makes it), or _NotPlain."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        if _READ_AS_WRITTEN.fullmatch(value) is None:
            raise _NotPlain
        return value
    if isinstance(value, list):
        return [_copy(v) for v in value]
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        return {_copy(k): _copy(v) for k, v in value.items()}
    raise _NotPlain
