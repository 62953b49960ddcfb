// Text processor: json entries taking [text] and returning JSON.

import { parse, quote, STRING, stringify, Value } from "../../sdk/json";
import { emitJson, fail, LOG_INFO, logMessage, readInput, writeOutput } from "../../sdk/sandbox";

function textParam(): string | null {
  const params = parse(readInput());
  if (params == null || params.items.length < 1 || params.items[0].kind !== STRING) return null;
  return params.items[0].str;
}

function isSpace(c: i32): bool {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

function words(text: string): Array<string> {
  const out: string[] = [];
  let start = -1;
  for (let i = 0; i <= text.length; i++) {
    const space = i === text.length || isSpace(text.charCodeAt(i));
    if (space && start >= 0) {
      out.push(text.substring(start, i));
      start = -1;
    } else if (!space && start < 0) start = i;
  }
  return out;
}

export function word_count(): i32 {
  const text = textParam();
  if (text == null) return fail("expected one string parameter");
  let lines = text.length === 0 ? 0 : 1;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lines++;
  const result = Value.object()
    .set("words", Value.number(words(text).length))
    .set("characters", Value.number(text.length))
    .set("lines", Value.number(lines));
  logMessage(LOG_INFO, "counted words");
  writeOutput(stringify(result));
  return 0;
}

export function uppercase(): i32 {
  const text = textParam();
  if (text == null) return fail("expected one string parameter");
  writeOutput(quote(text.toUpperCase()));
  return 0;
}

export function reverse_words(): i32 {
  const text = textParam();
  if (text == null) return fail("expected one string parameter");
  const list = words(text);
  list.reverse();
  writeOutput(quote(list.join(" ")));
  return 0;
}

/** Streaming: emits each word as its own JSON string item. */
export function split_words(): i32 {
  const text = textParam();
  if (text == null) return fail("expected one string parameter");
  const list = words(text);
  for (let i = 0; i < list.length; i++) emitJson(quote(list[i]));
  writeOutput(list.length.toString());
  return 0;
}
