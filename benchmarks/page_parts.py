"""Where a built paper page's bytes go: the page cut into the parts a reader sees or the
browser needs, each part's bytes summed over the site's paper pages (issue 31, item 2).

    python benchmarks/page_parts.py SITE_DIR [--page papers/<id>/index.html]
    python benchmarks/page_parts.py SITE_DIR --by-part   # the whole site's bytes by part

SITE_DIR must be built as the Pages workflow builds it, with ``SITE_URL`` set (and
``REPO_URL``, ``EDIT_URI``: ``scale.PUBLISHED``): only then do pages carry their
canonical link, ``og:url`` and the repository's link, which are bytes of every
published page. A site without canonical links is refused unless ``--unpublished``.

Prints the median and largest paper page, and for each part its median and mean bytes a
page and its share of all paper-page bytes. The parts are found by their markup (Material
9.8's classes and this site's own), first match wins, in the order of ``PARTS``; what no
part claims is "other" (the <html>/<body> tags, the layout's wrapping <div>s). The
article (the paper) is cut the same way into its own parts (``ARTICLE_PARTS``: title,
byline, edit link, related, BibTeX…), printed as "of which: article: …".
"""

from __future__ import annotations

import argparse
import re
import statistics
from pathlib import Path

# (part, pattern): a part is what its pattern's matches hold that no earlier part
# claimed. Patterns match whole elements of Material's or the site's markup.
PARTS: list[tuple[str, str]] = [
    ("content (the paper)", r'<article class="md-content__inner md-typeset">.*?</article>'),
    ("head: citation_*", r'<meta name="citation_[^>]*>'),
    ("head: OpenGraph", r'<meta property="og:[^>]*>'),
    ("head: Twitter card", r'<meta name="twitter:[^>]*>'),
    ("head: JSON-LD", r'<script type="application/ld\+json">.*?</script>'),
    ("head: description", r'<meta name="description"[^>]*>'),
    ("head: CSP", r'<meta http-equiv="Content-Security-Policy"[^>]*>'),
    ("head: title", r"<title>.*?</title>"),
    ("head: canonical", r'<link rel="canonical"[^>]*>'),
    ("head: stylesheets", r'<link rel="stylesheet"[^>]*>'),
    ("head: other meta/link", r"<meta [^>]*>|<link [^>]*>"),
    ("inline scripts (__md_scope)", r"<script>.*?</script>"),
    (
        "search box (dialog)",
        r'<div class="md-search".*?</form><div class="md-search__output">'
        r".*?</ol></div></div></div></div></div>",
    ),
    (
        "palette (dark mode)",
        r'<form class="md-header__option" data-md-component="palette">'
        r".*?</form>",
    ),
    ("navigation tabs", r'<nav class="md-tabs".*?</nav>'),
    ("repository link", r'<a href="[^"]*" title="[^"]*" class="md-source">.*?</a>'),
    (
        "drawer (sidebar nav)",
        r'<div class="md-sidebar md-sidebar--primary".*?</nav></div></div></div>',
    ),
    ("header (logo, title, buttons)", r'<header class="md-header".*?</header>'),
    ("back to top", r'<button type="button" class="md-top.*?</button>'),
    ("footer", r'<footer class="md-footer">.*?</footer>'),
    ("config JSON", r'<script id="__config".*?</script>'),
    ("script tags", r"<script src=[^>]*></script>"),
    (
        "toggles, skip link, dialog",
        r'<input class="md-toggle"[^>]*>|<label class="md-overlay"[^>]*>'
        r'</label>|<div data-md-component="skip">.*?</div>|<div data-md-component="announce"></div>'
        r'|<div class="md-dialog".*?</div></div>',
    ),
]
_COMPILED = [(name, re.compile(pattern, re.S)) for name, pattern in PARTS]

# The article's own parts (the paper: generator/render/templates/paper.md.j2), the same
# way: first match wins, what none claims is "article: other" (headings, wrappers).
ARTICLE_PARTS: list[tuple[str, str]] = [
    ("article: title", r"<h1.*?</h1>"),
    ("article: byline", r'<p class="pc-paper-byline">.*?</p>'),
    ("article: buttons", r'<p class="pc-actions">.*?</p>'),
    ("article: tags", r'<p class="pc-tags">.*?</p>'),
    ("article: abstract", r'<p class="pc-abstract">.*?</p>'),
    ("article: edit link", r'<a class="pc-edit".*?</a>'),
    ("article: links", r'<p class="pc-links">.*?</p>'),
    ("article: notes (source, upvotes)", r'<p class="pc-(?:source|listed|curator-note)">.*?</p>'),
    (
        "article: related",
        r'<ul class="pc-papers pc-related">.*?</ul>|<p class="pc-no-related">.*?</p>',
    ),
    ("article: see also", r'<h2 id="see-also".*?(?=<h2 id="cite")'),
    ("article: BibTeX", r'<h2 id="cite".*?</div>'),
    ("article: listings", r'<h2 id="listings".*?</ul>'),
]
_ARTICLE = [(name, re.compile(pattern, re.S)) for name, pattern in ARTICLE_PARTS]
_ARTICLE_ELEMENT = re.compile(PARTS[0][1], re.S)
_USE = re.compile(r"<svg [^>]*><use [^>]*></use></svg>")


def parts(html: str) -> dict[str, int]:
    """Bytes (UTF-8) of each part of ``html``; icons are counted inside their parts and
    also on their own line ("of which: icons"), the article's parts on theirs."""
    sizes = _claimed(html, _COMPILED, "other")
    sizes["of which: icons (<svg><use>)"] = sum(len(m.group()) for m in _USE.finditer(html))
    article = _ARTICLE_ELEMENT.search(html)
    inner = _claimed(article.group() if article else "", _ARTICLE, "article: other")
    sizes |= {f"of which: {name}": size for name, size in inner.items()}
    return sizes


def _claimed(html: str, compiled: list[tuple[str, re.Pattern[str]]], rest: str) -> dict[str, int]:
    """Bytes of each pattern's matches that no earlier pattern claimed, and the rest."""
    taken = [False] * len(html)
    sizes: dict[str, int] = {}
    for name, pattern in compiled:
        total = 0
        for match in pattern.finditer(html):
            # a part holds what no earlier part claimed (the header around the
            # search box and the palette, say)
            for i in range(*match.span()):
                if not taken[i]:
                    taken[i] = True
                    total += len(html[i].encode())
        sizes[name] = total
    sizes[rest] = len("".join(c for c, t in zip(html, taken, strict=True) if not t).encode())
    return sizes


# The site's parts by where their files lie (first match wins; the rest is "other").
SITE_PARTS: list[tuple[str, tuple[str, ...]]] = [
    ("paper pages", ("papers/",)),
    ("tag pages", ("tags/",)),
    ("listing pages", ("listings/",)),
    ("A–Z", ("a-z/",)),
    ("feeds", ("feeds/", "feed.xml", "feed.json")),
    ("BibTeX", ("bib/", "catalogue.bib")),
    ("catalogue.json and shards", ("catalogue.json", "catalogue/", "catalogue-")),
    ("search", ("search/",)),
    ("sitemap", ("sitemap",)),
    ("theme and scripts", ("assets/", "javascripts/", "stylesheets/")),
]
TAR_BLOCK = 512


def site_parts(site: Path) -> dict[str, tuple[int, int, int]]:
    """Each part's (bytes, files, bytes in a tar): files summed as they lie, and as
    ``upload-pages-artifact``'s tar packs them, a 512-byte header a file and folder and
    each file padded to 512 bytes (an estimate; scale.py counts the real tar)."""
    parts = {name: [0, 0, 0] for name, _ in SITE_PARTS} | {"other": [0, 0, 0]}
    for path in sorted(site.rglob("*")):
        rel = path.relative_to(site).as_posix()
        name = next((n for n, starts in SITE_PARTS if rel.startswith(starts)), "other")
        part = parts[name]
        if path.is_dir():
            part[2] += TAR_BLOCK
            continue
        size = path.stat().st_size
        part[0] += size
        part[1] += 1
        part[2] += TAR_BLOCK + -(-size // TAR_BLOCK) * TAR_BLOCK
    return {name: (b, f, t) for name, (b, f, t) in parts.items()}


def print_site_parts(site: Path) -> None:
    parts = site_parts(site)
    print(f"{'part':28} {'bytes':>15} {'files':>7} {'tar bytes (est.)':>17}")
    for name, (size, files, tar) in parts.items():
        print(f"{name:28} {size:15,} {files:7,} {tar:17,}")
    total = [sum(v[i] for v in parts.values()) for i in range(3)]
    # the root folder's header, two empty blocks to end it, whole 10 KiB records
    tar = -(-(total[2] + 3 * TAR_BLOCK) // (20 * TAR_BLOCK)) * 20 * TAR_BLOCK
    print(f"{'site':28} {total[0]:15,} {total[1]:7,} {tar:17,}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--page", help="also print the parts of this one page")
    parser.add_argument(
        "--unpublished", action="store_true", help="measure a site built without SITE_URL"
    )
    parser.add_argument("--by-part", action="store_true", help="the site's bytes by part")
    args = parser.parse_args()
    pages = sorted((args.site / "papers").glob("*/index.html"))
    if not pages:
        raise SystemExit(f"{args.site}: no paper pages (papers/*/index.html)")
    if not args.unpublished and '<link rel="canonical"' not in pages[0].read_text("utf-8"):
        raise SystemExit(
            f"{pages[0]}: no canonical link, so the site was built without SITE_URL and is "
            "not the one Pages publishes; build it with scale.PUBLISHED's variables set "
            "(or pass --unpublished)"
        )
    if args.by_part:
        print_site_parts(args.site)
        return
    sizes = [p.stat().st_size for p in pages]
    print(
        f"{len(pages)} paper pages: total {sum(sizes):,} B, median "
        f"{statistics.median(sizes):,.0f} B, max {max(sizes):,} B, min {min(sizes):,} B"
    )
    per_part: dict[str, list[int]] = {}
    for page in pages:
        for name, size in parts(page.read_text("utf-8")).items():
            per_part.setdefault(name, []).append(size)
    total = sum(sizes)
    print(f"{'part':44} {'median':>8} {'mean':>8} {'share':>7}")
    for name, values in per_part.items():
        share = 100 * sum(values) / total
        print(
            f"{name:44} {statistics.median(values):8,.0f} {statistics.mean(values):8,.0f} "
            f"{share:6.1f}%"
        )
    if args.page:
        print(f"\n{args.page}:")
        for name, size in parts((args.site / args.page).read_text("utf-8")).items():
            print(f"  {name:44} {size:8,}")


if __name__ == "__main__":
    main()
