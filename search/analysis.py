"""Vietnamese text analysis shared by both search backends and the highlighter.

Two forms of every word are used:

* the *exact* form: NFC, lowercase, one tone-mark placement ("hoà" and "hòa" are the same word
  typed two ways; we keep the mark on the first vowel of the pairs oa/oe/uy at the end of a
  syllable, so "hoà"→"hòa", "khoẻ"→"khỏe", "thuỷ"→"thủy");
* the *folded* form: the exact form without diacritics and with đ→d ("đường"→"duong").

Matching happens on the folded form (users often type without marks); the exact form decides the
ranking when the user typed marks, because folding merges different words (dương, đường, đương).

Both transformations are one character for one character on NFC text, so character offsets found
in the folded string are valid in the original: the highlighter relies on that.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from whoosh.analysis import Token, Tokenizer
from whoosh.support.charset import accent_map

# \w on NFC text: Vietnamese letters are precomposed, so a syllable is one run of word characters.
WORD_RE = re.compile(r"\w+")

# Old placement (mark on the second vowel) → the placement we keep (mark on the first vowel),
# only when the pair ends the syllable: "hoàn" has its mark on the "a" in every style.
_TONES = {
    "\u0300": "grave",
    "\u0301": "acute",
    "\u0309": "hook",
    "\u0303": "tilde",
    "\u0323": "dot",
}


def _with_tone(letter: str, mark: str) -> str:
    return unicodedata.normalize("NFC", letter + mark)


_PLACEMENT: dict[str, str] = {}
for _first, _second in (("o", "a"), ("o", "e"), ("u", "y")):
    for _mark in _TONES:
        _PLACEMENT[_first + _with_tone(_second, _mark)] = _with_tone(_first, _mark) + _second
_PLACEMENT_RE = re.compile(
    # "qu" + y: the u belongs to the consonant, so "quý" is left alone.
    r"(?<!q)(" + "|".join(sorted(_PLACEMENT)) + r")(?!\w)"
)

# One translation table: lowercase + drop every diacritic + đ→d (accent_map folds đ but maps
# accented capitals to lowercase and leaves plain capitals, so we lowercase explicitly first).
_FOLD: dict[int, str] = {}
for _code, _target in accent_map.items():
    if isinstance(_target, str):
        _FOLD[_code] = _target.lower()
for _code in range(ord("A"), ord("Z") + 1):
    _FOLD[_code] = chr(_code).lower()
_FOLD[ord("Đ")] = _FOLD[ord("đ")] = "d"
# Keep the 1:1 character mapping that highlighting depends on: drop any multi-character entry
# (ligatures such as "æ"→"ae"); Vietnamese never needs them.
_FOLD = {code: target for code, target in _FOLD.items() if len(target) == 1}

# The inverse: every character that folds to a given one ("e" ← e, E, é, ề, Ễ, ...), for regexes
# that find folded words directly in the original text.
_VARIANTS: dict[str, set[str]] = {}
for _code, _target in _FOLD.items():
    _VARIANTS.setdefault(_target, {_target}).add(chr(_code))


def folded_word_pattern(word: str) -> str:
    """A regex matching ``word`` (folded) in unfolded text: "duong" matches "Đường", "dương"."""
    parts = []
    for char in word:
        variants = _VARIANTS.get(char, {char}) | {char, char.upper()}
        parts.append(
            "[" + "".join(re.escape(v) for v in sorted(variants)) + "]"
            if len(variants) > 1
            else re.escape(char)
        )
    return "".join(parts)


_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\ufeff]")


def nfc(text: str) -> str:
    """NFC with control characters (NUL included) replaced by spaces, same length preserved."""
    return _CONTROL_RE.sub(" ", unicodedata.normalize("NFC", text or ""))


def exact(text: str) -> str:
    """NFC, lowercase, one tone placement (the form used for the exact-match ranking)."""
    return _PLACEMENT_RE.sub(lambda m: _PLACEMENT[m.group(1)], nfc(text).lower())


def fold(text: str) -> str:
    """The folded form: lowercase, no diacritics, đ→d. One character in, one character out."""
    return nfc(text).translate(_FOLD).lower()


def fold_normalised(text: str) -> str:
    """``fold`` for text already passed through ``nfc`` (skips the second normalisation)."""
    return text.translate(_FOLD).lower()


def has_marks(word: str) -> bool:
    """True when folding changes the word (the user typed diacritics or đ)."""
    return fold_normalised(word) != word


_MARKED_WORD_RE = re.compile(r"\w*[^\x00-\x7f]\w*")


def exact_words(text: str) -> set[str]:
    """The distinct exact words of ``text`` that carry diacritics (stored for re-ranking)."""
    # Collect the distinct marked words first, then normalise each once (a document repeats
    # the same few hundred syllables thousands of times).
    words = set(_MARKED_WORD_RE.findall(nfc(text).lower()))
    return {exact_word(word) for word in words}


@lru_cache(maxsize=4096)
def exact_word(word: str) -> str:
    return exact(word)


class FoldingTokenizer(Tokenizer):
    """Whoosh tokenizer that folds the whole text once (str.translate, in C) then splits it.

    Faster than a tokenizer followed by per-token Python filters, and the positions and character
    offsets are those of the original text, so Whoosh's own highlighter would work too.
    """

    def __eq__(self, other):
        return other.__class__ is self.__class__

    def __call__(
        self,
        value,
        positions=False,
        chars=False,
        keeporiginal=False,
        removestops=True,
        start_pos=0,
        start_char=0,
        tokenize=True,
        mode="",
        **kwargs,
    ):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        # Stored text is NFC already: checking is cheaper than normalising again.
        if unicodedata.is_normalized("NFC", value):
            folded = value.translate(_FOLD).lower()
        else:
            folded = fold(value)
        if not tokenize:
            token.original = token.text = folded
            token.boost = 1.0
            if positions:
                token.pos = start_pos
            if chars:
                token.startchar = start_char
                token.endchar = start_char + len(value)
            yield token
            return
        for pos, match in enumerate(WORD_RE.finditer(folded)):
            token.text = match.group()
            token.boost = 1.0
            if keeporiginal:
                token.original = token.text
            token.stopped = False
            if positions:
                token.pos = start_pos + pos
            if chars:
                token.startchar = start_char + match.start()
                token.endchar = start_char + match.end()
            yield token


def folding_analyzer() -> FoldingTokenizer:
    return FoldingTokenizer()
