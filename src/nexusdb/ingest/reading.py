"""Stream a dataset file's records with the line each starts on; never load the whole file.

Problems of the file itself (another encoding than UTF-8, no header, missing required
columns) stop the import before a record is read. Problems of one record (bytes that are
not UTF-8, a truncated last line, the wrong number of fields, a line that is not JSON)
come back with the record, so `--skip-invalid` can reject that record and go on.
"""

import codecs
import csv
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from nexusdb.ingest.records import IngestError, RecordError


@dataclass
class RawRecord:
    line: int
    values: dict[str, Any]
    # Set when the record could not even be read as a record.
    problem: RecordError | None = None


# Byte order marks of the encodings a spreadsheet may save text in instead of UTF-8
# (UTF-32's begin as UTF-16's do, so they come first).
OTHER_ENCODINGS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


class FileReader:
    """Lines of a file as text, counting bytes for progress and noting undecodable lines.

    A file that announces another encoding by its byte order mark is refused as a whole:
    read as UTF-8, each of its lines would be a bad record.
    """

    def __init__(self, path: Path, handle: IO[bytes]) -> None:
        start = handle.read(4)
        handle.seek(0)
        for mark, encoding in OTHER_ENCODINGS:
            if start.startswith(mark):
                raise IngestError(
                    f"{path.name}:1: the file is not UTF-8: {encoding}, detected by its"
                    " byte order mark (save it as UTF-8)"
                )
        self.handle = handle
        self.bytes_read = 0
        self.lines_read = 0
        self.undecodable: list[int] = []

    def __iter__(self) -> Iterator[str]:
        for raw in self.handle:
            self.bytes_read += len(raw)
            self.lines_read += 1
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as error:
                self.undecodable.append(self.lines_read)
                text = raw.decode("utf-8", "replace")
                self.decode_error = f"byte {raw[error.start]:#04x} at column {error.start + 1}"
            if self.lines_read == 1:
                text = text.removeprefix("\ufeff")
            yield text

    def encoding_problem(self, first_line: int) -> RecordError | None:
        """The decoding problem in the lines from `first_line` on, if any (then forgotten)."""
        bad = [line for line in self.undecodable if line >= first_line]
        self.undecodable.clear()
        if not bad:
            return None
        return RecordError("encoding", f"line {bad[0]} is not UTF-8 ({self.decode_error})")


def csv_records(
    path: Path, handle: IO[bytes], *, required: Sequence[str]
) -> tuple[FileReader, list[str], Iterator[RawRecord]]:
    """The reader (for progress), the header, and the records of a CSV file with a header."""
    reader = FileReader(path, handle)
    rows = csv.reader(iter(reader), strict=True)
    try:
        header = [name.strip() for name in next(rows)]
    except StopIteration:
        raise IngestError(f"{path.name}: empty file, expected a header line") from None
    except csv.Error as error:
        raise IngestError(f"{path.name}:1: unreadable header: {error}") from None
    if reader.undecodable:
        raise IngestError(
            f"{path.name}:1: the file is not UTF-8: {reader.decode_error} of the header"
        )
    missing = [name for name in required if name not in header]
    if missing:
        raise IngestError(f"{path.name}: missing required columns: {', '.join(missing)}")
    return reader, header, _csv_rows(reader, rows, header)


def _csv_rows(
    reader: FileReader, rows: Iterator[list[str]], header: list[str]
) -> Iterator[RawRecord]:
    width = len(header)
    while True:
        first_line = reader.lines_read + 1
        try:
            row = next(rows)
        except StopIteration:
            return
        except csv.Error as error:
            yield RawRecord(first_line, {}, RecordError("record", f"is not valid CSV ({error})"))
            continue
        if not row:
            continue  # a blank line
        problem = reader.encoding_problem(first_line) if reader.undecodable else None
        if problem is None and len(row) != width:
            problem = RecordError(
                "record", f"has {len(row)} fields, the header has {width} (a truncated line?)"
            )
        yield RawRecord(first_line, dict(zip(header, row, strict=False)), problem)


def jsonl_records(path: Path, handle: IO[bytes]) -> tuple[FileReader, Iterator[RawRecord]]:
    reader = FileReader(path, handle)
    return reader, _jsonl_rows(reader, iter(reader))


def _jsonl_rows(reader: FileReader, lines: Iterable[str]) -> Iterator[RawRecord]:
    for text in lines:
        line = reader.lines_read
        if not text.strip():
            continue
        problem = reader.encoding_problem(line)
        if problem is not None:
            yield RawRecord(line, {}, problem)
            continue
        try:
            values = json.loads(text)
        except json.JSONDecodeError as error:
            reason = f"is not JSON ({error.msg} at column {error.colno}; a truncated line?)"
            yield RawRecord(line, {}, RecordError("record", reason))
            continue
        if not isinstance(values, dict):
            yield RawRecord(line, {}, RecordError("record", "is not a JSON object"))
            continue
        yield RawRecord(line, values)
