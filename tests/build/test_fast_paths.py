"""``fast_paths: false`` builds the same site the documented way.

The adapter's fast paths (converted HTML and finished pages cached, pages converted
from their pieces, paper pages themed from a shell, MkDocs skipping conversions,
raw HTML set aside) reach into MkDocs' and Material's internals, and are each meant to
change no byte of the site. With the switch off MkDocs converts and Material themes
every page as documented, and only the site's own finishing steps stay (the title's
self-link, icons in a sheet, whitespace folded, the policy: generator.finish), so the
two builds must be equal byte for byte. After a MkDocs or Material upgrade, a site that
is right with ``PAPER_CATALOGUE_FAST_PATHS=false`` and wrong without puts the blame on
a fast path.
"""

from __future__ import annotations

from conftest import DATA, ROOT, digest_tree, mkdocs_build
from mkdocs.config import load_config

OFF = {"PAPER_CATALOGUE_FAST_PATHS": "false"}


def test_mkdocs_yml_turns_the_fast_paths_off_from_the_environment(monkeypatch):
    assert load_config(str(ROOT / "mkdocs.yml")).plugins["paper-catalogue"].config.fast_paths
    monkeypatch.setenv("PAPER_CATALOGUE_FAST_PATHS", "false")
    config = load_config(str(ROOT / "mkdocs.yml"))
    assert config.plugins["paper-catalogue"].config.fast_paths is False


def test_the_site_built_without_fast_paths_is_the_same_byte_for_byte(real_site, tmp_path):
    # No cache either: every page goes through MkDocs and Material from its Markdown.
    result = mkdocs_build(DATA, tmp_path / "site", env={**OFF, "PAPER_CATALOGUE_CACHE": "off"})
    assert result.returncode == 0, result.stderr
    plain, fast = digest_tree(tmp_path / "site"), digest_tree(real_site)
    assert len(plain) > 1000
    assert plain.keys() == fast.keys()
    assert [path for path in plain if plain[path] != fast[path]] == []
