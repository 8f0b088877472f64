#!/usr/bin/env python3
"""The README's two commands, for a fresh Debian machine with only Python 3.11:

    python3 dev.py build    install kj-budget into .venv and build build/kjernejournal-budsjett.xlsx
    python3 dev.py test     install everything the tests need (LibreOffice too) and run the whole suite
    python3 dev.py catalogs bring the message catalogs (nb, nn) up to date with the code and compile them

Anything after the command is passed on (`python3 dev.py build --municipality Gausdal`,
`python3 dev.py test -k workbook`). Standard library only: it runs before anything is installed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
APT_PACKAGES = ["libreoffice-calc-nogui", "poppler-utils", "fonts-crosextra-carlito", "fonts-liberation2",
                # WeasyPrint (kj-budget memo --pdf) draws text with Pango and subsets fonts with HarfBuzz
                "libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0",
                # the memo's accessibility test: axe-core (npm, pinned in tests/axe) in headless Chromium
                "chromium", "npm"]
AXE = ROOT / "tests" / "axe"


def sh(*cmd: str, **kw) -> None:
    print("+", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True, **kw)


def venv_python() -> str:
    """The virtual environment's Python, created on first use (falls back to this Python)."""
    py = VENV / "bin" / "python"
    if not py.exists():
        try:
            subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        except subprocess.CalledProcessError:
            print("! python3 -m venv failed (Debian: apt-get install python3-venv); installing into this Python",
                  file=sys.stderr)
            shutil.rmtree(VENV, ignore_errors=True)
            return sys.executable
    return str(py)


def install(py: str, extras: str) -> None:
    """pip install -e .[extras], skipped when pyproject.toml has not changed since the last install."""
    stamp = ROOT / ".venv" / f".installed-{extras or 'base'}"
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if py != sys.executable and stamp.exists() and stamp.read_text() == digest:
        return
    sh(py, "-m", "pip", "install", "--disable-pip-version-check", "-q", "-e", f".[{extras}]" if extras else ".",
       cwd=ROOT)
    if py != sys.executable:
        stamp.write_text(digest)


def ensure_libreoffice() -> None:
    """LibreOffice (headless Calc), poppler, metric-compatible fonts, WeasyPrint's libraries, Chromium and npm,
    from Debian."""
    import ctypes.util

    libraries = ("pango-1.0", "pangoft2-1.0", "harfbuzz-subset")
    tools = ("soffice", "pdftoppm", "chromium", "npm")
    if all(map(shutil.which, tools)) and all(map(ctypes.util.find_library, libraries)):
        return
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    sh(*sudo, "apt-get", "update", "-qq", env=env)
    sh(*sudo, "apt-get", "install", "-y", "-qq", "--no-install-recommends", *APT_PACKAGES, env=env)


def ensure_axe() -> None:
    """axe-core at the version tests/axe/package-lock.json pins (npm ci: exactly that, integrity checked)."""
    lock = (AXE / "package-lock.json").read_bytes()
    stamp = AXE / "node_modules" / ".kj-lock-sha256"
    if stamp.exists() and stamp.read_text() == hashlib.sha256(lock).hexdigest():
        return
    sh("npm", "ci", "--silent", "--no-audit", "--no-fund", cwd=AXE)
    stamp.write_text(hashlib.sha256(lock).hexdigest())


LOCALE = ROOT / "workbook_builder" / "core" / "locale"
DOMAINS = ("core", "sheets", "texts")  # as workbook_builder/core/i18n.py
MALFORMS = ("nb", "nn")
# Babel keywords: tr(text, ...) (i18n.tr, and a sheet's or a context's tr), N_ for tables of labels.
KEYWORDS = ["-k", "tr", "-k", "N_"]


def catalogs(py: str) -> int:
    """Extract every message with Babel, update each målform's .po (new messages come in untranslated,
    removed ones go), and compile the .mo files the program reads."""
    import tempfile

    pybabel = [py, "-m", "babel.messages.frontend"]
    with tempfile.TemporaryDirectory() as tmp:
        for domain in DOMAINS:
            pot = Path(tmp) / f"{domain}.pot"
            sh(*pybabel, "extract", "-F", str(LOCALE / f"{domain}.cfg"), *KEYWORDS, "--no-wrap", "--sort-by-file",
               "--add-location=file", "--project=kj-budget", "-o", str(pot), ".", cwd=ROOT)
            for malform in MALFORMS:
                po = LOCALE / malform / "LC_MESSAGES" / f"{domain}.po"
                verb = "update" if po.exists() else "init"
                extra = ["--no-wrap", "--ignore-obsolete"] if verb == "update" else ["--no-wrap"]
                sh(*pybabel, verb, "-D", domain, "-i", str(pot), "-d", str(LOCALE), "-l", malform, *extra, cwd=ROOT)
            sh(*pybabel, "compile", "-D", domain, "-d", str(LOCALE), "--statistics", cwd=ROOT)
    return 0


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"build", "test", "catalogs"}:
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    py = venv_python()
    if command == "build":
        install(py, "")
        return subprocess.run([py, "-m", "workbook_builder.cli", "build", *rest], cwd=ROOT).returncode
    install(py, "test")
    if command == "catalogs":
        return catalogs(py)
    ensure_libreoffice()
    ensure_axe()
    sh(py, "-m", "ruff", "check", "workbook_builder", "udfs", "tests", "bench", "examples", "dev.py", cwd=ROOT)
    sh(py, "-m", "mypy", cwd=ROOT)  # workbook_builder and udfs, configured in pyproject.toml
    return subprocess.run([py, "-m", "pytest", *rest], cwd=ROOT).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
