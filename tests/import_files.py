"""Dataset files in their published layouts, written by the import tests."""

import csv
import json
from pathlib import Path

from nexusdb.ingest.acled import COLUMNS as ACLED_COLUMNS


def acled_row(event_id: str, **values: str) -> dict[str, str]:
    """An ACLED export row: a battle in Donetsk unless told otherwise."""
    row = {
        "event_id_cnty": event_id,
        "event_date": "2024-10-03",
        "year": "2024",
        "time_precision": "1",
        "disorder_type": "Political violence",
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "actor1": "Military Forces of Russia (2000-)",
        "assoc_actor_1": "",
        "inter1": "1",
        "actor2": "Military Forces of Ukraine (2019-)",
        "assoc_actor_2": "",
        "inter2": "1",
        "interaction": "11",
        "civilian_targeting": "",
        "iso": "804",
        "region": "Europe",
        "country": "Ukraine",
        "admin1": "Donetsk",
        "admin2": "Pokrovskyi",
        "admin3": "Pokrovska",
        "location": "Pokrovsk",
        "latitude": "48.2822",
        "longitude": "37.1764",
        "geo_precision": "1",
        "source": "Ukrinform; Ministry of Defence of Ukraine",
        "source_scale": "National",
        "notes": "On 3 October 2024, Russian forces clashed with Ukrainian forces near Pokrovsk.",
        "fatalities": "0",
        "tags": "",
        "timestamp": "1728000000",
    }
    row.update(values)
    return row


# Six records: quoted newlines and quotes in notes, `;` lists, all three precisions,
# Unicode names, an empty actor2, both date formats, one actor in several rows.
ACLED_RECORDS = [
    acled_row("UKR900101", fatalities="3", assoc_actor_1="Wagner Group; Akhmat Special Forces"),
    acled_row(
        "UKR900102",
        event_date="05 October 2024",
        time_precision="2",
        sub_event_type="Shelling/artillery/missile attack",
        event_type="Explosions/Remote violence",
        actor2="Civilians (Ukraine)",
        inter2="7",
        assoc_actor_2="Women (Ukraine); Children (Ukraine)",
        notes=(
            'Shelling hit "Pokrovsk market",\nkilling 2 civilians, one a child;'
            ' "a war crime", said officials.'
        ),
        fatalities="2",
    ),
    acled_row(
        "UKR900103",
        event_date="2024-09-15",
        time_precision="3",
        sub_event_type="Air/drone strike",
        event_type="Explosions/Remote violence",
        actor2="",
        inter2="",
        location="Kharkiv",
        admin1="Kharkivska",
        latitude="49.9935",
        longitude="36.2304",
        geo_precision="2",
        notes="Drone strike on Kharkiv some time in September.",
    ),
    acled_row(
        "SYR77001",
        sub_event_type="Peaceful protest",
        event_type="Protests",
        actor1="Protesters (Syria)",
        inter1="6",
        actor2="",
        inter2="",
        iso="760",
        country="Syria",
        admin1="Ḥalab",
        location="Ḥalab \u2013 al-Madīna",
        latitude="36.2021",
        longitude="37.1343",
        notes="Protesters in Aleppo (حلب) demanded the release of detainees.",
    ),
    acled_row(
        "LBN5501",
        event_date="23 September 2024",
        sub_event_type="Air/drone strike",
        event_type="Explosions/Remote violence",
        actor1="Military Forces of Israel (2022-)",
        actor2="Hezbollah",
        inter2="2",
        iso="422",
        country="Lebanon",
        admin1="South Lebanon",
        location="Nabatieh",
        latitude="33.3772",
        longitude="35.4836",
        fatalities="12",
    ),
    acled_row("UKR900104", event_date="2024-10-04", fatalities="1"),
]


def write_acled(path: Path, records: list[dict[str, str]] = ACLED_RECORDS) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=ACLED_COLUMNS)
        writer.writeheader()
        writer.writerows(records)
    return path


UCDP_COLUMNS = [
    "id", "relid", "year", "active_year", "code_status", "type_of_violence",
    "conflict_dset_id", "conflict_new_id", "conflict_name", "dyad_dset_id", "dyad_new_id",
    "dyad_name", "side_a_dset_id", "side_a_new_id", "side_a", "side_b_dset_id",
    "side_b_new_id", "side_b", "number_of_sources", "source_article", "source_office",
    "source_date", "source_headline", "source_original", "where_prec", "where_coordinates",
    "where_description", "adm_1", "adm_2", "latitude", "longitude", "geom_wkt",
    "priogrid_gid", "country", "country_id", "region", "event_clarity", "date_prec",
    "date_start", "date_end", "deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown",
    "best", "high", "low", "gwnoa", "gwnob",
]  # fmt: skip


def ucdp_row(event_id: str, **values: str) -> dict[str, str]:
    """A GED row: Russia against Ukraine near Bakhmut unless told otherwise."""
    row = dict.fromkeys(UCDP_COLUMNS, "")
    row.update(
        id=event_id,
        relid=f"UKR-2023-1-{event_id}",
        year="2023",
        active_year="1",
        code_status="Clear",
        type_of_violence="1",
        conflict_new_id="13243",
        conflict_name="Russia - Ukraine",
        dyad_new_id="15474",
        dyad_name="Government of Russia (Soviet Union) - Government of Ukraine",
        side_a_new_id="57",
        side_a="Government of Russia (Soviet Union)",
        side_b_new_id="140",
        side_b="Government of Ukraine",
        number_of_sources="2",
        source_article='"Kyiv Independent,2023-05-20,Fighting near Bakhmut"',
        source_headline="Fighting continues near Bakhmut; “heavy losses” reported",
        where_prec="1",
        where_description="Bakhmut town",
        adm_1="Donetsk oblast",
        adm_2="Bakhmutskyi raion",
        latitude="48.5953",
        longitude="38.0003",
        country="Ukraine",
        country_id="369",
        region="Europe",
        event_clarity="1",
        date_prec="1",
        date_start="2023-05-20 00:00:00.000",
        date_end="2023-05-20 00:00:00.000",
        deaths_a="12",
        deaths_b="9",
        deaths_civilians="1",
        deaths_unknown="0",
        best="22",
        high="30",
        low="22",
        gwnoa="365",
        gwnob="369",
    )
    row.update(values)
    return row


UCDP_RECORDS = [
    ucdp_row("430001"),
    ucdp_row(
        "430002",
        type_of_violence="3",
        side_a="Government of Russia (Soviet Union)",
        side_b="Civilians",
        side_b_new_id="1",
        where_prec="4",
        where_description="Kharkiv oblast",
        date_prec="3",
        date_start="2023-06-01",
        date_end="2023-06-07",
        deaths_a="0",
        deaths_b="0",
        deaths_civilians="5",
        best="5",
        low="4",
        high="8",
    ),
    ucdp_row(
        "430003",
        type_of_violence="2",
        side_a="Wagner",
        side_b="Ахмат",
        where_description="Soledar",
        latitude="48.6889",
        longitude="38.0906",
    ),
]


def write_ucdp(
    path: Path, records: list[dict[str, str]] = UCDP_RECORDS, *, extra: bool = True
) -> Path:
    """A GED file; `extra` adds a column a newer release might have."""
    columns = [*UCDP_COLUMNS, "new_in_next_release"] if extra else UCDP_COLUMNS
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, restval="x")
        writer.writeheader()
        writer.writerows(records)
    return path


PLOVER_RECORDS: list[dict[str, object]] = [
    {
        "id": "plv-20241103-0001",
        "date": "2024-11-03",
        "actor": [
            {"name": "Russia", "country": "RUS", "actor_type": "STATE", "identifier_id": "Q159"}
        ],
        "recipient": [{"name": "Iran", "country": "IRN", "actor_type": "STATE"}],
        "event": "COOPERATE",
        "mode": "military",
        "context": ["military"],
        "event_loc": {
            "name": "Tehran",
            "lat": 35.6892,
            "lon": 51.389,
            "country": "IRN",
            "geonameid": 112931,
        },
        "event_text": "Russia and Iran signed a military cooperation memorandum in Tehran.",
        "text_info": {"sentence": 2, "spans": [[0, 6], [11, 15]]},
        "cite_info": {"source": "IRNA", "url": "https://example.org/irna/1"},
    },
    {
        "id": "plv-20241104-0002",
        "date": "2024-11-04",
        "enddate": "2024-11-05",
        "actor": [{"name": "Hizballah", "actor_type": "REB"}],
        "recipient": [{"name": "Israel Defense Forces", "country": "ISR", "actor_type": "MIL"}],
        "event": "ASSAULT",
        "mode": "missile",
        "event_loc": {"name": "Haifa", "lat": 32.794, "lon": 34.9896, "country": "ISR"},
        "event_text": "Hezbollah fired rockets at Haifa overnight.",
    },
    {
        "id": "plv-20241105-0003",
        "date": "2024-11-05",
        "actor": ["Вооружённые силы России"],
        "recipient": [{"country": "UKR"}],
        "event": "threaten",
        "event_text": "Threat against Ukraine.",
    },
]


def write_plover(path: Path, records: list[dict[str, object]] = PLOVER_RECORDS) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path
