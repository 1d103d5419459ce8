"""Self-study quizzes made from the extracted targets, baselines and responsibilities.

Each question carries its answer, the verbatim sentence it comes from and the clause to
cite. A seed reproduces a quiz; no question is asked twice; wrong choices are the right figure
moved by a step of its own scale (or other agencies) and never equal the right one.
"""

from __future__ import annotations

import hashlib
import math
import random
import re
from dataclasses import asdict, dataclass, field, fields

from assistant.criteria.figures import parse_number
from assistant.data import load_yaml
from assistant.facts.text import capitalised, unbulleted
from assistant.ingest.structure import clause_label
from assistant.vietnamese import fold

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
RATINGS = ["thấp", "trung bình", "khá", "tốt", "rất tốt"]


@dataclass
class QuizQuestion:
    """One question, its answer and where the answer is written."""

    question: str
    choices: list[str]  # empty for a fill-in question
    answer: str
    explanation: str
    doc_id: str
    clause: str
    quote: str
    kind: str = "choice"  # "choice" or "fill"
    source: str = "target"  # "target", "baseline" or "responsibility"
    accepted: list[str] = field(default_factory=list)  # other ways of writing the answer

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> QuizQuestion:
        """A question from ``to_json``; keys it does not know (written by another version) are left out."""
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})

    def key(self) -> str:
        """Names the fact asked whatever the round: its document, clause, sentence and right answer (not
        the wording or the order of the choices, which a seed changes)."""
        parts = "\x1f".join([self.doc_id, self.clause, self.source, self.quote, self.answer])
        return hashlib.sha1(parts.encode("utf-8")).hexdigest()[:20]


@dataclass
class Quiz:
    seed: int
    questions: list[QuizQuestion]

    def to_json(self) -> dict:
        return {"seed": self.seed, "questions": [q.to_json() for q in self.questions]}


def _words() -> dict:
    return load_yaml("study.yaml")


def make_quiz(
    facts, n: int = 10, seed: int | None = None, topic: str | None = None, weights=None, fill_share: float = 0.3
) -> Quiz:
    """``n`` questions (fewer when the documents hold fewer facts), reproducible from ``seed``."""
    seed = random.randrange(1_000_000) if seed is None else seed
    rng = random.Random(seed)
    candidates = [("target", t) for t in facts.targets] + [("baseline", b) for b in facts.baselines]
    candidates += [("responsibility", r) for r in _askable_duties(facts.responsibilities)]
    if topic:
        candidates = [c for c in candidates if _about(c[1], topic, weights)]
    rng.shuffle(candidates)
    questions: list[QuizQuestion] = []
    seen: set[str] = set()
    for source, fact in candidates:
        if len(questions) >= n:
            break
        fill = rng.random() < fill_share
        made = (_fill(source, fact) if fill else None) or _choice(source, fact, facts, rng)
        if made and made.question not in seen:
            seen.add(made.question)
            questions.append(made)
    return Quiz(seed, questions)


def check_answer(question: QuizQuestion, typed: str) -> bool:
    """Whether a typed answer is right: a choice letter, the choice's text, or the value written
    another way ("95 %" = "95%", "bao hiem" without diacritics, "3" = "03")."""
    typed = typed.strip()
    if not typed:
        return False
    if question.choices and len(typed) == 1 and typed.upper() in "ABCDEFGH":
        index = "ABCDEFGH".index(typed.upper())
        return index < len(question.choices) and question.choices[index] == question.answer
    if typed in question.choices:  # a choice picked is judged as itself, never by shared words
        return typed == question.answer
    for expected in [question.answer] + question.accepted:
        if _same(typed, expected, question.source):
            return True
    return False


def _same(typed: str, expected: str, source: str) -> bool:
    squeeze = lambda s: re.sub(r"[\s\"“”'.,:;]+", "", fold(s))  # noqa: E731
    if squeeze(typed) == squeeze(expected):
        return True
    if source == "responsibility":
        return same_agency(typed, expected)
    numbers_expected = [parse_number(x) for x in _NUMBER.findall(expected)]
    numbers_typed = [parse_number(x) for x in _NUMBER.findall(typed)]
    if numbers_expected and numbers_typed == numbers_expected:
        return True
    return not numbers_expected and squeeze(expected) in squeeze(typed)


def same_agency(typed: str, expected: str) -> bool:
    """Whether a typed name names the expected agency: every distinctive word of the name is there
    ("Văn phòng" in "Văn phòng Tỉnh ủy") and at most one word of another agency is added; common words
    such as "tỉnh" or "các" alone never match ("Ban cán sự đảng Ủy ban nhân dân tỉnh" ≠ "Văn phòng Tỉnh ủy")."""
    words = _words()
    filler = {fold(w) for w in words["agency_filler"] for w in w.split()}
    levels = {fold(w) for w in words["agency_levels"] for w in w.split()}
    want, got = _agency_words(expected) - filler, _agency_words(typed) - filler
    distinctive = want - levels
    if not distinctive:
        return want <= got and not (got - want)
    return distinctive <= got and len(got - want) <= 1


def _agency_words(name: str) -> set[str]:
    """The folded words of an agency's name, abbreviations spelled out (UBND → ủy ban nhân dân)."""
    short = {fold(k): v for k, v in load_yaml("abbreviations.yaml").items()}
    out: set[str] = set()
    for word in re.findall(r"[\w-]+", name):
        out.update(re.findall(r"\w+", fold(short.get(fold(word), word))))
    return out


def _askable_duties(duties):
    """Responsibilities with one answer: a task shared by several partners is not asked as "which one"."""
    asked = []
    for duty in duties:
        same = [d for d in duties if d.quote == duty.quote and d.role == duty.role]
        if len(same) == 1:
            asked.append(duty)
    return asked


def _about(fact, topic: str, weights) -> bool:
    if topic.strip() == getattr(fact, "clause", None) or fact.clause.startswith(topic.strip() + "."):
        return True
    from assistant.retrieve.query import analyse
    from assistant.retrieve.rerank import coverage

    terms = analyse(topic).terms()
    if weights is None or not terms:
        return fold(topic) in fold(fact.quote)
    return coverage(terms, fact.quote, weights) >= 0.5


def _choice(source: str, fact, facts, rng: random.Random) -> QuizQuestion | None:
    words = _words()
    label = clause_label(fact.clause)
    explanation = words["explanation"].format(label=label, quote=unbulleted(fact.quote))
    if source == "responsibility":
        answer = fact.agency
        others = sorted(
            {d.agency for d in facts.responsibilities if d.quote != fact.quote and fold(d.agency) != fold(answer)}
        )
        if len(others) < 2:
            return None
        wrong = rng.sample(others, min(3, len(others)))
        question = words["choice"]["responsibility"].format(label=label, role=fact.role, task=_task(fact.task))
    else:
        answer = fact.display()
        wrong = _figure_distractors(fact, facts, rng)
        if len(wrong) < 2:
            return None
        template = words["choice"][source]
        question = template.format(label=label, deadline=fact.deadline or "", indicator=capitalised(fact.indicator))
    choices = wrong + [answer]
    rng.shuffle(choices)
    return QuizQuestion(question, choices, answer, explanation, fact.doc_id, fact.clause, fact.quote, "choice", source)


def _fill(source: str, fact) -> QuizQuestion | None:
    words = _words()
    label = clause_label(fact.clause)
    quote = unbulleted(fact.quote)
    if source == "responsibility":
        answer = fact.agency
    else:
        answer = fact.value_text.strip()
        if fact.operator == "is":
            answer = str(fact.value)
    if not answer or quote.count(answer) != 1:
        return None
    blanked = quote.replace(answer, words["blank"])
    question = words["fill"][source].format(label=label, blanked=blanked)
    explanation = words["explanation"].format(label=label, quote=quote)
    accepted = [fact.display()] if source != "responsibility" else []
    return QuizQuestion(
        question, [], answer, explanation, fact.doc_id, fact.clause, fact.quote, "fill", source, accepted
    )


def _figure_distractors(fact, facts, rng: random.Random, k: int = 3) -> list[str]:
    """Wrong figures of the same indicator and scale: the answer's value moved by a step that fits its
    size (a yearly fall of 1,5 % gets 1 %, 2 %, 2,5 %; 60 triệu gets 50, 70 triệu), in its unit,
    operator and shape — never another indicator's figure, which a reader could rule out by its size."""
    right = fact.display()
    if fact.operator == "is":
        options = sorted(f"loại {r}" for r in RATINGS if r != str(fact.value))
        rng.shuffle(options)
        return options[:k]
    near = [
        text
        for text in dict.fromkeys(_with_value(fact, v) for v in _neighbours(fact))
        if text != right and _shape(text) == _shape(right)
    ]
    closest = near[: k + 1]  # the nearest steps on either side, drawn at random among them
    rng.shuffle(closest)
    return closest[:k]


def _step(value: float, whole: bool, percent: bool) -> float:
    """A step that fits a value's size: 0,5 below 5 (1 for whole numbers); for a percentage 1 below
    10, else 5; otherwise half or one power of ten (50 for 200, 100 for 747, 1.000 for 7.244)."""
    if value < 5:
        return 1.0 if whole else 0.5
    if percent:
        return 1.0 if value < 10 else 5.0
    power = 10 ** math.floor(math.log10(value))
    return power / 2 if value / power < 5 else power


def _neighbours(fact) -> list[float]:
    """Values near the answer, nearest first, with its form: whole when it is whole, within its
    total, 0–100 for % (below 100 for "> x %")."""
    value = float(fact.value)
    whole = value.is_integer()
    if fact.total is not None:
        step = float(max(1, round(fact.total / 20)))
    else:
        step = _step(value, whole, fact.unit.startswith("%"))
    candidates = [value + step * d for d in (-1, 1, -2, 2, -3, 3, -4, 4, 5, 6)]
    rounded = [float(round(c)) if whole else round(c, 2) for c in candidates]
    return [c for c in dict.fromkeys(rounded) if c != value and _plausible(fact, c)]


def _plausible(fact, value) -> bool:
    """Whether a wrong value could be the answer: positive, within the total, a share within 0–100 %,
    whole when the answer is whole."""
    if isinstance(value, str) or value <= 0:
        return False
    if float(fact.value).is_integer() and not float(value).is_integer():
        return False
    if fact.total is not None and value > fact.total:
        return False
    if fact.unit.startswith("%") and (value > 100 or (value == 100 and fact.operator == ">")):
        return False
    return True


def _shape(text: str) -> str:
    """A figure with its numbers blanked: "≥ #%", "#/#  xã"; a wrong choice must have the answer's shape."""
    return _NUMBER.sub("#", text)


def _with_value(fact, value: float) -> str:
    from copy import copy

    other = copy(fact)
    other.value = value
    if fact.operator == ">=" and not fact.display().startswith("≥"):
        other.operator = "="  # "100%" is written without a sign; so are its wrong neighbours
    if other.total is not None:
        other.total = max(other.total, value)
    if other.value_max is not None:
        other.value_max = value + (fact.value_max - fact.value)
    return other.display()


def _task(task: str) -> str:
    """A duty's task as the rest of a question: its first whole clause (up to ";"), never cut inside
    a phrase, without a leading "việc" the template already says, lower-cased as a continuation."""
    clause = task.split(";")[0].strip().rstrip(".,:")
    if fold(clause).startswith("viec "):
        clause = clause[len("việc ") :]
    if len(clause) > 1 and clause[0].isupper() and clause[1].islower():
        clause = clause[0].lower() + clause[1:]
    return clause
