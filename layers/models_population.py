"""An event's population grid: the residents per cell, to set contributions against."""

from __future__ import annotations

from django.contrib.gis.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mapping.models import Event


class PopulationGrid(models.Model):
    """The population grid loaded for one event, and where its figures come from."""

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="population_grid")
    # "Source : Insee, Filosofi 2015, données carroyées à 200 m" for INSEE's files.
    attribution = models.CharField(_("attribution"), max_length=500)
    vintage = models.CharField(_("release"), max_length=40)
    # One entry per imported file: name, sha256, format, vintage, when, cells kept.
    sources = models.JSONField(default=list)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("population grid")

    def __str__(self) -> str:
        return f"{self.vintage} — {self.event}"


class PopulationCell(models.Model):
    """One cell: its residents (INSEE estimates, fractions happen) and whether imputed."""

    grid = models.ForeignKey(PopulationGrid, on_delete=models.CASCADE, related_name="cells")
    # The INSPIRE code (CRS3035RES200mN…E…) of a Filosofi cell, else the file's own id.
    code = models.CharField(max_length=64)
    geometry = models.PolygonField(srid=4326)
    population = models.FloatField(_("inhabitants"))
    households = models.FloatField(_("households"), null=True, blank=True)
    # INSEE spread a larger group's values over a cell of fewer than 11 households.
    imputed = models.BooleanField(_("imputed"), default=False)
    # Share of the cell's area inside the event's zone (0 < share ≤ 1).
    zone_share = models.FloatField(default=1.0)
    # Every other numeric column of the file under its lower-case name (Filosofi: ind_0_3 …
    # ind_80p, men_pauv, ind_snv…), and the commune code.
    attributes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["grid_id", "code"]
        verbose_name = _("population cell")
        constraints = [
            models.UniqueConstraint(fields=["grid", "code"], name="unique_population_cell"),
            models.CheckConstraint(condition=Q(population__gte=0),
                                   name="population_cell_not_negative"),
            models.CheckConstraint(condition=Q(zone_share__gt=0) & Q(zone_share__lte=1),
                                   name="population_cell_share_in_zone"),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.population:g}"
