"""A curator's decision on a possible match: accept (the person merge, which
can be undone on the merge) or reject (remembered: the pair is never raised
again). The admin and the API both call these; each runs in one transaction
and either does all of it or nothing."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from records.curation.merge import MergeError, merge_people, merged_into
from records.models import Person, PossibleMatch


class MatchError(ValueError):
    """A decision that cannot be made; the message says why."""


def accept_match(match: PossibleMatch | int, user, note: str = "") -> PossibleMatch:
    """Merges the incoming person into the existing one and records the decision."""
    with transaction.atomic():
        match = _locked(match)
        _refuse_decided(match)
        for role, person_id in (("incoming", match.incoming_id), ("existing", match.existing_id)):
            _refuse_gone(match, role, person_id)
        why = note or f"Accepted possible match #{match.pk} (score {match.score:g})."
        try:
            merge = merge_people(match.existing_id, match.incoming_id, user, note=why)
        except MergeError as error:
            raise MatchError(f"Possible match #{match.pk} cannot be accepted: {error}") from error
        return _decide(match, PossibleMatch.Status.ACCEPTED, user, note, merge=merge)


def reject_match(match: PossibleMatch | int, user, note: str = "") -> PossibleMatch:
    """Records that the two are different people: the pair is not proposed again."""
    with transaction.atomic():
        match = _locked(match)
        _refuse_decided(match)
        return _decide(match, PossibleMatch.Status.REJECTED, user, note)


def _locked(match: PossibleMatch | int) -> PossibleMatch:
    key = match.pk if isinstance(match, PossibleMatch) else match
    found = PossibleMatch.objects.select_for_update().filter(pk=key).first()
    if found is None:
        raise MatchError(f"There is no possible match #{key}.")
    return found


def _refuse_decided(match: PossibleMatch) -> None:
    if match.status == PossibleMatch.Status.OPEN:
        return
    # An accepted match whose merge was undone since is open to a decision again.
    if match.status == PossibleMatch.Status.ACCEPTED and match.merge is not None and match.merge.undone_at:
        return
    who = match.decided_by.get_username() if match.decided_by else "the person matcher"
    raise MatchError(
        f"Possible match #{match.pk} was already {match.status} by {who} on {match.decided_at:%Y-%m-%d}."
        + (f" Undo merge #{match.merge_id} to decide again." if match.merge_id else "")
    )


def _refuse_gone(match: PossibleMatch, role: str, person_id: int) -> None:
    if Person.objects.filter(pk=person_id).exists():
        return
    target = merged_into(person_id)
    if target is not None:
        raise MatchError(
            f"Possible match #{match.pk} cannot be accepted: the {role} person #{person_id} was merged into "
            f"#{target.pk} ({target.name}) since it was proposed. Compare #{target.pk} with the other person and "
            "merge them from the people list if they are one."
        )
    raise MatchError(f"Possible match #{match.pk} cannot be accepted: the {role} person #{person_id} was deleted.")


def _decide(match: PossibleMatch, status: str, user, note: str, merge=None) -> PossibleMatch:
    match.status, match.decided_by, match.decided_at, match.note = status, user, timezone.now(), note
    fields = ["status", "decided_by", "decided_at", "note"]
    if merge is not None:
        match.merge = merge
        fields.append("merge")
    match.save(update_fields=fields)
    return match
