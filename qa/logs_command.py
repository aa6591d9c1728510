"""`newsqa logs`: the questions asked (by `ask` and in the chat) with their answers and citations,
searched, renamed and deleted, in the manner of ``llm logs``.

    newsqa logs [-n N] [-q TEXT] [-c | --cid ID] [--json]   the last N questions (0: all), or the N best matches
    newsqa logs rename ID TITLE                             retitle a conversation
    newsqa logs delete ID [ID ...]                          delete conversations with their questions
    newsqa logs path                                        where the database is
"""

from __future__ import annotations

import argparse
import sys

from qa.terminal import one_line, print_json


def register(sub, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("logs", parents=[common], help="list and search past questions and answers")
    p.add_argument("-n", "--count", type=_count, default=3, metavar="N", help="how many to show (default 3; 0: all)")
    p.add_argument("-q", "--query", metavar="TEXT", help="only questions or answers holding these words")
    g = p.add_mutually_exclusive_group()
    g.add_argument("-c", "--current", action="store_true", help="only the last conversation (what `ask -c` continues)")
    g.add_argument("--cid", "--conversation", dest="cid", type=int, metavar="ID", help="only conversation ID")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=run_logs)
    actions = p.add_subparsers(dest="action", metavar="[ACTION]")
    a = actions.add_parser("rename", help="give a conversation a new title")
    a.add_argument("id", type=int, metavar="ID")
    a.add_argument("title", nargs="+", metavar="TITLE")
    a.set_defaults(func=run_rename)
    a = actions.add_parser("delete", help="delete conversations with their questions and answers")
    a.add_argument("ids", type=int, nargs="+", metavar="ID")
    a.set_defaults(func=run_delete)
    a = actions.add_parser("path", help="print where the conversation database is")
    a.set_defaults(func=lambda args, settings: print(settings.conversations_db) or 0)


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"not a count: {text!r} (0 shows all)")
    return value


def _store(settings):
    from qa.conversations import ConversationStore

    return ConversationStore(settings.conversations_db)


def run_logs(args, settings) -> int:
    from index.errors import InputError

    with _store(settings) as store:
        cid = args.cid
        if args.current:
            cid = store.last_id()
            if cid is None:
                raise InputError("no saved conversation yet")
        elif cid is not None:
            store.load(cid)  # one line if there is no such conversation
        logged = store.log(limit=args.count or -1, query=args.query, conversation_id=cid)
    if args.json:
        print_json([_as_dict(x) for x in logged])
        return 0
    if not logged:
        if args.query is not None:
            print(f"nothing logged matches {one_line(args.query)!r}")
        else:
            print("nothing logged yet: `newsqa ask QUESTION` and the chat save every question")
        return 0
    _print_turns(logged)
    return 0


def _print_turns(logged) -> None:
    from qa.answer_view import answer_lines
    from qa.readable import human_time, output_width, wrap

    width = output_width()
    out: list[str] = []
    for i, x in enumerate(logged):
        t, a = x.turn, x.turn.answer
        engine = " \u00b7 ".join(v for v in (a.engine, a.model) if v)
        head = (
            f"\u2500\u2500 {human_time(t.created_at)} \u00b7 conversation {x.conversation_id}: "
            f"{one_line(x.conversation_title)} \u00b7 question {x.position + 1}"
            + (f" \u00b7 {engine}" if engine else "")
        )
        out += ([""] if i else []) + wrap(head, width, "", "   ")
        out += wrap(t.question, width, "Q: ", "   ")
        if a.standalone_question:
            out += wrap(f"\u21b3 asked as: {a.standalone_question}", width, "   ", "     ")
        status = "" if t.status == "complete" else f"({t.status}{': ' + one_line(t.error) if t.error else ''}) "
        out += wrap(status + a.text if a.text else status.strip() or "(no answer)", width, "A: ", "   ")
        out += answer_lines(a, width, with_text=False)
    sys.stdout.write("\n".join(out) + "\n")


def _as_dict(x) -> dict:
    from datetime import UTC, datetime

    t, a = x.turn, x.turn.answer
    return {
        "id": t.id,
        "conversation_id": x.conversation_id,
        "conversation_title": x.conversation_title,
        "position": x.position,
        "created_at": datetime.fromtimestamp(t.created_at, tz=UTC).isoformat(timespec="seconds"),
        "status": t.status,
        "error": t.error,
        **{k: v for k, v in a.as_dict().items() if k not in ("retrieved", "timings_ms")},
        "timings_ms": a.timings_ms,
    }


def run_rename(args, settings) -> int:
    with _store(settings) as store:
        title = store.rename(args.id, " ".join(args.title))
    print(f"conversation {args.id} is now \u201c{one_line(title)}\u201d")
    return 0


def run_delete(args, settings) -> int:
    from index.errors import NewsQAError
    from qa.readable import plural

    failed = 0
    with _store(settings) as store:
        for cid in dict.fromkeys(args.ids):
            try:  # each id on its own: one that is missing does not keep the others
                conv = store.load(cid)
                store.delete(cid)
            except NewsQAError as exc:
                print(f"error: {one_line(str(exc))}", file=sys.stderr)
                failed += 1
                continue
            print(
                f"deleted conversation {cid} \u201c{one_line(conv.title)}\u201d ({plural(len(conv.turns), 'question')})"
            )
    return 1 if failed else 0
