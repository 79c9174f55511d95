"""Citation keys that never change: ``data/citation_keys.yaml``.

A reader who cited ``kaplan2020scaling`` in a paper of their own must find the same key
next year, whatever a curator corrected meanwhile (an author's spelling, the year of a
venue). So once a paper's key has its conventional ``author + year + word`` form it is
recorded here, by paper id, in a file curators commit; the build gives a recorded
paper its recorded key and no other paper that key (:func:`citation_keys`).
``python -m generator keys`` (and ``enrich``, after it finds authors) adds the keys
that reached that form; ``check`` says when some are waiting to be recorded.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from generator.analyse.citations import conventional
from generator.ingest.yaml_files import load_yaml
from generator.model import Catalogue, Problem, Severity
from generator.text.files import DISK, Disk, write_whole

KEYS_FILE = "citation_keys.yaml"
HEADER = (
    "# yaml-language-server: $schema=../generator/schemas/citation_keys.schema.json\n"
    "# Citation keys that never change, by paper id: written by `python -m generator keys`\n"
    "# (and enrich) once a paper has authors and a year. Commit it; never edit a key.\n"
)


def load_recorded(
    path: Path, shown: str, files: Disk = DISK
) -> tuple[dict[str, str], list[Problem]]:
    """The recorded keys, and what is wrong with the file (a key given twice is an
    error at its line: two papers would cite alike)."""
    if not files.exists(path):
        return {}, []
    doc = load_yaml(path, "citation_keys", shown, files)
    problems = list(doc.problems)
    if not isinstance(doc.data, dict) or any(p.is_error for p in problems):
        return {}, problems
    owner: dict[str, str] = {}
    keys = {}
    for pid, key in doc.data.items():
        if key in owner:
            problems.append(
                doc.problem(
                    [pid],
                    f"the key {key!r} is already {owner[key]}'s",
                    "each paper needs its own key: delete this line and run "
                    "`python -m generator keys`",
                )
            )
            continue
        owner[key] = pid
        keys[pid] = key
    return keys, problems


def stray_keys(recorded: dict[str, str], ids: set[str], shown: str) -> list[Problem]:
    """Recorded keys of papers that are gone (merged away, hidden): worth a look, never
    reused for another paper."""
    return [
        Problem(
            shown,
            0,
            f"{pid} has a recorded key ({key}) but is not in the catalogue",
            "keep the line if the paper was merged or hidden (its key stays taken)",
            Severity.NOTICE,
        )
        for pid, key in sorted(recorded.items())
        if pid not in ids
    ]


def unrecorded(catalogue: Catalogue, recorded: dict[str, str]) -> dict[str, str]:
    """Paper id -> key, for every paper whose key has its final form and is not yet
    recorded."""
    return {
        p.id: catalogue.citation_keys[p.id]
        for p in catalogue.papers
        if p.id not in recorded and conventional(catalogue.meta.get(p.id))
    }


def waiting_notice(count: int, shown: str) -> Problem:
    return Problem(
        shown,
        0,
        f"{count} citation key(s) reached their author+year+word form and are not recorded",
        "run `python -m generator keys` and commit the file, so they never change",
        Severity.NOTICE,
    )


def write_recorded(path: Path, recorded: dict[str, str], new: dict[str, str]) -> int:
    """Add ``new`` to the file (sorted by id, one ``id: key`` a line); the number added."""
    if not new:
        return 0
    merged = {**recorded, **new}
    body = yaml.safe_dump(dict(sorted(merged.items())), allow_unicode=True, sort_keys=False)
    write_whole(path, HEADER + body)
    return len(new)
