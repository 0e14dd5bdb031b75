// The JS half of `Validator.validate` (crate/src/wasm.rs). Verdict objects are assembled here from
// parts the Rust side sent once: a keystroke then costs one call across the wasm boundary (the ids
// of its violations) instead of one call per object, field and string.
// Holds policy texts and messages only, never the password.

/** Per-Validator state: frozen violation objects by id, the frozen checklist, the doubt. */
export function verdictState() {
  return { objs: [], satisfied: Object.freeze([]), next: [], uncertain: null };
}

/** Adds violation number `state.objs.length`; `start < 0`: no span. */
export function internViolation(state, rule, message, start, end) {
  const span = start < 0 ? null : Object.freeze([start, end]);
  state.objs.push(Object.freeze({ rule, message, span }));
}

/** Forgets every violation (the Rust side keeps the table bounded). */
export function forgetViolations(state) {
  state.objs.length = 0;
}

/** Appends one met rule to the checklist being rebuilt. */
export function checklistItem(state, rule, message) {
  state.next.push(Object.freeze({ rule, message }));
}

/** The rebuilt checklist replaces the old one (a new array, so a UI can compare identity). */
export function checklistDone(state) {
  state.satisfied = Object.freeze(state.next);
  state.next = [];
}

export function setUncertain(state, reason) {
  state.uncertain = reason ?? null;
}

/** The verdict, in the CLI's field order; `ids` index `state.objs`. */
export function verdict(state, ok, ids) {
  const violations = new Array(ids.length);
  for (let i = 0; i < ids.length; i++) violations[i] = state.objs[ids[i]];
  return { ok, violations, satisfied: state.satisfied, uncertain: state.uncertain };
}
