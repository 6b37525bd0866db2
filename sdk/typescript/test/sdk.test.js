// The TypeScript SDK against a running platform (`vidgen dev`): VIDGEN_API_URL,
// VIDGEN_STORAGE_URL, VIDGEN_WEBHOOK_SECRET and VIDGEN_WEBHOOK_PORT (a port the platform may
// call back on) come from the environment; tests/e2e/test_e2e_sdk.py runs this file.
import assert from "node:assert/strict";
import { once } from "node:events";
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import { test } from "node:test";

import { InvalidJobError, JobNotFoundError, VidgenClient, verifyWebhook, WebhookSignatureError } from "../dist/index.js";

const env = (name) => {
  const value = process.env[name];
  assert.ok(value, `${name} is not set`);
  return value;
};
const client = new VidgenClient({ apiUrl: env("VIDGEN_API_URL"), storageUrl: env("VIDGEN_STORAGE_URL") });
const photo = new URL("../../../examples/media/photo1.jpg", import.meta.url);

function tinyJob(source, extra = {}) {
  return {
    output: { format: "mp4", width: 320, height: 180, fps: 24, duration: 1.5, quality: { preset: "ultrafast" } },
    elements: [
      { type: "image", source, fit: "cover" },
      { type: "text", text: "ts", font_size: 24, y: "80%" },
    ],
    ...extra,
  };
}

/** A server that records the first webhook POSTed to it: its raw body and headers. */
async function webhookReceiver(port) {
  let resolve;
  const received = new Promise((r) => (resolve = r));
  const server = createServer((request, response) => {
    const chunks = [];
    request.on("data", (chunk) => chunks.push(chunk));
    request.on("end", () => {
      response.writeHead(204).end();
      resolve({ body: Buffer.concat(chunks), headers: request.headers });
    });
  });
  server.listen(port, "127.0.0.1");
  await once(server, "listening");
  return { received, close: () => server.close() };
}

test("submit, follow the events, download and verify the webhook", async () => {
  const port = Number(env("VIDGEN_WEBHOOK_PORT"));
  const receiver = await webhookReceiver(port);
  try {
    const local = tinyJob("photo1.jpg", { callback_url: `http://127.0.0.1:${port}/hook` });
    local.elements.push({ type: "image", source: "file://photo1.jpg", opacity: 0.5 });
    const read = [];
    const spec = await client.uploadSources(local, (name) => {
      read.push(name);
      return readFile(new URL(name, photo));
    });
    assert.deepEqual(read, ["photo1.jpg"]); // uploaded once
    assert.match(spec.elements[0].source, /^asset:[0-9a-f]{64}$/);
    assert.equal(spec.elements[2].source, spec.elements[0].source);
    assert.equal(local.elements[0].source, "photo1.jpg"); // a copy was changed
    const job = await client.submit(spec);
    assert.equal(job.status, "pending");

    const events = [];
    for await (const event of client.events(job.job_id)) events.push(event);
    const last = events.at(-1);
    assert.equal(last.event, "end");
    assert.equal(last.data.status, "completed");
    assert.ok(events.some((event) => event.event === "step"), JSON.stringify(events.map((e) => e.event)));

    const progress = [];
    const done = await client.wait(job.job_id, { onProgress: (status) => progress.push(status.status) });
    assert.equal(done.status, "completed");
    assert.deepEqual(progress, ["completed"]);
    const video = await client.download(done);
    assert.ok(video.length > 1000, `${video.length} bytes`);
    assert.equal(new TextDecoder().decode(video.subarray(4, 8)), "ftyp");

    const { body, headers } = await receiver.received;
    const payload = await verifyWebhook(env("VIDGEN_WEBHOOK_SECRET"), body, headers);
    assert.equal(payload.job_id, job.job_id);
    assert.equal(payload.status, "completed");
    await assert.rejects(verifyWebhook("another secret", body, headers), WebhookSignatureError);
    const tampered = Buffer.from(body.toString().replace("completed", "failed"));
    await assert.rejects(verifyWebhook(env("VIDGEN_WEBHOOK_SECRET"), tampered, headers), WebhookSignatureError);
  } finally {
    receiver.close();
  }
});

test("an invalid job is an InvalidJobError naming each field by its JSON path", async () => {
  const job = tinyJob("https://example.com/a.jpg");
  job.output.fps = 0;
  job.elements[1].font_size = "big";
  const error = await client.submit(job).then(() => null, (caught) => caught);
  assert.ok(error instanceof InvalidJobError, String(error));
  assert.equal(error.status, 422);
  const paths = error.problems.map((problem) => problem.path);
  assert.ok(paths.includes("output.fps"), JSON.stringify(error.problems));
  assert.ok(paths.includes("elements[1].font_size"), JSON.stringify(error.problems));
});

test("an unknown job is a JobNotFoundError", async () => {
  await assert.rejects(client.get("00000000-0000-4000-8000-000000000000"), JobNotFoundError);
});
