"""Facts extraction (targets, baselines, responsibilities), explainer drafts and the self-study quiz."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest
from conftest import CORPUS
from conftest import ntm as run_ntm

from assistant.criteria.figures import parse_number
from assistant.criteria.sets_loader import get_set
from assistant.facts import extract_facts
from assistant.ingest.document import read_document
from assistant.study.quiz import check_answer, make_quiz

RESOLUTION = CORPUS / "nghi-quyet-tinh-uy-ha-tinh-ntm-2021-2025.txt"


@pytest.fixture(scope="module")
def resolution():
    return read_document(RESOLUTION)


@pytest.fixture(scope="module")
def facts(resolution):
    return extract_facts([resolution])


def test_every_numeric_target_of_I3_is_recovered(facts):
    """Compared with the criteria set built from criteria_keys.md: every numeric rule has its fact."""
    criteria = [c for c in get_set("nq-ha-tinh-2025").criteria if c.kind != "boolean"]
    targets = [t for t in facts.targets if t.clause == "I.3"]
    assert all(t.deadline == "2025" for t in targets)
    for criterion in criteria:
        if criterion.kind == "rank":
            assert any(t.operator == "is" and t.value == "khá" for t in targets), criterion.key
            continue
        match = [t for t in targets if t.value == criterion.target and _same_operator(t, criterion)]
        assert match, (criterion.key, criterion.operator, criterion.target)


def _same_operator(target, criterion) -> bool:
    if target.operator == "between":
        return criterion.operator == ">="
    if target.total is not None:  # "13/13 đơn vị": all of them
        return True
    return target.operator == criterion.operator


def test_figures_and_operators_read_as_written(facts):
    by_indicator = {t.indicator: t for t in facts.targets}
    income = by_indicator["Thu nhập bình quân đầu người khu vực nông thôn"]
    assert (income.operator, income.value, income.unit) == (">=", 60, "triệu đồng/người/năm")
    ocop = next(t for t in facts.targets if "OCOP" in t.indicator)
    assert (ocop.operator, ocop.value) == (">", 200)  # "ít nhất trên 200"
    heritage = next(t for t in facts.targets if t.operator == "between")
    assert (heritage.value, heritage.value_max) == (1, 2)


def test_opening_baselines_are_recovered(facts):
    shown = {(b.display(), b.clause) for b in facts.baselines}
    for value in [
        "171/182 xã",
        "94%",
        "19 xã",
        "2 xã",
        "747 khu dân cư",
        "7.244 vườn mẫu",
        "8/13 huyện",
        "> 35 triệu đồng/năm",
    ]:
        assert (value, "mo-dau") in shown, value


def test_every_item_of_part_IV_has_its_responsibilities(facts):
    duties = {(r.agency, r.role, r.clause) for r in facts.responsibilities}
    expected = [
        ("Các cấp ủy", "lãnh đạo, chỉ đạo", "IV.1"),
        ("Các huyện, thành, thị ủy", "chỉ đạo", "IV.1"),
        ("Đảng đoàn Hội đồng nhân dân tỉnh", "chỉ đạo", "IV.2"),
        ("Ban cán sự đảng Ủy ban nhân dân tỉnh", "chỉ đạo", "IV.2"),
        ("Mặt trận Tổ quốc", "thực hiện", "IV.3"),
        ("các tổ chức chính trị - xã hội", "thực hiện", "IV.3"),
        ("Ban Tuyên giáo Tỉnh ủy", "chủ trì", "IV.4"),
        ("Trường Chính trị Trần Phú", "chủ trì", "IV.5"),
        ("Văn phòng Điều phối Nông thôn mới tỉnh", "phối hợp", "IV.5"),
        ("Văn phòng Tỉnh ủy", "theo dõi, đôn đốc", "IV.5"),
    ]
    for item in expected:
        assert item in duties, item


def test_facts_quote_verbatim_text(resolution, facts):
    for item in facts.targets + facts.baselines + facts.responsibilities:
        assert resolution.text[item.start : item.end] == item.quote


def test_facts_from_a_decree_the_user_adds(tmp_path):
    decree = tmp_path / "quyet-dinh-mau.txt"
    decree.write_text(
        "QUYẾT ĐỊNH\n\nĐiều 1. Mục tiêu\n\n1. Đến năm 2030, tỷ lệ hộ dân sử dụng nước sạch đạt tối thiểu 70%.\n\n"
        "Điều 2. Tổ chức thực hiện\n\n1. Sở Nông nghiệp và Phát triển nông thôn chủ trì, phối hợp với "
        "Sở Tài chính hướng dẫn các huyện triển khai Quyết định này.\n",
        encoding="utf-8",
    )
    facts = extract_facts([read_document(decree)])
    target = facts.targets[0]
    assert (target.operator, target.value, target.unit, target.deadline) == (">=", 70, "%", "2030")
    assert target.clause == "Điều 1 khoản 1"
    duties = {(r.agency, r.role) for r in facts.responsibilities}
    assert ("Sở Nông nghiệp và Phát triển nông thôn", "chủ trì") in duties
    assert ("Sở Tài chính", "phối hợp") in duties


def test_who_and_how_much_questions_get_a_fact_table(corpus_assistant):
    answer, _ = corpus_assistant.ask("Ai chủ trì biên soạn tài liệu tập huấn về nông thôn mới?")
    assert any(row["agency"] == "Trường Chính trị Trần Phú" and row["role"] == "chủ trì" for row in answer.table)
    answer, _ = corpus_assistant.ask("Tỷ lệ tham gia BHYT mục tiêu là bao nhiêu?")
    assert answer.table and answer.table[0]["value"] == "> 95%" and answer.table[0]["clause"] == "I.3"


def _assert_traceable(assistant, draft):
    for source in draft.sources:
        assert assistant.verify_quote(source.doc_id, source.start, source.end, source.quote)
    numbers = {s.n for s in draft.sources}
    cited = [p.n for p in draft.points] + [f["n"] for f in draft.figures] + [r["n"] for r in draft.roles]
    cited += [n for item in draft.faq for n in item["n"]]
    assert set(cited) <= numbers


def test_draft_on_a_free_topic_is_traceable(corpus_assistant):
    from assistant.draft.compose import build_draft
    from assistant.draft.export import to_markdown

    draft = build_draft(corpus_assistant, "môi trường")
    assert 3 <= len(draft.points) <= 7
    assert any("95%" in f["value"] for f in draft.figures)
    assert draft.faq
    _assert_traceable(corpus_assistant, draft)
    text = to_markdown(draft)
    assert "## Căn cứ" in text and "Mục I.3" in text


def test_draft_for_the_public_and_on_a_clause(corpus_assistant):
    from assistant.draft.compose import build_draft

    draft = build_draft(corpus_assistant, "IV", audience="nhan-dan")
    assert draft.title.startswith("Mục IV")
    assert {r["agency"] for r in draft.roles} >= {"Trường Chính trị Trần Phú", "Văn phòng Tỉnh ủy"}
    _assert_traceable(corpus_assistant, draft)
    empty = build_draft(corpus_assistant, "giá vàng hôm nay trên thị trường thế giới")
    assert not empty.found and not empty.sources


def test_draft_docx_has_headings_and_tables(corpus_assistant, tmp_path):
    from docx import Document

    from assistant.draft.compose import build_draft
    from assistant.draft.export import to_docx

    path = to_docx(build_draft(corpus_assistant, "I.3"), tmp_path / "du-thao.docx")
    doc = Document(str(path))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading") or p.style.name == "Title"]
    assert headings[0].startswith("Tài liệu giới thiệu: Mục I.3")
    assert {"Những điểm chính", "Số liệu, chỉ tiêu chủ yếu", "Căn cứ", "Chú thích"} <= set(headings)
    assert doc.tables and doc.tables[0].rows[0].cells[0].text == "Chỉ tiêu"
    assert any("60 triệu" in row.cells[1].text for row in doc.tables[0].rows)
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office:  # where LibreOffice is installed, the file must open and convert cleanly
        subprocess.run(
            [office, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
            capture_output=True,
            timeout=180,
            check=True,
        )
        assert (tmp_path / "du-thao.pdf").stat().st_size > 0


def test_quiz_is_reproducible_unique_and_verifiable(corpus_assistant, resolution):
    facts = corpus_assistant.facts()
    quiz = make_quiz(facts, n=15, seed=7)
    again = make_quiz(facts, n=15, seed=7)
    assert quiz.to_json() == again.to_json() and len(quiz.questions) == 15
    assert len({q.question for q in quiz.questions}) == 15
    assert {q.kind for q in quiz.questions} == {"choice", "fill"}
    for q in quiz.questions:
        assert q.quote in resolution.clause_text(q.clause) or q.quote.strip() in resolution.text
        if q.choices:
            assert q.choices.count(q.answer) == 1 and len(set(q.choices)) == len(q.choices) >= 3
            assert check_answer(q, "ABCD"[q.choices.index(q.answer)])
        if q.source == "responsibility":
            assert q.answer in q.quote
        else:
            numbers = [parse_number(n) for n in re.findall(r"\d+(?:[.,]\d+)*", q.answer)]
            assert all(n is not None for n in numbers)
            assert all(re.search(rf"0*{re.escape(n)}", q.quote) for n in re.findall(r"\d+(?:[.,]\d+)*", q.answer)), (
                q.answer,
                q.quote,
            )
        assert check_answer(q, q.answer)


def test_typed_answers_are_read_leniently(corpus_assistant):
    from assistant.study.quiz import QuizQuestion

    q = QuizQuestion("?", [], "95%", "", "d", "I.3", "", "fill", "target")
    assert check_answer(q, "95 %") and check_answer(q, "95") and not check_answer(q, "85%")
    agency = QuizQuestion("?", [], "Trường Chính trị Trần Phú", "", "d", "IV.5", "", "fill", "responsibility")
    assert check_answer(agency, "truong chinh tri tran phu") and not check_answer(agency, "Văn phòng Tỉnh ủy")
    topical = make_quiz(
        corpus_assistant.facts(), n=5, seed=3, topic="nước sạch", weights=corpus_assistant.term_weights()
    )
    assert topical.questions and all("nước sạch" in q.quote for q in topical.questions)


def test_cli_facts_draft_study(corpus_assistant, own_index, tmp_path):
    def ntm(*args):
        return run_ntm(*args, "--index", own_index)

    facts = json.loads(ntm("facts", "--json").stdout)
    assert {"targets", "responsibilities"} <= set(facts)
    first = facts["targets"][0]
    assert {"indicator", "operator", "value", "unit", "deadline", "scope", "doc_id", "clause", "quote"} <= set(first)
    assert ntm("facts", "--kind", "responsibilities", "--csv").stdout.startswith("kind,doc_id,clause")
    out = tmp_path / "draft.docx"
    assert ntm("draft", "BHYT", "--format", "docx", "-o", str(out)).returncode == 0 and out.stat().st_size > 0
    quiz = json.loads(ntm("study", "quiz", "--n", "3", "--seed", "5", "--json").stdout)
    assert quiz["seed"] == 5 and len(quiz["questions"]) == 3
    assert {"question", "choices", "answer", "explanation", "doc_id", "clause", "quote"} <= set(quiz["questions"][0])
    outline = json.loads(ntm("study", "outline", "--json").stdout)
    assert [o["clause"] for o in outline][:3] == ["mo-dau", "I", "I.1"]
    assert ntm("draft", " ").returncode == 2


def test_draft_outputs_make_their_folder_or_say_why_they_cannot(corpus_assistant, own_index, tmp_path):
    """`-o` in a folder that does not exist yet makes it; a path that cannot be written (a file where a
    folder should be, a folder where the file should be) exits 2 naming it, not 'Lỗi nội bộ'."""

    def ntm(*args):
        return run_ntm(*args, "--index", own_index)

    deck = tmp_path / "chua-co" / "thu-muc" / "ocop.pptx"
    assert ntm("draft", "OCOP", "--format", "pptx", "-o", deck).returncode == 0 and deck.stat().st_size > 0
    blocker = tmp_path / "la-tep.txt"
    blocker.write_text("không phải thư mục", encoding="utf-8")
    for args in (
        ("draft", "OCOP", "--format", "md", "-o", blocker / "x.md"),
        ("draft", "I.3", "--format", "png", "-o", blocker / "the"),
        ("draft", "OCOP", "--format", "docx", "-o", tmp_path),
        ("criteria", "--template", "-o", blocker / "mau.xlsx"),
    ):
        done = ntm(*args)
        assert done.returncode == 2, (args, done.stderr)
        assert "Lỗi nội bộ" not in done.stderr and f"Không ghi được {args[-1]}" in done.stderr, done.stderr
        assert f"cannot write {args[-1]}" in done.stderr and "-o" in done.stderr


def test_follow_up_questions_keep_the_conversation(corpus_assistant):
    first, _ = corpus_assistant.ask("Ai chủ trì biên soạn tài liệu tập huấn về nông thôn mới?")
    assert first.found
    follow, _ = corpus_assistant.ask_in_conversation(
        "còn phối hợp thì sao?", ["Ai chủ trì biên soạn tài liệu tập huấn về nông thôn mới?"]
    )
    assert follow.found and follow.citations[0].clause == "IV.5"
    assert follow.question == "còn phối hợp thì sao?"


def test_figures_in_a_question_are_checked(corpus_assistant):
    result = corpus_assistant.check_figures("BHYT đạt 94%, thu nhập 58 triệu thì đã đạt chưa?")
    statuses = {r.key: r.status for r in result.results}
    assert statuses == {"ty_le_bhyt": "chua_dat", "thu_nhap_binh_quan_nong_thon": "chua_dat"}
    assert corpus_assistant.check_figures("Tỷ lệ tham gia BHYT mục tiêu là bao nhiêu?") is None


def test_agency_answers_must_name_the_agency(facts):
    from assistant.study.quiz import QuizQuestion

    office = QuizQuestion("?", [], "Văn phòng Tỉnh ủy", "", "d", "IV.5", "", "fill", "responsibility")
    for wrong in (
        "Ban cán sự đảng Ủy ban nhân dân tỉnh",
        "Văn phòng Ủy ban nhân dân tỉnh",
        "Ủy ban Kiểm tra Tỉnh ủy",
        "tỉnh ủy",
    ):
        assert not check_answer(office, wrong), wrong
    assert check_answer(office, "van phong tinh uy") and check_answer(office, "Văn phòng Tỉnh ủy Hà Tĩnh")
    coordination = QuizQuestion(
        "?", [], "Văn phòng Điều phối Nông thôn mới tỉnh", "", "d", "IV.5", "", "fill", "responsibility"
    )
    assert check_answer(coordination, "van phong dieu phoi NTM tinh")
    # a picked choice is judged as itself, whatever words it shares with the answer
    choice = QuizQuestion(
        "?",
        ["Ban cán sự đảng Ủy ban nhân dân tỉnh", "Văn phòng Tỉnh ủy", "Các cấp ủy"],
        "Văn phòng Tỉnh ủy",
        "",
        "d",
        "IV.5",
        "",
        "choice",
        "responsibility",
    )
    assert not check_answer(choice, "Ban cán sự đảng Ủy ban nhân dân tỉnh") and check_answer(
        choice, "Văn phòng Tỉnh ủy"
    )


def test_distractors_have_the_answers_form(facts):
    from assistant.study.quiz import _NUMBER

    seen = 0
    for seed in range(6):
        for q in make_quiz(facts, n=40, seed=seed, fill_share=0).questions:
            if q.source == "responsibility" or q.answer.startswith("loại"):
                continue
            seen += 1
            shape = _NUMBER.sub("#", q.answer)
            for choice in q.choices:
                assert _NUMBER.sub("#", choice) == shape, (q.answer, q.choices)
                numbers = [parse_number(n) for n in _NUMBER.findall(choice)]
                if float(parse_number(_NUMBER.findall(q.answer)[0])).is_integer():
                    assert all(float(n).is_integer() for n in numbers), (q.answer, q.choices)
                if re.search(r"\d/\d", q.answer):
                    assert numbers[0] <= numbers[1] == parse_number(_NUMBER.findall(q.answer)[1])
                if choice.endswith("%"):
                    assert 0 < numbers[0] <= 100, (q.answer, q.choices)
    assert seen > 20
    assert "100%" in {t.display() for t in facts.targets} and "≥ 100%" not in {t.display() for t in facts.targets}


def test_wrong_figures_come_from_the_answers_own_indicator_and_scale(facts):
    """A yearly fall of 1,5 % gets other plausible yearly falls (1 %, 2 %, 2,5 %), not other indicators' > 95 %."""
    from assistant.study.quiz import _NUMBER

    seen = 0
    for seed in range(6):
        for q in make_quiz(facts, n=40, seed=seed, fill_share=0).questions:
            if q.source == "responsibility" or q.answer.startswith("loại") or "–" in q.answer:
                continue
            right = parse_number(_NUMBER.findall(q.answer)[0])
            for choice in q.choices:
                value = parse_number(_NUMBER.findall(choice)[0])
                assert right / 3 <= value <= right * 3, (q.answer, q.choices)
            if q.answer == "> 1,5%":
                seen += 1
                assert set(q.choices) - {q.answer} <= {"> 0,5%", "> 1%", "> 2%", "> 2,5%", "> 3%"}, q.choices
    assert seen


def test_questions_are_whole_sentences(facts):
    """Never cut mid-phrase ("kiến thức về nông…?") nor "đôn đốc việc: việc thực hiện"."""
    asked = 0
    for seed in range(6):
        for q in make_quiz(facts, n=40, seed=seed, fill_share=0).questions:
            assert "…" not in q.question and q.question.endswith("?"), q.question
            if q.source != "responsibility":
                continue
            asked += 1
            assert "việc:" not in q.question and "việc việc" not in q.question, q.question
            duty = next(
                d
                for d in facts.responsibilities
                if d.agency == q.answer and d.quote == q.quote and d.role in q.question
            )
            task = duty.task.split(";")[0].strip()
            rest = task[len("việc ") :] if task.lower().startswith("việc ") else task
            assert q.question.lower().endswith(rest.lower() + "?"), (q.question, task)
    assert asked
