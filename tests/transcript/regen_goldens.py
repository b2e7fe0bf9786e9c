"""Write tests/transcript/cases/<case>.json from the parser's output, for review.

    .venv/bin/python tests/transcript/regen_goldens.py            # every case
    .venv/bin/python tests/transcript/regen_goldens.py 70_fed     # cases whose name starts so

Then read `git diff tests/transcript/cases/` against each transcript and accept only the
changes that are right: a golden file is what the parser *should* say, not what it says.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from pressaudio.transcript import parse, to_json_dict

CASES = Path(__file__).parent / "cases"


def main(prefixes: list[str]) -> None:
    for txt in sorted(CASES.glob("*.txt")):
        if prefixes and not txt.name.startswith(tuple(prefixes)):
            continue
        t = parse(txt.read_text(encoding="utf-8"), source=txt.name)
        out = to_json_dict(t)
        out["warnings"] = list(t.warnings)
        txt.with_suffix(".json").write_text(
            json.dumps(out, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        print(txt.with_suffix(".json").name)


if __name__ == "__main__":
    main(sys.argv[1:])
