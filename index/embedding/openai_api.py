"""Embeddings from OpenAI's API or an OpenAI-compatible server, through the ``openai`` client.

Errors become one-line :class:`EmbedderError` messages; the API key never appears in them,
not even where a server echoes it back.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from index.embedding.vectors import empty, l2_normalise
from index.errors import EmbedderError

if TYPE_CHECKING:
    from index.settings import Settings

# Known sizes save a probe request; other models reveal theirs on first use.
_KNOWN_DIMS = {"text-embedding-3-small": 1536, "text-embedding-3-large": 3072, "text-embedding-ada-002": 1536}
# Inputs per request: well under the API's 2048-input and token limits for ~1k-char chunks.
REQUEST_BATCH = 256
_MAX_DETAIL = 160


class OpenAIEmbedder:
    """A :class:`~index.embedder.TextEmbedder` backed by ``POST /embeddings``."""

    def __init__(
        self,
        model: str,
        *,
        api_key: str | None,
        base_url: str | None = None,
        timeout: float = 60.0,
        max_retries: int = 2,
    ) -> None:
        if not api_key and not base_url:
            raise EmbedderError("the openai embedder needs an API key: set OPENAI_API_KEY (or a base URL)")
        self.name = f"openai:{model}"
        self.model = model
        self._api_key = api_key
        self._base_url = base_url
        self._timeout = timeout
        self._max_retries = max_retries
        self._dim: int | None = _KNOWN_DIMS.get(model)
        self._client: Any = None
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings) -> OpenAIEmbedder:
        from index.openai_client import api_key

        return cls(
            settings.openai_embedding_model,
            api_key=api_key(settings),
            base_url=settings.openai_base_url,
            timeout=settings.request_timeout,
            max_retries=settings.max_retries,
        )

    def __repr__(self) -> str:  # the default would not show the key, but say so explicitly
        return f"OpenAIEmbedder(model={self.model!r}, base_url={self._base_url!r})"

    @property
    def dim(self) -> int:
        if self._dim is None:
            self._dim = int(self._request(["dimension probe"]).shape[1])
        return self._dim

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return empty(self.dim)
        parts = [self._request(texts[i : i + REQUEST_BATCH]) for i in range(0, len(texts), REQUEST_BATCH)]
        out = np.concatenate(parts, axis=0)
        if self._dim is None:
            self._dim = int(out.shape[1])
        elif out.shape[1] != self._dim:
            raise EmbedderError(f"{self.name} returned vectors of size {out.shape[1]}, expected {self._dim}")
        return out

    def _get_client(self) -> Any:
        with self._lock:
            if self._client is None:
                from index.openai_client import openai_client

                self._client = openai_client(
                    self._api_key, self._base_url, timeout=self._timeout, max_retries=self._max_retries
                )
            return self._client

    def _request(self, texts: list[str]) -> np.ndarray:
        import openai

        # The API rejects empty strings; a space embeds as "no content" just the same.
        inputs = [t if t.strip() else " " for t in texts]
        try:
            response = self._get_client().embeddings.create(model=self.model, input=inputs, encoding_format="float")
        except openai.AuthenticationError:
            raise EmbedderError(f"{self.name}: the server refused the API key (HTTP 401)") from None
        except openai.PermissionDeniedError:
            raise EmbedderError(f"{self.name}: the API key may not use this model (HTTP 403)") from None
        except openai.APITimeoutError:
            raise EmbedderError(f"{self.name}: the embeddings request timed out after {self._timeout:g} s") from None
        except openai.APIConnectionError:
            raise EmbedderError(f"{self.name}: cannot reach {self._base_url or 'the OpenAI API'}") from None
        except openai.APIStatusError as exc:
            raise EmbedderError(f"{self.name}: HTTP {exc.status_code}: {self._detail(exc)}") from None
        except openai.OpenAIError as exc:
            raise EmbedderError(f"{self.name}: {self._scrub(str(exc))}") from None
        except ValueError:  # a 200 whose body is not JSON (a proxy's page, a cut reply)
            raise EmbedderError(f"{self.name}: the server sent a malformed embeddings reply") from None
        return self._vectors(response, len(texts))

    def _vectors(self, response: Any, expected: int) -> np.ndarray:
        try:
            items = sorted(response.data, key=lambda d: d.index)
            rows = np.asarray([item.embedding for item in items], dtype=np.float32)
        except (AttributeError, TypeError, ValueError):
            raise EmbedderError(f"{self.name}: the server sent a malformed embeddings reply") from None
        if rows.ndim != 2 or rows.shape[0] != expected or rows.shape[1] == 0:
            raise EmbedderError(f"{self.name}: the server sent {rows.shape[0]} vectors for {expected} texts")
        if not np.isfinite(rows).all():
            raise EmbedderError(f"{self.name}: the server sent vectors with NaN or infinite values")
        return l2_normalise(rows)

    def _detail(self, exc: Any) -> str:
        body = getattr(exc, "body", None)
        message = body.get("message") if isinstance(body, dict) else None
        if not isinstance(message, str):
            error = body.get("error") if isinstance(body, dict) else None
            message = error.get("message") if isinstance(error, dict) else None
        return self._scrub(message if isinstance(message, str) else "request failed")

    def _scrub(self, text: str) -> str:
        line = " ".join(text.split())
        if self._api_key:
            line = line.replace(self._api_key, "***")
        return line[:_MAX_DETAIL]
