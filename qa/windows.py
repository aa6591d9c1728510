"""Small-to-big: rank small chunks, hand the engine wider windows of their articles.

MiniLM reads only its first ~256 tokens of a text, so chunks are kept small enough to be seen
whole when they are embedded and ranked; an answer needs more context than one small chunk, so
each chosen chunk is widened with its neighbours (by ordinal) into a window of about ``width``
characters, and chosen chunks that fit one window of an article share it (one slot of the top-k
instead of several). A window is a verbatim span of the body: ``text == body[start:end]``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass
class Window:
    doc: str
    lo: int
    hi: int
    """Ordinals of the first and last chunk in the window."""
    start: int
    end: int
    rows: list[int] = field(default_factory=list)
    """The chosen chunks (lexical rows) inside it, best first."""


class Windows:
    """Builds the top-k windows from rankings of chunk rows of one lexical index."""

    def __init__(self, lexical, width: int, per_doc: int):
        self.lexical = lexical
        self.width = width
        self.per_doc = per_doc

    def choose(self, rankings: Sequence[Sequence[int]], k: int, score: dict[int, float]) -> list[Window]:
        """Take turns between the rankings; each turn opens one new window with the best row
        that neither lies in a chosen window nor joins one (rows that join one are absorbed on
        the way). An article holds at most ``per_doc`` windows while others are left."""
        cursors = [0] * len(rankings)
        windows: list[Window] = []
        spare: list[int] = []
        while len(windows) < k and any(c < len(r) for c, r in zip(cursors, rankings, strict=True)):
            for i, ranking in enumerate(rankings):
                while cursors[i] < len(ranking):
                    row = ranking[cursors[i]]
                    cursors[i] += 1
                    placed = self._place(row, windows, spare)
                    if placed:
                        break
                if len(windows) == k:
                    break
        for row in spare:
            if len(windows) >= k:
                break
            self._place(row, windows, [], capped=False)
        for w in windows:
            self._widen(w, windows, score)
        return windows

    # -- placing one row -----------------------------------------------------------------------
    def _place(self, row: int, windows: list[Window], spare: list[int], *, capped: bool = True) -> bool:
        """Put ``row`` in a window: True only when it opened a new one."""
        doc = self.lexical.doc_of(row)
        a, b = (int(x) for x in self.lexical.spans[row])
        mine = [w for w in windows if w.doc == doc]
        for w in mine:
            if w.start <= a and b <= w.end:
                return False
        for w in mine:
            if max(b, w.end) - min(a, w.start) <= self.width:
                self._join(w, row)
                return False
        if capped and len(mine) >= self.per_doc:
            spare.append(row)
            return False
        o = int(self.lexical.ordinals[row])
        windows.append(Window(doc, o, o, a, b, [row]))
        return True

    def _join(self, w: Window, row: int) -> None:
        a, b = (int(x) for x in self.lexical.spans[row])
        o = int(self.lexical.ordinals[row])
        w.lo, w.hi = min(w.lo, o), max(w.hi, o)
        w.start, w.end = min(w.start, a), max(w.end, b)
        w.rows.append(row)

    # -- widening ------------------------------------------------------------------------------
    def _widen(self, w: Window, windows: list[Window], score: dict[int, float]) -> None:
        """Add neighbours while the window stays within ``width``: the better scored side first
        (the following text on a tie), never into another window of the same article."""
        taken = {o for v in windows if v is not w and v.doc == w.doc for o in range(v.lo, v.hi + 1)}
        while True:
            sides = []
            for o in (w.hi + 1, w.lo - 1):
                row = self.lexical.row_at(w.doc, o)
                if row is None or o in taken:
                    continue
                a, b = (int(x) for x in self.lexical.spans[row])
                if max(b, w.end) - min(a, w.start) <= self.width:
                    sides.append((score.get(row, 0.0), o == w.hi + 1, row, o))
            if not sides:
                return
            _, _, row, o = max(sides)
            a, b = (int(x) for x in self.lexical.spans[row])
            w.lo, w.hi = min(w.lo, o), max(w.hi, o)
            w.start, w.end = min(w.start, a), max(w.end, b)
