// The playground edits JSON only: the JSON5 and YAML document parsers are left out.
export function parseJSON5DocumentState() {
  throw new Error("JSON5 is not bundled");
}
export function parseYAMLDocumentState() {
  throw new Error("YAML is not bundled");
}
