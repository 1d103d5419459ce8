"""A trainee's quiz answers, kept in SQLite under the index folder: the questions missed (asked again by
"Ôn lại câu sai") and the score of each round (the progress shown).

A learner is a name typed (``name:`` + the name folded, so "Nguyễn Văn An" and "nguyen van an" are one
person) or, with no name, one browser (``session:`` + an id kept in the browser). History is a comfort,
never a condition: when the folder cannot be written, the quiz works and the store says why nothing is kept.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import time
import unicodedata
from collections.abc import Iterable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from assistant.study.quiz import QuizQuestion
from assistant.vietnamese import fold

log = logging.getLogger(__name__)

SCHEMA = """
CREATE TABLE IF NOT EXISTS learners (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,          -- 'name:<folded name>' or 'session:<browser id>'
    shown TEXT NOT NULL,               -- the name as first typed
    created REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS rounds (
    id INTEGER PRIMARY KEY,
    learner INTEGER NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
    round_key TEXT NOT NULL UNIQUE,    -- one quiz taken, as the app or the command line named it
    at REAL NOT NULL,                  -- when it began (Unix time)
    right INTEGER NOT NULL,
    answered INTEGER NOT NULL,
    asked INTEGER NOT NULL,            -- questions in the quiz (more than answered when left unfinished)
    review INTEGER NOT NULL            -- 1: a round of "Ôn lại câu sai"
);
CREATE TABLE IF NOT EXISTS answers (
    id INTEGER PRIMARY KEY,
    learner INTEGER NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
    round INTEGER NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
    question_key TEXT NOT NULL,        -- QuizQuestion.key(): the same fact asked again has the same key
    question TEXT NOT NULL,
    chosen TEXT NOT NULL,
    correct TEXT NOT NULL,
    right INTEGER NOT NULL,
    at REAL NOT NULL,
    asked TEXT NOT NULL                -- the whole question as JSON, to ask it again
);
CREATE INDEX IF NOT EXISTS answers_by_key ON answers(learner, question_key, id);
CREATE INDEX IF NOT EXISTS rounds_by_learner ON rounds(learner, at);
"""


@dataclass
class Answered:
    """One question answered: what was chosen or typed, and whether it was right."""

    question: QuizQuestion
    chosen: str
    right: bool


@dataclass
class Round:
    """One quiz taken, as the progress shows it."""

    at: float
    right: int
    answered: int
    asked: int
    review: bool

    @property
    def percent(self) -> int:
        return round(100 * self.right / self.answered) if self.answered else 0

    def to_json(self) -> dict:
        return {**self.__dict__, "percent": self.percent}


def learner_key(name: str | None, session: str | None = None) -> tuple[str, str] | None:
    """(key, name shown) of the learner: the name typed, else the browser session; None with neither."""
    name = " ".join(unicodedata.normalize("NFC", name or "").split())
    if name:
        return "name:" + fold(name), name
    if session:
        return "session:" + session, ""
    return None


class QuizHistory:
    """The answers and rounds of every learner, at ``<index_dir>/study/history.sqlite3``; ``off`` holds
    the message when they cannot be kept (a folder that cannot be written, a damaged file)."""

    def __init__(self, index_dir: Path, max_rounds: int = 200):
        self.path = Path(index_dir) / "study" / "history.sqlite3"
        self.max_rounds = max_rounds
        self.off: str | None = None if max_rounds > 0 else "Không lưu kết quả ôn tập (NTM_QUIZ_HISTORY_ROUNDS=0)."

    @classmethod
    def from_settings(cls, settings) -> QuizHistory:
        return cls(settings.index_dir, settings.quiz_history_rounds)

    def record(
        self, learner: tuple[str, str], round_key: str, answers: Iterable[Answered], asked: int, review: bool = False
    ) -> bool:
        """Add answers to a round (created at its first answer, its score summed); older rounds beyond
        ``max_rounds`` are forgotten with their answers. False when nothing could be kept."""
        answers = list(answers)
        now = time.time()
        try:
            with self._connect(write=True) as db:
                if db is None:
                    return False
                db.execute("BEGIN IMMEDIATE")
                learner_id = self._learner_id(db, learner, now)
                db.execute(
                    "INSERT INTO rounds (learner, round_key, at, right, answered, asked, review)"
                    " VALUES (?, ?, ?, 0, 0, ?, ?) ON CONFLICT(round_key) DO NOTHING",
                    (learner_id, round_key, now, asked, int(review)),
                )
                round_id = db.execute(
                    "SELECT id FROM rounds WHERE round_key = ? AND learner = ?", (round_key, learner_id)
                ).fetchone()
                if round_id is None:  # a round key of someone else: never mix two people's rounds
                    db.execute("ROLLBACK")
                    return False
                for a in answers:
                    q = a.question
                    db.execute(
                        "INSERT INTO answers (learner, round, question_key, question, chosen, correct, right,"
                        " at, asked) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (
                            learner_id,
                            round_id[0],
                            q.key(),
                            q.question,
                            a.chosen,
                            q.answer,
                            int(a.right),
                            now,
                            json.dumps(q.to_json(), ensure_ascii=False),
                        ),
                    )
                db.execute(
                    "UPDATE rounds SET right = right + ?, answered = answered + ? WHERE id = ?",
                    (sum(a.right for a in answers), len(answers), round_id[0]),
                )
                self._bound(db, learner_id)
                db.execute("COMMIT")
            return True
        except (sqlite3.Error, OSError) as e:
            return self._fail(e)

    def missed(self, learner: tuple[str, str] | None, limit: int | None = None) -> list[QuizQuestion]:
        """The questions whose latest answer was wrong (not answered right since), most recent first."""
        rows = self._read(
            "SELECT a.asked FROM answers a JOIN learners l ON l.id = a.learner WHERE l.key = ? AND a.right = 0"
            " AND a.id = (SELECT MAX(b.id) FROM answers b"
            " WHERE b.learner = a.learner AND b.question_key = a.question_key)"
            " ORDER BY a.id DESC LIMIT ?",
            learner,
            -1 if limit is None else limit,
        )
        return [QuizQuestion.from_json(json.loads(r[0])) for r in rows]

    def rounds(self, learner: tuple[str, str] | None, limit: int = 10) -> list[Round]:
        """The learner's latest rounds with at least one answer, newest first."""
        rows = self._read(
            "SELECT r.at, r.right, r.answered, r.asked, r.review FROM rounds r JOIN learners l ON l.id = r.learner"
            " WHERE l.key = ? AND r.answered > 0 ORDER BY r.at DESC, r.id DESC LIMIT ?",
            learner,
            limit,
        )
        return [Round(at, right, answered, asked, bool(review)) for at, right, answered, asked, review in rows]

    def _read(self, sql: str, learner: tuple[str, str] | None, *args) -> list[tuple]:
        if learner is None or self.max_rounds <= 0:
            return []
        try:
            with self._connect(write=False) as db:
                return [] if db is None else db.execute(sql, (learner[0], *args)).fetchall()
        except (sqlite3.Error, OSError) as e:
            self._fail(e)
            return []

    def _connect(self, write: bool):
        """A connection (in autocommit: writes say BEGIN themselves), None when there is nothing to read or
        history is off; the file, its folder and its tables are made at the first write."""
        if self.off or (not write and not self.path.exists()):
            return _Nothing()
        if write:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        try:
            db.execute("PRAGMA foreign_keys = ON")
            if write:
                db.execute("PRAGMA journal_mode = WAL")  # readers (other browsers) never wait for a writer
                db.executescript(SCHEMA)
        except sqlite3.Error:
            db.close()
            raise
        return closing(db)

    def _learner_id(self, db, learner: tuple[str, str], now: float) -> int:
        key, shown = learner
        db.execute(
            "INSERT INTO learners (key, shown, created) VALUES (?, ?, ?) ON CONFLICT(key) DO NOTHING", (key, shown, now)
        )
        return db.execute("SELECT id FROM learners WHERE key = ?", (key,)).fetchone()[0]

    def _bound(self, db, learner_id: int) -> None:
        db.execute(
            "DELETE FROM rounds WHERE learner = ? AND id NOT IN"
            " (SELECT id FROM rounds WHERE learner = ? ORDER BY at DESC, id DESC LIMIT ?)",
            (learner_id, learner_id, self.max_rounds),
        )

    def _fail(self, error: Exception) -> bool:
        self.off = (
            f"Không lưu được kết quả ôn tập vào {self.path} ({error}). Bài trắc nghiệm vẫn làm được; "
            "muốn lưu, hãy cho phép ghi vào thư mục chỉ mục."
        )
        log.warning("quiz history off: %s", error)
        return False


class _Nothing:
    """Stands for a connection when there is none to make."""

    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False
