"""Whether the packages installed are the ones the lock names.

``make`` installs ``requirements/*.txt`` (exact versions, by hash) whenever the lock
changes. Someone who pulls a change that adds or bumps a dependency and runs ``mkdocs
build`` directly would otherwise meet a traceback from deep inside the build (the
missing module is imported only when its step runs); the plugin asks this module first
and stops with one line that says what differs and what to run.
"""

from __future__ import annotations

import re
import sysconfig
from pathlib import Path

# The runtime lock: what building the site needs (the dev lock adds test tools only).
LOCK = Path(__file__).resolve().parents[2] / "requirements" / "runtime.txt"
PINNED = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", re.MULTILINE)


def normalised(name: str) -> str:
    """A distribution's name as its ``.dist-info`` folder spells it (PEP 503, then ``_``)."""
    return re.sub(r"[-_.]+", "_", name).lower()


def installed() -> dict[str, str]:
    """Every installed distribution's version, by normalised name, from the names of
    the ``.dist-info`` folders: one directory listing, where asking
    ``importlib.metadata`` for each reads every package's metadata file."""
    found: dict[str, str] = {}
    folders = {sysconfig.get_paths()[kind] for kind in ("purelib", "platlib")}
    for folder in sorted(folders):
        try:
            names = sorted(p.name for p in Path(folder).iterdir())
        except OSError:
            continue
        for name in names:
            if name.endswith(".dist-info") and "-" in name:
                dist, version = name.removesuffix(".dist-info").rsplit("-", 1)
                found.setdefault(normalised(dist), version)
    return found


def drift(lock_text: str, have: dict[str, str]) -> list[str]:
    """What differs between the lock's pins and ``have``, one phrase per package."""
    found = []
    for name, version in PINNED.findall(lock_text):
        there = have.get(normalised(name))
        if there is None:
            found.append(f"{name} is not installed")
        elif there != version:
            found.append(f"{name} {there} is installed, {version} is locked")
    return found


def out_of_date(lock: Path = LOCK) -> str | None:
    """One line for the build to stop with when the installed packages are not the
    locked ones, or None. No lock beside the package (installed from a wheel, say):
    nothing to compare with, so None."""
    try:
        text = lock.read_text(encoding="utf-8")
    except OSError:
        return None
    if not (found := drift(text, installed())):
        return None
    shown = "; ".join(found[:3]) + (f"; and {len(found) - 3} more" if len(found) > 3 else "")
    return (
        f"the installed packages are not the ones {lock.parent.name}/{lock.name} locks "
        f"({shown}) — run `make build` (or `make serve`), which installs the locked versions"
    )
