"""UCDP's Georeferenced Event Dataset (GED) CSV, columns matched by name.

Releases add columns: unknown ones are kept in the raw record and otherwise ignored; a
missing required one refuses the file. A record is (`id`, release version): importing a
newer release supersedes the older one's records in place. See docs/import.md.
"""

import json
import re
from collections.abc import Iterator, Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO

from nexusdb.ingest.dataset import Dataset, Publisher, Release
from nexusdb.ingest.reading import FileReader, RawRecord, csv_records
from nexusdb.ingest.records import (
    IngestError,
    Location,
    Participant,
    Quantity,
    Record,
    RecordError,
    parse_coordinate,
    parse_int,
    stable_key,
)
from nexusdb.schemas.dates import PreciseDate, parse_date

REQUIRED = [
    "id",
    "year",
    "type_of_violence",
    "conflict_new_id",
    "conflict_name",
    "dyad_new_id",
    "side_a_new_id",
    "side_a",
    "side_b_new_id",
    "side_b",
    "number_of_sources",
    "source_article",
    "source_headline",
    "where_prec",
    "where_description",
    "adm_1",
    "adm_2",
    "latitude",
    "longitude",
    "country",
    "region",
    "event_clarity",
    "date_prec",
    "date_start",
    "date_end",
    "deaths_a",
    "deaths_b",
    "deaths_civilians",
    "deaths_unknown",
    "best",
    "high",
    "low",
]
WHERE_PRECISION = {
    "1": ("exact", "city"),
    "2": ("near", "city"),
    "3": ("admin2", "region"),
    "4": ("admin1", "region"),
    "5": ("approximate", "region"),
    "6": ("country", "country"),
    "7": ("other", "region"),
}
VIOLENCE = {"1": "state-based conflict", "2": "non-state conflict", "3": "one-sided violence"}
_VERSION = re.compile(r"^\d+(\.\d+)*$")
# GEDEvent_v24_1.csv, ged241.csv: the release a file name gives.
_VERSION_IN_NAME = re.compile(r"(?:v|ged)(\d{2})[._-]?(\d)", re.IGNORECASE)


def release_version(path: Path, version: str | None) -> tuple[int, ...]:
    if version is None:
        match = _VERSION_IN_NAME.search(path.name)
        if match is None:
            raise IngestError(f"{path.name}: say which GED release it is, e.g. --version 24.1")
        version = f"{match.group(1)}.{match.group(2)}"
    if not _VERSION.match(version):
        raise IngestError(f"--version {version!r} is not a release number such as 24.1")
    return tuple(int(part) for part in version.split("."))


def side_kind(name: str) -> str:
    if name.startswith("Government of"):
        return "government"
    if name == "Civilians":
        return "population_group"
    return "armed_group"


def day(field_name: str, text: str) -> PreciseDate:
    """A GED date, `2024-01-05` or `2024-01-05 00:00:00.000`."""
    try:
        parsed = parse_date(text.strip()[:10])
    except ValueError:
        parsed = None
    if parsed is None or parsed.precision != "day":
        raise RecordError(field_name, f"{text!r} is not a date")
    return parsed


def count(field_name: str, text: str) -> Decimal:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise RecordError(field_name, f"{text!r} is not a number") from None
    if value < 0 or value != value.to_integral_value():
        raise RecordError(field_name, f"{text!r} is not a count of people")
    return value


class Ucdp(Dataset):
    name = "ucdp"
    scheme = "ucdp"
    publisher = Publisher(
        key="ucdp",
        name="Uppsala Conflict Data Program (UCDP)",
        description="Department of Peace and Conflict Research, Uppsala University.",
    )
    stored_revision_sql = "string_to_array(substring(s.key from '^ucdp-ged-(.+)$'), '-')::bigint[]"
    id_field = "id"

    def __init__(self, path: Path, version: str | None = None) -> None:
        self.version = release_version(path, version)

    def release(self) -> Release:
        version = ".".join(str(part) for part in self.version)
        return Release(
            key="ucdp-ged-" + "-".join(str(part) for part in self.version),
            title=f"UCDP Georeferenced Event Dataset (GED) Global version {version}",
            url="https://ucdp.uu.se/downloads/",
            reliability="B",
        )

    def open(self, path: Path, handle: IO[bytes]) -> tuple[FileReader, Iterator[RawRecord]]:
        reader, _, records = csv_records(path, handle, required=REQUIRED)
        return reader, records

    def parse(self, raw: RawRecord, event_types: Mapping[str, str]) -> Record:
        values = raw.values
        record_id = self.required_id(raw)
        violence = values["type_of_violence"].strip()
        event_type = event_types.get(violence)
        if event_type is None:
            raise RecordError("type_of_violence", f"{violence!r} is not 1, 2 or 3")
        start, end = day("date_start", values["date_start"]), day("date_end", values["date_end"])
        if end.value < start.value:
            raise RecordError("date_end", f"{values['date_end']!r} is before date_start")
        side_a, side_b = values["side_a"].strip(), values["side_b"].strip()
        if not side_a:
            raise RecordError("side_a", "is empty")
        if not side_b:
            raise RecordError("side_b", "is empty")
        best, low, high = (count(name, values[name]) for name in ("best", "low", "high"))
        if not low <= best <= high:
            raise RecordError("best", f"{best} is not between low {low} and high {high}")
        precision = values["where_prec"].strip()
        if precision not in WHERE_PRECISION:
            raise RecordError("where_prec", f"{precision!r} is not 1..7")
        location_precision, place_kind = WHERE_PRECISION[precision]
        latitude = parse_coordinate("latitude", values["latitude"], bound=90)
        longitude = parse_coordinate("longitude", values["longitude"], bound=180)
        country = values["country"].strip()
        place_name = (
            country if place_kind == "country" else values["where_description"].strip() or country
        )
        parse_int("year", values["year"], minimum=1989)
        quantities = [Quantity("deaths", "people", low, high, "between", f"best estimate {best}")]
        for column, counted in (
            ("deaths_a", f"side A: {side_a}"),
            ("deaths_b", f"side B: {side_b}"),
            ("deaths_civilians", "civilians"),
            ("deaths_unknown", "unknown"),
        ):
            deaths = count(column, values[column])
            quantities.append(Quantity("deaths", counted, deaths, deaths, "exact", column))
        version = ".".join(str(part) for part in self.version)
        return Record(
            record_id=record_id,
            event_key=self.event_key(record_id),
            revision=self.version,
            event_type=event_type,
            title=f"{VIOLENCE[violence]}: {side_a} vs {side_b}, {place_name}",
            summary=values["source_headline"].strip() or None,
            start=start,
            end=end,
            location=Location(
                key=stable_key("ucdp", place_name, country, place_name, latitude, longitude),
                name=place_name,
                kind=place_kind,
                latitude=latitude,
                longitude=longitude,
                precision=location_precision,
                country_iso3=None,
            ),
            claim_text=(
                f"UCDP GED {version} event {record_id}: {side_a} vs {side_b} in {place_name},"
                f" {start} to {end}, best estimate {best} deaths ({low} to {high})."
            ),
            record_json=json.dumps(values, ensure_ascii=False),
            participants=[
                Participant(side_a, "initiator", side_kind(side_a)),
                Participant(side_b, "target", side_kind(side_b)),
            ],
            quantities=quantities,
        )
