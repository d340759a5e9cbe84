// Behaviour every page shares; each part is an enhancement (the page works without it).
(function () {
  "use strict";

  // The narrow-screen menu: a button that shows and hides navigation, search and the language switch.
  var toggle = document.querySelector(".menu-toggle");
  var menus = toggle ? (toggle.getAttribute("aria-controls") || "").split(" ").map(function (id) {
    return document.getElementById(id);
  }).filter(Boolean) : [];
  if (toggle && menus.length) {
    toggle.hidden = false;
    var setOpen = function (open) {
      menus.forEach(function (menu) { menu.classList.toggle("is-open", open); });
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    };
    toggle.addEventListener("click", function () {
      setOpen(toggle.getAttribute("aria-expanded") !== "true");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && toggle.getAttribute("aria-expanded") === "true" && toggle.offsetParent) {
        setOpen(false);
        toggle.focus();
      }
    });
  }

  // The header's areas on wide screens: each button shows its area's pages; one open at a time,
  // closed by Escape (focus back on its button), by a click elsewhere or when focus leaves it.
  var areas = Array.prototype.slice.call(document.querySelectorAll("[data-nav-area]"));
  var openArea = function (area, open) {
    var button = area.querySelector(".nav-area-toggle");
    var list = area.querySelector(".nav-area-links");
    if (!button || !list) return;
    button.setAttribute("aria-expanded", open ? "true" : "false");
    list.classList.toggle("is-open", open);
  };
  areas.forEach(function (area) {
    var button = area.querySelector(".nav-area-toggle");
    if (!button) return;
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") !== "true";
      areas.forEach(function (other) { if (other !== area) openArea(other, false); });
      openArea(area, open);
    });
    area.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        openArea(area, false);
        button.focus();
        event.stopPropagation();
      }
    });
    area.addEventListener("focusout", function (event) {
      if (!area.contains(event.relatedTarget)) openArea(area, false);
    });
  });
  document.addEventListener("click", function (event) {
    areas.forEach(function (area) { if (!area.contains(event.target)) openArea(area, false); });
  });

  // The large-text switch: the form sets a cookie and reloads the page; here it does the same in place.
  var sizeForm = document.querySelector("form.text-size");
  if (sizeForm) {
    sizeForm.addEventListener("submit", function (event) {
      var button = sizeForm.querySelector("button[name=large_text]");
      if (!button) return;
      event.preventDefault();
      var large = button.value === "on";
      var secure = location.protocol === "https:" ? "; Secure" : "";
      document.cookie = large
        ? "textsize=large; Path=/; Max-Age=31536000; SameSite=Lax" + secure
        : "textsize=; Path=/; Max-Age=0; SameSite=Lax" + secure;
      document.documentElement.classList.toggle("large-text", large);
      button.setAttribute("aria-pressed", large ? "true" : "false");
      button.value = large ? "off" : "on";
    });
  }

  // Focus where the page says the reader should start: an error summary, the step a form returned to.
  var start = document.querySelector("[data-focus-on-load]");
  if (start) {
    start.focus();
  }

  // A table wider than its box, whose key column does not stay in view (sticky), shows its rows as cards
  // (site.css, table.stacked), each cell after its column's name: on a phone every column stays on screen.
  function labelCells(table) {
    var head = table.tHead && table.tHead.rows.length ? table.tHead.rows[table.tHead.rows.length - 1] : null;
    if (!head) return;
    var names = [];
    Array.prototype.forEach.call(head.cells, function (cell) {
      for (var i = 0; i < cell.colSpan; i++) names.push(cell.textContent.trim().replace(/\s+/g, " "));
    });
    var rows = Array.prototype.slice.call(table.tBodies).concat(table.tFoot ? [table.tFoot] : []);
    rows.forEach(function (section) {
      Array.prototype.forEach.call(section.rows, function (row) {
        var column = 0;
        Array.prototype.forEach.call(row.cells, function (cell) {
          var isKey = cell.tagName === "TH" && cell.getAttribute("scope") === "row";
          if (cell.colSpan === 1 && names[column] && !isKey && !cell.hasAttribute("data-label")) {
            cell.setAttribute("data-label", names[column]);
          }
          column += cell.colSpan;
        });
      });
    });
  }
  function stackIfWide(box) {
    var table = box.querySelector("table");
    if (!table) return;
    table.classList.remove("stacked");
    var key = table.querySelector("tbody > tr > th[scope=row], tbody > tr > td");
    if (key && getComputedStyle(key).position === "sticky") return;
    if (box.scrollWidth > box.clientWidth + 1) {
      labelCells(table);
      table.classList.add("stacked");
    }
  }

  // A table wider than the screen scrolls in its box: make the box reachable and named for keyboards.
  function markScrollable() {
    document.querySelectorAll(".table-wrap").forEach(function (box) {
      stackIfWide(box);
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      if (box.dataset.madeScrollable && !scrolls) {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
        delete box.dataset.madeScrollable;
      } else if (scrolls && !box.hasAttribute("tabindex")) {
        var caption = box.querySelector("caption");
        var labelledBy = box.querySelector("table[aria-labelledby]");
        var label = caption ? caption.textContent : labelledBy ? (document.getElementById(labelledBy.getAttribute("aria-labelledby")) || {}).textContent : "";
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", (label || document.title).trim());
        box.dataset.madeScrollable = "1";
      }
    });
  }
  markScrollable();
  var resizeTimer = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(markScrollable, 200);
  });
})();
