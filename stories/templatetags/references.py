from django import template

from stories import citations

register = template.Library()


@register.filter
def in_text(source) -> str:
    """A source's in-text citation in the house style, e.g. 'Abel et al., 2018'."""
    return citations.in_text(source)
