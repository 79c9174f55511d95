"""The finishing steps over a site folder, whichever tool built it (generator.finish)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import ROOT

from generator.finish.csp import policy
from generator.finish.html_steps import ICONS_FILE, IconSheet
from generator.finish.site import finish_page, finish_site

ICON = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M1 2"/></svg>'
PAGE = """<!doctype html>
<html>
  <head>
    <meta charset="utf-8">
    <script>var depth = "{root}"</script>
  </head>
  <body>
    <main class="md-main">
      <article>
        <h1 id="title">Title<a class="headerlink" href="#title" title="Permanent link">¶</a></h1>
        <h2 id="part">Part<a class="headerlink" href="#part" title="Permanent link">¶</a></h2>
        <p>{icon} text</p>
        <pre>  kept
    as it is</pre>
      </article>
    </main>
  </body>
</html>
"""

PAGES = [("index.html", ""), ("about/index.html", "../"), ("a/b/index.html", "../../")]


def small_site(folder: Path) -> Path:
    for rel, root in PAGES:
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(PAGE.format(root=root, icon=ICON), "utf-8")
    (folder / "404.html").write_text(PAGE.format(root="/", icon=ICON), "utf-8")
    (folder / "data.json").write_text("{}\n", "utf-8")
    return folder


def test_each_page_gets_every_step_with_links_relative_to_where_it_lies(tmp_path):
    site = small_site(tmp_path / "site")
    written = finish_site(site)
    assert {p.relative_to(site).as_posix() for p in written} == {
        "index.html",
        "about/index.html",
        "a/b/index.html",
        "404.html",
        ICONS_FILE,
    }
    for rel, root in PAGES:
        html = (site / rel).read_text("utf-8")
        assert 'xmlns="http://www.w3.org/2000/svg"' not in html  # the icon is in the sheet
        assert f'<use href="{root}{ICONS_FILE}#i' in html
        assert '<h1 id="title">Title</h1>' in html  # the title's self-link is gone...
        assert 'href="#part"' in html  # ...the section's stays
        assert "<pre>  kept\n    as it is</pre>" in html
        assert "\n  " not in html.replace("<pre>  kept\n    as it is</pre>", "")
        assert f'<meta http-equiv="Content-Security-Policy" content="{policy(html)}">' in html
        assert html.index("Content-Security-Policy") < html.index("<script>")
        assert "'sha256-" in policy(html)
    sheet = (site / ICONS_FILE).read_text("utf-8")
    assert sheet.count("<symbol ") == 1 and '<path d="M1 2"/>' in sheet
    # 404.html is served at any URL: relative links would break, so only the policy
    not_found = (site / "404.html").read_text("utf-8")
    assert ICON in not_found and "Content-Security-Policy" in not_found
    assert (site / "data.json").read_text("utf-8") == "{}\n"


def test_a_folder_finished_twice_is_finished_once(tmp_path):
    site = small_site(tmp_path / "site")
    finish_site(site)
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert finish_site(site) == []
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == before


def test_a_banner_goes_at_the_top_of_the_main_area(tmp_path):
    site = small_site(tmp_path / "site")
    finish_site(site, banner='<div class="pc-banner">2 problems</div>')
    html = (site / "about/index.html").read_text("utf-8")
    assert '<main class="md-main"><div class="pc-banner">2 problems</div>' in html


def test_a_page_alone_is_finished_as_in_a_folder(tmp_path):
    site = small_site(tmp_path / "site")
    finish_site(site)
    page = finish_page(PAGE.format(root="../", icon=ICON), "../", IconSheet())
    assert page == (site / "about/index.html").read_text("utf-8")


def test_the_command_finishes_a_folder(tmp_path):
    site = small_site(tmp_path / "site")
    result = subprocess.run(
        [sys.executable, "-m", "generator.finish", str(site)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "5 file(s) written" in result.stdout
    assert (site / ICONS_FILE).is_file()
