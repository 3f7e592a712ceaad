"""Fill qms/locale/en/LC_MESSAGES/django.po with English for our own (Vietnamese) source strings.

Our msgids are Vietnamese because Vietnamese is the language of the product; English is the second
language. `makemessages -l en` collects the msgids (and keeps translations already in the file);
this script writes the English from ``en_messages.py`` into every entry, clears the "fuzzy" guesses
msgmerge makes for changed strings (a wrong guess would show silently), and lists what is still
missing. Wagtail's own English strings never appear here: in English they come from Wagtail.

Run ``make messages`` (makemessages + this script + msgfmt). Exit status 1 while a msgid has no
English, so a new string cannot slip through untranslated.
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
PO_PATH = HERE / "en" / "LC_MESSAGES" / "django.po"


@dataclass
class Entry:
    """One catalogue entry; ``comments`` keeps the #-lines (references, flags) as they were."""

    comments: list[str] = field(default_factory=list)
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)  # index 0 for a non-plural entry

    @property
    def fuzzy(self) -> bool:
        return any(line.startswith("#,") and "fuzzy" in line for line in self.comments)

    def clear_fuzzy(self) -> None:
        kept = []
        for line in self.comments:
            if line.startswith("#,"):
                flags = [f.strip() for f in line[2:].split(",") if f.strip() != "fuzzy"]
                if flags:
                    kept.append("#, " + ", ".join(flags))
            elif not line.startswith("#|"):  # previous-msgid hints only make sense when fuzzy
                kept.append(line)
        self.comments = kept


def parse_po(text: str) -> list[Entry]:
    """Parse the subset of the PO format that xgettext/msgmerge write (obsolete entries skipped)."""
    entries: list[Entry] = []
    current = Entry()
    key: tuple[str, int] | None = None
    started = False

    def finish() -> None:
        nonlocal current, key, started
        if started:
            entries.append(current)
        current, key, started = Entry(), None, False

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            finish()
        elif line.startswith("#~"):
            continue
        elif line.startswith("#"):
            if key is not None and key[0] == "msgstr":
                finish()
            current.comments.append(line)
        elif line.startswith('"'):
            value = ast.literal_eval(line)
            if key is None:
                raise ValueError(f"continuation line without keyword: {raw!r}")
            _append(current, key, value)
        else:
            keyword, _, rest = line.partition(" ")
            value = ast.literal_eval(rest)
            if keyword.startswith("msgstr["):
                key = ("msgstr", int(keyword[7:-1]))
            elif keyword in {"msgctxt", "msgid", "msgid_plural", "msgstr"}:
                if keyword in {"msgctxt", "msgid"} and key is not None and key[0] == "msgstr":
                    finish()
                key = (keyword, 0)
            else:
                raise ValueError(f"unknown PO keyword in {raw!r}")
            started = True
            _set(current, key, value)
    finish()
    return entries


def _set(entry: Entry, key: tuple[str, int], value: str) -> None:
    name, index = key
    if name == "msgstr":
        entry.msgstr[index] = value
    else:
        setattr(entry, name, value)


def _append(entry: Entry, key: tuple[str, int], value: str) -> None:
    name, index = key
    if name == "msgstr":
        entry.msgstr[index] = entry.msgstr.get(index, "") + value
    else:
        setattr(entry, name, (getattr(entry, name) or "") + value)


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t")
    if "\n" not in text.rstrip("\n"):
        return '"' + escaped.replace("\n", "\\n") + '"'
    # Multi-line strings are written the way msgmerge writes them: "" then one line per line.
    parts = escaped.split("\n")
    lines = [p + "\\n" for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])
    return '""\n' + "\n".join(f'"{p}"' for p in lines)


def render_po(entries: list[Entry]) -> str:
    """Write entries back in msgmerge's layout (so a later makemessages merge is a no-op)."""
    blocks = []
    for entry in entries:
        lines = list(entry.comments)
        if entry.msgctxt is not None:
            lines.append(f"msgctxt {_quote(entry.msgctxt)}")
        lines.append(f"msgid {_quote(entry.msgid)}")
        if entry.msgid_plural is not None:
            lines.append(f"msgid_plural {_quote(entry.msgid_plural)}")
            for index in sorted(entry.msgstr):
                lines.append(f"msgstr[{index}] {_quote(entry.msgstr[index])}")
        else:
            lines.append(f"msgstr {_quote(entry.msgstr.get(0, ''))}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


HEADER = (
    "Project-Id-Version: qms\n"
    "Language: en\n"
    "MIME-Version: 1.0\n"
    "Content-Type: text/plain; charset=UTF-8\n"
    "Content-Transfer-Encoding: 8bit\n"
    "Plural-Forms: nplurals=2; plural=(n != 1);\n"
)


def fill(entries: list[Entry], singular: dict[str, str], plural: dict[str, tuple[str, str]]):
    """Put the English into ``entries``; return the msgids that still have no English."""
    missing = []
    for entry in entries:
        if entry.msgid == "":
            entry.comments = [
                "# English for the qms project's own strings (msgids are Vietnamese)."
            ]
            entry.msgstr = {0: HEADER}
            continue
        if entry.msgid_plural is not None:
            english = plural.get(entry.msgid)
            if english:
                entry.msgstr = {0: english[0], 1: english[1]}
                entry.clear_fuzzy()
        elif entry.msgid in singular:
            entry.msgstr = {0: singular[entry.msgid]}
            entry.clear_fuzzy()
        if entry.fuzzy or not all(entry.msgstr.get(i) for i in _indexes(entry)):
            missing.append(entry.msgid)
    return missing


def _indexes(entry: Entry) -> range:
    return range(2) if entry.msgid_plural is not None else range(1)


def main() -> int:
    sys.path.insert(0, str(HERE))
    from en_messages import PLURALS, T  # next to this script; not part of the qms package

    entries = parse_po(PO_PATH.read_text(encoding="utf-8"))
    missing = fill(entries, T, PLURALS)
    PO_PATH.write_text(render_po(entries), encoding="utf-8")
    print(f"wrote {PO_PATH} ({len(entries) - 1} messages, {len(missing)} without English)")
    for msgid in missing:
        print(f"  no English yet: {msgid!r}", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
