"""Paper forms import: all or nothing, row-level errors, channel "paper", real mistakes."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from mapping.errors import NotAllowed
from mapping.models import EventRole, MappedFeature, NuisanceReport, StatusChange
from mapping.paper_csv import split
from mapping.services.paper_forms import paper_forms_import
from tests.factories import EventRoleFactory

pytestmark = pytest.mark.django_db
DATA = Path(__file__).resolve().parents[1] / "data" / "desk"


@pytest.fixture
def mediator(event):
    user = EventRoleFactory(event=event, user__username="mediatrice",
                            role=EventRole.Role.MEDIATOR).user
    return user


def run(event, actor, name, *, commit):
    return paper_forms_import(event=event, actor=actor, data=(DATA / name).read_bytes(),
                              commit=commit)


def count() -> int:
    return NuisanceReport.objects.count() + MappedFeature.objects.count()


def test_dry_run_then_commit_records_rows_as_entered_by_the_mediator(event, mediator):
    checked = run(event, mediator, "paper_forms_ok.csv", commit=False)
    assert checked.ok
    assert not checked.committed
    assert checked.new == 3
    assert count() == 0  # a dry run writes nothing
    done = run(event, mediator, "paper_forms_ok.csv", commit=True)
    assert done.committed
    assert done.new == 3
    report = NuisanceReport.objects.get(category="noise")
    assert (report.channel, report.entered_by, report.author.pseudonym) == (
        "paper", mediator, "Mme Durand")
    assert report.author.registered_by == mediator
    assert report.sources == ["road", "two_wheelers"]
    assert report.geometry.y == pytest.approx(45.566)  # decimal comma read
    assert report.observed_at.utcoffset() is not None
    bench = MappedFeature.objects.get()
    assert bench.tags["amenity"] == "bench"
    assert bench.tags["backrest"] == "yes"
    assert bench.consent_osm
    assert StatusChange.objects.filter(report=report, to_status="received",
                                       actor_user=mediator).exists()
    # Two rows from the same person: one participant.
    assert NuisanceReport.objects.filter(author__pseudonym="Mme Durand").count() == 2


def test_importing_the_same_file_twice_adds_nothing(event, mediator):
    run(event, mediator, "paper_forms_ok.csv", commit=True)
    again = run(event, mediator, "paper_forms_ok.csv", commit=True)
    assert again.ok
    assert again.new == 0
    assert {r.outcome for r in again.rows} == {"already imported"}
    assert count() == 3


def test_mistakes_are_reported_per_row_and_nothing_is_imported(event, mediator):
    result = run(event, mediator, "paper_forms_mistakes.csv", commit=True)
    assert not result.ok
    assert not result.committed
    assert count() == 0  # the good first row was not kept either
    errors = {row.line: row.errors for row in result.rows}
    assert errors[2] == []
    assert errors[3][0][0] == "latitude"
    assert "swapped" in errors[3][0][1]
    assert errors[4][0][0] == "longitude"  # empty
    assert errors[5][0][0] == "category"
    assert "bruit-de-fond" in errors[5][0][1]
    assert errors[6][0][0] == "comment"
    assert "formula" in errors[6][0][1]
    assert errors[7][0][0] == "latitude"  # 1 km outside the zone
    assert errors[8][0][0] == "intensity"


def test_missing_columns_are_named(event, mediator):
    result = run(event, mediator, "paper_forms_missing_columns.csv", commit=True)
    assert not result.ok
    assert "kind" in result.header_errors[0]
    assert "latitude" in result.header_errors[0]
    assert count() == 0


def test_latin1_file_is_read_with_its_accents(event, mediator):
    result = run(event, mediator, "paper_forms_latin1.csv", commit=True)
    assert result.encoding == "windows-1252"
    assert result.committed
    report = NuisanceReport.objects.get()
    assert report.author.pseudonym == "Hélène"
    assert report.comment == "Près de l'église"


def test_empty_file_never_reports_success(event, mediator):
    result = paper_forms_import(event=event, actor=mediator, data=b"kind;pseudonym;latitude;"
                                b"longitude\r\n", commit=True)
    assert not result.ok
    assert result.header_errors


def test_participants_and_strangers_cannot_import(event, other_event):
    stranger = EventRoleFactory(event=other_event, user__username="autre",
                                role=EventRole.Role.MEDIATOR).user
    with pytest.raises(NotAllowed):
        run(event, stranger, "paper_forms_ok.csv", commit=True)


def test_negative_longitudes_are_not_formulas():
    sheet = split("kind,pseudonym,latitude,longitude\nreport,Jo,48.85,-1.5\n")
    assert sheet.rows[0][1]["longitude"] == "-1.5"


def test_command_checks_then_imports(event, mediator, capsys):
    path = str(DATA / "paper_forms_ok.csv")
    call_command("import_forms", path, event=event.slug, user="mediatrice")
    assert "--commit" in capsys.readouterr().out
    assert count() == 0
    call_command("import_forms", path, event=event.slug, user="mediatrice", commit=True)
    assert "Imported 3" in capsys.readouterr().out
    assert count() == 3


def test_command_lists_row_errors_and_fails(event, mediator, capsys):
    with pytest.raises(CommandError, match="Nothing imported"):
        call_command("import_forms", str(DATA / "paper_forms_mistakes.csv"), event=event.slug,
                     user="mediatrice", commit=True)
    assert "line 6, comment" in capsys.readouterr().err
    assert count() == 0


@pytest.mark.parametrize("data", [
    b"kind;pseudonym;latitude;longitude\n" + b"a" * 200_000,  # one cell over csv's limit
    b"kind;pseudonym;latitude;longitude\nreport;Ana;45.566;5.932\n\"" + b"x" * 200_000,
    b"\"" + b"k" * 200_000,  # the header itself
])
def test_a_file_csv_cannot_read_is_refused_whole_not_a_crash(event, mediator, data):
    before = count()
    result = paper_forms_import(event=event, actor=mediator, data=data, commit=True)
    assert result.header_errors
    assert "cannot be read as CSV" in result.header_errors[-1]
    assert not result.committed
    assert count() == before


def test_a_million_unknown_columns_give_a_short_message():
    sheet = split("kind;pseudonym;latitude;longitude;" + ";".join(["zz"] * 1_000_000))
    assert len(sheet.header_errors[-1]) < 1000
    assert "more" in sheet.header_errors[-1]


SOUNDSCAPE_SHEET = (
    "kind;pseudonym;latitude;longitude;category;intensity;sources;observed_at;comment;preset;"
    "tags;consent_osm;pleasant;chaotic;vibrant;uneventful;calm;annoying;eventful;monotonous;"
    "loudness;overall\r\n"
    "report;Mme Durand;45,5660;5,9320;noise;4;road;20/11/2026 21:30;Scooters;;;;"
    "2;4;3;2;1;2;4;3;4;2\r\n"
    "report;M. Martin;45.5655;5.9325;noise;2;;20/11/2026 21:40;;;;;;;;;;;;;;\r\n"
    "report;Mme Roux;45.5655;5.9325;noise;3;;20/11/2026 21:45;;;;;2;4;3;2;7;2;4;3;;\r\n"
)


def test_paper_rows_carry_the_soundscape_part(event, mediator):
    from mapping.models import SoundscapeAnswer

    event.soundscape_enabled = True
    event.save(update_fields=["soundscape_enabled"])
    data = SOUNDSCAPE_SHEET.encode()
    checked = paper_forms_import(event=event, actor=mediator, data=data, commit=True)
    errors = {row.line: row.errors for row in checked.rows}
    assert errors[4] == [("calm", "'7': calm is a whole number from 1 to 5.")]
    assert not checked.committed
    good = "\r\n".join(SOUNDSCAPE_SHEET.split("\r\n")[:3]) + "\r\n"
    result = paper_forms_import(event=event, actor=mediator, data=good.encode(), commit=True)
    assert result.committed
    answer = SoundscapeAnswer.objects.get()
    assert (answer.pleasant, answer.monotonous, answer.loudness, answer.overall) == (2, 3, 4, 2)
    assert answer.report.channel == "paper"
    assert NuisanceReport.objects.count() == 2  # the second row has no soundscape part
    again = paper_forms_import(event=event, actor=mediator, data=good.encode(), commit=True)
    assert again.new == 0  # same file twice: nothing more
