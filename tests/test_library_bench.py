"""The library benchmark's documents: the laws written from the shared ALQAC articles and the NTM-field
documents of ``eval/library/`` are read as what they are (type, number, date, issuer) from their
headers, and its question file points at text those documents hold."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from assistant.evaluate import library
from assistant.evaluate.metrics import read_jsonl
from assistant.ingest.document import read_document

ROOT = Path(__file__).resolve().parent.parent
ALQAC = ROOT / library.ALQAC


@pytest.mark.skipif(not (ALQAC / "corpus.jsonl").exists(), reason="the shared ALQAC folder is not here")
def test_each_law_is_one_document_whose_header_names_it(tmp_path):
    texts = library.law_texts(ALQAC / "corpus.jsonl")
    assert set(texts) == set(library.LAWS)
    law = "Luật Bảo vệ môi trường"
    path = tmp_path / library.law_file_name(law)
    path.write_text(texts[law], encoding="utf-8")
    document = read_document(path)
    assert document.meta["type"] == "Luật"
    assert document.meta["number"] == "72/2020/QH14"
    assert document.meta["date"] == "2020-11-17"
    assert document.title == "Luật Bảo vệ môi trường"
    assert document.cited_as.startswith("Luật Bảo vệ môi trường số 72/2020/QH14")
    clauses = {c.label for c in document.clauses}
    assert "Điều 1" in " ".join(clauses) and "Điều 79" in " ".join(clauses)


@pytest.mark.parametrize(
    ("name", "kind", "number", "date", "issuer"),
    [
        ("ke-hoach-xa-thach-kim-ntm-nang-cao-2022-2025", "Kế hoạch", "45/KH-UBND", "2022-03-12", "UBND xã Thạch Kim"),
        ("quyet-dinh-huyen-can-loc-muc-ho-tro-2023", "Quyết định", "1268/QĐ-UBND", "2023-05-15", "UBND huyện Can Lộc"),
        ("huong-dan-so-nn-ptnt-tieu-chi-moi-truong-2024", "Hướng dẫn", "1520/HD-SNN", "2024-06-20", "Sở Nông nghiệp"),
    ],
)
def test_ntm_field_documents_are_read_from_their_headers(name, kind, number, date, issuer):
    document = read_document(ROOT / library.OWN_DOCUMENTS / f"{name}.txt")
    assert (document.meta["type"], document.meta["number"], document.meta["date"]) == (kind, number, date)
    assert issuer in document.cited_as  # "Sở Nông nghiệp và / Phát triển nông thôn": one name on two lines
    # the header and the grounds are metadata: no passage quotes "Căn cứ" or the motto
    assert not any(c.text.lstrip().startswith(("Căn cứ", "CỘNG HÒA")) for c in document.chunks)


def test_library_questions_point_at_text_their_documents_hold():
    texts = {p.stem: p.read_text(encoding="utf-8") for p in (ROOT / library.OWN_DOCUMENTS).glob("*.txt")}
    questions = read_jsonl(ROOT / library.LIBRARY_QUESTIONS)
    assert len({q["id"] for q in questions}) == len(questions) >= 40
    for q in questions:
        assert unicodedata.is_normalized("NFC", q["question"])
        if q["answerable"]:
            assert all(e in texts[q["doc"]] for e in q["evidence"]), q["id"]
