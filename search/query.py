"""Turning what a user typed into a safe, backend-neutral query.

We do not hand user input to Whoosh's query parser or to PostgreSQL's ``to_tsquery``: both raise on
input such as a lone ``AND``, ``-``, ``*`` or an unbalanced quote. Our grammar is small and cannot
fail: words (AND-ed), ``"quoted phrases"``, ``-word`` to exclude, ``word*`` for a prefix, and
document codes (``QT-VP``, ``BM-01/QT-VP-01``, ``63/2010/NĐ-CP``) matched as code prefixes.
Everything else is ignored, and the user is told when we shortened or dropped something.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from search.analysis import WORD_RE, exact, fold_normalised, has_marks, nfc

MAX_QUERY_CHARS = 256
MAX_CLAUSES = 16
MESSAGE_EMPTY = "Hãy nhập từ khóa cần tìm (ví dụ: quy trình kiểm soát tài liệu hoặc QT-VP-01)."
MESSAGE_TOO_LONG = f"Câu tìm kiếm quá dài: chỉ dùng {MAX_QUERY_CHARS} ký tự đầu."
MESSAGE_TOO_MANY = f"Câu tìm kiếm có quá nhiều từ: chỉ dùng {MAX_CLAUSES} từ đầu."

_OPERATORS = {"AND", "OR", "NOT", "&&", "||", "+", "VÀ", "HOẶC"}
_CODE_RE = re.compile(r"^\w+(?:[-/.&]\w+)+$")
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"'})


@dataclass(frozen=True)
class Word:
    """One word, folded; ``exact`` is set when the user typed diacritics (used for ranking)."""

    folded: str
    exact: str | None = None
    prefix: bool = False
    negate: bool = False


@dataclass(frozen=True)
class Phrase:
    folded: tuple[str, ...]
    exact: tuple[str, ...] = ()
    negate: bool = False


@dataclass(frozen=True)
class Code:
    """A document code typed as one token: prefix of a code, or the same words in sequence."""

    folded: str  # "qt-vp"
    parts: tuple[str, ...]  # ("qt", "vp")
    negate: bool = False

    @property
    def specific(self) -> bool:
        """A full code or number ("QT-VP-01", "30/2020/NĐ-CP") rather than a family ("QT-VP").

        Only specific codes are also looked for in the body text (documents cite each other by
        number); a family prefix matches codes and titles, which keeps it fast on big indexes.
        """
        return any(part.isdigit() for part in self.parts)


@dataclass
class ParsedQuery:
    clauses: list[Word | Phrase | Code] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)

    @property
    def positive(self) -> list[Word | Phrase | Code]:
        return [clause for clause in self.clauses if not clause.negate]

    @property
    def is_empty(self) -> bool:
        return not self.positive

    @property
    def exact_words(self) -> list[str]:
        """Words typed with diacritics: a document containing them exactly ranks first."""
        found: list[str] = []
        for clause in self.positive:
            if isinstance(clause, Word) and clause.exact:
                found.append(clause.exact)
            elif isinstance(clause, Phrase):
                found.extend(clause.exact)
        return list(dict.fromkeys(found))

    @property
    def highlight_terms(self) -> tuple[set[str], set[str]]:
        """(folded words, folded prefixes) to mark in snippets."""
        words: set[str] = set()
        prefixes: set[str] = set()
        for clause in self.positive:
            if isinstance(clause, Word):
                (prefixes if clause.prefix else words).add(clause.folded)
            elif isinstance(clause, Phrase):
                words.update(clause.folded)
            else:
                words.update(clause.parts)
        return words, prefixes


def _words(text: str) -> list[tuple[str, str | None]]:
    found = []
    for word in WORD_RE.findall(exact(text)):
        folded = fold_normalised(word)
        found.append((folded, word if has_marks(word) else None))
    return found


def parse(raw: str | None) -> ParsedQuery:
    """Parse a user's query; never raises, whatever the input."""
    parsed = ParsedQuery()
    text = nfc(raw or "").translate(_QUOTES)
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS]
        parsed.messages.append(MESSAGE_TOO_LONG)
    # Split into quoted and unquoted stretches; an unbalanced quote just ends the phrase search
    # (its words are searched as plain words).
    pieces = text.split('"')
    balanced = len(pieces) % 2 == 1
    for index, piece in enumerate(pieces):
        quoted = index % 2 == 1 and (balanced or index < len(pieces) - 1)
        if quoted:
            words = _words(piece)
            if len(words) == 1:
                parsed.clauses.append(Word(folded=words[0][0], exact=words[0][1]))
            elif words:
                parsed.clauses.append(
                    Phrase(
                        folded=tuple(folded for folded, _ in words),
                        exact=tuple(word for _, word in words if word),
                    )
                )
            continue
        for token in piece.split():
            parsed.clauses.extend(_parse_token(token))
    if len(parsed.clauses) > MAX_CLAUSES:
        parsed.clauses = parsed.clauses[:MAX_CLAUSES]
        parsed.messages.append(MESSAGE_TOO_MANY)
    if parsed.is_empty:
        parsed.clauses = []
        parsed.messages.append(MESSAGE_EMPTY)
    return parsed


def _parse_token(token: str) -> list[Word | Phrase | Code]:
    if token.upper() in _OPERATORS:
        return []
    negate = token.startswith("-") and len(token) > 1
    token = token.lstrip("-+")
    prefix = token.endswith("*")
    token = token.strip("*").strip(".,;:!?()[]{}<>'`~^=|\\/")
    if not token:
        return []
    if _CODE_RE.match(token) and not token.isdigit():
        folded = fold_normalised(exact(token))
        parts = tuple(WORD_RE.findall(folded))
        return [Code(folded=folded, parts=parts, negate=negate)]
    words = _words(token)
    clauses: list[Word | Phrase | Code] = []
    for position, (folded, exact_word) in enumerate(words):
        # A prefix needs two letters: "a*" would expand to most of the dictionary.
        is_prefix = prefix and position == len(words) - 1 and len(folded) >= 2
        clauses.append(Word(folded=folded, exact=exact_word, prefix=is_prefix, negate=negate))
    return clauses
