"""`newsqa chat`: open the terminal chat (or list / export saved conversations without it).

Loaded by ``qa.cli`` through the ``newsqa.commands`` entry point, so this module imports only
argparse at load time; Textual and the app are imported inside ``run``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(sub, common: argparse.ArgumentParser | None = None) -> None:
    parents = [common] if common is not None else []
    p = sub.add_parser("chat", parents=parents, help="open the chat in the terminal")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--continue", dest="resume_last", action="store_true", help="resume the last conversation")
    g.add_argument("--conversation", type=int, metavar="ID", help="reopen saved conversation ID")
    g.add_argument("--list", action="store_true", help="list saved conversations and exit")
    g.add_argument("--export", metavar="ID", help="print conversation ID (or 'last') as Markdown and exit")
    p.add_argument("--engine", choices=["extractive", "openai"], help="answer engine (env NEWSQA_ENGINE)")
    p.add_argument("--model", help="chat model for the openai engine (env NEWSQA_MODEL)")
    p.add_argument("--since", help="only articles published on or after DATE (YYYY-MM-DD)")
    p.add_argument("--until", help="only articles published on or before DATE (YYYY-MM-DD)")
    p.add_argument("--source", action="append", help="only this outlet (repeatable)")
    p.add_argument("--first-paint-file", type=Path, help=argparse.SUPPRESS)
    p.set_defaults(func=run)


def run(args, settings) -> int:
    if args.list or args.export:
        return _offline(args, settings)
    from qa.models import Filters

    filters = Filters()
    if args.since or args.until or args.source:
        from qa.dates import parse_user_date

        filters = Filters(
            since_ts=parse_user_date(args.since, "--since") if args.since else None,
            until_ts=parse_user_date(args.until, "--until", end_of_day=True) if args.until else None,
            sources=tuple(args.source or ()),
        )
    if args.conversation is not None:
        _check_saved(settings, args.conversation)
    from tui.app import NewsQAChat

    resume = "last" if args.resume_last else args.conversation
    app = NewsQAChat(settings, resume=resume, filters=filters, engine=args.engine,
                     first_paint_file=args.first_paint_file)  # fmt: skip
    app.run()
    return int(app.return_code or 0)


def _check_saved(settings, conversation_id: int) -> None:
    """A conversation asked for by id that is not saved is an error before the chat opens."""
    from index.errors import InputError
    from qa.conversations import ConversationStore

    with ConversationStore(settings.conversations_db) as store:
        try:
            store.load(conversation_id)
        except InputError:
            raise InputError(f"no saved conversation {conversation_id} (`newsqa chat --list` lists them)") from None


def _offline(args, settings) -> int:
    from index.errors import InputError
    from qa.conversations import ConversationStore
    from qa.export import export_markdown
    from qa.terminal import one_line

    with ConversationStore(settings.conversations_db) as store:
        if args.list:
            found = store.list_conversations()
            if not found:
                print("no saved conversations")
            from qa.readable import human_time, plural

            for c in found:
                asked = plural(c.n_turns, "question")
                print(f"{c.id:>5}  {human_time(c.updated_at):>17}  {asked:>13}  {one_line(c.title)}")
            return 0
        if args.export == "last":
            conversation_id = store.last_id()
            if conversation_id is None:
                raise InputError("no saved conversation to export")
        elif args.export.isdigit():
            conversation_id = int(args.export)
        else:
            raise InputError(f"--export: not a conversation id: {args.export!r} (a number or 'last')")
        sys.stdout.write(export_markdown(store.load(conversation_id)))
    return 0
