"""Bad input to `nexusdb import`: refused in one line naming file, line, record and field,
with nothing changed, and never at the cost of the files it reads."""

import csv
import json
from pathlib import Path

import pytest

from tests.cli_support import error_line, invoke
from tests.import_files import (
    ACLED_RECORDS,
    PLOVER_RECORDS,
    acled_row,
    write_acled,
    write_plover,
    write_ucdp,
)
from tests.test_import_acled import counts, everything, rows


@pytest.mark.parametrize("same_as", ["input", "deletions"])
def test_the_rejects_file_cannot_be_a_file_the_import_reads(
    fresh: str, tmp_path: Path, same_as: str
) -> None:
    path = write_acled(tmp_path / "acled.csv", [acled_row("UKR1")])
    deletions = tmp_path / "deleted.csv"
    deletions.write_text("event_id_cnty,deleted_timestamp\nUKR2,1730000000\n", encoding="utf-8")
    target = {"input": path, "deletions": deletions}[same_as]
    before = {file: file.read_bytes() for file in (path, deletions)}
    result = invoke(
        "import", "acled", str(path), "--deletions", str(deletions), "--skip-invalid", str(target)
    )
    assert error_line(result) == (
        f"Error: --skip-invalid {target}: that is the {same_as} file, which writing the"
        " rejects would empty; name another file"
    )
    assert {file: file.read_bytes() for file in before} == before
    assert counts(fresh)["event"] == 0


def test_the_rejects_file_is_recognised_through_a_link(fresh: str, tmp_path: Path) -> None:
    path = write_plover(tmp_path / "polecat.jsonl")
    link = tmp_path / "link.jsonl"
    link.symlink_to(path)
    before = path.read_bytes()
    result = invoke("import", "plover", str(path), "--skip-invalid", str(link))
    assert "that is the input file" in error_line(result)
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    ("rejects", "reason"),
    [("no-such-dir/rejects.csv", "No such file or directory"), (".", "Is a directory")],
)
def test_a_rejects_file_that_cannot_be_written_is_one_line(
    fresh: str, tmp_path: Path, rejects: str, reason: str
) -> None:
    path = write_plover(tmp_path / "polecat.jsonl")
    target = tmp_path / rejects
    result = invoke("import", "plover", str(path), "--skip-invalid", str(target))
    assert error_line(result) == f"Error: --skip-invalid {target}: cannot write the file: {reason}"
    assert counts(fresh)["source"] == 0


def test_a_deletions_file_without_its_columns_is_refused_before_anything_is_read(
    fresh: str, tmp_path: Path
) -> None:
    # The main file's bad record would be the first error if it were read first.
    path = write_acled(tmp_path / "acled.csv", [acled_row("UKR1", event_date="2024-13-40")])
    deletions = tmp_path / "deleted.csv"
    deletions.write_text("event_id_cnty,when\nUKR2,1730000000\n", encoding="utf-8")
    rejects = tmp_path / "rejects.csv"
    result = invoke(
        "import", "acled", str(path), "--deletions", str(deletions), "--skip-invalid", str(rejects)
    )
    assert error_line(result) == "Error: deleted.csv: missing required columns: deleted_timestamp"
    assert not rejects.exists()
    assert counts(fresh)["source"] == 0


def test_rejects_are_written_only_once_the_arguments_are_checked(
    fresh: str, tmp_path: Path
) -> None:
    path = tmp_path / "short.csv"
    path.write_text("event_id_cnty,event_date\nUKR1,2024-10-03\n", encoding="utf-8")
    rejects = tmp_path / "rejects.csv"
    rejects.write_text("kept\n", encoding="utf-8")
    result = invoke("import", "acled", str(path), "--skip-invalid", str(rejects))
    assert error_line(result).startswith("Error: short.csv: missing required columns: year, ")
    assert rejects.read_text(encoding="utf-8") == "kept\n"


@pytest.mark.parametrize(("encoding", "name"), [("utf-16", "UTF-16"), ("utf-32", "UTF-32")])
def test_a_file_in_another_encoding_is_named_as_such(
    fresh: str, tmp_path: Path, encoding: str, name: str
) -> None:
    for command, path in (
        ("acled", write_acled(tmp_path / "acled.csv", [acled_row("UKR1")])),
        ("plover", write_plover(tmp_path / "polecat.jsonl")),
    ):
        # Python writes the byte order mark of the machine's byte order first.
        path.write_bytes(path.read_text(encoding="utf-8").encode(encoding))
        assert error_line(invoke("import", command, str(path))) == (
            f"Error: {path.name}:1: the file is not UTF-8: {name}, detected by its byte order"
            " mark (save it as UTF-8)"
        )
    assert counts(fresh)["source"] == 0


def test_a_header_that_is_not_utf8_is_not_reported_as_missing_columns(
    fresh: str, tmp_path: Path
) -> None:
    path = write_acled(tmp_path / "latin1.csv", [acled_row("UKR1")])
    path.write_bytes(path.read_bytes().replace(b"notes", "not\xe9s".encode("latin-1"), 1))
    column = path.read_bytes().index(b"\xe9") + 1
    assert error_line(invoke("import", "acled", str(path))) == (
        f"Error: latin1.csv:1: the file is not UTF-8: byte 0xe9 at column {column} of the header"
    )


def rejected(rejects: Path) -> list[tuple[str, str, str, str]]:
    """The rejects file's rows: line, record id, field, and the record as written."""
    with rejects.open(encoding="utf-8", newline="") as handle:
        return [
            (r["line"], r["record_id"], r["field"], r["record"]) for r in csv.DictReader(handle)
        ]


def test_a_record_that_is_not_valid_csv_still_names_its_id(fresh: str, tmp_path: Path) -> None:
    path = write_acled(tmp_path / "trunc_quoted.csv", [acled_row("UKR1"), acled_row("UKR2")])
    # The last record ends inside its quoted notes.
    path.write_bytes(path.read_bytes()[:-40])
    assert error_line(invoke("import", "acled", str(path))) == (
        "Error: trunc_quoted.csv:3: UKR2: record is not valid CSV (unexpected end of data)"
    )


def test_a_jsonl_line_that_is_not_utf8_still_names_its_id(fresh: str, tmp_path: Path) -> None:
    path = write_plover(tmp_path / "polecat.jsonl")
    path.write_bytes(path.read_bytes().replace(b"Tehran", "T\xe9hran".encode("latin-1")))
    column = path.read_bytes().index(b"\xe9") + 1
    assert error_line(invoke("import", "plover", str(path))) == (
        f"Error: polecat.jsonl:1: plv-20241103-0001: encoding line 1 is not UTF-8"
        f" (byte 0xe9 at column {column})"
    )


def test_rejects_show_each_record_as_the_file_has_it(fresh: str, tmp_path: Path) -> None:
    # The second record's notes span two lines; its copy is a duplicate id.
    records = [*ACLED_RECORDS[:2], acled_row("UKR9", fatalities="many"), ACLED_RECORDS[1]]
    path = write_acled(tmp_path / "acled.csv", records)
    lines = path.read_text(encoding="utf-8").splitlines()
    rejects = tmp_path / "rejects.csv"
    assert invoke("import", "acled", str(path), "--skip-invalid", str(rejects)).exit_code == 0
    assert rejected(rejects) == [
        ("5", "UKR9", "fatalities", lines[4]),
        ("6", "UKR900102", "event_id_cnty", "\n".join(lines[5:7])),
    ]
    plover = write_plover(tmp_path / "polecat.jsonl")
    truncated = '{"id": "plv-x", "date": "2024-11-06", "event'
    with plover.open("a", encoding="utf-8") as handle:
        handle.write(truncated + "\n")
    assert invoke("import", "plover", str(plover), "--skip-invalid", str(rejects)).exit_code == 0
    assert rejected(rejects) == [("4", "plv-x", "record", truncated)]


NUL = "contains a NUL character (0x00), which PostgreSQL text cannot hold"


def test_a_nul_character_is_a_bad_record_naming_its_field(fresh: str, tmp_path: Path) -> None:
    path = write_acled(tmp_path / "acled.csv", [acled_row("UKR1"), acled_row("UKR2", notes="a\0b")])
    assert (
        error_line(invoke("import", "acled", str(path))) == f"Error: acled.csv:3: UKR2: notes {NUL}"
    )
    rejects = tmp_path / "rejects.csv"
    assert invoke("import", "acled", str(path), "--skip-invalid", str(rejects)).exit_code == 0
    assert [(line, field) for line, _, field, _ in rejected(rejects)] == [("3", "notes")]
    assert counts(fresh)["event"] == 1


def test_a_nul_character_in_jsonl_is_named_escaped_or_not(fresh: str, tmp_path: Path) -> None:
    path = write_plover(tmp_path / "polecat.jsonl")
    with path.open("a", encoding="utf-8") as handle:
        record = {"id": "plv-nul", "date": "2024-11-06", "event": "AID", "actor": ["a\0b"]}
        handle.write(json.dumps(record) + "\n")
        handle.write(json.dumps({**record, "id": "plv-raw"}).replace("\\u0000", "\0") + "\n")
    rejects = tmp_path / "rejects.csv"
    assert invoke("import", "plover", str(path), "--skip-invalid", str(rejects)).exit_code == 0
    assert [(line, id_, field) for line, id_, field, _ in rejected(rejects)] == [
        ("4", "plv-nul", "actor"),
        ("5", "plv-raw", "actor"),
    ]
    assert counts(fresh)["event"] == len(PLOVER_RECORDS)


def test_two_ids_with_one_key_in_a_file_are_a_bad_record(fresh: str, tmp_path: Path) -> None:
    path = write_acled(tmp_path / "acled.csv", [acled_row("UKR77"), acled_row("ukr77")])
    assert error_line(invoke("import", "acled", str(path))) == (
        "Error: acled.csv:3: ukr77: event_id_cnty 'ukr77' has the same key as record 'UKR77'"
        " of line 2"
    )
    records: list[dict[str, object]] = [
        {**PLOVER_RECORDS[2], "id": "abc_1"},
        {**PLOVER_RECORDS[2], "id": "abc.1"},
    ]
    plover = write_plover(tmp_path / "polecat.jsonl", records)
    rejects = tmp_path / "rejects.csv"
    assert invoke("import", "plover", str(plover), "--skip-invalid", str(rejects)).exit_code == 0
    assert [(line, id_, field) for line, id_, field, _ in rejected(rejects)] == [
        ("2", "abc.1", "id")
    ]
    assert rows(fresh, "SELECT key, record_id FROM claim") == [("plover-abc-1", "abc_1")]


def test_an_id_whose_key_a_stored_record_holds_is_a_bad_record(fresh: str, tmp_path: Path) -> None:
    first = write_acled(tmp_path / "first.csv", [acled_row("UKR77")])
    assert invoke("import", "acled", str(first)).exit_code == 0
    before = everything(fresh)
    later = [acled_row("ukr77", fatalities="5", timestamp="1729000000"), acled_row("UKR78")]
    path = write_acled(tmp_path / "later.csv", later)
    assert error_line(invoke("import", "acled", str(path))) == (
        "Error: later.csv:2: ukr77: event_id_cnty 'ukr77' has the same key as record 'UKR77'"
        " already in the database"
    )
    assert everything(fresh) == before
    rejects = tmp_path / "rejects.csv"
    assert invoke("import", "acled", str(path), "--skip-invalid", str(rejects)).exit_code == 0
    assert rows(
        fresh,
        "SELECT c.record_id, c.record_data->>'event_id_cnty', q.low FROM claim AS c"
        " JOIN event AS e ON e.key = c.key JOIN event_quantity AS q ON q.event_id = e.id"
        " ORDER BY c.key",
    ) == [("UKR77", "UKR77", 0), ("UKR78", "UKR78", 0)]


def test_a_file_without_records_changes_nothing(fresh: str, tmp_path: Path) -> None:
    result = invoke("import", "acled", str(write_acled(tmp_path / "acled.csv", [])))
    assert result.output.startswith("no changes: ")
    assert set(counts(fresh).values()) == {0}


def test_an_older_release_adds_no_empty_source(fresh: str, tmp_path: Path) -> None:
    newer = write_ucdp(tmp_path / "ged251.csv")
    assert invoke("import", "ucdp", str(newer)).exit_code == 0
    before = everything(fresh)
    result = invoke("import", "ucdp", str(write_ucdp(tmp_path / "ged241.csv")))
    assert result.output.startswith("no changes: ")
    assert everything(fresh) == before


def test_a_nul_character_in_a_header_refuses_the_file(fresh: str, tmp_path: Path) -> None:
    path = write_ucdp(tmp_path / "ged241.csv")
    path.write_bytes(path.read_bytes().replace(b"new_in_next_release", b"new\0column", 1))
    assert (
        error_line(invoke("import", "ucdp", str(path))) == f"Error: ged241.csv:1: the header {NUL}"
    )
