"""What the benchmarks share: running kzgraph's CLI, interleaved timing, the machine, results.md sections.

Every figure a benchmark reports is a ratio of contenders timed in the same run: the machine is
shared, so absolute times from different runs do not compare.
"""
from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results.md"
# the servers' helpers of the test suite (free ports, `oxigraph serve`), reused rather than copied
sys.path.insert(0, str(ROOT / "tests"))

#: kzgraph's CLI as users run it: the script installed beside this interpreter (the same installation,
#: whatever PATH says), else ``python -m kzgraph``
_SCRIPT = Path(sys.executable).parent / "kzgraph"
KZGRAPH = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "kzgraph"]


def fail(message: str) -> None:
    """Stop the benchmark with one line on stderr (no traceback)."""
    sys.exit(f"{Path(sys.argv[0]).name}: {message}")


def kzgraph(*args: str, env: dict | None = None, **kwargs) -> subprocess.CompletedProcess:
    """Run ``kzgraph ARGS``; a failure stops the benchmark with kzgraph's own message."""
    done = subprocess.run([*KZGRAPH, *args], env=env, capture_output=True, text=True, **kwargs)
    if done.returncode != 0:
        fail(f"`kzgraph {' '.join(args)}` failed ({done.returncode}): {(done.stderr or done.stdout).strip()[-800:]}")
    return done


def offers(command: str, needle: str = "") -> bool:
    """Whether ``kzgraph COMMAND`` exists (and its --help mentions ``needle``): commands come and go."""
    done = subprocess.run([*KZGRAPH, command, "--help"], capture_output=True, text=True)
    return done.returncode == 0 and needle in done.stdout


def require(command: str, needle: str = "") -> None:
    if not offers(command, needle):
        fail(f"this kzgraph has no `kzgraph {command}`" + (f" taking {needle}" if needle else ""))


def which(program: str, hint: str) -> str:
    found = shutil.which(program) or shutil.which(program, path=str(Path(sys.executable).parent))
    if found is None:
        fail(f"{program} is not installed ({hint})")
    return found


def timed(run: Callable[[], object]) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def interleaved(contenders: dict[str, Callable[[], object]], rounds: int,
                before: Callable[[str], object] | None = None, after: Callable[[str], object] | None = None,
                failed: dict[str, str] | None = None) -> dict[str, list[float]]:
    """Seconds of each contender in each of ``rounds`` rounds; the order rotates from round to round.

    ``before(name)`` and ``after(name)`` run untimed around each timed run (to reset or count a store).
    With ``failed``, a contender raising RuntimeError is recorded there (name → message) and left out after.
    """
    names = list(contenders)
    times: dict[str, list[float]] = {name: [] for name in names}
    for r in range(rounds):
        for name in names[r % len(names):] + names[:r % len(names)]:
            if failed is not None and name in failed:
                continue
            if before is not None:
                before(name)
            try:
                times[name].append(timed(contenders[name]))
            except RuntimeError as exc:
                if failed is None:
                    raise
                failed[name] = str(exc)
                print(f"  round {r + 1}: {name}: failed: {exc}", flush=True)
                continue
            if after is not None:
                after(name)
            print(f"  round {r + 1}: {name}: {times[name][-1]:.2f} s", flush=True)
    return times


def per_round(times: dict[str, list[float]], a: str, b: str) -> str:
    """``a``'s time over ``b``'s in each round, to show how far the ratio of the medians can be trusted."""
    return ", ".join(f"{x / y:.2f}×" for x, y in zip(times[a], times[b]))


def median(values: list[float]) -> float:
    return statistics.median(values)


def seconds(value: float) -> str:
    return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"


def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "not installed"


def machine(*packages: str) -> list[str]:
    """The run's circumstances, as Markdown list items."""
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown CPU")
    ram = next((int(line.split()[1]) / 1024 ** 2 for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")), 0)
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    versions = ", ".join(f"{p} {_version(p)}" for p in ("kzgraph", "rdflib", "pyoxigraph", *packages))
    return [f"- {cpu}, {os.cpu_count()} cores shared with other jobs (load average at the end {load}); "
            f"{ram:.1f} GB RAM; {platform.platform()}",
            f"- Python {platform.python_version()}; {versions}",
            f"- run on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"]


def write_section(title: str, lines: list[str], path: Path = RESULTS) -> None:
    """Put ``## title`` and ``lines`` into results.md, in place of the section of that title if there is one."""
    old = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    heading = f"## {title}"
    new = [heading, "", *lines]
    while new[-1] == "":
        new.pop()
    if heading in old:
        start = old.index(heading)
        end = next((i for i in range(start + 1, len(old)) if old[i].startswith("## ")), len(old))
        old[start:end] = [*new, ""] if end < len(old) else new
    else:
        old += ["", *new] if old else new
    path.write_text("\n".join(old) + "\n", encoding="utf-8")
    print(f"wrote “{title}” in {path}")


def arguments(doc: str, triples: int, runs: int = 3) -> argparse.ArgumentParser:
    """The options every sized benchmark takes: --triples, --runs and --no-write."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=triples, help=f"synthetic triples (default {triples})")
    parser.add_argument("--runs", type=int, default=runs, help=f"runs of each contender; the median counts (default {runs})")
    parser.add_argument("--no-write", action="store_true", help="print only; leave results.md alone")
    return parser


def synthetic_file(directory: Path, triples: int, seed: int = 0) -> Path:
    """A synthetic N-Triples file of about ``triples`` triples in ``directory``."""
    from kzgraph import synthetic

    path = directory / f"synthetic-{triples}.nt"
    started = time.perf_counter()
    count = synthetic.write(path, triples, seed=seed)
    print(f"generated {path.name} ({count:,} triples) in {time.perf_counter() - started:.1f} s", flush=True)
    return path
