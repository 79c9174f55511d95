"""The catalogue's numbers as plots: static SVG drawn at build time by matplotlib.

Each plot is inlined in the stats page, so it takes the page's colours: matplotlib
draws text and axes in a placeholder colour that becomes ``currentColor`` and bars in
one that becomes a CSS variable (``--pc-plot-bar``), which the stylesheet sets for the
light and the dark scheme. Text stays text (``svg.fonttype: none``: readable, found
by the browser's find, in the page's own font), and each SVG is an image with a
title and a description (``role="img"``, ``aria-labelledby``); the page gives the
numbers as a table too. Output is byte-stable: no date in the metadata, and ids
salted per plot so two plots on one page never share one.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from functools import cache

from generator.text.escaping import html_text

TEXT, BAR = "#010101", "#020202"  # placeholders, replaced in the SVG
BAR_LINK = "#pc-bar-link"  # ends a bar's link as matplotlib writes it (see _link)
_LINK = re.compile(r'<a xlink:href="([^"#]*)(#pc-bar-link)?" target="_blank">')
_SIZE = re.compile(r'<svg([^>]*?) width="[^"]*" height="[^"]*"')
_FONT = re.compile(r"font-family: [^;\"]*")
_METADATA = re.compile(r"<metadata>.*?</metadata>", re.S)
_ID = re.compile(r' id="([^"]+)"')
_REFERENCE = re.compile(r'(url\(#|href="#)([^)"]+)')


@dataclass(frozen=True)
class Plot:
    """One chart: ``name`` is unique on the page (it salts the SVG's ids)."""

    name: str
    title: str
    description: str  # what the chart shows, in words (its accessible description)
    labels: tuple[str, ...]
    values: tuple[int, ...]
    axis: str  # what the values count
    horizontal: bool = True
    # Each label's page, as a URL from the stats page (or none): its bar and its label
    # link there. Part of the plot, so of its cache key.
    links: tuple[str, ...] = ()


def _figure(plot: Plot):
    # Imported here: matplotlib is needed only when the stats change (the page is cached).
    import matplotlib

    matplotlib.use("svg")
    from matplotlib.figure import Figure

    n = len(plot.labels)
    rc = {
        "svg.fonttype": "none",
        # Labels are curators' and authors' text: a "$" in a listing's name is a dollar,
        # not mathtext (which drew $…$ as a formula and raised on $x^$ or $\\foo$).
        "text.parse_math": False,
        "svg.hashsalt": f"paper-catalogue-{plot.name}",
        "font.size": 9,
        "text.color": TEXT,
        "axes.labelcolor": TEXT,
        "axes.edgecolor": TEXT,
        "xtick.color": TEXT,
        "ytick.color": TEXT,
    }
    with matplotlib.rc_context(rc):
        if plot.horizontal:
            fig = Figure(figsize=(7.5, 0.6 + 0.2 * n), layout="constrained")
            ax = fig.add_subplot()
            positions = range(n)
            bars = ax.barh(positions, plot.values, color=BAR, height=0.7)
            ax.set_yticks(positions, plot.labels)
            _link(bars, ax.get_yticklabels(), plot.links)
            ax.margins(y=0.01)
            ax.invert_yaxis()  # the largest first, at the top
            ax.set_xlabel(plot.axis)
            ax.grid(axis="x", color=TEXT, alpha=0.15)
            for i, value in enumerate(plot.values):
                ax.annotate(
                    str(value),
                    (value, i),
                    xytext=(3, 0),
                    textcoords="offset points",
                    va="center",
                )
        else:
            fig = Figure(figsize=(7.5, 3.2), layout="constrained")
            ax = fig.add_subplot()
            positions = range(n)
            bars = ax.bar(positions, plot.values, color=BAR, width=0.8)
            step = max(1, n // 12)
            ax.set_xticks(positions[::step], plot.labels[::step], rotation=45, ha="right")
            _link(bars, [], plot.links)
            _link([], ax.get_xticklabels(), plot.links[::step])
            ax.set_ylabel(plot.axis)
            ax.grid(axis="y", color=TEXT, alpha=0.15)
        ax.set_axisbelow(True)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        ax.set_facecolor("none")
        fig.patch.set_alpha(0)
        out = io.StringIO()
        fig.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
    return out.getvalue()


def _link(bars, labels, links: tuple[str, ...]) -> None:
    """Bars and labels as links (matplotlib writes an ``<a>`` around each). A bar's
    link is marked so that :func:`svg` can keep it out of the tab order: its label
    is the same link, with a name."""
    for bar, url in zip(bars, links, strict=False):
        bar.set_url(url + BAR_LINK)
    for label, url in zip(labels, links, strict=False):
        label.set_url(url)


@cache
def svg(plot: Plot) -> str:
    """The chart as an inline ``<svg>`` element (one line: safe inside a raw HTML block)."""
    text = _figure(plot)
    text = text[text.index("<svg") :]
    ident = f"pc-plot-{plot.name}"
    text = _SIZE.sub(r'<svg\1 class="pc-plot-svg"', text, count=1)
    text = text.replace(
        "<svg",
        f'<svg role="img" aria-labelledby="{ident}-title {ident}-desc"',
        1,
    )
    text = _METADATA.sub("", text)
    # matplotlib names every group (figure_1, axes_1): four charts on a page would
    # repeat those ids. Only ids something points at (clip paths) are kept, prefixed.
    used = {m.group(2) for m in _REFERENCE.finditer(text)}
    text = _ID.sub(lambda m: f' id="{ident}-{m.group(1)}"' if m.group(1) in used else "", text)
    text = _REFERENCE.sub(lambda m: f"{m.group(1)}{ident}-{m.group(2)}", text)
    # Its stylesheet's "*" would reach the whole page once the SVG is inline.
    text = text.replace('<style type="text/css">*{', "<style>.pc-plot-svg *{")
    text = text.replace(TEXT, "currentColor").replace(BAR, "var(--pc-plot-bar)")
    # Links open in the page's own tab (matplotlib opens a new one). A bar's link is
    # its label's again: out of the tab order and the accessibility tree, for the pointer.
    text = _LINK.sub(
        lambda m: (
            f'<a href="{m.group(1)}"'
            + (' tabindex="-1" aria-hidden="true">' if m.group(2) else ">")
        ),
        text,
    )
    if plot.links:
        # Links inside an image are not exposed to assistive technology (its children
        # are presentational): a chart with links is a labelled group of them instead.
        text = text.replace('<svg role="img"', '<svg role="group"', 1)
    text = _FONT.sub("font-family: inherit", text)
    head_end = text.index(">", text.index("<svg")) + 1
    labels = (
        f'<title id="{ident}-title">{html_text(plot.title)}</title>'
        f'<desc id="{ident}-desc">{html_text(plot.description)}</desc>'
    )
    text = text[:head_end] + labels + text[head_end:]
    return " ".join(line.strip() for line in text.splitlines() if line.strip())


def table(plot: Plot, label_heading: str) -> str:
    """The chart's numbers as an HTML table, for exact values and for readers who
    do not see the chart."""
    rows = "".join(
        f"<tr><td>{html_text(label)}</td><td>{value}</td></tr>"
        for label, value in zip(plot.labels, plot.values, strict=True)
    )
    return (
        f"<table><thead><tr><th>{html_text(label_heading)}</th><th>{html_text(plot.axis)}"
        f"</th></tr></thead><tbody>{rows}</tbody></table>"
    )
