"""A draft as editable sections of plain-text items: built from a real draft over the real index,
edited as a person would, and written back to Markdown and DOCX with every citation kept."""

from __future__ import annotations

import re

import pytest


@pytest.fixture
def environment_draft(corpus_assistant):
    from assistant.draft.compose import build_draft

    return build_draft(corpus_assistant, "môi trường")


def test_sections_hold_the_draft_as_plain_text_with_its_citations(environment_draft):
    from assistant.draft.export import to_markdown
    from assistant.draft.sections import from_draft
    from assistant.draft.sections import to_markdown as sections_markdown

    sections = from_draft(environment_draft)
    assert [s.key for s in sections.sections][:2] == ["points", "figures"]
    texts = sections.texts()
    assert texts[:2] == [environment_draft.title, environment_draft.intro]
    # No Markdown in what a person edits: no marks, bars, stars or list dashes.
    assert not any(re.search(r"\[\d+\]|\||\*\*|^[-#] ", t) for t in texts)
    points = sections.section("points").items
    assert [p.fields[0] for p in points] == [p.text for p in environment_draft.points]
    assert [p.cites for p in points] == [[p.n] for p in environment_draft.points]
    first = next(source for source in environment_draft.sources if source.n == points[0].cites[0])
    assert sections.label(points[0]) == f"(Nguồn: {first.label})"
    # Unedited, the sections give the draft's own Markdown: nothing renumbered, nothing lost.
    assert sections_markdown(sections) == to_markdown(environment_draft)
    assert sections.with_texts(texts) == sections


def test_an_edited_item_keeps_its_citation_in_markdown_and_docx(environment_draft, tmp_path):
    from docx import Document

    from assistant.draft.export import markdown_to_docx
    from assistant.draft.sections import from_draft, to_markdown

    sections = from_draft(environment_draft)
    texts = sections.texts()
    first = texts.index(sections.section("points").items[0].fields[0])
    texts[first] = "Xã Thạch Hà  phấn đấu\nxử lý nước thải cho 80% số hộ"  # a line break typed in the box
    edited = sections.with_texts(texts)
    assert edited.section("points").items[0].fields == ["Xã Thạch Hà phấn đấu xử lý nước thải cho 80% số hộ"]
    markdown = to_markdown(edited)
    assert "- Xã Thạch Hà phấn đấu xử lý nước thải cho 80% số hộ [1]" in markdown
    path = markdown_to_docx(markdown, tmp_path / "du-thao.docx")
    paragraph = next(p for p in Document(str(path)).paragraphs if "Xã Thạch Hà" in p.text)
    assert paragraph.runs[-1].text == "[1]" and paragraph.runs[-1].font.superscript
    # The point no longer says what its source says: the note quotes the source (unedited, it did not).
    source = next(s for s in environment_draft.sources if s.n == sections.section("points").items[0].cites[0])
    assert f"1. {source.doc_title}, {source.label}: “{source.quote}”" in markdown
    assert f"“{source.quote}”" not in to_markdown(sections)
    with pytest.raises(ValueError):
        sections.with_texts(texts[:-1])


def test_removing_moving_and_adding_items_renumbers_the_notes(environment_draft):
    from assistant.draft.sections import add_item, from_draft, move_item, remove_item, to_markdown

    sections = from_draft(environment_draft)
    points = sections.section("points").items
    moved = move_item(sections, "points", 0, 1)
    assert moved.section("points").items[:2] == [points[1], points[0]] and moved.open == "points"
    assert move_item(sections, "points", 0, -1).section("points").items == points  # already first
    # The second point moved first is now note 1 (the body quotes it: the note names its clause only).
    second = next(s for s in environment_draft.sources if s.n == points[1].cites[0])
    assert f"\n1. {second.doc_title}, {second.label}\n" in to_markdown(moved)

    only_cited_once = [
        p
        for p in points
        if all(p.cites != other.cites for s in sections.sections for other in s.items if other is not p)
    ]
    assert only_cited_once, "a point whose source nothing else cites"
    index = points.index(only_cited_once[0])
    quote = next(s.quote for s in environment_draft.sources if s.n == points[index].cites[0])
    fewer = remove_item(sections, "points", index)
    markdown = to_markdown(fewer)
    assert quote not in markdown  # its note went with it
    notes = re.findall(r"^(\d+)\. ", markdown.split("## Chú thích")[1], re.M)
    assert [int(n) for n in notes] == list(range(1, len(environment_draft.sources)))  # 1..n-1, no gap

    added = add_item(sections, "faq")
    new = added.section("faq").items[-1]
    assert new.fields == ["", ""] and new.cites == [] and added.label(new) == ""
    texts = added.texts()
    texts[-2:] = ["Bà con cần làm gì?", "Phân loại rác tại nhà."]
    assert "**Đáp:** Phân loại rác tại nhà.\n" in to_markdown(added.with_texts(texts))


def test_a_draft_on_nothing_has_no_sections(corpus_assistant):
    from assistant.draft.compose import build_draft
    from assistant.draft.sections import from_draft, to_markdown

    sections = from_draft(build_draft(corpus_assistant, "giá vàng hôm nay trên thị trường thế giới"))
    assert sections.sections == [] and sections.empty
    assert to_markdown(sections).startswith("# ") and "Không tìm thấy" in to_markdown(sections)


# "Chương trình Mỗi xã một sản phẩm" is what OCOP stands for; the resolution's tasks part (II.2.1)
# names it in this sentence, with the craft villages.
OCOP_TASK = (
    "Phát triển ngành nghề nông thôn, sản phẩm truyền thống gắn với thực hiện Chương trình Mỗi xã một sản phẩm "
    "theo hướng khai thác hiệu quả tiềm năng, lợi thế của từng địa phương; quan tâm khôi phục, phát triển các "
    "làng nghề truyền thống; chú trọng phát triển du lịch sinh thái, du lịch trải nghiệm nông thôn, tạo nhiều "
    "việc làm, tăng thu nhập cho người dân."
)


def _parts(markdown: str) -> dict[str, str]:
    """The Markdown's "## " sections by heading."""
    return {part.split("\n", 1)[0]: part for part in markdown.split("\n## ")[1:]}


def test_a_topic_draft_gathers_every_part_and_states_each_figure_once(corpus_assistant):
    """An OCOP explainer reads like a "đề cương tuyên truyền": the tasks part's sentence on the
    programme among at least three points, the targets in the table only, a FAQ that points at the
    table's rows, and notes that do not quote again what the body quotes."""
    from assistant.draft.compose import build_draft
    from assistant.draft.export import to_markdown

    draft = build_draft(corpus_assistant, "OCOP")
    assert len(draft.points) >= 3
    task = next(p for p in draft.points if p.text == OCOP_TASK)
    source = next(s for s in draft.sources if s.n == task.n)
    assert source.clause == "II.2.1" and task.group == "Nhiệm vụ, giải pháp chủ yếu"
    for source in draft.sources:
        assert corpus_assistant.verify_quote(source.doc_id, source.start, source.end, source.quote)

    markdown = to_markdown(draft)
    parts = _parts(markdown)
    assert list(parts) == ["Những điểm chính", "Số liệu, chỉ tiêu chủ yếu", "Hỏi – đáp", "Căn cứ", "Chú thích"]
    assert "### Nhiệm vụ, giải pháp chủ yếu" in parts["Những điểm chính"]
    assert {f["value"] for f in draft.figures} >= {"> 200 sản phẩm", "≥ 20%", "> 5%"}
    for figure in draft.figures:  # "200", "20%", "5%": each in the table and nowhere else
        for number in re.findall(r"\d[\d.,]*%?", figure["value"]):
            said = re.compile(rf"(?<![\d.,]){re.escape(number)}" + ("" if "%" in number else r"(?![\d.,%])"))
            assert [h for h, text in parts.items() if said.search(text)] == ["Số liệu, chỉ tiêu chủ yếu"], number

    faq = parts["Hỏi – đáp"]
    row = next(i for i, f in enumerate(draft.figures, start=1) if f["value"] == "> 200 sản phẩm")
    question = next(q for q in draft.faq if draft.figures[row - 1]["indicator"] in q["question"])
    assert question["answer"].startswith(f"Xem bảng “Số liệu, chỉ tiêu chủ yếu”, dòng {row}")
    assert "Mỗi xã một sản phẩm" not in faq + parts["Chú thích"]  # quoted once, in the points
    assert ": “" not in parts["Chú thích"]  # the body shows every quote: the notes give only clauses


def test_a_topic_is_named_by_its_whole_wording_not_by_one_syllable_of_it(corpus_assistant):
    """ "nước sạch" is not named by "con em … trong và ngoài nước" (the syllable "nước" alone), nor
    "chuyển đổi số" by "thương mại, dịch vụ ở nông thôn" (its wording "dịch vụ công" in pieces); the
    clauses that do name them stay, with their figures."""
    from assistant.draft.gather import gather_topic, topic_phrases

    water = gather_topic(corpus_assistant, "nước sạch")
    assert not [p.text for p in water.points if "ngoài nước" in p.text]
    assert [p for p in water.points if "nước sạch" in p.text]
    assert {f.indicator for f in water.figures} >= {"hộ dân sử dụng nước sạch đạt quy chuẩn"}

    digital = gather_topic(corpus_assistant, "chuyển đổi số")
    assert not [p.text for p in digital.points if "dịch vụ ở nông thôn" in p.text]
    assert [p for p in digital.points if "chuyển đổi số" in p.text]
    assert digital.figures and all("dịch vụ công trực tuyến" in f.indicator for f in digital.figures)

    # The lexicon's wordings of the whole topic count, each whole; a wording of one word of it does not.
    assert "dich vu cong" in topic_phrases("chuyển đổi số")
    assert "bao hiem y te" not in topic_phrases("giáo dục y tế")
