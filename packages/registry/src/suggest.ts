import { closestMatch } from "@wasm-sandbox/manifest";

/**
 * A registered id that is probably what the caller meant: same name in another namespace, a likely typo
 * (the manifest package's did-you-mean distance), or one id containing the other ("text" -> "text-tools").
 * Cheap enough to run over every id on a NOT_FOUND.
 */
export function closestId(id: string, ids: readonly string[]): string | undefined {
  const base = (s: string) => s.slice(s.lastIndexOf("/") + 1);
  const wanted = base(id);
  return (
    ids.find((c) => base(c) === wanted) ??
    closestMatch(id, ids) ??
    ids.find((c) => wanted.length >= 3 && (c.includes(wanted) || wanted.includes(base(c))))
  );
}
