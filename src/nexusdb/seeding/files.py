"""Reading the seed YAML files into pydantic records, with errors that name file, entry and field.

YAML is read without implicit typing (every scalar a string), so `2024-13-45`, `2024-11`,
`NO` and `2024` all reach pydantic as the curator wrote them and fail, if they fail,
with the field's name.
"""

from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from nexusdb.errors import SeedError
from nexusdb.schemas.seed import (
    ActorRecord,
    ClaimRecord,
    EventRecord,
    MaterielRecord,
    PlaceRecord,
    RelationshipRecord,
    SourceRecord,
)

RecordT = TypeVar("RecordT", bound=BaseModel)

NULLS = {"", "~", "null", "Null", "NULL"}


@dataclass(frozen=True)
class SeedFiles:
    directory: Path
    sources: list[SourceRecord]
    actors: list[ActorRecord]
    places: list[PlaceRecord]
    materiel: list[MaterielRecord]
    claims: list[ClaimRecord]
    events: list[EventRecord]
    relationships: list[RelationshipRecord]


def _plain(value: Any) -> Any:
    """Strings as written, YAML's null spellings as None, folded blocks without their newline."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, str):
        stripped = value.strip()
        return None if stripped in NULLS else stripped
    return value


def _entry_name(raw: Any, index: int) -> str:
    if isinstance(raw, dict) and isinstance(raw.get("key"), str):
        return f"entry {raw['key']!r}"
    return f"entry #{index + 1}"


def _field_path(location: tuple[int | str, ...]) -> str:
    parts: list[str] = []
    for part in location:
        if isinstance(part, int):
            parts.append(f"[{part}]")
        elif not part.startswith("function-") and part not in {"constrained-str"}:
            parts.append(f".{part}" if parts else part)
    return "".join(parts) or "(entry)"


def describe_validation_error(error: ValidationError) -> str:
    first = error.errors(include_url=False)[0]
    field = _field_path(first["loc"])
    message = first["msg"].removeprefix("Value error, ")
    if first["type"] == "extra_forbidden":
        message = "unknown field"
    elif first["type"] == "missing":
        message = "missing"
    shown = first.get("input")
    suffix = f" (got {shown!r})" if isinstance(shown, str) and first["type"] != "missing" else ""
    return f"field {field!r}: {message}{suffix}"


def load_records(path: Path, model: type[RecordT]) -> list[RecordT]:
    """Parse one seed file; any problem is a SeedError naming the file, entry and field."""
    if not path.is_file():
        raise SeedError(f"{path}: file not found")
    try:
        raw = YAML(typ="base").load(path.read_text(encoding="utf-8"))
    except MarkedYAMLError as error:
        mark = error.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "unknown position"
        raise SeedError(f"{path}: malformed YAML at {where}: {error.problem}") from None
    except (YAMLError, UnicodeDecodeError) as error:
        raise SeedError(f"{path}: malformed YAML: {error}") from None
    raw = _plain(raw)
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise SeedError(f"{path}: expected a list of entries at the top level")
    records: list[RecordT] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(raw):
        entry = _entry_name(item, index)
        if not isinstance(item, dict):
            raise SeedError(f"{path}: {entry}: expected a mapping of fields")
        try:
            record = model.model_validate(item)
        except ValidationError as error:
            raise SeedError(f"{path}: {entry}: {describe_validation_error(error)}") from None
        key = getattr(record, "key", None)
        if isinstance(key, str):
            if key in seen:
                raise SeedError(
                    f"{path}: entry {key!r}: field 'key': duplicate key"
                    f" (also entry #{seen[key] + 1})"
                )
            seen[key] = index
        records.append(record)
    return records


def load_seed_files(directory: Path) -> SeedFiles:
    if not directory.is_dir():
        raise SeedError(f"{directory}: seed directory not found")
    return SeedFiles(
        directory=directory,
        sources=load_records(directory / "sources.yaml", SourceRecord),
        actors=load_records(directory / "actors.yaml", ActorRecord),
        places=load_records(directory / "places.yaml", PlaceRecord),
        materiel=load_records(directory / "materiel.yaml", MaterielRecord),
        claims=load_records(directory / "claims.yaml", ClaimRecord),
        events=load_records(directory / "events.yaml", EventRecord),
        relationships=load_records(directory / "relationships.yaml", RelationshipRecord),
    )
