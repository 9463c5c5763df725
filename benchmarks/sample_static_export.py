"""A sample of the static site, timed, and its files' hashes: the same before and after?

    uv run python benchmarks/sample_static_export.py DIR [--places 200] [--workers 2]

Writes ``upward export site`` for every ``len/places``-th county and city profile (in the
release's order) and the site's other pages (home, metrics, states, metrics' pages; all of
them unless ``--other``), through :func:`upward.web.static_site.export.export_site`, into
``DIR`` (replaced), then prints one JSON line: wall and CPU seconds (user + system, this
process and its workers), CPU per place, peak memory and ``DIR``'s hash (every file's path
and sha256, in order; the manifest is left out, since it is the hashes again). Run it from
two checkouts on the same warehouse (``PYTHONPATH=OTHER/src``) to compare an old export
with a new one: equal hashes, byte-identical files; ``--list`` prints each file's hash.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import shutil
import sys
import time
from pathlib import Path


def tree_hashes(site: Path) -> dict[str, str]:
    """Each file of ``site`` (but the manifest) and its sha256."""
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file() and p.name != "upward-export.json"
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--places", type=int, default=200)
    parser.add_argument("--other", type=int, default=0, help="Other pages (0: all).")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--list", action="store_true", help="Print each file's hash too.")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "upward.web.settings")
    import django

    django.setup()
    from upward.web.static_site import export

    whole = export.site_pages

    def sample(release):  # type: ignore[no-untyped-def]
        other, places = whole(release)
        step = max(1, len(places) // args.places)
        return other[: args.other or None], places[::step][: args.places]

    export.site_pages = sample  # type: ignore[assignment]
    if args.directory.exists():
        shutil.rmtree(args.directory)
    started, cpu = time.perf_counter(), time.process_time()
    found = export.export_site(args.directory, workers=args.workers)
    wall = time.perf_counter() - started
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = time.process_time() - cpu + children.ru_utime + children.ru_stime
    hashes = tree_hashes(args.directory)
    digest = hashlib.sha256(json.dumps(hashes, sort_keys=True).encode()).hexdigest()
    result = {
        "code": export.__file__,
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "place_pages": found.place_pages,
        "pages": found.pages,
        "files": len(hashes),
        "wall_s": round(wall, 2),
        "cpu_s": round(cpu, 2),
        "cpu_ms_per_page": round(cpu * 1000 / max(1, found.pages), 1),
        "peak_mb_main": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "peak_mb_worker": round(children.ru_maxrss / 1024),
        "total_mb": round(found.total_bytes / 1e6, 1),
        "median_page_kb": round(found.median_page_bytes / 1e3, 1),
        "sha256": digest,
    }
    print(json.dumps(result))
    if args.list:
        for name, value in hashes.items():
            print(value, name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
