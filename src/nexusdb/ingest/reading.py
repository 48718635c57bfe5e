"""Stream a dataset file's records with the line each starts on; never load the whole file.

Problems of the file itself (another encoding than UTF-8, no header, missing required
columns) stop the import before a record is read. Problems of one record (bytes that are
not UTF-8, a NUL character, a truncated last line, the wrong number of fields, a line
that is not JSON) come back with the record, so `--skip-invalid` can reject that record
and go on. Such a record keeps what can still be read of it (its id, most often), and
where it lies in the file, so that a rejects file can show it as it was written.
"""

import codecs
import csv
import io
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from nexusdb.ingest.records import IngestError, RecordError

NUL_REASON = "which PostgreSQL text cannot hold"


@dataclass
class RawRecord:
    line: int
    # Where the record lies in the file: bytes start to end (see record_text).
    start: int
    end: int
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
        # Where the last line read begins, in bytes.
        self.line_start = 0
        self.undecodable: list[int] = []
        # Whether a line read since the flag was last cleared holds a NUL character.
        self.nul_seen = False

    def __iter__(self) -> Iterator[str]:
        for raw in self.handle:
            self.line_start = self.bytes_read
            self.bytes_read += len(raw)
            self.lines_read += 1
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as error:
                self.undecodable.append(self.lines_read)
                text = raw.decode("utf-8", "replace")
                self.decode_error = f"byte {raw[error.start]:#04x} at column {error.start + 1}"
            if self.lines_read == 1 and text.startswith("\ufeff"):
                text = text[1:]
                self.line_start = len(codecs.BOM_UTF8)
            if "\x00" in text:
                self.nul_seen = True
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
    if reader.nul_seen:
        raise IngestError(
            f"{path.name}:1: the header contains a NUL character (0x00), {NUL_REASON}"
        )
    missing = [name for name in required if name not in header]
    if missing:
        raise IngestError(f"{path.name}: missing required columns: {', '.join(missing)}")
    return reader, header, _csv_rows(path, reader, rows, header)


def _csv_rows(
    path: Path, reader: FileReader, rows: Iterator[list[str]], header: list[str]
) -> Iterator[RawRecord]:
    width = len(header)
    while True:
        first_line = reader.lines_read + 1
        start = reader.bytes_read
        try:
            row = next(rows)
        except StopIteration:
            return
        except csv.Error as error:
            end = reader.bytes_read
            broken = RecordError("record", f"is not valid CSV ({error})")
            yield RawRecord(
                first_line, start, end, _readable_fields(path, header, start, end), broken
            )
            continue
        if not row:
            continue  # a blank line
        problem = reader.encoding_problem(first_line) if reader.undecodable else None
        if problem is None and len(row) != width:
            problem = RecordError(
                "record", f"has {len(row)} fields, the header has {width} (a truncated line?)"
            )
        values = dict(zip(header, row, strict=False))
        if reader.nul_seen:
            reader.nul_seen = False
            problem = problem or nul_problem(values)
        yield RawRecord(first_line, start, reader.bytes_read, values, problem)


def nul_problem(values: dict[str, Any]) -> RecordError | None:
    """The first field that holds a NUL character (0x00): PostgreSQL text cannot."""
    for name, value in values.items():
        if _holds_nul(name) or _holds_nul(value):
            return RecordError(name, f"contains a NUL character (0x00), {NUL_REASON}")
    return None


def _holds_nul(value: object) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, list):
        return any(_holds_nul(item) for item in value)
    if isinstance(value, dict):
        return any(_holds_nul(key) or _holds_nul(item) for key, item in value.items())
    return False


def _readable_fields(path: Path, header: list[str], start: int, end: int) -> dict[str, str]:
    """The fields of a record that is not valid CSV, read leniently: those before the
    fault (the record id among them) come out as written."""
    with path.open("rb") as handle:
        text = record_text(handle, start, end)
    try:
        row = next(csv.reader(io.StringIO(text, newline=""), strict=False), [])
    except csv.Error:
        return {}
    return dict(zip(header, row, strict=False))


def record_text(handle: IO[bytes], start: int, end: int) -> str:
    """A record as the file has it, without its line break; bytes that are not UTF-8 as
    U+FFFD, as they were read."""
    handle.seek(start)
    return handle.read(end - start).decode("utf-8", "replace").rstrip("\r\n")


def jsonl_records(path: Path, handle: IO[bytes]) -> tuple[FileReader, Iterator[RawRecord]]:
    reader = FileReader(path, handle)
    return reader, _jsonl_rows(reader, iter(reader))


def _jsonl_rows(reader: FileReader, lines: Iterable[str]) -> Iterator[RawRecord]:
    for text in lines:
        line, start, end = reader.lines_read, reader.line_start, reader.bytes_read
        if not text.strip():
            continue
        values, problem = _json_object(text)
        # A NUL is written `\u0000` in JSON, or as itself in a string that is not JSON.
        if problem is None and ("\\u0000" in text or "\x00" in text):
            problem = nul_problem(values)
        yield RawRecord(line, start, end, values, reader.encoding_problem(line) or problem)


# Decoders made once: json.loads with any option builds a new one per call.
_JSON = json.JSONDecoder()
_JSON_WITH_CONTROLS = json.JSONDecoder(strict=False)


def _json_object(text: str) -> tuple[dict[str, Any], RecordError | None]:
    """A line's JSON object, or what can be read of it and why it is not one."""
    # Control characters in strings are not JSON: read them where a NUL is, to name it.
    decoder = _JSON if "\x00" not in text else _JSON_WITH_CONTROLS
    try:
        values = decoder.decode(text)
    except json.JSONDecodeError as error:
        reason = f"is not JSON ({error.msg} at column {error.colno}; a truncated line?)"
        return _readable_members(text), RecordError("record", reason)
    if not isinstance(values, dict):
        return {}, RecordError("record", "is not a JSON object")
    return values, None


_JSON_SPACE = re.compile(r"[ \t\n\r]*")


def _after_space(text: str, position: int) -> int:
    match = _JSON_SPACE.match(text, position)
    return match.end() if match else position


def _readable_members(text: str) -> dict[str, Any]:
    """The members of a broken JSON object that come before the break, in order."""
    members: dict[str, Any] = {}
    position = _after_space(text, 0)
    separator = "{"
    try:
        while text.startswith(separator, position):
            name, position = _JSON.raw_decode(text, _after_space(text, position + 1))
            position = _after_space(text, position)
            if not isinstance(name, str) or not text.startswith(":", position):
                break
            members[name], position = _JSON.raw_decode(text, _after_space(text, position + 1))
            position = _after_space(text, position)
            separator = ","
    except json.JSONDecodeError:
        pass
    return members
