// vidgen's TypeScript SDK: a typed client of the HTTP API over `fetch` (no runtime
// dependencies), webhook checks, and the event types of the platform's topics.
// The types in ./generated are generated from the OpenAPI and AsyncAPI documents
// (`python3 -m sdk.generate` in the repository); this file is the thin hand-written layer.

import type { components, paths } from "./generated/openapi.js";

export type { components, paths } from "./generated/openapi.js";
export type * from "./generated/events.js";

/** A composition job (`POST /v1/jobs`), as the API's JSON Schema describes it. */
export type Job = components["schemas"]["Job"];
/** A job made from a stored template. */
export type TemplateJob = components["schemas"]["TemplateJob"];

export const TERMINAL: ReadonlySet<string> = new Set(["completed", "failed", "cancelled", "timeout"]);

/** A job as `GET /v1/jobs/{id}` shows it (`raw` is all of it). */
export interface JobStatus {
  job_id: string;
  status: string;
  progress: number | null;
  current_step: string | null;
  result_url: string | null;
  error_code: string | null;
  error_message: string | null;
  raw: Record<string, unknown>;
}

/** One problem of a refused job: `path` is a JSON path into it (`elements[0].x`). */
export interface Problem { path: string; message: string }

/** The API answered with an error, or could not be reached (`status` 0). */
export class VidgenError extends Error {
  constructor(message: string, readonly status: number = 0, readonly body: unknown = null) {
    super(message);
    this.name = "VidgenError";
  }
}

/** 422: the job is invalid; `problems` names each field at fault by its JSON path. */
export class InvalidJobError extends VidgenError {
  constructor(readonly problems: Problem[], body: unknown) {
    super(`invalid job: ${problems.map((p) => `${p.path}: ${p.message}`).join("; ")}`, 422, body);
    this.name = "InvalidJobError";
  }
}

/** 404: no such job (or not the caller's). */
export class JobNotFoundError extends VidgenError {
  constructor(message: string, body: unknown) {
    super(message, 404, body);
    this.name = "JobNotFoundError";
  }
}

/** One server-sent event of a job's stream. */
export interface ServerEvent { event: string; id: string | null; data: unknown }

export interface ClientOptions {
  /** The ingest API, e.g. `http://127.0.0.1:8000`. */
  apiUrl: string;
  /** The storage service, for uploads. */
  storageUrl?: string;
  apiKey?: string;
  fetch?: typeof fetch;
}

type Body = Record<string, unknown>;

function problemsOf(body: unknown): Problem[] {
  if (body && typeof body === "object") {
    const record = body as Body;
    for (const key of ["errors", "problems", "detail"]) {
      const value = record[key];
      if (Array.isArray(value)) {
        return value.map((item: Body) => ({
          path: String(item.path ?? (Array.isArray(item.loc) ? item.loc.join(".") : "$")),
          message: String(item.message ?? item.msg ?? JSON.stringify(item)),
        }));
      }
      if (value && typeof value === "object") return problemsOf(value);
      if (typeof value === "string") return [{ path: "$", message: value }];
    }
  }
  return [{ path: "$", message: String(body) }];
}

function toStatus(body: unknown): JobStatus {
  const raw = (body ?? {}) as Body;
  if (typeof raw.job_id !== "string") throw new VidgenError(`not a job: ${JSON.stringify(body)}`, 0, body);
  const text = (value: unknown): string | null => (typeof value === "string" ? value : null);
  return {
    job_id: raw.job_id,
    status: String(raw.status ?? ""),
    progress: typeof raw.progress === "number" ? raw.progress : null,
    current_step: text(raw.current_step),
    result_url: text(raw.result_url),
    error_code: text(raw.error_code),
    error_message: text(raw.error_message),
    raw,
  };
}

async function decode(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Parses `text/event-stream` text, chunk by chunk. */
export class SseParser {
  private buffer = "";
  private fields: Record<string, string> = {};

  feed(chunk: string): ServerEvent[] {
    this.buffer += chunk;
    const lines = this.buffer.split(/\r?\n/);
    this.buffer = lines.pop() ?? "";
    const events: ServerEvent[] = [];
    for (const line of lines) {
      if (line.startsWith(":")) continue;
      if (line) {
        const at = line.indexOf(":");
        const name = at < 0 ? line : line.slice(0, at);
        const value = at < 0 ? "" : line.slice(at + 1).replace(/^ /, "");
        const old = this.fields[name];
        this.fields[name] = old !== undefined && name === "data" ? `${old}\n${value}` : value;
        continue;
      }
      const fields = this.fields;
      this.fields = {};
      if (fields.data === undefined && fields.event === undefined) continue;
      let data: unknown = fields.data ?? null;
      try {
        data = fields.data ? JSON.parse(fields.data) : null;
      } catch {
        /* not JSON: the text itself */
      }
      events.push({ event: fields.event ?? "message", id: fields.id ?? null, data });
    }
    return events;
  }
}

/** True for a path or a file:// URL; false for any other scheme and for asset: ids. */
export function isLocal(source: string): boolean {
  if (source.startsWith("file://")) return true;
  return !source.startsWith("asset:") && !source.includes("://");
}

const TYPES: Record<string, string> = {
  jpg: "image/jpeg", jpeg: "image/jpeg", png: "image/png", gif: "image/gif", webp: "image/webp",
  mp4: "video/mp4", mov: "video/quicktime", webm: "video/webm", mp3: "audio/mpeg",
  m4a: "audio/mp4", wav: "audio/wav", srt: "application/x-subrip", vtt: "text/vtt",
};

function contentType(name: string): string {
  return TYPES[name.split(".").pop()?.toLowerCase() ?? ""] ?? "application/octet-stream";
}

export class VidgenClient {
  private readonly apiUrl: string;
  private readonly storageUrl: string | undefined;
  private readonly headers: Record<string, string>;
  private readonly fetch: typeof fetch;

  constructor(options: ClientOptions) {
    this.apiUrl = options.apiUrl.replace(/\/+$/, "");
    this.storageUrl = options.storageUrl?.replace(/\/+$/, "");
    this.headers = options.apiKey ? { "X-API-Key": options.apiKey } : {};
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  private async call(url: string, init: RequestInit, ...codes: number[]): Promise<unknown> {
    let response: Response;
    try {
      response = await this.fetch(url, { ...init, headers: { ...this.headers, ...init.headers } });
    } catch (error) {
      throw new VidgenError(`no vidgen platform answers at ${url} (${String(error)})`);
    }
    const body = await decode(response);
    if (codes.includes(response.status)) return body;
    if (response.status === 422) throw new InvalidJobError(problemsOf(body), body);
    const message = `${init.method ?? "GET"} ${url}: HTTP ${response.status}: ${JSON.stringify(body).slice(0, 500)}`;
    if (response.status === 404) throw new JobNotFoundError(message, body);
    throw new VidgenError(message, response.status, body);
  }

  /** Create a job (answered at once with its status; `response` defaults to "async"). */
  async submit(job: Job | TemplateJob, options: { idempotencyKey?: string } = {}): Promise<JobStatus> {
    const headers: Record<string, string> = { "Content-Type": "application/json" };
    if (options.idempotencyKey) headers["Idempotency-Key"] = options.idempotencyKey;
    const body = JSON.stringify({ ...job, response: (job as Body).response ?? "async" });
    return toStatus(await this.call(`${this.apiUrl}/v1/jobs`, { method: "POST", headers, body }, 200, 201, 202));
  }

  /** The job's status now. */
  async get(jobId: string): Promise<JobStatus> {
    return toStatus(await this.call(`${this.apiUrl}/v1/jobs/${encodeURIComponent(jobId)}`, {}, 200));
  }

  /** Cancel the job (a 409 VidgenError when it has ended already). */
  async cancel(jobId: string): Promise<JobStatus> {
    const url = `${this.apiUrl}/v1/jobs/${encodeURIComponent(jobId)}`;
    return toStatus(await this.call(url, { method: "DELETE" }, 200));
  }

  /** Poll until the job has ended; `onProgress` gets each status polled. */
  async wait(
    jobId: string,
    options: { timeoutMs?: number; intervalMs?: number; onProgress?: (status: JobStatus) => void } = {},
  ): Promise<JobStatus> {
    const deadline = Date.now() + (options.timeoutMs ?? 900_000);
    for (;;) {
      const status = await this.get(jobId);
      options.onProgress?.(status);
      if (TERMINAL.has(status.status)) return status;
      if (Date.now() >= deadline) throw new VidgenError(`job ${jobId} still ${status.status} at the deadline`);
      await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 500));
    }
  }

  /** The job's server-sent events until `end` (yielded last, with the finished job). */
  async *events(jobId: string, options: { lastEventId?: string; signal?: AbortSignal } = {}): AsyncGenerator<ServerEvent> {
    const headers: Record<string, string> = { ...this.headers, Accept: "text/event-stream" };
    if (options.lastEventId) headers["Last-Event-ID"] = options.lastEventId;
    const url = `${this.apiUrl}/v1/jobs/${encodeURIComponent(jobId)}/events`;
    const response = await this.fetch(url, { headers, signal: options.signal });
    if (response.status !== 200 || !response.body) {
      const body = await decode(response);
      if (response.status === 404) throw new JobNotFoundError(`GET ${url}: HTTP 404`, body);
      throw new VidgenError(`GET ${url}: HTTP ${response.status}`, response.status, body);
    }
    const parser = new SseParser();
    const decoder = new TextDecoder();
    const reader = response.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        for (const event of parser.feed(decoder.decode(value, { stream: true }))) {
          yield event;
          if (event.event === "end") return;
        }
      }
    } finally {
      await reader.cancel().catch(() => undefined);
    }
  }

  /** Upload bytes to the storage service; the `asset:<sha256>` that names them in a job. */
  async upload(data: Blob | Uint8Array, filename: string, contentType = "application/octet-stream"): Promise<string> {
    if (!this.storageUrl) throw new VidgenError("uploads need the storage service's URL (storageUrl)");
    const url = `${this.storageUrl}/v1/assets?filename=${encodeURIComponent(filename)}`;
    const body = await this.call(url, { method: "POST", body: data, headers: { "Content-Type": contentType } }, 200, 201);
    const source = (body as Body | null)?.source;
    if (typeof source !== "string") throw new VidgenError(`upload of ${filename}: no source in the answer`, 0, body);
    return source;
  }

  /**
   * A copy of `job` whose local sources (an element's `source` or `lut` without a URL scheme,
   * or `file://`) are uploaded, each file once, and replaced by their `asset:` ids. `read`
   * loads a file by the name the job gives (e.g. `(name) => readFile(join(base, name))` in
   * Node), so the SDK itself needs no file system.
   */
  async uploadSources<T extends { elements?: unknown }>(job: T, read: (name: string) => Promise<Uint8Array>): Promise<T> {
    const copy = structuredClone(job);
    const elements = Array.isArray(copy.elements) ? (copy.elements as Body[]) : [];
    const uploaded = new Map<string, string>();
    for (const element of elements) {
      for (const field of ["source", "lut"]) {
        const name = element?.[field];
        if (typeof name !== "string" || !isLocal(name)) continue;
        const file = name.replace(/^file:\/\//, "");
        if (!uploaded.has(file)) {
          const base = file.split("/").pop() ?? file;
          uploaded.set(file, await this.upload(await read(file), base, contentType(base)));
        }
        element[field] = uploaded.get(file);
      }
    }
    return copy;
  }

  /** A completed job's video (or any result URL) as bytes; the API key is not sent with it. */
  async download(job: JobStatus | string): Promise<Uint8Array> {
    const url = typeof job === "string" ? job : job.result_url;
    if (!url) throw new VidgenError("the job has no result to download");
    const response = await this.fetch(url);
    if (response.status !== 200) throw new VidgenError(`GET ${url}: HTTP ${response.status}`, response.status);
    return new Uint8Array(await response.arrayBuffer());
  }
}

export { verifyWebhook, WebhookSignatureError } from "./webhooks.js";
