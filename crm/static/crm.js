// Small progressive enhancements; every page works without them.
document.addEventListener("DOMContentLoaded", function () {
  // Move focus to the error summary of an invalid form so screen readers announce it.
  var summary = document.getElementById("foutmeldingen");
  if (summary) {
    summary.focus();
    // A link to a group of choices (a fieldset, a list of radio buttons) focuses its first
    // choice, so the keyboard lands where the answer is given.
    summary.querySelectorAll("a[href^='#']").forEach(function (link) {
      var target = document.getElementById(link.getAttribute("href").slice(1));
      if (!target || /^(INPUT|SELECT|TEXTAREA|BUTTON)$/.test(target.tagName)) { return; }
      link.addEventListener("click", function (event) {
        var first = target.querySelector("input:not([type=hidden]), select, textarea");
        if (first) {
          event.preventDefault();
          first.focus();
          target.scrollIntoView({ block: "center" });
        }
      });
    });
  }

  // Ask before destructive actions: <form data-confirm="Weet je het zeker?">.
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });

  // Wide tables scroll sideways in their own box (on a phone), and a box that scrolls can be
  // reached and scrolled with the keyboard, named after its table's caption.
  document.querySelectorAll("table.table").forEach(function (table) {
    var box = table.parentElement;
    if (!box.classList.contains("table-wrap")) {
      box = document.createElement("div");
      box.className = "table-wrap";
      table.parentNode.insertBefore(box, table);
      box.appendChild(table);
    }
    if (box.scrollWidth > box.clientWidth && !box.hasAttribute("tabindex")) {
      var caption = table.querySelector("caption");
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", "Tabel" + (caption ? ": " + caption.textContent.trim() : ""));
    }
  });

  // A button that may be pressed only once: <form data-submit-once>. The first press is
  // sent; the button is then switched off, so a double click sends one request.
  document.querySelectorAll("form[data-submit-once]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.sent) { event.preventDefault(); return; }
      form.dataset.sent = "1";
      setTimeout(function () {
        form.querySelectorAll("button[type=submit], button:not([type])").forEach(function (b) { b.disabled = true; });
      }, 0);
    });
  });

  // Every other form that stores something: a second press while the first is on its way
  // (a double click, an impatient click on a slow line) is not sent. After a few seconds
  // the form works again, for a download (the page stays) or an answer that never came.
  // This listener is on the document, so it runs after a form's own (data-confirm): a
  // press the user cancelled does not count.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || (form.method || "").toLowerCase() !== "post"
        || form.hasAttribute("data-submit-once")) { return; }
    if (form.dataset.sending) { event.preventDefault(); return; }
    form.dataset.sending = "1";
    setTimeout(function () { delete form.dataset.sending; }, 4000);
  });
  window.addEventListener("pageshow", function () {  // Back to a page whose form was sent
    document.querySelectorAll("form[data-sending]").forEach(function (f) { delete f.dataset.sending; });
  });

  // Print buttons: <button data-print>.
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  // Copy buttons: <button type="button" data-copy="#field" hidden>, shown here, so a page
  // without this script shows only the field to copy by hand. The result is read out in the
  // element named by data-copy-status (a role="status" element that is on the page from the
  // start); data-copy-done is the text after copying.
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var field = document.querySelector(button.getAttribute("data-copy"));
    if (!field) { return; }
    var statusSelector = button.getAttribute("data-copy-status");
    var status = statusSelector ? document.querySelector(statusSelector) : null;
    function say(text) {
      if (!status) { return; }
      status.textContent = "";  // the same text twice is read out twice
      setTimeout(function () { status.textContent = text; }, 50);
    }
    function done() { say(button.getAttribute("data-copy-done") || "Gekopieerd."); }
    // No clipboard (an old browser, or a page over plain http): select the text, try the old
    // copy command, and otherwise say how to copy it by hand.
    function selectText() {
      if (field.select) {
        field.focus();
        field.select();
      } else {
        var range = document.createRange();
        range.selectNodeContents(field);
        window.getSelection().removeAllRanges();
        window.getSelection().addRange(range);
      }
      var copied = false;
      try { copied = document.execCommand("copy"); } catch (error) { copied = false; }
      if (copied) { done(); } else { say("De tekst is geselecteerd. Kopieer hem met Ctrl+C (op een Mac: Cmd+C)."); }
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      var text = "value" in field ? field.value : field.textContent;
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(done, selectText);
      } else {
        selectText();
      }
    });
  });
});
