"""Every way we cite a source, in one house style, APA 7: on pages (style.py), for reference
managers as BibTeX and RIS (formats.py), and in schema.org data (schema_org.py). The names
below are the ones the pages use.

This package reads stories.models; the models never import it, so the dependency runs one way.
"""

from .formats import bibtex, ris
from .schema_org import evidence_structured_data
from .style import in_reference_order, in_text, reference, reference_list

__all__ = [
    "bibtex",
    "evidence_structured_data",
    "in_reference_order",
    "in_text",
    "reference",
    "reference_list",
    "ris",
]
