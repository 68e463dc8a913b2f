"""Redraw the README's pictures of the documents from the demo's outputs (run `make demo`
first): the first page of the decree attachment's PDF, and the first page of a village's
correction form as LibreOffice prints it. Needs LibreOffice (soffice) and poppler (pdftoppm).

    .venv/bin/python scripts/document_pictures.py [work/sample]
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

DOCS = Path("docs")
RESOLUTION = "80"  # dots per inch: an A4 page about 930 pixels wide


def page_picture(pdf: Path, target: Path) -> None:
    """The first page of `pdf` as a PNG."""
    stem = target.with_suffix("")
    subprocess.run(
        ["pdftoppm", "-png", "-r", RESOLUTION, "-f", "1", "-l", "1", "-singlefile", str(pdf),
         str(stem)],
        check=True,
    )  # fmt: skip


def printed(workbook: Path, folder: Path) -> Path:
    """The workbook as LibreOffice prints it to PDF."""
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(folder), str(workbook)],
        check=True,
        capture_output=True,
    )
    return folder / f"{workbook.stem}.pdf"


def main(work: Path) -> None:
    missing = [tool for tool in ("soffice", "pdftoppm") if shutil.which(tool) is None]
    if missing:
        sys.exit(f"needs {' and '.join(missing)} (Debian: libreoffice-calc, poppler-utils)")
    decree = next((work / "report").glob("lampiran_sk_*.pdf"))
    page_picture(decree, DOCS / "decree_page.png")
    form = sorted((work / "perbaikan").rglob("*.xlsx"))[0]
    with tempfile.TemporaryDirectory() as folder:
        page_picture(printed(form, Path(folder)), DOCS / "correction_form.png")
    print(f"wrote {DOCS / 'decree_page.png'} and {DOCS / 'correction_form.png'}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("work/sample"))
