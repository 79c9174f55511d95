"""How the search index holds its postings while it is built (issue 31: the worker's peak
memory): typed arrays per term instead of a Counter per document, a dict of weights per
term, and every abstract's positions and forms at once. What is indexed is tested
elsewhere (tests/build/test_search_index.py against lunr.py, test_search_ranking.py for
exclusions); here, that the compact form gives exactly the numbers, places and
inflection masks the dicts gave."""

from __future__ import annotations

import math
from collections import Counter, defaultdict

from generator.export.search import (
    FIELDS,
    K1,
    B,
    _Field,
    _weights,
    analyse,
    pairs_analysis,
    places_and_forms,
    positions,
    term_inflections,
)

DOCUMENTS = [
    {
        "title": "mixture of experts for mistral mistral7b 7b",
        "authors": "ada lovelace",
        "tags": "language models",
        "abstract": "experts route tokens; a mixture of experts routes tokens to experts",
    },
    {"title": "diffusion models", "authors": "", "tags": "", "abstract": ""},
    {
        "title": "tokens and routing",
        "authors": "alan turing ada lovelace",
        "tags": "language models efficiency",
        "abstract": "routing tokens by diffusion of experts, diffusion again and again",
    },
    # "transform" in three inflections, first seen in an order that is not the sorted one
    {
        "title": "transformers diffusing",
        "authors": "",
        "tags": "",
        "abstract": "transformers and transformation diffusing",
    },
    {"title": "transformation", "authors": "", "tags": "", "abstract": "transform transforms"},
]


def dict_weights(documents):
    """The weights as one dict of every weight: the form the compact one replaced."""
    counts = {f: [Counter(t for _, t in analyse(d[f])) for d in documents] for f in FIELDS}
    lengths = {f: [len(analyse(d[f])) for d in documents] for f in FIELDS}
    with_term = Counter(t for f in FIELDS for c in counts[f] for t in c)
    n = len(documents)
    idf = {t: math.log(1 + abs((n - d + 0.5) / (d + 0.5))) for t, d in with_term.items()}
    weights = {}
    for f, boost in FIELDS.items():
        average = sum(lengths[f]) / n
        found = defaultdict(dict)
        for doc, (c, length) in enumerate(zip(counts[f], lengths[f], strict=True)):
            norm = K1 * (1 - B + B * (length / average)) if average else K1 * (1 - B)
            for term, tf in c.items():
                found[term][doc] = round(idf[term] * ((K1 + 1) * tf) / (norm + tf) * boost, 3)
        weights[f] = found
    return weights


def test_the_compact_weights_are_the_dict_of_every_weight():
    compact, _ = _weights(DOCUMENTS)
    expected = dict_weights(DOCUMENTS)
    assert expected["abstract"]["expert"]  # the example has repeated terms to weigh
    for field, terms in expected.items():
        assert set(compact.terms(field)) == set(terms)
        for term, by_doc in terms.items():
            assert list(compact.docs(field, term)) == sorted(by_doc)
            assert compact.weights(field, term) == [by_doc[d] for d in sorted(by_doc)]


def test_the_places_kept_are_each_documents_positions_in_postings_order():
    compact, _ = _weights(DOCUMENTS, ("abstract", "title"))
    for field in ("abstract", "title"):
        places = [positions(d[field]) for d in DOCUMENTS]
        terms = {t for p in places for t in p}
        assert "mistral7b" in terms or field == "abstract"  # a name's words share a place
        for term in terms:
            having = [d for d, p in enumerate(places) if term in p]
            assert list(compact.docs(field, term)) == having
            assert compact.fields[field].runs(term) == [places[d][term] for d in having]
    # a field whose places are not kept has none to give
    assert _weights(DOCUMENTS)[0].fields["abstract"].runs("expert") == []


def dict_forms(documents, field, every):
    """Each term's [inflections, masks] from a dict of forms per document (the
    :func:`places_and_forms` of each), as the index computed them before."""
    forms = [places_and_forms(d[field])[1] for d in documents]
    found = {}
    for term in {t for f in forms for t in f}:
        docs = [d for d, f in enumerate(forms) if term in f]
        keys = sorted({k for d in docs for k in forms[d][term]})
        if len(every[term]) < 2:
            found[term] = [sorted(every[term]), []]
        elif len(keys) < 2:
            found[term] = [keys, []]
        else:
            bit = {k: 2**i for i, k in enumerate(keys)}
            found[term] = [keys, [sum(bit[k] for k in forms[d][term]) for d in docs]]
    return found


def test_the_compact_forms_are_the_masks_of_each_documents_dict_of_forms():
    compact, seen = _weights(DOCUMENTS, ("abstract", "title"))
    every = term_inflections(seen)
    masked = 0
    for field in ("abstract", "title"):
        expected = dict_forms(DOCUMENTS, field, every)
        for term, forms in expected.items():
            assert compact.fields[field].forms(term, every) == forms, (field, term)
            masked += bool(forms[1])
    # the example has terms in more than one form in both fields, with masks to remap
    assert expected["transform"][0] == ["transformation", "transformer"]
    assert masked >= 2
    # only a term with more than one inflection in the field carries masks
    assert set(compact.fields["abstract"].masks) == {"diffus", "transform"}


def test_a_term_in_more_than_64_inflections_keeps_every_bit():
    words = [f"w{i:02d}" for i in range(70)]
    found = _Field(places={})
    found.add(0, pairs_analysis([(words[0], "t")]))
    found.add(1, pairs_analysis([(w, "t") for w in words]))
    found.add(2, pairs_analysis([(words[69], "t"), (words[1], "t")]))
    every = {"t": set(words)}
    assert found.forms("t", every) == [words, [1, 2**70 - 1, 2**69 + 2]]
