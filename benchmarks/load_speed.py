"""``kzgraph load --store oxigraph:PATH`` against pyoxigraph's own ``Store.bulk_load`` of the same files.

    python benchmarks/load_speed.py [--triples 1000000] [--runs 3]

Both load the synthetic triples (kzgraph.synthetic, seed 0) plus the ontology and bundled data into a
fresh directory, each as a whole process, alternating; the ratio of the medians is the figure
(target: within 1.2×). Rewrites the section "Loading an on-disk store" of results.md.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (arguments, fail, interleaved, kzgraph, machine, median, per_round, require, seconds,  # noqa: E402
                    synthetic_file, write_section)

TARGET = 1.2
#: the same files as `kzgraph load`, bulk-loaded by pyoxigraph alone (no hashing, no swap, no checks)
RAW = """
import sys, pyoxigraph as ox
store = ox.Store(sys.argv[1])
for path in sys.argv[2:]:
    store.bulk_load(path=path, format=ox.RdfFormat.from_extension(path.rsplit(".", 1)[1]))
store.flush()
"""


def main() -> None:
    parser = arguments(__doc__, triples=1_000_000)
    args = parser.parse_args()
    require("load", "oxigraph:PATH")
    try:
        from kzgraph.resources import dataset_files
    except ImportError:
        fail("kzgraph.resources.dataset_files is gone: say here where the files of a dataset now come from")
    with tempfile.TemporaryDirectory(prefix="kzbench-load-") as tmp:
        tmp = Path(tmp)
        data = synthetic_file(tmp, args.triples)
        files = [str(f) for f in dataset_files([data])]
        target = tmp / "store"

        def fresh(_name):
            shutil.rmtree(target, ignore_errors=True)
        contenders = {
            "kzgraph load --store oxigraph:PATH": lambda: kzgraph("--data", str(data), "load", "--store", f"oxigraph:{target}"),
            "pyoxigraph Store(PATH).bulk_load": lambda: subprocess.run([sys.executable, "-c", RAW, str(target), *files],
                                                                       check=True),
        }
        times = interleaved(contenders, args.runs, before=fresh)
    (kz, kz_times), (raw, raw_times) = times.items()
    ratio = median(kz_times) / median(raw_times)
    out = [f"{name:<36}{seconds(median(ts)):>9} (median of {len(ts)}: {', '.join(seconds(t) for t in ts)})"
           for name, ts in times.items()]
    out.append(f"{'ratio':<36}{ratio:>8.2f}× (target ≤ {TARGET}×; per round {per_round(times, kz, raw)})")
    print("\n".join(out))
    if not args.no_write:
        write_section("Loading an on-disk store (after the stores refactor)", [
            *machine(), "",
            f"`python benchmarks/load_speed.py --triples {args.triples} --runs {args.runs}`: {args.triples:,} synthetic "
            f"triples plus the ontology and bundled data ({len(files)} files) into a fresh directory, each a whole "
            f"process, alternating. **Ratio {ratio:.2f}×** (target ≤ {TARGET}×: {'met' if ratio <= TARGET else 'not met'}).",
            "", "```", *out, "```"])


if __name__ == "__main__":
    main()
