"""Questions about a document itself — who issued it, who signed it, when, its number, where the
original is filed — answered from its own header, signature block and recipients list, quoted line
by line ("NQ này do cơ quan nào ban hành?" →
“CỦA BAN CHẤP HÀNH ĐẢNG BỘ TỈNH”; "ai ký quyết định" → “TM. ỦY BAN NHÂN DÂN” “KT. CHỦ TỊCH” …;
"quyết định ban hành ngày nào" → “Can Lộc, ngày 15 tháng 5 năm 2023”).

Passages rank the body's sentences, and there "ban hành cơ chế, chính sách" or "Văn phòng Tỉnh ủy
… theo dõi" outranks a header that is not even a passage. How such questions are asked is data
(``data/document_header.yaml``, ``question_mentions.identity``).
"""

from __future__ import annotations

import re
from functools import cache

from assistant.data import load_yaml
from assistant.retrieve.named import folded_words, type_words
from assistant.retrieve.query import asked_words

HEADER_LINES = 12  # an issuer is named in the first lines of a document
SIGNATURE_LINES = 6  # a signature block: "TM. …", "KT. …", the title, "(Đã ký)", the name
RECIPIENT_LINES = 30  # the recipients list and the signature block end a document
_SIGNATURE = re.compile(r"^(?:T/M|TM\.|KT\.|Q\.|TL\.|TUQ\.|Thay mặt)\s", re.IGNORECASE)
_ARCHIVE = re.compile(r"^\s*[-–]?\s*(Lưu\b)")  # "- Lưu Văn phòng Tỉnh ủy.", "- Lưu: VT, …"
_HEADER_LINE = {
    "date": re.compile(r"ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}", re.IGNORECASE),
    "number": re.compile(r"^Số\s*:?\s*\d", re.IGNORECASE),
}


@cache
def _asked() -> dict:
    return load_yaml("document_header.yaml")["question_mentions"]["identity"]


@cache
def _patterns() -> dict[str, re.Pattern]:
    words = [*type_words(), *(folded_words(str(w)) for w in _asked()["documents"])]
    document = "(?:" + "|".join(sorted({re.escape(w) for w in words}, key=len, reverse=True)) + ")"
    document += r"(?: (?:cua|so) \w+(?: \w+){0,2})?"  # "quyết định của huyện", "quyết định số 1268"
    opening = "(?:(?:" + "|".join(str(w) for w in _asked()["openers"]) + ") )*"
    return {
        kind: re.compile(
            "|".join(rf"\b(?:{p.replace('{doc}', document).replace('{open}', opening)})\b" for p in patterns)
        )
        for kind, patterns in _asked().items()
        if kind not in ("documents", "companion", "openers")
    }


@cache
def _companion() -> re.Pattern:
    return re.compile("|".join(_asked()["companion"]))


def about_identity(part: str) -> bool:
    """Whether a part of a question asks who issued or signed a document, when, or what the signer
    is called or holds ("tên là gì", "in what capacity")."""
    return asks_identity(part) is not None or bool(_companion().search(folded_words(part)))


def asks_identity(question: str) -> str | None:
    """ "issuer", "signer", "date", "number", "archive" or "subject" when the question asks who issued
    or signed the document it names, when, its number, where its original is filed, or what it is about."""
    folded = asked_words(folded_words(question))
    return next((kind for kind, pattern in _patterns().items() if pattern.search(folded)), None)


def other_number(question: str, document) -> bool:
    """Whether the question names a document number this one does not have ("QĐ 2114/QĐ-TTg" asked
    beside the district's decision 1268): it asks about another document."""
    number = str((document.meta or {}).get("number", ""))
    asked = [n for n in re.findall(r"\b\d{3,}\b", question) if not 1900 <= int(n) <= 2100]
    return any(not re.match(rf"0*{n}\b", number) for n in asked)


def asks_name(question: str) -> bool:
    """Whether the question asks for a person's name ("tên là gì", "họ tên", "name")."""
    return bool(re.search(r"\b(?:ten|ho ten|ho va ten|name|named)\b", folded_words(question)))


def names_a_person(lines: list[str]) -> bool:
    """Whether a signature block writes its signer's name (a line in Title Case: "Trần Đình Hưng"),
    not only a title ("T/M TỈNH ỦY", "BÍ THƯ")."""
    return any(line[:1].isupper() and not line.isupper() and not line.startswith("(") for line in lines)


def identity_spans(kind: str, document) -> list[tuple[int, int]]:
    """The (start, end) of each line of the document that answers: the header lines naming its
    issuer, or its signature block; none when the document has no such lines."""
    lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", document.text)]
    lines = [(a, b) for a, b in lines if document.text[a:b].strip()]
    if kind == "signer":
        tail = lines[-SIGNATURE_LINES * 3 :]
        start = next((i for i, (a, b) in enumerate(tail) if _SIGNATURE.match(document.text[a:b].strip())), None)
        return (
            [] if start is None else [_stripped(document.text, a, b) for a, b in tail[start : start + SIGNATURE_LINES]]
        )
    if kind == "archive":
        tail = lines[-RECIPIENT_LINES:]
        filed = [(a, b, m.start(1)) for a, b in tail if (m := _ARCHIVE.match(document.text[a:b]))]
        return [_stripped(document.text, a + at, b) for a, b, at in filed][:1]
    if kind == "subject":
        return _title_lines(document.text, lines[:HEADER_LINES])
    if kind in _HEADER_LINE:
        found = [(a, b) for a, b in lines[:HEADER_LINES] if _HEADER_LINE[kind].search(document.text[a:b].strip())]
        return found[:1]
    issuer = _expanded((document.meta or {}).get("issuer", "")).split()
    return _issuer_lines(document.text, lines[:HEADER_LINES], issuer) if issuer else []


def _title_lines(text: str, lines: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The lines after the type line ("NGHỊ QUYẾT", "QUYẾT ĐỊNH") that say what the document is about
    ("Về tập trung lãnh đạo, …" and the lines it goes on in, each starting in lower case), the
    issuer's line between them left out."""
    kinds = type_words()
    at = next((i for i, (a, b) in enumerate(lines) if folded_words(text[a:b]) in kinds and text[a:b].isupper()), None)
    found: list[tuple[int, int]] = []
    for a, b in lines[at + 1 :] if at is not None else ():
        line = text[a:b].strip()
        if line.isupper() and not found:
            continue  # "CỦA BAN CHẤP HÀNH ĐẢNG BỘ TỈNH": who issued it
        if line.isupper() or not re.search(r"\w", line) or (found and not line[:1].islower()):
            break  # a line in capitals, a rule, or a new sentence ("Căn cứ …", "Trong những năm qua, …")
        found.append(_stripped(text, a, b))
    return found


def _issuer_lines(text: str, lines: list[tuple[int, int]], issuer: list[str]) -> list[tuple[int, int]]:
    """The header line that holds the most of the issuer's name from its start ("CỦA BAN CHẤP HÀNH
    ĐẢNG BỘ TỈNH"), with the next line when that one goes on with it ("ỦY BAN NHÂN DÂN" / "HUYỆN CAN LỘC")."""
    best, at = 0, -1
    for i, (a, b) in enumerate(lines):
        held = _held_from_start(_expanded(text[a:b]).split(), issuer)
        if held > best:
            best, at = held, i
    if best < min(2, len(issuer)):
        return []
    found = [_stripped(text, *lines[at])]
    if best < len(issuer) and at + 1 < len(lines):
        rest = issuer[best:]
        following = _expanded(text[slice(*lines[at + 1])]).split()
        if following[: min(2, len(rest))] == rest[: min(2, len(rest))]:
            found.append(_stripped(text, *lines[at + 1]))
    return found


def _held_from_start(words: list[str], issuer: list[str]) -> int:
    """How many of the issuer's first words the line holds in a row."""
    most = 0
    for i in range(len(words)):
        n = 0
        while n < len(issuer) and i + n < len(words) and words[i + n] == issuer[n]:
            n += 1
        most = max(most, n)
    return most


def _expanded(text: str) -> str:
    """Folded words with the issuers' abbreviations written out ("UBND" → "uy ban nhan dan")."""
    from assistant.retrieve.query import abbreviations

    table = abbreviations()
    return " ".join(folded_words(table.get(w, w)) for w in folded_words(text).split())


def _stripped(text: str, start: int, end: int) -> tuple[int, int]:
    piece = text[start:end]
    return start + len(piece) - len(piece.lstrip()), end - len(piece) + len(piece.rstrip())
