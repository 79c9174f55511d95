"""The theme's templates compiled once, not on every build: Jinja bytecode in the cache.

MkDocs makes a new Jinja environment for every build (every rebuild of ``serve`` too),
and Jinja compiles each template it loads from source: Material's ~45 templates were
a seventh of a warm build's own CPU time. Jinja's bytecode cache stores what it
compiled; here it lives in the store of what derives from installed packages
(:meth:`generator.infra.cache.Cache.packages`), one entry for all of them: the theme is
an installed package, so a cold build (an empty build cache) and every test's fresh
data folder find it compiled too.

Jinja checks each stored template against its source's checksum (an edited override
or a new Material is compiled again), but its key leaves out the environment's
settings, which shape the compiled code too: the entry's key holds them
(:func:`generator.infra.keys.theme_bytecode`).
"""

from __future__ import annotations

import jinja2
from jinja2.bccache import Bucket, BytecodeCache

from generator.infra import keys
from generator.infra.cache import Cache

STAGE = "theme-bytecode"
# Environment attributes the compiled code depends on (jinja2.Environment's arguments).
SHAPING = (
    "block_start_string",
    "block_end_string",
    "variable_start_string",
    "variable_end_string",
    "comment_start_string",
    "comment_end_string",
    "line_statement_prefix",
    "line_comment_prefix",
    "trim_blocks",
    "lstrip_blocks",
    "newline_sequence",
    "keep_trailing_newline",
    "optimized",
    "autoescape",
    "finalize",
    "is_async",
)


def _named(value: object) -> str:
    """A setting as text that is the same in every process (a function by its name,
    not its address)."""
    if callable(value):
        return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', value)}"
    return repr(value)


def environment_shape(env: jinja2.Environment) -> list[str]:
    settings = [f"{name}={_named(getattr(env, name, None))}" for name in SHAPING]
    return settings + [f"extension={name}" for name in sorted(env.extensions)]


class ThemeBytecode(BytecodeCache):
    """The compiled templates this build loaded, kept for the next (the others go)."""

    def __init__(self, cache: Cache, env: jinja2.Environment):
        """``cache``: where the entry is kept (the site build gives :meth:`Cache.packages`)."""
        self.cache = cache
        self.key = keys.theme_bytecode(jinja2.__version__, environment_shape(env))
        found = cache.get(STAGE, self.key)
        self.known: dict[str, bytes] = found if isinstance(found, dict) else {}
        self.used: dict[str, bytes] = {}

    @classmethod
    def attach(cls, env: jinja2.Environment, cache: Cache) -> ThemeBytecode:
        """A bytecode cache for ``env``, before it loads its first template."""
        env.bytecode_cache = bytecode = cls(cache, env)
        return bytecode

    def load_bytecode(self, bucket: Bucket) -> None:
        data = self.known.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)  # left empty if the source has changed
            if bucket.code is not None:
                self.used[bucket.key] = data

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.used[bucket.key] = bucket.bytecode_to_string()

    def save(self) -> None:
        if self.used != self.known:
            self.cache.put(STAGE, self.key, self.used)
