"""Load curator-edited YAML safely, validate it against its JSON Schema, and say where.

Every data file (taxonomy, curation, listing metadata) comes through here: one
safe YAML loader for the whole project, one JSON Schema per file kind
(``generator/schemas/``), and errors that name the file and *line* of the
offending key — JSON Schema alone only knows paths like ``tags/12/phrases/3``,
which no curator can find in a 600-line file.

A pull request's YAML is untrusted, so loading it is bounded: the file is read
through :mod:`generator.text.files` (no links, UTF-8 only, no control characters, at
most :data:`YAML_LIMIT` bytes), and aliases are refused — ``*name`` lets a few
lines expand to gigabytes (the "billion laughs"), and no curator needs them.
Without aliases the node tree is a tree, so every walk over it is linear.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator, ValidationError

from generator.model import Problem, Severity
from generator.text.files import CONTROL, DISK, Disk, read_text

SCHEMAS_DIR = Path(__file__).parent.parent / "schemas"
# The taxonomy is 24 KB and a curation file well under 1 KB: a megabyte is a mistake.
YAML_LIMIT = 1_000_000


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing aliases at their line."""

    def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, f"found the alias *{event.anchor}", event.start_mark
            )
        return super().compose_node(parent, index)


@cache
def validator(schema: str) -> Draft202012Validator:
    # Imported at first use: the build forks its second process as it starts, and the
    # jsonschema's import, which that process never needs, delayed the fork.
    from jsonschema import Draft202012Validator

    path = SCHEMAS_DIR / f"{schema}.schema.json"
    return Draft202012Validator(json.loads(path.read_text(encoding="utf-8")))


def _child(node: yaml.Node | None, key: str | int) -> tuple[yaml.Node | None, yaml.Node | None]:
    """(key node, value node) of ``key`` inside a mapping or sequence node."""
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if k.value == key:
                return k, v
    elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
        return node.value[key], node.value[key]
    return None, None


def line_of(root: yaml.Node | None, path: Sequence[str | int]) -> int:
    """1-based line of the deepest node along ``path`` that exists (0 if none)."""
    line, node = (root.start_mark.line + 1) if root else 0, root
    for key in path:
        key_node, node = _child(node, key)
        if key_node is None:
            break
        line = key_node.start_mark.line + 1
    return line


def _describe(error: ValidationError) -> tuple[list[str | int], str, str]:
    """(path to point at, message, hint) for one schema error, in a curator's words."""
    path = list(error.absolute_path)
    where = "/".join(str(p) for p in path) or "the top level"
    schema = error.schema if isinstance(error.schema, dict) else {}
    if error.validator == "additionalProperties":
        allowed = sorted(schema.get("properties", {}))
        extra = sorted(set(error.instance) - set(allowed), key=str)
        near = difflib.get_close_matches(str(extra[0]), allowed, n=1, cutoff=0.6)
        guess = f"did you mean {near[0]!r}? " if near else ""
        return (
            [*path, extra[0]],
            f"unknown key {extra[0]!r}",
            f"{guess}allowed keys: {', '.join(allowed)}",
        )
    if error.validator == "pattern":
        # The raw regex helps no curator; the field's description gives the form.
        return (
            path,
            f"{where}: {error.instance!r} is not in the expected form",
            schema.get("description", ""),
        )
    if error.validator == "type" and isinstance(error.instance, bool):
        # YAML reads yes/no/true/on as a boolean: "True is not of type 'string'" names
        # neither the slip nor the fix.
        written = "yes/true/on" if error.instance else "no/false/off"
        return (
            path,
            f"{where}: {written} is read as {str(error.instance).lower()}, not as text",
            f"give the reason as text, in quotes: {path[-1] if path else where}: "
            '"Not a research paper: an announcement."'
            if path and path[-1] == "hidden"
            else f"write the value in quotes if it is text; {schema.get('description', '')}",
        )
    if error.validator == "required":
        return path, f"{where}: {error.message}", "add the missing key"
    if error.validator == "anyOf" and "description" in schema:
        return path, f"{where}: {schema['description']}", "see the comments at the top of the file"
    hint = schema.get("description", "")
    return path, f"{where}: {error.message}", hint


def _duplicate_keys(node: yaml.Node | None, path: str, problems: list[Problem]) -> None:
    """YAML lets a key appear twice and keeps the last: a silent lost edit. Report it."""
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, int] = {}
        for k, v in node.value:
            line = k.start_mark.line + 1
            if k.value in seen:
                problems.append(
                    Problem(
                        path,
                        line,
                        f"duplicate key {k.value!r} (first at line {seen[k.value]})",
                        "merge the two entries into one",
                    )
                )
            seen.setdefault(k.value, line)
            _duplicate_keys(v, path, problems)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _duplicate_keys(item, path, problems)


def _escaped_controls(node: yaml.Node | None, path: str, problems: list[Problem]) -> None:
    """A control character written as an escape ("\\u202E", "\\x00") is not in the file's
    text, where :mod:`generator.text.files` looks, but is in the value: report it too."""
    if isinstance(node, yaml.ScalarNode):
        if isinstance(node.value, str) and (match := CONTROL.search(node.value)):
            problems.append(
                Problem(
                    path,
                    node.start_mark.line + 1,
                    f"invisible control character U+{ord(match.group()):04X} in this value",
                    "delete its escape (it would reach titles, <title> and catalogue.json)",
                )
            )
    elif isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            _escaped_controls(k, path, problems)
            _escaped_controls(v, path, problems)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _escaped_controls(item, path, problems)


class YamlDoc:
    """A loaded YAML file: its data, its node tree (for line numbers), its problems."""

    def __init__(
        self,
        data: Any,
        root: yaml.Node | None,
        path: str,
        problems: list[Problem],
        error_paths: list[list[str | int]] | None = None,
    ):
        self.data, self.root, self.path, self.problems = data, root, path, problems
        self.error_paths = error_paths or []  # schema-error locations, e.g. ["tags", 3, "name"]

    def broken(self, *prefix: str | int) -> bool:
        """Did the schema find an error at or below ``prefix``?"""
        return any(tuple(p[: len(prefix)]) == prefix for p in self.error_paths)

    def line(self, *keys: str | int) -> int:
        return line_of(self.root, keys)

    def problem(self, keys: Sequence[str | int], message: str, hint: str = "") -> Problem:
        return Problem(self.path, line_of(self.root, keys), message, hint)


def _yaml_problem(exc: yaml.YAMLError, shown: str) -> Problem:
    """A YAML syntax error at the line where the mistake is, not where PyYAML gave up:
    an unclosed quote is found at the end of the file, but made where it opens."""
    if isinstance(exc, yaml.composer.ComposerError) and "alias" in str(exc.problem):
        mark = exc.problem_mark
        return Problem(
            shown,
            mark.line + 1 if mark else 0,
            f"YAML aliases are not allowed in data files ({exc.problem})",
            "write the value out in full where the alias stands",
        )
    context = getattr(exc, "context", None) or ""
    context_mark = getattr(exc, "context_mark", None)
    problem_mark = getattr(exc, "problem_mark", None)
    what = getattr(exc, "problem", None) or str(exc)
    if context_mark and ("quoted scalar" in context or "flow" in context):
        end = f" at line {problem_mark.line + 1}" if problem_mark else ""
        return Problem(
            shown,
            context_mark.line + 1,
            f"not valid YAML: {context.removeprefix('while scanning ')} starts here "
            f"and is never closed ({what}{end})",
            "close the quote or bracket on this line; inside '...' write a quote as ''",
        )
    return Problem(
        shown,
        problem_mark.line + 1 if problem_mark else 0,
        f"not valid YAML: {what}",
        "check indentation and quote text containing ':' or '#'",
    )


# A slip a curator commonly makes that has one clear reading, undone before the schema
# sees the file: (path to the value, what was read, how to write it) for each.
Understood = list[tuple[list[str | int], str, str]]


def load_yaml(
    file: Path,
    schema: str,
    shown: str | None = None,
    files: Disk = DISK,
    understand: Callable[[Any], Understood] | None = None,
) -> YamlDoc:
    """Parse and validate one YAML data file (read from ``files``: a build's snapshot).
    ``understand`` may rewrite the data in place before it is validated (an arXiv URL
    where the id belongs); each rewrite is a notice at its line. Never raises on bad
    content."""
    shown = shown or str(file)
    text, problems = read_text(file, shown, YAML_LIMIT, files)
    if text is None or problems:
        return YamlDoc(None, None, shown, problems)
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    except yaml.YAMLError as exc:
        return YamlDoc(None, None, shown, [_yaml_problem(exc, shown)])
    finally:
        loader.dispose()
    _duplicate_keys(root, shown, problems)
    _escaped_controls(root, shown, problems)
    for keys, message, hint in understand(data) if understand else ():
        problems.append(Problem(shown, line_of(root, keys), message, hint, Severity.NOTICE))
    paths = []
    for error in sorted(validator(schema).iter_errors(data), key=lambda e: list(map(str, e.path))):
        path, message, hint = _describe(error)
        paths.append(list(error.absolute_path))
        problems.append(Problem(shown, line_of(root, path), message, hint))
    return YamlDoc(data, root, shown, problems, paths)
