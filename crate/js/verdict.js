// The JS half of `Validator.validate` (crate/src/wasm.rs). Verdicts are assembled here from parts
// the Rust side sent once and refers to by id: a keystroke then costs one call across the wasm
// boundary instead of one call per object, field and string, and a UI can compare parts by
// identity. Holds policy texts and messages only, never the password.

/** Per-Validator tables of frozen parts, index = id. */
export function verdictState() {
  return { violations: [], checklists: [], doubts: [], items: [] };
}

/** Adds the next violation; `start < 0`: no span. */
export function internViolation(state, rule, message, start, end) {
  const span = start < 0 ? null : Object.freeze([start, end]);
  state.violations.push(Object.freeze({ rule, message, span }));
}

/** One met rule of the checklist being sent. */
export function checklistItem(state, rule, message) {
  state.items.push(Object.freeze({ rule, message }));
}

/** The items sent since the last call become the next checklist. */
export function internChecklist(state) {
  state.checklists.push(Object.freeze(state.items));
  state.items = [];
}

export function internDoubt(state, reason) {
  state.doubts.push(reason);
}

/** Empties one table (the Rust side keeps them bounded). */
export function forget(state, table) {
  state[table].length = 0;
}

/** The verdict, in the CLI's field order. The `count` violation ids come one per byte of
 *  `ids0`..`ids3` (low byte first); `doubt < 0`: certain. */
export function verdict(state, ok, count, ids0, ids1, ids2, ids3, checklist, doubt) {
  const list = new Array(count);
  for (let i = 0; i < count; i++) {
    const word = i < 4 ? ids0 : i < 8 ? ids1 : i < 12 ? ids2 : ids3;
    list[i] = state.violations[(word >>> (8 * (i & 3))) & 0xff];
  }
  return {
    ok,
    violations: list,
    satisfied: state.checklists[checklist],
    uncertain: doubt < 0 ? null : state.doubts[doubt],
  };
}
