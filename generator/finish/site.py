"""The finishing steps, over one page or over a whole site folder.

Which steps are site features and which are fast paths: every step here changes the
pages' bytes on purpose (the title's self-link dropped, icons in one sprite sheet,
whitespace folded, the preview's banner, the Content-Security-Policy) and is part of
the site whatever builds it; the plugin's ``fast_paths: false`` keeps them all. The
fast paths (caches, pages converted from pieces, the theme shell, raw HTML set aside)
belong to the MkDocs adapter and must leave the bytes as these steps make them.

The MkDocs plugin applies the steps page by page, as it writes (the title's link on
the converted content, before the theme; the policy last, in ``on_post_page``);
:func:`finish_site` applies them to a folder that any tool built, in the same order
and with the same result. ``404.html`` is served at whatever URL was missing, so its
links cannot be relative to where it lies: it gets the policy only, as in the plugin.

    python -m generator.finish SITE_DIR [--banner HTML]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from generator.finish.csp import with_policy, without_policy
from generator.finish.html_steps import (
    ICONS_FILE,
    IconSheet,
    fold_whitespace,
    with_banner,
    without_title_permalink,
)

# Pages served from any URL (relative links would break): the policy only.
ANYWHERE = frozenset({"404.html"})


def finished_html(html: str, root: str, icons: IconSheet) -> tuple[str, tuple[str, ...]]:
    """A themed page with its icons referenced from the sheet (``root``: the relative
    URL from the page to the site's root, "" or "../../") and its whitespace folded;
    the ids of the icons it uses."""
    html, used = icons.replace(html, root)
    return fold_whitespace(html), used


def finish_page(html: str, root: str, icons: IconSheet, banner: str = "") -> str:
    """Every step, in the plugin's order, on one themed page."""
    html, _ = finished_html(without_title_permalink(html), root, icons)
    return with_policy(without_policy(with_banner(html, banner)))


def finish_site(folder: Path, banner: str = "") -> list[Path]:
    """Every page under ``folder`` finished in place, and the icon sheet written (with
    the icons of a sheet already there: finishing a folder twice changes nothing,
    a banner aside). Returns the files written."""
    folder = Path(folder)
    icons = IconSheet()
    sheet = folder / ICONS_FILE
    if sheet.is_file():
        icons.read(sheet.read_text("utf-8"))
    written = []
    for path in sorted(folder.rglob("*.html")):
        rel = path.relative_to(folder).as_posix()
        html = path.read_text("utf-8")
        if rel in ANYWHERE:
            done = with_policy(without_policy(html))
        else:
            done = finish_page(html, "../" * rel.count("/"), icons, banner)
        if done != html:
            path.write_text(done, "utf-8")
            written.append(path)
    if icons.symbols:
        text = icons.sheet()
        if not sheet.is_file() or sheet.read_text("utf-8") != text:
            sheet.parent.mkdir(parents=True, exist_ok=True)
            sheet.write_text(text, "utf-8")
            written.append(sheet)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m generator.finish", description="Finish the pages of a built site folder."
    )
    parser.add_argument("site_dir", type=Path)
    parser.add_argument("--banner", default="", help="HTML put at the top of each page's main")
    args = parser.parse_args(argv)
    if not args.site_dir.is_dir():
        parser.error(f"{args.site_dir} is not a folder")
    written = finish_site(args.site_dir, args.banner)
    print(f"{len(written)} file(s) written under {args.site_dir}")
    return 0
