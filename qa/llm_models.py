"""`newsqa models`: the models the configured OpenAI-compatible server offers (GET /v1/models).

Read through the one ``openai`` client (index/openai_client.py), so the key, base URL, timeout
and retries are the engine's own; failures are the engine's one-line errors (qa/llm_errors.py).
The chat's model picker lists the same.
"""

from __future__ import annotations

import argparse
import sys

from index.errors import InputError


def list_models(settings) -> list[str]:
    """The ids of the models the server offers, sorted; raises a one-line NewsQAError."""
    from index.openai_client import api_key, client_from_settings
    from qa.llm_errors import check_base_url, classify, server_label

    if settings.llm != "openai":
        raise InputError(f"NEWSQA_LLM={settings.llm} is not an OpenAI-compatible server: it has no model list here")
    if not settings.llm_configured:
        raise InputError("no LLM server configured: set OPENAI_API_KEY (OpenAI) or OPENAI_BASE_URL (another server)")
    if settings.openai_base_url:
        check_base_url(settings.openai_base_url)
    client = client_from_settings(settings)
    try:
        return sorted({str(m.id) for m in client.models.list()})  # iterating follows the pages
    except Exception as exc:
        raise classify(exc, server_label(settings.openai_base_url), api_key(settings)).error from None
    finally:
        client.close()


def register(sub, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("models", parents=[common], help="list the models the configured LLM server offers")
    p.add_argument("--json", action="store_true", help="print a JSON list")
    p.set_defaults(func=run_models)


def run_models(args, settings) -> int:
    from qa.terminal import one_line, print_json

    models = list_models(settings)
    if args.json:
        print_json([{"id": m, "current": m == settings.model} for m in models])
        return 0
    if not models:
        print("the server offers no models", file=sys.stderr)
        return 0
    for m in models:
        print(f"{one_line(m)}{'  (current: NEWSQA_MODEL)' if m == settings.model else ''}")
    return 0
