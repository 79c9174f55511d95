"""How the search index holds its postings while it is built (issue 31: the worker's peak
memory): typed arrays per term instead of a Counter per document, a dict of weights per
term and every abstract's positions at once. What is indexed is tested elsewhere
(tests/build/test_search_index.py against lunr.py); here, that the compact form gives
exactly the numbers and places the dicts gave."""

from __future__ import annotations

import math
from collections import Counter, defaultdict

from generator.export.search import FIELDS, K1, B, _weights, analyse, positions

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
