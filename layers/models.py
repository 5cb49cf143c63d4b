"""Sensors (fixed stations, mobile tracks, spot measurements) and their measurements."""

from __future__ import annotations

from django.contrib.gis.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mapping.models import Event


class Sensor(models.Model):
    """Something that measures: a fixed station, a phone's track, or one spot measurement.

    A sensor belongs to no event: its measurements serve every event whose zone and window
    they fall in (``layers.selectors.sensors.event_readings``, docs/acoustics.md §4.1).
    Which files brought it in, and for which event, is told by :class:`MeasurementImport`.
    """

    class Deployment(models.TextChoices):
        FIXED = "fixed", _("fixed station")
        MOBILE = "mobile", _("mobile track")
        SPOT = "spot", _("spot measurement")

    class Source(models.TextChoices):
        NOISECAPTURE = "noisecapture", "NoiseCapture"
        DNMS = "dnms", "Sensor.Community DNMS"
        STATION = "station", _("station CSV")
        LASSO = "lasso", _("LASSO soundscape survey")
        SOUNDSCAPE = "soundscape", _("soundscape survey (ISO 12913)")
        API = "api", _("pushed through the API")

    # Natural identifier, e.g. "noisecapture:<uuid>", "dnms:12345", "station:<id>": re-imports
    # find the sensor again by it (or by one of its aliases, SensorAlias).
    code = models.CharField(max_length=120, unique=True)
    name = models.CharField(max_length=200, blank=True)
    deployment = models.CharField(max_length=8, choices=Deployment.choices)
    source = models.CharField(max_length=16, choices=Source.choices)
    # Fixed and spot sensors have a place; a mobile track's points are on its measurements.
    location = models.PointField(srid=4326, null=True, blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    # SHA-256 of the API key used to push readings; the key itself is shown once.
    api_key_digest = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(deployment="mobile") | Q(location__isnull=False),
                name="sensor_fixed_or_spot_has_location",
            )
        ]

    def __str__(self) -> str:
        return self.name or self.code


class SensorAlias(models.Model):
    """Another code that finds a sensor: a NoiseCapture track is known both by the uuid of
    its ``meta.properties`` (the sensor's code) and by the uuid in its file name."""

    sensor = models.ForeignKey(Sensor, on_delete=models.CASCADE, related_name="aliases")
    alias = models.CharField(max_length=120, unique=True)

    def __str__(self) -> str:
        return f"{self.alias} → {self.sensor_id}"


class MeasurementImport(models.Model):
    """Provenance: one file (or one API registration) that brought readings of some sensors,
    the event it was imported for (if any) and what it stored. It selects nothing: an event
    shows the measurements in its zone and window, whoever imported them."""

    event = models.ForeignKey(Event, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="measurement_imports")
    file_name = models.CharField(max_length=255, blank=True)
    file_sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    format = models.CharField(max_length=16)
    sensors = models.ManyToManyField(Sensor, related_name="imports", blank=True)
    readings_new = models.PositiveIntegerField(default=0)
    readings_existing = models.PositiveIntegerField(default=0)
    rows_refused = models.PositiveIntegerField(default=0)
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-imported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.format} {self.file_name or '(api)'} {self.imported_at:%Y-%m-%d}"


class Quantity(models.TextChoices):
    """What a measurement measures; the unit is stored beside the value."""

    LAEQ = "LAeq", "LAeq"
    LAMIN = "LAmin", "LAmin"
    LAMAX = "LAmax", "LAmax"
    LA10 = "LA10", "LA10"
    LA50 = "LA50", "LA50"
    LA90 = "LA90", "LA90"
    PM25 = "PM2.5", "PM2.5"
    PM10 = "PM10", "PM10"


UNIT_OF = {q: "dB(A)" for q in ("LAeq", "LAmin", "LAmax", "LA10", "LA50", "LA90")} | {
    "PM2.5": "µg/m³", "PM10": "µg/m³",
}


class Measurement(models.Model):
    """One value of one quantity over an integration period starting at ``measured_at``."""

    # No index of its own: the natural key's unique index starts with the sensor (one index
    # less to maintain on every imported reading).
    sensor = models.ForeignKey(Sensor, on_delete=models.CASCADE, related_name="measurements",
                               db_index=False)
    measured_at = models.DateTimeField(db_index=True, help_text=_("Start of the period (UTC)."))
    duration_s = models.FloatField(help_text=_("Integration period, seconds."))
    quantity = models.CharField(max_length=8, choices=Quantity.choices, default=Quantity.LAEQ)
    value = models.FloatField()
    unit = models.CharField(max_length=8, default="dB(A)")
    # A mobile track's point; null for fixed sensors (their place is the sensor's).
    location = models.PointField(srid=4326, null=True, blank=True)
    accuracy_m = models.FloatField(null=True, blank=True)
    # Quality flags, e.g. ["time_approximate", "laeq_below_la90"]; empty when nothing is known
    # wrong.
    flags = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["sensor_id", "measured_at", "quantity"]
        constraints = [
            models.UniqueConstraint(
                fields=["sensor", "measured_at", "quantity"], name="measurement_natural_key"
            ),
            models.CheckConstraint(condition=Q(duration_s__gt=0),
                                   name="measurement_duration_positive"),
        ]

    def __str__(self) -> str:
        return (f"{self.sensor_id} {self.measured_at:%Y-%m-%dT%H:%M:%S} "
                f"{self.quantity}={self.value} {self.unit}")


# The population grid of an event (representativity analytics) lives in its own module.
from layers.models_population import PopulationCell, PopulationGrid  # noqa: E402, F401
