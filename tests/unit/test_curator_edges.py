"""Curators' rough edges (issue 29, item 8): the diff sees uncommitted edits, "suggest an
edit" goes to the right branch, and the commonest slips in a curation file are either
understood (an arXiv URL for an id, a year in quotes) or named in a curator's words."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import DATA, make_data_dir

from generator.cli import main
from generator.infra.cache import Cache
from generator.model import Severity
from generator.pipeline import build_catalogue
from generator.render.edit_links import Repository, curation_template

ROOT = Path(__file__).resolve().parents[2]
TENSOR = "tensor-programs-v-tuning-large-neural-networks-via-zero-shot-hyperparameter"


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), *args],
        capture_output=True,
        text=True,
        check=True,
        env={
            "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@example.org",
            "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@example.org",
            "PATH": "/usr/bin:/bin",
            "HOME": str(repo),
        },
    )
    return done.stdout.strip()


def repository(tmp_path: Path, branch: str = "trunk") -> Path:
    """A git repository holding a small data folder, committed on ``branch``."""
    repo = tmp_path / "repo"
    make_data_dir(repo, "trending.txt", "daily.txt")
    shutil.copy(DATA / "taxonomy.yaml", repo / "data" / "taxonomy.yaml")
    git(repo, "init", "-q", "-b", branch)
    git(repo, "add", "data")
    git(repo, "commit", "-q", "-m", "data")
    return repo


def test_diff_compares_against_the_working_tree_by_default(tmp_path, monkeypatch, capsys):
    repo = repository(tmp_path)
    curation = repo / "data" / "curation" / "papers"
    curation.mkdir(parents=True)
    (curation / f"{TENSOR}.yaml").write_text('title: "Tensor Programs V: muTransfer"\n')
    monkeypatch.chdir(repo)
    assert main(["diff"]) == 0  # HEAD against the uncommitted edit
    out = capsys.readouterr().out
    assert "Tensor Programs V: muTransfer" in out
    assert main(["diff", "HEAD"]) == 0  # a base alone: against the working tree too
    assert "Tensor Programs V: muTransfer" in capsys.readouterr().out
    assert main(["diff", "HEAD", "HEAD"]) == 0  # two revisions: the edit is not in either
    assert "Tensor Programs V: muTransfer" not in capsys.readouterr().out


@pytest.mark.parametrize(
    ("edit_uri", "env", "expected"),
    [
        ("", {}, "trunk"),  # neither says: git's branch, not MkDocs' edit/master/docs/
        ("edit/dev/docs/", {}, "dev"),  # the Pages workflow names the default branch
        ("", {"EDIT_BRANCH": "curation"}, "curation"),
        ("edit/dev/docs/", {"EDIT_BRANCH": "curation"}, "curation"),
    ],
)
def test_suggest_an_edit_goes_to_the_branch_git_or_edit_branch_names(
    tmp_path, monkeypatch, edit_uri, env, expected
):
    repo = repository(tmp_path, "trunk")
    monkeypatch.delenv("EDIT_BRANCH", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    found = Repository.from_settings("https://github.com/o/r", edit_uri, repo)
    assert found.branch == expected
    assert f"/new/{expected}/data/curation/papers" in found.edit_url("x", False)


def test_a_new_curation_files_link_names_it_and_its_script_holds_the_template():
    """The page links a new file by name only; javascripts/paper-shell.js adds the
    template as GitHub's ``value`` (tests/browser/test_paper_shell.py follows it), from
    its own copy of CURATION_TEMPLATE, which must be this one."""
    repo = Repository("https://github.com/o/r", "main")
    assert repo.edit_url("x", False) == (
        "https://github.com/o/r/new/main/data/curation/papers?filename=x.yaml"
    )
    assert (
        repo.edit_url("x", True) == "https://github.com/o/r/edit/main/data/curation/papers/x.yaml"
    )
    script = (ROOT / "docs" / "javascripts" / "paper-shell.js").read_text("utf-8")
    copy = re.search(r"const CURATION_TEMPLATE = `(.*?)`", script, re.S)
    assert copy and copy.group(1) == curation_template("{title}")
    assert curation_template('Say "hi"').count("# title: \"Say 'hi'\"\n") == 1


def test_outside_git_the_edit_branch_is_main(tmp_path, monkeypatch):
    monkeypatch.delenv("EDIT_BRANCH", raising=False)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    assert Repository.from_settings("https://github.com/o/r", "", tmp_path).branch == "main"


def curated(tmp_path: Path, text: str):
    data = make_data_dir(tmp_path, "trending.txt", "daily.txt")
    shutil.copy(DATA / "taxonomy.yaml", data / "taxonomy.yaml")
    curation = data / "curation" / "papers"
    curation.mkdir(parents=True)
    (curation / f"{TENSOR}.yaml").write_text(text, encoding="utf-8")
    return build_catalogue(data, Cache(None))


SHOWN = f"data/curation/papers/{TENSOR}.yaml"


@pytest.mark.parametrize("value", ["yes", "true", "no", "on"])
def test_hidden_yes_asks_for_the_reason_as_text_at_its_line(tmp_path, value):
    catalogue = curated(tmp_path, f"note: A fine paper.\nhidden: {value}\n")
    [error] = [str(p) for p in catalogue.errors]
    assert error.startswith(f"{SHOWN}:2: error: hidden:")
    assert "give the reason as text" in error
    assert "True is not of type" not in error and "False is not of type" not in error


@pytest.mark.parametrize(
    ("written", "read", "version"),
    [
        ("https://arxiv.org/abs/2403.08055", "2403.08055", None),
        ("https://arxiv.org/abs/2403.08055v2", "2403.08055", 2),
        ("http://export.arxiv.org/abs/2403.08055", "2403.08055", None),
        ("https://arxiv.org/pdf/2403.08055v3.pdf", "2403.08055", 3),
        ("https://www.arxiv.org/abs/hep-th/9901001", "hep-th/9901001", None),
        ("arxiv.org/abs/2403.08055", "2403.08055", None),
    ],
)
def test_an_arxiv_url_for_the_id_is_understood_with_a_notice(tmp_path, written, read, version):
    catalogue = curated(tmp_path, f'title: "Tensor Programs V"\narxiv: "{written}"\n')
    assert catalogue.errors == []
    meta = catalogue.meta[TENSOR]
    assert (meta.arxiv, meta.version) == (read, version)
    [notice] = [p for p in catalogue.problems if p.path == SHOWN]
    assert notice.severity is Severity.NOTICE and notice.line == 2
    assert f'arxiv: "{read}' in notice.hint


def test_a_year_in_quotes_is_understood_with_a_notice(tmp_path):
    catalogue = curated(tmp_path, 'venue: "ICLR"\nyear: "2021"\n')
    assert catalogue.errors == []
    assert catalogue.meta[TENSOR].year == 2021
    [notice] = [p for p in catalogue.problems if p.path == SHOWN]
    assert (notice.severity, notice.line) == (Severity.NOTICE, 2)
    assert "year: 2021" in notice.hint


@pytest.mark.parametrize("text", ['year: "twenty"\n', 'arxiv: "https://example.org/abs/1"\n'])
def test_what_cannot_be_understood_is_still_an_error(tmp_path, text):
    catalogue = curated(tmp_path, text)
    assert [p.line for p in catalogue.errors if p.path == SHOWN] == [1]
