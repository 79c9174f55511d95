"""The related papers made in the build's second process: the tasks the pipeline hands
its worker (:class:`generator.infra.worker.Worker`), and taking their result back.

The model is fitted (:func:`fit_model`) from the listings' texts as soon as they are
parsed, while the first process deduplicates, curates and tags; the deduplicated papers
are folded in and their candidates by score found as soon as they are known
(:func:`start_lists`: no tag is read for them), brought up to date with the curated
papers and their tags (:func:`related_links`), and :func:`with_related` puts the lists on
the papers, or makes them in the calling process if the worker could not. Without a worker
(``InProcess``) the same functions run one after the other in the calling process.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import Future
from dataclasses import replace
from typing import TYPE_CHECKING

from generator.infra.cache import Cache
from generator.infra.worker import give_back_memory
from generator.model import Paper, Related

if TYPE_CHECKING:  # NumPy and SciPy are for the worker: the first process never imports them
    from generator.analyse.related.links import Content
    from generator.analyse.related.model import Model

# In the worker: the model each build's fit found, by the build's key, for the lists
# that follow it (the last one only).
FITTED: dict[str, str] = {}
# In the worker: the lists' content part a build started (:func:`start_lists`), by the
# build's key, until its :func:`related_links` takes it.
STARTED: dict[str, Content] = {}


def fit_model(basis: list[tuple[str, str]], cache: Cache, build: str) -> None:
    """In the worker: fit or find the related model of the basis texts, for
    :func:`related_links` of the same ``build``. (Imported there: NumPy and SciPy are
    a quarter of a second's import.)"""
    from generator.analyse.related.entities import entities
    from generator.analyse.related.model import model_for

    FITTED.clear()
    FITTED[build] = model_for(basis, cache).key
    # The names each text writes, while the first process still curates: relating then
    # finds them remembered for every paper whose text the listings hold as it is.
    for title, abstract in basis:
        entities(title, abstract)


def texts_of(papers: Iterable[Paper], plain: Callable[[str], str]) -> list[tuple[str, str, str]]:
    """(id, title, abstract) of each paper as relating reads it (``plain``: LaTeX read as
    text, as curation reads it), for :func:`start_lists`."""
    return [(p.id, plain(p.written_title), plain(p.written_abstract)) for p in papers]


def start_lists(texts: list[tuple[str, str, str]], cache: Cache, build: str) -> None:
    """In the worker, as soon as the deduplicated papers are known: the lists' content
    part (each paper folded in, its top candidates by score; :func:`.links.content`),
    which reads no tag, while the first process curates and tags. :func:`related_links`
    brings it up to date with the curated texts. Nothing is started if this process did
    not fit this build's model."""
    from generator.analyse.related.incremental import PaperText
    from generator.analyse.related.links import content

    STARTED.clear()  # another build's (a `serve` rebuild's) is never brought up to date
    model = _fitted(build, cache)
    if model is not None and len(texts) >= 2 and model.vocabulary:
        STARTED[build] = content([PaperText(*t) for t in texts], model, cache)


def related_links(
    texts: list[tuple[str, str, str, tuple[str, ...]]], cache: Cache, build: str
) -> dict[str, tuple[Related, ...]] | None:
    """In the worker: each paper's related papers by id, from (id, title, abstract, tags),
    under the model this build's fit found, from the content part :func:`start_lists`
    began if it did; None if this process did not fit the model (the fit failed, or the
    worker was replaced since)."""
    from generator.analyse.related.incremental import PaperText
    from generator.analyse.related.links import related_links as links_under

    early = STARTED.pop(build, None)  # taken once: never reused by a later task
    model = _fitted(build, cache)
    if model is None:
        return None
    return links_under([PaperText(*t) for t in texts], model, cache, early=early)


def _fitted(build: str, cache: Cache) -> Model | None:
    """The model this process fitted for ``build``, if it still has it."""
    from generator.analyse.related.model import kept_model

    model_key = FITTED.get(build)
    return None if model_key is None else kept_model(model_key, cache)


def forget_texts() -> None:
    """In the worker, after :func:`related_links` (a task of its own, so that the lists
    are not held back by it): the data files come next there, and
    what relating used goes back to the system first."""
    from generator.analyse.related.tokens import forget_texts as forget

    forget()
    give_back_memory()


def with_related(
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
