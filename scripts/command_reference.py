#!/usr/bin/env python
"""The README's command reference, written from the CLI's own help so that it cannot drift.

    python scripts/command_reference.py           # rewrite the block in README.md
    python scripts/command_reference.py --check   # exit 1 when README.md's block is out of date

Each command's usage line is what ``newsqa COMMAND --help`` prints (the options every command
shares are listed once at the end), under the one-line help ``newsqa --help`` gives it; commands
with actions of their own (``newsqa logs rename ...``) list those too. tests/test_readme_commands.py
runs the check.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # this tree's qa, whatever is installed
BEGIN = "<!-- command reference: written by scripts/command_reference.py from the CLI's --help; do not edit -->"
END = "<!-- end of the command reference -->"


def _help(argv: list[str]) -> str:
    from qa.cli import build_parser

    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):
        build_parser(argv).parse_args([*argv, "--help"])
    return out.getvalue()


def _listing(text: str) -> list[tuple[str, str]]:
    """The (name, help) lines of a help text's COMMAND or ACTION section."""
    pairs, inside = [], False
    for line in text.splitlines():
        if re.fullmatch(r"  [A-Z]+", line):
            inside = True
        elif inside:
            m = re.fullmatch(r"    (\S+)\s+(.*)", line)
            if m is None:
                break
            pairs.append((m[1], m[2]))
    return pairs


def _usage(text: str, shared: list[str]) -> str:
    usage = text.splitlines()[0].removeprefix("usage: ")
    for option in ["[-h]", *shared]:
        usage = usage.replace(f" {option}", "")
    return usage


def reference() -> str:
    from qa.cli import common_options

    os.environ["COLUMNS"] = "10000"  # argparse wraps at the terminal width: one line per usage
    probe = argparse.ArgumentParser(prog="newsqa", parents=[common_options()], add_help=False)
    shared = re.findall(r"\[[^\]]*\]", probe.format_usage())
    top = _help([])
    lines = ["```sh", _usage(top, shared).replace(" COMMAND ...", ""), ""]
    for name, summary in _listing(top):
        text = _help([name])
        lines += [f"# {name}: {summary}", _usage(text, shared)]
        for action, action_summary in _listing(text):
            lines += [f"#   {name} {action}: {action_summary}", _usage(_help([name, action]), shared)]
        lines.append("")
    lines += [f"# every command also takes {' '.join(shared)}", "```"]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check; exit 1 when out of date")
    parser.add_argument("--readme", type=Path, default=REPO / "README.md")
    args = parser.parse_args()
    text = args.readme.read_text(encoding="utf-8")
    if BEGIN not in text or END not in text:
        print(f"{args.readme}: no command reference block ({BEGIN!r} ... {END!r})", file=sys.stderr)
        return 1
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    fresh = f"{head}{BEGIN}\n{reference()}\n{END}{tail}"
    if fresh == text:
        return 0
    if args.check:
        print(
            f"{args.readme}: the command reference is out of date: run python scripts/command_reference.py",
            file=sys.stderr,
        )
        return 1
    args.readme.write_text(fresh, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
