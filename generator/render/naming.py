"""How listings are named to readers, and where a paper files in the A–Z."""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Callable, Mapping

from generator.model import Catalogue, Listing, ListingMeta
from generator.text.fold import match_key

DIGITS, OTHER = "0–9", "Other"


def listing_label(listing: Listing, meta: ListingMeta | None = None) -> str:
    """How a listing is named to readers: a curator's title, else its kind and date (never
    its file name, which is the repository's word, not a reader's)."""
    if meta and meta.title:
        return meta.title
    return f"Daily papers, {listing.date}" if listing.date else "Trending papers digest"


def listing_labels(
    listings: tuple[Listing, ...], meta: Mapping[str, ListingMeta]
) -> dict[str, str]:
    """Every listing's name for readers, by file name; names that would read alike (two
    undated digests without a curator's title) are numbered in file order."""
    labels = {lst.name: listing_label(lst, meta.get(lst.name)) for lst in listings}
    counts = Counter(labels.values())
    seen: Counter[str] = Counter()
    for listing in listings:
        label = labels[listing.name]
        if counts[label] > 1:
            seen[label] += 1
            labels[listing.name] = f"{label} ({seen[label]})"
    return labels


def labeller(catalogue: Catalogue) -> Callable[[Listing], str]:
    """How a listing of ``catalogue`` is named for readers."""
    labels = listing_labels(catalogue.listings, catalogue.listing_meta)
    return lambda listing: labels[listing.name]


def initial(title: str) -> str:
    """The A–Z section a title files under: its first letter, accents off; digits
    under '0–9', other scripts and symbols under 'Other'."""
    for char in unicodedata.normalize("NFKD", title):
        if char.isalpha():
            letter = char.upper()
            return letter if "A" <= letter <= "Z" else OTHER
        if char.isdigit():
            return DIGITS
    return OTHER


def az_key(title: str) -> tuple[str, str]:
    return (match_key(title), title)
