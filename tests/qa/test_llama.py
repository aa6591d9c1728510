"""newsqa inside llama-index: NewsRetriever and NewsQueryEngine through llama-index's own classes
(MockLLM, RetrieverQueryEngine, QueryEngineTool) over the real seed store and embedder."""

from __future__ import annotations

import pytest
from llama_index.core.base.response.schema import Response, StreamingResponse
from llama_index.core.bridge.pydantic import Field
from llama_index.core.llms import CompletionResponse, MockLLM
from llama_index.core.llms.callbacks import llm_completion_callback
from llama_index.core.query_engine import RetrieverQueryEngine
from llama_index.core.schema import NodeWithScore, TextNode
from llama_index.core.tools import QueryEngineTool

from index.errors import InputError
from qa.llama import NewsQueryEngine, NewsRetriever
from qa.llm import make_llm
from qa.service import NewsQA
from tests.qa.chat_stub_server import grounded_answer

QUESTION = "What are Putin's conditions for a ceasefire?"


class GroundedLLM(MockLLM):
    """MockLLM that answers the way a well-behaved model does: the first sentence of source [1],
    cited (or a wrong claim, cited, when ``lie`` is set)."""

    lie: bool = Field(default=False)

    def __init__(self, lie: bool = False, **kwargs) -> None:
        super().__init__(**kwargs)
        self.lie = lie

    def _reply(self, prompt: str) -> str:
        if self.lie:
            return "The Federal Reserve raised interest rates by half a point [1]."
        return grounded_answer(prompt[prompt.index("Sources:") :])  # the user message, after the rules

    @llm_completion_callback()
    def complete(self, prompt: str, formatted: bool = False, **kwargs) -> CompletionResponse:
        return CompletionResponse(text=self._reply(prompt))

    @llm_completion_callback()
    def stream_complete(self, prompt: str, formatted: bool = False, **kwargs):
        text, sent = self._reply(prompt), ""
        for word in text.split(" "):
            piece = word if not sent else " " + word
            sent += piece
            yield CompletionResponse(text=sent, delta=piece)


@pytest.fixture
def app(seed_settings):
    app = NewsQA(seed_settings)
    yield app
    app.close()


def _body(app, node: TextNode) -> str:
    return app.get_article(node.metadata["doc_id"]).body


def test_retriever_gives_windows_with_article_metadata_and_offsets(app):
    found = NewsRetriever(app, top_k=3).retrieve(QUESTION)
    assert 1 <= len(found) <= 3 and all(isinstance(n, NodeWithScore) and isinstance(n.node, TextNode) for n in found)
    for n in found:
        meta = n.node.metadata
        assert set(meta) == {"doc_id", "title", "outlet", "date", "url", "char_start", "char_end"}
        assert _body(app, n.node)[meta["char_start"] : meta["char_end"]] == n.node.text
        assert (n.node.start_char_idx, n.node.end_char_idx) == (meta["char_start"], meta["char_end"])
        assert meta["title"] and n.score > 0
    # what the model is shown names the outlet and title, not the offsets
    shown = found[0].node.get_content(metadata_mode="llm")
    assert found[0].node.metadata["title"] in shown and "char_start" not in shown


def test_llama_index_own_query_engine_runs_on_news_retriever(app):
    retriever = NewsRetriever(app, top_k=2)
    engine = RetrieverQueryEngine.from_args(retriever, llm=MockLLM())
    response = engine.query(QUESTION)
    assert [n.node.node_id for n in response.source_nodes] == [n.node.node_id for n in retriever.retrieve(QUESTION)]
    # MockLLM echoes its prompt: llama-index's synthesizer put newsqa's windows in front of the model
    assert response.source_nodes[0].node.text[:80] in str(response)


def test_query_engine_answers_with_checked_citations(app):
    response = NewsQueryEngine(NewsRetriever(app), GroundedLLM()).query(QUESTION)
    assert isinstance(response, Response) and response.metadata["answered"]
    (citation,) = response.metadata["citations"]
    assert citation["supported"] and str(response).endswith("[1].")
    body = app.get_article(citation["doc_id"]).body
    assert body[citation["char_start"] : citation["char_end"]] == citation["quote"]
    # the source nodes are the windows cited, holding the quote
    (node,) = response.source_nodes
    assert node.node.metadata["doc_id"] == citation["doc_id"] and citation["quote"] in node.node.text
    (sentence,) = response.metadata["sentences"]
    assert sentence["supported"] and sentence["citations"] == [1] and sentence["text"].rstrip(" .") in str(response)


def test_unsupported_and_uncited_answers_are_not_verified(app):
    lying = NewsQueryEngine(NewsRetriever(app), GroundedLLM(lie=True)).query(QUESTION)
    assert not lying.metadata["answered"] and lying.metadata["unsupported_sentences"] == [0]
    assert lying.metadata["sentences"][0]["supported"] is False
    assert "no cited source supports the model's answer" in lying.metadata["warnings"]
    # plain MockLLM says "text text ..." with no citation at all
    uncited = NewsQueryEngine(NewsRetriever(app), MockLLM(max_tokens=5)).query(QUESTION)
    assert not uncited.metadata["answered"] and uncited.source_nodes == []
    assert "the answer cites no sources" in uncited.metadata["warnings"]


def test_streaming_fills_citations_once_consumed(app):
    response = NewsQueryEngine(NewsRetriever(app), GroundedLLM(), streaming=True).query(QUESTION)
    assert isinstance(response, StreamingResponse) and response.source_nodes == []
    tokens = list(response.response_gen)
    assert len(tokens) > 3 and "".join(tokens).endswith("[1].")
    assert response.metadata["answered"] and len(response.source_nodes) == 1


def test_without_an_llm_the_settings_engine_answers(app):
    response = NewsQueryEngine(NewsRetriever(app)).query(QUESTION)
    assert response.metadata["engine"] == "extractive" and response.metadata["answered"]
    assert all(c["supported"] for c in response.metadata["citations"]) and response.source_nodes


def test_as_a_tool_for_an_agent(app):
    tool = QueryEngineTool.from_defaults(
        NewsQueryEngine(NewsRetriever(app), GroundedLLM()), name="news", description="News with verified citations"
    )
    output = tool.call(QUESTION)
    assert output.tool_name == "news" and output.content.endswith("[1].")
    assert output.raw_output.metadata["answered"]


def test_another_llm_integration_by_dotted_path(app, seed_settings):
    settings = seed_settings.model_copy(
        update={"llm": "tests.qa.test_llama.GroundedLLM", "engine": "openai", "llm_options": {"lie": False}}
    )
    assert isinstance(make_llm(settings), GroundedLLM)
    answer = NewsQA(settings).ask(QUESTION)
    assert answer.engine == "openai" and answer.answered and answer.citations[0].supported


@pytest.mark.parametrize(
    ("llm", "message"),
    [
        ("ollama", "LLM 'ollama' is not installed: pip install llama-index-llms-ollama"),
        (
            "nothing",
            (
                "unknown LLM 'nothing': use openai, one of ollama, anthropic, gemini, mistralai, groq, "
                "huggingface, or a dotted class path"
            ),
        ),
        (
            "index.settings.Settings",
            "LLM 'index.settings.Settings' (index.settings.Settings) is not a llama-index LLM class",
        ),
    ],
)
def test_a_bad_llm_choice_is_one_clear_line(seed_settings, llm, message):
    with pytest.raises(InputError) as err:
        make_llm(seed_settings.model_copy(update={"llm": llm}))
    assert str(err.value) == message


def test_engines_are_cached_by_engine_and_model(seed_settings):
    app = NewsQA(seed_settings.model_copy(update={"openai_base_url": "http://127.0.0.1:9/v1", "model": "a"}))
    first = app.engine("openai")
    assert app.engine("openai") is first and first.model == "a"
    app.set_model("b")
    assert app.engine("openai").model == "b" and app.settings.model == "b"
    app.set_model("a")
    assert app.engine("openai") is first
    app.close()
