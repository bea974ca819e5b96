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
    list.hidden = true;
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    wrap.appendChild(input);
    wrap.appendChild(list);
    wrap.appendChild(status);
    select.parentNode.insertBefore(wrap, select);
    select.hidden = true;
    label.setAttribute("for", id);

    if (select.selectedIndex > 0) { input.value = select.options[select.selectedIndex].text; }

    var results = [];
    var active = -1;
    var timer = null;
    var seq = 0;

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

    function choose(index) {
      var item = results[index];
      if (!item) { return; }
      select.value = String(item.id);
      input.value = item.name;
      status.textContent = item.name + " gekozen.";
      close();
    }

    function render(items) {
      results = items;
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
      var open = items.length > 0;
      list.hidden = !open;
      input.setAttribute("aria-expanded", open ? "true" : "false");
      status.textContent = open ? items.length + " partners gevonden." : "Geen partner gevonden.";
      highlight(open ? 0 : -1);
    }

    function search() {
      var mine = ++seq;
      fetch(url + "?q=" + encodeURIComponent(input.value), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : { results: [] }; })
        .then(function (data) { if (mine === seq) { render(data.results || []); } })
        .catch(function () { /* the select stays usable after a reload */ });
    }

    input.addEventListener("input", function () {
      select.value = "";
      clearTimeout(timer);
      timer = setTimeout(search, 120);
    });
    input.addEventListener("focus", function () { if (!select.value) { search(); } });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
    input.addEventListener("keydown", function (event) {
      var open = !list.hidden;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (!open) { search(); return; }
        highlight(Math.min(active + 1, results.length - 1));
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight(Math.max(active - 1, 0));
      } else if (event.key === "Enter" && open && active >= 0) {
        event.preventDefault();
        choose(active);
      } else if (event.key === "Escape" && open) {
        event.preventDefault();
        close();
      }
    });

    // After saving, the form is ready for the next referral: focus the partner search.
    if (document.querySelector(".flash-success") && field.closest(".panel-referral, .referral-page")) {
      input.focus();
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-partner-picker]").forEach(enhance);
  });
})();
