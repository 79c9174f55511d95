"""The curators' command line: check, export and stats on small real-looking data."""

from __future__ import annotations

import json

import pytest
from conftest import ROOT, make_data_dir, site_text

from generator.cli import main


def export_args(data) -> list[str]:
    """``--data DATA export --config <the project's>``: from any working folder."""
    return ["--data", str(data), "export", "--config", str(ROOT / "mkdocs.yml")]


@pytest.fixture
def data(tmp_path):
    return make_data_dir(tmp_path, "trending.txt", "daily.txt")


def test_stats_prints_the_counts(data, capsys):
    assert main(["--data", str(data), "stats"]) == 0
    out = capsys.readouterr().out
    counts = dict(line.split() for line in out.splitlines())
    # 3 + 3 entries, "Scaling laws" in both listings: 5 papers, one merged, one in two.
    assert counts == {
        "papers": "5",
        "listings": "2",
        "entries": "6",
        "merged": "1",
        "multi": "1",
    }


def test_export_writes_every_page_and_data_file(data, tmp_path, capsys):
    export = tmp_path / "export"
    assert main([*export_args(data), str(export)]) == 0
    # catalogue.json, search (13: tier one, a shard of the terms of up to two characters
    # and one of the others, their positions and forms files, snippets, and five files of
    # the English words near its terms), urls.json; feed.xml/.json (a listing has no feed:
    # it never changes); catalogue.bib and one .bib per listing, at its own address only.
    # Pages: the A–Z is an index and a page per letter (three letters here), the map, and
    # a page at each listing's first address that redirects.
    out = export / "docs"
    assert capsys.readouterr().out.startswith(f"wrote 18 pages and 20 data files to {out}")
    assert (out / "feed.xml").is_file() and (out / "bib" / "listings").is_dir()
    papers = sorted(p.name for p in (out / "papers").iterdir())
    catalogue = json.loads((out / "catalogue.json").read_text("utf-8"))["papers"]
    assert papers == sorted(f"{p['id']}.md" for p in catalogue) and len(papers) == 5
    assert "5 papers" in (out / "index.md").read_text("utf-8")
    az = "".join(page.read_text("utf-8") for page in sorted((out / "a-z").glob("*.md")))
    assert all(p["title"].split(":")[0] in az for p in catalogue)
    index = (out / "a-z.md").read_text("utf-8")
    assert all(f"(a-z/{page.name})" in index for page in (out / "a-z").glob("*.md"))
    assert len(json.loads(site_text(out / "search" / "papers.json.gz"))["papers"]) == 5


def test_export_and_check_exit_1_on_bad_data_and_name_the_line(tmp_path, capsys):
    data = make_data_dir(tmp_path, "trending.txt", "missing_abstract.txt")
    assert main(["--data", str(data), "check"]) == 1
    captured = capsys.readouterr()
    assert "missing_abstract.txt:5: error: the title 'A Title Whose Abstract" in captured.err
    assert captured.out.strip() == "5 papers from 2 listings: 1 error(s), 0 notice(s)"
    # export still writes what is sound, and says the data has errors by its exit code.
    assert main([*export_args(data), str(tmp_path / "out")]) == 1
    assert len(list((tmp_path / "out" / "docs" / "papers").iterdir())) == 5


def test_export_replaces_an_earlier_export_but_no_other_folder(data, tmp_path, capsys):
    out = tmp_path / "out"
    assert main([*export_args(data), str(out)]) == 0
    stale = out / "docs" / "papers" / "gone.md"
    stale.write_text("# a page of a paper no longer listed", "utf-8")
    assert main([*export_args(data), str(out)]) == 0
    assert not stale.exists() and (out / "docs" / "index.md").is_file()
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me", "utf-8")
    assert main([*export_args(data), str(mine)]) == 1
    assert "is not empty and not an earlier export" in capsys.readouterr().err
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]


def test_a_missing_data_folder_is_named(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit:
        main(["--data", str(tmp_path / "nowhere"), "check"])
    assert exit.value.code == 2
    assert "no data folder at" in capsys.readouterr().err
