/**
 * Turns free text into an FTS5 MATCH expression that treats every word as a plain word: the text is split
 * on anything that is not a letter or a digit (as the unicode61 tokenizer does), and each word is written as
 * a double-quoted string. Operators (`AND`, `NEAR(`), column filters (`name:`), `*`, `^`, quotes and SQL
 * never reach the FTS parser as syntax. Words are combined with implicit AND, and the last word also
 * matches as a prefix (`"calc"*` finds "calculator"), so search-as-you-type finds what is being typed.
 * Returns undefined when the text holds no word at all.
 */
const WORD = /[\p{L}\p{N}\p{M}]+/gu;

export function toFtsMatch(text: string): string | undefined {
  const words = text.match(WORD);
  if (words === null) return undefined;
  // Word characters never include a double quote, so quoting needs no escaping.
  const quoted = [...new Set(words.map((w) => w.toLowerCase()))].map((w) => `"${w}"`);
  quoted[quoted.length - 1] += "*";
  return quoted.join(" ");
}
