// Referral form: search-as-you-type partner picker (an ARIA combobox over a JSON endpoint).
// Without JavaScript the plain <select> works; with it, the select stays the value holder.
(function () {
  "use strict";

  function enhance(field) {
    var select = field.querySelector("select");
    var label = field.querySelector("label");
    if (!select || !label || !window.fetch) { return; }
    var url = field.getAttribute("data-search-url");
    var id = select.id + "-zoek";
    var listId = select.id + "-lijst";

    var wrap = document.createElement("div");
    wrap.className = "partner-picker";
    var input = document.createElement("input");
    input.type = "text";
    input.id = id;
    input.autocomplete = "off";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    input.setAttribute("aria-describedby", select.getAttribute("aria-describedby") || "");
    if (select.getAttribute("aria-invalid")) { input.setAttribute("aria-invalid", "true"); }
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "partner-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Gevonden partners");
    list.tabIndex = -1;  // a scrolling box is a Tab stop of its own otherwise: Tab goes on to "Doel"
    list.hidden = true;
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    var none = document.createElement("p");  // the same news as the status, for the eye
    none.className = "partner-none";
    none.hidden = true;
    wrap.appendChild(input);
    wrap.appendChild(list);
    wrap.appendChild(none);
    wrap.appendChild(status);
    select.parentNode.insertBefore(wrap, select);
    select.hidden = true;
    label.setAttribute("for", id);

    // The box always shows the partner the select holds: also when the browser brings the
    // page back (Back button) with the select as it was, after this script ran.
    function showChosen() {
      input.value = select.selectedIndex > 0 ? select.options[select.selectedIndex].text : "";
    }
    showChosen();
    window.addEventListener("pageshow", showChosen);

    var results = [];         // the partners in the list
    var shownFor = null;      // the text the list was found for (null: no list yet)
    var active = -1;
    var timer = null;
    var seq = 0;              // bumped by every keystroke and search: older answers are dropped
    var chooseWhenShown = false;  // Enter came before the list caught up: take the first match then
    var settleWhenShown = false;  // the box was left before the list caught up: settle then

    function current() { return shownFor === input.value; }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var items = list.querySelectorAll("li");
      items.forEach(function (li, i) { li.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
      if (index >= 0 && items[index]) {
        input.setAttribute("aria-activedescendant", items[index].id);
        items[index].scrollIntoView({ block: "nearest" });
      }
    }

    function pick(value, name) {
      clearTimeout(timer);  // a search still to come, or on its way, must not reopen the list
      seq++;
      select.value = String(value);
      input.value = name;
      status.textContent = name + " gekozen.";
      close();
    }

    function choose(index) {
      var item = results[index];
      if (item) { pick(item.id, item.name); }
    }

    function render(items, query) {
      results = items;
      shownFor = query;
      list.innerHTML = "";
      items.forEach(function (item, i) {
        var li = document.createElement("li");
        li.id = listId + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.textContent = item.name;
        var meta = document.createElement("span");
        meta.className = "partner-meta";
        meta.textContent = [item.kind, item.place].filter(Boolean).join(" · ");
        if (item.top) {
          var top = document.createElement("span");
          top.className = "partner-top";
          top.textContent = " · vaak gekozen";
          meta.appendChild(top);
        }
        li.appendChild(meta);
        li.addEventListener("mousedown", function (event) { event.preventDefault(); choose(i); });
        list.appendChild(li);
      });
      // The list only opens under the box the user is in; the results are kept either way.
      var open = items.length > 0 && document.activeElement === input;
      list.hidden = !open;
      input.setAttribute("aria-expanded", open ? "true" : "false");
      status.textContent = items.length ? items.length + " partners gevonden." : "Geen partner gevonden.";
      none.hidden = items.length > 0 || !query.trim();
      none.textContent = "Geen partner gevonden voor ‘" + query.trim() + "’. Typ een deel van de naam of de plaats.";
      highlight(open ? 0 : -1);
    }

    // The one partner whose name is exactly the typed text (every partner is in the select).
    function named() {
      var typed = input.value.trim().toLowerCase();
      var found = {};
      Array.prototype.forEach.call(select.options, function (option) {
        if (typed && option.value && option.text.trim().toLowerCase() === typed) { found[option.value] = option.text; }
      });
      var values = Object.keys(found);
      return values.length === 1 ? { value: values[0], name: found[values[0]] } : null;
    }

    // Leaving the box takes the partner the text clearly means: that exact name, or the
    // only match left in the list for this text.
    function settle() {
      if (select.value || !input.value.trim()) { return; }
      var exact = named();
      if (exact) {
        pick(exact.value, exact.name);
      } else if (!current()) {
        settleWhenShown = true;
      } else if (results.length === 1) {
        choose(0);
      }
    }

    function search() {
      var mine = ++seq;
      var query = input.value;
      timer = null;
      fetch(url + "?q=" + encodeURIComponent(query), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : { results: [] }; })
        .then(function (data) {
          if (mine !== seq || input.value !== query) { return; }
          render(data.results || [], query);
          if (chooseWhenShown) {
            chooseWhenShown = false;
            choose(0);
          } else if (settleWhenShown) {
            settleWhenShown = false;
            settle();
          }
        })
        .catch(function () { /* the select stays usable after a reload */ });
    }

    input.addEventListener("input", function () {
      select.value = "";
      none.hidden = true;
      seq++;  // the answer for the text before this keystroke is stale now
      chooseWhenShown = false;
      settleWhenShown = false;
      clearTimeout(timer);
      timer = setTimeout(search, 120);
    });
    input.addEventListener("focus", function () { if (!select.value) { search(); } });
    // Tab (or a click elsewhere) takes the partner the text clearly means; focus moves on as usual.
    input.addEventListener("blur", function () { settle(); setTimeout(close, 150); });
    input.addEventListener("keydown", function (event) {
      var open = !list.hidden;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (!open) { search(); return; }
        highlight(Math.min(active + 1, results.length - 1));
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight(Math.max(active - 1, 0));
      } else if (event.key === "Enter" && !select.value && input.value.trim() && !current()) {
        // Typed fast and pressed Enter before the list caught up: never pick from a list
        // found for other text; take the first match for this text once it is there.
        event.preventDefault();
        var exact = named();
        if (exact) { pick(exact.value, exact.name); return; }
        chooseWhenShown = true;
        clearTimeout(timer);
        search();
      } else if (event.key === "Enter" && open && active >= 0) {
        event.preventDefault();
        choose(active);
      } else if (event.key === "Escape" && open) {
        event.preventDefault();
        close();
      }
    });

    // The select is hidden now: links of the error summary to it (and a page opened at
    // #partner_id) lead to the search box instead, so focus is not lost.
    function focusSearch(event) {
      if (event) { event.preventDefault(); }
      field.scrollIntoView({ block: "start" });
      input.focus({ preventScroll: true });
    }
    document.querySelectorAll("a[href='#" + select.id + "']").forEach(function (link) {
      link.addEventListener("click", focusSearch);
    });
    if (window.location.hash === "#" + select.id) { focusSearch(); }

    // After saving, the form is ready for the next referral: focus the partner search. The
    // confirmation stays in view, and a screen reader reads it with the search box (a status
    // message that is already there when the page loads is not announced by itself).
    var saved = document.querySelector(".flash-referral-saved");
    if (saved && field.closest(".panel-referral, .referral-page")) {
      if (!saved.id) { saved.id = "referral-saved"; }
      var described = input.getAttribute("aria-describedby");
      input.setAttribute("aria-describedby", described ? saved.id + " " + described : saved.id);
      input.focus({ preventScroll: true });
      saved.scrollIntoView({ block: "start" });
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-partner-picker]").forEach(enhance);
  });
})();
