"""Helpers for tests that open generated Word documents back (python-docx)."""

from __future__ import annotations

import io

from docx import Document

from huxiao.reports.documents import builtin_bytes


def open_docx(data: bytes):
    """The python-docx Document of `data` (fails if the bytes are not a valid .docx)."""
    return Document(io.BytesIO(data))


def docx_text(data: bytes) -> str:
    """All the text of a document: body paragraphs, then every table cell (nested tables too),
    then headers and footers — one line per paragraph."""
    doc = open_docx(data)
    lines = [p.text for p in doc.paragraphs]

    def tables(container):
        for table in container.tables:
            for row in table.rows:
                for cell in row.cells:
                    lines.extend(p.text for p in cell.paragraphs)
                    tables(cell)

    tables(doc)
    for section in doc.sections:
        lines.extend(p.text for p in section.header.paragraphs)
        lines.extend(p.text for p in section.footer.paragraphs)
    return "\n".join(lines)


def docx_with(kind: str, *paragraphs: str) -> bytes:
    """The built-in template of `kind` with `paragraphs` appended (a plausible edited template)."""
    doc = open_docx(builtin_bytes(kind))
    for text in paragraphs:
        doc.add_paragraph(text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def libreoffice_pdf(data: bytes, name: str, tmp_path) -> bytes:
    """Convert a generated .docx/.xlsx to PDF with LibreOffice (headless, its own profile under
    `tmp_path`) and return the PDF; skips the test where `soffice` is not installed."""
    import shutil
    import subprocess

    import pytest

    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    path = tmp_path / name
    path.write_bytes(data)
    lo = [soffice, f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "pdf"]
    # the soffice found on PATH and a file this helper wrote: no outside input
    subprocess.run([*lo, "--outdir", str(tmp_path), str(path)], check=True, capture_output=True, timeout=180)
    return (tmp_path / f"{path.stem}.pdf").read_bytes()
