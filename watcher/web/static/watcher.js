// Busy feedback for forms and file downloads, shared by every page (no inline script: the
// CSP allows only this file). A sent form disables its submit buttons (a double click sends
// it once) and the pressed one reads « En cours… »; a download link reads the same. The page
// is restored when it is shown again from the back/forward cache, or after BUSY_MS: a file
// download does not unload the page and tells the page nothing when it is done.
(function () {
  "use strict";
  var BUSY_MS = 15000;
  var LABEL = document.documentElement.lang === "en" ? "In progress…" : "En cours…";
  var busy = [];

  function mark(element) {
    if (element.dataset.busyLabel === undefined) {
      element.dataset.busyLabel = element.textContent;
    }
    element.textContent = LABEL;
    element.setAttribute("aria-busy", "true");
  }

  function restore() {
    busy.forEach(function (element) {
      if (element.dataset.busyLabel !== undefined) {
        element.textContent = element.dataset.busyLabel;
        delete element.dataset.busyLabel;
      }
      element.removeAttribute("aria-busy");
      element.removeAttribute("aria-disabled");
      if (element.tagName === "FORM") {
        delete element.dataset.sending;
      } else if (element.tagName !== "A") {
        element.disabled = false;
      }
    });
    busy = [];
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || !(form instanceof HTMLFormElement)) {
      return;
    }
    if (form.dataset.sending) {  // already sent: a second click sends nothing
      event.preventDefault();
      return;
    }
    form.dataset.sending = "1";
    busy.push(form);
    var pressed = event.submitter;
    var buttons = form.querySelectorAll("button[type=submit], button:not([type]), input[type=submit]");
    if (pressed && pressed.tagName === "BUTTON") {
      mark(pressed);
    }
    // disabled after the form's data is read: a disabled button would not send its value
    window.setTimeout(function () {
      buttons.forEach(function (button) {
        button.disabled = true;
        busy.push(button);
      });
    }, 0);
    window.setTimeout(restore, BUSY_MS);
  });

  document.addEventListener("click", function (event) {
    var link = event.target instanceof Element ? event.target.closest("a[download]") : null;
    if (!link || event.defaultPrevented) {
      return;
    }
    if (link.getAttribute("aria-disabled") === "true") {  // already asked for
      event.preventDefault();
      return;
    }
    mark(link);
    link.setAttribute("aria-disabled", "true");
    busy.push(link);
    window.setTimeout(restore, BUSY_MS);
  });

  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      restore();
    }
  });
})();
