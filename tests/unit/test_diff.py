"""The reviewers' catalogue diff, section by section, on two small data folders."""

from __future__ import annotations

import re
import shutil

from conftest import DATA, make_data_dir

from generator.pipeline import build_catalogue
from generator.review.diff import compare, diff_refs, to_markdown

TENSOR = "tensor-programs-v-tuning-large-neural-networks-via-zero-shot-hyperparameter"
SPARSE = "sparse-mixture-of-experts-are-domain-generalizable-learners"


def folders(tmp_path):
    """Before: trending + daily. After: daily swapped for variants (two FLoRAs out, a
    namesake in), one paper hidden, one retitled and retagged by curation files."""
    before = make_data_dir(tmp_path / "before", "trending.txt", "daily.txt")
    after = make_data_dir(tmp_path / "after", "trending.txt", "variants.txt")
    for data in (before, after):
        shutil.copy(DATA / "taxonomy.yaml", data / "taxonomy.yaml")
    curation = after / "curation" / "papers"
    curation.mkdir(parents=True)
    (curation / f"{SPARSE}.yaml").write_text('hidden: "A duplicate of another listing."\n')
    (curation / f"{TENSOR}.yaml").write_text(
        'title: "Tensor Programs V: μTransfer"\ntags: {add: [scientific-ml]}\n'
    )
    return before, after


def test_every_section_says_what_changed(tmp_path):
    before, after = folders(tmp_path)
    text = diff_refs(str(before), str(after))
    sections = dict(re.findall(r"^### (.+?) \((\d+)\)$", text, re.M))
    assert sections == {
        "Added": "1",
        "Removed": "2",
        "Hidden": "1",
        # Scaling laws: its first-seen title came from daily.txt, now from trending.txt.
        "Titles changed": "2",
        "Tags changed": "1",
        # Three small listings: most related papers score under the threshold.
        "Related lists that moved most": "1",
    }
    assert "Papers: 5 → 3 · errors in the data: 0" in text
    assert re.search(
        r"^- Scaling Laws for Neural Language Models \(`scaling-laws-[^`]+-\w{6}`\)$", text, re.M
    )
    assert "- FLoRA: Low-Rank Core Space for N-dimension (`flora-low-rank" in text
    assert (
        f"- Sparse Mixture-of-Experts Are Domain Generalizable Learners (`{SPARSE}`): A duplicate"
        in text
    )
    assert (
        f"- `{TENSOR}`: Tensor Programs V: Tuning Large" in text
        and "→ **Tensor Programs V: μTransfer**" in text
    )
    assert re.search(
        rf"^- Tensor Programs V: μTransfer \(`{TENSOR}`\): "
        r"\+scientific-ml, −hyperparameter-optimization$",
        text,
        re.M,
    )


def test_related_lists_that_moved_are_measured_and_ordered(tmp_path):
    before, after = folders(tmp_path)
    a, b = build_catalogue(before), build_catalogue(after)
    diff = compare(a, b)
    old, new = a.by_id, b.by_id
    assert diff.related_moved, "the change moves some related lists"
    for pid, share in diff.related_moved:
        was, now = {r.id for r in old[pid].related}, {r.id for r in new[pid].related}
        assert share == len(was ^ now) / len(was | now) > 0
    shares = [s for _, s in diff.related_moved]
    assert shares == sorted(shares, reverse=True)
    text = to_markdown(diff, "base", "head")
    assert f"{diff.related_moved[0][1]:.0%} of the list changed" in text


def test_no_change_says_so(tmp_path):
    data = make_data_dir(tmp_path, "trending.txt")
    text = diff_refs(str(data), str(data))
    assert text.endswith("No paper, title, tag or related list changes.\n")
