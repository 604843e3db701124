"""The committed translations: every message translated, placeholders kept, and the compiled
.mo file in step with the .po file (run `make messages` after changing either)."""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parent.parent / "locale"
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _entries(po: Path) -> list[tuple[str, str]]:
    """(msgid, msgstr) pairs of a .po file (no plurals or contexts are used)."""
    entries: list[tuple[str, str]] = []
    current: dict[str, str] = {}
    key = ""
    for line in [*po.read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith(("msgid ", "msgstr ")):
            key, _, rest = line.partition(" ")
            current[key] = ast.literal_eval(rest)
        elif line.startswith('"') and key:
            current[key] += ast.literal_eval(line)
        elif not line.strip() and "msgstr" in current:
            if current.get("msgid"):
                entries.append((current["msgid"], current["msgstr"]))
            current, key = {}, ""
    return entries


@pytest.mark.parametrize("language", ["fr"])
def test_every_message_is_translated_with_its_placeholders(language: str) -> None:
    entries = _entries(LOCALE / language / "LC_MESSAGES" / "django.po")
    assert len(entries) > 40
    for msgid, msgstr in entries:
        assert msgstr.strip(), f"untranslated: {msgid!r}"
        assert set(PLACEHOLDER.findall(msgid)) == set(PLACEHOLDER.findall(msgstr)), msgid


@pytest.mark.parametrize("language", ["fr"])
def test_the_compiled_file_matches_the_po_file(language: str) -> None:
    folder = LOCALE / language / "LC_MESSAGES"
    with (folder / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for msgid, msgstr in _entries(folder / "django.po"):
        assert compiled.gettext(msgid) == msgstr, f"run make messages: {msgid!r}"
