// Request bodies: JSON, application/x-www-form-urlencoded (any declared charset) and multipart/form-data,
// capped in size. Anything malformed is a 400 40010, never a 500.
import type { z } from "zod";
import { badParameter } from "../callback/errors";

export const MAX_BODY_BYTES = 1024 * 1024; // 1 MiB
/** Deepest nesting of objects/arrays a JSON body may have (README "Request bodies"). */
export const MAX_JSON_DEPTH = 32;

/**
 * Refuses JSON nested deeper than MAX_JSON_DEPTH before JSON.parse sees it: the parser recurses per level, so
 * a 100,000-deep array would overflow the stack. One linear pass; brackets inside strings do not count.
 */
export function checkJsonDepth(text: string, max = MAX_JSON_DEPTH): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) throw badParameter(`Malformed JSON body: nested deeper than ${max} levels`);
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
}

/** JSON.parse of request text (a body, or JSON carried in a form field): depth-checked, 400 40010 when malformed. */
function parseJsonText(text: string): unknown {
  checkJsonDepth(text);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw badParameter(`Malformed JSON body: ${(e as Error).message}`);
  }
}

/** The whole body, or a 40010 "too large" as soon as it passes `max` bytes (declared or counted while streaming). */
export async function readCapped(req: Request, max: number): Promise<Uint8Array> {
  const declared = Number(req.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > max) throw badParameter(`Request body too large: ${declared} bytes (max ${max})`);
  if (!req.body) return new Uint8Array(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel().catch(() => {});
      throw badParameter(`Request body too large: more than ${max} bytes`);
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.byteLength;
  }
  return out;
}

function decoderFor(contentType: string): TextDecoder {
  const m = /charset\s*=\s*"?([^";\s]+)/i.exec(contentType);
  try {
    return new TextDecoder(m ? m[1] : "utf-8");
  } catch {
    throw badParameter(`Unsupported charset: ${m?.[1]}`);
  }
}

/** Decodes a urlencoded body whose percent-escapes are bytes in the declared charset. */
function parseUrlEncoded(bytes: Uint8Array, dec: TextDecoder): Record<string, string> {
  const out: Record<string, string> = {};
  const latin = new TextDecoder("latin1").decode(bytes); // byte-preserving view
  for (const part of latin.split("&")) {
    if (!part) continue;
    const eq = part.indexOf("=");
    const k = eq < 0 ? part : part.slice(0, eq);
    const v = eq < 0 ? "" : part.slice(eq + 1);
    out[decodeComponent(k, dec)] = decodeComponent(v, dec);
  }
  return out;
}

function decodeComponent(s: string, dec: TextDecoder): string {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x2b) bytes.push(0x20);
    else if (c === 0x25 && /^[0-9a-fA-F]{2}$/.test(s.slice(i + 1, i + 3))) {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(c & 0xff);
  }
  return dec.decode(new Uint8Array(bytes));
}

/**
 * Parses a POST/PUT body into a flat object. JSON must be an object. An empty body is {}.
 * Throws CallbackError 40010 for malformed input or oversize bodies.
 */
export async function readBody(req: Request, max = MAX_BODY_BYTES): Promise<Record<string, unknown>> {
  const ct = req.headers.get("content-type") ?? "";
  if (/^multipart\/form-data/i.test(ct)) {
    const declared = Number(req.headers.get("content-length") ?? "NaN");
    if (Number.isFinite(declared) && declared > max) throw badParameter(`Request body too large: ${declared} bytes (max ${max})`);
    const bytes = await readCapped(req, max);
    let form: FormData;
    try {
      form = await new Response(bytes as BodyInit, { headers: { "content-type": ct } }).formData();
    } catch {
      throw badParameter("Malformed multipart/form-data body");
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of form.entries()) out[k] = typeof v === "string" ? v : v.name;
    return out;
  }
  const bytes = await readCapped(req, max);
  if (bytes.byteLength === 0) return {};
  const dec = decoderFor(ct);
  if (/^application\/x-www-form-urlencoded/i.test(ct)) return parseUrlEncoded(bytes, dec);
  let text: string;
  try {
    text = new TextDecoder(dec.encoding, { fatal: true }).decode(bytes);
  } catch {
    throw badParameter("Request body is not valid text in its declared charset");
  }
  if (text.trim() === "") return {};
  const parsed = parseJsonText(text);
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw badParameter("JSON body must be an object");
  return parsed as Record<string, unknown>;
}

/**
 * Validates a body against its zod schema: the first issues → 400 40010 naming each field by its path
 * (`Invalid body: ids.0: expected string, received object`).
 */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  const named = r.error.issues.slice(0, 3).map((i) => `${i.path.length ? i.path.join(".") : "body"}: ${i.message}`);
  throw badParameter(`Invalid body: ${named.join("; ")}`);
}

/** Fields that a form body, which carries only text, writes as a list (comma-separated or JSON) or as JSON. */
export interface FormFields {
  lists?: readonly string[];
  json?: readonly string[];
}

const isForm = (req: Request) => /^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(req.headers.get("content-type") ?? "");

/** readBody, then the schema. JSON bodies must have the documented shape; form text is decoded per `form` first. */
export async function readBodyAs<S extends z.ZodType>(req: Request, schema: S, form: FormFields = {}): Promise<z.infer<S>> {
  const body = await readBody(req);
  if (isForm(req)) {
    for (const k of form.lists ?? []) {
      const v = body[k];
      if (typeof v === "string")
        body[k] = v.trim().startsWith("[")
          ? parseJsonText(v)
          : v
              .split(",")
              .map((x) => x.trim())
              .filter(Boolean);
    }
    for (const k of form.json ?? []) if (typeof body[k] === "string") body[k] = parseJsonText(body[k] as string);
  }
  return parseBody(schema, body);
}
