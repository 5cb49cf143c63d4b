"""The optional profile a participant may give at join: questions, answers, purpose (pure).

Four self-declared answers, each optional: an age band (the bands of INSEE's Filosofi grid
from 18 on, so they can be set beside the residents'), whether one lives in the carto-party's
area, whether it is one's first participation (FixMyStreet's "first time?"), and a gender
chosen freely among three answers or not at all. No free text: nothing is collected that no
figure uses. Answers are stored apart from contributions and only ever counted.

>>> clean_answers({"age_band": "25_39", "gender": ""})
{'age_band': '25_39'}
"""

from __future__ import annotations

from mapping.errors import N_, InvalidInput

# Bump when the wording of the questions or of the purpose changes (stored with the answers).
PURPOSE_VERSION = "2026-12"
PURPOSE = N_(
    "These questions are optional. They help the organisers see whether this carto-party "
    "reached everyone in the neighbourhood, not only the people who usually take part, and "
    "whom to go and meet next time. Your answers are kept apart from what you add to the "
    "map, are never shown with your pseudonym, and are only counted in groups of at least "
    "{k} people. You can skip any question, and deleting your data deletes them too.")
QUESTIONS: dict[str, str] = {
    "age_band": N_("How old are you?"),
    "lives_in_area": N_("Do you live in the carto-party's area?"),
    "first_participation": N_("Is this the first time you take part in a carto-party or a "
                              "public consultation?"),
    "gender": N_("Your gender"),
}
ANSWERS: dict[str, dict[str, str]] = {
    "age_band": {
        "under_18": N_("under 18"), "18_24": N_("18 to 24"), "25_39": N_("25 to 39"),
        "40_54": N_("40 to 54"), "55_64": N_("55 to 64"), "65_79": N_("65 to 79"),
        "80_plus": N_("80 or over"),
    },
    "lives_in_area": {"yes": N_("yes, I live here"), "no": N_("no")},
    "first_participation": {"yes": N_("yes, it is my first time"),
                            "no": N_("no, I have taken part before")},
    "gender": {"woman": N_("woman"), "man": N_("man"), "another": N_("another gender")},
}
NO_ANSWER = N_("I prefer not to say")
NOT_AN_OBJECT = N_("profile must be an object of answers, e.g. {{\"age_band\": \"25_39\"}}.")
UNKNOWN_QUESTION = N_("Unknown profile question {question!r}; the questions are: {questions}.")
UNKNOWN_ANSWER = N_("{answer!r} is not an answer to {question}; expected one of: {allowed}, "
                    "or nothing.")


def clean_answers(raw: object) -> dict[str, str]:
    """The answers given, checked: ``{question: answer}`` without the unanswered ones.

    ``None`` or ``{}`` means the participant skipped the profile. InvalidInput (field
    ``profile.<question>``) on an unknown question or answer.
    """
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise InvalidInput(NOT_AN_OBJECT, field="profile")
    answers: dict[str, str] = {}
    for question, answer in raw.items():
        if question not in ANSWERS:
            raise InvalidInput(UNKNOWN_QUESTION, field=f"profile.{str(question)[:40]}",
                               question=str(question)[:40], questions=", ".join(ANSWERS))
        if answer in (None, ""):
            continue
        if not isinstance(answer, str) or answer not in ANSWERS[question]:
            raise InvalidInput(UNKNOWN_ANSWER, field=f"profile.{question}",
                               answer=str(answer)[:40], question=question,
                               allowed=", ".join(ANSWERS[question]))
        answers[question] = answer
    return answers
