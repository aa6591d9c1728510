"""The `newsqa` command. Subcommands above `qa` (chat, eval, bench) plug in by entry point."""

from __future__ import annotations

import argparse
import os
import sys

from index.errors import NewsQAError


def common_options() -> argparse.ArgumentParser:
    """Options every subcommand takes, after its name (``newsqa ask --store DIR ...``)."""
    p = argparse.ArgumentParser(add_help=False)
    g = p.add_argument_group("store")
    g.add_argument("--store", help="local Chroma directory (env NEWSQA_STORE)")
    g.add_argument("--chroma-url", help="Chroma server URL, e.g. http://127.0.0.1:8000 (env NEWSQA_CHROMA_URL)")
    g.add_argument("--collection", help="collection name prefix (env NEWSQA_COLLECTION)")
    return p


def settings_from_args(args: argparse.Namespace):
    from index.settings import Settings

    top_k = getattr(args, "top_k", None)
    if top_k is not None and top_k < 1:
        raise NewsQAError(f"--top-k {top_k}: must be at least 1")
    overrides = {}
    for name in ("store", "chroma_url", "collection", "engine", "model", "top_k"):
        value = getattr(args, name, None)
        if value is not None:
            overrides[name] = value
    try:
        return Settings(**overrides)
    except Exception as exc:  # pydantic's ValidationError: name the bad value in one line
        errors: list[dict] = getattr(exc, "errors", list)()
        detail = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in errors) or str(exc)
        raise NewsQAError(f"bad setting: {detail}") from None


# The commands of qa itself: when one of these is asked for, the plugins are not loaded at all
# (importlib.metadata alone costs ~0.2-0.4 s of every `newsqa ask` otherwise).
_CORE_COMMANDS = frozenset({"ingest", "ask", "logs", "models", "sources", "show", "stats", "repair"})


class _Version(argparse.Action):
    """``--version`` from the installed package's metadata, read only when asked for (importing
    importlib.metadata on every start would cost each ``newsqa ask`` a few hundred ms)."""

    def __init__(self, option_strings: list[str], dest: str = argparse.SUPPRESS, **kwargs) -> None:
        super().__init__(option_strings, dest=dest, default=argparse.SUPPRESS, nargs=0, **kwargs)

    def __call__(self, parser, namespace, values, option_string=None) -> None:
        from importlib.metadata import PackageNotFoundError, version

        try:
            found = version("newsqa")
        except PackageNotFoundError:
            found = "(not installed: running from a source tree)"
        print(f"newsqa {found}")
        parser.exit()


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsqa", description="Question answering over your news articles, with verified citations."
    )
    parser.add_argument("--version", action=_Version, help="print newsqa's version and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    common = common_options()
    from qa import commands

    commands.register(sub, common)
    from qa import llm_models

    llm_models.register(sub, common)
    if argv and argv[0] in _CORE_COMMANDS:
        return parser
    from importlib.metadata import entry_points

    for ep in entry_points(group="newsqa.commands"):
        ep.load().register(sub, common)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    # Everything newsqa writes (the store Chroma creates, BM25 files, caches, conversations,
    # reports) holds people's archives: private to their owner.
    os.umask(0o077)
    settings = None
    try:
        settings = settings_from_args(args)
        return int(args.func(args, settings) or 0)
    except NewsQAError as exc:
        from qa.terminal import one_line

        print(f"error: {one_line(str(exc))}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:
        # A damaged store can surface from any Chroma call, wrapped in Chroma's own types: name
        # the store and the cure rather than a traceback. Anything else is a bug: let it show.
        from index.damage import damaged_error, is_damage

        if settings is None or not is_damage(exc):
            raise
        import sqlite3

        from qa.terminal import one_line

        if isinstance(exc, sqlite3.DatabaseError):
            # Chroma's own SQLite errors come through its bindings in its own types: a Python
            # sqlite3 error is one of newsqa's own databases, on the ask path the conversations.
            print(
                f"error: the conversation database {settings.conversations_db} is damaged ({one_line(str(exc))}): "
                "move it aside to start a new one, or ask with --no-log",
                file=sys.stderr,
            )
            return 1
        print(f"error: {one_line(str(damaged_error(settings.store_dir, one_line(str(exc)))))}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
