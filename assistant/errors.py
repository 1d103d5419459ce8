"""Domain errors, each carrying a Vietnamese and an English message that name the fix."""

from __future__ import annotations

import errno


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
        "PDF có mật khẩu, không mở được. Hãy gỡ mật khẩu rồi tải lên lại.",
        "the PDF is encrypted with a password; remove the password and try again.",
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
        "Tệp PDF chỉ chứa ảnh quét và nhận dạng chữ (OCR) không đọc được chữ nào. "
        "Hãy quét lại rõ hơn (300 dpi) rồi tải lên lại.",
        "the PDF holds only scanned images and OCR found no text in them; scan it again more clearly (300 dpi).",
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
        "Loại tệp không được hỗ trợ. Chỉ nhận .txt, .md, .pdf, .docx, .doc, .rtf, .html.",
        "unsupported file type; use .txt, .md, .pdf, .docx, .doc, .rtf or .html.",
    )


def not_vietnamese(path, share: float) -> UnreadableDocument:
    return UnreadableDocument(
        path,
        f"Nội dung không giống văn bản tiếng Việt (chỉ {share:.0%} số từ là âm tiết tiếng Việt), kể cả khi thử "
        "chuyển từ các bảng mã TCVN3, VNI, Windows-1258. Hãy lưu lại tệp với bảng mã Unicode (UTF-8).",
        f"the text does not read as Vietnamese (only {share:.0%} of its words are Vietnamese syllables), "
        "even converted from TCVN3, VNI or Windows-1258; save it again as Unicode (UTF-8).",
    )


def ocr_missing(path) -> UnreadableDocument:
    return UnreadableDocument(
        path,
        "Tệp PDF có trang ảnh quét nhưng máy chưa cài Tesseract. Hãy cài: "
        "apt-get install tesseract-ocr tesseract-ocr-vie (hoặc chạy make system-deps).",
        "the PDF has scanned pages but Tesseract is not installed; install it: "
        "apt-get install tesseract-ocr tesseract-ocr-vie (or run make system-deps).",
    )


def converter_missing(path, program: str, package: str) -> UnreadableDocument:
    return UnreadableDocument(
        path,
        f"Cần chương trình {program} để đọc loại tệp này. Hãy cài: apt-get install {package} "
        "(hoặc chạy make system-deps), hoặc lưu lại tệp dạng .docx.",
        f"reading this file type needs {program}; install it: apt-get install {package} "
        "(or run make system-deps), or save the file as .docx.",
    )


def too_large(path, limit_mb: int) -> UnreadableDocument:
    """More than ``limits.read_mb`` to read: the file itself, or a DOCX/XLSX once uncompressed."""
    return UnreadableDocument(
        path,
        f"Tệp lớn quá: cần đọc hơn {limit_mb} MB (kể cả phần nén bên trong tệp DOCX/XLSX). "
        "Hãy chia thành nhiều tệp nhỏ hoặc bỏ bớt ảnh rồi tải lên lại.",
        f"the file is too large: more than {limit_mb} MB to read (a DOCX/XLSX counted uncompressed); "
        "split it into smaller files or remove pictures, then try again.",
    )


def zip_bomb(path, kind: str, ratio: int) -> UnreadableDocument:
    """A DOCX/XLSX part that grows more than ``limits.compression_ratio`` times when uncompressed."""
    return UnreadableDocument(
        path,
        f"Tệp {kind} bị nén bất thường (một phần bên trong lớn gấp hơn {ratio} lần khi giải nén), có thể là tệp "
        "độc hại nên không được mở. Hãy mở tệp bằng phần mềm gốc, lưu lại rồi tải lên lại.",
        f"the {kind} file is compressed abnormally (a part grows more than {ratio} times uncompressed), as a "
        "zip bomb does, and is not opened; open it in its application, save it again and retry.",
    )


def too_long(path, what_vi: str, what_en: str, limit: int) -> UnreadableDocument:
    """A document with more characters or passages than ``limits`` allows."""
    return UnreadableDocument(
        path,
        f"Văn bản dài quá: hơn {f'{limit:,}'.replace(',', '.')} {what_vi}. Hãy chia thành nhiều tệp nhỏ hơn "
        "rồi tải lên lại.",
        f"the document is too long: more than {limit:,} {what_en}; split it into smaller files and try again.",
    )


def read_failed(path, exc: BaseException) -> UnreadableDocument:
    """An unexpected failure while reading one file, named so the other files go on."""
    reason = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
    return UnreadableDocument(
        path,
        f"Không đọc được tệp ({reason}). Hãy xuất lại tệp từ phần mềm gốc hoặc lưu dạng .docx/.pdf.",
        f"the file could not be read ({reason}); export it again from its source or save it as .docx/.pdf.",
    )


class EmptyQuestion(AssistantError):
    def __init__(self):
        super().__init__("Câu hỏi trống. Hãy nhập câu hỏi.", "the question is empty; type a question.")


class QuestionTooLong(AssistantError):
    """A question (or topic) longer than ``max_question_chars``, refused before anything reads it."""

    def __init__(self, limit: int):
        super().__init__(
            f"Câu hỏi dài quá {limit} ký tự. Hãy rút gọn, chỉ nêu điều cần hỏi, rồi hỏi lại.",
            f"the question is longer than {limit} characters; shorten it to what you want to know and ask again.",
        )
        self.limit = limit


class UploadQuotaExceeded(AssistantError):
    """The web app's upload quota (``upload_quota``) is used up, for this client or for all."""

    def __init__(self, minutes: int):
        super().__init__(
            f"Đã vượt giới hạn tải lên, thử lại sau {minutes} phút.",
            f"upload limit reached; try again in {minutes} min.",
        )
        self.minutes = minutes


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


class IndexBroken(AssistantError):
    """A file of the serving index generation is missing, unreadable or not what was written (its
    manifest, BM25, a store entry, its Chroma collection); ``ntm index`` rebuilds it."""

    def __init__(self, index_dir, what: str):
        super().__init__(
            f"Chỉ mục hỏng ({what}): chạy `ntm index --repair` (chỉ mục {index_dir}).",
            f"the index is damaged ({what}): run `ntm index --repair` (index {index_dir}).",
        )
        self.what = what


class DiskFull(AssistantError):
    """No space left while writing the index: the previous generation keeps serving."""

    def __init__(self, index_dir):
        super().__init__(
            f"Ổ đĩa đầy: không ghi được chỉ mục vào {index_dir}. Chỉ mục cũ vẫn dùng được; hãy giải phóng "
            "dung lượng rồi chạy lại `ntm index`.",
            f"disk full: the index could not be written to {index_dir}. The previous index still works; free "
            "some space and run `ntm index` again.",
        )


class CannotWrite(AssistantError):
    """An output file or folder (a draft, its cards, an export, a template) that cannot be written."""

    _WHY = {
        errno.EACCES: ("không có quyền ghi vào đó", "permission denied"),
        errno.EPERM: ("không có quyền ghi vào đó", "permission denied"),
        errno.EROFS: ("ổ đĩa chỉ cho đọc", "the disk is read-only"),
        errno.ENOSPC: ("ổ đĩa đầy", "the disk is full"),
        errno.EISDIR: ("đó là một thư mục, không phải tệp", "it is a folder, not a file"),
        errno.ENOTDIR: (
            "một phần của đường dẫn là tệp, không phải thư mục",
            "part of the path is a file, not a folder",
        ),
        errno.EEXIST: ("một phần của đường dẫn là tệp, không phải thư mục", "part of the path is a file, not a folder"),
        errno.ENOENT: ("không tạo được thư mục chứa nó", "its folder could not be created"),
    }

    def __init__(self, path, exc: OSError, option: str = "-o"):
        vi, en = self._WHY.get(exc.errno, (exc.strerror or type(exc).__name__,) * 2)
        super().__init__(
            f"Không ghi được {path}: {vi}. Hãy chọn đường dẫn khác bằng {option}, trong một thư mục bạn có quyền "
            "ghi, rồi chạy lại.",
            f"cannot write {path}: {en}; choose another path with {option}, in a folder you can write to, "
            "and run again.",
        )
        self.path = path
