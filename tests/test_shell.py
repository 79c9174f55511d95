"""Paper pages themed by filling one shell per build are the pages Material renders.

The shell is Material's page rendered once with placeholders; every paper page fills
in its own values. These builds compare every file of a site built with shells to one
built with Material rendering each page, on the real catalogue, the hostile dumps (titles
full of HTML, quotes and Jinja), and with a site URL (each page names its canonical URL).
"""

from __future__ import annotations

import pytest
from conftest import DATA, ROOT, digest_tree, make_data_dir
from mkdocs.commands.build import build
from mkdocs.config import load_config

from generator import mkdocs_plugin


def build_site(data, site, monkeypatch, *, shells: bool, site_url: str | None = None) -> int:
    """Build in this process; returns how many pages were filled from a shell."""
    monkeypatch.setenv("PAPER_CATALOGUE_DATA", str(data))
    monkeypatch.setenv("PAPER_CATALOGUE_CACHE", "off")
    filled = []
    fill = mkdocs_plugin.Shell.fill
    with monkeypatch.context() as patch:
        patch.setattr(mkdocs_plugin.Shell, "fill", lambda s, p: filled.append(1) or fill(s, p))
        if not shells:
            patch.setattr(mkdocs_plugin, "SHELL_KINDS", set())
        config = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(site), site_url=site_url)
        config.plugins.on_startup(command="build", dirty=False)
        build(config)
    return len(filled)


@pytest.mark.parametrize(
    ("dumps", "site_url"),
    [
        (None, None),  # the real catalogue
        (("hostile.txt", "trending.txt", "daily.txt"), "https://example.org/catalogue/"),
    ],
    ids=["real", "hostile-with-site-url"],
)
def test_pages_filled_from_a_shell_equal_pages_the_theme_renders(
    tmp_path, monkeypatch, dumps, site_url
):
    data = DATA if dumps is None else make_data_dir(tmp_path, *dumps)
    filled = build_site(data, tmp_path / "shell", monkeypatch, shells=True, site_url=site_url)
    assert build_site(data, tmp_path / "full", monkeypatch, shells=False, site_url=site_url) == 0
    papers = len(list((tmp_path / "full" / "papers").iterdir()))
    assert filled >= papers - 4  # the shell was used: all but the first page of each shape
    assert digest_tree(tmp_path / "shell") == digest_tree(tmp_path / "full")
