"""The catalogue in numbers: counts for the home page and the CLI, plots for the
stats page (drawn by :mod:`generator.render.plots`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from itertools import combinations

from generator.model import Catalogue, Listing, readable_tag
from generator.render.paths import LISTINGS_DIR, listing_slugs, tag_path
from generator.render.plots import Plot

TOP_PAIRS = 20  # tag pairs shown in the co-occurrence chart
LABELLED_LISTINGS = 40  # beyond this many listings, bars in file order without names


def statistics(catalogue: Catalogue) -> dict[str, int]:
    entries = sum(len(lst.entries) for lst in catalogue.listings)
    return {
        "papers": len(catalogue.papers),
        "listings": len(catalogue.listings),
        "entries": entries,
        "merged": entries - len(catalogue.papers),
        "multi": sum(1 for p in catalogue.papers if len(p.listings) > 1),
    }


def plots(
    catalogue: Catalogue,
    label: Callable[[Listing], str],
    link: Callable[[str], str] | None = None,
) -> list[Plot]:
    """The stats page's charts; ``label`` names a listing for readers. A chart with
    nothing to show (no tags, no dates) is left out, and the page says why. ``link``:
    a docs path's URL from the stats page; given, each bar of a tag or a listing and its
    label link to that tag's or listing's page (a reader goes from the count to the papers)."""
    out = []
    slugs = listing_slugs(catalogue.listings, catalogue.listing_meta)

    def links(paths: list[str]) -> tuple[str, ...]:
        return tuple(link(p) for p in paths) if link is not None else ()

    # Tags by their readable names, as chips and tag pages show them
    titles = {t.name: t.title for t in catalogue.vocabulary.tags}

    def title(name: str) -> str:
        return titles.get(name) or readable_tag(name)

    per_tag = Counter(t for p in catalogue.papers for t in p.tags)
    if per_tag:
        ranked = sorted(per_tag.items(), key=lambda kv: (-kv[1], kv[0]))
        out.append(
            Plot(
                "tags",
                "Papers per tag",
                f"Horizontal bars, one per tag, largest first: {title(ranked[0][0])} has the "
                f"most papers ({ranked[0][1]}), {title(ranked[-1][0])} the fewest "
                f"({ranked[-1][1]}).",
                tuple(title(t) for t, _ in ranked),
                tuple(n for _, n in ranked),
                "papers",
                links=links([tag_path(t) for t, _ in ranked]),
            )
        )
    listed = [(label(lst), len(catalogue.listing_papers(lst))) for lst in catalogue.listings]
    if listed:
        many = len(listed) > LABELLED_LISTINGS
        out.append(
            Plot(
                "listings",
                "Papers per listing",
                ("Bars in the order the listings were added" if many else "Bars, one per listing")
                + f"; {len(listed)} listings, {min(n for _, n in listed)} to "
                f"{max(n for _, n in listed)} papers each.",
                tuple(name for name, _ in listed),
                tuple(n for _, n in listed),
                "papers",
                horizontal=not many,
                links=links([f"{LISTINGS_DIR}/{slugs[lst.name]}.md" for lst in catalogue.listings]),
            )
        )
    months = Counter(
        meta.published[:7] for meta in catalogue.meta.values() if meta and meta.published
    )
    if months:
        span = _month_range(min(months), max(months))
        out.append(
            Plot(
                "dates",
                "Papers per month of first submission",
                f"Bars, one per month from {span[0]} to {span[-1]}: how many papers were first "
                f"submitted to arXiv that month ({sum(months.values())} papers with a date).",
                tuple(span),
                tuple(months.get(m, 0) for m in span),
                "papers",
                horizontal=False,
            )
        )
    pairs = Counter(pair for p in catalogue.papers for pair in combinations(sorted(set(p.tags)), 2))
    if pairs:
        top = sorted(pairs.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_PAIRS]
        (a, b), most = top[0]
        out.append(
            Plot(
                "pairs",
                "Tags that go together",
                f"Horizontal bars for the {len(top)} pairs of tags most often on one paper; "
                f"{title(a)} and {title(b)} share the most ({most} papers).",
                tuple(f"{title(a)} + {title(b)}" for (a, b), _ in top),
                tuple(n for _, n in top),
                "papers with both tags",
            )
        )
    return out


def _month_range(first: str, last: str) -> list[str]:
    year, month = (int(x) for x in first.split("-"))
    out = []
    while f"{year:04d}-{month:02d}" <= last:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out
