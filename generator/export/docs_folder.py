"""A complete docs folder for MkDocs' successor: ``python -m generator export DIR``.

Material for MkDocs reaches its end of life on 2027-05-05; Zensical, its successor,
reads ``mkdocs.yml`` but runs no MkDocs plugin, so it never sees the pages our plugin
hands MkDocs in memory. This writes everything the plugin would give it, as files::

    DIR/mkdocs.yml   the project's config without the plugin, docs_dir: docs
    DIR/docs/        generated pages with front matter, the hand-written pages and
                     assets of docs/, the data files, lunr.js
    DIR/overrides/   the theme overrides, less those the successor's theme breaks on

so that ``zensical build -f DIR/mkdocs.yml`` builds the catalogue (Zensical wants
``docs_dir`` and ``site_dir`` inside the folder of its config: hence one folder).

Links: Zensical rewrites every relative ``href``/``src`` of a page, raw HTML too, as if
relative to the page's .md file, so the pages are rendered with
:data:`generator.render.pages.SOURCE` links; ``data-*`` addresses stay relative to the
page's URL, which both generators leave alone.

No MkDocs import: the one file taken from MkDocs (lunr.js) is found on disk.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import yaml

from generator.export.site_data import export_files, write_files
from generator.mkdocs_site.front_matter import front_matter
from generator.model import Catalogue
from generator.render.edit_links import Repository
from generator.render.pages import render_pages
from generator.render.paths import SOURCE, directory_url
from generator.render.templating import TEMPLATES_DIR

CONFIG_FILE = "mkdocs.yml"
DOCS_DIR = "docs"
OVERRIDES_DIR = "overrides"
SITE_DIR = "site"
# Where the search worker loads lunr.js from; the MkDocs plugin puts it in the same place.
LUNR_JS = "assets/vendor/lunr.js"
# The first line of every config written here: a folder that starts so is ours to clear.
MARKER = "# Written by `python -m generator export`: a docs folder for MkDocs' successor."
# Theme overrides left out, and why.
LEFT_OUT = {
    # A copy of Material 9.8's search partial: Zensical's header has other markup, and
    # with this copy its search box no longer opens.
    "partials/search.html",
    # The plugin's one-line template for pages it finished in an earlier build.
    "pc-cached.html",
}
# Config keys for MkDocs only: its plugins (the successor ignores them, and ours is what
# this folder replaces) and the folders `mkdocs serve` watches.
MKDOCS_ONLY = ("plugins", "hooks", "watch")


class _EnvLoader(yaml.SafeLoader):
    """mkdocs.yml's loader: ``!ENV [NAME, default]`` is the variable's value or the
    default, as MkDocs reads it (the written config holds plain values)."""


def _env(loader: yaml.SafeLoader, node: yaml.Node) -> object:
    if isinstance(node, yaml.ScalarNode):
        names, default = [loader.construct_scalar(node)], None
    else:
        *names, default = loader.construct_sequence(node)
    for name in names:
        if name in os.environ:
            return os.environ[name]
    return default


_EnvLoader.add_constructor("!ENV", _env)


def read_config(path: Path) -> dict:
    """``mkdocs.yml`` as a dict, ``!ENV`` tags resolved."""
    with path.open(encoding="utf-8") as file:
        return yaml.load(file, Loader=_EnvLoader)  # a SafeLoader: no arbitrary objects


def successor_config(config: dict, site_url: str | None) -> dict:
    """The project's config for the successor: the same theme, nav, Markdown and
    assets, without MkDocs' plugins, reading the exported folder."""
    out = {k: v for k, v in config.items() if k not in MKDOCS_ONLY}
    out.update(docs_dir=DOCS_DIR, site_dir=SITE_DIR, site_url=site_url)
    theme = dict(out.get("theme") or {})
    if theme.get("custom_dir"):
        theme["custom_dir"] = OVERRIDES_DIR
    # Zensical's own look is new; "classic" is Material's, which the overrides extend.
    theme["variant"] = "classic"
    out["theme"] = theme
    return {k: v for k, v in out.items() if v is not None}


def plugin_settings(config: dict) -> dict:
    """The ``paper-catalogue`` plugin's settings in ``config`` (templates_dir, ...)."""
    for entry in config.get("plugins") or []:
        if isinstance(entry, dict) and "paper-catalogue" in entry:
            return entry["paper-catalogue"] or {}
    return {}


def lunr_js() -> Path:
    """The lunr.js MkDocs ships (2.3.9, the version lunr.py's indexes are made for),
    found without importing MkDocs."""
    spec = importlib.util.find_spec("mkdocs")
    assert spec is not None and spec.submodule_search_locations, "MkDocs is not installed"
    folder = Path(next(iter(spec.submodule_search_locations)))
    return folder / "contrib" / "search" / "templates" / "search" / "lunr.js"


def build_date() -> str:
    """The date feeds are stamped with: SOURCE_DATE_EPOCH's, as MkDocs does, else today."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), UTC) if epoch else datetime.now(UTC)
    return moment.strftime("%Y-%m-%d")


@dataclass(frozen=True)
class Exported:
    """What :func:`export_docs` wrote, to report."""

    pages: int  # generated pages
    data: int  # data files (catalogue.json, the search tiers, feeds, BibTeX)
    copied: int  # hand-written pages, assets and theme overrides


def _clear(out: Path) -> None:
    """An earlier export in ``out`` goes, so no stale page survives; anything else
    in the way is refused, never deleted."""
    config = out / CONFIG_FILE
    if config.is_file() and config.read_text("utf-8").startswith(MARKER):
        for name in (DOCS_DIR, OVERRIDES_DIR, SITE_DIR):
            shutil.rmtree(out / name, ignore_errors=True)
    elif out.exists() and any(out.iterdir()):
        raise FileExistsError(f"{out} is not empty and not an earlier export: pick another")


def _copy_tree(source: Path, target: Path, leave_out: set[str] = frozenset()) -> int:
    """Copy the files under ``source`` (sorted, so the count and order are stable)."""
    count = 0
    for file in sorted(p for p in source.rglob("*") if p.is_file()):
        relative = file.relative_to(source).as_posix()
        if relative in leave_out or "__pycache__" in relative:
            continue
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(file, target / relative)
        count += 1
    return count


def export_docs(
    catalogue: Catalogue, out: Path, config_path: Path, site_url: str | None = None
) -> Exported:
    """Write the folder (module docstring) for ``catalogue`` into ``out``, from the
    project whose config is ``config_path``. ``site_url``: the site's address (default:
    the config's), which feeds and Zensical's canonical links use."""
    config = read_config(config_path)
    project = config_path.parent
    site_url = site_url if site_url is not None else config.get("site_url")
    _clear(out)
    docs = out / DOCS_DIR
    copied = _copy_tree(project / config.get("docs_dir", "docs"), docs)
    custom_dir = (config.get("theme") or {}).get("custom_dir")
    if custom_dir:
        copied += _copy_tree(project / custom_dir, out / OVERRIDES_DIR, LEFT_OUT)
    repo = Repository.from_settings(config.get("repo_url"), config.get("edit_uri"), project)
    templates = plugin_settings(config).get("templates_dir")
    templates = project / templates if templates else TEMPLATES_DIR
    pages = render_pages(catalogue, directory_url, repo, templates, html_links=SOURCE)
    for path in pages:
        if (docs / path).exists():
            raise FileExistsError(f"docs/{path} hides the generated page of the same name")
    write_files(docs, {path: front_matter(page) + page.body for path, page in pages.items()})
    data = export_files(catalogue, directory_url, site_url=site_url, build_date=build_date())
    write_files(docs, data)
    write_files(docs, {LUNR_JS: lunr_js().read_bytes()})
    written = yaml.safe_dump(
        successor_config(config, site_url), sort_keys=False, allow_unicode=True, width=100
    )
    (out / CONFIG_FILE).write_text(f"{MARKER}\n{written}", encoding="utf-8")
    return Exported(len(pages), len(data), copied)
