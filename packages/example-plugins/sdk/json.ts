// A small JSON reader and writer for AssemblyScript guests (the input and output of json entries).

export const NULL: i32 = 0;
export const BOOL: i32 = 1;
export const NUMBER: i32 = 2;
export const STRING: i32 = 3;
export const ARRAY: i32 = 4;
export const OBJECT: i32 = 5;

export class Value {
  kind: i32 = NULL;
  flag: bool = false;
  num: f64 = 0;
  str: string = "";
  items: Array<Value> = [];
  keys: Array<string> = [];

  static string(s: string): Value {
    const v = new Value();
    v.kind = STRING;
    v.str = s;
    return v;
  }
  static number(n: f64): Value {
    const v = new Value();
    v.kind = NUMBER;
    v.num = n;
    return v;
  }
  static array(): Value {
    const v = new Value();
    v.kind = ARRAY;
    return v;
  }
  static object(): Value {
    const v = new Value();
    v.kind = OBJECT;
    return v;
  }
  /** Adds a member to an object (keys and items run in parallel). */
  set(key: string, value: Value): Value {
    this.keys.push(key);
    this.items.push(value);
    return this;
  }
  get(key: string): Value | null {
    for (let i = 0; i < this.keys.length; i++) if (this.keys[i] === key) return this.items[i];
    return null;
  }
}

/** Parses JSON text; returns null on malformed input. */
export function parse(text: string): Value | null {
  const parser = new Parser(text);
  const value = parser.value();
  parser.space();
  if (parser.failed || parser.pos !== text.length) return null;
  return value;
}

class Parser {
  pos: i32 = 0;
  failed: bool = false;
  constructor(public text: string) {}

  space(): void {
    while (this.pos < this.text.length) {
      const c = this.text.charCodeAt(this.pos);
      if (c !== 32 && c !== 9 && c !== 10 && c !== 13) break;
      this.pos++;
    }
  }

  fail(): Value {
    this.failed = true;
    this.pos = this.text.length;
    return new Value();
  }

  value(): Value {
    this.space();
    if (this.pos >= this.text.length) return this.fail();
    const c = this.text.charCodeAt(this.pos);
    if (c === 34) return Value.string(this.string());
    if (c === 91) return this.array();
    if (c === 123) return this.object();
    if (this.text.startsWith("true", this.pos)) return this.literal(4, BOOL, true);
    if (this.text.startsWith("false", this.pos)) return this.literal(5, BOOL, false);
    if (this.text.startsWith("null", this.pos)) return this.literal(4, NULL, false);
    return this.number();
  }

  literal(length: i32, kind: i32, flag: bool): Value {
    this.pos += length;
    const v = new Value();
    v.kind = kind;
    v.flag = flag;
    return v;
  }

  number(): Value {
    const start = this.pos;
    while (this.pos < this.text.length) {
      const c = this.text.charCodeAt(this.pos);
      if ((c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46 || c === 101 || c === 69) this.pos++;
      else break;
    }
    if (start === this.pos) return this.fail();
    return Value.number(parseFloat(this.text.substring(start, this.pos)));
  }

  string(): string {
    this.pos++; // opening quote
    let out = "";
    let runStart = this.pos;
    while (this.pos < this.text.length) {
      const c = this.text.charCodeAt(this.pos);
      if (c === 34) {
        out += this.text.substring(runStart, this.pos);
        this.pos++;
        return out;
      }
      if (c === 92) {
        out += this.text.substring(runStart, this.pos);
        const e = this.text.charCodeAt(this.pos + 1);
        this.pos += 2;
        if (e === 110) out += "\n";
        else if (e === 116) out += "\t";
        else if (e === 114) out += "\r";
        else if (e === 98) out += "\b";
        else if (e === 102) out += "\f";
        else if (e === 117) {
          out += String.fromCharCode(<i32>parseInt(this.text.substring(this.pos, this.pos + 4), 16));
          this.pos += 4;
        } else out += String.fromCharCode(e);
        runStart = this.pos;
      } else this.pos++;
    }
    this.fail();
    return out;
  }

  array(): Value {
    this.pos++;
    const v = Value.array();
    this.space();
    if (this.text.charCodeAt(this.pos) === 93) {
      this.pos++;
      return v;
    }
    while (!this.failed) {
      v.items.push(this.value());
      this.space();
      const c = this.text.charCodeAt(this.pos++);
      if (c === 93) return v;
      if (c !== 44) return this.fail();
    }
    return v;
  }

  object(): Value {
    this.pos++;
    const v = Value.object();
    this.space();
    if (this.text.charCodeAt(this.pos) === 125) {
      this.pos++;
      return v;
    }
    while (!this.failed) {
      this.space();
      if (this.text.charCodeAt(this.pos) !== 34) return this.fail();
      const key = this.string();
      this.space();
      if (this.text.charCodeAt(this.pos++) !== 58) return this.fail();
      v.set(key, this.value());
      this.space();
      const c = this.text.charCodeAt(this.pos++);
      if (c === 125) return v;
      if (c !== 44) return this.fail();
    }
    return v;
  }
}

/** Writes a value as JSON text. */
export function stringify(value: Value): string {
  if (value.kind === NULL) return "null";
  if (value.kind === BOOL) return value.flag ? "true" : "false";
  if (value.kind === NUMBER) return numberText(value.num);
  if (value.kind === STRING) return quote(value.str);
  const parts: string[] = [];
  if (value.kind === ARRAY) {
    for (let i = 0; i < value.items.length; i++) parts.push(stringify(value.items[i]));
    return `[${parts.join(",")}]`;
  }
  for (let i = 0; i < value.keys.length; i++)
    parts.push(`${quote(value.keys[i])}:${stringify(value.items[i])}`);
  return `{${parts.join(",")}}`;
}

function numberText(n: f64): string {
  if (!Number.isFinite(n)) return "null";
  if (n === Math.floor(n) && Math.abs(n) < 9007199254740992) return (<i64>n).toString();
  return n.toString();
}

export function quote(s: string): string {
  let out = '"';
  let runStart = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 34 || c === 92 || c < 32) {
      out += s.substring(runStart, i);
      if (c === 34) out += '\\"';
      else if (c === 92) out += "\\\\";
      else if (c === 10) out += "\\n";
      else if (c === 13) out += "\\r";
      else if (c === 9) out += "\\t";
      else out += `\\u00${c < 16 ? "0" : ""}${c.toString(16)}`;
      runStart = i + 1;
    }
  }
  return `${out + s.substring(runStart)}"`;
}
