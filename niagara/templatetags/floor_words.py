"""Template filters for the floor's pages: ``{% load floor_words %}``."""

from django import template

from niagara import display

register = template.Library()
register.filter("duration", display.duration)
register.filter("outcome", display.outcome)
