"""The documents folder: `documents.jsonl` (kept documents) beside `manifest.json`."""

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

__all__ = ["DOCUMENTS_FILE", "Document", "DocumentsError", "read_documents", "write_documents"]

DOCUMENTS_FILE = "documents.jsonl"


class DocumentsError(ValueError):
    """A documents folder or file is missing or malformed."""


@dataclass(frozen=True)
class Document:
    """One synthetic document.

    Attributes:
        id: Stable identifier (the Inspect sample id it came from).
        kind: Document kind, e.g. `news_article`.
        voice: Who it is written as.
        targets: Fact ids the generator was asked to convey.
        conveyed: Fact ids the filter found conveyed.
        text: The document.
    """

    id: str
    kind: str
    voice: str
    targets: tuple[str, ...]
    conveyed: tuple[str, ...]
    text: str


def write_documents(path: Path, documents: Iterable[Document]) -> int:
    """Write documents as JSON lines; returns how many were written."""
    count = 0
    with path.open("w", encoding="utf-8") as handle:
        for document in documents:
            handle.write(json.dumps(asdict(document), ensure_ascii=False) + "\n")
            count += 1
    return count


def read_documents(source: Path) -> list[Document]:
    """Read the documents of a folder (its `documents.jsonl`) or of a JSONL file.

    Any JSONL whose lines hold a non-empty string `text` is accepted; other fields default.

    Raises:
        DocumentsError: The file is missing, a line is not a JSON object with `text`, or there
            is no document at all (the line number is named).
    """
    path = source / DOCUMENTS_FILE if source.is_dir() else source
    if not path.is_file():
        raise DocumentsError(f"no documents at {path}; run `aflab docs generate` first")
    documents: list[Document] = []
    with path.open(encoding="utf-8", errors="replace") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as error:
                raise DocumentsError(f"{path}, line {number}: not JSON ({error.msg})") from None
            if not isinstance(row, dict) or not isinstance(row.get("text"), str):
                raise DocumentsError(f"{path}, line {number}: expected an object with 'text'")
            if not row["text"].strip():
                raise DocumentsError(f"{path}, line {number}: empty 'text'")
            documents.append(
                Document(
                    id=str(row.get("id", number)),
                    kind=str(row.get("kind", "")),
                    voice=str(row.get("voice", "")),
                    targets=tuple(str(x) for x in row.get("targets", ()) or ()),
                    conveyed=tuple(str(x) for x in row.get("conveyed", ()) or ()),
                    text=row["text"],
                )
            )
    if not documents:
        raise DocumentsError(f"{path} holds no documents")
    return documents
