"""Errors a user can cause, as one tree. The CLI and TUI turn each into a one-line message.

NewsQAError
├── InputError             bad value given by the user (empty question, bad date, unknown path)
├── StoreError             the store cannot serve the request
│   ├── StoreBusy          another process holds the local store
│   ├── EmptyIndex         nothing has been ingested yet
│   ├── StoreDamaged       the store's database is damaged (`newsqa repair` rebuilds it)
│   └── EmbedderMismatch   the collection was built by another embedder
├── EmbedderError          the embedding model cannot be loaded or run
└── LLMError               the LLM server failed
    ├── LLMAuthError       no key or a wrong key
    ├── LLMUnavailable     unreachable, timed out, 5xx after retries
    ├── LLMRateLimited     429 after retries
    └── LLMBadResponse     malformed reply, stream cut
"""


class NewsQAError(Exception):
    """Base of every error newsqa expects; its message is one line fit for a user."""


class InputError(NewsQAError):
    pass


class StoreError(NewsQAError):
    pass


class StoreBusy(StoreError):
    pass


class EmptyIndex(StoreError):
    pass


class StoreDamaged(StoreError):
    """The store's database cannot be read; nothing is answered from it until it is rebuilt."""


class EmbedderMismatch(StoreError):
    pass


class EmbedderError(NewsQAError):
    pass


class LLMError(NewsQAError):
    pass


class LLMAuthError(LLMError):
    pass


class LLMUnavailable(LLMError):
    pass


class LLMRateLimited(LLMError):
    pass


class LLMBadResponse(LLMError):
    pass
