"""Differences between the extracted text of two revisions (ISO 9001:2008 4.2.3 c: changes are
identified), shaped for a template to render inline or side by side.

The result holds plain strings only; the template escapes them, so a revision whose text contains
markup is shown as text, never interpreted.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from qms.models import nfc

# Beyond this many lines per side the comparison would take seconds of CPU on a shared server.
MAX_LINES = 20000


@dataclass
class Segment:
    text: str
    changed: bool = False


@dataclass
class Line:
    """One line of the comparison: ``op`` is ``same``, ``removed`` or ``added``."""

    op: str
    segments: list[Segment]

    @property
    def text(self) -> str:
        return "".join(segment.text for segment in self.segments)


@dataclass
class Row:
    """A side-by-side row; a side is ``None`` where the other side added or removed a line."""

    left: Line | None
    right: Line | None

    @property
    def changed(self) -> bool:
        return not (self.left and self.right and self.left.op == self.right.op == "same")


@dataclass
class Comparison:
    inline: list[Line] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    added: int = 0
    removed: int = 0
    too_large: bool = False

    @property
    def identical(self) -> bool:
        return not self.too_large and self.added == 0 and self.removed == 0


def _lines(text: str) -> list[str]:
    # Extracted PDF text carries layout blank lines and trailing spaces that are not changes.
    return [line.rstrip() for line in nfc(text or "").splitlines() if line.strip()]


def _word_segments(old: str, new: str) -> tuple[list[Segment], list[Segment]]:
    """Mark the words that changed inside a pair of similar lines."""
    old_words, new_words = old.split(" "), new.split(" ")
    matcher = difflib.SequenceMatcher(None, old_words, new_words, autojunk=False)
    left: list[Segment] = []
    right: list[Segment] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        changed = tag != "equal"
        if i2 > i1:
            left.append(Segment(" ".join(old_words[i1:i2]), changed))
        if j2 > j1:
            right.append(Segment(" ".join(new_words[j1:j2]), changed))
    # Put back the spaces that separated the chunks.
    for side in (left, right):
        for segment in side[:-1]:
            segment.text += " "
    return left, right


def compare_texts(old: str, new: str) -> Comparison:
    """Compare two texts line by line, marking changed words inside replaced lines."""
    old_lines, new_lines = _lines(old), _lines(new)
    result = Comparison()
    if len(old_lines) > MAX_LINES or len(new_lines) > MAX_LINES:
        result.too_large = True
        return result
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for line in old_lines[i1:i2]:
                same = Line("same", [Segment(line)])
                result.inline.append(same)
                result.rows.append(Row(same, same))
            continue
        removed = old_lines[i1:i2]
        added = new_lines[j1:j2]
        result.removed += len(removed)
        result.added += len(added)
        left_lines, right_lines = [], []
        for index in range(max(len(removed), len(added))):
            old_line = removed[index] if index < len(removed) else None
            new_line = added[index] if index < len(added) else None
            if old_line is not None and new_line is not None:
                left_segments, right_segments = _word_segments(old_line, new_line)
            else:
                left_segments = [Segment(old_line, True)] if old_line is not None else []
                right_segments = [Segment(new_line, True)] if new_line is not None else []
            left = Line("removed", left_segments) if old_line is not None else None
            right = Line("added", right_segments) if new_line is not None else None
            result.rows.append(Row(left, right))
            if left:
                left_lines.append(left)
            if right:
                right_lines.append(right)
        # Inline: the removed block, then the added block, as in a unified diff.
        result.inline.extend(left_lines)
        result.inline.extend(right_lines)
    return result
