"""Read what a document is from its administrative header: type, number, date, issuer and title.

Every Vietnamese legal document opens the same way: the issuer ("ỦY BAN NHÂN DÂN HUYỆN CAN LỘC")
and its number ("Số: 123/QĐ-UBND") opposite the motto, the place and date ("Can Lộc, ngày 12
tháng 3 năm 2022"), the type line ("QUYẾT ĐỊNH") and the subject ("Về việc …"), then the grounds
("Căn cứ …"). A letter has "V/v …" under its number instead of a type line. The patterns are data
(``assistant/data/document_header.yaml``). The header and the grounds are metadata: the paragraphs
they fill are returned so that they never become passages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from assistant.data import load_yaml
from assistant.ingest.clean import Paragraph

_WINDOW = 16  # the type line (or a letter's "Kính gửi") is looked for among the first paragraphs
_LINE = 200  # a header line is short: a longer paragraph is body text
_SEPARATOR = re.compile(r"\s*(?:\||[-_=.…]{3,})\s*")


@dataclass
class Header:
    """What the header says; empty strings where it says nothing."""

    type: str = ""  # "Quyết định"
    number: str = ""  # "123/QĐ-UBND"
    date: str = ""  # ISO: "2022-03-12"
    place: str = ""  # "Can Lộc"
    issuer: str = ""  # "Ủy ban nhân dân huyện Can Lộc"
    issuer_short: str = ""  # "UBND huyện Can Lộc"
    subject: str = ""  # "Về việc phân công nhiệm vụ …", "Đất đai"
    paragraphs: list[int] = field(default_factory=list)  # the header and grounds: not passages

    @property
    def title(self) -> str:
        """ "Quyết định về việc phân công…", "Luật Đất đai", "Kế hoạch thực hiện…" ("" without a subject)."""
        if not self.type or not self.subject:
            return ""
        subject = self.subject
        if self.type in _patterns().named:
            return f"{self.type} {subject}"
        if self.type == _patterns().letter_type and not subject.lower().startswith("về"):
            subject = f"về việc {subject}"
        return f"{self.type} {_lower_first(subject)}"

    def citation(self, title: str = "") -> str:
        """How a citation names the document: "Quyết định số 123/QĐ-UBND ngày 12/3/2022 của UBND
        huyện Can Lộc", "Luật Đất đai số 45/2013/QH13" ("" without a type and a number)."""
        if not self.type or not self.number:
            return ""
        named = self.type in _patterns().named and (title or self.title)
        text = f"{title or self.title} số {self.number}" if named else f"{self.type} số {self.number}"
        if self.date:
            text += f" ngày {short_date(self.date)}"
        if self.issuer_short and not named:
            text += f" của {self.issuer_short}"
        return text

    def fields(self) -> dict[str, str]:
        """The metadata it gives (only what it found), as a ``.meta.yaml`` would name it."""
        found = {
            "type": self.type,
            "number": self.number,
            "date": self.date,
            "place": self.place,
            "issuer": self.issuer,
            "subject": self.subject,
            "title": self.title,
            "cite_as": self.citation(),
        }
        return {k: v for k, v in found.items() if v}


def short_date(iso: str) -> str:
    """ "2022-03-12" → "12/3/2022" (anything else as it is)."""
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", str(iso))
    return f"{int(m.group(3))}/{int(m.group(2))}/{m.group(1)}" if m else str(iso)


@dataclass(frozen=True)
class _Patterns:
    types: dict[str, str]
    named: frozenset[str]
    letter_type: str
    letter_subject: re.Pattern
    motto: list[re.Pattern]
    number: re.Pattern
    date: re.Pattern
    basis: list[re.Pattern]
    recipients: re.Pattern
    bodies: dict[str, list[str]]
    units: list[str]


@cache
def _patterns() -> _Patterns:
    data = load_yaml("document_header.yaml")
    flags = re.IGNORECASE
    return _Patterns(
        types=dict(sorted(data["types"].items(), key=lambda kv: -len(kv[0]))),
        named=frozenset(data["named_types"]),
        letter_type=data["letter_type"],
        letter_subject=re.compile(data["letter_subject"]),
        motto=[re.compile(p, flags) for p in data["motto"]],
        number=re.compile(data["number"], flags),
        date=re.compile(data["date"], flags),
        basis=[re.compile(p, flags) for p in data["basis"]],
        recipients=re.compile(data["recipients"], flags),
        bodies=dict(sorted(data["bodies"].items(), key=lambda kv: -len(kv[0]))),
        units=sorted(data["units"], key=len, reverse=True),
    )


def read_header(paragraphs: list[Paragraph]) -> Header:
    """The header at the top of a document (an empty ``Header`` when it has none).

    Only a real administrative header (an issuer, a number, a date or the motto above the type
    line, or a letter's number and "V/v") is taken out of the passages: a text that starts at its
    type line keeps its title block, the only place where it says who issued it.
    """
    p = _patterns()
    header = Header()
    texts = [para.text.strip() for para in paragraphs[:_WINDOW]]
    top: list[str] = []  # the header lines above the type line, as segments
    start = None  # index of the type line, or of a letter's "Kính gửi"
    for i, text in enumerate(texts):
        kind = type_key(text)
        if kind:
            start = i
            break
        if (m := p.recipients.search(text)) and header.subject:
            _read_top(header, _segments(text[: m.start()]))  # "…, ngày 5 tháng 4 năm 2023 Kính gửi: …"
            start = i
            break
        segments = _segments(text)
        if len(text) > _LINE * 2 or not all(_is_header_segment(s) for s in segments):
            if i and texts[i - 1] and p.letter_subject.search(texts[i - 1]) and _continues(text):
                header.subject += " " + text  # "V/v …" wrapped onto a line of its own
                continue
            return Header() if i == 0 else _without_title(header, top, i)
        top += segments
        _read_top(header, segments)
    if start is None:
        return Header()
    administrative = bool(header.number or header.date or header.issuer or _has_motto(texts[:start]))
    _set_issuer(header, top)
    if p.recipients.search(texts[start]):  # a letter
        header.type = header.type or p.letter_type
        header.paragraphs = list(range(start + 1)) if administrative and header.number else []
        return header
    after = _read_title(header, paragraphs, start)
    after = _skip_grounds(paragraphs, after)
    if administrative:
        header.paragraphs = list(range(after))
    return header


def _without_title(header: Header, top: list[str], end: int) -> Header:
    """A letter whose body starts right after its header (no "Kính gửi")."""
    if not (header.number and header.subject):
        return Header()
    _set_issuer(header, top)
    header.type = _patterns().letter_type
    header.paragraphs = list(range(end))
    return header


def type_key(text: str) -> str:
    """The type key of a type line ("QUYẾT ĐỊNH", "QUYẾT ĐỊNH:", "LUẬT ĐẤT ĐAI"), else ""."""
    line = text.strip().rstrip(":.").strip()
    if not _is_upper(line) or len(line) > _LINE:
        return ""
    for key in _patterns().types:
        if line == key or line.startswith(key + " "):
            return key
    return ""


def _read_top(header: Header, segments: list[str]) -> None:
    p = _patterns()
    for segment in segments:
        if not header.number and (m := p.number.search(segment)):
            header.number = re.sub(r"\s+", "", m.group(1))
        if not header.date and (m := p.date.search(segment)):
            day, month, year = (int(g) for g in m.groups())
            if 1 <= day <= 31 and 1 <= month <= 12:
                header.date = f"{year:04d}-{month:02d}-{day:02d}"
                header.place = segment[: m.start()].strip(" ,")
        if not header.subject and (m := p.letter_subject.search(segment)):
            header.subject = segment[m.end() :].strip(" .")


def _read_title(header: Header, paragraphs: list[Paragraph], start: int) -> int:
    """Type, issuer-of and subject lines from the type line on; returns the next paragraph."""
    p = _patterns()
    text = paragraphs[start].text.strip().rstrip(":.").strip()
    key = type_key(text)
    header.type = p.types[key]
    rest = text[len(key) :].strip()
    subject: list[str] = []
    if rest.startswith("CỦA "):
        header.issuer = header.issuer or _display(rest[4:])
    elif rest:
        subject.append(rest)
    i = start + 1
    while i < len(paragraphs) and i < start + 6:
        line = paragraphs[i].text.strip()
        upper = _is_upper(line)
        if upper and line.startswith("CỦA ") and not subject:
            header.issuer = header.issuer or _display(line[4:])
        elif _is_grounds(line) or type_key(line) or len(line) > _LINE or _ends_sentence(line):
            break
        elif _looks_numbered(line) or p.recipients.search(line):
            break
        elif upper and subject and not (header.type in p.named and _is_upper(" ".join(subject))):
            break  # the authority under the subject: "CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN …"
        else:
            subject.append(line)
        i += 1
    if subject:
        words = " ".join(subject)
        header.subject = _sentence_case(words) if _is_upper(words) else words
    return i


def _skip_grounds(paragraphs: list[Paragraph], i: int) -> int:
    """Past the lines under the title: the authority ("CHỦ TỊCH ỦY BAN NHÂN DÂN …"), the grounds
    ("Căn cứ …", "Theo đề nghị …", "Quốc hội ban hành …") and the closing type line ("QUYẾT ĐỊNH:")."""
    while i < len(paragraphs):
        line = paragraphs[i].text.strip()
        authority = _is_upper(line) and len(line) < _LINE and not _looks_numbered(line) and not _ends_sentence(line)
        if not (_is_grounds(line) or authority or (type_key(line) and line.endswith(":"))):
            break
        i += 1
    return i


def _continues(line: str) -> bool:
    """A short line that goes on with the one above (a wrapped subject)."""
    return len(line) < _LINE and not _ends_sentence(line) and not _looks_numbered(line)


def _is_grounds(line: str) -> bool:
    return any(pattern.search(line) for pattern in _patterns().basis)


def _looks_numbered(line: str) -> bool:
    from assistant.ingest.clean import STRUCTURAL_START

    return bool(STRUCTURAL_START.match(line))


def _ends_sentence(line: str) -> bool:
    return bool(re.search(r"[.;:!?][\"”’)]*$", line))


def _segments(text: str) -> list[str]:
    """A header paragraph cut into its pieces: table cells, lines merged by a converter, the motto
    taken out ("ỦY BAN NHÂN DÂN HUYỆN CAN LỘC Số: 123/QĐ-UBND" → two pieces)."""
    p = _patterns()
    for motto in p.motto:
        text = motto.sub(" | ", text)
    text = p.number.sub(lambda m: " | " + m.group(0), text)
    text = p.letter_subject.sub(lambda m: " | " + m.group(0), text)
    if m := p.date.search(text):
        place = _place_start(text, m.start())
        text = f"{text[:place]} | {text[place:]}"
    return [s.strip(" .,;:") for s in _SEPARATOR.split(text) if s.strip(" .,;:-–—")]


def _place_start(text: str, date_at: int) -> int:
    """Where the place before "…, ngày" starts: the capitalised words just before the comma."""
    head = text[:date_at].rstrip()
    if not head.endswith(","):
        return date_at
    words = head[:-1].split(" ")
    taken = 0
    for word in reversed(words[-4:]):
        if not word or not word[0].isupper() or (word.isalpha() and word.isupper() and len(word) > 1):
            break
        taken += 1
    return len(" ".join(words[: len(words) - taken])) + (1 if taken < len(words) else 0)


def _is_header_segment(segment: str) -> bool:
    p = _patterns()
    return bool(
        _is_upper(segment)
        or p.number.search(segment)
        or p.date.search(segment)
        or p.letter_subject.search(segment)
        or len(segment) < 3
    )


def _has_motto(texts: list[str]) -> bool:
    return any(m.search(t) for t in texts for m in _patterns().motto)


def _set_issuer(header: Header, top: list[str]) -> None:
    """The issuer: the last capitalised line above the type line, with the line above it when it is
    only a unit and place ("ỦY BAN NHÂN DÂN" / "HUYỆN CAN LỘC")."""
    p = _patterns()
    lines = [s for s in top if _is_upper(s) and not p.number.search(s) and not p.date.search(s)]
    if not lines or header.issuer:
        return
    issuer, above = lines[-1], lines[:-1]
    # "SỞ NÔNG NGHIỆP VÀ" / "PHÁT TRIỂN NÔNG THÔN": a name cut over lines (under its parent body)
    while above and re.search(r"(?:\s(?:VÀ|CỦA)|[,-])$", above[-1]):
        issuer, above = f"{above[-1]} {issuer}", above[:-1]
    if above and any(issuer == u or issuer.startswith(u + " ") for u in p.units):
        issuer = f"{above[-1]} {issuer}"
    header.issuer = _display(issuer)
    header.issuer_short = _display(issuer, short=True)


def _display(capitals: str, short: bool = False) -> str:
    """An issuer in capitals as a sentence writes it: "ỦY BAN NHÂN DÂN HUYỆN CAN LỘC" → "Ủy ban nhân
    dân huyện Can Lộc" (``short``: "UBND huyện Can Lộc")."""
    p = _patterns()
    words = capitals.split()
    out: list[str] = []
    mode = "name-start"  # "place": title case; "name-start": the next word opens a name; "name"
    i = 0
    while i < len(words):
        rest = " ".join(words[i:])
        body = _prefix(rest, p.bodies) if not out else ""  # "ĐẢNG BỘ TỈNH": no "Bộ" inside a name
        unit = _prefix(rest, p.units)
        if body and len(body) > len(unit):
            forms = p.bodies[body]
            out.append(forms[1] if short else forms[0])
            i += len(body.split())
            mode = "place" if "place" in forms[2:] else "name-start"
            continue
        if unit:
            out.append(unit.lower())
            i += len(unit.split())
            mode = "place"
            continue
        word = words[i]
        opens = mode == "name-start" or (mode == "name" and words[i - 1].lower() == "và")
        shown = word.capitalize() if mode == "place" or opens else word.lower()
        out.append(_keep_acronym(word, shown))
        mode = "place" if mode == "place" else "name"
        i += 1
    shown = " ".join(out)
    return shown[:1].upper() + shown[1:]


def _prefix(text: str, keys) -> str:
    """The longest key that ``text`` starts with as whole words ("" for none)."""
    return next((k for k in keys if text == k or text.startswith(k + " ")), "")


def _sentence_case(capitals: str) -> str:
    """ "ĐẤT ĐAI" → "Đất đai"; acronyms such as "NTM" stay."""
    words = capitals.split()
    return " ".join(_keep_acronym(w, w.lower().capitalize() if n == 0 else w.lower()) for n, w in enumerate(words))


def _keep_acronym(word: str, shown: str) -> str:
    vowels = set("aăâeêioôơuưyáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ")
    return word if word.isupper() and not (set(word.lower()) & vowels) else shown


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if len(text) > 1 and not text[1:2].isupper() else text


def _is_upper(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)
