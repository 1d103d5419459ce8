"""Fail when requirements.lock and pyproject.toml disagree (`make check` runs it).

Usage: python .ci/check_lock.py requirements.lock EXTRA...

Every requirement of the project (its dependencies and the named extras) must be pinned in the lock
with a version its specifier accepts, the lock must have been compiled with exactly those extras, and
nothing the lock says comes from pyproject.toml may be missing from it. The fix is always `make lock`.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)")
FROM_PROJECT = "(pyproject.toml)"


def read_lock(path: Path) -> tuple[dict[str, Version], set[str], set[str]]:
    """The lock's pins, the extras its command line names, and the packages it credits to pyproject."""
    pins: dict[str, Version] = {}
    credited: set[str] = set()
    extras: set[str] = set()
    current = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        extras.update(re.findall(r"--extra[= ](\S+)", line) if "pip-compile" in line else ())
        match = PIN.match(line)
        if match:
            current = canonicalize_name(match[1])
            pins[current] = Version(match[2])
        elif FROM_PROJECT in line and current:
            credited.add(current)
    return pins, extras, credited


def project_requirements(pyproject: Path, extras: list[str]) -> list[Requirement]:
    """The project's own requirements plus those of the given extras."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    optional = project.get("optional-dependencies", {})
    unknown = [extra for extra in extras if extra not in optional]
    if unknown:
        raise SystemExit(f"pyproject.toml has no extra named {', '.join(unknown)}")
    lines = list(project.get("dependencies", []))
    for extra in extras:
        lines += optional[extra]
    return [Requirement(line) for line in lines]


def problems(lock: Path, pyproject: Path, extras: list[str]) -> list[str]:
    """What is wrong between the two files; empty when they agree."""
    pins, lock_extras, credited = read_lock(lock)
    found = []
    if lock_extras != set(extras):
        found.append(f"the lock was compiled with extras {sorted(lock_extras)}, the Makefile asks for {sorted(extras)}")
    wanted = set()
    for req in project_requirements(pyproject, extras):
        if req.marker is not None and not req.marker.evaluate({"extra": ""}):
            continue
        name = canonicalize_name(req.name)
        wanted.add(name)
        if name not in pins:
            found.append(f"{req} is required by pyproject.toml but not pinned in {lock.name}")
        elif not req.specifier.contains(pins[name], prereleases=True):
            found.append(f"{req} is required by pyproject.toml but {lock.name} pins {name}=={pins[name]}")
    for name in sorted(credited - wanted):
        found.append(f"{lock.name} still pins {name} for pyproject.toml, which no longer asks for it")
    return found


def main(argv: list[str]) -> int:
    """Print each disagreement and how to fix it; exit 1 when there is any."""
    if len(argv) < 2:
        print(__doc__)
        return 2
    lock = Path(argv[1])
    found = problems(lock, lock.parent / "pyproject.toml", argv[2:])
    for problem in found:
        print(f"lock check: {problem}", file=sys.stderr)
    if found:
        print("Run `make lock` to regenerate requirements.lock, then commit it.", file=sys.stderr)
        return 1
    print(f"lock check: {lock.name} agrees with pyproject.toml")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
