"""The worker's side of Material's search protocol lives in one file, run here in Node.

The worker (docs/javascripts/paper-search-worker.js) loads
docs/javascripts/material-search-protocol.js and knows Material's messages only
through it, so a successor's protocol can be added beside it."""

from __future__ import annotations

import re

from worker_js import WORKER, run_worker_code

PROTOCOL = WORKER.parent / "material-search-protocol.js"


def protocol(call: str, data: object) -> object:
    return run_worker_code([PROTOCOL.read_text("utf-8"), "\n"], call, data)


def test_the_protocol_speaks_materials_messages():
    said = protocol(
        "[SearchProtocol.read(input.setup), SearchProtocol.read(input.query),"
        " SearchProtocol.read(input.find), SearchProtocol.ready(),"
        " SearchProtocol.result(SearchProtocol.answer([[SearchProtocol.item(input.hit)]]),"
        " {query: 'q', final: true})]",
        {
            "setup": {"type": 0, "data": {"config": {}, "docs": [{"location": "about/"}]}},
            "query": {"type": 2, "data": "diffusion"},
            "find": {"type": "find", "id": 1},
            "hit": {"location": "a/", "title": "A", "text": "", "score": 1, "terms": {"a": True}},
        },
    )
    assert said == [
        {"setup": [{"location": "about/"}]},
        {"query": "diffusion"},
        None,
        {"type": 1},
        {
            "type": 3,
            "data": {
                "items": [
                    [{"location": "a/", "title": "A", "text": "", "score": 1, "terms": {"a": True}}]
                ]
            },
            "query": "q",
            "final": True,
        },
    ]


def test_the_worker_loads_the_protocol_and_holds_none_of_it():
    source = WORKER.read_text("utf-8")
    assert 'importScripts("material-search-protocol.js")' in source
    code = re.sub(r"/\*.*?\*/", "", source, flags=re.S)
    assert not re.search(r"\b(SETUP|READY|QUERY|RESULT)\b", code)
    assert not re.search(r"type: \d", code)
