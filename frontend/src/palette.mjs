// Single source of truth for CodeChatter's syntax colours.
// Used by src/editor.js (editor themes, injected by CodeMirror at runtime)
// and by build.mjs (generates wwwroot/lib/codemirror/highlight.css for the
// static highlighter), so the editor and static code blocks look the same.
//
// Keys are the class names produced by @lezer/highlight's `classHighlighter`.
// Colours are loosely based on GitHub's light/dark palettes and were chosen to
// keep a contrast ratio of at least 4.5:1 against the respective background.

export const surface = {
  light: { background: "#ffffff", foreground: "#1f2328", gutterBackground: "#f6f8fa", gutterForeground: "#57606a", activeLine: "#f0f3f6", selection: "#b6d7ff", selectionFocused: "#9fc7ff", cursor: "#1f2328", matchingBracket: "#c8e1ff", border: "#d0d7de" },
  dark:  { background: "#0d1117", foreground: "#e6edf3", gutterBackground: "#161b22", gutterForeground: "#8b949e", activeLine: "#161b22", selection: "#264f78", selectionFocused: "#2f5f8f", cursor: "#e6edf3", matchingBracket: "#3a5a80", border: "#30363d" },
};

// class name -> { light: css, dark: css } (css = object of CSS properties)
export const tokens = {
  "tok-keyword":      { light: { color: "#cf222e" }, dark: { color: "#ff7b72" } },
  "tok-operator":     { light: { color: "#cf222e" }, dark: { color: "#ff7b72" } },
  "tok-atom":         { light: { color: "#0550ae" }, dark: { color: "#79c0ff" } },
  "tok-bool":         { light: { color: "#0550ae" }, dark: { color: "#79c0ff" } },
  "tok-number":       { light: { color: "#0550ae" }, dark: { color: "#79c0ff" } },
  "tok-literal":      { light: { color: "#0550ae" }, dark: { color: "#79c0ff" } },
  "tok-string":       { light: { color: "#0a3069" }, dark: { color: "#a5d6ff" } },
  "tok-string2":      { light: { color: "#116329" }, dark: { color: "#7ee787" } },
  "tok-comment":      { light: { color: "#57606a", fontStyle: "italic" }, dark: { color: "#8b949e", fontStyle: "italic" } },
  "tok-meta":         { light: { color: "#57606a" }, dark: { color: "#8b949e" } },
  "tok-variableName": { light: { color: "#1f2328" }, dark: { color: "#e6edf3" } },
  "tok-variableName2":{ light: { color: "#953800" }, dark: { color: "#ffa657" } },
  "tok-local":        { light: {}, dark: {} },
  "tok-propertyName": { light: { color: "#0550ae" }, dark: { color: "#79c0ff" } },
  "tok-definition":   { light: { color: "#8250df" }, dark: { color: "#d2a8ff" } },
  "tok-typeName":     { light: { color: "#953800" }, dark: { color: "#ffa657" } },
  "tok-className":    { light: { color: "#953800" }, dark: { color: "#ffa657" } },
  "tok-namespace":    { light: { color: "#953800" }, dark: { color: "#ffa657" } },
  "tok-macroName":    { light: { color: "#8250df" }, dark: { color: "#d2a8ff" } },
  "tok-labelName":    { light: { color: "#8250df" }, dark: { color: "#d2a8ff" } },
  "tok-punctuation":  { light: { color: "#1f2328" }, dark: { color: "#e6edf3" } },
  "tok-invalid":      { light: { color: "#82071e", textDecoration: "underline wavy" }, dark: { color: "#ffa198", textDecoration: "underline wavy" } },
  "tok-link":         { light: { color: "#0969da", textDecoration: "underline" }, dark: { color: "#58a6ff", textDecoration: "underline" } },
  "tok-url":          { light: { color: "#0969da", textDecoration: "underline" }, dark: { color: "#58a6ff", textDecoration: "underline" } },
  "tok-heading":      { light: { fontWeight: "bold", color: "#0550ae" }, dark: { fontWeight: "bold", color: "#79c0ff" } },
  "tok-emphasis":     { light: { fontStyle: "italic" }, dark: { fontStyle: "italic" } },
  "tok-strong":       { light: { fontWeight: "bold" }, dark: { fontWeight: "bold" } },
  "tok-inserted":     { light: { color: "#116329", backgroundColor: "#dafbe1" }, dark: { color: "#aff5b4", backgroundColor: "#033a16" } },
  "tok-deleted":      { light: { color: "#82071e", backgroundColor: "#ffebe9" }, dark: { color: "#ffdcd7", backgroundColor: "#67060c" } },
};

// "tok-definition" must win over "tok-variableName"/"tok-propertyName" when both
// are present on one span, so it is emitted after them (same specificity).
// Object key order above already guarantees that.

export function cssProps(obj) {
  return Object.entries(obj)
    .map(([k, v]) => `${k.replace(/[A-Z]/g, (c) => "-" + c.toLowerCase())}: ${v};`)
    .join(" ");
}
