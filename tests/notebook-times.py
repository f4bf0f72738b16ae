#!/usr/bin/env python3
"""Print how long each code cell of executed notebooks took.

    python3 tests/notebook-times.py target/notebooks/ch09-training.ipynb

Reads the timing that nbclient records in each executed cell's metadata
(tests/run-notebooks.sh leaves the executed copies in target/notebooks/), and
prints one line per code cell: its index, its seconds and its first line.
The first cell of a notebook that names `:dep` lines is where evcxr compiles
the dependencies; later cells compile only themselves.
"""
import datetime
import json
import sys


def seconds(meta):
    """The wall time from the kernel's start of the cell to its reply."""
    times = meta.get("execution", {})
    start = times.get("iopub.execute_input") or times.get("shell.execute_request")
    end = times.get("shell.execute_reply")
    if not (start and end):
        return None
    parse = lambda t: datetime.datetime.fromisoformat(t.replace("Z", "+00:00"))
    return (parse(end) - parse(start)).total_seconds()


def main(paths):
    if not paths:
        print(__doc__.strip().splitlines()[2].strip())
        return 2
    for path in paths:
        with open(path, encoding="utf-8") as f:
            nb = json.load(f)
        print(path)
        total = 0.0
        for i, cell in enumerate(nb["cells"]):
            if cell["cell_type"] != "code":
                continue
            took = seconds(cell.get("metadata", {}))
            source = "".join(cell["source"]).strip().splitlines()
            first = source[0][:70] if source else ""
            if took is None:
                print(f"  cell {i:2}: (no timing recorded)  {first}")
                continue
            total += took
            print(f"  cell {i:2}: {took:7.1f} s  {first}")
        print(f"  all cells: {total:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
