// The chat's behaviour when JavaScript is on: the code editor, sending without a reload, live output
// (server-sent events), Stop, and Copy / Show all on output. Every page works without it through plain
// form posts. Text from people and snippets only ever goes into the page as text (textContent, text
// nodes), or inside markup the server drew with its _Messages partial (where Razor encoded it): a new
// message and a finished reply are fetched from the server, never rebuilt here.
(() => {
  'use strict';

  const editorApi = window.CodeChatterEditor;
  let announcer;

  document.addEventListener('DOMContentLoaded', () => {
    announcer = document.createElement('div');
    announcer.className = 'visually-hidden';
    announcer.setAttribute('role', 'status');
    document.body.append(announcer);

    const compose = document.getElementById('compose');
    if (compose) setUpCompose(compose);
    document.querySelectorAll('pre.code[data-editor-mode]').forEach(highlight);
    document.querySelectorAll('form.rerun-form, form#rerun-all').forEach(showBusyOnSubmit);
    document.querySelectorAll('article.reply').forEach(followOrFinish);
  });

  // A page restored from the back/forward cache must not keep a button stuck on "Re-running…".
  window.addEventListener('pageshow', event => {
    if (!event.persisted) return;
    document.querySelectorAll('button[data-idle-text]').forEach(button => setBusy(button, false));
  });

  function setUpCompose(form) {
    const textarea = form.querySelector('textarea[data-editor]');
    const select = form.querySelector('select#language');
    let editor = null;
    if (editorApi && textarea) {
      const keys = document.getElementById('editor-keys');
      if (keys) keys.hidden = false;
      editor = editorApi.attach(textarea, { mode: modeOf(select), onRun: () => form.requestSubmit() });
      if (select) select.addEventListener('change', () => editor.setMode(modeOf(select)));
    }
    if (form.dataset.startUrl && window.fetch && window.EventSource) {
      form.addEventListener('submit', event => {
        event.preventDefault();
        start(form, editor);
      });
    }
  }

  function modeOf(select) {
    const option = select && select.selectedOptions[0];
    return option ? option.dataset.editorMode || '' : '';
  }

  async function start(form, editor) {
    if (form.dataset.busy) return;
    const button = form.querySelector('button[type=submit]');
    form.dataset.busy = 'yes';
    setBusy(button, true);
    clearErrors(form);
    let navigating = false;
    try {
      const response = await fetch(form.dataset.startUrl, {
        method: 'POST', body: new FormData(form), headers: { Accept: 'application/json' }, credentials: 'same-origin',
      });
      if (response.status === 400) {
        showErrors(form, (await response.json()).errors || {});
        return;
      }
      if (!response.ok) {
        showFormError(form, `The server could not start the run (HTTP ${response.status}). Try again.`);
        return;
      }
      const started = await response.json();
      if (started.url) {
        // The new-conversation page: the conversation shows the run going on.
        navigating = true;
        window.location.assign(started.url);
        return;
      }
      if (editor) editor.setValue('');
      else form.querySelector('textarea[data-editor]').value = '';
      const stdin = form.querySelector('#stdin');
      if (stdin) stdin.value = '';
      try {
        await appendMessage(started);
      } catch (error) {
        // The run goes on; the page shows it once reloaded.
        showFormError(form, 'The run started, but its message could not be shown. Reload the page to follow it.');
      }
    } catch (error) {
      showFormError(form, 'Could not reach the server. Check your connection and try again.');
    } finally {
      if (!navigating) {
        delete form.dataset.busy;
        setBusy(button, false);
      }
    }
  }

  function clearErrors(form) {
    form.querySelectorAll('[data-valmsg-for]').forEach(span => { span.textContent = ''; });
    const summary = form.querySelector('[role=alert]');
    if (summary) summary.textContent = '';
  }

  function showErrors(form, errors) {
    for (const [field, message] of Object.entries(errors)) {
      const span = form.querySelector(`[data-valmsg-for="${CSS.escape(field)}"]`);
      if (span) span.textContent = message;
      else showFormError(form, message);
    }
  }

  function showFormError(form, message) {
    const summary = form.querySelector('[role=alert]');
    if (summary) summary.textContent = message;
    announce(message);
  }

  // The new message as the server draws it, its reply in flight; then follows the reply's live output.
  async function appendMessage(started) {
    const message = await fetchDrawn(started.messageUrl, 'li.message');
    const chat = document.getElementById('chat');
    const empty = chat.querySelector(':scope > li.empty');
    if (empty) empty.remove();
    chat.append(message);
    message.querySelectorAll('pre.code[data-editor-mode]').forEach(highlight);
    showBusyOnSubmit(message.querySelector('form.rerun-form'));
    const reply = message.querySelector('article.reply');
    if (reply) {
      // A quick run may already have ended when its message is drawn.
      followOrFinish(reply);
      reply.scrollIntoView({ block: 'nearest' });
    }
  }

  function followOrFinish(reply) {
    if (reply.dataset.status === 'running' && reply.dataset.eventsUrl) follow(reply);
    else addOutputTools(reply);
  }

  // Markup drawn by the server (a partial of this page), parsed into an element.
  async function fetchDrawn(url, selector) {
    const response = await fetch(url, { headers: { Accept: 'text/html' }, credentials: 'same-origin' });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const template = document.createElement('template');
    template.innerHTML = await response.text();
    const drawn = template.content.querySelector(selector);
    if (!drawn) throw new Error('nothing drawn');
    return drawn;
  }

  function highlight(pre) {
    if (editorApi && pre.dataset.editorMode) editorApi.highlight(pre, pre.dataset.editorMode);
  }

  // Streams a running reply's output into it until the run ends, then shows the stored result.
  function follow(reply) {
    const outputs = {
      stdout: reply.querySelector('pre[data-stream=stdout]'),
      stderr: reply.querySelector('pre[data-stream=stderr]'),
    };
    const elapsed = reply.querySelector('.elapsed');
    const began = performance.now() - Number(elapsed.dataset.elapsedMs || 0);
    const tick = () => { elapsed.textContent = `${((performance.now() - began) / 1000).toFixed(1)} s`; };
    tick();
    const timer = setInterval(tick, 100);

    const stopForm = reply.querySelector('form.stop-form');
    stopForm.addEventListener('submit', event => {
      event.preventDefault();
      stop(stopForm);
    });

    const source = new EventSource(reply.dataset.eventsUrl);
    source.addEventListener('chunk', event => {
      const chunk = JSON.parse(event.data);
      const pre = outputs[chunk.stream];
      if (!pre) return;
      const keepInView = isBottomVisible(reply);
      pre.closest('section').hidden = false;
      // The page shows the start of a long output (data-shown-chars); the finished reply offers the whole.
      const shown = Number(pre.dataset.shownLength || 0);
      const room = Number(pre.dataset.shownChars || Infinity) - shown;
      if (room <= 0) return;
      const text = chunk.text.slice(0, room).replaceAll('\0', '\u2400');
      pre.dataset.shownLength = String(shown + text.length);
      // A NUL shows as the ␀ symbol, as on the server-rendered page; the stream itself carries the exact text.
      // Colours go through ansi.js, the same rules as the server's AnsiOutput.
      if (window.CodeChatterAnsi) window.CodeChatterAnsi.append(pre, text);
      else pre.append(text);
      pre.scrollTop = pre.scrollHeight;
      if (keepInView) reply.scrollIntoView({ block: 'nearest' });
    });
    source.addEventListener('reset', () => {
      for (const pre of Object.values(outputs)) {
        pre.textContent = '';
        pre.closest('section').hidden = true;
        delete pre.dataset.shownLength;
        if (window.CodeChatterAnsi) window.CodeChatterAnsi.reset(pre);
      }
    });
    source.addEventListener('end', event => {
      source.close();
      clearInterval(timer);
      finish(reply, JSON.parse(event.data));
    });
    source.addEventListener('error', () => {
      // The browser reconnects by itself (sending Last-Event-ID) unless the server refused the stream.
      if (source.readyState === EventSource.CLOSED) {
        clearInterval(timer);
        const status = reply.querySelector('.running');
        if (status) status.textContent = 'Lost the live output. Reload the page to see the result.';
      }
    });
  }

  function isBottomVisible(element) {
    return element.getBoundingClientRect().bottom <= window.innerHeight + 48;
  }

  async function stop(form) {
    const button = form.querySelector('button');
    button.disabled = true;
    button.textContent = 'Stopping…';
    try {
      await fetch(form.action, {
        method: 'POST', body: new FormData(form), headers: { Accept: 'application/json' }, credentials: 'same-origin',
      });
    } catch (error) {
      button.disabled = false;
      button.textContent = 'Stop';
      announce('Could not reach the server to stop the run.');
    }
  }

  // Swaps a running reply for the finished one as the server draws it (the same _Messages partial).
  async function finish(reply, end) {
    try {
      const finished = await fetchDrawn(reply.dataset.replyUrl, 'article.reply');
      reply.replaceWith(finished);
      addOutputTools(finished);
    } catch (error) {
      const status = reply.querySelector('.running');
      if (status) status.textContent = 'The run ended. Reload the page to see the result.';
    }
    announce(`Run finished: ${end.status}.`);
  }

  // Copy, and Show all for output taller than its box.
  function addOutputTools(reply) {
    reply.querySelectorAll('section.stream').forEach(section => {
      const pre = section.querySelector('pre.output');
      if (!pre || section.querySelector('.output-tools')) return;
      const heading = section.querySelector('h3');
      const head = element('div', 'stream-head');
      heading.before(head);
      const tools = element('div', 'output-tools');
      head.append(heading, tools);

      const copy = button(`Copy`, `Copy ${pre.dataset.stream}`);
      copy.addEventListener('click', async () => {
        try {
          await navigator.clipboard.writeText(pre.textContent);
          flash(copy, 'Copied');
        } catch (error) {
          // No clipboard access (plain http on another host): select the text for Ctrl+C instead.
          window.getSelection().selectAllChildren(pre);
          flash(copy, 'Selected: press Ctrl+C');
        }
      });
      tools.append(copy);

      if (pre.scrollHeight > pre.clientHeight + 4) {
        pre.classList.add('folded');
        const more = button('Show all');
        more.setAttribute('aria-expanded', 'false');
        more.addEventListener('click', () => {
          const expanded = pre.classList.toggle('expanded');
          more.textContent = expanded ? 'Show less' : 'Show all';
          more.setAttribute('aria-expanded', String(expanded));
        });
        tools.append(more);
      }
    });
  }

  function flash(target, text) {
    const label = target.textContent;
    target.textContent = text;
    setTimeout(() => { target.textContent = label; }, 1500);
  }

  function showBusyOnSubmit(form) {
    const submit = form && form.querySelector('button[type=submit]');
    if (!submit) return;
    form.addEventListener('submit', () => {
      // After the submit event the browser has taken the form's data; disabling now only stops a second send.
      setTimeout(() => setBusy(submit, true), 0);
    });
  }

  function setBusy(target, busy) {
    if (!target) return;
    if (busy) {
      target.dataset.idleText = target.textContent;
      target.textContent = target.dataset.busyText || 'Working…';
      target.disabled = true;
      target.setAttribute('aria-busy', 'true');
    } else if (target.dataset.idleText !== undefined) {
      target.textContent = target.dataset.idleText;
      delete target.dataset.idleText;
      target.disabled = false;
      target.removeAttribute('aria-busy');
    }
  }

  function announce(text) {
    if (!announcer) return;
    announcer.textContent = '';
    setTimeout(() => { announcer.textContent = text; }, 50);
  }

  function element(tag, className, text) {
    const made = document.createElement(tag);
    if (className) made.className = className;
    if (text !== undefined) made.textContent = text;
    return made;
  }

  function button(text, label) {
    const made = element('button', 'tool-button', text);
    made.type = 'button';
    if (label) made.setAttribute('aria-label', label);
    return made;
  }
})();
