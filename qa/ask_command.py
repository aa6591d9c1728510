"""`newsqa ask`: one question from the shell, answered with checked citations.

Like ``llm``: every question and answer is logged in the chat's conversation database (one new
conversation per question, unless ``-c`` continues the last one or ``--cid`` a chosen one, whose
earlier turns the follow-up is condensed against, as in the chat). ``NEWSQA_LOG=0`` or
``--no-log`` keeps a question out of the log.
"""

from __future__ import annotations

import argparse
import sys

from qa.terminal import print_json


def register(sub, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("ask", parents=[common], help="answer one question with citations")
    p.add_argument("question", nargs="?", help="the question (default: read from stdin)")
    g = p.add_mutually_exclusive_group()
    g.add_argument("-c", "--continue", dest="resume_last", action="store_true", help="continue the last conversation")
    g.add_argument("--cid", "--conversation", dest="cid", type=int, metavar="ID", help="continue saved conversation ID")
    p.add_argument("--no-log", action="store_true", help="do not log this question and answer (env NEWSQA_LOG=0)")
    p.add_argument("--engine", choices=["extractive", "openai"], help="answer engine (env NEWSQA_ENGINE)")
    p.add_argument("--model", help="chat model for the openai engine (env NEWSQA_MODEL)")
    p.add_argument("--top-k", type=int, help="chunks to retrieve (env NEWSQA_TOP_K)")
    p.add_argument("--since", help="only articles published on or after DATE (YYYY-MM-DD)")
    p.add_argument("--until", help="only articles published on or before DATE (YYYY-MM-DD)")
    p.add_argument("--source", action="append", help="only this outlet (repeatable)")
    p.add_argument("--no-stream", action="store_true", help="print the answer once it is complete and checked")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=run_ask)


def _question(args) -> str:
    from index.errors import InputError

    question = args.question
    if question is None or question == "-":
        question = "" if sys.stdin is None or sys.stdin.isatty() else sys.stdin.read()
    if not question.strip():
        raise InputError("the question is empty: give it as an argument or on stdin")
    return question


def _filters(args):
    from qa.dates import parse_user_date
    from qa.filters import check_dates
    from qa.models import Filters

    filters = Filters(
        since_ts=parse_user_date(args.since, "--since") if args.since else None,
        until_ts=parse_user_date(args.until, "--until", end_of_day=True) if args.until else None,
        sources=tuple(args.source or ()),
    )
    check_dates(filters.since_ts, filters.until_ts)  # before the store is opened
    return filters


def _session(args, settings, filters):
    """The conversation this question joins (a new one, or the one continued) and the database
    it is kept in; (None, None) when nothing is logged or continued."""
    from qa.chat_session import ChatSession
    from qa.conversations import ConversationStore

    log = settings.log and not args.no_log
    continuing = args.resume_last or args.cid is not None
    if not (log or continuing):
        return None, None
    store = ConversationStore(settings.conversations_db)
    if continuing:
        try:
            session = ChatSession.resume(store, args.cid)
        except BaseException:
            store.close()
            raise
        if filters.since_ts is not None or filters.until_ts is not None or filters.sources:
            session.filters = filters  # given now: they win over the conversation's
    else:
        session = ChatSession(store)
        session.filters = filters
    if not log:
        session.store = None  # read the history, save nothing
    return session, store


def run_ask(args, settings) -> int:
    from index.errors import LLMError
    from qa.readable import StreamWrapper, output_width
    from qa.service import NewsQA

    question = _question(args)
    filters = _filters(args)
    session, conversations = _session(args, settings, filters)
    if session is not None:
        filters = session.filters
    turn = session.start(question) if session is not None else None
    width = output_width()
    stream = None
    if not args.json and not args.no_stream and sys.stdout.isatty():
        stream = StreamWrapper(lambda s: (sys.stdout.write(s), sys.stdout.flush()), width)
    heard: list[str] = []  # what came before a failure or Ctrl-C, shown or not: the log keeps it

    def on_token(piece: str) -> None:
        heard.append(piece)
        if stream is not None:
            stream.feed(piece)

    app = NewsQA(settings)
    try:
        answer = app.ask(
            question,
            filters=filters,
            on_token=on_token,
            history=session.history(turn) if session is not None else (),
        )
        if session is not None:
            session.complete(turn, answer)
    except KeyboardInterrupt:
        if stream is not None:
            stream.finish()  # the interrupt's line starts on a line of its own
        if session is not None:
            session.cancel(turn, "".join(heard))
        raise
    except LLMError as exc:  # the question was fine, the server was not: the log says what happened
        if stream is not None:
            stream.finish()
        if session is not None:
            session.fail(turn, str(exc), "".join(heard))
        raise
    finally:
        app.close()
        if conversations is not None:
            conversations.close()
    conversation_id = session.conversation_id if session is not None and session.store is not None else None
    if args.json:
        print_json({**answer.as_dict(), "conversation_id": conversation_id})
        return 0
    _print_answer(answer, stream, width)
    return 0


def _print_answer(answer, stream, width) -> None:
    from qa.answer_view import answer_lines
    from qa.terminal import one_line

    # A streamed answer is already on screen; print it again only as the citation check changed it.
    streamed = "".join(stream.text) if stream is not None else ""
    if stream is not None:
        stream.finish()
    lines = []
    if streamed and " ".join(streamed.split()) != " ".join(answer.text.split()):
        lines += ["", "Checked answer:"]
    show_text = not streamed or bool(lines)
    lines += answer_lines(answer, width, with_text=show_text)
    sys.stdout.write("\n".join(lines) + "\n")
    for w in answer.warnings:
        print(f"warning: {one_line(w)}", file=sys.stderr)
