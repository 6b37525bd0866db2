// The live job monitor. Jobs come from GET /v1/jobs, then stay live through two
// EventSource streams: /v1/events (every job's status and progress) and, for the selected
// job, /v1/jobs/{id}/events (its timeline steps, then `end` with the result URL).
// Every value from the API is written with textContent, never parsed as HTML.
"use strict";

const EXAMPLE = {
  output: {
    format: "mp4", width: 640, height: 360, fps: 24, duration: 3,
    background: "#1d3557", quality: { preset: "ultrafast" },
  },
  elements: [
    { id: "title", type: "text", text: "Hello from vidgen", font_size: 44, color: "white",
      x: "center", y: "40%", fade_in: 0.5 },
    { id: "subtitle", type: "text", text: "rendered live", font_size: 24, color: "#a8dadc",
      x: "center", y: "62%", start: 1 },
  ],
  response: "async",
};

const POLL_SECONDS = 5;
const jobs = new Map(); // job id -> {job_id, status, current_step, progress, created_at}
let selected = null; // {id, source: EventSource, steps: Map(row id -> step)}

const $ = (id) => document.getElementById(id);

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function upsert(data) {
  const known = jobs.get(data.job_id) || { job_id: data.job_id };
  for (const key of ["status", "current_step", "progress", "created_at", "result_url",
    "error_code", "error_message"]) {
    if (data[key] !== undefined) known[key] = data[key];
  }
  if (data.progress_percentage !== undefined) known.progress = data.progress_percentage;
  if (!known.created_at) known.created_at = new Date().toISOString();
  jobs.set(data.job_id, known);
  renderJobs();
  if (selected && selected.id === data.job_id) renderDetail();
}

function setBar(fill, job) {
  fill.style.width = `${job.progress || 0}%`;
  fill.dataset.status = job.status || "";
}

function renderJobs() {
  const list = $("jobs");
  const ordered = [...jobs.values()].sort((a, b) => b.created_at.localeCompare(a.created_at));
  list.replaceChildren(...ordered.slice(0, 50).map((job) => {
    const row = element("li", "job");
    row.dataset.jobId = job.job_id;
    row.setAttribute("aria-selected", String(selected !== null && selected.id === job.job_id));
    const badge = element("span", "badge status", job.status || "?");
    badge.dataset.status = job.status || "";
    const bar = element("div", "bar");
    const fill = element("div", "fill");
    setBar(fill, job);
    bar.append(fill);
    row.append(element("span", "id", job.job_id.slice(0, 8)), badge, bar,
      element("span", "pct", `${job.progress || 0}%`));
    row.addEventListener("click", () => select(job.job_id));
    return row;
  }));
  $("no-jobs").hidden = jobs.size > 0;
}

function renderDetail() {
  const job = jobs.get(selected.id) || { job_id: selected.id };
  $("detail-empty").hidden = true;
  $("detail").hidden = false;
  $("detail-id").textContent = job.job_id;
  $("detail-status").textContent = job.status || "?";
  $("detail-status").dataset.status = job.status || "";
  $("detail-step").textContent = job.current_step || "–";
  setBar($("detail-progress"), job);
  $("detail-error").textContent = job.error_code
    ? `${job.error_code}: ${job.error_message || ""}` : "–";
  renderTimeline();
  showResult(job);
}

function renderTimeline() {
  const rows = [...selected.steps.values()].sort((a, b) => a.id - b.id);
  $("timeline").replaceChildren(...rows.map((step) => {
    const item = element("li", "", `${step.step}`);
    item.dataset.step = step.step;
    item.dataset.state = step.state;
    if (step.attempt > 1) item.append(element("span", "took", `attempt ${step.attempt}`));
    const took = step.duration_ms === null ? step.state : `${Math.round(step.duration_ms)} ms`;
    item.append(element("span", "took", took));
    return item;
  }));
}

function showResult(job) {
  const video = $("result-video");
  if (job.status !== "completed" || !job.result_url) {
    $("result").hidden = true;
    return;
  }
  $("result").hidden = false;
  if (video.getAttribute("src") !== job.result_url) {
    video.src = job.result_url;
    $("result-link").href = job.result_url;
  }
}

function select(jobId) {
  if (selected) selected.source.close();
  selected = { id: jobId, source: new EventSource(`/v1/jobs/${jobId}/events`),
    steps: new Map() };
  const source = selected.source;
  const onStep = (event) => {
    const step = JSON.parse(event.data);
    selected.steps.set(step.id, step);
    renderTimeline();
  };
  source.addEventListener("step", onStep);
  for (const name of ["status", "progress"]) {
    source.addEventListener(name, (event) => upsert(JSON.parse(event.data)));
  }
  source.addEventListener("end", (event) => {
    source.close(); // the job has ended: do not let EventSource reconnect
    upsert(JSON.parse(event.data));
  });
  renderJobs();
  renderDetail();
}

function connectAll() {
  const source = new EventSource("/v1/events");
  const state = $("connection");
  source.onopen = () => { state.dataset.state = "live"; state.textContent = "live"; };
  source.onerror = () => {
    if (source.readyState === EventSource.CLOSED) {
      // refused (the all-jobs stream is for admin keys): poll the list, follow the
      // selected job through its own stream
      state.dataset.state = "polling";
      state.textContent = `list refreshed every ${POLL_SECONDS} s; selected job live`;
      setInterval(loadJobs, POLL_SECONDS * 1000);
      return;
    }
    state.dataset.state = "connecting";
    state.textContent = "reconnecting…";
  };
  for (const name of ["created", "status", "progress"]) {
    source.addEventListener(name, (event) => upsert(JSON.parse(event.data)));
  }
}

async function loadJobs() {
  const response = await fetch("/v1/jobs?limit=50");
  if (!response.ok) return;
  const page = await response.json();
  for (const job of page.jobs) {
    upsert({ ...job, progress: job.progress_percentage });
  }
}

function problems(body) {
  if (body && Array.isArray(body.errors)) {
    return body.errors.map((e) => `${e.path}: ${e.message}`).join("\n");
  }
  return JSON.stringify(body);
}

async function submit(event) {
  event.preventDefault();
  const out = $("submit-result");
  const button = $("submit");
  let spec;
  try {
    spec = JSON.parse($("spec").value);
  } catch (error) {
    out.dataset.kind = "error";
    out.textContent = `not valid JSON: ${error.message}`;
    return;
  }
  button.disabled = true;
  try {
    const response = await fetch("/v1/jobs", {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify(spec),
    });
    const body = await response.json();
    if (!response.ok) {
      out.dataset.kind = "error";
      out.textContent = problems(body);
      return;
    }
    out.dataset.kind = "ok";
    out.textContent = `submitted ${body.job_id}`;
    upsert({ ...body, progress: body.progress_percentage });
    select(body.job_id);
  } catch (error) {
    out.dataset.kind = "error";
    out.textContent = String(error);
  } finally {
    button.disabled = false;
  }
}

document.addEventListener("DOMContentLoaded", () => {
  $("spec").value = JSON.stringify(EXAMPLE, null, 2);
  $("submit-form").addEventListener("submit", submit);
  connectAll();
  loadJobs();
});
