from qa.citecheck import check_citations

CONDITIONS = (
    "Putin's conditions include the complete withdrawal of foreign military assistance to Ukraine "
    "and recognition of Russia's territorial gains"
)
ENVOY = "Steve Witkoff, Trump's special envoy, held talks in Moscow"
FED = "The Federal Reserve raised interest rates by half a percentage point"


def _hit_with(hits, phrase):
    return next(i for i, h in enumerate(hits) if phrase in h.chunk.text) + 1


def test_supported_claims_get_verbatim_quotes(embedder, article, hits):
    n = _hit_with(hits, "withdrawal of foreign military assistance")
    checked = check_citations(f"{CONDITIONS} [{n}].", hits, embedder)

    assert checked.warnings == [] and checked.unsupported_sentences == []
    assert checked.text == f"{CONDITIONS} [1]."
    (c,) = checked.citations
    assert c.n == 1 and c.supported and c.doc_id == "seed-000"
    assert article.body[c.char_start : c.char_end] == c.quote
    assert "withdrawal of foreign military assistance" in c.quote


def test_a_citation_of_no_source_is_dropped_with_a_warning(embedder, hits):
    n = _hit_with(hits, "withdrawal of foreign military assistance")
    checked = check_citations(f"{CONDITIONS} [{n}][9]. Nothing else matters [9].", hits, embedder)

    assert checked.warnings.count("citation [9] refers to no source; dropped") == 1
    assert "[9]" not in checked.text and "[1]" in checked.text
    assert checked.text.endswith("Nothing else matters.")
    assert [c.n for c in checked.citations] == [1]
    # The second sentence lost its only citation: nothing supports it.
    assert checked.unsupported_sentences == [1]


def test_markers_are_renumbered_in_order_of_first_appearance(embedder, article, hits):
    envoy = _hit_with(hits, "Steve Witkoff")
    conditions = _hit_with(hits, "withdrawal of foreign military assistance")
    assert envoy != conditions
    text = f"{ENVOY} [{envoy}]. {CONDITIONS} [{conditions}, {envoy}]."
    checked = check_citations(text, hits, embedder)

    assert [c.n for c in checked.citations] == [1, 2, 3]
    assert checked.text.startswith(f"{ENVOY} [1]. {CONDITIONS} [2, 3].")
    first, second, third = checked.citations
    assert "Witkoff" in first.quote and first.supported
    assert "withdrawal" in second.quote and second.supported
    # The envoy's chunk does not hold the conditions: that pair is unsupported, the sentence is not.
    assert not third.supported
    assert checked.unsupported_sentences == []
    for c in checked.citations:
        assert article.body[c.char_start : c.char_end] == c.quote


def test_a_marker_after_the_full_stop_belongs_to_the_sentence_before(embedder, hits):
    n = _hit_with(hits, "Steve Witkoff")
    checked = check_citations(f"{ENVOY}. [{n}] It was a long weekend.", hits, embedder)
    assert checked.text == f"{ENVOY}. [1] It was a long weekend."
    assert checked.citations[0].supported
    assert checked.unsupported_sentences == [1]


def test_an_unsupported_claim_is_flagged(embedder, hits):
    n = _hit_with(hits, "withdrawal of foreign military assistance")
    checked = check_citations(f"{CONDITIONS} [{n}]. {FED} [{n}].", hits, embedder)

    assert checked.unsupported_sentences == [1]
    supported = {c.supported for c in checked.citations}
    assert supported == {True, False}
    assert "[1]" in checked.text and "[2]" in checked.text


def test_an_uncited_sentence_in_a_cited_answer_is_unsupported_unless_it_refuses(embedder, hits):
    n = _hit_with(hits, "Steve Witkoff")
    text = f"{ENVOY} [{n}]. {FED}. The articles don't say what the Fed decided."
    checked = check_citations(text, hits, embedder)
    assert checked.unsupported_sentences == [1]


def test_an_empty_answer_has_nothing_to_check(embedder, hits):
    for text in ("", "   "):
        checked = check_citations(text, hits, embedder)
        assert checked.citations == [] and checked.warnings == [] and checked.unsupported_sentences == []


def test_an_answer_without_citations(embedder, hits):
    refusal = check_citations("The indexed articles don't say.", hits, embedder)
    assert refusal.citations == [] and refusal.warnings == [] and refusal.unsupported_sentences == []

    bare = check_citations(f"{ENVOY}.", hits, embedder)
    assert bare.citations == []
    assert bare.warnings == ["the answer cites no sources"]
    assert bare.unsupported_sentences == [0]


def test_a_detail_the_source_never_states_is_unsupported(embedder, hits):
    n = _hit_with(hits, "withdrawal of foreign military assistance")
    faithful = check_citations(f"{CONDITIONS} [{n}].", hits, embedder)
    embellished = check_citations(f"{CONDITIONS} by 2031 under the Geneva-7 plan [{n}].", hits, embedder)

    assert faithful.unsupported_sentences == [] and faithful.citations[0].supported
    assert embellished.unsupported_sentences == [0]
    assert not embellished.citations[0].supported
