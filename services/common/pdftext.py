"""Text for PDFs drawn with fpdf2's core fonts (Helvetica), which speak Latin-1 only: what
fits is kept, the rest folded sensibly (``–`` to ``-``, ``ā`` to ``a``), never dropped
silently to nothing. Used by permits' permit PDF and the standards' berita acara and
maklumat."""
import unicodedata


def latin(text):
    """``text`` (any value; ``None`` is empty) as Latin-1 the core fonts can draw."""
    text = "" if text is None else str(text)
    text = text.replace("\u2013", "-").replace("\u2014", "-").replace("\u2019", "'")
    out = []
    for char in text:
        try:
            char.encode("latin-1")
            out.append(char)
        except UnicodeEncodeError:
            folded = unicodedata.normalize("NFKD", char).encode("latin-1", "ignore").decode(
                "latin-1")
            out.append(folded or "?")
    return "".join(out)
