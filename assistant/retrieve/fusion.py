"""Learned fusion: a small listwise logistic combiner that knows, per question, when to trust each side.

Fixed RRF weights treat the dense and the lexical rankings alike on every question. Here each
candidate passage gets a handful of features — its rank and normalised score on each side, the
same at the level of its article (a legal "Điều": its best and next-best passage), whether the
article's heading holds the question's words, how many of the question's syllable pairs (its
words and phrases) the whole article holds — and a few of them are multiplied by signals of
the question itself: its length, the share of its terms that are rare in the corpus, how far the
dense and lexical top tens agree, and the dense score margin. A linear model over these
features, trained with a softmax over each question's candidates (``train``), scores them.

The weights ship as ``assistant/data/fusion.json``; ``ntm eval train-fusion`` retrains them
from a BEIR-style training split (ALQAC train), never from the resolution's questions.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

FEATURES = [
    "r_dense",
    "r_accented",
    "r_folded",  # rrf_k / (rrf_k + rank), 0 when not in that side's top
    "s_dense",
    "s_accented",
    "s_folded",  # score: cosine gap to the best × 10, BM25 / best BM25
    "a_dense",
    "a_accented",
    "a_folded",  # the same score, best passage of the article
    "n_folded",  # the article's next-best folded score (share of the next)
    "heading",  # share (by idf) of the question's terms in the article heading
    "h_cover",
    "h_cover_pairs",  # share (by idf) of the heading's syllables, pairs, asked
    "a_bigrams",  # share (by idf) of the question's syllable pairs held by the article
    "a_bigrams*long",  # the same, trusted more the more pairs a long question gives to share
    "sentence",
    "a_sentence",  # best share of the question's terms in one sentence: passage, article
    "r_dense*agree",
    "r_dense*margin",
    "r_dense*long",
    "r_dense*rare",
    "s_folded*rare",
    "s_accented*long",
]
RRF_K = 20
DEPTH = 50


@dataclass
class Signals:
    """What is known about the question before any passage is scored."""

    long: float  # query length in syllables / 20, capped at 2
    rare: float  # share of the query's syllables found in under 1 % of the passages
    agree: float  # overlap of the dense and folded top tens, 0..1
    margin: float  # (best cosine − 5th best cosine) × 10


def query_signals(
    tokens: list[str], df: dict, n_passages: int, dense_top: list[int], folded_top: list[int], cosines: np.ndarray
) -> Signals:
    words = [t for t in tokens if "_" not in t]
    rare = sum(1 for t in words if df.get(t, 0) < 0.01 * n_passages) / max(len(words), 1)
    agree = len(set(dense_top[:10]) & set(folded_top[:10])) / 10
    margin = float(cosines[0] - cosines[min(4, len(cosines) - 1)]) * 10 if len(cosines) else 0.0
    return Signals(min(len(words) / 20, 2.0), rare, agree, margin)


def candidate_features(
    dense: list[tuple[int, float]],
    accented: np.ndarray | None,
    folded: np.ndarray | None,
    article_of: np.ndarray,
    heading_share: dict[int, float],
    signals: Signals,
    depth: int = DEPTH,
    sentence_of=None,
    bigram_share: dict[int, float] | None = None,
    cover: dict[int, tuple[float, float]] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """(candidate positions, feature matrix) for one question.

    ``dense``: (position, cosine) of the dense top, best first; ``accented``/``folded``: BM25 score of
    every passage (None when the side takes no part); ``article_of``: the article number of every
    passage; ``heading_share``: the heading feature per article number; ``sentence_of``: a passage
    position → its best sentence's share of the question's terms (``sentence_share``);
    ``bigram_share``: the ``a_bigrams`` feature per article number (``article_shares``); ``cover``: the
    ``h_cover`` and ``h_cover_pairs`` features per article number (``heading_covers``).
    """
    ranks, scores = {}, {}
    if dense:
        ranks["dense"] = {p: r for r, (p, _) in enumerate(dense, start=1)}
        best = dense[0][1]
        floor = (dense[-1][1] - best) * 10 - 0.1
        cos = {p: (c - best) * 10 for p, c in dense}
        scores["dense"] = lambda ps, cos=cos, floor=floor: np.array([cos.get(p, floor) for p in ps])
    for name, array in (("accented", accented), ("folded", folded)):
        if array is None or not array.size or array.max() <= 0:
            continue
        top = _top(array, depth)
        ranks[name] = {p: r for r, p in enumerate(top, start=1)}
        peak = float(array.max())
        scores[name] = lambda ps, array=array, peak=peak: array[ps] / peak
    candidates = sorted({p for side in ranks.values() for p in side})
    if not candidates:
        return np.zeros(0, dtype=int), np.zeros((0, len(FEATURES)))
    positions = np.array(candidates)
    columns = {}
    for name in ("dense", "accented", "folded"):
        side = ranks.get(name, {})
        columns[f"r_{name}"] = np.array([RRF_K / (RRF_K + side[p]) if p in side else 0.0 for p in candidates])
        if name in scores:
            s = scores[name](positions)
        else:
            s = np.zeros(len(candidates)) - (1.0 if name == "dense" else 0.0)
        columns[f"s_{name}"] = s
    articles = article_of[positions]
    for name in ("dense", "accented", "folded"):
        columns[f"a_{name}"] = _group_max(articles, columns[f"s_{name}"])
    columns["n_folded"] = _group_second(articles, columns["s_folded"])
    columns["heading"] = np.array([heading_share.get(int(a), 0.0) for a in articles])
    covered = [(cover or {}).get(int(a), (0.0, 0.0)) for a in articles]
    columns["h_cover"] = np.array([c[0] for c in covered])
    columns["h_cover_pairs"] = np.array([c[1] for c in covered])
    columns["a_bigrams"] = np.array([(bigram_share or {}).get(int(a), 0.0) for a in articles])
    columns["sentence"] = np.array([sentence_of(p) for p in candidates]) if sentence_of else np.zeros(len(candidates))
    columns["a_sentence"] = _group_max(articles, columns["sentence"])
    columns["a_bigrams*long"] = columns["a_bigrams"] * signals.long
    columns["r_dense*agree"] = columns["r_dense"] * signals.agree
    columns["r_dense*margin"] = columns["r_dense"] * signals.margin
    columns["r_dense*long"] = columns["r_dense"] * signals.long
    columns["r_dense*rare"] = columns["r_dense"] * signals.rare
    columns["s_folded*rare"] = columns["s_folded"] * signals.rare
    columns["s_accented*long"] = columns["s_accented"] * signals.long
    return positions, np.stack([columns[f] for f in FEATURES], axis=1)


def _top(scores: np.ndarray, n: int) -> list[int]:
    n = min(n, scores.size)
    top = np.argpartition(-scores, n - 1)[:n]
    top = top[np.argsort(-scores[top], kind="stable")]
    return [int(i) for i in top if scores[i] > 0]


def _group_max(groups: np.ndarray, values: np.ndarray) -> np.ndarray:
    best: dict[int, float] = {}
    for g, v in zip(groups.tolist(), values.tolist()):
        best[g] = max(best.get(g, v), v)
    return np.array([best[g] for g in groups.tolist()])


def _group_second(groups: np.ndarray, values: np.ndarray) -> np.ndarray:
    """The second-best value of each group (0 for a group of one)."""
    top: dict[int, list[float]] = {}
    for g, v in zip(groups.tolist(), values.tolist()):
        top.setdefault(g, []).append(v)
    second = {g: sorted(v, reverse=True)[1] if len(v) > 1 else 0.0 for g, v in top.items()}
    return np.array([second[g] for g in groups.tolist()])


class LinearModel:
    """A linear scorer over the named features of a subclass (``features``), stored as JSON."""

    features: list[str] = []

    def __init__(self, weights: dict[str, float], meta: dict | None = None):
        self.weights = weights
        self.meta = meta or {}
        self.vector = np.array([weights.get(f, 0.0) for f in self.features])

    def score(self, features: np.ndarray) -> np.ndarray:
        return features @ self.vector if features.size else np.zeros(0)

    def to_json(self) -> dict:
        return {"features": {f: round(float(w), 5) for f, w in zip(self.features, self.vector)}} | self.meta

    @classmethod
    def from_json(cls, data: dict):
        return cls(data["features"], {k: v for k, v in data.items() if k != "features"})


class FusionModel(LinearModel):
    """The passage scorer over ``FEATURES``."""

    features = FEATURES


@lru_cache(maxsize=1)
def shipped_model() -> FusionModel:
    """The weights shipped with the package (``assistant/data/fusion.json``)."""
    from assistant import data

    return FusionModel.from_json(json.loads(resources.files(data).joinpath("fusion.json").read_text("utf-8")))


def train(
    examples: list[tuple[np.ndarray, np.ndarray]], l2: float = 0.03, steps: int = 600, rate: float = 0.05
) -> FusionModel:
    """Fit the weights: softmax over each question's candidates, cross-entropy against the relevant ones."""
    weights, used = fit_softmax(examples, len(FEATURES), l2, steps, rate)
    return FusionModel(dict(zip(FEATURES, weights.tolist())), {"l2": l2, "steps": steps, "questions": used})


def fit_softmax(
    examples: list[tuple[np.ndarray, np.ndarray]], n_features: int, l2: float, steps: int = 600, rate: float = 0.05
) -> tuple[np.ndarray, int]:
    """Linear weights for a softmax over each example's rows, cross-entropy against its relevant
    rows, and how many examples taught them.

    ``examples``: (feature matrix, 0/1 relevance) per question; questions with no relevant
    candidate teach nothing and are skipped. Full-batch Adam from zero, so the result is reproducible.
    """
    kept = [(x, y / y.sum()) for x, y in examples if y.sum() > 0]
    w = np.zeros(n_features)
    if not kept:
        return w, 0
    x = np.concatenate([x for x, _ in kept])
    y = np.concatenate([y for _, y in kept])
    starts = np.cumsum([0] + [len(t) for t, _ in kept[:-1]])
    segment = np.repeat(np.arange(len(kept)), [len(t) for t, _ in kept])
    m, v = np.zeros_like(w), np.zeros_like(w)
    for step in range(1, steps + 1):
        z = x @ w
        z = np.exp(z - np.maximum.reduceat(z, starts)[segment])
        p = z / np.add.reduceat(z, starts)[segment]
        grad = l2 * w + x.T @ (p - y) / len(kept)
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad**2
        w -= rate * (m / (1 - 0.9**step)) / (np.sqrt(v / (1 - 0.999**step)) + 1e-8)
    return w, len(kept)


def rrf_model(weights: tuple[float, float, float]) -> FusionModel:
    """Plain weighted RRF as a model (for comparison): only the rank features count."""
    w_dense, w_acc, w_fold = weights
    return FusionModel({"r_dense": w_dense, "r_accented": w_acc, "r_folded": w_fold})


def softmax_loss(model: FusionModel, examples) -> float:
    total = 0.0
    for x, y in examples:
        if y.sum() == 0:
            continue
        z = model.score(x)
        total += -math.log(max(float(np.exp(z - z.max())[y > 0].sum() / np.exp(z - z.max()).sum()), 1e-12))
    return total / max(len(examples), 1)


ARTICLE_PREFIXES = ("điều ", "article ")
WHOLE_DOCUMENT_ARTICLE = 40  # a document without "Điều" headings and at most this many passages is one article
# Headings of a document's own parts ("I.", "Chương II", "Mục 1"): such a document is not one article.
_PARTS = re.compile(r"^(?:[IVXLC]+\.\s|chương\s|mục\s|phần\s(?!mở đầu))", re.IGNORECASE)


def articles(chunks: list) -> tuple[np.ndarray, list[str]]:
    """(article number of every passage, heading text of every article).

    A passage's article is the "Điều …" section of its heading path; a short document without
    such sections or parts of its own ("I.", "Chương") — one article per file — is one article
    headed by its first line; otherwise every passage stands alone, headed by nothing (a
    resolution is not one article).
    """
    by_doc: dict[str, list[int]] = {}
    for i, chunk in enumerate(chunks):
        by_doc.setdefault(chunk.doc_id, []).append(i)
    keys: list[tuple] = [()] * len(chunks)
    headings: dict[tuple, str] = {}
    for doc_id, members in by_doc.items():
        sectioned = False
        for i in members:
            section = next((h for h in chunks[i].heading_path if h.lower().startswith(ARTICLE_PREFIXES)), None)
            if section:
                sectioned = True
                keys[i] = (doc_id, section)
                headings.setdefault(keys[i], section)
        parted = any(_PARTS.match(h) for i in members for h in chunks[i].heading_path)
        for i in members:
            if keys[i]:
                continue
            if not sectioned and len(members) <= WHOLE_DOCUMENT_ARTICLE and not parted:
                keys[i] = (doc_id,)
                headings.setdefault(keys[i], chunks[members[0]].text.split("\n", 1)[0])
            else:
                keys[i] = (doc_id, i)
                headings.setdefault(keys[i], "")
    number = {key: n for n, key in enumerate(dict.fromkeys(keys))}
    return np.array([number[key] for key in keys], dtype=int), [headings[key] for key in number]


def heading_shares(tokens: list[str], candidate_articles, article_tokens: list[frozenset], idf) -> dict[int, float]:
    """Per candidate article: the share (by idf) of the question's syllables found in its heading."""
    words = {t for t in tokens if "_" not in t}
    total = sum(idf(t) for t in words)
    if not total:
        return {}
    return {int(a): sum(idf(t) for t in words if t in article_tokens[a]) / total for a in set(candidate_articles)}


_ARTICLE_NUMBER = re.compile(r"^(?:điều|article)\s+\d+\w*\s*[.:]?\s*", re.IGNORECASE)


def heading_cover_tokens(heading: str) -> frozenset:
    """The folded syllables and pairs of an article heading without its "Điều 5." number."""
    from assistant.vietnamese import folded_tokens

    return frozenset(folded_tokens(_ARTICLE_NUMBER.sub("", heading)))


def heading_cover_weights(cover_tokens: frozenset, idf) -> tuple[tuple[list[tuple[str, float]], float], ...]:
    """An article heading's syllables, then its syllable pairs, each with its idf, and their total
    idf: what ``heading_covers`` weighs (the same for every question, so computed once)."""
    weighed = []
    for pairs in (False, True):
        terms = [(t, idf(t)) for t in cover_tokens if ("_" in t) == pairs]
        weighed.append((terms, sum(w for _, w in terms)))
    return tuple(weighed)


def heading_covers(
    tokens: list[str], candidate_articles, cover_tokens: list[frozenset], idf, weighed=None
) -> dict[int, tuple[float, float]]:
    """Per candidate article: the share (by idf) of its heading's syllables, and of its syllable pairs,
    found in the question — how much of what the article is about the question names ("Nghĩa vụ của
    bên nhận cầm cố" against "của bên cầm cố"), where ``heading`` measures the question's side.
    ``weighed``: article number → its ``heading_cover_weights``, when the caller keeps them."""
    weigh = weighed or (lambda a: heading_cover_weights(cover_tokens[a], idf))
    asked = set(tokens)
    out = {}
    for a in set(int(a) for a in candidate_articles):
        shares = []
        for terms, total in weigh(a):
            shares.append(sum(w for t, w in terms if t in asked) / total if total else 0.0)
        out[a] = (shares[0], shares[1])
    return out


def article_shares(tokens: list[str], candidate_articles, article_terms, idf, known) -> dict[int, float]:
    """Per candidate article: the share (by idf) of the question's known syllable pairs found anywhere in it.

    Scored over the whole article, not passage by passage, so an article split into many passages
    is judged on all of its words; pairs, because a Vietnamese word or phrase spans syllables.
    ``article_terms``: article number → the folded terms of its passages.
    """
    pairs = {t for t in tokens if "_" in t and known(t)}
    weights = {t: idf(t) for t in pairs}
    total = sum(weights.values())
    if not total:
        return {}
    out = {}
    for a in set(int(a) for a in candidate_articles):
        terms = article_terms(a)
        out[a] = sum(w for t, w in weights.items() if t in terms) / total
    return out


_SENTENCE_END = re.compile(r"(?<=[.;:!?])\s+|\n+")


@lru_cache(maxsize=65536)
def _sentence_tokens(text: str) -> tuple[frozenset, ...]:
    """Folded syllables and bigrams of each sentence (the text folded once: folding keeps word boundaries)."""
    from assistant.vietnamese import fold, with_bigrams

    return tuple(frozenset(with_bigrams(_WORDS.findall(s))) for s in _SENTENCE_END.split(fold(text)) if s.strip())


_WORDS = re.compile(r"\w+")


def sentence_scorer(tokens: list[str], idf, known):
    """text → the best share (by idf) of the question's known syllables and bigrams held by one of its sentences."""
    weights = {t: idf(t) for t in set(tokens) if known(t)}
    total = sum(weights.values())

    def share(text: str) -> float:
        if not total:
            return 0.0
        return (
            max(
                (sum(w for t, w in weights.items() if t in sentence) for sentence in _sentence_tokens(text)),
                default=0.0,
            )
            / total
        )

    return share
