"""Optional answers in the model's own words, shown only as far as the cited text supports them.

``build_llm`` returns llama-index's ``OpenAILike`` for any OpenAI-compatible server (Ollama's
``/v1``, llama.cpp's server, vLLM) when ``NTM_LLM_URL`` is set. ``GroundedWriter`` gives the model
the numbered sentences the answer step chose (and the criteria engine's result when a question
gives figures), streams its answer, checks each sentence as it completes (``verify.py``) and
passes on only those that hold. When what is left does not answer, or the server fails, the
extractive answer stands, saying why.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from assistant import errors
from assistant.answer.model import NOT_FOUND_STATUS, RELATED, Answer
from assistant.answer.verify import Check, check_rewrite, check_sentence, split_sentences, take_sentences
from assistant.criteria.result import CriteriaResult
from assistant.data import load_yaml
from assistant.settings import Settings

MAX_SENTENCES = 4  # sentences read from the model before the stream is closed


def prompts() -> dict:
    """The model's prompts and the notes shown around its answers (``data/prompts.yaml``)."""
    return load_yaml("prompts.yaml")


def build_llm(settings: Settings):
    """The llama-index LLM for the configured server, or None when no server is configured."""
    if not settings.llm_url:
        return None
    try:
        from llama_index.llms.openai_like import OpenAILike
    except ImportError as exc:
        raise errors.MissingExtra("llama-index-llms-openai-like", "llm") from exc
    # Retries would multiply the wait; a failed call falls back to the quotes at once.
    return OpenAILike(
        model=settings.llm_model or "default",
        api_base=settings.llm_url.rstrip("/"),
        api_key=settings.llm_api_key or "none",
        timeout=settings.llm_timeout,
        max_retries=0,
        # a client per request: a stream abandoned by one (a malformed body, a rewrite cut short)
        # never closes the connection pool another request is using
        reuse_client=False,
        is_chat_model=True,
        context_window=4096,
        max_tokens=256,
        temperature=0.0,
    )


class ModelFailure(Exception):
    """The model server could not give an answer: ``reason`` is timeout, connection, malformed or error."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}")
        self.reason = reason


def _reason(exc: Exception) -> str:
    """What went wrong with the server, from the OpenAI client's exception classes (by name: the
    client is imported only with the backend)."""
    names = {cls.__name__ for cls in type(exc).__mro__}
    if "APITimeoutError" in names or isinstance(exc, TimeoutError):
        return "timeout"
    if "APIConnectionError" in names or isinstance(exc, ConnectionError):
        return "connection"
    if "APIStatusError" in names:
        return "error"
    return "malformed"  # a body that is not a chat completion


def stream_text(llm, messages, timeout: float) -> Iterator[str]:
    """The model's answer, piece by piece; every failure becomes a ``ModelFailure``."""
    deadline = time.monotonic() + timeout
    written = False
    stream = None
    try:
        stream = llm.stream_chat(messages)
        for chunk in stream:
            if not isinstance(getattr(chunk, "delta", ""), (str, type(None))):
                raise ModelFailure("malformed", "delta is not text")
            written = written or bool((chunk.delta or "").strip())
            yield chunk.delta or ""
            if time.monotonic() > deadline:  # a server trickling tokens for ever
                raise ModelFailure("timeout", f"over {timeout:g} s")
        if not written:
            raise ModelFailure("malformed", "no text in the completion")
    except ModelFailure:
        raise
    except Exception as exc:  # the client's errors, and whatever a broken body makes it raise
        raise ModelFailure(_reason(exc), str(exc)) from exc
    finally:
        # Closed here, not by the garbage collector: a response stream left open is closed whenever
        # the collector runs, and then takes its client's connection-pool lock, which a request in
        # progress on the same thread may hold (a deadlock seen in the test suite).
        close = getattr(stream, "close", None)
        if close is not None:
            close()


def _messages(kind: str, **values):
    from llama_index.core.llms import ChatMessage

    prompt = prompts()[kind]
    return [
        ChatMessage(role="system", content=prompt["system"].format(**values)),
        ChatMessage(role="user", content=prompt["user"].format(**values)),
    ]


def criteria_lines(checked: CriteriaResult | None) -> list[str]:
    """The criteria engine's result for the figures a question gives, one evidence line per criterion."""
    if not checked:
        return []
    p = prompts()["answer"]
    return [
        p["criterion"].format(
            name=r.name, value=r.value_text or r.value, rule=r.rule, status=p["statuses"].get(r.status, r.status)
        )
        for r in checked.results
    ]


@dataclass
class GroundedWriter:
    """Rewrites a cited answer in the model's words, keeping only the sentences the evidence supports."""

    llm: object
    model: str = ""
    timeout: float = 60.0
    min_support: float = 0.8

    @classmethod
    def from_settings(cls, settings: Settings) -> GroundedWriter | None:
        """The writer for the configured model server, or None when none is configured."""
        llm = build_llm(settings)
        if llm is None:
            return None
        return cls(llm, settings.llm_model, settings.llm_timeout, settings.llm_min_support)

    def write(self, answer: Answer, computed: Sequence[str] = ()) -> Answer:
        """The answer in the model's words, or the extractive one with a note saying why not."""
        final = answer
        for item in self.stream(answer, computed):
            if isinstance(item, Answer):
                final = item
        return final

    def stream(self, answer: Answer, computed: Sequence[str] = ()) -> Iterator[str | Answer]:
        """The verified text so far, each time a sentence passes; last, the final ``Answer``."""
        if answer.status == NOT_FOUND_STATUS or not answer.citations:
            yield answer  # nothing to rephrase: the plain "not found" says it best
            return
        evidence = {c.n: c.quote for c in answer.citations}
        for line in computed:
            evidence[len(evidence) + 1] = line
        numbered = "\n".join(f"[{n}] {text}" for n, text in evidence.items())
        messages = _messages("answer", evidence=numbered, question=answer.question)
        lead = f"{answer.lead} " if answer.status == RELATED and answer.lead else ""
        kept: list[str] = []
        dropped: list[Check] = []
        info: dict[str, Any] = {
            "model": self.model,
            "generated": 0,
            "computed": [{"n": n, "text": t} for n, t in evidence.items() if n > len(answer.citations)],
        }

        def judge(sentences: list[str]) -> bool:
            verdicts = [check_sentence(s, evidence, answer.language, self.min_support) for s in sentences]
            passed = [v.sentence for v in verdicts if v.ok]
            info["generated"] += len(sentences)
            kept.extend(passed)
            dropped.extend(v for v in verdicts if not v.ok)
            return bool(passed)

        buffer = ""
        try:
            for piece in stream_text(self.llm, messages, self.timeout):
                buffer += piece
                sentences, buffer = take_sentences(buffer)
                if sentences and judge(sentences):
                    yield lead + " ".join(kept)
                if info["generated"] >= MAX_SENTENCES:
                    buffer = ""  # the prompt asks for three at most: the rest is the model rambling
                    break
        except ModelFailure as failure:
            note = prompts()["notes"]["failed"].format(reason=prompts()["notes"]["reasons"][failure.reason])
            yield _fallback(answer, dropped, dict(info, note=note, error=failure.reason))
            return
        rest = split_sentences(buffer)
        if rest and judge(rest):
            yield lead + " ".join(kept)
        if not kept or not _answers(answer, " ".join(kept)):
            yield _fallback(answer, dropped, dict(info, note=prompts()["notes"]["fallback"]))
            return
        written = copy.copy(answer)
        written.answer = " ".join([lead + " ".join(kept)] + answer.notes)
        written.mode, written.dropped = "llm", [d.to_json() for d in dropped]
        notes = prompts()["notes"]
        note = notes["partly"].format(dropped=len(dropped)) if dropped else notes["checked"]
        written.llm = dict(info, note=note)
        yield written

    def rewrite(self, text: str, audience: str) -> tuple[str, Check | None]:
        """A draft's point in plain words for the audience, or the point itself with the failed check."""
        who = prompts()["rewrite"]["audiences"].get(audience, audience)
        written = ""
        try:
            for piece in stream_text(self.llm, _messages("rewrite", audience=who, point=text), self.timeout):
                written += piece
                if len(take_sentences(written)[0]) >= 2:  # asked for one or two: the rest is rambling
                    break
        except ModelFailure as failure:
            return text, Check("", failure.reason)
        written = " ".join(split_sentences(written)[:2])
        verdict = check_rewrite(text, written, self.min_support)
        return (written, None) if verdict.ok else (text, verdict)


def _answers(answer: Answer, text: str) -> bool:
    """Whether what is left still holds what was asked (a figure, an agency, a year)."""
    from assistant.answer.evidence import holds_kind
    from assistant.retrieve.query import analyse

    return holds_kind(analyse(answer.question), text)


def _fallback(answer: Answer, dropped: list[Check], info: dict) -> Answer:
    fallback = copy.copy(answer)
    fallback.mode, fallback.dropped, fallback.llm = "extractive", [d.to_json() for d in dropped], info
    return fallback


def rewrite_points(writer: GroundedWriter, draft) -> list[dict]:
    """Rewrites a draft's key points in place ("viết lại dễ hiểu"); a rewrite that changes or drops a
    figure, or drops or adds an agency, is rejected and the verbatim point kept (listed in the result)."""
    from assistant.facts.text import capitalised

    rejected = []
    for point in draft.points:
        text, failed = writer.rewrite(point.text, draft.audience)
        if failed is None:
            point.text = capitalised(text)
        else:
            rejected.append(
                {
                    "n": point.n,
                    "point": point.text,
                    "rewrite": failed.sentence,
                    "reason": failed.reason,
                    "detail": failed.detail,
                }
            )
    return rejected
