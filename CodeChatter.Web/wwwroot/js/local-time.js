// Shows every <time datetime> in the viewer's own time zone, keeping the UTC instant the server wrote as its
// tooltip. Without script the page reads in UTC. Times that arrive later (a reply fetched when its run ends)
// are converted too.
(() => {
  'use strict';

  const format = new Intl.DateTimeFormat(undefined, {
    year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit',
  });

  function localize(time) {
    if (time.dataset.local) return;
    const instant = new Date(time.getAttribute('datetime'));
    if (Number.isNaN(instant.getTime())) return;
    time.dataset.local = 'true';
    if (!time.title) time.title = time.textContent.trim();
    time.textContent = format.format(instant);
  }

  function localizeWithin(root) {
    if (root.matches?.('time[datetime]')) localize(root);
    root.querySelectorAll?.('time[datetime]').forEach(localize);
  }

  document.addEventListener('DOMContentLoaded', () => {
    localizeWithin(document);
    new MutationObserver(changes => {
      for (const change of changes) change.addedNodes.forEach(node => { if (node.nodeType === 1) localizeWithin(node); });
    }).observe(document.body, { childList: true, subtree: true });
  });
})();
