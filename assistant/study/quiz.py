"""Self-study quizzes made from the extracted targets, baselines and responsibilities.

Each question carries its answer, the verbatim sentence it comes from and the clause to
cite. A seed reproduces a quiz; no question is asked twice; wrong choices are drawn from
other figures with the same unit (or other agencies) and never equal the right one.
"""

from __future__ import annotations

import random
import re
from dataclasses import asdict, dataclass, field

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
        question = words["choice"]["responsibility"].format(label=label, role=fact.role, task=_short(fact.task))
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
    """Wrong figures of the answer's form: other figures of the same unit, operator and shape, then
    neighbours of the value (whole numbers for counts, the same "x/13", percentages within 0–100)."""
    right = fact.display()
    if fact.operator == "is":
        options = sorted(f"loại {r}" for r in RATINGS if r != str(fact.value))
        rng.shuffle(options)
        return options[:k]
    pool = facts.targets + facts.baselines
    same_form = sorted(
        {
            f.display()
            for f in pool
            if f.unit == fact.unit
            and f.kind == fact.kind
            and f.operator == fact.operator
            and f.total == fact.total
            and f.value != fact.value
            and _plausible(fact, f.value)
            and _shape(f.display()) == _shape(right)
        }
    )
    rng.shuffle(same_form)
    chosen = same_form[:k]
    neighbours = [
        text
        for text in dict.fromkeys(_with_value(fact, v) for v in _neighbours(fact))
        if text != right and text not in chosen and _shape(text) == _shape(right)
    ]
    rng.shuffle(neighbours)
    return chosen + neighbours[: k - len(chosen)]


def _neighbours(fact) -> list[float]:
    """Values near the answer with its form: whole when it is whole, within its total, 0–100 for %."""
    value = float(fact.value)
    whole = value.is_integer()
    if fact.total is not None:
        step = max(1, round(fact.total / 20))
        candidates = [value + step * d for d in (-4, -3, -2, -1, 1, 2, 3)]
    else:
        candidates = [value * f for f in (0.5, 0.6, 0.7, 0.8, 0.9, 1.1, 1.2, 1.3, 1.5)]
        if value < 10:
            candidates += [value + d for d in (-2, -1, 1, 2, 3)]
    rounded = [float(round(c)) if whole else round(c, 1) for c in candidates]
    return sorted({c for c in rounded if c != value and _plausible(fact, c)})


def _plausible(fact, value) -> bool:
    """Whether a wrong value could be the answer: positive, within the total, a share within 0–100 %,
    whole when the answer is whole."""
    if isinstance(value, str) or value <= 0:
        return False
    if float(fact.value).is_integer() and not float(value).is_integer():
        return False
    if fact.total is not None and value > fact.total:
        return False
    return not (fact.unit.startswith("%") and value > 100)


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


def _short(task: str, words: int = 14) -> str:
    parts = task.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")
