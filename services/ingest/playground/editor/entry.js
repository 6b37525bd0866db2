// The editor the playground page uses, bundled with its dependencies into one ES module.
export { EditorView, basicSetup } from "codemirror";
export { EditorState } from "@codemirror/state";
export { json, jsonLanguage, jsonParseLinter } from "@codemirror/lang-json";
export { linter, lintGutter } from "@codemirror/lint";
export { syntaxTree } from "@codemirror/language";
export {
  jsonCompletion, jsonSchemaLinter, handleRefresh, stateExtensions,
} from "codemirror-json-schema";
