"""ACLED's standard export: 31 columns per event, `;`-separated actor and source lists.

See docs/import.md for the mapping column by column.
"""

import json
import re
from collections.abc import Iterator, Mapping
from datetime import date, timedelta
from pathlib import Path
from typing import IO

from iso3166 import countries_by_numeric

from nexusdb.ingest.dataset import Dataset, Publisher, Release
from nexusdb.ingest.reading import FileReader, RawRecord, csv_records
from nexusdb.ingest.records import (
    Location,
    Participant,
    Quantity,
    Record,
    RecordError,
    parse_coordinate,
    parse_int,
    split_list,
    stable_key,
)
from nexusdb.schemas.dates import PreciseDate, parse_date

COLUMNS = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
]

# inter1/inter2, as codes (the API) or as labels (newer exports).
ACTOR_KINDS = {
    "1": "military",
    "state forces": "military",
    "2": "armed_group",
    "rebel group": "armed_group",
    "rebel groups": "armed_group",
    "3": "armed_group",
    "political militia": "armed_group",
    "political militias": "armed_group",
    "4": "armed_group",
    "identity militia": "armed_group",
    "identity militias": "armed_group",
    "5": "population_group",
    "rioters": "population_group",
    "6": "population_group",
    "protesters": "population_group",
    "7": "population_group",
    "civilians": "population_group",
    "8": "organization",
    "external/other forces": "organization",
}
GEO_PRECISION = {"1": "exact", "2": "near", "3": "admin1"}
# ACLED codes Kosovo as 0, which ISO 3166 has no number for.
KOSOVO = "XKX"
# "2024-10-03" (the API) or "03 October 2024" (the export tool).
_SPELLED_DATE = re.compile(r"^(\d{1,2}) ([A-Za-z]+) (\d{4})$")
# strptime's %B in the C locale, without its per-call cost: full English month names.
MONTHS = {
    name: number
    for number, name in enumerate(
        ("january", "february", "march", "april", "may", "june", "july", "august",
         "september", "october", "november", "december"),
        start=1,
    )
}  # fmt: skip
_JSON = json.JSONEncoder(ensure_ascii=False)


def parse_event_date(text: str) -> date:
    text = text.strip()
    try:
        if spelled := _SPELLED_DATE.match(text):
            day, month, year = spelled.groups()
            return date(int(year), MONTHS[month.lower()], int(day))
        parsed = parse_date(text)
    except (ValueError, KeyError):
        raise RecordError("event_date", f"{text!r} is not a date") from None
    if parsed.precision != "day":
        raise RecordError("event_date", f"{text!r} is not a date")
    return parsed.value


def interval(day: date, precision: str) -> tuple[PreciseDate, PreciseDate]:
    """The honest interval of an ACLED date: a day, a week around it, or its month."""
    match precision:
        case "1":
            return PreciseDate(day, "day"), PreciseDate(day, "day")
        case "2":
            # ACLED codes a week's events on the week's middle day.
            return PreciseDate(day - timedelta(days=3), "day"), PreciseDate(
                day + timedelta(days=3), "day"
            )
        case "3":
            month = PreciseDate(day.replace(day=1), "month")
            return month, month
    raise RecordError("time_precision", f"{precision!r} is not 1, 2 or 3")


def country_iso3(text: str) -> str:
    try:
        number = int(text.strip())
    except ValueError:
        raise RecordError("iso", f"{text!r} is not an ISO 3166 numeric code") from None
    if number == 0:
        return KOSOVO
    country = countries_by_numeric.get(f"{number:03d}")
    if country is None:
        raise RecordError("iso", f"{text!r} is not an ISO 3166 numeric code")
    return country.alpha3


def actor_kind(column: str, text: str) -> str:
    kind = ACTOR_KINDS.get(text.strip().lower())
    if kind is None:
        raise RecordError(column, f"{text!r} is not an ACLED actor type (1-8)")
    return kind


class Acled(Dataset):
    name = "acled"
    scheme = "acled_sub_event"
    publisher = Publisher(
        key="acled",
        name="ACLED",
        description="Armed Conflict Location & Event Data, publisher of the ACLED dataset.",
    )
    stored_revision_sql = "ARRAY[(c.record_data->>'timestamp')::bigint]"
    id_field = "event_id_cnty"
    deletion_columns = ("event_id_cnty", "deleted_timestamp")

    def release(self) -> Release:
        # ACLED is a living dataset: one source, whose records change in place.
        return Release(
            key="acled",
            title="ACLED: Armed Conflict Location & Event Data",
            url="https://acleddata.com/data/",
            reliability="B",
        )

    def open(self, path: Path, handle: IO[bytes]) -> tuple[FileReader, Iterator[RawRecord]]:
        reader, _, records = csv_records(path, handle, required=COLUMNS)
        return reader, records

    def parse(self, raw: RawRecord, event_types: Mapping[str, str]) -> Record:
        values = raw.values
        record_id = self.required_id(raw)
        day = parse_event_date(values["event_date"])
        start, end = interval(day, values["time_precision"].strip())
        sub_event = values["sub_event_type"].strip()
        event_type = event_types.get(sub_event)
        if event_type is None:
            raise RecordError("sub_event_type", f"{sub_event!r} is not an ACLED sub-event type")
        iso3 = country_iso3(values["iso"])
        participants = self.participants(values)
        fatalities = parse_int("fatalities", values["fatalities"] or "0", minimum=0)
        revision = parse_int("timestamp", values["timestamp"], minimum=0)
        latitude = parse_coordinate("latitude", values["latitude"], bound=90)
        longitude = parse_coordinate("longitude", values["longitude"], bound=180)
        geo = values["geo_precision"].strip()
        if geo not in GEO_PRECISION:
            raise RecordError("geo_precision", f"{geo!r} is not 1, 2 or 3")
        place_name = values["location"].strip() or values["admin1"].strip()
        if not place_name:
            raise RecordError("location", "is empty")
        country = values["country"].strip()
        location = Location(
            key=stable_key("acled", place_name, iso3, place_name, latitude, longitude),
            name=place_name,
            kind="region" if geo == "3" else "city",
            latitude=latitude,
            longitude=longitude,
            precision=GEO_PRECISION[geo],
            country_iso3=iso3,
        )
        where = f"{place_name}, {country}" if country else place_name
        return Record(
            record_id=record_id,
            event_key=self.event_key(record_id),
            revision=(revision,),
            event_type=event_type,
            title=f"{sub_event} in {where}",
            summary=values["notes"].strip() or None,
            start=start,
            end=end,
            location=location,
            claim_text=(
                f"ACLED event {record_id}: {sub_event} in {where} on {day.isoformat()}"
                f" (time precision {values['time_precision'].strip()}),"
                f" {fatalities} reported fatalities."
            ),
            record_json=_JSON.encode(values),
            participants=participants,
            quantities=[
                Quantity(
                    kind="deaths",
                    counted="people",
                    low=fatalities,
                    high=fatalities,
                    qualifier="exact",
                    wording=f"fatalities: {fatalities}",
                )
            ],
        )

    def participants(self, values: Mapping[str, str]) -> list[Participant]:
        actor1 = values["actor1"].strip()
        if not actor1:
            raise RecordError("actor1", "is empty")
        kind1 = actor_kind("inter1", values["inter1"])
        found = [Participant(actor1, "initiator", kind1)]
        found += [Participant(n, "supporter", kind1) for n in split_list(values["assoc_actor_1"])]
        actor2 = values["actor2"].strip()
        if actor2:
            kind2 = actor_kind("inter2", values["inter2"])
            found.append(Participant(actor2, "target", kind2))
            found += [
                Participant(n, "supporter", kind2) for n in split_list(values["assoc_actor_2"])
            ]
        elif values["assoc_actor_2"].strip():
            raise RecordError("assoc_actor_2", "names associates of an empty actor2")
        return found
