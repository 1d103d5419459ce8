"""Legacy Vietnamese text: detect the encoding of raw bytes and repair text typed in TCVN3 or VNI fonts.

Offices still hold text typed in the 8-bit font encodings TCVN3 (ABC, the .VnTime fonts) and
VNI (VNI-Times), saved as Windows-1258 or as Windows-1252. Text extraction from a PDF or DOCX
set in those fonts returns the font's bytes read as Windows-1252: "Céng hßa x· héi". Whether
text is readable Vietnamese is measured as the share of its words that are valid Vietnamese
syllables; a conversion is applied only when it makes the text valid.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from assistant.vietnamese import nfc

# --- Vietnamese syllables ------------------------------------------------------------------
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_STOP_TONES = {"", "\u0301", "\u0323"}  # a syllable ending in c, ch, p, t takes only sắc or nặng
_ONSETS = (
    "ngh",
    "ng",
    "nh",
    "ch",
    "gh",
    "gi",
    "kh",
    "ph",
    "qu",
    "th",
    "tr",
    "b",
    "c",
    "d",
    "đ",
    "g",
    "h",
    "k",
    "l",
    "m",
    "n",
    "p",
    "r",
    "s",
    "t",
    "v",
    "x",
    "",
)
_OPEN = set(
    "a ai ao au ay âu ây e eo ê êu i ia iu iêu o oa oai oao oay oe oeo oi ô ôi ơ ơi u ua uây "
    "ui uôi uy uya uyu uê uơ ư ưa ưi ưu ươi ươu y yêu".split()
)
_CLOSED_NUCLEI = "a ă â e ê i o ô ơ u ư iê yê uô ươ oa oă oe oo uâ uê uy uyê".split()
_RHYMES = (
    _OPEN
    | {n + c for n in _CLOSED_NUCLEI for c in ("c", "m", "n", "ng", "p", "t")}
    | {n + c for n in ("a", "ê", "i", "oa", "uê", "uy") for c in ("ch", "nh")}
)
_FRONT = ("e", "ê", "i", "y")
_EDGE = "\"'“”‘’«»()[]{}<>.,;:!?…*•·-–—_/\\|"
_ABBREVIATION = re.compile(r"^[A-ZĐ]+$")


def _split_tone(word: str) -> tuple[str, str]:
    decomposed = unicodedata.normalize("NFD", word)
    tones = [ch for ch in decomposed if ch in _TONES]
    base = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in _TONES))
    return base, (tones[0] if len(tones) == 1 else "" if not tones else "?")


def is_syllable(word: str) -> bool:
    """Whether ``word`` is spelt as a Vietnamese syllable (onset, rhyme, one tone that fits)."""
    base, tone = _split_tone(word.lower())
    if tone == "?":
        return False
    for onset in _ONSETS:
        if not base.startswith(onset):
            continue
        rhyme = base[len(onset) :]
        if onset == "gi" and (not rhyme or rhyme[0] not in "aăâeêoôơuư"):
            rhyme = "i" + rhyme  # "gì", "gìn": the i is the vowel
        if rhyme not in _RHYMES:
            continue
        if onset in ("c", "g", "ng") and rhyme.startswith(_FRONT):
            continue  # written k, gh, ngh before e, ê, i
        if onset in ("k", "gh", "ngh") and not rhyme.startswith(_FRONT):
            continue
        if onset == "qu" and rhyme.startswith("u"):
            continue
        if rhyme.endswith(("c", "ch", "p", "t")) and tone not in _STOP_TONES:
            continue
        return True
    return False


def _words(text: str) -> list[str]:
    """The words whose spelling is checked: no numbers, no ASCII-only abbreviations, 2+ characters."""
    words = []
    for raw in re.split(r"[\s\-–—/]+", text):
        word = raw.strip(_EDGE)
        if len(word) < 2 or any(ch.isdigit() for ch in word):
            continue
        if _ABBREVIATION.match(word) and not is_syllable(word):
            continue  # UBND, HĐND, BHYT
        words.append(word)
    return words


def vietnamese_share(text: str) -> tuple[float, int]:
    """The share of the checked words that are valid Vietnamese syllables, and how many were checked."""
    words = _words(nfc(text))
    if not words:
        return 1.0, 0
    return sum(map(is_syllable, words)) / len(words), len(words)


# --- Font encodings --------------------------------------------------------------------------
# TCVN3 (ABC): one byte per letter. Tones in the order grave, hook, tilde, acute, dot.
_TCVN3 = {
    0xA1: "Ă",
    0xA2: "Â",
    0xA3: "Ê",
    0xA4: "Ô",
    0xA5: "Ơ",
    0xA6: "Ư",
    0xA7: "Đ",
    0xA8: "ă",
    0xA9: "â",
    0xAA: "ê",
    0xAB: "ô",
    0xAC: "ơ",
    0xAD: "ư",
    0xAE: "đ",
}
for _codes, _letters in (
    ((0xB5, 0xB6, 0xB7, 0xB8, 0xB9), "àảãáạ"),
    ((0xBB, 0xBC, 0xBD, 0xBE, 0xC6), "ằẳẵắặ"),
    ((0xC7, 0xC8, 0xC9, 0xCA, 0xCB), "ầẩẫấậ"),
    ((0xCC, 0xCE, 0xCF, 0xD0, 0xD1), "èẻẽéẹ"),
    ((0xD2, 0xD3, 0xD4, 0xD5, 0xD6), "ềểễếệ"),
    ((0xD7, 0xD8, 0xDC, 0xDD, 0xDE), "ìỉĩíị"),
    ((0xDF, 0xE1, 0xE2, 0xE3, 0xE4), "òỏõóọ"),
    ((0xE5, 0xE6, 0xE7, 0xE8, 0xE9), "ồổỗốộ"),
    ((0xEA, 0xEB, 0xEC, 0xED, 0xEE), "ờởỡớợ"),
    ((0xEF, 0xF1, 0xF2, 0xF3, 0xF4), "ùủũúụ"),
    ((0xF5, 0xF6, 0xF7, 0xF8, 0xF9), "ừửữứự"),
    ((0xFA, 0xFB, 0xFC, 0xFD, 0xFE), "ỳỷỹýỵ"),
):
    _TCVN3.update(zip(_codes, _letters))
TCVN3_TO_UNICODE = {chr(code): letter for code, letter in _TCVN3.items()}

# VNI: a base letter followed by mark characters (tones: acute, grave, hook, tilde, dot).
_VNI_TONES = ("ù", "ø", "û", "õ", "ï")
_VNI_SERIES = {  # Unicode letters (plain, acute, grave, hook, tilde, dot) → VNI lowercase spelling
    "aáàảãạ": ("a", "a" + "ù", "a" + "ø", "a" + "û", "a" + "õ", "a" + "ï"),
    "âấầẩẫậ": ("aâ", "aá", "aà", "aå", "aã", "aä"),
    "ăắằẳẵặ": ("aê", "aé", "aè", "aú", "aü", "aë"),
    "eéèẻẽẹ": tuple("e" + t for t in ("",) + _VNI_TONES),
    "êếềểễệ": ("eâ", "eá", "eà", "eå", "eã", "eä"),
    "oóòỏõọ": tuple("o" + t for t in ("",) + _VNI_TONES),
    "ôốồổỗộ": ("oâ", "oá", "oà", "oå", "oã", "oä"),
    "ơớờởỡợ": tuple("ô" + t for t in ("",) + _VNI_TONES),
    "uúùủũụ": tuple("u" + t for t in ("",) + _VNI_TONES),
    "ưứừửữự": tuple("ö" + t for t in ("",) + _VNI_TONES),
    "iíìỉĩị": ("i", "í", "ì", "æ", "ó", "ò"),
    "yýỳỷỹỵ": ("y", "yù", "yø", "yû", "yõ", "î"),
    "đ": ("ñ",),
}
UNICODE_TO_VNI: dict[str, str] = {}
for _letters, _spellings in _VNI_SERIES.items():
    for _letter, _spelling in zip(_letters, _spellings):
        UNICODE_TO_VNI[_letter] = _spelling
        UNICODE_TO_VNI[_letter.upper()] = _spelling.upper()
VNI_TO_UNICODE = {spelling: letter for letter, spelling in UNICODE_TO_VNI.items() if spelling != letter}
_VNI_PATTERN = re.compile("|".join(sorted(map(re.escape, VNI_TO_UNICODE), key=len, reverse=True)))


def from_tcvn3(text: str) -> str:
    """Unicode text from TCVN3-coded text (read as Windows-1252); all-caps words (.VnTimeH fonts,
    which draw the lowercase codes as capitals) come back in capitals."""
    lines = []
    for line in text.split("\n"):
        converted = "".join(TCVN3_TO_UNICODE.get(ch, ch) for ch in line)
        ascii_letters = [ch for ch in line if ch.isascii() and ch.isalpha()]
        if len(ascii_letters) >= 3 and all(ch.isupper() for ch in ascii_letters):
            converted = converted.upper()
        else:
            converted = re.sub(r"\S+", _upper_if_capitals, converted)
        lines.append(converted)
    return "\n".join(lines)


def _upper_if_capitals(match: re.Match) -> str:
    word = match.group()
    ascii_letters = [ch for ch in word if ch.isascii() and ch.isalpha()]
    return word.upper() if len(ascii_letters) >= 2 and all(ch.isupper() for ch in ascii_letters) else word


def to_tcvn3(text: str) -> str:
    """TCVN3 (as Windows-1252 characters) for Unicode text; capitals without a TCVN3 code are
    written with the lowercase code, as the .VnTimeH fonts expect."""
    inverse = {letter: code for code, letter in TCVN3_TO_UNICODE.items()}
    return "".join(inverse.get(ch) or inverse.get(ch.lower()) or ch for ch in nfc(text))


def from_vni(text: str) -> str:
    """Unicode text from VNI-coded text (read as Windows-1252)."""
    return _VNI_PATTERN.sub(lambda m: VNI_TO_UNICODE[m.group()], text)


def to_vni(text: str) -> str:
    """VNI (as Windows-1252 characters) for Unicode text."""
    return "".join(UNICODE_TO_VNI.get(ch, ch) for ch in nfc(text))


FONT_ENCODINGS = {"tcvn3": from_tcvn3, "vni": from_vni}
LABELS = {
    "utf-8": "UTF-8",
    "utf-16": "UTF-16",
    "windows-1258": "Windows-1258",
    "windows-1252": "Windows-1252",
    "tcvn3": "TCVN3 (ABC)",
    "vni": "VNI",
}

# --- Deciding -------------------------------------------------------------------------------
MIN_SHARE = 0.4  # under this share of valid syllables, text is not Vietnamese-looking (English: ~0.2)
_CONVERTED = 0.5  # a conversion must make at least this share valid
_GAIN = 0.1
_VALID = 0.9  # text this valid is not mojibake: no conversion is tried
_MIN_WORDS = 10  # shorter texts are not judged


def repair(text: str) -> tuple[str, str]:
    """The text with TCVN3 or VNI font mojibake converted, and the name of the font encoding
    converted from ("" when none)."""
    pages, font = repair_pages([text])
    return pages[0], font


def repair_pages(pages: list[str]) -> tuple[list[str], str]:
    """``repair`` for a document's pages. Only lines made of Windows-1252 characters can be font
    mojibake (a line holding "ư" or "ạ" was typed in Unicode): the encoding is chosen on those
    lines together, then each of them is converted unless it reads better as it is, so the
    Unicode parts of a mixed file stay as they are."""
    suspects = "\n".join(line for page in pages for line in page.split("\n") if _font_encodable(line))
    share, _ = vietnamese_share(suspects)
    best, best_share = "", share
    if share < _VALID:
        for name, convert in FONT_ENCODINGS.items():
            candidate, _ = vietnamese_share(convert(suspects))
            if candidate > best_share + _GAIN and candidate >= _CONVERTED:
                best, best_share = name, candidate
    if not best:
        return pages, ""
    convert = FONT_ENCODINGS[best]

    def line(original: str) -> str:
        if not _font_encodable(original):
            return original
        converted = convert(original)
        return converted if vietnamese_share(converted)[0] >= vietnamese_share(original)[0] else original

    return ["\n".join(map(line, page.split("\n"))) for page in pages], best


def _font_encodable(text: str) -> bool:
    try:
        text.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def looks_vietnamese(text: str) -> bool:
    """Whether enough of the text's words are Vietnamese syllables (short texts always pass)."""
    share, words = vietnamese_share(text)
    return words < _MIN_WORDS or share >= MIN_SHARE


def _byte_fallback(error: UnicodeDecodeError):
    # Bytes a Windows code page leaves undefined are kept as the Latin-1 character.
    return error.object[error.start : error.end].decode("latin-1"), error.end


codecs.register_error("ntm-latin1", _byte_fallback)


def decode(data: bytes) -> tuple[str, str]:
    """Text and the encoding it was read from, for the bytes of a plain-text file.

    UTF-8 (with or without BOM) and UTF-16/32 with a BOM are trusted; UTF-16 without a BOM
    only when NUL bytes show it; otherwise the single-byte reading (Windows-1258, Windows-1252,
    TCVN3, VNI) with the most valid Vietnamese syllables wins.
    """
    for bom, name in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return _repaired(data.decode(name), name.replace("-sig", "").replace("utf-32", "utf-16"))
            except UnicodeDecodeError:
                break
    try:
        return _repaired(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    utf16 = _utf16_without_bom(data)
    if utf16:
        return utf16
    candidates = []
    for name, codec in (("windows-1252", "cp1252"), ("windows-1258", "cp1258")):
        text, label = _repaired(nfc(data.decode(codec, errors="ntm-latin1")), name)
        candidates.append((vietnamese_share(text)[0], -len(candidates), text, label))
    _, _, text, label = max(candidates)
    return text, label


def _repaired(text: str, encoding: str) -> tuple[str, str]:
    fixed, font = repair(text)
    return fixed, font or encoding


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 text when most characters have a zero high byte (ASCII-heavy text): clear evidence."""
    if len(data) < 4 or len(data) % 2:
        return None
    for name, zeros in (("utf-16-le", data[1::2]), ("utf-16-be", data[0::2])):
        if zeros.count(0) >= 0.3 * len(zeros):
            try:
                return _repaired(data.decode(name), "utf-16")
            except UnicodeDecodeError:
                return None
    return None
