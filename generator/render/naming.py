"""How listings are named to readers, and where a paper files in the A–Z."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from generator.model import Catalogue, Listing, ListingMeta
from generator.text.fold import match_key

DIGITS, OTHER = "0–9", "Other"


def listing_label(listing: Listing, meta: ListingMeta | None = None) -> str:
    """How a listing is named to readers: a curator's title, else its kind, date and file."""
    if meta and meta.title:
        return meta.title
    kind = f"Daily papers, {listing.date}" if listing.date else "Trending papers digest"
    return f"{kind} ({listing.stem})"


def labeller(catalogue: Catalogue) -> Callable[[Listing], str]:
    """How a listing of ``catalogue`` is named for readers."""
    return lambda listing: listing_label(listing, catalogue.listing_meta.get(listing.name))


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
