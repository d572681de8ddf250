// Copy buttons: a button with data-copy-target="id" copies that element's text. The buttons start hidden,
// so without script the text is simply there to select.
(function () {
  "use strict";
  for (const button of document.querySelectorAll("button[data-copy-target]")) {
    const target = document.getElementById(button.dataset.copyTarget);
    if (!target) continue;
    const feedback = button.closest("section")?.querySelector(".copy-feedback");
    button.hidden = false;
    button.addEventListener("click", async () => {
      const text = target.textContent;
      try {
        await navigator.clipboard.writeText(text);
        if (feedback) feedback.textContent = "Copied to the clipboard.";
      } catch {
        // No clipboard permission (an http page, an old browser): select the text for Ctrl+C instead.
        const range = document.createRange();
        range.selectNodeContents(target);
        const selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        if (feedback) feedback.textContent = "Selected: press Ctrl+C (or Cmd+C) to copy.";
      }
    });
  }
})();
