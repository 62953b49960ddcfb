import semver from "semver";

/**
 * A string whose byte order is semver precedence, so SQLite can sort and compare versions with an index
 * (`ORDER BY precedence DESC`, `precedence >= ?`). Numbers are zero-padded to 16 digits (semver caps them at
 * Number.MAX_SAFE_INTEGER); a release sorts after its prereleases ("~" > "!"); prerelease identifiers are
 * joined by "\x01", below every identifier character, so a shorter identifier list sorts first; numeric
 * identifiers ("0"-prefixed) sort before alphanumeric ones ("1"-prefixed). Build metadata is ignored, as
 * semver precedence ignores it.
 */
export function precedenceKey(version: string): string {
  const parsed = semver.parse(version);
  if (parsed === null) throw new TypeError(`not a semantic version: ${version}`);
  const pad = (n: number) => String(n).padStart(16, "0");
  const core = `${pad(parsed.major)}.${pad(parsed.minor)}.${pad(parsed.patch)}`;
  if (parsed.prerelease.length === 0) return `${core}~`;
  const ids = parsed.prerelease.map((id) => (typeof id === "number" ? `0${pad(id)}` : `1${id}`));
  return `${core}!${ids.join("\x01")}`;
}

/** An exact version as a manifest writes it ("1.2.3", "1.2.3-rc.1+build.5"), as opposed to a range. */
export function isExactVersion(text: string): boolean {
  return /^\d/.test(text) && text.trim() === text && semver.parse(text) !== null;
}
