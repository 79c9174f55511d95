"""Relative URLs between pages, computed without the OS (generator/render/paths.py)."""

from __future__ import annotations

import posixpath

import pytest
from conftest import ROOT

from generator.mkdocs_site.structure import MkDocsUrl
from generator.render.paths import _folder, relative_path


@pytest.mark.parametrize("directory_urls", [True, False])
def test_relative_path_is_relpath_for_every_pair_of_the_sites_urls(directory_urls):
    url = MkDocsUrl(directory_urls)
    docs = sorted(str(p.relative_to(ROOT / "docs")) for p in (ROOT / "docs").rglob("*.md"))
    paths = [
        *docs,
        "index.md",
        "a-z.md",
        "papers/olmo-2-furious.md",
        "papers/x/deeper.md",
        "tags/index.md",
        "tags/mixture-of-experts.md",
        "listings/2025-01-03-daily.md",
        "papers",
        "assets/icons.svg",
    ]
    places = {"."} | {_folder(url(p)) for p in paths} | {posixpath.dirname(p) or "." for p in paths}
    targets = {(url(p).rstrip("/") or ".") for p in paths} | set(paths) | places
    assert len(places) > 5 and len(targets) > 15
    for start in places:
        for target in targets:
            assert relative_path(target, start) == posixpath.relpath(target, start), (target, start)
