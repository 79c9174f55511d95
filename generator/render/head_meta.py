"""What a paper page tells reference managers and link previews, in its ``<head>``.

Three vocabularies, each for its readers:

* Highwire Press ``citation_*`` tags: what Google Scholar indexes and what Zotero's
  connector (its "Embedded Metadata" translator) saves in one click: title, one
  ``citation_author`` per author, the date, the arXiv id and PDF, the journal or
  conference.
* OpenGraph tags, and Twitter's card type: the card a shared link shows. X (Twitter)
  reads a card's title and description from ``og:title`` and ``og:description`` when
  its own ``twitter:title`` and ``twitter:description`` are absent (its cards markup
  reference: "fallback"), so those two are not repeated: they were the same text
  again on every paper page.
* schema.org ``ScholarlyArticle`` as JSON-LD: what search engines read as structured
  data. It carries no description: the page's short description is already twice in
  the head (``description``, which engines read for a snippet, and ``og:description``,
  which link previews read), and the abstract is on the page itself; a third copy was
  the largest part of the block (issue 31's page budget). Its ``headline`` is there only
  when the title is too long for one (then it is the title cut short); else ``name``
  says it. Nor does it list the authors: the ``citation_author`` tags above already do,
  for the readers that cite (Google Scholar, Zotero), and a second list was a quarter
  of the head of a paper with a dozen authors.

What else is not repeated: ``citation_date`` beside ``citation_publication_date`` (the
same date: Google Scholar's inclusion guidelines and Zotero's translator read the
latter), and ``twitter:title``/``twitter:description`` (below).

Every value is a curator's or a dump's, so untrusted: attribute values are HTML-escaped,
and the JSON-LD is escaped for a script element (:func:`~generator.text.escaping.json_script`:
no ``</script>`` or ``<!--`` survives). A JSON-LD block is data, never run, so the page's
Content-Security-Policy needs no hash for it (generator/finish/csp.py leaves data blocks
out). The page's own absolute URL (``og:url``, ``citation_abstract_html_url``) is known
only to the site generator, which adds those two when the site has a URL
(overrides/main.html).
"""

from __future__ import annotations

from generator.analyse.citations import external_links, venue_kind
from generator.model import Paper, PaperMeta
from generator.text.escaping import html_text, json_script, one_line, safe_url

SITE_NAME = "Paper Catalogue"
HEADLINE = 110  # schema.org's headline: search engines show at most this many characters


def pdf_url(paper: Paper, meta: PaperMeta | None) -> str | None:
    """The PDF a reference manager should attach: the curator's, else arXiv's."""
    return next((url for label, url in external_links(paper, meta) if label == "PDF"), None)


def citation_date(meta: PaperMeta | None) -> str | None:
    """Highwire's date form, YYYY/MM/DD, or the year alone."""
    if meta and meta.published:
        return meta.published.replace("-", "/")
    return str(meta.date_year) if meta and meta.date_year else None


def _meta(attribute: str, name: str, value: str) -> str:
    return f'<meta {attribute}="{name}" content="{html_text(one_line(value).strip())}">'


def head_tags(paper: Paper, meta: PaperMeta | None, description: str) -> str:
    """The ``<meta>`` tags and the JSON-LD block of a paper's page, as HTML."""
    tags = [_meta("name", "citation_title", paper.title)]
    tags += [_meta("name", "citation_author", author) for author in (meta.authors if meta else ())]
    date = citation_date(meta)
    if date:
        tags.append(_meta("name", "citation_publication_date", date))
    kind = venue_kind(meta.venue if meta else None)
    if meta and meta.venue:
        name = "citation_conference_title" if kind == "conference" else "citation_journal_title"
        tags.append(_meta("name", name, meta.venue))
    if meta and meta.arxiv:
        tags.append(_meta("name", "citation_arxiv_id", meta.arxiv))
    pdf = pdf_url(paper, meta)
    if pdf and safe_url(pdf):
        tags.append(_meta("name", "citation_pdf_url", safe_url(pdf) or ""))
    tags += [_meta("name", "citation_keywords", tag) for tag in paper.tags]
    tags += [
        _meta("property", "og:type", "article"),
        _meta("property", "og:site_name", SITE_NAME),
        _meta("property", "og:title", paper.title),
        _meta("property", "og:description", description),
        _meta("name", "twitter:card", "summary"),
    ]
    if date:
        tags.append(_meta("property", "article:published_time", date.replace("/", "-")))
    ld = json_script(scholarly_article(paper, meta, kind))
    tags.append(f'<script type="application/ld+json">{ld}</script>')
    # One line, no space between tags: the pages around it are filled from one shell
    # (generator/mkdocs_site/shell.py, HTML_META) and fold as they would whole.
    return "".join(tags)


def scholarly_article(paper: Paper, meta: PaperMeta | None, kind: str | None) -> dict:
    """schema.org's ScholarlyArticle for the paper, with what is known of it and not
    said elsewhere in the head."""
    article: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "ScholarlyArticle",
        "name": paper.title,
    }
    if len(paper.title) > HEADLINE:
        article["headline"] = paper.title[: HEADLINE - 2].rsplit(" ", 1)[0] + " …"
    if meta and (meta.published or meta.date_year):
        article["datePublished"] = meta.published or str(meta.date_year)
    if meta and meta.venue:
        part = "Periodical" if kind == "journal" else "PublicationEvent"
        article["isPartOf" if kind == "journal" else "publication"] = {
            "@type": part,
            "name": meta.venue,
        }
    if meta and meta.arxiv:
        article["identifier"] = {
            "@type": "PropertyValue",
            "propertyID": "arXiv",
            "value": meta.arxiv,
        }
        article["sameAs"] = f"https://arxiv.org/abs/{meta.arxiv}"
    if paper.tags:
        article["keywords"] = list(paper.tags)
    return article
