"""A paper page's "suggest an edit" link: the curation file on GitHub, or a new one
started from :data:`CURATION_TEMPLATE`."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from generator.curate.curation import CURATION_DIR


@dataclass(frozen=True)
class Repository:
    """Where the catalogue's source lives, for "suggest an edit" links (GitHub layout)."""

    url: str  # https://github.com/owner/repo
    branch: str = "main"

    @classmethod
    def from_settings(cls, repo_url: str | None, edit_uri: str | None) -> Repository | None:
        """From a site's ``repo_url`` and ``edit_uri`` (``edit/<branch>/docs/``), if
        they name a GitHub repository."""
        if not repo_url or "github.com" not in repo_url:
            return None
        parts = (edit_uri or "").strip("/").split("/")
        branch = parts[1] if len(parts) > 1 and parts[0] in ("edit", "blob") else "main"
        return cls(repo_url.rstrip("/"), branch)

    def edit_url(self, paper_id: str, exists: bool, title: str) -> str:
        folder = f"data/{CURATION_DIR}"
        if exists:
            return f"{self.url}/edit/{self.branch}/{folder}/{paper_id}.yaml"
        template = CURATION_TEMPLATE.format(title=title.replace('"', "'"))
        query = urlencode({"filename": f"{paper_id}.yaml", "value": template})
        return f"{self.url}/new/{self.branch}/{folder}?{query}"


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
