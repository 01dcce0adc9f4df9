from django.db import models

from niagara.models import Entity
from relations.registry import entities


class Gadget(Entity):
    label = models.CharField(max_length=100)
    colour = models.CharField(max_length=20, blank=True)

    def __str__(self):
        return self.label


entities.register(Gadget, code="GAD", collection="gadgets", kind="gadget")
