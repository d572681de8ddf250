// The chat's behaviour when JavaScript is on: the code editor, sending and re-running without a reload,
// live output (server-sent events), Stop, Copy / Show all on output, where the view and the focus go,
// Edit as new message, the side list's fold and filter, typing into a run in flight, and the session panel
// drawn again after each run. Every page works without it through plain
// form posts. Text from people and snippets only ever goes into the page as text (textContent, text
// nodes), or inside markup the server drew with its _Messages partial (where Razor encoded it): a new
// message and a finished reply are fetched from the server, never rebuilt here.
(() => {
  'use strict';

  const editorApi = window.CodeChatterEditor;
  const canStream = Boolean(window.fetch && window.EventSource);
  let announcer;
  // The compose form of this page and its editor (null without the editor script).
  let composeForm = null;
  let composeEditor = null;

  document.addEventListener('DOMContentLoaded', () => {
    announcer = document.createElement('div');
    announcer.className = 'visually-hidden';
    announcer.setAttribute('role', 'status');
    document.body.append(announcer);

    const compose = document.getElementById('compose');
    if (compose) setUpCompose(compose);
    document.querySelectorAll('pre.code[data-editor-mode]').forEach(highlight);
    const rerunForm = document.getElementById('rerun-form');
    if (rerunForm) setUpRerun(rerunForm);
    const rerunAll = document.getElementById('rerun-all');
    if (rerunAll) setUpRerunAll(rerunAll);
    setUpSessionPanel();
    document.querySelectorAll('article.reply').forEach(reply => followOrFinish(reply));
    const chat = document.getElementById('chat');
    if (chat) {
      setUpSideList();
      setUpJumpToNewest(chat);
      chat.addEventListener('click', editAsNew);
      openAtNewest();
    }
  });

  // A conversation opens at its newest reply, with the editor ready for the next message; an address with
  // a #fragment (a reply just started from New, a note just saved) keeps the place the browser scrolled to.
  function openAtNewest() {
    // An address naming a message this page leaves out (a link to an old run): the page with every message.
    const showEarlier = document.getElementById('show-earlier');
    const named = window.location.hash.slice(1);
    if (showEarlier && named && !document.getElementById(named)) {
      window.location.replace(showEarlier.href + window.location.hash);
      return;
    }
    if (!window.location.hash) scrollToNewest();
    focusEditor();
  }

  // The bottom of the conversation: the newest reply and, below it, the compose box.
  function scrollToNewest() {
    const compose = document.querySelector('section.compose');
    const last = document.querySelector('#chat > li:last-child');
    const target = compose || last;
    if (target) target.scrollIntoView({ block: 'end' });
  }

  function isAtBottom() {
    return window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 96;
  }

  // The editor, without moving the view (the person may be reading further up).
  function focusEditor() {
    if (!composeForm) return;
    const target = composeForm.querySelector('.cm-content') || composeForm.querySelector('textarea[data-editor]');
    if (target) target.focus({ preventScroll: true });
  }

  // After a run ends, focus that had nowhere to go (the Stop button went with the running reply) goes to the editor.
  function focusIsLost(within) {
    const active = document.activeElement;
    return !active || active === document.body || (within && within.contains(active));
  }

  function setUpJumpToNewest(chat) {
    const jump = document.getElementById('jump-to-newest');
    if (!jump) return;
    let pending = false;
    const update = () => {
      pending = false;
      const last = chat.querySelector(':scope > li:last-child');
      jump.hidden = !last || last.getBoundingClientRect().bottom <= window.innerHeight + 48;
    };
    const schedule = () => {
      if (pending) return;
      pending = true;
      requestAnimationFrame(update);
    };
    window.addEventListener('scroll', schedule, { passive: true });
    window.addEventListener('resize', schedule);
    new MutationObserver(schedule).observe(chat, { childList: true, subtree: true });
    jump.addEventListener('click', () => {
      scrollToNewest();
      jump.hidden = true;
      focusEditor();
    });
    update();
  }

  // Beside the chat on wide screens; folded on narrow ones, where the chat needs the room.
  function setUpSideList() {
    const fold = document.getElementById('side-list');
    if (!fold) return;
    if (window.matchMedia('(max-width: 63.99rem)').matches) fold.open = false;
    const filter = document.getElementById('conversation-filter');
    const items = Array.from(fold.querySelectorAll('.side-list-items > li'));
    const none = fold.querySelector('.side-list-none');
    const noneListed = fold.querySelector('.side-list-none-shown');
    // The list holds only the most recent conversations: typing narrows those at once, and Enter or Filter
    // (the form's plain GET) searches all of them on the server.
    const more = Boolean(fold.querySelector('.side-list-more'));
    if (!filter) return;
    filter.addEventListener('input', () => {
      const wanted = filter.value.trim().toLocaleLowerCase();
      let shown = 0;
      for (const item of items) {
        const match = (item.dataset.title || '').toLocaleLowerCase().includes(wanted);
        item.hidden = !match;
        if (match) shown++;
      }
      if (none) none.hidden = shown > 0 || more;
      if (noneListed) noneListed.hidden = shown > 0 || !more;
    });
  }

  // "Edit as new message": the snippet, its language and its input into the compose form. Without script the
  // link loads the page with the form filled in by the server.
  function editAsNew(event) {
    const link = event.target.closest('a.edit-as-new');
    if (!link || !composeForm) return;
    const message = link.closest('li.message');
    const code = message && message.querySelector('pre.code code');
    if (!code) return;
    event.preventDefault();
    const select = composeForm.querySelector('select#language');
    const language = code.dataset.language;
    if (select && language && Array.from(select.options).some(option => option.value === language)) {
      select.value = language;
      select.dispatchEvent(new Event('change'));
    }
    if (composeEditor) composeEditor.setValue(code.textContent);
    else composeForm.querySelector('textarea[data-editor]').value = code.textContent;
    const stdin = composeForm.querySelector('#stdin');
    const sentStdin = message.querySelector('details.stdin pre code');
    if (stdin) {
      stdin.value = sentStdin ? sentStdin.textContent : '';
      if (sentStdin) stdin.closest('details').open = true;
    }
    composeForm.scrollIntoView({ block: 'nearest' });
    if (composeEditor) composeEditor.focus();
    else focusEditor();
    announce('The message is in the editor: change it and run it as a new message.');
  }

  // A page restored from the back/forward cache must not keep a button stuck on "Re-running…".
  window.addEventListener('pageshow', event => {
    if (!event.persisted) return;
    document.querySelectorAll('button[data-idle-text]').forEach(button => setBusy(button, false));
  });

  function setUpCompose(form) {
    const textarea = form.querySelector('textarea[data-editor]');
    const select = form.querySelector('select#language');
    let editor = null;
    composeForm = form;
    if (editorApi && textarea) {
      const keys = document.getElementById('editor-keys');
      if (keys) keys.hidden = false;
      editor = editorApi.attach(textarea, { mode: modeOf(select), onRun: () => form.requestSubmit() });
      composeEditor = editor;
      if (select) select.addEventListener('change', () => editor.setMode(modeOf(select)));
      // Shift+Enter runs and keeps the text for another change (Ctrl/Cmd+Enter runs and clears it). Caught
      // on the way down to the editor, before its own Enter inserts a line.
      form.addEventListener('keydown', event => {
        if (event.key !== 'Enter' || !event.shiftKey || event.ctrlKey || event.metaKey || event.altKey) return;
        if (!event.target.closest || !event.target.closest('.cm-editor')) return;
        event.preventDefault();
        event.stopPropagation();
        form.dataset.keepText = 'yes';
        form.requestSubmit();
      }, true);
    }
    if (form.dataset.startUrl && canStream) {
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
    const keepText = Boolean(form.dataset.keepText);
    delete form.dataset.keepText;
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
      if (!keepText) {
        if (editor) editor.setValue('');
        else form.querySelector('textarea[data-editor]').value = '';
        const stdin = form.querySelector('#stdin');
        if (stdin) stdin.value = '';
      }
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
        focusEditor();
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

  // The new message as the server draws it, its reply in flight; then follows the reply's live output. The
  // live output's stream is opened at once, while the message is fetched: a quick run's first line is then
  // already there when the message is drawn, instead of one more round trip after it.
  async function appendMessage(started) {
    const { message, early } = await fetchStartedMessage(started);
    const chat = document.getElementById('chat');
    const empty = chat.querySelector(':scope > li.empty');
    if (empty) empty.remove();
    chat.append(message);
    setUpMessage(message);
    scrollToNewest();
    followDrawn(message.querySelector('article.reply'), early);
  }

  // Follows a reply just drawn with the stream opened for it early; a quick run may already have ended when
  // its message is drawn: its stored result is shown, and the stream closed.
  function followDrawn(reply, early) {
    const following = reply && reply.dataset.status === 'running' && reply.dataset.eventsUrl;
    if (early && !following) early.source.close();
    return reply ? followOrFinish(reply, true, following ? early : null) : null;
  }

  // The message of a run just started, as the server draws it, with the run's live output stream opened while
  // it is fetched (and closed again if the fetch fails).
  async function fetchStartedMessage(started) {
    const early = started.eventsUrl ? openStream(started.eventsUrl) : null;
    try {
      return { message: await fetchDrawn(started.messageUrl, 'li.message'), early };
    } catch (error) {
      if (early) early.source.close();
      throw error;
    }
  }

  // An event stream whose events wait until handlers are attached (see follow), none lost meanwhile.
  function openStream(url) {
    const source = new EventSource(url);
    const waiting = [];
    const handlers = {};
    for (const type of ['chunk', 'reset', 'end', 'error']) {
      source.addEventListener(type, event => {
        if (handlers[type]) handlers[type](event);
        else waiting.push([type, event]);
      });
    }
    return {
      source,
      attach(attached) {
        Object.assign(handlers, attached);
        for (const [type, event] of waiting.splice(0)) handlers[type](event);
      },
    };
  }

  // A message's Re-run button needs nothing of its own: it submits the page's one re-run form.
  function setUpMessage(message) {
    message.querySelectorAll('pre.code[data-editor-mode]').forEach(highlight);
  }

  // Resolves when the reply has ended and shows its stored result (at once for one already ended). A reply
  // just drawn (justDrawn) that had already ended changed the session as well: the panel is drawn again.
  function followOrFinish(reply, justDrawn, stream) {
    if (reply.dataset.status === 'running' && reply.dataset.eventsUrl) return follow(reply, stream);
    addOutputTools(reply);
    if (justDrawn) refreshSessionPanel();
    return Promise.resolve(reply);
  }

  // A re-run of one message, started without a reload: the message is drawn again by the server with the
  // new reply in flight, whose output then streams in as a sent message's does. Every message's Re-run button
  // submits the page's one re-run form, naming its snippet; messages appended later included.
  function setUpRerun(form) {
    if (!form.dataset.startUrl || !canStream) {
      showBusyOnSubmit(form);
      return;
    }
    form.addEventListener('submit', event => {
      const button = event.submitter;
      if (!button || !button.value) return;
      event.preventDefault();
      rerun(button, false).catch(() => {});
    });
  }

  // Starts the re-run a message's Re-run button asks for and swaps the message in; resolves with the finished
  // reply, or null when it could not start. The first step of a Re-run all (first) restarts a session
  // conversation's session, so the replay starts from nothing.
  async function rerun(button, partOfAll, first) {
    const form = button.form;
    if (!form || button.dataset.busy) return null;
    button.dataset.busy = 'yes';
    setBusy(button, true);
    let started;
    try {
      const body = new FormData(form);
      body.append(button.name, button.value);
      if (partOfAll) body.append('all', 'true');
      if (first) body.append('first', 'true');
      const response = await fetch(form.dataset.startUrl, {
        method: 'POST', body, headers: { Accept: 'application/json' }, credentials: 'same-origin',
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      started = await response.json();
    } catch (error) {
      delete button.dataset.busy;
      setBusy(button, false);
      announce('The re-run could not be started. Try again.');
      throw error;
    }
    const old = button.closest('li.message');
    // As for a sent message: the live output streams in while the message is fetched.
    let drawn;
    try {
      drawn = await fetchStartedMessage(started);
    } catch (error) {
      announce('The re-run started, but it could not be shown. Reload the page to follow it.');
      throw error;
    }
    const { message, early } = drawn;
    const wasAtBottom = isAtBottom();
    const hadFocus = focusIsLost(old);
    old.replaceWith(message);
    setUpMessage(message);
    if (wasAtBottom && !message.nextElementSibling) scrollToNewest();
    else message.scrollIntoView({ block: 'nearest' });
    if (hadFocus && !partOfAll) focusEditor();
    const reply = message.querySelector(`#execution-${started.executionId}`) || message.querySelector('article.reply');
    currentRun = { stopUrl: started.stopUrl, form: reply && reply.querySelector('form.stop-form') };
    return followDrawn(reply, early);
  }

  // The run a "Re-run all" is at, for its Stop.
  let currentRun = null;

  // "Re-run all": each code message in turn, live, with how far it has got and one Stop for the whole re-run.
  function setUpRerunAll(form) {
    const bar = document.getElementById('rerun-bar');
    const progress = document.getElementById('rerun-progress');
    const stopButton = document.getElementById('rerun-stop');
    // A page that leaves earlier messages out re-runs them all through the server, which knows them all.
    if (!canStream || !bar || !progress || !stopButton || !document.querySelector('#rerun-form[data-start-url]')
        || document.getElementById('show-earlier')) {
      showBusyOnSubmit(form);
      return;
    }
    form.dataset.live = 'yes';
    let stopping = false;
    stopButton.addEventListener('click', async () => {
      stopping = true;
      stopButton.disabled = true;
      stopButton.textContent = 'Stopping…';
      if (currentRun && currentRun.form) await stop(currentRun.form);
    });
    form.addEventListener('submit', async event => {
      event.preventDefault();
      if (form.dataset.busy) return;
      const button = form.querySelector('button[type=submit]');
      const ids = Array.from(document.querySelectorAll('#chat > li.message-code')).map(li => li.dataset.snippetId);
      const status = document.querySelector('.chat-main .status-message');
      if (status) status.remove();
      bar.hidden = false;
      if (ids.length === 0) {
        stopButton.hidden = true;
        progress.textContent = 'There is no code to re-run in this conversation.';
        return;
      }
      form.dataset.busy = 'yes';
      setBusy(button, true);
      stopping = false;
      stopButton.hidden = false;
      stopButton.disabled = false;
      stopButton.textContent = 'Stop re-run';
      stopButton.focus({ preventScroll: true });
      let done = 0;
      let changed = 0;
      let failed = false;
      let first = true;
      for (const [index, id] of ids.entries()) {
        if (stopping) break;
        const rerunButton = document.querySelector(`#snippet-${CSS.escape(id)} button.rerun-button`);
        if (!rerunButton) continue;
        progress.textContent = `Re-running ${index + 1} of ${ids.length}…`;
        let reply;
        try {
          reply = await rerun(rerunButton, true, first);
          first = false;
        } catch (error) {
          failed = true;
          break;
        }
        if (!reply) continue;
        done++;
        const comparison = reply.querySelector('.comparison');
        if (comparison && comparison.dataset.comparison === 'changed') changed++;
      }
      currentRun = null;
      const snippets = `${done} ${done === 1 ? 'snippet' : 'snippets'}`;
      progress.textContent = failed
        ? `The re-run stopped after ${done} of ${ids.length}: the server could not start the next run.`
        : stopping
          ? `Stopped the re-run after ${done} of ${ids.length}.`
          : `Re-ran ${snippets}: ${done - changed} same, ${changed} changed.`;
      stopButton.hidden = true;
      delete form.dataset.busy;
      setBusy(button, false);
      await refreshSessionPanel();
      focusEditor();
    });
  }

  // The session panel: its Re-run all (shown when the session's state was lost) runs the page's live Re-run
  // all; Restart and the mode switch stay plain form posts. The panel is drawn again by the server after
  // each run ends, so what it says (memory, messages run, a lost state) follows the conversation.
  function setUpSessionPanel() {
    document.addEventListener('submit', event => {
      if (!event.target.matches || !event.target.matches('#session-rerun-all')) return;
      const live = document.getElementById('rerun-all');
      if (!live || !live.dataset.live) return;
      event.preventDefault();
      live.requestSubmit();
    });
  }

  let panelRefresh = null;
  let panelAgain = false;

  async function refreshSessionPanel() {
    // One refresh at a time; a run that ends during one gets another after it, so the last word is the newest.
    if (panelRefresh) {
      panelAgain = true;
      return panelRefresh;
    }
    panelRefresh = (async () => {
      const panel = document.getElementById('session-panel');
      try {
        if (!panel || !panel.dataset.refreshUrl) return;
        const drawn = await fetchDrawn(panel.dataset.refreshUrl, 'section#session-panel');
        const current = document.getElementById('session-panel');
        if (!current) return;
        // Focus on one of the panel's controls stays on the same control of the new panel.
        const focused = current.contains(document.activeElement) ? focusPath(current, document.activeElement) : null;
        current.replaceWith(drawn);
        if (focused) {
          const again = drawn.querySelector(focused);
          if (again) again.focus({ preventScroll: true });
          else focusEditor();
        }
      } catch (error) {
        // The panel keeps what it said; a reload draws it again.
      } finally {
        panelRefresh = null;
        if (panelAgain) {
          panelAgain = false;
          refreshSessionPanel();
        }
      }
    })();
    return panelRefresh;
  }

  function focusPath(panel, active) {
    const form = active.closest('form[id]');
    if (!form) return null;
    return `#${CSS.escape(form.id)} ${active.tagName.toLowerCase()}${active.name ? `[name="${CSS.escape(active.name)}"]` : ''}`;
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

  // Streams a running reply's output into it until the run ends, then shows the stored result; resolves with
  // the finished reply (null when the live output was lost). stream: one already opened (see openStream).
  function follow(reply, stream) {
    let settle;
    const ended = new Promise(resolve => { settle = resolve; });
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
    const inputLine = reply.querySelector('form.input-line');
    if (inputLine) setUpInputLine(inputLine, outputs.stdout);

    const opened = stream || openStream(reply.dataset.eventsUrl);
    const source = opened.source;
    let over = false;
    opened.attach({
      chunk: event => {
        const chunk = JSON.parse(event.data);
        const pre = outputs[chunk.stream];
        if (!pre) return;
        const atBottom = isAtBottom();
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
        if (atBottom) scrollToNewest();
        else if (keepInView) reply.scrollIntoView({ block: 'nearest' });
      },
      reset: () => {
        for (const pre of Object.values(outputs)) {
          pre.textContent = '';
          pre.closest('section').hidden = true;
          delete pre.dataset.shownLength;
          if (window.CodeChatterAnsi) window.CodeChatterAnsi.reset(pre);
        }
      },
      end: event => {
        over = true;
        source.close();
        clearInterval(timer);
        finish(reply, JSON.parse(event.data)).then(settle);
      },
      error: () => {
        // The browser reconnects by itself (sending Last-Event-ID) unless the server refused the stream. An
        // error replayed after the end (a stream opened early saw the server close it) is not a loss.
        if (!over && source.readyState === EventSource.CLOSED) {
          clearInterval(timer);
          const status = reply.querySelector('.running');
          if (status) status.textContent = 'Lost the live output. Reload the page to see the result.';
          settle(null);
        }
      },
    });
    return ended;
  }

  // The input line of a run in flight: Enter sends the line, Ctrl+D in the field or End input ends the input
  // (end of file). What is sent shows in the output as a terminal echoes it. The field takes the focus only
  // when the person puts it there: the editor keeps its own focus rules.
  function setUpInputLine(form, stdout) {
    const field = form.querySelector('input[name=text]');
    let sending = Promise.resolve();
    const send = (end) => {
      const text = field.value;
      field.value = '';
      if (text || !end) echo(stdout, `${text}\n`);
      const body = new FormData(form);
      body.set('text', text);
      if (end) body.set('end', 'true');
      else body.delete('end');
      // In order: a line and the end of input typed right after it reach the run in that order.
      sending = sending.then(async () => {
        try {
          const response = await fetch(form.action, {
            method: 'POST', body, headers: { Accept: 'application/json' }, credentials: 'same-origin',
          });
          if (!response.ok) {
            if (form.isConnected) announce('The run no longer takes input.');
            form.remove();
            return;
          }
          const answer = await response.json();
          if (!answer.accepted) announce('The run took no more input.');
        } catch (error) {
          announce('Could not reach the server to send the input.');
        }
      });
      if (end) {
        const hadFocus = form.contains(document.activeElement);
        form.remove();
        announce('Input ended.');
        if (hadFocus) focusEditor();
      }
    };
    form.addEventListener('submit', event => {
      event.preventDefault();
      send(Boolean(event.submitter && event.submitter.name === 'end'));
    });
    field.addEventListener('keydown', event => {
      if (event.key.toLowerCase() !== 'd' || !event.ctrlKey || event.altKey || event.metaKey || event.shiftKey) return;
      event.preventDefault();
      send(true);
    });
  }

  function echo(pre, text) {
    if (!pre) return;
    pre.closest('section').hidden = false;
    pre.append(element('span', 'typed-echo', text));
    pre.scrollTop = pre.scrollHeight;
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
    let shown = reply;
    try {
      const finished = await fetchDrawn(reply.dataset.replyUrl, 'article.reply');
      const atBottom = isAtBottom();
      const hadFocus = focusIsLost(reply);
      reply.replaceWith(finished);
      addOutputTools(finished);
      shown = finished;
      if (atBottom) scrollToNewest();
      if (hadFocus) focusEditor();
    } catch (error) {
      const status = reply.querySelector('.running');
      if (status) status.textContent = 'The run ended. Reload the page to see the result.';
    }
    announce(`Run finished: ${end.status}.`);
    // Not awaited: the reply is shown; the panel follows.
    refreshSessionPanel();
    return shown;
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

  // The button that sent the form shows it is busy: its own, or (for the page's one re-run form) the
  // message's Re-run button that names the form.
  function showBusyOnSubmit(form) {
    if (!form) return;
    form.addEventListener('submit', event => {
      const submit = event.submitter || form.querySelector('button[type=submit]');
      if (!submit) return;
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
