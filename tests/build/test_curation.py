"""Curators' edits end to end: YAML files in, pages and catalogue.json out; mistakes named."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DATA, FIXTURES, ROOT, make_data_dir, mkdocs_build, site_text

from generator.pipeline import build_catalogue
from generator.render.pages import render_pages
from generator.review.diff import diff_refs

DRIVAERNET = "drivaernet-a-parametric-car-dataset-for-data-driven-aerodynamic-design-and-graph"
ASDM_KEPT = "a-sdm-accelerating-stable-diffusion-through-model-assembly-and-feature"
ASDM_GONE = "a-sdm-accelerating-stable-diffusion-through-redundancy-removal-and-performance"
OLMO = "2-olmo-2-furious"


def curated_data(tmp: Path, which: str) -> Path:
    data = tmp / "data"
    shutil.copytree(DATA, data, ignore=shutil.ignore_patterns("curation"))
    shutil.copytree(FIXTURES / "curation" / which, data / "curation" / "papers")
    return data


@pytest.fixture(scope="module")
def curated(tmp_path_factory):
    return build_catalogue(curated_data(tmp_path_factory.mktemp("good"), "good"))


def test_every_edit_kind_is_applied(curated):
    papers = curated.by_id
    paper = papers[DRIVAERNET]  # the id survives the title fix
    assert paper.title.endswith("Graph-based Drag Prediction")
    assert "geometry-and-topology" in paper.tags and "3d-and-avatars" not in paper.tags
    meta = curated.meta[DRIVAERNET]
    assert (meta.arxiv, meta.year, meta.authors[0]) == ("2403.08055", 2024, "Mohamed Elrefaie")
    assert dict(meta.links) == {"code": "https://github.com/Mohamedelrefaie/DrivAerNet"}
    # same_as: the two A-SDM entries are one paper, listed twice; the other id redirects.
    assert ASDM_GONE not in papers and curated.redirects == {ASDM_GONE: ASDM_KEPT}
    assert len(papers[ASDM_KEPT].appearances) == 2
    # hidden: out of the catalogue, with its reason
    assert OLMO not in papers and curated.hidden[OLMO][1].startswith("Listed twice")
    assert len(curated.papers) == 718
    assert curated.errors == []


def test_curated_site_shows_the_edits(tmp_path, monkeypatch):
    data = curated_data(tmp_path, "good")
    monkeypatch.setenv("REPO_URL", "https://github.com/example/catalogue")
    monkeypatch.setenv("EDIT_URI", "edit/main/docs/")
    result = mkdocs_build(data, tmp_path / "site")
    assert result.returncode == 0, result.stdout + result.stderr
    site = tmp_path / "site"
    page = (site / "papers" / DRIVAERNET / "index.html").read_text("utf-8")
    assert (
        ">DrivAerNet: A Parametric Car Dataset for Data-driven Aerodynamic Design and Graph-based"
        in page
    )
    assert 'href="https://arxiv.org/abs/2403.08055"' in page
    assert 'href="https://huggingface.co/papers/2403.08055"' in page
    # A conference venue: @inproceedings (the arXiv id stays as eprint).
    assert "@inproceedings{elrefaie2024drivaernet," in page and "eprint = {2403.08055}" in page
    assert '<span class="pc-authors">Mohamed Elrefaie, Angela Dai, Faez Ahmed</span>' in page
    edit = f'href="https://github.com/example/catalogue/edit/main/data/curation/papers/{DRIVAERNET}.yaml"'
    assert edit in page
    # An uncurated paper: title searches, and a prefilled new-file link.
    other = next((site / "papers").glob("tutel-*/index.html")).read_text("utf-8")
    assert "arxiv.org/search/?query=Tutel" in other
    assert "github.com/example/catalogue/new/main/data/curation/papers?filename=tutel-" in other
    assert 'href="https://www.semanticscholar.org/arxiv/2403.08055"' in page
    # The venue in the byline (tests/build/test_paper_metadata.py), the note below the abstract.
    assert '<span class="pc-venue">IDETC-CIE 2024</span>' in page
    assert "<strong>Curator's note:</strong> The first of two DrivAerNet datasets; see" in page
    # A hidden paper keeps its page (with the reason) but leaves A–Z, search and the data.
    hidden = (site / "papers" / OLMO / "index.html").read_text("utf-8")
    assert "Listed twice under different names" in hidden
    assert f"papers/{OLMO}/" not in (site / "a-z" / "index.html").read_text("utf-8")
    search = site_text(site / "search" / "papers.json.gz")
    assert f"papers/{OLMO}/" not in search and f"papers/{DRIVAERNET}/" in search
    catalogue = json.loads((site / "catalogue.json").read_text("utf-8"))
    assert OLMO not in {p["id"] for p in catalogue["papers"]}
    assert [h["id"] for h in catalogue["hidden"]] == [OLMO]
    redirect = (site / "papers" / ASDM_GONE / "index.html").read_text("utf-8")
    assert f'http-equiv="refresh" content="0; url=../{ASDM_KEPT}/"' in redirect
    hidden = (site / "papers" / OLMO / "index.html").read_text("utf-8")
    assert "Hidden from the catalogue" in hidden and "Listed twice" in hidden
    catalogue = json.loads((site / "catalogue.json").read_text("utf-8"))
    entry = next(p for p in catalogue["papers"] if p["id"] == DRIVAERNET)
    assert entry["arxiv"] == "2403.08055" and entry["year"] == 2024
    assert catalogue["redirects"] == {ASDM_GONE: f"papers/{ASDM_KEPT}/"}
    assert [h["id"] for h in catalogue["hidden"]] == [OLMO]
    assert OLMO not in {p["id"] for p in catalogue["papers"]}


def test_every_mistake_is_named_with_file_line_and_hint(tmp_path):
    catalogue = build_catalogue(curated_data(tmp_path, "bad"))
    messages = [str(p) for p in catalogue.errors]
    folder = "data/curation/papers"

    def has(start: str, *parts: str) -> bool:
        return any(
            m.startswith(f"{folder}/{start}") and all(p in m for p in parts) for m in messages
        )

    assert has(
        "ml-mamba-efficient-multimodal-large-language-model-utilizing-mamba-2.yaml: error:"
        " no paper has the id",
        "did you mean ml-mamba-efficient-multi-modal-large",
    ), messages
    assert has(
        f"{DRIVAERNET}.yaml:2: error: unknown tag 'geometry-topology'",
        "did you mean geometry-and-topology?",
        "valid tags:",
    ), messages
    assert has(f"{ASDM_KEPT}.yaml:1: error: merge cycle:", ASDM_GONE), messages
    assert has(f"{OLMO}.yaml:3: error: unknown key 'colour'", "allowed keys"), messages
    assert has(
        f"{OLMO}.yaml:2: error: arxiv: 'not-an-id' is not in the expected form", "e.g. 2401.01234"
    ), messages
    # Nothing else is lost: a cycle merges nothing, a bad file changes nothing.
    assert len(catalogue.papers) == 720


def test_check_command_fails_with_the_messages(tmp_path):
    data = curated_data(tmp_path, "bad")
    result = subprocess.run(
        [sys.executable, "-m", "generator", "--data", str(data), "check"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 1
    assert "merge cycle" in result.stderr and "Traceback" not in result.stderr


def test_diff_between_two_commits_reports_what_changed(tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(DATA, repo / "data", ignore=shutil.ignore_patterns("curation"))

    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)

    git("init", "-q")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "--allow-empty", "-m", "x")
    git("add", "data")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "base")
    shutil.copytree(FIXTURES / "curation" / "good", repo / "data" / "curation" / "papers")
    git("add", "data")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "curate")
    summary = diff_refs("HEAD~1", "HEAD", repo)
    assert "Papers: 720 → 718" in summary
    assert "### Merged (1)" in summary and f"`{ASDM_GONE}`" in summary
    assert "### Hidden (1)" in summary and "Listed twice" in summary
    assert "### Titles changed (1)" in summary and "Graph-based Drag Prediction**" in summary
    assert "### Tags changed" in summary and "+geometry-and-topology" in summary
    assert "### Related lists that moved most" in summary


def test_listing_metadata_names_a_listing_and_unknown_files_are_named(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA, data, ignore=shutil.ignore_patterns("curation"))
    (data / "listings.yaml").write_text(
        "003_0bcb5151a6c02ef0.txt:\n"
        "  title: Daily papers of 14 March\n"
        "  description: The Hugging Face daily page, copied in full.\n"
        "  date: '2024-03-14'\n"
        "  source: https://huggingface.co/papers?date=2024-03-14\n"
        "000_2c539da77f382f8d.txt:\n"
        "  date: '2024-03-20'\n"
        "004_9e82bd26c6ddf4a9.text:\n"
        "  title: A typo in the file name\n",
        encoding="utf-8",
    )
    catalogue = build_catalogue(data)
    [problem] = catalogue.errors
    assert str(problem).startswith("data/listings.yaml:8: error: no listing file is called")
    assert "did you mean 004_9e82bd26c6ddf4a9.txt" in str(problem)
    assert catalogue.listing_meta["003_0bcb5151a6c02ef0.txt"].title == "Daily papers of 14 March"
    pages = {path: page.body for path, page in render_pages(catalogue).items()}
    # The page's address is its name and date, the year the name left out added.
    daily = pages["listings/daily-papers-of-14-march-2024.md"]
    assert "# Daily papers of 14 March" in daily
    assert "The Hugging Face daily page, copied in full." in daily
    # The curated date wins over the dump's "Mar 14"; the source page is linked.
    assert (
        'A Hugging Face daily papers page of <time datetime="2024-03-14">14 March 2024</time>,'
        " 161 papers." in daily
    )
    assert (
        '(<a href="https://huggingface.co/papers?date=2024-03-14">the page it was copied from</a>)'
        in daily
    )
    # Three undated digests without a name read alike: numbered, in file order.
    trending = pages["listings/trending-papers-digest-1-20-march-2024.md"]
    assert '<time datetime="2024-03-20">20 March 2024</time>, 254 papers.' in trending
    # A dump with no entry is named by its file: a notice, the build goes on.
    unnamed = [p for p in catalogue.problems if "has no entry" in p.message]
    assert [p.message.split()[0] for p in unnamed] == [
        "001_f84fb9d8814330a6.txt",
        "002_88aec9dc38da7004.txt",
        "004_9e82bd26c6ddf4a9.txt",
    ]


def test_the_real_listings_are_named_and_dated_without_a_guessed_year():
    catalogue = build_catalogue(DATA)
    # Untagged papers are listed for curators; nothing else is reported.
    assert [p for p in catalogue.problems if "no tag fits" not in p.message] == []
    meta = catalogue.listing_meta
    assert sorted(meta) == [lst.name for lst in catalogue.listings]
    for listing in catalogue.listings:
        m = meta[listing.name]
        assert m.title and m.added and m.title != listing.stem
        if listing.layout == "daily":  # the page says "Mar 14": a day and month, no year
            assert m.date.startswith("--") and listing.date.split()[1] in m.date
        else:
            assert m.date is None  # a trending page is undated
    pages = {path: page.body for path, page in render_pages(catalogue).items()}
    daily = pages["listings/daily-papers-14-march.md"]
    assert "# Daily papers, 14 March" in daily
    assert '<time datetime="--03-14">14 March</time>' in daily
    assert "Added to the catalogue on 22 November 2026" in daily
    olmo = pages[f"papers/{OLMO}.md"]
    assert '/">Trending papers: a 254-paper snapshot</a>, no. 125' in olmo
    # The first addresses, named after the files, redirect to the named pages.
    moved = pages["listings/003-0bcb5151a6c02ef0.md"]
    assert 'href="../daily-papers-14-march/"' in moved


def test_merges_do_not_chain_and_a_paper_is_merged_once(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA, data, ignore=shutil.ignore_patterns("curation"))
    folder = data / "curation" / "papers"
    folder.mkdir(parents=True)
    # OLMo <- A-SDM (kept) <- A-SDM (gone): a chain; DrivAerNet also claims A-SDM (gone).
    (folder / f"{OLMO}.yaml").write_text(f"same_as: [{ASDM_KEPT}]\n")
    (folder / f"{ASDM_KEPT}.yaml").write_text(f"same_as: [{ASDM_GONE}]\n")
    (folder / f"{DRIVAERNET}.yaml").write_text(f"same_as: [{ASDM_GONE}]\n")
    catalogue = build_catalogue(data)
    messages = sorted(str(p) for p in catalogue.errors)
    assert len(messages) == 2, messages
    assert f"{OLMO}.yaml:1: error: '{ASDM_KEPT}' has same_as entries of its own" in messages[0]
    assert f"{DRIVAERNET}.yaml:1: error: '{ASDM_GONE}' is merged more than once" in messages[1]
    # What was valid still happened, one step long.
    assert catalogue.redirects == {ASDM_GONE: ASDM_KEPT}


def test_not_same_as_silences_exactly_the_title_clash_it_names(tmp_path):
    data = make_data_dir(tmp_path, "trending.txt", "variants.txt")
    [notice] = build_catalogue(data).problems  # the two "Scaling Laws" papers
    ids = sorted(p.id for p in build_catalogue(data).papers if p.id.startswith("scaling-laws"))
    assert len(ids) == 2 and "same title as" in notice.message
    folder = data / "curation" / "papers"
    folder.mkdir(parents=True)
    # A not_same_as naming another pair leaves the notice alone...
    other = "sparse-mixture-of-experts-are-domain-generalizable-learners"
    (folder / f"{ids[0]}.yaml").write_text(f"not_same_as: [{other}]\n", encoding="utf-8")
    assert build_catalogue(data).problems == (notice,)
    # ...naming this pair silences it, from either paper's file.
    for mine, theirs in (ids, ids[::-1]):
        for path in folder.iterdir():
            path.unlink()
        (folder / f"{mine}.yaml").write_text(f"not_same_as: [{theirs}]\n", encoding="utf-8")
        assert build_catalogue(data).problems == ()
