"""``python -m generator enrich``: authors, dates and links from arXiv, for a curator to review.

The listing dumps hold titles and abstracts only. This looks each paper up in the
arXiv API and writes what it finds to ``data/arxiv/<paper-id>.yaml``, one small
file per paper, marked as machine-found: the files are proposed in a pull request
(.github/workflows/enrich.yml) and reach the site only once a curator merges it.

*Never the wrong paper.* A paper is matched only when an arXiv entry has its title
(or nearly: a fixed typo) **and** a near-identical abstract, and no other entry has
a closer title. Two papers sharing a name ("FLoRA: ...") or a title differ in
their abstracts, so neither gets the other's id. Everything else is listed for a
human, never guessed: several entries that fit, a title whose abstract differs, a
withdrawn paper, no entry at all.

*A curator's value always wins.* Curation files (``data/curation/papers/``) are
never written here. A curator who sets ``arxiv:`` there gets that paper's record
looked up by id (and a machine file for another id replaced); ``arxiv: none``
means the paper is not on arXiv, and it is never looked up again.

*Resumable and cheap to rerun.* Each result is written as soon as it is known,
and every arXiv answer is cached (:mod:`generator.enrich.arxiv_client`): an interrupted run
resumes where it stopped, and a rerun sends only what was never answered.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from generator.curate.arxiv_meta import FOUND_DIR, base_id
from generator.enrich.arxiv_client import (
    ApiError,
    Client,
    NotAnswered,
    Record,
    Unavailable,
    query_url,
    title_query,
    words_query,
)
from generator.ingest.dedup import SAME_ABSTRACT, word_similarity
from generator.model import Catalogue, Paper
from generator.text.files import write_whole
from generator.text.fold import match_key

TITLE_MATCH = 0.9  # character similarity of normalised titles: a typo, not another title
NEAR_TITLE = 0.7  # a title this close is worth naming to a human
IDS_PER_REQUEST = 50
STOPPED = 3  # exit status: arXiv went away (or keeps refusing); what was found is kept

MATCHED = "matched"  # title and abstract
BY_ID = "by id"  # the curator's arXiv id
AMBIGUOUS = "ambiguous"
WITHDRAWN = "withdrawn"
MISSING = "missing"
UNANSWERED = "unanswered"


@dataclass(frozen=True)
class Candidate:
    """An arXiv entry weighed against a paper: how alike the titles and abstracts are."""

    record: Record
    title: float
    abstract: float


@dataclass(frozen=True)
class Outcome:
    paper: Paper
    kind: str
    record: Record | None = None
    candidates: tuple[Candidate, ...] = ()
    why: str = ""


def title_similarity(a: str, b: str) -> float:
    ka, kb = match_key(a), match_key(b)
    return 1.0 if ka == kb else difflib.SequenceMatcher(None, ka, kb, autojunk=False).ratio()


def judge(paper: Paper, records: Iterable[Record]) -> Outcome:
    """Which of arXiv's answers is this paper, if exactly one clearly is."""
    abstract = match_key(paper.abstract)
    scored = sorted(
        (
            Candidate(
                r,
                title_similarity(paper.title, r.title),
                word_similarity(abstract, match_key(r.abstract)),
            )
            for r in records
        ),
        key=lambda c: (-c.title, -c.abstract, c.record.arxiv),
    )
    titled = [c for c in scored if c.title >= TITLE_MATCH]
    good = [c for c in titled if c.abstract >= SAME_ABSTRACT]
    if len(good) == 1 and good[0] is titled[0]:
        return Outcome(paper, MATCHED, good[0].record, tuple(titled))
    if len(good) > 1:
        return Outcome(
            paper,
            AMBIGUOUS,
            None,
            tuple(good),
            f"{len(good)} arXiv papers have this title and abstract",
        )
    if good:
        return Outcome(
            paper,
            AMBIGUOUS,
            None,
            tuple(titled),
            f"the abstract is {good[0].record.arxiv}'s, but {titled[0].record.arxiv}'s "
            "title is closer",
        )
    withdrawn = [c for c in titled if c.record.withdrawn]
    if withdrawn:
        return Outcome(
            paper,
            WITHDRAWN,
            withdrawn[0].record,
            tuple(titled),
            f"withdrawn on arXiv ({withdrawn[0].record.arxiv}): its abstract is now the "
            "withdrawal notice",
        )
    if titled:
        return Outcome(
            paper,
            AMBIGUOUS,
            None,
            tuple(titled),
            "the title matches, the abstract does not "
            f"({titled[0].abstract:.0%} alike): a different paper with this title?",
        )
    near = tuple(c for c in scored if c.title >= NEAR_TITLE)
    why = "no arXiv title is close" if not near else "only near-miss titles"
    return Outcome(paper, MISSING, None, near[:3], why)


# --------------------------------------------------------------------------- found files


def found_path(data_dir: Path, paper_id: str) -> Path:
    return data_dir / FOUND_DIR / f"{paper_id}.yaml"


def found_text(paper_id: str, record: Record, how: str, checked: str) -> str:
    """A machine-found record as reviewable YAML (the schema: schemas/arxiv.schema.json)."""
    header = (
        "# Machine-found by `python -m generator enrich` in the arXiv API: review it.\n"
        "# Wrong paper? Set `arxiv:` to the right id, or to `none`, in\n"
        f"# data/curation/papers/{paper_id}.yaml: a curator's value always wins, and a\n"
        "# rerun never touches curation files.\n"
    )
    data = {
        "source": "arXiv API",
        "checked": checked,
        "match": how,
        "arxiv": record.arxiv,
        "version": record.version,
        "title": record.title,
        "authors": list(record.authors),
        "published": record.published,
        "updated": record.updated,
        "category": record.category,
        "abstract_url": record.abstract_url,
        "pdf_url": record.pdf_url,
    }
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=88)
    return header + body


# --------------------------------------------------------------------------- a run


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)
    todo: int = 0
    already: int = 0  # papers that have metadata already
    stopped: str = ""  # why the run ended early, if it did

    def count(self, *kinds: str) -> int:
        return sum(o.kind in kinds for o in self.outcomes)


def plan(catalogue: Catalogue) -> tuple[list[Paper], list[tuple[Paper, str]], int]:
    """(papers to look up by title, papers to look up by their curator's id, papers
    that need nothing): every shown paper without a machine record or a "none"."""
    by_title, by_id, done = [], [], 0
    for paper in catalogue.papers:
        meta = catalogue.meta.get(paper.id)
        if meta and (meta.not_on_arxiv or meta.found):
            done += 1
        elif meta and meta.arxiv:
            by_id.append((paper, meta.arxiv))
        else:
            by_title.append(paper)
    return by_title, by_id, done


def lookup(paper: Paper, client: Client) -> Outcome:
    """Phrase search on the title; if arXiv finds nothing, every distinctive word."""
    records = client.get(query_url(client.base_url, search=title_query(paper.title)))
    if not records and (loose := words_query(paper.title)):
        records = client.get(query_url(client.base_url, search=loose))
    return judge(paper, records)


def lookup_ids(pairs: list[tuple[Paper, str]], client: Client) -> list[Outcome]:
    """The curator's ids, many to a request."""
    outcomes = []
    for start in range(0, len(pairs), IDS_PER_REQUEST):
        chunk = pairs[start : start + IDS_PER_REQUEST]
        url = query_url(client.base_url, ids=[i for _, i in chunk], most=len(chunk))
        records = {r.arxiv: r for r in client.get(url)}
        for paper, wanted in chunk:
            record = records.get(base_id(wanted))
            outcomes.append(
                Outcome(paper, BY_ID, record)
                if record
                else Outcome(paper, MISSING, why=f"arXiv has no paper {wanted}: check the id")
            )
    return outcomes


def run(
    catalogue: Catalogue,
    data_dir: Path,
    client: Client,
    checked: str,
    progress: Callable[[str], None] = print,
    limit: int | None = None,
) -> Report:
    """Look up what lacks metadata, writing each find at once. Stops early, keeping
    everything found, when arXiv cannot be reached or keeps refusing."""
    by_title, by_id, done = plan(catalogue)
    if limit is not None:
        by_id, by_title = by_id[:limit], by_title[: max(0, limit - len(by_id))]
    report = Report(todo=len(by_title) + len(by_id), already=done)
    progress(
        f"{report.todo} papers to look up ({len(by_id)} by their curator's arXiv id), "
        f"{done} already have metadata"
    )

    def record(outcome: Outcome) -> None:
        report.outcomes.append(outcome)
        if outcome.kind in (MATCHED, BY_ID) and outcome.record:
            meta = catalogue.meta.get(outcome.paper.id)
            how = (
                "title and abstract"
                if outcome.kind == MATCHED
                else "listing's arXiv id"
                if meta and "arxiv" in meta.listed
                else "curator's arXiv id"
            )
            text = found_text(outcome.paper.id, outcome.record, how, checked)
            write_whole(found_path(data_dir, outcome.paper.id), text)
        n = len(report.outcomes)
        found = f"{outcome.record.arxiv}v{outcome.record.version}" if outcome.record else ""
        note = f" — {outcome.why}" if outcome.why else ""
        progress(
            f"[{n}/{report.todo}] {outcome.kind:<10} {found:<18} {outcome.paper.title[:60]}{note}"
            f"  (matched {report.count(MATCHED, BY_ID)}, to review "
            f"{report.count(AMBIGUOUS, WITHDRAWN, MISSING)})"
        )

    try:
        for outcome in lookup_ids(by_id, client):
            record(outcome)
        for paper in by_title:
            try:
                record(lookup(paper, client))
            except (NotAnswered, ApiError) as error:
                record(Outcome(paper, UNANSWERED, why=str(error)))
    except Unavailable as error:
        report.stopped = str(error)
    return report


# --------------------------------------------------------------------------- the report


def _md(text: str) -> str:
    """Plain text for a Markdown table cell."""
    return "".join(f"\\{c}" if c in "\\`*_[]<>|#" else c for c in " ".join(text.split()))


def summary(report: Report) -> str:
    left = report.todo - len(report.outcomes)
    line = (
        f"{len(report.outcomes)} of {report.todo} looked up: "
        f"{report.count(MATCHED, BY_ID)} matched, {report.count(AMBIGUOUS)} ambiguous, "
        f"{report.count(WITHDRAWN)} withdrawn, {report.count(MISSING)} not found, "
        f"{report.count(UNANSWERED)} unanswered"
    )
    if report.stopped:
        line += f". Stopped early: {report.stopped}; {left} left for the next run"
    return line


def markdown(report: Report) -> str:
    """The pull request's description: counts, then every paper a human must decide."""
    lines = ["## arXiv metadata, machine-found", "", summary(report) + ".", ""]
    matched = [o for o in report.outcomes if o.kind in (MATCHED, BY_ID)]
    if matched:
        lines += [
            f"**{len(matched)} papers matched** (title and a near-identical abstract, or "
            "a curator's id): their files are in `data/arxiv/`. Check a few against arXiv; "
            "to correct one, see CONTRIBUTING.md.",
            "",
        ]
    review = [o for o in report.outcomes if o.kind in (AMBIGUOUS, WITHDRAWN, MISSING)]
    if review:
        lines += [
            "### For a human: not guessed",
            "",
            "Set `arxiv:` (an id, or `none`) in `data/curation/papers/<paper-id>.yaml`.",
            "",
            "| Paper | What arXiv said | Candidates |",
            "|---|---|---|",
        ]
        for o in review:
            cands = ", ".join(
                f"[{c.record.arxiv}](https://arxiv.org/abs/{c.record.arxiv}) "
                f"(title {c.title:.0%}, abstract {c.abstract:.0%})"
                for c in o.candidates
            )
            lines.append(f"| `{o.paper.id}` | {o.kind}: {_md(o.why)} | {cands or '—'} |")
        lines.append("")
    unanswered = [o for o in report.outcomes if o.kind == UNANSWERED]
    if unanswered:
        lines += [f"{len(unanswered)} papers went unanswered; the next run asks again.", ""]
    return "\n".join(lines)
