"""Raw HTML blocks of generated pages, set aside before Python-Markdown converts a page
and put back after: Python-Markdown would leave them as they are, but its HTML parser was
most of the conversion's time."""

from __future__ import annotations

import re

# A block of generated Markdown that is one raw HTML element: Python-Markdown would
# pass it through untouched, so it can be set aside and put back.
_RAW_BLOCK = re.compile(r"<(ul|ol|dl|p|pre|div|table)[\s>]")
# The build's placeholder markers come in four families, each spelled in one place:
# PCRAWHTML{n}X (mkdocs_site/raw_html.py), PCSHELL{n}X and PCFOLD{n}X
# (mkdocs_site/shell.py), and the charts' data-pc-chart (render/charts.py).
# This one stands, as a paragraph of its own, for the n-th block set aside: letters and
# digits only, so Python-Markdown leaves it as it is.
RAW_HTML_MARK = "PCRAWHTML{}X"


def set_aside_html(markdown: str) -> tuple[str, list[str]]:
    """Markdown with each raw HTML block replaced by a placeholder paragraph."""
    blocks, kept = markdown.split("\n\n"), []
    for i, block in enumerate(blocks):
        head = _RAW_BLOCK.match(block)
        if head and block.rstrip().endswith(f"</{head.group(1)}>"):
            blocks[i] = RAW_HTML_MARK.format(len(kept))
            kept.append(block.strip("\n"))
    return "\n\n".join(blocks), kept


def put_back_html(html: str, kept: list[str]) -> str:
    for n, block in enumerate(kept):
        html = html.replace(f"<p>{RAW_HTML_MARK.format(n)}</p>", block, 1)
    return html
