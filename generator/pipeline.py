"""The whole core in one call: data folder in, finished :class:`Catalogue` out.

Each stage is a module of its own with plain dataclasses in and out; this is the
only place that knows their order, and the only one that knows the cache. Each
stage's result is cached under a hash of exactly what it reads: a dump's parse
under its bytes, a paper's tags under its text and the taxonomy, related papers
per model and paper (see :mod:`generator.analyse.related.model`), and the whole catalogue under
every data file — so a template edit reruns no stage and a curator's title fix
retags one paper. Nothing here imports MkDocs, so the CLI, the tests and the
benchmarks run the same code the site build runs.

Given a worker (the site build's second process), the related papers are made there:
the model is fitted from the listings' texts as soon as they are parsed, while this
process deduplicates, curates and tags, and the curated papers are folded in after.
Without one (the CLI, most tests) the same functions run here, one after the other.
"""

from __future__ import annotations

from concurrent.futures import Future
from dataclasses import replace
from pathlib import Path

from generator.analyse.citations import citation_keys
from generator.analyse.crosslinks import link
from generator.analyse.related.basis import basis_of
from generator.curate.arxiv_meta import load_found, stray_found
from generator.curate.curation import CURATION_DIR, apply_curation, load_curation
from generator.curate.tagging import Taxonomy, load_taxonomy, tags_for, vocabulary_problems
from generator.infra.cache import Cache, Kept, digest
from generator.infra.worker import InProcess, Worker, give_back_memory
from generator.ingest.dedup import clash_problem, deduplicate
from generator.ingest.listing_meta import LISTINGS_META_FILE, load_listing_meta
from generator.ingest.listings import ParseResult, listing_files, parse_text
from generator.ingest.yaml_files import YamlDoc
from generator.model import Catalogue, Paper, Problem, Related, Severity
from generator.text.files import Snapshot
from generator.text.latex import needs_parser, plain, readable, unreadable

LISTINGS_DIR = "listings"
TAXONOMY_FILE = "taxonomy.yaml"


def inputs_key(files: Snapshot) -> str:
    """A key for everything a catalogue is built from: each data file's name and bytes
    (a link is never followed: it is an error, and only its own text is hashed)."""
    return digest(*files.key())


def build_catalogue(
    data_dir: Path | str, cache: Cache | None = None, worker: Worker | None = None
) -> Catalogue:
    """Parse, deduplicate, curate, tag and cross-link everything under ``data_dir``.

    Problems are collected, not raised: the caller decides whether they are fatal
    (the strict build and ``check`` fail on errors; ``export`` just prints them).
    ``cache`` defaults to the one beside the data folder (:meth:`Cache.beside`).
    ``worker``: a second process for the related papers, which it computes while this
    one curates and tags (the result is the same without it).
    """
    data_dir = Path(data_dir)
    cache = Cache.beside(data_dir) if cache is None else cache
    # Read once: the key and everything the build computes come from these bytes, so a
    # file replaced meanwhile can never leave one version's result under the other's key.
    files = Snapshot(data_dir)
    key = inputs_key(files)
    return cache.memo("catalogue", key, lambda: _build(files, data_dir.parent, cache, key, worker))


def _parse(path: Path, root: Path, cache: Cache, files: Snapshot) -> ParseResult:
    shown = str(path.relative_to(root))
    raw = files.read(path)
    return cache.memo(
        "parse", digest(path.name, shown, raw), lambda: parse_text(raw, path.name, shown)
    )


class Tagger:
    """:func:`tags_for` with a memory: tags by paper text, per taxonomy, across builds."""

    def __init__(self, taxonomy: Taxonomy, taxonomy_bytes: bytes, cache: Cache):
        self.taxonomy = taxonomy
        self.kept: Kept[tuple[str, ...]] = Kept(cache, "tags", digest(taxonomy_bytes))

    def __call__(self, paper: Paper) -> tuple[str, ...]:
        text = digest(paper.title, paper.abstract)
        return self.kept.get(text, lambda: tags_for(paper, self.taxonomy))

    def save(self) -> None:
        self.kept.save()


class PlainTexts:
    """:func:`readable` with a memory: the plain text of each text the LaTeX parser
    reads, by its digest, across builds (4,500 texts at 50,000 papers, 8 s a build)."""

    def __init__(self, cache: Cache):
        # (plain text, whether the parser failed on it): a failure is reported at the
        # text's line on every build, not only on the build that met it first.
        self.kept: Kept[tuple[str, bool]] = Kept(cache, "plain-text")

    def _read(self, text: str) -> tuple[str, bool]:
        if not needs_parser(text):
            return plain(text), False
        return self.kept.get(digest(text), lambda: (plain(text), unreadable(text)))

    def plain(self, text: str) -> str:
        return self._read(text)[0]

    def unreadable(self, text: str) -> bool:
        """Whether the LaTeX parser failed on ``text`` (it is shown as written)."""
        return self._read(text)[1]

    def __call__(self, paper: Paper) -> Paper:
        return readable(paper, self.plain)

    def save(self) -> None:
        self.kept.save()


def _unreadable_notices(
    curated: list[Paper],
    scraped: list[Paper],
    docs: dict[str, YamlDoc],
    paths: dict[str, str],
    reader: PlainTexts,
) -> list[Problem]:
    """A notice for each shown title or abstract whose LaTeX the parser could not read
    (it is shown as written): at the curation file's key when a curator wrote it, else
    at the paper's first line in the dumps, where its text comes from."""
    first = {p.id: p.appearances[0] for p in scraped}
    problems = []
    for paper in curated:
        doc = docs.get(paper.id)
        for field, text in (("title", paper.written_title), ("abstract", paper.written_abstract)):
            if not reader.unreadable(text):
                continue
            message = (
                f"the {field} holds LaTeX the reader cannot parse (a macro such as \\href,"
                " \\sqrt or \\footnote without its arguments): it is shown exactly as written"
            )
            if doc is not None and field in doc.data:
                where = (doc.path, doc.line(field))
                hint = f"write the {field} as it should read in this file"
            else:
                at = first[paper.id]
                where = (paths.get(at.listing, at.listing), at.line)
                hint = f"if it reads wrongly, set `{field}:` in data/{CURATION_DIR}/{paper.id}.yaml"
            problems.append(Problem(*where, message, hint, Severity.NOTICE))
    return problems


def _cause_first(problems: list[Problem], data_dir: Path, root: Path) -> tuple[Problem, ...]:
    """Problems in the order a curator should read them: the files others depend on
    first (dumps, then the taxonomy and listing names, then curation), errors before
    notices, so the first message is the root cause and not one of its consequences."""
    base = data_dir.relative_to(root)
    order = [base / LISTINGS_DIR, base / TAXONOMY_FILE, base / LISTINGS_META_FILE]

    def rank(problem: Problem) -> int:
        path = Path(problem.path)
        return next((i for i, p in enumerate(order) if path == p or p in path.parents), 3)

    return tuple(sorted(problems, key=lambda p: (rank(p), not p.is_error, p)))


# In the worker: the model each build's fit found, by the build's key, for the lists
# that follow it (the last one only).
_FITTED: dict[str, str] = {}


def _fit_related(basis: list[tuple[str, str]], cache: Cache, build: str) -> None:
    """In the worker: fit or find the related model of the basis texts, for
    :func:`_related_links` of the same ``build``. (Imported there: NumPy and SciPy are
    a quarter of a second's import.)"""
    from generator.analyse.related.model import model_for

    _FITTED.clear()
    _FITTED[build] = model_for(basis, cache).key


def _related_links(
    texts: list[tuple[str, str, str, tuple[str, ...]]], cache: Cache, build: str
) -> dict[str, tuple[Related, ...]] | None:
    """In the worker: each paper's related papers by id, from (id, title, abstract),
    under the model this build's fit found; None if this process did not fit it (the
    fit failed, or the worker was replaced since)."""
    from generator.analyse.related.incremental import PaperText
    from generator.analyse.related.links import related_links
    from generator.analyse.related.model import kept_model

    model_key = _FITTED.get(build)
    model = None if model_key is None else kept_model(model_key, cache)
    return None if model is None else related_links([PaperText(*t) for t in texts], model, cache)


def _forget_texts() -> None:
    """In the worker, after :func:`_related_links` (a task of its own, so that the lists
    are not held back by it: 0.03 s at 720 papers): the data files come next there, and
    what relating used goes back to the system first."""
    from generator.analyse.related.tokens import forget_texts

    forget_texts()
    give_back_memory()


def _related(
    papers: list[Paper], basis: list[tuple[str, str]], relating: Future, cache: Cache
) -> list[Paper]:
    """The papers with the related lists the worker made; made here instead if it could
    not (it died, or lost the model; any real error then shows here)."""
    try:
        links = relating.result()
    except Exception:
        links = None
    if links is None:
        from generator.analyse.related.links import relate

        return relate(papers, basis, cache)
    return [replace(p, related=links[p.id]) if links else p for p in papers]


def _build(
    files: Snapshot, root: Path, cache: Cache, key: str, worker: Worker | None = None
) -> Catalogue:
    def shown(path: Path) -> str:
        return str(path.relative_to(root))

    data_dir = files.folder
    dumps, problems = listing_files(data_dir / LISTINGS_DIR, root, files)
    results = [_parse(p, root, cache, files) for p in dumps]
    files.forget(dumps)
    listings = tuple(r.listing for r in results)
    # The related model needs only the listings' texts: the worker fits it now, while
    # this process deduplicates, curates and tags. Read here, by the reader curation uses
    # next on the same texts (the worker is still importing NumPy and SciPy meanwhile).
    reader = PlainTexts(cache)
    basis = basis_of(listings, reader.plain)
    helper = worker or InProcess()
    helper.submit(_fit_related, basis, cache, key)
    problems += [p for r in results for p in r.problems]
    paths = {lst.name: lst.path for lst in listings}
    papers, clashes = deduplicate(e for lst in listings for e in lst.entries)

    meta_path = data_dir / LISTINGS_META_FILE
    listing_meta, meta_problems = load_listing_meta(meta_path, shown(meta_path), listings, files)
    problems.extend(meta_problems)

    taxonomy_path = data_dir / TAXONOMY_FILE
    taxonomy = Taxonomy((), ())
    if files.exists(taxonomy_path):
        taxonomy, taxonomy_problems = load_taxonomy(taxonomy_path, shown(taxonomy_path), files)
        problems.extend(taxonomy_problems)
    tagger = Tagger(taxonomy, files.read(taxonomy_path) if taxonomy.tags else b"", cache)

    docs, curation_problems = load_curation(data_dir, root, files)
    problems.extend(curation_problems)
    valid_tags = [t.name for t in taxonomy.tags] if taxonomy.loaded else None
    found, found_problems = load_found(data_dir, root, files)
    problems.extend(found_problems)
    curation = apply_curation(papers, docs, tagger, valid_tags, taxonomy.broken, found, reader)
    tagger.save()
    reader.save()
    problems.extend(curation.problems)
    # A machine file for a paper merged away (same_as) is stray; a hidden one's is not.
    problems.extend(stray_found(found, [p.id for p in curation.papers] + list(curation.hidden)))
    problems.extend(clash_problem(c, paths) for c in curation.worth_reporting(clashes))
    shown_papers = curation.papers + [paper for paper, _ in curation.hidden.values()]
    problems.extend(_unreadable_notices(shown_papers, papers, docs, paths, reader))
    papers = curation.papers
    if taxonomy.tags:
        problems.extend(vocabulary_problems(papers, taxonomy, shown(taxonomy_path)))
    texts = [(p.id, p.title, p.abstract, p.tags) for p in papers]
    relating = helper.submit(_related_links, texts, cache, key)
    helper.submit(_forget_texts)
    papers = link(papers)  # families and mentions, while the worker relates
    papers = _related(papers, basis, relating, cache)
    keys = citation_keys(papers, curation.meta)  # catalogue-wide: pages and exports share them
    return Catalogue(
        papers=tuple(papers),
        listings=listings,
        problems=_cause_first(problems, data_dir, root),
        vocabulary=taxonomy.vocabulary,
        meta=curation.meta,
        redirects=curation.redirects,
        hidden=curation.hidden,
        listing_meta=listing_meta,
        citation_keys=keys,
        source_key=key,
    )
