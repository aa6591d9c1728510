"""The LLM judge: a chat model behind the `openai` client gives a verdict per claim.

The reply must be JSON of exactly this shape, one entry per claim, in any order::

    {"verdicts": [{"claim": 1, "verdict": "supported"}, {"claim": 2, "verdict": "unsupported"}]}

Anything else (prose, a missing or repeated claim number, another verdict word) is not guessed
at: after one retry, the claims get ``supported=None`` and the metrics leave them out and count
them. Unlike a judge that looks for "yes" anywhere in the reply, a malformed answer can never
pass as support.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from evals.judges.base import Verdict
from index.errors import LLMAuthError
from qa.llm_errors import classify, server_label

SYSTEM = (
    "You check claims against evidence. A claim is supported only when the evidence alone states "
    "everything the claim says; a claim that adds, changes or contradicts anything is unsupported. "
    "Reply with JSON only."
)
_FENCE = re.compile(r"^\s*```(?:json)?\s*(.*?)\s*```\s*$", re.DOTALL)
VERDICTS = {"supported": True, "unsupported": False}


def prompt(claims: Sequence[str], evidence: str) -> str:
    numbered = "\n".join(f"{i}. {c}" for i, c in enumerate(claims, start=1))
    return (
        f"Evidence:\n<<<\n{evidence}\n>>>\n\nClaims:\n{numbered}\n\n"
        'For each claim, reply {"verdicts": [{"claim": <number>, "verdict": "supported" or "unsupported"}, ...]} '
        f"with exactly {len(claims)} entries."
    )


def parse_verdicts(reply: str, n: int) -> list[bool] | None:
    """The verdicts of a reply, in claim order, or None when the reply breaks the format."""
    m = _FENCE.match(reply)
    text = m.group(1) if m else reply.strip()
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, TypeError):
        return None
    if not isinstance(data, dict) or set(data) != {"verdicts"} or not isinstance(data["verdicts"], list):
        return None
    out: dict[int, bool] = {}
    for item in data["verdicts"]:
        if not isinstance(item, dict) or set(item) - {"claim", "verdict", "reason"}:
            return None
        number, verdict = item.get("claim"), item.get("verdict")
        if not isinstance(number, int) or isinstance(number, bool) or not 1 <= number <= n or number in out:
            return None
        if verdict not in VERDICTS:
            return None
        out[number] = VERDICTS[verdict]
    if len(out) != n:
        return None
    return [out[i] for i in range(1, n + 1)]


class LLMJudge:
    name = "llm"

    def __init__(self, settings, *, attempts: int = 2):
        from index.openai_client import api_key, client_from_settings

        key = api_key(settings)
        if not key and not settings.openai_base_url:
            raise LLMAuthError("the llm judge needs OPENAI_API_KEY or OPENAI_BASE_URL")
        self._secret = key
        self._server = server_label(settings.openai_base_url)
        self._model = settings.model
        self._attempts = attempts
        self._client = client_from_settings(settings)  # the client's own retries: nobody cancels a judge

    def judge(self, claims: Sequence[str], evidence: str) -> list[Verdict]:
        if not claims:
            return []
        messages = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": prompt(claims, evidence)}]
        for _ in range(self._attempts):
            reply = self._complete(messages, len(claims))
            parsed = parse_verdicts(reply, len(claims))
            if parsed is not None:
                return [Verdict(ok, "llm", 1.0 if ok else 0.0) for ok in parsed]
            messages = [
                *messages,
                {"role": "assistant", "content": reply},
                {"role": "user", "content": "That is not the required JSON. Reply with the JSON object only."},
            ]
        return [Verdict(None, "llm", None, "unparseable judge reply") for _ in claims]

    def _complete(self, messages, n: int) -> str:
        try:
            response = self._client.chat.completions.create(
                model=self._model, messages=messages, temperature=0.0, max_tokens=40 + 40 * n
            )
            return response.choices[0].message.content or ""
        except Exception as exc:  # the openai/httpx error tree, mapped to newsqa's one-line errors
            raise classify(exc, self._server, self._secret).error from None
