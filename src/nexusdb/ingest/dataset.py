"""What a dataset format is to the importer: its file layout, its publisher and source,
and how one of its records becomes a `Record`."""

from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from nexusdb.ingest.reading import FileReader, RawRecord
from nexusdb.ingest.records import Record, RecordError, slug


@dataclass(frozen=True)
class Publisher:
    key: str
    name: str
    description: str
    qid: str | None = None


@dataclass(frozen=True)
class Release:
    """The `source` row of one dataset release: every claim of the import cites it."""

    key: str
    title: str
    url: str
    # NATO/Admiralty grading, as curated for the dataset (see docs/import.md).
    reliability: str


class Dataset(ABC):
    """One dataset format. Subclasses say how to read and interpret its records."""

    # `acled`, `ucdp`, `plover`: rows the import creates carry origin `import:<name>`.
    name: str
    # The event_type_crosswalk scheme whose preferred rows type the records.
    scheme: str
    publisher: Publisher
    # SQL for the revision of a stored record (aliases: c = claim, s = its source), the
    # counterpart of `Record.revision`: a staged record with a larger one supersedes it.
    stored_revision_sql: str
    # The field that holds a record's id (`event_id_cnty`, `id`).
    id_field: str
    # The columns of a deletions file, the record id first (empty: the dataset has none).
    deletion_columns: tuple[str, ...] = ()

    @property
    def origin(self) -> str:
        return f"import:{self.name}"

    def event_key(self, record_id: str) -> str:
        """The key of the event (and of its claim) for a record id: `acled-ukr900102`."""
        return f"{self.name}-{slug(record_id, limit=60)}"

    @abstractmethod
    def release(self) -> Release:
        """The source row for the release this file belongs to."""

    @abstractmethod
    def open(self, path: Path, handle: IO[bytes]) -> tuple[FileReader, Iterator[RawRecord]]:
        """The records of the file; refuses a file missing required columns."""

    def record_id(self, raw: RawRecord) -> str:
        """The record's id as the dataset writes it, or '' when it has none."""
        value = raw.values.get(self.id_field)
        return str(value).strip() if value is not None else ""

    def required_id(self, raw: RawRecord) -> str:
        """The record's id; a record without one is refused, naming the field."""
        record_id = self.record_id(raw)
        if not record_id:
            raise RecordError(self.id_field, "is empty")
        return record_id

    @abstractmethod
    def parse(self, raw: RawRecord, event_types: Mapping[str, str]) -> Record:
        """The record's rows; a RecordError names the field that is wrong."""
