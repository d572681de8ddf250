// CodeChatter editor bundle entry point.
// Built by ../build.mjs into CodeChatter.Web/wwwroot/lib/codemirror/editor.js
// as a single IIFE that defines `window.CodeChatterEditor`.
//
// CSP notes: this code never uses eval/new Function/innerHTML. CodeMirror
// injects its own theme CSS through a <style> element (see README.md), which
// needs either a nonce (`attach(..., { nonce })`, or
// <meta name="csp-nonce" content="...">) or `style-src 'unsafe-inline'`.
// `highlight()` injects no CSS at all; it relies on highlight.css.

import { EditorState, Compartment, Prec } from "@codemirror/state";
import {
  EditorView,
  keymap,
  lineNumbers,
  highlightActiveLine,
  highlightActiveLineGutter,
  highlightSpecialChars,
  drawSelection,
} from "@codemirror/view";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import {
  bracketMatching,
  indentOnInput,
  syntaxHighlighting,
  StreamLanguage,
  indentUnit,
} from "@codemirror/language";
import { classHighlighter, highlightCode } from "@lezer/highlight";
import { python } from "@codemirror/lang-python";
import { javascript } from "@codemirror/lang-javascript";
import { cpp } from "@codemirror/lang-cpp";
import { shell } from "@codemirror/legacy-modes/mode/shell";
import { surface, tokens } from "./palette.mjs";

// ---------------------------------------------------------------- languages

const MODE_ALIASES = {
  python: "python", py: "python", python3: "python",
  javascript: "javascript", js: "javascript", node: "javascript",
  shell: "shell", sh: "shell", bash: "shell",
  c: "c",
};

const languageCache = new Map();

/** Returns the canonical mode name, or "" for plain text. */
function normalizeMode(mode) {
  return MODE_ALIASES[String(mode == null ? "" : mode).trim().toLowerCase()] || "";
}

/** Returns a LanguageSupport/Language extension for the mode, or null. */
function languageFor(mode) {
  const m = normalizeMode(mode);
  if (!m) return null;
  if (!languageCache.has(m)) {
    let ext;
    switch (m) {
      case "python": ext = python(); break;
      case "javascript": ext = javascript(); break;
      case "shell": ext = StreamLanguage.define(shell); break;
      case "c": ext = cpp(); break;
    }
    languageCache.set(m, ext);
  }
  return languageCache.get(m);
}

/** The underlying Language object (for parsing outside an editor). */
function parserLanguageFor(mode) {
  const ext = languageFor(mode);
  if (!ext) return null;
  return ext.language ? ext.language : ext; // LanguageSupport vs. Language
}

// ------------------------------------------------------------------- themes

function makeTheme(scheme) {
  const s = surface[scheme];
  const spec = {
    "&": { color: s.foreground, backgroundColor: s.background, border: `1px solid ${s.border}`, borderRadius: "0.375rem" },
    "&.cm-focused": { outline: "2px solid #0969da", outlineOffset: "1px" },
    ".cm-scroller": { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace', lineHeight: "1.5" },
    ".cm-content": { caretColor: s.cursor, minHeight: "10em" },
    ".cm-cursor, .cm-dropCursor": { borderLeftColor: s.cursor },
    "&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground": { backgroundColor: s.selectionFocused },
    ".cm-selectionBackground, ::selection": { backgroundColor: s.selection },
    ".cm-gutters": { backgroundColor: s.gutterBackground, color: s.gutterForeground, borderRight: `1px solid ${s.border}` },
    ".cm-activeLine": { backgroundColor: s.activeLine },
    ".cm-activeLineGutter": { backgroundColor: s.activeLine, color: s.foreground },
    "&.cm-focused .cm-matchingBracket": { backgroundColor: s.matchingBracket, outline: "none" },
    ".cm-matchingBracket": { backgroundColor: s.matchingBracket },
  };
  for (const [cls, byScheme] of Object.entries(tokens)) {
    if (Object.keys(byScheme[scheme]).length) spec["." + cls] = byScheme[scheme];
  }
  return EditorView.theme(spec, { dark: scheme === "dark" });
}

let lightTheme = null;
let darkTheme = null;
const darkQuery =
  typeof window !== "undefined" && typeof window.matchMedia === "function"
    ? window.matchMedia("(prefers-color-scheme: dark)")
    : null;

function currentTheme() {
  if (!lightTheme) { lightTheme = makeTheme("light"); darkTheme = makeTheme("dark"); }
  return darkQuery && darkQuery.matches ? darkTheme : lightTheme;
}

// Views to re-theme when the OS/browser colour scheme changes.
const liveViews = new Set();
if (darkQuery) {
  const onSchemeChange = () => {
    for (const entry of liveViews) {
      if (!entry.view.dom.isConnected) { liveViews.delete(entry); continue; }
      entry.view.dispatch({ effects: entry.themeConf.reconfigure(currentTheme()) });
    }
  };
  if (typeof darkQuery.addEventListener === "function") darkQuery.addEventListener("change", onSchemeChange);
  else if (typeof darkQuery.addListener === "function") darkQuery.addListener(onSchemeChange);
}

// -------------------------------------------------------------- accessibility

function accessibleNameFor(textarea) {
  const own = textarea.getAttribute("aria-label");
  if (own && own.trim()) return own.trim();
  const doc = textarea.ownerDocument;
  const labelledBy = textarea.getAttribute("aria-labelledby");
  if (labelledBy) {
    const text = labelledBy.split(/\s+/)
      .map((id) => doc.getElementById(id))
      .filter(Boolean)
      .map((el) => el.textContent.trim())
      .join(" ").trim();
    if (text) return text;
  }
  const label = findLabel(textarea);
  if (label) {
    const text = label.textContent.replace(/\s+/g, " ").trim();
    if (text) return text;
  }
  return "Code editor";
}

function findLabel(textarea) {
  if (textarea.id) {
    const labels = textarea.ownerDocument.querySelectorAll("label[for]");
    for (const l of labels) if (l.htmlFor === textarea.id) return l;
  }
  return textarea.closest ? textarea.closest("label") : null;
}

function findCspNonce(doc, explicit) {
  if (explicit) return String(explicit);
  const meta = doc.querySelector('meta[name="csp-nonce"]');
  return meta ? meta.getAttribute("content") || "" : "";
}

// ----------------------------------------------------------------------- API

/**
 * Replaces a <textarea> with a CodeMirror editor that keeps the textarea's
 * value in sync, so a normal form submission still posts the code.
 *
 * @param {HTMLTextAreaElement} textarea
 * @param {{ mode?: string, onRun?: () => void, nonce?: string }} [options]
 * @returns {{ setMode(mode: string): void, focus(): void, getValue(): string, setValue(text: string): void }}
 */
function attach(textarea, options) {
  if (!textarea || String(textarea.tagName).toLowerCase() !== "textarea") {
    throw new TypeError("CodeChatterEditor.attach: first argument must be a <textarea> element");
  }
  const opts = options || {};
  const onRun = typeof opts.onRun === "function" ? opts.onRun : null;
  const doc = textarea.ownerDocument;

  const languageConf = new Compartment();
  const themeConf = new Compartment();

  const runKey = () => {
    if (onRun) {
      try { onRun(); } catch (e) { setTimeout(() => { throw e; }); }
    }
    return true; // consumed: CodeMirror calls preventDefault()
  };

  const contentAttrs = { "aria-label": accessibleNameFor(textarea), "aria-multiline": "true" };
  const describedBy = textarea.getAttribute("aria-describedby");
  if (describedBy) contentAttrs["aria-describedby"] = describedBy;

  const extensions = [
    lineNumbers(),
    highlightActiveLineGutter(),
    highlightSpecialChars(),
    history(),
    drawSelection(),
    indentUnit.of("    "),
    EditorState.tabSize.of(4),
    indentOnInput(),
    bracketMatching(),
    highlightActiveLine(),
    syntaxHighlighting(classHighlighter),
    Prec.highest(keymap.of([
      { key: "Ctrl-Enter", run: runKey, preventDefault: true },
      { key: "Meta-Enter", run: runKey, preventDefault: true },
    ])),
    keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
    EditorView.contentAttributes.of(contentAttrs),
    EditorView.updateListener.of((update) => {
      if (update.docChanged) {
        textarea.value = update.state.doc.toString();
        textarea.dispatchEvent(new Event("input", { bubbles: true }));
      }
    }),
    languageConf.of(languageFor(opts.mode) || []),
    themeConf.of(currentTheme()),
  ];
  const nonce = findCspNonce(doc, opts.nonce);
  if (nonce) extensions.push(EditorView.cspNonce.of(nonce));
  if (textarea.readOnly || textarea.disabled) {
    extensions.push(EditorState.readOnly.of(true));
    if (textarea.disabled) extensions.push(EditorView.editable.of(false));
  }

  const view = new EditorView({
    state: EditorState.create({ doc: textarea.value, extensions }),
  });

  // Hide the textarea (keeps it in the form so its value is posted). A hidden
  // `required` control cannot show a validation bubble, so drop `required`
  // and validate on the server instead.
  textarea.hidden = true;
  textarea.style.display = "none";
  textarea.setAttribute("aria-hidden", "true");
  textarea.tabIndex = -1;
  textarea.required = false;
  textarea.insertAdjacentElement("afterend", view.dom);

  // Clicking the <label> should focus the editor instead of the hidden textarea.
  const label = findLabel(textarea);
  if (label && !label.contains(view.dom)) {
    label.addEventListener("click", (e) => { e.preventDefault(); view.focus(); });
  }

  const entry = { view, themeConf };
  liveViews.add(entry);

  return {
    setMode(mode) {
      view.dispatch({ effects: languageConf.reconfigure(languageFor(mode) || []) });
    },
    focus() {
      view.focus();
    },
    getValue() {
      return view.state.doc.toString();
    },
    setValue(text) {
      const value = text == null ? "" : String(text);
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: value } });
      textarea.value = value; // also covers the no-change case
    },
  };
}

/**
 * Statically highlights the code inside `<pre><code>…</code></pre>` (or a bare
 * <pre>). Reads textContent and rebuilds the content from text nodes and
 * <span class="tok-…"> elements only: the code is never parsed as HTML.
 * Colours come from highlight.css.
 *
 * @param {HTMLElement} preElement
 * @param {string} mode
 */
function highlight(preElement, mode) {
  if (!preElement) return;
  const doc = preElement.ownerDocument;
  const target = preElement.querySelector("code") || preElement;
  const text = target.textContent;
  preElement.classList.add("cc-highlight");
  const lang = parserLanguageFor(mode);
  if (!lang) return; // plain text: leave content untouched

  const tree = lang.parser.parse(text);
  const frag = doc.createDocumentFragment();
  highlightCode(
    text,
    tree,
    classHighlighter,
    (chunk, classes) => {
      if (classes) {
        const span = doc.createElement("span");
        span.className = classes;
        span.textContent = chunk;
        frag.appendChild(span);
      } else {
        frag.appendChild(doc.createTextNode(chunk));
      }
    },
    () => { frag.appendChild(doc.createTextNode("\n")); },
  );
  while (target.firstChild) target.removeChild(target.firstChild);
  target.appendChild(frag);
}

const api = Object.freeze({ attach, highlight });

if (typeof window !== "undefined") {
  window.CodeChatterEditor = api;
}

export { attach, highlight };
