"""PLOVER JSONL, as POLECAT-style coders write it: one event object per line.

Fields used: `id`, `date`, `enddate`, `actor[]`, `recipient[]`, `event` (one of the 16
PLOVER types), `mode`, `context`, `event_loc{...}`, `event_text`; the rest (`text_info`,
`cite_info`, ...) stays in the raw record. An actor is a name or an object with `name`,
and optionally `identifier_id` (a Wikidata QID), `country` (ISO 3166 alpha-3) and
`actor_type`. See docs/import.md.
"""

import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from nexusdb.ingest.dataset import Dataset, Publisher, Release
from nexusdb.ingest.reading import FileReader, RawRecord, jsonl_records
from nexusdb.ingest.records import Location, Participant, Record, RecordError, stable_key
from nexusdb.schemas.dates import PreciseDate, parse_date

_QID = re.compile(r"^Q[1-9]\d*$")
_ISO3 = re.compile(r"^[A-Z]{3}$")
# actor_type as coders write it, to nexusdb's actor kinds; anything else is an organization.
ACTOR_KINDS = {
    "state": "state",
    "country": "state",
    "gov": "government",
    "government": "government",
    "mil": "military",
    "military": "military",
    "reb": "armed_group",
    "rebel": "armed_group",
    "insurgent": "armed_group",
    "armed_group": "armed_group",
    "person": "person",
    "party": "political_party",
    "media": "media_outlet",
    "cvl": "population_group",
    "civilian": "population_group",
}
STATE_KINDS = {"state"}


def text_field(values: Mapping[str, Any], name: str) -> str:
    value = values.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise RecordError(name, f"{value!r} is not a string")
    return value.strip()


def plover_date(values: Mapping[str, Any], name: str) -> PreciseDate:
    text = text_field(values, name)
    try:
        return parse_date(text)
    except ValueError:
        raise RecordError(name, f"{text!r} is not a date") from None


def participant(entry: object, field_name: str, role: str) -> Participant:
    if isinstance(entry, str):
        if not entry.strip():
            raise RecordError(field_name, "names an actor with an empty name")
        return Participant(entry.strip(), role, "organization")
    if not isinstance(entry, dict):
        raise RecordError(field_name, f"{entry!r} is neither a name nor an actor object")
    qid = text_field(entry, "identifier_id") or None
    if qid is not None and not _QID.match(qid):
        raise RecordError(f"{field_name}.identifier_id", f"{qid!r} is not a Wikidata QID")
    country = text_field(entry, "country") or None
    if country is not None and not _ISO3.match(country):
        raise RecordError(f"{field_name}.country", f"{country!r} is not an ISO 3166 alpha-3 code")
    kind = ACTOR_KINDS.get(text_field(entry, "actor_type").lower(), "organization")
    name = text_field(entry, "name") or country or qid
    if name is None:
        raise RecordError(field_name, "names an actor with no name, country or identifier_id")
    # A state is known by its ISO code; anyone else from a country is not that country.
    is_state = kind in STATE_KINDS or not text_field(entry, "name")
    return Participant(name, role, kind, qid=qid, iso3=country if is_state else None)


def location(values: Mapping[str, Any]) -> Location | None:
    place = values.get("event_loc")
    if place is None:
        return None
    if not isinstance(place, dict):
        raise RecordError("event_loc", f"{place!r} is not an object")
    name = text_field(place, "name")
    country = text_field(place, "country") or None
    latitude, longitude = place.get("lat"), place.get("lon")
    for key, value, bound in (("lat", latitude, 90), ("lon", longitude, 180)):
        if value is not None and (not isinstance(value, int | float) or abs(value) > bound):
            raise RecordError(f"event_loc.{key}", f"{value!r} is not a coordinate")
    if not name and country is None:
        return None
    has_point = latitude is not None and longitude is not None
    return Location(
        key=stable_key(
            "plover", name or str(country), place.get("geonameid") or (name, latitude, longitude)
        ),
        name=name or str(country),
        kind="city" if name and has_point else "country",
        latitude=float(latitude) if has_point else None,  # type: ignore[arg-type]
        longitude=float(longitude) if has_point else None,  # type: ignore[arg-type]
        precision="exact" if name and has_point else "country",
        country_iso3=country,
    )


class Plover(Dataset):
    name = "plover"
    scheme = "plover"
    publisher = Publisher(
        key="polecat",
        name="POLECAT",
        description="Publisher of PLOVER-coded event data (the POLECAT dataset).",
    )
    # PLOVER records carry no revision: a record changes when its data does.
    stored_revision_sql = "ARRAY[]::bigint[]"
    id_field = "id"

    def release(self) -> Release:
        return Release(
            key="plover",
            title="PLOVER-coded event records (POLECAT-style JSONL)",
            url="https://github.com/openeventdata/PLOVER",
            reliability="C",
        )

    def open(self, path: Path, handle: IO[bytes]) -> tuple[FileReader, Iterator[RawRecord]]:
        return jsonl_records(path, handle)

    def parse(self, raw: RawRecord, event_types: Mapping[str, str]) -> Record:
        values = raw.values
        record_id = self.required_id(raw)
        code = text_field(values, "event").upper()
        event_type = event_types.get(code)
        if event_type is None:
            raise RecordError("event", f"{code!r} is not one of PLOVER's 16 event types")
        start = plover_date(values, "date")
        end = plover_date(values, "enddate") if values.get("enddate") else start
        if end.value < start.value:
            raise RecordError("enddate", f"{end} is before date {start}")
        participants: list[Participant] = []
        for field_name, role in (("actor", "initiator"), ("recipient", "target")):
            entries = values.get(field_name) or []
            if not isinstance(entries, list):
                raise RecordError(field_name, "is not a list")
            participants += [participant(entry, field_name, role) for entry in entries]
        if not participants:
            raise RecordError("actor", "is empty, and so is recipient")
        mode = text_field(values, "mode")
        names = " and ".join(p.name for p in participants if p.role == "initiator") or "unknown"
        targets = " and ".join(p.name for p in participants if p.role == "target")
        title = f"{code.capitalize()}{f' ({mode})' if mode else ''}: {names}"
        title += f" toward {targets}" if targets else ""
        return Record(
            record_id=record_id,
            event_key=self.event_key(record_id),
            revision=(),
            event_type=event_type,
            title=title,
            summary=text_field(values, "event_text") or None,
            start=start,
            end=end,
            location=location(values),
            claim_text=f"PLOVER record {record_id}: {title}, {start}.",
            record_json=json.dumps(values, ensure_ascii=False, sort_keys=True),
            participants=participants,
        )
