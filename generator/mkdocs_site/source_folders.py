"""The folders a build publishes from, and the symbolic links in them, refused.

MkDocs copies every file of ``docs/`` into the site, following links (to files and
folders alike), and Material copies every non-template file of the theme's
``custom_dir`` (``overrides/``) too. A link in a pull request, to ``/proc/self/environ``
or to anything outside the repository, would publish what it points at, which no
reviewer ever saw: so a link anywhere in these folders (or in the page templates) is an
error, as it is in ``data/`` (:func:`generator.text.files.link_problem`).

The build checks the folders MkDocs resolved (the plugin's ``on_config``); ``python -m
generator check`` reads the same settings from ``mkdocs.yml`` without importing MkDocs,
so CI names the link before anything is built. Neither follows a link to find out.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import yaml

from generator.model import Problem
from generator.text.files import links_under

PLUGIN = "paper-catalogue"
WHAT = "the site's files"  # "... must be regular files in the repository"


@dataclass(frozen=True)
class SourceFolders:
    """Where the site's own files come from; paths are shown relative to ``root``."""

    root: Path  # the folder of mkdocs.yml
    docs: Path
    overrides: Path | None = None
    templates: Path | None = None

    def link_problems(self) -> list[Problem]:
        """One problem per symbolic link in these folders, in path order."""
        folders = (self.docs, self.overrides, self.templates)
        root = self.root.absolute()
        return [p for f in folders if f is not None for p in links_under(f.absolute(), root, WHAT)]


class _ConfigLoader(yaml.SafeLoader):
    """mkdocs.yml as MkDocs reads it, for the few keys wanted here: ``!ENV`` resolved,
    any other tag (``!!python/name:``, ``!relative``) read as nothing."""


def _env(loader: yaml.SafeLoader, node: yaml.Node) -> object:
    # MkDocs' yaml_env_tag: `!ENV NAME`, or `!ENV [NAME, OTHER, default]` (first set wins).
    if isinstance(node, yaml.ScalarNode):
        names, default = [loader.construct_scalar(node)], None
    else:
        items = loader.construct_sequence(node)
        names, default = (items[:-1], items[-1]) if len(items) > 1 else (items, None)
    for name in names:
        if name in os.environ:
            return yaml.safe_load(os.environ[name]) if os.environ[name] else None
    return default


_ConfigLoader.add_constructor("!ENV", _env)
_ConfigLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def _plugin_options(plugins: object) -> dict:
    for item in plugins if isinstance(plugins, list) else []:
        if isinstance(item, dict) and PLUGIN in item:
            return item[PLUGIN] or {}
    return {}


def from_config_file(config_file: Path) -> SourceFolders:
    """The folders ``config_file`` (a mkdocs.yml) builds from, as MkDocs resolves them:
    relative to the file's own folder."""
    config = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_ConfigLoader) or {}
    root = config_file.parent
    theme = config.get("theme") if isinstance(config.get("theme"), dict) else {}
    options = _plugin_options(config.get("plugins"))

    def folder(value: object) -> Path | None:
        return root / str(value) if value else None

    return SourceFolders(
        root=root,
        docs=folder(config.get("docs_dir") or "docs"),
        overrides=folder(theme.get("custom_dir")),
        templates=folder(options.get("templates_dir")),
    )


def from_mkdocs_config(config, templates_dir: str | None) -> SourceFolders:
    """The folders a loaded MkDocs config builds from (what the build itself checks)."""
    base = Path(config.config_file_path or ".").parent
    custom = config.theme.custom_dir
    return SourceFolders(
        base,
        Path(config.docs_dir),
        custom and Path(custom),
        base / templates_dir if templates_dir else None,
    )
