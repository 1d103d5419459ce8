"""Domain errors, each carrying a Vietnamese and an English message that name the fix."""

from __future__ import annotations


class AssistantError(Exception):
    """Base of every error the assistant reports to a person (exit code 2 in the CLI)."""

    def __init__(self, vi: str, en: str):
        super().__init__(en)
        self.vi = vi
        self.en = en

    def message(self) -> str:
        """One line with both languages, as the CLI prints it."""
        return f"{self.vi} / {self.en}"


class UnreadableDocument(AssistantError):
    """A file that cannot be turned into text (corrupt, encrypted, scanned, empty, wrong type)."""

    def __init__(self, path, vi: str, en: str):
        super().__init__(f"{path}: {vi}", f"{path}: {en}")
        self.path = path


def encrypted_pdf(path) -> UnreadableDocument:
    return UnreadableDocument(
        path,
        "Tệp PDF được mã hóa, không đọc được. Hãy gỡ mật khẩu rồi tải lên lại.",
        "the PDF is encrypted; remove the password and try again.",
    )


def corrupt_file(path, kind: str) -> UnreadableDocument:
    return UnreadableDocument(
        path,
        f"Tệp {kind} bị hỏng hoặc không đúng định dạng. Hãy xuất lại tệp từ phần mềm gốc.",
        f"the {kind} file is corrupt or not really a {kind}; export it again from its source.",
    )


def scanned_pdf(path) -> UnreadableDocument:
    return UnreadableDocument(
        path,
        "Tệp PDF chỉ chứa ảnh quét, không có lớp chữ. Hãy nhận dạng chữ (OCR) trước khi tải lên.",
        "the PDF holds only scanned images, no text layer; run OCR on it first.",
    )


def empty_file(path) -> UnreadableDocument:
    return UnreadableDocument(
        path,
        "Tệp rỗng, không có nội dung để đưa vào chỉ mục.",
        "the file is empty; there is nothing to index.",
    )


def unsupported_type(path) -> UnreadableDocument:
    return UnreadableDocument(
        path,
        "Loại tệp không được hỗ trợ. Chỉ nhận .txt, .md, .pdf, .docx.",
        "unsupported file type; use .txt, .md, .pdf or .docx.",
    )


class EmptyQuestion(AssistantError):
    def __init__(self):
        super().__init__("Câu hỏi trống. Hãy nhập câu hỏi.", "the question is empty; type a question.")


class IndexMissing(AssistantError):
    def __init__(self, index_dir):
        super().__init__(
            f"Chưa có chỉ mục tại {index_dir}. Hãy chạy 'ntm index' trước.",
            f"no index at {index_dir}; run 'ntm index' first.",
        )


class MissingExtra(AssistantError):
    """A backend chosen in settings whose package is not installed."""

    def __init__(self, package: str, extra: str):
        super().__init__(
            f"Thiếu gói '{package}'. Hãy cài: pip install -e '.[{extra}]'.",
            f"package '{package}' is missing; install it with: pip install -e '.[{extra}]'.",
        )


class BadInput(AssistantError):
    """Unusable user input other than a document: a figures file, an option value."""


class IndexBusy(AssistantError):
    """Another process is writing the same index folder."""

    def __init__(self, index_dir, holder: str = "?"):
        super().__init__(
            f"Tiến trình {holder} đang lập chỉ mục {index_dir}. Hãy chờ nó xong rồi chạy lại.",
            f"process {holder} is indexing {index_dir}; wait for it to finish and run again.",
        )
