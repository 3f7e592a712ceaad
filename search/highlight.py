"""Safe highlighted snippets, the same for both backends.

Matches are found on the folded text (so "kiem soat" marks "kiểm soát"), and because folding maps
one character to one character the offsets are valid in the original text. Every piece of the
document's text is HTML-escaped; only our own ``<mark>`` tags are markup.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from search.analysis import fold_normalised, folded_word_pattern, nfc

SNIPPET_CHARS = 240
MAX_MATCHES = 400


def _safe(html: str) -> SafeString:
    # Only called on strings built by _render/escape: document text never reaches it raw.
    return mark_safe(html)  # noqa: S308


@lru_cache(maxsize=512)
def _pattern(words: frozenset[str], prefixes: frozenset[str]) -> re.Pattern | None:
    # One regex run over the original text (C speed): each folded letter becomes the class of
    # the letters that fold to it, so the text itself is never folded.
    alternatives = [folded_word_pattern(w) for w in sorted(words, key=len, reverse=True)]
    alternatives += [folded_word_pattern(p) + r"\w*" for p in sorted(prefixes)]
    if not alternatives:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)")


def _matches(text: str, words, prefixes) -> list[tuple[int, int]]:
    pattern = _pattern(frozenset(words), frozenset(prefixes))
    if pattern is None:
        return []
    found = []
    for match in pattern.finditer(text):
        found.append(match.span())
        if len(found) >= MAX_MATCHES:
            break
    return found


def _normalised(text: str) -> str:
    # Stored text is NFC already (documents.models); checking is much cheaper than converting.
    text = text or ""
    return text if unicodedata.is_normalized("NFC", text) else nfc(text)


def _render(text: str, spans: list[tuple[int, int]], start: int, end: int) -> str:
    out, cursor = [], start
    for span_start, span_end in spans:
        if span_end <= start or span_start >= end:
            continue
        span_start, span_end = max(span_start, start), min(span_end, end)
        out.append(escape(text[cursor:span_start]))
        out.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        cursor = span_end
    out.append(escape(text[cursor:end]))
    return "".join(out)


def highlight(text: str, words: set[str], prefixes: set[str] = frozenset()) -> SafeString:
    """The whole (short) text with matches marked, e.g. a title."""
    text = _normalised(text)
    spans = _matches(text, words, prefixes)
    return _safe(_render(text, spans, 0, len(text)))


def snippet(
    text: str, words: set[str], prefixes: set[str] = frozenset(), size: int = SNIPPET_CHARS
) -> SafeString:
    """The passage of ``text`` with the most matches, escaped, matches in ``<mark>``."""
    text = " ".join(_normalised(text).split())
    if not text:
        return _safe("")
    spans = _matches(text, words, prefixes)
    if not spans:
        end = min(len(text), size)
        return _safe(escape(text[:end]) + ("…" if end < len(text) else ""))
    # The window starting at a match that holds the most distinct matched words.
    best, best_score = 0, -1
    for index, (span_start, _end) in enumerate(spans):
        distinct = set()
        for s, e in spans[index:]:
            if e > span_start + size:
                break  # spans are in text order
            distinct.add(fold_normalised(text[s:e]))
        if len(distinct) > best_score:
            best, best_score = index, len(distinct)
    start = max(0, spans[best][0] - size // 5)
    if start:
        # Begin at a word boundary so the snippet does not open on half a syllable.
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < spans[best][0] else start
    end = min(len(text), start + size)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > spans[best][1] else end
    body = _render(text, spans, start, end)
    return _safe(("…" if start else "") + body + ("…" if end < len(text) else ""))
