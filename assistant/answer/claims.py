"""Who a yes/no claim says does a task, checked against the quoted sentence that does it.

"Có phải Sở Nông nghiệp chủ trì soạn tài liệu tập huấn không?" over "Trường Chính trị Trần Phú chủ
trì, phối hợp với Văn phòng Điều phối … biên soạn tài liệu": another body does it, so the claim does
not hold. "mttq có nhiệm vụ giám sát, phản biện đúng ko?" over "Mặt trận Tổ quốc, … thực hiện tốt chức
năng giám sát, phản biện": the body named does it."""

from __future__ import annotations

import re
from functools import lru_cache

from assistant.answer.verify import agencies, content_words, expanded_words
from assistant.data import load_yaml
from assistant.retrieve.query import lexicon_matches
from assistant.vietnamese import fold, has_diacritics, syllables

_WORD = re.compile(r"\w+")


def body_verdict(claim: str, sentences: list[str]) -> str | None:
    """``"no"`` when the body the claim makes the doer is not among the doers of the quoted sentence
    that holds the claimed task, ``"yes"`` when it is one of them, ``None`` when the claim names no
    doer or no quoted sentence names one for that task."""
    expanded = expanded_words(claim, any_case=True)
    named = [fold(body) for body in agencies(expanded)]
    named += [fold(body) for sentence in sentences for body in agencies(sentence)]
    subject = _subject(fold(expanded), named)
    if not subject:
        return None
    task = _task_words(expanded, subject)
    if not task:
        return None
    scored = [(len(task & _held_words(expanded, sentence)) / len(task), sentence) for sentence in sentences]
    share, sentence = max(scored, default=(0.0, ""))
    if share < _cues()["task_share"]:
        return None
    doers, others = _doers(sentence)
    if not doers:
        return None
    if any(_same_body(subject, doer) for doer in doers):
        return "yes"
    if any(_same_body(subject, other) for other in others) and re.search(r"\bphoi hop\b", fold(claim)):
        return None  # "… phối hợp biên soạn tài liệu đúng không?": the body named does take part
    return "no"


def ranked_verdict(claim: str, sentences: list[str]) -> str | None:
    """``"no"`` when the claim makes something the main, core or key one ("coi phát triển du lịch là
    phần cốt lõi", "thiên tai, dịch bệnh là nguyên nhân chính") while every quoted sentence that says
    what the main, core or key one is names something else ("phát triển kinh tế … là nội dung cốt
    lõi", "nguyên nhân chính … do công tác lãnh đạo, chỉ đạo"); ``None`` otherwise."""
    cues = _ranked_cues()
    folded = " ".join(_WORD.findall(fold(expanded_words(claim, any_case=True))))
    said = cues["ranked"].search(folded)
    if said:
        named = _WORD.findall(folded[: said.start()])[-cues["span"] :]
    elif said := cues["ranking"].search(folded):  # "nguyên nhân chính là (do) thiên tai …"
        named = _WORD.findall(folded[said.end() :])[: cues["span"]]
    else:
        return None
    named = [w for w in named if w not in cues["stop"]]
    if not named:
        return None
    rank = re.compile(rf"\b{said.group('rank')}\b")
    ranking = [folded for folded in map(fold, sentences) if rank.search(folded)]
    if ranking and not any(set(named) <= set(_WORD.findall(s)) for s in ranking):
        return "no"
    return None


def names_body(claim: str) -> bool:
    """Whether the claim names a body ("hđnd tỉnh", "Sở Nông nghiệp")."""
    return bool(agencies(expanded_words(claim, any_case=True)))


def _subject(folded: str, named: list[str]) -> str:
    """The body the claim makes the doer: one named first, after nothing but the words that open a
    claim ("nghe nói", "có phải", "có đúng là"), or right after "do" / "bởi" / "by" ("… là do Ủy ban
    xã chỉ đạo")."""
    cues = _cues()
    found = []
    for body in set(named):
        for match in re.finditer(rf"(?<!\w){re.escape(body)}(?!\w)", folded):
            found.append((match.start(), -len(body), body))
    for start, _, body in sorted(found):
        before = _WORD.findall(folded[:start])
        if all(w in cues["openers"] for w in before) or (before and before[-1] in cues["agents"]):
            return body
    return ""


def _task_words(claim: str, subject: str) -> set[str]:
    """The claim's words that say the task: its content words, without the doer's and the words that
    open or close a claim."""
    cues = _cues()
    words = {_bare(w) for w in content_words(claim)} - set(_WORD.findall(subject))
    return {w for w in words if w not in cues["openers"] | cues["fillers"] and not w.isdigit()}


def _held_words(claim: str, sentence: str) -> set[str]:
    """The claim's words the sentence holds: its own, and those of a phrase the sentence says in the
    documents' words ("bám sát, nhắc nhở" of "theo dõi, đôn đốc", ``lexicon.yaml``)."""
    held = {_bare(w) for w in content_words(sentence)}
    said = f" {' '.join(_WORD.findall(fold(sentence)))} "
    words = syllables(claim)
    for start, end, alternatives in lexicon_matches(words, has_diacritics(claim)):
        if any(f" {' '.join(_WORD.findall(fold(a)))} " in said for a in alternatives):
            held |= {_bare(w) for w in words[start:end]}
    return held


def _bare(word: str) -> str:
    return fold(re.sub(r"\d$", "", word))


def _doers(sentence: str) -> tuple[list[str], list[str]]:
    """The bodies a sentence names as doing its task (those before "phối hợp với", "báo cáo" and the
    like) and the others it names."""
    cut = re.search(_cues()["after_doers"], sentence)
    head = sentence[: cut.start()] if cut else sentence
    doers = [fold(body) for body in agencies(head)]
    return doers, [fold(body) for body in agencies(sentence[len(head) :])]


def _same_body(named: str, doer: str) -> bool:
    """Whether the body the claim names is the doer, or a part of its name ("ủy ban tỉnh" in "ủy ban
    nhân dân tỉnh", "mặt trận tổ quốc" in "ủy ban mặt trận tổ quốc")."""
    return set(_WORD.findall(named)) <= set(_WORD.findall(doer))


@lru_cache(maxsize=1)
def _cues() -> dict:
    data = load_yaml("verdicts.yaml")["doers"]
    return {
        "openers": set(data["openers"]),
        "agents": set(data["agents"]),
        "fillers": set(data["fillers"]),
        "after_doers": re.compile(r"\s(?:" + "|".join(data["after_doers"]) + r")\b"),
        "task_share": float(data["task_share"]),
    }


@lru_cache(maxsize=1)
def _ranked_cues() -> dict:
    data = load_yaml("verdicts.yaml")["ranked"]
    heads, ranks = "|".join(data["heads"]), "|".join(data["ranks"])
    return {
        # "là (phần|nội dung) cốt lõi", "là nguyên nhân chính": what is said to be the main one
        "ranked": re.compile(rf"\b(?:la|do|coi la)\s+(?:(?:{heads})\s+)?(?P<rank>{ranks})\b"),
        "ranking": re.compile(rf"\b(?:{heads})\s+(?P<rank>{ranks})\s+(?:la\s+)?(?:do\s+)?"),
        "stop": set(data["stop"]),
        "span": int(data["span"]),
    }
