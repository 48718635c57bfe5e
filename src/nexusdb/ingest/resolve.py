"""Set-based resolution: the actors and places the staged records name, found or created.

Each rule is one statement over all distinct names of the import, never a query per
record. The rule, in order (docs/import.md shows it on the article's actors):

1. an actor that carries the record's Wikidata QID, then its ISO 3166 alpha-3 code;
2. an actor this dataset has named so before (an alias of the import's own origin);
3. the one non-anonymous actor whose name or alias is the same name, accents and case
   aside (two or more candidates: no match, rather than a guess);
4. the actor a previous import created under the same derived key;
5. otherwise a new actor of the import's origin.

Every actor used gets each raw name the dataset gives it as an alias of the import's
origin (the names of one QID or ISO code can be several: `Ukraine`, `Ukrajina`), and the
QID or ISO code as an external id where it had none, so the next import finds it by
rule 1 or 2. Seed rows themselves are never changed.
"""

from typing import Any

import psycopg

# The participants of the changed records (import_change AS ch).
PARTICIPANTS = "import_record_participant AS p ON p.line = ch.line"
# The identity of a named actor within an import: its QID, its ISO code, or its name.
HANDLE = (
    "CASE WHEN p.qid IS NOT NULL THEN 'wikidata:' || p.qid"
    " WHEN p.iso3 IS NOT NULL THEN 'iso3166_alpha3:' || p.iso3"
    " ELSE 'name:' || p.name END"
)


def derived_key(prefix: str, name_sql: str, identity_sql: str) -> str:
    """SQL for a readable key that is the same for the same identity on every database."""
    readable = (
        f"nullif(left(trim(BOTH '-' FROM regexp_replace("
        f"normalize_name({name_sql}), '[^a-z0-9]+', '-', 'g')), 48), '')"
    )
    return f"concat_ws('-', '{prefix}', rtrim({readable}, '-'), left(md5({identity_sql}), 10))"


def resolve_actors(conn: psycopg.Connection[Any], *, prefix: str, origin: str) -> int:
    """Fill import_actor: an actor for each name the changed records use; how many are new."""
    conn.execute(
        f"""
        CREATE TEMPORARY TABLE import_actor ON COMMIT DROP AS
        SELECT handle, name, kind, qid, iso3, {derived_key(prefix, "name", "handle")} AS key,
               NULL::uuid AS actor_id, false AS created
        FROM (SELECT DISTINCT ON (handle) handle, name, kind, qid, iso3
              FROM (SELECT {HANDLE} AS handle, p.name, p.kind, p.qid, p.iso3, ch.line
                    FROM import_change AS ch JOIN {PARTICIPANTS}) AS named
              ORDER BY handle, line) AS first_named
        """
    )
    conn.execute("ALTER TABLE import_actor ADD PRIMARY KEY (handle)")
    conn.execute("ANALYZE import_actor")
    steps = [
        # 1. External ids.
        """
        UPDATE import_actor AS a SET actor_id = x.actor_id
        FROM actor_external_id AS x
        WHERE x.scheme = 'wikidata' AND x.value = a.qid
        """,
        """
        UPDATE import_actor AS a SET actor_id = x.actor_id
        FROM actor_external_id AS x
        WHERE a.actor_id IS NULL AND x.scheme = 'iso3166_alpha3' AND x.value = a.iso3
        """,
        # 2. This dataset's own earlier names (the smallest actor id, should there be two).
        """
        UPDATE import_actor AS a SET actor_id = own.actor_id
        FROM (SELECT DISTINCT ON (name) name, actor_id FROM actor_alias
              WHERE origin = %(origin)s ORDER BY name, actor_id) AS own
        WHERE a.actor_id IS NULL AND own.name = a.name
        """,
        # 3. The one actor of any origin with that name or alias.
        """
        UPDATE import_actor AS a SET actor_id = unique_match.actor_id
        FROM (SELECT a2.handle, min(named.actor_id::text)::uuid AS actor_id
              FROM import_actor AS a2
              JOIN (SELECT id AS actor_id, normalized_name FROM actor WHERE NOT is_anonymous
                    UNION
                    SELECT al.actor_id, al.normalized_name FROM actor_alias AS al
                    JOIN actor AS owner ON owner.id = al.actor_id AND NOT owner.is_anonymous)
                   AS named ON named.normalized_name = normalize_name(a2.name)
              WHERE a2.actor_id IS NULL
              GROUP BY a2.handle
              HAVING count(DISTINCT named.actor_id) = 1) AS unique_match
        WHERE a.handle = unique_match.handle
        """,
        # 4. The key an earlier import derived for the same identity.
        """
        UPDATE import_actor AS a SET actor_id = earlier.id
        FROM actor AS earlier
        WHERE a.actor_id IS NULL AND earlier.key = a.key
        """,
        # 5. New actors.
        """
        UPDATE import_actor SET actor_id = gen_random_uuid(), created = true
        WHERE actor_id IS NULL
        """,
        """
        INSERT INTO actor (id, key, kind, name, country_code, basis, origin)
        SELECT actor_id, key, kind, name, iso3, 'source_text', %(origin)s
        FROM import_actor WHERE created
        """,
        # The raw names, and the identifiers, for the next import. A name is its own
        # handle, unless the actor came with a QID or ISO code: then every name it went by.
        f"""
        INSERT INTO actor_alias (actor_id, name, language, kind, origin)
        SELECT DISTINCT named.actor_id, named.name, 'en', 'name', %(origin)s
        FROM (SELECT actor_id, name, qid, iso3 FROM import_actor
              UNION ALL
              SELECT a.actor_id, p.name, p.qid, p.iso3
              FROM import_change AS ch JOIN {PARTICIPANTS}
              JOIN import_actor AS a ON a.handle = {HANDLE}
              WHERE p.qid IS NOT NULL OR p.iso3 IS NOT NULL) AS named
        WHERE named.name IS DISTINCT FROM named.iso3 AND named.name IS DISTINCT FROM named.qid
        ORDER BY named.actor_id, named.name
        ON CONFLICT DO NOTHING
        """,
        """
        INSERT INTO actor_external_id (actor_id, scheme, value, origin)
        SELECT actor_id, 'wikidata', qid, %(origin)s FROM import_actor WHERE qid IS NOT NULL
        UNION ALL
        SELECT actor_id, 'iso3166_alpha3', iso3, %(origin)s FROM import_actor
        WHERE iso3 IS NOT NULL AND qid IS NULL
        ON CONFLICT DO NOTHING
        """,
    ]
    for step in steps:
        conn.execute(step, {"origin": origin})
    row = conn.execute("SELECT count(*) FROM import_actor WHERE created").fetchone()
    return int(row[0]) if row else 0


def resolve_places(conn: psycopg.Connection[Any], *, origin: str) -> int:
    """Fill import_place with a place for every location of the changed records; the number created.

    The same key (same dataset location) is the same place; else a country-level location
    is the country with that ISO code; else a place with the same name within 0.1 degrees;
    else a new place with the dataset's coordinates and location precision.
    """
    conn.execute(
        """
        CREATE TEMPORARY TABLE import_place ON COMMIT DROP AS
        SELECT DISTINCT ON (r.place_key) r.place_key AS key, r.place_name AS name,
               r.place_kind AS kind, r.latitude, r.longitude, r.location_precision,
               r.country_iso3, NULL::uuid AS place_id, false AS created
        FROM import_change AS ch JOIN import_record AS r ON r.line = ch.line
        WHERE r.place_key IS NOT NULL
        ORDER BY r.place_key, r.line
        """
    )
    conn.execute("ALTER TABLE import_place ADD PRIMARY KEY (key)")
    conn.execute("ANALYZE import_place")
    steps = [
        "UPDATE import_place AS ip SET place_id = p.id FROM place AS p WHERE p.key = ip.key",
        """
        UPDATE import_place AS ip SET place_id = p.id
        FROM place AS p
        WHERE ip.place_id IS NULL AND ip.location_precision = 'country'
          AND p.kind = 'country' AND p.iso_code = ip.country_iso3
        """,
        """
        UPDATE import_place AS ip SET place_id = near.place_id
        FROM (SELECT DISTINCT ON (ip2.key) ip2.key, p.id AS place_id
              FROM import_place AS ip2
              JOIN place AS p ON normalize_name(p.name) = normalize_name(ip2.name)
               AND abs(p.latitude - ip2.latitude) <= 0.1
               AND abs(p.longitude - ip2.longitude) <= 0.1
              WHERE ip2.place_id IS NULL
              ORDER BY ip2.key, p.key) AS near
        WHERE ip.key = near.key
        """,
        """
        UPDATE import_place SET place_id = gen_random_uuid(), created = true
        WHERE place_id IS NULL
        """,
        """
        INSERT INTO place (id, key, kind, name, iso_code, latitude, longitude,
                           location_precision, basis, origin)
        SELECT place_id, key, kind, name,
               CASE WHEN kind = 'country' THEN country_iso3 END,
               latitude, longitude, location_precision, 'source_text', %(origin)s
        FROM import_place WHERE created
        """,
    ]
    for step in steps:
        conn.execute(step, {"origin": origin})
    row = conn.execute("SELECT count(*) FROM import_place WHERE created").fetchone()
    return int(row[0]) if row else 0
