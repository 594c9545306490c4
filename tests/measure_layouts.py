"""Which plan layouts of tests/plan_layouts.py a version of the tool imports correctly: each
layout is written as .txt and .docx, `new` builds a master from it (with the demo roster), and
the master's plan is compared with the plan the layout must give; `validate` then counts the
master's errors and warnings.

    .venv/bin/python tests/measure_layouts.py [TREE]

TREE is the root of the version to measure (default: this one), e.g. an older commit unpacked
with `git archive HEAD | tar -x -C /tmp/before`. Prints a Markdown table."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import plan_layouts as L  # noqa: E402

HERE = Path(__file__).resolve().parent.parent
FIELDS = ("code", "title", "max_points", "appraised", "action", "lead", "support", "timeframe",
          "note")

RUN = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    from cchc_xl.cycle.demo import DEMO_ROSTER, data_file
    from cchc_xl.master.create import create_master
    from cchc_xl.master.reading import read_master, to_plan_row
    from cchc_xl.master.check import validate
    from cchc_xl.files.open_save import load
    plan, master, fields = sys.argv[1], sys.argv[2], sys.argv[3].split(",")
    try:
        create_master(master, plan, roster_csv=data_file(DEMO_ROSTER))
    except Exception as exc:
        print(json.dumps({"refused": type(exc).__name__ + ": " + str(exc)}))
        sys.exit(0)
    view = read_master(load(master))
    rows = []
    for sheet_row in view.rows:
        row = to_plan_row(sheet_row)
        rows.append({f: getattr(row, f) for f in fields})
    report = validate(master)
    print(json.dumps({"rows": rows, "errors": report.count("error"),
                      "warnings": report.count("warning"),
                      "codes": sorted({p.code for p in report.problems
                                       if p.severity == "error"})}))
""")


def expected_rows(lay: L.Layout) -> list[dict]:
    return [{f: row[f] for f in FIELDS} for row in L.expected(lay)]


def measure(tree: Path) -> list[tuple[str, str, str]]:
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        for lay, fmt in L.cases():
            plan = L.write(lay, directory, fmt)
            master = directory / f"{lay.name}-{fmt}.xlsx"
            done = subprocess.run([sys.executable, "-c", RUN, str(plan), str(master),
                                   ",".join(FIELDS)],
                                  capture_output=True, text=True, cwd=tree, timeout=300)
            if done.returncode:
                out.append((lay.name, fmt, "crash: " + done.stderr.strip().splitlines()[-1]))
                continue
            got = json.loads(done.stdout.strip().splitlines()[-1])
            if "refused" in got:
                out.append((lay.name, fmt, "refused: " + got["refused"][:110]))
                continue
            want = expected_rows(lay)
            wrong = sum(1 for a, b in zip(got["rows"], want) if a != b) + abs(
                len(got["rows"]) - len(want))
            verdict = "correct" if not wrong else f"WRONG: {wrong} of {len(want)} rows differ"
            verdict += f"; validate {got['errors']} errors ({', '.join(got['codes'])})" if got[
                "errors"] else "; validate: no error"
            out.append((lay.name, fmt, verdict))
    return out


def main() -> None:
    tree = Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else HERE
    print(f"| layout | format | {tree} |")
    print("|---|---|---|")
    for name, fmt, verdict in measure(tree):
        print(f"| {name} | {fmt} | {verdict} |")


if __name__ == "__main__":
    main()
