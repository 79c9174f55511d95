"""The stats page's charts: drawn in the worker, cached, and put in the page late."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future

from generator.infra import keys
from generator.infra.cache import Cache
from generator.infra.worker import Worker
from generator.model import Catalogue
from generator.render.atlas import MARK, draw, map_input
from generator.render.naming import labeller
from generator.render.paths import UrlRule, directory_url, relative_url
from generator.render.plots import Plot, svg
from generator.render.stats import plots

# The build's placeholder markers come in four families, each spelled in one place:
# PCRAWHTML{n}X (mkdocs_site/raw_html.py), PCSHELL{n}X and PCFOLD{n}X
# (mkdocs_site/shell.py), and the charts' data-pc-chart (render/charts.py).
# A chart's placeholder starts so (escaped text never holds a "<"); the chart's name ends it.
CHART_MARK = '<svg data-pc-chart="'
STATS_PAGE = "stats.md"  # where the charts are shown


def chart_placeholder(plot: Plot) -> str:
    """What the stats page holds where ``plot``'s chart goes, until :meth:`Charts.fill`."""
    return f'{CHART_MARK}{plot.name}"></svg>'


class Charts:
    """The stats page's charts, drawn once per chart's data (cached: a template edit
    re-renders every page). Those not cached are started in ``worker`` when this is made,
    before the pages render, so matplotlib (its import and layout, a large share of a cold
    build) draws them while this process does something else.

    ``later``: the stats page holds a placeholder for each chart, and its caller puts the
    charts in with :meth:`fill` once the page is converted (the site build does it as the
    theme renders the page, so no page waits for matplotlib: a cold build stood still
    at the stats page). Otherwise the page shows the charts as it is rendered, last."""

    def __init__(
        self,
        catalogue: Catalogue,
        cache: Cache,
        worker: Worker | None = None,
        later: bool = False,
        url: UrlRule = directory_url,
    ):
        self.cache = cache
        self.later = later
        # Bars link to tag and listing pages, by the site's URL rule, from the stats page.
        link = lambda target: relative_url(url, STATS_PAGE, target)  # noqa: E731
        self.plots = plots(catalogue, labeller(catalogue), link)
        self.found: dict[str, str] = {}  # read from the cache once, here
        self.drawing: dict[str, Future[str]] = {}
        # The map page's map (render/atlas.py) is drawn the same way: in the worker,
        # cached, put in late. Started first: it takes longest.
        self.plan = map_input(catalogue, url)
        kept = cache.get("map", self.plan.key)
        if isinstance(kept, str):
            self.found[self.plan.key] = kept
        elif worker is not None:
            self.drawing[self.plan.key] = worker.submit(draw, self.plan, cache)
        for plot in self.plots:
            key = keys.chart(plot)
            kept = cache.get("plot", key)
            if isinstance(kept, str):
                self.found[key] = kept
            elif worker is not None:
                self.drawing[key] = worker.submit(svg, plot)

    def chart(self, plot: Plot) -> str:
        """What the stats page shows for ``plot``: the chart, or its placeholder."""
        return chart_placeholder(plot) if self.later else self.svg(plot)

    def map(self) -> str:
        """What the map page shows for the map: the map, or its placeholder."""
        return MARK if self.later else self.map_svg()

    def fill(self, html: str) -> str:
        """``html`` with each placeholder of :meth:`chart` and :meth:`map` replaced by
        its drawing."""
        for plot in self.plots:
            if chart_placeholder(plot) in html:
                html = html.replace(chart_placeholder(plot), self.svg(plot))
        if MARK in html:
            html = html.replace(MARK, self.map_svg())
        return html

    def map_svg(self) -> str:
        key = self.plan.key
        if key not in self.found:
            self.found[key] = self._drawn(key, lambda: draw(self.plan, self.cache))
            self.cache.put("map", key, self.found[key])
        return self.found[key]

    def svg(self, plot: Plot) -> str:
        key = keys.chart(plot)
        if key not in self.found:
            self.found[key] = self._drawn(key, lambda: svg(plot))
            self.cache.put("plot", key, self.found[key])
        return self.found[key]

    def _drawn(self, key: str, here: Callable[[], str]) -> str:
        future = self.drawing.pop(key, None)
        if future is not None:
            try:
                return future.result()
            except Exception:  # the worker died (it is replaced on its next task): draw here
                pass
        return here()
