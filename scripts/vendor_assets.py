"""Copy the front-end files Upward serves from node_modules into its static files.

Upward serves every asset itself (no CDN), so the few files the pages need are copied
from the npm packages pinned in package.json / package-lock.json into
src/upward/web/static/vendor/ (gitignored). VERSIONS.json records the package versions,
the files copied and a hash of the inputs, so `--check` can tell whether the vendor
directory is up to date without running npm.

Usage (from anywhere; Python standard library only):

    python scripts/vendor_assets.py            # copy, after `npm ci`
    python scripts/vendor_assets.py --check    # exit 0 if up to date, 1 if not
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"
VENDOR = ROOT / "src" / "upward" / "web" / "static" / "vendor"
VERSIONS_FILE = VENDOR / "VERSIONS.json"
LOCK_FILE = ROOT / "package-lock.json"

SOURCE_MAP = re.compile(rb"[#@]\s*sourceMappingURL=([^\s*]+)")
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+?)['\"]?\s*\)")


@dataclass(frozen=True)
class Copy:
    """One file (or, with glob, a tree) copied from a package into the vendor directory."""

    package: str
    source: str  # path inside the package
    target: str  # path inside the vendor directory
    glob: str | None = None  # when set, source and target are directories


COPIES: tuple[Copy, ...] = (
    Copy("@uswds/uswds", "dist/css/uswds.min.css", "uswds/css/uswds.min.css"),
    Copy("@uswds/uswds", "dist/js/uswds.min.js", "uswds/js/uswds.min.js"),
    Copy("@uswds/uswds", "dist/js/uswds-init.min.js", "uswds/js/uswds-init.min.js"),
    # uswds.min.css refers to woff2 fonts only; the check below proves it.
    Copy("@uswds/uswds", "dist/fonts", "uswds/fonts", glob="**/*.woff2"),
    Copy("@uswds/uswds", "dist/img", "uswds/img", glob="**/*"),
    Copy("vega", "build/vega.min.js", "vega.min.js"),
    Copy("vega-lite", "build/vega-lite.min.js", "vega-lite.min.js"),
    Copy("vega-embed", "build/vega-embed.min.js", "vega-embed.min.js"),
    Copy("topojson-client", "dist/topojson-client.min.js", "topojson-client.min.js"),
    Copy("us-atlas", "counties-10m.json", "us-atlas/counties-10m.json"),
    Copy("us-atlas", "states-10m.json", "us-atlas/states-10m.json"),
    Copy("axe-core", "axe.min.js", "axe.min.js"),
)

LICENSE_NAMES = ("LICENSE", "LICENSE.md", "LICENSE.txt", "LICENCE")


class VendorError(Exception):
    """The packages in node_modules do not provide what Upward serves."""


def input_hash() -> str:
    """Hash of everything that decides the vendor directory's contents."""
    digest = hashlib.sha256()
    for path in (LOCK_FILE, Path(__file__).resolve()):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def package_dir(package: str) -> Path:
    directory = NODE_MODULES / package
    if not (directory / "package.json").is_file():
        raise VendorError(f"{package} is not installed in {NODE_MODULES}; run `npm ci` first")
    return directory


def package_version(package: str) -> str:
    manifest = json.loads((package_dir(package) / "package.json").read_text(encoding="utf-8"))
    return str(manifest["version"])


def copy_file(source: Path, target: Path, copied: list[Path]) -> None:
    """Copy one file, and the source map it names if the package ships it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    copied.append(target)
    if source.suffix not in (".js", ".css"):
        return
    match = SOURCE_MAP.search(source.read_bytes()[-500:])
    if match is None:
        return
    map_name = match.group(1).decode()
    map_source = source.parent / map_name
    if "/" in map_name or not map_source.is_file():
        # A reference to a missing map breaks Django's ManifestStaticFilesStorage.
        raise VendorError(f"{source} names source map {map_name!r}, which the package lacks")
    shutil.copyfile(map_source, target.parent / map_name)
    copied.append(target.parent / map_name)


def copy_one(item: Copy, copied: list[Path]) -> None:
    source = package_dir(item.package) / item.source
    target = VENDOR / item.target
    if item.glob is None:
        if not source.is_file():
            raise VendorError(f"{item.package} has no {item.source}")
        copy_file(source, target, copied)
        return
    files = sorted(p for p in source.glob(item.glob) if p.is_file())
    if not files:
        raise VendorError(f"{item.package} has nothing matching {item.source}/{item.glob}")
    for path in files:
        copy_file(path, target / path.relative_to(source), copied)


def copy_license(package: str, copied: list[Path]) -> None:
    for name in LICENSE_NAMES:
        path = package_dir(package) / name
        if path.is_file():
            target = VENDOR / "licenses" / f"{package.lstrip('@').replace('/', '__')}.txt"
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
            copied.append(target)
            return
    raise VendorError(f"{package} ships no licence file")


def check_css_references(css: Path) -> None:
    """Every url(...) in a vendored stylesheet must resolve to a vendored file."""
    for ref in CSS_URL.findall(css.read_text(encoding="utf-8")):
        if not ref or ref.startswith(("data:", "#", "http:", "https:")):
            continue
        path = (css.parent / ref.split("?")[0].split("#")[0]).resolve()
        if not path.is_file():
            raise VendorError(f"{css.name} refers to {ref}, which was not vendored")


def vendor() -> dict[str, str]:
    """Rebuild the vendor directory from node_modules, write VERSIONS.json, return versions."""
    if not LOCK_FILE.is_file():
        raise VendorError(f"{LOCK_FILE} is missing; run `npm install` and commit the lock")
    packages = sorted({item.package for item in COPIES})
    versions = {package: package_version(package) for package in packages}
    if VENDOR.exists():
        shutil.rmtree(VENDOR)
    VENDOR.mkdir(parents=True)
    copied: list[Path] = []
    for item in COPIES:
        copy_one(item, copied)
    for package in packages:
        copy_license(package, copied)
    check_css_references(VENDOR / "uswds" / "css" / "uswds.min.css")
    record: dict[str, object] = {
        "input_sha256": input_hash(),
        "packages": versions,
        "files": sorted(str(p.relative_to(VENDOR)) for p in copied),
    }
    VERSIONS_FILE.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    return versions


def is_up_to_date() -> bool:
    """True when VERSIONS.json matches the lock and every recorded file is present."""
    try:
        record = json.loads(VERSIONS_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not LOCK_FILE.is_file() or record.get("input_sha256") != input_hash():
        return False
    return all((VENDOR / name).is_file() for name in record.get("files", []))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="exit 0 if the vendor directory is up to date"
    )
    args = parser.parse_args(argv)
    if args.check:
        fresh = is_up_to_date()
        print(f"vendor assets {'up to date' if fresh else 'out of date'}: {VENDOR}")
        return 0 if fresh else 1
    try:
        versions = vendor()
    except VendorError as error:
        print(f"vendor_assets: {error}", file=sys.stderr)
        return 2
    print(f"vendored into {VENDOR.relative_to(ROOT)}:")
    for package, version in sorted(versions.items()):
        print(f"  {package} {version}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
