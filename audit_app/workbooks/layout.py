"""Where things are in an answer workbook: shared by the writer (blank.py) and the
reader (read.py), so the two cannot drift apart."""

from __future__ import annotations

FORMAT = "readiness-audit-answers/1"
META_SHEET = "meta"  # very hidden: questionnaire id, version, content hash, language
LISTS_SHEET = "lists"  # hidden: the answer options of each question, for the drop-downs
HEADER_ROW = 4
FIRST_ROW = HEADER_ROW + 1

# Column letters of the answers sheet. `id` and `revision` are hidden.
ID, NUMBER, SECTION, QUESTION, HOW, ANSWER, NOTE, EVIDENCE, SHOWN_WHEN, REVISION = (
    "A", "B", "C", "D", "E", "F", "G", "H", "I", "J"
)  # fmt: skip
INPUT_COLUMNS = {ANSWER: "answer", NOTE: "note", EVIDENCE: "evidence"}
WIDTHS = {ID: 14, NUMBER: 5, SECTION: 22, QUESTION: 60, HOW: 28, ANSWER: 28, NOTE: 36,
          EVIDENCE: 36, SHOWN_WHEN: 28, REVISION: 6}  # fmt: skip
META_KEYS = ("format", "questionnaire_id", "version", "content_hash", "lang", "audit_id")
