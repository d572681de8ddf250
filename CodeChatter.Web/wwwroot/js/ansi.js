// ANSI colours in live output: the same rules as the server's AnsiOutput (Rendering/AnsiOutput.cs). SGR
// sequences (ESC[...m: 30-37, 90-97, 40-47, 100-107, 39, 49, bold 1, 22, reset 0) become spans with classes
// from the fixed palette in site.css; every other escape sequence is left out. Text only ever goes in as
// text nodes. A sequence split between two chunks is held back until the next one completes it.
(() => {
  'use strict';

  const states = new WeakMap();
  const maxHeld = 256;

  // Appends one chunk of output to a <pre>, keeping the colours in force between chunks.
  function append(pre, text) {
    let state = states.get(pre);
    if (!state) states.set(pre, state = { fg: 0, bg: 0, bold: false, held: '' });
    text = state.held + text;
    state.held = '';
    let i = 0;
    while (i < text.length) {
      const next = text.indexOf('\u001b', i);
      const end = next < 0 ? text.length : next;
      if (end > i) write(pre, state, text.slice(i, end));
      if (next < 0) break;
      const after = sequenceEnd(text, next);
      if (after < 0) {
        // Incomplete: wait for the rest, unless it is too long to be a real sequence.
        if (text.length - next <= maxHeld) state.held = text.slice(next);
        break;
      }
      const sequence = text.slice(next, after);
      const sgr = /^\u001b\[([0-9;:]*)m$/.exec(sequence);
      if (sgr) apply(state, sgr[1]);
      i = after;
    }
  }

  // Where the sequence starting at i ends, or -1 when the text ends first.
  function sequenceEnd(text, i) {
    if (i + 1 >= text.length) return -1;
    const kind = text.charCodeAt(i + 1);
    if (kind < 0x20) return i + 1;
    let j = i + 2;
    if (kind === 0x5b) { // [
      while (j < text.length && text.charCodeAt(j) >= 0x20 && text.charCodeAt(j) <= 0x3f) j++;
      if (j >= text.length) return -1;
      const final = text.charCodeAt(j);
      return final >= 0x40 && final <= 0x7e ? j + 1 : j;
    }
    if (']P_^X'.includes(text[i + 1])) { // OSC, DCS, APC, PM, SOS
      for (; j < text.length; j++) {
        if (text[j] === '\u0007') return j + 1;
        if (text[j] === '\u001b') return j + 1 < text.length ? (text[j + 1] === '\\' ? j + 2 : j) : -1;
      }
      return -1;
    }
    let c = kind;
    while (c >= 0x20 && c <= 0x2f) {
      if (j >= text.length) return -1;
      c = text.charCodeAt(j++);
    }
    return j;
  }

  function apply(state, parameters) {
    if (parameters === '') parameters = '0';
    let skip = 0;
    for (const part of parameters.split(/[;:]/).slice(0, 16)) {
      const value = Math.min(Number(part || 0), 100000);
      if (skip > 0) { skip--; continue; }
      if (skip === -1) { skip = value === 5 ? 1 : value === 2 ? 3 : 0; continue; }
      if (value === 0) Object.assign(state, { fg: 0, bg: 0, bold: false });
      else if (value === 1) state.bold = true;
      else if (value === 22) state.bold = false;
      else if (value >= 30 && value <= 37) state.fg = value - 30 + 1;
      else if (value >= 90 && value <= 97) state.fg = value - 90 + 9;
      else if (value === 39) state.fg = 0;
      else if (value >= 40 && value <= 47) state.bg = value - 40 + 1;
      else if (value >= 100 && value <= 107) state.bg = value - 100 + 9;
      else if (value === 49) state.bg = 0;
      else if (value === 38 || value === 48) skip = -1;
    }
  }

  function write(pre, state, text) {
    const classes = [];
    if (state.bold) classes.push('ansi-bold');
    if (state.fg) classes.push(`ansi-fg-${state.fg - 1}`);
    if (state.bg) classes.push(`ansi-bg-${state.bg - 1}`);
    if (classes.length === 0) {
      pre.append(text);
      return;
    }
    const span = document.createElement('span');
    span.className = classes.join(' ');
    span.textContent = text;
    pre.append(span);
  }

  function reset(pre) {
    states.delete(pre);
  }

  window.CodeChatterAnsi = { append, reset };
})();
