"""The related papers made in the build's second process: the tasks the pipeline hands
its worker (:class:`generator.infra.worker.Worker`), and taking their result back.

The model is fitted (:func:`fit_model`) from the listings' texts as soon as they are
parsed, while the first process deduplicates, curates and tags; the curated papers are
then folded in (:func:`related_links`), and :func:`with_related` puts the lists on the
papers, or makes them in the calling process if the worker could not. Without a worker
(``InProcess``) the same functions run one after the other in the calling process.
"""

from __future__ import annotations

from concurrent.futures import Future
from dataclasses import replace

from generator.infra.cache import Cache
from generator.infra.worker import give_back_memory
from generator.model import Paper, Related

# In the worker: the model each build's fit found, by the build's key, for the lists
# that follow it (the last one only).
FITTED: dict[str, str] = {}


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


def related_links(
    texts: list[tuple[str, str, str, tuple[str, ...]]], cache: Cache, build: str
) -> dict[str, tuple[Related, ...]] | None:
    """In the worker: each paper's related papers by id, from (id, title, abstract, tags),
    under the model this build's fit found; None if this process did not fit it (the
    fit failed, or the worker was replaced since)."""
    from generator.analyse.related.incremental import PaperText
    from generator.analyse.related.links import related_links as links_under
    from generator.analyse.related.model import kept_model

    model_key = FITTED.get(build)
    model = None if model_key is None else kept_model(model_key, cache)
    return None if model is None else links_under([PaperText(*t) for t in texts], model, cache)


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
