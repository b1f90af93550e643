"""Record the golden rows anew: ``python -m tests.golden.record [NAME ...]``.

Run it only where a change of the rows is meant, and say why in the commit.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.golden.inputs import INPUTS, write_input
from tests.golden.rows import GOLDEN, golden_rows


def main(names: list[str]) -> None:
    for name in names or list(INPUTS):
        with tempfile.TemporaryDirectory() as tmp:
            sources = write_input(name, Path(tmp))
            root = Path(tmp) / "root"
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "flows",
                    "run",
                    "--sources",
                    str(sources),
                    "--root",
                    str(root),
                    "--no-report",
                    "--workers",
                    "1",
                ],
                check=True,
                capture_output=True,
            )
            rows = golden_rows(root)
        (GOLDEN / f"{name}.json").write_text(
            json.dumps(rows, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        print(f"{name}: {len(rows)} rows")


if __name__ == "__main__":
    main(sys.argv[1:])
