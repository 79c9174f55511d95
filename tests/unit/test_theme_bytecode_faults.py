"""Faults for the compiled theme kept across builds (generator/mkdocs_site/theme_bytecode.py):
an entry made from another source of a template, a damaged entry and an entry forged
by someone without this machine's secret are never what a page is rendered with."""

from __future__ import annotations

import pickle

import jinja2

from generator.infra.cache import Cache
from generator.mkdocs_site.theme_bytecode import STAGE, ThemeBytecode


def render(store: Cache, source: str) -> tuple[str, ThemeBytecode]:
    """One build's use of the theme: a new environment (MkDocs makes one per build),
    the bytecode cache attached before the first template loads, saved at the end."""
    env = jinja2.Environment(loader=jinja2.DictLoader({"main.html": source}))
    bytecode = ThemeBytecode.attach(env, store)
    page = env.get_template("main.html").render(title="Paper")
    bytecode.save()
    return page, bytecode


def test_an_edited_template_is_compiled_again_not_served_from_the_store(tmp_path):
    store = Cache(tmp_path / "store", secret=b"s" * 32)
    first, _ = render(store, "<h1>{{ title }}</h1>")
    again, bytecode = render(store, "<h1>{{ title }}</h1>")
    assert first == again == "<h1>Paper</h1>" and bytecode.used  # served from the store
    # An override edited between two builds: the stored code is of the old source.
    edited, bytecode = render(store, "<h2>{{ title }} (edited)</h2>")
    assert edited == "<h2>Paper (edited)</h2>"
    # And the store now holds the new code only: the old one is not kept for later.
    assert render(store, "<h2>{{ title }} (edited)</h2>")[0] == edited


def test_a_damaged_or_forged_entry_is_ignored_and_the_theme_compiled(tmp_path):
    store = Cache(tmp_path / "store", secret=b"s" * 32)
    render(store, "<h1>{{ title }}</h1>")
    (entry,) = (tmp_path / "store" / STAGE).iterdir()
    entry.write_bytes(entry.read_bytes()[:-7])  # cut short (a full disk, a killed build)
    assert render(store, "<h1>{{ title }}</h1>")[0] == "<h1>Paper</h1>"
    # Forged: well-formed, but signed with another secret (another user, another machine).
    forger = Cache(tmp_path / "store", secret=b"f" * 32)
    env = jinja2.Environment(loader=jinja2.DictLoader({"main.html": "<h1>{{ title }}</h1>"}))
    key = ThemeBytecode(forger, env).key
    forger.put(STAGE, key, {"anything": pickle.dumps("not bytecode")})
    page, bytecode = render(store, "<h1>{{ title }}</h1>")
    assert page == "<h1>Paper</h1>" and "anything" not in bytecode.known
