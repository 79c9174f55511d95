"""The build stops with one line when the installed packages are not the locked ones."""

from __future__ import annotations

import pytest
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from generator.infra import installed
from generator.mkdocs_site import plugin as plugin_module
from generator.mkdocs_site.plugin import CataloguePlugin

LOCK = """\
# a comment
pyyaml==0.0.1 \\
    --hash=sha256:00
not-a-package-here==1.0 \\
    --hash=sha256:00
jinja2==3.1.6 ; python_version >= "3.11"
"""


def test_drift_names_each_package_that_differs():
    have = {"pyyaml": "6.0.4", "jinja2": "3.1.6"}
    assert installed.drift(LOCK, have) == [
        "pyyaml 6.0.4 is installed, 0.0.1 is locked",
        "not-a-package-here is not installed",
    ]


def test_the_environment_the_tests_run_in_is_the_locked_one():
    """`make` installed the lock: nothing differs (else every build would stop)."""
    assert installed.out_of_date() is None


def test_a_build_in_a_stale_environment_stops_at_config_with_what_to_run(tmp_path, monkeypatch):
    lock = tmp_path / "requirements" / "runtime.txt"
    lock.parent.mkdir()
    lock.write_text(LOCK)
    monkeypatch.setattr(plugin_module, "out_of_date", lambda: installed.out_of_date(lock))
    plugin = CataloguePlugin()
    plugin.load_config({})
    with pytest.raises(Abort) as stopped:
        plugin.on_config(load_config("mkdocs.yml", site_dir=str(tmp_path / "site")))
    message = str(stopped.value)
    assert "\n" not in message
    assert message.startswith(
        "the installed packages are not the ones requirements/runtime.txt locks "
        "(pyyaml 6.0.4 is installed, 0.0.1 is locked; not-a-package-here is not installed)"
    )
    assert message.endswith("which installs the locked versions")
