"""Every cache key, derived in one place from the inputs its result declares.

A cached result is correct only if its key changes whenever something it was computed
from does. So each cached result has one function here whose parameters are exactly
what it is computed from (a file's bytes, the templates' bytes, the settings it reads),
as Sphinx's environment records a page's dependencies with ``note_dependency``; a
stage asks this module for its key rather than assembling one, and a test changes
each parameter of each function and sees the key change. The generator's own code is
not a parameter: :meth:`generator.infra.cache.Cache.get` folds
:func:`~generator.infra.cache.code_version` into every entry's name.

A key here is a hex digest (:func:`~generator.infra.cache.digest`: parts are
length-prefixed, so no two lists of parts collide). Nothing else in the package calls
``digest`` for a key (``tests/unit/test_keys.py`` checks the sources).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields

from generator.infra.cache import digest

# --- the core (generator.pipeline): data files in, catalogue out -----------------------


def catalogue(data_files: Iterable[bytes]) -> str:
    """The whole catalogue: every data file's name, kind and bytes
    (:meth:`generator.text.files.Snapshot.key`)."""
    return digest(*data_files)


def parse(name: str, shown: str, raw: bytes) -> str:
    """One dump's parse: its file name (the listing's identity), its path as problems
    name it, and its bytes."""
    return digest(name, shown, raw)


def tags(taxonomy: bytes) -> str:
    """The tags of every paper (one entry, by :func:`paper_text`): the taxonomy's bytes."""
    return digest(taxonomy)


def paper_text(title: str, abstract: str) -> str:
    """One paper's entry in a per-paper table (its tags, its related-rows, the reason
    two papers are related, what the link index found its links from): its title and
    abstract."""
    return digest(title, abstract)


def profile_terms(title: str, abstract: str) -> str:
    """One paper's terms as the tag profiles count them (generator/curate/profiles.py,
    ``paper_terms``): its title and abstract."""
    return digest(title, abstract)


def link_side(title: str, abstract: str, tags: tuple[str, ...], narrow: tuple[str, ...]) -> str:
    """One paper's side of a related link's judgement (its evidence and reason): its
    text, its tags, and which of them are narrow in this catalogue."""
    return digest(title, abstract, *tags, "|", *narrow)


def found_file(shown: str, raw: bytes) -> str:
    """One machine-found metadata file's data and problems: its path as problems name it,
    and its bytes."""
    return digest(shown, raw)


def plain_text(text: str) -> str:
    """One text's plain reading (LaTeX read): the text."""
    return digest(text)


def index_text(text: str) -> str:
    """One text as the search index folds it (generator/export/search.py): the text."""
    return digest(text)


def index_analysis(text: str) -> str:
    """One folded text as the search index reads it into terms, places and inflections
    (generator/export/search.py, ``TextAnalysis``): the text."""
    return digest(text)


def related_model(basis: Iterable[tuple[str, str]]) -> str:
    """The related papers' model (vocabulary, IDF, LSA basis): its basis texts, in order.
    Also the key of the related-rows and related-state entries made under the model.
    (Title and abstract are parts of their own: joined by a newline, as they once were,
    a title's newline made two different bases one key.)"""
    return digest(*(part for title, abstract in basis for part in (title, abstract)))


def related_row(indices: bytes, weights: bytes, latent: bytes | None) -> bytes:
    """What one paper's row of the related model is, exactly (its columns, its
    weights, its LSA coordinates): equal keys, equal scores against every other row.
    The related-state entry keeps each paper's lists under it."""
    return digest(indices, weights, *([] if latent is None else [latent])).encode()


# --- the pages (generator.render) ------------------------------------------------------


def pages(source: str, use_directory_urls: bool, repo: object, templates: Sequence[bytes]) -> str:
    """Every generated page's Markdown: the catalogue (its :func:`catalogue` key), the
    URL rule, the repository edit links point to, and the templates' bytes."""
    return digest(source, str(use_directory_urls), repr(repo), *templates)


def paper_pages(templates: Sequence[bytes], paper_url: str, html_links: str, repo: object) -> str:
    """The paper pages' table (each page by :func:`paper_page`): the templates' bytes,
    the URL rule (as it spells one paper page's URL), the way raw HTML links, and the
    repository edit links point to."""
    return digest(*templates, paper_url, html_links, repr(repo))


def paper_page(context: Mapping[str, object]) -> str:
    """One paper page: everything its template is given (the paper, its metadata, the
    titles and paths of the pages it links)."""
    return digest(repr(sorted(context.items())))


def chart(plot: object) -> str:
    """One chart's SVG: the plot (its kind, labels and numbers: a frozen dataclass)."""
    return digest(repr(plot))


def atlas(model: str, papers: Iterable[Sequence[str]], groups: Sequence[str]) -> str:
    """The catalogue's map (generator/render/atlas.py): the related model it reads
    vectors from (its key), each paper as (id, title, abstract, link, colour, its
    listings: the sample is drawn by them), and the names of the colours (tag groups)."""
    return digest(model, *(part for paper in papers for part in (*paper, "|")), *groups)


def atlas_layout(model: str, papers: Iterable[Sequence[str]]) -> str:
    """The map's points (generator/analyse/atlas.py): the related model the rows are
    folded into (its key) and each sampled paper as (id, title, abstract), in the
    sample's order: the rows are the model's of those texts, and the layout is a
    function of the rows alone."""
    return digest(model, *(part for paper in papers for part in (*paper, "|")))


# --- the data files (generator.export) -------------------------------------------------


def export_settings(
    use_directory_urls: bool, site_url: str | None, build_date: str, shard_papers: int
) -> str:
    """What the data files depend on beyond the catalogue: the URL rule, the site's
    URL (feeds link to it), the build date (feeds carry it), the papers catalogue.json
    holds before it is sharded."""
    return digest(str(use_directory_urls), site_url or "", build_date, str(shard_papers))


def exports(source: str, settings: str) -> str:
    """The data files but the search index: the catalogue (its :func:`catalogue` key)
    and :func:`export_settings`."""
    return digest(source, settings)


def search_index(documents: object, meta: object, snippets: object) -> str:
    """The search index: what it indexes (each page's fields, their metadata, the
    snippets shown), as JSON."""
    return digest(json.dumps([documents, meta, snippets]))


def english_terms(wordfreq_version: str, lunr_version: str, thresholds: Sequence[float]) -> str:
    """The English words the search index may list as known (kept in
    :meth:`~generator.infra.cache.Cache.packages`, across builds): wordfreq's list
    (its version), lunr's stemmer that turns each word into a term (its version), and
    the frequency and length thresholds that pick them."""
    return digest(wordfreq_version, lunr_version, repr(list(thresholds)))


# --- the site (generator.mkdocs_site) --------------------------------------------------


def page_source(path: str, content: str) -> str:
    """One generated page's converted HTML (within :func:`page_html`'s table): its docs
    path and its whole source (front matter and Markdown)."""
    return digest(path, content)


def page_html(
    use_directory_urls: bool, repo: object, markdown_extensions: object, mdx_configs: object
) -> str:
    """Converted pages' HTML, besides each page's source: the URL rule, the
    repository, the Markdown extensions and their settings."""
    return digest(str(use_directory_urls), repr(repo), repr(markdown_extensions), repr(mdx_configs))


def site_pages(site_folder: str) -> str:
    """The record of the generated pages a build left in a site folder (each page's
    source digest and its file's identity: generator/mkdocs_site/kept_pages.py): the
    folder, as an absolute path. What it records is checked against the files, not
    trusted by this key."""
    return digest(site_folder)


def theme_bytecode(jinja_version: str, environment: Sequence[str]) -> str:
    """The theme's compiled templates (each also checked by Jinja against its own
    source's checksum): the Jinja version and the environment's settings that shape
    the code it compiles (delimiters, whitespace rules, extensions, autoescape,
    finalize), which Jinja's own bytecode key leaves out."""
    return digest(jinja_version, *environment)


@dataclass(frozen=True)
class SiteSettings:
    """The MkDocs settings the theme reads into every page (by their MkDocs names)."""

    site_name: object
    site_url: object
    site_description: object
    site_author: object
    copyright: object
    repo_url: object
    repo_name: object
    edit_uri: object
    extra: object
    extra_css: object
    extra_javascript: object
    extra_templates: object
    use_directory_urls: object
    markdown_extensions: object
    mdx_configs: object

    @classmethod
    def names(cls) -> list[str]:
        return [f.name for f in fields(cls)]


def site(
    *,
    mkdocs_version: str,
    material_version: str,
    theme: Mapping[str, object],
    plugins: Sequence[str],
    nav: object,
    settings: SiteSettings,
    overrides: Sequence[bytes],
    page_html_key: str,
) -> str:
    """Finished pages (each by :func:`page_source`): everything besides a page's own
    source that goes into its HTML: the versions of MkDocs and the theme, the theme's
    settings, the plugins, the navigation, the settings the theme reads, the theme
    overrides' bytes, and what converted HTML depends on (:func:`page_html`)."""
    theme_vars = repr(sorted((k, repr(v)) for k, v in theme.items()))
    whole = digest(
        mkdocs_version,
        material_version,
        theme_vars,
        repr(list(plugins)),
        repr(nav),
        *(repr(getattr(settings, name)) for name in settings.names()),
        *overrides,
    )
    return digest(whole, page_html_key)
