"""Which texts the related model is fitted on (:mod:`generator.analyse.related.model`, "Stable and
incremental"). Apart from it, because the build reads the basis in its main process,
which never imports NumPy and SciPy: the worker that fits the model gets the texts
read, the LaTeX in them once, by the reader that curation then uses on the same texts
(the worker had parsed the basis's LaTeX again, a cost that grows with the catalogue).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from generator.model import Listing
from generator.text.latex import plain


def basis_of(
    listings: Sequence[Listing], read: Callable[[str], str] = plain
) -> list[tuple[str, str]]:
    """The texts the model is fitted on: each distinct (title, abstract) of the first
    2**floor(log2(n)) listing files, in file order, LaTeX read as text — so the model
    changes only when an old listing does or the number of listings doubles
    (:mod:`generator.analyse.related.model`). ``read``: :func:`~generator.text.latex.plain`,
    or one that remembers."""
    n = len(listings)
    size = 1 << (n.bit_length() - 1) if n else 0
    seen: dict[tuple[str, str], None] = {}
    for listing in listings[:size]:
        for e in listing.entries:
            seen.setdefault((read(e.title), read(e.abstract)))
    return list(seen)
