"""Checks that quoted text holds what a question asks for: a figure in the unit asked, an agency,
a year or a date, a named place, the programme the question names by abbreviation."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from assistant.answer.claims import body_verdict, names_body, ranked_verdict
from assistant.answer.vocabulary import MEASURE_UNITS, YEAR
from assistant.data import load_yaml
from assistant.retrieve.query import Query, Term, abbreviations, answer_length
from assistant.retrieve.rerank import TermWeights, present_terms, term_present
from assistant.vietnamese import fold

_RATING_OR_SHARE = re.compile(r"\bloại\s+\w+|%")
_NUMBER = re.compile(r"(?<![\w/.,-])\d+(?:[.,]\d+)*(?:/\d+)?(?![\w/-])")
_NOT_FIGURE = re.compile(
    r"(?:số|Số)\s+\d+[\w/.-]*|\d{1,2}/\d{1,2}/\d{4}|\b(?:19|20)\d{2}\b|(?:lần thứ|mức độ|khoản|Điều)\s+\d+"
)
_DATE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{4}\b|\b[Nn]gày\s+\d{1,2}\b")
# A document's own date where a sentence cites it ("Quyết định số 2114/QĐ-TTg, ngày 16/12/2020"): it
# answers when the document was issued or signed, and no other "ngày nào".
# A document number's year ("Pháp lệnh … số 15/2004/PL-UBTVQH11") is no date either.
_CITED_DATE = re.compile(r"(?<=/)[\w-]+,?\s*ngày\s+\d{1,2}/\d{1,2}/\d{4}|\b\d+/(?:19|20)\d{2}/[\w-]+")
_ASKS_ISSUED = re.compile(
    r"\b(?:ban hanh|ky|phe duyet|giao|quyet dinh|nghi quyet|ke hoach|van ban|thong tu|chi thi|issued|signed|approved)\b"
)
_ISSUE_VERB = re.compile(r"\b(?:ban hanh|ky|phe duyet|issued|signed|approved)\b")
_QUOTED_NAME = re.compile(r"[“\"«][^”\"»]{6,}[”\"»]")
# how often something is done, folded: "hằng quý", "mỗi năm", "sáu tháng", "định kỳ" (not "thường xuyên")
_PERIOD = re.compile(
    r"\b(?:(?:hang|moi) (?:nam|quy|thang|tuan|ngay|ky)|(?:sau|6|ba|3) thang|dinh ky|\w+ (?:nam|thang) (?:mot|1) lan)\b"
)
_PERSON = re.compile(r"\b(?:ông|bà|đồng chí)\s+[A-ZĐ]\w+\s+[A-ZĐ]\w+")
_IDENTIFIER = re.compile(r"\bsố\s+\d+\s*/|\blần thứ\s+[IVXLC\d]+\b")
# "xã nào", "những huyện nào", "which districts": the kind of place asked for (folded question)
_ASKED_PLACE = re.compile(
    r"\b(xa|huyen|tinh|thon)\s+(?:nao|mo)\b|\bke ten (?:cac |nhung )?(?:\d+ )?(xa|huyen|tinh|thon)\b"
    r"|\bwhich\s+(?:\w+\s+)?(commune|district|province)s?\b"
)
_PLACE_KINDS = {"xa": "xã", "huyen": "huyện", "tinh": "tỉnh", "thon": "thôn"}
_PLACE_KINDS |= {"commune": "xã", "district": "huyện", "province": "tỉnh"}
_ANY_PLACE = ("xã", "huyện", "tỉnh", "thôn", "thị xã", "thành phố")


# "which three districts", "03 huyện nào": so many places, each by its name
_COUNTED_PLACES = re.compile(
    r"\b(?:\d+|hai|ba|bon|nam|two|three|four|five)\s+(?:(?:xa|huyen|tinh|thon)\s+nao|(?:communes|districts|provinces)\b)"
)


def names_place(question: str, text: str) -> bool:
    """Whether quoted text names a place of the kind asked ("xã nào" → "xã Thạch Kim") other than
    those the question names itself ("ngoài Nghi Xuân thì huyện nào …"), or, unless their names are
    asked ("kể tên"), describes them as a group ("các xã chưa đạt chuẩn"); a count ("02 xã kiểu
    mẫu") names none."""
    asked = fold(question).lower()
    found = _ASKED_PLACE.search(asked)
    kinds = [_PLACE_KINDS[next(g for g in found.groups() if g)]] if found else list(_ANY_PLACE)
    pattern = r"\b(?:" + "|".join(kinds) + r")\s+([A-ZĐÂ]\w*(?:\s+[A-ZĐÂ]\w*)*)"
    levels = _levels(asked)
    for m in re.finditer(pattern, text):
        given = _levels(" ".join(re.findall(r"\w+", fold(text[m.end() :]))[: _level_span()]))
        if fold(m.group(1)).lower() not in asked and not (len(levels) == 1 and given and not levels & given):
            return True  # "huyện nâng cao là những huyện nào" is not answered by the model district
    if re.search(r"\b(?:ke ten|liet ke|list|ten (?:cac|nhung|cua)|names?|chi ro|neu ro|cu the)\b", asked) or (
        _COUNTED_PLACES.search(asked)
    ):
        return False  # "kể tên", "liệt kê", "list", "which three districts": the names themselves
    # or the places described as a group: "ưu tiên … các xã, huyện chưa đạt chuẩn"
    return bool(re.search(r"\b(?:các|những)\s+(?:" + "|".join(_ANY_PLACE) + r")\b", text, re.IGNORECASE))


# "thế nào là X?", "định nghĩa về X", "khái niệm X được hiểu …": the X (folded)
_DEFINED = re.compile(
    r"(?:the nao la|dinh nghia|khai niem|meant by|definition of|define)\s+(?:ve\s+|cua\s+)?"
    r"(.+?)\s*(?:\?|,|\.|$|\bla gi\b|\bduoc hieu\b)"
)


def defines(question: str, text: str) -> bool:
    """Whether quoted text says what the question asks the meaning of: "X là …", "X được hiểu là …"
    (the X after "thế nào là", "định nghĩa", "khái niệm"; any "… là …" when none is named)."""
    asked = fold(question).lower()
    found = _DEFINED.search(asked)
    written = fold(text).lower()
    if not found or not found.group(1).strip():
        return bool(re.search(r"\b(?:la|duoc hieu la)\b", written))
    term = re.escape(found.group(1).strip())
    return bool(re.search(rf"{term}\s+(?:la|duoc hieu la|bao gom)\b", written))


def names_another_place(question: str, text: str) -> bool:
    """Whether the question names a place ("huyện Can Lộc") that quoted text does not, while the
    text names another of the same kind ("huyện Nghi Xuân"): asked whether it holds, it does not."""
    for kind in _ANY_PLACE:
        named, quoted = _places_named(question, kind), _places_named(text, kind)
        if named and quoted and not named & quoted:
            return True
    return False


def level_verdict(claim: str, sentences: list[str]) -> str | None:
    """``"no"`` when the claim gives a place it names one level ("huyện Nghi Xuân đạt chuẩn nông thôn mới
    nâng cao") and a quoted sentence gives that place another right after its name ("huyện Nghi Xuân
    đạt chuẩn nông thôn mới kiểu mẫu"); ``None`` otherwise."""
    levels = _levels(fold(claim))
    if len(levels) != 1:
        return None
    for place in set().union(*(_places_named(claim, kind) for kind in _ANY_PLACE)):
        for sentence in map(fold, sentences):
            at = re.search(rf"\b{re.escape(place)}\b", sentence)
            if not at:
                continue
            given = _levels(" ".join(re.findall(r"\w+", sentence[at.end() :])[: _level_span()]))
            if given and not levels & given:
                return "no"
    return None


def _grades(folded: str) -> set[str]:
    """The grades a folded text rates something ("loại khá", "rated 'good'": ``verdicts.yaml``)."""
    grades = load_yaml("verdicts.yaml")["grades"]
    return {
        grade
        for grade, said in grades.items()
        if re.search(rf"\b(?:loai|xep loai|rated|rating|graded|grade)\W+(?:(?:as|at|of|la)\W+)?(?:{said})\b", folded)
    }


def _levels(folded: str) -> set[str]:
    """The standard's levels a folded text names ("nâng cao", "kiểu mẫu": ``verdicts.yaml``)."""
    levels = load_yaml("verdicts.yaml")["levels"]
    return {level for level, said in levels.items() if re.search(rf"\b(?:{said})\b", folded.lower())}


def _level_span() -> int:
    """How many words after a place's name its level is looked for."""
    return int(load_yaml("verdicts.yaml")["level_span"])


def _places_named(text: str, kind: str) -> set[str]:
    """The places of a kind a text names ("huyện Nghi Xuân" → "nghi xuan"), folded."""
    return {fold(m.group(1)).lower() for m in re.finditer(rf"\b{kind}\s+([A-ZĐÂ]\w*(?:\s+[A-ZĐÂ]\w*)*)", text)}


# "nghị quyết này số mấy": the number of a document of that type, not of another one quoted beside it
_ASKED_TYPE = {
    r"\b(?:nghi quyet|nq)\b": "Nghị quyết",
    r"\b(?:quyet dinh|qd)\b": "Quyết định",
    r"\b(?:ke hoach|kh)\b": "Kế hoạch",
    r"\b(?:chi thi|ct)\b": "Chỉ thị",
    r"\b(?:thong bao|tb)\b": "Thông báo",
}


def names_number(question: str, text: str) -> bool:
    """Whether quoted text gives the number asked for: a document's ("số 18-NQ/TU"), of the type of
    document the question names when it names one, or an ordinal ("lần thứ XIX")."""
    asked = fold(question).lower()
    types = [name for pattern, name in _ASKED_TYPE.items() if re.search(pattern, asked)]
    if "lan thu" in asked or "thu may" in asked or not types:
        return bool(_IDENTIFIER.search(text))
    return any(re.search(rf"\b{name}\s+(?:số\s+)?\d", text, re.IGNORECASE) for name in types)


def _has_figure(text: str) -> bool:
    """A measured figure: a percentage, a rating, or a number that is not a year, date or document number."""
    if _RATING_OR_SHARE.search(text):
        return True
    return bool(_NUMBER.search(_NOT_FIGURE.sub(" ", text)))


@lru_cache(maxsize=1)
def _agency_heads() -> list[str]:
    return load_yaml("facts.yaml")["agency_heads"]


@lru_cache(maxsize=1)
def who_answers() -> list[str]:
    """The bodies and people a 'who' question is answered with ("Ban Tuyên giáo", "UBND")."""
    return _agency_heads() + load_yaml("question_kinds.yaml")["who_answers"]


# What a question asks for that only a name answers: a sentence without one cannot answer it, however
# close it is ("Hai xã kiểu mẫu là xã nào?" over "02 xã nông thôn mới kiểu mẫu"), and one is not looked
# for far under the best sentence.
NAMED_KINDS = frozenset({"place", "person", "identifier", "date", "definition"})


def holds_kind(query: Query, text: str) -> bool:
    """Whether quoted text holds what the question asks for."""
    if query.asks("person"):
        return bool(_PERSON.search(text))  # a person's name: the documents seldom give one
    if query.asks("identifier"):
        return names_number(query.text, text)  # "số mấy", "lần thứ mấy": a document number or an ordinal
    if query.asks("place") and not names_place(query.text, text):
        return False  # "kể tên các huyện …", "những xã nào": a list of places is a list of names
    if query.asks("title") and not _QUOTED_NAME.search(text):
        return False  # "phong trào … tên đầy đủ là gì", "những cuộc vận động nào": names the text sets in quotes
    if query.asks("list") or query.asks("task"):
        return True
    if query.asks("who") and not any(actor in text for actor in who_answers()):
        return False
    if query.asks("frequency") and not _PERIOD.search(fold(text)):
        return False  # "bao lâu một lần": "hằng quý, sáu tháng", not "thường xuyên"
    if query.asks("definition") and not defines(query.text, text):
        return False  # "thế nào là hộ nghèo đa chiều?": a sentence that says what it is
    # "công nhận vào ngày nào", "sơ kết vào năm nào" are not answered by the date of a document a
    # sentence cites ("Quyết định số 2114/QĐ-TTg, ngày 16/12/2020")
    folded = fold(query.text)
    if query.asks("date") and not _DATE.search(text if _ASKS_ISSUED.search(folded) else _CITED_DATE.sub("", text)):
        return False
    if query.asks("time") and not YEAR.search(text if _ISSUE_VERB.search(folded) else _CITED_DATE.sub("", text)):
        return False  # "Nghị quyết sẽ được sơ kết vào năm nào?" asks no year of a decision it cites
    if query.asks("date"):
        return True  # "trước ngày mấy": the date, held above, is the figure asked
    if query.asks("quantity") and not _has_figure(text) and not _asks_in_words(folded):
        return False
    return True


# "tỷ lệ … đánh giá thế nào", "… ra sao": how a rate stands, answered in words ("đạt thấp")
_ASSESSED = re.compile(r"\b(?:the nao|ra sao|danh gia|how (?:is|was|are|were|does|do)|assess\w*)\b")


def _asks_in_words(folded_question: str) -> bool:
    return bool(_ASSESSED.search(folded_question)) and not _ASKS_NUMBER.search(folded_question)


_ASKED_UNITS = {
    "%": re.compile(r"\b(phan tram|percent|percentage)\b|%"),
    # "bao nhiêu tỷ" is a sum, "bao nhiêu tỷ lệ" a rate
    "đồng": re.compile(r"\b(trieu dong|ty dong|bao nhieu (tien|trieu|ty(?! l[ei]\b))|vnd|dong tien)\b"),
    "km": re.compile(r"\b(km|kilomet)\b"),
    "mét": re.compile(r"\b(bao nhieu met|met vuong|m2)\b"),
    "tấn": re.compile(r"\bbao nhieu tan\b"),
    "người": re.compile(r"\bbao nhieu nguoi\b"),
}
_QUESTION_NUMBER = re.compile(r"(?<![\d.,/])(\d{1,3})(?![\d.,/%])\s*(?!%|trieu|ty\b|dong)")


@lru_cache(maxsize=1)
def _count_units() -> str:
    """The things counted (``facts.yaml``), folded, as one alternation, longest first."""
    return "|".join(sorted((fold(u) for u in load_yaml("facts.yaml")["count_units"]), key=len, reverse=True))


@lru_cache(maxsize=1)
def _counted() -> re.Pattern:
    return re.compile(r"\b(?:bao nhieu|may)\s+(" + _count_units() + r")\b")


def asks_count(query: Query) -> bool:
    """Whether the question asks how many of a thing ("mấy huyện", "bao nhiêu xã")."""
    return bool(_counted().search(query.asked_folded))


def holds_figures(query: Query, text: str, topics: str = "") -> bool:
    """Whether quoted text holds the unit a question asks in ("bao nhiêu tiền", "mấy km") and the
    small numbers it names ("OCOP 3 sao", "mức độ 4"), or its document's title does (``topics``);
    a question comparing figures is not checked."""
    if query.asks("compare"):
        return True
    folded_question, folded_text = query.asked_folded, fold(text)
    if _asks_a_number(query, folded_question) and not (
        _has_figure(text) or YEAR.search(text) or _SAID_IN_WORDS.search(folded_text)
    ):
        return False  # "học phí … là bao nhiêu" over a sentence with no figure at all, in digits or words
    for unit, pattern in _ASKED_UNITS.items():
        if pattern.search(folded_question) and not pattern.search(folded_text):
            if not re.search(rf"\d[\d.,]*\s*{re.escape(unit)}", text):
                return False  # a figure in the unit, not the word anywhere ("đồng chí" is no sum)
    for m in _counted().finditer(folded_question):
        # "mấy đơn vị" counts whatever the units are ("08/13 huyện, thành phố, thị xã")
        unit = m.group(1) if m.group(1) != "don vi" else _count_units()
        if not re.search(rf"\d[\d.,/]*\s*(?:%\s*(?:so\s+)?)?(?:{unit})\b", folded_text):
            return False  # "mấy huyện" is not answered by a count of communes
    if _YEARLY_CHANGE.search(folded_text) and not _ASKS_CHANGE.search(folded_question):
        return False  # "còn lại bao nhiêu %" is a level, not "giảm bình quân mỗi năm trên 1,5%"
    for m in _PER_HOLDER.finditer(folded_question) if query.asks("quantity") else ():
        holder = m.group(1)
        if m.group(0).startswith("moi") and _EVERY.search(query.text) and not _EACH.search(query.text):
            continue  # "… vậy mọi người?": everyone is asked, not each one ("mọi" folds onto "mỗi")
        each = rf"(?:\b(?:moi|dau|hang|tung) {holder}\b|\bbinh quan\b)"
        if not re.search(rf"/\s*{holder}\b|\b{holder}\s*/|{each}[^.;:]{{0,40}}\d|\d[^.;:]{{0,40}}{each}", folded_text):
            # "mỗi xã có mấy sản phẩm" is not answered by the province's total (nor by the name of
            # the programme "Mỗi xã một sản phẩm" beside it): a figure for each one
            return False
    # "tóm tắt 1 câu", "trong 2-3 ý" say how long the answer should be: no figure asked
    # nor a number of the scene set before the question ("Kế hoạch của xã … 68 triệu …. Nghị quyết … bao nhiêu?")
    told = query.words.told | query.scene if not query.asks("yes_no") else frozenset()
    for m in _QUESTION_NUMBER.finditer(answer_length().sub(lambda m: " " * len(m.group()), folded_question)):
        number = m.group(1)
        if number in told:
            continue  # "tui năm nay năm mươi tuổi …. … thu nhập một người được bao nhiêu": the asker's age
        if number == "1" and _PER_UNIT.match(folded_question, m.end()):
            continue  # "bao nhiêu tiền 1 km": per km
        held = f"{text} {topics}"  # "tiêu chí 17" of a guidance on criterion 17
        rating = _RATING.match(folded_question, m.end())
        if rating and not re.search(rf"(?<![\d.,/])0?{number}\s*(?:sao|stars?)\b", fold(held)):
            return False  # "OCOP 3 sao" is not answered by "3%/năm" beside "4 sao"
        if query.asks("yes_no"):
            continue  # "thu gom 2 lần một tuần thôi phải không?" over "03 lần/tuần": the verdict says no
        # a comma or stop after the number ends it ("mức độ 3, mức độ 4"); with a digit after, it is a decimal
        # or the whole of a count ("mười ba huyện … mấy nơi" over "08/13 huyện"), not a date's month
        if not re.search(
            rf"(?<![\d.,/])0?{number}(?!\d|[.,]\d)|(?<![\d.,/])\d{{1,3}}/0?{number}(?![\d/]|[.,]\d)", held
        ):
            word = _NUMBER_WORDS.get(number)  # "lớp 1" is "lớp một" in a law
            measure = _MEASURE_UNIT.match(folded_question, m.end())
            if not (word and re.search(rf"\b{word}\b", fold(held))) and not (
                measure and within_range(float(number), measure.group(1), fold(held))
            ):
                return False
    return True


# a measure the question states ("mặt rộng 3m", "2 ha"), folded, after its number
_MEASURE_UNIT = re.compile(rf"\s*({MEASURE_UNITS})\b")


def within_range(value: float, unit: str, folded_text: str) -> bool:
    """Whether a text sets a range in the same unit that holds the value ("mặt rộng 3m" in "rộng từ
    2,5 m đến dưới 3,5 m"): a support level or a class is given for a range, not for each figure."""
    figure = rf"(\d+(?:[.,]\d+)?)\s*(?:{unit})?"
    ranges = (
        (rf"\btu {figure} (?:den|toi) (duoi )?{figure}\s*{unit}\b", "between"),
        (rf"\btu {figure}\s*{unit} tro len\b", "from"),
        (rf"\b(?:tren|hon) {figure}\s*{unit}\b", "above"),
        (rf"(?<!den )(?<!toi )\bduoi {figure}\s*{unit}\b", "below"),
    )

    def number(text: str) -> float:
        return float(text.replace(".", "").replace(",", "."))

    for pattern, kind in ranges:
        for m in re.finditer(pattern, folded_text):
            if kind == "between":
                low, below, high = number(m.group(1)), m.group(2), number(m.group(3))
                if low <= value < high or (not below and value == high):
                    return True
            elif kind == "from" and value >= number(m.group(1)):
                return True
            elif kind == "above" and value > number(m.group(1)):
                return True
            elif kind == "below" and value < number(m.group(1)):
                return True
    return False


# A number asked in so many words (a rate alone, "tỷ lệ … thế nào", may be answered in words)
_ASKS_NUMBER = re.compile(r"\b(?:bao nhieu|bn|may|how many|how much|what percentage)\b|%")


def _asks_a_number(query: Query, folded_question: str) -> bool:
    """A number and nothing else: "bao nhiêu", "mấy" asking a quantity, not "lần thứ mấy", "số mấy"
    (a document or an ordinal), nor "với mấy đoàn thể thì phải làm gì" (what they must do)."""
    if not query.asks("quantity") or query.kinds & {"identifier", "task", "list", "who", "yes_no"}:
        return False
    return bool(_ASKS_NUMBER.search(folded_question))


# "một" … "mười", folded: "lớp 1" is written "lớp một"
_NUMBER_WORDS = {str(n): word for n, word in enumerate("mot hai ba bon nam sau bay tam chin muoi".split(), start=1)}
# A number or a whole said in words ("hai nhóm", "toàn bộ", "tất cả các xã")
_SAID_IN_WORDS = re.compile(
    r"\b(?:{}|tram|nghin|ngan|trieu|ty|toan bo|tat ca|hau het|mot nua)\b".format("|".join(_NUMBER_WORDS.values()))
)
# A figure of change each year, and a question that asks for a change or a yearly rate
_YEARLY_CHANGE = re.compile(r"\b(?:giam|tang)\b[^.;]{0,40}\b(?:moi|hang) nam\b")
_ASKS_CHANGE = re.compile(
    r"\b(?:giam|tang|moi nam|hang nam|mot nam|1 nam|binh quan|toc do|per year|each year|a year|every year|"
    r"annual|annually|yearly|come down|go down|cut|reduce|reduced|reduction|decrease|decline|fall|drop|"
    r"grow|growth|increase|rise|how quickly|how fast)\b"
)
# "mỗi xã", "1 hộ", "một người", "mỗi năm": a figure asked for each one of them
_PER_HOLDER = re.compile(
    r"\b(?:moi|1|mot|hang|tung)\s+(xa|huyen|ho|thon|nguoi|tinh|khu dan cu|hop tac xa|doanh nghiep|nam|thang)\b"
)
_EVERY, _EACH = re.compile(r"\b[Mm]ọi\b"), re.compile(r"\b[Mm]ỗi\b")
_RATING = re.compile(r"\s*(?:sao|star)")  # a number that is a rating ("3 sao"), held only as one
_PER_UNIT = re.compile(r"\s*(?:km|ha|m2?|nguoi|ho|xa|san pham|con|tan|kg|lit|nam|thang|tuan|ngay|lan|don vi)\b")


def holds_subjects(terms: list[Term], text: str, weights: TermWeights, common: float = 0.25) -> bool:
    """Whether quoted text speaks of what the question names by abbreviation ("BHYT" → "bảo hiểm
    y tế"), unless that is what nearly every passage speaks of ("NTM")."""
    present = present_terms(text)
    for term in terms:
        if not term.alternatives or term.token not in abbreviations():
            continue
        pairs = [f"{a}_{b}" for alt in term.alternatives for a, b in zip(alt, alt[1:])]
        share = max((weights.df.get(p, 0) for p in pairs), default=0) / weights.n
        if share < common and not term_present(term, present):
            return False
    return True


def _whole_numbers(text: str) -> set[int]:
    """The whole parts of the figures a text states ("10/13" → 10, 13; "7.244" → 7244; "50,1" → 50),
    years, dates and document numbers aside."""
    found = set()
    for token in _NUMBER.findall(_NOT_FIGURE.sub(" ", text)):
        for piece in token.split("/"):
            whole = re.sub(r"\.(?=\d{3}\b)", "", piece).split(",")[0].split(".")[0]
            if whole.isdigit():
                found.add(int(whole))
    return found


def yes_no_verdict(
    query: Query, sentences: list[str], coverage: float = 0.0, unwritten: Sequence[str] = ()
) -> str | None:
    """For a yes/no question that states figures ("… 300 sản phẩm đúng không?"): ``"yes"`` when the
    quoted sentences state every one of them, ``"no"`` when they lack one or name another place than
    the question's ("huyện Can Lộc … đúng không?" over "huyện Nghi Xuân …"). A claim without figures
    is checked for who does the task (``claims.body_verdict``) and, said in Vietnamese, is confirmed
    when the sentences hold all of it (``coverage``, the share of the question they hold) with its
    negations and without a claim of the whole; a claim of a year the documents never write
    (``unwritten``: "hẹn tới năm 2030 mới được công nhận?") over sentences stating their own year
    does not hold. ``None`` when there is nothing to compare (the quote is then given without a
    verdict)."""
    if not query.asks("yes_no"):
        return None
    text = " ".join(sentences)
    asked = _whole_numbers(query.text)
    claim, quoted = _claim(query.text), fold(text).lower()
    cues = _verdict_cues()
    if cues["totality"].search(claim) and _part_of_whole(quoted) and not _whole(quoted):
        return "no"  # "all 13 districts … right?" over "08/13 huyện"; "every household" over "tối thiểu 80%"
    if year_gainsaid(unwritten, sentences):
        return "no"  # "tới năm 2030 mới được công nhận?" over "Phấn đấu đến năm 2025, Hà Tĩnh được công nhận"
    dates = _dates(query.text)
    if dates and _dates(text):
        return "yes" if dates <= _dates(text) else "no"  # "ký ngày 16/12/2021 đúng không?" over "16/12/2020"
    if not asked:
        if names_another_place(query.text, text):
            return "no"
        if cues["denials"].search(quoted) and not cues["negations"].search(claim):
            return "no"  # "well coordinated up to now?" over "quy hoạch … chưa đồng bộ"
        claimed, graded = _grades(claim), _grades(quoted)
        if claimed and graded and not claimed & graded:
            return "no"  # "PCI phải đạt loại tốt?" over "chỉ số năng lực cạnh tranh cấp tỉnh (PCI) đạt loại khá"
        if level_verdict(query.text, sentences) == "no":
            return "no"  # "Nghi Xuân đạt nông thôn mới nâng cao?" over "huyện Nghi Xuân đạt chuẩn … kiểu mẫu"
        if ranked_verdict(query.text, sentences) == "no":
            return "no"  # "du lịch là phần cốt lõi?" over "phát triển kinh tế … là nội dung cốt lõi"
        doer = body_verdict(query.text, sentences)
        if doer == "no":
            return "no"
        if query.mode == "english" or (doer is None and names_body(query.text)):
            return None  # no "yes" in English; "nq này là của hđnd tỉnh ban hành?": a body, not the doer
        return "yes" if _all_held(claim, quoted, coverage) else None
    if not asked <= _whole_numbers(text):
        return "no"
    stated = _per_thing(text)
    if any(stated.get(n) and not things & stated[n] for n, things in _per_thing(query.text).items()):
        return "no"  # "30 triệu/vườn hả?" over "vườn mẫu …: 20 triệu đồng/vườn" and "3 sao: 30 triệu đồng/sản phẩm"
    rated = _rated_shares(text)
    if any(rated.get(share) and not ratings & rated[share] for share, ratings in _rated_shares(query.text).items()):
        return "no"  # "20% of OCOP products reach 5 stars?" over "20% số sản phẩm đạt 4 sao, trên 5% … đạt 5 sao"
    return "yes"


def year_gainsaid(unwritten: Sequence[str], sentences: list[str]) -> bool:
    """Whether a claim names a year the documents never write (``unwritten``) over sentences stating one
    of their own ("tới năm 2030 mới được công nhận?" over "Phấn đấu đến năm 2025, …")."""
    return any(YEAR.fullmatch(word) for word in unwritten) and any(YEAR.search(s) for s in sentences)


# a figure given for each one of a thing ("30 triệu/vườn", "20 triệu đồng/hộ"): the number and the thing
_PER_THING = re.compile(r"(?<![\d.,])(\d+)(?:[.,]\d+)?\s*(?:[^\W\d]+\s*){0,2}/\s*([^\W\d]+)")


def _per_thing(text: str) -> dict[int, set[str]]:
    """Each whole number stated per one of a thing, with the things it is stated for (folded)."""
    found: dict[int, set[str]] = {}
    for number, thing in _PER_THING.findall(fold(text)):
        found.setdefault(int(number), set()).add(thing)
    return found


# a share given for a star rating ("20% số sản phẩm đạt 4 sao", "20% of products reach 5 stars")
_RATED_SHARE = re.compile(r"(?<![\d.,])(\d+(?:,\d+)?)\s*%[^%\d]{0,50}?(?<![\d.,])(\d)\s*(?:sao|stars?)\b")


def _rated_shares(text: str) -> dict[str, set[str]]:
    """Each share stated for a star rating, with the ratings it is stated for."""
    found: dict[str, set[str]] = {}
    for share, rating in _RATED_SHARE.findall(fold(text)):
        found.setdefault(share, set()).add(rating)
    return found


def _all_held(claim: str, quoted: str, coverage: float) -> bool:
    """Whether the quoted sentences hold the whole claim: nearly all its words, each negation it makes
    with the word after it ("không còn đảm bảo", "không có điểm kết thúc"), no "all"/"every", no
    alternative ("… hay chỉ cán bộ chủ chốt?") and nothing asked besides ("… có được bồi dưỡng gì không?")."""
    cues = _verdict_cues()
    if coverage < cues["held"] or any(cues[key].search(claim) for key in ("totality", "alternatives", "open")):
        return False
    negated = re.findall(r"\b(?:khong|chua|chang)\s+\w+", claim)
    return all(re.search(rf"\b{re.escape(phrase)}\b", quoted) for phrase in negated)


def _dates(text: str) -> set[tuple[int, int, int]]:
    """The full dates a text states ("16/12/2020", "ngày 6-5-2023"), as (day, month, year)."""
    return {(int(d), int(m), int(y)) for d, m, y in _FULL_DATE.findall(text)}


_FULL_DATE = re.compile(r"(?<![\d/])(\d{1,2})[/-](\d{1,2})[/-]((?:19|20)\d{2})(?![\d/])")


@lru_cache(maxsize=1)
def _verdict_cues() -> dict:
    """``data/verdicts.yaml``: its word lists as patterns, its question frames as one, the share of a
    claim a confirmation needs."""
    data = load_yaml("verdicts.yaml")
    keys = ("totality", "denials", "negations", "alternatives", "open")
    cues: dict = {key: re.compile(r"\b(?:" + "|".join(data[key]) + r")\b") for key in keys}
    cues["held"] = float(data["held"])
    cues["frames"] = re.compile("|".join(f"(?:{frame})" for frame in data["frames"]))
    return cues


def _claim(question: str) -> str:
    """A yes/no question's claim, folded, without the words that make it a question ("có phải … không")."""
    return _verdict_cues()["frames"].sub(" ", " ".join(re.findall(r"\w+|\?", fold(question).lower())))


_FRACTION = re.compile(r"(?<![\d.,])(\d+)\s*/\s*(\d+)(?![\d.,])")  # "08/13", "171/182"


def _whole(folded: str) -> bool:
    """The whole stated: "100%", "13/13"."""
    return bool(re.search(r"(?<![\d.,])100\s*%", folded)) or any(
        int(part) == int(whole) for part, whole in _FRACTION.findall(folded)
    )


def _part_of_whole(folded: str) -> bool:
    """A share below the whole ("tối thiểu 80%", "trên 95%") or a part of a count ("08/13")."""
    if any(int(part) < int(whole) for part, whole in _FRACTION.findall(folded)):
        return True
    return any(float(share.replace(",", ".")) < 100 for share in re.findall(r"(\d+(?:,\d+)?)\s*%", folded))
