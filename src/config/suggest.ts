/**
 * "Did you mean" for config errors: the known name closest to a mistyped one. Close means the same
 * name in another case, or at most `MAX_SUGGESTION_DISTANCE` single-character edits away
 * (insert, delete, replace or swap two neighbours), so a suggestion is a likely typo, not a guess.
 */

export const MAX_SUGGESTION_DISTANCE = 2;

/** The closest of `known` to `name`, or undefined when none is close. Ties go to the first in `known`. */
export function closest(name: string, known: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = MAX_SUGGESTION_DISTANCE + 1;
  const lower = name.toLowerCase();
  for (const candidate of known) {
    if (candidate === name) continue;
    const distance = candidate.toLowerCase() === lower ? 0 : editDistance(lower, candidate.toLowerCase(), bestDistance);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** `; did you mean "x"?` for the closest known name, or "" when none is close. */
export function didYouMean(name: string, known: Iterable<string>): string {
  const suggestion = closest(name, known);
  return suggestion === undefined ? "" : `; did you mean ${JSON.stringify(suggestion)}?`;
}

/**
 * Optimal string alignment distance (Levenshtein plus swaps of neighbours), giving up at `limit`
 * (returns `limit` when the distance is at least that), since only close names matter.
 */
export function editDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) >= limit) return limit;
  let previous2: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, previous2[j - 2] + 1);
      current.push(d);
      rowMin = Math.min(rowMin, d);
    }
    if (rowMin >= limit) return limit;
    previous2 = previous;
    previous = current;
  }
  return Math.min(previous[b.length], limit);
}

/** The message for a name that is not one of the config's environments, e.g. unknown environment `deV` (known: dev, prod); did you mean "dev"? */
export function unknownEnvironment(name: string, known: readonly string[]): string {
  return `unknown environment \`${name}\` (known: ${known.join(", ")})${didYouMean(name, known)}`;
}
