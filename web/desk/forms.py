"""Desk forms: they only shape input; the rules live in mapping's services."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from mapping.presets import nuisance_categories, tag_presets
from mapping.zone_files import ZoneFileError, zone_from_file


def _local(names: Any, fallback: str) -> str:
    if not isinstance(names, dict):
        return fallback
    lang = (get_language() or "fr")[:2]
    return names.get(lang) or names.get("en") or fallback


def preset_choices() -> list[tuple[str, str]]:
    return [(key, f"{_local(p.get('name'), key)} ({key})") for key, p in tag_presets().items()]


def category_choices() -> list[tuple[str, str]]:
    return [(key, _local(c.get("name"), key)) for key, c in nuisance_categories().items()]


class DateTimeLocal(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M")


class EventForm(forms.Form):
    """A carto-party's details, its zone (drawn, pasted or uploaded) and its widget."""

    name = forms.CharField(label=_("Name"), max_length=200)
    slug = forms.SlugField(label=_("Short name in addresses"), max_length=80,
                           help_text=_("Lower-case letters, digits and hyphens; cannot change."))
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DateTimeLocal())
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=DateTimeLocal())
    time_zone = forms.CharField(label=_("Time zone"), initial="Europe/Paris", max_length=64)
    join_code = forms.CharField(label=_("Join code"), min_length=4, max_length=32)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(
        attrs={"rows": 3}))
    zone_geojson = forms.CharField(
        label=_("Zone (GeoJSON polygon)"), required=False,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        help_text=_("Drawn on the map above, pasted here, or uploaded below."))
    zone_file = forms.FileField(label=_("…or a GeoJSON / GeoPackage file"), required=False)
    presets = forms.MultipleChoiceField(label=_("Features offered"), required=False,
                                        widget=forms.CheckboxSelectMultiple)
    nuisance_categories = forms.MultipleChoiceField(
        label=_("Nuisance categories offered"), required=False,
        widget=forms.CheckboxSelectMultiple)
    soundscape_enabled = forms.BooleanField(
        label=_("Offer the soundscape questionnaire (ISO 12913) with noise reports"),
        required=False,
        help_text=_("Eight words and two questions, each 1–5, optional for participants."))
    allowed_origins = forms.CharField(
        label=_("Sites allowed to embed the map"), required=False,
        widget=forms.Textarea(attrs={"rows": 2, "spellcheck": "false"}),
        help_text=_("One origin per line, e.g. https://www.ville.fr"))
    allow_contribution = forms.BooleanField(label=_("Allow contributions from the widget"),
                                            required=False)

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["presets"].choices = preset_choices()
        self.fields["nuisance_categories"].choices = category_choices()
        if editing:
            self.fields["slug"].disabled = True
            self.fields["slug"].required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        upload = data.get("zone_file")
        if upload:
            try:
                data["zone"] = zone_from_file(upload.read())
            except ZoneFileError as exc:
                self.add_error("zone_file", str(exc))
        elif data.get("zone_geojson"):
            try:
                parsed = json.loads(data["zone_geojson"])
            except json.JSONDecodeError as exc:
                self.add_error("zone_geojson", _("Not JSON: %(error)s") % {"error": exc})
            else:
                if isinstance(parsed, dict) and parsed.get("type") == "Feature":
                    parsed = parsed.get("geometry")
                data["zone"] = parsed
        else:
            self.add_error("zone_geojson", _("Draw the zone on the map, paste it or upload it."))
        return data

    def origins(self) -> list[str]:
        return self.cleaned_data.get("allowed_origins", "").splitlines()


class GridForm(forms.Form):
    size_m = forms.FloatField(label=_("Square side (m)"), min_value=20, max_value=5000,
                              initial=100)


class TeamForm(forms.Form):
    name = forms.CharField(label=_("Team name"), max_length=60)


class PaperImportForm(forms.Form):
    file = forms.FileField(label=_("Filled-in CSV file"))
