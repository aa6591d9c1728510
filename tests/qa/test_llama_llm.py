"""NewsQueryEngine against a real model: llama-index's OpenAILike over the openai client, talking to
llama.cpp's OpenAI-compatible server (SmolLM2-135M-Instruct) over the real seed store. The model is
tiny and often wrong, so these tests hold the protocol and the citation check to account, never
the wording."""

from __future__ import annotations

import pytest
from llama_index.core.base.response.schema import Response, StreamingResponse
from llama_index.llms.openai_like import OpenAILike

from qa.llama import NewsQueryEngine, NewsRetriever
from qa.llm import make_llm
from qa.service import NewsQA

pytestmark = pytest.mark.llm

QUESTION = "What are Putin's conditions for a ceasefire?"


@pytest.fixture
def settings(llama_server, seed_settings):
    return seed_settings.model_copy(
        update={
            "openai_base_url": llama_server.base_url,
            "model": llama_server.model,
            "engine": "openai",
            "request_timeout": 120,
            "max_retries": 1,
        }
    )


@pytest.fixture
def app(settings):
    app = NewsQA(settings)
    yield app
    app.close()


def _assert_checked(response, app) -> None:
    """Citations quote their articles verbatim, the source nodes are exactly the cited windows,
    and the answer counts as answered only when a cited sentence is supported."""
    meta = response.metadata
    citations = meta["citations"]
    assert [c["n"] for c in citations] == list(range(1, len(citations) + 1))
    for c in citations:
        body = app.get_article(c["doc_id"]).body
        assert c["quote"] and body[c["char_start"] : c["char_end"]] == c["quote"]
        assert any(
            n.node.metadata["doc_id"] == c["doc_id"] and c["quote"] in n.node.text for n in response.source_nodes
        )
    for n in response.source_nodes:
        assert any(c["doc_id"] == n.node.metadata["doc_id"] and c["quote"] in n.node.text for c in citations)
    assert meta["answered"] == any(c["supported"] for c in citations)
    assert all(isinstance(s["supported"], bool) for s in meta["sentences"])


def test_query_through_openailike_and_llama_cpp(app, settings, llama_server):
    llm = make_llm(settings, max_tokens=120)
    assert isinstance(llm, OpenAILike)
    response = NewsQueryEngine(NewsRetriever(app, top_k=3), llm=llm).query(QUESTION)
    assert isinstance(response, Response) and str(response).strip()
    assert response.metadata["model"] == llama_server.model
    _assert_checked(response, app)


def test_streaming_query_from_settings(app, settings):
    engine = NewsQueryEngine(NewsRetriever(app, top_k=3), streaming=True)  # the engine the settings choose
    response = engine.query(QUESTION)
    assert isinstance(response, StreamingResponse) and response.source_nodes == [] and response.metadata == {}
    tokens = list(response.response_gen)
    assert len(tokens) > 3, "the server should stream the answer in several chunks"
    assert response.metadata["engine"] == "openai"
    _assert_checked(response, app)
