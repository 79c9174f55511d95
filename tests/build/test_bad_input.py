"""Bad input never hangs, leaks or lies (issue 10).

Each test plays a careless or hostile contribution from ``tests/fixtures/bad_input/``
(or made on the spot where a fixture cannot hold it: a symbolic link, 20 MB, a NUL)
and asserts the exact outcome: the message and line, the exit code, what is kept,
and, where a hang was possible, that the command finishes.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, make_data_dir, mkdocs_build

from generator import cli
from generator.infra.cache import Cache
from generator.ingest.listings import parse_file, parse_text
from generator.ingest.yaml_files import load_yaml
from generator.pipeline import build_catalogue
from generator.text import files

BAD = FIXTURES / "bad_input"
SPARSE = "sparse-mixture-of-experts-are-domain-generalizable-learners"
# A bound for commands that used to hang (minutes, or forever): generous for a busy CI
# machine, far below what the hang took.
HANG_BOUND = 120


def check(data: Path) -> subprocess.CompletedProcess:
    """``python -m generator check`` on a data folder, as CI runs it."""
    return subprocess.run(
        [sys.executable, "-m", "generator", "--data", str(data), "check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=HANG_BOUND,
        env={"PAPER_CATALOGUE_CACHE": "off", "PATH": "/usr/bin:/bin"},
    )


def errors(result: subprocess.CompletedProcess) -> list[str]:
    """The error lines ``check`` printed (it prints problems to stderr)."""
    return [line for line in result.stderr.splitlines() if ": error: " in line]


def catalogue_of(data: Path):
    return build_catalogue(data, Cache(None))


def messages(catalogue) -> list[str]:
    return [str(p) for p in catalogue.problems]


def with_taxonomy(tmp_path: Path, taxonomy: str, *dumps: str) -> Path:
    data = make_data_dir(tmp_path, *(dumps or ("trending.txt",)))
    shutil.copy(BAD / taxonomy, data / "taxonomy.yaml")
    return data


def with_curation(data: Path, paper_id: str, fixture: str) -> Path:
    folder = data / "curation" / "papers"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(BAD / "curation" / fixture, folder / f"{paper_id}.yaml")
    return folder / f"{paper_id}.yaml"


# 1. Regexes ---------------------------------------------------------------------


def test_a_backtracking_tag_regex_does_not_hang_check(tmp_path):
    """(a+)+$ against 34 a's and a '!' took Python's re minutes; RE2 takes microseconds."""
    title = "a" * 34 + "!"
    dump = (BAD / "two_orphan_titles.txt").read_text("utf-8").splitlines()
    text = "\n".join([*dump[:2], f"Subscribe{title}", dump[3], *dump[6:]]) + "\n"
    data = with_taxonomy(tmp_path, "taxonomy_regex.yaml")
    (data / "listings" / "letters.txt").write_text(text, "utf-8")
    result = check(data)  # raises TimeoutExpired if the rule still backtracks
    assert result.returncode == 1
    assert errors(result) == [
        "data/taxonomy.yaml:34: error: regex '(?<=Sparse )Mixture' cannot be used: invalid "
        "perl operator: (?<= — rules run under RE2, which never backtracks: write it without "
        "lookarounds (?=, (?<=) and backreferences (\\1)"
    ]
    assert "Traceback" not in result.stderr and "re2.cc" not in result.stderr


def test_the_regex_rules_still_tag_under_re2(tmp_path):
    data = with_taxonomy(tmp_path, "taxonomy_regex.yaml")
    (data / "listings" / "letters.txt").write_text(
        "Get trending papers in your email inbox!\nSubscribeWhy Models Say aaaa\n"
        "We study why language models repeat a letter. We find it is learned early. "
        "The answer is in the data.\n",
        "utf-8",
    )
    tagged = {p.title: p.tags for p in catalogue_of(data).papers}
    assert tagged["Why Models Say aaaa"] == ("repetition",)


# 2. Pairing titles and abstracts ----------------------------------------------------


def test_two_orphan_titles_in_a_row_are_two_errors_and_never_a_paper():
    result = parse_file(BAD / "two_orphan_titles.txt", FIXTURES.parent.parent)
    assert [(p.line, p.message) for p in result.problems] == [
        (5, "the title 'A Benchmark Whose Abstract Was Never Copied' has no abstract"),
        (6, "the title 'Another Title Lost In The Same Paste' has no abstract"),
    ]
    assert [e.title for e in result.listing.entries] == [
        "Sparse Mixture-of-Experts Are Domain Generalizable Learners",
        "Tensor Programs V: Tuning Large Neural Networks via Zero-Shot Hyperparameter Transfer",
    ]


def test_an_orphan_title_before_a_short_abstract_is_reported_at_its_own_line():
    result = parse_file(BAD / "orphan_then_short_abstract.txt")
    [problem] = result.problems
    assert problem.line == 3 and "'A Survey Whose Abstract Went Missing' has no abstract" in (
        problem.message
    )
    first = result.listing.entries[0]
    assert (first.title, first.abstract, first.line) == (
        "One-Line Abstracts: A Short Note",
        "We show that a single sentence can carry an abstract.",
        4,
    )
    assert len(result.listing.entries) == 2


def test_a_dump_cut_off_mid_abstract_is_an_error_and_the_rest_is_kept():
    result = parse_file(BAD / "cut_off.txt")
    [problem] = result.problems
    assert problem.line == 6
    assert problem.message.startswith("the last abstract ends mid-sentence")
    assert "We study a thi'" in problem.message and "cut off" in problem.message
    assert [e.title for e in result.listing.entries] == [
        "Sparse Mixture-of-Experts Are Domain Generalizable Learners"
    ]


def test_a_title_over_300_characters_is_a_title():
    result = parse_file(BAD / "long_title.txt")
    assert result.problems == []
    assert [len(e.title) for e in result.listing.entries] == [324, 85]


# 3. YAML: bounded work ---------------------------------------------------------------


@pytest.mark.parametrize(("fixture", "line"), [("laughs.yaml", 3), ("authors_alias.yaml", 4)])
def test_yaml_aliases_are_refused_at_their_line(fixture, line):
    doc = load_yaml(BAD / "curation" / fixture, "curation", f"data/curation/papers/{fixture}")
    [problem] = doc.problems
    assert (problem.line, problem.message[:41]) == (
        line,
        "YAML aliases are not allowed in data file",
    )
    assert doc.data is None


def test_an_alias_bomb_in_a_pull_request_does_not_stall_check(tmp_path):
    data = make_data_dir(tmp_path, "trending.txt")
    with_curation(data, SPARSE, "laughs.yaml")
    result = check(data)
    assert result.returncode == 1
    [error] = errors(result)
    assert error.startswith(
        f"data/curation/papers/{SPARSE}.yaml:3: error: YAML aliases are not allowed"
    )
    assert len(result.stderr) < 2000  # one error, not megabytes of expanded values


def test_a_huge_curation_file_is_refused_unread(tmp_path):
    data = make_data_dir(tmp_path, "trending.txt")
    path = with_curation(data, SPARSE, "key_typo.yaml")
    path.write_text("note: " + "x" * 20_000_000 + "\n", "utf-8")
    [problem] = [p for p in catalogue_of(data).problems if p.path.endswith(".yaml")]
    assert problem.line == 0
    assert problem.message == "this file is 20.0 MB; data files stop at 1.0 MB"


# 4. Type errors in the taxonomy --------------------------------------------------------


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        ("taxonomy_tags_not_a_list.yaml", "data/taxonomy.yaml:3: error: tags: 5 is not of type"),
        ("taxonomy_groups_not_a_list.yaml", "data/taxonomy.yaml:1: error: groups: 5 is not of"),
    ],
)
def test_a_taxonomy_of_the_wrong_shape_is_one_schema_error(tmp_path, fixture, expected):
    result = check(with_taxonomy(tmp_path, fixture))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert [e[: len(expected)] for e in errors(result)] == [expected], result.stderr


# 5. Symbolic links ----------------------------------------------------------------------


SECRET = "Confidential Quarterly Numbers Nobody Should Publish"


def test_a_listing_that_links_outside_is_refused_and_nothing_leaks(tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text(
        (FIXTURES / "trending.txt")
        .read_text("utf-8")
        .replace("Sparse Mixture-of-Experts Are Domain Generalizable Learners", SECRET),
        "utf-8",
    )
    data = make_data_dir(tmp_path, "daily.txt")
    (data / "listings" / "zz_linked.txt").symlink_to(outside)
    catalogue = catalogue_of(data)
    assert messages(catalogue)[0] == (
        "data/listings/zz_linked.txt: error: this is a symbolic link; data files must be "
        "regular files in the repository — replace the link by the file itself (a link's "
        "target is not part of the review)"
    )
    assert all(SECRET not in p.title for p in catalogue.papers)

    result = mkdocs_build(data, tmp_path / "site")
    assert result.returncode == 1
    assert "zz_linked.txt: error: this is a symbolic link" in result.stdout + result.stderr
    written = [p for d in ("site", "site.partial") for p in (tmp_path / d).rglob("*")]
    assert not any(SECRET.encode() in p.read_bytes() for p in written if p.is_file())
    assert not (tmp_path / "site").exists()


def test_a_curation_file_linked_to_a_system_file_is_refused_unread(tmp_path):
    data = make_data_dir(tmp_path, "trending.txt")
    folder = data / "curation" / "papers"
    folder.mkdir(parents=True)
    (folder / f"{SPARSE}.yaml").symlink_to("/etc/passwd")
    result = check(data)
    assert result.returncode == 1
    assert "root:" not in result.stdout + result.stderr
    [error] = errors(result)
    assert error.startswith(f"data/curation/papers/{SPARSE}.yaml: error: this is a symbolic link")


@pytest.mark.parametrize("link", ["taxonomy.yaml", "listings"])
def test_a_linked_taxonomy_or_listings_folder_is_refused(tmp_path, link):
    """The single files and the folders are refused too, not only files in a folder."""
    data = make_data_dir(tmp_path, "trending.txt")
    moved = tmp_path / f"elsewhere-{link}"
    if link == "taxonomy.yaml":
        shutil.copy(FIXTURES / "taxonomy_small.yaml", moved)
    else:
        (data / "listings").rename(moved)
    (data / link).symlink_to(moved)
    catalogue = catalogue_of(data)
    assert messages(catalogue)[0].startswith(f"data/{link}: error: this is a symbolic link")
    if link == "taxonomy.yaml":
        assert catalogue.vocabulary.tags == ()  # nothing read through the link
    else:
        assert catalogue.papers == ()


def deny_reading(monkeypatch, *denied: Path) -> None:
    """Reading ``denied`` fails as a file without read permission does (the tests run
    as root, whom ``chmod`` does not stop, so the refusal is injected where it is read)."""
    real = files.read_regular

    def read_regular(path: Path) -> bytes:
        if path in denied:
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(files, "read_regular", read_regular)


def test_an_unreadable_data_file_is_an_error_at_it_not_a_traceback(tmp_path, monkeypatch, capsys):
    data = make_data_dir(tmp_path, "trending.txt", "daily.txt")
    deny_reading(monkeypatch, data / "listings" / "daily.txt")
    catalogue = catalogue_of(data)
    assert messages(catalogue)[0] == (
        "data/listings/daily.txt: error: this file cannot be read (Permission denied) — "
        "make it readable (chmod a+r data/listings/daily.txt) or remove it"
    )
    assert catalogue.papers  # the readable listing is still read

    assert cli.main(["--data", str(data), "check"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    first = err.splitlines()[0]
    assert first.startswith("data/listings/daily.txt: error: this file cannot be read")


# 6. Control characters, other encodings, binaries -----------------------------------------


def test_a_nul_in_a_title_is_an_error_at_its_line_and_only_that_paper_is_dropped():
    raw = (
        (FIXTURES / "trending.txt").read_bytes().replace(b"Tensor Programs", b"Tensor\x00Programs")
    )
    result = parse_text(raw, "nul.txt", "data/listings/nul.txt")
    [problem] = result.problems
    assert (problem.line, problem.message) == (
        5,
        "invisible control character U+0000 in this line",
    )
    assert [e.title[:6] for e in result.listing.entries] == ["Sparse", "Scalin"]


@pytest.mark.parametrize(
    ("encode", "message"),
    [
        (lambda t: t.encode("utf-16"), "this looks like UTF-16 text (it starts with a UTF-16"),
        (lambda t: t.encode("utf-16-le"), "this looks like UTF-16 text (every other byte is zero)"),
        (lambda t: bytes(range(256)) * 40, "this looks like a binary file, not text"),
    ],
    ids=["utf-16", "utf-16-no-bom", "binary"],
)
def test_a_file_that_is_not_utf8_text_is_one_error_and_no_papers(encode, message):
    raw = encode((FIXTURES / "trending.txt").read_text("utf-8"))
    result = parse_text(raw, "x.txt", "data/listings/x.txt")
    [problem] = result.problems
    assert problem.message.startswith(message) and "save it as UTF-8" in problem.hint
    assert result.listing.entries == ()


# 7. Schema patterns, arXiv ids ---------------------------------------------------------------


def test_an_arxiv_id_with_a_line_end_is_refused(tmp_path):
    data = make_data_dir(tmp_path, "trending.txt")
    with_curation(data, SPARSE, "arxiv_newline.yaml")
    [problem] = catalogue_of(data).problems
    assert problem.line == 2
    assert problem.message == "arxiv: '2401.12345\\n' is not in the expected form"
    assert "e.g. 2401.01234" in problem.hint and "^" not in problem.hint


def test_an_arxiv_prefix_and_version_are_understood(tmp_path):
    data = make_data_dir(tmp_path, "trending.txt")
    with_curation(data, SPARSE, "arxiv_prefix.yaml")
    catalogue = catalogue_of(data)
    assert catalogue.problems == ()
    assert catalogue.meta[SPARSE].arxiv_version == "2501.00656v2"
    assert (catalogue.meta[SPARSE].arxiv, catalogue.meta[SPARSE].version) == ("2501.00656", 2)


# 9. Root cause first, consequences not repeated -----------------------------------------------


def test_a_broken_taxonomy_is_reported_once_at_the_opening_quote(tmp_path):
    """Not: every curated tag "unknown" with an empty list of valid tags, printed first."""
    data = with_taxonomy(tmp_path, "taxonomy_unclosed_quote.yaml")
    with_curation(data, SPARSE, "adds_broken_tag.yaml")
    assert messages(catalogue_of(data)) == [
        "data/taxonomy.yaml:10: error: not valid YAML: a quoted scalar starts here and is "
        "never closed (found unexpected end of stream at line 26) — close the quote or "
        "bracket on this line; inside '...' write a quote as ''"
    ]


def test_a_typo_in_a_taxonomy_key_is_the_one_error_not_its_consequence(tmp_path):
    data = with_taxonomy(tmp_path, "taxonomy_key_typo.yaml")
    with_curation(data, SPARSE, "adds_broken_tag.yaml")
    found = messages(catalogue_of(data))
    assert found[0] == (
        "data/taxonomy.yaml:12: error: unknown key 'phrase' — did you mean 'phrases'? allowed "
        "keys: abstract_hits, description, exclude, generic_hits, generic_phrases, group, label, "
        "name, phrases, regex, terms, title_phrases"
    )
    assert not any("unknown tag" in m for m in found), found


def test_an_unknown_curation_key_gets_a_did_you_mean(tmp_path):
    data = make_data_dir(tmp_path, "trending.txt")
    with_curation(data, SPARSE, "key_typo.yaml")
    [problem] = catalogue_of(data).problems
    assert (problem.line, problem.message) == (1, "unknown key 'titel'")
    assert problem.hint.startswith("did you mean 'title'? allowed keys: abstract, arxiv")


def test_contradictory_and_no_op_tag_edits_are_errors(tmp_path):
    data = make_data_dir(tmp_path, "trending.txt")
    shutil.copy(FIXTURES / "taxonomy_small.yaml", data / "taxonomy.yaml")
    with_curation(data, SPARSE, "tags_contradict.yaml")
    found = [(p.line, p.message) for p in catalogue_of(data).problems if p.is_error]
    assert found == [
        (2, "tag 'mixture-of-experts' is both added and removed"),
        (3, "the taxonomy's rules do not give this paper 'diffusion-models': nothing to remove"),
    ]


# 8. Root causes, not crashes; collisions refused (issue 27) --------------------------------


def check_and_build(data: Path, tmp_path: Path) -> tuple[subprocess.CompletedProcess, str]:
    """``check`` and a strict build on the same data: they must agree (both pass, or both
    fail), and neither may show a traceback. Returns check's result and the build's log."""
    checked = check(data)
    built = mkdocs_build(data, tmp_path / "site")
    for result in (checked, built):
        assert "Traceback" not in result.stderr, result.stderr
    assert (checked.returncode, built.returncode != 0) in ((0, False), (1, True)), (
        checked.stderr,
        built.stderr,
    )
    return checked, built.stderr + built.stdout


def trending_with(*edits: tuple[int, str, str]) -> bytes:
    """The trending fixture with each (line, old, new) replacement made on that line."""
    lines = (FIXTURES / "trending.txt").read_text("utf-8").split("\n")
    for line, old, new in edits:
        assert old in lines[line - 1]
        lines[line - 1] = lines[line - 1].replace(old, new, 1)
    return "\n".join(lines).encode()


def test_latex_the_parser_cannot_read_is_a_notice_at_its_line_and_shown_as_written(tmp_path):
    raw = trending_with(
        (4, "Human", "Code at \\href{https://example.org/code}{our page}. Human"),
        (5, "Transfer", "Transfer with a bare \\sqrt"),
        (6, "at all.", "at all. Proofs in the appendix\\footnote"),
        (8, "We study", "As \\href{https://example.org} shows, we study"),
    )
    data = make_data_dir(tmp_path, raw={"x.txt": raw})
    checked, _ = check_and_build(data, tmp_path)
    assert checked.returncode == 0
    notices = [line for line in checked.stderr.splitlines() if ": notice: " in line]
    assert [n.split(": notice: ")[0] for n in notices] == [
        "data/listings/x.txt:3",
        "data/listings/x.txt:5",
        "data/listings/x.txt:5",
        "data/listings/x.txt:7",
    ]
    assert "the abstract" in notices[1] and "the title" in notices[2]
    page = (tmp_path / "site" / "papers" / SPARSE / "index.html").read_text("utf-8")
    assert "Code at \\href{https://example.org/code}{our page}. Human" in page


def test_a_dollar_in_a_listing_name_is_drawn_as_written_on_the_stats_page(tmp_path):
    # Matplotlib reads $…$ in a label as mathtext: $x^$ and an unknown \\macro raised
    # ValueError and failed the build; $\\frac{1}{2}$ was drawn as a fraction.
    data = make_data_dir(tmp_path, "trending.txt", "daily.txt")
    names = ["Costs $5 and $x^$ papers", "A $\\frac{1}{2}$ day of $\\foo$"]
    (data / "listings.yaml").write_text(
        f"trending.txt:\n  title: '{names[0]}'\ndaily.txt:\n  title: '{names[1]}'\n", "utf-8"
    )
    checked, _ = check_and_build(data, tmp_path)
    assert checked.returncode == 0
    stats = (tmp_path / "site" / "stats" / "index.html").read_text("utf-8")
    drawn = re.findall(r"<text [^>]*>([^<]*)</text>", stats)
    assert all(html.escape(name, quote=False) in drawn for name in names), drawn


TENSOR = "tensor-programs-v-tuning-large-neural-networks-via-zero-shot-hyperparameter"


def test_a_hidden_paper_cannot_take_others_with_same_as(tmp_path):
    # The merged paper's old URL redirected to a page that is not in the catalogue:
    # check passed and the strict build failed with a KeyError (issue 27).
    data = make_data_dir(tmp_path, "trending.txt")
    folder = data / "curation" / "papers"
    folder.mkdir(parents=True)
    (folder / f"{SPARSE}.yaml").write_text(
        f"hidden: 'Not machine learning.'\nsame_as: [{TENSOR}]\n", "utf-8"
    )
    checked, built = check_and_build(data, tmp_path)
    [error] = errors(checked)
    assert error.startswith(f"data/curation/papers/{SPARSE}.yaml:2: error: ")
    assert "hidden" in error and "same_as" in error
    assert error.split(": error: ")[1] in built


def test_a_hidden_paper_cannot_be_merged_away(tmp_path):
    # Its `hidden` was skipped without a word: the merge won and the reason was lost.
    data = make_data_dir(tmp_path, "trending.txt")
    folder = data / "curation" / "papers"
    folder.mkdir(parents=True)
    (folder / f"{TENSOR}.yaml").write_text("hidden: 'Not machine learning.'\n", "utf-8")
    (folder / f"{SPARSE}.yaml").write_text(f"same_as:\n  - {TENSOR}\n", "utf-8")
    catalogue = catalogue_of(data)
    [error] = catalogue.errors
    assert (error.path, error.line) == (f"data/curation/papers/{SPARSE}.yaml", 2)
    assert error.message == f"{TENSOR!r} is hidden: merged away, it would never be hidden"
    assert TENSOR in catalogue.hidden and not catalogue.redirects


def test_a_tag_named_index_is_refused_at_its_line(tmp_path):
    # tags/index.md is the Tags index page: a tag of that name replaced it.
    data = make_data_dir(tmp_path, "trending.txt")
    taxonomy = (FIXTURES / "taxonomy_small.yaml").read_text("utf-8")
    (data / "taxonomy.yaml").write_text(
        taxonomy.replace("name: mixture-of-experts", "name: index"), "utf-8"
    )
    checked, built = check_and_build(data, tmp_path)
    [error] = errors(checked)
    assert error.startswith("data/taxonomy.yaml:9: error: tag name 'index' is reserved")
    assert error.split(": error: ")[1] in built


def _dump(*papers: tuple[str, str]) -> bytes:
    """A trending dump of (title, abstract) pairs."""
    head = (FIXTURES / "trending.txt").read_text("utf-8").split("\n")[:2]
    lines = [line for pair in papers for line in pair]
    lines[0] = "Subscribe" + lines[0]
    return "\n".join(head + lines).encode()


ABSTRACT = (FIXTURES / "trending.txt").read_text("utf-8").split("\n")[3]


@pytest.mark.parametrize("invisible", ["\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"])
def test_titles_differing_by_an_invisible_format_character_are_one_paper(tmp_path, invisible):
    data = make_data_dir(tmp_path, "trending.txt")
    (data / "listings" / "z.txt").write_bytes(
        _dump((f"Sparse Mixture-of-Ex{invisible}perts Are Domain Generalizable Learners", ABSTRACT))
    )
    catalogue = catalogue_of(data)
    assert len(catalogue.papers) == 3 and not catalogue.problems
    assert catalogue.by_id[SPARSE].listings == ("trending.txt", "z.txt")


@pytest.mark.parametrize("control", ["\u202e", "\u202a", "\u2066", "\u2069"])
def test_a_bidi_control_in_a_dump_is_refused_at_its_line(tmp_path, control):
    raw = trending_with((5, "Tensor", f"{control}Tensor"))
    data = make_data_dir(tmp_path, raw={"x.txt": raw})
    catalogue = catalogue_of(data)
    [error] = catalogue.errors
    assert (error.path, error.line) == ("data/listings/x.txt", 5)
    assert error.message == f"invisible control character U+{ord(control):04X} in this line"
    assert TENSOR not in catalogue.by_id


def test_a_bidi_control_in_a_yaml_file_is_refused_at_its_line(tmp_path):
    data = make_data_dir(tmp_path, "trending.txt")
    folder = data / "curation" / "papers"
    folder.mkdir(parents=True)
    (folder / f"{SPARSE}.yaml").write_text("note: 'fine'\ntitle: '\u202eevil'\n", "utf-8")
    checked, built = check_and_build(data, tmp_path)
    [error] = errors(checked)
    assert error.startswith(f"data/curation/papers/{SPARSE}.yaml:2: error: invisible control")
    assert error.split(": error: ")[1] in built


def test_a_bidi_control_written_as_a_yaml_escape_is_refused_at_its_line(tmp_path):
    data = make_data_dir(tmp_path, "trending.txt")
    folder = data / "curation" / "papers"
    folder.mkdir(parents=True)
    (folder / f"{SPARSE}.yaml").write_text('note: "fine"\ntitle: "\\u202Eevil"\n', "utf-8")
    [error] = catalogue_of(data).errors
    assert (error.line, error.message) == (2, "invisible control character U+202E in this value")


def test_the_dedup_fold_drops_every_format_character_and_nothing_else():
    from generator.text.fold import _FORMAT

    chars = (chr(c) for c in range(0x110000))
    dropped = {c for c in chars if _FORMAT.fullmatch(c)}
    assert dropped == {chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) == "Cf"}


def test_a_retitle_onto_another_papers_title_is_a_clash_notice(tmp_path):
    data = make_data_dir(tmp_path, "trending.txt")
    folder = data / "curation" / "papers"
    folder.mkdir(parents=True)
    (folder / f"{SPARSE}.yaml").write_text(
        "note: 'A fixed title.'\ntitle: 'Scaling laws for neural language models'\n", "utf-8"
    )
    [notice] = catalogue_of(data).problems
    assert (notice.path, notice.line, notice.is_error) == (
        folder.relative_to(tmp_path).as_posix() + f"/{SPARSE}.yaml",
        2,
        False,
    )
    assert "same title as scaling-laws-for-neural-language-models" in notice.message
    (folder / f"{SPARSE}.yaml").write_text(
        "title: 'Scaling laws for neural language models'\n"
        "not_same_as: [scaling-laws-for-neural-language-models]\n",
        "utf-8",
    )
    assert catalogue_of(data).problems == ()
