"""The map page's picture: every paper a point (generator/analyse/atlas.py), coloured and
shaped by its tag group, each a link to its page named by its title.

Each group has a shape as well as a colour (WCAG 1.4.1: colour is never the only cue), so
a reader who does not tell the palette's colours apart still tells the groups apart, on
the map and in its legend, which draw the same marks.

Static inline SVG: no script is needed to see it or follow a point (docs/javascripts/
map.js only shows the title of the point under the pointer or the keyboard's focus,
which the points' ``<title>`` also gives as the browser's own tooltip). Each point is an
``<a>`` with a ``<title>``: its accessible name, so a screen reader reads the map as a
labelled group of links to papers. Points come in reading order (bands from the top,
left to right), so Tab moves across the map as the eye does.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from generator.analyse.atlas import GRID, sample
from generator.infra import keys
from generator.infra.cache import Cache
from generator.model import Catalogue
from generator.render.paths import UrlRule, paper_path, relative_url
from generator.text.escaping import html_text

MAP_PAGE = "map.md"
MARK = '<svg data-pc-chart="pc-map"></svg>'  # the map page's placeholder (render/charts.py)
RADIUS = 7  # a point, in grid units (the grid is GRID wide)
MARGIN = 10
BAND = 40  # reading order: points in bands this high, each left to right


# A group's mark, as path commands relative to the point's centre (``None``: a circle):
# outlines that stay distinct at a point's size and in any of the palette's colours.
SHAPES: tuple[str | None, ...] = (
    None,  # circle
    "m-6-6h12v12h-12z",  # square
    "m0-8l7 12h-14z",  # triangle
    "m0-8l8 8-8 8-8-8z",  # diamond
    "m0 8l7-12h-14z",  # triangle, point down
    "m-2.5-7h5v4.5h4.5v5h-4.5v4.5h-5v-4.5h-4.5v-5h4.5z",  # plus
    "m-7 0l3.5-6h7l3.5 6-3.5 6h-7z",  # hexagon
    "m0-7.5l7.1 5.2-2.7 8.3h-8.8l-2.7-8.3z",  # pentagon
    "m-7-4.5l2.5-2.5 4.5 4.5 4.5-4.5 2.5 2.5-4.5 4.5 4.5 4.5-2.5 2.5-4.5-4.5-4.5 4.5"
    "-2.5-2.5 4.5-4.5z",  # cross
)
NO_GROUP_RADIUS = 4  # a paper with no tag: a small grey dot


def mark(group: int, x: float, y: float) -> str:
    """The SVG element of a point of ``group`` (-1: none) centred at (x, y); groups past
    the shapes' count repeat them (their colours still differ)."""
    if group < 0:
        return f'<circle cx="{x}" cy="{y}" r="{NO_GROUP_RADIUS}"/>'
    shape = SHAPES[group % len(SHAPES)]
    if shape is None:
        return f'<circle cx="{x}" cy="{y}" r="{RADIUS}"/>'
    return f'<path d="M{x} {y}{shape}"/>'


@dataclass(frozen=True)
class MapInput:
    """All the map is drawn from, sent as is to the worker that draws it."""

    papers: tuple[tuple[str, str, str], ...]  # (id, title, abstract), as the model reads them
    links: tuple[str, ...]  # each paper's page, from the map page
    colours: tuple[int, ...]  # each paper's group (its index in ``groups``), -1 for none
    groups: tuple[str, ...]
    model: str  # the related model's key
    key: str
    # each paper's listings (file names), which a large catalogue's sample is drawn by
    listings: tuple[tuple[str, ...], ...] = ()

    def shown(self) -> int:
        """How many papers the map draws (all, or its sample's)."""
        return len(sample([p[0] for p in self.papers], listings=self.listings))


def group_of(tags: tuple[str, ...], groups: dict[str, int]) -> int:
    """A paper's colour: the group most of its tags are in (the taxonomy's first on a
    tie), -1 when it has none."""
    counted = Counter(groups[t] for t in tags if t in groups)
    if not counted:
        return -1
    return min(counted, key=lambda g: (-counted[g], g))


def map_input(catalogue: Catalogue, url: UrlRule) -> MapInput:
    vocabulary = catalogue.vocabulary
    index = {g: i for i, g in enumerate(vocabulary.groups)}
    tag_group = {t.name: index[t.group] for t in vocabulary.tags if t.group in index}
    papers = tuple((p.id, p.title, p.abstract) for p in catalogue.papers)
    links = tuple(relative_url(url, MAP_PAGE, paper_path(p.id)) for p in catalogue.papers)
    colours = tuple(group_of(p.tags, tag_group) for p in catalogue.papers)
    listings = tuple(p.listings for p in catalogue.papers)
    key = keys.atlas(
        catalogue.related_model,
        (
            (*paper, link, str(c), "\0".join(names))  # a file name holds no NUL
            for paper, link, c, names in zip(papers, links, colours, listings, strict=True)
        ),
        vocabulary.groups,
    )
    return MapInput(
        papers, links, colours, vocabulary.groups, catalogue.related_model, key, listings
    )


def draw(plan: MapInput, cache: Cache) -> str:
    """The map as one line of inline SVG (placed: :func:`generator.analyse.atlas.layout`)."""
    from generator.analyse.atlas import layout
    from generator.analyse.related.incremental import PaperText

    points = layout([PaperText(*p) for p in plan.papers], plan.model, cache, plan.listings)
    at = {p[0]: i for i, p in enumerate(plan.papers)}
    order = sorted(points, key=lambda pid: (points[pid][1] // BAND, points[pid][0], pid))
    width = max((x for x, _ in points.values()), default=GRID) + 2 * MARGIN
    height = max((y for _, y in points.values()), default=GRID) + 2 * MARGIN
    shown = len(points)
    total = len(plan.papers)
    what = f"{shown} papers" if shown == total else f"{shown} of the {total} papers (a sample)"
    parts = [
        f'<svg class="pc-map-svg" role="group" aria-labelledby="pc-map-title pc-map-desc" '
        f'viewBox="{-MARGIN} {-MARGIN} {width} {height}" xmlns="http://www.w3.org/2000/svg">'
        '<title id="pc-map-title">Map of the catalogue</title>'
        f'<desc id="pc-map-desc">{what}, each a point placed near the papers its text '
        "reads like, coloured and shaped by its tag group; each point links to its paper.</desc>"
    ]
    for pid in order:
        i = at[pid]
        x, y = points[pid]
        colour = plan.colours[i]
        parts.append(
            f'<a href="{html_text(plan.links[i])}" class="g{colour if colour >= 0 else "x"}">'
            f"<title>{html_text(plan.papers[i][1])}</title>"
            f"{mark(colour, x, y)}</a>"
        )
    parts.append("</svg>")
    return "".join(parts)
