"""Material's front matter for a generated page, by the page's kind.

Plain data, no MkDocs: the site build and ``python -m generator export`` write the same
front matter, so an exported folder builds under MkDocs or a successor that reads
Material's keys (``hide``, ``search.exclude``, ``template``)."""

from __future__ import annotations

import json

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
    fields: dict[str, object] = {"title": html_text(page.title)}
    if page.description:
        fields["description"] = html_text(page.description)
    fields.update(page.extra)
    fields.update(MATERIAL_KEYS[page.kind])
    lines = [f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in fields.items()]
    return "---\n" + "\n".join(lines) + "\n---\n\n"
