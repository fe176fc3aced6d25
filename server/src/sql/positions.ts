/**
 * The one place where positions change units. PostgreSQL's parser reports UTF-8 byte offsets;
 * the engine works in UTF-16 string offsets; LSP wants 0-based lines and UTF-16 columns.
 */

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** Line starts of a text, for offset ↔ position conversion. `\r\n`, `\n` and `\r` end lines. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        this.starts.push(i + 1);
      }
    }
  }

  get lineCount(): number {
    return this.starts.length;
  }

  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line, this.starts.length - 1))];
  }

  /** End of a line's content, before its line break. */
  lineEnd(line: number): number {
    if (line + 1 >= this.starts.length) return this.text.length;
    let end = this.starts[line + 1];
    if (this.text.charCodeAt(end - 1) === 10) end--;
    if (this.text.charCodeAt(end - 1) === 13) end--;
    return end;
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= clamped) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: clamped - this.starts[lo] };
  }

  offsetAt(position: Position): number {
    if (position.line >= this.starts.length) return this.text.length;
    const start = this.starts[Math.max(0, position.line)];
    return Math.min(start + Math.max(0, position.character), this.lineEnd(position.line));
  }

  rangeOf(start: number, end: number): Range {
    return { start: this.positionAt(start), end: this.positionAt(end) };
  }
}

/**
 * UTF-8 byte offsets of a text and its UTF-16 offsets, both ways: for a text parsed in pieces,
 * whose parse-tree locations count bytes from the start of each piece. Built once per text.
 */
export class Utf8Offsets {
  /** Byte offset of each UTF-16 offset; undefined for ASCII text, where they are the same. */
  private readonly bytes: Int32Array | undefined;
  readonly utf16: (byteOffset: number) => number;

  constructor(text: string) {
    this.utf16 = byteOffsetMapper(text);
    // eslint-disable-next-line no-control-regex
    if (!/[^\x00-\x7f]/.test(text)) return;
    const bytes = new Int32Array(text.length + 1);
    let b = 0;
    for (let i = 0; i < text.length; i++) {
      bytes[i] = b;
      const c = text.charCodeAt(i);
      const next = text.charCodeAt(i + 1);
      if (c < 0x80) b += 1;
      else if (c < 0x800) b += 2;
      else if (c >= 0xd800 && c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        // One 4-byte code point over two UTF-16 units.
        bytes[++i] = b;
        b += 4;
      } else b += 3;
    }
    bytes[text.length] = b;
    this.bytes = bytes;
  }

  /** The UTF-8 byte offset of a UTF-16 offset. */
  byte(utf16: number): number {
    return this.bytes ? this.bytes[Math.max(0, Math.min(utf16, this.bytes.length - 1))] : utf16;
  }
}

/**
 * Maps UTF-8 byte offsets of `text` to UTF-16 offsets. ASCII text maps to itself; otherwise a
 * table is built once per text.
 */
export function byteOffsetMapper(text: string): (byteOffset: number) => number {
  // eslint-disable-next-line no-control-regex
  if (!/[^\x00-\x7f]/.test(text)) return (b) => Math.max(0, Math.min(b, text.length));
  const table: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    table.push(i);
    if (c >= 0x80) {
      table.push(i);
      if (c >= 0x800) {
        table.push(i);
        // A surrogate pair is one 4-byte code point over two UTF-16 units.
        const next = text.charCodeAt(i + 1);
        if (c >= 0xd800 && c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
          table.push(i);
          i++;
        }
      }
    }
  }
  table.push(text.length);
  return (b) => table[Math.max(0, Math.min(b, table.length - 1))];
}
