"""The theme's templates are compiled once and kept with the installed packages' derived
results (generator/mkdocs_site/theme_bytecode.py): a build that finds them, even with an
empty build cache, compiles none of the theme's templates and writes the same bytes; what
the entry is keyed by."""

from __future__ import annotations

import shutil

import jinja2
from conftest import DATA, ROOT, digest_tree, make_data_dir
from mkdocs.commands.build import build
from mkdocs.config import load_config

from generator.mkdocs_site.theme_bytecode import environment_shape


def build_here(site) -> None:
    config = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(site), strict=True)
    config.plugins.on_startup(command="build", dirty=False)
    build(config)


def test_a_build_that_finds_the_theme_compiled_compiles_none_and_writes_the_same(
    tmp_path, monkeypatch
):
    data = make_data_dir(tmp_path, "daily.txt")
    shutil.copy(DATA / "taxonomy.yaml", data / "taxonomy.yaml")
    monkeypatch.setenv("PAPER_CATALOGUE_DATA", str(data))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    # The compiled theme is kept in the user's store of package-derived results, not in
    # the build cache: both start empty here, and the second build has a new build cache
    # (as a cold build has) and still compiles nothing.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    compiled: list[str] = []
    compile_source = jinja2.Environment.compile

    def counted(self, source, name=None, filename=None, *args, **kwargs):
        # The environment MkDocs renders the site with. (Material's search plugin makes
        # one of its own to read the language partials once, out of the plugin's reach.)
        if self.bytecode_cache is not None:
            compiled.append(name)
        return compile_source(self, source, name, filename, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counted)
    builds = []
    for n in range(2):
        monkeypatch.setenv("PAPER_CATALOGUE_CACHE", str(tmp_path / f"cache-{n}"))
        compiled.clear()
        build_here(tmp_path / f"site-{n}")
        builds.append((sorted(compiled), digest_tree(tmp_path / f"site-{n}")))
    (first, first_site), (second, second_site) = builds
    assert "main.html" in first and "base.html" in first and len(first) > 20
    assert second == []  # every theme template came from the cache
    assert first_site == second_site and len(first_site) > 10


def finish(value):
    return value


def test_the_key_holds_the_settings_that_shape_compiled_code_and_nothing_that_moves():
    shape = environment_shape(jinja2.Environment(finalize=finish, extensions=["jinja2.ext.i18n"]))
    # A function is named, not given by its address: the same in every process.
    assert f"finalize={__name__}.finish" in shape
    assert shape == environment_shape(
        jinja2.Environment(finalize=finish, extensions=["jinja2.ext.i18n"])
    )
    for other in (
        jinja2.Environment(finalize=finish, extensions=["jinja2.ext.i18n"], trim_blocks=True),
        jinja2.Environment(finalize=None, extensions=["jinja2.ext.i18n"]),
        jinja2.Environment(finalize=finish),
        jinja2.Environment(finalize=finish, extensions=["jinja2.ext.i18n"], autoescape=True),
    ):
        assert environment_shape(other) != shape
