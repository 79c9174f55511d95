"""Pages converted from their pieces (a title, then a shape converted once) are the pages
Python-Markdown converts whole.

The builds compare every file of a site built with shapes to one whose every page was
converted whole, on the real catalogue and on the hostile dumps (titles full of Markdown,
HTML, quotes and Jinja), and count the pages converted from pieces.
"""

from __future__ import annotations

import markdown
import pytest
from conftest import DATA, build_here, digest_tree, make_data_dir

from generator.mkdocs_site.markdown_shapes import Shapes

EXTENSIONS = ["admonition", "attr_list", "tables", "toc"]
CONFIGS = {"toc": {"permalink": True}}
REST = "PCRAWHTML0X\n\n## Related papers\n\nPCRAWHTML1X\n\n## Cite\n\nPCRAWHTML2X"


@pytest.mark.parametrize("dumps", [None, ("hostile.txt", "trending.txt", "daily.txt")])
def test_pages_converted_from_pieces_equal_pages_converted_whole(
    tmp_path, request: pytest.FixtureRequest, dumps
):
    if dumps is None:  # the real catalogue: its build with every fast path on is shared
        pieces, counts = request.getfixturevalue("real_site_built_here")
        data = DATA
    else:
        data, pieces = make_data_dir(tmp_path, *dumps), tmp_path / "pieces"
        counts = build_here(data, pieces)
    converted = counts["converted"]
    assert build_here(data, tmp_path / "whole", shapes=False)["converted"] == 0
    papers = len(list((tmp_path / "whole" / "papers").iterdir()))
    # All but the first page of each shape (a handful: which sections a paper has).
    assert converted >= papers - 12
    assert digest_tree(pieces) == digest_tree(tmp_path / "whole")


def whole(text: str) -> tuple[str, tuple[str, str, int]]:
    md = markdown.Markdown(extensions=EXTENSIONS, extension_configs=CONFIGS)
    html = md.convert(text)
    first = md.toc_tokens[0]
    return html, (first["name"], first["id"], first["level"])


@pytest.mark.parametrize(
    "title",
    ["A plain title", r"Escaped \*stars\* and \_underscores\_", "Ampersand & <b>tag</b>", "μP"],
)
def test_a_learnt_shape_gives_any_title_what_the_whole_conversion_gives(title):
    shapes = Shapes(EXTENSIONS, CONFIGS)
    first = f"# First paper\n\n{REST}"
    shapes.learn(first, *whole(first))
    text = f"# {title}\n\n{REST}"
    titled = shapes.convert(text)
    assert titled is not None
    html, title = whole(text)
    assert titled.html == html
    assert (titled.title["name"], titled.title["id"], titled.title["level"]) == title


def test_a_title_whose_anchor_is_a_sections_is_converted_whole():
    """Whole, the toc extension renames the section's anchor ("cite_1"); from pieces it
    would not: such a page is turned down."""
    shapes = Shapes(EXTENSIONS, CONFIGS)
    first = f"# First paper\n\n{REST}"
    shapes.learn(first, *whole(first))
    assert 'id="cite_1"' in whole(f"# Cite\n\n{REST}")[0]
    assert shapes.convert(f"# Cite\n\n{REST}") is None
    assert shapes.convert(f"# Cited\n\n{REST}") is not None


def test_a_title_with_a_link_is_converted_whole():
    """MkDocs checks and may rewrite a page's links: a title that became one is left to
    it (the page templates escape titles, so this takes a template that does not)."""
    shapes = Shapes(EXTENSIONS, CONFIGS)
    first = f"# First paper\n\n{REST}"
    shapes.learn(first, *whole(first))
    assert shapes.convert(f"# See [this](other.md)\n\n{REST}") is None
    assert shapes.convert(f"# See \\[this\\](other.md)\n\n{REST}") is not None


def test_a_shape_whose_pieces_differ_from_the_whole_is_never_used():
    """The whole conversion is the truth: an extension that changes it (here, a page
    converted otherwise than the pieces are) turns the shape off."""
    shapes = Shapes(EXTENSIONS, CONFIGS)
    first = f"# First paper\n\n{REST}"
    html, title = whole(first)
    shapes.learn(first, html.replace("<h2", '<h2 class="x"'), title)
    assert shapes.convert(f"# Second paper\n\n{REST}") is None
    other = f"# First paper\n\n{REST}\n\nMore."
    shapes.learn(other, *whole(other))
    assert shapes.convert(f"# Second paper\n\n{REST}\n\nMore.") is not None
