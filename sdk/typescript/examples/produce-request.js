// Publish a job request on the platform's requests topic, as an upstream system would.
//
//   npm ci   # in sdk/typescript: kafkajs is a development dependency, for this example only
//   node examples/produce-request.js job.json --bootstrap 127.0.0.1:9092 --topic vidgen.requests
//
// The message is a `JobRequest` (the SDK's event types, generated from the AsyncAPI
// document), keyed by its request id, which becomes the job's id. An invalid job is answered
// by a `job.rejected` event on the events topic. Prints the request id.
// @ts-check
import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";

import { Kafka, logLevel } from "kafkajs";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    bootstrap: { type: "string", default: "127.0.0.1:9092" },
    topic: { type: "string", default: "vidgen.requests" },
    client: { type: "string", default: "example-producer" },
  },
});
if (positionals.length !== 1) throw new Error("usage: produce-request.js JOB.json [--bootstrap H:P] [--topic T]");

/** @type {import("../dist/index.js").JobRequest} */
const request = {
  request_id: randomUUID(),
  client: values.client,
  job: JSON.parse(await readFile(positionals[0], "utf8")),
};

const kafka = new Kafka({ clientId: "vidgen-example", brokers: [values.bootstrap], logLevel: logLevel.ERROR });
const producer = kafka.producer({ allowAutoTopicCreation: false });
await producer.connect();
try {
  await producer.send({
    topic: values.topic,
    acks: -1,
    messages: [{ key: request.request_id, value: JSON.stringify(request), headers: { "vidgen-type": "job.request" } }],
  });
} finally {
  await producer.disconnect();
}
console.log(request.request_id);
