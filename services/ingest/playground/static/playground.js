// The composition playground. The editor is CodeMirror 6 (editor.js, bundled from
// ../editor/) with the job's JSON Schema for completion and checks; every change is sent
// to POST /v1/preview for the frame at the scrubber's time, and the API's problems are
// shown at their JSON paths in the editor. "Render" submits the job and follows it on
// /v1/jobs/{id}/events, as the job monitor does. API values are written as text, never HTML.
import {
  EditorView, basicSetup, json, jsonParseLinter, linter, lintGutter, syntaxTree,
  jsonCompletion, jsonSchemaLinter, stateExtensions, handleRefresh, jsonLanguage,
} from "/playground/static/editor.js";

const STARTER = {
  output: { format: "mp4", width: 640, height: 360, fps: 24, duration: 3,
    background: "#1d3557", quality: { preset: "ultrafast" } },
  elements: [
    { id: "title", type: "text", text: "Hello from vidgen", font_size: 44, color: "white",
      x: "center", y: "35%", fade_in: 0.5 },
    { id: "ball", type: "shape", shape: "ellipse", width: 60, height: 60, fill: "#e63946",
      y: "75%", x: [{ time: 0, value: "0%" }, { time: 3, value: "100%" }] },
  ],
};
const DEBOUNCE_MS = 250;

const $ = (id) => document.getElementById(id);
let view = null;
let sequence = 0; // the newest preview request; older answers are dropped
let frameUrl = null;
let following = null;

// --- JSON paths of the API's problems to places in the document -------------------------
function pathSegments(path) {
  const segments = [];
  for (const match of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    segments.push(match[2] !== undefined ? Number(match[2]) : match[1]);
  }
  return segments;
}

function valueChildren(node) {
  const values = [];
  for (let child = node.firstChild; child; child = child.nextSibling) {
    if (!["[", "]", "{", "}", ",", "⚠"].includes(child.name)) values.push(child);
  }
  return values;
}

// The node a JSON path names: the value, or the deepest part of the path that exists
// (a missing field is shown on its object).
function nodeAt(state, path) {
  let node = syntaxTree(state).topNode.firstChild;
  if (!node || path === "$" || path === "") return node;
  for (const segment of pathSegments(path)) {
    if (typeof segment === "number" && node.name === "Array") {
      const item = valueChildren(node)[segment];
      if (!item) return node;
      node = item;
    } else if (node.name === "Object") {
      const property = valueChildren(node).find((child) => {
        const name = child.getChild("PropertyName");
        return name && state.sliceDoc(name.from, name.to) === JSON.stringify(String(segment));
      });
      if (!property) return node;
      node = property.lastChild.name === "PropertyName" ? property : property.lastChild;
    } else {
      return node;
    }
  }
  return node;
}

function diagnostics(state, errors) {
  return errors.map((error) => {
    const node = nodeAt(state, error.path);
    const from = node ? node.from : 0;
    const to = node ? Math.min(node.to, node.from + 400) : state.doc.length;
    return { from, to, severity: "error", source: "API", message: `${error.path}: ${error.message}` };
  });
}

function showProblems(errors) {
  $("problems").replaceChildren(...errors.map((error) => {
    const item = document.createElement("li");
    const path = document.createElement("code");
    path.textContent = error.path;
    item.dataset.path = error.path;
    item.append(path, `: ${error.message}`);
    return item;
  }));
}

// --- previews ------------------------------------------------------------------------------
function composition(text) {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function duration(spec) {
  const output = (spec && spec.output) || {};
  if (typeof output.duration === "number") return output.duration;
  let end = 0;
  for (const element of (spec && spec.elements) || []) {
    const start = typeof element.start === "number" ? element.start : 0;
    if (typeof element.end === "number") end = Math.max(end, element.end);
    else if (typeof element.duration === "number") end = Math.max(end, start + element.duration);
  }
  return end || 10;
}

function fitScrubber(spec) {
  const given = Number(spec && spec.output && spec.output.fps);
  const fps = Number.isFinite(given) && given > 0 ? given : 30;
  const last = Math.max(0, duration(spec) - 1 / fps);
  const scrubber = $("time");
  scrubber.max = last.toFixed(3);
  if (Number(scrubber.value) > last) scrubber.value = last.toFixed(3);
  $("time-label").textContent = `${Number(scrubber.value).toFixed(2)} s`;
}

// Asks for the frame at the scrubber's time; answers the API's problems ([] when none).
async function preview(text) {
  const frame = $("frame");
  const mine = ++sequence;
  const time = Number($("time").value);
  const query = new URLSearchParams({ time: String(time), scale: $("scale").value, format: "jpeg" });
  frame.dataset.status = "loading";
  let response;
  try {
    response = await fetch(`/v1/preview?${query}`, {
      method: "POST", headers: { "Content-Type": "application/json" }, body: text,
    });
  } catch (error) {
    if (mine === sequence) status("error", `the preview failed: ${error}`);
    return [];
  }
  if (mine !== sequence) return null; // a newer request is on its way
  if (response.ok) {
    const blob = await response.blob();
    if (mine !== sequence) return null;
    if (frameUrl) URL.revokeObjectURL(frameUrl);
    frameUrl = URL.createObjectURL(blob);
    frame.src = frameUrl;
    await frame.decode().catch(() => undefined);
    frame.dataset.time = String(time);
    frame.dataset.renders = String(Number(frame.dataset.renders) + 1);
    status("ok", `frame at ${time.toFixed(2)} s`);
    return [];
  }
  const body = await response.json().catch(() => ({}));
  if (response.status === 422 && Array.isArray(body.errors)) {
    status("error", `${body.errors.length} problem(s): see the editor`);
    return body.errors;
  }
  status("error", `the preview failed: ${response.status} ${body.detail || ""}`);
  return [];
}

function status(kind, text) {
  $("frame").dataset.status = kind;
  $("preview-status").textContent = text;
}

// The API's own check of the document, as a lint source: the same problems a job gets.
const apiLinter = linter(async (editor) => {
  const text = editor.state.doc.toString();
  const spec = composition(text);
  if (spec === null) {
    showProblems([]);
    return [];
  }
  fitScrubber(spec);
  const errors = await preview(text);
  if (errors === null || editor.state.doc.toString() !== text) return [];
  showProblems(errors);
  return diagnostics(editor.state, errors);
}, { delay: DEBOUNCE_MS });

let scrubTimer = null;
function scrubbed() {
  $("time-label").textContent = `${Number($("time").value).toFixed(2)} s`;
  clearTimeout(scrubTimer);
  scrubTimer = setTimeout(async () => {
    const errors = await preview(view.state.doc.toString());
    if (errors !== null) showProblems(errors);
  }, 60);
}

// --- render and follow ---------------------------------------------------------------------
function showJob(job) {
  const badge = $("job-status");
  badge.textContent = job.status || "";
  badge.dataset.status = job.status || "";
  const fill = $("job-progress");
  const progress = job.progress_percentage ?? job.progress ?? 0;
  fill.style.width = `${progress}%`;
  fill.dataset.status = job.status || "";
  fill.dataset.progress = String(progress);
  if (job.error_message) $("job-message").textContent = job.error_message;
  if (job.status === "completed" && job.result_url) {
    $("result").hidden = false;
    const video = $("result-video");
    if (video.getAttribute("src") !== job.result_url) video.src = job.result_url;
  }
}

async function renderJob() {
  const spec = composition(view.state.doc.toString());
  if (spec === null) {
    $("job-message").textContent = "the composition is not valid JSON";
    return;
  }
  $("render").disabled = true;
  $("result").hidden = true;
  try {
    const response = await fetch("/v1/jobs", {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ ...spec, response: "async" }),
    });
    const body = await response.json();
    if (!response.ok) {
      const errors = Array.isArray(body.errors) ? body.errors : [];
      showProblems(errors);
      $("job-message").textContent = errors.length ? "the job is invalid" : String(body.detail);
      return;
    }
    $("job-message").textContent = `job ${body.job_id}`;
    $("job-message").dataset.jobId = body.job_id;
    showJob(body);
    follow(body.job_id);
  } finally {
    $("render").disabled = false;
  }
}

function follow(jobId) {
  if (following) following.close();
  following = new EventSource(`/v1/jobs/${jobId}/events`);
  for (const name of ["status", "progress"]) {
    following.addEventListener(name, (event) => showJob(JSON.parse(event.data)));
  }
  following.addEventListener("end", (event) => {
    following.close(); // the job has ended: do not let EventSource reconnect
    showJob(JSON.parse(event.data));
  });
}

// --- start -----------------------------------------------------------------------------------
function setDocument(spec) {
  view.dispatch({ changes: { from: 0, to: view.state.doc.length,
    insert: JSON.stringify(spec, null, 2) } });
}

async function loadExamples() {
  const response = await fetch("/playground/examples");
  if (!response.ok) return;
  const { examples } = await response.json();
  for (const name of examples) {
    const option = document.createElement("option");
    option.value = name;
    option.textContent = name;
    $("examples").append(option);
  }
}

async function pickExample() {
  const name = $("examples").value;
  if (!name) {
    setDocument(STARTER);
    return;
  }
  $("preview-status").textContent = `loading ${name}…`;
  const response = await fetch(`/playground/examples/${encodeURIComponent(name)}`);
  const body = await response.json();
  if (!response.ok) {
    status("error", `the example could not be loaded: ${body.detail}`);
    return;
  }
  setDocument(body);
}

async function start() {
  const schema = await (await fetch("/playground/schema.json")).json();
  view = new EditorView({
    doc: JSON.stringify(STARTER, null, 2),
    extensions: [
      basicSetup, json(), lintGutter(), linter(jsonParseLinter(), { delay: DEBOUNCE_MS }),
      linter(jsonSchemaLinter(), { needsRefresh: handleRefresh }), apiLinter,
      jsonLanguage.data.of({ autocomplete: jsonCompletion() }), stateExtensions(schema),
    ],
    parent: $("editor"),
  });
  window.playground = { view, setDocument };
  $("time").addEventListener("input", scrubbed);
  $("scale").addEventListener("change", scrubbed);
  $("render").addEventListener("click", renderJob);
  $("examples").addEventListener("change", pickExample);
  fitScrubber(STARTER);
  loadExamples();
}

start();
