"""The MkDocs glue, and the only module that imports MkDocs.

It asks the core for the catalogue, hands the rendered pages to MkDocs as
in-memory files (never written into ``docs/``: ``mkdocs serve`` would see its
own output and rebuild forever), keeps the 720 paper pages out of the
navigation (with them in, every page embeds the whole nav: a 10x slower build
and a 13x bigger site, measured) and turns data problems into log warnings, so
``mkdocs build --strict`` fails on bad data and ``mkdocs serve`` shows the rest.
"""

from __future__ import annotations

import logging
from pathlib import Path

import mkdocs.contrib.search
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel

from generator.pipeline import build_catalogue
from generator.render import Repository, render_site

MAX_SHOWN = 30
LUNR_JS = "assets/vendor/lunr.js"
log = logging.getLogger(f"mkdocs.plugins.{__name__}")


def _mkdocs_lunr() -> Path:
    return Path(mkdocs.contrib.search.__file__).parent / "templates" / "search" / "lunr.js"


def _repository(config: MkDocsConfig) -> Repository | None:
    """The GitHub repository for "suggest an edit" links, from repo_url and edit_uri."""
    if not config.repo_url or "github.com" not in config.repo_url:
        return None
    parts = (config.edit_uri or "").strip("/").split("/")
    branch = parts[1] if len(parts) > 1 and parts[0] in ("edit", "blob") else "main"
    return Repository(config.repo_url.rstrip("/"), branch)


class CatalogueConfig(Config):
    data_dir = c.Type(str, default="data")


class CataloguePlugin(BasePlugin[CatalogueConfig]):
    """``plugins: [paper-catalogue]`` in mkdocs.yml."""

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        data_dir = Path(config.config_file_path or ".").parent / self.config.data_dir
        catalogue = build_catalogue(data_dir)
        for problem in catalogue.problems:
            (log.warning if problem.is_error else log.info)(str(problem))
        if catalogue.errors and config.strict:
            # Not left to the warning count: `mkdocs build -q` hides warnings from it.
            shown = "\n".join(f"  {p}" for p in catalogue.errors[:MAX_SHOWN])
            more = len(catalogue.errors) - MAX_SHOWN
            raise Abort(
                f"{len(catalogue.errors)} error(s) in the catalogue data:\n{shown}\n"
                + (f"  ... and {more} more\n" if more > 0 else "")
                + "Fix them (`python -m generator check` lists them all), then build again."
            )

        site = render_site(catalogue, config.use_directory_urls, _repository(config))
        for path, content in site.pages.items():
            if files.get_file_from_path(path) is not None:
                log.warning(f"docs/{path} hides the generated page of the same name: rename it")
                continue
            inclusion = (
                InclusionLevel.UNDEFINED if site.in_navigation(path) else InclusionLevel.NOT_IN_NAV
            )
            files.append(File.generated(config, path, content=content, inclusion=inclusion))
        for path, content in site.data.items():
            files.append(File.generated(config, path, content=content))
        # The search worker loads lunr.js 2.3.9 from the site itself (no CDN): the copy
        # MkDocs ships for its own search, the version lunr.py's indexes are made for.
        files.append(File.generated(config, LUNR_JS, abs_src_path=str(_mkdocs_lunr())))
        log.info(
            f"paper catalogue: {len(catalogue.papers)} papers, "
            f"{len(catalogue.listings)} listings, {len(site.pages)} generated pages"
        )
        return files
