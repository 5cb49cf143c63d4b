"""A participant's rights over their own contributions: delete one, or all of them."""

from __future__ import annotations

import uuid

from django.db import transaction

from mapping.errors import N_, NotFound
from mapping.models import Contributor, MappedFeature, NuisanceReport, Removal
from mapping.services.profiles import profile_delete

NOT_YOURS = N_("No contribution of yours has this id.")


@transaction.atomic
def own_contribution_delete(*, contributor: Contributor, contribution_id: str) -> str:
    """Delete one of the participant's own contributions (and its history); its kind back.

    NotFound when the id is malformed or names someone else's contribution, so an id
    cannot be probed.
    """
    try:
        pk = uuid.UUID(str(contribution_id))
    except ValueError:
        raise NotFound(NOT_YOURS, field="id") from None
    for kind, model in (("feature", MappedFeature), ("report", NuisanceReport)):
        deleted, _ = model.objects.filter(pk=pk, author=contributor).delete()
        if deleted:
            Removal.objects.create(event_id=contributor.event_id, contribution_id=pk, kind=kind)
            return kind
    raise NotFound(NOT_YOURS, field="id")


@transaction.atomic
def own_contributions_delete_all(*, contributor: Contributor) -> int:
    """Delete every contribution of the participant, and their optional profile; how many
    contributions were deleted."""
    profile_delete(contributor=contributor)
    removals = [
        Removal(event_id=contributor.event_id, contribution_id=pk, kind=kind)
        for kind, model in (("feature", MappedFeature), ("report", NuisanceReport))
        for pk in model.objects.filter(author=contributor).values_list("pk", flat=True)]
    MappedFeature.objects.filter(author=contributor).delete()
    NuisanceReport.objects.filter(author=contributor).delete()
    Removal.objects.bulk_create(removals)  # maps that showed them drop them
    return len(removals)
