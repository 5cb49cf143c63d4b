"""The web app's own table: shared rate counters (see :mod:`web.ratelimit`)."""

from __future__ import annotations

from django.db import models


class RateCounter(models.Model):
    """Requests counted under one key in the current and the previous fixed window."""

    counter_key = models.CharField(max_length=200, primary_key=True)
    window_start = models.BigIntegerField(help_text="Window number: floor(epoch s / period s).")
    hits = models.PositiveIntegerField()
    previous_hits = models.PositiveIntegerField()
    expires_s = models.FloatField(db_index=True, help_text="Epoch seconds after which the row "
                                  "no longer matters.")

    class Meta:
        db_table = "cartoparty_rate_counter"

    def __str__(self) -> str:
        return f"{self.counter_key}: {self.hits} (+{self.previous_hits} before)"
