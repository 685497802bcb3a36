"""The gazetteer package is the data layer: no import cycles, and nothing imported from the stages above."""
from __future__ import annotations

import ast
import graphlib
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "normkit" / "gazetteer"
# What the data layer may use of the rest of normkit: file locations, error types, romanisation.
BELOW = {"normkit._paths", "normkit._version", "normkit.buildcache", "normkit.errors", "normkit.transliteration",
         "normkit.dump_formats"}  # dump_formats: constants only, outside the package so the CLI parser can name them


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def module_path(name: str) -> Path | None:
    base = REPO.joinpath(*name.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def normkit_imports(name: str) -> set[str]:
    """The normkit modules ``name`` imports, at any depth of its code (lazy imports included)."""
    path = module_path(name)
    assert path is not None, name
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[:len(package.split(".")) - node.level + 1]
                origin = ".".join(base + ([node.module] if node.module else []))
            else:
                origin = node.module or ""
            # "from . import store" names a module; "from .entry import Entry" names a definition
            targets = [f"{origin}.{a.name}" if module_path(f"{origin}.{a.name}") else origin for a in node.names]
        else:
            continue
        found.update(t for t in targets if t == "normkit" or t.startswith("normkit."))
    return {t for t in found if module_path(t) is not None}


def package_modules() -> list[str]:
    return sorted(module_name(p) for p in PACKAGE.glob("*.py"))


def test_nothing_above_the_data_layer_is_reachable() -> None:
    reached: set[str] = set()
    todo = list(package_modules())
    while todo:
        name = todo.pop()
        if name in reached:
            continue
        reached.add(name)
        todo.extend(normkit_imports(name))
    outside = {m for m in reached if not m.startswith("normkit.gazetteer")}
    assert outside <= BELOW, f"the data layer reaches {sorted(outside - BELOW)}"
    assert "normkit" not in outside  # the top package imports every stage


def dependency_order() -> list[str]:
    graph = {m: {d for d in normkit_imports(m) if d.startswith("normkit.gazetteer.")}
             for m in package_modules() if m != "normkit.gazetteer"}
    return list(graphlib.TopologicalSorter(graph).static_order())  # CycleError on a cycle


def test_no_import_cycles_inside_the_package() -> None:
    order = dependency_order()
    assert order.index("normkit.gazetteer.entry") < order.index("normkit.gazetteer.index")
    assert order.index("normkit.gazetteer.store") < order.index("normkit.gazetteer.index")
    assert order.index("normkit.gazetteer.sources") < order.index("normkit.gazetteer.geonames")
    assert not normkit_imports("normkit.gazetteer.store") & {"normkit.gazetteer.index",
                                                             "normkit.gazetteer.sources"}


def test_each_module_imports_alone_in_a_fresh_interpreter() -> None:
    # Each module first, alone (a cycle hidden by a lucky import order would fail here), then all
    # in dependency order in one interpreter.
    for name in [*dependency_order(), "normkit.gazetteer"]:
        done = subprocess.run([sys.executable, "-c", f"import {name}"], capture_output=True, text=True,
                              cwd=REPO, timeout=120)
        assert done.returncode == 0, f"{name}: {done.stderr}"
    code = "; ".join(f"import {name}" for name in dependency_order())
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert done.returncode == 0, done.stderr


def test_the_old_modules_are_gone_and_the_public_names_stay() -> None:
    assert not (REPO / "normkit" / "store.py").exists() and not (REPO / "normkit" / "gazetteer.py").exists()
    import normkit.gazetteer as gz

    for name in ("Entry", "Gazetteer", "COLUMNS", "NAMES_FILE", "PLACE_FILES", "PLACE_TYPES", "ENV_GLOSSARIES",
                 "FORMAT_VERSION", "TYPE_WORDS", "core_name", "name_key", "read_glossary", "write_glossary",
                 "format_row", "shipped_glossary_paths", "user_glossary_paths", "default_gazetteer",
                 "name_lexicon", "reset_caches"):
        assert name in gz.__all__ and getattr(gz, name) is not None, name
