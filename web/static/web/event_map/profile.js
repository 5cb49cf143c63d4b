// The optional profile step of the join form: the answers chosen, none when skipped.

/** `{question: answer}` of the answered questions in `form`; null when none was answered. */
export function profileAnswers(form) {
  const answers = {};
  for (const input of form.querySelectorAll("input[data-question]:checked")) {
    if (input.value) answers[input.dataset.question] = input.value;
  }
  return Object.keys(answers).length ? answers : null;
}
