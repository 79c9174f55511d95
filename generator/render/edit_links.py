"""A paper page's "suggest an edit" link: the curation file on GitHub, or a new one
started from :data:`CURATION_TEMPLATE`.

The page links a new file by its name only; the template's text is added to the link by
``docs/javascripts/paper-shell.js`` (which holds the same template: a unit test compares
them), from the paper's ``citation_title``. Prefilled in the page it was about 0.9 KB of
URL-encoded text, the same on every uncurated paper but for the title: the largest part of
a paper page's article after the abstract (issue 31, item 2). Without scripts the link
still opens a new file of the right name, and CONTRIBUTING.md lists its keys."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from generator.curate.curation import CURATION_DIR


@dataclass(frozen=True)
class Repository:
    """Where the catalogue's source lives, for "suggest an edit" links (GitHub layout)."""

    url: str  # https://github.com/owner/repo
    branch: str = "main"

    @classmethod
    def from_settings(
        cls, repo_url: str | None, edit_uri: str | None, root: Path = Path(".")
    ) -> Repository | None:
        """From a site's ``repo_url``, if it names a GitHub repository. The branch edits
        go to: ``EDIT_BRANCH`` when set, else the one ``edit_uri`` names
        (``edit/<branch>/docs/``), else git's (:func:`git_branch`), else ``main``.
        Never MkDocs' own default for a GitHub ``repo_url`` without ``edit_uri``
        (``edit/master/docs/``): mkdocs.yml leaves it empty, so a curator's
        ``REPO_URL=… make serve`` does not send every edit to a ``master`` that a
        ``main`` repository lacks."""
        if not repo_url or "github.com" not in repo_url:
            return None
        parts = (edit_uri or "").strip("/").split("/")
        named = parts[1] if len(parts) > 1 and parts[0] in ("edit", "blob") else None
        branch = os.environ.get("EDIT_BRANCH", "").strip() or named or git_branch(root) or "main"
        return cls(repo_url.rstrip("/"), branch)

    def edit_url(self, paper_id: str, exists: bool) -> str:
        """The paper's curation file to edit, or a new one of its name (the page's script
        adds :func:`curation_template`'s text as ``value``: see the module's docstring)."""
        folder = f"data/{CURATION_DIR}"
        if exists:
            return f"{self.url}/edit/{self.branch}/{folder}/{paper_id}.yaml"
        return (
            f"{self.url}/new/{self.branch}/{folder}?{urlencode({'filename': f'{paper_id}.yaml'})}"
        )


def curation_template(title: str) -> str:
    """What a new curation file starts with, for the paper of this title."""
    return CURATION_TEMPLATE.format(title=title.replace('"', "'"))


def _git(root: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(
            ["git", "-C", str(root), *args], capture_output=True, text=True, check=False
        )
    except OSError:  # no git on this machine
        return None
    return (done.stdout.strip() or None) if done.returncode == 0 else None


def git_branch(root: Path) -> str | None:
    """The branch pull requests go to, as git knows it: the remote's default
    (``origin/HEAD``, which a clone sets), else the branch checked out; None outside a
    repository or on a detached HEAD."""
    remote = _git(root, "symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD")
    if remote:
        return remote.removeprefix("origin/")
    current = _git(root, "rev-parse", "--abbrev-ref", "HEAD")
    return current if current and current != "HEAD" else None


# What a curator starts from when a paper has no curation file yet.
SCHEMA_LINE = "# yaml-language-server: $schema=../../../generator/schemas/curation.schema.json\n"
CURATION_TEMPLATE = (
    SCHEMA_LINE
    + """# Edits to this paper; every key is optional.
# See CONTRIBUTING.md.
# title: "{title}"
# tags: {{add: [], remove: []}}
# same_as: []          # ids of duplicates to merge into this paper
# not_same_as: []      # ids of different papers with the same title
# hidden: "reason"
# arxiv: "2401.01234"
# authors: []
# year: 2024
# venue: ""
# links: {{code: "", project: "", pdf: ""}}
# note: ""
"""
)
