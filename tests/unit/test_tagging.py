"""Tag rules, taxonomy validation, and the vocabulary figures on the real catalogue."""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest
from conftest import DATA, FIXTURES, load_benchmark

from generator.curate.tagging import MAX_TAGS, _term_pattern, load_taxonomy, tag_papers, tagged
from generator.model import Appearance, Paper, readable_tag
from generator.pipeline import build_catalogue


@pytest.fixture(scope="module")
def small_taxonomy():
    taxonomy, problems = load_taxonomy(FIXTURES / "taxonomy_small.yaml")
    assert problems == []
    return taxonomy


def tags_of(taxonomy, title: str, abstract: str) -> tuple[str, ...]:
    paper = Paper("x", title, abstract, (Appearance("a.txt", 1, 1),))
    return tag_papers([paper], taxonomy)[0].tags


def test_phrase_matches_across_hyphens_and_case(small_taxonomy):
    assert "mixture-of-experts" in tags_of(small_taxonomy, "Scaling Mixture-of-Experts", "Text.")
    assert "mixture-of-experts" in tags_of(
        small_taxonomy, "A Study", "We train a sparse MoE model."
    )


def test_excluded_phrase_does_not_count(small_taxonomy):
    # A survey of scaling laws is not about diffusion models because ideas diffuse.
    abstract = "We trace the diffusion of ideas and the diffusion of methods across fields."
    assert tags_of(small_taxonomy, "A Survey of Scaling Laws", abstract) == ()
    # ... but a real mention in the same abstract still counts.
    abstract += " We also train a diffusion model and a second diffusion model."
    assert tags_of(small_taxonomy, "A Survey of Scaling Laws", abstract) == ("diffusion-models",)


def test_one_passing_mention_in_the_abstract_is_not_enough(small_taxonomy):
    abstract = "Unlike a diffusion model, our data selection method needs no sampling."
    assert "diffusion-models" not in tags_of(small_taxonomy, "Data Selection at Scale", abstract)
    assert "diffusion-models" in tags_of(small_taxonomy, "Reflected Diffusion Models", "Text.")


def test_mu_p_is_matched_whichever_way_it_is_written(small_taxonomy):
    for title in ("u-μP: The Unit-Scaled Maximal Update", "Tuning with muP", "A Study of µP"):
        assert "hyperparameter-transfer" in tags_of(small_taxonomy, title, "Text."), title


def test_terms_are_case_sensitive_and_whole_words(small_taxonomy):
    assert "low-rank-adaptation" in tags_of(small_taxonomy, "QLoRA: Efficient Finetuning", "Text.")
    assert tags_of(small_taxonomy, "Exploring Flora and Fauna", "Text. Explorative.") == ()
    assert "low-rank-adaptation" in tags_of(small_taxonomy, "Tuning", "We use Low-Rank Adaptation.")


@pytest.mark.parametrize("term", ["LLM", "GPT-4", "Mo*", "-x", "é*"])
def test_a_term_matches_where_a_lookbehind_first_pattern_does(term: str):
    """The term's boundary check sits after its first character, for speed: it finds
    exactly what the plain form (boundary check, then the term) finds."""
    stem, star = (term[:-1], True) if term.endswith("*") else (term, False)
    ending = r"\w*" if star else ""
    plain = re.compile(rf"(?<![A-Za-z0-9]){re.escape(stem)}{ending}(?![A-Za-z0-9])")
    fast = re.compile(_term_pattern(term))
    text = (
        "LLM xLLM 7LLM _LLM LLMs LLM-based (GPT-4) GPT-4o GPT-40 Mo MoE aMoE 3MoE "
        "--x a-x -xy éé é aé LLMLLM"
    )
    for start in range(len(text)):
        assert fast.findall(text[start:]) == plain.findall(text[start:]), text[start:]
    assert fast.findall(text)  # the sample holds each term at least once


def test_taxonomy_errors_name_file_line_and_fix():
    taxonomy, problems = load_taxonomy(FIXTURES / "taxonomy_bad.yaml", "data/taxonomy.yaml")
    messages = [str(p) for p in problems]
    assert any(
        m.startswith("data/taxonomy.yaml:11: error: unknown key 'colour'") and "allowed keys" in m
        for m in messages
    ), messages
    assert any(
        m.startswith("data/taxonomy.yaml:15: error: regex '(unclosed' cannot be used: missing )")
        for m in messages
    )
    assert any(
        m.startswith("data/taxonomy.yaml:16: error: duplicate tag name 'pruning' (first at line 3)")
        for m in messages
    ), messages
    assert any(
        m.startswith("data/taxonomy.yaml:22: error: unknown group 'Elsewhere'") and "Topics" in m
        for m in messages
    ), messages
    # The sound tags still apply: one bad rule does not untag the catalogue.
    assert [t.name for t in taxonomy.tags] == ["pruning", "wrong-group"]


def test_invalid_yaml_is_an_error_with_its_line(tmp_path):
    bad = tmp_path / "taxonomy.yaml"
    bad.write_text("groups: [Topics]\ntags:\n  - name: x\n   description: misindented\n")
    _, [problem] = load_taxonomy(bad, "data/taxonomy.yaml")
    assert problem.line == 4 and "not valid YAML" in problem.message


@pytest.fixture(scope="module")
def real_catalogue():
    return build_catalogue(DATA)


def test_real_vocabulary_meets_the_figures(real_catalogue):
    papers = real_catalogue.papers
    counts = Counter(t for p in papers for t in p.tags)
    assert 15 <= len(real_catalogue.vocabulary.tags) <= 80
    assert min(counts[t.name] for t in real_catalogue.vocabulary.tags) >= 3
    assert max(counts.values()) / len(papers) <= 0.30
    assert max(len(p.tags) for p in papers) <= MAX_TAGS
    assert sum(1 for p in papers if p.tags) / len(papers) >= 0.97
    untagged = [p for p in real_catalogue.problems if p.message.startswith("no tag fits")]
    assert len(untagged) == sum(1 for p in papers if not p.tags)
    assert [p for p in real_catalogue.problems if "tag" in p.message and p not in untagged] == []


def test_an_untagged_paper_is_named_for_curators_at_its_line(real_catalogue):
    [notice] = [p for p in real_catalogue.problems if "Strategy Proof Mechanisms" in p.message]
    assert notice.path.startswith("data/listings/") and notice.line > 0
    assert notice.message.startswith("no tag fits this paper: add a rule or a curation tag")


@pytest.mark.parametrize(
    ("title_start", "tag"),
    [  # one generic word used to decide these tags (issue 28)
        ("Training Task Experts through Retrieval", "mixture-of-experts"),
        ("Training Task Experts through Retrieval", "retrieval-augmented-generation"),
        (
            "Programming Every Example: Lifting Pre-training Data Quality like Experts",
            "mixture-of-experts",
        ),
        (
            "Scattered or Connected? An Optimized Parameter-efficient",
            "retrieval-augmented-generation",
        ),
        ("Fast Model Editing at Scale", "distributed-training"),
        ("Survival of the Most Influential Prompts", "pruning"),
        ("Training Unbiased Diffusion Models From Biased Dataset", "datasets-and-benchmarks"),
        ("DsDm: Model-Aware Dataset Selection", "datasets-and-benchmarks"),
        ("TÜLU 3", "pretraining"),
        ("MMGP: a Mesh Morphing", "3d-and-avatars"),
        ("SleepCoT", "recommender-systems"),
        ("Momentum-based Weight Interpolation", "optimizers"),
        # one generic phrase, however often repeated (generic_phrases)
        ("Simple and Scalable Strategies to Continually", "robustness-and-fairness"),
        ("PELA: Learning Parameter-Efficient Models", "pretraining"),
        ("In-Context Learning through the Bayesian Prism", "pretraining"),
        ("To prune, or not to prune", "recurrent-networks"),
        ("The Languini Kitchen", "recurrent-networks"),
        ("EvoMoE: An Evolutional Mixture-of-Experts", "natural-language-processing"),
        ("Go Wider Instead of Deeper", "natural-language-processing"),  # "in NLP and CV"
        ("Go Wider Instead of Deeper", "parameter-efficient-fine-tuning"),  # an architecture
        ("FlexiGPT: Pruning and Extending", "natural-language-processing"),
        ("CodeGen2: Lessons for Training LLMs", "scaling-laws"),  # one passing mention
        ("Stack More Layers Differently", "scaling-laws"),
        # a name or a self-description that holds a tag's phrase (issue 28, round 4)
        ("On Calibrating Diffusion Probabilistic Models", "probabilistic-models"),
        ("Energy-based Automated Model Evaluation", "probabilistic-models"),
        ("Yi: Open Foundation Models", "multilingual"),  # "we polish", not Polish
        ("Parameter and Computation Efficient Transfer Learning", "transfer-and-meta-learning"),
        # one phrase said twice beside another tag: judged wrong (issue 28, round 5)
        ("The Hitchhiker's Guide to Human Alignment", "instruction-tuning"),
        ("Delta-CoMe: Training-Free Delta-Compression", "reasoning"),
        ("Coder Reviewer Reranking for Code Generation", "probabilistic-models"),
        ("LLaVA-Mini: Efficient Image and Video", "model-compression"),
        ("HACK: Learning a Parametric Head and Neck Model", "multimodal"),
    ],
)
def test_a_generic_word_no_longer_decides_a_tag(real_catalogue, title_start, tag):
    [paper] = [p for p in real_catalogue.papers if p.title.startswith(title_start)]
    assert tag not in paper.tags, paper.tags


@pytest.mark.parametrize(
    ("title_start", "tags"),
    [
        ("TÜLU 3", {"instruction-tuning", "reinforcement-learning", "alignment-and-rlhf"}),
        ("Fractal Generative Models", {"image-generation"}),
        ("Pointer Networks", {"recurrent-networks"}),
        ("DrivAerNet: A Parametric Car Dataset", {"scientific-ml", "datasets-and-benchmarks"}),
        ("Switch Transformers", {"mixture-of-experts", "large-language-models"}),
        ("Survey on Model MoErging", set()),
        # a generic phrase still counts beside another sign of the topic, or repeated
        ("UL2: Unifying Language Learning Paradigms", {"pretraining"}),
        ("DeBERTa: Decoding-enhanced BERT", {"pretraining"}),
        ("Pre-Trained Models: Past, Present and Future", {"pretraining"}),
        ("Advancing State of the Art in Language Modeling", {"natural-language-processing"}),
        ("DeBERTa: Decoding-enhanced BERT", {"natural-language-processing"}),
        ("Data Mixing Laws", {"scaling-laws"}),
        ("Scaling Data-Constrained Language Models", {"scaling-laws"}),
        ("CodeGen2: Lessons for Training LLMs", {"pretraining"}),
        ("UMA: A Family of Universal Models for Atoms", {"scientific-ml"}),
        # topics the catalogue had no tag for
        ("ScatSimCLR", {"representation-learning"}),
        ("GRANDE: Gradient-Based Decision Tree", {"tabular-data"}),
        ("How Does Generative Retrieval Scale", {"information-retrieval"}),
        ("Controllable Sentence Simplification", {"natural-language-processing"}),
        # topics the blind judges found missing (issue 28, round 4)
        ("Smaller Language Models Are Better Instruction Evolvers", {"synthetic-data"}),
        ("OpenBezoar: Small, Cost-Effective and Open Models", {"open-models", "synthetic-data"}),
        ("The Zamba2 Suite: Technical Report", {"pretraining"}),  # "trillion tokens"
        ("Power Lines: Scaling Laws for Weight Decay", {"hyperparameter-transfer"}),
        ("Optimal Hyperparameter Scaling Law", {"hyperparameter-transfer"}),
        ("Survival of the Most Influential Prompts", {"in-context-learning"}),  # prompt search
        ("Overcoming linguistic barriers in code assistants", {"code-generation", "multilingual"}),
        # energy-based *training* of a generative model still is probabilistic modelling
        ("Generative Marginalization Models", {"probabilistic-models"}),
        # one phrase said twice, but the title says it in other words (issue 28, round 5)
        ("DsDm: Model-Aware Dataset Selection", {"data-selection"}),
        ("CodeGen2: Lessons for Training LLMs", {"code-generation"}),
    ],
)
def test_the_right_tags_are_kept_or_found(real_catalogue, title_start, tags):
    [paper] = [p for p in real_catalogue.papers if title_start in p.title]
    assert tags <= set(paper.tags), paper.tags


@pytest.mark.parametrize(
    ("title_start", "tag", "expected"),
    [
        ("Reflected Diffusion Models", "diffusion-models", True),
        ("Mathematical modelling of flow and adsorption", "diffusion-models", False),
        ("(Mis)Fitting: A Survey of Scaling Laws", "diffusion-models", False),
        ("(Mis)Fitting: A Survey of Scaling Laws", "scaling-laws", True),
        ("(Mis)Fitting: A Survey of Scaling Laws", "surveys", True),
        ("u-μP: The Unit-Scaled", "hyperparameter-transfer", True),
        ("DeepSeekMoE:", "mixture-of-experts", True),
        ("Git Re-Basin: Merging Models", "model-merging", True),
        ("A Mathematical Theory of Deep Convolutional", "reasoning", False),
    ],
)
def test_sample_of_real_tags_read_right(real_catalogue, title_start, tag, expected):
    [paper] = [p for p in real_catalogue.papers if p.title.startswith(title_start)]
    assert (tag in paper.tags) is expected, paper.tags


def test_catalogue_json_carries_tags(real_site):
    papers = json.loads((real_site / "catalogue.json").read_text("utf-8"))["papers"]
    names = {t for p in papers for t in p["tags"]}
    assert len(names) >= 15 and all(isinstance(p["tags"], list) for p in papers)
    tag_pages = {p.stem for p in (real_site / "tags").iterdir() if p.is_dir()}
    assert names <= tag_pages


def test_a_key_given_twice_is_reported_not_silently_dropped(tmp_path):
    path = tmp_path / "taxonomy.yaml"
    path.write_text(
        "groups: [Topics]\n"
        "tags:\n"
        "  - name: pruning\n"
        "    description: Removing weights to make models smaller.\n"
        "    group: Topics\n"
        "    phrases: [prun*]\n"
        "    phrases: [sparsity]\n",
        encoding="utf-8",
    )
    _, problems = load_taxonomy(path, "data/taxonomy.yaml")
    assert [str(p) for p in problems] == [
        "data/taxonomy.yaml:7: error: duplicate key 'phrases' (first at line 6)"
        " — merge the two entries into one"
    ]


def write_taxonomy(path, names: list[str], phrase: str) -> None:
    """A taxonomy whose tags all match ``phrase`` in a title."""
    tags = "".join(
        f"  - name: {n}\n    description: Tag {n}.\n    group: Topics\n"
        f"    title_phrases: [{phrase}]\n"
        for n in names
    )
    path.write_text(f"groups: [Topics]\ntags:\n{tags}", encoding="utf-8")


def test_a_paper_keeps_at_most_8_tags_the_best_scoring_first(tmp_path):
    path = tmp_path / "taxonomy.yaml"
    names = [f"tag-{c}" for c in "abcdefghij"]
    write_taxonomy(path, names, "alpha")
    taxonomy, problems = load_taxonomy(path)
    assert problems == [] and len(taxonomy.tags) == 10
    # Every tag matches; ties keep taxonomy order, so the first 8 stay.
    assert tags_of(taxonomy, "Alpha Particles", "Nothing else.") == tuple(names[:MAX_TAGS])
    assert MAX_TAGS == 8


def test_vocabulary_notices_name_a_tag_too_rare_and_a_catch_all(tmp_path):
    data = tmp_path / "data"
    (data / "listings").mkdir(parents=True)
    for name in ("trending.txt", "daily.txt"):
        (data / "listings" / name).write_bytes((FIXTURES / name).read_bytes())
    # "Tensor Programs" is one title of five (rare); every title has a word (catch-all).
    (data / "taxonomy.yaml").write_text(
        "groups: [Topics]\ntags:\n"
        "  - name: rare\n    description: One paper.\n    group: Topics\n"
        "    title_phrases: [tensor programs]\n"
        "  - name: everywhere\n    description: Every paper.\n    group: Topics\n"
        "    regex: ['[A-Za-z]{3,}']\n",
        encoding="utf-8",
    )
    catalogue = build_catalogue(data)
    notices = {(p.line, p.message, p.hint) for p in catalogue.problems if not p.is_error}
    assert notices == {
        (
            3,
            "tag 'rare' is on 1 paper(s)",
            "a tag earns its place at 3: widen its rules or drop it",
        ),
        (
            7,
            "tag 'everywhere' is on 100% of papers",
            "narrow its rules: a catch-all tag helps nobody",
        ),
    }


def test_tag_precision_on_the_labelled_samples_stays_at_the_target():
    """benchmarks/tag_gold.yaml (45 random papers, every tag a reader accepts) and
    tag_pairs.yaml (3 judged papers per tag): ≥ 90% of the tags the rules give the
    random papers are right, no tag is right less than 75% of the time, and ≥ 97% of
    papers keep a tag. A rule edit that brings a catch-all back fails here."""
    quality = load_benchmark("tag_quality")
    catalogue = build_catalogue(DATA)
    labels = quality.gold()
    assert len(labels) == 45 and sum(len(t) for t in labels.values()) >= 150
    counts, _ = quality.measure(catalogue, labels)
    right = sum(c["true"] for c in counts.values())
    given = sum(c["given"] for c in counts.values())
    assert right / given >= 0.90
    for tag, (ok, judged) in quality.per_tag_precision(catalogue, labels, quality.pairs()).items():
        assert ok / judged >= 0.75, (tag, ok, judged)
    assert sum(1 for p in catalogue.papers if p.tags) >= 0.97 * len(catalogue.papers)


def test_a_generic_phrase_counts_only_beside_another_sign_of_the_topic(tmp_path):
    """generic_phrases: "LSTM" twice is a test bed, not the topic; beside "recurrent
    neural network", or in the title, it counts; generic_hits lets one repeated often
    enough decide alone; inside one of the tag's own phrases it is not another match."""
    path = tmp_path / "taxonomy.yaml"
    path.write_text(
        "groups: [Topics]\n"
        "tags:\n"
        "  - name: recurrent-networks\n"
        "    description: Recurrent networks and what they learn.\n"
        "    group: Topics\n"
        "    generic_phrases: [lstm*]\n"
        "    phrases: [recurrent neural network*]\n"
        "  - name: pretraining\n"
        "    description: Pretraining language models from scratch.\n"
        "    group: Topics\n"
        "    generic_phrases: [pre training]\n"
        "    generic_hits: 3\n"
        "    phrases: [pre training objective*]\n",
        "utf-8",
    )
    taxonomy, problems = load_taxonomy(path)
    assert problems == []
    assert tags_of(taxonomy, "Pruning", "We prune an LSTM. The LSTM keeps accuracy.") == ()
    both = "We prune an LSTM, a recurrent neural network, and keep accuracy."
    assert tags_of(taxonomy, "Pruning", both) == ("recurrent-networks",)
    assert tags_of(taxonomy, "LSTM Pruning", "We prune an LSTM.") == ("recurrent-networks",)
    twice = "After pre-training, we tune. Pre-training data matter."
    assert tags_of(taxonomy, "Tuning", twice) == ()
    assert tags_of(taxonomy, "Tuning", twice + " Pre-training is long.") == ("pretraining",)
    inside = "Prompts differ from pre-training objectives. We tune."
    assert tags_of(taxonomy, "Prompting", inside) == ()


def test_a_tag_reads_by_its_label_or_its_name_made_readable(real_catalogue):
    """Chips, tag pages and filters show a tag's readable name: the taxonomy's label
    where it gives one, else the name with spaces and a capital."""
    titles = {t.name: t.title for t in real_catalogue.vocabulary.tags}
    assert titles["low-rank-adaptation"] == "Low-rank adaptation (LoRA)"  # a label
    assert titles["time-series"] == "Time series"  # made from the name
    assert readable_tag("3d-and-avatars") == "3d and avatars"
    assert titles["3d-and-avatars"] == "3D and avatars"


def test_one_phrase_said_twice_is_an_aside_beside_another_tag(tmp_path):
    """Without a title match, an abstract that writes one phrase of a tag twice and no
    other phrase of it gives the tag only when no other tag applies (issue 28, round 5:
    such tags were judged wrong as often as right); two phrases, or three mentions, do."""
    path = tmp_path / "taxonomy.yaml"
    path.write_text(
        "groups: [Topics]\n"
        "tags:\n"
        "  - name: reasoning\n"
        "    description: Reasoning.\n"
        "    group: Topics\n"
        "    phrases: [reasoning, chain of thought]\n"
        "  - name: model-compression\n"
        "    description: Compression.\n"
        "    group: Topics\n"
        "    phrases: [compression]\n"
        "    title_phrases: [compress*]\n",
        "utf-8",
    )
    taxonomy, problems = load_taxonomy(path)
    assert problems == []
    aside = "We keep reasoning accuracy. Reasoning tasks are unharmed."
    assert tags_of(taxonomy, "Delta Compression", aside) == ("model-compression",)
    assert tags_of(taxonomy, "A Study", aside) == ("reasoning",)  # alone, it stays
    two = "We keep reasoning accuracy and chain of thought quality."
    assert tags_of(taxonomy, "Delta Compression", two) == ("model-compression", "reasoning")
    thrice = aside + " Reasoning is kept."
    assert tags_of(taxonomy, "Delta Compression", thrice) == ("model-compression", "reasoning")
    titled = "Reasoning under Compression"
    assert "reasoning" in tags_of(taxonomy, titled, "Compression of a model.")


@pytest.mark.parametrize(
    ("title_start", "tag", "kept"),
    [  # weak tags (no title match, at most three abstract matches): issue 28, round 6
        # read unlike the tag's sure papers: a passing mention
        ("Grokked Transformers are Implicit Reasoners", "retrieval-augmented-generation", False),
        (
            "Model Breadcrumbs: Scaling Multi-Task Model Merging",
            "hyperparameter-optimization",
            False,
        ),
        ("A Mathematical Theory of Deep Convolutional", "multilingual", False),
        ("Deep Learning Scaling is Predictable, Empirically", "neural-architecture-search", False),
        ("Rethinking Model Re-Basin and Linear Mode", "optimizers", False),
        # read like them: the topic, said in few words
        ("GFM-RAG: Graph Foundation Model", "large-language-models", True),
        ("Weight Conditioning for Smooth Optimization", "network-design", True),
        ("Variance Control via Weight Rescaling", "network-design", True),
        ("TÜLU 3", "reinforcement-learning", True),
        # far, but the paper's only tag: an untagged paper reaches no tag page
        ("Personalize Segment Anything Model with One Shot", "in-context-learning", True),
    ],
)
def test_a_weak_tag_stays_only_if_the_paper_reads_like_the_tags_sure_papers(
    real_catalogue, title_start, tag, kept
):
    taxonomy, _ = load_taxonomy(DATA / "taxonomy.yaml")
    [paper] = [p for p in real_catalogue.papers if p.title.startswith(title_start)]
    rules = tagged(paper, taxonomy)
    assert tag in rules.weak  # the rules alone give it, on little evidence
    assert (tag in paper.tags) is kept, paper.tags
