// Mesos RecordIO over a fetch ReadableStream: records are "<length>\n<bytes>", the length in
// bytes of the UTF-8 payload. The snapshot record can be tens of megabytes, so chunks are kept
// as a list and joined once per record instead of being re-concatenated on every read.

const NEWLINE = 10;

/** Yields every record's payload parsed as JSON, until the stream ends. */
export async function* records(stream) {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let chunks = [];
  let buffered = 0;
  let need = -1;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      chunks.push(value);
      buffered += value.length;
      for (;;) {
        if (need < 0) {
          const header = takeLine(chunks, buffered);
          if (header === null) break;
          buffered -= header.consumed;
          chunks = header.rest;
          need = Number.parseInt(header.line, 10);
          if (!Number.isFinite(need) || need < 0) throw new Error(`bad RecordIO header: ${header.line}`);
        }
        if (buffered < need) break;
        const [payload, rest] = take(chunks, need);
        chunks = rest;
        buffered -= need;
        need = -1;
        yield JSON.parse(decoder.decode(payload));
      }
    }
  } finally {
    reader.releaseLock();
  }
}

/** The header line (without '\n') and the chunks after it, or null when no newline arrived yet. */
function takeLine(chunks, buffered) {
  let seen = 0;
  for (let c = 0; c < chunks.length; c++) {
    const i = chunks[c].indexOf(NEWLINE);
    if (i >= 0) {
      const [head, rest] = take(chunks, seen + i + 1);
      return { line: new TextDecoder().decode(head.subarray(0, head.length - 1)), rest, consumed: seen + i + 1 };
    }
    seen += chunks[c].length;
  }
  // A length is a few digits: this much without a newline is not RecordIO.
  if (buffered > 32) throw new Error('bad RecordIO stream: no record length');
  return null;
}

/** The first n bytes as one array, and the remaining chunks. */
function take(chunks, n) {
  const out = new Uint8Array(n);
  let filled = 0;
  let c = 0;
  while (filled < n) {
    const chunk = chunks[c];
    const want = n - filled;
    if (chunk.length <= want) {
      out.set(chunk, filled);
      filled += chunk.length;
      c++;
    } else {
      out.set(chunk.subarray(0, want), filled);
      filled += want;
      const rest = [chunk.subarray(want), ...chunks.slice(c + 1)];
      return [out, rest];
    }
  }
  return [out, chunks.slice(c)];
}
