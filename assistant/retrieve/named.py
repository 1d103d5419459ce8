"""Which documents a question names: "nghị quyết này", "NQ", "Luật BVMT", "QĐ 1268", "kế hoạch
của xã", "the resolution".

A question that names a document is answered from it (issue: a law's article on the same words
must not answer a question about the resolution's target). A type of document is named by its word
("nghị quyết", "luật") or its abbreviation ("NQ", "QĐ"); words that are also ordinary nouns or verbs
("kế hoạch", "quyết định", "hướng dẫn") only with a sign that a document is meant ("kế hoạch của
xã", "quyết định số 1268", "theo hướng dẫn này"). What follows narrows it: a number, an issuer after
"của", a law's name or its initials ("BVMT"). A question that names nothing in the library, or
every document of it, is not restricted. The words are data (``data/document_header.yaml``,
``question_mentions``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from assistant.data import load_yaml
from assistant.retrieve.words import tag
from assistant.vietnamese import fold


@dataclass(frozen=True)
class Mentions:
    """The words of the header patterns that name a document in a question."""

    always: dict[str, str]  # folded word or abbreviation → type ("nghi quyet" → "Nghị quyết")
    marked: dict[str, str]  # the same, but only with a sign that a document is meant
    after: frozenset[str]  # words after a type that mean a document ("này", "số", "của")
    before: frozenset[str]  # words before it ("theo", "trong")
    which: frozenset[str]  # question words after it: it asks which one ("quyết định nào")
    levels: tuple[tuple[str, int], ...]  # issuer words → the level the document speaks for
    units: tuple[str, ...]  # administrative units, longest first ("thi tran", "xa")
    province: frozenset[str]  # words that name the province ("tinh", "toan tinh")
    bodies: tuple[str, ...]  # kinds of issuing body, folded, longest first ("uy ban nhan dan")


@cache
def _mentions() -> Mentions:
    data = load_yaml("document_header.yaml")
    spoken = data["question_mentions"]
    always = {_key(word): kind for word, kind in spoken["always"].items()}
    marked = {_key(word): kind for word, kind in spoken["with_sign"].items()}
    return Mentions(
        always,
        marked,
        frozenset(_key(w) for w in spoken["sign_after"]),
        frozenset(_key(w) for w in spoken["sign_before"]),
        frozenset(_key(w) for w in spoken["which"]),
        tuple(sorted(((_key(w), int(n)) for w, n in spoken["levels"].items()), key=lambda wn: -len(wn[0].split()))),
        tuple(sorted((_key(u) for u in data["units"]), key=len, reverse=True)),
        frozenset(_key(w) for w in spoken["province"]),
        tuple(sorted((_key(b) for b in data["bodies"]), key=len, reverse=True)),
    )


def type_words() -> dict[str, str]:
    """Every folded word or abbreviation for a document type, with or without a sign ("ke hoach" →
    "Kế hoạch", "nq" → "Nghị quyết")."""
    spoken = _mentions()
    return {**spoken.always, **spoken.marked}


def first_type(question: str) -> str | None:
    """The type of the first document word a question uses, with or without a sign ("Kế hoạch học
    tập NQ … gồm mấy nội dung?" → "Kế hoạch"): what a structure question asks the outline of."""
    folded = f" {folded_words(question)} "
    found = [(folded.find(f" {word} "), kind) for word, kind in type_words().items()]
    found = [(at, kind) for at, kind in found if at >= 0]
    return min(found)[1] if found else None


def folded_words(text: str) -> str:
    """The text's words, folded and lowercase, one space apart, punctuation left out."""
    return " ".join(re.findall(r"\w+", _key(text)))


def _key(text: str) -> str:
    return " ".join(fold(str(text)).lower().split())


@dataclass(frozen=True)
class _Named:
    kind: str  # the document type named ("Luật")
    following: tuple[str, ...]  # the folded words after it, a few


def _named_types(words: list[tuple[str, str]]) -> list[_Named]:
    """The document types the question's words name, each with the words that follow it."""
    spoken = _mentions()
    words = _joined(words, spoken)
    found = []
    for i, (word, _) in enumerate(words):
        kind = spoken.always.get(word)
        after = words[i + 1][0] if i + 1 < len(words) else ""
        before = words[i - 1][0] if i else ""
        if kind is None and word in spoken.marked:
            if after in spoken.after or re.match(r"\d", after) or before in spoken.before:
                kind = spoken.marked[word]
        following = tuple(w for w, _ in words[i + 1 : i + 7])
        if kind is not None and not _asks_which(following):
            found.append(_Named(kind, following))
    return found


def _joined(words: list[tuple[str, str]], spoken: Mentions) -> list[tuple[str, str]]:
    """Two one-syllable words that make a type's name joined ("nghi" "quyet": typed without accents,
    the tagger may cut it), and a type's name cut from the name the tagger joined it to ("Luật Giáo
    dục" is "luat" "giao duc")."""
    out: list[tuple[str, str]] = []
    for word, kind in _type_cut(words, spoken):
        pair = f"{out[-1][0]} {word}" if out else ""
        if out and " " not in out[-1][0] and " " not in word and (pair in spoken.always or pair in spoken.marked):
            out[-1] = (pair, "N")
        else:
            out.append((word, kind))
    return out


def _type_cut(words: list[tuple[str, str]], spoken: Mentions) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for word, kind in words:
        syllables = word.split()
        for n in (2, 1):
            head = " ".join(syllables[:n])
            if len(syllables) > n and (head in spoken.always or head in spoken.marked):
                out += [(head, "N"), (" ".join(syllables[n:]), kind)]
                break
        else:
            out.append((word, kind))
    return out


def _asks_which(following: tuple[str, ...]) -> bool:
    """ "quyết định nào", "quyết định số mấy": the question asks which document, naming none."""
    head = following[1:2] if following[:1] == ("so",) else following[:1]
    return bool(head) and head[0] in _mentions().which


@dataclass(frozen=True)
class Scope:
    """The documents a question is asked of, and how it named them."""

    documents: frozenset[str]
    # Named as documents (their type, number, name): the words that did so need no quoting. Named by
    # a place or level only ("tỉnh", "Hà Tĩnh"), those words still count.
    by_name: bool = True
    # Named by a place only ("ở Thạch Kim"): its documents first, the others when they do not answer
    # (the district's decision sets the support the commune gets).
    soft: bool = False
    # Not named at all: the document the question is surely about (the learned document ranking,
    # ``document_sure``). When it does not answer and another does, the answer says so before
    # quoting the other.
    likely: bool = False


def named_documents(text: str, documents) -> Scope | None:
    """The indexed ``documents`` the question ``text`` (its Vietnamese wording) names; None when it
    names none of them, or all. Where sentences before the one that asks name other documents than
    it does ("kh xã Thạch Kim đòi 97% dân có bhyt. còn nq tỉnh thì chỉ tiêu bhyt là bn %?"), or names
    them by their type where it names others by a place ("The provincial resolution aims for 80% … .
    What does the Thạch Kim commune plan set?"), the question is of those the asking sentence names."""
    words = [(_key(w.text), w.tag) for w in tag(text)]
    scope = _named_in(words, documents)
    ends = [i for i, (word, kind) in enumerate(words[:-1]) if kind == "CH" and word in ".!?"]
    if scope is not None and ends:
        # (not where it names all the question names, or more: it narrows nothing)
        asking = _named_in(words[ends[-1] + 1 :], documents)
        if asking is not None and asking.by_name and not asking.soft and not asking.documents >= scope.documents:
            return asking
    return scope


def _named_in(words: list[tuple[str, str]], documents) -> Scope | None:
    chosen: set[str] = set()
    for named in _named_types(words):
        of_type = [d for d in documents if (d.meta or {}).get("type") == named.kind]
        if not of_type:
            continue
        chosen |= {d.doc_id for d in _narrowed(named, of_type, words)}
    by_name, soft = True, False
    if not chosen:
        spoken = f" {' '.join(w for w, _ in words)} "
        by_place = _of_place(spoken, documents)  # "ở Thạch Kim": the commune's own documents
        # "Kế hoạch NTM nâng cao của xã Thạch Kim": the place's document of the type named, though
        # the type's word came without a sign right after it
        typed = [d for d in by_place if _says_type(spoken, d)]
        chosen = {d.doc_id for d in typed or by_place or _of_level(spoken, documents)}
        by_name, soft = bool(by_place), bool(by_place) and not typed
    if not chosen or len(chosen) == len(documents):
        return None
    return Scope(frozenset(chosen), by_name, soft)


def level(document) -> int:
    """The level a document speaks for, from its issuer: 1 a commune, 2 a district, 3 a province,
    4 the nation (0: not known)."""
    issuer = _key((document.meta or {}).get("issuer", "")).split()
    levels = _mentions().levels  # longest first: "đảng bộ" is no ministry ("bộ")
    found, i = [], 0
    while i < len(issuer):
        match = next(((w, n) for w, n in levels if issuer[i : i + len(w.split())] == w.split()), None)
        if match is None:
            i += 1
            continue
        found.append(match[1])
        i += len(match[0].split())
    return max(found, default=0)


def local_places(documents) -> set[str]:
    """The places below the province the documents are of, as their issuers name them, folded
    ("thach kim", "can loc")."""
    return {p for d in documents if 0 < level(d) < 3 and (p := _place_name(d))}


def _of_place(spoken: str, documents) -> list:
    """The documents of a place the question (its folded words, space-padded) names, as their issuer
    names it ("Thạch Kim", "Can Lộc"); a commune's plan or a district's decision does not speak for
    the province."""
    return [d for d in documents if 0 < level(d) < 3 and (p := _place_name(d)) and f" {p} " in spoken]


def _says_type(spoken: str, document) -> bool:
    """Whether the question (its folded words, space-padded) uses a word for the document's type."""
    kind = (document.meta or {}).get("type")
    return any(f" {word} " in spoken for word, named in type_words().items() if named == kind)


def _of_level(spoken: str, documents) -> list:
    """The province's documents, for a question on the province ("tỉnh", "toàn tỉnh", its name)."""
    provinces = {_place_name(d) for d in documents if level(d) == 3} - {""}
    names = _mentions().province | provinces
    if any(f" {name} " in spoken for name in names):
        return [d for d in documents if level(d) == 3]
    return []


def _place_name(document) -> str:
    """The place a document's issuer names after its unit ("xa thach kim" → "thach kim"), folded."""
    issuer = _key((document.meta or {}).get("issuer", "")).split()
    for unit in _mentions().units:
        parts = unit.split()
        for i in range(len(issuer) - len(parts)):
            if issuer[i : i + len(parts)] == parts and len(issuer) > i + len(parts) + 1:
                return " ".join(issuer[i + len(parts) :])
    return ""


def _narrowed(named: _Named, documents: list, words: list[tuple[str, str]]) -> list:
    """The documents of the named type that what follows the name points at: a number, an issuer
    after "của", a law's name or its initials; all of them when nothing follows that tells."""
    following = " ".join(named.following)
    numbers = re.findall(r"\d+", " ".join(named.following[:3]))
    if numbers:  # "QĐ 2114/QĐ-TTg": that one, or none of the library's
        return [d for d in documents if any(re.match(rf"0*{n}\b", _number(d)) for n in numbers)]
    titled = [d for d in documents if _names_title(d, following, words)]
    if titled:
        return titled
    if named.following[:1] == ("cua",):
        issuer = [w for w in named.following[1:3] if w]
        # "của Thủ tướng": that issuer's, or none of the library's
        return [d for d in documents if issuer and issuer[0] in _key((d.meta or {}).get("issuer", "")).split()]
    return documents


def _number(document) -> str:
    return str((document.meta or {}).get("number", ""))


def _names_title(document, following: str, words: list[tuple[str, str]]) -> bool:
    """Whether the words after the type name the document's title ("bảo vệ môi trường" of "Luật Bảo
    vệ môi trường") or its initials ("bvmt")."""
    title = _key(document.title).split()
    kind = _key((document.meta or {}).get("type", "")).split()
    name = title[len(kind) :] if title[: len(kind)] == kind else title
    if len(name) < 2:
        return False
    phrase = " ".join(name)
    initials = "".join(w[0] for w in name)
    return following.startswith(phrase) or (following.split()[:1] == [initials])


def identity_phrases(documents) -> frozenset[str]:
    """The folded phrases that name these documents as a question would: their type and its
    abbreviations, number, issuer and place ("ke hoach", "kh", "xa thach kim", "thach kim", "45").
    A question holds one where it writes it whole, or its first three words ("đảng bộ tỉnh"), not
    where a syllable of it names something else ("Ban cán sự đảng Bộ NN&PTNT")."""
    found: set[str] = set()
    for document in documents:
        meta = document.meta or {}
        kind = meta.get("type", "")
        names = [kind, meta.get("number", ""), _without_body(meta.get("issuer", "")), meta.get("place", "")]
        names += [word for word, named in type_words().items() if named == kind]
        found |= {folded_words(str(name)) for name in names} - {""}
    return frozenset(found)


def _without_body(issuer: str) -> str:
    """The issuer's own name without the kind of body it is ("Ủy ban nhân dân xã Thạch Kim" → "xã
    Thạch Kim"): "nhân dân", "sở" are words people ask about too."""
    words = _key(issuer).split()
    for body in _mentions().bodies:
        if words[: len(body.split())] == body.split():
            return " ".join(words[len(body.split()) :])
    return " ".join(words)
