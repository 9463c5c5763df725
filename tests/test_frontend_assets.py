"""The npm pins and scripts/vendor_assets.py agree with each other and with Altair."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path
from types import ModuleType

import altair as alt
import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
LOCK = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))


def load_vendor_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "vendor_assets", ROOT / "scripts" / "vendor_assets.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


vendor_assets = load_vendor_module()


def locked(package: str) -> dict:
    return dict(LOCK["packages"][f"node_modules/{package}"])


def test_package_json_pins_exact_versions_that_the_lock_holds() -> None:
    for package, pin in PACKAGE["dependencies"].items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", pin), f"{package} pin {pin!r} is not exact"
        assert locked(package)["version"] == pin
    assert LOCK["packages"][""]["dependencies"] == PACKAGE["dependencies"]


def test_vega_lite_matches_the_schema_altair_emits() -> None:
    # altair.SCHEMA_VERSION is like "v6.4.1": the page must run that Vega-Lite minor.
    altair_minor = alt.SCHEMA_VERSION.lstrip("v").split(".")[:2]
    assert PACKAGE["dependencies"]["vega-lite"].split(".")[:2] == altair_minor


def test_vega_satisfies_vega_lite_and_vega_embed() -> None:
    vega_major = PACKAGE["dependencies"]["vega"].split(".")[0]
    assert locked("vega-lite")["peerDependencies"]["vega"] == f"^{vega_major}.0.0"
    assert set(locked("vega-embed")["peerDependencies"]) == {"vega", "vega-lite"}


def test_every_dependency_is_vendored_and_nothing_else() -> None:
    copied = {item.package for item in vendor_assets.COPIES}
    assert copied == set(PACKAGE["dependencies"])


@pytest.fixture
def vendor_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(vendor_assets, "VENDOR", tmp_path)
    monkeypatch.setattr(vendor_assets, "VERSIONS_FILE", tmp_path / "VERSIONS.json")
    (tmp_path / "vega.min.js").write_text("// vega", encoding="utf-8")
    record = {"input_sha256": vendor_assets.input_hash(), "files": ["vega.min.js"]}
    (tmp_path / "VERSIONS.json").write_text(json.dumps(record), encoding="utf-8")
    return tmp_path


def test_check_accepts_a_complete_vendor_dir(vendor_dir: Path) -> None:
    assert vendor_assets.is_up_to_date()


def test_check_rejects_a_missing_file(vendor_dir: Path) -> None:
    (vendor_dir / "vega.min.js").unlink()
    assert not vendor_assets.is_up_to_date()


def test_check_rejects_a_changed_lock(vendor_dir: Path) -> None:
    record = json.loads((vendor_dir / "VERSIONS.json").read_text(encoding="utf-8"))
    record["input_sha256"] = "0" * 64
    (vendor_dir / "VERSIONS.json").write_text(json.dumps(record), encoding="utf-8")
    assert not vendor_assets.is_up_to_date()


def test_check_rejects_a_missing_versions_file(vendor_dir: Path) -> None:
    (vendor_dir / "VERSIONS.json").unlink()
    assert not vendor_assets.is_up_to_date()
