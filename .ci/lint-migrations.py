"""Lint each revision's offline SQL with squawk, one revision at a time.

One file per revision, so a finding names the revision it belongs to. Rules excluded
project-wide are in .squawk.toml, each with its reason.
"""

import subprocess
import sys
import tempfile
from pathlib import Path

from nexusdb.db.migrations import history, offline_sql


def main() -> int:
    squawk = Path(sys.executable).parent / "squawk"
    with tempfile.TemporaryDirectory() as folder:
        files = []
        for revision in history():
            path = Path(folder) / f"{revision.revision}.sql"
            path.write_text(offline_sql(revision.down_revision, revision.revision))
            files.append(str(path))
        result = subprocess.run([str(squawk), "--config", ".squawk.toml", *files], check=False)
    print(f"squawk: {len(files)} revision(s) linted", file=sys.stderr)
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
