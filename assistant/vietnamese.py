"""Vietnamese text handling shared by every step: NFC, tone-mark canonical form, folding, tokens."""

from __future__ import annotations

import re
import unicodedata

# Tone marks (as combining characters after NFD); the other marks (circumflex, breve,
# horn) change the vowel itself and are kept in the accented form.
_TONES = {"\u0300": "2", "\u0301": "1", "\u0303": "4", "\u0309": "3", "\u0323": "5"}
_WORD = re.compile(r"\w+", re.UNICODE)
YEAR = re.compile(r"\b(?:19|20)\d{2}\b")  # a year as the documents and questions write it


def nfc(text: str) -> str:
    """Text in Unicode NFC, the form every stored and compared string uses."""
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Lowercase, every diacritic stripped and đ→d: what a person types without accents."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.replace("đ", "d")


def has_diacritics(text: str) -> bool:
    """Whether the text carries any Vietnamese mark (so it was typed with accents)."""
    return fold(text) != text.lower()


def canonical_syllable(syllable: str) -> str:
    """One spelling per syllable whichever tone-placement style was used ("hoà" = "hòa").

    The tone mark is removed from the vowel and written as a digit at the end, so the
    old and new placement rules give the same token.
    """
    decomposed = unicodedata.normalize("NFD", syllable.lower())
    tone = ""
    kept = []
    for ch in decomposed:
        if ch in _TONES:
            tone = _TONES[ch]
        else:
            kept.append(ch)
    return unicodedata.normalize("NFC", "".join(kept)) + tone


def syllables(text: str) -> list[str]:
    """Lowercase syllables (and numbers) of the text, in order."""
    return _WORD.findall(nfc(text).lower())


def with_bigrams(units: list[str]) -> list[str]:
    """The units followed by every pair of neighbours joined with '_' (Vietnamese words span syllables)."""
    return units + [f"{a}_{b}" for a, b in zip(units, units[1:])]


def accented_tokens(text: str) -> list[str]:
    """Tone-canonical syllables plus syllable bigrams, for the accented lexical field."""
    return with_bigrams([canonical_syllable(s) for s in syllables(text)])


def folded_tokens(text: str) -> list[str]:
    """Diacritic-folded syllables plus bigrams, for queries typed without accents."""
    return with_bigrams(_WORD.findall(fold(nfc(text))))  # folded whole: the same syllables, fewer calls
