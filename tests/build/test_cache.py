"""The build cache never serves stale output, and a failed build keeps the last site.

Each kind of input is edited in turn; after each edit a build that reuses the cache
must give exactly the bytes of a build that starts from nothing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DATA, ROOT, computed_real_catalogue, digest_tree, mkdocs_build
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from generator.enrich.arxiv_client import Record
from generator.enrich.run import found_path, found_text
from generator.infra import cache as cache_module
from generator.infra.cache import Cache, code_version
from generator.infra.worker import WORKER
from generator.mkdocs_site import catalogue_files, site_folder
from generator.pipeline import build_catalogue

DUMPS = ["002_88aec9dc38da7004.txt", "004_9e82bd26c6ddf4a9.txt"]  # 265 papers: quick
ADDED = "003_0bcb5151a6c02ef0.txt"
GNN = "geometry-and-topology"


def small_real_data(tmp_path):
    data = tmp_path / "data"
    (data / "listings").mkdir(parents=True)
    for name in DUMPS:
        shutil.copy(DATA / "listings" / name, data / "listings" / name)
    shutil.copy(DATA / "taxonomy.yaml", data / "taxonomy.yaml")
    return data


def edit_listing(data, templates):
    dump = data / "listings" / DUMPS[0]
    text = dump.read_text("utf-8")
    title = text.split("\n")[2].removeprefix("Subscribe")  # the first paper's title
    dump.write_text(text.replace(title, title + " Revisited", 1), encoding="utf-8")


def edit_abstract(data, templates):
    dump = data / "listings" / DUMPS[0]
    text = dump.read_text("utf-8")
    dump.write_text(text.replace("we build tools", "we build new tools", 1), encoding="utf-8")


def add_listing(data, templates):
    shutil.copy(DATA / "listings" / ADDED, data / "listings" / ADDED)


def remove_listing(data, templates):
    (data / "listings" / ADDED).unlink()


def add_metadata(data, templates):
    """What enrich writes for two papers (machine files are kept by their bytes)."""
    for n, paper in enumerate(build_catalogue(data, Cache(None)).papers[:2]):
        record = Record(
            f"2401.0000{n}", 1, paper.title, paper.abstract, ("Ada Lovelace", "Łukasz Kaiser"),
            "2024-01-02", "2024-01-02", "cs.LG", "https://arxiv.org/abs/2401.00001v1",
            "https://arxiv.org/pdf/2401.00001v1",
        )  # fmt: skip
        path = found_path(data, paper.id)
        path.parent.mkdir(exist_ok=True)
        path.write_text(found_text(paper.id, record, "title and abstract", "2026-12-01"))


def edit_metadata(data, templates):
    path = sorted((data / "arxiv").iterdir())[0]
    path.write_text(path.read_text("utf-8").replace("Ada Lovelace", "Grace Hopper"), "utf-8")


def edit_taxonomy(data, templates):
    taxonomy = data / "taxonomy.yaml"
    text = taxonomy.read_text("utf-8")
    taxonomy.write_text(
        text.replace("title_phrases: [diffusion]", "title_phrases: [diffusions]"), "utf-8"
    )


def edit_curation(data, templates):
    folder = data / "curation" / "papers"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "a-survey-on-mixture-of-experts.yaml").write_text(
        f'title: "Diffusion Models for Image Generation: A Survey"\ntags: {{add: [{GNN}]}}\n',
        encoding="utf-8",
    )


def edit_template(data, templates):
    page = templates / "paper.md.j2"
    page.write_text(page.read_text("utf-8").replace("## Cite", "## How to cite"), "utf-8")


@pytest.fixture
def workspace(tmp_path, monkeypatch):
    data = small_real_data(tmp_path)
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "generator" / "render" / "templates", templates)
    monkeypatch.setenv("PAPER_CATALOGUE_TEMPLATES", str(templates))
    return data, templates


def built(data, site, cache) -> dict[str, str]:
    result = mkdocs_build(data, site, env={"PAPER_CATALOGUE_CACHE": str(cache)})
    assert result.returncode == 0, result.stdout + result.stderr
    return digest_tree(site)


def inodes(site: Path) -> dict[str, int]:
    return {str(p.relative_to(site)): p.stat().st_ino for p in site.rglob("*") if p.is_file()}


def test_a_warm_build_equals_a_clean_one_after_every_kind_of_edit(workspace, tmp_path):
    """Each build after the first reuses the cache (link index, related state, pages)
    and links unchanged pages in from the site it replaces: still the clean bytes."""
    data, templates = workspace
    warm, site = tmp_path / "cache", tmp_path / "warm-site"
    first = built(data, site, warm)
    assert any(warm.glob("related-state/*.pickle")) and any(warm.glob("catalogue/*.pickle"))
    assert any(warm.glob("link-index/*.pickle"))
    steps = [edit_listing, edit_abstract, add_listing, add_metadata, edit_taxonomy, edit_curation]
    steps += [edit_metadata, remove_listing]
    for edit in [*steps, edit_template]:
        edit(data, templates)
        before = inodes(site)
        reused = built(data, site, warm)
        clean = built(data, tmp_path / f"clean-{edit.__name__}", "off")
        assert reused == clean, f"stale output after {edit.__name__}"
        assert reused != first, f"{edit.__name__} changed nothing: the test proves nothing"
        linked = {path for path, ino in inodes(site).items() if before.get(path) == ino}
        assert linked, f"no page was linked from the previous site after {edit.__name__}"
        assert len(linked) < len(reused)  # what changed was written anew
        first = reused


def test_the_cache_key_holds_the_generator_code(tmp_path, monkeypatch):
    """A change to the generator's code reaches every entry's key: nothing stored by
    the old code is read by the new."""
    store = Cache(tmp_path)
    store.put("stage", "key", "stored by the old code")
    assert store.get("stage", "key") == "stored by the old code"
    monkeypatch.setattr(cache_module, "code_version", lambda: "the-new-code")
    assert store.get("stage", "key") is cache_module._MISSING
    # And the version is the whole package's: a copy with one line changed in a module
    # of a sub-package, a template or a schema differs.
    for changed in (
        "render/pages.py",
        "render/templates/paper.md.j2",
        "schemas/taxonomy.schema.json",
    ):
        folder = tmp_path / changed.replace("/", "_")
        assert version_after_changing(folder, changed) != code_version(), changed


def version_after_changing(folder: Path, relative: str) -> str:
    """The code version of a copy of the package with ``relative`` changed."""
    import generator

    dst = folder / "generator"
    shutil.copytree(
        Path(generator.__file__).parent, dst, ignore=shutil.ignore_patterns("__pycache__")
    )
    target = dst / relative
    target.write_text(target.read_text() + "\n")
    changed = subprocess.run(
        [sys.executable, "-c", "from generator.infra.cache import code_version as v; print(v())"],
        cwd=folder,
        capture_output=True,
        text=True,
        check=True,
    )
    return changed.stdout.strip()


def test_a_failed_build_keeps_the_last_good_site(workspace, tmp_path, monkeypatch):
    data, _ = workspace
    monkeypatch.setenv("PAPER_CATALOGUE_CACHE", str(tmp_path / "cache"))
    site = tmp_path / "site"
    assert mkdocs_build(data, site).returncode == 0
    good = digest_tree(site)
    (data / "listings" / "zz_broken.txt").write_text("A Title Alone\n", encoding="utf-8")
    result = mkdocs_build(data, site)
    assert result.returncode != 0 and "zz_broken.txt" in result.stdout + result.stderr
    assert digest_tree(site) == good
    assert not (tmp_path / "site.partial").exists() and not (tmp_path / "site.old").exists()


def build_in_process(docs: Path, site: Path, strict: bool = True) -> None:
    """``mkdocs build`` of the project's config in this process (data and cache from the
    environment), so a test can watch what the plugin does."""
    config = load_config(
        str(ROOT / "mkdocs.yml"), docs_dir=str(docs), site_dir=str(site), strict=strict
    )
    config.plugins.on_startup(command="build", dirty=False)
    build(config)


def test_a_template_edited_during_a_build_is_never_stored_under_the_old_key(
    workspace, tmp_path, monkeypatch
):
    """The pages' cache key and the pages come from one read of the templates: a
    template edited after the key was made (here: as the pages start to render) cannot
    leave pages of the new template stored under the old one's key, to be published by
    a later build of the old template."""
    data, templates = workspace
    monkeypatch.setenv("PAPER_CATALOGUE_DATA", str(data))
    monkeypatch.setenv("PAPER_CATALOGUE_CACHE", str(tmp_path / "cache"))
    page = templates / "paper.md.j2"
    before = page.read_text("utf-8")
    render = catalogue_files.render_pages

    def edited_meanwhile(*args, **kwargs):
        page.write_text(before.replace("## Cite", "## Edited meanwhile"), "utf-8")
        return render(*args, **kwargs)

    monkeypatch.setattr(catalogue_files, "render_pages", edited_meanwhile)
    build_in_process(ROOT / "docs", tmp_path / "site")
    monkeypatch.setattr(catalogue_files, "render_pages", render)
    page.write_text(before, "utf-8")  # the templates the first build's key was made of
    build_in_process(ROOT / "docs", tmp_path / "site")
    papers = list((tmp_path / "site" / "papers").rglob("index.html"))
    assert papers and not any("Edited meanwhile" in p.read_text("utf-8") for p in papers)


def test_serve_keeps_one_search_worker_and_a_build_stops_its_own(workspace, tmp_path, monkeypatch):
    """Each edit in ``mkdocs serve`` rebuilds the search index in the same worker process
    (spawning one cost more than the index itself); a one-off build leaves none behind."""
    data, templates = workspace
    monkeypatch.setenv("PAPER_CATALOGUE_DATA", str(data))
    monkeypatch.setenv("PAPER_CATALOGUE_CACHE", str(tmp_path / "cache"))
    config = load_config(
        str(ROOT / "mkdocs.yml"), docs_dir=str(ROOT / "docs"), site_dir=str(tmp_path / "preview")
    )
    config.plugins.on_startup(command="serve", dirty=False)
    workers, indexes = [], []
    try:
        for edit in (None, edit_curation):
            if edit:
                edit(data, templates)
            build(config)
            workers.append(WORKER.submit(os.getpid).result())
            indexes.append((tmp_path / "preview" / "search" / "papers.json.gz").read_bytes())
    finally:
        config.plugins.on_shutdown()
    assert indexes[0] != indexes[1]  # the edit made the index again
    assert workers[0] == workers[1] != os.getpid()
    assert WORKER.pool is None  # serve's end stopped it
    build_in_process(ROOT / "docs", tmp_path / "site")
    assert WORKER.pool is None
    assert (tmp_path / "site" / "search" / "papers.json.gz").exists()


def test_the_replaced_site_is_deleted_after_a_good_build(workspace, tmp_path, monkeypatch):
    """The previous site is moved aside and deleted by a detached process: the build
    does not wait for it, but it does go."""
    data, _ = workspace
    monkeypatch.setenv("PAPER_CATALOGUE_DATA", str(data))
    monkeypatch.setenv("PAPER_CATALOGUE_CACHE", str(tmp_path / "cache"))
    deleters: list[subprocess.Popen] = []
    remove_later = site_folder.remove_later
    monkeypatch.setattr(site_folder, "remove_later", lambda f: deleters.append(remove_later(f)))
    site = tmp_path / "site"
    build_in_process(ROOT / "docs", site)
    first = digest_tree(site)
    assert deleters == []  # nothing was replaced
    build_in_process(ROOT / "docs", site)
    assert digest_tree(site) == first and len(deleters) == 1
    assert deleters[0].wait(timeout=120) == 0
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("site.")] == []


def test_a_build_aborted_by_a_strict_warning_keeps_the_last_good_site(
    workspace, tmp_path, monkeypatch
):
    """MkDocs counts warnings and aborts after the last plugin event: no swap then."""
    data, _ = workspace
    monkeypatch.setenv("PAPER_CATALOGUE_DATA", str(data))
    monkeypatch.setenv("PAPER_CATALOGUE_CACHE", str(tmp_path / "cache"))
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", docs)
    site = tmp_path / "site"
    build_in_process(docs, site)
    good = digest_tree(site)
    (docs / "a-z.md").write_text("# A page that hides the generated A–Z\n", encoding="utf-8")
    with pytest.raises(Abort):
        build_in_process(docs, site)
    assert digest_tree(site) == good
    assert not (tmp_path / "site.partial").exists()


def test_the_latex_reader_remembers_only_what_the_parser_read(tmp_path, monkeypatch):
    """Texts the LaTeX parser reads are kept by digest between builds and reused;
    texts without LaTeX (or only escapes) are never stored."""
    from generator.curate import cached

    store = Cache(tmp_path / "cache")
    reader = cached.PlainTexts(store)
    texts = ['T\\"ulu 3 and $h_{c,t}$', "No LaTeX here", "60\\% of it"]
    first = [reader.plain(t) for t in texts]
    assert first == ["Tülu 3 and h_c,t", "No LaTeX here", "60% of it"]
    reader.save()

    def no_parser(text: str) -> str:
        if cached.needs_parser(text):
            raise AssertionError(f"parsed again: {text!r}")
        return text.replace("\\%", "%")

    monkeypatch.setattr(cached, "plain", no_parser)
    again = cached.PlainTexts(store)
    assert len(again.kept.known) == 1  # the one text the parser read
    assert [again.plain(t) for t in texts] == first


def test_a_cached_paper_page_shows_the_new_title_of_a_paper_it_links(tmp_path):
    """Paper pages are cached by what they show: retitling one paper changes the pages
    that link it (related, family, mentions) and no stale copy is served."""
    from dataclasses import replace

    from generator.model import Catalogue
    from generator.render.pages import render_pages
    from generator.render.paths import paper_path

    catalogue = computed_real_catalogue()
    store = Cache(tmp_path / "cache")
    first = render_pages(catalogue, cache=store)
    target = catalogue.papers[0]
    linking = [p for p in catalogue.papers if target.id in {r.id for r in p.related}]
    assert linking, "the first paper is nobody's related paper: pick another"
    retitled = replace(target, title="A Title Nobody Wrote")
    papers = tuple(retitled if p.id == target.id else p for p in catalogue.papers)
    edited: Catalogue = replace(catalogue, papers=papers)
    cached = render_pages(edited, cache=store)
    fresh = render_pages(edited, cache=Cache(None))
    assert {k: v.body for k, v in cached.items()} == {k: v.body for k, v in fresh.items()}
    page = cached[paper_path(linking[0].id)].body
    assert "A Title Nobody Wrote" in page and page != first[paper_path(linking[0].id)].body
    unrelated = next(p for p in catalogue.papers if p not in linking and p.id != target.id)
    assert cached[paper_path(unrelated.id)].body == first[paper_path(unrelated.id)].body
