"""Who does what: agencies, their role and their task, read from sentences that open with an agency.

"Trường Chính trị Trần Phú chủ trì, phối hợp với Văn phòng Điều phối Nông thôn mới tỉnh biên
soạn tài liệu ..." gives two responsibilities: the school leads ("chủ trì"), the office
takes part ("phối hợp"), both for the task "biên soạn tài liệu ...". The lexicon lives in
``data/facts.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from functools import lru_cache

from assistant.data import load_yaml
from assistant.facts.text import sentences

_ENUMERATOR = re.compile(r"^\s*(?:\d+(?:\.\d+)*\.|[a-zđ]\)|[-–•])\s*")


@dataclass
class Responsibility:
    """One agency's part in one task, with the sentence it comes from."""

    agency: str
    role: str
    task: str
    doc_id: str
    clause: str
    quote: str
    partners: list[str]
    start: int = 0
    end: int = 0

    def to_json(self) -> dict:
        return asdict(self)


@lru_cache(maxsize=1)
def _lexicon() -> dict:
    data = load_yaml("facts.yaml")
    verbs = sorted(set(data["task_verbs"]) | set(data["roles"]), key=len, reverse=True)
    return {
        "heads": sorted(data["agency_heads"], key=len, reverse=True),
        "roles": sorted(data["roles"].items(), key=lambda kv: -len(kv[0])),
        "verbs": re.compile(r"(?<!\w)(?:" + "|".join(re.escape(v) for v in verbs) + r")(?!\w)"),
        "partners": data["partners"],
    }


def extract_responsibilities(document) -> list[Responsibility]:
    """Every responsibility stated in the document, in reading order.

    A sentence without a subject that follows one with an agency in the same paragraph
    ("Xây dựng kế hoạch ...") is that agency's task too.
    """
    found: list[Responsibility] = []
    previous: tuple[str, list[str], int] | None = None  # (paragraph, agencies, where its sentence starts)
    for sentence in sentences(document):
        text = _ENUMERATOR.sub("", sentence.text, count=1)
        start = sentence.start + (len(sentence.text) - len(text))
        parsed = _parse(text)
        if parsed:
            agencies, role, partners, task = parsed
            previous = (sentence.paragraph, agencies, start)
        elif previous and previous[0] == sentence.paragraph and _starts_with_verb(text):
            # The quote runs from the agency's sentence so that it names who does the task.
            agencies, role, partners, task = previous[1], "thực hiện", [], text.rstrip(" .;")
            start = previous[2]
        else:
            continue
        quote = document.text[start : sentence.end]
        for agency in agencies:
            found.append(
                Responsibility(
                    agency, role, task, document.doc_id, sentence.clause, quote, partners, start, sentence.end
                )
            )
        for partner in partners:
            found.append(
                Responsibility(
                    partner, "phối hợp", task, document.doc_id, sentence.clause, quote, agencies, start, sentence.end
                )
            )
    return found


def _parse(text: str) -> tuple[list[str], str, list[str], str] | None:
    lexicon = _lexicon()
    if not _is_agency(text):
        return None
    verb = _first_verb(text)
    if not verb or verb.start() == 0:
        return None
    agencies = _split_agencies(text[: verb.start()])
    predicate = text[verb.start() :].rstrip(" .;")
    role, predicate = _take_role(predicate)
    partners: list[str] = []
    if predicate.startswith(lexicon["partners"]):
        rest = predicate[len(lexicon["partners"]) :].strip()
        after = _first_verb(rest)
        if after and after.start() > 0:
            partners = _split_agencies(rest[: after.start()], strict=False)
            predicate = rest[after.start() :]
            if role is None:
                role, predicate = _take_role(predicate)
    return agencies, role or "thực hiện", partners, predicate.strip(" ,")


_NOUN_MARKERS = {"các", "những", "của", "một", "mọi"}


def _first_verb(text: str):
    """The first verb used as a verb ("các tổ chức" is a noun, "tổ chức các lớp" is not)."""
    for match in _lexicon()["verbs"].finditer(text):
        before = text[: match.start()].split()
        if not before or before[-1].lower() not in _NOUN_MARKERS:
            return match
    return None


def _take_role(predicate: str) -> tuple[str | None, str]:
    for words, role in _lexicon()["roles"]:
        if predicate.startswith(words):
            rest = predicate[len(words) :].lstrip(" ,")
            return role, rest if rest else predicate
    return None, predicate


def _is_agency(text: str) -> bool:
    """Starts with an agency's name ("Ban Tuyên giáo", but not "Ban hành")."""
    for head in _lexicon()["heads"]:
        if text.startswith(head) and (not head.endswith(" ") or text[len(head) : len(head) + 1].isupper()):
            return True
    return False


def _starts_with_verb(text: str) -> bool:
    verb = _lexicon()["verbs"].match(text[:1].lower() + text[1:])
    return verb is not None


def _split_agencies(subject: str, strict: bool = True) -> list[str]:
    """ "Mặt trận Tổ quốc, các tổ chức chính trị - xã hội" → two agencies; "Các huyện, thành, thị ủy" → one.

    ``strict`` False (a partners' list) splits at every comma that starts a new agency-like piece.
    """
    parts = re.split(r"(,\s+|\s+và\s+)", subject.strip(" ,"))
    agencies: list[str] = []
    for i in range(0, len(parts), 2):
        piece = parts[i]
        starts_new = _is_agency(piece) or (not strict and piece[:1].isupper())
        if agencies and not starts_new:
            agencies[-1] = f"{agencies[-1]}{parts[i - 1]}{piece}"
        else:
            agencies.append(piece)
    return [a.strip() for a in agencies if a.strip()]
