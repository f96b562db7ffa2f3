"""List which Kvarter app imports which: app → app pairs with counts, read from the source (ast).

    python scripts/app_imports.py            # one line per pair: "source -> target  count"
    python scripts/app_imports.py --files    # and under each pair, the files with their counts
    python scripts/app_imports.py --app plans --app followup   # only pairs between these apps

Every ``import kvarter.x…`` / ``from kvarter.x… import …`` counts, wherever it stands (module top,
inside functions, under ``TYPE_CHECKING``); relative imports are resolved. Imports within one app
are not listed. Modules directly under ``src/kvarter`` (urls.py, cli.py …) belong to ``(root)``.
The output is sorted, so two runs on the same tree print the same text.
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "src" / "kvarter"
TOP = "(root)"


def module_parts(path: Path, root: Path) -> list[str]:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ["kvarter", *parts]


def app_of(parts: list[str], apps: set[str]) -> str:
    """The app of a dotted module name given as parts (``kvarter.plans.views`` → ``plans``);
    modules and names directly in ``kvarter`` (``kvarter.cli``, ``__version__``) give ``(root)``."""
    return parts[1] if len(parts) > 1 and parts[1] in apps else TOP


def imported_modules(tree: ast.AST, own: list[str], is_package: bool) -> list[list[str]]:
    """Dotted names (as parts) of every kvarter module or name imported in ``tree``."""
    found: list[list[str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend(alias.name.split(".") for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                package = own if is_package else own[:-1]
                base = package[: len(package) - (node.level - 1)]
                parts = base + (node.module.split(".") if node.module else [])
            else:
                parts = (node.module or "").split(".")
            if parts == ["kvarter"]:
                # ``from kvarter import plans`` names the app itself.
                found.extend(["kvarter", alias.name] for alias in node.names)
            else:
                found.append(parts)
    return [parts for parts in found if parts and parts[0] == "kvarter"]


def collect(root: Path) -> dict[tuple[str, str], Counter[str]]:
    """(source app, target app) → files with how many imports each."""
    pairs: dict[tuple[str, str], Counter[str]] = {}
    apps = {init.parent.name for init in root.glob("*/__init__.py")}
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        if "migrations" in relative.parts:
            continue
        own = module_parts(path, root)
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        source = app_of(own, apps)
        for target_parts in imported_modules(tree, own, path.name == "__init__.py"):
            target = app_of(target_parts, apps)
            if target in (source, TOP):
                continue
            pairs.setdefault((source, target), Counter())[relative.as_posix()] += 1
    return pairs


def render(pairs: dict[tuple[str, str], Counter[str]], *, files: bool, apps: set[str]) -> str:
    lines = []
    for (source, target), counter in sorted(pairs.items()):
        if apps and not (source in apps and target in apps):
            continue
        lines.append(f"{source} -> {target}  {sum(counter.values())}")
        if files:
            lines.extend(f"    {name}  {count}" for name, count in sorted(counter.items()))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", action="store_true", help="list the files under each pair")
    parser.add_argument("--app", action="append", default=[], help="only pairs between these apps")
    parser.add_argument("--root", type=Path, default=ROOT, help="the kvarter package (src/kvarter)")
    args = parser.parse_args(argv)
    print(render(collect(args.root), files=args.files, apps=set(args.app)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
