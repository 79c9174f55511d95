"""Every cache key comes from :mod:`generator.infra.keys`, and each key changes with
each input it declares (and with nothing else)."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

from generator.infra import keys
from generator.infra.keys import SiteSettings

PACKAGE = Path(keys.__file__).resolve().parent.parent

# Each key function: arguments, and for each parameter another value.
SETTINGS = SiteSettings(*(f"value of {name}" for name in SiteSettings.names()))
CASES = {
    keys.catalogue: ({"data_files": [b"file\0data/a.txt", b"a"]}, {"data_files": [b"x"]}),
    keys.parse: (
        {"name": "a.txt", "shown": "data/listings/a.txt", "raw": b"Title\n"},
        {"name": "b.txt", "shown": "data/listings/b.txt", "raw": b"Title 2\n"},
    ),
    keys.tags: ({"taxonomy": b"tags: []"}, {"taxonomy": b"tags: [x]"}),
    keys.paper_text: ({"title": "T", "abstract": "A"}, {"title": "U", "abstract": "B"}),
    keys.link_side: (
        {"title": "T", "abstract": "A", "tags": ("a",), "narrow": ("a",)},
        {"title": "U", "abstract": "B", "tags": ("b",), "narrow": ()},
    ),
    keys.plain_text: ({"text": "$x$"}, {"text": "$y$"}),
    keys.index_text: ({"text": "GPT-4 models"}, {"text": "GPT-5 models"}),
    keys.profile_terms: ({"title": "T", "abstract": "A"}, {"title": "U", "abstract": "B"}),
    keys.index_analysis: ({"text": "gpt4 models"}, {"text": "gpt5 models"}),
    keys.found_file: (
        {"shown": "data/arxiv/a.yaml", "raw": b"arxiv: '1'"},
        {"shown": "data/arxiv/b.yaml", "raw": b"arxiv: '2'"},
    ),
    keys.related_model: ({"basis": [("T", "A")]}, {"basis": [("T", "A"), ("U", "B")]}),
    keys.related_row: (
        {"indices": b"\1", "weights": b"\2", "latent": None},
        {"indices": b"\3", "weights": b"\4", "latent": b""},
    ),
    keys.pages: (
        {"source": "s", "use_directory_urls": True, "repo": None, "templates": [b"t"]},
        {"source": "z", "use_directory_urls": False, "repo": "r", "templates": [b"u"]},
    ),
    keys.paper_pages: (
        {"templates": [b"t"], "paper_url": "papers/x/", "html_links": "output", "repo": None},
        {"templates": [b"u"], "paper_url": "papers/x.html", "html_links": "source", "repo": 1},
    ),
    keys.paper_page: ({"context": {"paper": 1}}, {"context": {"paper": 2}}),
    keys.chart: ({"plot": ("bars", 1)}, {"plot": ("bars", 2)}),
    keys.atlas: (
        {"model": "m", "papers": [("a", "T", "A", "../papers/a/", "0")], "groups": ["G"]},
        {"model": "n", "papers": [("b", "U", "B", "../papers/b/", "1")], "groups": ["H"]},
    ),
    keys.atlas_layout: (
        {"model": "m", "papers": [("a", "T", "A")]},
        {"model": "n", "papers": [("a", "T", "B")]},
    ),
    keys.export_settings: (
        {
            "use_directory_urls": True,
            "site_url": None,
            "build_date": "2026-01-01",
            "shard_papers": 5,
        },
        {
            "use_directory_urls": False,
            "site_url": "https://x/",
            "build_date": "2026-01-02",
            "shard_papers": 6,
        },
    ),
    keys.exports: ({"source": "s", "settings": "t"}, {"source": "z", "settings": "u"}),
    keys.search_index: (
        {"documents": [1], "meta": {}, "snippets": []},
        {"documents": [2], "meta": {"a": 1}, "snippets": ["s"]},
    ),
    keys.english_terms: (
        {"wordfreq_version": "3.1.1", "lunr_version": "0.8.0", "thresholds": (2.0, 3.0)},
        {"wordfreq_version": "3.1.2", "lunr_version": "0.8.1", "thresholds": (2.0, 3.5)},
    ),
    keys.page_source: ({"path": "a.md", "content": "x"}, {"path": "b.md", "content": "y"}),
    keys.page_html: (
        {"use_directory_urls": True, "repo": None, "markdown_extensions": [], "mdx_configs": {}},
        {
            "use_directory_urls": False,
            "repo": 1,
            "markdown_extensions": ["toc"],
            "mdx_configs": {"a": 1},
        },
    ),
    keys.site_pages: ({"site_folder": "/srv/site"}, {"site_folder": "/srv/other-site"}),
    keys.theme_bytecode: (
        {"jinja_version": "3.1.6", "environment": ["trim_blocks=False"]},
        {"jinja_version": "3.1.7", "environment": ["trim_blocks=True"]},
    ),
    keys.site: (
        {
            "mkdocs_version": "1.6.1",
            "material_version": "9.8.0",
            "theme": {"name": "material"},
            "plugins": ["search"],
            "nav": [("Page", "Home", "/", [])],
            "settings": SETTINGS,
            "overrides": [b"main.html"],
            "page_html_key": "h",
        },
        {
            "mkdocs_version": "1.6.2",
            "material_version": "9.8.1",
            "theme": {"name": "material", "palette": "slate"},
            "plugins": ["search", "tags"],
            "nav": [("Page", "Start", "/", [])],
            "settings": SiteSettings(*(f"other {n}" for n in SiteSettings.names())),
            "overrides": [b"main.html", b"partials/footer.html"],
            "page_html_key": "g",
        },
    ),
}


def _functions() -> list:
    """Every key function the module defines."""
    return [
        f
        for name, f in vars(keys).items()
        if inspect.isfunction(f) and f.__module__ == keys.__name__ and not name.startswith("_")
    ]


def test_every_key_function_is_tested():
    assert set(_functions()) == set(CASES)


@pytest.mark.parametrize("function", list(CASES), ids=lambda f: f.__name__)
def test_a_key_changes_with_each_input_it_declares_and_only_with_those(function):
    base, other = CASES[function]
    assert set(base) == set(inspect.signature(function).parameters) == set(other)
    key = function(**base)
    assert function(**dict(base)) == key  # equal inputs, equal key
    for name in base:
        assert function(**{**base, name: other[name]}) != key, f"{name} left the key alone"


def test_a_site_setting_changes_the_site_key():
    base = CASES[keys.site][0]
    key = keys.site(**base)
    for name in SiteSettings.names():
        changed = SiteSettings(**{**vars(SETTINGS), name: "changed"})
        assert keys.site(**{**base, "settings": changed}) != key, name


def test_parts_do_not_run_into_each_other():
    """Length-prefixed parts: moving text across a boundary changes the key."""
    assert keys.paper_text("ab", "c") != keys.paper_text("a", "bc")
    assert keys.related_model([("a", "b\nc")]) != keys.related_model([("a\nb", "c")])


def test_the_mkdocs_keys_follow_the_settings_they_declare(tmp_path):
    """The site build's keys: a setting the theme reads changes the site key, one it
    does not (the dev server's address) leaves every key alone."""
    from mkdocs.config.defaults import MkDocsConfig

    from generator.mkdocs_site.structure import site_key

    def config(**changes):
        c = MkDocsConfig()
        c.load_dict({"site_name": "Catalogue", "docs_dir": str(tmp_path), **changes})
        c.validate()
        return c

    class Nav:
        items = ()

    base = site_key(config(), Nav(), "h")
    assert site_key(config(), Nav(), "h") == base
    assert site_key(config(dev_addr="127.0.0.1:9000"), Nav(), "h") == base
    assert site_key(config(site_name="Another"), Nav(), "h") != base
    assert site_key(config(copyright="me"), Nav(), "h") != base
    assert site_key(config(), Nav(), "g") != base


# Modules that hash for something other than a build cache key, and why.
NOT_KEYS = {
    "infra/cache.py": "defines digest; names each entry's file by its key and the code version",
    "infra/keys.py": "the cache keys",
    "finish/html_steps.py": "an icon's id in the sprite sheet (a name in the HTML)",
    "finish/csp.py": "inline scripts' SHA-256 in the Content-Security-Policy",
    "ingest/dedup.py": "the disambiguator in a clashing paper's id (part of its URL)",
    "infra/http.py": "its HTTP responses' file names (enrich's and fetch's own store)",
    "export/site_data.py": "each catalogue shard's SHA-256 in catalogue.json's index",
    "curate/profiles.py": "each profile term's BLAKE2b: its column's identity, not a key",
}
HASHING = {"hashlib", "hmac"}


def _hashing(tree: ast.AST) -> list[int]:
    """Lines that import a hash module or generator.infra.cache's digest, or call digest."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            lines += [node.lineno for a in node.names if a.name in HASHING]
        elif isinstance(node, ast.ImportFrom):
            if node.module in HASHING or (
                node.module == "generator.infra.cache"
                and any(a.name == "digest" for a in node.names)
            ):
                lines.append(node.lineno)
        elif isinstance(node, ast.Call):
            f = node.func
            if (isinstance(f, ast.Name) and f.id == "digest") or (
                isinstance(f, ast.Attribute) and f.attr == "digest" and node.args
            ):
                lines.append(node.lineno)
    return lines


def test_no_module_but_keys_derives_a_cache_key():
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        name = path.relative_to(PACKAGE).as_posix()
        lines = _hashing(ast.parse(path.read_text(), filename=str(path)))
        if lines and name not in NOT_KEYS:
            found[name] = lines
    assert not found, f"derive these keys in generator/infra/keys.py: {found}"


def test_the_whitelist_is_still_needed():
    for name in NOT_KEYS:
        assert _hashing(ast.parse((PACKAGE / name).read_text())), name


def test_the_check_finds_a_key_made_by_hand():
    source = "from generator.infra.cache import Cache, digest\nkey = digest('a', b'b')\n"
    assert _hashing(ast.parse(source)) == [1, 2]
    assert _hashing(ast.parse("import hashlib\n")) == [1]
    assert _hashing(ast.parse("from generator.infra import cache\ncache.digest('a')\n")) == [2]
