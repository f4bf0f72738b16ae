#!/usr/bin/env python3
"""Execute notebooks on the evcxr kernel and fail on any sign of trouble.

A notebook fails when a cell raises an error (a compile error, a failed `?`),
when any output contains "panicked at" (evcxr reports a panic as plain output),
or when a cell that draws (it calls `show(` or `evcxr_figure`) produced no
inline SVG. Prints one line per notebook, then "N passed, M failed".
"""
import pathlib
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError

ROOT = pathlib.Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
OUT = ROOT / "target" / "notebooks"
CELL_TIMEOUT = 1200  # seconds; the first cell compiles the dependencies


def texts(output):
    """Every piece of text an output carries."""
    if "text" in output:
        yield output["text"] if isinstance(output["text"], str) else "".join(output["text"])
    for key in ("traceback",):
        for line in output.get(key, []):
            yield line
    for mime, value in output.get("data", {}).items():
        if mime.startswith("text/"):
            yield value if isinstance(value, str) else "".join(value)


def check(nb):
    """Problems found in an executed notebook."""
    problems = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        # A cell that draws (the chapters' `show(…)`, or plotters' own
        # `evcxr_figure`) must leave an inline SVG behind.
        draws = "show(" in cell.source or "evcxr_figure" in cell.source
        svgs = 0
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                problems.append(f"cell {i}: {out.get('ename', 'error')}: {out.get('evalue', '')}".strip())
            for text in texts(out):
                if "panicked at" in text:
                    line = next(l for l in text.splitlines() if "panicked at" in l)
                    problems.append(f"cell {i}: {line.strip()}")
            data = out.get("data", {})
            html = data.get("text/html", "")
            html = html if isinstance(html, str) else "".join(html)
            if "image/svg+xml" in data or "<svg" in html:
                svgs += 1
        if draws and svgs == 0:
            problems.append(f"cell {i}: draws a figure but produced no inline SVG")
    return problems


def run(path):
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=CELL_TIMEOUT,
        startup_timeout=300,
        kernel_name="rust",
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    )
    problems = []
    try:
        client.execute()
    except CellTimeoutError as e:
        problems.append(f"timed out: {str(e).splitlines()[0]}")
    except CellExecutionError as e:
        lines = [l for l in str(e).splitlines() if l.strip()]
        problems.append("cell failed: " + " | ".join(lines[-6:]))
    except Exception as e:  # the kernel died, could not start, …
        problems.append(f"{type(e).__name__}: {e}")
    problems += [p for p in check(nb) if p not in problems]
    OUT.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, OUT / path.name)
    return problems


def main(args):
    paths = [pathlib.Path(a).resolve() for a in args] or sorted(NOTEBOOKS.glob("*.ipynb"))
    if not paths:
        print("no notebooks found")
        return 1
    passed = failed = 0
    start_all = time.time()
    for path in paths:
        start = time.time()
        problems = run(path)
        took = time.time() - start
        if problems:
            failed += 1
            print(f"FAIL {path.name} ({took:.0f} s)")
            for p in problems:
                print(f"     {p}")
        else:
            passed += 1
            print(f"ok   {path.name} ({took:.0f} s)")
        sys.stdout.flush()
    print(f"notebooks took {time.time() - start_all:.0f} s; executed copies in {OUT.relative_to(ROOT)}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
