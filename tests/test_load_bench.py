"""``ntm eval load``'s indexing figures on a small document with the ``hash`` embedder (no model):
searchable, fully indexed (passages) and answer sentences ready, in that order, and the answer
latency right after indexing."""

from assistant.evaluate.load import first_questions, index_throughput, long_document, median_run, report
from assistant.index.embedders import build_embedder
from assistant.settings import Settings

TEXT = (
    "Nghị quyết thử\n\nI. MỤC TIÊU\n\n1. Tỷ lệ người dân tham gia bảo hiểm y tế đạt trên 95% dân số.\n\n"
    "2. Đến năm 2025, 100% hộ dân nông thôn được sử dụng nước sạch hợp vệ sinh; đường giao thông "
    "nông thôn được cứng hóa toàn bộ.\n"
)


def test_indexing_figures_follow_the_stages(tmp_path):
    source = tmp_path / "nghi-quyet-thu.txt"
    source.write_text(TEXT, encoding="utf-8")
    settings = Settings(index_dir=tmp_path / "unused", corpus_dir=tmp_path, embedder="hash")
    embedder = build_embedder("hash")
    row = index_throughput(settings, embedder, source, tmp_path / "idle")
    assert row["passages"] > 0 and row["sentences"] >= row["passages"]
    assert 0 < row["searchable_s"] <= row["indexed_s"] <= row["sentences_s"]
    assert row["cpu_s"] >= 0 and row["chars_per_s"] > 0
    sentences = tmp_path / "idle" / source.stem / "index" / "sentences"
    assert any(sentences.glob("*.npz"))  # the answer sentences were embedded after the switch

    first = first_questions(settings, embedder, source, tmp_path / "cold", ["bảo hiểm y tế bao nhiêu?", "nước sạch"])
    assert first["questions"] == 2 and set(first) == {"questions", "cold", "warm"}
    text = report({"date": "d", "machine": "m", "idle": [row], "first_questions": first})
    assert "nghi-quyet-thu.txt" in text and "answer sentences not embedded yet" in text


def test_long_document_without_alqac_repeats_the_resolution(tmp_path):
    base = tmp_path / "nq.txt"
    base.write_text(TEXT, encoding="utf-8")
    text = long_document(2_000, base, alqac=tmp_path / "none.jsonl")
    assert len(text) == 2_000 and text.startswith("Phần 1")


def test_a_short_document_is_timed_by_its_median_run_with_every_run_shown():
    times = [5.8, 3.8, 4.3]
    row = median_run(lambda n: {"document": "nq.txt", "indexed_s": times[n], "run": n}, 3)
    assert row["run"] == 2 and row["indexed_s"] == 4.3 and row["runs_indexed_s"] == [3.8, 4.3, 5.8]
