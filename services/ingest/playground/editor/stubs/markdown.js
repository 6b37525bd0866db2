// Replaces codemirror-json-schema's markdown renderer (markdown-it with the shiki
// highlighter, about 600 kB): schema descriptions are shown as escaped plain text.
const escapes = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function renderMarkdown(markdown) {
  return String(markdown).replace(/[&<>"']/g, (c) => escapes[c]);
}
