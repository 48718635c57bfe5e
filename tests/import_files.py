"""Dataset files in their published layouts, written by the import tests."""

import csv
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
