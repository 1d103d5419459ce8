"""The learned answer decision: its features, its weights as data, and the rules that stand before it."""

from __future__ import annotations

from assistant.answer import decision
from assistant.answer.evidence import Evidence, decide, ruled_out
from assistant.answer.model import ANSWERED, NOT_FOUND_STATUS, RELATED
from assistant.settings import AnswerSettings


def _evidence(**changes) -> Evidence:
    base = dict(coverage=0.9, dense=0.9, quote_coverage=0.9, sentence_score=2.0, margin=0.5, lead_dense=0.9)
    return Evidence(**(base | changes))


def test_the_shipped_model_weighs_every_feature_the_evidence_gives():
    model = decision.shipped_model()
    assert set(model.weights) == set(decision.FEATURES) == set(_evidence().features())
    assert model.meta["questions"] > 500 and "eval/writers/trainee.jsonl" not in model.meta["trained_on"]


def test_strong_evidence_is_answered_and_weak_evidence_is_related():
    settings = AnswerSettings()
    assert decide(_evidence(), settings) == ANSWERED
    weak = _evidence(quote_coverage=0.2, sentence_score=0.5, margin=-0.3, kind_ok=False, figures_ok=False)
    assert decide(weak, settings) == RELATED
    assert decide(_evidence(coverage=0.1, dense=0.5), settings) == NOT_FOUND_STATUS


def test_names_years_and_nouns_the_documents_never_write_rule_out_an_answer_whatever_the_model_says():
    settings = AnswerSettings()
    for evidence in (
        _evidence(missing=["Tỉnh Nghệ An"], missing_share=1.0, names_missing=True),
        _evidence(missing=["xi", "măng"], missing_share=0.4),
        # today's figure asked, the target quoted (a figure or not: "What was coverage before …?")
        _evidence(frame_ok=False, asked=frozenset({"quantity"})),
        _evidence(frame_ok=False),
    ):
        assert ruled_out(evidence, settings) and decide(evidence, settings) == RELATED
    # a yes/no question on the target ("… đúng không?") is judged by its verdict
    assert not ruled_out(_evidence(frame_ok=False, asked=frozenset({"quantity", "yes_no"})), settings)


def test_training_separates_what_it_is_shown():
    rows = [{"margin": m, "kind_ok": 1.0} for m in (0.5, 0.6, 0.7)] + [
        {"margin": m, "kind_ok": 0.0} for m in (-0.2, -0.1, 0)
    ]
    model = decision.train(rows, [1, 1, 1, 0, 0, 0])
    assert model.probability({"margin": 0.6, "kind_ok": 1.0}) > 0.7 > 0.3 > model.probability({"margin": -0.1})
    assert decision.DecisionModel.from_json(model.to_json()).probability({"margin": 0.6, "kind_ok": 1.0}) > 0.7
