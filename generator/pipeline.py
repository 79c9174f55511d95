"""The whole core in one call: data folder in, finished :class:`Catalogue` out.

Each stage is a module of its own with plain dataclasses in and out; this is the
only place that knows their order (:func:`_build` reads as the list of stages), and
the only one that hands them the cache. Each stage's result is cached under a hash
of exactly what it reads (every key derived in :mod:`generator.infra.keys`): a
dump's parse under its bytes, a paper's tags under its text and the taxonomy
(:mod:`generator.curate.cached`), related papers per model and paper (see
:mod:`generator.analyse.related.model`), and the whole catalogue under every data
file — so a template edit reruns no stage and a curator's title fix retags one
paper. Nothing here imports MkDocs, so the CLI, the tests and the benchmarks run the
same code the site build runs.

Given a worker (the site build's second process), the related papers are made there
(:mod:`generator.analyse.related.remote`): the model is fitted from the listings'
texts as soon as they are parsed, while this process deduplicates, curates and tags,
and the curated papers are folded in after. Without one (the CLI, most tests) the
same functions run here, one after the other.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from generator.analyse.citations import citation_keys, conventional
from generator.analyse.crosslinks import LinkIndex
from generator.analyse.recorded_keys import KEYS_FILE, load_recorded, stray_keys, waiting_notice
from generator.analyse.related.basis import basis_of
from generator.analyse.related.remote import (
    fit_model,
    forget_texts,
    related_links,
    start_lists,
    texts_of,
    with_related,
)
from generator.curate.arxiv_meta import (
    NOT_ON_ARXIV,
    Loaded,
    bare_id,
    base_id,
    load_found,
    stray_found,
)
from generator.curate.cached import PlainTexts, ProfileTerms, Tagger
from generator.curate.curation import (
    CURATION_DIR,
    Curation,
    apply_curation,
    load_curation,
    unreadable_notices,
)
from generator.curate.profiles import settle
from generator.curate.tagging import Taxonomy, load_taxonomy, untagged_notices, vocabulary_problems
from generator.infra import keys
from generator.infra.cache import Cache, Kept
from generator.infra.worker import InProcess, Worker
from generator.ingest.dedup import clash_problem, deduplicate
from generator.ingest.listing_meta import LISTINGS_META_FILE, load_listing_meta
from generator.ingest.listings import ParseResult, listing_files, parse_text
from generator.ingest.structured import parse_structured
from generator.ingest.yaml_files import YamlDoc
from generator.model import (
    STRUCTURED_SUFFIX,
    Catalogue,
    Clash,
    Listed,
    Listing,
    ListingMeta,
    Paper,
    Problem,
)
from generator.text.files import Snapshot

LISTINGS_DIR = "listings"
TAXONOMY_FILE = "taxonomy.yaml"


def build_catalogue(
    data_dir: Path | str,
    cache: Cache | None = None,
    worker: Worker | None = None,
    meanwhile: Callable[[Catalogue], None] | None = None,
) -> Catalogue:
    """Parse, deduplicate, curate, tag and cross-link everything under ``data_dir``.

    Problems are collected, not raised: the caller decides whether they are fatal
    (the strict build and ``check`` fail on errors; ``export`` just prints them).
    ``cache`` defaults to the one beside the data folder (:meth:`Cache.beside`).
    ``worker``: a second process for the related papers, which it computes while this
    one curates and tags (the result is the same without it).
    ``meanwhile``: work for this process while the worker makes the related lists
    (this process would otherwise wait idle), given the catalogue as it is before them:
    every field but each paper's ``related`` and the citation keys is final. Called only
    when the catalogue is built (not from the cache) and the lists are not ready yet.
    """
    data_dir = Path(data_dir)
    cache = Cache.beside(data_dir) if cache is None else cache
    # Read once: the key and everything the build computes come from these bytes, so a
    # file replaced meanwhile can never leave one version's result under the other's key.
    files = Snapshot(data_dir)
    key = keys.catalogue(files.key())  # a link is never followed: its own text is hashed
    run = Run(files, data_dir.parent, cache, key, worker or InProcess(), meanwhile)
    return cache.memo("catalogue", key, lambda: _build(run))


def _build(run: Run) -> Catalogue:
    """The stages, in order; each reports its problems into one collector."""
    problems = Problems(run.data_dir, run.root)
    problems.add(unreadable_files(run))
    dumps = read_dumps(run, problems)
    # The related model needs only the listings' texts: the worker fits it now, while
    # this process deduplicates, curates and tags. Read here, by the reader curation uses
    # next on the same texts (the worker is still importing NumPy and SciPy meanwhile).
    reader = PlainTexts(run.cache)
    basis = start_related(dumps, reader, run)
    # The curators' and enrich's files first: the arXiv ids they give let dedup match a
    # structured listing's papers by id.
    curator = read_curator_files(run, problems)
    entries = (e for lst in dumps.listings for e in lst.entries)
    merged = Merged(*deduplicate(entries, known_arxiv_ids(curator)))
    # The related lists' content part reads no tag: the worker starts it from these
    # texts while this process curates and tags (the curated ones bring it up to date).
    run.worker.submit(start_lists, texts_of(merged.papers, reader.plain), run.cache, run.key)
    listing_meta = read_listing_meta(dumps, run, problems)
    taxonomy = read_taxonomy(run, problems)
    curation = curate(merged, dumps, taxonomy, curator, reader, run, problems)
    report_curation(curation, merged, dumps, taxonomy, curator, reader, problems)

    def catalogue(papers: list[Paper], cite: dict[str, str], found: Problems) -> Catalogue:
        return Catalogue(
            papers=tuple(papers),
            listings=dumps.listings,
            problems=found.cause_first(),
            vocabulary=taxonomy.taxonomy.vocabulary,
            meta=curation.meta,
            redirects=curation.redirects,
            hidden=curation.hidden,
            listing_meta=listing_meta,
            # Catalogue-wide: pages and exports share them.
            citation_keys=cite,
            source_key=run.key,
            # The map (generator/analyse/atlas.py) places papers by this model's vectors.
            related_model=keys.related_model(basis),
        )

    before = None if run.meanwhile is None else lambda linked: catalogue(linked, {}, problems)
    papers = relate(curation.papers, basis, run, before)
    cite = read_citation_keys(papers, curation, run, problems)
    return catalogue(papers, cite, problems)


def read_citation_keys(
    papers: list[Paper], curation: Curation, run: Run, problems: Problems
) -> dict[str, str]:
    """Every paper's citation key, the recorded ones kept (generator/analyse/recorded_keys.py),
    and a notice when keys that reached their final form wait to be recorded."""
    path = run.data_dir / KEYS_FILE
    shown = run.shown(path)
    recorded, found = load_recorded(path, shown, run.files)
    problems.add(found)
    known = {p.id for p in papers} | set(curation.redirects) | set(curation.hidden)
    problems.add(stray_keys(recorded, known, shown))
    cite = citation_keys(papers, curation.meta, recorded)
    waiting = sum(
        1 for p in papers if p.id not in recorded and conventional(curation.meta.get(p.id))
    )
    if waiting:
        problems.add([waiting_notice(waiting, shown)])
    return cite


def unreadable_files(run: Run) -> list[Problem]:
    """An error at each data file or folder the build may not read: without it, it would
    build a catalogue that silently lacks what the curator meant to add."""
    return [
        Problem(
            run.shown(path),
            0,
            f"this {'folder' if path.is_dir() else 'file'} cannot be read ({reason})",
            f"make it readable (chmod a+r {run.shown(path)}) or remove it",
        )
        for path, reason in sorted(run.files.unreadable.items())
    ]


@dataclass
class Run:
    """What every stage of one build reads from: the data folder's bytes (read once),
    the folder problems are shown relative to, the cache, the build's key, the worker."""

    files: Snapshot
    root: Path
    cache: Cache
    key: str
    worker: Worker
    meanwhile: Callable[[Catalogue], None] | None = None  # see build_catalogue

    @property
    def data_dir(self) -> Path:
        return self.files.folder

    def shown(self, path: Path) -> str:
        """``path`` as problems name it."""
        return str(path.relative_to(self.root))


class Problems:
    """Every stage's problems, collected as the build goes and handed out cause first."""

    def __init__(self, data_dir: Path, root: Path):
        self.found: list[Problem] = []
        base = data_dir.relative_to(root)
        # The files others depend on: dumps, then the taxonomy, then the listing names
        # (curation and the rest come after).
        self.order = [base / LISTINGS_DIR, base / TAXONOMY_FILE, base / LISTINGS_META_FILE]

    def add(self, problems: Iterable[Problem]) -> None:
        self.found.extend(problems)

    def _rank(self, problem: Problem) -> int:
        path = Path(problem.path)
        return next((i for i, p in enumerate(self.order) if path == p or p in path.parents), 3)

    def cause_first(self) -> tuple[Problem, ...]:
        """In the order a curator should read them: errors before notices (a notice is
        often a consequence: a broken taxonomy leaves papers untagged), and within each
        the files others depend on first, so the first message is the root cause."""
        return tuple(sorted(self.found, key=lambda p: (not p.is_error, self._rank(p), p)))


@dataclass
class Dumps:
    listings: tuple[Listing, ...]
    paths: dict[str, str]  # listing name -> its file, as problems name it


@dataclass
class Merged:
    papers: list[Paper]  # deduplicated, before curation
    clashes: list[Clash]  # titles that clash but were kept apart


@dataclass
class TaxonomyFile:
    taxonomy: Taxonomy
    shown: str  # its path, as problems name it
    text: bytes  # its bytes (none when it has no tags): what tags are kept under


@dataclass
class CuratorFiles:
    docs: dict[str, YamlDoc] = field(default_factory=dict)  # curation files by paper id
    found: dict[str, YamlDoc] = field(default_factory=dict)  # machine-found, by paper id


def _parse(path: Path, run: Run) -> ParseResult:
    shown = run.shown(path)
    raw = run.files.read(path)
    parse = parse_structured if path.suffix == STRUCTURED_SUFFIX else parse_text
    return run.cache.memo(
        "parse", keys.parse(path.name, shown, raw), lambda: parse(raw, path.name, shown)
    )


def read_dumps(run: Run, problems: Problems) -> Dumps:
    """Every listing dump, parsed (each by its bytes, from the cache when it has them)."""
    dumps, found = listing_files(run.data_dir / LISTINGS_DIR, run.root, run.files)
    problems.add(found)
    results = [_parse(p, run) for p in dumps]
    run.files.forget(dumps)
    listings = tuple(r.listing for r in results)
    problems.add(p for r in results for p in r.problems)
    return Dumps(listings, {lst.name: lst.path for lst in listings})


def start_related(dumps: Dumps, reader: PlainTexts, run: Run) -> list[tuple[str, str]]:
    """The related model's basis texts, handed to the worker to fit the model now."""
    basis = basis_of(dumps.listings, reader.plain)
    run.worker.submit(fit_model, basis, run.cache, run.key)
    return basis


def read_listing_meta(dumps: Dumps, run: Run, problems: Problems) -> dict[str, ListingMeta]:
    path = run.data_dir / LISTINGS_META_FILE
    listing_meta, found = load_listing_meta(path, run.shown(path), dumps.listings, run.files)
    problems.add(found)
    return listing_meta


def read_taxonomy(run: Run, problems: Problems) -> TaxonomyFile:
    path = run.data_dir / TAXONOMY_FILE
    taxonomy = Taxonomy((), ())
    if run.files.exists(path):
        taxonomy, found = load_taxonomy(path, run.shown(path), run.files)
        problems.add(found)
    return TaxonomyFile(taxonomy, run.shown(path), run.files.read(path) if taxonomy.tags else b"")


def read_curator_files(run: Run, problems: Problems) -> CuratorFiles:
    docs, found = load_curation(run.data_dir, run.root, run.files)
    problems.add(found)
    kept: Kept[Loaded] = Kept(run.cache, "found-files")  # each machine file by its bytes
    machine, found = load_found(run.data_dir, run.root, run.files, kept)
    kept.save()
    problems.add(found)
    return CuratorFiles(docs, machine)


def known_arxiv_ids(curator: CuratorFiles) -> dict[str, str]:
    """arXiv id -> paper id, as ``enrich``'s files and then the curators' (which win)
    give them."""
    known = {doc.data["arxiv"]: pid for pid, doc in sorted(curator.found.items())}
    for pid, doc in sorted(curator.docs.items()):
        arxiv = bare_id(doc.data.get("arxiv")) if isinstance(doc.data, dict) else None
        if isinstance(arxiv, str) and arxiv != NOT_ON_ARXIV:
            known[base_id(arxiv)] = pid
    return known


def listed_facts(dumps: Dumps) -> dict[tuple[str, int], tuple[str, Listed]]:
    """What the structured listings say of each paper, by (listing, line)."""
    return {
        (e.listing, e.line): (e.arxiv, e.listed)
        for lst in dumps.listings
        for e in lst.entries
        if e.arxiv and e.listed
    }


def curate(
    merged: Merged,
    dumps: Dumps,
    taxonomy: TaxonomyFile,
    curator: CuratorFiles,
    reader: PlainTexts,
    run: Run,
    problems: Problems,
) -> Curation:
    """The curation files applied, and the papers tagged (each by its text)."""
    tagger = Tagger(taxonomy.taxonomy, taxonomy.text, run.cache)
    tags = taxonomy.taxonomy
    valid_tags = [t.name for t in tags.tags] if tags.loaded else None
    curation = apply_curation(
        merged.papers,
        curator.docs,
        tagger,
        valid_tags,
        tags.broken,
        curator.found,
        reader,
        listed_facts(dumps),
    )
    # The catalogue's tag profiles question the weak tags (generator/curate/profiles.py).
    counted = ProfileTerms(run.cache)
    curation = replace(curation, papers=settle(curation.papers, tagger.weak, counted))
    counted.save()
    tagger.save()
    problems.add(curation.problems)
    return curation


def report_curation(
    curation: Curation,
    merged: Merged,
    dumps: Dumps,
    taxonomy: TaxonomyFile,
    curator: CuratorFiles,
    reader: PlainTexts,
    problems: Problems,
) -> None:
    """What the curated catalogue as a whole shows is wrong: stray machine files,
    unresolved title clashes, LaTeX the reader cannot parse, unused tags."""
    # A machine file for a paper merged away (same_as) is stray; a hidden one's is not.
    kept = [p.id for p in curation.papers] + list(curation.hidden)
    problems.add(stray_found(curator.found, kept))
    problems.add(clash_problem(c, dumps.paths) for c in curation.worth_reporting(merged.clashes))
    shown = curation.papers + [paper for paper, _ in curation.hidden.values()]
    problems.add(
        unreadable_notices(shown, merged.papers, curator.docs, dumps.paths, reader.unreadable)
    )
    reader.save()  # after the notices: they read the same texts again
    if taxonomy.taxonomy.tags:
        problems.add(vocabulary_problems(curation.papers, taxonomy.taxonomy, taxonomy.shown))
        where = f"data/{CURATION_DIR}"
        problems.add(untagged_notices(curation.papers, dumps.paths, taxonomy.shown, where))


def relate(
    papers: list[Paper],
    basis: list[tuple[str, str]],
    run: Run,
    before: Callable[[list[Paper]], Catalogue] | None = None,
) -> list[Paper]:
    """Families and mentions (here), related papers (the worker, meanwhile). While the
    worker is still at them, ``run.meanwhile`` gets the catalogue without them
    (``before`` makes it of the cross-linked papers)."""
    texts = [(p.id, p.title, p.abstract, p.tags) for p in papers]
    relating = run.worker.submit(related_links, texts, run.cache, run.key)
    run.worker.submit(forget_texts)
    papers = cross_link(papers, run.cache)
    if run.meanwhile is not None and before is not None and not relating.done():
        run.meanwhile(before(papers))
    return with_related(papers, basis, relating, run.cache)


LINK_INDEX = "link-index"


def cross_link(papers: list[Paper], cache: Cache) -> list[Paper]:
    """Families and mentions, found again only where the last build's index says a
    change reaches (any index is a correct start: see :class:`LinkIndex`)."""
    index = cache.get(LINK_INDEX, "")
    if not isinstance(index, LinkIndex):
        index = LinkIndex()
    before = dict(index.texts)
    papers = index.link(papers)
    if index.texts != before:
        cache.put(LINK_INDEX, "", index)
    return papers
