"""Raw HTML blocks of generated pages, set aside before Python-Markdown converts a page
and put back after: Python-Markdown would leave them as they are, but its HTML parser was
most of the conversion's time."""

from __future__ import annotations

import re

# A block of generated Markdown that is one raw HTML element: Python-Markdown would
# pass it through untouched, so it can be set aside and put back.
_RAW_BLOCK = re.compile(r"<(ul|ol|dl|p|pre|div|table)[\s>]")


def set_aside_html(markdown: str) -> tuple[str, list[str]]:
    """Markdown with each raw HTML block replaced by a placeholder paragraph."""
    blocks, kept = markdown.split("\n\n"), []
    for i, block in enumerate(blocks):
        head = _RAW_BLOCK.match(block)
        if head and block.rstrip().endswith(f"</{head.group(1)}>"):
            blocks[i] = f"PCRAWHTML{len(kept)}X"
            kept.append(block.strip("\n"))
    return "\n\n".join(blocks), kept


def put_back_html(html: str, kept: list[str]) -> str:
    for n, block in enumerate(kept):
        html = html.replace(f"<p>PCRAWHTML{n}X</p>", block, 1)
    return html
