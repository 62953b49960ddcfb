/**
 * Edit distance with adjacent transpositions (optimal string alignment), so "fuction", "functon" and
 * "funtcion" are each one edit from "function".
 */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array(rows * cols).fill(0);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(
        d[(i - 1) * cols + j]! + 1,
        d[i * cols + j - 1]! + 1,
        d[(i - 1) * cols + j - 1]! + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, d[(i - 2) * cols + j - 2]! + 1);
      }
      d[i * cols + j] = best;
    }
  }
  return d[rows * cols - 1]!;
}

/** Case and separator do not count as typos: "Function_Name" compares equal to "functionName". */
const fold = (key: string) => key.toLowerCase().replace(/[_-]/g, "");

/**
 * The candidate closest to `key`, if it is close enough to be a likely typo (at most a third of the
 * candidate's length, and at most 3 edits); undefined otherwise.
 */
export function closestMatch(key: string, candidates: Iterable<string>): string | undefined {
  const folded = fold(key);
  if (folded.length > 64) return undefined;
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const target = fold(candidate);
    const allowed = Math.min(3, Math.max(1, Math.floor(target.length / 3)));
    if (Math.abs(target.length - folded.length) > allowed) continue;
    const distance = editDistance(folded, target);
    if (distance <= allowed && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}
