"""Symbolic links in the site's own folders (docs/, overrides/) are refused, as in data/.

MkDocs follows a link in docs/ and Material copies any non-template file of the theme's
custom_dir into the site, so a link in a pull request to ``/proc/self/environ`` or to a
file outside the repository would publish what the link points at, which no reviewer
saw. `python -m generator check` and the build both refuse it, naming the link.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import MKDOCS, ROOT, make_data_dir

from generator.cli import main

SECRET = "Build Secret Nobody Reviewed"


def site_copy(tmp: Path) -> Path:
    """mkdocs.yml, docs/ and overrides/ copied into ``tmp``: a project to plant links in.
    Returns the copied config."""
    shutil.copytree(ROOT / "docs", tmp / "docs")
    shutil.copytree(ROOT / "overrides", tmp / "overrides")
    config = tmp / "mkdocs.yml"
    shutil.copy(ROOT / "mkdocs.yml", config)
    return config


def plant(tmp: Path, where: str) -> str:
    """A link under ``where`` to a secret outside the project; its path as shown."""
    outside = tmp / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(SECRET + "\n", encoding="utf-8")
    if where == "docs-file":
        link = tmp / "docs" / "stylesheets" / "leak.css"
        link.symlink_to(outside / "secret.txt")
    elif where == "docs-folder":
        link = tmp / "docs" / "leaks"
        link.symlink_to(outside, target_is_directory=True)
    else:  # overrides: Material copies a non-template file of custom_dir into the site
        link = tmp / "overrides" / "leak.txt"
        link.symlink_to(outside / "secret.txt")
    return str(link.relative_to(tmp))


WHERE = ["docs-file", "docs-folder", "overrides"]


@pytest.mark.parametrize("where", WHERE)
def test_check_refuses_a_link_in_the_site_folders_and_names_it(tmp_path, where, capsys):
    config = site_copy(tmp_path)
    shown = plant(tmp_path, where)
    data = make_data_dir(tmp_path, "daily.txt")
    assert main(["--data", str(data), "--config", str(config), "check"]) == 1
    err = capsys.readouterr().err
    assert f"{shown}: error: this is a symbolic link" in err
    assert SECRET not in err


def test_check_passes_the_real_site_folders(capsys):
    """The repository's own docs/ and overrides/ hold no link (the test above can fail)."""
    assert main(["--data", str(ROOT / "data"), "--config", str(ROOT / "mkdocs.yml"), "check"]) == 0


@pytest.mark.parametrize("where", WHERE)
def test_the_build_refuses_a_link_in_the_site_folders_and_publishes_nothing(tmp_path, where):
    config = site_copy(tmp_path)
    shown = plant(tmp_path, where)
    data = make_data_dir(tmp_path, "daily.txt")
    env = {
        **os.environ,
        "PAPER_CATALOGUE_DATA": str(data),
        "PAPER_CATALOGUE_TEMPLATES": str(ROOT / "generator" / "render" / "templates"),
        "NO_MKDOCS_2_WARNING": "1",
        "SOURCE_DATE_EPOCH": "1700000000",
    }
    site = tmp_path / "site"
    args = [str(MKDOCS), "build", "-q", "--strict", "-f", str(config), "-d", str(site)]
    result = subprocess.run(args, env=env, capture_output=True, text=True, timeout=300)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert f"{shown}: error: this is a symbolic link" in output
    written = [p for d in ("site", "site.partial") for p in (tmp_path / d).rglob("*")]
    assert not any(SECRET.encode() in p.read_bytes() for p in written if p.is_file())
    assert not site.exists()
