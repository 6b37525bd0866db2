// Checking a completion webhook: `X-Vidgen-Signature: sha256=<hex>` is the HMAC-SHA256 of the
// exact request body under the platform's webhook secret (Web Crypto: Node 18+, browsers, edge).

/** The webhook's signature is missing or wrong, or it is too old. */
export class WebhookSignatureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WebhookSignatureError";
  }
}

function header(headers: Headers | Record<string, string>, name: string): string | null {
  if (headers instanceof Headers) return headers.get(name);
  const wanted = name.toLowerCase();
  const key = Object.keys(headers).find((k) => k.toLowerCase() === wanted);
  return key === undefined ? null : headers[key];
}

function hex(buffer: ArrayBuffer): string {
  return [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** The payload of a webhook whose signature matches `body` (the raw bytes or text); throws
 * WebhookSignatureError otherwise, or when its timestamp is more than `toleranceS` off. */
export async function verifyWebhook(
  secret: string,
  body: Uint8Array | string,
  headers: Headers | Record<string, string>,
  options: { toleranceS?: number | null; nowS?: number } = {},
): Promise<unknown> {
  const given = header(headers, "X-Vidgen-Signature");
  if (!given) throw new WebhookSignatureError("no X-Vidgen-Signature header");
  const bytes = typeof body === "string" ? new TextEncoder().encode(body) : body;
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const expected = `sha256=${hex(await crypto.subtle.sign("HMAC", key, bytes))}`;
  let diff = given.length ^ expected.length;
  for (let i = 0; i < Math.min(given.length, expected.length); i++) diff |= given.charCodeAt(i) ^ expected.charCodeAt(i);
  if (diff !== 0) throw new WebhookSignatureError("the X-Vidgen-Signature does not match the body");
  const tolerance = options.toleranceS === undefined ? 300 : options.toleranceS;
  if (tolerance !== null) {
    const stamp = Number(header(headers, "X-Vidgen-Timestamp"));
    const now = options.nowS ?? Date.now() / 1000;
    if (!Number.isFinite(stamp) || Math.abs(now - stamp) > tolerance) {
      throw new WebhookSignatureError("the X-Vidgen-Timestamp is missing or too old");
    }
  }
  return JSON.parse(new TextDecoder().decode(bytes));
}
